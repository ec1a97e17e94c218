// DeletionQueue and AuditLog against the real docket-sandbox: every item reaches an outcome, the
// audit trail says what happened (and never holds a secret), retries, back-off on 429, cancel,
// concurrency per account, resuming a batch a stopped Docket left, CSV export.

#include "accountsession.h"
#include "auditlog.h"
#include "connectedaccount.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "credentialstore.h"
#include "deletionqueue.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Docket;

namespace {

const QString service = QStringLiteral("scriptix");

// A Scriptix account as the app builds it.
using Client = ConnectedAccount<ScriptixConnector>;

// Quick retries: the suite must not wait real back-offs.
RetryPolicy quickRetries(int maxAttempts = 5)
{
    RetryPolicy policy;
    policy.maxAttempts = maxAttempts;
    policy.firstBackoffMs = 20;
    policy.maxBackoffMs = 200;
    return policy;
}

} // namespace

class TestDeletionQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void deletesEveryItemAndAuditsEachRequest();
    void concurrencyIsBoundedPerAccount();
    void retriesServerErrorsUntilDeleted();
    void retriedDeleteMeetingNotFoundIsAlreadyGone();
    void firstNotFoundIsAlreadyGone();
    void givesUpAfterMaxAttemptsWithTheReason();
    void refusalsAreNotRetried();
    void rateLimitStormDropsNothing();
    void cancelLetsRequestsInFlightFinish();
    void failedItemsCanBeRetried();
    void accountNotOpenIsReportedNotSent();
    void resumesABatchAStoppedDocketLeft();
    void resumeSendsOnlyWhatIsStillTheSameItem();
    void discardingAnInterruptedBatchCancelsWhatIsOwed();
    void batchOfARunningDocketIsNotInterrupted();
    void auditTrailNeverHoldsASecret();
    void auditFilterFindsByTextAndOutcome();
    void csvExportQuotesAndDefusesFormulas();
    void unwritableAuditTrailSendsNothing();
    void closingTheAccountMidBatchEndsItsItems();
    void newItemsAfterACancelAreRetriedAsUsual();
    void retryGivesFailedItemsFreshAttempts();
    void aBatchInProgressCannotBeResumedTwice();

private:
    // `accountId`: a fixed one for a test that plays two runs of Docket; else a new one.
    std::unique_ptr<Client> makeClient(const QString &accountId = {});
    QString token() const
    {
        return m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    }
    // The demo token's live sessions, by id.
    QStringList liveSessionIds();
    QStringList deletedSessionIds();
    QList<DeletionItem> itemsFor(const QStringList &sessionIds, const QString &accountId);
    std::unique_ptr<DeletionQueue> makeQueue(Client *client, AuditLog *audit);
    bool addFault(const QString &mode, const QJsonObject &extra = {})
    {
        QJsonObject rule = extra;
        rule.insert(QStringLiteral("service"), service);
        rule.insert(QStringLiteral("route"), QStringLiteral("session.delete"));
        rule.insert(QStringLiteral("mode"), mode);
        return m_sandbox.addFault(rule);
    }
    static bool waitIdle(DeletionQueue *queue, int timeoutMs = 20000)
    {
        return QTest::qWaitFor([queue] { return !queue->isBusy(); }, timeoutMs);
    }

    // 200 sessions; the rate limit lifted, except where a test injects 429s.
    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("200"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
    QTemporaryDir m_dir;
};

void TestDeletionQueue::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
}

void TestDeletionQueue::init()
{
    QVERIFY(m_sandbox.reset());
}

std::unique_ptr<Client> TestDeletionQueue::makeClient(const QString &accountId)
{
    Account account;
    account.id
        = accountId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : accountId;
    account.service = ServiceKind::Scriptix;
    account.name = QStringLiteral("Queue test");
    account.baseUrl = m_sandbox.baseUrl(service);
    account.requestsPerMinute = 0;
    auto client = std::make_unique<Client>();
    openSignedIn(*client, account, token());
    return client;
}

QStringList TestDeletionQueue::liveSessionIds()
{
    QStringList ids;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject session = value.toObject();
        if (session.value(QStringLiteral("owner")).toString() == token()
            && !session.value(QStringLiteral("deleted")).toBool())
            ids.append(session.value(QStringLiteral("session_id")).toString());
    }
    return ids;
}

