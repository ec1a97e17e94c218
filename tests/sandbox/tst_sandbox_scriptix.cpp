// The Scriptix part of docket-sandbox, checked against docs/services.md §4 and the vendor's delete
// page, through real HTTP on loopback as a client would see it.
#include "sandboxprocess.h"
#include "testhttp.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QTest>

#include <functional>

// The helpers below use QVERIFY; these stop the calling test at the first failure.
#define VERIFY_OBJECT_ERROR(reply, status)                                                         \
    do {                                                                                           \
        checkObjectError(reply, status);                                                           \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)
#define VERIFY_STRING_ERROR(reply, status)                                                         \
    do {                                                                                           \
        checkStringError(reply, status);                                                           \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

namespace {

const QString service = QStringLiteral("scriptix");

bool isIsoUtc(const QJsonValue &value)
{
    const QString text = value.toString();
    return text.endsWith(u'Z') && QDateTime::fromString(text, Qt::ISODate).isValid();
}

QStringList idsOf(const QJsonArray &items, const QString &key)
{
    QStringList ids;
    for (const QJsonValue &item : items)
        ids.append(item.toObject().value(key).toString());
    return ids;
}

QJsonObject lastLogEntry(SandboxProcess &sandbox)
{
    return sandbox.requestLog(service)
        .value(QStringLiteral("requests"))
        .toArray()
        .last()
        .toObject();
}

} // namespace

class TestSandboxScriptix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void credentialsAreAdvertised();
    void listsSessionsWithDocumentedShape();
    void acceptsBothHeaderStyles();
    void rejectsMissingOrUnknownTokens();
    void paginatesEveryItemOnce();
    void sortsAndFilters();
    void validatesListParameters();
    void isolatesOwners();
    void getsOneSession();
    void getsTranscriptDocument();
    void listsComments();
    void deletesComment();
    void deletesDocumentWithItsComments();
    void deletesSessionWithEverythingInIt();
    void runsVendorExamplesLiterally();
    void routesHostileIdsCleanly();
    void answersUnknownRoutesInVendorShape();
    void rateLimitsPerToken();
    void staysFastAtScale();

private:
    QUrl url(const QStringList &segments, const QUrlQuery &query = {}) const
    {
        return urlWith(m_sandbox.baseUrl(service), segments, query);
    }
    static QStringList sessionPath(const QString &sid = {})
    {
        QStringList path { QStringLiteral("speech-to-text"), QStringLiteral("session") };
        if (!sid.isEmpty())
            path.append(sid);
        return path;
    }
    static QStringList documentPath(const QString &sid, const QString &did)
    {
        return sessionPath(sid) << QStringLiteral("document") << did;
    }
    static QStringList commentsPath(const QString &sid, const QString &did)
    {
        return documentPath(sid, did) << QStringLiteral("comments");
    }
    static HeaderPairs bearer(const QString &token)
    {
        return { { "Authorization", "Bearer " + token.toUtf8() } };
    }
    HeaderPairs demo() const { return bearer(m_token); }

    // Every session of a token, through the public list (default sort).
    QJsonArray allSessions(const QString &token);
    // A (session, document) of the demo token whose document has at least `comments` comments.
    bool findDocumentWithComments(int comments, QString *sid, QString *did);
    void checkListItem(const QJsonObject &item);
    void checkStringError(const TestReply &reply, int status);
    void checkObjectError(const TestReply &reply, int status);

    SandboxProcess m_sandbox;
    TestHttp m_http;
    QString m_token;
    QString m_otherToken;
};

void TestSandboxScriptix::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_token = m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    m_otherToken = m_sandbox.credentials(service).value(QStringLiteral("otherToken")).toString();
    QVERIFY(!m_token.isEmpty());
    QVERIFY(!m_otherToken.isEmpty());
}

void TestSandboxScriptix::init()
{
    // Also forgets the rate limiter's history, so each test has its 60 requests a minute.
    QVERIFY(m_sandbox.reset());
}

QJsonArray TestSandboxScriptix::allSessions(const QString &token)
{
    const TestReply reply = m_http.get(
        url(sessionPath(), encodedQuery({ { QStringLiteral("limit"), QStringLiteral("100") } })),
        bearer(token));
    if (reply.status != 200)
        return {};
    return reply.json().value(QStringLiteral("result")).toArray();
}

bool TestSandboxScriptix::findDocumentWithComments(int comments, QString *sid, QString *did)
{
    // The fixture of the demo data is generated; ask the control endpoint where comments are.
    const QJsonArray all = m_sandbox.state(service).value(QStringLiteral("comments")).toArray();
    QHash<QString, int> perDocument;
    QHash<QString, QString> sessionOf;
    for (const QJsonValue &value : all) {
        const QJsonObject comment = value.toObject();
        if (comment.value(QStringLiteral("owner")).toString() != m_token)
            continue;
        const QString document = comment.value(QStringLiteral("document_id")).toString();
        ++perDocument[document];
        sessionOf.insert(document, comment.value(QStringLiteral("session_id")).toString());
    }
    for (auto it = perDocument.cbegin(); it != perDocument.cend(); ++it) {
        if (it.value() >= comments) {
            *did = it.key();
            *sid = sessionOf.value(it.key());
            return true;
        }
    }
    return false;
}

