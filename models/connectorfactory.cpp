#include "connector.h"
#include "connectors/care360/care360connector.h"
#include "connectors/documentpro/documentproconnector.h"
#include "connectors/invox/invoxconnector.h"
#include "connectors/scriptix/scriptixconnector.h"

namespace Docket {

std::unique_ptr<Connector> createConnector(AccountSession *session, InvoxIndex *invoxIndex,
                                           QObject *parent)
{
    switch (session->account().service) {
    case ServiceKind::Invox:
        return std::make_unique<InvoxConnector>(session, invoxIndex, parent);
    case ServiceKind::Care360:
        return std::make_unique<Care360Connector>(session, parent);
    case ServiceKind::DocumentPro:
        return std::make_unique<DocumentProConnector>(session, parent);
    case ServiceKind::Scriptix:
        return std::make_unique<ScriptixConnector>(session, parent);
    }
    return nullptr;
}

} // namespace Docket
