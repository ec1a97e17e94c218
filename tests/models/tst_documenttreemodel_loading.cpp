// DocumentTreeModel against a scripted connector, where timing must be exact: fetchAll in order
// however the pages come, a failed page, one request at a time, refresh reconciling in place, a
// signed-out account, accounts removed while loading, a view expanding everything, many rows.

#include "documenttreesuite.h"

class TestTreeLoading : public DocumentTreeSuite
{
    Q_OBJECT

private Q_SLOTS:
    void fakeFetchAllInsertsInOrder();
    void fakeFetchAllStopsAtFailedPage();
    void fakeOneRequestAtATime();
    void fakeRefreshReconciles_data() { compactOrNot(); }
    void fakeRefreshReconciles();
    void fakeSignedOutAccount();
    void fakeRemoveAccountWhileLoading();
    void fakeTesterFetchesEverything();
    void manyRowsStayFindable();
};

void TestTreeLoading::fakeFetchAllInsertsInOrder()
{
    FakeConnector *connector = nullptr;
    auto live = fakeWithSessions(&connector, 23);
    // Later pages answer first: the model must still insert them in server order.
    connector->delayFor = [](qint64 offset) {
        return offset == 0 ? 0 : int(200 - offset * 5);
    };
    auto [model, watcher, deletes] = newTree();
    model->setPageSize(5);
    QStringList inserted;
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &parent, int first, int last) {
                if (!parent.isValid())
                    return;
                for (int row = first; row <= last; ++row)
                    inserted.append(model->item(model->index(row, 0, parent)).ref.id());
            });
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    QCOMPARE(model->data(account).toString(), live->session->account().label());
    QVERIFY(model->hasChildren(account));
    QVERIFY(model->canFetchMore(account));

    model->fetchAll(account);
    QCOMPARE(model->loadState(account), LoadState::Loading);
    QCOMPARE(model->data(model->index(0, DocumentTreeModel::StatusColumn)).toString(),
             QStringLiteral("Loading…"));
    QVERIFY(watcher.waitFor(accountRef));

    QStringList expected;
    for (int i = 0; i < 23; ++i)
        expected.append(QStringLiteral("s%1").arg(i));
    QCOMPARE(childIds(*model, account), expected);
    QCOMPARE(inserted, expected); // inserted in order, each once
    QCOMPARE(connector->listCalls, 5);
    QVERIFY2(connector->maxOutstanding >= 4, "the remaining pages were asked for at once");
    QCOMPARE(model->loadState(account), LoadState::Loaded);
    QCOMPARE(model->data(account, DocumentTreeModel::TotalRole).toInt(), 23);
    QVERIFY(!model->canFetchMore(account));
}

void TestTreeLoading::fakeFetchAllStopsAtFailedPage()
{
    FakeConnector *connector = nullptr;
    auto live = fakeWithSessions(&connector, 20);
    connector->failOffsets = { 10 };
    connector->delayFor = [](qint64 offset) {
        return offset == 15 ? 0 : 50;
    };
    auto [model, watcher, deletes] = newTree();
    model->setPageSize(5);
    QSignalSpy failed(model, &DocumentTreeModel::loadFailed);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchAll(account);
    QVERIFY(watcher.waitFor(accountRef));
    // The pages before the failed one stay; nothing after it is inserted out of order.
    QCOMPARE(childIds(*model, account),
             QStringList({ u"s0"_s, u"s1"_s, u"s2"_s, u"s3"_s, u"s4"_s, u"s5"_s, u"s6"_s, u"s7"_s,
                           u"s8"_s, u"s9"_s }));
    QCOMPARE(model->loadState(account), LoadState::Error);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(watcher.lastError.httpStatus, 500);
    QVERIFY(model->data(model->index(0, DocumentTreeModel::StatusColumn))
                .toString()
                .startsWith(QStringLiteral("Error: ")));
    QVERIFY(!model->canFetchMore(account));

    // A refresh lists it all again and reconciles.
    connector->failOffsets.clear();
    model->fetchAll(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 20);
    QCOMPARE(model->loadState(account), LoadState::Loaded);
}

void TestTreeLoading::fakeOneRequestAtATime()
{
    FakeConnector *connector = nullptr;
    auto live = fakeWithSessions(&connector, 12);
    auto [model, watcher, deletes] = newTree();
    model->setPageSize(5);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(!model->canFetchMore(account));
    model->fetchMore(account);
    model->fetchMore(account);
    QCOMPARE(connector->listCalls, 1);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 5);
    QVERIFY(model->canFetchMore(account));
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 12);
    QVERIFY(!model->canFetchMore(account));
    QCOMPARE(connector->requestedOffsets, QList<qint64>({ 0, 5, 10 }));

    // Leaves never have children; containers say they may before they are listed.
    const QModelIndex session = model->index(0, 0, account);
    QVERIFY(model->hasChildren(session));
    QVERIFY(model->canFetchMore(session));
    model->fetchMore(session);
    QVERIFY(watcher.waitFor(model->item(session).ref));
    QVERIFY(!model->hasChildren(session)); // listed and empty
    QVERIFY(!(model->flags(session) & Qt::ItemNeverHasChildren));
}

