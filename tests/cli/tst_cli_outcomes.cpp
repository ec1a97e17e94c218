// Every outcome docket-cli reports is the service's proof, for every service, behind the fronts a
// clinic's network puts before a service: a gateway that redirects a delete to its sign-in page,
// a proxy that answers 404 with its own page, Care360's uniform 404 for a file someone else
// uploaded, a lookup that fails, a resumed item that is no longer the one the batch named. After
// each, the audit trail and the sandbox's /state agree item by item.

#include "auditlog.h"
#include "clirun.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

namespace {

// One service as the tests below use it: its account, the route of its delete and the kind the
// sandbox's /state lists its deleted items under.
struct ServiceCase
{
    QString service; // the sandbox's name
    QString account; // docket-cli's account name
    QString deleteRoute;
    QString deletedKind;
    QString displayName; // as Docket names the service
};

const QList<ServiceCase> &services()
{
    static const QList<ServiceCase> all {
        { QStringLiteral("scriptix"), QStringLiteral("out-scriptix"),
          QStringLiteral("session.delete"), QStringLiteral("sessions"),
          QStringLiteral("Scriptix") },
        { QStringLiteral("care360"), QStringLiteral("out-care360"), QStringLiteral("file.delete"),
          QStringLiteral("files"), QStringLiteral("CareValidate Care360") },
        { QStringLiteral("documentpro"), QStringLiteral("out-dp"), QStringLiteral("result.delete"),
          QStringLiteral("parserResults"), QStringLiteral("DocumentPro") },
        { QStringLiteral("invox"), QStringLiteral("out-invox"), QStringLiteral("document.delete"),
          QStringLiteral("documents"), QStringLiteral("Invox Medical") },
    };
    return all;
}

const ServiceCase &serviceCase(const QString &service)
{
    for (const ServiceCase &each : services()) {
        if (each.service == service)
            return each;
    }
    return services().first();
}

} // namespace

class TestCliOutcomes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void redirectedDeleteFailsAndStays_data();
    void redirectedDeleteFailsAndStays();
    void proxy404FailsAndStays_data();
    void proxy404FailsAndStays();
    void staffUploadedCare360FileIsNotPermitted();
    void itemNotWhereItsPathSaysIsNotSent();
    void care360FileUnderAnotherCaseIsNotSent();
    void resumedItemThatChangedIsNotSent();

private:
    CliRun run(const QStringList &arguments)
    {
        return runDocketCli(m_config, arguments, m_secrets);
    }
    CliRun rm(const QString &path)
    {
        return run({ QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--yes"),
                     QStringLiteral("--retries"), QStringLiteral("0"), path });
    }
    void addAccount(const QString &service, const QString &name, const QStringList &extra = {});
    // A path to an item of `service` that this account may delete, and its id.
    QString deletablePath(const QString &service);
    // Care360 files of the demo patient's cases; `own`: uploaded by the patient, or by staff.
    QJsonObject care360File(bool own) const;
    QString care360Path(const QJsonObject &file) const;
    bool addFault(const QString &service, const QString &route, const QJsonObject &rule);
    // The trail's last word on every item and the sandbox agree: gone only if the sandbox deleted
    // it, and nothing the sandbox deleted is reported as still there.
    void verifyTrailAgreesWithSandbox();
    // No request left the client for `route` after being redirected: nothing followed it.
    int loginPageVisits(const QString &service) const
    {
        return m_sandbox.requestCount(service, QStringLiteral("gateway.login"));
    }

    SandboxProcess m_sandbox;
    QTemporaryDir m_dir;
    QString m_config;
    QProcessEnvironment m_secrets; // and the audit trail's file (DOCKET_AUDIT_FILE)
    bool m_care360SignedIn = false;
    int m_tests = 0;
};

void TestCliOutcomes::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    m_config = m_dir.filePath(QStringLiteral("accounts.ini"));
    const QJsonObject scriptix = m_sandbox.credentials(QStringLiteral("scriptix"));
    const QJsonObject care360 = m_sandbox.credentials(QStringLiteral("care360"));
    const QJsonObject documentPro = m_sandbox.credentials(QStringLiteral("documentpro"));
    const QJsonObject invox = m_sandbox.credentials(QStringLiteral("invox"));
    addAccount(QStringLiteral("scriptix"), QStringLiteral("out-scriptix"));
    addAccount(QStringLiteral("care360"), QStringLiteral("out-care360"),
               { QStringLiteral("--login"), care360.value(QStringLiteral("email")).toString() });
    addAccount(QStringLiteral("documentpro"), QStringLiteral("out-dp"));
    addAccount(QStringLiteral("invox"), QStringLiteral("out-invox"),
               { QStringLiteral("--app-id"), invox.value(QStringLiteral("appId")).toString() });
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_OUT_SCRIPTIX_TOKEN"),
                     scriptix.value(QStringLiteral("token")).toString());
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_OUT_CARE360_TENANT_KEY"),
                     care360.value(QStringLiteral("tenantKey")).toString());
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_OUT_DP_API_KEY"),
                     documentPro.value(QStringLiteral("apiKey")).toString());
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_OUT_INVOX_API_KEY"),
                     invox.value(QStringLiteral("apiKey")).toString());
}

