#pragma once

#include "sandboxreply.h"
#include "sandboxrequest.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <memory>

// The one place that knows which Qt HttpServer version we build against (the request/responder API
// changed in Qt 6.5; Debian 12 ships 6.4, the Windows and macOS builds use newer Qt).

// An answer not yet given. It may be given now, later (latency), never (hang), or replaced by a
// dropped connection (reset).
class PendingResponse
{
public:
    PendingResponse(QHttpServerResponder &&responder, QTcpSocket *socket);

    // False once the client has gone away.
    bool isConnected() const;
    void send(const SandboxReply &reply);
    // Status line and headers announcing the whole body, then only part of it, then the connection
    // is closed: the client sees a truncated transfer.
    void sendTruncated(const SandboxReply &reply);
    // Drops the connection without answering (a TCP reset where the socket allows it).
    void resetConnection();

private:
    void writeHead(const SandboxReply &reply, qint64 contentLength);

    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket; // null where this Qt version does not expose it
};

// A Qt HTTP server for one service (or the control API) on one loopback port: it turns each request
// into a SandboxRequest and hands it on with the means to answer.
class HttpEndpoint : public QAbstractHttpServer
{
public:
    using Handler = std::function<void(const SandboxRequest &, std::shared_ptr<PendingResponse>)>;

    explicit HttpEndpoint(Handler handler, QObject *parent = nullptr);

    // Listens on 127.0.0.1:port (0 = ephemeral); returns the port, or 0 on failure.
    quint16 listenOnLoopback(quint16 port);

protected:
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request,
                        QHttpServerResponder &&responder) override;
#endif

private:
    static SandboxRequest convert(const QHttpServerRequest &request);

    Handler m_handler;
};
