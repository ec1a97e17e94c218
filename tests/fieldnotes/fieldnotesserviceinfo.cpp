#include "account.h"
#include "fieldnotesconnector.h"
#include "fieldnotesservice.h"

namespace FieldNotes {

using namespace Docket;

ServiceInfo fieldNotesServiceInfo()
{
    ServiceInfo info = ServiceInfo::named(
        serviceKind(), QStringLiteral("fieldnotes"), QStringLiteral("Field Notes"),
        QStringLiteral("Field Notes"), QStringLiteral("fieldNotes"));
    info.urlPlaceholder = QStringLiteral("https://… (your Field Notes address)");
    info.fields = {
        AccountField::secret(Secret::apiKey, QStringLiteral("Notes &key"))
            .requiredWith(QStringLiteral("Enter the Field Notes key.")),
        AccountField::text(QStringLiteral("ward"), QStringLiteral("&Ward"))
            .optional(QStringLiteral("Optional"))
            .withCliOption(QStringLiteral("ward"), QStringLiteral("name"),
                           QStringLiteral("account add: Field Notes ward.")),
    };
    info.storedSecrets = { Secret::apiKey };
    info.kinds = {
        { folderKind(), QStringLiteral("folder"), QStringLiteral("Folder"), true },
        { noteKind(), QStringLiteral("note"), QStringLiteral("Note"), false },
    };
    info.createConnector = connectorMaker<FieldNotesConnector>();
    return info;
}

// Linked into a program, the service is there: no list to edit.
const bool registered = [] {
    ServiceRegistry::add(fieldNotesServiceInfo());
    return true;
}();

} // namespace FieldNotes
