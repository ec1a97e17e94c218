// Crash safety, end to end, as issue 5 asks: docket-cli is killed (SIGKILL) in the middle of a
// 500-item delete on the sandbox, `resume` lists the batch and finishes it, and then the sandbox's
// state and the audit trail must agree: nothing lost, every item accounted for.

#include "auditlog.h"
#include "clirun.h"
#include "sandboxprocess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Docket;

namespace {

const QString service = QStringLiteral("scriptix");
const QString account = QStringLiteral("crash");
constexpr int batchSize = 500;

QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

} // namespace

class TestCliCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedMidBatchThenResumedLosesNothing();
    void ctrlCCancelsWhatIsNotSent();

private:
    QProcessEnvironment environment() const;
    CliRun run(const QStringList &arguments);
    QStringList deletedSessions() const;
    // The first `count` sessions of the demo token not deleted yet, and their paths in docket-cli.
    QStringList demoSessionIds(int count) const;
    static QStringList pathsOf(const QStringList &ids);
    // Every answer to a session delete `ms` late (the delete itself happens at once).
    bool delayDeletes(int ms) const;
    // Starts docket-cli ARGUMENTS in `process`, as run() would but without waiting.
    void startCli(QProcess &process, const QStringList &arguments) const;

    // 1,000 sessions and no rate limit: a 500-item delete in a few seconds.
    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("1000"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
    QTemporaryDir m_home; // HOME, XDG folders, settings and the audit trail: nothing real
    QString m_config;
    QString m_auditFile;
};

void TestCliCrash::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_config = m_home.filePath(QStringLiteral("config/accounts.ini"));
    m_auditFile = m_home.filePath(QStringLiteral("data/audit.sqlite"));
    const CliRun added = run({ QStringLiteral("account"), QStringLiteral("add"), service, account,
                               QStringLiteral("--base-url"), m_sandbox.baseUrl(service).toString(),
                               QStringLiteral("--requests-per-minute"), QStringLiteral("0") });
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
}

QProcessEnvironment TestCliCrash::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &variable :
         { QStringLiteral("HOME"), QStringLiteral("XDG_DATA_HOME"),
           QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("XDG_CACHE_HOME") })
        environment.insert(variable, m_home.filePath(variable.toLower()));
    // No keychain: the secret comes from the environment, the trail from DOCKET_AUDIT_FILE.
    environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                       QStringLiteral("unix:path=/nonexistent"));
    environment.insert(QStringLiteral("DOCKET_SECRET_CRASH_TOKEN"),
                       m_sandbox.credentials(service).value(QStringLiteral("token")).toString());
    environment.insert(QStringLiteral("DOCKET_AUDIT_FILE"), m_auditFile);
    return environment;
}

CliRun TestCliCrash::run(const QStringList &arguments)
{
    return runDocketCli(m_config, arguments, environment());
}

QStringList TestCliCrash::deletedSessions() const
{
    return m_sandbox.deletedIds(service, QStringLiteral("sessions"));
}

QStringList TestCliCrash::demoSessionIds(int count) const
{
    const QString token = m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    QStringList ids;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject session = value.toObject();
        if (session.value(QStringLiteral("owner")).toString() == token
            && !session.value(QStringLiteral("deleted")).toBool() && ids.size() < count)
            ids.append(session.value(QStringLiteral("session_id")).toString());
    }
    return ids;
}

QStringList TestCliCrash::pathsOf(const QStringList &ids)
{
    QStringList paths;
    for (const QString &id : ids)
        paths.append(u'/' + account + u'/' + id);
    return paths;
}

bool TestCliCrash::delayDeletes(int ms) const
{
    return m_sandbox.addFault({ { QStringLiteral("service"), service },
                                { QStringLiteral("route"), QStringLiteral("session.delete") },
                                { QStringLiteral("mode"), QStringLiteral("latency") },
                                { QStringLiteral("latencyMs"), ms } });
}

