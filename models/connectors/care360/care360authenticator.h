#pragma once

#include "accountsession.h"
#include "care360support.h"
#include "interprocesslock.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace Docket {

// Care360's access JWT (15 minutes) and rotating refresh token. Every refresh returns a new pair
// and kills the old refresh token; replaying an old one revokes the whole sign-in. So there is
// one refresh in flight at a time (the session guarantees it for its renewals; signIn() joins the
// same one here), and the new pair is stored before anyone is told the renewal is done.
//
// The window and each docket-cli run share one keychain, so two processes can hold the same
// refresh token. A renewal therefore holds a lock every Docket process of this user shares
// (InterProcessLock, one per account) around reading the stored pair, refreshing and storing the
// new pair; and it reads the stored pair first: when another process has already refreshed, its
// pair is taken over (and its access token used, while its JWT says it is valid) instead of
// spending a refresh token that is already dead.
class Care360Authenticator : public Authenticator
{
public:
    explicit Care360Authenticator(AccountSession *session)
        : Authenticator(session)
        , m_refreshLock(QStringLiteral("docket-care360-refresh-%1.lock").arg(session->account().id))
    { }
    ~Care360Authenticator() override { *m_alive = false; }

    bool authorize(ApiRequest &request) override;
    bool canRenew() const override;
    void renew(std::function<void(const ApiError &)> done) override;
    void invalidate() override { m_accessUsable = false; }

    // A new pair arrived (verify-otp or refresh): keeps it in memory at once, records when to
    // renew, and calls `done` once the store has both tokens.
    void acceptTokens(const Care360::TokenPair &tokens, QObject *context,
                      std::function<void(const QString &error)> done);
    // Sign-out: forget the expiry, and discard the answer of a refresh still in flight.
    void reset();

private:
    struct StoredPair
    {
        QString refreshToken; // empty: none stored
        QString accessToken;
        QString readError; // the store could not be read: nothing is known of the stored pair
    };
    void lockAcquired(InterProcessLock::Outcome outcome, const QString &detail);
    void readStoredPair(std::function<void(const StoredPair &)> done);
    // True when the stored pair is newer than the one in memory and its access token can be used
    // as it is; the renewal is then done without a refresh. A newer refresh token alone is taken
    // over too (the refresh then spends it, not the dead one in memory).
    bool adoptStoredPair(const StoredPair &stored);
    void sendRefresh();
    void refreshFinished(const ApiResult &result);
    void finishRenewal(const ApiError &error);

    // 0: unknown (a token read from the store); the service's 401 then starts the renewal.
    qint64 m_renewAtMs = 0;
    bool m_accessUsable = true;
    bool m_renewing = false;
    int m_generation = 0; // bumped by reset()
    int m_renewingGeneration = 0;
    QList<std::function<void(const ApiError &)>> m_renewWaiters;
    InterProcessLock m_refreshLock;
    // The refresh token this process last read from the store or saw the store save: a stored
    // one that differs was written by another process; memory that differs from it holds a pair
    // whose save failed (still the live one). Empty: what the session loaded at start.
    QString m_syncedRefreshToken;
    // Callbacks outlive nothing: the session may replace its authenticator.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace Docket
