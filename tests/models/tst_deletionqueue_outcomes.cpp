// DeletionQueue against the real docket-sandbox: every item reaches an outcome and the audit
// trail says what happened, retries, back-off on 429, cancel, concurrency per account, an account
// closed mid-batch. (Batches a stopped Docket left, and the trail itself:
// tst_deletionqueue_batches.)

#include "deletionqueuesuite.h"

#include <QPointer>
#include <QSet>
#include <QSignalSpy>

using namespace Docket;

class TestDeletionQueueOutcomes : public DeletionQueueSuite
{
    Q_OBJECT

private Q_SLOTS:
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
    void closingTheAccountMidBatchEndsItsItems();
    void newItemsAfterACancelAreRetriedAsUsual();
    void retryGivesFailedItemsFreshAttempts();
};

void TestDeletionQueueOutcomes::deletesEveryItemAndAuditsEachRequest()
{
    auto client = makeClient();
    AuditLog audit(m_dir.filePath(QStringLiteral("every.sqlite")));
    QVERIFY2(audit.open(nullptr), qPrintable(audit.lastError()));
    auto queue = makeQueue(client.get(), &audit);
    QSignalSpy finished(queue.get(), &DeletionQueue::finished);
    QSignalSpy itemFinished(queue.get(), &DeletionQueue::itemFinished);

    const QStringList targets = liveSessionIds().mid(0, 40);
    QList<DeletionItem> items = itemsFor(targets, *client);
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

void TestDeletionQueueOutcomes::concurrencyIsBoundedPerAccount()
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
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 12), *client);
    QVERIFY(submitAndSettle(queue.get(), items));
    QCOMPARE(mostInFlight, 3);
    QCOMPARE(queue->progress().deleted, 12);
    QCOMPARE(deletedSessionIds().size(), 12);
}

void TestDeletionQueueOutcomes::retriesServerErrorsUntilDeleted()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), m_audit.get());
    queue->setRetryPolicy(quickRetries(8));
    // A burst: the next 6 deletes meet 500, then 503, then a reset.
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 500 }, { QStringLiteral("count"), 3 } }));
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 503 }, { QStringLiteral("count"), 3 } }));
    QSignalSpy retrying(queue.get(), &DeletionQueue::itemRetrying);
    const QStringList targets = liveSessionIds().mid(0, 4);
    QList<DeletionItem> items = itemsFor(targets, *client);
    QVERIFY(submitAndSettle(queue.get(), items));
    QCOMPARE(queue->progress().deleted, 4);
    QCOMPARE(queue->progress().failed, 0);
    QCOMPARE(retrying.size(), 6);
    QCOMPARE(deletedSessionIds().size(), 4);
    int retried = 0;
    for (const AuditEntry &entry : m_audit->entries())
        retried += entry.outcome == AuditEntry::Outcome::Retrying;
    QCOMPARE(retried, 6);
}

void TestDeletionQueueOutcomes::retriedDeleteMeetingNotFoundIsAlreadyGone()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), m_audit.get());
    // The sandbox deletes at once but answers after 3 s; the client gives up after 1.5 s. The
    // retry then meets Scriptix's own 404: gone, most likely by the first request, though that
    // was never proven: "already gone", not "deleted".
    QVERIFY(addFault(QStringLiteral("latency"),
                     { { QStringLiteral("latencyMs"), 3000 }, { QStringLiteral("count"), 1 } }));
    const QString target = liveSessionIds().first();
    const DeletionItem done = settleAlone(queue.get(), *client, target);
    QCOMPARE(done.state, DeletionState::AlreadyGone);
    QCOMPARE(done.attempts, 2);
    QCOMPARE(done.httpStatus, 404);
    QVERIFY(done.reason.contains(QStringLiteral("earlier attempt")));
    QCOMPARE(deletedSessionIds(), QStringList { target });
    const QList<AuditEntry> entries = m_audit->entries();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).outcome, AuditEntry::Outcome::AlreadyGone); // newest first
    QCOMPARE(entries.at(1).outcome, AuditEntry::Outcome::Retrying);
}

void TestDeletionQueueOutcomes::firstNotFoundIsAlreadyGone()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    const DeletionItem done
        = settleAlone(queue.get(), *client, QStringLiteral("sess_doesnotexist"));
    QCOMPARE(done.state, DeletionState::AlreadyGone);
    QCOMPARE(done.attempts, 1);
    QCOMPARE(queue->progress().deleted, 1);
}

void TestDeletionQueueOutcomes::givesUpAfterMaxAttemptsWithTheReason()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setRetryPolicy(quickRetries(3));
    QVERIFY(addFault(QStringLiteral("status"), { { QStringLiteral("status"), 502 } }));
    const QString target = liveSessionIds().first();
    const DeletionItem done = settleAlone(queue.get(), *client, target);
    // A 502 may come after the service handled the request: without a usable answer the
    // outcome is unknown, never "failed" as if it were known to be there.
    QCOMPARE(done.state, DeletionState::Unknown);
    QCOMPARE(done.attempts, 3);
    QCOMPARE(done.httpStatus, 502);
    QVERIFY2(done.reason.contains(QStringLiteral("3 attempt")), qPrintable(done.reason));
    QVERIFY2(done.reason.contains(QStringLiteral("may have been deleted")),
             qPrintable(done.reason));
    QCOMPARE(queue->progress().unknown, 1);
    QCOMPARE(deletesSent(), 3);
    QVERIFY(liveSessionIds().contains(target));
}