void TestCliCrash::startCli(QProcess &process, const QStringList &arguments) const
{
    process.setProcessEnvironment(environment());
    process.start(QStringLiteral(DOCKET_CLI_PATH),
                  QStringList { QStringLiteral("--config"), m_config } + arguments);
}

void TestCliCrash::killedMidBatchThenResumedLosesNothing()
{
    // 500 of the demo token's sessions.
    const QStringList targets = demoSessionIds(batchSize);
    QCOMPARE(targets.size(), batchSize);
    const QSet<QString> targetSet = toSet(targets);

    // Every answer 40 ms late (the delete itself happens at once): eight at a time, the batch
    // takes seconds, and a kill always finds requests out.
    QVERIFY(delayDeletes(40));

    QProcess rm;
    startCli(rm, QStringList { QStringLiteral("rm"), QStringLiteral("--yes") } + pathsOf(targets));
    QVERIFY(rm.waitForStarted());
    rm.closeWriteChannel();
    QElapsedTimer waited;
    waited.start();
    int deletedAtKill = 0;
    while (waited.elapsed() < 30000 && rm.state() == QProcess::Running) {
        deletedAtKill = int(deletedSessions().size());
        if (deletedAtKill >= 150)
            break;
        QTest::qWait(15);
    }
    QVERIFY2(rm.state() == QProcess::Running,
             qPrintable(QStringLiteral("rm ended before the kill: %1")
                            .arg(QString::fromUtf8(rm.readAllStandardError()))));
    QVERIFY2(deletedAtKill >= 100, qPrintable(QString::number(deletedAtKill)));
    rm.kill(); // SIGKILL: no chance to tidy up
    QVERIFY(rm.waitForFinished(10000));
    QCOMPARE(rm.exitStatus(), QProcess::CrashExit);
    // Requests already in the sandbox's socket buffers are still handled after the kill.
    QTest::qWait(300);
    QVERIFY(m_sandbox.clearFaults());

    // What the server did by the kill (answers still owed by its timers change nothing: the
    // deletes happened when the requests arrived), and what the trail knew.
    const QSet<QString> deletedByKill = toSet(deletedSessions());
    QVERIFY2(deletedByKill.size() < batchSize, "the kill came too late to test anything");
    QVERIFY(deletedByKill.size() >= deletedAtKill);
    QVERIFY(targetSet.contains(deletedByKill));
    QSet<QString> confirmedAtKill, sentAtKill;
    {
        AuditLog audit(m_auditFile);
        QVERIFY2(audit.open(nullptr), qPrintable(audit.lastError()));
        for (const AuditEntry &entry : audit.entries({})) {
            if (entry.outcome == AuditEntry::Outcome::Deleted)
                confirmedAtKill.insert(entry.itemRef);
            else if (entry.outcome == AuditEntry::Outcome::Sent)
                sentAtKill.insert(entry.itemRef);
            else
                QFAIL(qPrintable(QStringLiteral("unexpected outcome before the kill: %1")
                                     .arg(AuditEntry::outcomeId(entry.outcome))));
        }
    }
    // Nothing the server deleted is unknown to the trail: confirmed, or recorded as sent before
    // it went out. Nothing is confirmed that the server did not do.
    QVERIFY(deletedByKill.contains(confirmedAtKill));
    QVERIFY(!sentAtKill.isEmpty());
    QVERIFY((confirmedAtKill + sentAtKill).contains(deletedByKill));
    QVERIFY(!confirmedAtKill.intersects(sentAtKill));

    qInfo("killed with %lld deleted on the server: %lld confirmed in the trail, %lld sent without "
          "an answer",
          qint64(deletedByKill.size()), qint64(confirmedAtKill.size()), qint64(sentAtKill.size()));

    // resume lists the batch, with where each item stands.
    const CliRun listed = run({ QStringLiteral("--json"), QStringLiteral("resume") });
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
    const QJsonArray batches = listed.resultList();
    QCOMPARE(batches.size(), 1);
    const QJsonObject batch = batches.at(0).toObject();
    const qint64 batchId = batch.value(QStringLiteral("batch")).toInteger();
    QVERIFY(batchId > 0);
    QCOMPARE(batch.value(QStringLiteral("origin")).toString(), QStringLiteral("cli"));
    QCOMPARE(batch.value(QStringLiteral("total")).toInt(), batchSize);
    QCOMPARE(batch.value(QStringLiteral("deleted")).toInt(), confirmedAtKill.size());
    QCOMPARE(batch.value(QStringLiteral("unconfirmed")).toInt(), sentAtKill.size());
    QCOMPARE(batch.value(QStringLiteral("notStarted")).toInt(),
             batchSize - confirmedAtKill.size() - sentAtKill.size());
    QCOMPARE(batch.value(QStringLiteral("failed")).toInt(), 0);
    const CliRun listedText = run({ QStringLiteral("resume") });
    QCOMPARE(listedText.exitCode, 0);
    QVERIFY2(listedText.out.contains(QStringLiteral("batch %1").arg(batchId)),
             qPrintable(listedText.out));
    QVERIFY(listedText.out.contains(QStringLiteral("%1 confirmed gone, %2 sent but unconfirmed")
                                        .arg(confirmedAtKill.size())
                                        .arg(sentAtKill.size())));

    // Resume it: every item ends gone.
    const CliRun resumed = run({ QStringLiteral("--json"), QStringLiteral("resume"),
                                 QString::number(batchId), QStringLiteral("--yes") });
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    const QJsonObject summary = resumed.result().value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("total")).toInt(), batchSize - confirmedAtKill.size());
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 0);
    QVERIFY(run({ QStringLiteral("--json"), QStringLiteral("resume") }).resultList().isEmpty());

    // The server: exactly the 500 are deleted, each once, and nothing else.
    const QStringList deletedInOrder = deletedSessions();
    QCOMPARE(deletedInOrder.size(), batchSize);
    QCOMPARE(toSet(deletedInOrder), targetSet);
    // Cascades (a session's documents and comments) go with their sessions; nothing was sent
    // to any other route.
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("document.delete")), 0);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("comment.delete")), 0);

    // The trail, as `audit --json` prints it: every item deleted (none "already gone": nothing
    // else removed them), one no-answer entry for each request out at the kill.
    const CliRun audited = run({ QStringLiteral("--json"), QStringLiteral("audit") });
    QVERIFY2(audited.exitCode == 0, qPrintable(audited.err));
    const QJsonArray entries = audited.resultList();
    QHash<QString, QStringList> outcomesById;
    QHash<QString, QString> itemByRequestId;
    QSet<QString> noAnswer;
    QSet<QString> noAnswerRequestIds;
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        const QString id = entry.value(QStringLiteral("id")).toString();
        const QString outcome = entry.value(QStringLiteral("outcome")).toString();
        QCOMPARE(entry.value(QStringLiteral("batch")).toInteger(), batchId);
        outcomesById[id].append(outcome);
        const QString requestId = entry.value(QStringLiteral("requestId")).toString();
        if (outcome == QLatin1String("no-answer")) {
            noAnswer.insert(id);
            noAnswerRequestIds.insert(requestId);
        }
        if (!requestId.isEmpty())
            itemByRequestId.insert(requestId, id);
    }
    QCOMPARE(toSet(outcomesById.keys()), targetSet);
    QCOMPARE(noAnswer, sentAtKill);
    // Deleted, or (sent by the killed run, then looked up again on resume and no longer there)
    // already gone.
    for (auto item = outcomesById.cbegin(); item != outcomesById.cend(); ++item) {
        QVERIFY2(item->contains(QStringLiteral("deleted"))
                     || (noAnswer.contains(item.key())
                         && item->contains(QStringLiteral("already-gone"))),
                 qPrintable(item.key() + u' ' + item->join(u',')));
        QVERIFY(!item->contains(QStringLiteral("failed")));
    }
    {
        AuditLog audit(m_auditFile);
        QVERIFY(audit.open(nullptr));
        const QList<DeletionItem> items = audit.batchItems(batchId);
        QCOMPARE(items.size(), batchSize);
        for (const DeletionItem &item : items) {
            // Sent before the kill and taken effect: looked up again on resume, no longer there,
            // so already gone and not sent again. Everything else was deleted.
            if (noAnswer.contains(item.ref.id()) && deletedByKill.contains(item.ref.id()))
                QCOMPARE(item.state, DeletionState::AlreadyGone);
            else
                QVERIFY2(item.state == DeletionState::Deleted, qPrintable(item.ref.id()));
        }
    }

    // Every DELETE the server saw is in the trail by its X-Request-ID, including those out at the
    // kill: the id is recorded before a request is sent. Of the no-answer entries, exactly those
    // whose request reached the server before the kill appear in its log.
    const QJsonArray requests
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    QSet<QString> unansweredSeen;
    for (const QJsonValue &value : requests) {
        const QJsonObject request = value.toObject();
        if (request.value(QStringLiteral("route")).toString() != QLatin1String("session.delete"))
            continue;
        const QString id = request.value(QStringLiteral("path")).toString().section(u'/', -1);
        QVERIFY2(targetSet.contains(id), qPrintable(id));
        const QString requestId = request.value(QStringLiteral("requestId")).toString();
        QVERIFY2(itemByRequestId.contains(requestId), qPrintable(id + u' ' + requestId));
        QCOMPARE(itemByRequestId.value(requestId), id);
        if (noAnswerRequestIds.contains(requestId))
            unansweredSeen.insert(id);
    }
    QCOMPARE(unansweredSeen, deletedByKill - confirmedAtKill);
}

