// docket-cli end to end: the real executable, a private settings file, secrets from the
// environment or the real keychain, against the sandbox: accounts, listing, signing in, each
// service's own commands, and what reaches the terminal. Deleting is in tst_cli_rm.
#include "cannedserver.h"
#include "docketclisandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QUrlQuery>

class TestDocketCli : public DocketCliSandbox
{
    Q_OBJECT

private Q_SLOTS:
    void addsAndListsAccounts();
    void refusesPlainHttpToAnotherHost();
    void listsWithSecretFromEnvironment();
    void listsEverythingAsJson();
    void lsAllStopsWhenTheCursorRepeats();
    void deletesADocumentProResult();
    void wrongTokenFailsSignIn();
    void signInWithoutKeychainSaysSoAndEnvironmentStillWorks();
    void care360SignInWithCodeThenSoftDelete();
    void invoxUploadListDelete();
    void rejectsPathsDeeperThanTheService();
    void hostileNamesCannotGarbleTheTerminal();
    void whatAServerSaysReachesTheTerminalInert();
};

void TestDocketCli::addsAndListsAccounts()
{
    const CliRun listed = run({ QStringLiteral("--json"), QStringLiteral("accounts") });
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray accounts = listed.resultList();
    QVERIFY(!accounts.isEmpty());
    QCOMPARE(accounts.at(0).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("sbx-scriptix"));
    // A second account of the same name is refused.
    const CliRun again
        = run({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("scriptix"),
                QStringLiteral("SBX-Scriptix"), QStringLiteral("--base-url"),
                m_sandbox.baseUrl(QStringLiteral("scriptix")).toString() });
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains(QStringLiteral("already exists")));
    // The settings file holds no secret.
    const QByteArray settings = fileContents(m_config);
    QVERIFY(!settings.isEmpty());
    QVERIFY(!settings.contains(
        m_sandbox.credential(QStringLiteral("scriptix"), QStringLiteral("token"))));
}

void TestDocketCli::refusesPlainHttpToAnotherHost()
{
    const CliRun added
        = run({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("scriptix"),
                QStringLiteral("insecure"), QStringLiteral("--base-url"),
                QStringLiteral("http://example.com/api/v3") });
    QCOMPARE(added.exitCode, 2);
    QVERIFY2(added.err.contains(QStringLiteral("https://")), qPrintable(added.err));
}

void TestDocketCli::listsWithSecretFromEnvironment()
{
    const CliRun listed
        = run({ QStringLiteral("ls"), QStringLiteral("/sbx-scriptix") }, scriptixSecret());
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
    const int total = m_sandbox.state()
                          .value(QStringLiteral("services"))
                          .toObject()
                          .value(QStringLiteral("scriptix"))
                          .toObject()
                          .value(QStringLiteral("counts"))
                          .toObject()
                          .value(QStringLiteral("sessions"))
                          .toInt();
    QVERIFY(total > 0);
    // One line per session of the demo token (the other tokens' sessions are not visible).
    QVERIFY(listed.out.count(u'\n') >= 10);
    QVERIFY(listed.out.contains(QStringLiteral("/sbx-scriptix/sess_")));
    // The token never appears in the output.
    QVERIFY(!listed.out.contains(
        scriptixSecret().value(QStringLiteral("DOCKET_SECRET_SBX_SCRIPTIX_TOKEN"))));
}

void TestDocketCli::listsEverythingAsJson()
{
    const CliRun listed = run({ QStringLiteral("--json"), QStringLiteral("ls"),
                                QStringLiteral("--all"), QStringLiteral("/sbx-scriptix") },
                              scriptixSecret());
    QCOMPARE(listed.exitCode, 0);
    QVERIFY(listed.json().value(QStringLiteral("ok")).toBool());
    const QJsonArray items = listed.resultList();
    QVERIFY(items.size() >= 10);
    QSet<QString> ids;
    for (const QJsonValue &item : items) {
        QCOMPARE(item.toObject().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("session"));
        ids.insert(item.toObject().value(QStringLiteral("id")).toString());
    }
    QCOMPARE(ids.size(), items.size());
    // A session's documents, one level down.
    const QString session = items.at(0).toObject().value(QStringLiteral("id")).toString();
    const CliRun documents = run({ QStringLiteral("--json"), QStringLiteral("ls"),
                                   QStringLiteral("/sbx-scriptix/") + session },
                                 scriptixSecret());
    QCOMPARE(documents.exitCode, 0);
    const QJsonArray documentItems = documents.resultList();
    QVERIFY(!documentItems.isEmpty());
    QCOMPARE(documentItems.at(0).toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("document"));
}

