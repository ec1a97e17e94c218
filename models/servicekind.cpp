#include "servicekind.h"

#include <QCoreApplication>

namespace Docket {

QString serviceId(ServiceKind kind)
{
    switch (kind) {
    case ServiceKind::Invox:
        return QStringLiteral("invox");
    case ServiceKind::Care360:
        return QStringLiteral("care360");
    case ServiceKind::DocumentPro:
        return QStringLiteral("documentpro");
    case ServiceKind::Scriptix:
        return QStringLiteral("scriptix");
    }
    return {};
}

std::optional<ServiceKind> serviceFromId(const QString &id)
{
    for (ServiceKind kind : { ServiceKind::Invox, ServiceKind::Care360, ServiceKind::DocumentPro,
                              ServiceKind::Scriptix }) {
        if (serviceId(kind) == id)
            return kind;
    }
    return std::nullopt;
}

QString serviceDisplayName(ServiceKind kind)
{
    switch (kind) {
    case ServiceKind::Invox:
        return QStringLiteral("Invox Medical");
    case ServiceKind::Care360:
        return QStringLiteral("CareValidate Care360");
    case ServiceKind::DocumentPro:
        return QStringLiteral("DocumentPro");
    case ServiceKind::Scriptix:
        return QStringLiteral("Scriptix");
    }
    return {};
}

QString nodeKindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Account:
        return QCoreApplication::translate("Docket", "Account");
    case NodeKind::InvoxConsultation:
        return QCoreApplication::translate("Docket", "Consultation");
    case NodeKind::InvoxDocument:
        return QCoreApplication::translate("Docket", "Clinical document");
    case NodeKind::Care360Case:
        return QCoreApplication::translate("Docket", "Case");
    case NodeKind::Care360File:
        return QCoreApplication::translate("Docket", "Patient file");
    case NodeKind::DocumentProDocument:
        return QCoreApplication::translate("Docket", "Document");
    case NodeKind::DocumentProResult:
        return QCoreApplication::translate("Docket", "Parser result");
    case NodeKind::ScriptixSession:
        return QCoreApplication::translate("Docket", "Session");
    case NodeKind::ScriptixDocument:
        return QCoreApplication::translate("Docket", "Transcript document");
    case NodeKind::ScriptixComment:
        return QCoreApplication::translate("Docket", "Comment");
    }
    return {};
}

QString nodeKindId(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Account:
        return QStringLiteral("account");
    case NodeKind::InvoxConsultation:
        return QStringLiteral("consultation");
    case NodeKind::InvoxDocument:
        return QStringLiteral("document");
    case NodeKind::Care360Case:
        return QStringLiteral("case");
    case NodeKind::Care360File:
        return QStringLiteral("file");
    case NodeKind::DocumentProDocument:
        return QStringLiteral("document");
    case NodeKind::DocumentProResult:
        return QStringLiteral("result");
    case NodeKind::ScriptixSession:
        return QStringLiteral("session");
    case NodeKind::ScriptixDocument:
        return QStringLiteral("document");
    case NodeKind::ScriptixComment:
        return QStringLiteral("comment");
    }
    return {};
}

bool isContainer(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Account:
    case NodeKind::InvoxConsultation:
    case NodeKind::Care360Case:
    case NodeKind::DocumentProDocument:
    case NodeKind::ScriptixSession:
    case NodeKind::ScriptixDocument:
        return true;
    default:
        return false;
    }
}

QList<NodeKind> nodeKindsByDepth(ServiceKind service)
{
    switch (service) {
    case ServiceKind::Invox:
        return { NodeKind::InvoxConsultation, NodeKind::InvoxDocument };
    case ServiceKind::Care360:
        return { NodeKind::Care360Case, NodeKind::Care360File };
    case ServiceKind::DocumentPro:
        return { NodeKind::DocumentProDocument, NodeKind::DocumentProResult };
    case ServiceKind::Scriptix:
        return { NodeKind::ScriptixSession, NodeKind::ScriptixDocument, NodeKind::ScriptixComment };
    }
    return {};
}

} // namespace Docket
