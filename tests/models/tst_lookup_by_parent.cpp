// Connector::lookupAll(): many items under one parent looked up with one read of its listing,
// page by page, stopping as soon as every one is found; per item found, missing (only once the
// whole listing was read) or failed. Offline first (pages counted exactly), then the real
// connectors on the sandbox, and the deletion queue's resumed batches, which look their items
// up by parent too.

#include "auditlog.h"
#include "connectedaccount.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "deletionqueue.h"
#include "liveaccount.h"
#include "offlineconnector.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Docket;

namespace {

// Numbered sessions, `perPage` to a page, with the listing's total; optionally a lookup of one
// session by its own request (as Scriptix's GET), counted apart.
class CountingConnector : public NumberedSessionsConnector
{
public:
    CountingConnector(AccountSession *session, int items, int perPage, bool alone)
        : NumberedSessionsConnector(session, items, perPage)
        , m_alone(alone)
    { }

    ListJob *list(const NodeRef &parent, const PageRequest &page) override
    {
        ++pagesListed;
        auto *job = new ListJob(parent, this);
        if (failPage >= 0 && offsetOf(page) / m_perPage == failPage) {
            job->finish(ApiError::make(ApiError::Kind::Connection, QStringLiteral("down")));
            return job;
        }
        const int offset = offsetOf(page);
        ListPage listed;
        for (int i = offset; i < qMin(m_items, offset + m_perPage); ++i)
            listed.items.append(numberedSession(parent, i));
        listed.total = m_items;
        if (offset + m_perPage < m_items)
            listed.nextCursor = offset + m_perPage;
        job->setPage(listed);
        job->finish();
        return job;
    }
    bool canDelete(NodeKind) const override { return true; }

    int failPage = -1;
    int aloneLookups = 0;

protected:
    bool canLookUpAlone(NodeKind kind) const override
    {
        return m_alone && kind == NodeKind::ScriptixSession;
    }
    void lookUpAlone(LookupJob *job, qsizetype index) override
    {
        ++aloneLookups;
        const QString id = job->refs().at(index).id();
        const int number = id.mid(1).toInt();
        if (id.startsWith(u's') && number < m_items)
            job->setFound(index, numberedSession({ NodeKind::Account, {} }, number));
        else
            job->setMissing(index);
        job->finishIfAnswered();
    }

private:
    const bool m_alone;
};

struct Service : OfflineAccount<CountingConnector>
{
    Service(int items, int perPage, bool alone = false)
        : OfflineAccount(Account(), items, perPage, alone)
    { }
};

NodeRef session(int number)
{
    return { NodeKind::ScriptixSession, { QStringLiteral("s%1").arg(number) } };
}

const NodeRef top { NodeKind::Account, {} };

// Runs `job` to its end; false if it never ended.
bool ended(ConnectorJob *job)
{
    bool done = false;
    QObject::connect(job, &ConnectorJob::finished, job, [&done] { done = true; });
    return QTest::qWaitFor([&done] { return done; }, 10000);
}

// What a finished lookup said of each ref, kept past the job's deletion.
// Each ref's answer as a letter: F found, M missing, X failed.
struct Answers
{
    QString answers;
    QStringList names;
    QList<ApiError> errors;
    bool finished = false;
};

Answers await(LookupJob *job)
{
    Answers result;
    QObject::connect(job, &ConnectorJob::finished, job, [&result, job] {
        for (qsizetype i = 0; i < job->refs().size(); ++i) {
            const LookupJob::Answer answer = job->answer(i);
            result.answers.append(answer == LookupJob::Answer::Found         ? u'F'
                                      : answer == LookupJob::Answer::Missing ? u'M'
                                                                             : u'X');
            result.names.append(job->itemOf(i).name);
            result.errors.append(job->errorOf(i));
        }
        result.finished = true;
    });
    // One that never ends keeps finished false, which every test checks or trips over.
    if (!QTest::qWaitFor([&result] { return result.finished; }, 20000))
        qWarning("the lookup never ended");
    return result;
}

const QString scriptix = QStringLiteral("scriptix");

RetryPolicy quickRetries()
{
    RetryPolicy policy;
    policy.firstBackoffMs = 20;
    policy.maxBackoffMs = 200;
    return policy;
}

} // namespace

