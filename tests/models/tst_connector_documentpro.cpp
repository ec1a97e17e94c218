// DocumentProConnector against the real docket-sandbox (and, for the [gap] alternatives the
// sandbox does not produce, a tiny canned server): sign-in, documents with pagination, parser
// results, deletes, error statuses, faults, hostile ids.

#include "accountsession.h"
#include "cannedserver.h"
#include "connectedaccount.h"
#include "connectors/documentpro/documentproconnector.h"
#include "credentialstore.h"
#include "jobresults.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <functional>
#include <memory>

using namespace Docket;

namespace {

const QString service = QStringLiteral("documentpro");

using Client = ConnectedAccount<DocumentProConnector>;

QStringList runIds(const QJsonObject &document)
{
    QStringList ids;
    for (const QJsonValue &run : document.value(QStringLiteral("parser_runs")).toArray())
        ids.append(run.toObject().value(QStringLiteral("request_id")).toString());
    return ids;
}

} // namespace

class TestConnectorDocumentPro : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { QVERIFY(m_sandbox.reset()); }

    void signInAcceptsTheKey();
    void signInRefusesAWrongKey();
    void signInWithoutAKeySendsNothing();
    void listsEveryDocumentOnceAcrossPages();
    void documentRowsCarryTheirFields();
    void listsTheResultsOfEveryDocument();
    void resultDeletedMeanwhileIsLeftOut();
    void resultFetchFailureFailsTheList();
    void deletesAResult();
    void readOnlyKeyCannotDelete();
    void documentsCannotBeDeleted();
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
    void fetchResultReturnsTheDetails();
    void toleratesOtherPaginationKeys();

private:
    std::unique_ptr<Client> makeClient(const QString &key, const QUrl &baseUrl = {});
    QString credential(const QString &name) const
    {
        return m_sandbox.credentials(service).value(name).toString();
    }
    QString demoKey() const { return credential(QStringLiteral("apiKey")); }
    // The demo account's documents (newest first, as the API lists them) and results.
    QList<QJsonObject> demoDocuments();
    QHash<QString, QJsonObject> results();
    QJsonObject documentWithRuns(int atLeast);
    QStringList deletedResults();
    // The newest request the sandbox logged on `route` (empty if none).
    QJsonObject lastLogEntry(const QString &route);
    QList<RemoteItem> allDocuments(Client &client);
    bool addFault(const QString &route, const QString &mode, const QJsonObject &extra = {})
    {
        QJsonObject rule = extra;
        rule.insert(QStringLiteral("service"), service);
        rule.insert(QStringLiteral("route"), route);
        rule.insert(QStringLiteral("mode"), mode);
        return m_sandbox.addFault(rule);
    }

    SandboxProcess m_sandbox;
};

void TestConnectorDocumentPro::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

std::unique_ptr<Client> TestConnectorDocumentPro::makeClient(const QString &key,
                                                             const QUrl &baseUrl)
{
    Account account;
    account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    account.service = ServiceKind::DocumentPro;
    account.name = QStringLiteral("Test");
    account.baseUrl = baseUrl.isEmpty() ? m_sandbox.baseUrl(service) : baseUrl;

    auto client = std::make_unique<Client>();
    client->session = std::make_unique<AccountSession>(account, &client->network, &client->store);
    client->connector = std::make_unique<DocumentProConnector>(client->session.get());
    if (!key.isEmpty()) {
        bool stored = false;
        client->session->storeSecret(Secret::apiKey, key, client->session.get(),
                                     [&stored](const QString &) { stored = true; });
        if (!QTest::qWaitFor([&stored] { return stored; }, 5000))
            qWarning("the credential store did not confirm the key");
    }
    return client;
}

QList<QJsonObject> TestConnectorDocumentPro::demoDocuments()
{
    QList<QJsonObject> documents;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("documents")).toArray()) {
        if (value.toObject().value(QStringLiteral("owner")).toString() == demoKey())
            documents.append(value.toObject());
    }
    std::sort(documents.begin(), documents.end(), [](const QJsonObject &a, const QJsonObject &b) {
        const QString left = a.value(QStringLiteral("created_at")).toString();
        const QString right = b.value(QStringLiteral("created_at")).toString();
        return left != right ? left > right
                             : a.value(QStringLiteral("document_id")).toString()
                < b.value(QStringLiteral("document_id")).toString();
    });
    return documents;
}

QHash<QString, QJsonObject> TestConnectorDocumentPro::results()
{
    QHash<QString, QJsonObject> byId;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("parserResults")).toArray())
        byId.insert(value.toObject().value(QStringLiteral("request_id")).toString(),
                    value.toObject());
    return byId;
}

QJsonObject TestConnectorDocumentPro::documentWithRuns(int atLeast)
{
    for (const QJsonObject &document : demoDocuments()) {
        if (runIds(document).size() >= atLeast)
            return document;
    }
    return {};
}