void TestSandboxScriptix::checkListItem(const QJsonObject &item)
{
    static const QStringList statuses
        = { QStringLiteral("finished"), QStringLiteral("processing"), QStringLiteral("failed") };
    static const QStringList types
        = { QStringLiteral("transcript"), QStringLiteral("summary"), QStringLiteral("captions") };
    const QString sid = item.value(QStringLiteral("session_id")).toString();
    QVERIFY2(sid.startsWith(QStringLiteral("sess_")), qPrintable(sid));
    QVERIFY(!item.value(QStringLiteral("filename")).toString().isEmpty());
    QVERIFY(statuses.contains(item.value(QStringLiteral("status")).toString()));
    QVERIFY(!item.value(QStringLiteral("language")).toString().isEmpty());
    QVERIFY(item.value(QStringLiteral("duration")).isDouble());
    const int duration = item.value(QStringLiteral("duration")).toInt();
    QVERIFY2(duration >= 60 && duration <= 90 * 60, qPrintable(QString::number(duration)));
    QVERIFY(isIsoUtc(item.value(QStringLiteral("created_at"))));
    const QJsonArray documents = item.value(QStringLiteral("documents")).toArray();
    QVERIFY(!documents.isEmpty() && documents.size() <= 3);
    QCOMPARE(item.value(QStringLiteral("document")).toObject(), documents.first().toObject());
    for (const QJsonValue &value : documents) {
        const QJsonObject document = value.toObject();
        QVERIFY(document.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("doc_")));
        QVERIFY(!document.value(QStringLiteral("name")).toString().isEmpty());
        QVERIFY(types.contains(document.value(QStringLiteral("type")).toString()));
    }
}

void TestSandboxScriptix::checkStringError(const TestReply &reply, int status)
{
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.isJsonObject(), reply.body.constData());
    QVERIFY(reply.json().value(QStringLiteral("error")).isString());
    const QJsonObject body = reply.json();
    QVERIFY(body.value(QStringLiteral("message")).isString()
            || body.value(QStringLiteral("error_description")).isString());
}

void TestSandboxScriptix::checkObjectError(const TestReply &reply, int status)
{
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.isJsonObject(), reply.body.constData());
    const QJsonObject error = reply.json().value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    QVERIFY(error.value(QStringLiteral("message")).isString());
    QVERIFY(error.contains(QStringLiteral("details")));
}

void TestSandboxScriptix::credentialsAreAdvertised()
{
    const QJsonObject credentials = m_sandbox.credentials(service);
    QCOMPARE(credentials.value(QStringLiteral("token")).toString(),
             QStringLiteral("scriptix-demo-7c1e4b9a2d"));
    QVERIFY(credentials.value(QStringLiteral("otherToken")).toString() != m_token);
    QCOMPARE(credentials.value(QStringLiteral("seedToken")).toString(),
             QStringLiteral("YOUR_API_KEY"));
    QCOMPARE(credentials.value(QStringLiteral("headerStyles")).toArray(),
             (QJsonArray { QStringLiteral("bearer"), QStringLiteral("x-zoom-s2t-key") }));
    QCOMPARE(credentials.value(QStringLiteral("rateLimitPerMinute")).toInt(), 60);
    QVERIFY(m_sandbox.baseUrl(service).path().endsWith(QStringLiteral("/api/v3")));

    const QJsonObject summary
        = m_sandbox.state().value(QStringLiteral("services")).toObject().value(service).toObject();
    const QJsonObject counts = summary.value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("sessions")).toInt(), 14 + 3 + 1);
    QVERIFY(counts.value(QStringLiteral("documents")).toInt() >= 18);
    QVERIFY(counts.value(QStringLiteral("comments")).toInt() >= 3);
    const QJsonObject deleted = summary.value(QStringLiteral("deleted")).toObject();
    for (const QString &kind :
         { QStringLiteral("sessions"), QStringLiteral("documents"), QStringLiteral("comments") })
        QVERIFY(deleted.value(kind).toArray().isEmpty());
}

void TestSandboxScriptix::listsSessionsWithDocumentedShape()
{
    const TestReply reply = m_http.get(url(sessionPath()), demo());
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    // Default limit 25 covers the 14 demo sessions.
    QCOMPARE(body.value(QStringLiteral("total_results")).toInt(), 14);
    QCOMPARE(body.value(QStringLiteral("count")).toInt(), 14);
    const QJsonArray result = body.value(QStringLiteral("result")).toArray();
    QCOMPARE(result.size(), 14);

    QSet<QString> statuses;
    QString previous;
    for (const QJsonValue &value : result) {
        checkListItem(value.toObject());
        if (QTest::currentTestFailed())
            return;
        statuses.insert(value.toObject().value(QStringLiteral("status")).toString());
        // Default sort: created_at, newest first.
        const QString created = value.toObject().value(QStringLiteral("created_at")).toString();
        if (!previous.isEmpty())
            QVERIFY(created <= previous);
        previous = created;
    }
    QCOMPARE(statuses,
             (QSet<QString> { QStringLiteral("finished"), QStringLiteral("processing"),
                              QStringLiteral("failed") }));
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.list")), 1);
}

void TestSandboxScriptix::acceptsBothHeaderStyles()
{
    const TestReply viaBearer = m_http.get(url(sessionPath()), demo());
    const TestReply viaKey
        = m_http.get(url(sessionPath()), { { "x-zoom-s2t-key", m_token.toUtf8() } });
    QCOMPARE(viaBearer.status, 200);
    QCOMPARE(viaKey.status, 200);
    QCOMPARE(viaKey.json(), viaBearer.json());
    // The scheme name is case-insensitive.
    QCOMPARE(m_http.get(url(sessionPath()), { { "Authorization", "bearer " + m_token.toUtf8() } })
                 .status,
             200);
}