class TestLookupByParent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void readsPagesOnlyUntilEveryRefIsFound();
    void missingOnlyOnceTheWholeListingWasRead();
    void aFailedPageFailsEveryRefNotFoundYet();
    void strayRefsFailWithoutAnyRequest();
    void usesItsOwnLookupWhereThatCostsLess();
    void singleLookupIsALookupOfOne();

    void scriptixSessionsComeFromTheirListingPage();
    void documentProFetchesOnlyTheResultsSought();

    void resumedBatchReadsEachParentOnce();
    void resumedBatchWithAFailedListingSendsNothing();
    void cancelWhileResumedItemsAreLookedUpSendsNoneOfThem();

private:
    using Client = ConnectedAccount<ScriptixConnector>;
    std::unique_ptr<Client> scriptixClient(const QString &accountId);
    // The first `count` sessions of the account's listing, as Scriptix lists them.
    QList<RemoteItem> firstSessions(Client *client, int count);
    std::unique_ptr<DeletionQueue> makeQueue(Client *client, AuditLog *audit);
    QList<DeletionItem> itemsOf(const QList<RemoteItem> &remote, const QString &accountId);
    // The trail's word on each item and the sandbox agree.
    void verifyTrailAgrees(AuditLog &audit, qint64 batch);

    // 200 sessions (two pages of 100); no rate limit, as counts, not pace, are tested.
    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("200"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
    QTemporaryDir m_dir;
};

void TestLookupByParent::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
}

void TestLookupByParent::init()
{
    QVERIFY(m_sandbox.reset());
}

void TestLookupByParent::readsPagesOnlyUntilEveryRefIsFound()
{
    Service service(95, 10);
    // s3 on page 1, s47 on page 5, s12 on page 2 (named again: answered twice).
    const Answers found = await(
        service.connector.lookupAll(top, { session(3), session(47), session(12), session(3) }));
    QVERIFY(found.finished);
    QCOMPARE(found.answers, QString(4, u'F'));
    QCOMPARE(found.names,
             QStringList({ QStringLiteral("Session 3"), QStringLiteral("Session 47"),
                           QStringLiteral("Session 12"), QStringLiteral("Session 3") }));
    QCOMPARE(service.connector.pagesListed, 5); // and not one more
}

void TestLookupByParent::missingOnlyOnceTheWholeListingWasRead()
{
    Service service(95, 10);
    const Answers answers = await(service.connector.lookupAll(top, { session(5), session(500) }));
    QCOMPARE(answers.answers.at(0), QChar(u'F'));
    QCOMPARE(answers.answers.at(1), QChar(u'M'));
    QVERIFY(!answers.errors.at(1).isError());
    QCOMPARE(service.connector.pagesListed, 10); // every page read

    // Beyond the page cap the rest of the listing is unread: not known to be missing.
    Service huge(10000, 10);
    const Answers capped = await(huge.connector.lookupAll(top, { session(5), session(9999) }));
    QCOMPARE(capped.answers.at(0), QChar(u'F'));
    QCOMPARE(capped.answers.at(1), QChar(u'X'));
    QCOMPARE(capped.errors.at(1).kind, ApiError::Kind::InvalidInput);
    QCOMPARE(huge.connector.pagesListed, Connector::maxLookupPages);
}

void TestLookupByParent::aFailedPageFailsEveryRefNotFoundYet()
{
    Service service(95, 10);
    service.connector.failPage = 2;
    const Answers answers
        = await(service.connector.lookupAll(top, { session(45), session(1), session(90) }));
    QCOMPARE(answers.answers.at(1), QChar(u'F')); // on page 1, read before
    for (int i : { 0, 2 }) {
        QCOMPARE(answers.answers.at(i), QChar(u'X'));
        QCOMPARE(answers.errors.at(i).kind, ApiError::Kind::Connection);
    }
    QCOMPARE(service.connector.pagesListed, 3); // nothing after the failed page
}

