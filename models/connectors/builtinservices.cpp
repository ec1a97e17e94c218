#include "serviceinfo.h"

namespace Docket {

ServiceInfo invoxServiceInfo();
ServiceInfo care360ServiceInfo();
ServiceInfo documentProServiceInfo();
ServiceInfo scriptixServiceInfo();

void registerBuiltInServices()
{
    ServiceRegistry::add(invoxServiceInfo());
    ServiceRegistry::add(care360ServiceInfo());
    ServiceRegistry::add(documentProServiceInfo());
    ServiceRegistry::add(scriptixServiceInfo());
}

} // namespace Docket
