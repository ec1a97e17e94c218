#include "connector.h"
#include "serviceinfo.h"

namespace Docket {

std::unique_ptr<Connector> createConnector(AccountSession *session, InvoxIndex *invoxIndex,
                                           QObject *parent)
{
    const ServiceInfo *info = ServiceRegistry::find(session->account().service);
    if (!info)
        return nullptr;
    return info->createConnector({ session, invoxIndex, parent });
}

} // namespace Docket
