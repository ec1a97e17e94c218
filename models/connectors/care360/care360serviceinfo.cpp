#include "care360connector.h"
#include "serviceinfo.h"

namespace Docket {

ServiceInfo care360ServiceInfo()
{
    ServiceInfo info = ServiceInfo::named(ServiceKind::Care360, QStringLiteral("care360"),
                                          QStringLiteral("CareValidate Care360"),
                                          QStringLiteral("Care360"), QStringLiteral("care360"));
    info.addresses = {
        { serviceText("Production"),
          QUrl(QStringLiteral("https://api.care360-next.carevalidate.com")) },
        { serviceText("Staging"),
          QUrl(QStringLiteral("https://api-staging.care360-next.carevalidate.com")), true },
    };
    info.addressLabel = serviceText("&Environment");
    info.addressComboName = QStringLiteral("Environment");
    info.fields = {
        AccountField::secret(Secret::tenantKey, serviceText("Tenant &key"))
            .requiredWith(serviceText("Enter the Care360 tenant key.")),
        AccountField::text(QStringLiteral("login"), serviceText("Email or &phone"))
            .withPlaceholder(serviceText("Where the one-time code is sent"))
            .requiredWith(serviceText("Care360 needs the email or phone number to sign in."))
            .withCliOption(QStringLiteral("login"), QStringLiteral("email-or-phone"),
                           QStringLiteral("account add: Care360 email or phone number.")),
    };
    info.storedSecrets = { Secret::tenantKey, Secret::accessToken, Secret::refreshToken };
    info.kinds = {
        { NodeKind::Care360Case, QStringLiteral("case"), serviceText("Case"), true },
        { NodeKind::Care360File, QStringLiteral("file"), serviceText("Patient file"), false },
    };
    info.detailKinds = { NodeKind::Care360File };
    // Care360 hides a deleted file and keeps it (DELETE /files/{id} marks it deleted).
    info.deletion = DeletePlan::Permanence::Soft;
    info.signInMayAskForCode = true;
    // No search is documented, and none is needed: each list comes whole in one answer.
    info.searchNote = serviceText("Care360 sends each list whole, so Docket filters the rows it "
                                  "has loaded instead of asking the server.");
    // Its access tokens live 15 minutes and its refresh token is single-use: renew 30 s before
    // expiry (at most a quarter of a short lifetime), so a renewal rarely races a request.
    info.retryPolicy.renewalMarginSeconds = 30;
    info.retryPolicy.renewalLifetimeShare = 4;
    info.createConnector = connectorMaker<Care360Connector>();
    return info;
}

} // namespace Docket
