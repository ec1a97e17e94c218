// DocumentTreeModel with the real Scriptix connector against docket-sandbox: lazy paging, every
// level, child counts, fetchAll in order at scale, deletes of each kind (failed, already gone),
// refresh, list errors, timeouts, malformed pages, rate limits.

#include "documenttreesuite.h"

namespace {

// A Scriptix account signed in to the sandbox, shown in a fresh model (not listed yet), and what
// the model reports of its loads and deletes: auto &[live, model, watcher, deletes] = *m_tree;
struct ScriptixTree
{
    ScriptixTree(std::unique_ptr<Live> account, DocumentTreeModel *shownIn)
        : live(std::move(account))
        , model(shownIn)
        , watcher(shownIn)
        , deletes(shownIn)
    {
        model->addAccount(live->connector.get());
    }

    std::unique_ptr<Live> live;
    DocumentTreeModel *model;
    LoadWatcher watcher;
    DeleteWatcher deletes;
};

} // namespace

// Every test here begins with its own ScriptixTree.
class TestTreeScriptix : public DocumentTreeSuite
{
    Q_OBJECT

    void prepareTest() override
    {
        DocumentTreeSuite::prepareTest();
        auto live = scriptix();
        QVERIFY(live);
        m_tree = std::make_unique<ScriptixTree>(std::move(live), newModel());
    }
    void finishTest() override { m_tree.reset(); }
    // A fault for the next requests to `route` of the sandbox's Scriptix.
    bool addFault(const QString &route, const QString &mode, const QJsonObject &rule = {}) const
    {
        return ::addFault(m_sandbox, u"scriptix"_s, route, mode, rule);
    }

    std::unique_ptr<ScriptixTree> m_tree;

private Q_SLOTS:
    void scriptixPagesLazily();
    void scriptixLevels();
    void scriptixChildCounts();
    void scriptixDeleteSession();
    void scriptixDeleteDocumentAndComment();
    void scriptixDeleteFailureKeepsRow();
    void scriptixDeleteAlreadyGone();
    void scriptixRefreshReconciles();
    void scriptixListErrorState();
    void scriptixListTimeout();
    void scriptixMalformedPage();
    void scriptixRateLimitedListSucceeds();
};

void TestTreeScriptix::scriptixPagesLazily()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    model->setPageSize(5);
    const QModelIndex account = model->index(0, 0);
    const int before
        = m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"));

    int pages = 0;
    while (model->canFetchMore(account)) {
        model->fetchMore(account);
        model->fetchMore(account); // no second request while one runs
        QVERIFY(watcher.waitFor(accountRef));
        ++pages;
        QCOMPARE(model->loadState(account), LoadState::Loaded);
        QVERIFY(pages <= 3);
    }
    int total = 0;
    const QStringList server = serverSessionIds(m_sandbox, &total);
    QCOMPARE(total, 14);
    QCOMPARE(pages, 3);
    QCOMPARE(childIds(*model, account), server); // every session once, in server order
    QCOMPARE(model->data(account, DocumentTreeModel::TotalRole).toInt(), 14);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"))
                 - before,
             3 + 1);
}

void TestTreeScriptix::scriptixLevels()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    const QString accountId = live->session->account().id;
    QVERIFY(loadAccount(model, watcher, accountId));
    const QModelIndex account = model->index(0, 0);
    QCOMPARE(model->rowCount(account), 14);

    // Find a session with a document that has comments.
    for (int row = 0; row < model->rowCount(account); ++row) {
        const QModelIndex session = model->index(row, 0, account);
        QCOMPARE(model->item(session).ref.kind, NodeKind::ScriptixSession);
        QVERIFY(model->hasChildren(session));
        model->fetchMore(session);
        QVERIFY(watcher.waitFor(model->item(session).ref));
        QVERIFY(model->rowCount(session) >= 1);
        for (int d = 0; d < model->rowCount(session); ++d) {
            const QModelIndex document = model->index(d, 0, session);
            const NodeRef ref = model->item(document).ref;
            QCOMPARE(ref.kind, NodeKind::ScriptixDocument);
            QCOMPARE(ref.ids.first(), model->item(session).ref.id());
            model->fetchMore(document);
            QVERIFY(watcher.waitFor(ref));
            if (model->rowCount(document) > 0) {
                const QModelIndex comment = model->index(0, 0, document);
                QCOMPARE(model->item(comment).ref.kind, NodeKind::ScriptixComment);
                QCOMPARE(model->item(comment).ref.ids.mid(0, 2), ref.ids);
                QCOMPARE(model->indexFor(accountId, model->item(comment).ref), comment);
                QVERIFY(!model->hasChildren(comment));
                return;
            }
        }
    }
    QFAIL("no comment found in the demo data");
}

