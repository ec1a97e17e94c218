// What `docket-cli rm` spends on finding its targets, counted (not timed) on the real sandbox:
// targets are looked up by parent, each parent's listing read once for all of its targets, so N
// targets under one parent cost at most ceil(N / page) + N requests (issue 14). Each test also
// checks what was not sent and why: "not found" only where the listing proves it, a failed page
// fails every target of that parent and sends nothing for them; and the audit trail and the
// sandbox's /state agree afterwards.

#include "cannedserver.h"
#include "clirun.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString scriptix = QStringLiteral("scriptix");
const QString care360 = QStringLiteral("care360");
const QString documentPro = QStringLiteral("documentpro");

// The sandbox's routes of `service` and how many requests reached each.
using RouteCounts = QHash<QString, int>;

// What `after` holds beyond `before`, route by route (only the routes that grew).
RouteCounts grown(const RouteCounts &before, const RouteCounts &after)
{
    RouteCounts grew;
    for (auto route = after.cbegin(); route != after.cend(); ++route) {
        if (route.value() > before.value(route.key()))
            grew.insert(route.key(), route.value() - before.value(route.key()));
    }
    return grew;
}

int sum(const RouteCounts &counts, const QString &excludedPrefix = {})
{
    int total = 0;
    for (auto route = counts.cbegin(); route != counts.cend(); ++route) {
        if (excludedPrefix.isEmpty() || !route.key().startsWith(excludedPrefix))
            total += route.value();
    }
    return total;
}

QString describe(const RouteCounts &counts)
{
    QStringList parts;
    for (auto route = counts.cbegin(); route != counts.cend(); ++route)
        parts.append(QStringLiteral("%1=%2").arg(route.key()).arg(route.value()));
    parts.sort();
    return parts.join(u' ');
}

QStringList stringsOf(const QJsonArray &array, const QString &field)
{
    QStringList values;
    for (const QJsonValue &value : array)
        values.append(value.toObject().value(field).toString());
    return values;
}

} // namespace

// Signs in to Care360, or skips the test where there is no keychain for its rotating refresh
// token (scripts/test.sh provides one, and DOCKET_REQUIRE_KEYCHAIN makes its absence a failure).
#define SIGN_IN_CARE360_OR_SKIP()                                                                  \
    do {                                                                                           \
        const QString problem = signInCare360();                                                   \
        if (!problem.isEmpty()) {                                                                  \
            QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,                 \
                     qPrintable(problem));                                                         \
            QSKIP("no keychain in this environment (scripts/test.sh provides one)");               \
        }                                                                                          \
    } while (false)

class TestCliRmRequests : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void thirtyScriptixSessionsCostOneListPageAndThirtyDeletes();
    void scriptixSessionsSpreadOverManyPagesAreFetchedAlone();
    void care360FilesOfOneCaseCostOneListAndTheirDeletes();
    void targetsNotInTheListingAreNotFoundOnlyWhereItProvesIt();
    void aFailedListingFailsEveryTargetOfThatParent();
    void targetsUnderTwoParentsReadEachParentOnce();
    void childCountIsFetchedOnlyWhenSomeoneReadsTheList();

private:
    CliRun run(const QStringList &arguments, const QProcessEnvironment &extra = {})
    {
        QProcessEnvironment environment = m_environment;
        for (const QString &key : extra.keys())
            environment.insert(key, extra.value(key));
        return runDocketCli(m_config, arguments, environment);
    }
    CliRun rm(const QStringList &paths)
    {
        return run(QStringList { QStringLiteral("--json"), QStringLiteral("rm"),
                                 QStringLiteral("--yes"), QStringLiteral("--retries"),
                                 QStringLiteral("0") }
                   + paths);
    }
    RouteCounts counts(const QString &service) const;
    // The first `count` items `ls PATH` shows (its first page), as JSON.
    QJsonArray listed(const QString &path, int count = -1);
    // Empty when signed in; else why not (SIGN_IN_CARE360_OR_SKIP decides).
    QString signInCare360();
    // The live files of the demo patient's cases, by case, as the sandbox holds them.
    QHash<QString, QStringList> care360FilesByCase() const;
    // The trail's last word on each item and the sandbox agree: gone only if the sandbox deleted
    // it, and nothing reported still there that the sandbox deleted.
    void verifyTrailAgreesWithSandbox();

    // Large enough for a case of 200 Care360 files (scale/2 files over 10 cases) and a session
    // list of 40 pages; rate limits lifted, as the counts, not the pace, are under test.
    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("4000"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
    QTemporaryDir m_dir;
    QString m_config;
    QProcessEnvironment m_environment; // secrets and the audit trail's file
    int m_tests = 0;
};

