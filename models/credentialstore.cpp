#include "credentialstore.h"

#include <QCoreApplication>
#include <QTimer>

namespace Docket {

namespace {

// Completes on the next event-loop turn, like a real keychain would, so callers never depend on
// synchronous completion.
void later(QObject *context, std::function<void()> work)
{
    QTimer::singleShot(0, context, std::move(work));
}

} // namespace

void MemoryCredentialStore::read(const QString &key, QObject *context, ReadCallback done)
{
    ReadResult result;
    if (m_secrets.contains(key))
        result.value = m_secrets.value(key);
    later(context, [done = std::move(done), result] { done(result); });
}

void MemoryCredentialStore::write(const QString &key, const QString &secret, QObject *context,
                                  DoneCallback done)
{
    m_secrets.insert(key, secret);
    later(context, [done = std::move(done)] { done({}); });
}

void MemoryCredentialStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    m_secrets.remove(key);
    later(context, [done = std::move(done)] { done({}); });
}

QString MemoryCredentialStore::description() const
{
    return QCoreApplication::translate("Docket", "memory (this run only)");
}

} // namespace Docket
