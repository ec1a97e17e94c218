#include "apierror.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace Docket {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Docket::ApiError", text);
}

QString firstString(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isString() && !value.toString().trimmed().isEmpty())
            return value.toString().trimmed();
    }
    return {};
}

// Service text goes into sentences a person reads: keep it short and on one line.
QString tidy(QString text)
{
    text = text.simplified();
    if (text.size() > 300)
        text = text.left(297) + QStringLiteral("...");
    return text;
}

QString sentenceFor(int status, const QString &serviceMessage)
{
    QString sentence;
    if (status == 400 || status == 422)
        sentence = tr("The service rejected the request as invalid.");
    else if (status == 401)
        sentence = tr("The service did not accept the sign-in. Check the credentials or sign in "
                      "again.");
    else if (status == 403)
        sentence = tr("This account is not allowed to do that.");
    else if (status == 404)
        sentence = tr("The service does not know this item; it may already have been deleted.");
    else if (status == 409)
        sentence = tr("The service refused because of a conflicting change.");
    else if (status == 429)
        sentence = tr("The service is limiting how fast requests may be sent.");
    else if (status >= 500)
        sentence = tr("The service had a problem. Try again later.");
    else
        sentence = tr("The service answered with an unexpected status.");
    sentence += QStringLiteral(" (HTTP %1)").arg(status);
    if (!serviceMessage.isEmpty())
        sentence += QStringLiteral(" ") + tr("It said: “%1”").arg(serviceMessage);
    return sentence;
}

} // namespace

ServiceErrorBody parseServiceErrorBody(const QByteArray &body)
{
    ServiceErrorBody result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && !document.isObject())
        return result; // JSON, but no shape any vendor uses: nothing readable to show
    if (parseError.error != QJsonParseError::NoError) {
        // Plain text or HTML from a proxy: keep a readable line of it, never markup.
        const QString text = QString::fromUtf8(body.left(400));
        if (!text.contains(u'<'))
            result.message = tidy(text);
        return result;
    }
    const QJsonObject object = document.object();
    result.message = firstString(object, { "message", "messsage", "error_description", "detail" });
    result.code = firstString(object, { "code", "errorType" });

    const QJsonValue error = object.value(QStringLiteral("error"));
    if (error.isObject()) {
        const QJsonObject nested = error.toObject();
        if (result.code.isEmpty())
            result.code = firstString(nested, { "code", "type" });
        if (result.message.isEmpty())
            result.message = firstString(nested, { "message", "details", "detail" });
    } else if (error.isString()) {
        const QString text = error.toString().trimmed();
        // {"error": "error_code", "message": "text"} vs {"error": "text"}: a code has no spaces.
        const bool looksLikeCode = !text.contains(u' ');
        if (result.message.isEmpty() && !(looksLikeCode && !result.code.isEmpty()))
            result.message = text;
        else if (result.code.isEmpty() && looksLikeCode)
            result.code = text;
    }
    result.message = tidy(result.message);
    result.code = tidy(result.code);
    return result;
}

QString ApiError::summary() const
{
    QStringList parts;
    if (httpStatus)
        parts << QStringLiteral("HTTP %1").arg(httpStatus);
    if (!serviceCode.isEmpty())
        parts << serviceCode;
    QString text = parts.join(u' ');
    const QString message = serviceMessage.isEmpty() ? userMessage : serviceMessage;
    if (!message.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(": ")) + message;
    return text;
}

ApiError ApiError::fromHttp(int status, const QByteArray &body, const QByteArray &requestId)
{
    const ServiceErrorBody parsed = parseServiceErrorBody(body);
    ApiError error;
    error.kind = Kind::Http;
    error.httpStatus = status;
    error.serviceCode = parsed.code;
    error.serviceMessage = parsed.message;
    error.userMessage = sentenceFor(status, parsed.message);
    error.requestId = requestId;
    return error;
}

ApiError ApiError::fromNetwork(QNetworkReply::NetworkError code, const QString &errorString,
                               const QByteArray &requestId)
{
    ApiError error;
    error.requestId = requestId;
    error.technicalDetail = errorString;
    switch (code) {
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        // QNetworkRequest's transfer timeout aborts the reply with OperationCanceledError.
        error.kind = Kind::Timeout;
        error.userMessage = tr("The service did not answer in time. Check the connection and try "
                               "again.");
        break;
    case QNetworkReply::SslHandshakeFailedError:
        error.kind = Kind::Connection;
        error.mayHaveArrived = false;
        error.userMessage = tr("The service's certificate could not be verified, so Docket did not "
                               "connect.");
        break;
    case QNetworkReply::HostNotFoundError:
        error.kind = Kind::Connection;
        error.mayHaveArrived = false;
        error.userMessage = tr("The service's address could not be found. Check the base URL.");
        break;
    case QNetworkReply::ConnectionRefusedError:
        error.kind = Kind::Connection;
        error.mayHaveArrived = false;
        error.userMessage = tr("The service refused the connection. Is the base URL right and the "
                               "service running?");
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        error.kind = Kind::Connection;
        error.mayHaveArrived = false;
        error.userMessage
            = tr("The proxy refused the connection or could not be found (%1).").arg(errorString);
        break;
    default:
        error.kind = Kind::Connection;
        error.userMessage = tr("The connection to the service failed before a complete answer "
                               "arrived (%1).")
                                .arg(errorString);
        break;
    }
    return error;
}

ApiError ApiError::malformed(const QString &what, const QByteArray &requestId)
{
    ApiError error;
    error.kind = Kind::MalformedResponse;
    error.requestId = requestId;
    error.technicalDetail = what;
    error.userMessage = tr("The service's answer could not be understood (%1).").arg(what);
    return error;
}

ApiError ApiError::redirected(int status, const QUrl &target, const QByteArray &requestId)
{
    ApiError error;
    error.kind = Kind::Redirected;
    error.httpStatus = status;
    error.requestId = requestId;
    // Where it pointed, for people: a login page's query may carry a session or a return path.
    error.redirectTarget = target.isValid() && !target.isEmpty()
        ? target.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
              .toDisplayString()
        : tr("an address it did not give");
    error.userMessage = tr("The request was redirected to %1 instead of being answered (HTTP %2); "
                           "Docket does not follow redirects for changes, so nothing is known to "
                           "have changed.")
                            .arg(error.redirectTarget)
                            .arg(status);
    return error;
}

ApiError ApiError::make(Kind kind, const QString &userMessage)
{
    ApiError error;
    error.kind = kind;
    // Refused before sending: nothing went out.
    error.mayHaveArrived
        = kind != Kind::InvalidInput && kind != Kind::Credentials && kind != Kind::SignedOut;
    error.userMessage = userMessage;
    return error;
}

} // namespace Docket
