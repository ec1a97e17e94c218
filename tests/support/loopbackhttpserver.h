#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <memory>
#include <optional>

// A request as a test's server saw it.
struct SeenHttpRequest
{
    QByteArray method;
    QByteArray target; // path and query, as sent
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
};

// The whole request at the start of `buffer` (its head, then Content-Length bytes of body), its
// size in `*size`; nothing while part of it has still to arrive.
inline std::optional<SeenHttpRequest> wholeRequestAt(const QByteArray &buffer, qsizetype *size)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    SeenHttpRequest request;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
    request.method = start.value(0);
    request.target = start.value(1);
    for (const QByteArray &line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.insert(line.left(colon).trimmed().toLower(),
                                   line.mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length").toLongLong();
    if (buffer.size() < headEnd + 4 + length)
        return std::nullopt;
    request.body = buffer.mid(headEnd + 4, length);
    *size = headEnd + 4 + length;
    return request;
}

// A loopback HTTP/1.1 server for the tests' stand-in services: once a request's head (its request
// line and headers) has arrived, the subclass's respond() chooses the one JSON answer, and the
// connection closes after it.
class LoopbackHttpServer : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body;
        QByteArray extraHeaders; // CRLF-terminated lines ("Set-Cookie: ...")
    };

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url(const QString &path = {}) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

protected:
    virtual Answer respond(const QByteArray &head) = 0;

    // The request line's words: method, target, version.
    static QList<QByteArray> requestLine(const QByteArray &head)
    {
        return head.left(head.indexOf("\r\n")).split(' ');
    }

private:
    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (!buffer->contains("\r\n\r\n"))
                return;
            const Answer answer = respond(buffer->left(buffer->indexOf("\r\n\r\n")));
            const QByteArray status
                = QByteArray::number(answer.status) + (answer.status < 400 ? " OK" : " Error");
            socket->write("HTTP/1.1 " + status
                          + "\r\nContent-Type: application/json\r\nContent-Length: "
                          + QByteArray::number(answer.body.size()) + "\r\nConnection: close\r\n"
                          + answer.extraHeaders + "\r\n" + answer.body);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
};
