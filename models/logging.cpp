#include "logging.h"

#include "apierror.h"
#include "deletionitem.h"

// Warnings and above unless asked: docket-cli's standard error is read by scripts, so a line per
// request appears only with a log file (LogSink::install() turns info on) or QT_LOGGING_RULES.
Q_LOGGING_CATEGORY(lcNet, "docket.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAuth, "docket.auth", QtWarningMsg)
Q_LOGGING_CATEGORY(lcModel, "docket.model", QtWarningMsg)
Q_LOGGING_CATEGORY(lcQueue, "docket.queue", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAudit, "docket.audit", QtWarningMsg)

namespace Docket {

QLatin1String loggedErrorKind(const ApiError &error)
{
    switch (error.kind) {
    case ApiError::Kind::None:
        return QLatin1String("ok");
    case ApiError::Kind::Http:
        return QLatin1String("http-error");
    case ApiError::Kind::Timeout:
        return QLatin1String("timeout");
    case ApiError::Kind::Connection:
        return QLatin1String("connection");
    case ApiError::Kind::Redirected:
        return QLatin1String("redirect-not-followed");
    case ApiError::Kind::MalformedResponse:
        return QLatin1String("malformed");
    case ApiError::Kind::SignedOut:
        return QLatin1String("signed-out");
    case ApiError::Kind::InvalidInput:
        return QLatin1String("invalid-input");
    case ApiError::Kind::Credentials:
        return QLatin1String("credentials");
    case ApiError::Kind::Cancelled:
        return QLatin1String("cancelled");
    }
    return QLatin1String("error");
}

QString loggedItem(const DeletionItem &item)
{
    // Built by concatenation: an id from a service may hold "%1" itself.
    QString line = QStringLiteral("item ") + QString::number(item.id) + QStringLiteral(" of batch ")
        + QString::number(item.batchId) + QStringLiteral(" (") + serviceId(item.service) + u' '
        + nodeKindId(item.ref.kind) + u' ' + item.ref.id() + QStringLiteral(") state=")
        + deletionStateId(item.state) + QStringLiteral(" attempts=")
        + QString::number(item.attempts);
    if (item.httpStatus > 0)
        line += QStringLiteral(" status=") + QString::number(item.httpStatus);
    if (!item.requestId.isEmpty())
        line += QStringLiteral(" X-Request-ID=") + QString::fromLatin1(item.requestId);
    return line;
}

} // namespace Docket
