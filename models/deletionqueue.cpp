#include "deletionqueue.h"

#include "auditlog.h"
#include "connector.h"
#include "logging.h"
#include "networkclient.h"

#include <deque>
#include <memory>
#include <utility>

namespace Docket {

using std::chrono::milliseconds;

namespace {

// The audit trail's word for an item's outcome.
AuditEntry::Outcome auditOutcomeOf(DeletionState state)
{
    switch (state) {
    case DeletionState::Deleted:
        return AuditEntry::Outcome::Deleted;
    case DeletionState::AlreadyGone:
        return AuditEntry::Outcome::AlreadyGone;
    case DeletionState::NotPermitted:
        return AuditEntry::Outcome::NotPermitted;
    case DeletionState::Unknown:
        return AuditEntry::Outcome::Unknown;
    case DeletionState::Changed:
        return AuditEntry::Outcome::Changed;
    case DeletionState::Cancelled:
        return AuditEntry::Outcome::Cancelled;
    default:
        return AuditEntry::Outcome::Failed;
    }
}

RemoteItem remoteItemOf(const DeletionItem &item)
{
    RemoteItem remote;
    remote.ref = item.ref;
    remote.name = item.name;
    return remote;
}

} // namespace

DeletionQueue::DeletionQueue(ConnectorLookup connectors, AuditLog *audit, QObject *parent)
    : QObject(parent)
    , m_connectors(std::move(connectors))
    , m_audit(audit)
{
    qRegisterMetaType<DeletionItem>();
    qRegisterMetaType<DeletionProgress>();
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &DeletionQueue::pump);
    m_clock.start();
}

DeletionQueue::~DeletionQueue()
{
    qDeleteAll(m_lanes);
    // Batches still owed stay in the audit trail, unclaimed: the next start offers to resume.
    if (m_audit) {
        for (qint64 batch : batchesOfThisRun())
            m_audit->releaseBatch(batch);
    }
}

QSet<qint64> DeletionQueue::batchesOfThisRun() const
{
    QSet<qint64> batches;
    for (const DeletionItem &item : std::as_const(m_items))
        batches.insert(item.batchId);
    return batches;
}

qint64 DeletionQueue::submit(QList<DeletionItem> &items, QString *error)
{
    if (items.isEmpty())
        return 0;
    for (DeletionItem &item : items) {
        item.state = DeletionState::Pending;
        item.attempts = 0;
        item.mayHaveTakenEffect = false;
    }
    qint64 batchId = 0;
    if (m_audit) {
        batchId = m_audit->createBatch(items, m_origin);
        if (!batchId) {
            if (error)
                *error = tr("Nothing was deleted: the audit trail could not record the batch. %1")
                             .arg(m_audit->lastError());
            return 0;
        }
    } else {
        batchId = -m_nextLocalId; // negative: never confused with a journal's batch
        for (DeletionItem &item : items) {
            item.batchId = batchId;
            item.id = m_nextLocalId++;
        }
    }
    admit(items);
    qCInfo(lcQueue).noquote() << "batch" << batchId << "started:" << items.size() << "items from"
                              << m_origin;
    return batchId;
}

bool DeletionQueue::resume(qint64 batchId, QString *error)
{
    // A batch this queue is working on is not interrupted: claiming it again would mark its
    // requests in flight unconfirmed and send them twice.
    const bool ours = std::any_of(m_items.cbegin(), m_items.cend(), [batchId](const auto &item) {
        return item.batchId == batchId && !item.isFinished();
    });
    if (ours || (m_audit && m_audit->isClaimed(batchId))) {
        if (error)
            *error = tr("This batch is being worked on already.");
        return false;
    }
    if (!m_audit || !m_audit->claimBatch(batchId)) {
        if (error)
            *error = m_audit ? m_audit->lastError() : tr("There is no audit trail to resume from.");
        return false;
    }
    QList<DeletionItem> owed;
    for (DeletionItem item : m_audit->batchItems(batchId)) {
        if (item.isFinished())
            continue;
        item.mayHaveTakenEffect = item.state == DeletionState::Unconfirmed || item.attempts > 0;
        // Ids are all the trail has: what holds this id now may be another item (a service
        // that reuses ids, a sandbox started afresh). Looked up before anything is sent.
        item.reidentify = true;
        item.state = DeletionState::Pending;
        item.attemptsThisRun = 0;
        owed.append(item);
    }
    if (owed.isEmpty()) {
        m_audit->releaseBatch(batchId);
        return true;
    }
    admit(owed);
    qCInfo(lcQueue) << "batch" << batchId << "resumed:" << owed.size() << "items owed";
    return true;
}

