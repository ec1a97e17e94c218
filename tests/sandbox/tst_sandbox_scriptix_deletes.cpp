// The Scriptix part of docket-sandbox, checked against docs/services.md §4 and the vendor's delete
// page: comment, document and session deletes with their cascades, the page's own examples,
// hostile ids, unknown routes, the rate limit and a large sandbox.
#include "scriptixsandbox.h"

#include <QElapsedTimer>
#include <QSet>

#include <functional>

using namespace scriptix;

class TestSandboxScriptixDeletes : public ScriptixSandbox
{
    Q_OBJECT

private Q_SLOTS:
    void deletesComment();
    void deletesDocumentWithItsComments();
    void deletesSessionWithEverythingInIt();
    void runsVendorExamplesLiterally();
    void routesHostileIdsCleanly();
    void answersUnknownRoutesInVendorShape();
    void rateLimitsPerToken();
    void staysFastAtScale();
};

void TestSandboxScriptixDeletes::deletesComment()
{
    QString sid;
    QString did;
    QVERIFY(findDocumentWithComments(1, &sid, &did));
    const QJsonArray before = m_http.get(url(commentsPath(sid, did)), demo())
                                  .json()
                                  .value(QStringLiteral("result"))
                                  .toArray();
    const QString cid = before.first().toObject().value(QStringLiteral("id")).toString();
    const int commentsBefore = m_sandbox.count(service, QStringLiteral("comments"));

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

    QCOMPARE(m_sandbox.count(service, QStringLiteral("comments")), commentsBefore - 1);
    const QJsonObject deleted = deletedSoFar();
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

void TestSandboxScriptixDeletes::deletesDocumentWithItsComments()
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

    const QJsonObject deleted = deletedSoFar();
    QCOMPARE(deleted.value(QStringLiteral("documents")).toArray(), QJsonArray { did });
    QCOMPARE(deleted.value(QStringLiteral("comments")).toArray(),
             QJsonArray::fromStringList(comments));
    QVERIFY(deleted.value(QStringLiteral("sessions")).toArray().isEmpty());
}

void TestSandboxScriptixDeletes::deletesSessionWithEverythingInIt()
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
    const QJsonObject deleted = deletedSoFar();
    QCOMPARE(deleted.value(QStringLiteral("sessions")).toArray(), QJsonArray { sid });
    QCOMPARE(deleted.value(QStringLiteral("documents")).toArray(),
             QJsonArray::fromStringList(documents));
    QCOMPARE(deleted.value(QStringLiteral("comments")).toArray(),
             QJsonArray::fromStringList(cascaded));
    QCOMPARE(m_sandbox.count(service, QStringLiteral("sessions")), 17);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")), 2);
}

void TestSandboxScriptixDeletes::runsVendorExamplesLiterally()
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
    const QJsonObject deleted = deletedSoFar();
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

void TestSandboxScriptixDeletes::routesHostileIdsCleanly()
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
    const QJsonObject deleted = deletedSoFar();
    QVERIFY(deleted.value(QStringLiteral("sessions")).toArray().isEmpty());
    QVERIFY(deleted.value(QStringLiteral("documents")).toArray().isEmpty());
    QVERIFY(deleted.value(QStringLiteral("comments")).toArray().isEmpty());
    QCOMPARE(m_http.get(url(documentPath(sid, did)), demo()).status, 200);
}

void TestSandboxScriptixDeletes::answersUnknownRoutesInVendorShape()
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

void TestSandboxScriptixDeletes::rateLimitsPerToken()
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

void TestSandboxScriptixDeletes::staysFastAtScale()
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
    QCOMPARE(large.count(service, QStringLiteral("sessions")), 100000 + 3 + 1 - 1);
    QCOMPARE(large.deletedIds(service, QStringLiteral("sessions")), QStringList { sid });
    qInfo() << "scale checks took" << timer.elapsed() << "ms in all";
}

QTEST_GUILESS_MAIN(TestSandboxScriptixDeletes)
#include "tst_sandbox_scriptix_deletes.moc"