QStringList TestDeletionQueue::deletedSessionIds()
{
    return m_sandbox.deletedIds(service, QStringLiteral("sessions"));
}

QList<DeletionItem> TestDeletionQueue::itemsFor(const QStringList &sessionIds,
                                                const QString &accountId)
{
    // Named as Scriptix lists them, as the tree and docket-cli record them: a resume checks the
    // name before it sends.
    QHash<QString, QString> names;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject session = value.toObject();
        names.insert(session.value(QStringLiteral("session_id")).toString(),
                     session.value(QStringLiteral("filename")).toString());
    }
    QList<DeletionItem> items;
    for (const QString &id : sessionIds) {
        DeletionItem item;
        item.accountId = accountId;
        item.accountName = QStringLiteral("Scriptix — Queue test");
        item.service = ServiceKind::Scriptix;
        item.ref = NodeRef { NodeKind::ScriptixSession, { id } };
        item.name = names.value(id, QStringLiteral("Session %1").arg(id));
        items.append(item);
    }
    return items;
}

std::unique_ptr<DeletionQueue> TestDeletionQueue::makeQueue(Client *client, AuditLog *audit)
{
    const QString accountId = client->session->account().id;
    Connector *connector = client->connector.get();
    auto queue = std::make_unique<DeletionQueue>(
        [accountId, connector](const QString &id) { return id == accountId ? connector : nullptr; },
        audit);
    queue->setRetryPolicy(quickRetries());
    return queue;
}

void TestDeletionQueue::deletesEveryItemAndAuditsEachRequest()
{
    auto client = makeClient();
    AuditLog audit(m_dir.filePath(QStringLiteral("every.sqlite")));
    QVERIFY2(audit.open(nullptr), qPrintable(audit.lastError()));
    auto queue = makeQueue(client.get(), &audit);
    QSignalSpy finished(queue.get(), &DeletionQueue::finished);
    QSignalSpy itemFinished(queue.get(), &DeletionQueue::itemFinished);

    const QStringList targets = liveSessionIds().mid(0, 40);
    QList<DeletionItem> items = itemsFor(targets, client->session->account().id);
    const qint64 batch = queue->submit(items);
    QVERIFY(batch > 0);
    for (const DeletionItem &item : std::as_const(items))
        QVERIFY(item.id > 0);
    // Saved before anything was sent (nothing is sent inside submit()).
    const QList<DeletionItem> saved = audit.batchItems(batch);
    QCOMPARE(saved.size(), 40);
    for (const DeletionItem &item : saved)
        QCOMPARE(item.state, DeletionState::Pending);

    QVERIFY(finished.size() == 1 || finished.wait(20000));
    for (const DeletionItem &item : queue->items())
        QVERIFY2(item.state == DeletionState::Deleted, qPrintable(item.reason));
    QCOMPARE(itemFinished.size(), 40);
    QCOMPARE(queue->progress().deleted, 40);
    QCOMPARE(queue->progress().failed, 0);
    QVERIFY(!queue->isBusy());

    // The server's truth: exactly these sessions went.
    const QStringList deleted = deletedSessionIds();
    QCOMPARE(QSet<QString>(deleted.cbegin(), deleted.cend()),
             QSet<QString>(targets.cbegin(), targets.cend()));
    // The trail: one line per request, with the request id the server logged.
    const QList<AuditEntry> entries = audit.entries();
    QCOMPARE(entries.size(), 40);
    QSet<QString> loggedIds;
    for (const QJsonValue &request :
         m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray()) {
        if (request.toObject().value(QStringLiteral("route")).toString()
            == QLatin1String("session.delete"))
            loggedIds.insert(request.toObject().value(QStringLiteral("requestId")).toString());
    }
    for (const AuditEntry &entry : entries) {
        QCOMPARE(entry.outcome, AuditEntry::Outcome::Deleted);
        QCOMPARE(entry.httpStatus, 204); // Scriptix answers a session delete with 204
        QCOMPARE(entry.attempt, 1);
        QCOMPARE(entry.kind, NodeKind::ScriptixSession);
        QCOMPARE(entry.service, ServiceKind::Scriptix);
        QVERIFY(targets.contains(entry.itemRef));
        QVERIFY2(entry.name.startsWith(QStringLiteral("telehealth-")) || entry.name.contains(u'.'),
                 qPrintable(entry.name)); // as Scriptix names it, not its id
        QVERIFY(entry.name != entry.itemRef);
        QVERIFY2(loggedIds.contains(QString::fromLatin1(entry.requestId)), entry.requestId);
        QVERIFY(entry.answered >= entry.time);
    }
    for (const DeletionItem &item : audit.batchItems(batch))
        QCOMPARE(item.state, DeletionState::Deleted);
    // Nothing is owed: no batch to resume.
    QVERIFY(audit.interruptedBatches().isEmpty());
}