void DeletionQueue::admit(const QList<DeletionItem> &items)
{
    if (m_progress.isIdle()) {
        // A new run: what the last one did stays readable until now.
        m_items.clear();
        m_order.clear();
        m_rateLimitRounds.clear();
        m_firstSentMs.clear();
        m_progress = {};
        m_clock.restart();
        for (AccountLane *lane : std::as_const(m_lanes))
            lane->pausedUntilMs = 0;
    }
    m_idleSignalled = false;
    m_cancelling = false; // a cancel covers what was owed then, not what comes after
    for (const DeletionItem &item : items) {
        AccountLane *&lane = m_lanes[item.accountId];
        if (!lane)
            lane = new AccountLane;
        lane->pending.push_back(item.id);
        m_order.append(item.id);
        ++m_progress.total;
        m_items.insert(item.id, item);
    }
    updateProgress();
    // Started from the event loop, never inside the caller's call: it may still be setting up.
    QMetaObject::invokeMethod(this, &DeletionQueue::pump, Qt::QueuedConnection);
}

int DeletionQueue::retry(const QList<qint64> &itemIds)
{
    QList<DeletionItem> again;
    for (qint64 id : itemIds) {
        const auto found = m_items.find(id);
        if (found == m_items.end() || !isRetryable(found->state))
            continue;
        again.append(*found);
    }
    if (again.isEmpty())
        return 0;
    if (m_progress.isIdle()) {
        // Time left is measured from here, not from the start of the first run.
        m_clock.restart();
        for (AccountLane *lane : std::as_const(m_lanes))
            lane->pausedUntilMs = 0;
    }
    m_idleSignalled = false;
    m_cancelling = false;
    int retried = 0;
    for (DeletionItem item : std::as_const(again)) {
        // Another Docket may have taken the batch over meanwhile: then it is not ours to send.
        if (m_audit && !m_audit->isClaimed(item.batchId) && !m_audit->claimBatch(item.batchId))
            continue;
        ++retried;
        DeletionItem &kept = m_items[item.id];
        m_rateLimitRounds.remove(item.id);
        kept.attemptsThisRun = 0;
        kept.reason.clear();
        setState(kept, DeletionState::Pending);
        if (m_audit)
            recorded(m_audit->recordState(kept), kept.batchId);
        m_lanes[kept.accountId]->pending.push_back(kept.id);
    }
    qCInfo(lcQueue) << "retrying" << retried << "items on request";
    updateProgress();
    QMetaObject::invokeMethod(this, &DeletionQueue::pump, Qt::QueuedConnection);
    return retried;
}

void DeletionQueue::cancel()
{
    QList<DeletionItem> cancelled;
    for (AccountLane *lane : std::as_const(m_lanes)) {
        QList<qint64> unsent(lane->pending.begin(), lane->pending.end());
        unsent.append(QList<qint64>(lane->lookingUp.begin(), lane->lookingUp.end()));
        lane->lookingUp.clear();
        for (qint64 id : std::as_const(unsent)) {
            DeletionItem &item = m_items[id];
            item.reason = item.mayHaveTakenEffect
                ? tr("Cancelled before it was sent again; an earlier attempt may have deleted it: "
                     "refresh to see.")
                : tr("Cancelled: not sent.");
            setState(item, DeletionState::Cancelled);
            cancelled.append(item);
        }
        lane->pending.clear();
    }
    m_cancelling = isBusy() || !cancelled.isEmpty();
    if (cancelled.isEmpty())
        return;
    if (m_audit && !m_audit->recordUnsent(cancelled, AuditEntry::Outcome::Cancelled)) {
        for (const DeletionItem &item : std::as_const(cancelled))
            recorded(false, item.batchId);
    }
    for (const DeletionItem &item : std::as_const(cancelled))
        Q_EMIT itemFinished(item);
    updateProgress();
}

QList<DeletionItem> DeletionQueue::items() const
{
    QList<DeletionItem> result;
    result.reserve(m_order.size());
    for (qint64 id : m_order)
        result.append(m_items.value(id));
    return result;
}