void TestCliOutcomes::init()
{
    // Fresh data, no faults, zero counts, and an audit trail of this test's own, so that the
    // trail and the sandbox can be compared item by item.
    QVERIFY(m_sandbox.reset());
    m_secrets.insert(QStringLiteral("DOCKET_AUDIT_FILE"),
                     m_dir.filePath(QStringLiteral("audit-%1.sqlite").arg(++m_tests)));
    // A reset forgets Care360's sign-ins: sign in again where the test needs it. The refresh
    // token rotates, so it lives in the real keychain the test runner provides.
    m_care360SignedIn = false;
    const bool needsCare360
        = QString::fromLatin1(QTest::currentDataTag()).contains(QStringLiteral("care360"))
        || QString::fromLatin1(QTest::currentTestFunction()).contains(QStringLiteral("Care360"));
    if (!needsCare360)
        return;
    const CliRun signedIn
        = run({ QStringLiteral("signin"), QStringLiteral("out-care360"), QStringLiteral("--code"),
                m_sandbox.credentials(QStringLiteral("care360"))
                    .value(QStringLiteral("otpCode"))
                    .toString() });
    m_care360SignedIn = signedIn.exitCode == 0;
    if (!m_care360SignedIn) {
        QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,
                 qPrintable(signedIn.err));
        QSKIP("no keychain in this environment (scripts/test.sh provides one)");
    }
}

void TestCliOutcomes::addAccount(const QString &service, const QString &name,
                                 const QStringList &extra)
{
    addCliAccount([this](const QStringList &arguments) { return run(arguments); },
                  m_sandbox.baseUrl(service), service, name, extra);
}

bool TestCliOutcomes::addFault(const QString &service, const QString &route,
                               const QJsonObject &fault)
{
    QJsonObject rule = fault;
    rule.insert(QStringLiteral("service"), service);
    rule.insert(QStringLiteral("route"), route);
    return m_sandbox.addFault(rule);
}

QJsonObject TestCliOutcomes::care360File(bool own) const
{
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("care360"));
    const QString patientId = credentials.value(QStringLiteral("patientId")).toString();
    QSet<QString> cases;
    for (const QJsonValue &value : credentials.value(QStringLiteral("cases")).toArray())
        cases.insert(value.toObject().value(QStringLiteral("id")).toString());
    for (const QJsonValue &value :
         m_sandbox.state(QStringLiteral("care360")).value(QStringLiteral("files")).toArray()) {
        const QJsonObject file = value.toObject();
        const bool byPatient
            = file.value(QStringLiteral("uploadedBy")).toObject().value(QStringLiteral("id"))
            == patientId;
        if (cases.contains(file.value(QStringLiteral("caseId")).toString())
            && !file.value(QStringLiteral("isDeleted")).toBool() && byPatient == own)
            return file;
    }
    return {};
}

QString TestCliOutcomes::care360Path(const QJsonObject &file) const
{
    return QStringLiteral("/out-care360/%1/%2")
        .arg(file.value(QStringLiteral("caseId")).toString(),
             file.value(QStringLiteral("id")).toString());
}

QString TestCliOutcomes::deletablePath(const QString &service)
{
    const ServiceCase &target = serviceCase(service);
    if (service == QLatin1String("care360"))
        return care360Path(care360File(true));
    if (service == QLatin1String("invox")) {
        // Invox has no listing: Docket knows a document once it is recorded.
        const QJsonObject document = m_sandbox.credentials(QStringLiteral("invox"))
                                         .value(QStringLiteral("documents"))
                                         .toArray()
                                         .at(0)
                                         .toObject();
        const QString consultation
            = document.value(QStringLiteral("consultationSessionId")).toString();
        const QString id = document.value(QStringLiteral("documentId")).toString();
        // (Recorded already by an earlier test, it stays recorded: the index is Docket's own.)
        run({ QStringLiteral("invox"), QStringLiteral("add"), target.account, consultation, id,
              QStringLiteral("--name"),
              document.value(QStringLiteral("documentName")).toString() });
        return QStringLiteral("/%1/%2/%3").arg(target.account, consultation, id);
    }
    // Scriptix and DocumentPro: the first item their listing shows, one level down for
    // DocumentPro (its parser results are what can be deleted).
    const CliRun top
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), u'/' + target.account });
    const QJsonArray items = top.resultList();
    if (service == QLatin1String("scriptix"))
        return items.at(0).toObject().value(QStringLiteral("path")).toString();
    for (const QJsonValue &document : items) {
        const CliRun results
            = run({ QStringLiteral("--json"), QStringLiteral("ls"),
                    document.toObject().value(QStringLiteral("path")).toString() });
        const QJsonArray found = results.resultList();
        if (!found.isEmpty())
            return found.at(0).toObject().value(QStringLiteral("path")).toString();
    }
    return {};
}

