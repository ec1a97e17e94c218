#include "scriptixservice.h"

#include <QJsonArray>

#include <algorithm>
#include <utility>
#include <vector>

namespace {

const QString demoToken = QStringLiteral("scriptix-demo-7c1e4b9a2d");
const QString otherToken = QStringLiteral("scriptix-other-3f8a61c0e5");
// The vendor page's examples use this placeholder literally; accepting it lets them run as-is.
const QString seedToken = QStringLiteral("YOUR_API_KEY");

constexpr int maxLimit = 100;

// A non-negative decimal integer, digits only (no sign, no spaces), that fits comfortably.
bool parseCount(const QString &text, qint64 *value)
{
    if (text.isEmpty() || text.size() > 15)
        return false;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    *value = text.toLongLong();
    return true;
}

} // namespace

ScriptixService::ScriptixService()
    : SandboxService(QStringLiteral("scriptix"), QStringLiteral("Scriptix"),
                     QStringLiteral("/api/v3"))
    , m_tokens { demoToken, otherToken, seedToken }
{ }

ScriptixService::~ScriptixService() = default;

// ---------------------------------------------------------------------------------------------
// Routes

QList<Route> ScriptixService::routes()
{
    const QString session = QStringLiteral("/speech-to-text/session");
    const QString oneSession = session + QStringLiteral("/{sid}");
    const QString document = oneSession + QStringLiteral("/document/{did}");
    const QString comments = document + QStringLiteral("/comments");
    return {
        Route::bind("GET", session, QStringLiteral("session.list"), this,
                    &ScriptixService::listSessions),
        Route::bind("GET", oneSession, QStringLiteral("session.get"), this,
                    &ScriptixService::getSession),
        Route::bind("DELETE", oneSession, QStringLiteral("session.delete"), this,
                    &ScriptixService::deleteSession),
        Route::bind("GET", document, QStringLiteral("document.get"), this,
                    &ScriptixService::getDocument),
        Route::bind("DELETE", document, QStringLiteral("document.delete"), this,
                    &ScriptixService::deleteDocument),
        Route::bind("GET", comments, QStringLiteral("comment.list"), this,
                    &ScriptixService::listComments),
        Route::bind("DELETE", comments + QStringLiteral("/{cid}"), QStringLiteral("comment.delete"),
                    this, &ScriptixService::deleteComment),
    };
}

// ---------------------------------------------------------------------------------------------
// Errors and authentication

SandboxReply ScriptixService::errorReply(int status, const QString &code,
                                         const QString &message) const
{
    // Scriptix is inconsistent (docs/services.md): 404s carry an error object, 401s an OAuth-style
    // error_description, everything else a flat string. Clients must read all three.
    if (status == 404) {
        const QJsonObject error { { QStringLiteral("code"), code },
                                  { QStringLiteral("message"), message },
                                  { QStringLiteral("details"), QJsonValue(QJsonValue::Null) } };
        return SandboxReply::json(status, QJsonObject { { QStringLiteral("error"), error } });
    }
    if (status == 401) {
        return SandboxReply::json(status,
                                  { { QStringLiteral("error"), code },
                                    { QStringLiteral("error_description"), message } });
    }
    return SandboxReply::json(
        status, { { QStringLiteral("error"), code }, { QStringLiteral("message"), message } });
}

QByteArray ScriptixService::presentedToken(const SandboxRequest &request) const
{
    // Bearer is what the current pages show; older pages use the vendor's own header.
    const QByteArray bearer = request.bearerToken();
    if (!bearer.isEmpty())
        return bearer;
    return request.header("x-zoom-s2t-key").trimmed();
}

QByteArray ScriptixService::rateLimitKey(const SandboxRequest &request) const
{
    return presentedToken(request);
}

