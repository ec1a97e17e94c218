#include "account.h"

#include "networkclient.h"

#include <QCoreApplication>

namespace Docket {

QString Account::label() const
{
    return QStringLiteral("%1 — %2 @ %3").arg(serviceDisplayName(service), name, baseUrl.host());
}

int Account::effectiveRequestsPerMinute() const
{
    if (requestsPerMinute >= 0)
        return requestsPerMinute;
    // Scriptix documents 60 requests/min per token; the others document no limit.
    return service == ServiceKind::Scriptix ? 60 : 0;
}

QString Account::validationProblem() const
{
    if (name.trimmed().isEmpty())
        return QCoreApplication::translate("Docket", "The account needs a name.");
    if (const QString problem = baseUrlProblem(baseUrl); !problem.isEmpty())
        return problem;
    if (service == ServiceKind::Invox && invoxAppId.trimmed().isEmpty())
        return QCoreApplication::translate("Docket", "Invox Medical needs the App Id.");
    if (service == ServiceKind::Invox && !invoxTokenPath.startsWith(u'/'))
        return QCoreApplication::translate("Docket", "The Invox token path must start with /.");
    if (service == ServiceKind::Care360 && care360Login.trimmed().isEmpty())
        return QCoreApplication::translate("Docket",
                                           "Care360 needs the email or phone number to sign in.");
    return {};
}

QVariantMap Account::toVariantMap() const
{
    QVariantMap map { { QStringLiteral("id"), id },
                      { QStringLiteral("service"), serviceId(service) },
                      { QStringLiteral("name"), name },
                      { QStringLiteral("baseUrl"), baseUrl.toString() } };
    if (service == ServiceKind::Invox) {
        map.insert(QStringLiteral("appId"), invoxAppId);
        map.insert(QStringLiteral("tokenPath"), invoxTokenPath);
        map.insert(QStringLiteral("apiVersion"), invoxApiVersion);
    }
    if (service == ServiceKind::Care360)
        map.insert(QStringLiteral("login"), care360Login);
    if (service == ServiceKind::Scriptix) {
        map.insert(QStringLiteral("header"),
                   scriptixHeader == ScriptixHeader::ZoomKey ? QStringLiteral("x-zoom-s2t-key")
                                                             : QStringLiteral("bearer"));
    }
    if (requestsPerMinute >= 0)
        map.insert(QStringLiteral("requestsPerMinute"), requestsPerMinute);
    return map;
}

Account Account::fromVariantMap(const QVariantMap &map)
{
    Account account;
    account.id = map.value(QStringLiteral("id")).toString();
    account.service = serviceFromId(map.value(QStringLiteral("service")).toString())
                          .value_or(ServiceKind::Scriptix);
    account.name = map.value(QStringLiteral("name")).toString();
    account.baseUrl = QUrl(map.value(QStringLiteral("baseUrl")).toString());
    account.invoxAppId = map.value(QStringLiteral("appId")).toString();
    account.invoxTokenPath
        = map.value(QStringLiteral("tokenPath"), account.invoxTokenPath).toString();
    account.invoxApiVersion = map.value(QStringLiteral("apiVersion")).toString();
    account.care360Login = map.value(QStringLiteral("login")).toString();
    account.scriptixHeader
        = map.value(QStringLiteral("header")).toString() == QLatin1String("x-zoom-s2t-key")
        ? ScriptixHeader::ZoomKey
        : ScriptixHeader::Bearer;
    account.requestsPerMinute = map.value(QStringLiteral("requestsPerMinute"), -1).toInt();
    return account;
}

QUrl Account::defaultBaseUrl(ServiceKind service)
{
    switch (service) {
    case ServiceKind::Invox:
        return {};
    case ServiceKind::Care360:
        return QUrl(QStringLiteral("https://api.care360-next.carevalidate.com"));
    case ServiceKind::DocumentPro:
        return QUrl(QStringLiteral("https://api.documentpro.ai"));
    case ServiceKind::Scriptix:
        return QUrl(QStringLiteral("https://api.scriptix.io/api/v3"));
    }
    return {};
}

QUrl Account::care360StagingUrl()
{
    return QUrl(QStringLiteral("https://api-staging.care360-next.carevalidate.com"));
}

QString secretKey(const QString &accountId, const QString &secretName)
{
    return accountId + u'/' + secretName;
}

QStringList secretNames(ServiceKind service)
{
    switch (service) {
    case ServiceKind::Invox:
        return { Secret::apiKey, Secret::accessToken };
    case ServiceKind::Care360:
        return { Secret::tenantKey, Secret::accessToken, Secret::refreshToken };
    case ServiceKind::DocumentPro:
        return { Secret::apiKey };
    case ServiceKind::Scriptix:
        return { Secret::token };
    }
    return {};
}

} // namespace Docket
