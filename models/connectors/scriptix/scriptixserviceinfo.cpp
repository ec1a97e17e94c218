#include "scriptixconnector.h"
#include "serviceinfo.h"

namespace Docket {

ServiceInfo scriptixServiceInfo()
{
    ServiceInfo info = ServiceInfo::named(ServiceKind::Scriptix, QStringLiteral("scriptix"),
                                          QStringLiteral("Scriptix"), QStringLiteral("Scriptix"),
                                          QStringLiteral("scriptix"));
    info.addresses = { { {}, QUrl(QStringLiteral("https://api.scriptix.io/api/v3")) } };
    info.addressLabel = serviceText("&Address");
    info.fields = {
        AccountField::secret(Secret::token, serviceText("API &token"))
            .requiredWith(serviceText("Enter the Scriptix API token.")),
        // Newer vendor pages use Bearer, older ones the vendor's own header.
        AccountField::choice(
            QStringLiteral("header"), serviceText("&Header"),
            { { QStringLiteral("bearer"), serviceText("Authorization: Bearer") },
              { QStringLiteral("x-zoom-s2t-key"), serviceText("x-zoom-s2t-key") } })
            .withCliOption(QStringLiteral("header"), QStringLiteral("style"),
                           QStringLiteral("account add: Scriptix token header, bearer or "
                                          "x-zoom-s2t-key.")),
    };
    info.storedSecrets = { Secret::token };
    info.kinds = {
        { NodeKind::ScriptixSession, QStringLiteral("session"), serviceText("Session"), true },
        { NodeKind::ScriptixDocument, QStringLiteral("document"),
          serviceText("Transcript document"), true },
        { NodeKind::ScriptixComment, QStringLiteral("comment"), serviceText("Comment"), false },
    };
    info.detailKinds = { NodeKind::ScriptixDocument };
    info.defaultRequestsPerMinute = 60; // documented: 60 requests a minute per token
    info.createConnector = connectorMaker<ScriptixConnector>();
    return info;
}

} // namespace Docket
