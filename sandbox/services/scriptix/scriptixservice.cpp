#include "scriptixservice.h"

#include "core/datagenerator.h"

#include <QJsonArray>

#include <algorithm>
#include <utility>
#include <vector>

namespace {

const QString demoToken = QStringLiteral("scriptix-demo-7c1e4b9a2d");
const QString otherToken = QStringLiteral("scriptix-other-3f8a61c0e5");
// The vendor page's examples use this placeholder literally; accepting it lets them run as-is.
const QString seedToken = QStringLiteral("YOUR_API_KEY");

constexpr int demoOwner = 0;
constexpr int otherOwner = 1;
constexpr int seedOwner = 2;

constexpr int defaultDemoSessions = 14;
constexpr int otherSessions = 3;
// Upper bounds of the generated counts; also the strides of the id counters.
constexpr int maxDocumentsPerSession = 3;
constexpr int maxCommentsPerDocument = 4;

constexpr int maxLimit = 100;

// SplitMix64: cheap, well-mixed, stable across platforms (unlike std::hash).
quint64 mix(quint64 value)
{
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

quint32 fold(quint64 value)
{
    return quint32(value ^ (value >> 32));
}

QString iso(qint64 secondsSinceEpoch)
{
    return DataGenerator::isoUtcFromSecs(secondsSinceEpoch);
}

qint64 epochSeconds()
{
    return DataGenerator::epoch().toSecsSinceEpoch();
}

// "O'Brien" -> "obrien", "de Vries" -> "de-vries": the shape people give recording files.
QString slug(const QString &name)
{
    QString result;
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            result.append(c.toLower());
        else if (c == u' ' || c == u'-')
            result.append(u'-');
    }
    return result;
}

QString baseName(const QString &filename)
{
    const qsizetype dot = filename.lastIndexOf(u'.');
    return dot > 0 ? filename.left(dot) : filename;
}

const QStringList &documentTypes()
{
    static const QStringList types
        = { QStringLiteral("transcript"), QStringLiteral("summary"), QStringLiteral("captions") };
    return types;
}

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

// a * b mod m without a 128-bit type (MSVC has none); a, b < m < 2^62.
quint64 mulMod(quint64 a, quint64 b, quint64 m)
{
    quint64 result = 0;
    for (; b; b >>= 1) {
        if (b & 1)
            result = (result + a) % m;
        a = (a * 2) % m;
    }
    return result;
}

QJsonValue isoOrNull(qint64 seconds)
{
    return seconds > 0 ? QJsonValue(iso(seconds)) : QJsonValue(QJsonValue::Null);
}

} // namespace

ScriptixService::ScriptixService()
    : SandboxService(QStringLiteral("scriptix"), QStringLiteral("Scriptix"),
                     QStringLiteral("/api/v3"))
    , m_tokens { demoToken, otherToken, seedToken }
{ }

ScriptixService::~ScriptixService() = default;

// ---------------------------------------------------------------------------------------------
// Ids

void ScriptixService::IdScrambler::init(int digitCount, quint64 salt)
{
    digits = digitCount;
    modulus = 1;
    for (int i = 0; i < digitCount; ++i)
        modulus *= 36;
    // x -> (x * a + b) mod 36^n is a bijection when a shares no factor with 36 (odd, not 3k).
    multiplier = (mix(salt) % modulus) | 1;
    while (multiplier % 3 == 0)
        multiplier = (multiplier + 2) % modulus;
    offset = mix(salt ^ 0x5bd1e9955bd1e995ULL) % modulus;
}

QString ScriptixService::IdScrambler::make(quint64 value) const
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    quint64 x = (mulMod(value % modulus, multiplier, modulus) + offset) % modulus;
    QString result(digits, u'0');
    for (int i = digits - 1; i >= 0; --i) {
        result[i] = QLatin1Char(alphabet[x % 36]);
        x /= 36;
    }
    return result;
}

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

// ---------------------------------------------------------------------------------------------
// Handlers