std::optional<DeletionItem> DeletionQueue::item(qint64 id) const
{
    const auto found = m_items.constFind(id);
    if (found == m_items.constEnd())
        return std::nullopt;
    return *found;
}

void DeletionQueue::pump()
{
    const qint64 now = m_clock.elapsed();
    qint64 nextWake = -1;
    // Collected first, sent after: send() emits signals, and a slot may add lanes.
    std::vector<qint64> due;
    for (AccountLane *lane : std::as_const(m_lanes)) {
        if (lane->pending.empty())
            continue;
        if (lane->pausedUntilMs > now) {
            const qint64 wait = lane->pausedUntilMs - now;
            nextWake = nextWake < 0 ? wait : qMin(nextWake, wait);
            continue;
        }
        for (int free = m_maxConcurrent - lane->inFlight; free > 0 && !lane->pending.empty();
             --free) {
            const qint64 id = lane->pending.front();
            due.push_back(id);
            lane->pending.pop_front();
            // A lookup takes the lane's others under the same parent with it (identify()): they
            // must still be waiting in the lane when it starts.
            const auto item = m_items.constFind(id);
            if (item != m_items.constEnd() && item->reidentify)
                break;
        }
    }
    for (size_t next = 0; next < due.size(); ++next) {
        if (m_cancelling) {
            // A slot cancelled meanwhile: what was not sent yet goes back, to be cancelled.
            for (size_t back = due.size(); back > next; --back) {
                const qint64 id = due[back - 1];
                m_lanes.value(m_items.value(id).accountId)->pending.push_front(id);
            }
            cancel();
            return;
        }
        send(due[next]);
    }
    if (nextWake >= 0 && (!m_pumpTimer.isActive() || m_pumpTimer.remainingTime() > nextWake))
        m_pumpTimer.start(int(nextWake));
}

void DeletionQueue::send(qint64 itemId)
{
    DeletionItem &item = m_items[itemId];
    Connector *connector = m_connectors(item.accountId);
    if (!connector || connector->session()->isSignedOut()) {
        item.reason = connector && !connector->session()->signedOutReason().isEmpty()
            ? connector->session()->signedOutReason()
            : tr("Not sent: the account “%1” is not signed in. Sign in, then retry.")
                  .arg(item.accountName);
        setState(item, DeletionState::Failed);
        if (m_audit)
            recorded(m_audit->recordUnsent({ item }, AuditEntry::Outcome::Failed), item.batchId);
        Q_EMIT itemFinished(item);
        updateProgress();
        return;
    }
    if (item.reidentify) {
        identify(itemId, connector);
        return;
    }

    // The request's id is chosen here, so the trail names it even if no answer ever comes.
    item.requestId = NetworkClient::newRequestId();
    qint64 attemptId = 0;
    if (m_audit) {
        // Recorded before it is sent: if Docket dies now, the next start knows it may have gone.
        const DeletionState before = item.state;
        attemptId = m_audit->recordAttempt(item);
        if (!attemptId) {
            item.state = before;
            item.reason
                = tr("Not sent: the audit trail could not record it. %1").arg(m_audit->lastError());
            setState(item, DeletionState::Failed);
            Q_EMIT itemFinished(item);
            updateProgress();
            return;
        }
        // recordAttempt() moved it to InFlight; keep the counters in step.
        const DeletionState now = item.state;
        item.state = before;
        setState(item, now);
    } else {
        ++item.attempts;
        setState(item, DeletionState::InFlight);
    }
    if (++item.attemptsThisRun == 1)
        m_firstSentMs.insert(itemId, m_clock.elapsed());
    qCInfo(lcQueue).noquote() << loggedItem(item) << "sent";
    AccountLane *lane = m_lanes.value(item.accountId);
    ++lane->inFlight;
    m_progress.current = item.name;
    const DeletionItem started = item; // slots below may change m_items

    DeleteJob *job = connector->remove(remoteItemOf(started), started.requestId);
    // Each send has its own number: an earlier job of the same item (retried since) is deleted
    // later and must not be taken for this one.
    const quint64 sendNumber = ++m_sends;
    m_outstanding.insert(itemId, { sendNumber, attemptId });
    connect(job, &ConnectorJob::finished, this, [this, itemId, sendNumber](ConnectorJob *done) {
        answered(itemId, sendNumber, static_cast<DeleteJob *>(done));
    });
    // A job deleted without an answer (its account was closed meanwhile) must not leave the item
    // in flight for ever.
    connect(job, &QObject::destroyed, this,
            [this, itemId, sendNumber] { jobLost(itemId, sendNumber); });
    Q_EMIT itemStarted(started);
    updateProgress();
}

