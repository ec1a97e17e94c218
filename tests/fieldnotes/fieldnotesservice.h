#pragma once

#include "serviceinfo.h"

namespace FieldNotes {

// Field Notes' kinds: fixed values beyond the built-in ones (the registry refuses a clash).
inline Docket::ServiceKind serviceKind()
{
    return Docket::ServiceKind(100);
}
inline Docket::NodeKind folderKind()
{
    return Docket::NodeKind(1000);
}
inline Docket::NodeKind noteKind()
{
    return Docket::NodeKind(1001);
}

Docket::ServiceInfo fieldNotesServiceInfo();

} // namespace FieldNotes