// Each session row says how many documents it has (the rows keep no details), the delete
// confirmation counts them, and expanding the session shows as many.
void TestTreeScriptix::scriptixChildCounts()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    QVERIFY(model->rowCount(account) > 0);
    bool sawSeveral = false;
    for (int row = 0; row < model->rowCount(account); ++row) {
        const QModelIndex session = model->index(row, 0, account);
        const RemoteItem item = model->item(session);
        QVERIFY(item.details.isEmpty());
        QVERIFY(item.childCount >= 0);
        const DeletePlan plan = live->connector->describeDelete(item);
        QCOMPARE(plan.cascadeCounts.value(u"documents"_s).toInt(), item.childCount);
        if (item.childCount > 1) {
            sawSeveral = true;
            QVERIFY2(
                plan.explanation.contains(QStringLiteral("its %1 documents").arg(item.childCount)),
                qPrintable(plan.explanation));
        }
        model->fetchMore(session);
        QVERIFY(watcher.waitFor(item.ref));
        QCOMPARE(model->rowCount(session), item.childCount);
    }
    QVERIFY(sawSeveral);
}

void TestTreeScriptix::scriptixDeleteSession()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    QCOMPARE(model->rowCount(account), 14);
    const int listsBefore
        = m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"));

    QVERIFY(addFault(u"session.delete"_s, u"latency"_s,
                     { { u"latencyMs"_s, 300 }, { u"count"_s, 1 } }));
    const QPersistentModelIndex target(model->index(2, 0, account));
    const NodeRef ref = model->item(target).ref;
    QVERIFY(model->deleteItem(target));
    QTest::qWait(100);
    // Not confirmed yet: the row is there, busy.
    QVERIFY(target.isValid());
    QVERIFY(target.data(DocumentTreeModel::BusyRole).toBool());
    QCOMPARE(model->rowCount(account), 14);

    QVERIFY(deletes.waitForCount(1));
    QVERIFY(!deletes.records.first().error.isError());
    QCOMPARE(deletes.records.first().outcome, DeletionState::Deleted);
    QCOMPARE(deletes.records.first().ref, ref);
    QVERIFY(!target.isValid());
    QVERIFY(!model->indexFor(live->session->account().id, ref).isValid());
    const QJsonArray deleted = deletedIn(u"scriptix"_s).value(u"sessions"_s).toArray();
    QCOMPARE(deleted, QJsonArray({ ref.id() }));

    // The parent is re-listed: the server's truth.
    QVERIFY(watcher.waitFor(accountRef));
    int total = 0;
    QCOMPARE(childIds(*model, account), serverSessionIds(m_sandbox, &total));
    QCOMPARE(total, 13);
    QCOMPARE(model->data(account, DocumentTreeModel::TotalRole).toInt(), 13);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"))
                 - listsBefore,
             1 + 1); // our re-list + serverSessionIds
}

void TestTreeScriptix::scriptixDeleteDocumentAndComment()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);

    // A session with a document that has comments.
    QPersistentModelIndex document;
    for (int row = 0; row < model->rowCount(account) && !document.isValid(); ++row) {
        const QModelIndex session = model->index(row, 0, account);
        model->fetchMore(session);
        QVERIFY(watcher.waitFor(model->item(session).ref));
        for (int d = 0; d < model->rowCount(session); ++d) {
            const QModelIndex candidate = model->index(d, 0, session);
            model->fetchMore(candidate);
            QVERIFY(watcher.waitFor(model->item(candidate).ref));
            if (model->rowCount(candidate) > 0) {
                document = candidate;
                break;
            }
        }
    }
    QVERIFY(document.isValid());
    const int comments = model->rowCount(document);
    const NodeRef commentRef = model->item(model->index(0, 0, document)).ref;
    QVERIFY(model->deleteItem(model->index(0, 0, document)));
    verifyDeleteSucceeded(deletes, 1);
    QVERIFY(watcher.waitFor(model->item(document).ref));
    QCOMPARE(model->rowCount(document), comments - 1);
    QVERIFY(!model->indexFor(live->session->account().id, commentRef).isValid());

    const QPersistentModelIndex session = document.parent();
    const int documents = model->rowCount(session);
    const NodeRef documentRef = model->item(document).ref;
    QVERIFY(model->deleteItem(document));
    QVERIFY(deletes.waitForCount(2));
    QVERIFY(!deletes.records.last().error.isError());
    QVERIFY(watcher.waitFor(model->item(session).ref));
    QCOMPARE(model->rowCount(session), documents - 1);
    const QJsonObject deleted = deletedIn(u"scriptix"_s);
    QVERIFY(deleted.value(u"comments"_s).toArray().contains(commentRef.id()));
    QVERIFY(deleted.value(u"documents"_s).toArray().contains(documentRef.id()));
}

