#include "deletionprogresspanel.h"

#include "deletionqueue.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Docket;

namespace {

enum FailureColumn { ItemColumn, AccountColumn, ReasonColumn };

} // namespace

DeletionProgressPanel::DeletionProgressPanel(DeletionQueue *queue, QWidget *parent)
    : QFrame(parent)
    , m_queue(queue)
    , m_headline(new QLabel(this))
    , m_detail(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_failures(new QTreeWidget(this))
    , m_cancel(new QPushButton(tr("&Cancel the rest"), this))
    , m_retry(new QPushButton(tr("&Retry failed"), this))
    , m_close(new QPushButton(tr("Clos&e"), this))
{
    setObjectName(QStringLiteral("deletionProgressPanel"));
    setAccessibleName(tr("Deleting"));
    m_headline->setObjectName(QStringLiteral("deletionHeadline"));
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    m_headline->setTextFormat(Qt::PlainText);
    m_detail->setObjectName(QStringLiteral("deletionDetail"));
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setWordWrap(true);
    m_bar->setObjectName(QStringLiteral("deletionProgressBar"));
    m_bar->setAccessibleName(tr("Deletion progress"));
    m_bar->setTextVisible(true);

    m_failures->setObjectName(QStringLiteral("deletionFailures"));
    m_failures->setAccessibleName(tr("Items not deleted"));
    m_failures->setHeaderLabels({ tr("Not deleted"), tr("Account"), tr("Why") });
    m_failures->setRootIsDecorated(false);
    m_failures->setUniformRowHeights(true);
    m_failures->header()->setSectionResizeMode(ReasonColumn, QHeaderView::Stretch);
    m_failures->header()->resizeSection(ItemColumn, 260);
    m_failures->header()->resizeSection(AccountColumn, 240);
    m_failures->setMinimumHeight(90);
    m_failures->hide();

    m_cancel->setObjectName(QStringLiteral("deletionCancelButton"));
    m_cancel->setToolTip(tr("Send nothing more: deletes already sent finish, the rest stay"));
    m_retry->setObjectName(QStringLiteral("deletionRetryButton"));
    m_close->setObjectName(QStringLiteral("deletionCloseButton"));
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_queue->cancel();
    });
    connect(m_retry, &QPushButton::clicked, this, &DeletionProgressPanel::retryUnfinished);
    connect(m_close, &QPushButton::clicked, this, &DeletionProgressPanel::closeRequested);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_close);
    buttons->addStretch();
    auto *text = new QVBoxLayout;
    text->addWidget(m_headline);
    text->addWidget(m_bar);
    text->addWidget(m_detail);
    text->addWidget(m_failures, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(text, 1);
    layout->addLayout(buttons);

    connect(m_queue, &DeletionQueue::progressChanged, this, &DeletionProgressPanel::showProgress);
    connect(m_queue, &DeletionQueue::itemFinished, this, [this](const DeletionItem &item) {
        if (isProblem(item.state))
            addFailure(item);
    });
    showProgress(m_queue->progress());
}

QString DeletionProgressPanel::timeLeftText(qint64 milliseconds)
{
    const qint64 seconds = (milliseconds + 999) / 1000;
    if (seconds < 5)
        return tr("less than 5 seconds left");
    // Rounded so that every count is plural: 5 seconds or more, 2 minutes or more, 2 hours or more.
    if (seconds < 90)
        return tr("about %1 seconds left").arg((seconds + 4) / 5 * 5);
    if (seconds < 90 * 60)
        return tr("about %1 minutes left").arg((seconds + 30) / 60);
    return tr("about %1 hours left").arg((seconds + 1800) / 3600);
}

