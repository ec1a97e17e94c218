#include "core/datagenerator.h"
#include "scriptixservice.h"

#include <QJsonArray>

#include <algorithm>

namespace {

QString iso(qint64 secondsSinceEpoch)
{
    return DataGenerator::isoUtcFromSecs(secondsSinceEpoch);
}

QJsonValue isoOrNull(qint64 seconds)
{
    return seconds > 0 ? QJsonValue(iso(seconds)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject ScriptixService::documentRef(const Document &document)
{
    return { { QStringLiteral("id"), document.id },
             { QStringLiteral("name"), document.name },
             { QStringLiteral("type"), document.type } };
}

QJsonObject ScriptixService::sessionJson(const Session &session, const QList<Document> &documents,
                                         bool full) const
{
    // The vendor shows a single "document"; a session can hold several, so "documents" lists them
    // all ([gap]) and "document" is the first one still present (null when none is left).
    QJsonArray refs;
    for (const Document &document : documents) {
        if (!document.deleted)
            refs.append(documentRef(document));
    }
    QJsonObject object { { QStringLiteral("session_id"), session.sessionId },
                         { QStringLiteral("filename"), session.filename },
                         { QStringLiteral("status"), session.status },
                         { QStringLiteral("language"), session.language },
                         { QStringLiteral("duration"), session.duration },
                         { QStringLiteral("created_at"), iso(session.createdAt) },
                         { QStringLiteral("document"),
                           refs.isEmpty() ? QJsonValue(QJsonValue::Null) : refs.first() },
                         { QStringLiteral("documents"), refs } };
    if (full) {
        object.insert(QStringLiteral("id"), session.numericId);
        object.insert(QStringLiteral("media_type"), session.mediaType);
        object.insert(QStringLiteral("finished_at"), isoOrNull(session.finishedAt));
    }
    return object;
}

QJsonObject ScriptixService::documentJson(const Session &session, const Document &document) const
{
    return { { QStringLiteral("id"), document.id },
             { QStringLiteral("created"), iso(document.created) },
             { QStringLiteral("last_modified"), iso(document.lastModified) },
             { QStringLiteral("filename"), session.filename },
             { QStringLiteral("type"), document.type },
             { QStringLiteral("document"), transcriptSegments(session, document) } };
}

QJsonArray ScriptixService::transcriptSegments(const Session &session,
                                               const Document &document) const
{
    DataGenerator generator(document.contentSeed);
    const int count = generator.between(3, 8);
    // Utterances of a few seconds from the start of the recording, in tenths of a second; short
    // enough that even eight of them fit the shortest (one-minute) session.
    const int longest = std::clamp(session.duration * 10 / 8 - 20, 20, 300);
    const bool summary = document.type == u"summary";
    const bool clinicianFirst = generator.chance(0.7);
    QJsonArray segments;
    int tenths = 0;
    for (int i = 0; i < count; ++i) {
        const int start = tenths + generator.between(0, 15);
        const int stop = start + generator.between(15, longest);
        tenths = stop;
        QString speaker = QStringLiteral("Clinician");
        if (!summary && (i % 2 == 0) != clinicianFirst)
            speaker = QStringLiteral("Patient");
        segments.append(QJsonObject { { QStringLiteral("start"), start / 10.0 },
                                      { QStringLiteral("stop"), stop / 10.0 },
                                      { QStringLiteral("speaker"), speaker },
                                      { QStringLiteral("text"), generator.sentence(6, 18) } });
    }
    return segments;
}

QJsonObject ScriptixService::commentJson(const Comment &comment)
{
    return { { QStringLiteral("id"), comment.id },
             { QStringLiteral("text"), comment.text },
             { QStringLiteral("author"), comment.author },
             { QStringLiteral("created_at"), iso(comment.createdAt) } };
}

// ---------------------------------------------------------------------------------------------
// Control endpoint views

QJsonObject ScriptixService::summary() const
{
    return {
        { QStringLiteral("counts"),
          QJsonObject { { QStringLiteral("sessions"), m_liveSessions },
                        { QStringLiteral("documents"), m_liveDocuments },
                        { QStringLiteral("comments"), m_liveComments } } },
        { QStringLiteral("deleted"),
          QJsonObject {
              { QStringLiteral("sessions"), QJsonArray::fromStringList(m_deletedSessions) },
              { QStringLiteral("documents"), QJsonArray::fromStringList(m_deletedDocuments) },
              { QStringLiteral("comments"), QJsonArray::fromStringList(m_deletedComments) } } }
    };
}

QJsonObject ScriptixService::detail() const
{
    QJsonArray sessions;
    QJsonArray documents;
    QJsonArray comments;
    for (int index = 0; index < m_sessions.size(); ++index) {
        const Session &session = m_sessions.at(index);
        // Unobserved sessions are shown as they would be generated, without storing them.
        const QList<Document> sessionDocuments
            = session.materialized ? session.documents : generateDocuments(session, index);
        const QString owner = m_tokens.at(session.owner);

        QJsonObject sessionObject = sessionJson(session, sessionDocuments, true);
        sessionObject.insert(QStringLiteral("owner"), owner);
        sessionObject.insert(QStringLiteral("deleted"), session.deleted);
        sessions.append(sessionObject);

        for (const Document &document : sessionDocuments) {
            QJsonObject documentObject = documentRef(document);
            documentObject.insert(QStringLiteral("session_id"), session.sessionId);
            documentObject.insert(QStringLiteral("filename"), session.filename);
            documentObject.insert(QStringLiteral("created"), iso(document.created));
            documentObject.insert(QStringLiteral("last_modified"), iso(document.lastModified));
            documentObject.insert(QStringLiteral("owner"), owner);
            documentObject.insert(QStringLiteral("deleted"), document.deleted);
            documents.append(documentObject);

            for (const Comment &comment : document.comments) {
                QJsonObject commentObject = commentJson(comment);
                commentObject.insert(QStringLiteral("session_id"), session.sessionId);
                commentObject.insert(QStringLiteral("document_id"), document.id);
                commentObject.insert(QStringLiteral("owner"), owner);
                commentObject.insert(QStringLiteral("deleted"), comment.deleted);
                comments.append(commentObject);
            }
        }
    }
    return { { QStringLiteral("sessions"), sessions },
             { QStringLiteral("documents"), documents },
             { QStringLiteral("comments"), comments } };
}
