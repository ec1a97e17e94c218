// A real keychain that refuses to delete: gnome-keyring with its collection locked. QtKeychain
// (through libsecret) reports such a delete as done while the secret stays, so Docket asks the
// Secret Service itself. Signing out or removing an account must then say the secrets were not
// deleted (docket-cli exits 1), list their keys in the settings, and delete them at the next
// start once the keychain is unlocked.
//
// Locking the keychain would break the suites that share scripts/test.sh's keyring, so this one
// runs itself inside a private D-Bus session with its own gnome-keyring, HOME and runtime folder.

#include "clirun.h"
#include "keychaincredentialstore.h"
#include "pendingremovalstore.h"
#include "sandboxprocess.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

using namespace Docket;

namespace {

const char kPrivateSessionVariable[] = "DOCKET_TEST_PRIVATE_KEYRING";
const QByteArray kKeyringPassword = "docket-test";

// A Secret Service secret, (oayays): how the keyring's master password is handed over.
struct SecretValue
{
    QDBusObjectPath session;
    QByteArray parameters;
    QByteArray value;
    QString contentType;
};

QDBusArgument &operator<<(QDBusArgument &argument, const SecretValue &secret)
{
    argument.beginStructure();
    argument << secret.session << secret.parameters << secret.value << secret.contentType;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, SecretValue &secret)
{
    argument.beginStructure();
    argument >> secret.session >> secret.parameters >> secret.value >> secret.contentType;
    argument.endStructure();
    return argument;
}

QDBusMessage secretServiceCall(const QString &interface, const QString &method,
                               const QVariantList &arguments)
{
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
                                                       QStringLiteral("/org/freedesktop/secrets"),
                                                       interface, method);
    call.setArguments(arguments);
    return QDBusConnection::sessionBus().call(call);
}

} // namespace

Q_DECLARE_METATYPE(SecretValue)

class TestLockedKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void removalFromALockedKeychainIsAnError();
    void signOutSaysTheSecretsStayedAndTheNextStartDeletesThem();
    void accountRemovalSaysTheSecretsStayed();

private:
    static QDBusObjectPath defaultCollection();
    bool lockKeychain();
    bool unlockKeychain();
    CliRun run(const QStringList &arguments, const QByteArray &input = {});
    QString write(const QString &key, const QString &secret);
    CredentialStore::ReadResult read(const QString &key);
    QString remove(const QString &key);
    QStringList stillToRemove() const
    {
        return QSettings(m_config, QSettings::IniFormat)
            .value(QLatin1String(PendingRemovalStore::kSettingsKey))
            .toStringList();
    }
    // Adds a Scriptix account and signs it in, so its token is in the keychain; returns its id.
    QString signedInScriptixAccount(const QString &name);

    SandboxProcess m_sandbox;
    QTemporaryDir m_dir;
    QString m_config;
    KeychainCredentialStore m_keychain; // the service name docket and docket-cli use
};

void TestLockedKeychain::initTestCase()
{
    if (qEnvironmentVariableIsEmpty(kPrivateSessionVariable))
        QSKIP("no private D-Bus session with gnome-keyring (dbus-run-session or "
              "gnome-keyring-daemon is missing)");
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    const QString probe = write(QStringLiteral("probe/token"), QStringLiteral("probe"));
    QVERIFY2(probe.isEmpty(), qPrintable(probe));
    QCOMPARE(remove(QStringLiteral("probe/token")), QString());
}

void TestLockedKeychain::init()
{
    QVERIFY(unlockKeychain());
    QVERIFY(m_sandbox.reset());
    m_config = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction())
                              + QStringLiteral(".ini"));
}

QDBusObjectPath TestLockedKeychain::defaultCollection()
{
    const QDBusMessage alias
        = secretServiceCall(QStringLiteral("org.freedesktop.Secret.Service"),
                            QStringLiteral("ReadAlias"), { QStringLiteral("default") });
    return alias.arguments().value(0).value<QDBusObjectPath>();
}

bool TestLockedKeychain::lockKeychain()
{
    const QDBusMessage locked = secretServiceCall(
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("Lock"),
        { QVariant::fromValue(QList<QDBusObjectPath> { defaultCollection() }) });
    return locked.type() == QDBusMessage::ReplyMessage;
}

