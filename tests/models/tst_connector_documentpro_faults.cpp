// DocumentProConnector against docket-sandbox's faults (and, for the [gap] alternatives the
// sandbox does not produce, a tiny canned server): error statuses, rate limits, hangs, resets,
// bodies malformed or cut short, hostile ids. (The rest: tst_connector_documentpro_listing.)

#include "cannedserver.h"
#include "documentprosuite.h"

#include <QUrlQuery>

using namespace Docket;

class TestDocumentProFaults : public DocumentProSuite
{
    Q_OBJECT

private Q_SLOTS:
    void errorStatusesFailClearly_data();
    void errorStatusesFailClearly();
    void deleteErrorsKeepTheResult();
    void rateLimitIsWaitedOut();
    void hangIsATimeout();
    void resetIsAConnectionError();
    void malformedBodiesAreMalformed();
    void truncatedBodyIsAnError();
    void hostileIdsReachOnlyTheirRoute_data();
    void hostileIdsReachOnlyTheirRoute();
    void toleratesOtherPaginationKeys();
};

void TestDocumentProFaults::errorStatusesFailClearly_data()
{
    addErrorStatusRows();
}

void TestDocumentProFaults::errorStatusesFailClearly()
{
    QFETCH(int, status);
    auto client = makeClient(demoKey());
    const ListResult result
        = listTopLevelWithStatus(*client, QStringLiteral("documents.list"), status);
    verifyHttpError(result, status);
    QVERIFY(!result.error.serviceMessage.isEmpty()); // {success, error, message} was read
    QVERIFY(!result.error.userMessage.contains(demoKey()));
    if (status == 401)
        QVERIFY(result.error.userMessage.contains(QStringLiteral("API key")));

    QVERIFY(addStatusFault(QStringLiteral("result.get"), status));
    const SimpleResult fetched = awaitSimple(client->connector->fetchResult(
        { NodeKind::DocumentProResult,
          { QStringLiteral("d"), runIds(documentWithRuns(1)).first() } }));
    QCOMPARE(fetched.error.httpStatus, status);
}

void TestDocumentProFaults::deleteErrorsKeepTheResult()
{
    auto client = makeClient(demoKey());
    RemoteItem item;
    item.ref = firstResultOf(documentWithRuns(1));
    for (int status : { 400, 401, 403, 500, 503 }) {
        QVERIFY(addStatusFault(QStringLiteral("result.delete"), status));
        const DeleteResult result = awaitDelete(client->connector->remove(item));
        QCOMPARE(result.error.kind, ApiError::Kind::Http);
        QCOMPARE(result.error.httpStatus, status);
    }
    QVERIFY(deletedResults().isEmpty());
    // A 404 in DocumentPro's shape, while its document still lists the result: not gone.
    QVERIFY(addStatusFault(QStringLiteral("result.delete"), 404));
    const DeleteResult stillListed = awaitDelete(client->connector->remove(item));
    QCOMPARE(stillListed.outcome, DeleteOutcome::Failed);
    QVERIFY2(stillListed.error.userMessage.contains(QStringLiteral("still lists")),
             qPrintable(stillListed.error.userMessage));
    // The same 404 while the document listing cannot be read: not proven either.
    QVERIFY(addStatusFault(QStringLiteral("result.delete"), 404));
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("html404"),
                     { { QStringLiteral("count"), 1 } }));
    const DeleteResult unproven = awaitDelete(client->connector->remove(item));
    QCOMPARE(unproven.outcome, DeleteOutcome::Failed);
    QVERIFY2(unproven.error.userMessage.contains(QStringLiteral("base URL")),
             qPrintable(unproven.error.userMessage));
    QVERIFY(deletedResults().isEmpty());

    QVERIFY(addFault(QStringLiteral("result.delete"), QStringLiteral("reset"),
                     { { QStringLiteral("count"), 1 } }));
    // A reset connection: Qt re-sends an idempotent DELETE once when a kept-alive connection
    // drops before the answer, so either the job fails as a connection error and nothing went,
    // or the retry's answer counts; what the job says always matches what the server holds.
    QVERIFY(addFault(QStringLiteral("result.delete"), QStringLiteral("reset"),
                     { { QStringLiteral("count"), 1 } }));
    const DeleteResult reset = awaitDelete(client->connector->remove(item));
    QVERIFY(reset.finished);
    if (reset.error.isError()) {
        QCOMPARE(reset.error.kind, ApiError::Kind::Connection);
        QVERIFY(deletedResults().isEmpty());
    } else {
        QCOMPARE(reset.outcome, DeleteOutcome::Deleted);
        QCOMPARE(deletedResults(), QStringList { item.ref.id() });
        const QJsonArray log = requestLog();
        QCOMPARE(log.at(log.size() - 2).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("reset"));
    }
}

