// docket-cli's log file, end to end: a whole practice session against the sandbox (sign in to all
// four services, list, delete, a Care360 renewal, sign out) with DOCKET_LOG set, then the file
// holds a line per request and per outcome and not one of the secrets the session used.

#include "account.h"
#include "accountsession.h"
#include "accountstore.h"
#include "clirun.h"
#include "keychaincredentialstore.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

class TestCliLogging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aPracticeSessionLogsRequestsAndNoSecret();
    void withoutALogFileStandardErrorIsAsBefore();

private:
    CliRun run(const QStringList &arguments, const QByteArray &input = {});
    void addAccount(const QString &service, const QString &name, const QStringList &extra = {});
    // The first item `ls --json PATH` lists, as {path, ...}.
    QJsonObject firstListed(const QString &path);
    // The secrets the keychain holds for the account called `name` now (rotating tokens too).
    QStringList keychainSecrets(const QString &name);
    QString logText() const;

    SandboxProcess m_sandbox;
    QTemporaryDir m_dir;
    QString m_config;
    QString m_log;
    QProcessEnvironment m_environment;
    QStringList m_secrets; // every secret the session used: none may reach the log
    QStringList m_printed; // output of runs that printed a log line (there must be none)
};

void TestCliLogging::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    m_config = m_dir.filePath(QStringLiteral("accounts.ini"));
    m_log = m_dir.filePath(QStringLiteral("docket.log"));
    m_environment.insert(QStringLiteral("DOCKET_LOG"), m_log);
}

CliRun TestCliLogging::run(const QStringList &arguments, const QByteArray &input)
{
    CliRun result = runDocketCli(m_config, arguments, m_environment, input);
    // The log goes to its file only: what scripts read stays as it was.
    static const QRegularExpression logLine(
        QStringLiteral("docket\\.(net|auth|model|queue|audit)"));
    if (result.err.contains(logLine) || result.out.contains(logLine))
        m_printed << result.err + result.out;
    return result;
}

void TestCliLogging::addAccount(const QString &service, const QString &name,
                                const QStringList &extra)
{
    addCliAccount([this](const QStringList &arguments) { return run(arguments); },
                  m_sandbox.baseUrl(service), service, name, extra);
}

QJsonObject TestCliLogging::firstListed(const QString &path)
{
    const CliRun listed = run({ QStringLiteral("--json"), QStringLiteral("ls"), path });
    if (listed.exitCode != 0)
        qWarning("ls %s: %s", qPrintable(path), qPrintable(listed.err));
    return listed.resultList().at(0).toObject();
}

QStringList TestCliLogging::keychainSecrets(const QString &name)
{
    const std::optional<Account> account = AccountStore(m_config).find(name);
    if (!account)
        return {};
    NetworkClient network;
    KeychainCredentialStore keychain;
    AccountSession session(*account, &network, &keychain);
    std::optional<QString> loadError;
    session.loadSecrets(&session, [&loadError](const QString &error) { loadError = error; });
    if (!QTest::qWaitFor([&] { return loadError.has_value(); }, 20000))
        return {};
    QStringList secrets;
    for (const QString &secretName : secretNames(account->service)) {
        if (session.hasSecret(secretName))
            secrets << session.secret(secretName);
    }
    return secrets;
}

