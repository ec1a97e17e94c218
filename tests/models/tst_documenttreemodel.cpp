// DocumentTreeModel and DocumentFilterProxyModel: the lazy tree, paging, fetchAll, deletes,
// refresh and the filter, against docket-sandbox with the real connectors (and, where timing must
// be exact, against a scripted connector). QAbstractItemModelTester watches every model.

#include "account.h"
#include "accountsession.h"
#include "connector.h"
#include "connectors/care360/care360connector.h"
#include "connectors/invox/invoxindex.h"
#include "credentialstore.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "liveaccount.h"
#include "modelwatchers.h"
#include "networkclient.h"
#include "sandboxprocess.h"
#include "testhttp.h"

#include <QAbstractItemModelTester>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Docket;
using namespace Qt::StringLiterals;
using LoadState = DocumentTreeModel::LoadState;

namespace {

// --- a scripted connector: exact control over timing and contents ------------------------------

RemoteItem makeItem(NodeKind kind, const QStringList &ids, const QString &name)
{
    RemoteItem item;
    item.ref = NodeRef { kind, ids };
    item.name = name;
    item.status = QStringLiteral("finished");
    return item;
}

// A session that can only renew, and whose renewal says the sign-in is gone.
class RefusingAuthenticator : public Authenticator
{
public:
    using Authenticator::Authenticator;
    bool authorize(ApiRequest &) override { return false; }
    bool canRenew() const override { return true; }
};

class FakeConnector : public Connector
{
public:
    explicit FakeConnector(AccountSession *session)
        : Connector(session)
    { }

    static QString key(const QStringList &ids) { return ids.join(QChar(0x1f)); }
    QList<RemoteItem> &childrenOf(const QStringList &ids) { return children[key(ids)]; }

    ServiceKind service() const override { return ServiceKind::Scriptix; }
    bool canDelete(NodeKind kind) const override { return kind != NodeKind::Account; }
    DeletePlan describeDelete(const RemoteItem &) const override { return {}; }
    SignInJob *signIn(SignInMode = SignInMode::Resume) override
    {
        auto *job = new SignInJob(this);
        job->finish();
        return job;
    }

    ListJob *list(const NodeRef &parent, const PageRequest &page) override
    {
        auto *job = new ListJob(parent, this);
        const qint64 offset = page.cursor.isValid() ? page.cursor.toLongLong() : 0;
        ++listCalls;
        requestedOffsets.append(offset);
        maxOutstanding = qMax(maxOutstanding, ++outstanding);
        if (throughSession) {
            ApiRequest request;
            request.url = QUrl(QStringLiteral("http://127.0.0.1:9/never"));
            session()->send(request, job, [this, job](const ApiResult &result) {
                --outstanding;
                job->finish(result.error);
            });
            return job;
        }
        QTimer::singleShot(delayFor ? delayFor(offset) : 0, job, [this, job, parent, offset, page] {
            --outstanding;
            if (failOffsets.contains(offset)) {
                job->finish(ApiError::fromHttp(500, R"({"error":"boom","message":"Boom"})", {}));
                return;
            }
            // The server's contents when it answers, as a real one.
            const QList<RemoteItem> all = children.value(key(parent.ids));
            ListPage result;
            result.items = all.mid(offset, page.limit);
            result.total = int(all.size());
            if (offset + result.items.size() < all.size())
                result.nextCursor = qint64(offset + result.items.size());
            // As Care360 does for the tree: the rows in compact form.
            if (compactRows && !page.withDetails) {
                result.rows = RowBlock::fromItems(result.items, parent);
                result.items.clear();
            }
            job->setPage(result);
            job->finish();
        });
        return job;
    }

    DeleteJob *startRemove(const RemoteItem &item, const QByteArray &) override
    {
        auto *job = new DeleteJob(item, this);
        removed.append(item.ref);
        QTimer::singleShot(deleteDelayMs, job, [this, job, item] {
            if (deleteError.isError()) {
                job->refuse(deleteError);
                return;
            }
            QList<RemoteItem> &siblings = childrenOf(item.ref.ids.mid(0, item.ref.ids.size() - 1));
            const qsizetype before = siblings.size();
            siblings.removeIf([&](const RemoteItem &other) { return other.ref == item.ref; });
            ApiResult result;
            result.status = siblings.size() < before ? 204 : 404;
            if (result.status == 404)
                result.error = ApiError::fromHttp(404, {}, {});
            finishDelete(job, judgeDeleteAnswer(item, result), result);
        });
        return job;
    }
    QString deleteAnswerProblem(const RemoteItem &, const ApiResult &) const override { return {}; }
    bool isNotFoundAnswer(const ApiResult &result) const override { return result.status == 404; }