// A service whose next-page cursor comes back (a, b, a, ...) would keep `ls --all` reading the
// same pages for ever: it stops with the reason, non-zero. (Before, it hung: runDocketCli()'s
// timeout then gives -1.)
void TestDocketCli::lsAllStopsWhenTheCursorRepeats()
{
    CannedServer server;
    QVERIFY(server.listen());
    server.answer = [](const QString &target) -> QByteArray {
        const QString key = QUrlQuery(QUrl(target).query(QUrl::FullyEncoded))
                                .queryItemValue(QStringLiteral("pagination_key"));
        const auto page = [](const char *id, const char *next) -> QByteArray {
            return QByteArray(R"({"files": [{"document_id": ")") + id + R"(", "file_name": ")" + id
                + R"(.pdf", "num_pages": "1"}], "pagination_key": ")" + next + "\"}";
        };
        if (key.isEmpty())
            return page("d1", "a");
        return key == u"a" ? page("d2", "b") : page("d3", "a");
    };
    const CliRun added
        = run({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("documentpro"),
                QStringLiteral("loopy"), QStringLiteral("--base-url"), server.url().toString() });
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QProcessEnvironment key;
    key.insert(QStringLiteral("DOCKET_SECRET_LOOPY_API_KEY"), QStringLiteral("canned-key"));

    const CliRun listed
        = run({ QStringLiteral("ls"), QStringLiteral("/loopy"), QStringLiteral("--all") }, key);
    QVERIFY2(listed.exitCode != -1, "ls --all did not finish");
    QVERIFY2(listed.exitCode != 0, qPrintable(listed.out));
    QVERIFY2(listed.err.contains(
                 QStringLiteral("the service returned the same page cursor twice; stopped "
                                "listing to avoid a loop")),
             qPrintable(listed.err));
    // What was read before the loop showed itself was shown, each item once.
    QCOMPARE(listed.out.count(QStringLiteral("d1.pdf")), 1);
    QCOMPARE(listed.out.count(QStringLiteral("d3.pdf")), 1);
    QCOMPARE(server.targets.size(), 3);
}

