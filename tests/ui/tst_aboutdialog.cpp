// The About dialog: it shows the one version CMake's project() sets (the same one --version
// prints), the Qt it runs on, and the copyright, license and homepage; every part can be found
// by name; it opens with open() and closes with its button. Writes a screenshot.

#include "aboutdialog.h"
#include "applicationinfo.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Docket;

class TestAboutDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionIsTheProjectVersion();
    void showsQtLicenseAndHomepage();
    void everyPartHasANameAndAnAccessibleName();
    void iconIsRendered();
    void opensWithoutBlockingAndCloses();
    void screenshot();
};

void TestAboutDialog::initTestCase()
{
    Docket::setApplicationInfo(QStringLiteral("tst_aboutdialog"));
}

void TestAboutDialog::versionIsTheProjectVersion()
{
    AboutDialog dialog;
    // DOCKET_EXPECTED_VERSION comes straight from CMake's PROJECT_VERSION, not from the
    // generated header the dialog reads, so a second source of the version would show here.
    QCOMPARE(dialog.versionLabel()->text(), QStringLiteral(DOCKET_EXPECTED_VERSION));
    QCOMPARE(dialog.versionLabel()->text(), QCoreApplication::applicationVersion());
}

void TestAboutDialog::showsQtLicenseAndHomepage()
{
    AboutDialog dialog;
    QVERIFY2(dialog.qtVersionLabel()->text().startsWith(QString::fromLatin1(qVersion())),
             qPrintable(dialog.qtVersionLabel()->text()));
    QVERIFY(dialog.qtVersionLabel()->text().contains(QStringLiteral(QT_VERSION_STR)));

    auto *homepage = dialog.findChild<QLabel *>(QStringLiteral("aboutHomepage"));
    QVERIFY(homepage);
    QVERIFY(homepage->text().contains(QStringLiteral(DOCKET_EXPECTED_HOMEPAGE)));
    QVERIFY(homepage->openExternalLinks());
    // A build configured without a homepage hides the row instead of showing an empty link.
    QCOMPARE(homepage->isVisibleTo(&dialog), !QStringLiteral(DOCKET_EXPECTED_HOMEPAGE).isEmpty());

    auto *license = dialog.findChild<QLabel *>(QStringLiteral("aboutLicense"));
    QVERIFY(license);
    QVERIFY2(license->text().contains(QStringLiteral("Docket authors")),
             qPrintable(license->text()));
    QVERIFY2(license->text().contains(QStringLiteral("GPL-3.0-or-later")),
             qPrintable(license->text()));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("About Docket"));
}

void TestAboutDialog::everyPartHasANameAndAnAccessibleName()
{
    AboutDialog dialog;
    QCOMPARE(dialog.objectName(), QStringLiteral("aboutDialog"));
    QVERIFY(!dialog.accessibleName().isEmpty());
    for (const char *name : { "aboutIcon", "aboutName", "aboutDescription", "aboutVersion",
                              "aboutQtVersion", "aboutLicense", "aboutHomepage" }) {
        auto *label = dialog.findChild<QLabel *>(QString::fromLatin1(name));
        QVERIFY2(label, name);
        QVERIFY2(!label->accessibleName().isEmpty(), name);
    }
    auto *close = dialog.findChild<QPushButton *>(QStringLiteral("aboutCloseButton"));
    QVERIFY(close);
    QVERIFY(!close->accessibleName().isEmpty());
}

void TestAboutDialog::iconIsRendered()
{
    // The icon comes from the resources compiled into docket_ui: an empty pixmap would mean
    // the PNGs rendered from resources/icons/docket.svg are missing.
    QVERIFY(!applicationIcon().isNull());
    AboutDialog dialog;
    auto *icon = dialog.findChild<QLabel *>(QStringLiteral("aboutIcon"));
    QVERIFY(icon);
    QVERIFY(!icon->pixmap().isNull());
    QCOMPARE(icon->pixmap().deviceIndependentSize().toSize(), QSize(96, 96));
}

void TestAboutDialog::opensWithoutBlockingAndCloses()
{
    QWidget parent;
    parent.show();
    auto *dialog = new AboutDialog(&parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QSignalSpy finished(dialog, &QDialog::finished);
    QPointer<AboutDialog> guard(dialog);

    dialog->open(); // returns at once: no nested event loop
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->windowModality(), Qt::WindowModal);

    auto *close = dialog->findChild<QPushButton *>(QStringLiteral("aboutCloseButton"));
    QVERIFY(close);
    QVERIFY(close->isDefault());
    QTest::mouseClick(close, Qt::LeftButton);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toInt(), int(QDialog::Rejected));
    QTRY_VERIFY(guard.isNull()); // WA_DeleteOnClose, as Help ▸ About Docket uses it
}

void TestAboutDialog::screenshot()
{
    AboutDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(QDir().mkpath(QStringLiteral(DOCKET_SCREENSHOT_DIR)));
    const QString path = QStringLiteral(DOCKET_SCREENSHOT_DIR "/aboutdialog.png");
    QVERIFY(dialog.grab().save(path));
    qInfo("Screenshot: %s", qPrintable(path));
}

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