void TestTreeScriptix::scriptixDeleteFailureKeepsRow()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    // A 500 is retried (once, see newModel()); one that lasts ends as a failure with its reason.
    QVERIFY(addFault(u"session.delete"_s, u"status"_s, { { u"status"_s, 500 } }));
    const QPersistentModelIndex target(model->index(0, 0, account));
    QVERIFY(model->deleteItem(target));
    QVERIFY(deletes.waitForCount(1));
    QCOMPARE(deletes.records.first().error.httpStatus, 500);
    QCOMPARE(m_sandbox.requestCount(u"scriptix"_s, u"session.delete"_s), 2);
    QVERIFY(target.isValid());
    QCOMPARE(model->rowCount(account), 14);
    QVERIFY(!target.data(DocumentTreeModel::BusyRole).toBool());
    QVERIFY(model->flags(target) & Qt::ItemIsSelectable);
    QVERIFY(model->flags(target) & Qt::ItemIsEnabled);
    const QString reason = target.data(DocumentTreeModel::ErrorRole).toString();
    QCOMPARE(reason, deletes.records.first().error.userMessage);
    const QString status
        = model->index(target.row(), DocumentTreeModel::StatusColumn, account).data().toString();
    QVERIFY2(status.contains(reason), qPrintable(status));
    QCOMPARE(deletedIn(u"scriptix"_s).value(u"sessions"_s).toArray().size(), 0);

    // A second try works and clears the reason.
    QVERIFY(m_sandbox.clearFaults());
    QVERIFY(model->deleteItem(target));
    QVERIFY(target.data(DocumentTreeModel::ErrorRole).toString().isEmpty());
    QVERIFY(deletes.waitForCount(2));
    QVERIFY(!deletes.records.last().error.isError());
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 13);
}

void TestTreeScriptix::scriptixDeleteAlreadyGone()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    const QPersistentModelIndex target(model->index(3, 0, account));
    const QString id = model->item(target).ref.id();

    TestHttp http;
    const TestReply gone
        = http.del(urlWith(m_sandbox.baseUrl(QStringLiteral("scriptix")),
                           { QStringLiteral("speech-to-text"), QStringLiteral("session"), id }),
                   { { "Authorization", "Bearer " + scriptixToken().toUtf8() } });
    QVERIFY(gone.status == 204 || gone.status == 200);

    QVERIFY(model->deleteItem(target));
    QVERIFY(deletes.waitForCount(1));
    QVERIFY(!deletes.records.first().error.isError());
    QCOMPARE(deletes.records.first().outcome, DeletionState::AlreadyGone);
    QVERIFY(!target.isValid());
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 13);
    QCOMPARE(childIds(*model, account), serverSessionIds(m_sandbox));
}

void TestTreeScriptix::scriptixRefreshReconciles()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    const QPersistentModelIndex expanded(model->index(5, 0, account));
    model->fetchMore(expanded);
    QVERIFY(watcher.waitFor(model->item(expanded).ref));
    const int documents = model->rowCount(expanded);
    QVERIFY(documents > 0);
    const QString expandedId = model->item(expanded).ref.id();

    // Deleted behind the model's back.
    TestHttp http;
    const QString goneId = model->item(model->index(1, 0, account)).ref.id();
    const TestReply gone
        = http.del(urlWith(m_sandbox.baseUrl(QStringLiteral("scriptix")),
                           { QStringLiteral("speech-to-text"), QStringLiteral("session"), goneId }),
                   { { "Authorization", "Bearer " + scriptixToken().toUtf8() } });
    QVERIFY(gone.status == 204 || gone.status == 200);
    const int getsBefore
        = m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.get"));

    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(childIds(*model, account), serverSessionIds(m_sandbox));
    QVERIFY(!model
                 ->indexFor(live->session->account().id,
                            NodeRef { NodeKind::ScriptixSession, { goneId } })
                 .isValid());
    QVERIFY(expanded.isValid());
    QCOMPARE(model->item(expanded).ref.id(), expandedId);
    QCOMPARE(model->rowCount(expanded), documents);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.get")),
             getsBefore);

    model->refresh(expanded);
    QVERIFY(watcher.waitFor(model->item(expanded).ref));
    QCOMPARE(model->rowCount(expanded), documents);
    QCOMPARE(m_sandbox.requestCount(u"scriptix"_s, u"session.get"_s), getsBefore + 1);
}

