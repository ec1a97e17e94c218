#include "connectorsupport.h"

#include <QJsonDocument>

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

} // namespace Docket
