#include "care360connector.h"

#include "care360filelist.h"
#include "connectors/connectorsupport.h"
#include "credentialstore.h"
#include "interprocesslock.h"
#include "connectors/jsonparsing.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

#include <memory>
#include <optional>

namespace Docket {

namespace {

// docs/services.md §2: the access JWT lives 15 minutes ("expiresIn": 900) when the answer does not
// say otherwise.
constexpr int kDefaultExpiresInSeconds = 900;
// Renew this long before the access token expires, so a request never goes out with a token that
// dies on the way.
constexpr int kRenewMarginSeconds = 30;
// A download link's lifetime when the answer does not say ([doc] 900 s).
constexpr int kDefaultDownloadSeconds = 900;
// How long a renewal waits for another Docket process (the window, a docket-cli run) that is
// renewing the same account: longer than one refresh takes, short enough to say so in time.
constexpr int kRefreshLockWaitMs = 60000;

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return Care360Connector::tr(text, disambiguation, n);
}

struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    int expiresIn = kDefaultExpiresInSeconds;
};

// At most a year (which an int holds): renewal times and link expiries are computed from it.
int positiveSeconds(const QJsonValue &value, int fallback)
{
    return int(lifetimeSeconds(value, fallback));
}

// [gap] The token fields are not shown in the docs: the default is
// {"data": {"accessToken", "refreshToken", "expiresIn"}}; the same fields at the top level, and
// snake_case names, are accepted too.
std::optional<TokenPair> parseTokens(const QJsonObject &body)
{
    QList<QJsonObject> candidates;
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (data.isObject())
        candidates << data.toObject();
    candidates << body;
    for (const QJsonObject &object : std::as_const(candidates)) {
        const QJsonValue access = firstField(object, { "accessToken", "access_token" });
        const QJsonValue refresh = firstField(object, { "refreshToken", "refresh_token" });
        if (!access.isString() || !refresh.isString() || access.toString().isEmpty()
            || refresh.toString().isEmpty())
            continue;
        TokenPair tokens;
        tokens.accessToken = access.toString();
        tokens.refreshToken = refresh.toString();
        tokens.expiresIn = positiveSeconds(firstField(object, { "expiresIn", "expires_in" }),
                                           kDefaultExpiresInSeconds);
        return tokens;
    }
    return std::nullopt;
}

QUrl authUrl(const AccountSession *session, const QString &call)
{
    return urlWithSegments(session->account().baseUrl,
                           { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                             QStringLiteral("auth"), call });
}

// Sign-in calls carry the tenant key but never a Bearer token (refresh-token must not).
ApiRequest authRequest(const AccountSession *session, const QString &call, const QJsonObject &body)
{
    ApiRequest request;
    request.method = "POST";
    request.url = authUrl(session, call);
    request.headers = { { "cv-api-key", session->secret(Secret::tenantKey).toUtf8() },
                        { "Content-Type", "application/json" } };
    request.body = jsonBody(body);
    return request;
}

// Care360 answers an unknown cv-api-key with 404 "Organization not found" on every route. Told
// apart from a file's 404 by the message, which is the only thing that differs.
bool isUnknownTenant(const ApiError &error)
{
    return error.kind == ApiError::Kind::Http && error.httpStatus == 404
        && error.serviceMessage.contains(QLatin1String("organization"), Qt::CaseInsensitive);
}

// The result's error with a sentence that says what Care360 meant, where we know it.
ApiError care360Error(const ApiResult &result)
{
    ApiError error = result.error;
    if (isUnknownTenant(error))
        error.userMessage = tr("The tenant key is not known to Care360. Check the key your "
                               "provider gave you.");
    return error;
}

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