void TestDeletionQueueOutcomes::refusalsAreNotRetried()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    // Scriptix's own 403 is its refusal: not permitted, and not sent again.
    QVERIFY(addFault(QStringLiteral("status"), { { QStringLiteral("status"), 403 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), *client);
    QVERIFY(submitAndSettle(queue.get(), items));
    QCOMPARE(queue->progress().notPermitted, 2);
    for (const DeletionItem &item : queue->items()) {
        QCOMPARE(item.state, DeletionState::NotPermitted);
        QCOMPARE(item.attempts, 1);
        QCOMPARE(item.httpStatus, 403);
        QVERIFY(!item.reason.isEmpty());
    }
    // A refusal is not retried from the summary either.
    QCOMPARE(queue->retry({ queue->items().first().id }), 0);
    QCOMPARE(deletesSent(), 2);
}

void TestDeletionQueueOutcomes::rateLimitStormDropsNothing()
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
    QList<DeletionItem> items = itemsFor(targets, *client);
    QVERIFY(submitAndSettle(queue.get(), items, 60000));
    QCOMPARE(queue->progress().deleted, 10);
    QCOMPARE(queue->progress().failed, 0);
    QCOMPARE(deletedSessionIds().size(), 10);
    QVERIFY(client->session->rateLimitWaits() > 0);
    // 429s are refused before handling: none counts as an attempt that may have taken effect.
    for (const DeletionItem &item : queue->items())
        QVERIFY(item.reason.isEmpty());
}

void TestDeletionQueueOutcomes::cancelLetsRequestsInFlightFinish()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), m_audit.get());
    queue->setMaxConcurrentPerAccount(2);
    QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 300 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 20), *client);
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
    QCOMPARE(deletesSent(), 2);
    AuditQuery cancelled;
    cancelled.outcome = AuditEntry::Outcome::Cancelled;
    QCOMPARE(m_audit->entries(cancelled).size(), 18);
}

void TestDeletionQueueOutcomes::failedItemsCanBeRetried()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 409 }, { QStringLiteral("count"), 2 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 5), *client);
    QVERIFY(submitAndSettle(queue.get(), items));
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

void TestDeletionQueueOutcomes::accountNotOpenIsReportedNotSent()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), m_audit.get());
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), QStringLiteral("closed"));
    QVERIFY(submitAndSettle(queue.get(), items));
    QCOMPARE(queue->progress().failed, 2);
    QVERIFY(queue->items().first().reason.contains(QStringLiteral("not signed in")));
    QCOMPARE(deletesSent(), 0);
    AuditQuery failed;
    failed.outcome = AuditEntry::Outcome::Failed;
    const QList<AuditEntry> entries = m_audit->entries(failed);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.first().attempt, 0); // recorded, never sent
}

void TestDeletionQueueOutcomes::closingTheAccountMidBatchEndsItsItems()
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

void TestDeletionQueueOutcomes::newItemsAfterACancelAreRetriedAsUsual()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setMaxConcurrentPerAccount(1);
    QVERIFY(addFault(QStringLiteral("latency"),
                     { { QStringLiteral("latencyMs"), 300 }, { QStringLiteral("count"), 1 } }));
    const QStringList ids = liveSessionIds();
    QList<DeletionItem> first = itemsFor(ids.mid(0, 3), *client);
    QVERIFY(queue->submit(first) != 0);
    QTRY_COMPARE(queue->progress().inFlight, 1);
    queue->cancel();
    // Submitted before the cancelled batch is over: a 503 on it is retried, not given up.
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 503 }, { QStringLiteral("count"), 1 } }));
    QList<DeletionItem> second = itemsFor(ids.mid(3, 1), *client);
    QVERIFY(submitAndSettle(queue.get(), second));
    QCOMPARE(queue->item(second.first().id)->state, DeletionState::Deleted);
    QCOMPARE(queue->progress().cancelled, 2);
}

void TestDeletionQueueOutcomes::retryGivesFailedItemsFreshAttempts()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), nullptr);
    queue->setRetryPolicy(quickRetries(2));
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 502 }, { QStringLiteral("count"), 3 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 1), *client);
    QVERIFY(submitAndSettle(queue.get(), items));
    QCOMPARE(queue->items().first().state, DeletionState::Unknown);
    // Two more attempts, not what is left of the first two: the third 502, then success.
    QCOMPARE(queue->retry({ items.first().id }), 1);
    QVERIFY(waitIdle(queue.get()));
    const DeletionItem done = queue->items().first();
    QCOMPARE(done.state, DeletionState::Deleted);
    QCOMPARE(done.attempts, 4);
    QCOMPARE(deletesSent(), 4);
}

QTEST_GUILESS_MAIN(TestDeletionQueueOutcomes)
#include "tst_deletionqueue_outcomes.moc"