SandboxReply ScriptixService::listSessions(const SandboxRequest &request)
{
    SandboxReply error;
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;

    Paging paging;
    QString message;
    if (!parsePaging(request, &paging, &message))
        return badRequest(message);

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
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;
    const int index = findSession(owner, params.value(QStringLiteral("sid")), &error);
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
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;
    const int index = findSession(owner, params.value(QStringLiteral("sid")), &error);
    if (index < 0)
        return error;
    ensureDocuments(index);
    Session &session = m_sessions[index];
    session.deleted = true;
    m_visible[size_t(index)] = 0;
    --m_liveSessions;
    --m_owners[owner].live;
    m_deletedSessions.append(session.sessionId);
    // "The session and all its documents": their comments go with them.
    for (Document &document : session.documents) {
        if (document.deleted)
            continue;
        document.deleted = true;
        --m_liveDocuments;
        m_deletedDocuments.append(document.id);
        for (Comment &comment : document.comments) {
            if (comment.deleted)
                continue;
            comment.deleted = true;
            --m_liveComments;
            m_deletedComments.append(comment.id);
        }
    }
    // [doc] 204 or 200. Session and comment deletes answer 204, document deletes 200, so a
    // client has to accept both.
    return SandboxReply::empty(204);
}

SandboxReply ScriptixService::getDocument(const SandboxRequest &request, const RouteParams &params)
{
    SandboxReply error;
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;
    int index = -1;
    const Document *document = findDocument(owner, params, &index, &error);
    if (!document)
        return error;
    const Session &session = m_sessions.at(index);
    const QJsonObject result { { QStringLiteral("id"), document->id },
                               { QStringLiteral("created"), iso(document->created) },
                               { QStringLiteral("last_modified"), iso(document->lastModified) },
                               { QStringLiteral("filename"), session.filename },
                               { QStringLiteral("type"), document->type },
                               { QStringLiteral("document"),
                                 transcriptSegments(session, *document) } };
    return SandboxReply::json(200, QJsonObject { { QStringLiteral("result"), result } });
}

SandboxReply ScriptixService::deleteDocument(const SandboxRequest &request,
                                             const RouteParams &params)
{
    SandboxReply error;
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;
    int index = -1;
    Document *document = findDocument(owner, params, &index, &error);
    if (!document)
        return error;
    document->deleted = true;
    --m_liveDocuments;
    m_deletedDocuments.append(document->id);
    for (Comment &comment : document->comments) {
        if (comment.deleted)
            continue;
        comment.deleted = true;
        --m_liveComments;
        m_deletedComments.append(comment.id);
    }
    return SandboxReply::json(200,
                              { { QStringLiteral("message"), QStringLiteral("Document deleted") },
                                { QStringLiteral("document_id"), document->id } });
}

SandboxReply ScriptixService::listComments(const SandboxRequest &request, const RouteParams &params)
{
    SandboxReply error;
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;
    Paging paging;
    QString message;
    if (!parsePaging(request, &paging, &message))
        return badRequest(message);
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
    const int owner = authenticate(request, &error);
    if (owner < 0)
        return error;
    int index = -1;
    Document *document = findDocument(owner, params, &index, &error);
    if (!document)
        return error;
    const QString commentId = params.value(QStringLiteral("cid"));
    for (Comment &comment : document->comments) {
        if (comment.id != commentId || comment.deleted)
            continue;
        comment.deleted = true;
        --m_liveComments;
        m_deletedComments.append(comment.id);
        return SandboxReply::empty(204);
    }
    return notFound(QStringLiteral("Comment"), commentId);
}

// ---------------------------------------------------------------------------------------------
// JSON

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
// Generation