    QHash<QString, QList<RemoteItem>> children;
    std::function<int(qint64)> delayFor;
    QSet<qint64> failOffsets;
    int deleteDelayMs = 0;
    ApiError deleteError;
    bool throughSession = false;
    bool compactRows = false; // hand pages over as a RowBlock (ListPage::rows)
    int listCalls = 0;
    int outstanding = 0;
    int maxOutstanding = 0;
    QList<qint64> requestedOffsets;
    QList<NodeRef> removed;
};

// Records every loadFinished, so a test can wait for the one it caused.
using Live = LiveAccount;

QStringList childIds(const DocumentTreeModel &model, const QModelIndex &parent)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(parent); ++row)
        ids.append(model.item(model.index(row, 0, parent)).ref.id());
    return ids;
}

const NodeRef accountRef { NodeKind::Account, {} };

bool addFault(const SandboxProcess &sandbox, const QString &service, const QString &route,
              const QString &mode, QJsonObject rule)
{
    rule.insert(u"service"_s, service);
    rule.insert(u"route"_s, route);
    rule.insert(u"mode"_s, mode);
    return sandbox.addFault(rule);
}

// What the sandbox says was deleted: {"sessions": [...], "documents": [...], ...}.
QJsonObject deletedIn(const SandboxProcess &sandbox, const QString &service)
{
    return sandbox.state()
        .value(u"services"_s)
        .toObject()
        .value(service)
        .toObject()
        .value(u"deleted"_s)
        .toObject();
}

} // namespace

// Pages of RemoteItems, or of compact rows (ListPage::rows): the model shows the same.
void compactOrNot()
{
    QTest::addColumn<bool>("compact");
    QTest::newRow("items") << false;
    QTest::newRow("compact rows") << true;
}

class TestDocumentTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    // Scripted connector: exact orders and timings.
    void fakeFetchAllInsertsInOrder();
    void fakeFetchAllStopsAtFailedPage();
    void fakeOneRequestAtATime();
    void fakeRefreshReconciles_data() { compactOrNot(); }
    void fakeRefreshReconciles();
    void fakeDeleteFindsMovedRow();
    void fakeDeleteOfVanishedRow();
    void fakeDeleteItemsSkipsDescendants();
    void fakeHostileIds();
    void fakeSignedOutAccount();
    void fakeRemoveAccountWhileLoading();
    void fakeTesterFetchesEverything();
    void formatsColumns();
    void compactRowsRoundTrip_data() { compactOrNot(); }
    void compactRowsRoundTrip();
    void manyRowsStayFindable();

    // Real connectors against the sandbox.
    void scriptixPagesLazily();
    void scriptixLevels();
    void scriptixChildCounts();
    void scriptixFetchAllInOrderAtScale();
    void scriptixDeleteSession();
    void scriptixDeleteDocumentAndComment();
    void scriptixDeleteFailureKeepsRow();
    void scriptixDeleteAlreadyGone();
    void scriptixRefreshReconciles();
    void scriptixListErrorState();
    void scriptixListTimeout();
    void scriptixMalformedPage();
    void scriptixRateLimitedListSucceeds();
    void documentProFollowsCursors();
    void care360SoftDeleteRelists();
    void invoxListsFromIndex();
    void filterKeepsAncestors();
    void proxySortsByRawValues();

