// docket-cli's rm end to end: the real executable on the sandbox, a private settings file and the
// demo token from the environment: dry runs, the confirmation, what each outcome says, looking
// up before sending, the audit trail it keeps and shows, and resume with nothing owed.
#include "docketclisandbox.h"

#include <QDir>
#include <QJsonArray>

class TestCliRm : public DocketCliSandbox
{
    Q_OBJECT

private Q_SLOTS:
    void dryRunDeletesNothing();
    void refusesWithoutYesWhenNotAtATerminal();
    void deletesAndReportsAlreadyGone();
    void lookupFailureSendsNothingUnlessForced();
    void failedDeleteExitsNonZeroWithTheReason();
    void auditShowsEveryDeleteAsTableJsonAndCsv();
    void rmRefusesWithoutAnAuditTrail();
    void resumeWithNothingOwed();
};

void TestCliRm::dryRunDeletesNothing()
{
    const CliRun listed
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/sbx-scriptix") },
              scriptixSecret());
    const QJsonObject first = listed.resultList().at(0).toObject();
    const QString session = first.value(QStringLiteral("id")).toString();
    const QString name = first.value(QStringLiteral("name")).toString();
    QVERIFY(!session.isEmpty());
    QVERIFY(!name.isEmpty() && name != session);
    const CliRun dry = rmSession(
        { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--dry-run") }, session);
    QCOMPARE(dry.exitCode, 0);
    const QJsonObject item = dry.firstRemoved();
    QVERIFY(item.value(QStringLiteral("permanent")).toBool());
    QVERIFY(item.value(QStringLiteral("childCount")).toInt() >= 1);
    QVERIFY(dry.err.contains(QStringLiteral("permanent")));
    // Named as the service lists it, not by its id alone: looked up with the session's own GET,
    // not by paging through every session.
    QCOMPARE(item.value(QStringLiteral("name")).toString(), name);
    QVERIFY(item.value(QStringLiteral("found")).toBool());
    QVERIFY2(dry.err.contains(u'“' + name + u'”'), qPrintable(dry.err));
    QVERIFY2(item.value(QStringLiteral("explanation")).toString().contains(name),
             qPrintable(item.value(QStringLiteral("explanation")).toString()));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list")), 1);
    QVERIFY(deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).isEmpty());
    QCOMPARE(scriptixDeletesSent(), 0);
}

void TestCliRm::refusesWithoutYesWhenNotAtATerminal()
{
    const QString session = firstSessionId();
    const CliRun refused = run({ QStringLiteral("rm"), QStringLiteral("/sbx-scriptix/") + session },
                               scriptixSecret(), "delete\n");
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QStringLiteral("--yes")), qPrintable(refused.err));
    QCOMPARE(scriptixDeletesSent(), 0);
}

void TestCliRm::deletesAndReportsAlreadyGone()
{
    const QString session = firstSessionId();
    const CliRun removed = rmSession({ QStringLiteral("rm"), QStringLiteral("--yes") }, session);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QVERIFY(removed.out.contains(QStringLiteral("deleted")));
    QVERIFY(deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).contains(session));

    const CliRun again = rmSession(
        { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--yes") }, session);
    QCOMPARE(again.exitCode, 0);
    const QJsonObject item = again.firstRemoved();
    // Looked up first and not found: nothing is sent, and that counts as done.
    QCOMPARE(item.value(QStringLiteral("outcome")).toString(), QStringLiteral("not-found"));
    QCOMPARE(item.value(QStringLiteral("found")).toBool(true), false);
    QVERIFY2(again.err.contains(QStringLiteral("not found where the path says")),
             qPrintable(again.err));
    QCOMPARE(scriptixDeletesSent(), 1);
}

void TestCliRm::lookupFailureSendsNothingUnlessForced()
{
    const QString session = firstSessionId();
    // Every GET of the session fails: the lookup cannot say it is where the path says.
    QVERIFY(failScriptix(QStringLiteral("session.get"), 500));
    const CliRun refused = rmSession(
        { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--yes") }, session);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("could not be looked up, so nothing is sent")),
             qPrintable(refused.err));
    QVERIFY2(refused.err.contains(QStringLiteral("--force")), qPrintable(refused.err));
    const QJsonObject item = refused.firstRemoved();
    QCOMPARE(item.value(QStringLiteral("outcome")).toString(), QStringLiteral("lookup-failed"));
    QVERIFY2(item.value(QStringLiteral("error")).toString().contains(QStringLiteral("500")),
             qPrintable(item.value(QStringLiteral("error")).toString()));
    QCOMPARE(scriptixDeletesSent(), 0);
    QVERIFY(!deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).contains(session));

    // --force sends it, and says why that is dangerous.
    const CliRun forced = rmSession({ QStringLiteral("--json"), QStringLiteral("rm"),
                                      QStringLiteral("--yes"), QStringLiteral("--force") },
                                    session);
    QVERIFY2(forced.exitCode == 0, qPrintable(forced.err));
    QVERIFY2(forced.err.contains(QStringLiteral("WARNING")), qPrintable(forced.err));
    QVERIFY2(forced.err.contains(QStringLiteral("deletes by the whole path")),
             qPrintable(forced.err));
    const QJsonObject sent = forced.firstRemoved();
    QCOMPARE(sent.value(QStringLiteral("name")).toString(), session); // named by its id
    QCOMPARE(sent.value(QStringLiteral("outcome")).toString(), QStringLiteral("deleted"));
    QVERIFY(deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).contains(session));
}

