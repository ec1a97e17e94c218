#include "care360wire.h"

namespace Care360 {

SandboxReply failure(int status, const QString &error, const QString &code)
{
    return SandboxReply::json(status,
                              { { QStringLiteral("status"), status },
                                { QStringLiteral("success"), false },
                                { QStringLiteral("error"), error },
                                { QStringLiteral("code"), code } });
}

SandboxReply validationFailed(const QString &error)
{
    return failure(400, error, QStringLiteral("VALIDATION_ERROR"));
}

SandboxReply invalidToken()
{
    return failure(401, QStringLiteral("Invalid or expired token"),
                   QStringLiteral("VALIDATION_ERROR"));
}

SandboxReply fileNotFound()
{
    return failure(404, QStringLiteral("File not found"), QStringLiteral("VALIDATION_ERROR"));
}

SandboxReply caseForbidden()
{
    return failure(403, QStringLiteral("You do not have access to this case"),
                   QStringLiteral("FORBIDDEN"));
}

SandboxReply refreshInvalid()
{
    return failure(401, QStringLiteral("Invalid or expired refresh token"),
                   QStringLiteral("REFRESH_INVALID"));
}

SandboxReply success(int status, const QJsonObject &data)
{
    return SandboxReply::json(status,
                              { { QStringLiteral("status"), status },
                                { QStringLiteral("success"), true },
                                { QStringLiteral("data"), data } });
}

SandboxReply successMessage(const QString &message)
{
    return SandboxReply::json(200,
                              { { QStringLiteral("status"), 200 },
                                { QStringLiteral("success"), true },
                                { QStringLiteral("message"), message } });
}

QJsonObject jsonBody(const SandboxRequest &request, bool *ok)
{
    const QJsonObject body = request.jsonBody(ok);
    *ok = *ok && request.mimeType() == "application/json";
    return body;
}

} // namespace Care360
