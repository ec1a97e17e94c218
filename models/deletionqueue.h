#pragma once

#include "apierror.h"
#include "deletionitem.h"
#include "retrypolicy.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

namespace Docket {

class AuditLog;
class Connector;
class DeleteJob;
class LookupJob;
struct RemoteItem;

// Deletes many items, each to an outcome: used by the window and by docket-cli.
//
// - Items are sent in the order submitted, at most maxConcurrentPerAccount at a time per account;
//   each account's session also keeps its requests within the service's rate limit (Scriptix:
//   60 a minute) and waits out 429s.
// - A failure worth retrying pauses that account's new requests for a back-off (doubling, with
//   jitter) and sends the item again, within the account's RetryPolicy: its attempts, its 429
//   rounds, and its maxTotalTime() from the item's first send. Each answer's outcome is the
//   connector's verdict
//   (Connector::judgeDeleteAnswer()); an item that was sent without a usable answer and never
//   proven either way ends Unknown, never Deleted.
// - cancel() lets requests in flight finish and sends nothing more.
// - With an AuditLog, each batch is saved before its first request, each attempt before it is
//   sent and each answer when it comes: a batch survives Docket being killed and can be resumed.
//
// Nothing blocks: everything happens on the event loop, in the signals below.
class DeletionQueue : public QObject
{
    Q_OBJECT

public:
    using ConnectorLookup = std::function<Connector *(const QString &accountId)>;

    // `connectors` finds the connector of an account (null when it is not open); `audit` may be
    // null (then nothing survives a restart).
    DeletionQueue(ConnectorLookup connectors, AuditLog *audit, QObject *parent = nullptr);
    ~DeletionQueue() override;

    void setMaxConcurrentPerAccount(int count) { m_maxConcurrent = qMax(1, count); }
    int maxConcurrentPerAccount() const { return m_maxConcurrent; }
    // The numbers for every account instead of each account's own (AccountSession::retryPolicy()):
    // the tests' quick back-offs, docket-cli's --retries.
    void setRetryPolicy(const RetryPolicy &policy) { m_policy = policy; }
    RetryPolicy retryPolicy() const { return m_policy.value_or(RetryPolicy()); }
    // "window" or "cli": recorded with each batch.
    void setOrigin(const QString &origin) { m_origin = origin; }
    AuditLog *auditLog() const { return m_audit; }

    // Saves the items as one batch (before anything is sent), gives each its id, and starts on
    // them. Returns the batch id, or 0 when the audit trail could not save it (*error says why;
    // nothing was sent).
    qint64 submit(QList<DeletionItem> &items, QString *error = nullptr);
    // Takes over a batch that a stopped Docket left (AuditLog::interruptedBatches()) and sends
    // what was never confirmed. Returns false (with *error) if it cannot be claimed.
    bool resume(qint64 batchId, QString *error = nullptr);
    // Sends again items that failed or were cancelled (ids from items()).
    int retry(const QList<qint64> &itemIds);
    // Sends nothing more: requests in flight finish, every item not sent becomes Cancelled.
    void cancel();

