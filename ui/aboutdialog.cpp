#include "aboutdialog.h"

#include "applicationinfo.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <docketversion.h>

namespace Docket {

QIcon applicationIcon()
{
    // Every rendered size: Qt picks the closest one for each place and screen density.
    QIcon icon;
    for (const int size : { 16, 22, 24, 32, 48, 64, 128, 256, 512 })
        icon.addFile(QStringLiteral(":/docket/icons/hicolor/%1x%1/apps/docket.png").arg(size),
                     QSize(size, size));
    return icon;
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
    , m_version(new QLabel(version(), this))
    , m_qtVersion(new QLabel(this))
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Docket"));
    setAccessibleName(tr("About Docket"));

    auto *icon = new QLabel(this);
    icon->setObjectName(QStringLiteral("aboutIcon"));
    icon->setPixmap(applicationIcon().pixmap(QSize(96, 96), devicePixelRatioF()));
    icon->setAccessibleName(tr("Docket icon"));
    icon->setAlignment(Qt::AlignTop);

    auto *name = new QLabel(tr("Docket"), this);
    name->setObjectName(QStringLiteral("aboutName"));
    name->setAccessibleName(tr("Application name"));
    QFont nameFont = name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.6);
    nameFont.setBold(true);
    name->setFont(nameFont);

    auto *description = new QLabel(tr("Review and delete documents held by Invox Medical, "
                                      "CareValidate Care360, DocumentPro and Scriptix: "
                                      "deliberately, after a clear confirmation, with secrets "
                                      "kept in the system keychain."),
                                   this);
    description->setObjectName(QStringLiteral("aboutDescription"));
    description->setAccessibleName(tr("What Docket does"));
    description->setWordWrap(true);

    // Selectable so a user can paste exact versions into a support request.
    m_version->setObjectName(QStringLiteral("aboutVersion"));
    m_version->setAccessibleName(tr("Docket version"));
    m_version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Built-with and running-on can differ when the system's Qt is updated under Docket.
    m_qtVersion->setText(tr("%1 (built with %2)")
                             .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR)));
    m_qtVersion->setObjectName(QStringLiteral("aboutQtVersion"));
    m_qtVersion->setAccessibleName(tr("Qt version"));
    m_qtVersion->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The license a clinic's IT department reads first: its name and SPDX id, a link to its
    // text, and the warranty it comes without (GPL-3.0 section 15, as --version says it).
    auto *license = new QLabel(
        tr("%1. Docket is free software under the <a href=\"%2\">%3</a> (%4), and comes with "
           "no warranty.")
            .arg(QStringLiteral(DOCKET_COPYRIGHT), QStringLiteral(DOCKET_LICENSE_URL),
                 QStringLiteral(DOCKET_LICENSE_NAME), QStringLiteral(DOCKET_LICENSE_SPDX)),
        this);
    license->setObjectName(QStringLiteral("aboutLicense"));
    license->setAccessibleName(tr("Copyright and license"));
    license->setWordWrap(true);
    license->setTextFormat(Qt::RichText);
    license->setOpenExternalLinks(true);
    license->setTextInteractionFlags(Qt::TextBrowserInteraction);

    // Empty when the build was configured without a homepage (DOCKET_HOMEPAGE_URL): the row is
    // hidden then rather than pointing at an address that is not Docket's.
    const QString homepageUrl = QStringLiteral(DOCKET_HOMEPAGE_URL);
    auto *homepage = new QLabel(QStringLiteral("<a href=\"%1\">%1</a>").arg(homepageUrl), this);
    homepage->setObjectName(QStringLiteral("aboutHomepage"));
    homepage->setAccessibleName(tr("Homepage"));
    homepage->setTextFormat(Qt::RichText);
    homepage->setOpenExternalLinks(true);
    homepage->setTextInteractionFlags(Qt::TextBrowserInteraction);

    auto *facts = new QFormLayout;
    facts->addRow(tr("Version:"), m_version);
    facts->addRow(tr("Qt:"), m_qtVersion);
    facts->addRow(tr("License:"), license);
    facts->addRow(tr("Homepage:"), homepage);
    facts->setRowVisible(homepage, !homepageUrl.isEmpty());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("aboutButtons"));
    QPushButton *close = buttons->button(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("aboutCloseButton"));
    close->setAccessibleName(tr("Close"));
    close->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *text = new QVBoxLayout;
    text->addWidget(name);
    text->addWidget(description);
    text->addSpacing(6);
    text->addLayout(facts);
    text->addStretch();
    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addSpacing(12);
    top->addLayout(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

} // namespace Docket
