// ScriptixConnector against docket-sandbox's faults (and, for the [gap] alternatives the sandbox
// does not produce, a tiny canned server): error statuses, rate limits, hangs, resets, bodies
// malformed or cut short, hostile ids. (The rest: tst_connector_scriptix_listing and _lookups.)

#include "cannedserver.h"
#include "scriptixsuite.h"

#include <limits>

using namespace Docket;

class TestScriptixFaults : public ScriptixSuite
{
    Q_OBJECT

private Q_SLOTS:
    void errorStatusesFailClearly_data();
    void errorStatusesFailClearly();
    void deleteErrorsKeepTheItem();
    void rateLimitIsWaitedOut();
    void hangIsATimeout();
    void resetIsAConnectionError();
    void malformedBodiesAreMalformed_data();
    void malformedBodiesAreMalformed();
    void truncatedBodyIsAnError();
    void hostileIdsReachOnlyTheirRoute_data();
    void hostileIdsReachOnlyTheirRoute();
    void dotIdsAreRefusedBeforeSending();
    void toleratesTheGapAlternatives();
    void countsBeyondAnIntDoNotWrap();
};

void TestScriptixFaults::errorStatusesFailClearly_data()
{
    addErrorStatusRows();
}

void TestScriptixFaults::errorStatusesFailClearly()
{
    QFETCH(int, status);
    auto client = makeClient(demoToken());
    const ListResult result
        = listTopLevelWithStatus(*client, QStringLiteral("session.list"), status);
    verifyHttpError(result, status);
    QVERIFY(!result.error.requestId.isEmpty());
    QVERIFY(!result.error.userMessage.contains(demoToken()));
    if (status == 401)
        QVERIFY(result.error.userMessage.contains(QStringLiteral("API token")));

    // The same status on a document list and a comment list.
    QVERIFY(addStatusFault(QStringLiteral("session.get"), status));
    const NodeRef document = commentedDocument();
    const ListResult documents = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { document.ids.at(0) } }, {}));
    QCOMPARE(documents.error.httpStatus, status);
    QVERIFY(addStatusFault(QStringLiteral("comment.list"), status));
    const ListResult comments = awaitList(client->connector->list(document, PageRequest {}));
    QCOMPARE(comments.error.httpStatus, status);
}

void TestScriptixFaults::deleteErrorsKeepTheItem()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QVERIFY(!sessions.isEmpty());
    for (int status : { 400, 401, 403, 409, 500, 503 }) {
        QVERIFY(addStatusFault(QStringLiteral("session.delete"), status));
        const DeleteResult result = awaitDelete(client->connector->remove(sessions.first()));
        QVERIFY(result.finished);
        QCOMPARE(result.error.kind, ApiError::Kind::Http);
        QCOMPARE(result.error.httpStatus, status);
    }
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());

    // An injected 404 is "already gone" like a real one.
    QVERIFY(addStatusFault(QStringLiteral("session.delete"), 404));
    const DeleteResult gone = awaitDelete(client->connector->remove(sessions.first()));
    QVERIFY(!gone.error.isError());
    QCOMPARE(gone.outcome, DeleteOutcome::AlreadyGone);
}

void TestScriptixFaults::rateLimitIsWaitedOut()
{
    auto client = makeClient(demoToken());
    verifyRateLimitIsWaitedOut(*client, QStringLiteral("session.list"), 14);
}

void TestScriptixFaults::hangIsATimeout()
{
    auto client = makeClient(demoToken());
    client->network.setDefaultTimeout(500);
    const ListResult result
        = listTopLevelWithFault(*client, QStringLiteral("session.list"), QStringLiteral("hang"));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Timeout);
    QVERIFY(!result.error.userMessage.isEmpty());

    QVERIFY(addFault(QStringLiteral("session.delete"), QStringLiteral("hang")));
    RemoteItem session;
    session.ref = { NodeKind::ScriptixSession, { QStringLiteral("sess_x") } };
    const DeleteResult deleteResult = awaitDelete(client->connector->remove(session));
    QCOMPARE(deleteResult.error.kind, ApiError::Kind::Timeout);
}

void TestScriptixFaults::resetIsAConnectionError()
{
    auto client = makeClient(demoToken());
    const ListResult result
        = listTopLevelWithFault(*client, QStringLiteral("session.list"), QStringLiteral("reset"));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Connection);
    QVERIFY(!result.error.userMessage.isEmpty());
}

void TestScriptixFaults::malformedBodiesAreMalformed_data()
{
    QTest::addColumn<QString>("route");
    QTest::newRow("session list") << QStringLiteral("session.list");
    QTest::newRow("session (documents)") << QStringLiteral("session.get");
    QTest::newRow("comment list") << QStringLiteral("comment.list");
    QTest::newRow("transcript") << QStringLiteral("document.get");
}