void ScriptixService::populate(const DataSpec &spec)
{
    m_seed = spec.seed;
    m_sessions.clear();
    m_sessionIndex.clear();
    m_owners = QList<Owner>(m_tokens.size());
    m_deletedSessions.clear();
    m_deletedDocuments.clear();
    m_deletedComments.clear();
    m_sessionIds.init(10, mix(m_seed * 3 + 1));
    m_documentIds.init(10, mix(m_seed * 3 + 2));
    m_commentIds.init(8, mix(m_seed * 3 + 3));

    const int demoSessions = spec.scale > 0 ? spec.scale : defaultDemoSessions;
    m_sessions.reserve(demoSessions + otherSessions + 1);
    m_sessionIndex.reserve(demoSessions + otherSessions + 1);
    DataGenerator generator(spec.seed);
    for (int i = 0; i < demoSessions; ++i) {
        m_sessions.append(
            generateSession(generator, int(m_sessions.size()), demoOwner, spec.scale > 0 ? -1 : i));
    }
    for (int i = 0; i < otherSessions; ++i)
        m_sessions.append(generateSession(generator, int(m_sessions.size()), otherOwner, -1));
    addFixtureSession();

    // Totals come from the planned counts, so nothing has to be materialised to know them.
    m_liveSessions = int(m_sessions.size());
    m_visible.assign(size_t(m_sessions.size()), 1);
    m_liveDocuments = 0;
    m_liveComments = 0;
    for (int index = 0; index < m_sessions.size(); ++index) {
        const Session &session = m_sessions.at(index);
        m_sessionIndex.insert(session.sessionId, index);
        Owner &owner = m_owners[session.owner];
        owner.sessions.append(index);
        ++owner.live;
        if (session.materialized) {
            for (const Document &document : session.documents) {
                ++m_liveDocuments;
                m_liveComments += int(document.comments.size());
            }
            continue;
        }
        const int documents = plannedDocumentCount(session);
        m_liveDocuments += documents;
        for (int d = 0; d < documents; ++d)
            m_liveComments += plannedCommentCount(session, d);
    }
}

ScriptixService::Session ScriptixService::generateSession(DataGenerator &generator, int index,
                                                          int owner, int demoIndex) const
{
    Session session;
    session.sessionId = QStringLiteral("sess_") + m_sessionIds.make(quint64(index));
    session.numericId = 1001 + index;
    session.owner = owner;
    session.seed = mix((m_seed << 32) ^ quint64(index));

    const QDateTime created = generator.recentDateTime(365);
    session.createdAt = created.toSecsSinceEpoch();
    session.duration = generator.between(60, 90 * 60);
    session.language = generator.language();

    const int roll = generator.between(0, 99);
    session.status = roll < 80 ? QStringLiteral("finished")
        : roll < 92            ? QStringLiteral("processing")
                               : QStringLiteral("failed");
    // The small default set always shows every status, whatever the seed.
    if (demoIndex == 3)
        session.status = QStringLiteral("processing");
    else if (demoIndex == 8)
        session.status = QStringLiteral("failed");

    const QString last = slug(generator.lastName());
    const QString first = slug(generator.firstName());
    const QString day = created.date().toString(Qt::ISODate);
    QString dayCompact = day;
    dayCompact.remove(u'-');
    switch (generator.between(0, 6)) {
    case 0:
        session.filename = QStringLiteral("consult-") + day + u'-' + last + QStringLiteral(".m4a");
        break;
    case 1:
        session.filename = QStringLiteral("ward-round-") + last + QStringLiteral(".wav");
        break;
    case 2:
        session.filename
            = QStringLiteral("follow-up-") + last + u'-' + dayCompact + QStringLiteral(".mp3");
        break;
    case 3:
        session.filename
            = QStringLiteral("telehealth-") + last + u'-' + day + QStringLiteral(".mp4");
        break;
    case 4:
        session.filename = QStringLiteral("dictation-") + first + u'-'
            + QString::number(generator.between(1, 40)) + QStringLiteral(".m4a");
        break;
    case 5:
        session.filename = QStringLiteral("mdt-meeting-") + day + QStringLiteral(".webm");
        break;
    default:
        session.filename = QStringLiteral("discharge-") + last + QStringLiteral(".ogg");
        break;
    }
    const bool video = session.filename.endsWith(QStringLiteral(".mp4"))
        || session.filename.endsWith(QStringLiteral(".webm"));
    session.mediaType = video ? QStringLiteral("video") : QStringLiteral("audio");

    if (session.status == u"finished") {
        session.finishedAt = std::min(
            epochSeconds(), session.createdAt + session.duration / 3 + generator.between(30, 600));
    }
    return session;
}

