#pragma once

#include "credentialstore.h"

namespace Docket {

// The OS keychain, with a way out: the first call the keychain fails (any error but "no such
// secret": no secret service, a locked keyring, a refusal) switches this store, for the rest of
// the run, to secrets held in memory. keychainUnavailable() is emitted once with the keychain's
// reason, and that call completes from memory (a write succeeds there, a read finds nothing).
// A removal is the exception: it still asks the keychain, and fails with its reason when the
// keychain refuses, since the secret may still be there. Nothing is ever written to disk in plain
// text.
class FallbackCredentialStore : public CredentialStore
{
    Q_OBJECT

public:
    // `inner` (usually a KeychainCredentialStore) must outlive this store.
    explicit FallbackCredentialStore(CredentialStore *inner, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               DoneCallback done) override;
    void remove(const QString &key, QObject *context, DoneCallback done) override;
    QString description() const override;

    bool isUsingMemory() const { return m_usingMemory; }
    // Why the keychain could not be used (empty while it is in use).
    QString unavailableReason() const { return m_reason; }

Q_SIGNALS:
    void keychainUnavailable(const QString &reason);

private:
    void switchToMemory(const QString &reason);

    CredentialStore *m_inner;
    MemoryCredentialStore m_memory;
    bool m_usingMemory = false;
    QString m_reason;
};

} // namespace Docket