void TestScriptixFaults::malformedBodiesAreMalformed()
{
    QFETCH(QString, route);
    auto client = makeClient(demoToken());
    const NodeRef document = commentedDocument();
    QVERIFY(addFault(route, QStringLiteral("malformed")));
    ApiError error;
    if (route == u"session.list") {
        error = awaitList(client->connector->list(NodeRef {}, PageRequest {})).error;
    } else if (route == u"session.get") {
        error = awaitList(client->connector->list(
                              { NodeKind::ScriptixSession, { document.ids.at(0) } }, {}))
                    .error;
    } else if (route == u"comment.list") {
        error = awaitList(client->connector->list(document, PageRequest {})).error;
    } else {
        error = awaitSimple(client->connector->fetchDocument(document)).error;
    }
    QCOMPARE(error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY(!error.userMessage.isEmpty());

    if (route == u"session.list") {
        const SimpleResult signIn = awaitSimple(client->connector->signIn());
        QCOMPARE(signIn.error.kind, ApiError::Kind::MalformedResponse);
    }
}

void TestScriptixFaults::truncatedBodyIsAnError()
{
    auto client = makeClient(demoToken());
    client->network.setDefaultTimeout(2000);
    const ListResult result = listTopLevelWithFault(*client, QStringLiteral("session.list"),
                                                    QStringLiteral("truncated"));
    verifyCutShort(result);
    QVERIFY(!result.error.userMessage.isEmpty());
}

void TestScriptixFaults::hostileIdsReachOnlyTheirRoute_data()
{
    addHostileIdRows();
    QTest::newRow("slashes") << QStringLiteral("../../session/sess_x/../");
    QTest::newRow("unicode") << QStringLiteral("séance-日本-🎙");
    QTest::newRow("spaces") << QStringLiteral(" a b ");
    QTest::newRow("10 KB") << QString(10 * 1024, u'k');
}

void TestScriptixFaults::hostileIdsReachOnlyTheirRoute()
{
    QFETCH(QString, id);
    auto client = makeClient(demoToken());
    const NodeRef document = commentedDocument();
    const QString sid = document.ids.at(0);
    const QString did = document.ids.at(1);

    // (A 404 in Scriptix's shape is followed by a read of what holds the item: see
    // ScriptixConnector::checkRouted().)
    const auto expectRoute = [this](const QString &route, const QString &method) {
        const QJsonObject entry = lastLogEntry(route);
        QCOMPARE(entry.value(QStringLiteral("route")).toString(), route);
        QCOMPARE(entry.value(QStringLiteral("method")).toString(), method);
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 404);
    };

    RemoteItem item;
    item.ref = { NodeKind::ScriptixSession, { id } };
    DeleteResult result = awaitDelete(client->connector->remove(item));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("session.delete"), QStringLiteral("DELETE"));

    item.ref = { NodeKind::ScriptixDocument, { sid, id } };
    result = awaitDelete(client->connector->remove(item));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("document.delete"), QStringLiteral("DELETE"));

    item.ref = { NodeKind::ScriptixComment, { sid, did, id } };
    result = awaitDelete(client->connector->remove(item));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("comment.delete"), QStringLiteral("DELETE"));

    ListResult listed
        = awaitList(client->connector->list({ NodeKind::ScriptixSession, { id } }, PageRequest {}));
    QCOMPARE(listed.error.httpStatus, 404);
    expectRoute(QStringLiteral("session.get"), QStringLiteral("GET"));

    listed = awaitList(
        client->connector->list({ NodeKind::ScriptixDocument, { sid, id } }, PageRequest {}));
    QCOMPARE(listed.error.httpStatus, 404);
    expectRoute(QStringLiteral("comment.list"), QStringLiteral("GET"));

    const SimpleResult fetched = awaitSimple(
        client->connector->fetchDocument({ NodeKind::ScriptixDocument, { id, did } }));
    QCOMPARE(fetched.error.httpStatus, 404);
    expectRoute(QStringLiteral("document.get"), QStringLiteral("GET"));

    // Nothing anywhere was deleted.
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());
    QVERIFY(deleted(QStringLiteral("documents")).isEmpty());
    QVERIFY(deleted(QStringLiteral("comments")).isEmpty());
}

void TestScriptixFaults::dotIdsAreRefusedBeforeSending()
{
    // "." and ".." would be resolved as path steps by URL normalisation: never sent.
    auto client = makeClient(demoToken());
    for (const QString &id : { QStringLiteral("."), QStringLiteral(".."), QString() }) {
        RemoteItem item;
        item.ref = { NodeKind::ScriptixSession, { id } };
        QCOMPARE(awaitDelete(client->connector->remove(item)).error.kind,
                 ApiError::Kind::InvalidInput);
        item.ref = { NodeKind::ScriptixComment, { QStringLiteral("s"), id, QStringLiteral("c") } };
        QCOMPARE(awaitDelete(client->connector->remove(item)).error.kind,
                 ApiError::Kind::InvalidInput);
        QCOMPARE(awaitList(client->connector->list({ NodeKind::ScriptixSession, { id } }, {}))
                     .error.kind,
                 ApiError::Kind::InvalidInput);
    }
    QVERIFY(requestLog().isEmpty());
}

