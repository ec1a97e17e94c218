#include "interruptedbatchdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Docket;

InterruptedBatchDialog::InterruptedBatchDialog(const BatchSummary &batch, QWidget *parent)
    : QDialog(parent)
    , m_batch(batch)
    , m_summary(new QLabel(this))
    , m_waiting(new QLabel(this))
    , m_resume(new QPushButton(tr("&Resume deleting"), this))
    , m_discard(new QPushButton(tr("&Discard the rest"), this))
    , m_later(new QPushButton(tr("&Later"), this))
{
    setObjectName(QStringLiteral("interruptedBatchDialog"));
    setWindowTitle(tr("Deleting was interrupted"));
    setAccessibleName(tr("Deleting was interrupted"));

    const int confirmed
        = batch.count(DeletionState::Deleted) + batch.count(DeletionState::AlreadyGone);
    // In flight when Docket stopped (or claimed by an earlier resume that stopped too).
    const int unconfirmed = batch.count(DeletionState::InFlight)
        + batch.count(DeletionState::Waiting) + batch.count(DeletionState::Unconfirmed);
    const int notSent = batch.count(DeletionState::Pending);
    const int failed = batch.count(DeletionState::Failed) + batch.count(DeletionState::NotPermitted)
        + batch.count(DeletionState::Unknown) + batch.count(DeletionState::Changed);
    const int cancelled = batch.count(DeletionState::Cancelled);

    auto *headline
        = new QLabel(tr("Docket stopped while deleting %n item(s).", nullptr, batch.total), this);
    headline->setObjectName(QStringLiteral("interruptedBatchHeadline"));
    QFont bold = headline->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    headline->setFont(bold);

    QStringList lines;
    lines << tr("Started %1, on %2.")
                 .arg(QLocale().toString(batch.created.toLocalTime(), QLocale::LongFormat),
                      batch.accounts.join(QStringLiteral(", ")));
    lines << tr("• %n confirmed gone by the service", nullptr, confirmed);
    if (unconfirmed > 0)
        lines << tr("• %n sent, but Docket stopped before the answer: they may have been "
                    "deleted",
                    nullptr, unconfirmed);
    lines << tr("• %n not sent yet", nullptr, notSent);
    if (failed > 0)
        lines << tr("• %n not deleted", nullptr, failed);
    if (cancelled > 0)
        lines << tr("• %n cancelled", nullptr, cancelled);
    m_summary->setObjectName(QStringLiteral("interruptedBatchSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setText(lines.join(u'\n'));

    auto *explanation
        = new QLabel(tr("Resuming first looks each item up where it was, and sends what was "
                        "not confirmed again only if it is still the same item; one that is "
                        "gone or has changed is not sent. Discarding sends nothing more: those "
                        "items stay on the service. Every attempt is in View ▸ Activity."),
                     this);
    explanation->setWordWrap(true);
    m_waiting->setObjectName(QStringLiteral("interruptedBatchWaiting"));
    m_waiting->setWordWrap(true);
    m_waiting->hide();

    m_resume->setObjectName(QStringLiteral("resumeBatchButton"));
    m_discard->setObjectName(QStringLiteral("discardBatchButton"));
    m_later->setObjectName(QStringLiteral("laterBatchButton"));
    m_later->setToolTip(tr("Ask again the next time Docket starts"));
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_resume, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_discard, QDialogButtonBox::DestructiveRole);
    buttons->addButton(m_later, QDialogButtonBox::RejectRole);
    // Nothing irreversible happens on Enter: "Later" is the default.
    m_later->setDefault(true);
    m_later->setFocus();
    connect(m_resume, &QPushButton::clicked, this, [this] {
        Q_EMIT resumeRequested(m_batch.id);
        accept();
    });
    connect(m_discard, &QPushButton::clicked, this, [this] {
        Q_EMIT discardRequested(m_batch.id);
        accept();
    });
    connect(m_later, &QPushButton::clicked, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(headline);
    layout->addWidget(m_summary);
    layout->addWidget(explanation);
    layout->addWidget(m_waiting);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

void InterruptedBatchDialog::setWaitingFor(const QStringList &accounts)
{
    m_resume->setEnabled(accounts.isEmpty());
    m_waiting->setVisible(!accounts.isEmpty());
    m_waiting->setText(tr("Resume is possible once these accounts are signed in: %1")
                           .arg(accounts.join(QStringLiteral(", "))));
}