// The "sub" claim of an access JWT: the user it was issued to; empty when it has none.
QString jwtSubject(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonValue subject
        = QJsonDocument::fromJson(payload).object().value(QStringLiteral("sub"));
    return subject.isString() ? subject.toString() : QString();
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

ApiError storeError(const QString &storeMessage)
{
    return ApiError::make(ApiError::Kind::Credentials,
                          tr("The new Care360 sign-in could not be saved in the credential "
                             "store: %1")
                              .arg(storeMessage));
}

// Stores several secrets and calls `done` once, when the store has confirmed every write (with the
// first error, if any).
void storeSecrets(AccountSession *session, const QList<QPair<QString, QString>> &secrets,
                  QObject *context, std::function<void(const QString &error)> done)
{
    auto remaining = std::make_shared<int>(int(secrets.size()));
    auto firstError = std::make_shared<QString>();
    for (const auto &[name, value] : secrets) {
        session->storeSecret(name, value, context,
                             [remaining, firstError, done](const QString &error) {
                                 if (!error.isEmpty() && firstError->isEmpty())
                                     *firstError = error;
                                 if (--*remaining == 0)
                                     done(*firstError);
                             });
    }
}

QString uploaderName(const QJsonObject &file)
{
    const QJsonObject uploader = file.value(QStringLiteral("uploadedBy")).toObject();
    const QString name = stringField(uploader, QStringLiteral("firstName")) + u' '
        + stringField(uploader, QStringLiteral("lastName"));
    return name.trimmed();
}

// The "data" object of a single-item answer (metadata, download).
std::optional<QJsonObject> dataOf(const QJsonObject &body)
{
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (data.isObject())
        return data.toObject();
    return std::nullopt;
}

} // namespace

// --- Authenticator ------------------------------------------------------------------------------

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
    void acceptTokens(const TokenPair &tokens, QObject *context,
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
    const qint64 renewAt = expiresAt ? *expiresAt - kRenewMarginSeconds * 1000LL : 0;
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
    const int margin = qMin(kRenewMarginSeconds, tokens.expiresIn / 4);
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

// --- Connector ----------------------------------------------------------------------------------

Care360Connector::Care360Connector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{
    auto authenticator = std::make_unique<Care360Authenticator>(session);
    m_authenticator = authenticator.get();
    session->setAuthenticator(std::move(authenticator));
    m_knownFilesExpiry.setSingleShot(true);
    connect(&m_knownFilesExpiry, &QTimer::timeout, this, &Care360Connector::forgetKnownFiles);
}

void Care360Connector::setFileTypeFilter(const QString &type)
{
    if (type != m_typeFilter)
        forgetKnownFiles();
    m_typeFilter = type;
}

void Care360Connector::setKnownFilesLifetime(int milliseconds)
{
    m_knownFilesLifetimeMs = qMax(0, milliseconds);
    forgetKnownFiles();
}

std::optional<ListPage> Care360Connector::takeKnownFiles(const QString &caseId, bool withDetails)
{
    if (m_knownFiles.byCase.isEmpty() || m_knownFiles.typeFilter != m_typeFilter
        || (withDetails && !m_knownFiles.withDetails)
        || m_knownFiles.age.hasExpired(m_knownFilesLifetimeMs))
        return std::nullopt;
    const auto found = m_knownFiles.byCase.find(caseId);
    if (found == m_knownFiles.byCase.end())
        return std::nullopt;
    ListPage page = std::move(*found);
    m_knownFiles.byCase.erase(found);
    if (m_knownFiles.byCase.isEmpty())
        forgetKnownFiles();
    return page;
}

void Care360Connector::answerFromKnownFiles(ListJob *job, ListPage page)
{
    m_knownAnswers.push_back({ job, std::move(page) });
    if (m_knownAnswers.size() == 1)
        QTimer::singleShot(0, this, &Care360Connector::deliverKnownAnswer);
}

void Care360Connector::deliverKnownAnswer()
{
    // One per turn of the event loop: whoever lists every case at once (a select-all, a filter)
    // would otherwise get all the pages, and insert all the rows, in one go. What is posted while
    // posted events are being handled waits for the next turn.
    if (m_knownAnswers.empty())
        return;
    auto [job, page] = std::move(m_knownAnswers.front());
    m_knownAnswers.pop_front();
    if (!m_knownAnswers.empty())
        QTimer::singleShot(0, this, &Care360Connector::deliverKnownAnswer);
    if (!job || job->isFinished())
        return; // aborted meanwhile
    job->setPage(std::move(page));
    job->finish();
}

void Care360Connector::forgetKnownFiles()
{
    m_knownFilesExpiry.stop();
    m_knownFiles = KnownFiles();
}

ApiRequest Care360Connector::authRequest(const QString &call, const QJsonObject &body) const
{
    return Docket::authRequest(session(), call, body);
}

QUrl Care360Connector::filesUrl(const QStringList &segments,
                                const QList<QPair<QString, QString>> &query) const
{
    return urlWithSegments(account().baseUrl,
                           QStringList { QStringLiteral("api"), QStringLiteral("v1"),
                                         QStringLiteral("users"), QStringLiteral("me"),
                                         QStringLiteral("files") }
                               + segments,
                           query);
}

bool Care360Connector::looksLikePhoneNumber(const QString &login)
{
    if (login.contains(u'@'))
        return false;
    QString compact = login.trimmed();
    compact.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
    static const QRegularExpression phone(
        QRegularExpression::anchoredPattern(QStringLiteral("\\+?[0-9]{7,15}")));
    return phone.match(compact).hasMatch();
}

ListJob *Care360Connector::list(const NodeRef &parent, const PageRequest &page)
{
    // Care360 has no pagination: every list is one request, whatever page was asked for.
    auto *job = new ListJob(parent, this);
    if (parent.kind == NodeKind::Account) {
        listCases(job, page.withDetails);
    } else if (parent.kind == NodeKind::Care360Case && !parent.id().isEmpty()) {
        if (std::optional<ListPage> known = takeKnownFiles(parent.id(), page.withDetails)) {
            answerFromKnownFiles(job, std::move(*known));
            return job;
        }
        listFiles(job, parent.id(), page.withDetails);
    } else {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("Care360 has nothing to list under a %1.").arg(nodeKindName(parent.kind))));
    }
    return job;
}

