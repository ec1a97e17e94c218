// DocumentTreeModel against a scripted connector: what the columns and roles show, rows kept
// compactly that still give back exactly what was listed, hostile ids, and deletes of rows that
// moved, vanished, or sit under another selected row.

#include "documenttreesuite.h"

class TestTreeRows : public DocumentTreeSuite
{
    Q_OBJECT

private Q_SLOTS:
    void formatsColumns();
    void compactRowsRoundTrip_data() { compactOrNot(); }
    void compactRowsRoundTrip();
    void fakeHostileIds();
    void fakeDeleteFindsMovedRow();
    void fakeDeleteOfVanishedRow();
    void fakeDeleteItemsSkipsDescendants();
};

void TestTreeRows::formatsColumns()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    RemoteItem sized = makeItem(NodeKind::ScriptixSession, { u"a"_s }, u"consult.m4a"_s);
    sized.sizeBytes = 1200000;
    sized.created = QDateTime(QDate(2026, 3, 14), QTime(10, 22, 5), Qt::UTC);
    RemoteItem paged = makeItem(NodeKind::ScriptixSession, { u"b"_s }, u"scan.pdf"_s);
    paged.pages = 12;
    RemoteItem timed = makeItem(NodeKind::ScriptixSession, { u"c"_s }, u"call.m4a"_s);
    timed.durationSeconds = 14 * 60 + 5;
    RemoteItem bare = makeItem(NodeKind::ScriptixComment, { u"d"_s }, u"note"_s);
    connector->childrenOf({}) = { sized, paged, timed, bare };
    auto [model, watcher, deletes] = newTree();
    const QModelIndex account = showFirstPage(model, watcher, connector);
    QVERIFY(account.isValid());
    auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model->index(row, column, account).data(role);
    };
    QCOMPARE(cell(0, DocumentTreeModel::SizeColumn).toString(), QStringLiteral("1.2 MB"));
    QCOMPARE(cell(1, DocumentTreeModel::SizeColumn).toString(), QStringLiteral("12 pages"));
    QCOMPARE(cell(2, DocumentTreeModel::SizeColumn).toString(), QStringLiteral("14:05"));
    QCOMPARE(cell(3, DocumentTreeModel::SizeColumn).toString(), QString());
    QCOMPARE(cell(0, DocumentTreeModel::KindColumn).toString(),
             nodeKindName(NodeKind::ScriptixSession));
    QCOMPARE(cell(0, DocumentTreeModel::CreatedColumn).toString(),
             QLocale().toString(sized.created.toLocalTime(), QLocale::ShortFormat));
    QCOMPARE(cell(0, DocumentTreeModel::CreatedColumn, DocumentTreeModel::SortRole).toDateTime(),
             sized.created);
    QCOMPARE(cell(0, DocumentTreeModel::SizeColumn, DocumentTreeModel::SortRole).toLongLong(),
             1200000);
    QCOMPARE(cell(0, DocumentTreeModel::StatusColumn).toString(), QStringLiteral("finished"));
    QCOMPARE(cell(0, 0, DocumentTreeModel::NodeRefRole).value<NodeRef>(), sized.ref);
    QCOMPARE(cell(0, 0, DocumentTreeModel::RemoteItemRole).value<RemoteItem>().name, sized.name);
    QCOMPARE(cell(0, 0, DocumentTreeModel::NodeKindRole).toInt(), int(NodeKind::ScriptixSession));
    QCOMPARE(cell(0, 0, DocumentTreeModel::AccountIdRole).toString(), live->session->account().id);
    QCOMPARE(cell(3, 0, DocumentTreeModel::LoadStateRole).toInt(), int(LoadState::Loaded));
    QVERIFY(model->flags(model->index(3, 0, account)) & Qt::ItemNeverHasChildren);
    QCOMPARE(model->connectorFor(model->index(3, 0, account)), connector);
    QCOMPARE(model->headerData(DocumentTreeModel::SizeColumn, Qt::Horizontal).toString(),
             QStringLiteral("Size"));
}

