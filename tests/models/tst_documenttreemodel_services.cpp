// DocumentTreeModel with the real connectors against docket-sandbox: fetchAll in order at scale
// (Scriptix, in a sandbox of its own), DocumentPro's opaque cursors, Care360's soft delete,
// Invox's index; and DocumentFilterProxyModel over the tree: the filter keeps ancestors, sorting
// goes by the raw values.

#include "connectors/care360/care360connector.h"
#include "documentfilterproxymodel.h"
#include "documenttreesuite.h"

#include <QElapsedTimer>

class TestTreeServices : public DocumentTreeSuite
{
    Q_OBJECT

private Q_SLOTS:
    void scriptixFetchAllInOrderAtScale();
    void documentProFollowsCursors();
    void care360SoftDeleteRelists();
    void invoxListsFromIndex();
    void filterKeepsAncestors();
    void proxySortsByRawValues();
};

void TestTreeServices::scriptixFetchAllInOrderAtScale()
{
    SandboxProcess big({ QStringLiteral("--scale"), QStringLiteral("250"),
                         QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") });
    QVERIFY2(big.start(), qPrintable(big.errorString()));
    auto live = scriptix(big.baseUrl(QStringLiteral("scriptix")), scriptixToken());
    QVERIFY(live);
    // The first two pages answer late, so pages after them complete first.
    QVERIFY(addFault(big, u"scriptix"_s, u"session.list"_s, u"latency"_s,
                     { { u"latencyMs"_s, 400 }, { u"count"_s, 2 } }));
    auto [model, watcher, deletes] = newTree();
    model->setPageSize(25);
    QStringList inserted;
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &parent, int first, int last) {
                for (int row = first; parent.isValid() && row <= last; ++row)
                    inserted.append(model->item(model->index(row, 0, parent)).ref.id());
            });
    model->addAccount(live->connector.get());
    const QModelIndex account = model->index(0, 0);
    QElapsedTimer timer;
    timer.start();
    model->fetchAll(account);
    QVERIFY(watcher.waitFor(accountRef, 30000));
    const int lists = big.requestCount(u"scriptix"_s, u"session.list"_s);
    const QStringList server = serverSessionIds(big);
    QVERIFY(server.size() >= 250);
    QCOMPARE(childIds(*model, account), server);
    QCOMPARE(inserted, server);
    QCOMPARE(model->data(account, DocumentTreeModel::TotalRole).toInt(), server.size());
    // 1 sign-in + the first page + the rest at once (not one after another: 10 x 400 ms).
    QCOMPARE(lists, 1 + (int(server.size()) + 24) / 25);
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void TestTreeServices::documentProFollowsCursors()
{
    auto live = documentPro();
    QVERIFY(live);
    auto [model, watcher, deletes] = newTree();
    model->setPageSize(2);
    model->addAccount(live->connector.get());
    const QModelIndex account = model->index(0, 0);
    const int before
        = m_sandbox.requestCount(QStringLiteral("documentpro"), QStringLiteral("documents.list"));
    model->fetchAll(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->loadState(account), LoadState::Loaded);

    TestHttp http;
    const TestReply reply
        = http.get(urlWith(m_sandbox.baseUrl(QStringLiteral("documentpro")),
                           { QStringLiteral("v1"), QStringLiteral("documents") },
                           encodedQuery({ { QStringLiteral("limit"), QStringLiteral("100") } })),
                   { { "x-api-key",
                       m_sandbox.credentials(QStringLiteral("documentpro"))
                           .value(u"apiKey"_s)
                           .toString()
                           .toUtf8() } });
    QStringList server;
    for (const QJsonValue &value : reply.json().value(QStringLiteral("files")).toArray())
        server.append(value.toObject().value(QStringLiteral("document_id")).toString());
    QVERIFY(server.size() > 2);
    QCOMPARE(childIds(*model, account), server);
    const int requests
        = m_sandbox.requestCount(QStringLiteral("documentpro"), QStringLiteral("documents.list"))
        - before - 1;
    QVERIFY2(requests >= (server.size() + 1) / 2 && requests <= (server.size() + 1) / 2 + 1,
             qPrintable(QString::number(requests)));

    // A document's parser results, and deleting one re-lists the document.
    for (int row = 0; row < model->rowCount(account); ++row) {
        const QModelIndex document = model->index(row, 0, account);
        model->fetchMore(document);
        QVERIFY(watcher.waitFor(model->item(document).ref));
        // The listing said how many parser results there were.
        QCOMPARE(model->rowCount(document), model->item(document).childCount);
        if (model->rowCount(document) == 0)
            continue;
        const int results = model->rowCount(document);
        const QModelIndex result = model->index(0, 0, document);
        QCOMPARE(model->item(result).ref.kind, NodeKind::DocumentProResult);
        QVERIFY(model->deleteItem(result));
        verifyDeleteSucceeded(deletes, 1);
        QVERIFY(watcher.waitFor(model->item(document).ref));
        QCOMPARE(model->rowCount(document), results - 1);
        return;
    }
    QFAIL("no parser result in the demo data");
}

void TestTreeServices::care360SoftDeleteRelists()
{
    auto live = care360();
    QVERIFY(live);
    auto [model, watcher, deletes] = newTree();
    model->addAccount(live->connector.get());
    const QString accountId = live->session->account().id;
    QVERIFY(loadAccount(model, watcher, accountId));
    const QModelIndex account = model->index(0, 0);
    QVERIFY(model->rowCount(account) > 0);
    const QString patientId = m_sandbox.credentials(u"care360"_s).value(u"patientId"_s).toString();

    for (int row = 0; row < model->rowCount(account); ++row) {
        const QModelIndex caseIndex = model->index(row, 0, account);
        QCOMPARE(model->item(caseIndex).ref.kind, NodeKind::Care360Case);
        model->fetchMore(caseIndex);
        QVERIFY(watcher.waitFor(model->item(caseIndex).ref));
        for (int f = 0; f < model->rowCount(caseIndex); ++f) {
            const RemoteItem file = model->item(model->index(f, 0, caseIndex));
            QCOMPARE(file.ref.kind, NodeKind::Care360File);
            // Rows carry no details: ask for them, as the details pane does.
            QVERIFY(file.details.isEmpty());
            QString uploaderId;
            SimpleJob *metadata
                = static_cast<Care360Connector *>(live->connector.get())->fetchMetadata(file.ref);
            connect(metadata, &ConnectorJob::finished, this, [&uploaderId](ConnectorJob *job) {
                uploaderId = static_cast<SimpleJob *>(job)
                                 ->data()
                                 .value(u"uploadedBy"_s)
                                 .toMap()
                                 .value(u"id"_s)
                                 .toString();
            });
            QSignalSpy fetched(metadata, &ConnectorJob::finished);
            QVERIFY(fetched.wait(10000));
            if (uploaderId != patientId)
                continue; // only the uploader may delete
            const int files = model->rowCount(caseIndex);
            QVERIFY(model->deleteItem(model->index(f, 0, caseIndex)));
            verifyDeleteSucceeded(deletes, 1);
            QCOMPARE(deletes.records.first().outcome, DeletionState::Deleted);
            QVERIFY(watcher.waitFor(model->item(caseIndex).ref));
            QCOMPARE(model->rowCount(caseIndex), files - 1);
            QVERIFY(!model->indexFor(accountId, file.ref).isValid());
            QVERIFY(deletedIn(u"care360"_s).value(u"files"_s).toArray().contains(file.ref.id()));
            return;
        }
    }
    QFAIL("no file the demo patient uploaded");
}

void TestTreeServices::invoxListsFromIndex()
{
    auto live = invox();
    QVERIFY(live);
    auto [model, watcher, deletes] = newTree();
    model->addAccount(live->connector.get());
    const QString accountId = live->session->account().id;
    QVERIFY(loadAccount(model, watcher, accountId));
    const QModelIndex account = model->index(0, 0);
    QCOMPARE(model->rowCount(account), 2);
    int documents = 0;
    QPersistentModelIndex consultation;
    for (int row = 0; row < model->rowCount(account); ++row) {
        const QModelIndex index = model->index(row, 0, account);
        QCOMPARE(model->item(index).ref.kind, NodeKind::InvoxConsultation);
        model->fetchMore(index);
        QVERIFY(watcher.waitFor(model->item(index).ref));
        QCOMPARE(model->rowCount(index), model->item(index).childCount);
        documents += model->rowCount(index);
        consultation = index;
    }
    QCOMPARE(documents, 5);

    const int before = model->rowCount(consultation);
    const RemoteItem document = model->item(model->index(0, 0, consultation));
    QCOMPARE(document.ref.kind, NodeKind::InvoxDocument);
    QVERIFY(model->deleteItem(model->index(0, 0, consultation)));
    verifyDeleteSucceeded(deletes, 1);
    QVERIFY(watcher.waitFor(model->item(consultation).ref));
    QCOMPARE(model->rowCount(consultation), before - 1);
    QVERIFY(!model->indexFor(accountId, document.ref).isValid());
    QVERIFY(deletedIn(u"invox"_s).value(u"documents"_s).toArray().contains(document.ref.id()));
}

void TestTreeServices::filterKeepsAncestors()
{
    auto live = scriptix();
    QVERIFY(live);
    FakeConnector *connector = nullptr;
    auto other = fake(&connector);
    connector->childrenOf({}).append(
        makeItem(NodeKind::ScriptixSession, { u"zz"_s }, u"unrelated"_s));
    auto [model, watcher, deletes] = newTree();
    model->addAccount(live->connector.get());
    model->addAccount(connector);
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    model->fetchMore(model->index(1, 0));
    QVERIFY(watcher.waitFor(accountRef));
    const QModelIndex account = model->index(0, 0);
    const QModelIndex session = model->index(4, 0, account);
    model->fetchMore(session);
    QVERIFY(watcher.waitFor(model->item(session).ref));
    QVERIFY(model->rowCount(session) > 0);
    const QString documentName = model->item(model->index(0, 0, session)).name;

    DocumentFilterProxyModel proxy;
    new QAbstractItemModelTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 &proxy);
    proxy.setSourceModel(model);
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setFilterText(documentName.toUpper());
    // Both accounts stay; only the matching document's session under the first.
    QCOMPARE(proxy.rowCount(), 2);
    const QModelIndex proxyAccount = proxy.index(0, 0);
    QCOMPARE(proxy.rowCount(proxyAccount), 1);
    const QModelIndex proxySession = proxy.index(0, 0, proxyAccount);
    QCOMPARE(proxy.mapToSource(proxySession), session);
    QCOMPARE(proxy.rowCount(proxySession), 1);
    QCOMPARE(proxy.index(0, 0, proxySession).data().toString(), documentName);
    QCOMPARE(proxy.rowCount(proxy.index(1, 0)), 0);

    // The kind column matches too, and an empty filter shows everything again.
    proxy.setFilterText(nodeKindName(NodeKind::ScriptixDocument));
    QCOMPARE(proxy.rowCount(proxyAccount), 1);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 14);
    QCOMPARE(proxy.rowCount(proxy.index(1, 0)), 1);
}

