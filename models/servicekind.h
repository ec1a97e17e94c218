#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Docket {

// The built-in services. The set is open: a service added at run time (ServiceRegistry::add) has
// a kind beyond these (the underlying int is fixed), so code outside a connector never switches
// over services; it asks the ServiceRegistry (serviceinfo.h) instead.
enum class ServiceKind : int { Invox, Care360, DocumentPro, Scriptix };
// A service this build does not have, named in a record written by one that does (the audit
// trail): never taken for another service.
constexpr ServiceKind unknownService = ServiceKind(-1);

// "invox", "care360", "documentpro", "scriptix": stable ids for settings, the CLI and the sandbox.
QString serviceId(ServiceKind kind);
std::optional<ServiceKind> serviceFromId(const QString &id);
// "Invox Medical", "CareValidate Care360", "DocumentPro", "Scriptix"
QString serviceDisplayName(ServiceKind kind);

// What a node in the tree is. Containers hold the kinds listed after them. Open like ServiceKind:
// each service's ServiceInfo lists its kinds, and an added service brings kinds beyond these.
enum class NodeKind : int {
    Account,
    InvoxConsultation, // -> InvoxDocument (from Docket's local index: Invox has no list endpoint)
    InvoxDocument,
    Care360Case, // -> Care360File
    Care360File,
    DocumentProDocument, // -> DocumentProResult (the document's parser_runs)
    DocumentProResult,
    ScriptixSession, // -> ScriptixDocument -> ScriptixComment
    ScriptixDocument,
    ScriptixComment,
};

QString nodeKindName(NodeKind kind); // "Session", "Parser result", ... for people
QString nodeKindId(NodeKind kind); // "session", "result", ... for paths and JSON
bool isContainer(NodeKind kind);
// The kinds at each depth under an account of this service: Scriptix {Session, Document, Comment}.
QList<NodeKind> nodeKindsByDepth(ServiceKind service);

} // namespace Docket