bool DeletionQueue::identified(DeletionItem &item, const LookupJob *lookup, qsizetype index)
{
    const auto endUnsent = [this, &item](DeletionState state, const QString &reason) {
        item.reason = reason;
        setState(item, state);
        if (m_audit)
            recorded(m_audit->recordUnsent({ item }, auditOutcomeOf(state)), item.batchId);
        Q_EMIT itemFinished(item);
        return false;
    };
    const QString earlier = item.mayHaveTakenEffect
        ? u' ' + tr("An earlier attempt may have deleted it: refresh to see.")
        : QString();
    const LookupJob::Answer answer = lookup ? lookup->answer(index) : LookupJob::Answer::Failed;
    if (m_cancelling)
        return endUnsent(DeletionState::Cancelled, tr("Cancelled: not sent.") + earlier);
    if (answer == LookupJob::Answer::Failed) {
        // Stays to be identified: a retry looks again before it sends.
        const ApiError error = lookup
            ? lookup->errorOf(index)
            : ApiError::make(ApiError::Kind::Cancelled,
                             tr("the account was closed before the answer came"));
        item.error = error;
        // Not sent now; but one sent by an earlier run may have taken effect.
        return endUnsent(item.mayHaveTakenEffect ? DeletionState::Unknown : DeletionState::Failed,
                         tr("Not sent: Docket could not check that it is still the item this "
                            "batch named (%1).")
                                 .arg(error.sentence())
                             + earlier);
    }
    if (answer == LookupJob::Answer::Missing) {
        const Connector *connector = m_connectors(item.accountId);
        if (connector && connector->listingProvesAbsence(item.ref.kind)) {
            // The service's whole listing of its parent, or its own "no such item", says it is
            // not there: gone, whoever removed it.
            return endUnsent(DeletionState::AlreadyGone,
                             item.mayHaveTakenEffect
                                 ? tr("No longer on the service when resumed: the interrupted "
                                      "attempt most likely deleted it.")
                                 : tr("No longer on the service when resumed: not sent."));
        }
        return endUnsent(DeletionState::Changed,
                         tr("Not sent: it is no longer where it was.") + earlier);
    }
    const RemoteItem &now = lookup->itemOf(index);
    if (!isSameItem(item, now))
        return endUnsent(
            DeletionState::Changed,
            tr("Not sent: what is there now is called “%1”, not “%2”.").arg(now.name, item.name));
    item.reidentify = false;
    return true;
}

bool DeletionQueue::isSameItem(const DeletionItem &item, const RemoteItem &now)
{
    // An item recorded without a name (its id stood in for it) can only be checked by place.
    const bool nameKnown = !item.name.isEmpty() && item.name != item.ref.id();
    return now.ref.kind == item.ref.kind && (!nameKnown || now.name == item.name);
}

DeletionItem *DeletionQueue::takeOutstanding(qint64 itemId, quint64 sendNumber, qint64 *attemptId)
{
    const auto outstanding = m_outstanding.constFind(itemId);
    if (outstanding == m_outstanding.constEnd() || outstanding->sendNumber != sendNumber)
        return nullptr; // answered already
    *attemptId = outstanding->attemptId;
    m_outstanding.erase(outstanding);
    const auto found = m_items.find(itemId);
    if (found == m_items.end())
        return nullptr;
    if (AccountLane *lane = m_lanes.value(found->accountId))
        --lane->inFlight;
    return &*found;
}

void DeletionQueue::jobLost(qint64 itemId, quint64 sendNumber)
{
    qint64 attemptId = 0;
    DeletionItem *lost = takeOutstanding(itemId, sendNumber, &attemptId);
    if (!lost)
        return;
    DeletionItem &item = *lost;
    item.mayHaveTakenEffect = true;
    item.error = ApiError::make(ApiError::Kind::Cancelled,
                                tr("The account was closed before the answer came."));
    item.reason
        = item.error.userMessage + u' ' + tr("The delete may have happened: refresh to see.");
    setState(item, DeletionState::Unknown);
    if (m_audit)
        recorded(m_audit->recordOutcome(attemptId, item, AuditEntry::Outcome::NoAnswer),
                 item.batchId);
    Q_EMIT itemFinished(item);
    updateProgress();
    pump();
}