    bool isBusy() const { return !m_progress.isIdle(); }
    DeletionProgress progress() const { return m_progress; }
    // Everything submitted since the queue was last idle (and, once idle, until the next submit).
    QList<DeletionItem> items() const;
    std::optional<DeletionItem> item(qint64 id) const;

Q_SIGNALS:
    void itemStarted(const Docket::DeletionItem &item);
    // The item reached an outcome (Deleted, AlreadyGone, Failed or Cancelled).
    void itemFinished(const Docket::DeletionItem &item);
    // A failure that will be retried after `milliseconds`.
    void itemRetrying(const Docket::DeletionItem &item, int milliseconds);
    void progressChanged(const Docket::DeletionProgress &progress);
    // Every item has an outcome.
    void finished(const Docket::DeletionProgress &progress);

private:
    // One account's share of the queue: what it has still to send, what is out (DELETEs and
    // lookups), and how long it pauses after a failure.
    struct AccountLane
    {
        std::deque<qint64> pending; // front goes first (retries are put there)
        // Resumed items whose lookup is out (out of `pending` meanwhile): cancel() ends them at
        // once, as it ends what is pending, so that no later admit() or retry() sends them.
        QSet<qint64> lookingUp;
        int inFlight = 0;
        qint64 pausedUntilMs = 0; // on m_clock
    };
    void admit(const QList<DeletionItem> &items);
    void pump();
    void send(qint64 itemId);
    // A resumed item is looked up where it was before it is sent, together with the other
    // resumed items of its lane under the same parent (one read of the parent's listing for all
    // of them, holding one of the account's places meanwhile: deletionqueuelookups.cpp).
    // identified() keeps an item to be sent only if it is still the item the batch named (its
    // kind and name; true), and ends it otherwise; those kept go back to the front of their lane.
    void identify(qint64 itemId, Connector *connector);
    bool identified(DeletionItem &item, const LookupJob *lookup, qsizetype index);
    static bool isSameItem(const DeletionItem &item, const RemoteItem &now);
    void answered(qint64 itemId, quint64 sendNumber, DeleteJob *job);
    void jobLost(qint64 itemId, quint64 sendNumber);
    // The item whose send `sendNumber` ended, taken off the outstanding sends and its lane's count
    // in flight; null when that send was answered already or the item is gone. `attemptId`: the
    // send's attempt in the audit trail.
    DeletionItem *takeOutstanding(qint64 itemId, quint64 sendNumber, qint64 *attemptId);
    // A failed or unknown answer: sent again after a pause when that may help, otherwise the
    // item ends Failed, or Unknown when any attempt may have taken effect.
    void settle(DeletionItem &item, qint64 attemptId, const ApiError &error, bool unknown);
    // The item reaches `state`, an outcome: recorded, then announced.
    void finishItem(DeletionItem &item, qint64 attemptId, DeletionState state);
    void scheduleRetry(DeletionItem &item, qint64 attemptId, int delayMs);
    void setState(DeletionItem &item, DeletionState state);
    // The account's policy (or the queue's, when set), with the timeout its requests really have.
    RetryPolicy policyFor(const QString &accountId) const;
    void updateProgress();
    void releaseFinishedBatches();
    QSet<qint64> batchesOfThisRun() const;
    // After each journal write: a failure keeps the batch claimed and is reported in progress.
    void recorded(bool ok, qint64 batchId);

    ConnectorLookup m_connectors;
    AuditLog *m_audit;
    std::optional<RetryPolicy> m_policy;
    QString m_origin = QStringLiteral("window");
    int m_maxConcurrent = 8;
    qint64 m_nextLocalId = 1; // item ids when there is no audit trail

    QHash<qint64, DeletionItem> m_items; // by item id
    QList<qint64> m_order; // submission order
    QHash<QString, AccountLane *> m_lanes; // by account id
    QHash<qint64, int> m_rateLimitRounds; // per item
    // Per item owed: its first send this run, on m_clock. The policy's time limit counts from
    // there, not from its wait for its turn behind other items.
    QHash<qint64, qint64> m_firstSentMs;
    QSet<qint64> m_unrecorded; // batches with a journal write that failed
    struct Outstanding
    {
        quint64 sendNumber = 0;
        qint64 attemptId = 0; // in the audit trail (0: none)
    };
    QHash<qint64, Outstanding> m_outstanding; // by item id, while its DELETE is out
    quint64 m_sends = 0;
    QTimer m_pumpTimer; // wakes the queue when a back-off ends
    QElapsedTimer m_clock; // since the queue last became busy, for the time left
    bool m_idleSignalled = true;
    bool m_cancelling = false; // until idle: nothing more is sent, nothing retried
    DeletionProgress m_progress;
};

} // namespace Docket