void TestDeletionQueue::concurrencyIsBoundedPerAccount()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setMaxConcurrentPerAccount(3);
    QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 150 } }));
    int mostInFlight = 0;
    connect(queue.get(), &DeletionQueue::progressChanged, this,
            [&mostInFlight](const DeletionProgress &progress) {
                mostInFlight = qMax(mostInFlight, progress.inFlight);
            });
    QList<DeletionItem> items
        = itemsFor(liveSessionIds().mid(0, 12), client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(mostInFlight, 3);
    QCOMPARE(queue->progress().deleted, 12);
    QCOMPARE(deletedSessionIds().size(), 12);
}

void TestDeletionQueue::retriesServerErrorsUntilDeleted()
{
    auto client = makeClient();
    AuditLog audit(QStringLiteral(":memory:"));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    queue->setRetryPolicy(quickRetries(8));
    // A burst: the next 6 deletes meet 500, then 503, then a reset.
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 500 }, { QStringLiteral("count"), 3 } }));
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 503 }, { QStringLiteral("count"), 3 } }));
    QSignalSpy retrying(queue.get(), &DeletionQueue::itemRetrying);
    const QStringList targets = liveSessionIds().mid(0, 4);
    QList<DeletionItem> items = itemsFor(targets, client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().deleted, 4);
    QCOMPARE(queue->progress().failed, 0);
    QCOMPARE(retrying.size(), 6);
    QCOMPARE(deletedSessionIds().size(), 4);
    int retried = 0;
    for (const AuditEntry &entry : audit.entries())
        retried += entry.outcome == AuditEntry::Outcome::Retrying;
    QCOMPARE(retried, 6);
}

void TestDeletionQueue::retriedDeleteMeetingNotFoundIsAlreadyGone()
{
    auto client = makeClient();
    AuditLog audit(QStringLiteral(":memory:"));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    // The sandbox deletes at once but answers after 3 s; the client gives up after 1.5 s. The
    // retry then meets Scriptix's own 404: gone, most likely by the first request, though that
    // was never proven: "already gone", not "deleted".
    QVERIFY(addFault(QStringLiteral("latency"),
                     { { QStringLiteral("latencyMs"), 3000 }, { QStringLiteral("count"), 1 } }));
    const QString target = liveSessionIds().first();
    QList<DeletionItem> items = itemsFor({ target }, client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    const DeletionItem done = queue->items().first();
    QCOMPARE(done.state, DeletionState::AlreadyGone);
    QCOMPARE(done.attempts, 2);
    QCOMPARE(done.httpStatus, 404);
    QVERIFY(done.reason.contains(QStringLiteral("earlier attempt")));
    QCOMPARE(deletedSessionIds(), QStringList { target });
    const QList<AuditEntry> entries = audit.entries();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).outcome, AuditEntry::Outcome::AlreadyGone); // newest first
    QCOMPARE(entries.at(1).outcome, AuditEntry::Outcome::Retrying);
}

void TestDeletionQueue::firstNotFoundIsAlreadyGone()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    QList<DeletionItem> items
        = itemsFor({ QStringLiteral("sess_doesnotexist") }, client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->items().first().state, DeletionState::AlreadyGone);
    QCOMPARE(queue->items().first().attempts, 1);
    QCOMPARE(queue->progress().deleted, 1);
}

