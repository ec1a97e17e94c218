#pragma once

#include "account.h"
#include "networkclient.h"
#include "requestpacer.h"
#include "retrypolicy.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace Docket {

class AccountSession;
class CredentialStore;

// How one service proves who the caller is. The session asks it to authorize each request and, when
// it can, to renew an access token after a 401 or before expiry. A session holds exactly one.
class Authenticator
{
public:
    explicit Authenticator(AccountSession *session)
        : m_session(session)
    { }
    virtual ~Authenticator() = default;

    // Adds credentials to the request. False when none can be added now (no token, or the token is
    // known to have expired): the session then renews first, if canRenew().
    virtual bool authorize(ApiRequest &request) = 0;
    virtual bool canRenew() const { return false; }
    // Gets a new access token. Must save every new secret (AccountSession::storeSecret) and wait
    // for that to finish before calling `done`, so nothing retries with a token that is not yet
    // safe. An error of kind SignedOut ends the sign-in.
    virtual void renew(std::function<void(const ApiError &)> done);
    // The access token was refused: forget it, so authorize() returns false until renew().
    virtual void invalidate() { }

protected:
    AccountSession *session() const { return m_session; }

private:
    AccountSession *m_session;
};

// Everything one account needs to talk to its service: its settings, its secrets (held in memory
// while signed in, persisted in the CredentialStore), its authenticator, and one request pacer
// shared by listing and deleting. All requests of an account go through send().
class AccountSession : public QObject
{
    Q_OBJECT

public:
    AccountSession(const Account &account, NetworkClient *network, CredentialStore *credentials,
                   QObject *parent = nullptr);
    ~AccountSession() override;

    const Account &account() const { return m_account; }
    NetworkClient *network() const { return m_network; }
    CredentialStore *credentials() const { return m_credentials; }
    RequestPacer *pacer() { return &m_pacer; }
    // How this account retries and renews: the 429s each request waits out, the deletion queue's
    // retries, the token renewal margin.
    const RetryPolicy &retryPolicy() const { return m_retryPolicy; }

    void setAuthenticator(std::unique_ptr<Authenticator> authenticator);
    Authenticator *authenticator() const { return m_authenticator.get(); }

    // Sends through the pacer with credentials; renews the access token once on a 401 (one renewal
    // in flight per account, however many requests meet a 401), and waits and retries on a 429
    // instead of failing. `done` is dropped if `context` is destroyed first.
    void send(const ApiRequest &request, QObject *context,
              std::function<void(const ApiResult &)> done);
    // The same pacing, without credentials (sign-in and token calls).
    void sendUnauthenticated(const ApiRequest &request, QObject *context,
                             std::function<void(const ApiResult &)> done);

    // Secrets: the in-memory copy used for requests, kept in step with the store.
    QString secret(const QString &name) const { return m_secrets.value(name); }
    bool hasSecret(const QString &name) const { return !m_secrets.value(name).isEmpty(); }
    // Reads every secret this service may have from the store; `done` gets the store's error.
    void loadSecrets(QObject *context, std::function<void(const QString &error)> done);
    // Holds a secret in memory only (for a sign-in not yet confirmed by the service).
    void setSecret(const QString &name, const QString &value) { m_secrets.insert(name, value); }
    // Keeps the secret in memory at once and calls `done` when the store has it.
    void storeSecret(const QString &name, const QString &value, QObject *context,
                     std::function<void(const QString &error)> done);
    // Forgets every secret of this account, in memory and in the store (sign-out, removal).
    void clearSecrets(QObject *context, std::function<void(const QString &error)> done);

    bool isSignedOut() const { return m_signedOut; }
    QString signedOutReason() const { return m_signedOutReason; }
    // Back to usable after a successful sign-in.
    void markSignedIn();

    // How many token renewals were started (tests check that concurrent 401s share one).
    int renewalsStarted() const { return m_renewalsStarted; }
    // How many times a 429 made this account wait.
    int rateLimitWaits() const { return m_rateLimitWaits; }

Q_SIGNALS:
    void signedOut(const QString &reason);
    // A 429 paused this account's requests for `milliseconds`.
    void rateLimited(int milliseconds);

private:
    struct Pending;
    void start(std::shared_ptr<Pending> pending);
    void waitForRenewal(std::shared_ptr<Pending> pending);
    void renewalFinished(const ApiError &error);
    void fail(const std::shared_ptr<Pending> &pending, const ApiError &error);
    void setSignedOut(const QString &reason);

    Account m_account;
    NetworkClient *m_network;
    CredentialStore *m_credentials;
    std::unique_ptr<Authenticator> m_authenticator;
    RetryPolicy m_retryPolicy;
    RequestPacer m_pacer;
    QHash<QString, QString> m_secrets;
    QList<std::shared_ptr<Pending>> m_waitingForRenewal;
    bool m_renewing = false;
    int m_authGeneration = 0; // bumped by each successful renewal
    int m_renewalsStarted = 0;
    int m_rateLimitWaits = 0;
    bool m_signedOut = false;
    QString m_signedOutReason;
};

} // namespace Docket
