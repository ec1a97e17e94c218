#pragma once

#include "networkclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace Docket {

// Small helpers every connector uses to read the services' JSON tolerantly.

// A date in any of the ISO 8601 forms the services send ("2026-03-14T10:22:05Z",
// "...05.123Z", "+01:00"); invalid when absent or unreadable.
QDateTime parseServiceDate(const QJsonValue &value);
// A string field, accepting numbers too (ids are sometimes numeric).
QString stringField(const QJsonObject &object, const QString &key);
// The first present of several keys ("accessToken" / "access_token").
QJsonValue firstField(const QJsonObject &object, std::initializer_list<const char *> keys);
// A JSON body for a request.
QByteArray jsonBody(const QJsonObject &object);
// A count that may come as a number or as a numeric string; -1 when absent or unreadable.
int intValue(const QJsonValue &value);
// The answer's body as JSON (object or array); a body that is not JSON sets *problem.
QJsonDocument parseBody(const ApiResult &result, QString *problem);

} // namespace Docket