void TestLookupByParent::strayRefsFailWithoutAnyRequest()
{
    Service service(95, 10);
    const NodeRef document { NodeKind::ScriptixDocument,
                             { QStringLiteral("s1"), QStringLiteral("d1") } };
    const NodeRef empty { NodeKind::ScriptixSession, { QString() } };
    const Answers answers = await(service.connector.lookupAll(top, { document, empty }));
    QVERIFY(answers.finished);
    QCOMPARE(answers.answers, QString(2, u'X'));
    QCOMPARE(answers.errors.at(0).kind, ApiError::Kind::InvalidInput);
    QCOMPARE(service.connector.pagesListed, 0);
    // None at all: answered at once.
    const Answers none = await(service.connector.lookupAll(top, {}));
    QVERIFY(none.finished);
    QCOMPARE(service.connector.pagesListed, 0);
}

void TestLookupByParent::usesItsOwnLookupWhereThatCostsLess()
{
    // One ref: its own request, no page.
    Service one(10000, 100, true);
    Answers answers = await(one.connector.lookupAll(top, { session(7777) }));
    QCOMPARE(answers.answers.at(0), QChar(u'F'));
    QCOMPARE(one.connector.pagesListed, 0);
    QCOMPARE(one.connector.aloneLookups, 1);

    // Three spread over 100 pages: the first page, then one request each for the two not on it.
    Service spread(10000, 100, true);
    answers = await(spread.connector.lookupAll(top, { session(5), session(5000), session(9000) }));
    QCOMPARE(answers.answers, QString(3, u'F'));
    QCOMPARE(spread.connector.pagesListed, 1);
    QCOMPARE(spread.connector.aloneLookups, 2);

    // More refs than pages: the pages are read.
    Service dense(300, 100, true);
    QList<NodeRef> refs;
    for (int i = 0; i < 300; i += 20)
        refs.append(session(i));
    answers = await(dense.connector.lookupAll(top, refs));
    QCOMPARE(answers.answers, QString(refs.size(), u'F'));
    QCOMPARE(dense.connector.pagesListed, 3);
    QCOMPARE(dense.connector.aloneLookups, 0);

    // A failed page fails the rest: they are not looked up alone instead.
    Service failing(10000, 100, true);
    failing.connector.failPage = 0;
    answers = await(failing.connector.lookupAll(top, { session(5), session(6) }));
    QCOMPARE(answers.answers, QString(2, u'X'));
    QCOMPARE(failing.connector.aloneLookups, 0);
}

void TestLookupByParent::singleLookupIsALookupOfOne()
{
    Service service(95, 10);
    ItemJob *job = service.connector.lookup(session(93));
    bool found = false;
    QString name;
    QObject::connect(job, &ConnectorJob::finished, job, [&] {
        found = job->found();
        name = job->item().name;
    });
    QVERIFY(ended(job));
    QVERIFY(found);
    QCOMPARE(name, QStringLiteral("Session 93"));
    QCOMPARE(service.connector.pagesListed, 10);
}

std::unique_ptr<TestLookupByParent::Client>
TestLookupByParent::scriptixClient(const QString &accountId)
{
    Account account;
    account.id = accountId;
    account.service = ServiceKind::Scriptix;
    account.name = QStringLiteral("Lookups");
    account.baseUrl = m_sandbox.baseUrl(scriptix);
    account.requestsPerMinute = 0;
    auto client = std::make_unique<Client>();
    openSignedIn(*client, account,
                 m_sandbox.credentials(scriptix).value(QStringLiteral("token")).toString());
    return client;
}

QList<RemoteItem> TestLookupByParent::firstSessions(Client *client, int count)
{
    ListJob *job = client->connector->list(top, { {}, 100 });
    QList<RemoteItem> items;
    QObject::connect(job, &ConnectorJob::finished, job,
                     [&items, job] { items = job->page().items; });
    if (!ended(job))
        return {};
    return items.mid(0, count);
}

void TestLookupByParent::scriptixSessionsComeFromTheirListingPage()
{
    auto client = scriptixClient(QStringLiteral("scriptix-lookups"));
    const QList<RemoteItem> listed = firstSessions(client.get(), 30);
    QCOMPARE(listed.size(), 30);
    QList<NodeRef> refs;
    for (const RemoteItem &item : listed)
        refs.append(item.ref);
    const int listsBefore = m_sandbox.requestCount(scriptix, QStringLiteral("session.list"));
    const Answers answers = await(client->connector->lookupAll(top, refs));
    QCOMPARE(answers.answers, QString(30, u'F'));
    for (int i = 0; i < 30; ++i)
        QCOMPARE(answers.names.at(i), listed.at(i).name);
    // One page of the list named them all: no GET per session.
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.list")) - listsBefore, 1);
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.get")), 0);
}