private:
    DocumentTreeModel *newModel();
    std::unique_ptr<Live> scriptix(const QUrl &baseUrl, const QString &token);
    std::unique_ptr<Live> scriptix()
    {
        return scriptix(m_sandbox.baseUrl(QStringLiteral("scriptix")), scriptixToken());
    }
    std::unique_ptr<Live> documentPro();
    std::unique_ptr<Live> care360();
    std::unique_ptr<Live> invox();
    std::unique_ptr<Live> fake(FakeConnector **connector);
    QString scriptixToken() const
    {
        return m_sandbox.credentials(QStringLiteral("scriptix"))
            .value(QStringLiteral("token"))
            .toString();
    }
    QStringList serverSessionIds(SandboxProcess &sandbox, int *total = nullptr);
    bool loadAccount(DocumentTreeModel *model, LoadWatcher &watcher, const QString &accountId);

    SandboxProcess m_sandbox { { QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
    std::unique_ptr<DocumentTreeModel> m_model;
    int m_accounts = 0;
};

void TestDocumentTreeModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestDocumentTreeModel::init()
{
    QVERIFY(m_sandbox.reset());
    m_model.reset();
}

DocumentTreeModel *TestDocumentTreeModel::newModel()
{
    m_model = std::make_unique<DocumentTreeModel>();
    auto *tester = new QAbstractItemModelTester(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_model.get());
    // Fetching would send requests the tests count; they fetch explicitly.
    tester->setUseFetchMore(false);
    // Deletes that fail in a way worth retrying are retried once, without the real back-off.
    RetryPolicy quick;
    quick.maxAttempts = 2;
    quick.firstBackoffMs = 10;
    m_model->deletionQueue()->setRetryPolicy(quick);
    return m_model.get();
}

std::unique_ptr<Live> TestDocumentTreeModel::scriptix(const QUrl &baseUrl, const QString &token)
{
    return live::scriptix(baseUrl, token, QStringLiteral("scriptix-%1").arg(++m_accounts));
}

std::unique_ptr<Live> TestDocumentTreeModel::documentPro()
{
    return live::documentPro(m_sandbox, QStringLiteral("documentpro-%1").arg(++m_accounts));
}

std::unique_ptr<Live> TestDocumentTreeModel::care360()
{
    return live::care360(m_sandbox, QStringLiteral("care360-%1").arg(++m_accounts));
}

std::unique_ptr<Live> TestDocumentTreeModel::invox()
{
    return live::invox(m_sandbox, QStringLiteral("invox-%1").arg(++m_accounts));
}

std::unique_ptr<Live> TestDocumentTreeModel::fake(FakeConnector **connector)
{
    auto live = std::make_unique<Live>();
    Account account;
    account.id = QStringLiteral("fake-%1").arg(++m_accounts);
    account.service = ServiceKind::Scriptix;
    account.name = QStringLiteral("Scripted");
    account.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/api/v3"));
    live->session = std::make_unique<AccountSession>(account, &live->network, &live->store);
    auto owned = std::make_unique<FakeConnector>(live->session.get());
    *connector = owned.get();
    live->connector = std::move(owned);
    return live;
}

QStringList TestDocumentTreeModel::serverSessionIds(SandboxProcess &sandbox, int *total)
{
    TestHttp http;
    QStringList ids;
    for (int offset = 0;; offset += 100) {
        const TestReply reply = http.get(
            urlWith(sandbox.baseUrl(QStringLiteral("scriptix")),
                    { QStringLiteral("speech-to-text"), QStringLiteral("session") },
                    encodedQuery({ { QStringLiteral("offset"), QString::number(offset) },
                                   { QStringLiteral("limit"), QStringLiteral("100") } })),
            { { "Authorization", "Bearer " + scriptixToken().toUtf8() } });
        const QJsonArray result = reply.json().value(QStringLiteral("result")).toArray();
        for (const QJsonValue &value : result)
            ids.append(value.toObject().value(QStringLiteral("session_id")).toString());
        if (total)
            *total = reply.json().value(QStringLiteral("total_results")).toInt(-1);
        if (result.isEmpty()
            || ids.size() >= reply.json().value(QStringLiteral("total_results")).toInt())
            return ids;
    }
}

bool TestDocumentTreeModel::loadAccount(DocumentTreeModel *model, LoadWatcher &watcher,
                                        const QString &accountId)
{
    const QModelIndex account = model->indexForAccount(accountId);
    model->fetchAll(account);
    return watcher.waitFor(accountRef);
}

// --- scripted connector -------------------------------------------------------------------------

void TestDocumentTreeModel::fakeFetchAllInsertsInOrder()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    for (int i = 0; i < 23; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { id }, id));
    }
    // Later pages answer first: the model must still insert them in server order.
    connector->delayFor = [](qint64 offset) {
        return offset == 0 ? 0 : int(200 - offset * 5);
    };
    DocumentTreeModel *model = newModel();
    model->setPageSize(5);
    LoadWatcher watcher(model);
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