namespace {

// Ends a list job with what `parse` (run on a worker thread) makes of the answer: the rows, or a
// MalformedResponse when the body is not a list answer. Big answers take longer to read than the
// event loop may be blocked, and a worker costs little for small ones.
template<typename Parse>
void finishListOffThread(ListJob *job, const QByteArray &requestId, Parse &&parse)
{
    runOffThread(job, std::forward<Parse>(parse),
                 [job, requestId](Care360Connector::ParsedList parsed) {
                     if (job->isFinished())
                         return; // aborted meanwhile
                     if (!parsed.problem.isEmpty()) {
                         job->finish(ApiError::malformed(parsed.problem, requestId));
                         return;
                     }
                     job->setPage(std::move(parsed.page));
                     job->finish();
                 });
}

} // namespace

namespace {

// An answer read while it arrives: each piece is read on a worker after the one before it (a
// chain of continuations on jsonThreadPool()), then finish() gives the result.
class PiecewiseReading
{
public:
    PiecewiseReading(bool withFiles, bool withDetails)
        : m_stream(std::make_shared<Care360ListStream>(withFiles, withDetails))
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
        , m_chain(QtFuture::makeReadyVoidFuture())
#else
        , m_chain(QtFuture::makeReadyFuture())
#endif
    { }

    void read(const QByteArray &piece)
    {
        m_chain
            = m_chain.then(jsonThreadPool(), [stream = m_stream, piece] { stream->append(piece); });
    }
    QFuture<Care360Connector::ParsedAccount> finish()
    {
        return m_chain.then(jsonThreadPool(), [stream = m_stream] { return stream->finish(); });
    }

private:
    std::shared_ptr<Care360ListStream> m_stream;
    QFuture<void> m_chain;
};

} // namespace

void Care360Connector::listCases(ListJob *job, bool withDetails)
{
    // There is no case list: the cases are the distinct caseIds of the patient's files (files
    // uploaded without a case are not listed by Care360 at all).
    QList<QPair<QString, QString>> query;
    if (!m_typeFilter.isEmpty())
        query.append({ QStringLiteral("type"), m_typeFilter.toLower() });
    ApiRequest request;
    request.url = filesUrl({}, query);
    // The answer holds every file of the patient (17 MB for 50,000): it is read on a worker while
    // it arrives, so little is left to read after its last byte. Pieces that come after the job
    // was aborted are not read.
    const bool keepFiles = m_knownFilesLifetimeMs > 0;
    auto reading = std::make_shared<PiecewiseReading>(keepFiles, withDetails);
    request.bodyPieces = [reading, guard = QPointer<ListJob>(job)](const QByteArray &piece) {
        if (guard && !guard->isFinished())
            reading->read(piece);
    };
    // The job is the connector's child: while it lives, so does `this`.
    session()->send(
        request, job,
        [this, job, withDetails, reading, filter = m_typeFilter,
         removals = m_removalsStarted](const ApiResult &result) {
            if (!result.ok()) {
                job->finish(care360Error(result));
                return;
            }
            if (job->isFinished())
                return; // aborted: what arrived is not worth reading
            whenReady(job, reading->finish(),
                      [this, job, filter, withDetails, removals,
                       requestId = result.requestId](ParsedAccount parsed) {
                          if (job->isFinished())
                              return; // aborted meanwhile
                          if (!parsed.cases.problem.isEmpty()) {
                              job->finish(ApiError::malformed(parsed.cases.problem, requestId));
                              return;
                          }
                          // Newer than any rows kept before, which it replaces. Not kept when a
                          // delete started since the request went out: the answer may predate it.
                          forgetKnownFiles();
                          if (filter == m_typeFilter && m_knownFilesLifetimeMs > 0
                              && removals == m_removalsStarted && !parsed.filesByCase.isEmpty()) {
                              m_knownFiles.typeFilter = filter;
                              m_knownFiles.withDetails = withDetails;
                              m_knownFiles.byCase = std::move(parsed.filesByCase);
                              m_knownFiles.age.start();
                              m_knownFilesExpiry.start(m_knownFilesLifetimeMs);
                          }
                          job->setPage(std::move(parsed.cases.page));
                          job->finish();
                      });
        });
}