void TestTreeLoading::fakeRefreshReconciles()
{
    QFETCH(bool, compact);
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    connector->compactRows = compact;
    QList<RemoteItem> &top = connector->childrenOf({});
    for (const QString &id : { u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s })
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    connector->childrenOf({ u"c"_s })
        .append(makeItem(NodeKind::ScriptixDocument, { u"c"_s, u"c1"_s }, u"c1"_s));
    connector->childrenOf({ u"c"_s, u"c1"_s })
        .append(makeItem(NodeKind::ScriptixComment, { u"c"_s, u"c1"_s, u"k"_s }, u"k"_s));
    auto [model, watcher, deletes] = newTree();
    const QModelIndex account = showFirstPage(model, watcher, connector);
    QVERIFY(account.isValid());
    const QModelIndex c = model->indexFor(live->session->account().id,
                                          NodeRef { NodeKind::ScriptixSession, { u"c"_s } });
    QVERIFY(c.isValid());
    model->fetchMore(c);
    QVERIFY(watcher.waitFor(model->item(c).ref));
    QCOMPARE(model->rowCount(c), 1);
    const QPersistentModelIndex keptC(c);
    const QPersistentModelIndex goneB(model->index(1, 0, account));
    const int callsBefore = connector->listCalls;

    // On the server: b goes, x arrives first, e moves before d, a is renamed.
    top.clear();
    top.append(makeItem(NodeKind::ScriptixSession, { u"x"_s }, u"x"_s));
    RemoteItem renamed = makeItem(NodeKind::ScriptixSession, { u"a"_s }, u"a (renamed)"_s);
    top.append(renamed);
    for (const QString &id : { u"c"_s, u"e"_s, u"d"_s, u"y"_s })
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(childIds(*model, account),
             QStringList({ u"x"_s, u"a"_s, u"c"_s, u"e"_s, u"d"_s, u"y"_s }));
    QCOMPARE(reset.size(), 0);
    QVERIFY(!goneB.isValid());
    QVERIFY(keptC.isValid());
    QCOMPARE(keptC.row(), 2);
    QCOMPARE(model->rowCount(keptC), 1); // its loaded children stayed
    QCOMPARE(connector->listCalls, callsBefore + 1); // and were not listed again
    QCOMPARE(model->index(1, 0, account).data().toString(), QStringLiteral("a (renamed)"));
    // Of the rows that stayed, only the renamed one changed.
    const auto changedChildren = [&] {
        QStringList ids;
        for (const QList<QVariant> &signal : std::as_const(changed)) {
            const QModelIndex topLeft = signal.at(0).value<QModelIndex>();
            if (topLeft.parent() == account)
                ids << model->item(topLeft).ref.id();
        }
        changed.clear();
        return ids;
    };
    QCOMPARE(changedChildren(), QStringList({ u"a"_s }));

    // Nothing new on the server: nothing changes. A new status: that row changes.
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(changedChildren(), QStringList());
    top[3].status = u"processing"_s;
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(changedChildren(), QStringList({ u"e"_s }));
    QCOMPARE(model->index(3, DocumentTreeModel::StatusColumn, account).data().toString(),
             u"processing"_s);

    // Refreshing a leaf re-lists its parent.
    const QModelIndex c1 = model->index(0, 0, keptC);
    model->fetchMore(c1);
    QVERIFY(watcher.waitFor(model->item(c1).ref));
    QCOMPARE(model->rowCount(c1), 1);
    connector->childrenOf({ u"c"_s, u"c1"_s })
        .append(makeItem(NodeKind::ScriptixComment, { u"c"_s, u"c1"_s, u"k2"_s }, u"k2"_s));
    model->refresh(model->index(0, 0, c1));
    QVERIFY(watcher.waitFor(model->item(c1).ref));
    QCOMPARE(childIds(*model, c1), QStringList({ u"k"_s, u"k2"_s }));
}

void TestTreeLoading::fakeSignedOutAccount()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    live->session->setAuthenticator(std::make_unique<RefusingAuthenticator>(live->session.get()));
    connector->throughSession = true;
    auto [model, watcher, deletes] = newTree();
    const QModelIndex account = showFirstPage(model, watcher, connector);
    QVERIFY(account.isValid());
    QVERIFY(live->session->isSignedOut());
    QCOMPARE(watcher.lastError.kind, ApiError::Kind::SignedOut);
    const QString status = model->index(0, DocumentTreeModel::StatusColumn).data().toString();
    QVERIFY2(status.startsWith(QStringLiteral("Signed out")), qPrintable(status));
    QCOMPARE(account.data(DocumentTreeModel::ErrorRole).toString(),
             live->session->signedOutReason());
    QCOMPARE(model->loadState(account), LoadState::Error);
}