void TestDocketCli::deletesADocumentProResult()
{
    addAccount(QStringLiteral("documentpro"), QStringLiteral("sbx-dp"));
    QProcessEnvironment secret;
    secret.insert(QStringLiteral("DOCKET_SECRET_SBX_DP_API_KEY"),
                  m_sandbox.credentials(QStringLiteral("documentpro"))
                      .value(QStringLiteral("apiKey"))
                      .toString());
    const CliRun documents = run(
        { QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/sbx-dp") }, secret);
    QCOMPARE(documents.exitCode, 0);
    QString resultPath;
    QString resultName;
    for (const QJsonValue &document : documents.resultList()) {
        const CliRun results = run({ QStringLiteral("--json"), QStringLiteral("ls"),
                                     document.toObject().value(QStringLiteral("path")).toString() },
                                   secret);
        const QJsonArray items = results.resultList();
        if (!items.isEmpty()) {
            resultPath = items.at(0).toObject().value(QStringLiteral("path")).toString();
            resultName = items.at(0).toObject().value(QStringLiteral("name")).toString();
            break;
        }
    }
    QVERIFY(!resultPath.isEmpty());
    QVERIFY(!resultName.isEmpty() && !resultPath.endsWith(resultName));
    // Named twice (account names are case-insensitive): deleted once, not reported "gone".
    const QString sameAgain = QStringLiteral("/SBX-DP/") + resultPath.section(u'/', 2);
    const CliRun removed
        = run({ QStringLiteral("rm"), QStringLiteral("--yes"), resultPath, sameAgain }, secret);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QVERIFY2(removed.err.contains(QStringLiteral("already listed")), qPrintable(removed.err));
    QVERIFY2(!removed.out.contains(QStringLiteral("gone")), qPrintable(removed.out));
    QVERIFY2(removed.err.contains(u'“' + resultName + u'”'), qPrintable(removed.err));
    QCOMPARE(deleted(QStringLiteral("documentpro"), QStringLiteral("parserResults")).size(), 1);
    // Documents themselves have no documented delete.
    const CliRun refused = run(
        { QStringLiteral("rm"), QStringLiteral("--yes"), resultPath.section(u'/', 0, -2) }, secret);
    QCOMPARE(refused.exitCode, 2);
}

void TestDocketCli::wrongTokenFailsSignIn()
{
    QProcessEnvironment wrong;
    wrong.insert(QStringLiteral("DOCKET_SECRET_SBX_SCRIPTIX_TOKEN"), QStringLiteral("not-a-token"));
    const CliRun signedIn
        = run({ QStringLiteral("signin"), QStringLiteral("sbx-scriptix") }, wrong);
    QCOMPARE(signedIn.exitCode, 1);
    QVERIFY2(signedIn.err.contains(QStringLiteral("Sign-in failed")), qPrintable(signedIn.err));
    QVERIFY(!signedIn.err.contains(QStringLiteral("not-a-token")));
}

void TestDocketCli::signInWithoutKeychainSaysSoAndEnvironmentStillWorks()
{
    QProcessEnvironment noKeychain = scriptixSecret();
    noKeychain.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                      QStringLiteral("unix:path=/nonexistent"));
    const CliRun signedIn
        = run({ QStringLiteral("signin"), QStringLiteral("sbx-scriptix") }, noKeychain);
    QCOMPARE(signedIn.exitCode, 1);
    QVERIFY2(signedIn.err.contains(QStringLiteral("keychain is unavailable")),
             qPrintable(signedIn.err));
    QVERIFY(signedIn.err.contains(QStringLiteral("DOCKET_SECRET_SBX_SCRIPTIX_TOKEN")));
    const CliRun listed
        = run({ QStringLiteral("ls"), QStringLiteral("/sbx-scriptix") }, noKeychain);
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
}

void TestDocketCli::care360SignInWithCodeThenSoftDelete()
{
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("care360"));
    addAccount(
        QStringLiteral("care360"), QStringLiteral("sbx-cv"),
        { QStringLiteral("--login"), credentials.value(QStringLiteral("email")).toString() });
    QProcessEnvironment tenant;
    tenant.insert(QStringLiteral("DOCKET_SECRET_SBX_CV_TENANT_KEY"),
                  credentials.value(QStringLiteral("tenantKey")).toString());
    // Care360's refresh token rotates, so it needs the real keychain (the test runner provides
    // one); the tenant key may come from the environment.
    const CliRun signedIn
        = run({ QStringLiteral("signin"), QStringLiteral("sbx-cv"), QStringLiteral("--code"),
                credentials.value(QStringLiteral("otpCode")).toString() },
              tenant);
    if (signedIn.err.contains(QStringLiteral("keychain is unavailable"))) {
        QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,
                 qPrintable(signedIn.err));
        QSKIP("no keychain in this environment (scripts/test.sh provides one)");
    }
    QVERIFY2(signedIn.exitCode == 0, qPrintable(signedIn.err));

    const CliRun cases = run(
        { QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/sbx-cv") }, tenant);
    QVERIFY2(cases.exitCode == 0, qPrintable(cases.err));
    const QJsonArray caseItems = cases.resultList();
    QVERIFY(!caseItems.isEmpty());
    const QString patientId = credentials.value(QStringLiteral("patientId")).toString();
    QString filePath;
    QString fileName;
    for (const QJsonValue &caseItem : caseItems) {
        const CliRun files = run({ QStringLiteral("--json"), QStringLiteral("ls"),
                                   caseItem.toObject().value(QStringLiteral("path")).toString() },
                                 tenant);
        QCOMPARE(files.exitCode, 0);
        // The text listing says sizes in the window's units: 1 kB is 1,000 bytes.
        const CliRun text = run(
            { QStringLiteral("ls"), caseItem.toObject().value(QStringLiteral("path")).toString() },
            tenant);
        QCOMPARE(text.exitCode, 0);
        for (const QJsonValue &file : files.resultList()) {
            const qint64 size = file.toObject().value(QStringLiteral("sizeBytes")).toInteger(-1);
            if (size >= 0) {
                const QString shown
                    = QLocale::c().formattedDataSize(size, 1, QLocale::DataSizeSIFormat);
                QVERIFY2(text.out.contains(u'\t' + shown + u'\t'), qPrintable(text.out));
            }
        }
        for (const QJsonValue &file : files.resultList()) {
            const QVariantMap details
                = file.toObject().value(QStringLiteral("details")).toObject().toVariantMap();
            if (QJsonDocument::fromVariant(details).toJson().contains(patientId.toUtf8())
                || filePath.isEmpty()) {
                filePath = file.toObject().value(QStringLiteral("path")).toString();
                fileName = file.toObject().value(QStringLiteral("name")).toString();
            }
        }
    }
    QVERIFY(!filePath.isEmpty());
    // The documented type filter: only general (non-PHI) files.
    const CliRun general
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("--file-type"),
                QStringLiteral("general"),
                caseItems.at(0).toObject().value(QStringLiteral("path")).toString() },
              tenant);
    QCOMPARE(general.exitCode, 0);
    for (const QJsonValue &file : general.resultList())
        QVERIFY(!file.toObject()
                     .value(QStringLiteral("status"))
                     .toString()
                     .contains(QStringLiteral("PHI")));
    QCOMPARE(run({ QStringLiteral("ls"), QStringLiteral("--file-type"), QStringLiteral("phi"),
                   QStringLiteral("/sbx-scriptix") },
                 scriptixSecret())
                 .exitCode,
             2);
    const CliRun dry = run({ QStringLiteral("rm"), QStringLiteral("--dry-run"), filePath }, tenant);
    QCOMPARE(dry.exitCode, 0);
    QVERIFY2(dry.err.contains(QStringLiteral("soft delete")), qPrintable(dry.err));
    QVERIFY2(dry.err.contains(u'“' + fileName + u'”'), qPrintable(dry.err));
    const CliRun signedOut = run({ QStringLiteral("signout"), QStringLiteral("sbx-cv") }, tenant);
    QVERIFY2(signedOut.exitCode == 0, qPrintable(signedOut.err));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("auth.logout")), 1);
}

