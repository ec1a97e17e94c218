#pragma once

#include "accountsession.h"
#include "apierror.h"
#include "networkclient.h"

#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <optional>

// What Care360Connector and Care360Authenticator both need: the sign-in calls, the tokens they
// answer with, and Care360's words for its errors. Internal to connectors/care360/.

namespace Docket::Care360 {

// docs/services.md §2: the access JWT lives 15 minutes ("expiresIn": 900) when the answer does not
// say otherwise.
constexpr int kDefaultExpiresInSeconds = 900;

// Care360Connector::tr(): the messages keep the connector's translation context.
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1);

struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    int expiresIn = kDefaultExpiresInSeconds;
};

// At most a year (which an int holds): renewal times and link expiries are computed from it.
int positiveSeconds(const QJsonValue &value, int fallback);

// [gap] The token fields are not shown in the docs: the default is
// {"data": {"accessToken", "refreshToken", "expiresIn"}}; the same fields at the top level, and
// snake_case names, are accepted too.
std::optional<TokenPair> parseTokens(const QJsonObject &body);

// Sign-in calls carry the tenant key but never a Bearer token (refresh-token must not).
ApiRequest authRequest(const AccountSession *session, const QString &call, const QJsonObject &body);

// Care360 answers an unknown cv-api-key with 404 "Organization not found" on every route. Told
// apart from a file's 404 by the message, which is the only thing that differs.
bool isUnknownTenant(const ApiError &error);

// The result's error with a sentence that says what Care360 meant, where we know it.
ApiError care360Error(const ApiResult &result);

ApiError storeError(const QString &storeMessage);

// Stores several secrets and calls `done` once, when the store has confirmed every write (with the
// first error, if any).
void storeSecrets(AccountSession *session, const QList<QPair<QString, QString>> &secrets,
                  QObject *context, std::function<void(const QString &error)> done);

} // namespace Docket::Care360