void Care360Connector::listFiles(ListJob *job, const QString &caseId, bool withDetails)
{
    QList<QPair<QString, QString>> query { { QStringLiteral("caseId"), caseId } };
    if (!m_typeFilter.isEmpty())
        query.append({ QStringLiteral("type"), m_typeFilter.toLower() });
    ApiRequest request;
    request.url = filesUrl({}, query);
    session()->send(request, job, [job, withDetails](const ApiResult &result) {
        if (!result.ok()) {
            ApiError error = care360Error(result);
            if (error.httpStatus == 403)
                error.userMessage = tr("This case is not one of the signed-in patient's cases, "
                                       "so Care360 does not show its files. (HTTP 403)");
            job->finish(error);
            return;
        }
        finishListOffThread(
            job, result.requestId, [body = result.body, parent = job->parentRef(), withDetails] {
                return parseFileList(body, parent, defaultJsonParser(), withDetails);
            });
    });
}

bool Care360Connector::canDelete(NodeKind kind) const
{
    return kind == NodeKind::Care360File;
}

QString Care360Connector::signedInPatientId() const
{
    return jwtSubject(session()->secret(Secret::accessToken));
}

DeletePlan Care360Connector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.permanence = DeletePlan::Permanence::Soft;
    if (item.ref.kind == NodeKind::Care360File) {
        plan.explanation = tr("Hides “%1” from the patient and from Docket. CareValidate keeps the "
                              "file and records the deletion in the case's activity; it cannot "
                              "be undone from Docket.")
                               .arg(item.name);
        // Only the uploader may delete a file, and every file row names its uploader. Who the
        // signed-in patient is, Care360 documents nowhere; its access token says ("sub").
        // (The tree's rows are kept without details: then what Docket learnt of the file when
        // its details were fetched.)
        const Uploader known = m_uploaders.value(item.ref.id());
        const QString uploaderId = item.details.contains(QStringLiteral("uploadedById"))
            ? item.details.value(QStringLiteral("uploadedById")).toString()
            : known.id;
        const QString patient = signedInPatientId();
        if (!uploaderId.isEmpty() && !patient.isEmpty() && uploaderId != patient) {
            const QString uploader = item.details.contains(QStringLiteral("uploadedBy"))
                ? item.details.value(QStringLiteral("uploadedBy")).toString()
                : known.name;
            plan.refusal = uploader.isEmpty()
                ? tr("Uploaded by someone else; only the uploader can delete it.")
                : tr("Uploaded by %1; only the uploader can delete it.").arg(uploader);
        }
    } else {
        plan.explanation = tr("Care360 does not let Docket delete a %1; only files can be "
                              "deleted, one at a time.")
                               .arg(nodeKindName(item.ref.kind).toLower());
    }
    return plan;
}

DeleteJob *Care360Connector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    if (!canDelete(item.ref.kind) || item.ref.id().isEmpty()) {
        job->refuse(
            ApiError::make(ApiError::Kind::InvalidInput, tr("Only Care360 files can be deleted.")));
        return job;
    }
    ++m_removalsStarted;
    // The case's kept rows still list the file: whatever the outcome, its next list asks Care360.
    // (A file named without its case could be in any of them.)
    if (item.ref.ids.size() >= 2)
        m_knownFiles.byCase.remove(item.ref.ids.first());
    else
        forgetKnownFiles();
    ApiRequest request;
    request.method = "DELETE";
    request.url = filesUrl({ item.ref.id() });
    request.requestId = requestId;
    sendDelete(job, request);
    return job;
}