void TestDeletionQueue::givesUpAfterMaxAttemptsWithTheReason()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setRetryPolicy(quickRetries(3));
    QVERIFY(addFault(QStringLiteral("status"), { { QStringLiteral("status"), 502 } }));
    const QString target = liveSessionIds().first();
    QList<DeletionItem> items = itemsFor({ target }, client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    const DeletionItem done = queue->items().first();
    // A 502 may come after the service handled the request: without a usable answer the
    // outcome is unknown, never "failed" as if it were known to be there.
    QCOMPARE(done.state, DeletionState::Unknown);
    QCOMPARE(done.attempts, 3);
    QCOMPARE(done.httpStatus, 502);
    QVERIFY2(done.reason.contains(QStringLiteral("3 attempt")), qPrintable(done.reason));
    QVERIFY2(done.reason.contains(QStringLiteral("may have been deleted")),
             qPrintable(done.reason));
    QCOMPARE(queue->progress().unknown, 1);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 3);
    QVERIFY(liveSessionIds().contains(target));
}

void TestDeletionQueue::refusalsAreNotRetried()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    // Scriptix's own 403 is its refusal: not permitted, and not sent again.
    QVERIFY(addFault(QStringLiteral("status"), { { QStringLiteral("status"), 403 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().notPermitted, 2);
    for (const DeletionItem &item : queue->items()) {
        QCOMPARE(item.state, DeletionState::NotPermitted);
        QCOMPARE(item.attempts, 1);
        QCOMPARE(item.httpStatus, 403);
        QVERIFY(!item.reason.isEmpty());
    }
    // A refusal is not retried from the summary either.
    QCOMPARE(queue->retry({ queue->items().first().id }), 0);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 2);
}

void TestDeletionQueue::rateLimitStormDropsNothing()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    // 40 answers of 429 with Retry-After: 1 — more than the session's own retries for any one
    // request if the queue did not wait them out too.
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 429 },
                       { QStringLiteral("retryAfter"), 1 },
                       { QStringLiteral("count"), 40 } }));
    const QStringList targets = liveSessionIds().mid(0, 10);
    QList<DeletionItem> items = itemsFor(targets, client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get(), 60000));
    QCOMPARE(queue->progress().deleted, 10);
    QCOMPARE(queue->progress().failed, 0);
    QCOMPARE(deletedSessionIds().size(), 10);
    QVERIFY(client->session->rateLimitWaits() > 0);
    // 429s are refused before handling: none counts as an attempt that may have taken effect.
    for (const DeletionItem &item : queue->items())
        QVERIFY(item.reason.isEmpty());
}

void TestDeletionQueue::cancelLetsRequestsInFlightFinish()
{
    auto client = makeClient();
    AuditLog audit(QStringLiteral(":memory:"));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    queue->setMaxConcurrentPerAccount(2);
    QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 300 } }));
    QList<DeletionItem> items
        = itemsFor(liveSessionIds().mid(0, 20), client->session->account().id);
    QSignalSpy started(queue.get(), &DeletionQueue::itemStarted);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(started.wait(5000));
    QTRY_COMPARE(queue->progress().inFlight, 2);
    queue->cancel();
    QCOMPARE(queue->progress().cancelled, 18);
    QVERIFY(queue->isBusy()); // two still out
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().deleted, 2);
    QCOMPARE(queue->progress().cancelled, 18);
    QCOMPARE(deletedSessionIds().size(), 2);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 2);
    AuditQuery cancelled;
    cancelled.outcome = AuditEntry::Outcome::Cancelled;
    QCOMPARE(audit.entries(cancelled).size(), 18);
}

void TestDeletionQueue::failedItemsCanBeRetried()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 409 }, { QStringLiteral("count"), 2 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 5), client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().failed, 2);
    QList<qint64> failed;
    for (const DeletionItem &item : queue->items()) {
        if (item.state == DeletionState::Failed)
            failed.append(item.id);
    }
    QCOMPARE(queue->retry(failed), 2);
    QVERIFY(waitIdle(queue.get()));
    // The same run: 5 of 5, none failed.
    QCOMPARE(queue->progress().total, 5);
    QCOMPARE(queue->progress().deleted, 5);
    QCOMPARE(queue->progress().failed, 0);
    QCOMPARE(deletedSessionIds().size(), 5);
}

