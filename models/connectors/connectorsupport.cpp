#include "connectorsupport.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace Docket {

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

QString firstStringField(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QString value = stringField(object, QLatin1String(key));
        if (!value.isEmpty())
            return value;
    }
    return {};
}

void insertPresentFields(QVariantMap *details, const QJsonObject &object,
                         std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (!value.isUndefined() && !value.isNull())
            details->insert(QLatin1String(key), value.toVariant());
    }
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

bool isLoopbackHost(const QString &host)
{
    const QHostAddress address(host);
    return host == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
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

QString serviceLinkProblem(const QUrl &link, const QUrl &accountBase)
{
    if (!link.isValid() || link.host().isEmpty())
        return QCoreApplication::translate("Docket", "it is not a web address.");
    if (link.scheme() == QLatin1String("https"))
        return {};
    // The sandbox serves its links over plain http from where it answers; nothing else may.
    if (link.scheme() == QLatin1String("http") && isLoopbackHost(link.host())
        && accountBase.scheme() == QLatin1String("http")
        && link.host().compare(accountBase.host(), Qt::CaseInsensitive) == 0)
        return {};
    return QCoreApplication::translate("Docket",
                                       "it uses %1:// to %2, not https: only the account's own "
                                       "address on this computer (the sandbox) may use plain "
                                       "http.")
        .arg(link.scheme(), link.host());
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

QString successAnswerProblem(const ApiResult &result, const QString &service)
{
    QString problem;
    const QJsonObject answer = result.jsonObject(&problem);
    if (!problem.isEmpty())
        return QCoreApplication::translate("Docket", "its body is not the JSON object %1 documents")
            .arg(service);
    // Only a JSON true: not "true", not 1, not a missing field.
    if (answer.value(QStringLiteral("success")) != QJsonValue(true))
        return QCoreApplication::translate("Docket", "it does not say the delete succeeded");
    return {};
}

} // namespace Docket
