#include "fallbackcredentialstore.h"

#include <QPointer>

namespace Docket {

FallbackCredentialStore::FallbackCredentialStore(CredentialStore *inner, QObject *parent)
    : CredentialStore(parent)
    , m_inner(inner)
{ }

void FallbackCredentialStore::switchToMemory(const QString &reason)
{
    if (m_usingMemory)
        return;
    m_usingMemory = true;
    m_reason = reason;
    Q_EMIT keychainUnavailable(reason);
}

void FallbackCredentialStore::read(const QString &key, QObject *context, ReadCallback done)
{
    if (m_usingMemory) {
        m_memory.read(key, context, std::move(done));
        return;
    }
    QPointer<QObject> guard(context);
    m_inner->read(key, context,
                  [this, key, guard, done = std::move(done)](const ReadResult &result) {
                      if (result.error.isEmpty()) {
                          done(result);
                          return;
                      }
                      switchToMemory(result.error);
                      if (guard)
                          m_memory.read(key, guard, done);
                  });
}

void FallbackCredentialStore::write(const QString &key, const QString &secret, QObject *context,
                                    DoneCallback done)
{
    if (m_usingMemory) {
        m_memory.write(key, secret, context, std::move(done));
        return;
    }
    QPointer<QObject> guard(context);
    m_inner->write(key, secret, context,
                   [this, key, secret, guard, done = std::move(done)](const QString &error) {
                       if (error.isEmpty()) {
                           done(error);
                           return;
                       }
                       switchToMemory(error);
                       if (guard)
                           m_memory.write(key, secret, guard, done);
                   });
}

void FallbackCredentialStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    if (m_usingMemory) {
        m_memory.remove(key, context, [](const QString &) {});
        // The keychain may still hold what it held before it failed: it is asked too, and its
        // refusal is reported, so nobody is told a secret is gone that may still be there.
        m_inner->remove(key, context, std::move(done));
        return;
    }
    QPointer<QObject> guard(context);
    m_inner->remove(key, context, [this, key, guard, done = std::move(done)](const QString &error) {
        if (error.isEmpty()) {
            done(error);
            return;
        }
        switchToMemory(error);
        if (guard)
            m_memory.remove(key, guard, [done, error](const QString &) { done(error); });
    });
}

QString FallbackCredentialStore::description() const
{
    return m_usingMemory ? m_memory.description() : m_inner->description();
}

} // namespace Docket
