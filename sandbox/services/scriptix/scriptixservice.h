#pragma once

#include "core/service.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

class DataGenerator;

// Scriptix, as docs/services.md §4 describes it. See ../README.md for the demo credentials.
//
// Sessions are generated eagerly (they are what lists page through); a session's documents and
// their comments are generated lazily from a per-session seed the first time anything looks at
// them, then kept, so they are stable once observed and deletes can be tracked. Transcript
// segments are never stored: they are regenerated from each document's seed on every read.
//
// Handlers are in scriptixservice.cpp, generation and ids in scriptixgeneration.cpp, list orders in
// scriptixsorting.cpp, JSON and the control views in scriptixjson.cpp.
class ScriptixService : public SandboxService
{
public:
    ScriptixService();
    ~ScriptixService() override;

    QList<Route> routes() override;
    SandboxReply errorReply(int status, const QString &code, const QString &message) const override;
    QByteArray rateLimitKey(const SandboxRequest &request) const override;
    void populate(const DataSpec &spec) override;
    QJsonObject credentials() const override;
    QJsonObject summary() const override;
    QJsonObject detail() const override;
    // Scriptix API tokens live for years: nothing to expire.
    void expireTokens() override { }

private:
    struct Comment
    {
        QString id;
        QString text;
        QString author;
        qint64 createdAt = 0; // seconds since 1970, UTC
        bool deleted = false;
    };

    struct Document
    {
        QString id;
        QString name;
        QString type; // "transcript", "summary", "captions"
        qint64 created = 0;
        qint64 lastModified = 0;
        quint32 contentSeed = 0; // transcript segments are regenerated from this
        bool deleted = false;
        QList<Comment> comments;
    };

    struct Session
    {
        QString sessionId;
        QString filename;
        QString status; // "finished", "processing", "failed"
        QString language;
        QString mediaType; // "audio", "video"
        qint64 createdAt = 0;
        qint64 finishedAt = 0; // 0 unless finished
        int numericId = 0;
        int duration = 0; // seconds
        int owner = 0; // index into m_tokens
        quint64 seed = 0; // documents and comments are derived from it
        bool deleted = false;
        bool materialized = false; // documents generated (or fixed by a fixture)
        QList<Document> documents;
    };

    enum SortKey { SortCreatedAt, SortFilename, SortDuration, SortStatus, SortKeyCount };

    struct Owner
    {
        QList<int> sessions; // indices into m_sessions
        int live = 0;
        // Ascending orders, built on first use; "desc" walks them backwards.
        std::array<QList<int>, SortKeyCount> sorted;
        std::array<bool, SortKeyCount> sortedReady {};
    };

    struct Paging
    {
        qint64 offset = 0;
        int limit = 25; // the documented default
    };

    // Bijective scrambler from a small counter to a fixed-width base-36 id, so generated ids
    // look random yet can never collide.
    struct IdScrambler
    {
        quint64 modulus = 1;
        quint64 multiplier = 1;
        quint64 offset = 0;
        int digits = 0;
        void init(int digitCount, quint64 salt);
        QString make(quint64 value) const;
    };

    // Handlers.
    SandboxReply listSessions(const SandboxRequest &request);
    SandboxReply getSession(const SandboxRequest &request, const RouteParams &params);
    SandboxReply deleteSession(const SandboxRequest &request, const RouteParams &params);
    SandboxReply getDocument(const SandboxRequest &request, const RouteParams &params);
    SandboxReply deleteDocument(const SandboxRequest &request, const RouteParams &params);
    SandboxReply listComments(const SandboxRequest &request, const RouteParams &params);
    SandboxReply deleteComment(const SandboxRequest &request, const RouteParams &params);

    // Authentication: the owner index of the presented token, or -1 with *error set.
    QByteArray presentedToken(const SandboxRequest &request) const;
    int authenticate(const SandboxRequest &request, SandboxReply *error) const;

    // Lookups that treat deleted items and other owners' items as missing; *error is the 404.
    // findSession answers the index into m_sessions (or -1); findDocument also materialises the
    // session's documents and sets *sessionIndex.
    int findSession(int owner, const QString &sessionId, SandboxReply *error) const;
    Document *findDocument(int owner, const RouteParams &params, int *sessionIndex,
                           SandboxReply *error);
    // What both lists start with: authenticate(), then the page asked for (a bad one is the 400).
    int authenticatePaged(const SandboxRequest &request, Paging *paging, SandboxReply *error) const;
    // authenticate(), then the lookup: for the handlers that check nothing in between.
    int findCallersSession(const SandboxRequest &request, const RouteParams &params,
                           SandboxReply *error) const;
    Document *findCallersDocument(const SandboxRequest &request, const RouteParams &params,
                                  int *sessionIndex, SandboxReply *error);
    // Flags a live item deleted and counts it out; a document takes its live comments with it.
    void markDeleted(Comment &comment);
    void markDeleted(Document &document);

    // Generation.
    void addFixtureSession();
    Session generateSession(DataGenerator &generator, int index, int owner, int demoIndex) const;
    QList<Document> generateDocuments(const Session &session, int index) const;
    int plannedDocumentCount(const Session &session) const;
    int plannedCommentCount(const Session &session, int document) const;
    void ensureDocuments(int index);
    const QList<int> &sortedSessions(Owner &owner, SortKey key);

    // JSON.
    static QJsonObject documentRef(const Document &document);
    QJsonObject sessionJson(const Session &session, const QList<Document> &documents,
                            bool full) const;
    // GET of one document: its fields and the transcript segments.
    QJsonObject documentJson(const Session &session, const Document &document) const;
    QJsonArray transcriptSegments(const Session &session, const Document &document) const;
    static QJsonObject commentJson(const Comment &comment);

    // Replies.
    SandboxReply notFound(const QString &what, const QString &id) const;
    SandboxReply badRequest(const QString &message) const;
    static bool parsePaging(const SandboxRequest &request, Paging *paging, QString *error);

    QStringList m_tokens; // owner index -> token
    QList<Session> m_sessions;
    QHash<QString, int> m_sessionIndex; // session_id -> index into m_sessions
    std::vector<quint8> m_visible; // 1 while the session is not deleted: compact for list scans
    QList<Owner> m_owners; // parallel to m_tokens
    IdScrambler m_sessionIds;
    IdScrambler m_documentIds;
    IdScrambler m_commentIds;
    quint64 m_seed = 1;

    int m_liveDocuments = 0;
    int m_liveComments = 0;
    int m_liveSessions = 0;
    QStringList m_deletedSessions;
    QStringList m_deletedDocuments;
    QStringList m_deletedComments;
};