void TestLookupByParent::documentProFetchesOnlyTheResultsSought()
{
    auto live = live::documentPro(m_sandbox, QStringLiteral("dp-lookups"));
    QVERIFY(live);
    // A document with at least two results.
    ListJob *documents = live->connector->list(top, { {}, 100 });
    QList<RemoteItem> listed;
    QObject::connect(documents, &ConnectorJob::finished, documents,
                     [&listed, documents] { listed = documents->page().items; });
    QVERIFY(ended(documents));
    std::optional<RemoteItem> document;
    for (const RemoteItem &item : std::as_const(listed)) {
        if (item.childCount >= 2)
            document = item;
    }
    QVERIFY(document);
    QStringList runs;
    for (const QVariant &run : document->details.value(QStringLiteral("parser_runs")).toList()) {
        const QString id = run.toMap().value(QStringLiteral("request_id")).toString();
        if (!id.isEmpty())
            runs.append(id);
    }
    QVERIFY(runs.size() >= 2);
    const QString documentPro = QStringLiteral("documentpro");
    const int listsBefore = m_sandbox.requestCount(documentPro, QStringLiteral("documents.list"));
    const int getsBefore = m_sandbox.requestCount(documentPro, QStringLiteral("result.get"));
    // One run sought, one that is not the document's.
    const Answers answers = await(live->connector->lookupAll(
        document->ref,
        { document->ref.child(NodeKind::DocumentProResult, runs.at(0)),
          document->ref.child(NodeKind::DocumentProResult, QStringLiteral("no_such_run")) }));
    QCOMPARE(answers.answers.at(0), QChar(u'F'));
    QVERIFY(!answers.names.at(0).isEmpty());
    QCOMPARE(answers.answers.at(1), QChar(u'M'));
    // The document once, and only the result sought: not all of its runs.
    QCOMPARE(m_sandbox.requestCount(documentPro, QStringLiteral("documents.list")) - listsBefore,
             1);
    QCOMPARE(m_sandbox.requestCount(documentPro, QStringLiteral("result.get")) - getsBefore, 1);

    // A document DocumentPro does not list: its results cannot be looked up (an error, never
    // "missing").
    const NodeRef stray { NodeKind::DocumentProDocument, { QStringLiteral("NO_SUCH_DOC") } };
    const Answers failed = await(live->connector->lookupAll(
        stray, { stray.child(NodeKind::DocumentProResult, runs.at(0)) }));
    QCOMPARE(failed.answers.at(0), QChar(u'X'));
}

std::unique_ptr<DeletionQueue> TestLookupByParent::makeQueue(Client *client, AuditLog *audit)
{
    const QString accountId = client->session->account().id;
    Connector *connector = client->connector.get();
    auto queue = std::make_unique<DeletionQueue>(
        [accountId, connector](const QString &id) { return id == accountId ? connector : nullptr; },
        audit);
    queue->setRetryPolicy(quickRetries());
    return queue;
}

QList<DeletionItem> TestLookupByParent::itemsOf(const QList<RemoteItem> &remote,
                                                const QString &accountId)
{
    QList<DeletionItem> items;
    for (const RemoteItem &each : remote) {
        DeletionItem item;
        item.accountId = accountId;
        item.accountName = QStringLiteral("Scriptix — Lookups");
        item.service = ServiceKind::Scriptix;
        item.ref = each.ref;
        item.name = each.name;
        items.append(item);
    }
    return items;
}