QString Care360Connector::deleteAnswerProblem(const RemoteItem &, const ApiResult &result) const
{
    // [doc] 200 {"status": 200, "success": true, "message": "File deleted successfully"}.
    return successAnswerProblem(result, QStringLiteral("Care360"));
}

bool Care360Connector::isNotFoundAnswer(const ApiResult &result) const
{
    // [doc] 404 {"success": false, "error": "File not found", "code"}. An unknown tenant is a 404
    // too ("Organization not found"), and so is a proxy's page: neither looked at the file.
    return result.status == 404 && isServiceErrorAnswer(result)
        && result.error.serviceMessage.compare(QLatin1String("File not found"), Qt::CaseInsensitive)
        == 0;
}

ApiError Care360Connector::explainedError(const ApiError &error) const
{
    ApiResult result;
    result.error = error;
    return care360Error(result);
}

void Care360Connector::finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                                    const ApiResult &result)
{
    if (verdict.outcome != DeleteOutcome::AlreadyGone) {
        Connector::finishDelete(job, verdict, result);
        return;
    }
    // Care360's 404 is uniform: missing, already deleted, another patient's, another tenant's,
    // or not uploaded by this patient. Only a look at the file tells "gone" from "still there,
    // not yours to delete".
    SimpleJob *check = fetchMetadata(job->item().ref);
    connect(job, &QObject::destroyed, check, &ConnectorJob::abort);
    connect(check, &ConnectorJob::finished, job, [this, job, verdict, result](ConnectorJob *done) {
        if (!job->isFinished())
            Connector::finishDelete(job, provenGone(job->item(), verdict, done), result);
    });
}

DeleteVerdict Care360Connector::provenGone(const RemoteItem &item, const DeleteVerdict &notFound,
                                           ConnectorJob *check) const
{
    DeleteVerdict verdict = notFound;
    const auto *metadata = static_cast<SimpleJob *>(check);
    const ApiError &lookError = metadata->error();
    const QVariantMap file = metadata->failed() ? QVariantMap() : metadata->data();
    const bool thisFile = !metadata->failed()
        && file.value(QStringLiteral("id")).toString().compare(item.ref.id(), Qt::CaseInsensitive)
            == 0;
    // Only a JSON true, not any value that converts to one.
    const QVariant isDeleted = file.value(QStringLiteral("isDeleted"));
    if (thisFile && isDeleted.typeId() == QMetaType::Bool && isDeleted.toBool()) {
        verdict.note = tr("Care360 answered 404, and the file is marked deleted.");
        return verdict;
    }
    if (thisFile) {
        const QString uploader = file.value(QStringLiteral("uploadedByName")).toString();
        verdict.outcome = DeleteOutcome::NotPermitted;
        verdict.note.clear();
        verdict.error = ApiError::make(
            ApiError::Kind::Http,
            uploader.isEmpty()
                ? tr("Care360 still holds this file but refused to delete it: only the person "
                     "who uploaded it can.")
                : tr("Uploaded by %1; only the uploader can delete it. Care360 still holds it.")
                      .arg(uploader));
        verdict.error.httpStatus = 404;
        return verdict;
    }
    // Care360's own "File not found" again, in its JSON shape (a code beside the message, which
    // a page's plain text does not have).
    if (metadata->failed() && lookError.kind == ApiError::Kind::Http && lookError.httpStatus == 404
        && !lookError.serviceCode.isEmpty()
        && lookError.serviceMessage.compare(QLatin1String("File not found"), Qt::CaseInsensitive)
            == 0) {
        verdict.note = tr("Care360 answered 404 to the delete and to a look at the file: this "
                          "account cannot see it any more.");
        return verdict;
    }
    // Not proven either way: the 404 alone says nothing was deleted by this request.
    verdict.outcome = DeleteOutcome::Failed;
    verdict.note.clear();
    const ApiError why = metadata->failed()
        ? lookError
        : ApiError::malformed(QStringLiteral("the metadata describes another file"), {});
    verdict.error = ApiError::make(
        ApiError::Kind::Http,
        tr("Care360 answered 404, and whether the file is still there could not be checked (%1). "
           "Nothing is known to be deleted.")
            .arg(why.sentence()));
    verdict.error.httpStatus = 404;
    return verdict;
}