void TestSandboxScriptix::rejectsMissingOrUnknownTokens()
{
    const QString sid
        = allSessions(m_token).first().toObject().value(QStringLiteral("session_id")).toString();
    const QList<HeaderPairs> wrong = {
        {},
        bearer(QStringLiteral("not-a-token")),
        { { "x-zoom-s2t-key", "scriptix-demo-7c1e4b9a2e" } },
        { { "Authorization", "Basic " + m_token.toUtf8().toBase64() } },
        { { "Authorization", "Bearer" } },
    };
    for (const HeaderPairs &headers : wrong) {
        for (const auto &[method, path] :
             QList<QPair<QByteArray, QStringList>> { { "GET", sessionPath() },
                                                     { "GET", sessionPath(sid) },
                                                     { "DELETE", sessionPath(sid) } }) {
            const TestReply reply = m_http.send(method, url(path), headers);
            QCOMPARE(reply.status, 401);
            QCOMPARE(reply.json().value(QStringLiteral("error")).toString(),
                     QStringLiteral("unauthorized"));
            QVERIFY(!reply.json().value(QStringLiteral("error_description")).toString().isEmpty());
        }
    }
    // Nothing was deleted by the refused DELETEs.
    QCOMPARE(m_http.get(url(sessionPath(sid)), demo()).status, 200);
    QVERIFY(m_sandbox.deletedIds(service, QStringLiteral("sessions")).isEmpty());
}

void TestSandboxScriptix::paginatesEveryItemOnce()
{
    QStringList seen;
    for (int offset = 0; offset < 20; offset += 5) {
        const TestReply reply
            = m_http.get(url(sessionPath(),
                             encodedQuery({ { QStringLiteral("offset"), QString::number(offset) },
                                            { QStringLiteral("limit"), QStringLiteral("5") } })),
                         demo());
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QCOMPARE(body.value(QStringLiteral("total_results")).toInt(), 14);
        const QJsonArray result = body.value(QStringLiteral("result")).toArray();
        QCOMPARE(body.value(QStringLiteral("count")).toInt(), result.size());
        QCOMPARE(result.size(), qBound(0, 14 - offset, 5));
        seen += idsOf(result, QStringLiteral("session_id"));
    }
    QCOMPARE(seen.size(), 14);
    QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 14);
    QCOMPARE(seen, idsOf(allSessions(m_token), QStringLiteral("session_id")));
    // Without offset/limit the defaults apply: the same as offset=0&limit=25.
    QCOMPARE(m_http.get(url(sessionPath()), demo()).json(),
             m_http
                 .get(url(sessionPath(),
                          encodedQuery({ { QStringLiteral("offset"), QStringLiteral("0") },
                                         { QStringLiteral("limit"), QStringLiteral("25") } })),
                      demo())
                 .json());
}

void TestSandboxScriptix::sortsAndFilters()
{
    const QJsonArray everything = allSessions(m_token);
    QCOMPARE(everything.size(), 14);
    for (const QString &sort : { QStringLiteral("created_at"), QStringLiteral("filename"),
                                 QStringLiteral("duration"), QStringLiteral("status") }) {
        for (const QString &direction : { QStringLiteral("asc"), QStringLiteral("desc") }) {
            QJsonArray walked;
            for (int offset = 0; offset < 14; offset += 6) {
                const TestReply reply = m_http.get(
                    url(sessionPath(),
                        encodedQuery({ { QStringLiteral("sort"), sort },
                                       { QStringLiteral("direction"), direction },
                                       { QStringLiteral("offset"), QString::number(offset) },
                                       { QStringLiteral("limit"), QStringLiteral("6") } })),
                    demo());
                QCOMPARE(reply.status, 200);
                for (const QJsonValue &value :
                     reply.json().value(QStringLiteral("result")).toArray())
                    walked.append(value);
            }
            QCOMPARE(walked.size(), 14);
            const QStringList ids = idsOf(walked, QStringLiteral("session_id"));
            QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 14);
            for (qsizetype i = 1; i < walked.size(); ++i) {
                const QJsonValue a = walked.at(i - 1).toObject().value(sort);
                const QJsonValue b = walked.at(i).toObject().value(sort);
                const bool inOrder = a.isDouble()
                    ? (direction == u"asc" ? a.toDouble() <= b.toDouble()
                                           : a.toDouble() >= b.toDouble())
                    : (direction == u"asc"
                           ? a.toString().compare(b.toString(), Qt::CaseInsensitive) <= 0
                           : a.toString().compare(b.toString(), Qt::CaseInsensitive) >= 0);
                QVERIFY2(inOrder, qPrintable(sort + u' ' + direction));
            }
        }
    }

    // q: case-insensitive substring of the filename; a value with & and = stays one value.
    const QString filename
        = everything.first().toObject().value(QStringLiteral("filename")).toString();
    const QString needle = filename.left(4).toUpper();
    int expected = 0;
    for (const QJsonValue &value : everything)
        expected += value.toObject()
                        .value(QStringLiteral("filename"))
                        .toString()
                        .contains(needle, Qt::CaseInsensitive);
    TestReply reply
        = m_http.get(url(sessionPath(), encodedQuery({ { QStringLiteral("q"), needle } })), demo());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("total_results")).toInt(), expected);
    for (const QJsonValue &value : reply.json().value(QStringLiteral("result")).toArray())
        QVERIFY(value.toObject()
                    .value(QStringLiteral("filename"))
                    .toString()
                    .contains(needle, Qt::CaseInsensitive));
    reply
        = m_http.get(url(sessionPath(),
                         encodedQuery({ { QStringLiteral("q"), QStringLiteral("x&sort=bogus") } })),
                     demo());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("total_results")).toInt(), 0);
    QCOMPARE(reply.json().value(QStringLiteral("count")).toInt(), 0);
    QVERIFY(reply.json().value(QStringLiteral("result")).toArray().isEmpty());
}