void TestCliRmRequests::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    m_config = m_dir.filePath(QStringLiteral("accounts.ini"));
    const auto add = [this](const QString &service, const QString &name, const QStringList &extra) {
        addCliAccount([this](const QStringList &arguments) { return run(arguments); },
                      m_sandbox.baseUrl(service), service, name, extra);
    };
    add(scriptix, QStringLiteral("req-scriptix"),
        { QStringLiteral("--requests-per-minute"), QStringLiteral("0") });
    add(care360, QStringLiteral("req-care360"),
        { QStringLiteral("--login"),
          m_sandbox.credentials(care360).value(QStringLiteral("email")).toString() });
    add(documentPro, QStringLiteral("req-dp"), {});
    m_environment.insert(QStringLiteral("DOCKET_SECRET_REQ_SCRIPTIX_TOKEN"),
                         m_sandbox.credentials(scriptix).value(QStringLiteral("token")).toString());
    m_environment.insert(
        QStringLiteral("DOCKET_SECRET_REQ_CARE360_TENANT_KEY"),
        m_sandbox.credentials(care360).value(QStringLiteral("tenantKey")).toString());
    m_environment.insert(
        QStringLiteral("DOCKET_SECRET_REQ_DP_API_KEY"),
        m_sandbox.credentials(documentPro).value(QStringLiteral("apiKey")).toString());
}

void TestCliRmRequests::init()
{
    QVERIFY(m_sandbox.reset());
    m_environment.insert(QStringLiteral("DOCKET_AUDIT_FILE"),
                         m_dir.filePath(QStringLiteral("audit-%1.sqlite").arg(++m_tests)));
}

RouteCounts TestCliRmRequests::counts(const QString &service) const
{
    RouteCounts result;
    const QJsonObject routes
        = m_sandbox.state().value(QStringLiteral("requests")).toObject().value(service).toObject();
    for (auto route = routes.constBegin(); route != routes.constEnd(); ++route)
        result.insert(route.key(), route.value().toInt());
    return result;
}

QJsonArray TestCliRmRequests::listed(const QString &path, int count)
{
    const CliRun ls = run({ QStringLiteral("--json"), QStringLiteral("ls"), path });
    const QJsonArray all = ls.json().value(QStringLiteral("result")).toArray();
    if (count < 0 || count >= all.size())
        return all;
    QJsonArray first;
    for (int i = 0; i < count; ++i)
        first.append(all.at(i));
    return first;
}

QString TestCliRmRequests::signInCare360()
{
    // A reset forgets Care360's sign-ins; the refresh token rotates, so it lives in the real
    // keychain the test runner provides.
    const CliRun signedIn
        = run({ QStringLiteral("signin"), QStringLiteral("req-care360"), QStringLiteral("--code"),
                m_sandbox.credentials(care360).value(QStringLiteral("otpCode")).toString() });
    return signedIn.exitCode == 0 ? QString() : signedIn.err + u' ';
}

QHash<QString, QStringList> TestCliRmRequests::care360FilesByCase() const
{
    const QJsonObject credentials = m_sandbox.credentials(care360);
    const QString patientId = credentials.value(QStringLiteral("patientId")).toString();
    QSet<QString> cases;
    for (const QJsonValue &value : credentials.value(QStringLiteral("cases")).toArray())
        cases.insert(value.toObject().value(QStringLiteral("id")).toString());
    QHash<QString, QStringList> files;
    for (const QJsonValue &value :
         m_sandbox.state(care360).value(QStringLiteral("files")).toArray()) {
        const QJsonObject file = value.toObject();
        const QString caseId = file.value(QStringLiteral("caseId")).toString();
        if (cases.contains(caseId) && !file.value(QStringLiteral("isDeleted")).toBool()
            && file.value(QStringLiteral("uploadedBy")).toObject().value(QStringLiteral("id"))
                == patientId)
            files[caseId].append(file.value(QStringLiteral("id")).toString());
    }
    return files;
}