void DeletionProgressPanel::showProgress(const DeletionProgress &progress)
{
    if (progress.total == 0)
        return;
    const int problems = progress.notDeleted() - progress.cancelled;
    if (m_failures->topLevelItemCount() > problems) {
        // A retry began: the list shows what is not deleted now.
        m_failures->clear();
        for (const DeletionItem &item : m_queue->items()) {
            if (isProblem(item.state))
                addFailure(item);
        }
    }
    m_failures->setVisible(problems > 0);
    m_bar->setRange(0, progress.total);
    m_bar->setValue(progress.finished());
    m_bar->setFormat(tr("%1 of %2").arg(progress.finished()).arg(progress.total));
    if (progress.isIdle()) {
        showSummary(progress);
        return;
    }
    m_cancel->setVisible(true);
    m_cancel->setEnabled(progress.total > progress.finished() + progress.inFlight);
    m_retry->setVisible(false);
    m_close->setVisible(false);
    // The panel shows batches of two or more: no singular forms needed.
    m_headline->setText(tr("Deleting %1 of %2 items…")
                            .arg(qMin(progress.finished() + 1, progress.total))
                            .arg(progress.total));
    QStringList parts;
    if (!progress.current.isEmpty())
        parts.append(tr("Now: %1").arg(progress.current));
    if (const int problems = progress.notDeleted() - progress.cancelled; problems > 0)
        parts.append(tr("%1 not deleted so far").arg(problems));
    if (progress.rateLimited)
        parts.append(tr("the service asked Docket to slow down: waiting"));
    else if (progress.waiting > 0)
        parts.append(tr("%1 waiting to be retried").arg(progress.waiting));
    if (progress.millisecondsLeft >= 0)
        parts.append(timeLeftText(progress.millisecondsLeft));
    if (!progress.auditProblem.isEmpty())
        parts.append(progress.auditProblem);
    m_detail->setText(parts.join(QStringLiteral(" · ")));
}

void DeletionProgressPanel::showSummary(const DeletionProgress &progress)
{
    m_cancel->setVisible(false);
    m_close->setVisible(true);
    const int retryable = progress.failed + progress.unknown + progress.cancelled;
    m_retry->setVisible(retryable > 0);
    m_retry->setText(progress.failed + progress.unknown > 0 ? tr("&Retry failed")
                                                            : tr("&Resume cancelled"));
    if (progress.notDeleted() == 0) {
        m_headline->setText(tr("Deleted %1 items.").arg(progress.deleted));
    } else if (progress.cancelled > 0 && progress.notDeleted() > progress.cancelled) {
        m_headline->setText(tr("Cancelled: %1 deleted, %2 not deleted, %3 not sent.")
                                .arg(progress.deleted)
                                .arg(progress.notDeleted() - progress.cancelled)
                                .arg(progress.cancelled));
    } else if (progress.cancelled > 0) {
        m_headline->setText(tr("Cancelled: %1 deleted, %2 not sent.")
                                .arg(progress.deleted)
                                .arg(progress.cancelled));
    } else {
        m_headline->setText(tr("%1 of %2 items deleted; %3 not deleted.")
                                .arg(progress.deleted)
                                .arg(progress.total)
                                .arg(progress.notDeleted()));
    }
    // What each kind of outcome means for the items that stay, in the words of the README.
    QStringList parts;
    if (progress.failed > 0)
        parts.append(tr("%1 failed: still on the service.").arg(progress.failed));
    if (progress.notPermitted > 0)
        parts.append(tr("%1 not permitted: the service keeps them.").arg(progress.notPermitted));
    if (progress.unknown > 0)
        parts.append(tr("%1 without a usable answer: they may have been deleted; refresh to see.")
                         .arg(progress.unknown));
    if (progress.changed > 0)
        parts.append(tr("%1 changed since the batch began: not sent.").arg(progress.changed));
    if (progress.cancelled > 0)
        parts.append(tr("The items not sent are still on the service."));
    if (progress.notDeleted() > progress.cancelled)
        parts.append(tr("Each one says why below."));
    if (parts.isEmpty())
        parts.append(tr("Every item was confirmed gone by its service."));
    if (!progress.auditProblem.isEmpty())
        parts.append(progress.auditProblem);
    m_detail->setText(parts.join(u' '));
}

void DeletionProgressPanel::addFailure(const DeletionItem &item)
{
    auto *row = new QTreeWidgetItem(m_failures);
    row->setText(ItemColumn, QStringLiteral("%1 %2").arg(nodeKindName(item.ref.kind), item.name));
    row->setText(AccountColumn, item.accountName);
    const QString reason = deletionStateName(item.state) + QStringLiteral(": ") + item.reason;
    row->setText(ReasonColumn, reason);
    row->setToolTip(ReasonColumn, reason);
    row->setData(ItemColumn, Qt::UserRole, item.id);
}

void DeletionProgressPanel::retryUnfinished()
{
    QList<qint64> ids;
    for (const DeletionItem &item : m_queue->items()) {
        if (isRetryable(item.state))
            ids.append(item.id);
    }
    m_failures->clear();
    m_queue->retry(ids);
}
