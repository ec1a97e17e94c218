// DeletionQueue and AuditLog against the real docket-sandbox: resuming a batch a stopped Docket
// left (only what is still the same item), discarding one, the claim of a running Docket; the
// audit trail never holds a secret, its filter, its CSV export. (The queue's outcomes:
// tst_deletionqueue_outcomes.)

#include "deletionqueuesuite.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QSet>

using namespace Docket;

class TestDeletionQueueBatches : public DeletionQueueSuite
{
    Q_OBJECT

private Q_SLOTS:
    void resumesABatchAStoppedDocketLeft();
    void resumeSendsOnlyWhatIsStillTheSameItem();
    void discardingAnInterruptedBatchCancelsWhatIsOwed();
    void batchOfARunningDocketIsNotInterrupted();
    void aBatchInProgressCannotBeResumedTwice();
    void auditTrailNeverHoldsASecret();
    void auditFilterFindsByTextAndOutcome();
    void csvExportQuotesAndDefusesFormulas();
    void unwritableAuditTrailSendsNothing();
};

void TestDeletionQueueBatches::resumesABatchAStoppedDocketLeft()
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
        QList<DeletionItem> items = itemsFor(targets, *client);
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
    const int sentBefore = deletesSent();
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
    QCOMPARE(deletesSent() - sentBefore, 30 - confirmed - 4);

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

void TestDeletionQueueBatches::resumeSendsOnlyWhatIsStillTheSameItem()
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
    QCOMPARE(deletesSent(), 1);
    QCOMPARE(deletedSessionIds(), QStringList { live.at(0) });
    QVERIFY(liveSessionIds().contains(live.at(1)));
    // The trail says the same, item by item.
    QHash<QString, DeletionState> recorded;
    for (const DeletionItem &item : audit.batchItems(batch))
        recorded.insert(item.ref.id(), item.state);
    for (const DeletionItem &item : done)
        QCOMPARE(recorded.value(item.ref.id()), item.state);
}

void TestDeletionQueueBatches::discardingAnInterruptedBatchCancelsWhatIsOwed()
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
    QCOMPARE(deletesSent(), 0);
}

void TestDeletionQueueBatches::batchOfARunningDocketIsNotInterrupted()
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

void TestDeletionQueueBatches::aBatchInProgressCannotBeResumedTwice()
{
    auto client = makeClient();
    AuditLog audit(m_dir.filePath(QStringLiteral("twice.sqlite")));
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    QVERIFY(addFault(QStringLiteral("latency"), { { QStringLiteral("latencyMs"), 300 } }));
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 3), *client);
    const qint64 batch = queue->submit(items);
    QVERIFY(batch > 0);
    QString error;
    QVERIFY(!queue->resume(batch, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!audit.discardBatch(batch));
    QVERIFY(waitIdle(queue.get()));
    QCOMPARE(queue->progress().total, 3);
    QCOMPARE(deletesSent(), 3);
}

void TestDeletionQueueBatches::auditTrailNeverHoldsASecret()
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
        QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 5), *client);
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

void TestDeletionQueueBatches::auditFilterFindsByTextAndOutcome()
{
    auto client = makeClient();
    auto queue = makeQueue(client.get(), m_audit.get());
    QVERIFY(addFault(QStringLiteral("status"),
                     { { QStringLiteral("status"), 404 }, { QStringLiteral("count"), 1 } }));
    const QStringList targets = liveSessionIds().mid(0, 4);
    QList<DeletionItem> items = itemsFor(targets, *client);
    items[2].name = QStringLiteral("Ünïcode 100% _match_");
    QVERIFY(submitAndSettle(queue.get(), items));

    AuditQuery byText;
    byText.text = QStringLiteral("ÜNÏCODE 100%");
    QCOMPARE(m_audit->entries(byText).size(), 1);
    byText.text = QStringLiteral("_match_");
    QCOMPARE(m_audit->entries(byText).size(), 1);
    byText.text = QStringLiteral("%"); // a LIKE wildcard would match everything
    QCOMPARE(m_audit->entries(byText).size(), 1);
    AuditQuery gone;
    gone.outcome = AuditEntry::Outcome::AlreadyGone;
    QCOMPARE(m_audit->entries(gone).size(), 1);
    AuditQuery limited;
    limited.limit = 3;
    QCOMPARE(m_audit->entries(limited).size(), 3);
    AuditQuery future;
    future.since = QDateTime::currentDateTimeUtc().addSecs(60);
    QVERIFY(m_audit->entries(future).isEmpty());
}

void TestDeletionQueueBatches::csvExportQuotesAndDefusesFormulas()
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

void TestDeletionQueueBatches::unwritableAuditTrailSendsNothing()
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
    QList<DeletionItem> items = itemsFor(liveSessionIds().mid(0, 2), *client);
    QString problem;
    QCOMPARE(queue->submit(items, &problem), 0);
    QVERIFY2(problem.contains(QStringLiteral("Nothing was deleted")), qPrintable(problem));
    QTest::qWait(50);
    QVERIFY(!queue->isBusy());
    QCOMPARE(deletesSent(), 0);
}

QTEST_GUILESS_MAIN(TestDeletionQueueBatches)
#include "tst_deletionqueue_batches.moc"