void TestDeletionQueue::accountNotOpenIsReportedNotSent()
{
    auto client = makeClient();
    AuditLog audit(QStringLiteral(":memory:"));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), QStringLiteral("closed"));
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().failed, 2);
    QVERIFY(queue->items().first().reason.contains(QStringLiteral("not signed in")));
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 0);
    AuditQuery failed;
    failed.outcome = AuditEntry::Outcome::Failed;
    const QList<AuditEntry> entries = audit.entries(failed);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.first().attempt, 0); // recorded, never sent
}

void TestDeletionQueue::resumesABatchAStoppedDocketLeft()
{
    const QString path = m_dir.filePath(QStringLiteral("resume.sqlite"));
    const QStringList targets = liveSessionIds().mid(0, 30);
    qint64 batch = 0;
    {
        // A first Docket: every answer takes 400 ms, and it stops after a few answers, with
        // requests out (the server handles them: they happen at once).
        auto client = makeClient(QStringLiteral("resume-account"));
        AuditLog audit(path);
        QVERIFY(audit.open(nullptr));
        auto queue = makeQueue(client.get(), &audit);
        queue->setMaxConcurrentPerAccount(4);
        QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 400 } }));
        QList<DeletionItem> items = itemsFor(targets, client->session->account().id);
        batch = queue->submit(items);
        QVERIFY(batch > 0);
        QTRY_VERIFY_WITH_TIMEOUT(queue->progress().deleted >= 4, 10000);
        QTRY_COMPARE(queue->progress().inFlight, 4);
        // Gone without a word, as if killed (the real kill -9 is in tst_docket_cli).
    }
    QVERIFY(m_sandbox.clearFaults());

    auto client = makeClient(QStringLiteral("resume-account"));
    AuditLog audit(path);
    QVERIFY(audit.open(nullptr));
    const QList<BatchSummary> interrupted = audit.interruptedBatches();
    QCOMPARE(interrupted.size(), 1);
    const BatchSummary summary = interrupted.first();
    QCOMPARE(summary.id, batch);
    QCOMPARE(summary.total, 30);
    const int confirmed = summary.count(DeletionState::Deleted);
    QVERIFY(confirmed >= 4);
    QCOMPARE(summary.count(DeletionState::InFlight), 4); // as the stopped run left them
    QCOMPARE(summary.count(DeletionState::Pending), 30 - confirmed - 4);

    auto queue = makeQueue(client.get(), &audit);
    const int sentBefore = m_sandbox.requestCount(service, QStringLiteral("session.delete"));
    QVERIFY(queue->resume(batch));
    QCOMPARE(queue->progress().total, 30 - confirmed);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().failed, 0);
    // The four sent-but-unconfirmed ones had happened: looked up again before anything was
    // sent, Scriptix no longer has them, and they are not sent again.
    int goneWhenLookedUp = 0;
    for (const DeletionItem &item : queue->items())
        goneWhenLookedUp += item.state == DeletionState::AlreadyGone
            && item.reason.contains(QStringLiteral("interrupted attempt"));
    QCOMPARE(goneWhenLookedUp, 4);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")) - sentBefore,
             30 - confirmed - 4);

    // Nothing lost, everything accounted for: the trail and the server agree on all 30.
    QSet<QString> gone;
    for (const DeletionItem &item : audit.batchItems(batch)) {
        QVERIFY2(isGone(item.state), qPrintable(deletionStateId(item.state)));
        gone.insert(item.ref.id());
    }
    QCOMPARE(gone, QSet<QString>(targets.cbegin(), targets.cend()));
    const QStringList deleted = deletedSessionIds();
    QCOMPARE(QSet<QString>(deleted.cbegin(), deleted.cend()), gone);
    AuditQuery noAnswer;
    noAnswer.outcome = AuditEntry::Outcome::NoAnswer;
    const QList<AuditEntry> unanswered = audit.entries(noAnswer);
    QCOMPARE(unanswered.size(), 4);
    // Their request ids were recorded before they went out: the server's log has each one.
    QSet<QString> logged;
    for (const QJsonValue &request :
         m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray())
        logged.insert(request.toObject().value(QStringLiteral("requestId")).toString());
    for (const AuditEntry &entry : unanswered) {
        QVERIFY(!entry.requestId.isEmpty());
        QVERIFY2(logged.contains(QString::fromLatin1(entry.requestId)), entry.requestId);
    }
    QVERIFY(audit.interruptedBatches().isEmpty());
}