void TestTreeLoading::fakeRemoveAccountWhileLoading()
{
    FakeConnector *first = nullptr;
    FakeConnector *second = nullptr;
    auto live1 = fake(&first);
    auto live2 = fake(&second);
    first->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { u"a"_s }, u"a"_s));
    second->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { u"b"_s }, u"b"_s));
    first->delayFor = [](qint64) {
        return 100;
    };
    auto [model, watcher, deletes] = newTree();
    model->addAccount(first);
    model->addAccount(second);
    model->addAccount(second); // once only
    QCOMPARE(model->rowCount(), 2);
    model->fetchMore(model->index(0, 0));
    model->fetchMore(model->index(1, 0));
    model->removeAccount(live1->session->account().id);
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(watcher.waitFor(accountRef));
    QTest::qWait(150); // the first account's page arrives and is dropped
    QCOMPARE(childIds(*model, model->index(0, 0)), QStringList({ u"b"_s }));

    // A connector that goes away takes its account row with it.
    live2->connector.reset();
    QCOMPARE(model->rowCount(), 0);
}

void TestTreeLoading::fakeTesterFetchesEverything()
{
    // Here the tester itself fetches whatever it walks into, as a view expanding everything.
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    for (int s = 0; s < 4; ++s) {
        const QString sid = QStringLiteral("s%1").arg(s);
        connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { sid }, sid));
        for (int d = 0; d < 3; ++d) {
            const QString did = QStringLiteral("d%1").arg(d);
            connector->childrenOf({ sid }).append(
                makeItem(NodeKind::ScriptixDocument, { sid, did }, did));
            for (int c = 0; c < 7; ++c) {
                const QString cid = QStringLiteral("c%1").arg(c);
                connector->childrenOf({ sid, did })
                    .append(makeItem(NodeKind::ScriptixComment, { sid, did, cid }, cid));
            }
        }
    }
    connector->delayFor = [](qint64 offset) {
        return int(offset % 3) * 7;
    };
    DocumentTreeModel model;
    model.setPageSize(2);
    new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 &model);
    model.addAccount(connector);
    QVERIFY(QTest::qWaitFor([&] {
        if (model.canFetchMore(model.index(0, 0)))
            model.fetchMore(model.index(0, 0));
        return model.rowCount(model.index(0, 0)) == 4;
    }));
    // Every level, in full, through fetchAll on each container as it appears.
    int comments = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            comments = 0;
            const QModelIndex account = model.index(0, 0);
            for (int s = 0; s < model.rowCount(account); ++s) {
                const QModelIndex session = model.index(s, 0, account);
                model.fetchAll(session);
                for (int d = 0; d < model.rowCount(session); ++d) {
                    const QModelIndex document = model.index(d, 0, session);
                    model.fetchAll(document);
                    comments += model.rowCount(document);
                }
            }
            return comments == 4 * 3 * 7;
        },
        10000));
    QCOMPARE(childIds(model, model.index(0, 0, model.index(0, 0, model.index(0, 0)))),
             QStringList({ u"c0"_s, u"c1"_s, u"c2"_s, u"c3"_s, u"c4"_s, u"c5"_s, u"c6"_s }));
}

// Over a thousand rows, then a re-list that drops every third, moves and adds some: each row is
// still found by its id (the id table shifts entries on removal), and no removed one is.
void TestTreeLoading::manyRowsStayFindable()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    QList<RemoteItem> &top = connector->childrenOf({});
    for (int i = 0; i < 1200; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    }
    auto [model, watcher, deletes] = newTree();
    model->setPageSize(100);
    model->addAccount(connector);
    const QString accountId = live->session->account().id;
    const QModelIndex account = model->index(0, 0);
    model->fetchAll(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 1200);

    QStringList gone;
    QList<RemoteItem> next;
    for (int i = 0; i < top.size(); ++i) {
        if (i % 3 == 1) {
            gone.append(top[i].ref.id());
            continue;
        }
        next.append(top[i]);
        if (i % 40 == 0) {
            const QString id = QStringLiteral("n%1").arg(i);
            next.append(makeItem(NodeKind::ScriptixSession, { id }, id));
        }
    }
    next.move(next.size() - 1, 10);
    top = next;
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QStringList expected;
    for (const RemoteItem &item : std::as_const(next))
        expected.append(item.ref.id());
    QCOMPARE(childIds(*model, account), expected);
    for (int row = 0; row < expected.size(); ++row) {
        const QModelIndex found
            = model->indexFor(accountId, NodeRef { NodeKind::ScriptixSession, { expected[row] } });
        QCOMPARE(found.row(), row);
    }
    for (const QString &id : std::as_const(gone))
        QVERIFY(
            !model->indexFor(accountId, NodeRef { NodeKind::ScriptixSession, { id } }).isValid());
}

QTEST_GUILESS_MAIN(TestTreeLoading)
#include "tst_documenttreemodel_loading.moc"