void TestCliRm::failedDeleteExitsNonZeroWithTheReason()
{
    const QString session = firstSessionId();
    QVERIFY(failScriptix(QStringLiteral("session.delete"), 500));
    // One retry (not the default four, with their growing waits).
    const CliRun failed = rmSession({ QStringLiteral("rm"), QStringLiteral("--yes"),
                                      QStringLiteral("--retries"), QStringLiteral("1") },
                                    session);
    QCOMPARE(failed.exitCode, 1);
    QCOMPARE(scriptixDeletesSent(), 2);
    QVERIFY2(failed.err.contains(QStringLiteral("500")), qPrintable(failed.err));
    QVERIFY(!deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).contains(session));
}

void TestCliRm::auditShowsEveryDeleteAsTableJsonAndCsv()
{
    const QStringList trail
        = { QStringLiteral("--audit-file"), m_dir.filePath(QStringLiteral("audit-shown.sqlite")) };
    // Two sessions, as `ls` names them. Scriptix answers the first DELETE 404 (as if someone
    // deleted it meanwhile): one is deleted, the other already gone, both in the trail.
    const CliRun listed
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/sbx-scriptix") },
              scriptixSecret());
    const QJsonArray sessions = listed.resultList();
    QVERIFY(sessions.size() >= 2);
    QHash<QString, QString> nameOf;
    for (int i = 0; i < 2; ++i) {
        const QJsonObject session = sessions.at(i).toObject();
        nameOf.insert(session.value(QStringLiteral("id")).toString(),
                      session.value(QStringLiteral("name")).toString());
    }
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), QStringLiteral("scriptix") },
                                 { QStringLiteral("route"), QStringLiteral("session.delete") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 404 },
                                 { QStringLiteral("count"), 1 } }));
    QStringList paths;
    for (const QString &id : nameOf.keys())
        paths << QStringLiteral("/sbx-scriptix/") + id;
    const CliRun removed = run(trail
                                   + QStringList { QStringLiteral("--json"), QStringLiteral("rm"),
                                                   QStringLiteral("--yes") }
                                   + paths,
                               scriptixSecret());
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    const QJsonObject result = removed.result();
    QVERIFY(result.value(QStringLiteral("batch")).toInteger() > 0);
    QCOMPARE(
        result.value(QStringLiteral("summary")).toObject().value(QStringLiteral("total")).toInt(),
        2);
    // The summary line, on stderr.
    QVERIFY2(removed.err.contains(QStringLiteral("2 of 2 deleted")), qPrintable(removed.err));

    const CliRun json
        = run(trail + QStringList { QStringLiteral("--json"), QStringLiteral("audit") });
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonArray entries = json.resultList();
    QCOMPARE(entries.size(), 2);
    QStringList outcomes;
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        const QString id = entry.value(QStringLiteral("id")).toString();
        QVERIFY2(nameOf.contains(id), qPrintable(id));
        // The trail names each session as Scriptix lists it.
        QCOMPARE(entry.value(QStringLiteral("name")).toString(), nameOf.value(id));
        QCOMPARE(entry.value(QStringLiteral("kind")).toString(), QStringLiteral("session"));
        QCOMPARE(entry.value(QStringLiteral("service")).toString(), QStringLiteral("scriptix"));
        QVERIFY(!entry.value(QStringLiteral("requestId")).toString().isEmpty());
        QVERIFY(entry.value(QStringLiteral("time")).toString().endsWith(u'Z'));
        for (const QString &key :
             { QStringLiteral("account"), QStringLiteral("name"), QStringLiteral("httpStatus"),
               QStringLiteral("message"), QStringLiteral("batch") })
            QVERIFY2(entry.contains(key), qPrintable(key));
        outcomes.append(entry.value(QStringLiteral("outcome")).toString());
    }
    outcomes.sort();
    QCOMPARE(outcomes, (QStringList { QStringLiteral("already-gone"), QStringLiteral("deleted") }));

    const CliRun table = run(trail + QStringList { QStringLiteral("audit") });
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.startsWith(QStringLiteral("TIME")));
    QVERIFY(table.out.contains(QStringLiteral("sbx-scriptix")));
    for (const QString &id : nameOf.keys())
        QVERIFY(table.out.contains(id));
    QCOMPARE(table.out.count(u'\n'), 3);

    const CliRun csv
        = run(trail + QStringList { QStringLiteral("audit"), QStringLiteral("--csv") });
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith(QStringLiteral("time,account,service,kind,id,name")));
    QCOMPARE(csv.out.count(QStringLiteral("\r\n")), 3);

    const auto count = [&](const QStringList &filter) {
        const CliRun filtered = run(
            trail + QStringList { QStringLiteral("--json"), QStringLiteral("audit") } + filter);
        return filtered.exitCode == 0 ? int(filtered.resultList().size()) : -filtered.exitCode;
    };
    QCOMPARE(count({ QStringLiteral("--outcome"), QStringLiteral("deleted") }), 1);
    QCOMPARE(count({ QStringLiteral("--outcome"), QStringLiteral("failed") }), 0);
    QCOMPARE(count({ QStringLiteral("--limit"), QStringLiteral("1") }), 1);
    QCOMPARE(count({ QStringLiteral("--account"), QStringLiteral("SBX-Scriptix") }), 2);
    QCOMPARE(count({ QStringLiteral("--since"), QStringLiteral("2999-01-01") }), 0);
    QCOMPARE(count({ QStringLiteral("--since"), QStringLiteral("2020-01-01T00:00:00Z") }), 2);
    QCOMPARE(count({ QStringLiteral("--outcome"), QStringLiteral("gone") }), -2);
    QCOMPARE(count({ QStringLiteral("--since"), QStringLiteral("yesterday") }), -2);
    QCOMPARE(count({ QStringLiteral("--account"), QStringLiteral("nobody") }), -2);
    QCOMPARE(count({ QStringLiteral("--csv") }), -2); // not with --json
}

