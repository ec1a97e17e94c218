#include "networkclient.h"

#include "applicationinfo.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>
#include <QUuid>

namespace Docket {

QJsonObject ApiResult::jsonObject(QString *problem) const
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("invalid JSON at byte %1: %2")
                       .arg(parseError.offset)
                       .arg(parseError.errorString());
        return {};
    }
    if (!document.isObject()) {
        *problem = QStringLiteral("expected a JSON object");
        return {};
    }
    return document.object();
}

NetworkClient::NetworkClient(QObject *parent)
    : QObject(parent)
{
    // Redirects are followed only within the same origin: a token must never follow a 30x
    // somewhere else.
    m_manager.setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

QByteArray NetworkClient::newRequestId()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QByteArray NetworkClient::userAgent()
{
    return "Docket/" + version().toLatin1() + " (Qt " + QByteArray(qVersion()) + ")";
}

QNetworkReply *NetworkClient::send(const ApiRequest &request, QObject *context,
                                   std::function<void(const ApiResult &)> done)
{
    QNetworkRequest networkRequest(request.url);
    const QByteArray requestId = newRequestId();
    networkRequest.setRawHeader("User-Agent", userAgent());
    networkRequest.setRawHeader("Accept", "application/json");
    networkRequest.setRawHeader("X-Request-ID", requestId);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    networkRequest.setTransferTimeout(request.timeoutMs > 0 ? request.timeoutMs
                                                            : m_defaultTimeoutMs);

    const bool withBody = !request.body.isEmpty() || request.method == "POST"
        || request.method == "PUT" || request.method == "PATCH";
    QNetworkReply *reply = withBody
        ? m_manager.sendCustomRequest(networkRequest, request.method, request.body)
        : m_manager.sendCustomRequest(networkRequest, request.method);

    QPointer<QObject> guard(context);
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
    connect(
        reply, &QNetworkReply::finished, this, [reply, guard, requestId, done = std::move(done)] {
            reply->deleteLater();
            if (!guard)
                return;
            ApiResult result;
            result.requestId = requestId;
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            for (const auto &pair : reply->rawHeaderPairs())
                result.headers.insert(pair.first.toLower(), pair.second);
            const QNetworkReply::NetworkError networkError = reply->error();
            if (result.status >= 200 && result.status < 300
                && networkError == QNetworkReply::NoError) {
                done(result);
                return;
            }
            if (result.status > 0 && networkError != QNetworkReply::OperationCanceledError
                && networkError != QNetworkReply::RemoteHostClosedError) {
                // A complete HTTP answer with an error status.
                result.error = ApiError::fromHttp(result.status, result.body, requestId);
            } else {
                result.error = ApiError::fromNetwork(networkError, reply->errorString(), requestId);
            }
            done(result);
        });
    return reply;
}

QUrl urlWithSegments(const QUrl &base, const QStringList &segments,
                     const QList<QPair<QString, QString>> &query)
{
    QUrl url = base;
    QString path = base.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    for (const QString &segment : segments)
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(segment));
    url.setPath(path, QUrl::StrictMode);
    if (!query.isEmpty()) {
        QStringList items;
        for (const auto &[name, value] : query) {
            items << QString::fromLatin1(QUrl::toPercentEncoding(name)) + u'='
                    + QString::fromLatin1(QUrl::toPercentEncoding(value));
        }
        url.setQuery(items.join(u'&'), QUrl::StrictMode);
    }
    return url;
}

QString baseUrlProblem(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return QCoreApplication::translate("Docket", "The base URL is not a valid address.");
    if (url.scheme() == QLatin1String("https"))
        return {};
    const QHostAddress address(url.host());
    const bool loopback
        = url.host() == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
    if (url.scheme() == QLatin1String("http") && loopback)
        return {};
    return QCoreApplication::translate("Docket",
                                       "The base URL must use https:// (plain http is "
                                       "allowed only on this computer, for the sandbox).");
}

} // namespace Docket
