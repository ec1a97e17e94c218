// Listing page by page: the PageWalker that Connector::lookup() and docket-cli read listings with,
// and the tree model's listing, against a service whose next-page cursor comes back.

#include "accountsession.h"
#include "connector.h"
#include "credentialstore.h"
#include "documenttreemodel.h"
#include "networkclient.h"
#include "offlineconnector.h"
#include "pagewalker.h"

#include <QTest>

using namespace Docket;

namespace {

// Numbered sessions, `perPage` to a page, the cursor being the next offset, with no network. With
// `wrapAt` set, the page that would start there points back to the first page instead (offsets
// 0, 10, 20, 0, 10...): a loop the old code only caught when a page pointed to itself.
class CyclingConnector : public NumberedSessionsConnector
{
public:
    using NumberedSessionsConnector::NumberedSessionsConnector;
    ListJob *list(const NodeRef &parent, const PageRequest &page) override
    {
        ++pagesListed;
        auto *job = new ListJob(parent, this);
        const int offset = offsetOf(page);
        ListPage listed;
        listed.total = announceTotal ? m_items : -1;
        for (int i = offset; i < qMin(m_items, offset + m_perPage); ++i)
            listed.items.append(numberedSession(parent, i));
        int next = offset + m_perPage;
        if (wrapAt >= 0 && next >= wrapAt)
            next = 0;
        if (next < m_items)
            listed.nextCursor = next;
        job->setPage(listed);
        job->finish();
        return job;
    }
    bool canDelete(NodeKind) const override { return false; }

    int wrapAt = -1;
    bool announceTotal = false;
};

struct CyclingService : OfflineAccount<CyclingConnector>
{
    CyclingService(int items, int perPage)
        : OfflineAccount(account(), items, perPage)
    { }
    static Account account()
    {
        Account account;
        account.id = QStringLiteral("cycling");
        account.name = QStringLiteral("cycling");
        return account;
    }
};

const QString loopMessage = QStringLiteral(
    "the service returned the same page cursor twice; stopped listing to avoid a loop");

} // namespace

class TestDocumentLister : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void walkerReadsToTheEnd();
    void walkerStopsWhenTheCursorRepeats();
    void lookupEndsWithAnErrorWhenTheCursorRepeats();
    void modelStopsWithAnErrorWhenTheCursorRepeats_data();
    void modelStopsWithAnErrorWhenTheCursorRepeats();
};

void TestDocumentLister::walkerReadsToTheEnd()
{
    CyclingService service(35, 10);
    QObject owner;
    int seen = 0;
    std::optional<PageWalker::End> end;
    PageWalker::walk(
        &service.connector, {}, {}, 0, &owner,
        [&](const ListPage &page) {
            seen += int(page.items.size());
            return PageWalker::Next::Continue;
        },
        [&](PageWalker::End how, const ApiError &) { end = how; });
    QVERIFY(QTest::qWaitFor([&] { return end.has_value(); }, 5000));
    QCOMPARE(*end, PageWalker::End::Complete);
    QCOMPARE(seen, 35);
    QCOMPARE(service.connector.pagesListed, 4);

    // A page cap: reading stops there, said to be the cap (more exist), not the end.
    end.reset();
    service.connector.pagesListed = 0;
    PageWalker::walk(
        &service.connector, {}, {}, 2, &owner,
        [&](const ListPage &) { return PageWalker::Next::Continue; },
        [&](PageWalker::End how, const ApiError &) { end = how; });
    QVERIFY(QTest::qWaitFor([&] { return end.has_value(); }, 5000));
    QCOMPARE(*end, PageWalker::End::PageLimit);
    QCOMPARE(service.connector.pagesListed, 2);
}

void TestDocumentLister::walkerStopsWhenTheCursorRepeats()
{
    CyclingService service(1000, 10);
    service.connector.wrapAt = 30;
    QObject owner;
    std::optional<PageWalker::End> end;
    ApiError error;
    PageWalker::walk(
        &service.connector, {}, {}, 0, &owner,
        [&](const ListPage &) { return PageWalker::Next::Continue; },
        [&](PageWalker::End how, const ApiError &why) {
            end = how;
            error = why;
        });
    QVERIFY(QTest::qWaitFor([&] { return end.has_value(); }, 5000));
    QCOMPARE(*end, PageWalker::End::Failed);
    QCOMPARE(error.userMessage, loopMessage);
    // The first page, then 10, 20, 0 (a cursor of its own), and 10 again is never asked for.
    QCOMPARE(service.connector.pagesListed, 4);
}

void TestDocumentLister::lookupEndsWithAnErrorWhenTheCursorRepeats()
{
    CyclingService service(1000, 10);
    service.connector.wrapAt = 30;
    ItemJob *job
        = service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s500") } });
    bool done = false;
    bool found = true;
    ApiError error;
    connect(job, &ConnectorJob::finished, this, [&] {
        done = true;
        found = job->found();
        error = job->error();
    });
    QVERIFY(QTest::qWaitFor([&] { return done; }, 5000));
    // Not "not found": the listing was never read to its end.
    QVERIFY(!found);
    QVERIFY(error.isError());
    QCOMPARE(error.userMessage, loopMessage);
    QCOMPARE(service.connector.pagesListed, 4); // and not maxLookupPages of the same pages
}

void TestDocumentLister::modelStopsWithAnErrorWhenTheCursorRepeats_data()
{
    QTest::addColumn<bool>("announceTotal");
    QTest::newRow("cursor followed page by page") << false;
    QTest::newRow("offset pages asked for at once") << true;
}

void TestDocumentLister::modelStopsWithAnErrorWhenTheCursorRepeats()
{
    QFETCH(bool, announceTotal);
    // With a total, the model asks for pages 10..90 at once; the last points back to 0.
    CyclingService service(100, 10);
    service.connector.wrapAt = 100;
    service.connector.announceTotal = announceTotal;
    if (!announceTotal)
        service.connector.wrapAt = 30;
    DocumentTreeModel model;
    model.addAccount(&service.connector);
    const QModelIndex account = model.indexForAccount(QStringLiteral("cycling"));
    QVERIFY(account.isValid());
    bool finished = false;
    bool failed = false;
    connect(&model, &DocumentTreeModel::loadFinished, this, [&] { finished = true; });
    connect(&model, &DocumentTreeModel::loadFailed, this, [&] { failed = true; });
    QVERIFY(model.fetchAll(account));
    QVERIFY2(QTest::qWaitFor([&] { return finished; }, 5000), "the listing never ended");
    QVERIFY(failed);
    QCOMPARE(model.loadState(account), DocumentTreeModel::LoadState::Error);
    QVERIFY2(model.data(account, DocumentTreeModel::ErrorRole).toString().contains(loopMessage),
             qPrintable(model.data(account, DocumentTreeModel::ErrorRole).toString()));
    // What was read before the loop showed itself stays, each row once.
    QCOMPARE(model.rowCount(account), announceTotal ? 100 : 30);
    QVERIFY(service.connector.pagesListed <= 11);
}

QTEST_GUILESS_MAIN(TestDocumentLister)
#include "tst_documentlister.moc"
