#pragma once

#include "credentialstore.h"

namespace Docket {

// Secrets in the operating system's keychain (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows) through QtKeychain. Never falls back to a plain-text file: when
// the keychain is missing, locked or refuses, each call ends with that reason as its error.
class KeychainCredentialStore : public CredentialStore
{
    Q_OBJECT

public:
    explicit KeychainCredentialStore(const QString &serviceName = QStringLiteral("Docket"),
                                     QObject *parent = nullptr);

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               DoneCallback done) override;
    void remove(const QString &key, QObject *context, DoneCallback done) override;
    QString description() const override;

private:
    QString m_serviceName;
};

// Secrets from environment variables, for scripts and CI where no keychain can be unlocked:
// DOCKET_SECRET_<ACCOUNT NAME>_<SECRET>, with the account name upper-cased and every character
// other than A-Z and 0-9 turned into '_', and the secret one of TOKEN, API_KEY, TENANT_KEY,
// REFRESH_TOKEN, ACCESS_TOKEN. Example: account "Sandbox Scriptix" ->
// DOCKET_SECRET_SANDBOX_SCRIPTIX_TOKEN. Reads ask the inner store first and use the variable when
// the store has no such secret or cannot be reached; writes and removals go to the inner store.
class EnvironmentCredentialStore : public CredentialStore
{
    Q_OBJECT

public:
    EnvironmentCredentialStore(CredentialStore *inner, QObject *parent = nullptr);

    // Which account name a key's account id has (the variables are named after names, keys use
    // ids).
    void setAccountName(const QString &accountId, const QString &name);
    static QString variableName(const QString &accountName, const QString &secretName);

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               DoneCallback done) override;
    void remove(const QString &key, QObject *context, DoneCallback done) override;
    QString description() const override;

private:
    std::optional<QString> fromEnvironment(const QString &key) const;

    CredentialStore *m_inner;
    QHash<QString, QString> m_accountNames;
};

} // namespace Docket
