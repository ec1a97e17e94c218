#include "documentproconnector.h"
#include "serviceinfo.h"

#include <QCoreApplication>

namespace Docket {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Docket", text);
}
} // namespace

ServiceInfo documentProServiceInfo()
{
    ServiceInfo info;
    info.kind = ServiceKind::DocumentPro;
    info.id = QStringLiteral("documentpro");
    info.displayName = QStringLiteral("DocumentPro");
    info.shortName = info.displayName;
    info.formName = QStringLiteral("documentPro");
    info.addresses = { { {}, QUrl(QStringLiteral("https://api.documentpro.ai")) } };
    info.addressLabel = tr("&Address");
    info.fields = {
        AccountField::secret(Secret::apiKey, tr("API &key"))
            .requiredWith(tr("Enter the DocumentPro API key.")),
    };
    info.storedSecrets = { Secret::apiKey };
    info.kinds = {
        { NodeKind::DocumentProDocument, QStringLiteral("document"), tr("Document"), true },
        { NodeKind::DocumentProResult, QStringLiteral("result"), tr("Parser result"), false },
    };
    info.createConnector = [](const ConnectorContext &context) -> std::unique_ptr<Connector> {
        return std::make_unique<DocumentProConnector>(context.session, context.parent);
    };
    return info;
}

} // namespace Docket
