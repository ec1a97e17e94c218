// DocumentProConnector against the real docket-sandbox: sign-in, documents with pagination,
// parser results and their details, deletes. (Errors, faults and hostile ids:
// tst_connector_documentpro_faults.)

#include "documentprosuite.h"

#include <QSet>
#include <QUrlQuery>

using namespace Docket;

class TestDocumentProListing : public DocumentProSuite
{
    Q_OBJECT

private Q_SLOTS:
    void signInAcceptsTheKey();
    void signInRefusesAWrongKey();
    void signInWithoutAKeySendsNothing();
    void listsEveryDocumentOnceAcrossPages();
    void documentRowsCarryTheirFields();
    void listsTheResultsOfEveryDocument();
    void resultDeletedMeanwhileIsLeftOut();
    void resultFetchFailureFailsTheList();
    void fetchResultReturnsTheDetails();
    void deletesAResult();
    void readOnlyKeyCannotDelete();
    void documentsCannotBeDeleted();
};

void TestDocumentProListing::signInAcceptsTheKey()
{
    auto client = makeClient(demoKey());
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QVERIFY(!client->session->isSignedOut());
    const QJsonObject entry = lastLogEntry(QStringLiteral("documents.list"));
    QCOMPARE(entry.value(QStringLiteral("route")).toString(), QStringLiteral("documents.list"));
    QCOMPARE(entry.value(QStringLiteral("path")).toString(),
             QStringLiteral("/v1/documents?limit=1"));
    QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 200);
}

void TestDocumentProListing::signInRefusesAWrongKey()
{
    const QString wrong = QStringLiteral("dp_wrong_key_0000000000");
    auto client = makeClient(wrong);
    const SimpleResult result = awaitSimple(client->connector->signIn());
    verifySignInRefused(result, QStringLiteral("API key"), wrong);
    // The older error shape {"success": false, "error": text} is read too.
    QVERIFY2(result.error.serviceMessage.contains(QStringLiteral("invalid or missing API key")),
             qPrintable(result.error.serviceMessage));
}