void TestDocketCli::invoxUploadListDelete()
{
    const QProcessEnvironment key = addInvoxAccount(QStringLiteral("sbx-invox"));
    const QString note = m_dir.filePath(QStringLiteral("note.txt"));
    QVERIFY(writeFile(note, "Patient seen today. Follow-up in two weeks.\n"));
    const CliRun uploaded
        = run({ QStringLiteral("--json"), QStringLiteral("invox"), QStringLiteral("upload"),
                QStringLiteral("sbx-invox"), QStringLiteral("consult-cli-1"), note },
              key);
    QVERIFY2(uploaded.exitCode == 0, qPrintable(uploaded.err));
    const QString documentId = uploaded.result().value(QStringLiteral("documentId")).toString();
    QVERIFY(!documentId.isEmpty());
    const CliRun listed
        = run({ QStringLiteral("ls"), QStringLiteral("/sbx-invox/consult-cli-1") }, key);
    QVERIFY(listed.out.contains(documentId));
    // Invox deletes by the document id alone: a path naming another consultation must not delete
    // it from this one.
    const CliRun elsewhere
        = run({ QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--yes"),
                QStringLiteral("/sbx-invox/consult-cli-2/") + documentId },
              key);
    // Docket's index is all it knows of Invox: not there proves nothing, so it is not counted
    // as done.
    QCOMPARE(elsewhere.exitCode, 1);
    QCOMPARE(elsewhere.firstRemoved().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("not-listed"));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("document.delete")), 0);
    QVERIFY(!deleted(QStringLiteral("invox"), QStringLiteral("documents")).contains(documentId));
    const CliRun removed = run({ QStringLiteral("rm"), QStringLiteral("--yes"),
                                 QStringLiteral("/sbx-invox/consult-cli-1/") + documentId },
                               key);
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QVERIFY2(removed.err.contains(QStringLiteral("“note.txt”")), qPrintable(removed.err));
    QVERIFY(deleted(QStringLiteral("invox"), QStringLiteral("documents")).contains(documentId));
    const CliRun after
        = run({ QStringLiteral("ls"), QStringLiteral("/sbx-invox/consult-cli-1") }, key);
    QVERIFY(!after.out.contains(documentId));
}

void TestDocketCli::rejectsPathsDeeperThanTheService()
{
    const CliRun deep
        = run({ QStringLiteral("ls"), QStringLiteral("/sbx-scriptix/a/b/c/d") }, scriptixSecret());
    QCOMPARE(deep.exitCode, 2);
    const CliRun unknown = run({ QStringLiteral("ls"), QStringLiteral("/nobody") });
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.err.contains(QStringLiteral("No account named")));
}

