#pragma once

// The Field Notes API (fieldnotesconnector.h) on loopback, for the tests that show a fifth service
// needs no edit outside its folder: two folders of notes, a key, and deletes that take effect.

#include "loopbackhttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>

class FieldNotesServer : public LoopbackHttpServer
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

    Answer respond(const QByteArray &head) override
    {
        const QList<QByteArray> line = requestLine(head);
        const QString path = QUrl(QString::fromLatin1(line.value(1))).path();
        requests.append(QString::fromLatin1(line.value(0)) + u' ' + path);
        const auto [status, object] = answer(line.value(0), path, head);
        return { status, QJsonDocument(object).toJson(QJsonDocument::Compact), {} };
    }
};