int ScriptixService::authenticate(const SandboxRequest &request, SandboxReply *error) const
{
    const QByteArray token = presentedToken(request);
    if (token.isEmpty()) {
        *error = errorReply(401, QStringLiteral("unauthorized"),
                            QStringLiteral("No API token: send \"Authorization: Bearer <token>\" "
                                           "or \"x-zoom-s2t-key: <token>\""));
        return -1;
    }
    const int owner = int(m_tokens.indexOf(QString::fromUtf8(token)));
    if (owner < 0) {
        *error = errorReply(401, QStringLiteral("unauthorized"),
                            QStringLiteral("The API token is invalid, expired or revoked"));
    }
    return owner;
}

SandboxReply ScriptixService::notFound(const QString &what, const QString &id) const
{
    const QJsonObject error { { QStringLiteral("code"), QStringLiteral("not_found") },
                              { QStringLiteral("message"),
                                QString(what + QStringLiteral(" not found")) },
                              { QStringLiteral("details"),
                                QJsonObject { { QStringLiteral("resource"), what.toLower() },
                                              { QStringLiteral("id"), id } } } };
    return SandboxReply::json(404, QJsonObject { { QStringLiteral("error"), error } });
}

SandboxReply ScriptixService::badRequest(const QString &message) const
{
    return errorReply(400, QStringLiteral("invalid_request"), message);
}