int ScriptixService::plannedDocumentCount(const Session &session) const
{
    return 1 + int(mix(session.seed ^ 0xd0c5d0c5ULL) % maxDocumentsPerSession);
}

int ScriptixService::plannedCommentCount(const Session &session, int document) const
{
    return int(mix(session.seed + 0xc0117e47ULL * quint64(document + 1))
               % (maxCommentsPerDocument + 1));
}

QList<ScriptixService::Document> ScriptixService::generateDocuments(const Session &session,
                                                                    int index) const
{
    DataGenerator generator(fold(mix(session.seed ^ 0xa5a5a5a5ULL)));
    const qint64 now = epochSeconds();
    const qint64 ready
        = session.finishedAt > 0 ? session.finishedAt : std::min(now, session.createdAt + 60);
    // Mostly a transcript first; the types within one session are distinct.
    const int firstType = generator.chance(0.7) ? 0 : generator.between(1, 2);

    QList<Document> documents;
    const int count = plannedDocumentCount(session);
    for (int d = 0; d < count; ++d) {
        const quint64 counter = quint64(index) * maxDocumentsPerSession + quint64(d);
        Document document;
        document.id = QStringLiteral("doc_") + m_documentIds.make(counter);
        document.type = documentTypes().at((firstType + d) % documentTypes().size());
        document.name = baseName(session.filename) + QStringLiteral(" - ") + document.type;
        document.created = std::min(now, ready + qint64(d) * generator.between(5, 3600));
        document.lastModified = std::min(now, document.created + generator.between(0, 14 * 86400));
        document.contentSeed = fold(mix(session.seed + 7919ULL * quint64(d + 1)));
        qint64 when = document.created;
        const int comments = plannedCommentCount(session, d);
        for (int c = 0; c < comments; ++c) {
            when = std::min(now, when + generator.between(60, 5 * 86400));
            Comment comment;
            comment.id = QStringLiteral("comment_")
                + m_commentIds.make(counter * maxCommentsPerDocument + quint64(c));
            comment.text = generator.sentence(4, 14);
            comment.author = generator.clinicianName();
            comment.createdAt = when;
            document.comments.append(comment);
        }
        documents.append(document);
    }
    return documents;
}

void ScriptixService::ensureDocuments(int index)
{
    Session &session = m_sessions[index];
    if (session.materialized)
        return;
    session.documents = generateDocuments(session, index);
    session.materialized = true;
}

void ScriptixService::addFixtureSession()
{
    // The vendor page's examples, literally: sess_abc123 / doc_xyz789 / comment_456 under the
    // token YOUR_API_KEY. A second document and comments give every example work to do in any
    // order (comment, then document, then session).
    const auto at = [](const char *text) {
        return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toSecsSinceEpoch();
    };
    Session session;
    session.sessionId = QStringLiteral("sess_abc123");
    session.numericId = 1001 + int(m_sessions.size());
    session.owner = seedOwner;
    session.seed = mix(m_seed ^ 0xabc123ULL);
    session.filename = QStringLiteral("consult-2026-03-14-rivera.m4a");
    session.status = QStringLiteral("finished");
    session.language = QStringLiteral("en-GB");
    session.mediaType = QStringLiteral("audio");
    session.duration = 1264;
    session.createdAt = at("2026-03-14T10:22:05Z");
    session.finishedAt = at("2026-03-14T10:31:47Z");
    session.materialized = true;

    Document transcript;
    transcript.id = QStringLiteral("doc_xyz789");
    transcript.type = QStringLiteral("transcript");
    transcript.name = QStringLiteral("consult-2026-03-14-rivera - transcript");
    transcript.created = session.finishedAt;
    transcript.lastModified = at("2026-03-15T08:02:11Z");
    transcript.contentSeed = 456789;
    transcript.comments = {
        { QStringLiteral("comment_456"), QStringLiteral("Check the dosage mentioned at 02:15."),
          QStringLiteral("Dr Amara Okafor"), at("2026-03-14T11:05:00Z"), false },
        { QStringLiteral("comment_457"), QStringLiteral("Patient name spelled correctly now."),
          QStringLiteral("Dr Liam Rivera"), at("2026-03-14T12:40:30Z"), false },
    };

    Document summary;
    summary.id = QStringLiteral("doc_xyz790");
    summary.type = QStringLiteral("summary");
    summary.name = QStringLiteral("consult-2026-03-14-rivera - summary");
    summary.created = session.finishedAt + 42;
    summary.lastModified = summary.created;
    summary.contentSeed = 456790;
    summary.comments = { { QStringLiteral("comment_458"),
                           QStringLiteral("Summary approved for the referral letter."),
                           QStringLiteral("Dr Amara Okafor"), at("2026-03-15T09:12:00Z"), false } };

    session.documents = { transcript, summary };
    m_sessions.append(session);
}