void TestCliOutcomes::verifyTrailAgreesWithSandbox()
{
    const CliRun audit = run({ QStringLiteral("--json"), QStringLiteral("audit") });
    QVERIFY2(audit.exitCode == 0, qPrintable(audit.err));
    // Newest first: the first line about each of the service's items is the trail's last word
    // on it (an item may be in more than one batch).
    QSet<QString> seen;
    int checked = 0;
    for (const QJsonValue &value : audit.resultList()) {
        const QJsonObject entry = value.toObject();
        const QString key = entry.value(QStringLiteral("service")).toString() + u'/'
            + entry.value(QStringLiteral("id")).toString();
        if (seen.contains(key))
            continue;
        seen.insert(key);
        const QString service = entry.value(QStringLiteral("service")).toString();
        // docket-cli's service ids are the sandbox's.
        const QStringList deleted = m_sandbox.deletedIds(service, serviceCase(service).deletedKind);
        const QString id = entry.value(QStringLiteral("id")).toString();
        const QString outcome = entry.value(QStringLiteral("outcome")).toString();
        if (outcome == QLatin1String("deleted"))
            QVERIFY2(deleted.contains(id), qPrintable(service + u' ' + id));
        else if (outcome == QLatin1String("failed") || outcome == QLatin1String("not-permitted")
                 || outcome == QLatin1String("changed") || outcome == QLatin1String("cancelled"))
            QVERIFY2(!deleted.contains(id), qPrintable(outcome + u' ' + service + u' ' + id));
        ++checked;
    }
    QVERIFY(checked > 0);
}

void TestCliOutcomes::redirectedDeleteFailsAndStays_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<int>("code");
    for (const ServiceCase &each : services()) {
        // 302: Qt would re-send it as a GET to the login page; 307: as a DELETE to it.
        for (int code : { 302, 307 }) {
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(each.service).arg(code)))
                << each.service << code;
        }
    }
}