void DeletionQueue::answered(qint64 itemId, quint64 sendNumber, DeleteJob *job)
{
    qint64 attemptId = 0;
    DeletionItem *answeredItem = takeOutstanding(itemId, sendNumber, &attemptId);
    if (!answeredItem)
        return;
    DeletionItem &item = *answeredItem;
    const ApiError &error = job->error();
    item.error = error;
    item.httpStatus = job->httpStatus() ? job->httpStatus() : error.httpStatus;
    if (!job->requestId().isEmpty())
        item.requestId = job->requestId();

    switch (job->outcome()) {
    case DeleteOutcome::Deleted:
        item.reason.clear();
        finishItem(item, attemptId, DeletionState::Deleted);
        break;
    case DeleteOutcome::AlreadyGone:
        // Proven gone, not proven deleted by this request: an earlier attempt may have done it.
        item.reason = item.mayHaveTakenEffect
            ? tr("Gone when sent again: an earlier attempt most likely deleted it.")
            : job->note();
        finishItem(item, attemptId, DeletionState::AlreadyGone);
        break;
    case DeleteOutcome::NotPermitted:
        item.reason = error.sentence();
        finishItem(item, attemptId, DeletionState::NotPermitted);
        break;
    case DeleteOutcome::Failed:
    case DeleteOutcome::Unknown:
        settle(item, attemptId, error, job->outcome() == DeleteOutcome::Unknown);
        break;
    }
    updateProgress();
    pump();
}

void DeletionQueue::finishItem(DeletionItem &item, qint64 attemptId, DeletionState state)
{
    setState(item, state);
    if (m_audit)
        recorded(m_audit->recordOutcome(attemptId, item, auditOutcomeOf(state)), item.batchId);
    Q_EMIT itemFinished(item);
}

// A failed attempt: sent again after a pause when that may help, otherwise reported.
void DeletionQueue::settle(DeletionItem &item, qint64 attemptId, const ApiError &error,
                           bool unknown)
{
    // An answer that leaves the outcome unknown may mean the delete took effect.
    item.mayHaveTakenEffect = item.mayHaveTakenEffect || unknown;
    const bool worthRetrying = RetryPolicy::retriesAfter(error);
    int limitMinutes = 0; // when the policy's time limit stopped it
    if (worthRetrying && !m_cancelling) {
        const RetryPolicy policy = policyFor(item.accountId);
        // A 429 was refused before handling: it counts a round, not an attempt.
        const int round = RetryPolicy::isRateLimited(error) ? ++m_rateLimitRounds[item.id] : 0;
        if (const auto delay = policy.retryDelay(item.attemptsThisRun, round)) {
            const milliseconds sinceFirstSend(m_clock.elapsed() - m_firstSentMs.value(item.id));
            if (policy.leavesTimeFor(sinceFirstSend, *delay)) {
                item.reason = error.sentence();
                scheduleRetry(item, attemptId, int(delay->count()));
                return;
            }
            limitMinutes = policy.maxTotalMinutes();
        }
    }
    QString reason = error.sentence();
    if (worthRetrying && m_cancelling)
        reason += u' ' + tr("Not retried: the deleting was cancelled.");
    else if (item.attemptsThisRun > 1)
        reason += u' ' + tr("(%n attempt(s))", nullptr, item.attemptsThisRun);
    if (limitMinutes > 0)
        reason += u' '
            + tr("Not retried: a delete may take at most %n minute(s).", nullptr, limitMinutes);
    if (item.mayHaveTakenEffect)
        reason += u' ' + tr("It may have been deleted: refresh to see.");
    item.reason = reason;
    finishItem(item, attemptId,
               item.mayHaveTakenEffect ? DeletionState::Unknown : DeletionState::Failed);
}

