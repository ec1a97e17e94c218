#pragma once

// The Field Notes API (fieldnotesconnector.h) on loopback, for the tests that show a fifth service
// needs no edit outside its folder: two folders of notes, a key, and deletes that take effect.

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <map>
#include <memory>

class FieldNotesServer : public QObject
{
public:
    QByteArray key = "fn-key-7f3a";
    // folder id -> (title, note id -> note title)
    std::map<QString, std::pair<QString, std::map<QString, QString>>> folders {
        { QStringLiteral("ward-3"),
          { QStringLiteral("Ward 3"),
            { { QStringLiteral("note-1"), QStringLiteral("Morning round") },
              { QStringLiteral("note-2"), QStringLiteral("Handover") } } } },
        { QStringLiteral("ward-5"),
          { QStringLiteral("Ward 5"),
            { { QStringLiteral("note-3"), QStringLiteral("Discharge") } } } },
    };
    QStringList requests; // "DELETE /notes/note-1", in order

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    bool holds(const QString &noteId) const
    {
        for (const auto &[id, folder] : folders) {
            if (folder.second.count(noteId))
                return true;
        }
        return false;
    }

private:
    static QByteArray headerValue(const QByteArray &head, const QByteArray &lowerName)
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == lowerName)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }

    std::pair<int, QJsonObject> answer(const QByteArray &method, const QString &path,
                                       const QByteArray &head)
    {
        if (headerValue(head, "x-notes-key") != key)
            return { 401, { { QStringLiteral("error"), QStringLiteral("bad_key") } } };
        const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
        if (method == "GET" && parts == QStringList { QStringLiteral("whoami") })
            return { 200, { { QStringLiteral("ward"), QStringLiteral("all") } } };
        if (method == "GET" && parts == QStringList { QStringLiteral("folders") }) {
            QJsonArray rows;
            for (const auto &[id, folder] : folders)
                rows.append(QJsonObject { { QStringLiteral("id"), id },
                                          { QStringLiteral("title"), folder.first },
                                          { QStringLiteral("notes"), int(folder.second.size()) } });
            return { 200, { { QStringLiteral("folders"), rows } } };
        }
        if (method == "GET" && parts.size() == 3 && parts.at(0) == QLatin1String("folders")
            && parts.at(2) == QLatin1String("notes") && folders.count(parts.at(1))) {
            QJsonArray rows;
            for (const auto &[id, title] : folders.at(parts.at(1)).second)
                rows.append(QJsonObject {
                    { QStringLiteral("id"), id },
                    { QStringLiteral("title"), title },
                    { QStringLiteral("created"), QStringLiteral("2026-11-30T08:00:00Z") } });
            return { 200, { { QStringLiteral("notes"), rows } } };
        }
        if (method == "DELETE" && parts.size() == 2 && parts.at(0) == QLatin1String("notes")) {
            for (auto &[id, folder] : folders) {
                if (folder.second.erase(parts.at(1)))
                    return { 200, { { QStringLiteral("deleted"), parts.at(1) } } };
            }
            return { 404, { { QStringLiteral("error"), QStringLiteral("no_such_note") } } };
        }
        return { 404, { { QStringLiteral("error"), QStringLiteral("no_route") } } };
    }

    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (!buffer->contains("\r\n\r\n"))
                return;
            const QByteArray head = buffer->left(buffer->indexOf("\r\n\r\n"));
            const QList<QByteArray> line = head.left(head.indexOf("\r\n")).split(' ');
            const QString path = QUrl(QString::fromLatin1(line.value(1))).path();
            requests.append(QString::fromLatin1(line.value(0)) + u' ' + path);
            const auto [status, object] = answer(line.value(0), path, head);
            const QByteArray body = QJsonDocument(object).toJson(QJsonDocument::Compact);
            socket->write(
                "HTTP/1.1 " + QByteArray::number(status) + (status < 400 ? " OK" : " Error")
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
};