void TestCliRmRequests::verifyTrailAgreesWithSandbox()
{
    const CliRun audit = run({ QStringLiteral("--json"), QStringLiteral("audit") });
    QVERIFY2(audit.exitCode == 0, qPrintable(audit.err));
    static const QHash<QString, QString> deletedKind {
        { scriptix, QStringLiteral("sessions") },
        { care360, QStringLiteral("files") },
        { documentPro, QStringLiteral("parserResults") },
    };
    QHash<QString, QSet<QString>> deletedByService;
    QSet<QString> seen;
    for (const QJsonValue &value : audit.json().value(QStringLiteral("result")).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString service = entry.value(QStringLiteral("service")).toString();
        const QString id = entry.value(QStringLiteral("id")).toString();
        // Newest first: the first line about an item is the trail's last word on it.
        if (seen.contains(service + u'/' + id))
            continue;
        seen.insert(service + u'/' + id);
        if (!deletedByService.contains(service)) {
            QStringList ids = m_sandbox.deletedIds(service, deletedKind.value(service));
            // Scriptix lists deleted documents apart from deleted sessions.
            if (service == scriptix)
                ids += m_sandbox.deletedIds(service, QStringLiteral("documents"));
            deletedByService.insert(service, QSet<QString>(ids.cbegin(), ids.cend()));
        }
        const QSet<QString> &deleted = deletedByService[service];
        const QString outcome = entry.value(QStringLiteral("outcome")).toString();
        if (outcome == QLatin1String("deleted"))
            QVERIFY2(deleted.contains(id), qPrintable(service + u' ' + id));
        else if (outcome != QLatin1String("already-gone") && outcome != QLatin1String("unknown"))
            QVERIFY2(!deleted.contains(id), qPrintable(outcome + u' ' + service + u' ' + id));
    }
}

void TestCliRmRequests::thirtyScriptixSessionsCostOneListPageAndThirtyDeletes()
{
    // The first 30 sessions `ls` shows, as a user would pick them.
    const QJsonArray sessions = listed(QStringLiteral("/req-scriptix"), 30);
    QCOMPARE(sessions.size(), 30);
    const QStringList paths = stringsOf(sessions, QStringLiteral("path"));
    const RouteCounts before = counts(scriptix);
    const CliRun removed = rm(paths);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    const RouteCounts spent = grown(before, counts(scriptix));
    // One page of the session list names all 30 (no GET per session), then 30 DELETEs. No
    // confirmation is shown (--yes), so no child count is fetched: the rows carry one.
    QVERIFY2(sum(spent) <= 31, qPrintable(describe(spent)));
    QCOMPARE(spent.value(QStringLiteral("session.list")), 1);
    QCOMPARE(spent.value(QStringLiteral("session.get")), 0);
    QCOMPARE(spent.value(QStringLiteral("session.delete")), 30);
    qInfo("rm of 30 Scriptix sessions: %d requests (%s)", sum(spent), qPrintable(describe(spent)));

    // Each named as the listing names it, with the count its row gave.
    const QJsonArray items = removed.removed();
    QCOMPARE(items.size(), 30);
    for (int i = 0; i < 30; ++i) {
        const QJsonObject item = items.at(i).toObject();
        QCOMPARE(item.value(QStringLiteral("path")).toString(), paths.at(i));
        QCOMPARE(item.value(QStringLiteral("name")).toString(),
                 sessions.at(i).toObject().value(QStringLiteral("name")).toString());
        QVERIFY(item.value(QStringLiteral("found")).toBool());
        QVERIFY(item.value(QStringLiteral("childCount")).toInt(-1) >= 0);
        QCOMPARE(item.value(QStringLiteral("outcome")).toString(), QStringLiteral("deleted"));
    }
    const QStringList deleted = m_sandbox.deletedIds(scriptix, QStringLiteral("sessions"));
    QStringList ids;
    for (const QString &path : paths)
        ids.append(path.section(u'/', -1));
    QCOMPARE(QSet<QString>(deleted.cbegin(), deleted.cend()),
             QSet<QString>(ids.cbegin(), ids.cend()));
    verifyTrailAgreesWithSandbox();
}

