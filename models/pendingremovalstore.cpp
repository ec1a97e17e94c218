#include "pendingremovalstore.h"

#include <QPointer>
#include <QTimer>

#include <docketversion.h>

namespace Docket {

namespace {

std::unique_ptr<QSettings> openSettings(const QString &settingsFile)
{
    if (!settingsFile.isEmpty())
        return std::make_unique<QSettings>(settingsFile, QSettings::IniFormat);
    // Named explicitly, like AccountStore's, so docket and docket-cli share one list.
    return std::make_unique<QSettings>(QStringLiteral(DOCKET_ORGANIZATION_NAME),
                                       QStringLiteral(DOCKET_APPLICATION_NAME));
}

} // namespace

PendingRemovalStore::PendingRemovalStore(CredentialStore *inner, const QString &settingsFile,
                                         QObject *parent)
    : CredentialStore(parent)
    , m_inner(inner)
    , m_settings(openSettings(settingsFile))
{ }

PendingRemovalStore::~PendingRemovalStore() = default;

QStringList PendingRemovalStore::pendingKeys() const
{
    m_settings->sync(); // another process may have changed the list
    return m_settings->value(QLatin1String(kSettingsKey)).toStringList();
}

void PendingRemovalStore::setListed(const QString &key, bool listed)
{
    QStringList keys = pendingKeys();
    if (keys.contains(key) == listed)
        return;
    if (listed)
        keys.append(key);
    else
        keys.removeAll(key);
    if (keys.isEmpty())
        m_settings->remove(QLatin1String(kSettingsKey));
    else
        m_settings->setValue(QLatin1String(kSettingsKey), keys);
    m_settings->sync();
}

void PendingRemovalStore::read(const QString &key, QObject *context, ReadCallback done)
{
    if (pendingKeys().contains(key)) {
        // Removed as far as the user is concerned: a signed-out account must not sign in again
        // with the secret the keychain kept.
        QTimer::singleShot(0, context, [done = std::move(done)] { done(ReadResult {}); });
        return;
    }
    m_inner->read(key, context, std::move(done));
}

void PendingRemovalStore::write(const QString &key, const QString &secret, QObject *context,
                                DoneCallback done)
{
    m_inner->write(key, secret, context, [this, key, done = std::move(done)](const QString &error) {
        if (error.isEmpty())
            setListed(key, false); // the stored value is a wanted one now
        done(error);
    });
}

void PendingRemovalStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    m_inner->remove(key, context, [this, key, done = std::move(done)](const QString &error) {
        setListed(key, !error.isEmpty());
        if (error.isEmpty())
            done(error);
        else
            done(error + u' '
                 + tr("Docket no longer uses it, and tries again to delete it each time the "
                      "window or docket-cli starts."));
    });
}

QString PendingRemovalStore::description() const
{
    return m_inner->description();
}

void PendingRemovalStore::retryPending(QObject *context,
                                       std::function<void(const RetryResult &)> done)
{
    const QStringList keys = pendingKeys();
    if (keys.isEmpty()) {
        QTimer::singleShot(0, context, [done = std::move(done)] { done(RetryResult {}); });
        return;
    }
    auto result = std::make_shared<RetryResult>();
    auto remaining = std::make_shared<int>(int(keys.size()));
    QPointer<QObject> guard(context);
    for (const QString &key : keys) {
        // Through remove(), so the list follows each answer as it comes.
        remove(key, this, [result, remaining, guard, done](const QString &error) {
            if (error.isEmpty()) {
                ++result->removed;
            } else {
                ++result->stillPending;
                if (result->error.isEmpty())
                    result->error = error;
            }
            if (--*remaining == 0 && guard)
                done(*result);
        });
    }
}

} // namespace Docket
