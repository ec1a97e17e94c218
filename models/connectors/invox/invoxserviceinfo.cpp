#include "invoxconnector.h"
#include "serviceinfo.h"

namespace Docket {

ServiceInfo invoxServiceInfo()
{
    ServiceInfo info = ServiceInfo::named(ServiceKind::Invox, QStringLiteral("invox"),
                                          QStringLiteral("Invox Medical"), QStringLiteral("Invox"),
                                          QStringLiteral("invox"));
    // No documented production host: each organisation has its own address.
    info.urlPlaceholder = serviceText("https://… (your organisation's Invox address)");
    info.fields = {
        AccountField::text(QStringLiteral("appId"), serviceText("App &Id"))
            .requiredWith(serviceText("Invox Medical needs the App Id."))
            .withCliOption(QStringLiteral("app-id"), QStringLiteral("id"),
                           QStringLiteral("account add: Invox App Id.")),
        AccountField::secret(Secret::apiKey, serviceText("API &Key"))
            .requiredWith(serviceText("Enter the Invox API Key.")),
        // [gap] Invox documents no token path; most deployments use this one.
        AccountField::text(QStringLiteral("tokenPath"), serviceText("&Token path"))
            .withDefault(QStringLiteral("/v1/auth/token"))
            .requiredWith(serviceText("The Invox token path must start with /."))
            .withCheck([](const QString &path) {
                return path.startsWith(u'/')
                    ? QString()
                    : serviceText("The Invox token path must start with /.");
            })
            .withCliOption(QStringLiteral("token-path"), QStringLiteral("path"),
                           QStringLiteral("account add: Invox token path (default "
                                          "/v1/auth/token).")),
        AccountField::text(QStringLiteral("apiVersion"), serviceText("API v&ersion"))
            .optional(serviceText("Optional"))
            .withCliOption(QStringLiteral("api-version"), QStringLiteral("date"),
                           QStringLiteral("account add: X-Invox-Medical-Api-Version.")),
    };
    info.storedSecrets = { Secret::apiKey, Secret::accessToken };
    info.kinds = {
        { NodeKind::InvoxConsultation, QStringLiteral("consultation"), serviceText("Consultation"),
          true },
        { NodeKind::InvoxDocument, QStringLiteral("document"), serviceText("Clinical document"),
          false },
    };
    info.detailKinds = { NodeKind::InvoxDocument };
    info.searchNote = serviceText("Invox has no document list: Docket searches its own local index "
                                  "of Invox documents instead.");
    info.createConnector = [](const ConnectorContext &context) -> std::unique_ptr<Connector> {
        return std::make_unique<InvoxConnector>(context.session, context.invoxIndex,
                                                context.parent);
    };
    return info;
}

} // namespace Docket
