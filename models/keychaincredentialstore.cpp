#include "keychaincredentialstore.h"

#include <QCoreApplication>
#include <QPointer>
#include <QRegularExpression>
#include <qt6keychain/keychain.h>

#ifdef DOCKET_HAVE_QTDBUS
#include <QDBusConnection>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#endif

namespace Docket {

namespace {

QString describe(QKeychain::Job *job)
{
    // QtKeychain 0.13 has no isAvailable(): with no secret service every job ends in OtherError,
    // a locked keyring in AccessDenied. Both are "keychain unavailable", with Qt's reason.
    return QCoreApplication::translate("Docket", "The system keychain is unavailable: %1")
        .arg(job->errorString());
}

template<typename JobType> JobType *prepare(const QString &serviceName, const QString &key)
{
    auto *job = new JobType(serviceName);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(key);
    return job;
}

#ifdef DOCKET_HAVE_QTDBUS
// How long the Secret Service may take to say whether it still holds an item.
constexpr int kSearchTimeoutMs = 10000;

// QtKeychain removes through libsecret, which deletes only unlocked items: with the collection
// locked, the delete job ends without an error and the secret stays (seen with gnome-keyring 42
// and QtKeychain 0.13). So, after a removal, the Secret Service is asked whether it still holds an
// item with QtKeychain's attributes for this key, locked or not. `done` gets an empty string when
// none is left or when there is no Secret Service to ask (another backend: its own answer
// stands), otherwise why the secret is still there or not known to be gone.
void confirmRemoved(const QString &serviceName, const QString &key, QObject *receiver,
                    std::function<void(const QString &)> done)
{
    static const QMetaType registered = qDBusRegisterMetaType<QMap<QString, QString>>();
    Q_UNUSED(registered);
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("SearchItems"));
    call << QVariant::fromValue(QMap<QString, QString> { { QStringLiteral("server"), serviceName },
                                                         { QStringLiteral("user"), key } });
    auto *watcher = new QDBusPendingCallWatcher(
        QDBusConnection::sessionBus().asyncCall(call, kSearchTimeoutMs), receiver);
    QObject::connect(
        watcher, &QDBusPendingCallWatcher::finished, receiver, [watcher, done = std::move(done)] {
            watcher->deleteLater();
            const QDBusPendingReply<QList<QDBusObjectPath>, QList<QDBusObjectPath>> reply
                = *watcher;
            if (reply.isError()) {
                // No Secret Service at all: another backend answered, and its word stands.
                // Any other failure (a timeout, a refusal) leaves the removal unconfirmed.
                const QString name = reply.error().name();
                if (name == QLatin1String("org.freedesktop.DBus.Error.ServiceUnknown")
                    || name == QLatin1String("org.freedesktop.DBus.Error.NameHasNoOwner"))
                    done({});
                else
                    done(QCoreApplication::translate("Docket",
                                                     "The system keychain could not confirm "
                                                     "that the secret is gone (%1).")
                             .arg(reply.error().message()));
            } else if (!reply.argumentAt<1>().isEmpty()) {
                done(QCoreApplication::translate(
                    "Docket",
                    "The system keychain is locked, so it kept the "
                    "secret. Unlock it (signing in to the desktop again "
                    "usually does)."));
            } else if (!reply.argumentAt<0>().isEmpty()) {
                done(QCoreApplication::translate("Docket",
                                                 "The system keychain still holds the secret after "
                                                 "deleting it."));
            } else {
                done({});
            }
        });
}
#endif

} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString &serviceName, QObject *parent)
    : CredentialStore(parent)
    , m_serviceName(serviceName)
{ }

void KeychainCredentialStore::read(const QString &key, QObject *context, ReadCallback done)
{
    auto *job = prepare<QKeychain::ReadPasswordJob>(m_serviceName, key);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [job, guard, done = std::move(done)] {
        if (!guard)
            return;
        ReadResult result;
        if (job->error() == QKeychain::NoError)
            result.value = job->textData();
        else if (job->error() != QKeychain::EntryNotFound)
            result.error = describe(job);
        done(result);
    });
    job->start();
}

void KeychainCredentialStore::write(const QString &key, const QString &secret, QObject *context,
                                    DoneCallback done)
{
    auto *job = prepare<QKeychain::WritePasswordJob>(m_serviceName, key);
    job->setTextData(secret);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [job, guard, done = std::move(done)] {
        if (guard)
            done(job->error() == QKeychain::NoError ? QString() : describe(job));
    });
    job->start();
}

void KeychainCredentialStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    auto *job = prepare<QKeychain::DeletePasswordJob>(m_serviceName, key);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, guard, done = std::move(done)] {
        if (!guard)
            return;
        const bool gone
            = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        if (!gone) {
            done(describe(job));
            return;
        }
#ifdef DOCKET_HAVE_QTDBUS
        confirmRemoved(m_serviceName, key, this, [guard, done](const QString &kept) {
            if (guard)
                done(kept);
        });
#else
                done({});
#endif
    });
    job->start();
}

QString KeychainCredentialStore::description() const
{
    return QCoreApplication::translate("Docket", "the system keychain");
}

EnvironmentCredentialStore::EnvironmentCredentialStore(CredentialStore *inner, QObject *parent)
    : CredentialStore(parent)
    , m_inner(inner)
{ }

void EnvironmentCredentialStore::setAccountName(const QString &accountId, const QString &name)
{
    m_accountNames.insert(accountId, name);
}

QString EnvironmentCredentialStore::variableName(const QString &accountName,
                                                 const QString &secretName)
{
    static const QRegularExpression other(QStringLiteral("[^A-Z0-9]"));
    static const QRegularExpression camelHump(QStringLiteral("([a-z])([A-Z])"));
    QString account = accountName.toUpper();
    account.replace(other, QStringLiteral("_"));
    QString secret = secretName;
    secret.replace(camelHump, QStringLiteral("\\1_\\2"));
    return QStringLiteral("DOCKET_SECRET_") + account + u'_' + secret.toUpper();
}

std::optional<QString> EnvironmentCredentialStore::fromEnvironment(const QString &key) const
{
    const QString accountId = key.section(u'/', 0, 0);
    const QString secretName = key.section(u'/', 1);
    if (!m_accountNames.contains(accountId))
        return std::nullopt;
    const QByteArray value
        = qgetenv(variableName(m_accountNames.value(accountId), secretName).toLatin1().constData());
    if (value.isEmpty())
        return std::nullopt;
    return QString::fromUtf8(value);
}

void EnvironmentCredentialStore::read(const QString &key, QObject *context, ReadCallback done)
{
    const std::optional<QString> variable = fromEnvironment(key);
    m_inner->read(key, context, [variable, done = std::move(done)](const ReadResult &inner) {
        if (inner.value || !variable)
            done(inner);
        else
            done(ReadResult { variable, {} });
    });
}

void EnvironmentCredentialStore::write(const QString &key, const QString &secret, QObject *context,
                                       DoneCallback done)
{
    m_inner->write(key, secret, context, std::move(done));
}

void EnvironmentCredentialStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    m_inner->remove(key, context, std::move(done));
}

QString EnvironmentCredentialStore::description() const
{
    return m_inner->description()
        + QCoreApplication::translate("Docket", ", or DOCKET_SECRET_* environment variables");
}

} // namespace Docket
