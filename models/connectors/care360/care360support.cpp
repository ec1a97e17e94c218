#include "care360support.h"

#include "care360connector.h"
#include "connectors/connectorsupport.h"
#include "credentialstore.h"

#include <QJsonArray>

#include <memory>

namespace Docket::Care360 {

namespace {

QUrl authUrl(const AccountSession *session, const QString &call)
{
    return urlWithSegments(session->account().baseUrl,
                           { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                             QStringLiteral("auth"), call });
}

} // namespace

QString tr(const char *text, const char *disambiguation, int n)
{
    return Care360Connector::tr(text, disambiguation, n);
}

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

} // namespace Docket::Care360