void TestDocumentProFaults::rateLimitIsWaitedOut()
{
    auto client = makeClient(demoKey());
    verifyRateLimitIsWaitedOut(*client, QStringLiteral("documents.list"), 9);
}

void TestDocumentProFaults::hangIsATimeout()
{
    auto client = makeClient(demoKey());
    client->network.setDefaultTimeout(500);
    const ListResult result
        = listTopLevelWithFault(*client, QStringLiteral("documents.list"), QStringLiteral("hang"));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Timeout);
    QVERIFY(!result.error.userMessage.isEmpty());

    // One run's fetch hanging fails the whole results list (and only once).
    QVERIFY(m_sandbox.clearFaults());
    QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("hang"),
                     { { QStringLiteral("count"), 1 } }));
    const ListResult results
        = awaitList(client->connector->list(documentRef(documentWithRuns(3)), PageRequest {}));
    QCOMPARE(results.error.kind, ApiError::Kind::Timeout);
}

void TestDocumentProFaults::resetIsAConnectionError()
{
    auto client = makeClient(demoKey());
    const ListResult result
        = listTopLevelWithFault(*client, QStringLiteral("documents.list"), QStringLiteral("reset"));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Connection);
}

void TestDocumentProFaults::malformedBodiesAreMalformed()
{
    auto client = makeClient(demoKey());
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("malformed")));
    QCOMPARE(awaitList(client->connector->list(NodeRef {}, PageRequest {})).error.kind,
             ApiError::Kind::MalformedResponse);
    QCOMPARE(awaitSimple(client->connector->signIn()).error.kind,
             ApiError::Kind::MalformedResponse);
    QVERIFY(m_sandbox.clearFaults());
    QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("malformed")));
    const SimpleResult fetched = awaitSimple(client->connector->fetchResult(
        { NodeKind::DocumentProResult,
          { QStringLiteral("d"), runIds(documentWithRuns(1)).first() } }));
    QCOMPARE(fetched.error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY(!fetched.error.userMessage.isEmpty());
}

void TestDocumentProFaults::truncatedBodyIsAnError()
{
    auto client = makeClient(demoKey());
    client->network.setDefaultTimeout(2000);
    verifyCutShort(listTopLevelWithFault(*client, QStringLiteral("documents.list"),
                                         QStringLiteral("truncated")));
}

void TestDocumentProFaults::hostileIdsReachOnlyTheirRoute_data()
{
    addHostileIdRows();
    QTest::newRow("ampersand") << QStringLiteral("x&request_id=");
    QTest::newRow("dots") << QStringLiteral("..");
    QTest::newRow("unicode") << QStringLiteral("résultat-日本-🧾");
    QTest::newRow("10 KB") << QString(10 * 1024, u'r');
}

void TestDocumentProFaults::hostileIdsReachOnlyTheirRoute()
{
    QFETCH(QString, id);
    auto client = makeClient(demoKey());
    // A real result's id after the hostile part: a parameter smuggled in must not reach it.
    const QString victim = runIds(documentWithRuns(1)).first();
    const QString hostile = id.endsWith(u'=') ? id + victim : id;

    const auto expectRoute = [this, &hostile](const QString &route, const QString &method,
                                              const QString &parameter) {
        const QJsonObject entry = lastLogEntry(route);
        QCOMPARE(entry.value(QStringLiteral("route")).toString(), route);
        QCOMPARE(entry.value(QStringLiteral("method")).toString(), method);
        const QUrlQuery query(
            QUrl(entry.value(QStringLiteral("path")).toString()).query(QUrl::FullyEncoded));
        QCOMPARE(query.allQueryItemValues(parameter, QUrl::FullyDecoded), QStringList { hostile });
    };

    RemoteItem item;
    item.ref = { NodeKind::DocumentProResult, { QStringLiteral("doc"), hostile } };
    const DeleteResult result = awaitDelete(client->connector->remove(item));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("result.delete"), QStringLiteral("DELETE"),
                QStringLiteral("request_id"));

    const SimpleResult fetched
        = awaitSimple(client->connector->fetchResult({ NodeKind::DocumentProResult, { hostile } }));
    QCOMPARE(fetched.error.httpStatus, 404);
    expectRoute(QStringLiteral("result.get"), QStringLiteral("GET"), QStringLiteral("request_id"));

    const ListResult listed = awaitList(
        client->connector->list({ NodeKind::DocumentProDocument, { hostile } }, PageRequest {}));
    QCOMPARE(listed.error.kind, ApiError::Kind::Http);
    QCOMPARE(listed.error.httpStatus, 404); // no such document
    expectRoute(QStringLiteral("documents.list"), QStringLiteral("GET"),
                QStringLiteral("document_id"));

    QVERIFY(deletedResults().isEmpty());
}

