#include "testhttp.h"

#include <QBuffer>
#include <QNetworkRequest>
#include <QSignalSpy>

TestReply TestHttp::send(const QByteArray &method, const QUrl &url, const HeaderPairs &headers,
                         const QByteArray &body, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);

    QNetworkReply *reply
        = body.isEmpty() && method != "POST" && method != "PUT" && method != "PATCH"
        ? m_manager.sendCustomRequest(request, method)
        : m_manager.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);

    TestReply result;
    result.finished = reply->isFinished() || finished.wait(timeoutMs);
    if (!result.finished) {
        reply->abort();
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    result.errorString = reply->errorString();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return result;
}

TestReply TestHttp::sendJson(const QByteArray &method, const QUrl &url, const QJsonObject &object,
                             const HeaderPairs &headers)
{
    HeaderPairs all = headers;
    bool hasContentType = false;
    for (const auto &pair : headers)
        hasContentType = hasContentType || pair.first.toLower() == "content-type";
    if (!hasContentType)
        all.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return send(method, url, all, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QUrl urlWith(const QUrl &base, const QStringList &segments, const QUrlQuery &query)
{
    QUrl url = base;
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    for (const QString &segment : segments)
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(segment));
    url.setPath(path, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QUrlQuery encodedQuery(const QList<QPair<QString, QString>> &items)
{
    QUrlQuery query;
    for (const auto &[name, value] : items)
        query.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(name)),
                           QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return query;
}