void TestSandboxScriptix::validatesListParameters()
{
    const QList<QPair<QString, QString>> invalid = {
        { QStringLiteral("offset"), QStringLiteral("-1") },
        { QStringLiteral("offset"), QStringLiteral("ten") },
        { QStringLiteral("offset"), QString() },
        { QStringLiteral("limit"), QStringLiteral("-5") },
        { QStringLiteral("limit"), QStringLiteral("0") },
        { QStringLiteral("limit"), QStringLiteral("1.5") },
        { QStringLiteral("sort"), QStringLiteral("size") },
        { QStringLiteral("direction"), QStringLiteral("sideways") },
    };
    for (const auto &item : invalid) {
        const TestReply reply = m_http.get(url(sessionPath(), encodedQuery({ item })), demo());
        checkStringError(reply, 400);
        if (QTest::currentTestFailed()) {
            qWarning() << "for" << item.first << '=' << item.second;
            return;
        }
    }
    // Larger limits are clamped, not refused; an offset past the end is an empty page.
    TestReply reply = m_http.get(
        url(sessionPath(), encodedQuery({ { QStringLiteral("limit"), QStringLiteral("1000") } })),
        demo());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("count")).toInt(), 14);
    reply = m_http.get(
        url(sessionPath(), encodedQuery({ { QStringLiteral("offset"), QStringLiteral("500") } })),
        demo());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("count")).toInt(), 0);
    QCOMPARE(reply.json().value(QStringLiteral("total_results")).toInt(), 14);

    // The comments list follows the same rules.
    QString sid;
    QString did;
    QVERIFY(findDocumentWithComments(1, &sid, &did));
    reply = m_http.get(url(commentsPath(sid, did),
                           encodedQuery({ { QStringLiteral("limit"), QStringLiteral("x") } })),
                       demo());
    VERIFY_STRING_ERROR(reply, 400);
}

