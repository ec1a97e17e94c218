#include "httpendpoint.h"

#include <QHttpServerRequest>
#include <QTcpServer>
#include <QTimer>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

// "/a/b%2Fc/" -> ["a", "b/c"]: empty segments inside the path are kept (so "//" never matches an
// id), the leading and one trailing slash are not.
QStringList decodedSegments(const QString &encodedPath)
{
    QStringList raw = encodedPath.split(u'/');
    if (!raw.isEmpty() && raw.first().isEmpty())
        raw.removeFirst();
    if (!raw.isEmpty() && raw.last().isEmpty())
        raw.removeLast();
    QStringList segments;
    segments.reserve(raw.size());
    for (const QString &segment : raw)
        segments.append(QUrl::fromPercentEncoding(segment.toUtf8()));
    return segments;
}

} // namespace

PendingResponse::PendingResponse(QHttpServerResponder &&responder, QTcpSocket *socket)
    : m_responder(std::move(responder))
    , m_socket(socket)
{ }

bool PendingResponse::isConnected() const
{
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
#else
    return true;
#endif
}

void PendingResponse::writeHead(const SandboxReply &reply, qint64 contentLength)
{
    m_responder.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
    if (!reply.contentType.isEmpty())
        m_responder.writeHeader("Content-Type", reply.contentType);
    m_responder.writeHeader("Content-Length", QByteArray::number(contentLength));
    for (const auto &[name, value] : reply.headers)
        m_responder.writeHeader(name, value);
}

void PendingResponse::send(const SandboxReply &reply)
{
    if (!isConnected())
        return;
    writeHead(reply, reply.body.size());
    m_responder.writeBody(reply.body);
}

void PendingResponse::sendTruncated(const SandboxReply &reply)
{
    if (!isConnected())
        return;
    const QByteArray part = reply.body.left(reply.body.size() / 2);
    writeHead(reply, reply.body.size() + 64);
    m_responder.writeBody(part);
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    // Let the partial body leave before the connection goes.
    QPointer<QTcpSocket> socket = m_socket;
    QTimer::singleShot(50, socket, [socket] {
        if (socket)
            socket->disconnectFromHost();
    });
#endif
}

void PendingResponse::resetConnection()
{
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    if (m_socket) {
        // SO_LINGER with a zero timeout makes the close send RST instead of FIN, so the client sees
        // "connection reset by peer" rather than an orderly end.
        const linger hardClose { 1, 0 };
        setsockopt(m_socket->socketDescriptor(), SOL_SOCKET, SO_LINGER,
                   reinterpret_cast<const char *>(&hardClose), sizeof hardClose);
        m_socket->abort();
    }
#else
    // Newer Qt hides the socket from the responder: the closest we can do is never answer and let
    // the client's timeout end the request. Documented in sandbox/README.md.
#endif
}

HttpEndpoint::HttpEndpoint(Handler handler, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
{ }

quint16 HttpEndpoint::listenOnLoopback(quint16 port)
{
    auto *server = new QTcpServer(this);
    if (!server->listen(QHostAddress::LocalHost, port)) {
        delete server;
        return 0;
    }
    bind(server);
    return server->serverPort();
}

SandboxRequest HttpEndpoint::convert(const QHttpServerRequest &request)
{
    SandboxRequest result;
    result.method = methodName(request.method());
    const QUrl url = request.url();
    result.encodedPath = url.path(QUrl::FullyEncoded);
    result.segments = decodedSegments(result.encodedPath);
    result.query = QUrlQuery(url.query(QUrl::FullyEncoded));
    for (const auto &[name, value] : request.headers())
        result.headers.insert(name.toLower(), value);
    result.body = request.body();
    result.peer = request.remoteAddress();
    return result;
}

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
bool HttpEndpoint::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    m_handler(convert(request),
              std::make_shared<PendingResponse>(makeResponder(request, socket), socket));
    return true;
}

void HttpEndpoint::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}
#else
bool HttpEndpoint::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    m_handler(convert(request), std::make_shared<PendingResponse>(std::move(responder), nullptr));
    return true;
}

void HttpEndpoint::missingHandler(const QHttpServerRequest &, QHttpServerResponder &&responder)
{
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}
#endif
