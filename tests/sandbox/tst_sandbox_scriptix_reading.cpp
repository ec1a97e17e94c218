// The Scriptix part of docket-sandbox, checked against docs/services.md §4 through real HTTP on
// loopback as a client would see it: the tokens, the session list (pages, sorting, filters,
// validation), owners kept apart, one session, its transcript and its comments.
#include "scriptixsandbox.h"

#include <QSet>

using namespace scriptix;

class TestSandboxScriptixReading : public ScriptixSandbox
{
    Q_OBJECT

private Q_SLOTS:
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
};

void TestSandboxScriptixReading::credentialsAreAdvertised()
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

    const QJsonObject summary = m_sandbox.summary(service);
    const QJsonObject counts = summary.value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("sessions")).toInt(), 14 + 3 + 1);
    QVERIFY(counts.value(QStringLiteral("documents")).toInt() >= 18);
    QVERIFY(counts.value(QStringLiteral("comments")).toInt() >= 3);
    const QJsonObject deleted = summary.value(QStringLiteral("deleted")).toObject();
    for (const QString &kind :
         { QStringLiteral("sessions"), QStringLiteral("documents"), QStringLiteral("comments") })
        QVERIFY(deleted.value(kind).toArray().isEmpty());
}

void TestSandboxScriptixReading::listsSessionsWithDocumentedShape()
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
        VERIFY_CHECK(checkListItem(value.toObject()));
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

void TestSandboxScriptixReading::acceptsBothHeaderStyles()
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

void TestSandboxScriptixReading::rejectsMissingOrUnknownTokens()
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

void TestSandboxScriptixReading::paginatesEveryItemOnce()
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

void TestSandboxScriptixReading::sortsAndFilters()
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

void TestSandboxScriptixReading::validatesListParameters()
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

void TestSandboxScriptixReading::isolatesOwners()
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

void TestSandboxScriptixReading::getsOneSession()
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

void TestSandboxScriptixReading::getsTranscriptDocument()
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

void TestSandboxScriptixReading::listsComments()
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

QTEST_GUILESS_MAIN(TestSandboxScriptixReading)
#include "tst_sandbox_scriptix_reading.moc"