void TestSandboxScriptix::isolatesOwners()
{
    const QStringList mine = idsOf(allSessions(m_token), QStringLiteral("session_id"));
    const QStringList theirs = idsOf(allSessions(m_otherToken), QStringLiteral("session_id"));
    QCOMPARE(theirs.size(), 3);
    for (const QString &sid : theirs)
        QVERIFY(!mine.contains(sid));
    QCOMPARE(idsOf(allSessions(QStringLiteral("YOUR_API_KEY")), QStringLiteral("session_id")),
             QStringList { QStringLiteral("sess_abc123") });
    QVERIFY(!mine.contains(QStringLiteral("sess_abc123")));

    // Another token's session, its documents and comments look exactly like missing ones.
    const QString foreign = theirs.first();
    const TestReply theirView = m_http.get(url(sessionPath(foreign)), bearer(m_otherToken));
    QCOMPARE(theirView.status, 200);
    const QString foreignDocument = theirView.json()
                                        .value(QStringLiteral("document"))
                                        .toObject()
                                        .value(QStringLiteral("id"))
                                        .toString();
    VERIFY_OBJECT_ERROR(m_http.get(url(sessionPath(foreign)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.get(url(sessionPath(QStringLiteral("sess_0000000000"))), demo()),
                        404);
    VERIFY_OBJECT_ERROR(m_http.del(url(sessionPath(foreign)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.get(url(documentPath(foreign, foreignDocument)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.del(url(documentPath(foreign, foreignDocument)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.get(url(commentsPath(foreign, foreignDocument)), demo()), 404);
    // A real document id under the wrong (own) session is not found either.
    VERIFY_OBJECT_ERROR(m_http.get(url(documentPath(mine.first(), foreignDocument)), demo()), 404);
    QCOMPARE(m_http.get(url(sessionPath(foreign)), bearer(m_otherToken)).status, 200);
    QCOMPARE(allSessions(m_otherToken).size(), 3);
}

void TestSandboxScriptix::getsOneSession()
{
    const QJsonArray sessions = allSessions(m_token);
    QSet<int> numericIds;
    for (const QJsonValue &value : sessions) {
        const QJsonObject item = value.toObject();
        const QString sid = item.value(QStringLiteral("session_id")).toString();
        const TestReply reply = m_http.get(url(sessionPath(sid)), demo());
        QCOMPARE(reply.status, 200);
        const QJsonObject session = reply.json();
        QVERIFY(session.value(QStringLiteral("id")).isDouble());
        numericIds.insert(session.value(QStringLiteral("id")).toInt());
        QVERIFY(QStringList({ QStringLiteral("audio"), QStringLiteral("video") })
                    .contains(session.value(QStringLiteral("media_type")).toString()));
        // Everything the list shows agrees with the single view.
        for (auto it = item.constBegin(); it != item.constEnd(); ++it)
            QCOMPARE(session.value(it.key()), it.value());
        if (session.value(QStringLiteral("status")).toString() == u"finished") {
            QVERIFY(isIsoUtc(session.value(QStringLiteral("finished_at"))));
            QVERIFY(session.value(QStringLiteral("finished_at")).toString()
                    >= session.value(QStringLiteral("created_at")).toString());
        } else {
            QVERIFY(session.value(QStringLiteral("finished_at")).isNull());
        }
    }
    QCOMPARE(numericIds.size(), 14);
}

void TestSandboxScriptix::getsTranscriptDocument()
{
    const QJsonObject session = allSessions(m_token).first().toObject();
    const QString sid = session.value(QStringLiteral("session_id")).toString();
    for (const QJsonValue &value : session.value(QStringLiteral("documents")).toArray()) {
        const QJsonObject ref = value.toObject();
        const QString did = ref.value(QStringLiteral("id")).toString();
        const TestReply reply = m_http.get(url(documentPath(sid, did)), demo());
        QCOMPARE(reply.status, 200);
        const QJsonObject result = reply.json().value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("id")).toString(), did);
        QCOMPARE(result.value(QStringLiteral("type")), ref.value(QStringLiteral("type")));
        QCOMPARE(result.value(QStringLiteral("filename")),
                 session.value(QStringLiteral("filename")));
        QVERIFY(isIsoUtc(result.value(QStringLiteral("created"))));
        QVERIFY(isIsoUtc(result.value(QStringLiteral("last_modified"))));
        QVERIFY(result.value(QStringLiteral("last_modified")).toString()
                >= result.value(QStringLiteral("created")).toString());
        const QJsonArray segments = result.value(QStringLiteral("document")).toArray();
        QVERIFY(segments.size() >= 3);
        double previousStop = -1;
        for (const QJsonValue &segmentValue : segments) {
            const QJsonObject segment = segmentValue.toObject();
            QVERIFY(segment.value(QStringLiteral("start")).isDouble());
            QVERIFY(segment.value(QStringLiteral("stop")).isDouble());
            const double start = segment.value(QStringLiteral("start")).toDouble();
            const double stop = segment.value(QStringLiteral("stop")).toDouble();
            QVERIFY(start >= previousStop && stop > start);
            previousStop = stop;
            QVERIFY(QStringList({ QStringLiteral("Clinician"), QStringLiteral("Patient") })
                        .contains(segment.value(QStringLiteral("speaker")).toString()));
            QVERIFY(!segment.value(QStringLiteral("text")).toString().isEmpty());
        }
        // Generated lazily, but stable once observed.
        QCOMPARE(m_http.get(url(documentPath(sid, did)), demo()).body, reply.body);
    }
    VERIFY_OBJECT_ERROR(
        m_http.get(url(documentPath(sid, QStringLiteral("doc_missing000"))), demo()), 404);
}

void TestSandboxScriptix::listsComments()
{
    QString sid;
    QString did;
    QVERIFY(findDocumentWithComments(2, &sid, &did));
    const TestReply reply = m_http.get(url(commentsPath(sid, did)), demo());
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    const int total = body.value(QStringLiteral("total_results")).toInt();
    QVERIFY(total >= 2);
    const QJsonArray comments = body.value(QStringLiteral("result")).toArray();
    QCOMPARE(comments.size(), total);
    QCOMPARE(body.value(QStringLiteral("count")).toInt(), total);
    for (const QJsonValue &value : comments) {
        const QJsonObject comment = value.toObject();
        QVERIFY(
            comment.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("comment_")));
        QVERIFY(!comment.value(QStringLiteral("text")).toString().isEmpty());
        QVERIFY(!comment.value(QStringLiteral("author")).toString().isEmpty());
        QVERIFY(isIsoUtc(comment.value(QStringLiteral("created_at"))));
    }
    // One per page still covers every comment exactly once.
    QStringList walked;
    for (int offset = 0; offset <= total; ++offset) {
        const TestReply page
            = m_http.get(url(commentsPath(sid, did),
                             encodedQuery({ { QStringLiteral("offset"), QString::number(offset) },
                                            { QStringLiteral("limit"), QStringLiteral("1") } })),
                         demo());
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json().value(QStringLiteral("total_results")).toInt(), total);
        walked
            += idsOf(page.json().value(QStringLiteral("result")).toArray(), QStringLiteral("id"));
    }
    QCOMPARE(walked, idsOf(comments, QStringLiteral("id")));
}

void TestSandboxScriptix::deletesComment()
{
    QString sid;
    QString did;
    QVERIFY(findDocumentWithComments(1, &sid, &did));
    const QJsonArray before = m_http.get(url(commentsPath(sid, did)), demo())
                                  .json()
                                  .value(QStringLiteral("result"))
                                  .toArray();
    const QString cid = before.first().toObject().value(QStringLiteral("id")).toString();
    const int commentsBefore = m_sandbox.state()
                                   .value(QStringLiteral("services"))
                                   .toObject()
                                   .value(service)
                                   .toObject()
                                   .value(QStringLiteral("counts"))
                                   .toObject()
                                   .value(QStringLiteral("comments"))
                                   .toInt();

    const TestReply reply = m_http.del(url(commentsPath(sid, did) << cid), demo());
    QCOMPARE(reply.status, 204);
    QVERIFY(reply.body.isEmpty());

    const TestReply after = m_http.get(url(commentsPath(sid, did)), demo());
    QCOMPARE(after.json().value(QStringLiteral("total_results")).toInt(), before.size() - 1);
    QVERIFY(!idsOf(after.json().value(QStringLiteral("result")).toArray(), QStringLiteral("id"))
                 .contains(cid));
    VERIFY_OBJECT_ERROR(m_http.del(url(commentsPath(sid, did) << cid), demo()), 404);
    // The document itself is untouched.
    QCOMPARE(m_http.get(url(documentPath(sid, did)), demo()).status, 200);

    const QJsonObject summary
        = m_sandbox.state().value(QStringLiteral("services")).toObject().value(service).toObject();
    QCOMPARE(summary.value(QStringLiteral("counts"))
                 .toObject()
                 .value(QStringLiteral("comments"))
                 .toInt(),
             commentsBefore - 1);
    const QJsonObject deleted = summary.value(QStringLiteral("deleted")).toObject();
    QCOMPARE(deleted.value(QStringLiteral("comments")).toArray(), QJsonArray { cid });
    QVERIFY(deleted.value(QStringLiteral("documents")).toArray().isEmpty());
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("comments")).toArray()) {
        const QJsonObject comment = value.toObject();
        if (comment.value(QStringLiteral("id")).toString() == cid)
            QVERIFY(comment.value(QStringLiteral("deleted")).toBool());
    }
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("comment.delete")), 2);
}