void TestDocumentProFaults::toleratesOtherPaginationKeys()
{
    CannedServer server;
    server.notFoundBody
        = R"({"success": false, "error": "not_found", "message": "nothing canned"})";
    QVERIFY(server.listen());
    const QByteArray document = R"({"document_id": "d%1", "file_name": "f%1.pdf", "num_pages": "3",
                                     "parser_runs": [{"request_id": "r%1", "template_title": "T"}, {}]})";
    const auto documentJson = [&document](int n) {
        return QString::fromUtf8(document).arg(n).toUtf8();
    };
    // A page key that is a JSON object (as DynamoDB hands them out), then a number, then the end.
    server.answer = [&](const QString &target) -> QByteArray {
        const QUrlQuery query(QUrl(target).query(QUrl::FullyEncoded));
        const QString key = query.queryItemValue(DocumentProConnector::paginationKeyParameter(),
                                                 QUrl::FullyDecoded);
        if (QUrl(target).path() == u"/files") {
            return R"({"request_id": "r1", "request_status": "completed",
                       "response_body": {"template_title": "Invoice", "num_pages": 2}})";
        }
        if (!query.queryItemValue(QStringLiteral("document_id")).isEmpty())
            return "{\"files\": [" + documentJson(1) + "]}";
        if (key.isEmpty())
            return "{\"files\": [" + documentJson(1)
                + R"(], "pagination_key": {"k": "a b", "n": 1}})";
        if (key == u"{\"k\":\"a b\",\"n\":1}")
            return "{\"files\": [" + documentJson(2) + R"(], "pagination_key": 42})";
        if (key == u"42")
            return "{\"files\": [" + documentJson(3) + R"(], "pagination_key": ""})";
        if (key == u"same")
            return R"({"files": [], "pagination_key": "same"})";
        return {};
    };
    auto client = makeClient(QStringLiteral("canned"), server.url());

    QList<RemoteItem> items;
    QVariant cursor;
    for (int page = 0; page < 4; ++page) {
        const ListResult result
            = awaitList(client->connector->list(NodeRef {}, PageRequest { cursor, 100 }));
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        items += result.page.items;
        cursor = result.page.nextCursor;
        if (!cursor.isValid())
            break;
    }
    QCOMPARE(idsOf(items),
             QStringList({ QStringLiteral("d1"), QStringLiteral("d2"), QStringLiteral("d3") }));
    QCOMPARE(items.first().pages, 3);
    QCOMPARE(server.targets.size(), 3);

    // A key that comes back unchanged would page forever: refused.
    const ListResult looping = awaitList(
        client->connector->list(NodeRef {}, PageRequest { QStringLiteral("same"), 100 }));
    QCOMPARE(looping.error.kind, ApiError::Kind::MalformedResponse);

    // A run without a request id cannot be shown; a result's missing fields have defaults.
    const ListResult results = awaitList(
        client->connector->list({ NodeKind::DocumentProDocument, { QStringLiteral("d1") } }, {}));
    QVERIFY2(!results.error.isError(), qPrintable(results.error.summary()));
    QCOMPARE(idsOf(results.page.items), QStringList { QStringLiteral("r1") });
    QCOMPARE(results.page.items.first().name, QStringLiteral("Invoice"));
    QCOMPARE(results.page.items.first().pages, 2);
    QVERIFY(!results.page.items.first().created.isValid());
}

QTEST_GUILESS_MAIN(TestDocumentProFaults)
#include "tst_connector_documentpro_faults.moc"