void TestTreeScriptix::scriptixListErrorState()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QSignalSpy failed(model, &DocumentTreeModel::loadFailed);
    const QModelIndex account = model->index(0, 0);
    QVERIFY(addFault(u"session.list"_s, u"status"_s, { { u"status"_s, 500 }, { u"count"_s, 1 } }));
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(watcher.lastError.httpStatus, 500);
    QCOMPARE(account.data(DocumentTreeModel::LoadStateRole).toInt(), int(LoadState::Error));
    const QString status = model->index(0, DocumentTreeModel::StatusColumn).data().toString();
    QCOMPARE(status, QStringLiteral("Error: ") + watcher.lastError.userMessage);
    QCOMPARE(account.data(DocumentTreeModel::ErrorRole).toString(), watcher.lastError.userMessage);
    QVERIFY(!model->canFetchMore(account)); // a view does not retry it by itself
    QCOMPARE(model->rowCount(account), 0);

    model->refresh(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->loadState(account), LoadState::Loaded);
    QCOMPARE(model->rowCount(account), 14);
    QVERIFY(account.data(DocumentTreeModel::ErrorRole).toString().isEmpty());
}

void TestTreeScriptix::scriptixListTimeout()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    live->network.setDefaultTimeout(500);
    const QModelIndex account = model->index(0, 0);
    QVERIFY(addFault(u"session.list"_s, u"hang"_s, { { u"count"_s, 1 } }));
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(watcher.lastError.kind, ApiError::Kind::Timeout);
    QCOMPARE(model->loadState(account), LoadState::Error);
    QVERIFY(model->index(0, DocumentTreeModel::StatusColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("Error: ")));
}

void TestTreeScriptix::scriptixMalformedPage()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    model->setPageSize(5);
    const QModelIndex account = model->index(0, 0);
    QVERIFY(listFirstPage(model, watcher));
    QCOMPARE(model->rowCount(account), 5);

    // The second page's body is not JSON; then the third is cut short.
    for (const char *mode : { "malformed", "truncated" }) {
        QVERIFY(addFault(u"session.list"_s, QString::fromLatin1(mode), { { u"count"_s, 1 } }));
        live->network.setDefaultTimeout(1000);
        model->fetchAll(account);
        QVERIFY(watcher.waitFor(accountRef));
        QCOMPARE(model->loadState(account), LoadState::Error);
        QCOMPARE(model->rowCount(account), 5); // what was there stays, nothing half-inserted
        if (QByteArray(mode) == "malformed")
            QCOMPARE(watcher.lastError.kind, ApiError::Kind::MalformedResponse);
        else
            QVERIFY(watcher.lastError.isError());
    }
    // fetchAll after an error lists everything afresh.
    model->fetchAll(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(childIds(*model, account), serverSessionIds(m_sandbox));
}

void TestTreeScriptix::scriptixRateLimitedListSucceeds()
{
    auto &[live, model, watcher, deletes] = *m_tree;
    QSignalSpy failed(model, &DocumentTreeModel::loadFailed);
    const QModelIndex account = model->index(0, 0);
    QVERIFY(addFault(u"session.list"_s, u"status"_s, { { u"status"_s, 429 }, { u"count"_s, 1 } }));
    model->fetchMore(account);
    QCOMPARE(model->data(model->index(0, DocumentTreeModel::StatusColumn)).toString(),
             QStringLiteral("Loading…"));
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(model->rowCount(account), 14);
    QVERIFY(live->session->rateLimitWaits() >= 1);
}

QTEST_GUILESS_MAIN(TestTreeScriptix)
#include "tst_documenttreemodel_scriptix.moc"