void TestDeletionQueue::resumeSendsOnlyWhatIsStillTheSameItem()
{
    // A batch a stopped Docket left, as the window's resume finds it: one session as it is now,
    // one recorded under a name it no longer has, one Scriptix no longer holds.
    const QString path = m_dir.filePath(QStringLiteral("changed.sqlite"));
    auto client = makeClient(QStringLiteral("changed-account"));
    const QStringList live = liveSessionIds();
    QList<DeletionItem> items = itemsFor({ live.at(0), live.at(1), QStringLiteral("sess_gone") },
                                         client->session->account().id);
    items[1].name = QStringLiteral("someone-else-2026-01-01.m4a");
    qint64 batch = 0;
    {
        AuditLog stopped(path);
        QVERIFY(stopped.open(nullptr));
        batch = stopped.createBatch(items, QStringLiteral("window"));
        QVERIFY(batch > 0);
    } // its claim goes with it
    AuditLog audit(path);
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    QVERIFY(queue->resume(batch));
    QVERIFY(waitIdle(queue.get()));
    const QList<DeletionItem> done = queue->items();
    QCOMPARE(done.size(), 3);
    QCOMPARE(done.at(0).state, DeletionState::Deleted);
    QCOMPARE(done.at(1).state, DeletionState::Changed);
    QVERIFY2(done.at(1).reason.contains(QStringLiteral("someone-else")),
             qPrintable(done.at(1).reason));
    QCOMPARE(done.at(2).state, DeletionState::AlreadyGone);
    // Only the one that is still the same item was sent.
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 1);
    QCOMPARE(deletedSessionIds(), QStringList { live.at(0) });
    QVERIFY(liveSessionIds().contains(live.at(1)));
    // The trail says the same, item by item.
    QHash<QString, DeletionState> recorded;
    for (const DeletionItem &item : audit.batchItems(batch))
        recorded.insert(item.ref.id(), item.state);
    for (const DeletionItem &item : done)
        QCOMPARE(recorded.value(item.ref.id()), item.state);
}

void TestDeletionQueue::discardingAnInterruptedBatchCancelsWhatIsOwed()
{
    const QString path = m_dir.filePath(QStringLiteral("discard.sqlite"));
    qint64 batch = 0;
    {
        AuditLog audit(path);
        QVERIFY(audit.open(nullptr));
        QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 3), QStringLiteral("a"));
        batch = audit.createBatch(items, QStringLiteral("cli"));
        QVERIFY(batch > 0);
    }
    AuditLog audit(path);
    QVERIFY(audit.open(nullptr));
    QCOMPARE(audit.interruptedBatches().size(), 1);
    QCOMPARE(audit.interruptedBatches().first().origin, QStringLiteral("cli"));
    QVERIFY(audit.discardBatch(batch));
    QVERIFY(audit.interruptedBatches().isEmpty());
    for (const DeletionItem &item : audit.batchItems(batch))
        QCOMPARE(item.state, DeletionState::Cancelled);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 0);
}

void TestDeletionQueue::batchOfARunningDocketIsNotInterrupted()
{
    const QString path = m_dir.filePath(QStringLiteral("running.sqlite"));
    AuditLog running(path);
    QVERIFY(running.open(nullptr));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), QStringLiteral("a"));
    const qint64 batch = running.createBatch(items, QStringLiteral("window"));
    QVERIFY(batch > 0);
    // Another Docket on the same file sees the lock, and cannot take the batch over.
    AuditLog other(path);
    QVERIFY(other.open(nullptr));
    QVERIFY(other.interruptedBatches().isEmpty());
    QVERIFY(!other.claimBatch(batch));
    running.releaseBatch(batch);
    QCOMPARE(other.interruptedBatches().size(), 1);
}