void TestCliRmRequests::scriptixSessionsSpreadOverManyPagesAreFetchedAlone()
{
    // One session from each of 30 pages of 100 (of 40): reading the pages would cost more than
    // a GET for each, so after the first page each remaining one is read with its own GET.
    const CliRun all = run({ QStringLiteral("--json"), QStringLiteral("ls"),
                             QStringLiteral("/req-scriptix"), QStringLiteral("--all") });
    const QJsonArray sessions = all.json().value(QStringLiteral("result")).toArray();
    QCOMPARE(sessions.size(), 4000);
    QStringList paths;
    for (int page = 0; page < 30; ++page)
        paths.append(
            sessions.at(page * 100 + 7).toObject().value(QStringLiteral("path")).toString());
    const RouteCounts before = counts(scriptix);
    const CliRun removed = rm(paths);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    const RouteCounts spent = grown(before, counts(scriptix));
    // Never more than one lookup request per target, plus the first page.
    const int lookups
        = spent.value(QStringLiteral("session.list")) + spent.value(QStringLiteral("session.get"));
    QVERIFY2(lookups <= 30 + 1, qPrintable(describe(spent)));
    QCOMPARE(spent.value(QStringLiteral("session.list")), 1);
    QCOMPARE(spent.value(QStringLiteral("session.delete")), 30);
    QCOMPARE(m_sandbox.deletedIds(scriptix, QStringLiteral("sessions")).size(), 30);
    verifyTrailAgreesWithSandbox();
}

void TestCliRmRequests::care360FilesOfOneCaseCostOneListAndTheirDeletes()
{
    SIGN_IN_CARE360_OR_SKIP();
    const QHash<QString, QStringList> files = care360FilesByCase();
    QString caseId;
    for (auto each = files.cbegin(); each != files.cend(); ++each) {
        if (each.value().size() >= 200)
            caseId = each.key();
    }
    QVERIFY(!caseId.isEmpty());
    QStringList paths;
    for (const QString &file : files.value(caseId).mid(0, 200))
        paths.append(QStringLiteral("/req-care360/%1/%2").arg(caseId, file));
    const RouteCounts before = counts(care360);
    const CliRun removed = rm(paths);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err.right(2000)));
    const RouteCounts spent = grown(before, counts(care360));
    // Care360's case list is whole (one page): the case is read once, not once per file.
    QCOMPARE(spent.value(QStringLiteral("file.list")), 1);
    QCOMPARE(spent.value(QStringLiteral("file.delete")), 200);
    // Renewing the sign-in aside, nothing else.
    QVERIFY2(sum(spent, QStringLiteral("auth.")) <= 1 + 200, qPrintable(describe(spent)));
    qInfo("rm of 200 Care360 files in one case: %d requests (%s)", sum(spent),
          qPrintable(describe(spent)));
    const QStringList deleted = m_sandbox.deletedIds(care360, QStringLiteral("files"));
    QCOMPARE(deleted.size(), 200);
    verifyTrailAgreesWithSandbox();
}

void TestCliRmRequests::targetsNotInTheListingAreNotFoundOnlyWhereItProvesIt()
{
    // Scriptix's session list is documented in full: a session it lacks is not there.
    const QJsonArray sessions = listed(QStringLiteral("/req-scriptix"), 2);
    QStringList paths = stringsOf(sessions, QStringLiteral("path"));
    paths.append(QStringLiteral("/req-scriptix/sess_never_was"));
    CliRun removed = rm(paths);
    QCOMPARE(removed.exitCode, 0); // not there is what was asked for
    QJsonArray items = removed.removed();
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("deleted"));
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("deleted"));
    QCOMPARE(items.at(2).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("not-found"));
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.delete")), 2);
    QVERIFY(!m_sandbox.deletedIds(scriptix, QStringLiteral("sessions"))
                 .contains(QStringLiteral("sess_never_was")));

    // A session's documents are not a documented list: one it lacks may still be there, so it
    // is not sent (without --force) and not called gone.
    const QString session = listed(QStringLiteral("/req-scriptix"), 1)
                                .at(0)
                                .toObject()
                                .value(QStringLiteral("path"))
                                .toString();
    const QJsonArray documents = listed(session);
    QVERIFY(!documents.isEmpty());
    const int documentDeletes = m_sandbox.requestCount(scriptix, QStringLiteral("document.delete"));
    removed = rm({ documents.at(0).toObject().value(QStringLiteral("path")).toString(),
                   session + QStringLiteral("/doc_never_was") });
    QCOMPARE(removed.exitCode, 1);
    items = removed.removed();
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("deleted"));
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("not-listed"));
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("document.delete")),
             documentDeletes + 1);

    // DocumentPro: a document's runs are its whole list of results.
    QString result;
    QString document;
    for (const QJsonValue &value : listed(QStringLiteral("/req-dp"))) {
        const QString path = value.toObject().value(QStringLiteral("path")).toString();
        const QJsonArray results = listed(path);
        if (!results.isEmpty()) {
            document = path;
            result = results.at(0).toObject().value(QStringLiteral("path")).toString();
            break;
        }
    }
    QVERIFY(!result.isEmpty());
    removed = rm({ result, document + QStringLiteral("/no_such_request") });
    QCOMPARE(removed.exitCode, 0);
    items = removed.removed();
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("deleted"));
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("not-found"));
    QCOMPARE(m_sandbox.requestCount(documentPro, QStringLiteral("result.delete")), 1);
    verifyTrailAgreesWithSandbox();
}