SimpleJob *Care360Connector::fetchMetadata(const NodeRef &file)
{
    return fetchFileData(file, QStringLiteral("metadata"));
}

SimpleJob *Care360Connector::fetchDownloadLink(const NodeRef &file)
{
    return fetchFileData(file, QStringLiteral("download"));
}

SimpleJob *Care360Connector::fetchFileData(const NodeRef &file, const QString &call)
{
    auto *job = new SimpleJob(this);
    if (file.kind != NodeKind::Care360File || file.id().isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Only Care360 files have details to fetch.")));
        return job;
    }
    ApiRequest request;
    request.url = filesUrl({ file.id(), call });
    const bool download = call == QLatin1String("download");
    const QUrl baseUrl = account().baseUrl;
    const QString fileId = file.id();
    session()->send(request, job, [this, job, download, baseUrl, fileId](const ApiResult &result) {
        if (!result.ok()) {
            job->finish(care360Error(result));
            return;
        }
        QString problem;
        const QJsonObject body = result.jsonObject(&problem);
        const std::optional<QJsonObject> data = problem.isEmpty() ? dataOf(body) : std::nullopt;
        if (!data) {
            job->finish(ApiError::malformed(
                problem.isEmpty() ? QStringLiteral("no data object in the answer") : problem,
                result.requestId));
            return;
        }
        if (!download) {
            QVariantMap map = data->toVariantMap();
            const QString uploader = uploaderName(*data);
            if (!uploader.isEmpty())
                map.insert(QStringLiteral("uploadedByName"), uploader);
            const QString uploaderId = stringField(
                data->value(QStringLiteral("uploadedBy")).toObject(), QStringLiteral("id"));
            if (!uploaderId.isEmpty()
                && stringField(*data, QStringLiteral("id")).compare(fileId, Qt::CaseInsensitive)
                    == 0)
                m_uploaders.insert(fileId, { uploaderId, uploader });
            job->setData(map);
            job->finish();
            return;
        }
        // Only a web address is a link: anything else must not reach a "open this" button.
        const QUrl url(firstField(*data, { "downloadUrl", "download_url", "url" }).toString(),
                       QUrl::StrictMode);
        if (!url.isValid()
            || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
            job->finish(ApiError::malformed(QStringLiteral("no usable downloadUrl in the answer"),
                                            result.requestId));
            return;
        }
        // A health record over plain http would cross the network unencrypted when opened.
        const QString linkProblem = serviceLinkProblem(url, baseUrl);
        if (!linkProblem.isEmpty()) {
            ApiError refused = ApiError::make(
                ApiError::Kind::MalformedResponse,
                tr("Care360 gave a download link Docket will not offer: %1").arg(linkProblem));
            refused.requestId = result.requestId;
            job->finish(refused);
            return;
        }
        job->setData({
            { QStringLiteral("downloadUrl"), url.toString(QUrl::FullyEncoded) },
            { QStringLiteral("fileName"),
              firstField(*data, { "fileName", "file_name", "name" }).toString() },
            { QStringLiteral("expiresIn"),
              positiveSeconds(firstField(*data, { "expiresIn", "expires_in" }),
                              kDefaultDownloadSeconds) },
        });
        job->finish();
    });
    return job;
}

SimpleJob *Care360Connector::signIn()
{
    auto *job = new SimpleJob(this);
    if (!session()->hasSecret(Secret::tenantKey)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Care360 tenant key (cv-api-key) first.")));
        return job;
    }
    // renew() answers "no stored sign-in" itself when there is no refresh token, and joins a
    // renewal already in flight instead of replaying the same refresh token.
    QPointer<SimpleJob> guard(job);
    QPointer<AccountSession> sessionGuard(session());
    m_authenticator->renew([guard, sessionGuard](const ApiError &error) {
        if (!guard)
            return;
        if (!error.isError() && sessionGuard)
            sessionGuard->markSignedIn();
        guard->finish(error);
    });
    return job;
}