void TestCliCrash::ctrlCCancelsWhatIsNotSent()
{
    const QStringList ids = demoSessionIds(40);
    QCOMPARE(ids.size(), 40);
    const QSet<QString> targets = toSet(ids);
    const QSet<QString> deletedBefore = toSet(deletedSessions());
    QVERIFY(delayDeletes(400));
    QProcess rm;
    startCli(rm,
             QStringList { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--yes") }
                 + pathsOf(ids));
    QVERIFY(rm.waitForStarted());
    rm.closeWriteChannel();
    // Once the first deletes are out (they happen on arrival), Ctrl+C.
    QTRY_VERIFY_WITH_TIMEOUT(toSet(deletedSessions()).size() > deletedBefore.size(), 15000);
    QCOMPARE(::kill(pid_t(rm.processId()), SIGINT), 0);
    QVERIFY(rm.waitForFinished(15000));
    QVERIFY(m_sandbox.clearFaults());
    QCOMPARE(rm.exitStatus(), QProcess::NormalExit);
    QCOMPARE(rm.exitCode(), 1); // not everything was deleted
    const QString err = QString::fromUtf8(rm.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Cancelling")), qPrintable(err));

    // Every item has an outcome: deleted (exactly those the server deleted) or cancelled.
    const QJsonArray items = QJsonDocument::fromJson(rm.readAllStandardOutput())
                                 .object()
                                 .value(QStringLiteral("result"))
                                 .toObject()
                                 .value(QStringLiteral("items"))
                                 .toArray();
    QCOMPARE(items.size(), 40);
    const QSet<QString> deletedNow = toSet(deletedSessions()) - deletedBefore;
    QSet<QString> reportedDeleted;
    int cancelled = 0;
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        const QString outcome = item.value(QStringLiteral("outcome")).toString();
        const QString id = item.value(QStringLiteral("path")).toString().section(u'/', -1);
        if (outcome == QLatin1String("deleted"))
            reportedDeleted.insert(id);
        else
            QVERIFY2(outcome == QLatin1String("cancelled"), qPrintable(outcome));
        cancelled += outcome == QLatin1String("cancelled");
    }
    QVERIFY(cancelled > 0);
    QCOMPARE(reportedDeleted, deletedNow);
    // Nothing is owed: no batch to resume.
    AuditLog audit(m_auditFile);
    QVERIFY(audit.open(nullptr));
    QVERIFY(audit.interruptedBatches().isEmpty());
}

QTEST_GUILESS_MAIN(TestCliCrash)
#include "tst_cli_crash.moc"
