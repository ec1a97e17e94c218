#include "connectorsupport.h"

#include <QJsonDocument>

#include <cmath>

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

int intValue(const QJsonValue &value)
{
    if (value.isDouble())
        return int(std::lround(value.toDouble()));
    if (value.isString()) {
        bool ok = false;
        const double number = value.toString().trimmed().toDouble(&ok);
        if (ok)
            return int(std::lround(number));
    }
    return -1;
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
