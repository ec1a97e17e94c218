#include "servicekind.h"

#include "serviceinfo.h"

#include <QCoreApplication>

// Every answer here comes from the services' ServiceInfo (serviceinfo.h): this file knows no
// service by name.

namespace Docket {

QString serviceId(ServiceKind kind)
{
    const ServiceInfo *info = ServiceRegistry::find(kind);
    return info ? info->id : QString();
}

std::optional<ServiceKind> serviceFromId(const QString &id)
{
    if (const ServiceInfo *info = ServiceRegistry::find(id))
        return info->kind;
    return std::nullopt;
}

QString serviceDisplayName(ServiceKind kind)
{
    const ServiceInfo *info = ServiceRegistry::find(kind);
    return info ? info->displayName : QString();
}

QString nodeKindName(NodeKind kind)
{
    if (kind == NodeKind::Account)
        return QCoreApplication::translate("Docket", "Account");
    const NodeKindInfo *info = ServiceRegistry::kindInfo(kind);
    return info ? info->name : QString();
}

QString nodeKindId(NodeKind kind)
{
    if (kind == NodeKind::Account)
        return QStringLiteral("account");
    const NodeKindInfo *info = ServiceRegistry::kindInfo(kind);
    return info ? info->id : QString();
}

bool isContainer(NodeKind kind)
{
    if (kind == NodeKind::Account)
        return true;
    const NodeKindInfo *info = ServiceRegistry::kindInfo(kind);
    return info && info->container;
}

QList<NodeKind> nodeKindsByDepth(ServiceKind service)
{
    QList<NodeKind> kinds;
    if (const ServiceInfo *info = ServiceRegistry::find(service)) {
        for (const NodeKindInfo &kind : info->kinds)
            kinds.append(kind.kind);
    }
    return kinds;
}

} // namespace Docket