void TestDocketCli::hostileNamesCannotGarbleTheTerminal()
{
    const QProcessEnvironment key = addInvoxAccount(QStringLiteral("sbx-invox-hostile"));
    // An escape sequence that would clear the screen, a tab that would shift the columns, and a
    // right-to-left override that would turn "fdp.exe" around, in the id and in the name.
    const QString hostile = QStringLiteral("a\x1b[2J\tb\u202Efdp.exe");
    const CliRun added
        = run({ QStringLiteral("invox"), QStringLiteral("add"), QStringLiteral("sbx-invox-hostile"),
                QStringLiteral("consult-h"), hostile, QStringLiteral("--name"), hostile },
              key);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const auto isClean = [](const QString &text) {
        for (const QChar c : text) {
            if ((c.category() == QChar::Other_Control && c != u'\n' && c != u'\t')
                || c.category() == QChar::Other_Format)
                return false;
        }
        return true;
    };
    const CliRun listed
        = run({ QStringLiteral("ls"), QStringLiteral("/sbx-invox-hostile/consult-h") }, key);
    QCOMPARE(listed.exitCode, 0);
    QVERIFY(isClean(listed.out));
    // One line of six tab-separated columns; its path reads back to the same document.
    const QStringList columns = listed.out.trimmed().split(u'\t');
    QCOMPARE(columns.size(), 6);
    const QString path = columns.at(0);
    QCOMPARE(path, QStringLiteral("/sbx-invox-hostile/consult-h/a%1B[2J%09b%E2%80%AEfdp.exe"));
    QCOMPARE(columns.at(2), QStringLiteral("a [2J b fdp.exe"));
    const CliRun dry = run(
        { QStringLiteral("--json"), QStringLiteral("rm"), QStringLiteral("--dry-run"), path }, key);
    QCOMPARE(dry.exitCode, 0);
    QVERIFY(isClean(dry.err));
    QVERIFY2(dry.err.contains(QStringLiteral("“a [2J b fdp.exe”")), qPrintable(dry.err));
    // The JSON keeps the name as it is: a script gets the exact text, escaped by JSON.
    QCOMPARE(dry.firstRemoved().value(QStringLiteral("name")).toString(), hostile);
    QVERIFY(dry.firstRemoved().value(QStringLiteral("found")).toBool());
}

namespace {

// Nothing a terminal would run or reorder: control characters other than the output's own line
// breaks and tabs, format characters (U+202E), line separators.
bool isInert(const QString &text)
{
    for (const QChar c : text) {
        const bool layout = c == u'\n' || c == u'\t';
        if ((c.category() == QChar::Other_Control && !layout) || c.category() == QChar::Other_Format
            || c.category() == QChar::Separator_Line)
            return false;
    }
    return true;
}

} // namespace

