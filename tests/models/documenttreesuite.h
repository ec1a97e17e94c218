#pragma once

// What the DocumentTreeModel suites share: a scripted connector for exact control over timing and
// contents, accounts of the real connectors signed in to the sandbox, and a fresh model for each
// test that QAbstractItemModelTester watches, with what it reports of its loads and deletes.

#include "account.h"
#include "accountsession.h"
#include "connector.h"
#include "documenttreemodel.h"
#include "liveaccount.h"
#include "modelwatchers.h"
#include "networkclient.h"
#include "sandboxsuite.h"
#include "testhttp.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTimer>

#include <functional>
#include <memory>

// For these suites only, which all spell the models' types without their namespace.
using namespace Docket;
using namespace Qt::StringLiterals;
using LoadState = DocumentTreeModel::LoadState;

// --- a scripted connector: exact control over timing and contents ------------------------------

inline RemoteItem makeItem(NodeKind kind, const QStringList &ids, const QString &name)
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

using Live = LiveAccount;

inline QStringList childIds(const DocumentTreeModel &model, const QModelIndex &parent)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(parent); ++row)
        ids.append(model.item(model.index(row, 0, parent)).ref.id());
    return ids;
}

inline const NodeRef accountRef { NodeKind::Account, {} };

inline bool addFault(const SandboxProcess &sandbox, const QString &service, const QString &route,
                     const QString &mode, QJsonObject rule)
{
    rule.insert(u"service"_s, service);
    rule.insert(u"route"_s, route);
    rule.insert(u"mode"_s, mode);
    return sandbox.addFault(rule);
}

// Pages of RemoteItems, or of compact rows (ListPage::rows): the model shows the same.
inline void compactOrNot()
{
    QTest::addColumn<bool>("compact");
    QTest::newRow("items") << false;
    QTest::newRow("compact rows") << true;
}

// A model under test and what it reports of its loads and deletes, for a test to take apart:
// auto [model, watcher, deletes] = newTree();
struct TreeUnderTest
{
    DocumentTreeModel *model;
    LoadWatcher watcher;
    DeleteWatcher deletes;
};

// Lists the first page of `model`'s first account: true once it came.
inline bool listFirstPage(DocumentTreeModel *model, LoadWatcher &watcher)
{
    model->fetchMore(model->index(0, 0));
    return watcher.waitFor(accountRef);
}

// Adds `connector`'s account to `model` and lists its first page: the account's row, or an
// invalid index when the page did not come.
inline QModelIndex showFirstPage(DocumentTreeModel *model, LoadWatcher &watcher,
                                 Connector *connector)
{
    model->addAccount(connector);
    return listFirstPage(model, watcher) ? model->index(0, 0) : QModelIndex();
}

// Waits for the `count`th delete `deletes` sees: it must end without an error.
inline void verifyDeleteSucceeded(DeleteWatcher &deletes, int count)
{
    QVERIFY(deletes.waitForCount(count));
    const Docket::ApiError &error = deletes.records.at(count - 1).error;
    QVERIFY2(!error.isError(), qPrintable(error.summary()));
}

class DocumentTreeSuite : public SandboxSuite
{
protected:
    DocumentTreeSuite()
        : SandboxSuite({ QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") })
    { }

    void prepareTest() override { m_model.reset(); }

    // A fresh model (the one before it goes), watched by QAbstractItemModelTester.
    DocumentTreeModel *newModel()
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
    TreeUnderTest newTree()
    {
        DocumentTreeModel *model = newModel();
        return { model, LoadWatcher(model), DeleteWatcher(model) };
    }

    std::unique_ptr<Live> scriptix(const QUrl &baseUrl, const QString &token)
    {
        return live::scriptix(baseUrl, token, QStringLiteral("scriptix-%1").arg(++m_accounts));
    }
    std::unique_ptr<Live> scriptix()
    {
        return scriptix(m_sandbox.baseUrl(QStringLiteral("scriptix")), scriptixToken());
    }
    std::unique_ptr<Live> documentPro()
    {
        return live::documentPro(m_sandbox, QStringLiteral("documentpro-%1").arg(++m_accounts));
    }
    std::unique_ptr<Live> care360()
    {
        return live::care360(m_sandbox, QStringLiteral("care360-%1").arg(++m_accounts));
    }
    std::unique_ptr<Live> invox()
    {
        return live::invox(m_sandbox, QStringLiteral("invox-%1").arg(++m_accounts));
    }
    // An account on the scripted connector, which `*connector` is set to.
    std::unique_ptr<Live> fake(FakeConnector **connector)
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
    // The same, holding `count` sessions "s0", "s1"... at the top.
    std::unique_ptr<Live> fakeWithSessions(FakeConnector **connector, int count)
    {
        auto live = fake(connector);
        for (int i = 0; i < count; ++i) {
            const QString id = QStringLiteral("s%1").arg(i);
            (*connector)->childrenOf({}).append(makeItem(NodeKind::ScriptixSession, { id }, id));
        }
        return live;
    }
    QString scriptixToken() const
    {
        return m_sandbox.credentials(QStringLiteral("scriptix"))
            .value(QStringLiteral("token"))
            .toString();
    }
    // The sessions `sandbox` lists for the demo token, in its order (and how many it says).
    QStringList serverSessionIds(SandboxProcess &sandbox, int *total = nullptr)
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
    // fetchAll on account `accountId`: true once its listing finished.
    bool loadAccount(DocumentTreeModel *model, LoadWatcher &watcher, const QString &accountId)
    {
        const QModelIndex account = model->indexForAccount(accountId);
        model->fetchAll(account);
        return watcher.waitFor(accountRef);
    }
    // What the sandbox says `service` deleted: {"sessions": [...], "documents": [...], ...}.
    QJsonObject deletedIn(const QString &service) const
    {
        return serviceSummary(service).value(u"deleted"_s).toObject();
    }

    std::unique_ptr<DocumentTreeModel> m_model;
    int m_accounts = 0;
};