bool ScriptixService::parsePaging(const SandboxRequest &request, Paging *paging, QString *error)
{
    if (request.hasQueryItem(QStringLiteral("offset"))
        && !parseCount(request.queryValue(QStringLiteral("offset")), &paging->offset)) {
        *error = QStringLiteral("offset must be a non-negative integer");
        return false;
    }
    if (request.hasQueryItem(QStringLiteral("limit"))) {
        qint64 limit = 0;
        if (!parseCount(request.queryValue(QStringLiteral("limit")), &limit) || limit < 1) {
            *error = QStringLiteral("limit must be a positive integer (at most 100 are returned)");
            return false;
        }
        // Larger pages are clamped rather than refused, as the vendor's "max 100" reads.
        paging->limit = int(std::min<qint64>(limit, maxLimit));
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Lookups

int ScriptixService::findSession(int owner, const QString &sessionId, SandboxReply *error) const
{
    const int index = m_sessionIndex.value(sessionId, -1);
    // Another token's session is indistinguishable from a missing one.
    if (index < 0 || m_sessions.at(index).deleted || m_sessions.at(index).owner != owner) {
        *error = notFound(QStringLiteral("Session"), sessionId);
        return -1;
    }
    return index;
}

ScriptixService::Document *ScriptixService::findDocument(int owner, const RouteParams &params,
                                                         int *sessionIndex, SandboxReply *error)
{
    *sessionIndex = findSession(owner, params.value(QStringLiteral("sid")), error);
    if (*sessionIndex < 0)
        return nullptr;
    ensureDocuments(*sessionIndex);
    const QString documentId = params.value(QStringLiteral("did"));
    for (Document &document : m_sessions[*sessionIndex].documents) {
        if (document.id == documentId && !document.deleted)
            return &document;
    }
    *error = notFound(QStringLiteral("Document"), documentId);
    return nullptr;
}

int ScriptixService::authenticatePaged(const SandboxRequest &request, Paging *paging,
                                       SandboxReply *error) const
{
    const int owner = authenticate(request, error);
    if (owner < 0)
        return -1;
    QString message;
    if (!parsePaging(request, paging, &message)) {
        *error = badRequest(message);
        return -1;
    }
    return owner;
}

int ScriptixService::findCallersSession(const SandboxRequest &request, const RouteParams &params,
                                        SandboxReply *error) const
{
    const int owner = authenticate(request, error);
    return owner < 0 ? -1 : findSession(owner, params.value(QStringLiteral("sid")), error);
}

ScriptixService::Document *ScriptixService::findCallersDocument(const SandboxRequest &request,
                                                                const RouteParams &params,
                                                                int *sessionIndex,
                                                                SandboxReply *error)
{
    const int owner = authenticate(request, error);
    return owner < 0 ? nullptr : findDocument(owner, params, sessionIndex, error);
}

// ---------------------------------------------------------------------------------------------
// Deletes: the item is flagged (the control views still show it) and counted out.

void ScriptixService::markDeleted(Comment &comment)
{
    comment.deleted = true;
    --m_liveComments;
    m_deletedComments.append(comment.id);
}

// A document's comments go with it.
void ScriptixService::markDeleted(Document &document)
{
    document.deleted = true;
    --m_liveDocuments;
    m_deletedDocuments.append(document.id);
    for (Comment &comment : document.comments) {
        if (!comment.deleted)
            markDeleted(comment);
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

SandboxReply ScriptixService::listSessions(const SandboxRequest &request)
{
    SandboxReply error;
    Paging paging;
    const int owner = authenticatePaged(request, &paging, &error);
    if (owner < 0)
        return error;

    static const QStringList sortNames = { QStringLiteral("created_at"), QStringLiteral("filename"),
                                           QStringLiteral("duration"), QStringLiteral("status") };
    const QString sortName = request.queryValue(QStringLiteral("sort"));
    const int key = sortName.isEmpty() ? int(SortCreatedAt) : int(sortNames.indexOf(sortName));
    if (key < 0)
        return badRequest(
            QStringLiteral("sort must be one of created_at, filename, duration, status"));

    const QString direction = request.queryValue(QStringLiteral("direction")).toLower();
    if (!direction.isEmpty() && direction != u"asc" && direction != u"desc")
        return badRequest(QStringLiteral("direction must be asc or desc"));
    const bool descending = direction != u"asc";

    // Filenames are generated in lower case, so a lower-cased needle and a plain search give
    // the case-insensitive match, several times faster than a case-folding one over 100,000 rows.
    const QString filter = request.queryValue(QStringLiteral("q")).toLower();
    Owner &account = m_owners[owner];
    const QList<int> &order = sortedSessions(account, SortKey(key));

    // One pass over an index that is already in order, skipping deleted and unmatched rows:
    // cheap even for 100,000 sessions, and pages stay consistent under deletes.
    const bool filtering = !filter.isEmpty();
    Session *sessions = m_sessions.data(); // detached once here, so ensureDocuments never moves it
    std::vector<quint8> visible;
    if (filtering) {
        // Matching in storage order reads memory sequentially; the sorted walk below then only
        // touches this small array.
        visible.assign(size_t(m_sessions.size()), 0);
        for (const int index : std::as_const(account.sessions)) {
            visible[size_t(index)]
                = !sessions[index].deleted && sessions[index].filename.contains(filter);
        }
    }
    const quint8 *shown = filtering ? visible.data() : m_visible.data();

    QJsonArray page;
    const qint64 end = paging.offset + paging.limit;
    const qsizetype size = order.size();
    const int *indices = order.constData();
    qint64 matched = 0;
    qsizetype step = 0;
    if (!filtering && account.live == size) {
        // Nothing hidden: the page starts right at the offset.
        step = qsizetype(std::min<qint64>(paging.offset, size));
        matched = step;
    }
    for (; step < size; ++step) {
        const int index = indices[descending ? size - 1 - step : step];
        if (!shown[index])
            continue;
        if (matched >= paging.offset && matched < end) {
            ensureDocuments(index);
            page.append(sessionJson(sessions[index], sessions[index].documents, false));
        }
        ++matched;
        if (!filtering && matched >= end)
            break;
    }
    const qint64 total = filter.isEmpty() ? account.live : matched;
    return SandboxReply::json(200,
                              { { QStringLiteral("count"), int(page.size()) },
                                { QStringLiteral("total_results"), total },
                                { QStringLiteral("result"), page } });
}

SandboxReply ScriptixService::getSession(const SandboxRequest &request, const RouteParams &params)
{
    SandboxReply error;
    const int index = findCallersSession(request, params, &error);
    if (index < 0)
        return error;
    ensureDocuments(index);
    const Session &session = m_sessions.at(index);
    return SandboxReply::json(200, sessionJson(session, session.documents, true));
}

SandboxReply ScriptixService::deleteSession(const SandboxRequest &request,
                                            const RouteParams &params)
{
    SandboxReply error;
    const int index = findCallersSession(request, params, &error);
    if (index < 0)
        return error;
    ensureDocuments(index);
    Session &session = m_sessions[index];
    session.deleted = true;
    m_visible[size_t(index)] = 0;
    --m_liveSessions;
    --m_owners[session.owner].live;
    m_deletedSessions.append(session.sessionId);
    // "The session and all its documents": their comments go with them.
    for (Document &document : session.documents) {
        if (!document.deleted)
            markDeleted(document);
    }
    // [doc] 204 or 200. Session and comment deletes answer 204, document deletes 200, so a
    // client has to accept both.
    return SandboxReply::empty(204);
}

SandboxReply ScriptixService::getDocument(const SandboxRequest &request, const RouteParams &params)
{
    SandboxReply error;
    int index = -1;
    const Document *document = findCallersDocument(request, params, &index, &error);
    if (!document)
        return error;
    return SandboxReply::json(200,
                              QJsonObject { { QStringLiteral("result"),
                                              documentJson(m_sessions.at(index), *document) } });
}

SandboxReply ScriptixService::deleteDocument(const SandboxRequest &request,
                                             const RouteParams &params)
{
    SandboxReply error;
    int index = -1;
    Document *document = findCallersDocument(request, params, &index, &error);
    if (!document)
        return error;
    markDeleted(*document);
    return SandboxReply::json(200,
                              { { QStringLiteral("message"), QStringLiteral("Document deleted") },
                                { QStringLiteral("document_id"), document->id } });
}

SandboxReply ScriptixService::listComments(const SandboxRequest &request, const RouteParams &params)
{
    SandboxReply error;
    Paging paging;
    const int owner = authenticatePaged(request, &paging, &error);
    if (owner < 0)
        return error;
    int index = -1;
    const Document *document = findDocument(owner, params, &index, &error);
    if (!document)
        return error;

    QJsonArray page;
    qint64 matched = 0;
    for (const Comment &comment : document->comments) {
        if (comment.deleted)
            continue;
        if (matched >= paging.offset && matched < paging.offset + paging.limit)
            page.append(commentJson(comment));
        ++matched;
    }
    return SandboxReply::json(200,
                              { { QStringLiteral("count"), int(page.size()) },
                                { QStringLiteral("total_results"), matched },
                                { QStringLiteral("result"), page } });
}

SandboxReply ScriptixService::deleteComment(const SandboxRequest &request,
                                            const RouteParams &params)
{
    SandboxReply error;
    int index = -1;
    Document *document = findCallersDocument(request, params, &index, &error);
    if (!document)
        return error;
    const QString commentId = params.value(QStringLiteral("cid"));
    for (Comment &comment : document->comments) {
        if (comment.id != commentId || comment.deleted)
            continue;
        markDeleted(comment);
        return SandboxReply::empty(204);
    }
    return notFound(QStringLiteral("Comment"), commentId);
}

// ---------------------------------------------------------------------------------------------
// Control endpoint views (summary() and detail() are with the JSON, in scriptixjson.cpp)

QJsonObject ScriptixService::credentials() const
{
    return { { QStringLiteral("token"), demoToken },
             { QStringLiteral("otherToken"), otherToken },
             { QStringLiteral("seedToken"), seedToken },
             { QStringLiteral("headerStyles"),
               QJsonArray { QStringLiteral("bearer"), QStringLiteral("x-zoom-s2t-key") } },
             { QStringLiteral("rateLimitPerMinute"), 60 },
             { QStringLiteral("seedSessionId"), QStringLiteral("sess_abc123") },
             { QStringLiteral("seedDocumentId"), QStringLiteral("doc_xyz789") },
             { QStringLiteral("seedCommentId"), QStringLiteral("comment_456") } };
}
