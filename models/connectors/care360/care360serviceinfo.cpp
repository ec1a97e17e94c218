#include "care360connector.h"
#include "serviceinfo.h"

#include <QCoreApplication>

namespace Docket {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Docket", text);
}
} // namespace

ServiceInfo care360ServiceInfo()
{
    ServiceInfo info;
    info.kind = ServiceKind::Care360;
    info.id = QStringLiteral("care360");
    info.displayName = QStringLiteral("CareValidate Care360");
    info.shortName = QStringLiteral("Care360");
    info.formName = QStringLiteral("care360");
    info.addresses = {
        { tr("Production"), QUrl(QStringLiteral("https://api.care360-next.carevalidate.com")) },
        { tr("Staging"), QUrl(QStringLiteral("https://api-staging.care360-next.carevalidate.com")),
          true },
    };
    info.addressLabel = tr("&Environment");
    info.addressComboName = QStringLiteral("Environment");
    info.fields = {
        AccountField::secret(Secret::tenantKey, tr("Tenant &key"))
            .requiredWith(tr("Enter the Care360 tenant key.")),
        AccountField::text(QStringLiteral("login"), tr("Email or &phone"))
            .withPlaceholder(tr("Where the one-time code is sent"))
            .requiredWith(tr("Care360 needs the email or phone number to sign in."))
            .withCliOption(QStringLiteral("login"), QStringLiteral("email-or-phone"),
                           QStringLiteral("account add: Care360 email or phone number.")),
    };
    info.storedSecrets = { Secret::tenantKey, Secret::accessToken, Secret::refreshToken };
    info.kinds = {
        { NodeKind::Care360Case, QStringLiteral("case"), tr("Case"), true },
        { NodeKind::Care360File, QStringLiteral("file"), tr("Patient file"), false },
    };
    // Care360 hides a deleted file and keeps it (DELETE /files/{id} marks it deleted).
    info.deletion = DeletePlan::Permanence::Soft;
    info.signInMayAskForCode = true;
    info.createConnector = [](const ConnectorContext &context) -> std::unique_ptr<Connector> {
        return std::make_unique<Care360Connector>(context.session, context.parent);
    };
    return info;
}

} // namespace Docket
