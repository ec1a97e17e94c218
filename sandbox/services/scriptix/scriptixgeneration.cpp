#include "core/datagenerator.h"
#include "scriptixservice.h"

#include <algorithm>

namespace {

// Owners are indexes into m_tokens, in the order the constructor lists them.
constexpr int demoOwner = 0;
constexpr int otherOwner = 1;
constexpr int seedOwner = 2;

constexpr int defaultDemoSessions = 14;
constexpr int otherSessions = 3;
// Upper bounds of the generated counts; also the strides of the id counters.
constexpr int maxDocumentsPerSession = 3;
constexpr int maxCommentsPerDocument = 4;

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

} // namespace

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
// Sessions, documents, comments

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
