#include "connectorsupport.h"

#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace Docket {

QDateTime parseServiceDate(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QDateTime dateTime = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!dateTime.isValid())
        dateTime = QDateTime::fromString(value.toString(), Qt::ISODate);
    return dateTime.isValid() ? dateTime.toUTC() : QDateTime();
}

QString stringField(const QJsonObject &object, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

QJsonValue firstField(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (!value.isUndefined() && !value.isNull())
            return value;
    }
    return {};
}

QByteArray jsonBody(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

namespace {

// A JSON number or a numeric string as a double; NaN when it is neither.
double numberOf(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double number = value.toString().trimmed().toDouble(&ok);
        if (ok)
            return number;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

} // namespace

int intValue(const QJsonValue &value)
{
    // Compared as doubles, before any conversion: lround() and int() of a number out of range
    // give anything.
    const double number = numberOf(value);
    if (!(number >= 0)) // negative or NaN
        return -1;
    if (number >= double(std::numeric_limits<int>::max()))
        return std::numeric_limits<int>::max();
    return int(std::lround(number));
}

qint64 lifetimeSeconds(const QJsonValue &value, qint64 fallback)
{
    const double seconds = numberOf(value);
    if (!(seconds >= 1)) // less than a second, negative or NaN
        return fallback;
    return seconds >= double(maxLifetimeSeconds) ? maxLifetimeSeconds : qint64(seconds);
}

QJsonDocument parseBody(const ApiResult &result, QString *problem)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.body, &error);
    if (error.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("invalid JSON at byte %1: %2")
                       .arg(error.offset)
                       .arg(error.errorString());
    }
    return document;
}

} // namespace Docket
