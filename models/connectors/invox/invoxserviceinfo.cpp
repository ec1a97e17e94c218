#include "invoxconnector.h"
#include "serviceinfo.h"

#include <QCoreApplication>

namespace Docket {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Docket", text);
}
} // namespace

ServiceInfo invoxServiceInfo()
{
    ServiceInfo info;
    info.kind = ServiceKind::Invox;
    info.id = QStringLiteral("invox");
    info.displayName = QStringLiteral("Invox Medical");
    info.shortName = QStringLiteral("Invox");
    info.formName = QStringLiteral("invox");
    // No documented production host: each organisation has its own address.
    info.urlPlaceholder = tr("https://… (your organisation's Invox address)");
    info.fields = {
        AccountField::text(QStringLiteral("appId"), tr("App &Id"))
            .requiredWith(tr("Invox Medical needs the App Id."))
            .withCliOption(QStringLiteral("app-id"), QStringLiteral("id"),
                           QStringLiteral("account add: Invox App Id.")),
        AccountField::secret(Secret::apiKey, tr("API &Key"))
            .requiredWith(tr("Enter the Invox API Key.")),
        // [gap] Invox documents no token path; most deployments use this one.
        AccountField::text(QStringLiteral("tokenPath"), tr("&Token path"))
            .withDefault(QStringLiteral("/v1/auth/token"))
            .requiredWith(tr("The Invox token path must start with /."))
            .withCheck([](const QString &path) {
                return path.startsWith(u'/') ? QString()
                                             : tr("The Invox token path must start with /.");
            })
            .withCliOption(QStringLiteral("token-path"), QStringLiteral("path"),
                           QStringLiteral("account add: Invox token path (default "
                                          "/v1/auth/token).")),
        AccountField::text(QStringLiteral("apiVersion"), tr("API v&ersion"))
            .optional(tr("Optional"))
            .withCliOption(QStringLiteral("api-version"), QStringLiteral("date"),
                           QStringLiteral("account add: X-Invox-Medical-Api-Version.")),
    };
    info.storedSecrets = { Secret::apiKey, Secret::accessToken };
    info.kinds = {
        { NodeKind::InvoxConsultation, QStringLiteral("consultation"), tr("Consultation"), true },
        { NodeKind::InvoxDocument, QStringLiteral("document"), tr("Clinical document"), false },
    };
    info.createConnector = [](const ConnectorContext &context) -> std::unique_ptr<Connector> {
        return std::make_unique<InvoxConnector>(context.session, context.invoxIndex,
                                                context.parent);
    };
    return info;
}

} // namespace Docket