SimpleJob *Care360Connector::requestCode()
{
    auto *job = new SimpleJob(this);
    const QString login = account().care360Login.trimmed();
    if (!session()->hasSecret(Secret::tenantKey)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Care360 tenant key (cv-api-key) first.")));
        return job;
    }
    if (login.isEmpty()) {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("Enter the email address or phone number the code should be sent to.")));
        return job;
    }
    const bool phone = looksLikePhoneNumber(login);
    QJsonObject body;
    if (phone) {
        QString number = login;
        number.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
        body = { { QStringLiteral("phoneNumber"), number },
                 { QStringLiteral("channel"), QStringLiteral("SMS") } };
    } else {
        body = { { QStringLiteral("email"), login },
                 { QStringLiteral("channel"), QStringLiteral("EMAIL") } };
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("send-otp"), body), job,
        [job, phone, login](const ApiResult &result) {
            if (!result.ok()) {
                ApiError error = care360Error(result);
                if (error.httpStatus == 400)
                    error.userMessage = tr("Care360 did not accept “%1” as an email address or "
                                           "phone number. (HTTP 400)")
                                            .arg(login);
                job->finish(error);
                return;
            }
            // Always 200, whether or not the account exists (no user enumeration).
            job->setData({ { QStringLiteral("channel"),
                             phone ? QStringLiteral("SMS") : QStringLiteral("EMAIL") } });
            job->finish();
        });
    return job;
}

SimpleJob *Care360Connector::verifyCode(const QString &code)
{
    auto *job = new SimpleJob(this);
    const QString login = account().care360Login.trimmed();
    const QString trimmedCode = code.trimmed();
    if (!session()->hasSecret(Secret::tenantKey) || login.isEmpty() || trimmedCode.isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   trimmedCode.isEmpty()
                                       ? tr("Enter the code Care360 sent.")
                                       : tr("Enter the tenant key and the email address or phone "
                                            "number first.")));
        return job;
    }
    QJsonObject body { { QStringLiteral("code"), trimmedCode } };
    if (looksLikePhoneNumber(login)) {
        QString number = login;
        number.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
        body.insert(QStringLiteral("phoneNumber"), number);
    } else {
        body.insert(QStringLiteral("email"), login);
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("verify-otp"), body), job, [this, job](const ApiResult &result) {
            if (!result.ok()) {
                ApiError error = care360Error(result);
                if (!isUnknownTenant(error) && (error.httpStatus == 401 || error.httpStatus == 400))
                    error.userMessage = tr("The code is wrong or has expired. Request a new code "
                                           "and try again. (HTTP %1)")
                                            .arg(error.httpStatus);
                job->finish(error);
                return;
            }
            QString problem;
            const QJsonObject body = result.jsonObject(&problem);
            const std::optional<TokenPair> tokens
                = problem.isEmpty() ? parseTokens(body) : std::nullopt;
            if (!tokens) {
                job->finish(ApiError::malformed(
                    problem.isEmpty() ? QStringLiteral("no access and refresh token in the answer")
                                      : problem,
                    result.requestId));
                return;
            }
            // Signed in only once both tokens are safe in the store.
            m_authenticator->acceptTokens(*tokens, job, [this, job](const QString &error) {
                if (!error.isEmpty()) {
                    job->finish(storeError(error));
                    return;
                }
                session()->markSignedIn();
                job->finish();
            });
        });
    return job;
}

SimpleJob *Care360Connector::signOut()
{
    auto *job = new SimpleJob(this);
    m_authenticator->reset();
    const QString refreshToken = session()->secret(Secret::refreshToken);
    const auto forget = [this, job](const ApiError &logoutError, bool called) {
        // Forget every secret even when the logout call failed: Docket must not keep a sign-in
        // the user ended.
        session()->clearSecrets(job, [this, job, logoutError, called](const QString &error) {
            QVariantMap data { { QStringLiteral("serviceLogout"),
                                 called && !logoutError.isError() } };
            if (logoutError.isError())
                data.insert(QStringLiteral("serviceLogoutError"), logoutError.userMessage);
            job->setData(data);
            job->finish(error.isEmpty() ? ApiError() : secretsNotRemovedError(account(), error));
        });
    };
    if (refreshToken.isEmpty() || !session()->hasSecret(Secret::tenantKey)) {
        forget(ApiError(), false); // nothing to end at the service
        return job;
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("logout"),
                    { { QStringLiteral("refresh_token"), refreshToken } }),
        job, [forget](const ApiResult &result) { forget(care360Error(result), true); });
    return job;
}

} // namespace Docket