void TestCliRm::rmRefusesWithoutAnAuditTrail()
{
    const QString session = firstSessionId();
    // A directory where the file should be: SQLite cannot open it.
    const QString directory = m_dir.filePath(QStringLiteral("not-a-file.sqlite"));
    QVERIFY(QDir().mkpath(directory));
    QProcessEnvironment environment = scriptixSecret();
    environment.insert(QStringLiteral("DOCKET_AUDIT_FILE"), directory);
    const CliRun refused = run({ QStringLiteral("rm"), QStringLiteral("--yes"),
                                 QStringLiteral("/sbx-scriptix/") + session },
                               environment);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("audit trail"))
                 && refused.err.contains(QStringLiteral("Nothing was deleted")),
             qPrintable(refused.err));
    QCOMPARE(scriptixDeletesSent(), 0);
    // --dry-run deletes nothing, so it needs no trail.
    QCOMPARE(run({ QStringLiteral("rm"), QStringLiteral("--dry-run"),
                   QStringLiteral("/sbx-scriptix/") + session },
                 environment)
                 .exitCode,
             0);
}

void TestCliRm::resumeWithNothingOwed()
{
    const QStringList trail
        = { QStringLiteral("--audit-file"), m_dir.filePath(QStringLiteral("audit-empty.sqlite")) };
    const CliRun listed
        = run(trail + QStringList { QStringLiteral("--json"), QStringLiteral("resume") });
    QCOMPARE(listed.exitCode, 0);
    QVERIFY(listed.resultList().isEmpty());
    QVERIFY(run(trail + QStringList { QStringLiteral("resume") })
                .err.contains(QStringLiteral("nothing to resume")));
    QCOMPARE(run(trail + QStringList { QStringLiteral("resume"), QStringLiteral("42") }).exitCode,
             2);
    QCOMPARE(run(trail + QStringList { QStringLiteral("resume"), QStringLiteral("x") }).exitCode,
             2);
}

QTEST_GUILESS_MAIN(TestCliRm)
#include "tst_cli_rm.moc"