void TestDeletionQueue::auditTrailNeverHoldsASecret()
{
    const QString path = m_dir.filePath(QStringLiteral("secret.sqlite"));
    QString aName;
    {
        auto client = makeClient();
        AuditLog audit(path);
        QVERIFY(audit.open(nullptr));
        auto queue = makeQueue(client.get(), &audit);
        QVERIFY(addFault(QStringLiteral("status"),
                         { { QStringLiteral("status"), 401 }, { QStringLiteral("count"), 1 } }));
        QList<DeletionItem> items
            = itemsFor(liveSessionIds().mid(0, 5), client->session->account().id);
        aName = items.first().name;
        QVERIFY(queue->submit(items) != 0);
        QVERIFY(waitIdle(queue.get()));
        QCOMPARE(queue->progress().finished(), 5);
    }
    QByteArray bytes;
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") }) {
        QFile file(path + suffix);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    QVERIFY(bytes.size() > 1000);
    QVERIFY(bytes.contains(aName.toUtf8())); // the names are there (so the check can fail)
    QVERIFY(!bytes.contains(token().toUtf8()));
    const QString secret = token();
    QVERIFY(!bytes.contains(
        QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2)));
    QVERIFY(!bytes.contains("Bearer"));
    // Only its owner may read it.
    QCOMPARE(QFile::permissions(path) & (QFile::ReadOther | QFile::ReadGroup),
             QFile::Permissions());
}

void TestDeletionQueue::auditFilterFindsByTextAndOutcome()
{
    auto client = makeClient();
    AuditLog audit(QStringLiteral(":memory:"));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 404 }, { QStringLiteral("count"), 1 } }));
    const QStringList targets = liveSessionIds().mid(0, 4);
    QList<DeletionItem> items = itemsFor(targets, client->session->account().id);
    items[2].name = QStringLiteral("Ünïcode 100% _match_");
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));

    AuditQuery byText;
    byText.text = QStringLiteral("ÜNÏCODE 100%");
    QCOMPARE(audit.entries(byText).size(), 1);
    byText.text = QStringLiteral("_match_");
    QCOMPARE(audit.entries(byText).size(), 1);
    byText.text = QStringLiteral("%"); // a LIKE wildcard would match everything
    QCOMPARE(audit.entries(byText).size(), 1);
    AuditQuery gone;
    gone.outcome = AuditEntry::Outcome::AlreadyGone;
    QCOMPARE(audit.entries(gone).size(), 1);
    AuditQuery limited;
    limited.limit = 3;
    QCOMPARE(audit.entries(limited).size(), 3);
    AuditQuery future;
    future.since = QDateTime::currentDateTimeUtc().addSecs(60);
    QVERIFY(audit.entries(future).isEmpty());
}

void TestDeletionQueue::csvExportQuotesAndDefusesFormulas()
{
    AuditEntry entry;
    entry.time = QDateTime(QDate(2026, 11, 22), QTime(9, 30), Qt::UTC);
    entry.accountName = QStringLiteral("Scriptix — Dr \"Rivera\", clinic");
    entry.service = ServiceKind::Scriptix;
    entry.kind = NodeKind::ScriptixDocument;
    entry.itemRef = QStringLiteral("7");
    entry.parentRef = QStringLiteral("3");
    entry.name = QStringLiteral("=HYPERLINK(\"http://x\")");
    entry.parentName = QStringLiteral("line one\nline two");
    entry.outcome = AuditEntry::Outcome::Failed;
    entry.httpStatus = 500;
    entry.requestId = "req-1";
    entry.message = QStringLiteral("-1 retries left");
    entry.batchId = 4;
    entry.attempt = 2;
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(AuditLog::writeCsv({ entry }, &buffer));
    const QStringList lines = QString::fromUtf8(buffer.data()).split(QStringLiteral("\r\n"));
    QCOMPARE(lines.first(),
             QStringLiteral("time,account,service,kind,id,name,parent_id,parent,outcome,"
                            "http_status,request_id,message,batch,attempt"));
    QCOMPARE(
        lines.at(1),
        QStringLiteral("2026-11-22T09:30:00.000Z,\"Scriptix — Dr \"\"Rivera\"\", clinic\","
                       "scriptix,document,7,\"'=HYPERLINK(\"\"http://x\"\")\",3,\"line one\nline "
                       "two\",failed,500,req-1,'-1 retries left,4,2"));
}

