#pragma once

#include "serviceinfo.h"

namespace FieldNotes {

// Field Notes' kinds: fixed values beyond the built-in ones (the registry refuses a clash, and a
// node kind beyond ServiceRegistry::maxNodeKindValue: the tree keeps a row's kind in a byte).
inline Docket::ServiceKind serviceKind()
{
    return Docket::ServiceKind(100);
}
inline Docket::NodeKind folderKind()
{
    return Docket::NodeKind(200);
}
inline Docket::NodeKind noteKind()
{
    return Docket::NodeKind(201);
}

Docket::ServiceInfo fieldNotesServiceInfo();

} // namespace FieldNotes