QStringList TestConnectorDocumentPro::deletedResults()
{
    return m_sandbox.deletedIds(service, QStringLiteral("parserResults"));
}

QJsonObject TestConnectorDocumentPro::lastLogEntry(const QString &route)
{
    const QJsonArray requests
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    for (qsizetype i = requests.size() - 1; i >= 0; --i) {
        const QJsonObject entry = requests.at(i).toObject();
        if (entry.value(QStringLiteral("route")) == route)
            return entry;
    }
    return {};
}

QList<RemoteItem> TestConnectorDocumentPro::allDocuments(Client &client)
{
    QList<RemoteItem> items;
    QVariant cursor;
    for (int page = 0; page < 10; ++page) {
        const ListResult result
            = awaitList(client.connector->list(NodeRef {}, PageRequest { cursor, 100 }));
        if (!result.finished || result.error.isError())
            return {};
        items += result.page.items;
        cursor = result.page.nextCursor;
        if (!cursor.isValid())
            break;
    }
    return items;
}

void TestConnectorDocumentPro::signInAcceptsTheKey()
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

void TestConnectorDocumentPro::signInRefusesAWrongKey()
{
    const QString wrong = QStringLiteral("dp_wrong_key_0000000000");
    auto client = makeClient(wrong);
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Http);
    QCOMPARE(result.error.httpStatus, 401);
    QVERIFY2(result.error.userMessage.contains(QStringLiteral("API key")),
             qPrintable(result.error.userMessage));
    // The older error shape {"success": false, "error": text} is read too.
    QVERIFY2(result.error.serviceMessage.contains(QStringLiteral("invalid or missing API key")),
             qPrintable(result.error.serviceMessage));
    QVERIFY(!result.error.summary().contains(wrong));
    QVERIFY(!result.error.userMessage.contains(wrong));
}

void TestConnectorDocumentPro::signInWithoutAKeySendsNothing()
{
    auto client = makeClient({});
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(!result.error.userMessage.isEmpty());
    auto newline = makeClient(QStringLiteral("dp\nX-Evil: 1"));
    QCOMPARE(awaitSimple(newline->connector->signIn()).error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray().isEmpty());
}

void TestConnectorDocumentPro::listsEveryDocumentOnceAcrossPages()
{
    auto client = makeClient(demoKey());
    QList<RemoteItem> paged;
    QVariant cursor;
    int pages = 0;
    do {
        const ListResult result
            = awaitList(client->connector->list(NodeRef {}, PageRequest { cursor, 4 }));
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QCOMPARE(result.page.total, -1); // DocumentPro does not say
        QVERIFY(result.page.items.size() <= 4);
        paged += result.page.items;
        cursor = result.page.nextCursor;
        QVERIFY(++pages <= 4);
    } while (cursor.isValid());
    QCOMPARE(pages, 3);

    QStringList expected;
    for (const QJsonObject &document : demoDocuments())
        expected.append(document.value(QStringLiteral("document_id")).toString());
    QCOMPARE(expected.size(), 9);
    QCOMPARE(idsOf(paged), expected); // each once, in the server's order
    QCOMPARE(idsOf(allDocuments(*client)), expected);

    // The key went back under the (configurable) query name.
    const QJsonArray log
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    int withKey = 0;
    for (const QJsonValue &entry : log) {
        const QUrlQuery query(QUrl(entry.toObject().value(QStringLiteral("path")).toString())
                                  .query(QUrl::FullyEncoded));
        if (query.hasQueryItem(DocumentProConnector::paginationKeyParameter()))
            ++withKey;
    }
    QCOMPARE(withKey, 2);
}

void TestConnectorDocumentPro::documentRowsCarryTheirFields()
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

void TestConnectorDocumentPro::listsTheResultsOfEveryDocument()
{
    auto client = makeClient(demoKey());
    const QHash<QString, QJsonObject> truth = results();
    QSet<QString> statuses;
    int total = 0;
    for (const RemoteItem &document : allDocuments(*client)) {
        const ListResult result = awaitList(client->connector->list(document.ref, PageRequest {}));
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QVERIFY(!result.page.hasMore());
        QCOMPARE(result.page.total, result.page.items.size());
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
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("result.get")), 14);
}

void TestConnectorDocumentPro::resultDeletedMeanwhileIsLeftOut()
{
    auto client = makeClient(demoKey());
    const QJsonObject document = documentWithRuns(3);
    QVERIFY(!document.isEmpty());
    QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 404 }, { QStringLiteral("count"), 1 } }));
    const ListResult result = awaitList(
        client->connector->list({ NodeKind::DocumentProDocument,
                                  { document.value(QStringLiteral("document_id")).toString() } },
                                PageRequest {}));
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
    const ListResult relisted = awaitList(
        client->connector->list({ NodeKind::DocumentProDocument,
                                  { document.value(QStringLiteral("document_id")).toString() } },
                                PageRequest {}));
    QCOMPARE(idsOf(relisted.page.items), all.mid(1));
}

