#include "networkclient.h"

#include "applicationinfo.h"
#include "connectors/jsonparsing.h"
#include "logging.h"
#include "nocookiejar.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <memory>

namespace Docket {

QJsonObject ApiResult::jsonObject(QString *problem) const
{
    return jsonObjectOf(body, problem);
}

NetworkClient::NetworkClient(QObject *parent)
    : QObject(parent)
{
    // Every account shares this manager: no cookie may carry over from one to another.
    m_manager.setCookieJar(new NoCookieJar(&m_manager));

    // Reads follow redirects only within the same origin: a token must never follow a 30x
    // somewhere else. Changes follow none (see send()).
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

namespace {

// What a finished reply amounts to: a 2xx with its body, an HTTP error status, or a transport
// failure (timeout, reset, refused, or an answer cut short).
bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

// A 2xx answer's body as it arrives, for ApiRequest::bodyPieces.
struct BodyPieces
{
    std::function<void(const QByteArray &)> deliver;
    bool started = false; // the answer is a 2xx: its body goes to `deliver`
    qint64 delivered = 0;

    // Hands over what has arrived, if the answer is a 2xx.
    void take(QNetworkReply *reply)
    {
        if (!started) {
            if (!isSuccess(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()))
                return;
            started = true;
        }
        if (!reply->isOpen())
            return;
        const QByteArray piece = reply->readAll();
        delivered += piece.size();
        if (!piece.isEmpty())
            deliver(piece);
    }
};

// `streamed`: the body went to ApiRequest::bodyPieces, this many bytes of it (-1: it did not).
ApiResult resultOf(QNetworkReply *reply, const QByteArray &requestId, qint64 streamed)
{
    ApiResult result;
    result.requestId = requestId;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (streamed < 0 && reply->isOpen())
        result.body = reply->readAll();
    const qint64 bodySize = streamed < 0 ? result.body.size() : streamed;
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.insert(pair.first.toLower(), pair.second);
    QNetworkReply::NetworkError networkError = reply->error();
    QString errorString = reply->errorString();

    // Qt 6.4 can finish a reply whose connection closed mid-body without an error: an answer
    // shorter than its Content-Length is incomplete, whatever its status says. (Compressed
    // answers are skipped: their Content-Length counts the compressed bytes.)
    bool lengthKnown = false;
    const qint64 announced = result.headers.value("content-length").toLongLong(&lengthKnown);
    const QByteArray encoding = result.headers.value("content-encoding").trimmed().toLower();
    const bool plain = encoding.isEmpty() || encoding == "identity";
    if (networkError == QNetworkReply::NoError && plain && lengthKnown && announced > bodySize) {
        networkError = QNetworkReply::RemoteHostClosedError;
        errorString = QStringLiteral("the connection closed after %1 of %2 bytes")
                          .arg(bodySize)
                          .arg(announced);
    }

    if (isSuccess(result.status) && networkError == QNetworkReply::NoError)
        return result;
    if (result.status >= 300 && result.status < 400) {
        // A redirect that was not followed: never sent on for a change (see send()), or to
        // another origin for a read. What it pointed at is not the service's answer.
        const QUrl target = reply->url().resolved(
            reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl());
        result.error = ApiError::redirected(result.status, target, requestId);
        return result;
    }
    // A 2xx whose body failed (cut short, undecodable) is not an HTTP error: it may have been
    // handled.
    if (result.status > 0 && !isSuccess(result.status)
        && networkError != QNetworkReply::OperationCanceledError
        && networkError != QNetworkReply::RemoteHostClosedError) {
        // A complete HTTP answer with an error status.
        result.error = ApiError::fromHttp(result.status, result.body, requestId);
    } else {
        result.error = ApiError::fromNetwork(networkError, errorString, requestId);
    }
    return result;
}

// What a request line may name of its URL: the path with its ids, never the query (a signed URL's
// signature, a token parameter), the host or its user info.
QString loggedPath(const QUrl &url)
{
    const QString path = url.path(QUrl::FullyEncoded);
    return path.isEmpty() ? QStringLiteral("/") : path;
}

// The one line per request in docket.net: method, path, status, duration, X-Request-ID, and for a
// failure its kind and Qt's error code. Never a header value, a body or Qt's error string (which
// repeats the whole URL, query and all).
void logRequest(const QByteArray &method, const QUrl &url, const QNetworkReply *reply,
                const ApiResult &result, qint64 elapsedMs)
{
    if (!lcNet().isInfoEnabled())
        return;
    QString line = QString::fromLatin1(method) + u' ' + loggedPath(url) + u' '
        + (result.status > 0 ? QString::number(result.status) : QStringLiteral("-")) + u' '
        + QString::number(elapsedMs) + QStringLiteral(" ms");
    if (result.error.isError()) {
        line += QStringLiteral(" error=") + loggedErrorKind(result.error);
        if (reply->error() != QNetworkReply::NoError)
            line += QStringLiteral(" qt-error=") + QString::number(int(reply->error()));
    }
    // A read that followed a redirect within its origin says where it ended.
    if (reply->url().path() != url.path())
        line += QStringLiteral(" redirected-to=") + loggedPath(reply->url());
    qCInfo(lcNet).noquote() << line << "X-Request-ID" << result.requestId;
}

} // namespace

QNetworkReply *NetworkClient::send(const ApiRequest &request, QObject *context,
                                   std::function<void(const ApiResult &)> done)
{
    // What cannot be sent safely is not sent; `done` hears why, later, as for any answer.
    const auto refuse = [&](const QString &why) {
        qCInfo(lcNet).noquote() << request.method << loggedPath(request.url)
                                << "not sent: invalid-input";
        QTimer::singleShot(0, context, [done = std::move(done), why] {
            ApiResult result;
            result.error = ApiError::make(ApiError::Kind::InvalidInput, why);
            done(result);
        });
        return nullptr;
    };
    if (!request.url.isValid() || request.url.isEmpty()) {
        // urlWithSegments() refused an id.
        return refuse(QCoreApplication::translate("Docket",
                                                  "This id cannot be used in a request to the "
                                                  "service (it is empty, “.” or “..”)."));
    }
    for (const auto &[name, value] : request.headers) {
        // Qt writes header values as they are: a line break in a pasted key or token would end
        // the header and start another. The value is never repeated in the message.
        if (!isHeaderToken(name) || !isHeaderSafe(value)) {
            return refuse(QCoreApplication::translate(
                "Docket",
                "A key or token of this account holds a line break or another control "
                "character, so it cannot be sent. Enter it again in the account's settings."));
        }
    }
    QNetworkRequest networkRequest(request.url);
    const QByteArray requestId = request.requestId.isEmpty() ? newRequestId() : request.requestId;
    networkRequest.setRawHeader("User-Agent", userAgent());
    networkRequest.setRawHeader("Accept", "application/json");
    networkRequest.setRawHeader("X-Request-ID", requestId);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    networkRequest.setTransferTimeout(request.timeoutMs > 0 ? request.timeoutMs
                                                            : m_defaultTimeoutMs);
    // Only a read follows a redirect. Qt re-sends a DELETE or POST redirected by 301/302/303 as a
    // GET, so a gateway's "302 Location: /login" would come back as the login page's 200 and be
    // read as the change's success; a 307/308 would carry it to wherever the gateway pointed.
    if (request.method != "GET" && request.method != "HEAD")
        networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                    QNetworkRequest::ManualRedirectPolicy);

    const bool withBody = !request.body.isEmpty() || request.method == "POST"
        || request.method == "PUT" || request.method == "PATCH";
    QNetworkReply *reply = withBody
        ? m_manager.sendCustomRequest(networkRequest, request.method, request.body)
        : m_manager.sendCustomRequest(networkRequest, request.method);

    QPointer<QObject> guard(context);
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
    std::shared_ptr<BodyPieces> pieces;
    if (request.bodyPieces) {
        pieces = std::make_shared<BodyPieces>();
        pieces->deliver = request.bodyPieces;
        connect(reply, &QNetworkReply::readyRead, this, [reply, pieces] { pieces->take(reply); });
    }
    QElapsedTimer clock;
    clock.start();
    connect(reply, &QNetworkReply::finished, this,
            [reply, guard, requestId, pieces, clock, method = request.method, url = request.url,
             done = std::move(done)] {
                reply->deleteLater();
                if (!guard) {
                    qCInfo(lcNet).noquote() << method << loggedPath(url) << "abandoned after"
                                            << clock.elapsed() << "ms X-Request-ID" << requestId;
                    return;
                }
                qint64 streamed = -1;
                if (pieces) {
                    pieces->take(reply); // what is left, and the body of a 2xx that never said
                    if (pieces->started)
                        streamed = pieces->delivered;
                }
                const ApiResult result = resultOf(reply, requestId, streamed);
                logRequest(method, url, reply, result, clock.elapsed());
                done(result);
            });
    return reply;
}

bool isHeaderSafe(QByteArrayView value)
{
    for (const char c : value) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

bool isHeaderToken(QByteArrayView name)
{
    // RFC 9110's token characters.
    static constexpr QByteArrayView extra = "!#$%&'*+-.^_`|~";
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        const bool alphanumeric
            = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alphanumeric && !extra.contains(c))
            return false;
    }
    return true;
}

QUrl urlWithSegments(const QUrl &base, const QStringList &segments,
                     const QList<QPair<QString, QString>> &query)
{
    // "." and ".." cannot be sent as ids: QUrl decodes %2E, and every server resolves dot segments
    // into another endpoint. An empty id would address the container itself.
    for (const QString &segment : segments) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return {};
    }
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
