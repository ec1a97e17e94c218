#include "account.h"

#include "networkclient.h"
#include "serviceinfo.h"

#include <QCoreApplication>

namespace Docket {

QString Account::setting(const QString &fieldId) const
{
    const ServiceInfo *info = ServiceRegistry::find(service);
    const AccountField *field = info ? info->field(fieldId) : nullptr;
    const auto stored = settings.constFind(fieldId);
    if (stored != settings.cend()) {
        const QString value = stored->toString();
        // A Choice always has a value: an empty one means its first.
        if (!value.isEmpty() || !field || field->kind != AccountField::Kind::Choice)
            return value;
    }
    if (!field)
        return {};
    if (!field->defaultValue.isEmpty() || field->kind != AccountField::Kind::Choice)
        return field->defaultValue;
    return field->choices.isEmpty() ? QString() : field->choices.constFirst().value;
}

void Account::setSetting(const QString &fieldId, const QString &value)
{
    settings.insert(fieldId, value);
}

QString Account::label() const
{
    return QStringLiteral("%1 — %2 @ %3").arg(serviceDisplayName(service), name, baseUrl.host());
}

int Account::effectiveRequestsPerMinute() const
{
    if (requestsPerMinute >= 0)
        return requestsPerMinute;
    const ServiceInfo *info = ServiceRegistry::find(service);
    return info ? info->defaultRequestsPerMinute : 0;
}

QString Account::validationProblem() const
{
    if (name.trimmed().isEmpty())
        return QCoreApplication::translate("Docket", "The account needs a name.");
    if (const QString problem = baseUrlProblem(baseUrl); !problem.isEmpty())
        return problem;
    if (const ServiceInfo *info = ServiceRegistry::find(service)) {
        for (const AccountField *field : info->settingFields()) {
            if (const QString problem = field->problem(setting(field->id)); !problem.isEmpty())
                return problem;
        }
    }
    return {};
}

QVariantMap Account::toVariantMap() const
{
    QVariantMap map { { QStringLiteral("id"), id },
                      { QStringLiteral("service"), serviceId(service) },
                      { QStringLiteral("name"), name },
                      { QStringLiteral("baseUrl"), baseUrl.toString() } };
    // Every setting of the service under its field id, defaults included, as before the
    // settings were generic: existing QSettings load unchanged.
    if (const ServiceInfo *info = ServiceRegistry::find(service)) {
        for (const AccountField *field : info->settingFields())
            map.insert(field->id, setting(field->id));
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
    if (const ServiceInfo *info = ServiceRegistry::find(account.service)) {
        for (const AccountField *field : info->settingFields()) {
            if (map.contains(field->id))
                account.setSetting(field->id, map.value(field->id).toString());
        }
    }
    account.requestsPerMinute = map.value(QStringLiteral("requestsPerMinute"), -1).toInt();
    return account;
}

QUrl Account::defaultBaseUrl(ServiceKind service)
{
    const ServiceInfo *info = ServiceRegistry::find(service);
    return info && !info->addresses.isEmpty() ? info->addresses.constFirst().url : QUrl();
}

QString secretKey(const QString &accountId, const QString &secretName)
{
    return accountId + u'/' + secretName;
}

QStringList secretNames(ServiceKind service)
{
    const ServiceInfo *info = ServiceRegistry::find(service);
    return info ? info->storedSecrets : QStringList();
}

} // namespace Docket
