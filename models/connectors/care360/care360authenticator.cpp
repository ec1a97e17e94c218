#include "care360authenticator.h"

#include "connectors/connectorsupport.h"
#include "credentialstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>
#include <optional>

namespace Docket {

using namespace Care360;

namespace {

// How long a renewal waits for another Docket process (the window, a docket-cli run) that is
// renewing the same account: longer than one refresh takes, short enough to say so in time.
constexpr int kRefreshLockWaitMs = 60000;

// Care360's answers to a refresh token it will not take. Told by the code in the body, whatever
// the status: a gateway or a later API version may answer them with 400 or 403 instead of 401.
bool isReusedRefreshToken(const ApiError &error)
{
    return error.serviceCode.compare(QLatin1String("REFRESH_REUSED"), Qt::CaseInsensitive) == 0;
}

bool isRefusedRefreshToken(const ApiError &error)
{
    return error.httpStatus == 401 || isReusedRefreshToken(error)
        || error.serviceCode.compare(QLatin1String("REFRESH_INVALID"), Qt::CaseInsensitive) == 0;
}

ApiError signedOutError(const ApiError &cause)
{
    ApiError error = ApiError::make(
        ApiError::Kind::SignedOut,
        isReusedRefreshToken(cause)
            ? tr("Care360 ended this sign-in because an old refresh token was used again (by "
                 "another copy of Docket, or by someone who copied it). Sign in again with a new "
                 "code.")
            : tr("Care360 no longer accepts this account's sign-in: it expired, was ended "
                 "elsewhere (by a sign-out, or by an old copy of its refresh token used again), "
                 "or belongs to another organization. Sign in again with a new code."));
    error.httpStatus = cause.httpStatus;
    error.serviceCode = cause.serviceCode;
    error.serviceMessage = cause.serviceMessage;
    error.requestId = cause.requestId;
    return error;
}

// When an access JWT's "exp" claim says it dies, in ms since the epoch; nullopt when the token
// is not a JWT with one. Read only to decide whether a token another process stored is worth
// using: the service still has the last word with its 401.
std::optional<qint64> jwtExpiryMs(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return std::nullopt;
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonValue exp = QJsonDocument::fromJson(payload).object().value(QStringLiteral("exp"));
    if (!exp.isDouble() || exp.toDouble() <= 0)
        return std::nullopt;
    // A claim past any lifetime Docket believes is read as that lifetime from now: no double
    // beyond qint64, no overflow in the multiplication.
    const double latest = double(QDateTime::currentSecsSinceEpoch()) + double(maxLifetimeSeconds);
    return qint64(qMin(exp.toDouble(), latest)) * 1000;
}

} // namespace

bool Care360Authenticator::authorize(ApiRequest &request)
{
    const QString tenantKey = session()->secret(Secret::tenantKey);
    const QString accessToken = session()->secret(Secret::accessToken);
    if (tenantKey.isEmpty() || accessToken.isEmpty() || !m_accessUsable)
        return false;
    if (m_renewAtMs > 0 && QDateTime::currentMSecsSinceEpoch() >= m_renewAtMs)
        return false; // about to expire: renew first
    request.headers.append({ "cv-api-key", tenantKey.toUtf8() });
    request.headers.append({ "Authorization", "Bearer " + accessToken.toUtf8() });
    return true;
}

bool Care360Authenticator::canRenew() const
{
    return session()->hasSecret(Secret::tenantKey) && session()->hasSecret(Secret::refreshToken);
}

void Care360Authenticator::renew(std::function<void(const ApiError &)> done)
{
    m_renewWaiters.append(std::move(done));
    if (m_renewing)
        return; // joins the refresh in flight: a second one would replay a dead token
    if (!canRenew()) {
        finishRenewal(ApiError::make(ApiError::Kind::SignedOut,
                                     tr("Care360 has no stored sign-in for this account. Sign in "
                                        "with a new code.")));
        return;
    }
    m_renewing = true;
    m_renewingGeneration = m_generation;
    m_refreshLock.acquire(
        kRefreshLockWaitMs,
        [this, alive = m_alive](InterProcessLock::Outcome outcome, const QString &detail) {
            if (*alive)
                lockAcquired(outcome, detail);
        });
}

void Care360Authenticator::lockAcquired(InterProcessLock::Outcome outcome, const QString &detail)
{
    if (outcome == InterProcessLock::Outcome::TimedOut) {
        finishRenewal(ApiError::make(
            ApiError::Kind::Timeout,
            tr("Another Docket program (the window or docket-cli) has been renewing this Care360 "
               "sign-in for over a minute. Try again in a moment.")));
        return;
    }
    if (outcome == InterProcessLock::Outcome::Failed) {
        // Refreshing without the lock could replay a token another process just spent.
        finishRenewal(ApiError::make(
            ApiError::Kind::Credentials,
            tr("The Care360 sign-in was not renewed: %1 Without it, two Docket programs could "
               "end each other's sign-in.")
                .arg(detail)));
        return;
    }
    readStoredPair([this, alive = m_alive](const StoredPair &stored) {
        if (!*alive)
            return;
        if (m_renewingGeneration != m_generation) {
            finishRenewal(ApiError::make(ApiError::Kind::SignedOut, tr("Signed out of Care360.")));
            return;
        }
        if (!stored.readError.isEmpty()) {
            // Refreshing blind could replay a token another process has spent.
            finishRenewal(ApiError::make(
                ApiError::Kind::Credentials,
                tr("The Care360 sign-in was not renewed: the stored sign-in could not be read "
                   "(%1).")
                    .arg(stored.readError)));
            return;
        }
        if (stored.refreshToken.isEmpty()) {
            // Signed out or removed in another Docket program (or its secrets are waiting to be
            // removed): a refresh here would bring the sign-in back behind its back.
            m_accessUsable = false;
            finishRenewal(ApiError::make(ApiError::Kind::SignedOut,
                                         tr("This Care360 sign-in was ended in another Docket "
                                            "program. Sign in again with a new code.")));
            return;
        }
        if (adoptStoredPair(stored))
            finishRenewal({});
        else
            sendRefresh();
    });
}

void Care360Authenticator::readStoredPair(std::function<void(const StoredPair &)> done)
{
    auto stored = std::make_shared<StoredPair>();
    auto remaining = std::make_shared<int>(2);
    const QString accountId = session()->account().id;
    const auto readInto = [&](const QString &name, QString StoredPair::*field) {
        session()->credentials()->read(
            secretKey(accountId, name), session(),
            [stored, remaining, field, done](const CredentialStore::ReadResult &result) {
                (*stored).*field = result.value.value_or(QString());
                if (!result.error.isEmpty())
                    stored->readError = result.error;
                if (--*remaining == 0)
                    done(*stored);
            });
    };
    readInto(Secret::refreshToken, &StoredPair::refreshToken);
    readInto(Secret::accessToken, &StoredPair::accessToken);
}

bool Care360Authenticator::adoptStoredPair(const StoredPair &stored)
{
    const QString inMemory = session()->secret(Secret::refreshToken);
    const QString synced = m_syncedRefreshToken.isEmpty() ? inMemory : m_syncedRefreshToken;
    if (stored.refreshToken == synced) {
        // Nobody else refreshed. Memory may hold a newer pair whose save failed: that one is
        // live (the stored one is spent), so it is the one to refresh with, and to save again.
        return false;
    }
    // Another process refreshed: its pair is the live one.
    m_syncedRefreshToken = stored.refreshToken;
    session()->setSecret(Secret::refreshToken, stored.refreshToken);
    const std::optional<qint64> expiresAt = jwtExpiryMs(stored.accessToken);
    // Its lifetime is unknown: the whole margin of the account's RetryPolicy.
    const qint64 margin = session()->retryPolicy().renewalMarginSeconds;
    const qint64 renewAt = expiresAt ? *expiresAt - margin * 1000 : 0;
    if (renewAt <= QDateTime::currentMSecsSinceEpoch()
        || stored.accessToken == session()->secret(Secret::accessToken))
        return false; // its access token is dead too: refresh with the stored refresh token
    session()->setSecret(Secret::accessToken, stored.accessToken);
    m_renewAtMs = renewAt;
    m_accessUsable = true;
    return true;
}

void Care360Authenticator::sendRefresh()
{
    const ApiRequest request = authRequest(
        session(), QStringLiteral("refresh-token"),
        { { QStringLiteral("refresh_token"), session()->secret(Secret::refreshToken) } });
    session()->sendUnauthenticated(request, session(),
                                   [this, alive = m_alive](const ApiResult &result) {
                                       if (*alive)
                                           refreshFinished(result);
                                   });
}

void Care360Authenticator::refreshFinished(const ApiResult &result)
{
    if (m_renewingGeneration != m_generation) {
        // Signed out while the refresh was out: its tokens must not come back.
        finishRenewal(ApiError::make(ApiError::Kind::SignedOut, tr("Signed out of Care360.")));
        return;
    }
    if (!result.ok()) {
        if (!isRefusedRefreshToken(result.error)) {
            // A timeout or a server error says nothing about the refresh token: keep it.
            finishRenewal(care360Error(result));
            return;
        }
        // REFRESH_REUSED (the family is revoked), REFRESH_INVALID, or any other 401: the tokens
        // are dead, and keeping them would only invite another replay.
        const ApiError error = signedOutError(result.error);
        m_accessUsable = false;
        m_renewAtMs = 0;
        storeSecrets(session(),
                     { { Secret::refreshToken, QString() }, { Secret::accessToken, QString() } },
                     session(), [this, alive = m_alive, error](const QString &) {
                         if (*alive)
                             finishRenewal(error);
                     });
        return;
    }
    QString problem;
    const QJsonObject body = result.jsonObject(&problem);
    const std::optional<TokenPair> tokens = problem.isEmpty() ? parseTokens(body) : std::nullopt;
    if (!tokens) {
        finishRenewal(ApiError::malformed(
            problem.isEmpty() ? QStringLiteral("no access and refresh token in the answer")
                              : problem,
            result.requestId));
        return;
    }
    acceptTokens(*tokens, session(), [this, alive = m_alive](const QString &error) {
        if (*alive)
            finishRenewal(error.isEmpty() ? ApiError() : storeError(error));
    });
}

void Care360Authenticator::finishRenewal(const ApiError &error)
{
    m_renewing = false;
    // Only now, with the new pair stored (or the old one known dead), may another process read it.
    m_refreshLock.release();
    // A waiter may start the next renewal at once (a retried request meeting another 401).
    const auto waiters = std::exchange(m_renewWaiters, {});
    for (const auto &done : waiters)
        done(error);
}

void Care360Authenticator::acceptTokens(const TokenPair &tokens, QObject *context,
                                        std::function<void(const QString &)> done)
{
    // How early: the account's RetryPolicy (30 s, at most a quarter of its life).
    const int margin = int(
        session()->retryPolicy().renewalMargin(std::chrono::seconds(tokens.expiresIn)).count());
    m_renewAtMs = QDateTime::currentMSecsSinceEpoch() + qint64(tokens.expiresIn - margin) * 1000;
    m_accessUsable = true;
    // The refresh token first: it is the one that cannot be recovered if lost.
    storeSecrets(session(),
                 { { Secret::refreshToken, tokens.refreshToken },
                   { Secret::accessToken, tokens.accessToken } },
                 context,
                 [this, alive = m_alive, refreshToken = tokens.refreshToken,
                  done = std::move(done)](const QString &error) {
                     if (*alive && error.isEmpty())
                         m_syncedRefreshToken = refreshToken;
                     done(error);
                 });
}

void Care360Authenticator::reset()
{
    ++m_generation;
    m_syncedRefreshToken.clear();
    m_renewAtMs = 0;
    m_accessUsable = true;
}

} // namespace Docket