bool TestLockedKeychain::unlockKeychain()
{
    // As at a desktop sign-in, the keyring gets its password (no prompt can be shown here),
    // through gnome-keyring's own call for that, in a plain session on this connection.
    qDBusRegisterMetaType<SecretValue>();
    const QDBusMessage opened = secretServiceCall(
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("OpenSession"),
        { QStringLiteral("plain"), QVariant::fromValue(QDBusVariant(QString())) });
    if (opened.type() != QDBusMessage::ReplyMessage)
        return false;
    const SecretValue password { opened.arguments().value(1).value<QDBusObjectPath>(),
                                 {},
                                 kKeyringPassword,
                                 QStringLiteral("text/plain") };
    const QDBusMessage unlocked = secretServiceCall(
        QStringLiteral("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
        QStringLiteral("UnlockWithMasterPassword"),
        { QVariant::fromValue(defaultCollection()), QVariant::fromValue(password) });
    if (unlocked.type() != QDBusMessage::ReplyMessage)
        qWarning("%s", qPrintable(unlocked.errorMessage()));
    return unlocked.type() == QDBusMessage::ReplyMessage;
}

CliRun TestLockedKeychain::run(const QStringList &arguments, const QByteArray &input)
{
    return runDocketCli(m_config, arguments, {}, input);
}

QString TestLockedKeychain::write(const QString &key, const QString &secret)
{
    std::optional<QString> error;
    m_keychain.write(key, secret, this, [&](const QString &e) { error = e; });
    return QTest::qWaitFor([&] { return error.has_value(); }, 20000) ? *error
                                                                     : QStringLiteral("timed out");
}

CredentialStore::ReadResult TestLockedKeychain::read(const QString &key)
{
    std::optional<CredentialStore::ReadResult> result;
    m_keychain.read(key, this, [&](const CredentialStore::ReadResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return { std::nullopt, QStringLiteral("timed out") };
    return *result;
}

QString TestLockedKeychain::remove(const QString &key)
{
    std::optional<QString> error;
    m_keychain.remove(key, this, [&](const QString &e) { error = e; });
    return QTest::qWaitFor([&] { return error.has_value(); }, 20000) ? *error
                                                                     : QStringLiteral("timed out");
}

QString TestLockedKeychain::signedInScriptixAccount(const QString &name)
{
    const CliRun added = run({ QStringLiteral("account"), QStringLiteral("add"),
                               QStringLiteral("scriptix"), name, QStringLiteral("--base-url"),
                               m_sandbox.baseUrl(QStringLiteral("scriptix")).toString() });
    if (added.exitCode != 0)
        return {};
    const QByteArray token = m_sandbox.credentials(QStringLiteral("scriptix"))
                                 .value(QStringLiteral("token"))
                                 .toString()
                                 .toUtf8();
    const CliRun signedIn
        = run({ QStringLiteral("signin"), name, QStringLiteral("--secret-stdin") }, token + '\n');
    if (signedIn.exitCode != 0) {
        qWarning("%s", qPrintable(signedIn.err));
        return {};
    }
    const QString id = QSettings(m_config, QSettings::IniFormat)
                           .value(QStringLiteral("accounts/1/id"))
                           .toString();
    return read(id + QStringLiteral("/token")).value ? id : QString();
}

void TestLockedKeychain::removalFromALockedKeychainIsAnError()
{
    QCOMPARE(write(QStringLiteral("locked/token"), QStringLiteral("kept-secret")), QString());
    QVERIFY(lockKeychain());
    const QString error = remove(QStringLiteral("locked/token"));
    QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
    // It was true: once unlocked, the keychain still has it.
    QVERIFY(unlockKeychain());
    QCOMPARE(read(QStringLiteral("locked/token")).value,
             std::optional<QString>(QStringLiteral("kept-secret")));
    QCOMPARE(remove(QStringLiteral("locked/token")), QString());
    QCOMPARE(read(QStringLiteral("locked/token")).value, std::nullopt);
    // A key that was never there is removed without an error.
    QCOMPARE(remove(QStringLiteral("never/token")), QString());
}

void TestLockedKeychain::signOutSaysTheSecretsStayedAndTheNextStartDeletesThem()
{
    const QString id = signedInScriptixAccount(QStringLiteral("sbx"));
    QVERIFY(!id.isEmpty());
    const QString key = id + QStringLiteral("/token");
    QVERIFY(lockKeychain());

    const CliRun signedOut = run({ QStringLiteral("signout"), QStringLiteral("sbx") });
    QCOMPARE(signedOut.exitCode, 1);
    QVERIFY2(signedOut.err.contains(QStringLiteral("could not all be deleted")),
             qPrintable(signedOut.err));
    QVERIFY2(signedOut.err.contains(QStringLiteral("locked")), qPrintable(signedOut.err));
    QVERIFY(!signedOut.out.contains(QStringLiteral("were removed")));
    QCOMPARE(stillToRemove(), QStringList { key });
    const QByteArray settings = fileContents(m_config);
    QVERIFY(!settings.isEmpty());
    QVERIFY(!settings.contains(
        m_sandbox.credential(QStringLiteral("scriptix"), QStringLiteral("token"))));

    // A start while it is still locked: still listed, and said so.
    const CliRun stillLocked = run({ QStringLiteral("accounts") });
    QCOMPARE(stillLocked.exitCode, 0);
    QVERIFY2(
        stillLocked.err.contains(QStringLiteral("The system keychain still holds 1 secret of")),
        qPrintable(stillLocked.err));
    QCOMPARE(stillToRemove(), QStringList { key });

    // The keychain kept the token all along; the first start after unlocking deletes it.
    QVERIFY(unlockKeychain());
    QVERIFY(read(key).value.has_value());
    const CliRun unlocked = run({ QStringLiteral("accounts") });
    QCOMPARE(unlocked.exitCode, 0);
    QVERIFY2(
        unlocked.err.contains(QStringLiteral("Deleted from the system keychain 1 secret that")),
        qPrintable(unlocked.err));
    QCOMPARE(read(key).value, std::nullopt);
    QCOMPARE(read(key).error, QString());
    QCOMPARE(stillToRemove(), QStringList());
    // And the next says nothing more about it.
    QVERIFY(!run({ QStringLiteral("accounts") }).err.contains(QStringLiteral("keychain")));
}

void TestLockedKeychain::accountRemovalSaysTheSecretsStayed()
{
    const QString id = signedInScriptixAccount(QStringLiteral("gone"));
    QVERIFY(!id.isEmpty());
    QVERIFY(lockKeychain());
    const CliRun removed
        = run({ QStringLiteral("account"), QStringLiteral("remove"), QStringLiteral("gone") });
    QCOMPARE(removed.exitCode, 1);
    QVERIFY2(removed.err.contains(QStringLiteral("Removed ")), qPrintable(removed.err));
    QVERIFY2(removed.err.contains(QStringLiteral("could not all be deleted")),
             qPrintable(removed.err));
    QVERIFY(!removed.out.contains(QStringLiteral("and its secrets")));
    QVERIFY(!run({ QStringLiteral("accounts") }).out.contains(QStringLiteral("gone")));
    QCOMPARE(stillToRemove(), QStringList { id + QStringLiteral("/token") });

    QVERIFY(unlockKeychain());
    QVERIFY(run({ QStringLiteral("accounts") }).err.contains(QStringLiteral("Deleted from")));
    QCOMPARE(read(id + QStringLiteral("/token")).value, std::nullopt);
    QCOMPARE(stillToRemove(), QStringList());
}

namespace {

// Runs this program again inside `dbus-run-session` with an unlocked gnome-keyring of its own,
// in a fresh HOME and runtime folder, and returns its exit status; -1 when that cannot be done.
int runInPrivateKeyring(int argc, char *argv[])
{
    QTemporaryDir home;
    if (!home.isValid())
        return -1;
    const QByteArray runtime = QDir(home.path()).filePath(QStringLiteral("run")).toLocal8Bit();
    if (!QDir().mkpath(QString::fromLocal8Bit(runtime))
        || !QFile::setPermissions(QString::fromLocal8Bit(runtime),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
        return -1;
    const pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        setenv("HOME", home.path().toLocal8Bit().constData(), 1);
        setenv("XDG_RUNTIME_DIR", runtime.constData(), 1);
        setenv(kPrivateSessionVariable, "1", 1);
        std::vector<char *> arguments {
            const_cast<char *>("dbus-run-session"), const_cast<char *>("--"),
            const_cast<char *>("sh"), const_cast<char *>("-c"),
            const_cast<char *>("printf %s docket-test | gnome-keyring-daemon "
                               "--unlock --components=secrets >/dev/null && exec "
                               "\"$0\" \"$@\"")
        };
        for (int i = 0; i < argc; ++i)
            arguments.push_back(argv[i]);
        arguments.push_back(nullptr);
        execvp("dbus-run-session", arguments.data());
        _exit(127);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) == 127)
        return -1;
    return WEXITSTATUS(status);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty(kPrivateSessionVariable)) {
        const int status = runInPrivateKeyring(argc, argv);
        if (status >= 0)
            return status;
        if (qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") == 1) {
            std::fputs("tst_locked_keychain: DOCKET_REQUIRE_KEYCHAIN is set but no private "
                       "gnome-keyring session could be started\n",
                       stderr);
            return 1;
        }
        // Falls through: initTestCase skips, saying why.
    }
    QCoreApplication app(argc, argv);
    TestLockedKeychain test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_locked_keychain.moc"