void TestLookupByParent::verifyTrailAgrees(AuditLog &audit, qint64 batch)
{
    const QStringList sessions = m_sandbox.deletedIds(scriptix, QStringLiteral("sessions"));
    const QStringList documents = m_sandbox.deletedIds(scriptix, QStringLiteral("documents"));
    QSet<QString> deleted(sessions.cbegin(), sessions.cend());
    deleted.unite(QSet<QString>(documents.cbegin(), documents.cend()));
    for (const DeletionItem &item : audit.batchItems(batch)) {
        if (item.state == DeletionState::Deleted)
            QVERIFY2(deleted.contains(item.ref.id()), qPrintable(item.ref.id()));
        else if (item.state != DeletionState::AlreadyGone)
            QVERIFY2(!deleted.contains(item.ref.id()),
                     qPrintable(deletionStateId(item.state) + u' ' + item.ref.id()));
    }
}

void TestLookupByParent::resumedBatchReadsEachParentOnce()
{
    const QString path = m_dir.filePath(QStringLiteral("resume-by-parent.sqlite"));
    auto client = scriptixClient(QStringLiteral("resume-by-parent"));
    const QString accountId = client->session->account().id;
    // A batch a stopped Docket left: 30 sessions of the first page, one of them recorded under a
    // name it no longer has, one Scriptix no longer holds.
    QList<DeletionItem> items = itemsOf(firstSessions(client.get(), 30), accountId);
    QCOMPARE(items.size(), 30);
    items[4].name = QStringLiteral("someone-else-2026-01-01.m4a");
    DeletionItem gone = items.first();
    gone.ref = { NodeKind::ScriptixSession, { QStringLiteral("sess_gone") } };
    gone.name = QStringLiteral("gone.m4a");
    items.append(gone);
    qint64 batch = 0;
    {
        AuditLog stopped(path);
        QVERIFY(stopped.open(nullptr));
        batch = stopped.createBatch(items, QStringLiteral("window"));
        QVERIFY(batch > 0);
    }
    AuditLog audit(path);
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    const int listsBefore = m_sandbox.requestCount(scriptix, QStringLiteral("session.list"));
    QVERIFY(queue->resume(batch));
    QVERIFY(QTest::qWaitFor([&queue] { return !queue->isBusy(); }, 30000));
    // The whole session list (two pages: sess_gone is on neither) instead of a GET each.
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.list")) - listsBefore, 2);
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.get")), 0);
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.delete")), 29);
    const QList<DeletionItem> done = queue->items();
    QCOMPARE(done.size(), 31);
    for (int i = 0; i < 31; ++i) {
        const DeletionState expected = i == 4 ? DeletionState::Changed
            : i == 30                         ? DeletionState::AlreadyGone
                                              : DeletionState::Deleted;
        QCOMPARE(done.at(i).state, expected);
    }
    verifyTrailAgrees(audit, batch);

    // Documents of two sessions, interleaved: each session read once (its GET names its
    // documents), every document sent.
    const QList<RemoteItem> sessions = firstSessions(client.get(), 2);
    QList<QList<RemoteItem>> documents;
    for (const RemoteItem &session : sessions) {
        ListJob *job = client->connector->list(session.ref, {});
        QList<RemoteItem> listed;
        QObject::connect(job, &ConnectorJob::finished, job,
                         [&listed, job] { listed = job->page().items; });
        QVERIFY(ended(job));
        QVERIFY(!listed.isEmpty());
        documents.append(listed);
    }
    QList<RemoteItem> interleaved;
    for (qsizetype i = 0; i < qMax(documents.at(0).size(), documents.at(1).size()); ++i) {
        for (const QList<RemoteItem> &ofSession : std::as_const(documents)) {
            if (i < ofSession.size())
                interleaved.append(ofSession.at(i));
        }
    }
    {
        AuditLog stopped(path);
        QVERIFY(stopped.open(nullptr));
        QList<DeletionItem> owed = itemsOf(interleaved, accountId);
        batch = stopped.createBatch(owed, QStringLiteral("window"));
        QVERIFY(batch > 0);
    }
    const int getsBefore = m_sandbox.requestCount(scriptix, QStringLiteral("session.get"));
    QVERIFY(queue->resume(batch));
    QVERIFY(QTest::qWaitFor([&queue] { return !queue->isBusy(); }, 30000));
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.get")) - getsBefore, 2);
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("document.delete")),
             int(interleaved.size()));
    for (const DeletionItem &item : queue->items())
        QCOMPARE(item.state, DeletionState::Deleted);
    verifyTrailAgrees(audit, batch);
}