void TestDocumentTreeModel::fakeFetchAllStopsAtFailedPage()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    for (int i = 0; i < 20; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { id }, id));
    }
    connector->failOffsets = { 10 };
    connector->delayFor = [](qint64 offset) {
        return offset == 15 ? 0 : 50;
    };
    DocumentTreeModel *model = newModel();
    model->setPageSize(5);
    LoadWatcher watcher(model);
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

void TestDocumentTreeModel::fakeOneRequestAtATime()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    for (int i = 0; i < 12; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { id }, id));
    }
    DocumentTreeModel *model = newModel();
    model->setPageSize(5);
    LoadWatcher watcher(model);
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

void TestDocumentTreeModel::fakeRefreshReconciles()
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
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
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

void TestDocumentTreeModel::fakeDeleteFindsMovedRow()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    QList<RemoteItem> &top = connector->childrenOf({});
    for (const QString &id : { u"a"_s, u"b"_s, u"c"_s })
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));

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

void TestDocumentTreeModel::fakeDeleteOfVanishedRow()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    QList<RemoteItem> &top = connector->childrenOf({});
    for (const QString &id : { u"a"_s, u"b"_s })
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));

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

void TestDocumentTreeModel::fakeDeleteItemsSkipsDescendants()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { u"s"_s }, u"s"_s));
    connector->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { u"t"_s }, u"t"_s));
    connector->childrenOf({ u"s"_s })
        .append(makeItem(NodeKind::ScriptixDocument, { u"s"_s, u"d"_s }, u"d"_s));
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
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

void TestDocumentTreeModel::fakeHostileIds()
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
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(connector);
    const QString accountId = live->session->account().id;
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
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

void TestDocumentTreeModel::fakeSignedOutAccount()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    live->session->setAuthenticator(std::make_unique<RefusingAuthenticator>(live->session.get()));
    connector->throughSession = true;
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    QVERIFY(live->session->isSignedOut());
    QCOMPARE(watcher.lastError.kind, ApiError::Kind::SignedOut);
    const QString status = model->index(0, DocumentTreeModel::StatusColumn).data().toString();
    QVERIFY2(status.startsWith(QStringLiteral("Signed out")), qPrintable(status));
    QCOMPARE(account.data(DocumentTreeModel::ErrorRole).toString(),
             live->session->signedOutReason());
    QCOMPARE(model->loadState(account), LoadState::Error);
}

void TestDocumentTreeModel::fakeRemoveAccountWhileLoading()
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
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
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

void TestDocumentTreeModel::fakeTesterFetchesEverything()
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

void TestDocumentTreeModel::formatsColumns()
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
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(connector);
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
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
void TestDocumentTreeModel::compactRowsRoundTrip()
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

    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(connector);
    const QString accountId = live->session->account().id;
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
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

