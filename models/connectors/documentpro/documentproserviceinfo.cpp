#include "documentproconnector.h"
#include "serviceinfo.h"

namespace Docket {

ServiceInfo documentProServiceInfo()
{
    ServiceInfo info = ServiceInfo::named(
        ServiceKind::DocumentPro, QStringLiteral("documentpro"), QStringLiteral("DocumentPro"),
        QStringLiteral("DocumentPro"), QStringLiteral("documentPro"));
    info.addresses = { { {}, QUrl(QStringLiteral("https://api.documentpro.ai")) } };
    info.addressLabel = serviceText("&Address");
    info.fields = {
        AccountField::secret(Secret::apiKey, serviceText("API &key"))
            .requiredWith(serviceText("Enter the DocumentPro API key.")),
    };
    info.storedSecrets = { Secret::apiKey };
    info.kinds = {
        { NodeKind::DocumentProDocument, QStringLiteral("document"), serviceText("Document"),
          true },
        { NodeKind::DocumentProResult, QStringLiteral("result"), serviceText("Parser result"),
          false },
    };
    info.detailKinds = { NodeKind::DocumentProResult };
    info.createConnector = connectorMaker<DocumentProConnector>();
    return info;
}

} // namespace Docket