void TestTreeServices::proxySortsByRawValues()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    const QDateTime base(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    // Names and sizes whose text order differs from their real order.
    const QList<QPair<QString, qint64>> rows
        = { { u"session 10"_s, 900 }, { u"session 9"_s, 1200000 }, { u"Session 2"_s, 50000 } };
    for (int i = 0; i < rows.size(); ++i) {
        RemoteItem item
            = makeItem(NodeKind::ScriptixSession, { QString::number(i) }, rows[i].first);
        item.sizeBytes = rows[i].second;
        item.created = base.addDays(10 - i * 3); // 11 Jan, 8 Jan, 5 Jan
        connector->childrenOf({}).append(item);
    }
    auto [model, watcher, deletes] = newTree();
    model->addAccount(connector);
    model->fetchMore(model->index(0, 0));
    QVERIFY(watcher.waitFor(accountRef));

    DocumentFilterProxyModel proxy;
    new QAbstractItemModelTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 &proxy);
    proxy.setSourceModel(model);
    const auto names = [&] {
        QStringList result;
        const QModelIndex account = proxy.index(0, 0);
        for (int row = 0; row < proxy.rowCount(account); ++row)
            result.append(proxy.index(row, 0, account).data().toString());
        return result;
    };
    proxy.sort(DocumentTreeModel::SizeColumn, Qt::AscendingOrder);
    QCOMPARE(names(), QStringList({ u"session 10"_s, u"Session 2"_s, u"session 9"_s }));
    proxy.sort(DocumentTreeModel::CreatedColumn, Qt::AscendingOrder);
    QCOMPARE(names(), QStringList({ u"Session 2"_s, u"session 9"_s, u"session 10"_s }));
    proxy.sort(DocumentTreeModel::NameColumn, Qt::AscendingOrder);
    QCOMPARE(names(), QStringList({ u"Session 2"_s, u"session 9"_s, u"session 10"_s }));
    proxy.sort(DocumentTreeModel::NameColumn, Qt::DescendingOrder);
    QCOMPARE(names(), QStringList({ u"session 10"_s, u"session 9"_s, u"Session 2"_s }));
}

QTEST_GUILESS_MAIN(TestTreeServices)
#include "tst_documenttreemodel_services.moc"