// Over a thousand rows, then a re-list that drops every third, moves and adds some: each row is
// still found by its id (the id table shifts entries on removal), and no removed one is.
void TestDocumentTreeModel::manyRowsStayFindable()
{
    FakeConnector *connector = nullptr;
    auto live = fake(&connector);
    QList<RemoteItem> &top = connector->childrenOf({});
    for (int i = 0; i < 1200; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        top.append(makeItem(NodeKind::ScriptixSession, { id }, id));
    }
    DocumentTreeModel *model = newModel();
    model->setPageSize(100);
    LoadWatcher watcher(model);
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

// --- sandbox: Scriptix --------------------------------------------------------------------------

void TestDocumentTreeModel::scriptixPagesLazily()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    model->setPageSize(5);
    LoadWatcher watcher(model);
    model->addAccount(live->connector.get());
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

void TestDocumentTreeModel::scriptixLevels()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(live->connector.get());
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
void TestDocumentTreeModel::scriptixChildCounts()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(live->connector.get());
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

void TestDocumentTreeModel::scriptixFetchAllInOrderAtScale()
{
    SandboxProcess big({ QStringLiteral("--scale"), QStringLiteral("250"),
                         QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") });
    QVERIFY2(big.start(), qPrintable(big.errorString()));
    auto live = scriptix(big.baseUrl(QStringLiteral("scriptix")), scriptixToken());
    QVERIFY(live);
    // The first two pages answer late, so pages after them complete first.
    QVERIFY(addFault(big, u"scriptix"_s, u"session.list"_s, u"latency"_s,
                     { { u"latencyMs"_s, 400 }, { u"count"_s, 2 } }));
    DocumentTreeModel *model = newModel();
    model->setPageSize(25);
    LoadWatcher watcher(model);
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

void TestDocumentTreeModel::scriptixDeleteSession()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(live->connector.get());
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    QCOMPARE(model->rowCount(account), 14);
    const int listsBefore
        = m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"));

    QVERIFY(addFault(m_sandbox, u"scriptix"_s, u"session.delete"_s, u"latency"_s,
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
    const QJsonArray deleted = deletedIn(m_sandbox, u"scriptix"_s).value(u"sessions"_s).toArray();
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

void TestDocumentTreeModel::scriptixDeleteDocumentAndComment()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(live->connector.get());
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
    QVERIFY(deletes.waitForCount(1));
    QVERIFY2(!deletes.records.last().error.isError(),
             qPrintable(deletes.records.last().error.summary()));
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
    const QJsonObject deleted = deletedIn(m_sandbox, u"scriptix"_s);
    QVERIFY(deleted.value(u"comments"_s).toArray().contains(commentRef.id()));
    QVERIFY(deleted.value(u"documents"_s).toArray().contains(documentRef.id()));
}

void TestDocumentTreeModel::scriptixDeleteFailureKeepsRow()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(live->connector.get());
    QVERIFY(loadAccount(model, watcher, live->session->account().id));
    const QModelIndex account = model->index(0, 0);
    // A 500 is retried (once, see newModel()); one that lasts ends as a failure with its reason.
    QVERIFY(addFault(m_sandbox, u"scriptix"_s, u"session.delete"_s, u"status"_s,
                     { { u"status"_s, 500 } }));
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
    QCOMPARE(deletedIn(m_sandbox, u"scriptix"_s).value(u"sessions"_s).toArray().size(), 0);

    // A second try works and clears the reason.
    QVERIFY(m_sandbox.clearFaults());
    QVERIFY(model->deleteItem(target));
    QVERIFY(target.data(DocumentTreeModel::ErrorRole).toString().isEmpty());
    QVERIFY(deletes.waitForCount(2));
    QVERIFY(!deletes.records.last().error.isError());
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 13);
}

void TestDocumentTreeModel::scriptixDeleteAlreadyGone()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
    model->addAccount(live->connector.get());
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

void TestDocumentTreeModel::scriptixRefreshReconciles()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(live->connector.get());
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

void TestDocumentTreeModel::scriptixListErrorState()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    QSignalSpy failed(model, &DocumentTreeModel::loadFailed);
    model->addAccount(live->connector.get());
    const QModelIndex account = model->index(0, 0);
    QVERIFY(addFault(m_sandbox, u"scriptix"_s, u"session.list"_s, u"status"_s,
                     { { u"status"_s, 500 }, { u"count"_s, 1 } }));
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

void TestDocumentTreeModel::scriptixListTimeout()
{
    auto live = scriptix();
    QVERIFY(live);
    live->network.setDefaultTimeout(500);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    model->addAccount(live->connector.get());
    const QModelIndex account = model->index(0, 0);
    QVERIFY(
        addFault(m_sandbox, u"scriptix"_s, u"session.list"_s, u"hang"_s, { { u"count"_s, 1 } }));
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(watcher.lastError.kind, ApiError::Kind::Timeout);
    QCOMPARE(model->loadState(account), LoadState::Error);
    QVERIFY(model->index(0, DocumentTreeModel::StatusColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("Error: ")));
}

void TestDocumentTreeModel::scriptixMalformedPage()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    model->setPageSize(5);
    LoadWatcher watcher(model);
    model->addAccount(live->connector.get());
    const QModelIndex account = model->index(0, 0);
    model->fetchMore(account);
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(model->rowCount(account), 5);

    // The second page's body is not JSON; then the third is cut short.
    for (const char *mode : { "malformed", "truncated" }) {
        QVERIFY(addFault(m_sandbox, u"scriptix"_s, u"session.list"_s, QString::fromLatin1(mode),
                         { { u"count"_s, 1 } }));
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

void TestDocumentTreeModel::scriptixRateLimitedListSucceeds()
{
    auto live = scriptix();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    QSignalSpy failed(model, &DocumentTreeModel::loadFailed);
    model->addAccount(live->connector.get());
    const QModelIndex account = model->index(0, 0);
    QVERIFY(addFault(m_sandbox, u"scriptix"_s, u"session.list"_s, u"status"_s,
                     { { u"status"_s, 429 }, { u"count"_s, 1 } }));
    model->fetchMore(account);
    QCOMPARE(model->data(model->index(0, DocumentTreeModel::StatusColumn)).toString(),
             QStringLiteral("Loading…"));
    QVERIFY(watcher.waitFor(accountRef));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(model->rowCount(account), 14);
    QVERIFY(live->session->rateLimitWaits() >= 1);
}

// --- sandbox: DocumentPro (opaque cursors) ------------------------------------------------------

void TestDocumentTreeModel::documentProFollowsCursors()
{
    auto live = documentPro();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    model->setPageSize(2);
    LoadWatcher watcher(model);
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
    DeleteWatcher deletes(model);
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
        QVERIFY(deletes.waitForCount(1));
        QVERIFY2(!deletes.records.first().error.isError(),
                 qPrintable(deletes.records.first().error.summary()));
        QVERIFY(watcher.waitFor(model->item(document).ref));
        QCOMPARE(model->rowCount(document), results - 1);
        return;
    }
    QFAIL("no parser result in the demo data");
}

// --- sandbox: Care360 (soft delete, no pagination) -----------------------------------------------

void TestDocumentTreeModel::care360SoftDeleteRelists()
{
    auto live = care360();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
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
            QVERIFY(deletes.waitForCount(1));
            QVERIFY2(!deletes.records.first().error.isError(),
                     qPrintable(deletes.records.first().error.summary()));
            QCOMPARE(deletes.records.first().outcome, DeletionState::Deleted);
            QVERIFY(watcher.waitFor(model->item(caseIndex).ref));
            QCOMPARE(model->rowCount(caseIndex), files - 1);
            QVERIFY(!model->indexFor(accountId, file.ref).isValid());
            QVERIFY(deletedIn(m_sandbox, u"care360"_s)
                        .value(u"files"_s)
                        .toArray()
                        .contains(file.ref.id()));
            return;
        }
    }
    QFAIL("no file the demo patient uploaded");
}

void TestDocumentTreeModel::invoxListsFromIndex()
{
    auto live = invox();
    QVERIFY(live);
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
    DeleteWatcher deletes(model);
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
    QVERIFY(deletes.waitForCount(1));
    QVERIFY2(!deletes.records.first().error.isError(),
             qPrintable(deletes.records.first().error.summary()));
    QVERIFY(watcher.waitFor(model->item(consultation).ref));
    QCOMPARE(model->rowCount(consultation), before - 1);
    QVERIFY(!model->indexFor(accountId, document.ref).isValid());
    QVERIFY(deletedIn(m_sandbox, u"invox"_s)
                .value(u"documents"_s)
                .toArray()
                .contains(document.ref.id()));
}

// --- the proxy ----------------------------------------------------------------------------------

void TestDocumentTreeModel::filterKeepsAncestors()
{
    auto live = scriptix();
    QVERIFY(live);
    FakeConnector *connector = nullptr;
    auto other = fake(&connector);
    connector->childrenOf({}).append(
        makeItem(NodeKind::ScriptixSession, { u"zz"_s }, u"unrelated"_s));
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
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

void TestDocumentTreeModel::proxySortsByRawValues()
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
    DocumentTreeModel *model = newModel();
    LoadWatcher watcher(model);
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

QTEST_GUILESS_MAIN(TestDocumentTreeModel)
#include "tst_documenttreemodel.moc"