void TestCliRmRequests::aFailedListingFailsEveryTargetOfThatParent()
{
    // Every page of the session list fails: no target of it is known, none is sent.
    const QStringList paths
        = stringsOf(listed(QStringLiteral("/req-scriptix"), 5), QStringLiteral("path"));
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), scriptix },
                                 { QStringLiteral("route"), QStringLiteral("session.list") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 503 } }));
    CliRun removed = rm(paths);
    QCOMPARE(removed.exitCode, 1);
    for (const QJsonValue &item : removed.removed()) {
        QCOMPARE(item.toObject().value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("lookup-failed"));
        QVERIFY(!item.toObject().value(QStringLiteral("lookupError")).toString().isEmpty());
    }
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.delete")), 0);
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.get")), 0);
    QVERIFY(m_sandbox.clearFaults());

    // Two parents, the first one's listing failing once: only its targets fail; the other's are
    // deleted.
    const QJsonArray first = listed(paths.at(0));
    const QJsonArray second = listed(paths.at(1));
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), scriptix },
                                 { QStringLiteral("route"), QStringLiteral("session.get") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 500 },
                                 { QStringLiteral("count"), 1 } }));
    const QStringList documents
        = stringsOf(first, QStringLiteral("path")) + stringsOf(second, QStringLiteral("path"));
    removed = rm(documents);
    QCOMPARE(removed.exitCode, 1);
    const QJsonArray items = removed.removed();
    QCOMPARE(items.size(), documents.size());
    for (int i = 0; i < items.size(); ++i) {
        const QString outcome = items.at(i).toObject().value(QStringLiteral("outcome")).toString();
        QCOMPARE(outcome,
                 i < first.size() ? QStringLiteral("lookup-failed") : QStringLiteral("deleted"));
    }
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("document.delete")),
             int(second.size()));
    const QStringList deleted = m_sandbox.deletedIds(scriptix, QStringLiteral("documents"));
    for (const QString &path : stringsOf(first, QStringLiteral("path")))
        QVERIFY(!deleted.contains(path.section(u'/', -1)));
    verifyTrailAgreesWithSandbox();
}