void TestCliOutcomes::redirectedDeleteFailsAndStays()
{
    QFETCH(QString, service);
    QFETCH(int, code);
    const ServiceCase &target = serviceCase(service);
    const QString path = deletablePath(service);
    QVERIFY(!path.isEmpty());
    const QString id = path.section(u'/', -1);
    QVERIFY(addFault(service, target.deleteRoute,
                     { { QStringLiteral("mode"), QStringLiteral("redirect") },
                       { QStringLiteral("status"), code },
                       { QStringLiteral("location"), QStringLiteral("/login") } }));
    const CliRun removed = rm(path);
    QCOMPARE(removed.exitCode, 1);
    const QJsonObject item = removed.firstRemoved();
    QCOMPARE(item.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
    const QString error = item.value(QStringLiteral("error")).toString();
    QVERIFY2(error.contains(QStringLiteral("redirected the delete to")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("/login")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("nothing is known to be deleted")), qPrintable(error));
    QVERIFY2(removed.err.contains(QStringLiteral("FAILED")), qPrintable(removed.err));
    // Sent once, not followed anywhere, and still on the service.
    QCOMPARE(m_sandbox.requestCount(service, target.deleteRoute), 1);
    QCOMPARE(loginPageVisits(service), 0);
    QVERIFY(!m_sandbox.deletedIds(service, target.deletedKind).contains(id));
    verifyTrailAgreesWithSandbox();
    // It is still there to delete once the front lets the delete through.
    QVERIFY(m_sandbox.clearFaults());
    const CliRun again = rm(path);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QCOMPARE(again.firstRemoved().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("deleted"));
    QVERIFY(m_sandbox.deletedIds(service, target.deletedKind).contains(id));
    verifyTrailAgreesWithSandbox();
}

void TestCliOutcomes::proxy404FailsAndStays_data()
{
    QTest::addColumn<QString>("service");
    for (const ServiceCase &each : services())
        QTest::newRow(qPrintable(each.service)) << each.service;
}

void TestCliOutcomes::proxy404FailsAndStays()
{
    QFETCH(QString, service);
    const ServiceCase &target = serviceCase(service);
    const QString path = deletablePath(service);
    QVERIFY(!path.isEmpty());
    const QString id = path.section(u'/', -1);
    QVERIFY(addFault(service, target.deleteRoute,
                     { { QStringLiteral("mode"), QStringLiteral("html404") } }));
    const CliRun removed = rm(path);
    QCOMPARE(removed.exitCode, 1);
    const QJsonObject item = removed.firstRemoved();
    QCOMPARE(item.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
    const QString error = item.value(QStringLiteral("error")).toString();
    QVERIFY2(
        error.contains(QStringLiteral("answered 404, but not as %1 does").arg(target.displayName)),
        qPrintable(error));
    QVERIFY2(!error.contains(u'<'), qPrintable(error)); // none of the proxy's markup
    QVERIFY(!m_sandbox.deletedIds(service, target.deletedKind).contains(id));
    // Still listed where it was: for Invox, Docket's index (its only record of the id) kept it.
    QVERIFY(m_sandbox.clearFaults());
    const CliRun listed = run({ QStringLiteral("ls"), path.section(u'/', 0, -2) });
    QVERIFY2(listed.out.contains(id), qPrintable(listed.out + listed.err));
    verifyTrailAgreesWithSandbox();
}

void TestCliOutcomes::staffUploadedCare360FileIsNotPermitted()
{
    const QJsonObject staffFile = care360File(false);
    QVERIFY(!staffFile.isEmpty());
    const QString path = care360Path(staffFile);
    const QString id = staffFile.value(QStringLiteral("id")).toString();
    const QString uploader = staffFile.value(QStringLiteral("uploadedBy"))
                                 .toObject()
                                 .value(QStringLiteral("firstName"))
                                 .toString();
    // Its row names its uploader, and the sign-in names the patient: left out before anything
    // is sent, saying why.
    const CliRun refused = rm(path);
    QCOMPARE(refused.exitCode, 1);
    const QJsonObject item = refused.firstRemoved();
    QCOMPARE(item.value(QStringLiteral("outcome")).toString(), QStringLiteral("not-permitted"));
    const QString error = item.value(QStringLiteral("error")).toString();
    QVERIFY2(error.contains(QStringLiteral("only the uploader can delete it")), qPrintable(error));
    QVERIFY2(error.contains(uploader), qPrintable(error));
    QVERIFY2(refused.err.contains(QStringLiteral("not permitted")), qPrintable(refused.err));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("file.delete")), 0);

    // Sent anyway (--force, as if Docket had it wrong): Care360's uniform 404, then the proof
    // after the fact: its metadata shows the file still there.
    const CliRun forced = runDocketCli(m_config,
                                       { QStringLiteral("--json"), QStringLiteral("rm"),
                                         QStringLiteral("--yes"), QStringLiteral("--force"), path },
                                       m_secrets);
    QCOMPARE(forced.exitCode, 1);
    const QJsonObject sent = forced.firstRemoved();
    QCOMPARE(sent.value(QStringLiteral("outcome")).toString(), QStringLiteral("not-permitted"));
    QVERIFY2(sent.value(QStringLiteral("error")).toString().contains(uploader),
             qPrintable(sent.value(QStringLiteral("error")).toString()));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("file.delete")), 1);
    // Still on Care360, and still listed in its case.
    QVERIFY(!m_sandbox.deletedIds(QStringLiteral("care360"), QStringLiteral("files")).contains(id));
    const CliRun listed = run({ QStringLiteral("ls"), path.section(u'/', 0, -2) });
    QVERIFY2(listed.out.contains(id), qPrintable(listed.out));
    verifyTrailAgreesWithSandbox();
}

