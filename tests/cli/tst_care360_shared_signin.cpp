// One Care360 account used by several Docket processes at once, as the window and docket-cli do:
// one sandbox, one real keychain (scripts/test.sh provides gnome-keyring), access tokens expired,
// and every process renewing at the same moment. Care360's refresh token is single-use, so
// without the shared lock and the re-read of the stored pair the second renewal replays a spent
// token and Care360 revokes the sign-in for all of them.

#include "accountsession.h"
#include "accountstore.h"
#include "connectors/care360/care360connector.h"
#include "keychaincredentialstore.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Docket;

namespace {

const QString kService = QStringLiteral("care360");
const QString kAccount = QStringLiteral("sbx-cv");

// One copy of Docket inside this test: its own credential-store object on the shared keychain,
// its own session and connector, as another process would have.
struct InProcessCopy
{
    explicit InProcessCopy(const Account &account)
        : session(account, &network, &keychain)
        , connector(&session)
    { }
    NetworkClient network;
    KeychainCredentialStore keychain; // the service name docket and docket-cli use
    AccountSession session;
    Care360Connector connector;
};

} // namespace

class TestCare360SharedSignIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void processesRenewingAtOnceAllStaySignedIn();

private:
    QProcess *startCli(const QStringList &arguments);
    QJsonObject summary() const { return m_sandbox.summary(kService); }
    int refreshes() const
    {
        return m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token"));
    }

    SandboxProcess m_sandbox;
    QTemporaryDir m_dir;
    QString m_config;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
};

void TestCare360SharedSignIn::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    m_config = m_dir.filePath(QStringLiteral("accounts.ini"));
    // The tenant key from the environment; the rotating tokens only in the keychain.
    m_environment.insert(
        QStringLiteral("DOCKET_SECRET_SBX_CV_TENANT_KEY"),
        m_sandbox.credentials(kService).value(QStringLiteral("tenantKey")).toString());
}

QProcess *TestCare360SharedSignIn::startCli(const QStringList &arguments)
{
    auto *process = new QProcess(this);
    process->setProcessEnvironment(m_environment);
    process->start(QStringLiteral(DOCKET_CLI_PATH),
                   QStringList { QStringLiteral("--config"), m_config } + arguments);
    return process;
}

void TestCare360SharedSignIn::processesRenewingAtOnceAllStaySignedIn()
{
    const QJsonObject credentials = m_sandbox.credentials(kService);
    const auto runCli = [this](const QStringList &arguments) {
        QProcess *process = startCli(arguments);
        QSignalSpy finished(process, &QProcess::finished);
        finished.wait(60000);
        return process;
    };
    QProcess *added = runCli({ QStringLiteral("account"), QStringLiteral("add"), kService, kAccount,
                               QStringLiteral("--base-url"), m_sandbox.baseUrl(kService).toString(),
                               QStringLiteral("--login"),
                               credentials.value(QStringLiteral("email")).toString() });
    QCOMPARE(added->exitCode(), 0);
    QProcess *signedIn = runCli({ QStringLiteral("signin"), kAccount, QStringLiteral("--code"),
                                  credentials.value(QStringLiteral("otpCode")).toString() });
    const QString signInErrors = QString::fromUtf8(signedIn->readAllStandardError());
    if (signInErrors.contains(QStringLiteral("keychain is unavailable"))) {
        QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,
                 qPrintable(signInErrors));
        QSKIP("no keychain in this environment (scripts/test.sh provides one)");
    }
    QVERIFY2(signedIn->exitCode() == 0, qPrintable(signInErrors));
    QCOMPARE(refreshes(), 0);

    // Two copies in this process, each with its own store object, read the pair docket-cli stored.
    const std::optional<Account> account = AccountStore(m_config).find(kAccount);
    QVERIFY(account);
    std::vector<std::unique_ptr<InProcessCopy>> copies;
    for (int i = 0; i < 2; ++i) {
        auto copy = std::make_unique<InProcessCopy>(*account);
        std::optional<QString> loadError;
        copy->session.loadSecrets(&copy->session,
                                  [&loadError](const QString &error) { loadError = error; });
        QTRY_VERIFY(loadError.has_value());
        QCOMPARE(*loadError, QString());
        QVERIFY(copy->session.hasSecret(Secret::refreshToken));
        copies.push_back(std::move(copy));
    }
    const QString sharedRefresh = copies.front()->session.secret(Secret::refreshToken);
    QCOMPARE(copies.back()->session.secret(Secret::refreshToken), sharedRefresh);

    // Every access token dies, and a refresh takes a while, so all the renewals overlap.
    QVERIFY(m_sandbox.expireTokens(kService));
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), kService },
                                 { QStringLiteral("route"), QStringLiteral("auth.refresh-token") },
                                 { QStringLiteral("mode"), QStringLiteral("latency") },
                                 { QStringLiteral("latencyMs"), 1500 } }));

    // Two docket-cli runs and the two copies here list the account at the same time.
    QList<QProcess *> runs;
    for (int i = 0; i < 2; ++i)
        runs << startCli({ QStringLiteral("--json"), QStringLiteral("ls"), u'/' + kAccount });
    QList<std::shared_ptr<std::optional<ApiError>>> listed;
    for (const auto &copy : copies) {
        auto outcome = std::make_shared<std::optional<ApiError>>();
        ListJob *job = copy->connector.list({ NodeKind::Account, {} }, {});
        connect(job, &ConnectorJob::finished, this,
                [outcome](ConnectorJob *done) { *outcome = done->error(); });
        listed << outcome;
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(runs.cbegin(), runs.cend(),
                    [](QProcess *run) { return run->state() == QProcess::NotRunning; })
            && std::all_of(listed.cbegin(), listed.cend(),
                           [](const auto &outcome) { return outcome->has_value(); }),
        60000);

    // Every one of them listed the cases, and the sign-in survived: one refresh, no replay.
    for (QProcess *run : std::as_const(runs)) {
        const QByteArray out = run->readAllStandardOutput();
        QVERIFY2(run->exitCode() == 0, run->readAllStandardError().constData());
        QVERIFY(!QJsonDocument::fromJson(out)
                     .object()
                     .value(QStringLiteral("result"))
                     .toArray()
                     .isEmpty());
    }
    for (const auto &outcome : std::as_const(listed))
        QVERIFY2(!(*outcome)->isError(), qPrintable((*outcome)->summary()));
    for (const auto &copy : copies)
        QVERIFY(!copy->session.isSignedOut());
    QCOMPARE(refreshes(), 1);
    QCOMPARE(summary().value(QStringLiteral("refreshReuseDetected")).toInt(), 0);
    QCOMPARE(summary().value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 0);

    // And a later run still signs in with what the keychain holds now.
    QVERIFY(m_sandbox.clearFaults());
    QProcess *later = runCli({ QStringLiteral("ls"), u'/' + kAccount });
    QVERIFY2(later->exitCode() == 0, later->readAllStandardError().constData());
    QCOMPARE(summary().value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestCare360SharedSignIn)
#include "tst_care360_shared_signin.moc"