void TestCliRmRequests::targetsUnderTwoParentsReadEachParentOnce()
{
    // Scriptix documents of two sessions, interleaved on the command line: each session is read
    // once (its GET names its documents), whatever the order.
    const QStringList sessions
        = stringsOf(listed(QStringLiteral("/req-scriptix"), 2), QStringLiteral("path"));
    const QStringList first = stringsOf(listed(sessions.at(0)), QStringLiteral("path"));
    const QStringList second = stringsOf(listed(sessions.at(1)), QStringLiteral("path"));
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QStringList paths;
    for (qsizetype i = 0; i < qMax(first.size(), second.size()); ++i) {
        if (i < first.size())
            paths.append(first.at(i));
        if (i < second.size())
            paths.append(second.at(i));
    }
    RouteCounts before = counts(scriptix);
    CliRun removed = rm(paths);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    RouteCounts spent = grown(before, counts(scriptix));
    QCOMPARE(spent.value(QStringLiteral("session.get")), 2);
    QCOMPARE(spent.value(QStringLiteral("document.delete")), int(paths.size()));
    QCOMPARE(sum(spent), 2 + int(paths.size()));

    // Care360 files of two cases: each case's list read once.
    SIGN_IN_CARE360_OR_SKIP();
    const QHash<QString, QStringList> files = care360FilesByCase();
    QStringList cases = files.keys();
    cases.sort();
    QVERIFY(cases.size() >= 2);
    paths.clear();
    for (int i = 0; i < 3; ++i) {
        for (int c = 0; c < 2; ++c)
            paths.append(QStringLiteral("/req-care360/%1/%2")
                             .arg(cases.at(c), files.value(cases.at(c)).at(i)));
    }
    before = counts(care360);
    removed = rm(paths);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    spent = grown(before, counts(care360));
    QCOMPARE(spent.value(QStringLiteral("file.list")), 2);
    QCOMPARE(spent.value(QStringLiteral("file.delete")), 6);
    verifyTrailAgreesWithSandbox();
}

void TestCliRmRequests::childCountIsFetchedOnlyWhenSomeoneReadsTheList()
{
    // Scriptix as documented: session rows without a "documents" list, and a session's own GET
    // naming a single "document", which does not say there is no other.
    CannedServer server;
    QVERIFY(server.listen());
    const QString base = QStringLiteral("/api/v3/speech-to-text/session");
    server.bodies.insert(base, R"({"count": 2, "total_results": 2, "result": [
                                    {"session_id": "s1", "filename": "one.m4a"},
                                    {"session_id": "s2", "filename": "two.m4a"}]})");
    for (const QString &id : { QStringLiteral("s1"), QStringLiteral("s2") })
        server.bodies.insert(base + u'/' + id,
                             QStringLiteral(R"({"session_id": "%1", "filename": "x.m4a",
                                "document": {"id": "d1", "name": "t", "type": "transcript"}})")
                                 .arg(id)
                                 .toUtf8());
    const CliRun added = run({ QStringLiteral("account"), QStringLiteral("add"), scriptix,
                               QStringLiteral("canned-scriptix"), QStringLiteral("--base-url"),
                               server.url(QStringLiteral("/api/v3")).toString(),
                               QStringLiteral("--requests-per-minute"), QStringLiteral("0") });
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QProcessEnvironment token;
    token.insert(QStringLiteral("DOCKET_SECRET_CANNED_SCRIPTIX_TOKEN"), QStringLiteral("canned"));
    const QStringList paths
        = { QStringLiteral("/canned-scriptix/s1"), QStringLiteral("/canned-scriptix/s2") };

    // --dry-run is read: each session's count is asked for once, and, not being Scriptix's
    // count of its documents, left out rather than shown wrong.
    CliRun dry = run(
        QStringList { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--dry-run") }
            + paths,
        token);
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.err));
    QCOMPARE(server.targets.count(base + QStringLiteral("?offset=0&limit=100")), 1);
    QCOMPARE(server.targets.count(base + QStringLiteral("/s1")), 1);
    QCOMPARE(server.targets.count(base + QStringLiteral("/s2")), 1);
    for (const QJsonValue &item : dry.removed()) {
        QVERIFY(item.toObject().value(QStringLiteral("found")).toBool());
        QVERIFY(!item.toObject().contains(QStringLiteral("childCount")));
    }
    QVERIFY2(dry.err.contains(QStringLiteral("all its documents")), qPrintable(dry.err));
    QCOMPARE(dry.removed().at(0).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("one.m4a"));

    // --yes shows no confirmation: the list, then the deletes, and nothing else.
    server.targets.clear();
    const CliRun removed = run(
        QStringList { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--yes") }
            + paths,
        token);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QCOMPARE(server.targets.size(), 3);
    QCOMPARE(server.targets.count(base + QStringLiteral("?offset=0&limit=100")), 1);
    for (const QJsonValue &item : removed.removed()) {
        QCOMPARE(item.toObject().value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("deleted"));
        QVERIFY(!item.toObject().contains(QStringLiteral("childCount")));
    }
}

QTEST_GUILESS_MAIN(TestCliRmRequests)
#include "tst_cli_rm_requests.moc"
