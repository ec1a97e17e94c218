#include "serviceinfo.h"

#include <QCoreApplication>
#include <QMutex>

#include <algorithm>
#include <mutex>
#include <vector>

namespace Docket {

// Generated from the connector folders (models/connectors/CMakeLists.txt): adds each built-in
// service's ServiceInfo.
void registerBuiltInServices();

QString serviceText(const char *sourceText)
{
    return QCoreApplication::translate("Docket", sourceText);
}

ServiceInfo ServiceInfo::named(ServiceKind kind, const QString &id, const QString &displayName,
                               const QString &shortName, const QString &formName)
{
    ServiceInfo info;
    info.kind = kind;
    info.id = id;
    info.displayName = displayName;
    info.shortName = shortName;
    info.formName = formName;
    return info;
}

AccountField AccountField::text(const QString &id, const QString &label)
{
    AccountField field;
    field.id = id;
    field.label = label;
    return field;
}

AccountField AccountField::secret(const QString &id, const QString &label)
{
    AccountField field = text(id, label);
    field.kind = Kind::Secret;
    return field;
}

AccountField AccountField::choice(const QString &id, const QString &label,
                                  const QList<FieldChoice> &choices)
{
    AccountField field = text(id, label);
    field.kind = Kind::Choice;
    field.choices = choices;
    field.required = false; // one is always chosen
    return field;
}

AccountField &AccountField::requiredWith(const QString &message)
{
    required = true;
    missingMessage = message;
    return *this;
}

AccountField &AccountField::optional(const QString &placeholderText)
{
    required = false;
    placeholder = placeholderText;
    return *this;
}

AccountField &AccountField::withPlaceholder(const QString &text)
{
    placeholder = text;
    return *this;
}

AccountField &AccountField::withDefault(const QString &value)
{
    defaultValue = value;
    return *this;
}

AccountField &AccountField::withCheck(std::function<QString(const QString &value)> checker)
{
    check = std::move(checker);
    return *this;
}

AccountField &AccountField::withCliOption(const QString &option, const QString &valueName,
                                          const QString &help)
{
    cliOption = option;
    cliValueName = valueName;
    cliHelp = help;
    return *this;
}

QString AccountField::problem(const QString &value) const
{
    if (value.trimmed().isEmpty())
        return required ? missingMessage : QString();
    return check ? check(value.trimmed()) : QString();
}

const AccountField *ServiceInfo::field(const QString &fieldId) const
{
    for (const AccountField &candidate : fields) {
        if (candidate.id == fieldId)
            return &candidate;
    }
    return nullptr;
}

const AccountField *ServiceInfo::signInSecret() const
{
    for (const AccountField &candidate : fields) {
        if (candidate.isSecret())
            return &candidate;
    }
    return nullptr;
}

QList<const AccountField *> ServiceInfo::settingFields() const
{
    QList<const AccountField *> settings;
    for (const AccountField &candidate : fields) {
        if (!candidate.isSecret())
            settings.append(&candidate);
    }
    return settings;
}

QList<const AccountField *> ServiceInfo::secretFields() const
{
    QList<const AccountField *> secrets;
    for (const AccountField &candidate : fields) {
        if (candidate.isSecret())
            secrets.append(&candidate);
    }
    return secrets;
}

QUrl ServiceInfo::stagingUrl() const
{
    for (const ServiceAddress &address : addresses) {
        if (address.isStaging)
            return address.url;
    }
    return {};
}

const NodeKindInfo *ServiceInfo::kindInfo(NodeKind nodeKind) const
{
    for (const NodeKindInfo &candidate : kinds) {
        if (candidate.kind == nodeKind)
            return &candidate;
    }
    return nullptr;
}

namespace {

// Read from worker threads too (node kind names while parsing), so every access holds the lock.
// Entries are never removed or moved: pointers handed out stay valid for the program's life.
struct Registry
{
    QMutex mutex;
    std::vector<std::unique_ptr<ServiceInfo>> services; // sorted by kind
};

Registry &storage()
{
    static Registry instance;
    return instance;
}

// The registry with the built-in services in it.
Registry &registry()
{
    static std::once_flag builtIns;
    std::call_once(builtIns, [] { registerBuiltInServices(); });
    return storage();
}

// Finds a clash of `info` with the registered services; empty when there is none.
QString clashWith(const std::vector<std::unique_ptr<ServiceInfo>> &services,
                  const ServiceInfo &info)
{
    for (const NodeKindInfo &kind : info.kinds) {
        if (int(kind.kind) <= int(NodeKind::Account)
            || int(kind.kind) > ServiceRegistry::maxNodeKindValue)
            return QStringLiteral("node kind %1 is outside 1..%2")
                .arg(int(kind.kind))
                .arg(ServiceRegistry::maxNodeKindValue);
    }
    for (const auto &existing : services) {
        if (existing->kind == info.kind)
            return QStringLiteral("its kind is %1's").arg(existing->id);
        if (existing->id == info.id)
            return QStringLiteral("its id is taken");
        for (const NodeKindInfo &kind : info.kinds) {
            if (existing->kindInfo(kind.kind))
                return QStringLiteral("node kind %1 is %2's").arg(int(kind.kind)).arg(existing->id);
        }
    }
    if (info.id.isEmpty() || !info.createConnector)
        return QStringLiteral("it needs an id and a createConnector function");
    return {};
}

} // namespace

void ServiceRegistry::add(ServiceInfo info)
{
    // Not registry(): registerBuiltInServices() calls this from inside its call_once.
    Registry &shared = storage();
    QMutexLocker lock(&shared.mutex);
    if (const QString clash = clashWith(shared.services, info); !clash.isEmpty())
        qFatal("ServiceRegistry: cannot add service \"%s\": %s", qPrintable(info.id),
               qPrintable(clash));
    auto entry = std::make_unique<ServiceInfo>(std::move(info));
    const auto position = std::upper_bound(
        shared.services.begin(), shared.services.end(), entry,
        [](const auto &a, const auto &b) { return int(a->kind) < int(b->kind); });
    shared.services.insert(position, std::move(entry));
}

const ServiceInfo *ServiceRegistry::find(ServiceKind kind)
{
    Registry &shared = registry();
    QMutexLocker lock(&shared.mutex);
    for (const auto &service : shared.services) {
        if (service->kind == kind)
            return service.get();
    }
    return nullptr;
}

const ServiceInfo *ServiceRegistry::find(const QString &id)
{
    Registry &shared = registry();
    QMutexLocker lock(&shared.mutex);
    for (const auto &service : shared.services) {
        if (service->id == id)
            return service.get();
    }
    return nullptr;
}

const ServiceInfo &ServiceRegistry::info(ServiceKind kind)
{
    const ServiceInfo *service = find(kind);
    if (!service)
        qFatal("ServiceRegistry: no service of kind %d is registered", int(kind));
    return *service;
}

QList<const ServiceInfo *> ServiceRegistry::all()
{
    Registry &shared = registry();
    QMutexLocker lock(&shared.mutex);
    QList<const ServiceInfo *> services;
    for (const auto &service : shared.services)
        services.append(service.get());
    return services;
}

const NodeKindInfo *ServiceRegistry::kindInfo(NodeKind kind)
{
    Registry &shared = registry();
    QMutexLocker lock(&shared.mutex);
    for (const auto &service : shared.services) {
        if (const NodeKindInfo *info = service->kindInfo(kind))
            return info;
    }
    return nullptr;
}

} // namespace Docket