namespace {

// LSD radix sort, 16 bits a pass: linear, and cheap even in an unoptimised build (where a
// comparison sort of 100,000 rows takes most of a second).
void radixSort(std::vector<quint64> &values)
{
    std::vector<quint64> buffer(values.size());
    std::vector<quint32> counts(1 << 16);
    const size_t size = values.size();
    for (int shift = 0; shift < 64; shift += 16) {
        quint64 *from = values.data();
        quint64 *to = buffer.data();
        quint32 *count = counts.data();
        std::fill(counts.begin(), counts.end(), 0);
        for (size_t i = 0; i < size; ++i)
            ++count[(from[i] >> shift) & 0xffff];
        quint32 total = 0;
        for (size_t bucket = 0; bucket < counts.size(); ++bucket) {
            const quint32 n = count[bucket];
            count[bucket] = total;
            total += n;
        }
        for (size_t i = 0; i < size; ++i)
            to[count[(from[i] >> shift) & 0xffff]++] = from[i];
        values.swap(buffer);
    }
}

// Sorts `order` by a 32-bit key, ties by index: a total order, so pages never overlap or skip.
template<typename KeyOf> void sortByNumber(QList<int> &order, KeyOf keyOf)
{
    std::vector<quint64> packed;
    packed.reserve(size_t(order.size()));
    for (const int index : std::as_const(order))
        packed.push_back(quint64(quint32(keyOf(index))) << 32 | quint32(index));
    radixSort(packed);
    for (qsizetype i = 0; i < order.size(); ++i)
        order[i] = int(packed[size_t(i)] & 0xffffffffu);
}

quint32 statusRank(const QString &status)
{
    // Alphabetical, like the strings themselves.
    if (status == u"failed")
        return 0;
    return status == u"finished" ? 1 : 2;
}

} // namespace

const QList<int> &ScriptixService::sortedSessions(Owner &owner, SortKey key)
{
    QList<int> &order = owner.sorted[key];
    if (owner.sortedReady[key])
        return order;
    // Built on first use after populate: deletes only hide rows, they never reorder them.
    order = owner.sessions;
    const Session *sessions = m_sessions.constData();
    switch (key) {
    case SortFilename: {
        // QStringList::sort runs optimised inside QtCore. A NUL and the zero-padded index after
        // the name break ties by index; filenames are lower case by construction, so this is
        // also the case-insensitive order.
        QStringList keys;
        keys.reserve(order.size());
        for (const int index : std::as_const(order)) {
            keys.append(sessions[index].filename + QChar(0)
                        + QString::number(index).rightJustified(10, u'0'));
        }
        keys.sort();
        for (qsizetype i = 0; i < order.size(); ++i)
            order[i] = QStringView(keys.at(i)).right(10).toInt();
        break;
    }
    case SortDuration:
        sortByNumber(order, [sessions](int index) { return sessions[index].duration; });
        break;
    case SortStatus:
        sortByNumber(order, [sessions](int index) { return statusRank(sessions[index].status); });
        break;
    default:
        // Seconds since 1970 fit 32 bits until 2106.
        sortByNumber(order, [sessions](int index) { return sessions[index].createdAt; });
        break;
    }
    owner.sortedReady[key] = true;
    return order;
}

// ---------------------------------------------------------------------------------------------
// Control endpoint views

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
