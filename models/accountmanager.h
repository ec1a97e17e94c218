#pragma once

#include "account.h"
#include "connector.h"
#include "credentialstore.h"
#include "networkclient.h"

#include <QJsonObject>
#include <QObject>

#include <memory>
#include <vector>

namespace Docket {

class InvoxIndex;

// The accounts open in this run: for each, its session (secrets, pacing) and its connector. The
// window's model shows what it opens; it owns them so the model and the window need not.
class AccountManager : public QObject
{
    Q_OBJECT

public:
    AccountManager(NetworkClient *network, InvoxIndex *invoxIndex, QObject *parent = nullptr);
    ~AccountManager() override;

    // Opens an account whose secrets are already in `credentials` (or given in `secrets`, which are
    // written there first), signs in, and emits accountReady or accountFailed.
    void open(const Account &account, CredentialStore *credentials,
              const QHash<QString, QString> &secrets = {});

    // `docket --sandbox`: one demo account per service from the sandbox's addresses file, secrets
    // in memory only, Care360 signed in with the printed one-time code, and the sandbox's known
    // Invox documents recorded in the index.
    void openSandboxAccounts(const QJsonObject &addresses);

    // For the account dialog, which drives the sign-in itself: creates the account's session and
    // connector (owned here) without signing in or loading secrets. Then either adopt() it once
    // signed in (emits accountReady) or close() it.
    Connector *prepare(const Account &account, CredentialStore *credentials);
    void adopt(Connector *connector);
    // Forgets an opened or prepared account (after sign-out or a failed sign-in). Its connector
    // and session are deleted later on the event loop, so this is safe from their signals.
    void close(const QString &accountId);
    // The same for one connector, when another with the same id is open (the account dialog's
    // new sign-in while the account is edited).
    void closeConnector(Connector *connector);

    QList<Connector *> connectors() const;
    Connector *connector(const QString &accountId) const;
    MemoryCredentialStore *memoryStore() { return &m_memory; }

Q_SIGNALS:
    void accountReady(Docket::Connector *connector);
    void accountFailed(const Docket::Account &account, const QString &reason);

private:
    struct Opened
    {
        std::unique_ptr<AccountSession> session;
        std::unique_ptr<Connector> connector;
    };
    void signIn(Connector *connector, const QString &care360Code);
    void openWithCode(const Account &account, CredentialStore *credentials,
                      const QHash<QString, QString> &secrets, const QString &care360Code);

    NetworkClient *m_network;
    InvoxIndex *m_invoxIndex;
    MemoryCredentialStore m_memory;
    std::vector<Opened> m_opened;
};

} // namespace Docket
