#pragma once

#include "apierror.h"
#include "retrypolicy.h"

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

namespace Docket {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One HTTP request as a connector describes it. The URL's path and query are already
// percent-encoded (see urlWithSegments()).
struct ApiRequest
{
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body; // sent when non-empty, or always for POST/PUT/PATCH
    int timeoutMs = 0; // 0: the client's default
    // The X-Request-ID to send; empty: a new one. A caller that must record the id before the
    // request goes out (the deletion queue's audit trail) chooses it.
    QByteArray requestId;
    // When set, the body of a 2xx answer is handed to it piece by piece as it arrives (all of it,
    // in order, before the result), and ApiResult::body stays empty: for answers so big that
    // reading them should start before their last byte. Error answers are kept whole as usual.
    // Called on the client's thread; the pieces may be bigger or smaller than the network's.
    std::function<void(const QByteArray &piece)> bodyPieces;
};

// What came back. `error` is set for transport failures and non-2xx statuses alike.
struct ApiResult
{
    int status = 0;
    QByteArray body;
    QByteArray requestId;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    ApiError error;

    bool ok() const { return !error.isError(); }
    // The body as a JSON object; a malformed body sets *problem (and returns an empty object).
    QJsonObject jsonObject(QString *problem) const;
};

// The one network policy of the process: a single QNetworkAccessManager, Docket's User-Agent, an
// X-Request-ID on every request, a transfer timeout, redirects followed only by reads and only
// within the same origin (any other 3xx ends the request as ApiError::Kind::Redirected), and no
// cookies kept or sent (see NoCookieJar). TLS errors are never ignored.
class NetworkClient : public QObject
{
    Q_OBJECT

public:
    explicit NetworkClient(QObject *parent = nullptr);

    void setDefaultTimeout(int milliseconds) { m_defaultTimeoutMs = milliseconds; }
    int defaultTimeout() const { return m_defaultTimeoutMs; }

    // Sends the request; `done` runs once with the result, unless `context` is destroyed first
    // (then the request is aborted). Returns the reply so a caller may abort it, or null when the
    // URL is invalid (then `done` gets an InvalidInput error, later, and nothing is sent).
    QNetworkReply *send(const ApiRequest &request, QObject *context,
                        std::function<void(const ApiResult &)> done);

    QNetworkAccessManager *manager() { return &m_manager; }

    static QByteArray newRequestId();
    static QByteArray userAgent();

private:
    QNetworkAccessManager m_manager;
    int m_defaultTimeoutMs = RetryPolicy::defaultRequestTimeoutMs;
};

// A header value may be sent: no control characters (a CR or LF would start another header).
// NetworkClient refuses to send a request with one that is not.
bool isHeaderSafe(QByteArrayView value);
// A header name is an HTTP token: letters, digits and !#$%&'*+-.^_`|~.
bool isHeaderToken(QByteArrayView name);

// base + each segment percent-encoded as one path segment ("a/b" stays one segment) + query, with
// every query value percent-encoded too. The only way connectors build URLs from ids. An empty,
// "." or ".." segment gives an invalid URL, which NetworkClient refuses to send.
QUrl urlWithSegments(const QUrl &base, const QStringList &segments,
                     const QList<QPair<QString, QString>> &query = {});

// https is required, except for loopback hosts (the sandbox). Returns an empty string when the URL
// may be used, otherwise why not, in a sentence.
QString baseUrlProblem(const QUrl &url);

} // namespace Docket