void DeletionQueue::scheduleRetry(DeletionItem &item, qint64 attemptId, int delayMs)
{
    setState(item, DeletionState::Waiting);
    if (m_audit)
        recorded(m_audit->recordOutcome(attemptId, item, AuditEntry::Outcome::Retrying),
                 item.batchId);
    AccountLane *lane = m_lanes.value(item.accountId);
    lane->pending.push_front(item.id);
    // The whole account pauses: a failing service is not helped by more requests.
    lane->pausedUntilMs = qMax(lane->pausedUntilMs, m_clock.elapsed() + delayMs);
    qCInfo(lcQueue).noquote() << loggedItem(item) << "retrying in" << delayMs
                              << "ms; its account waits as long";
    Q_EMIT itemRetrying(item, delayMs);
}

RetryPolicy DeletionQueue::policyFor(const QString &accountId) const
{
    const Connector *connector = m_connectors(accountId);
    if (!connector)
        return retryPolicy();
    RetryPolicy policy = m_policy.value_or(connector->session()->retryPolicy());
    policy.requestTimeoutMs = connector->session()->network()->defaultTimeout();
    return policy;
}

void DeletionQueue::setState(DeletionItem &item, DeletionState state)
{
    const auto adjust = [this](DeletionState which, int delta) {
        switch (which) {
        case DeletionState::Deleted:
        case DeletionState::AlreadyGone:
            m_progress.deleted += delta;
            break;
        case DeletionState::Failed:
            m_progress.failed += delta;
            break;
        case DeletionState::NotPermitted:
            m_progress.notPermitted += delta;
            break;
        case DeletionState::Unknown:
            m_progress.unknown += delta;
            break;
        case DeletionState::Changed:
            m_progress.changed += delta;
            break;
        case DeletionState::Cancelled:
            m_progress.cancelled += delta;
            break;
        case DeletionState::InFlight:
            m_progress.inFlight += delta;
            break;
        case DeletionState::Waiting:
            m_progress.waiting += delta;
            break;
        default:
            break;
        }
    };
    adjust(item.state, -1);
    adjust(state, +1);
    item.state = state;
    item.updated = QDateTime::currentDateTimeUtc();
    if (isOutcome(state)) {
        qCInfo(lcQueue).noquote() << loggedItem(item) << "ended";
        // Rounds matter only while an item is owed (retry() starts them afresh). updateProgress()
        // walks them on every change: keeping finished items would make a 429 storm quadratic.
        m_rateLimitRounds.remove(item.id);
        m_firstSentMs.remove(item.id);
    }
}

void DeletionQueue::updateProgress()
{
    const int done = m_progress.finished();
    if (done > 0 && done < m_progress.total) {
        // The pace so far, over the whole run: steadier than the last few answers.
        m_progress.millisecondsLeft = m_clock.elapsed() * (m_progress.total - done) / done;
    } else {
        m_progress.millisecondsLeft = done == m_progress.total ? 0 : -1;
    }
    m_progress.rateLimited = false;
    for (auto rounds = m_rateLimitRounds.cbegin(); rounds != m_rateLimitRounds.cend(); ++rounds) {
        const auto item = m_items.constFind(rounds.key());
        if (item != m_items.constEnd() && item->state == DeletionState::Waiting) {
            m_progress.rateLimited = true;
            break;
        }
    }
    Q_EMIT progressChanged(m_progress);
    if (m_progress.isIdle() && !m_idleSignalled) {
        m_idleSignalled = true;
        m_cancelling = false;
        qCInfo(lcQueue) << "run finished:" << m_progress.total << "items," << m_progress.deleted
                        << "gone," << m_progress.notDeleted() << "not deleted";
        releaseFinishedBatches();
        Q_EMIT finished(m_progress);
    }
}

void DeletionQueue::recorded(bool ok, qint64 batchId)
{
    if (ok)
        return;
    // The journal may now say less than happened: keep the batch claimed for this run (the next
    // start offers it again, and resuming costs at most a 404), and say so.
    m_unrecorded.insert(batchId);
    qCInfo(lcQueue) << "batch" << batchId << "kept claimed: a journal write failed";
    m_progress.auditProblem
        = tr("The audit trail could not record everything: %1").arg(m_audit->lastError());
}

void DeletionQueue::releaseFinishedBatches()
{
    if (!m_audit)
        return;
    for (qint64 batch : batchesOfThisRun()) {
        if (!m_unrecorded.contains(batch))
            m_audit->releaseBatch(batch);
    }
}

} // namespace Docket