void TestDocumentProListing::signInWithoutAKeySendsNothing()
{
    auto client = makeClient({});
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(!result.error.userMessage.isEmpty());
    auto newline = makeClient(QStringLiteral("dp\nX-Evil: 1"));
    QCOMPARE(awaitSimple(newline->connector->signIn()).error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(requestLog().isEmpty());
}

void TestDocumentProListing::listsEveryDocumentOnceAcrossPages()
{
    auto client = makeClient(demoKey());
    QList<RemoteItem> paged;
    int pages = 0;
    pageThroughTopLevel(*client, 4, -1 /* DocumentPro does not say */, 4, &paged, &pages);
    QCOMPARE(pages, 3);

    QStringList expected;
    for (const QJsonObject &document : demoDocuments())
        expected.append(document.value(QStringLiteral("document_id")).toString());
    QCOMPARE(expected.size(), 9);
    QCOMPARE(idsOf(paged), expected); // each once, in the server's order
    QCOMPARE(idsOf(allDocuments(*client)), expected);

    // The key went back under the (configurable) query name.
    int withKey = 0;
    for (const QJsonValue &entry : requestLog()) {
        const QUrlQuery query(QUrl(entry.toObject().value(QStringLiteral("path")).toString())
                                  .query(QUrl::FullyEncoded));
        if (query.hasQueryItem(DocumentProConnector::paginationKeyParameter()))
            ++withKey;
    }
    QCOMPARE(withKey, 2);
}

void TestDocumentProListing::documentRowsCarryTheirFields()
{
    auto client = makeClient(demoKey());
    const QList<RemoteItem> documents = allDocuments(*client);
    QCOMPARE(documents.size(), 9);
    QHash<QString, QJsonObject> truth;
    for (const QJsonObject &document : demoDocuments())
        truth.insert(document.value(QStringLiteral("document_id")).toString(), document);
    for (const RemoteItem &item : documents) {
        const QJsonObject expected = truth.value(item.ref.id());
        QCOMPARE(item.ref.kind, NodeKind::DocumentProDocument);
        QCOMPARE(item.name, expected.value(QStringLiteral("file_name")).toString());
        QCOMPARE(item.pages, expected.value(QStringLiteral("num_pages")).toInt());
        QVERIFY(item.created.isValid());
        QVERIFY(item.status.isEmpty());
        QCOMPARE(item.details.value(QStringLiteral("source_name")).toString(),
                 expected.value(QStringLiteral("source_name")).toString());
        QCOMPARE(item.details.value(QStringLiteral("file_extension")).toString(),
                 expected.value(QStringLiteral("file_extension")).toString());
        QStringList runs;
        for (const QVariant &run : item.details.value(QStringLiteral("parser_runs")).toList())
            runs.append(run.toMap().value(QStringLiteral("request_id")).toString());
        QCOMPARE(runs, runIds(expected));
        QCOMPARE(item.details.value(QStringLiteral("parser_run_count")).toInt(), runs.size());
    }
}

void TestDocumentProListing::listsTheResultsOfEveryDocument()
{
    auto client = makeClient(demoKey());
    const QHash<QString, QJsonObject> truth = results();
    QSet<QString> statuses;
    int total = 0;
    for (const RemoteItem &document : allDocuments(*client)) {
        const ListResult result = awaitList(client->connector->list(document.ref, PageRequest {}));
        verifyWholeList(result);
        QStringList expected;
        for (const QVariant &run : document.details.value(QStringLiteral("parser_runs")).toList())
            expected.append(run.toMap().value(QStringLiteral("request_id")).toString());
        QCOMPARE(idsOf(result.page.items), expected);
        for (const RemoteItem &item : result.page.items) {
            const QJsonObject expectedResult = truth.value(item.ref.id());
            QCOMPARE(item.ref.kind, NodeKind::DocumentProResult);
            QCOMPARE(item.ref.ids, QStringList({ document.ref.id(), item.ref.id() }));
            QCOMPARE(item.status,
                     expectedResult.value(QStringLiteral("request_status")).toString());
            QCOMPARE(item.name,
                     expectedResult.value(QStringLiteral("response_body"))
                         .toObject()
                         .value(QStringLiteral("template_title"))
                         .toString());
            QCOMPARE(item.pages, document.pages);
            QVERIFY(item.created.isValid());
            QVERIFY(!item.details.contains(QStringLiteral("file_presigned_url")));
            QVERIFY(!item.details.contains(QStringLiteral("result_json_data")));
            statuses.insert(item.status);
        }
        total += int(result.page.items.size());
    }
    QCOMPARE(total, 14);
    for (const char *status : { "pending", "processing", "completed", "failed", "exception" })
        QVERIFY2(statuses.contains(QLatin1String(status)), status);
    // Each document was read afresh by its id.
    QCOMPARE(m_sandbox.requestCount(m_service, QStringLiteral("result.get")), 14);
}

void TestDocumentProListing::resultDeletedMeanwhileIsLeftOut()
{
    auto client = makeClient(demoKey());
    const QJsonObject document = documentWithRuns(3);
    QVERIFY(!document.isEmpty());
    QVERIFY(addStatusFault(QStringLiteral("result.get"), 404));
    const ListResult result
        = awaitList(client->connector->list(documentRef(document), PageRequest {}));
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.items.size(), 2);
    QCOMPARE(result.page.total, 2);
    const QStringList all = runIds(document);
    const QStringList listed = idsOf(result.page.items);
    for (const QString &id : listed)
        QVERIFY(all.contains(id));

    // And for real: a result deleted elsewhere is simply not listed after a re-list.
    const QString gone = all.first();
    RemoteItem item;
    item.ref = { NodeKind::DocumentProResult,
                 { document.value(QStringLiteral("document_id")).toString(), gone } };
    QCOMPARE(awaitDelete(client->connector->remove(item)).outcome, DeleteOutcome::Deleted);
    const ListResult relisted
        = awaitList(client->connector->list(documentRef(document), PageRequest {}));
    QCOMPARE(idsOf(relisted.page.items), all.mid(1));
}

void TestDocumentProListing::resultFetchFailureFailsTheList()
{
    auto client = makeClient(demoKey());
    const NodeRef ref = documentRef(documentWithRuns(3));
    for (int status : { 500, 403, 401 }) {
        QVERIFY(addStatusFault(QStringLiteral("result.get"), status));
        const ListResult result = awaitList(client->connector->list(ref, PageRequest {}));
        QVERIFY(result.finished);
        QCOMPARE(result.error.kind, ApiError::Kind::Http);
        QCOMPARE(result.error.httpStatus, status);
    }
    QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("malformed"),
                     { { QStringLiteral("count"), 1 } }));
    QCOMPARE(awaitList(client->connector->list(ref, PageRequest {})).error.kind,
             ApiError::Kind::MalformedResponse);
    // The document list itself failing fails it too.
    QVERIFY(addStatusFault(QStringLiteral("documents.list"), 500));
    QCOMPARE(awaitList(client->connector->list(ref, PageRequest {})).error.httpStatus, 500);
    // Afterwards all is well again.
    QCOMPARE(awaitList(client->connector->list(ref, PageRequest {})).page.items.size(), 3);
}

