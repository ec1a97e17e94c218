#include "scriptixconnector.h"
#include "serviceinfo.h"

#include <QCoreApplication>

namespace Docket {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Docket", text);
}
} // namespace

ServiceInfo scriptixServiceInfo()
{
    ServiceInfo info;
    info.kind = ServiceKind::Scriptix;
    info.id = QStringLiteral("scriptix");
    info.displayName = QStringLiteral("Scriptix");
    info.shortName = info.displayName;
    info.formName = QStringLiteral("scriptix");
    info.addresses = { { {}, QUrl(QStringLiteral("https://api.scriptix.io/api/v3")) } };
    info.addressLabel = tr("&Address");
    info.fields = {
        AccountField::secret(Secret::token, tr("API &token"))
            .requiredWith(tr("Enter the Scriptix API token.")),
        // Newer vendor pages use Bearer, older ones the vendor's own header.
        AccountField::choice(QStringLiteral("header"), tr("&Header"),
                             { { QStringLiteral("bearer"), tr("Authorization: Bearer") },
                               { QStringLiteral("x-zoom-s2t-key"), tr("x-zoom-s2t-key") } })
            .withCliOption(QStringLiteral("header"), QStringLiteral("style"),
                           QStringLiteral("account add: Scriptix token header, bearer or "
                                          "x-zoom-s2t-key.")),
    };
    info.storedSecrets = { Secret::token };
    info.kinds = {
        { NodeKind::ScriptixSession, QStringLiteral("session"), tr("Session"), true },
        { NodeKind::ScriptixDocument, QStringLiteral("document"), tr("Transcript document"), true },
        { NodeKind::ScriptixComment, QStringLiteral("comment"), tr("Comment"), false },
    };
    info.defaultRequestsPerMinute = 60; // documented: 60 requests a minute per token
    info.createConnector = [](const ConnectorContext &context) -> std::unique_ptr<Connector> {
        return std::make_unique<ScriptixConnector>(context.session, context.parent);
    };
    return info;
}

} // namespace Docket