void TestScriptixFaults::toleratesTheGapAlternatives()
{
    CannedServer server;
    QVERIFY(server.listen());
    const QString base = QStringLiteral("/api/v3/speech-to-text/session");
    // The documented shape (docs/services.md §4): one "document" object and no "documents" list.
    server.bodies.insert(base + QStringLiteral("/s1"),
                         R"({"id": 7, "session_id": "s1", "filename": "a.m4a",
                             "document": {"id": "d1", "name": "a - transcript", "type": "transcript"}})");
    // No document at all.
    server.bodies.insert(base + QStringLiteral("/s2"),
                         R"({"session_id": "s2", "filename": "b.m4a", "document": null})");
    // Comments as a bare array, and numeric ids.
    server.bodies.insert(
        base + QStringLiteral("/s1/document/d1/comments"),
        R"([{"id": 1, "text": "one", "author": "A", "created_at": "2026-03-14T11:05:00Z"},
                             {"id": 2, "text": "two"}, "not an object"])");
    // Sessions without a total, with numbers as strings and missing fields.
    server.bodies.insert(base,
                         R"({"count": 2, "result": [{"session_id": "s1", "duration": "61.6"},
                                                     {"id": 9}]})");
    // A session object that is no session at all.
    server.bodies.insert(base + QStringLiteral("/s3"), R"({"unexpected": true})");
    // A list whose "result" is not a list.
    server.bodies.insert(base + QStringLiteral("/s4/document/d/comments"),
                         R"({"result": {"id": 1}})");

    auto client = makeClient(QStringLiteral("canned"), QStringLiteral("bearer"),
                             server.url(QStringLiteral("/api/v3")));

    ListResult result = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { QStringLiteral("s1") } }, {}));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(idsOf(result.page.items), QStringList { QStringLiteral("d1") });
    QCOMPARE(result.page.items.first().name, QStringLiteral("a - transcript"));

    result = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { QStringLiteral("s2") } }, {}));
    QVERIFY(!result.error.isError());
    QVERIFY(result.page.items.isEmpty());

    result = awaitList(client->connector->list(
        { NodeKind::ScriptixDocument, { QStringLiteral("s1"), QStringLiteral("d1") } },
        PageRequest { {}, 1 }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(idsOf(result.page.items), QStringList({ QStringLiteral("1"), QStringLiteral("2") }));
    QCOMPARE(result.page.total, 2);
    QVERIFY(!result.page.hasMore()); // a bare array is everything
    QVERIFY(result.page.items.first().created.isValid());
    QVERIFY(!result.page.items.last().created.isValid());

    result = awaitList(client->connector->list(NodeRef {}, PageRequest { {}, 2 }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.total, -1);
    QCOMPARE(idsOf(result.page.items), QStringList({ QStringLiteral("s1"), QStringLiteral("9") }));
    QCOMPARE(result.page.items.first().durationSeconds, 62);
    QCOMPARE(result.page.items.last().name, QStringLiteral("9"));
    QCOMPARE(result.page.items.last().durationSeconds, -1);
    QCOMPARE(result.page.nextCursor, QVariant(qint64(2))); // a full page, no total: maybe more

    result = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { QStringLiteral("s3") } }, {}));
    QCOMPARE(result.error.kind, ApiError::Kind::MalformedResponse);
    result = awaitList(client->connector->list(
        { NodeKind::ScriptixDocument, { QStringLiteral("s4"), QStringLiteral("d") } }, {}));
    QCOMPARE(result.error.kind, ApiError::Kind::MalformedResponse);
}

// total_results of 2^32 + 5 once became 5 (int of a long): the listing said it was done after the
// first page. Beyond an int it is INT_MAX, so more pages are still asked for.
void TestScriptixFaults::countsBeyondAnIntDoNotWrap()
{
    CannedServer server;
    QVERIFY(server.listen());
    server.bodies.insert(QStringLiteral("/api/v3/speech-to-text/session"),
                         R"({"total_results": 4294967301, "result": [
                               {"session_id": "s1", "duration": 1e300},
                               {"session_id": "s2", "duration": -61}]})");
    auto client = makeClient(QStringLiteral("canned"), QStringLiteral("bearer"),
                             server.url(QStringLiteral("/api/v3")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest { {}, 2 }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.total, std::numeric_limits<int>::max());
    QVERIFY(result.page.hasMore());
    QCOMPARE(result.page.nextCursor.toLongLong(), 2);
    QCOMPARE(result.page.items.size(), 2);
    QCOMPARE(result.page.items.at(0).durationSeconds, std::numeric_limits<int>::max());
    QCOMPARE(result.page.items.at(1).durationSeconds, -1); // unknown, not negative
}

QTEST_GUILESS_MAIN(TestScriptixFaults)
#include "tst_connector_scriptix_faults.moc"