// Rows are stored compactly (no details, one measure, the ids rebuilt from the ancestors): what
// item() and the roles give back must still be exactly what the connector listed.
void TestTreeRows::compactRowsRoundTrip()
{
    QFETCH(bool, compact);
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    connector->compactRows = compact;
    RemoteItem full = makeItem(NodeKind::ScriptixSession, { u"full"_s }, u"consult-2026.m4a"_s);
    full.created = QDateTime(QDate(2026, 3, 14), QTime(10, 22, 5, 123), Qt::OffsetFromUTC, 7200);
    full.sizeBytes = 4096;
    full.pages = 3; // one measure is kept: the one the size column shows
    full.childCount = 3;
    full.details = { { u"language"_s, u"en"_s } };
    // A lone surrogate does not survive UTF-8: such an id must still reach the connector as is.
    const QString lone = QString(QChar(0xd800)) + u"x"_s;
    RemoteItem broken = makeItem(NodeKind::ScriptixSession, { lone }, lone + u" name"_s);
    broken.durationSeconds = 65;
    broken.status = u"processing"_s;
    RemoteItem unicode = makeItem(NodeKind::ScriptixSession, { u"ünï文書📄"_s }, u"📄 ünï"_s);
    RemoteItem nameless = makeItem(NodeKind::ScriptixSession, { QString() }, u"no id"_s);
    RemoteItem nul = makeItem(NodeKind::ScriptixSession, { u"a"_s + QChar(0) + u"b"_s }, QString());
    // A UTF-16 name whose bytes are those of its UTF-8 id is still its own name.
    const QString twinId = QString(QChar(0)) + QChar(0x0600) + QChar(0);
    RemoteItem twin
        = makeItem(NodeKind::ScriptixSession, { twinId }, QString(QChar(0xd800)) + QChar(0x0080));
    const QList<RemoteItem> listed { full, broken, unicode, nameless, nul, twin };
    // A page that lists an id twice shows it once.
    connector->childrenOf({}) = listed + QList<RemoteItem> { unicode };
    // A child whose ref does not extend its parent's is kept exactly as the connector named it.
    const RemoteItem odd
        = makeItem(NodeKind::ScriptixDocument, { u"elsewhere"_s, u"doc"_s }, u"doc"_s);
    connector->childrenOf({ u"full"_s }) = { odd };

    auto [model, watcher, deletes] = newTree();
    model->addAccount(connector);
    const QString accountId = live->session->account().id;
    const QModelIndex account = model->index(0, 0);
    QVERIFY(listFirstPage(model, watcher));
    QCOMPARE(model->rowCount(account), int(listed.size()));
    for (int row = 0; row < listed.size(); ++row) {
        const QModelIndex index = model->index(row, 0, account);
        const RemoteItem item = model->item(index);
        QCOMPARE(item.ref, listed[row].ref);
        QCOMPARE(item.name, listed[row].name);
        QCOMPARE(item.status, listed[row].status);
        QCOMPARE(item.childCount, listed[row].childCount);
        QVERIFY(item.details.isEmpty()); // fetched on demand, never kept in the rows
        QCOMPARE(index.data(DocumentTreeModel::NodeRefRole).value<NodeRef>(), listed[row].ref);
        QCOMPARE(index.data(DocumentTreeModel::RemoteItemRole).value<RemoteItem>().ref,
                 listed[row].ref);
        QCOMPARE(index.data().toString(), listed[row].name);
        if (!listed[row].ref.id().isEmpty())
            QCOMPARE(model->indexFor(accountId, listed[row].ref), index);
    }
    const RemoteItem first = model->item(model->index(0, 0, account));
    QCOMPARE(first.created, full.created);
    QCOMPARE(first.created.toMSecsSinceEpoch(), full.created.toMSecsSinceEpoch());
    QCOMPARE(first.sizeBytes, 4096);
    QCOMPARE(first.pages, -1);
    QCOMPARE(model->index(0, 0, account)
                 .data(DocumentTreeModel::RemoteItemRole)
                 .value<RemoteItem>()
                 .childCount,
             3);
    QCOMPARE(model->item(model->index(1, 0, account)).durationSeconds, 65);
    QCOMPARE(model->index(1, DocumentTreeModel::StatusColumn, account).data().toString(),
             u"processing"_s);
    QVERIFY(!model->item(model->index(2, 0, account)).created.isValid());
    QCOMPARE(model->index(2, DocumentTreeModel::SizeColumn, account).data().toString(), QString());

    const QModelIndex session = model->index(0, 0, account);
    model->fetchMore(session);
    QVERIFY(watcher.waitFor(full.ref));
    QCOMPARE(model->item(model->index(0, 0, session)).ref, odd.ref);
    QVERIFY(model->deleteItem(model->index(0, 0, session)));
    QVERIFY(deletes.waitForCount(1));
    QCOMPARE(connector->removed.last(), odd.ref);
    QVERIFY(watcher.waitFor(full.ref));

    QVERIFY(model->deleteItem(model->index(1, 0, account)));
    QVERIFY(deletes.waitForCount(2));
    QCOMPARE(connector->removed.last(), broken.ref); // the exact id, lone surrogate and all
    QCOMPARE(deletes.records.last().outcome, DeletionState::Deleted);
    QVERIFY(watcher.waitFor(accountRef));
    QVERIFY(!model->indexFor(accountId, broken.ref).isValid());
    QCOMPARE(model->rowCount(account), int(listed.size()) - 1);
}