void TestConnectorDocumentPro::resultFetchFailureFailsTheList()
{
    auto client = makeClient(demoKey());
    const QJsonObject document = documentWithRuns(3);
    const NodeRef ref { NodeKind::DocumentProDocument,
                        { document.value(QStringLiteral("document_id")).toString() } };
    for (int status : { 500, 403, 401 }) {
        QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("status"),
                         { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
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
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 500 }, { QStringLiteral("count"), 1 } }));
    QCOMPARE(awaitList(client->connector->list(ref, PageRequest {})).error.httpStatus, 500);
    // Afterwards all is well again.
    QCOMPARE(awaitList(client->connector->list(ref, PageRequest {})).page.items.size(), 3);
}

void TestConnectorDocumentPro::deletesAResult()
{
    auto client = makeClient(demoKey());
    const QJsonObject document = documentWithRuns(2);
    const NodeRef documentRef { NodeKind::DocumentProDocument,
                                { document.value(QStringLiteral("document_id")).toString() } };
    const ListResult listed = awaitList(client->connector->list(documentRef, PageRequest {}));
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

    const ListResult relisted = awaitList(client->connector->list(documentRef, PageRequest {}));
    QCOMPARE(relisted.page.items.size(), listed.page.items.size() - 1);
    QVERIFY(!idsOf(relisted.page.items).contains(result.ref.id()));

    const DeleteResult again = awaitDelete(client->connector->remove(result));
    QVERIFY(!again.error.isError());
    QCOMPARE(again.outcome, DeleteOutcome::AlreadyGone);
    QCOMPARE(again.httpStatus, 404);
}

void TestConnectorDocumentPro::readOnlyKeyCannotDelete()
{
    auto client = makeClient(credential(QStringLiteral("readOnlyApiKey")));
    const QJsonObject document = documentWithRuns(1);
    RemoteItem item;
    item.ref = { NodeKind::DocumentProResult,
                 { document.value(QStringLiteral("document_id")).toString(),
                   runIds(document).first() } };
    const DeleteResult result = awaitDelete(client->connector->remove(item));
    QCOMPARE(result.error.kind, ApiError::Kind::Http);
    QCOMPARE(result.error.httpStatus, 403);
    QVERIFY(!result.error.userMessage.isEmpty());
    QVERIFY(deletedResults().isEmpty());
}

void TestConnectorDocumentPro::documentsCannotBeDeleted()
{
    auto client = makeClient(demoKey());
    QVERIFY(!client->connector->canDelete(NodeKind::DocumentProDocument));
    QVERIFY(!client->connector->canDelete(NodeKind::Account));
    const QList<RemoteItem> documents = allDocuments(*client);
    QVERIFY(!documents.isEmpty());
    const DeletePlan plan = client->connector->describeDelete(documents.first());
    QVERIFY2(plan.explanation.contains(QStringLiteral("no way to delete a document")),
             qPrintable(plan.explanation));
    const int before
        = int(m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray().size());
    const DeleteResult result = awaitDelete(client->connector->remove(documents.first()));
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray().size(),
             before);

    RemoteItem empty;
    empty.ref = { NodeKind::DocumentProResult, { QStringLiteral("doc"), QString() } };
    QCOMPARE(awaitDelete(client->connector->remove(empty)).error.kind,
             ApiError::Kind::InvalidInput);
    QCOMPARE(awaitList(client->connector->list(
                           { NodeKind::DocumentProResult, { QStringLiteral("a") } }, {}))
                 .error.kind,
             ApiError::Kind::InvalidInput);
}

void TestConnectorDocumentPro::errorStatusesFailClearly_data()
{
    QTest::addColumn<int>("status");
    for (int status : { 400, 401, 403, 404, 500, 503 })
        QTest::newRow(qPrintable(QString::number(status))) << status;
}