void TestDeletionQueue::unwritableAuditTrailSendsNothing()
{
    auto client = makeClient();
    // A directory where the file should be: SQLite cannot open it.
    const QString path = m_dir.filePath(QStringLiteral("a-directory"));
    QVERIFY(QDir().mkpath(path));
    AuditLog audit(path);
    QString error;
    QVERIFY(!audit.open(&error));
    QVERIFY2(error.contains(QStringLiteral("audit trail")), qPrintable(error));
    auto queue = makeQueue(client.get(), &audit);
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), client->session->account().id);
    QString problem;
    QCOMPARE(queue->submit(items, &problem), 0);
    QVERIFY2(problem.contains(QStringLiteral("Nothing was deleted")), qPrintable(problem));
    QTest::qWait(50);
    QVERIFY(!queue->isBusy());
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 0);
}

void TestDeletionQueue::closingTheAccountMidBatchEndsItsItems()
{
    auto client = makeClient();
    const QString accountId = client->session->account().id;
    QPointer<ScriptixConnector> connector = client->connector.get();
    DeletionQueue queue(
        [accountId, &connector](const QString &id) -> Connector * {
            return id == accountId ? connector.data() : nullptr;
        },
        nullptr);
    queue.setMaxConcurrentPerAccount(2);
    QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 400 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 5), accountId);
    QVERIFY(queue.submit(items) != 0);
    QTRY_COMPARE(queue.progress().inFlight, 2);
    // The account is removed (its connector and its jobs go) while two deletes are out.
    client->connector.reset();
    QVERIFY(waitIdle(&queue, 5000));
    // The two that were out may have happened: unknown; the rest were never sent: failed.
    QCOMPARE(queue.progress().unknown, 2);
    QCOMPARE(queue.progress().failed, 3);
    int unsure = 0;
    for (const DeletionItem &item : queue.items())
        unsure += item.state == DeletionState::Unknown
            && item.reason.contains(QStringLiteral("may have happened"));
    QCOMPARE(unsure, 2);
}

void TestDeletionQueue::newItemsAfterACancelAreRetriedAsUsual()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setMaxConcurrentPerAccount(1);
    QVERIFY(addFault(QStringLiteral("latency"),
                     { { QStringLiteral("latencyMs"), 300 }, { QStringLiteral("count"), 1 } }));
    const QStringList ids = liveSessionIds();
    QList<DeletionItem> first = itemsFor(ids.mid(0, 3), client->session->account().id);
    QVERIFY(queue->submit(first) != 0);
    QTRY_COMPARE(queue->progress().inFlight, 1);
    queue->cancel();
    // Submitted before the cancelled batch is over: a 503 on it is retried, not given up.
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 503 }, { QStringLiteral("count"), 1 } }));
    QList<DeletionItem> second = itemsFor(ids.mid(3, 1), client->session->account().id);
    QVERIFY(queue->submit(second) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->item(second.first().id)->state, DeletionState::Deleted);
    QCOMPARE(queue->progress().cancelled, 2);
}

void TestDeletionQueue::retryGivesFailedItemsFreshAttempts()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setRetryPolicy(quickRetries(2));
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 502 }, { QStringLiteral("count"), 3 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 1), client->session->account().id);
    QVERIFY(queue->submit(items) != 0);
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->items().first().state, DeletionState::Unknown);
    // Two more attempts, not what is left of the first two: the third 502, then success.
    QCOMPARE(queue->retry({ items.first().id }), 1);
    QVERIFY(waitIdle(queue.get()));
    const DeletionItem done = queue->items().first();
    QCOMPARE(done.state, DeletionState::Deleted);
    QCOMPARE(done.attempts, 4);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 4);
}

void TestDeletionQueue::aBatchInProgressCannotBeResumedTwice()
{
    auto client = makeClient();
    AuditLog audit(m_dir.filePath(QStringLiteral("twice.sqlite")));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 300 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 3), client->session->account().id);
    const qint64 batch = queue->submit(items);
    QVERIFY(batch > 0);
    QString error;
    QVERIFY(!queue->resume(batch, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!audit.discardBatch(batch));
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().total, 3);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 3);
}

QTEST_GUILESS_MAIN(TestDeletionQueue)
#include "tst_deletionqueue.moc"