void TestTreeRows::fakeHostileIds()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    const QStringList hostile
        = { QStringLiteral("../x"), QStringLiteral("a?b=c"),    QStringLiteral("#"),
            QStringLiteral("%2F"),  QStringLiteral("ünï文書📄"), QString(10240, u'z') };
    for (const QString &id : hostile)
        connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { id }, id));
    connector->childrenOf({ QStringLiteral("../x") })
        .append(makeItem(NodeKind::ScriptixDocument,
                         { QStringLiteral("../x"), QStringLiteral("a/b") }, QStringLiteral("doc")));
    auto [model, watcher, deletes] = newTree();
    model->addAccount(connector);
    const QString accountId = live->session->account().id;
    const QModelIndex account = model->index(0, 0);
    QVERIFY(listFirstPage(model, watcher));
    QCOMPARE(childIds(*model, account), hostile);
    for (int row = 0; row < hostile.size(); ++row) {
        const QModelIndex found
            = model->indexFor(accountId, NodeRef { NodeKind::ScriptixSession, { hostile[row] } });
        QCOMPARE(found.row(), row);
    }
    const QModelIndex x = model->index(0, 0, account);
    model->fetchMore(x);
    QVERIFY(watcher.waitFor(model->item(x).ref));
    const NodeRef docRef { NodeKind::ScriptixDocument,
                           { QStringLiteral("../x"), QStringLiteral("a/b") } };
    QCOMPARE(model->indexFor(accountId, docRef), model->index(0, 0, x));
    QVERIFY(!model->indexFor(accountId, NodeRef { NodeKind::ScriptixDocument, { u"a/b"_s } })
                 .isValid());
    QVERIFY(
        !model->indexFor(accountId, NodeRef { NodeKind::ScriptixComment, docRef.ids }).isValid());

    QVERIFY(model->deleteItem(model->index(0, 0, x)));
    QVERIFY(deletes.waitForCount(1));
    QCOMPARE(connector->removed.first(), docRef); // the exact ids reached the connector
    QVERIFY(watcher.waitFor(model->item(x).ref));
    QCOMPARE(model->rowCount(x), 0);
}