void TestCliOutcomes::itemNotWhereItsPathSaysIsNotSent()
{
    // DocumentPro, Care360 and Invox delete by the last id alone: a real id under the wrong
    // parent must not be sent.
    const QString result = deletablePath(QStringLiteral("documentpro"));
    QVERIFY(!result.isEmpty());
    // (DocumentPro lists no such document, so its results cannot be read: the lookup fails.)
    const CliRun dp = rm(QStringLiteral("/out-dp/NO_SUCH_DOC/") + result.section(u'/', -1));
    QCOMPARE(dp.exitCode, 1);
    QCOMPARE(dp.firstRemoved().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("lookup-failed"));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("documentpro"), QStringLiteral("result.delete")),
             0);

    // A lookup that meets a proxy's 404 is an error, not "not found".
    QVERIFY(addFault(QStringLiteral("scriptix"), QStringLiteral("session.get"),
                     { { QStringLiteral("mode"), QStringLiteral("html404") } }));
    const QString session = deletablePath(QStringLiteral("scriptix"));
    const CliRun scriptix = rm(session);
    QCOMPARE(scriptix.exitCode, 1);
    QCOMPARE(scriptix.firstRemoved().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("lookup-failed"));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.delete")),
             0);
    QVERIFY(m_sandbox.deletedIds(QStringLiteral("scriptix"), QStringLiteral("sessions")).isEmpty());
}

void TestCliOutcomes::care360FileUnderAnotherCaseIsNotSent()
{
    const QJsonObject file = care360File(true);
    QVERIFY(!file.isEmpty());
    const QString otherCase = m_sandbox.credentials(QStringLiteral("care360"))
                                  .value(QStringLiteral("otherPatientCaseId"))
                                  .toString();
    const CliRun removed = rm(QStringLiteral("/out-care360/%1/%2")
                                  .arg(otherCase, file.value(QStringLiteral("id")).toString()));
    // Not this patient's case: its listing is refused (403), so the lookup fails and nothing is
    // sent, though Care360 would delete the file by its id alone.
    QCOMPARE(removed.exitCode, 1);
    QCOMPARE(removed.firstRemoved().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("lookup-failed"));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("file.delete")), 0);
}

void TestCliOutcomes::resumedItemThatChangedIsNotSent()
{
    // A batch a stopped Docket left: two sessions, one recorded under the name it has now and one
    // under a name it no longer has (what holds that id now is not what the user chose).
    const CliRun listed
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/out-scriptix") });
    const QJsonArray sessions = listed.resultList();
    QVERIFY(sessions.size() >= 2);
    const CliRun accounts = run({ QStringLiteral("--json"), QStringLiteral("accounts") });
    QString accountId;
    for (const QJsonValue &account : accounts.resultList()) {
        if (account.toObject().value(QStringLiteral("name")) == QLatin1String("out-scriptix"))
            accountId = account.toObject().value(QStringLiteral("id")).toString();
    }
    QVERIFY(!accountId.isEmpty());
    QList<DeletionItem> items;
    for (int i = 0; i < 2; ++i) {
        const QJsonObject session = sessions.at(i).toObject();
        DeletionItem item;
        item.accountId = accountId;
        item.accountName = QStringLiteral("out-scriptix");
        item.service = ServiceKind::Scriptix;
        item.ref
            = { NodeKind::ScriptixSession, { session.value(QStringLiteral("id")).toString() } };
        item.name = i == 0 ? session.value(QStringLiteral("name")).toString()
                           : QStringLiteral("consult-2026-01-01-someone-else.m4a");
        items.append(item);
    }
    qint64 batch = 0;
    {
        AuditLog audit(m_secrets.value(QStringLiteral("DOCKET_AUDIT_FILE")));
        QVERIFY2(audit.open(nullptr), qPrintable(audit.lastError()));
        batch = audit.createBatch(items, QStringLiteral("cli"));
        QVERIFY(batch > 0);
        audit.releaseBatch(batch); // as a Docket that stopped
    }
    const CliRun resumed = run({ QStringLiteral("--json"), QStringLiteral("resume"),
                                 QString::number(batch), QStringLiteral("--yes") });
    QCOMPARE(resumed.exitCode, 1); // one item not deleted
    QVERIFY2(resumed.err.contains(QStringLiteral("CHANGED")), qPrintable(resumed.err));
    QVERIFY2(resumed.err.contains(QStringLiteral("someone-else")), qPrintable(resumed.err));
    const QStringList deleted
        = m_sandbox.deletedIds(QStringLiteral("scriptix"), QStringLiteral("sessions"));
    QCOMPARE(deleted, QStringList { items.at(0).ref.id() });
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.delete")),
             1);
    AuditLog audit(m_secrets.value(QStringLiteral("DOCKET_AUDIT_FILE")));
    QVERIFY(audit.open(nullptr));
    const QList<DeletionItem> after = audit.batchItems(batch);
    QCOMPARE(after.size(), 2);
    for (const DeletionItem &item : after)
        QCOMPARE(item.state,
                 item.ref == items.at(0).ref ? DeletionState::Deleted : DeletionState::Changed);
    verifyTrailAgreesWithSandbox();
}

QTEST_GUILESS_MAIN(TestCliOutcomes)
#include "tst_cli_outcomes.moc"