// A Scriptix whose session name, status and error message carry an escape sequence that clears the
// screen, a right-to-left override, a C1 control and a line break followed by a fake outcome line:
// `ls`, `rm` (its confirmation, its FAILED line, its summary), `audit` and `audit --csv` show them
// inert, and `--json` keeps the exact text for scripts without writing the raw characters.
void TestDocketCli::whatAServerSaysReachesTheTerminalInert()
{
    const QString hostile
        = QStringLiteral("evil\x1b[2J\x1b]0;owned\x07\u202Efdp.exe\u009B31m\ndeleted   /fake");
    const QJsonObject session { { QStringLiteral("session_id"), QStringLiteral("s1") },
                                { QStringLiteral("filename"), hostile },
                                { QStringLiteral("status"), QStringLiteral("done\x1b[5m") } };
    CannedServer server;
    QVERIFY(server.listen());
    const QString sessions = QStringLiteral("/api/v3/speech-to-text/session");
    server.bodies.insert(
        sessions,
        QJsonDocument(QJsonObject { { QStringLiteral("result"), QJsonArray { session } },
                                    { QStringLiteral("total_results"), 1 } })
            .toJson());
    server.bodies.insert(sessions + QStringLiteral("/s1"), QJsonDocument(session).toJson());
    server.notFoundBody
        = QJsonDocument(QJsonObject { { QStringLiteral("error"), QStringLiteral("boom") },
                                      { QStringLiteral("message"),
                                        QStringLiteral("Boom\x1b[2J\u202E\rFAILED /other") } })
              .toJson();
    const CliRun added
        = run({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("scriptix"),
                QStringLiteral("canned"), QStringLiteral("--base-url"),
                server.url(QStringLiteral("/api/v3")).toString() });
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QProcessEnvironment token;
    token.insert(QStringLiteral("DOCKET_SECRET_CANNED_TOKEN"), QStringLiteral("canned-token"));
    const QString shownName = QStringLiteral("evil [2J ]0;owned  fdp.exe 31m deleted   /fake");

    const CliRun listed = run({ QStringLiteral("ls"), QStringLiteral("/canned") }, token);
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
    QVERIFY2(isInert(listed.out) && isInert(listed.err), qPrintable(listed.out));
    QCOMPARE(listed.out.count(u'\n'), 1); // the name's line break starts no line of its own
    const QStringList columns = listed.out.trimmed().split(u'\t');
    QCOMPARE(columns.size(), 6);
    QCOMPARE(columns.at(2), shownName);
    QCOMPARE(columns.at(5), QStringLiteral("done [5m"));

    // Every DELETE fails with the hostile message.
    server.statusFor = [](const QByteArray &method, const QString &) {
        return method == "DELETE" ? 500 : 0;
    };
    const QStringList trail = { QStringLiteral("--audit-file"),
                                m_dir.filePath(QStringLiteral("audit-hostile.sqlite")) };
    const CliRun removed = run(trail
                                   + QStringList { QStringLiteral("rm"), QStringLiteral("--yes"),
                                                   QStringLiteral("--retries"), QStringLiteral("0"),
                                                   QStringLiteral("/canned/s1") },
                               token);
    QCOMPARE(removed.exitCode, 1);
    QVERIFY(server.heads.last().startsWith("DELETE /api/v3/speech-to-text/session/s1 "));
    QVERIFY2(isInert(removed.out) && isInert(removed.err), qPrintable(removed.err));
    QVERIFY2(removed.err.contains(u'“' + shownName + u'”'), qPrintable(removed.err));
    QVERIFY2(removed.err.contains(QStringLiteral("Boom [2J  FAILED /other")),
             qPrintable(removed.err));
    // Only the real outcome line starts a line: neither the name's nor the message's fake one.
    const QStringList lines = QString(removed.out + removed.err).split(u'\n');
    // A 500 leaves the delete unknown: that is the one line the outcome starts; the service's
    // "\rFAILED /other" starts none.
    QCOMPARE(lines.filter(QRegularExpression(QStringLiteral("^UNKNOWN"))).size(), 1);
    QVERIFY(lines.filter(QRegularExpression(QStringLiteral("^FAILED"))).isEmpty());
    QVERIFY(lines.filter(QRegularExpression(QStringLiteral("^deleted"))).isEmpty());

    const CliRun table = run(trail + QStringList { QStringLiteral("audit") });
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(isInert(table.out), qPrintable(table.out));
    QCOMPARE(table.out.count(u'\n'), 2); // the header and the one attempt
    QVERIFY2(table.out.contains(QStringLiteral("Boom [2J  FAILED /other")), qPrintable(table.out));

    const CliRun csv
        = run(trail + QStringList { QStringLiteral("audit"), QStringLiteral("--csv") });
    QCOMPARE(csv.exitCode, 0);
    QVERIFY2(isInert(QString(csv.out).remove(u'\r')), qPrintable(csv.out));
    QVERIFY2(csv.out.contains(QStringLiteral("Boom [2J  FAILED /other")), qPrintable(csv.out));

    const CliRun json
        = run(trail + QStringList { QStringLiteral("--json"), QStringLiteral("audit") });
    QCOMPARE(json.exitCode, 0);
    QVERIFY2(isInert(json.out), qPrintable(json.out));
    const QJsonObject entry = json.resultList().at(0).toObject();
    QCOMPARE(entry.value(QStringLiteral("name")).toString(), hostile);

    // A listing the service refuses: its message on stderr, inert.
    server.statusFor = [](const QByteArray &, const QString &) {
        return 403;
    };
    const CliRun refused = run({ QStringLiteral("ls"), QStringLiteral("/canned") }, token);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(isInert(refused.err), qPrintable(refused.err));
    QVERIFY2(refused.err.contains(QStringLiteral("Boom [2J  FAILED /other")),
             qPrintable(refused.err));
}

QTEST_GUILESS_MAIN(TestDocketCli)
#include "tst_docket_cli.moc"