void TestDocumentProListing::fetchResultReturnsTheDetails()
{
    auto client = makeClient(demoKey());
    const QHash<QString, QJsonObject> truth = results();
    QString completed;
    QString failed;
    for (const QJsonObject &document : demoDocuments()) {
        for (const QString &id : runIds(document)) {
            const QString status
                = truth.value(id).value(QStringLiteral("request_status")).toString();
            if (status == u"completed" && completed.isEmpty())
                completed = id;
            if (status == u"failed" && failed.isEmpty())
                failed = id;
        }
    }
    QVERIFY(!completed.isEmpty());
    QVERIFY(!failed.isEmpty());

    SimpleResult result = awaitSimple(client->connector->fetchResult(
        { NodeKind::DocumentProResult, { QStringLiteral("d"), completed } }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.data.value(QStringLiteral("request_id")).toString(), completed);
    QCOMPARE(result.data.value(QStringLiteral("request_status")).toString(),
             QStringLiteral("completed"));
    QVERIFY(!result.data.value(QStringLiteral("template_title")).toString().isEmpty());
    QVERIFY(!result.data.value(QStringLiteral("result_json_data")).toMap().isEmpty());
    QVERIFY(result.data.contains(QStringLiteral("user_error_msg")));
    QVERIFY(!result.data.contains(QStringLiteral("file_presigned_url")));

    result = awaitSimple(client->connector->fetchResult(
        { NodeKind::DocumentProResult, { QStringLiteral("d"), failed } }));
    QVERIFY(!result.error.isError());
    QVERIFY(!result.data.value(QStringLiteral("user_error_msg")).toString().isEmpty());
}

void TestDocumentProListing::deletesAResult()
{
    auto client = makeClient(demoKey());
    const QJsonObject document = documentWithRuns(2);
    const ListResult listed
        = awaitList(client->connector->list(documentRef(document), PageRequest {}));
    QVERIFY(!listed.error.isError());
    const RemoteItem result = listed.page.items.first();

    QVERIFY(client->connector->canDelete(NodeKind::DocumentProResult));
    const DeletePlan plan = client->connector->describeDelete(result);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Permanent);
    QVERIFY2(plan.explanation.contains(result.name), qPrintable(plan.explanation));
    QVERIFY(plan.explanation.contains(document.value(QStringLiteral("file_name")).toString()));
    QVERIFY(plan.explanation.contains(QStringLiteral("all its data and files")));
    QVERIFY(plan.explanation.contains(QStringLiteral("cannot be undone")));
    QVERIFY(!plan.cascade.isEmpty());

    const DeleteResult deleted = awaitDelete(client->connector->remove(result));
    QVERIFY2(!deleted.error.isError(), qPrintable(deleted.error.summary()));
    QCOMPARE(deleted.outcome, DeleteOutcome::Deleted);
    QCOMPARE(deleted.httpStatus, 200);
    QCOMPARE(deletedResults(), QStringList { result.ref.id() });
    const QJsonObject entry = lastLogEntry(QStringLiteral("result.delete"));
    QCOMPARE(entry.value(QStringLiteral("route")).toString(), QStringLiteral("result.delete"));

    const ListResult relisted
        = awaitList(client->connector->list(documentRef(document), PageRequest {}));
    QCOMPARE(relisted.page.items.size(), listed.page.items.size() - 1);
    QVERIFY(!idsOf(relisted.page.items).contains(result.ref.id()));

    const DeleteResult again = awaitDelete(client->connector->remove(result));
    QVERIFY(!again.error.isError());
    QCOMPARE(again.outcome, DeleteOutcome::AlreadyGone);
    QCOMPARE(again.httpStatus, 404);
}

void TestDocumentProListing::readOnlyKeyCannotDelete()
{
    auto client = makeClient(credential(QStringLiteral("readOnlyApiKey")));
    RemoteItem item;
    item.ref = firstResultOf(documentWithRuns(1));
    const DeleteResult result = awaitDelete(client->connector->remove(item));
    QCOMPARE(result.error.kind, ApiError::Kind::Http);
    QCOMPARE(result.error.httpStatus, 403);
    QVERIFY(!result.error.userMessage.isEmpty());
    QVERIFY(deletedResults().isEmpty());
}

void TestDocumentProListing::documentsCannotBeDeleted()
{
    auto client = makeClient(demoKey());
    QVERIFY(!client->connector->canDelete(NodeKind::DocumentProDocument));
    QVERIFY(!client->connector->canDelete(NodeKind::Account));
    const QList<RemoteItem> documents = allDocuments(*client);
    QVERIFY(!documents.isEmpty());
    const DeletePlan plan = client->connector->describeDelete(documents.first());
    QVERIFY2(plan.explanation.contains(QStringLiteral("no way to delete a document")),
             qPrintable(plan.explanation));
    const int before = int(requestLog().size());
    const DeleteResult result = awaitDelete(client->connector->remove(documents.first()));
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(requestLog().size(), before);

    RemoteItem empty;
    empty.ref = { NodeKind::DocumentProResult, { QStringLiteral("doc"), QString() } };
    QCOMPARE(awaitDelete(client->connector->remove(empty)).error.kind,
             ApiError::Kind::InvalidInput);
    QCOMPARE(awaitList(client->connector->list(
                           { NodeKind::DocumentProResult, { QStringLiteral("a") } }, {}))
                 .error.kind,
             ApiError::Kind::InvalidInput);
}

QTEST_GUILESS_MAIN(TestDocumentProListing)
#include "tst_connector_documentpro_listing.moc"
