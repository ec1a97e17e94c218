#pragma once

#include "connectors/jsonparsing.h"
#include "networkclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QVariantMap>

namespace Docket {

// Small helpers every connector uses to read the services' JSON tolerantly.

// parseServiceDate() is in jsonparsing.h, with the other readers that need no network.
// A string field, accepting numbers too (ids are sometimes numeric).
QString stringField(const QJsonObject &object, const QString &key);
// The first present of several keys ("accessToken" / "access_token").
QJsonValue firstField(const QJsonObject &object, std::initializer_list<const char *> keys);
// The first non-empty stringField() of several keys ("document_id", else "id").
QString firstStringField(const QJsonObject &object, std::initializer_list<const char *> keys);
// Copies into *details each of `keys` that `object` has (not null), under the same key.
void insertPresentFields(QVariantMap *details, const QJsonObject &object,
                         std::initializer_list<const char *> keys);
// A JSON body for a request.
QByteArray jsonBody(const QJsonObject &object);
// A count that may come as a number or as a numeric string; -1 when absent, unreadable or
// negative. One beyond an int is INT_MAX, not a wrapped (maybe negative, maybe small) number.
int intValue(const QJsonValue &value);

// The longest a token or a link is believed to live: a year. A server that claims more ("for
// ever", 2^63 s) gets a year, so that arithmetic on it (seconds x 1000, now + that) cannot wrap
// into "already expired".
constexpr qint64 maxLifetimeSeconds = 365LL * 24 * 60 * 60;
// A lifetime in seconds ("expiresIn": a number or a numeric string), from 1 to
// maxLifetimeSeconds; `fallback` when absent, unreadable, or less than a second.
qint64 lifetimeSeconds(const QJsonValue &value, qint64 fallback);

// A link a service hands out to upload to or download from: https, or plain http only to the
// account's own loopback host (`accountBase`, the sandbox). Empty when it may be used, otherwise
// why not, in a sentence.
QString serviceLinkProblem(const QUrl &link, const QUrl &accountBase);
// The answer's body as JSON (object or array); a body that is not JSON sets *problem.
QJsonDocument parseBody(const ApiResult &result, QString *problem);
// A 2xx that `service` documents as {"success": true, ...} (Care360's and DocumentPro's delete):
// empty when it is one, otherwise what it is not, for Connector::deleteAnswerProblem().
QString successAnswerProblem(const ApiResult &result, const QString &service);

} // namespace Docket