void TestLookupByParent::resumedBatchWithAFailedListingSendsNothing()
{
    const QString path = m_dir.filePath(QStringLiteral("resume-failed.sqlite"));
    auto client = scriptixClient(QStringLiteral("resume-failed"));
    QList<DeletionItem> items
        = itemsOf(firstSessions(client.get(), 5), client->session->account().id);
    QCOMPARE(items.size(), 5);
    qint64 batch = 0;
    {
        AuditLog stopped(path);
        QVERIFY(stopped.open(nullptr));
        batch = stopped.createBatch(items, QStringLiteral("window"));
    }
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), scriptix },
                                 { QStringLiteral("route"), QStringLiteral("session.list") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 503 } }));
    AuditLog audit(path);
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    QVERIFY(queue->resume(batch));
    QVERIFY(QTest::qWaitFor([&queue] { return !queue->isBusy(); }, 30000));
    // One read of the list, failed: every item not sent, and each says why.
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.list")), 2); // + listing
    QCOMPARE(m_sandbox.requestCount(scriptix, QStringLiteral("session.delete")), 0);
    for (const DeletionItem &item : queue->items()) {
        QCOMPARE(item.state, DeletionState::Failed);
        QVERIFY2(item.reason.contains(QStringLiteral("could not check")), qPrintable(item.reason));
    }
    verifyTrailAgrees(audit, batch);
}

void TestLookupByParent::cancelWhileResumedItemsAreLookedUpSendsNoneOfThem()
{
    const QString path = m_dir.filePath(QStringLiteral("resume-cancelled.sqlite"));
    auto client = scriptixClient(QStringLiteral("resume-cancelled"));
    const QList<RemoteItem> sessions = firstSessions(client.get(), 6);
    QCOMPARE(sessions.size(), 6);
    QList<DeletionItem> items = itemsOf(sessions.mid(0, 5), client->session->account().id);
    qint64 batch = 0;
    {
        AuditLog stopped(path);
        QVERIFY(stopped.open(nullptr));
        batch = stopped.createBatch(items, QStringLiteral("window"));
    }
    // The lookup's read of the session list is slow: the user cancels meanwhile, then deletes
    // another session before that answer comes.
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), scriptix },
                                 { QStringLiteral("route"), QStringLiteral("session.list") },
                                 { QStringLiteral("mode"), QStringLiteral("latency") },
                                 { QStringLiteral("latencyMs"), 1500 } }));
    AuditLog audit(path);
    QVERIFY(audit.open(nullptr));
    auto queue = makeQueue(client.get(), &audit);
    const int listsBefore = m_sandbox.requestCount(scriptix, QStringLiteral("session.list"));
    QVERIFY(queue->resume(batch));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return m_sandbox.requestCount(scriptix, QStringLiteral("session.list")) > listsBefore;
        },
        10000));
    queue->cancel();
    QList<DeletionItem> another = itemsOf(sessions.mid(5, 1), client->session->account().id);
    QVERIFY(queue->submit(another) > 0);
    QVERIFY(QTest::qWaitFor([&queue] { return !queue->isBusy(); }, 30000));
    // Only the session asked for after the cancel went; the five resumed ones end cancelled, in
    // the queue and in the trail, whatever the late lookup said.
    QCOMPARE(m_sandbox.deletedIds(scriptix, QStringLiteral("sessions")),
             QStringList { sessions.at(5).ref.id() });
    // (Once the cancel left nothing pending, the new submit started a new run: the queue's
    // items() then hold just the new one.)
    for (const DeletionItem &item : queue->items()) {
        QCOMPARE(item.state,
                 item.ref == sessions.at(5).ref ? DeletionState::Deleted
                                                : DeletionState::Cancelled);
    }
    const QList<DeletionItem> resumed = audit.batchItems(batch);
    QCOMPARE(resumed.size(), 5);
    for (const DeletionItem &item : resumed)
        QCOMPARE(item.state, DeletionState::Cancelled);
    verifyTrailAgrees(audit, batch);
}

QTEST_GUILESS_MAIN(TestLookupByParent)
#include "tst_lookup_by_parent.moc"