void TestTreeRows::fakeDeleteFindsMovedRow()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    QList<RemoteItem> &top = connector->childrenOf({});
    for (const QString &id : { u"a"_s, u"b"_s, u"c"_s })
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    auto [model, watcher, deletes] = newTree();
    const QModelIndex account = showFirstPage(model, watcher, connector);
    QVERIFY(account.isValid());

    connector->deleteDelayMs = 300;
    QVERIFY(model->deleteItem(model->index(1, 0, account))); // b
    const QModelIndex b = model->index(1, 0, account);
    QVERIFY(model->data(b, DocumentTreeModel::BusyRole).toBool());
    QCOMPARE(model->flags(b) & (Qt::ItemIsSelectable | Qt::ItemIsEnabled), Qt::ItemFlags());
    QCOMPARE(model->data(model->index(1, DocumentTreeModel::StatusColumn, account)).toString(),
             QStringLiteral("Deleting…"));
    QVERIFY(!model->deleteItem(b)); // already on its way

    // Meanwhile two sessions appear before it: b is now row 3.
    top.prepend(makeItem(NodeKind::ScriptixSession, { u"n2"_s }, u"n2"_s));
    top.prepend(makeItem(NodeKind::ScriptixSession, { u"n1"_s }, u"n1"_s));
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(childIds(*model, account), QStringList({ u"n1"_s, u"n2"_s, u"a"_s, u"b"_s, u"c"_s }));
    QVERIFY(model->index(3, 0, account).data(DocumentTreeModel::BusyRole).toBool());

    QVERIFY(deletes.waitForCount(1));
    QCOMPARE(deletes.records.first().ref, NodeRef({ NodeKind::ScriptixSession, { u"b"_s } }));
    QCOMPARE(deletes.records.first().outcome, DeletionState::Deleted);
    // Removed at once, and the parent re-listed.
    QCOMPARE(childIds(*model, account), QStringList({ u"n1"_s, u"n2"_s, u"a"_s, u"c"_s }));
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(childIds(*model, account), QStringList({ u"n1"_s, u"n2"_s, u"a"_s, u"c"_s }));
    QCOMPARE(model->data(account, DocumentTreeModel::TotalRole).toInt(), 4);
}

void TestTreeRows::fakeDeleteOfVanishedRow()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    QList<RemoteItem> &top = connector->childrenOf({});
    for (const QString &id : { u"a"_s, u"b"_s })
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    auto [model, watcher, deletes] = newTree();
    const QModelIndex account = showFirstPage(model, watcher, connector);
    QVERIFY(account.isValid());

    connector->deleteDelayMs = 200;
    connector->deleteError = ApiError::fromHttp(503, {}, {});
    QVERIFY(model->deleteItem(model->index(0, 0, account)));
    // Someone else deletes it and a refresh drops the row before our answer arrives.
    top.removeFirst();
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(childIds(*model, account), QStringList({ u"b"_s }));
    QVERIFY(deletes.waitForCount(1));
    QCOMPARE(deletes.records.first().error.httpStatus, 503);
    // Nothing else was touched: b is neither busy nor failed.
    const QModelIndex b = model->index(0, 0, account);
    QVERIFY(!model->isBusy(b));
    QVERIFY(b.data(DocumentTreeModel::ErrorRole).toString().isEmpty());
}

void TestTreeRows::fakeDeleteItemsSkipsDescendants()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { u"s"_s }, u"s"_s));
    connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { u"t"_s }, u"t"_s));
    connector->childrenOf({ u"s"_s })
        .append(makeItem(NodeKind::ScriptixDocument, { u"s"_s, u"d"_s }, u"d"_s));
    auto [model, watcher, deletes] = newTree();
    const QModelIndex account = showFirstPage(model, watcher, connector);
    QVERIFY(account.isValid());
    const QModelIndex s = model->index(0, 0, account);
    model->fetchMore(s);
    QVERIFY(watcher.waitFor(model->item(s).ref));
    const QModelIndex d = model->index(0, 0, s);

    // A whole row selected (every column), its child, and another row; and an account.
    QModelIndexList selection;
    for (int column = 0; column < DocumentTreeModel::ColumnCount; ++column)
        selection << model->index(0, column, account);
    selection << d << model->index(1, 0, account) << account;
    QCOMPARE(model->deleteItems(selection), 2);
    QVERIFY(deletes.waitForCount(2));
    QCOMPARE(connector->removed,
             QList<NodeRef>({ NodeRef { NodeKind::ScriptixSession, { u"s"_s } },
                              NodeRef { NodeKind::ScriptixSession, { u"t"_s } } }));
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 0);
}

QTEST_GUILESS_MAIN(TestTreeRows)
#include "tst_documenttreemodel_rows.moc"