QString TestCliLogging::logText() const
{
    QFile file(m_log);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

void TestCliLogging::aPracticeSessionLogsRequestsAndNoSecret()
{
    // Scriptix: the token through --secret-stdin into the keychain, then listed and deleted.
    const QString scriptixToken = m_sandbox.credentials(QStringLiteral("scriptix"))
                                      .value(QStringLiteral("token"))
                                      .toString();
    m_secrets << scriptixToken;
    addAccount(QStringLiteral("scriptix"), QStringLiteral("log-scriptix"));
    const CliRun scriptixIn = run({ QStringLiteral("signin"), QStringLiteral("log-scriptix"),
                                    QStringLiteral("--secret-stdin") },
                                  scriptixToken.toUtf8() + '\n');
    if (scriptixIn.err.contains(QStringLiteral("keychain is unavailable"))) {
        QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,
                 qPrintable(scriptixIn.err));
        QSKIP("no keychain in this environment (scripts/test.sh provides one)");
    }
    QVERIFY2(scriptixIn.exitCode == 0, qPrintable(scriptixIn.err));
    const QString session
        = firstListed(QStringLiteral("/log-scriptix")).value(QStringLiteral("path")).toString();
    QVERIFY(!session.isEmpty());
    const CliRun scriptixRm = run({ QStringLiteral("rm"), QStringLiteral("--yes"), session });
    QVERIFY2(scriptixRm.exitCode == 0, qPrintable(scriptixRm.err));

    // DocumentPro: the key from the environment; a parser result deleted.
    const QString documentProKey = m_sandbox.credentials(QStringLiteral("documentpro"))
                                       .value(QStringLiteral("apiKey"))
                                       .toString();
    m_secrets << documentProKey;
    m_environment.insert(QStringLiteral("DOCKET_SECRET_LOG_DP_API_KEY"), documentProKey);
    addAccount(QStringLiteral("documentpro"), QStringLiteral("log-dp"));
    QCOMPARE(run({ QStringLiteral("signin"), QStringLiteral("log-dp") }).exitCode, 0);
    const CliRun documents
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/log-dp") });
    QCOMPARE(documents.exitCode, 0);
    QString resultPath;
    for (const QJsonValue &document : documents.resultList()) {
        resultPath = firstListed(document.toObject().value(QStringLiteral("path")).toString())
                         .value(QStringLiteral("path"))
                         .toString();
        if (!resultPath.isEmpty())
            break;
    }
    QVERIFY(!resultPath.isEmpty());
    const CliRun dpRm = run({ QStringLiteral("rm"), QStringLiteral("--yes"), resultPath });
    QVERIFY2(dpRm.exitCode == 0, qPrintable(dpRm.err));

    // Invox: an upload through a signed URL (its signature is in the query), listed, deleted.
    const QJsonObject invox = m_sandbox.credentials(QStringLiteral("invox"));
    const QString invoxKey = invox.value(QStringLiteral("apiKey")).toString();
    m_secrets << invoxKey;
    m_environment.insert(QStringLiteral("DOCKET_SECRET_LOG_INVOX_API_KEY"), invoxKey);
    addAccount(QStringLiteral("invox"), QStringLiteral("log-invox"),
               { QStringLiteral("--app-id"), invox.value(QStringLiteral("appId")).toString() });
    const QString note = m_dir.filePath(QStringLiteral("note.txt"));
    QVERIFY(writeFile(note, "Seen today.\n"));
    const CliRun uploaded
        = run({ QStringLiteral("--json"), QStringLiteral("invox"), QStringLiteral("upload"),
                QStringLiteral("log-invox"), QStringLiteral("consult-log-1"), note });
    QVERIFY2(uploaded.exitCode == 0, qPrintable(uploaded.err));
    const QString documentId = uploaded.result().value(QStringLiteral("documentId")).toString();
    QVERIFY(!documentId.isEmpty());
    m_secrets << keychainSecrets(QStringLiteral("log-invox"));
    const CliRun invoxRm = run({ QStringLiteral("rm"), QStringLiteral("--yes"),
                                 QStringLiteral("/log-invox/consult-log-1/") + documentId });
    QVERIFY2(invoxRm.exitCode == 0, qPrintable(invoxRm.err));

    // Care360: the tenant key from the environment, the code on the command line, the rotating
    // tokens in the keychain; every access token expired halfway, so the session renews.
    const QJsonObject care360 = m_sandbox.credentials(QStringLiteral("care360"));
    const QString tenantKey = care360.value(QStringLiteral("tenantKey")).toString();
    const QString code = care360.value(QStringLiteral("otpCode")).toString();
    m_secrets << tenantKey;
    m_environment.insert(QStringLiteral("DOCKET_SECRET_LOG_CV_TENANT_KEY"), tenantKey);
    addAccount(QStringLiteral("care360"), QStringLiteral("log-cv"),
               { QStringLiteral("--login"), care360.value(QStringLiteral("email")).toString() });
    // Also through --log-file, which names the same file here.
    const CliRun cvIn = run({ QStringLiteral("--log-file"), m_log, QStringLiteral("signin"),
                              QStringLiteral("log-cv"), QStringLiteral("--code"), code });
    QVERIFY2(cvIn.exitCode == 0, qPrintable(cvIn.err));
    const QStringList firstTokens = keychainSecrets(QStringLiteral("log-cv"));
    QVERIFY(firstTokens.size() >= 2); // the tenant key is not stored: the access and refresh tokens
    m_secrets << firstTokens;
    const QString caseItem
        = firstListed(QStringLiteral("/log-cv")).value(QStringLiteral("path")).toString();
    QVERIFY(!caseItem.isEmpty());
    QVERIFY(m_sandbox.expireTokens(QStringLiteral("care360")));
    // A file the patient uploaded (staff uploads are not the patient's to delete).
    const CliRun files = run({ QStringLiteral("--json"), QStringLiteral("ls"), caseItem });
    QVERIFY2(files.exitCode == 0, qPrintable(files.err));
    const QString patientId = care360.value(QStringLiteral("patientId")).toString();
    QString filePath;
    for (const QJsonValue &file : files.resultList()) {
        const QByteArray details
            = QJsonDocument(file.toObject().value(QStringLiteral("details")).toObject()).toJson();
        if (details.contains(patientId.toUtf8()))
            filePath = file.toObject().value(QStringLiteral("path")).toString();
    }
    QVERIFY(!filePath.isEmpty());
    QVERIFY(m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("auth.refresh-token"))
            >= 1);
    m_secrets << keychainSecrets(QStringLiteral("log-cv"));
    const CliRun cvRm = run({ QStringLiteral("rm"), QStringLiteral("--yes"), filePath });
    QVERIFY2(cvRm.exitCode == 0, qPrintable(cvRm.err));
    m_secrets << keychainSecrets(QStringLiteral("log-cv"));
    QCOMPARE(run({ QStringLiteral("signout"), QStringLiteral("log-cv") }).exitCode, 0);
    QCOMPARE(run({ QStringLiteral("signout"), QStringLiteral("log-scriptix") }).exitCode, 0);

    const QString log = logText();
    QVERIFY2(!log.isEmpty(), "DOCKET_LOG got nothing");
    m_secrets.removeDuplicates();
    m_secrets.removeAll(QString());
    QVERIFY(m_secrets.size() >= 6);
    for (const QString &secret : std::as_const(m_secrets))
        QVERIFY2(!log.contains(secret),
                 qPrintable(QStringLiteral("the log holds a secret of %1 "
                                           "characters")
                                .arg(secret.size())));
    // The one-time code is short: looked for as a word of its own.
    QVERIFY(!log.contains(QRegularExpression(QStringLiteral("(?<![0-9A-Za-z])")
                                             + QRegularExpression::escape(code)
                                             + QStringLiteral("(?![0-9A-Za-z])"))));
    QVERIFY(!log.contains(care360.value(QStringLiteral("email")).toString()));
    QVERIFY2(m_printed.isEmpty(), qPrintable(m_printed.join(u'\n')));

    // Not vacuous: the request lines are there, for reads, sign-ins and deletes alike.
    const QString uuid
        = QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    const QString requestLine
        = QStringLiteral("^\\S+Z info docket\\.net: %1 /\\S* (\\d{3}) \\d+ ms.* "
                         "X-Request-ID ")
        + uuid + u'$';
    for (const QString &method : { QStringLiteral("GET"), QStringLiteral("POST"),
                                   QStringLiteral("PUT"), QStringLiteral("DELETE") }) {
        const QRegularExpression line(requestLine.arg(method), QRegularExpression::MultilineOption);
        QVERIFY2(line.match(log).hasMatch(), qPrintable(method + u'\n' + log));
    }
    QVERIFY2(log.contains(QRegularExpression(QStringLiteral("docket\\.net: GET /\\S* 401 "))),
             "the expired token's 401");
    // No line names a query.
    QVERIFY(!log.contains(QRegularExpression(QStringLiteral("docket\\.net: [A-Z]+ /\\S*\\?"))));
    QVERIFY(log.contains(QRegularExpression(QStringLiteral("info docket\\.auth: .*signed in"))));
    QVERIFY(log.contains(QRegularExpression(QStringLiteral("info docket\\.auth: .*renewed"))));
    QVERIFY(log.contains(QRegularExpression(QStringLiteral("info docket\\.auth: .*sign-out"))));
    QVERIFY(log.contains(
        QRegularExpression(QStringLiteral("info docket\\.queue: item \\d+ of batch \\d+ "
                                          "\\(scriptix session .*state=deleted attempts=1"))));
    QVERIFY(log.contains(QRegularExpression(QStringLiteral("info docket\\.queue: batch \\d+ "
                                                           "started"))));
    QVERIFY(log.contains(QRegularExpression(QStringLiteral("info docket\\.audit: attempt \\d+ "
                                                           "answer recorded: deleted"))));
}

void TestCliLogging::withoutALogFileStandardErrorIsAsBefore()
{
    QProcessEnvironment none;
    none.insert(QStringLiteral("DOCKET_LOG"), QString());
    const CliRun listed = runDocketCli(m_config, { QStringLiteral("accounts") }, none);
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(!listed.err.contains(QStringLiteral("docket.")), qPrintable(listed.err));
    // A log file that cannot be written is a usage error, said once.
    const CliRun refused = runDocketCli(m_config,
                                        { QStringLiteral("--log-file"),
                                          m_dir.filePath(QStringLiteral("no/such/dir/x.log")),
                                          QStringLiteral("accounts") });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QStringLiteral("log file")), qPrintable(refused.err));
}

QTEST_GUILESS_MAIN(TestCliLogging)
#include "tst_cli_logging.moc"
