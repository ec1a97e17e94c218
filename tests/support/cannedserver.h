#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <memory>

// A loopback HTTP/1.1 server for answers the sandbox never gives (odd shapes, wrong types): each
// request gets a canned JSON body with 200, from `answer` if set, else from `bodies` by the full
// target (path and query) and then by the path alone; anything else is a 404 with notFoundBody.
// `statusFor` may choose another status; an error status answers with notFoundBody.
class CannedServer : public QObject
{
public:
    std::function<QByteArray(const QString &target)> answer; // a null result means 404
    std::function<int(const QByteArray &method, const QString &target)> statusFor; // 0: as above
    QHash<QString, QByteArray> bodies;
    QByteArray notFoundBody = R"({"error":"not_found","message":"nothing canned here"})";
    QStringList targets; // what arrived, in order
    QList<QByteArray> heads; // each request's line and headers, as sent
    QByteArray extraHeaders; // CRLF-terminated lines added to every answer ("Set-Cookie: ...")

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

private:
    QByteArray bodyFor(const QString &target) const
    {
        if (answer)
            return answer(target);
        const QByteArray body = bodies.value(target);
        return body.isNull() ? bodies.value(target.section(u'?', 0, 0)) : body;
    }

    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (!buffer->contains("\r\n\r\n"))
                return;
            const QList<QByteArray> requestLine = buffer->left(buffer->indexOf("\r\n")).split(' ');
            const QString target = QString::fromLatin1(requestLine.value(1));
            targets.append(target);
            heads.append(buffer->left(buffer->indexOf("\r\n\r\n")));
            QByteArray body = bodyFor(target);
            int code = body.isEmpty() ? 404 : 200;
            if (const int chosen = statusFor ? statusFor(requestLine.value(0), target) : 0)
                code = chosen;
            if (code >= 400)
                body = notFoundBody;
            const QByteArray status = QByteArray::number(code) + (code < 400 ? " OK" : " Error");
            socket->write("HTTP/1.1 " + status
                          + "\r\nContent-Type: application/json\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\nConnection: close\r\n"
                          + extraHeaders + "\r\n" + body);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
};