void TestSandboxScriptix::deletesDocumentWithItsComments()
{
    QString sid;
    QString did;
    QVERIFY(findDocumentWithComments(1, &sid, &did));
    const QStringList comments = idsOf(m_http.get(url(commentsPath(sid, did)), demo())
                                           .json()
                                           .value(QStringLiteral("result"))
                                           .toArray(),
                                       QStringLiteral("id"));

    const TestReply reply = m_http.del(url(documentPath(sid, did)), demo());
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().value(QStringLiteral("message")).isString());

    VERIFY_OBJECT_ERROR(m_http.get(url(documentPath(sid, did)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.get(url(commentsPath(sid, did)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.del(url(commentsPath(sid, did) << comments.first()), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.del(url(documentPath(sid, did)), demo()), 404);

    // The session stays, without the document, in the single view and in the list.
    const TestReply session = m_http.get(url(sessionPath(sid)), demo());
    QCOMPARE(session.status, 200);
    QVERIFY(
        !idsOf(session.json().value(QStringLiteral("documents")).toArray(), QStringLiteral("id"))
             .contains(did));
    for (const QJsonValue &value : allSessions(m_token)) {
        if (value.toObject().value(QStringLiteral("session_id")).toString() == sid) {
            QVERIFY(!idsOf(value.toObject().value(QStringLiteral("documents")).toArray(),
                           QStringLiteral("id"))
                         .contains(did));
            QVERIFY(value.toObject()
                        .value(QStringLiteral("document"))
                        .toObject()
                        .value(QStringLiteral("id"))
                    != did);
        }
    }

    const QJsonObject deleted = m_sandbox.state()
                                    .value(QStringLiteral("services"))
                                    .toObject()
                                    .value(service)
                                    .toObject()
                                    .value(QStringLiteral("deleted"))
                                    .toObject();
    QCOMPARE(deleted.value(QStringLiteral("documents")).toArray(), QJsonArray { did });
    QCOMPARE(deleted.value(QStringLiteral("comments")).toArray(),
             QJsonArray::fromStringList(comments));
    QVERIFY(deleted.value(QStringLiteral("sessions")).toArray().isEmpty());
}

void TestSandboxScriptix::deletesSessionWithEverythingInIt()
{
    QString sid;
    QString did;
    QVERIFY(findDocumentWithComments(1, &sid, &did));
    const QJsonObject session = m_http.get(url(sessionPath(sid)), demo()).json();
    const QStringList documents
        = idsOf(session.value(QStringLiteral("documents")).toArray(), QStringLiteral("id"));
    QVERIFY(documents.contains(did));

    const TestReply reply = m_http.del(url(sessionPath(sid)), demo());
    QCOMPARE(reply.status, 204);
    QVERIFY(reply.body.isEmpty());

    VERIFY_OBJECT_ERROR(m_http.get(url(sessionPath(sid)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.get(url(documentPath(sid, did)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.get(url(commentsPath(sid, did)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.del(url(documentPath(sid, did)), demo()), 404);
    VERIFY_OBJECT_ERROR(m_http.del(url(sessionPath(sid)), demo()), 404);
    const TestReply list = m_http.get(url(sessionPath()), demo());
    QCOMPARE(list.json().value(QStringLiteral("total_results")).toInt(), 13);
    QVERIFY(
        !idsOf(list.json().value(QStringLiteral("result")).toArray(), QStringLiteral("session_id"))
             .contains(sid));

    const QJsonObject detail = m_sandbox.state(service);
    QStringList cascaded;
    for (const QJsonValue &value : detail.value(QStringLiteral("comments")).toArray()) {
        const QJsonObject comment = value.toObject();
        if (comment.value(QStringLiteral("session_id")).toString() == sid) {
            QVERIFY(comment.value(QStringLiteral("deleted")).toBool());
            cascaded.append(comment.value(QStringLiteral("id")).toString());
        }
    }
    QVERIFY(!cascaded.isEmpty());
    for (const QJsonValue &value : detail.value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject item = value.toObject();
        QCOMPARE(item.value(QStringLiteral("deleted")).toBool(),
                 item.value(QStringLiteral("session_id")).toString() == sid);
    }
    const QJsonObject summary
        = m_sandbox.state().value(QStringLiteral("services")).toObject().value(service).toObject();
    const QJsonObject deleted = summary.value(QStringLiteral("deleted")).toObject();
    QCOMPARE(deleted.value(QStringLiteral("sessions")).toArray(), QJsonArray { sid });
    QCOMPARE(deleted.value(QStringLiteral("documents")).toArray(),
             QJsonArray::fromStringList(documents));
    QCOMPARE(deleted.value(QStringLiteral("comments")).toArray(),
             QJsonArray::fromStringList(cascaded));
    QCOMPARE(summary.value(QStringLiteral("counts"))
                 .toObject()
                 .value(QStringLiteral("sessions"))
                 .toInt(),
             17);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 2);
}

void TestSandboxScriptix::runsVendorExamplesLiterally()
{
    // The vendor page's examples with only the host replaced: comment, document, then session.
    const HeaderPairs key = bearer(QStringLiteral("YOUR_API_KEY"));
    const QString base = m_sandbox.baseUrl(service).toString();
    const auto literal = [&](const char *path) {
        return QUrl(base + QString::fromLatin1(path));
    };
    TestReply reply = m_http.del(
        literal("/speech-to-text/session/sess_abc123/document/doc_xyz789/comments/comment_456"),
        key);
    QVERIFY2(reply.status == 200 || reply.status == 204, reply.body.constData());
    reply = m_http.del(literal("/speech-to-text/session/sess_abc123/document/doc_xyz789"), key);
    QVERIFY2(reply.status == 200 || reply.status == 204, reply.body.constData());
    // The session still has work: another document.
    QCOMPARE(m_http.get(literal("/speech-to-text/session/sess_abc123"), key)
                 .json()
                 .value(QStringLiteral("documents"))
                 .toArray()
                 .size(),
             1);
    reply = m_http.del(literal("/speech-to-text/session/sess_abc123"), key);
    QVERIFY2(reply.status == 200 || reply.status == 204, reply.body.constData());
    QVERIFY(allSessions(QStringLiteral("YOUR_API_KEY")).isEmpty());

    // In the other order, the session delete alone succeeds, the rest is "already deleted".
    QVERIFY(m_sandbox.reset());
    reply = m_http.del(literal("/speech-to-text/session/sess_abc123"), key);
    QVERIFY(reply.status == 200 || reply.status == 204);
    VERIFY_OBJECT_ERROR(
        m_http.del(literal("/speech-to-text/session/sess_abc123/document/doc_xyz789"), key), 404);
    VERIFY_OBJECT_ERROR(
        m_http.del(
            literal("/speech-to-text/session/sess_abc123/document/doc_xyz789/comments/comment_456"),
            key),
        404);
    const QJsonObject deleted = m_sandbox.state()
                                    .value(QStringLiteral("services"))
                                    .toObject()
                                    .value(service)
                                    .toObject()
                                    .value(QStringLiteral("deleted"))
                                    .toObject();
    QCOMPARE(deleted.value(QStringLiteral("sessions")).toArray(),
             QJsonArray { QStringLiteral("sess_abc123") });
    QVERIFY(deleted.value(QStringLiteral("documents"))
                .toArray()
                .contains(QStringLiteral("doc_xyz789")));
    QVERIFY(deleted.value(QStringLiteral("comments"))
                .toArray()
                .contains(QStringLiteral("comment_456")));

    // The demo token cannot touch the fixture.
    QVERIFY(m_sandbox.reset());
    VERIFY_OBJECT_ERROR(m_http.del(literal("/speech-to-text/session/sess_abc123"), demo()), 404);
}

void TestSandboxScriptix::routesHostileIdsCleanly()
{
    const QJsonObject first = allSessions(m_token).first().toObject();
    const QString sid = first.value(QStringLiteral("session_id")).toString();
    const QString did
        = first.value(QStringLiteral("document")).toObject().value(QStringLiteral("id")).toString();
    const QStringList hostile = {
        QStringLiteral("../x"),
        QStringLiteral("../") + sid,
        QStringLiteral("a?b=c"),
        QStringLiteral("#frag"),
        QStringLiteral("%2F"),
        sid + QStringLiteral("/document/") + did,
        QStringLiteral("sess_\u00e9\u4f1a\u8bdd"),
        QString(10 * 1024, u'x'),
    };
    struct Probe
    {
        QByteArray method;
        QString route;
        std::function<QStringList(const QString &)> path;
    };
    const QList<Probe> probes = {
        { "GET", QStringLiteral("session.get"),
          [](const QString &id) {
              return sessionPath(id);
          } },
        { "DELETE", QStringLiteral("session.delete"),
          [](const QString &id) {
              return sessionPath(id);
          } },
        { "GET", QStringLiteral("document.get"),
          [sid](const QString &id) {
              return documentPath(sid, id);
          } },
        { "DELETE", QStringLiteral("document.delete"),
          [sid](const QString &id) {
              return documentPath(sid, id);
          } },
        { "GET", QStringLiteral("comment.list"),
          [sid](const QString &id) {
              return commentsPath(sid, id);
          } },
        { "DELETE", QStringLiteral("comment.delete"),
          [sid, did](const QString &id) {
              return commentsPath(sid, did) << id;
          } },
    };
    for (const QString &id : hostile) {
        for (const Probe &probe : probes) {
            const TestReply reply = m_http.send(probe.method, url(probe.path(id)), demo());
            QVERIFY2(reply.status == 404, qPrintable(probe.route + u' ' + id.left(40)));
            VERIFY_OBJECT_ERROR(reply, 404);
            const QJsonObject entry = lastLogEntry(m_sandbox);
            QCOMPARE(entry.value(QStringLiteral("route")).toString(), probe.route);
            QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 404);
        }
    }
    // Nothing was deleted, and the real ids still work.
    const QJsonObject deleted = m_sandbox.state()
                                    .value(QStringLiteral("services"))
                                    .toObject()
                                    .value(service)
                                    .toObject()
                                    .value(QStringLiteral("deleted"))
                                    .toObject();
    QVERIFY(deleted.value(QStringLiteral("sessions")).toArray().isEmpty());
    QVERIFY(deleted.value(QStringLiteral("documents")).toArray().isEmpty());
    QVERIFY(deleted.value(QStringLiteral("comments")).toArray().isEmpty());
    QCOMPARE(m_http.get(url(documentPath(sid, did)), demo()).status, 200);
}

void TestSandboxScriptix::answersUnknownRoutesInVendorShape()
{
    VERIFY_OBJECT_ERROR(
        m_http.get(url({ QStringLiteral("speech-to-text"), QStringLiteral("nothing") }), demo()),
        404);
    const QString sid
        = allSessions(m_token).first().toObject().value(QStringLiteral("session_id")).toString();
    VERIFY_STRING_ERROR(m_http.send("PUT", url(sessionPath(sid)), demo(), "{}"), 405);
    // Injected faults use the same shapes.
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), service },
                                 { QStringLiteral("route"), QStringLiteral("session.get") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 503 },
                                 { QStringLiteral("count"), 1 } }));
    VERIFY_STRING_ERROR(m_http.get(url(sessionPath(sid)), demo()), 503);
    QCOMPARE(m_http.get(url(sessionPath(sid)), demo()).status, 200);
}

void TestSandboxScriptix::rateLimitsPerToken()
{
    const QUrl list
        = url(sessionPath(), encodedQuery({ { QStringLiteral("limit"), QStringLiteral("1") } }));
    for (int i = 0; i < 60; ++i)
        QCOMPARE(m_http.get(list, demo()).status, 200);
    const TestReply limited = m_http.get(list, demo());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.json().value(QStringLiteral("error")).toString(),
             QStringLiteral("rate_limit_exceeded"));
    QVERIFY(limited.json().value(QStringLiteral("message")).isString());
    QVERIFY(!limited.headers.contains("retry-after"));
    // Per token: the same token through the other header is the same budget, another is not.
    QCOMPARE(m_http.get(list, { { "x-zoom-s2t-key", m_token.toUtf8() } }).status, 429);
    QCOMPARE(m_http.get(list, bearer(m_otherToken)).status, 200);
}

void TestSandboxScriptix::staysFastAtScale()
{
    SandboxProcess large({ QStringLiteral("--scale"), QStringLiteral("100000"),
                           QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0"),
                           QStringLiteral("--quiet") });
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(large.start(), qPrintable(large.errorString()));
    qInfo() << "started with --scale 100000 in" << timer.elapsed() << "ms";
    const QUrl base = large.baseUrl(service);
    const QString token = large.credentials(service).value(QStringLiteral("token")).toString();
    const auto list = [&](const QList<QPair<QString, QString>> &query) {
        QElapsedTimer requestTimer;
        requestTimer.start();
        TestReply reply
            = m_http.get(urlWith(base, sessionPath(), encodedQuery(query)), bearer(token));
        // Generous for a debug build on a busy machine; in practice a few milliseconds.
        if (requestTimer.elapsed() > 1500)
            qWarning() << "slow list" << query << requestTimer.elapsed() << "ms";
        return reply;
    };

    TestReply reply = list({ { QStringLiteral("limit"), QStringLiteral("1000") } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("total_results")).toInt(), 100000);
    QCOMPARE(reply.json().value(QStringLiteral("count")).toInt(), 100);
    const QStringList firstPage = idsOf(reply.json().value(QStringLiteral("result")).toArray(),
                                        QStringLiteral("session_id"));
    QCOMPARE(QSet<QString>(firstPage.cbegin(), firstPage.cend()).size(), 100);

    reply = list({ { QStringLiteral("offset"), QStringLiteral("99950") },
                   { QStringLiteral("limit"), QStringLiteral("100") },
                   { QStringLiteral("sort"), QStringLiteral("filename") },
                   { QStringLiteral("direction"), QStringLiteral("asc") } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("count")).toInt(), 50);
    reply = list({ { QStringLiteral("q"), QStringLiteral("WARD-ROUND") } });
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().value(QStringLiteral("total_results")).toInt() > 1000);

    // A delete is visible in later pages and in the summary.
    const QString sid = firstPage.first();
    QCOMPARE(m_http.del(urlWith(base, sessionPath(sid)), bearer(token)).status, 204);
    reply = list({ { QStringLiteral("limit"), QStringLiteral("100") } });
    QCOMPARE(reply.json().value(QStringLiteral("total_results")).toInt(), 99999);
    QCOMPARE(
        idsOf(reply.json().value(QStringLiteral("result")).toArray(), QStringLiteral("session_id")),
        firstPage.mid(1) << idsOf(reply.json().value(QStringLiteral("result")).toArray(),
                                  QStringLiteral("session_id"))
                                .last());
    const QJsonObject summary
        = large.state().value(QStringLiteral("services")).toObject().value(service).toObject();
    QCOMPARE(summary.value(QStringLiteral("counts"))
                 .toObject()
                 .value(QStringLiteral("sessions"))
                 .toInt(),
             100000 + 3 + 1 - 1);
    QCOMPARE(summary.value(QStringLiteral("deleted"))
                 .toObject()
                 .value(QStringLiteral("sessions"))
                 .toArray(),
             QJsonArray { sid });
    qInfo() << "scale checks took" << timer.elapsed() << "ms in all";
}

QTEST_GUILESS_MAIN(TestSandboxScriptix)
#include "tst_sandbox_scriptix.moc"
