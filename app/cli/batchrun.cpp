#include "batchrun.h"

#include "clicontext.h"
#include "interruptwatcher.h"
#include "itemformat.h"

#include <cstdio>

using namespace Docket;

namespace {

// Redraws of the progress line: often enough to look alive, seldom enough to cost nothing.
constexpr qint64 progressIntervalMs = 100;

} // namespace

BatchRun::BatchRun(CliContext *context, AuditLog *audit, DeletionQueue::ConnectorLookup connectors,
                   PathOf pathOf, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_queue(std::move(connectors), audit)
    , m_pathOf(std::move(pathOf))
    , m_showProgress(Terminal::showsErrors())
{
    m_queue.setOrigin(QStringLiteral("cli"));
    connect(&m_queue, &DeletionQueue::itemFinished, this, &BatchRun::itemFinished);
    connect(&m_queue, &DeletionQueue::itemRetrying, this, &BatchRun::itemRetrying);
    connect(&m_queue, &DeletionQueue::progressChanged, this,
            [this](const DeletionProgress &progress) { showProgress(progress); });
    connect(&m_queue, &DeletionQueue::finished, this, &BatchRun::done);
    // Ctrl+C cancels like the window's Cancel; a second one stops at once.
    connect(new InterruptWatcher(this), &InterruptWatcher::interrupted, this, [this] {
        const int out = m_queue.progress().inFlight;
        note(tr("Cancelling: %n delete(s) already sent will finish; nothing more is sent. "
                "Ctrl+C again stops at once (`resume` can finish the batch later).",
                nullptr, out));
        m_queue.cancel();
    });
}

void BatchRun::setRetries(int retries)
{
    if (retries < 0)
        return;
    RetryPolicy policy = m_queue.retryPolicy();
    policy.maxAttempts = 1 + retries;
    m_queue.setRetryPolicy(policy);
}

qint64 BatchRun::submit(QList<DeletionItem> &items, QString *error)
{
    m_clock.start();
    return m_queue.submit(items, error);
}

bool BatchRun::resume(qint64 batchId, QString *error)
{
    m_clock.start();
    if (!m_queue.resume(batchId, error))
        return false;
    // Nothing was owed after all: the queue has nothing to finish, so say so from here.
    if (!m_queue.isBusy())
        QMetaObject::invokeMethod(this, &BatchRun::done, Qt::QueuedConnection);
    return true;
}

QString BatchRun::outcomeId(const DeletionItem &item)
{
    return deletionStateId(item.state);
}

QJsonObject BatchRun::summary() const
{
    QHash<DeletionState, int> counts;
    const QList<DeletionItem> all = m_queue.items();
    for (const DeletionItem &item : all)
        ++counts[item.state];
    return { { QStringLiteral("total"), int(all.size()) },
             { QStringLiteral("deleted"), counts.value(DeletionState::Deleted) },
             { QStringLiteral("alreadyGone"), counts.value(DeletionState::AlreadyGone) },
             { QStringLiteral("notPermitted"), counts.value(DeletionState::NotPermitted) },
             { QStringLiteral("failed"), counts.value(DeletionState::Failed) },
             { QStringLiteral("unknown"), counts.value(DeletionState::Unknown) },
             { QStringLiteral("changed"), counts.value(DeletionState::Changed) },
             { QStringLiteral("cancelled"), counts.value(DeletionState::Cancelled) },
             { QStringLiteral("seconds"), double(m_clock.elapsed()) / 1000.0 } };
}

void BatchRun::itemFinished(const DeletionItem &item)
{
    const QString path = m_pathOf(item);
    // What a service says reaches the terminal as inert text.
    const QString reason = printable(item.reason);
    switch (item.state) {
    case DeletionState::Deleted:
        print(tr("deleted   %1").arg(path));
        break;
    case DeletionState::AlreadyGone:
        print(reason.isEmpty() ? tr("gone      %1 (already gone)").arg(path)
                               : tr("gone      %1 (%2)").arg(path, reason));
        break;
    case DeletionState::NotPermitted:
        note(tr("REFUSED   %1: not permitted. %2").arg(path, reason));
        break;
    case DeletionState::Failed:
        note(tr("FAILED    %1: %2").arg(path, reason));
        break;
    case DeletionState::Unknown:
        note(tr("UNKNOWN   %1: %2").arg(path, reason));
        break;
    case DeletionState::Changed:
        note(tr("CHANGED   %1: %2").arg(path, reason));
        break;
    case DeletionState::Cancelled:
        note(tr("cancelled %1: %2").arg(path, reason));
        break;
    default:
        break;
    }
}

void BatchRun::itemRetrying(const DeletionItem &item, int milliseconds)
{
    note(tr("retrying  %1 in %2 s: %3")
             .arg(m_pathOf(item), QString::number(double(milliseconds) / 1000.0, 'f', 1),
                  printable(item.reason)));
}

void BatchRun::showProgress(const DeletionProgress &progress, bool force)
{
    if (!m_showProgress || progress.total == 0)
        return;
    if (!force && m_sinceDrawn.isValid() && m_sinceDrawn.elapsed() < progressIntervalMs)
        return;
    m_sinceDrawn.start();
    QString line = tr("%1 of %2 done").arg(progress.finished()).arg(progress.total);
    if (progress.failed)
        line += u", " + tr("%n failed", nullptr, progress.failed);
    if (progress.rateLimited)
        line += u", " + tr("slowed down by the service");
    if (progress.millisecondsLeft > 0)
        line += u", "
            + tr("about %1 left")
                  .arg(formatDuration(int((progress.millisecondsLeft + 999) / 1000)));
    if (!progress.current.isEmpty())
        line += QStringLiteral(" — ") + printable(progress.current);
    // Kept to one line of an ordinary terminal, or it would scroll instead of being redrawn.
    if (line.size() > 79)
        line = line.left(78) + u'…';
    const int width = int(line.size());
    if (width < m_progressWidth)
        line += QString(m_progressWidth - width, u' ');
    std::fputs((u'\r' + line).toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    m_progressWidth = width;
}

void BatchRun::clearProgress()
{
    if (m_progressWidth == 0)
        return;
    std::fputs((u'\r' + QString(m_progressWidth, u' ') + u'\r').toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    m_progressWidth = 0;
}

void BatchRun::print(const QString &line)
{
    clearProgress();
    m_context->print(line);
    std::fflush(stdout);
}

void BatchRun::note(const QString &line)
{
    clearProgress();
    m_context->note(line);
}

void BatchRun::done()
{
    clearProgress();
    const QJsonObject counts = summary();
    const int gone = counts.value(QStringLiteral("deleted")).toInt()
        + counts.value(QStringLiteral("alreadyGone")).toInt();
    QString line
        = tr("%1 of %2 deleted").arg(gone).arg(counts.value(QStringLiteral("total")).toInt());
    if (const int already = counts.value(QStringLiteral("alreadyGone")).toInt())
        line += QStringLiteral(" (") + tr("%n already gone", nullptr, already) + u')';
    if (const int refused = counts.value(QStringLiteral("notPermitted")).toInt())
        line += u", " + tr("%n not permitted", nullptr, refused);
    if (const int failed = counts.value(QStringLiteral("failed")).toInt())
        line += u", " + tr("%n failed", nullptr, failed);
    if (const int unknown = counts.value(QStringLiteral("unknown")).toInt())
        line += u", " + tr("%n unknown (may have been deleted)", nullptr, unknown);
    if (const int changed = counts.value(QStringLiteral("changed")).toInt())
        line += u", " + tr("%n changed (not sent)", nullptr, changed);
    if (const int cancelled = counts.value(QStringLiteral("cancelled")).toInt())
        line += u", " + tr("%n cancelled", nullptr, cancelled);
    line += u", "
        + tr("in %1 s").arg(
            QString::number(counts.value(QStringLiteral("seconds")).toDouble(), 'f', 1))
        + u'.';
    m_context->note(line);
    Q_EMIT finished();
}