void TestConnectorDocumentPro::errorStatusesFailClearly()
{
    QFETCH(int, status);
    auto client = makeClient(demoKey());
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("status"),
                     { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Http);
    QCOMPARE(result.error.httpStatus, status);
    QVERIFY(!result.error.userMessage.isEmpty());
    QVERIFY(!result.error.serviceMessage.isEmpty()); // {success, error, message} was read
    QVERIFY(!result.error.userMessage.contains(demoKey()));
    if (status == 401)
        QVERIFY(result.error.userMessage.contains(QStringLiteral("API key")));

    QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("status"),
                     { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
    const SimpleResult fetched = awaitSimple(client->connector->fetchResult(
        { NodeKind::DocumentProResult,
          { QStringLiteral("d"), runIds(documentWithRuns(1)).first() } }));
    QCOMPARE(fetched.error.httpStatus, status);
}

void TestConnectorDocumentPro::deleteErrorsKeepTheResult()
{
    auto client = makeClient(demoKey());
    const QJsonObject document = documentWithRuns(1);
    RemoteItem item;
    item.ref = { NodeKind::DocumentProResult,
                 { document.value(QStringLiteral("document_id")).toString(),
                   runIds(document).first() } };
    for (int status : { 400, 401, 403, 500, 503 }) {
        QVERIFY(addFault(QStringLiteral("result.delete"), QStringLiteral("status"),
                         { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
        const DeleteResult result = awaitDelete(client->connector->remove(item));
        QCOMPARE(result.error.kind, ApiError::Kind::Http);
        QCOMPARE(result.error.httpStatus, status);
    }
    QVERIFY(deletedResults().isEmpty());
    // A 404 in DocumentPro's shape, while its document still lists the result: not gone.
    QVERIFY(addFault(QStringLiteral("result.delete"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 404 }, { QStringLiteral("count"), 1 } }));
    const DeleteResult stillListed = awaitDelete(client->connector->remove(item));
    QCOMPARE(stillListed.outcome, DeleteOutcome::Failed);
    QVERIFY2(stillListed.error.userMessage.contains(QStringLiteral("still lists")),
             qPrintable(stillListed.error.userMessage));
    // The same 404 while the document listing cannot be read: not proven either.
    QVERIFY(addFault(QStringLiteral("result.delete"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 404 }, { QStringLiteral("count"), 1 } }));
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
        const QJsonArray log
            = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
        QCOMPARE(log.at(log.size() - 2).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("reset"));
    }
}

void TestConnectorDocumentPro::rateLimitIsWaitedOut()
{
    auto client = makeClient(demoKey());
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 429 }, { QStringLiteral("count"), 2 } }));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}), 15000);
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.items.size(), 9);
    QCOMPARE(client->session->rateLimitWaits(), 2);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("documents.list")), 3);
}

void TestConnectorDocumentPro::hangIsATimeout()
{
    auto client = makeClient(demoKey());
    client->network.setDefaultTimeout(500);
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("hang")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Timeout);
    QVERIFY(!result.error.userMessage.isEmpty());

    // One run's fetch hanging fails the whole results list (and only once).
    QVERIFY(m_sandbox.clearFaults());
    QVERIFY(addFault(QStringLiteral("result.get"), QStringLiteral("hang"),
                     { { QStringLiteral("count"), 1 } }));
    const QJsonObject document = documentWithRuns(3);
    const ListResult results = awaitList(
        client->connector->list({ NodeKind::DocumentProDocument,
                                  { document.value(QStringLiteral("document_id")).toString() } },
                                PageRequest {}));
    QCOMPARE(results.error.kind, ApiError::Kind::Timeout);
}

void TestConnectorDocumentPro::resetIsAConnectionError()
{
    auto client = makeClient(demoKey());
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("reset")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Connection);
}

void TestConnectorDocumentPro::malformedBodiesAreMalformed()
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

void TestConnectorDocumentPro::truncatedBodyIsAnError()
{
    auto client = makeClient(demoKey());
    client->network.setDefaultTimeout(2000);
    QVERIFY(addFault(QStringLiteral("documents.list"), QStringLiteral("truncated")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    // Qt usually reports the early close (Connection), or the transfer timeout fires; but
    // sometimes QNetworkReply ends without an error and half a body, which then cannot parse.
    // Never a partial list.
    QVERIFY2(result.error.kind == ApiError::Kind::Connection
                 || result.error.kind == ApiError::Kind::Timeout
                 || result.error.kind == ApiError::Kind::MalformedResponse,
             qPrintable(result.error.summary()));
    QVERIFY(result.page.items.isEmpty());
}

void TestConnectorDocumentPro::hostileIdsReachOnlyTheirRoute_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("dot-dot slash") << QStringLiteral("../x");
    QTest::newRow("query") << QStringLiteral("a?b=c");
    QTest::newRow("fragment") << QStringLiteral("#");
    QTest::newRow("encoded slash") << QStringLiteral("%2F");
    QTest::newRow("ampersand") << QStringLiteral("x&request_id=");
    QTest::newRow("dots") << QStringLiteral("..");
    QTest::newRow("unicode") << QStringLiteral("résultat-日本-🧾");
    QTest::newRow("10 KB") << QString(10 * 1024, u'r');
}

void TestConnectorDocumentPro::hostileIdsReachOnlyTheirRoute()
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

void TestConnectorDocumentPro::fetchResultReturnsTheDetails()
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

void TestConnectorDocumentPro::toleratesOtherPaginationKeys()
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

QTEST_GUILESS_MAIN(TestConnectorDocumentPro)
#include "tst_connector_documentpro.moc"
