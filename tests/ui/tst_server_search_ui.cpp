// The window's filter box asking the services: with 20,000 Scriptix sessions only the first page
// is in the tree, so typing a name that is not loaded shows "Searching Scriptix…", then the
// session the server found, with a note for the accounts that cannot search; a found row is
// deleted through the usual confirmation and queue, and leaves only when the service proved it.

#include "accountmanager.h"
#include "applicationinfo.h"
#include "confirmdeletedialog.h"
#include "connector.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "mainwindow.h"
#include "sandboxprocess.h"
#include "screenshot.h"
#include "searchresultsmodel.h"
#include "serversearchpanel.h"
#include "windowservices.h"

#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

using namespace Docket;

class TestServerSearchUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void filterAsksTheServerForWhatIsNotLoaded();
    void foundRowIsDeletedThroughTheQueue();
    void fullyLoadedAccountsAreNotAsked();

private:
    // A session name far beyond the loaded first page, as the server lists it.
    QString unloadedSessionName(QString *id = nullptr);
    QModelIndex openScriptix();
    void typeFilter(const QString &text);
    int sessionLists() const
    {
        return m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"));
    }
    // The session list requests that carried a search (the tree's own pages carry none).
    int sessionSearches() const
    {
        int count = 0;
        const QJsonArray requests
            = m_sandbox.requestLog(QStringLiteral("scriptix")).value(u"requests"_qs).toArray();
        for (const QJsonValue &entry : requests) {
            const QString path = entry.toObject().value(u"path"_qs).toString();
            count += entry.toObject().value(u"route"_qs).toString() == u"session.list"
                && (path.contains(u"?q=") || path.contains(u"&q="));
        }
        return count;
    }

    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("20000"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0"),
                                 QStringLiteral("--quiet") } };
    std::unique_ptr<WindowServices> m_services;
    DocumentTreeModel *m_model = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

void TestServerSearchUi::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(Docket::installTranslations());
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestServerSearchUi::init()
{
    QVERIFY(m_sandbox.reset());
    m_services = std::make_unique<WindowServices>();
    QString why;
    QVERIFY2(m_services->isReady(&why), qPrintable(why));
    m_model = m_services->model();
    m_window = std::make_unique<MainWindow>(m_model);
    m_window->resize(1100, 680);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestServerSearchUi::cleanup()
{
    m_window.reset();
    m_services.reset();
}

QModelIndex TestServerSearchUi::openScriptix()
{
    m_services->accounts()->openSandboxAccounts(m_sandbox.addresses());
    if (!QTest::qWaitFor([this] { return m_services->accountRow(ServiceKind::Scriptix).isValid(); },
                         20000))
        return {};
    const QModelIndex account = m_services->accountRow(ServiceKind::Scriptix);
    // The sandbox's limit is lifted: so is the account's, or the rows' own lookups the view
    // makes would queue the search behind them at 60 a minute.
    m_model->connectorFor(account)->session()->pacer()->setRequestsPerMinute(0);
    expandAndWaitForRow(*m_window, account);
    return account;
}

QString TestServerSearchUi::unloadedSessionName(QString *id)
{
    const QModelIndex account = m_services->accountRow(ServiceKind::Scriptix);
    Connector *connector = m_model->connectorFor(account);
    PageRequest page { QVariant(qint64(15000)), 1 };
    ListJob *job = connector->list({}, page);
    QString name;
    QObject::connect(job, &ConnectorJob::finished, job, [&name, id](ConnectorJob *done) {
        const auto *listed = static_cast<ListJob *>(done);
        if (listed->failed())
            qWarning() << "listing at 15000 failed:" << listed->error().summary();
        if (!listed->failed() && !listed->page().items.isEmpty()) {
            name = listed->page().items.first().name;
            if (id)
                *id = listed->page().items.first().ref.id();
        }
    });
    if (!QTest::qWaitFor([&name] { return !name.isEmpty(); }, 10000))
        qWarning("the session at offset 15000 did not arrive");
    return name;
}

void TestServerSearchUi::typeFilter(const QString &text)
{
    m_window->filterEdit()->setFocus();
    m_window->filterEdit()->clear();
    QTest::keyClicks(m_window->filterEdit(), text);
}

void TestServerSearchUi::filterAsksTheServerForWhatIsNotLoaded()
{
    const QModelIndex account = openScriptix();
    QVERIFY(account.isValid());
    // 20,000 sessions: a page or two are in the tree, and more are to come.
    QVERIFY(m_model->rowCount(account) < 20000);
    QString id;
    const QString wanted = unloadedSessionName(&id);
    QVERIFY(!wanted.isEmpty());
    QVERIFY(
        !m_model->indexFor(m_model->accountIdFor(account), { NodeKind::ScriptixSession, { id } })
             .isValid());

    // A slow answer, so the searching state can be seen.
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), QStringLiteral("scriptix") },
                                 { QStringLiteral("route"), QStringLiteral("session.list") },
                                 { QStringLiteral("mode"), QStringLiteral("latency") },
                                 { QStringLiteral("latencyMs"), 1500 },
                                 { QStringLiteral("count"), 1 } }));
    const int before = sessionSearches();
    ServerSearchPanel *panel = m_window->serverSearchPanel();
    typeFilter(wanted);
    QTRY_VERIFY_WITH_TIMEOUT(panel->results()->isSearching(), 5000);
    QVERIFY(panel->isVisible());
    // Every account that can search and is not fully loaded: Scriptix, and DocumentPro's 2,000.
    QVERIFY2(panel->stateLabel()->text().startsWith(u"Searching Scriptix"),
             qPrintable(panel->stateLabel()->text()));
    QVERIFY(panel->stateLabel()->text().endsWith(u"…"));
    // Care360 and Invox cannot search: said, with why.
    QVERIFY2(panel->notesLabel()->text().contains(u"Care360 sends each list whole"),
             qPrintable(panel->notesLabel()->text()));
    QVERIFY2(panel->notesLabel()->text().contains(u"Invox has no document list"),
             qPrintable(panel->notesLabel()->text()));
    QVERIFY(saveScreenshot(m_window.get(), QStringLiteral("server-search-searching")));

    QTRY_VERIFY_WITH_TIMEOUT(!panel->results()->isSearching(), 10000);
    SearchResultsModel *results = panel->results();
    QVERIFY(results->rowCount() >= 1);
    bool found = false;
    for (int row = 0; row < results->rowCount(); ++row) {
        QVERIFY(results->item(row).name.contains(wanted, Qt::CaseInsensitive));
        found = found || results->item(row).ref.id() == id;
    }
    QVERIFY(found);
    QVERIFY2(panel->stateLabel()->text().contains(u"on the server"),
             qPrintable(panel->stateLabel()->text()));
    // One request for one typed name (the keystrokes before it were not sent).
    QCOMPARE(sessionSearches() - before, 1);
    QVERIFY(saveScreenshot(m_window.get(), QStringLiteral("server-search-results")));

    // Clearing the box hides the panel.
    m_window->filterEdit()->clear();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isVisible(), 5000);
}

void TestServerSearchUi::foundRowIsDeletedThroughTheQueue()
{
    QVERIFY(openScriptix().isValid());
    QString id;
    const QString wanted = unloadedSessionName(&id);
    QVERIFY(!wanted.isEmpty());
    ServerSearchPanel *panel = m_window->serverSearchPanel();
    typeFilter(wanted);
    QTRY_VERIFY_WITH_TIMEOUT(panel->results()->rowCount() > 0 && !panel->results()->isSearching(),
                             10000);
    int row = -1;
    for (int r = 0; r < panel->results()->rowCount(); ++r) {
        if (panel->results()->item(r).ref.id() == id)
            row = r;
    }
    QVERIFY(row >= 0);
    QTreeView *view = panel->resultsView();
    view->setFocus();
    view->selectionModel()->select(panel->results()->index(row, 0),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTest::keyClick(view, Qt::Key_Delete);
    ConfirmDeleteDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (dialog = m_window->findChild<ConfirmDeleteDialog *>()) && dialog->isVisible(), 5000);
    QVERIFY(dialog->messageText().contains(wanted.toHtmlEscaped()));
    // A session takes its documents: the word is typed, as for a tree row.
    if (dialog->requiresTypedConfirmation())
        QTest::keyClicks(dialog->typedConfirmation(), QStringLiteral("delete"));
    QVERIFY(dialog->confirmButton()->isEnabled());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(
        m_sandbox.deletedIds(QStringLiteral("scriptix"), QStringLiteral("sessions")).contains(id),
        10000);
    QTRY_VERIFY_WITH_TIMEOUT(panel->results()->rowOf(m_model->accountIdFor(m_services->accountRow(
                                                         ServiceKind::Scriptix)),
                                                     { NodeKind::ScriptixSession, { id } })
                                 < 0,
                             10000);
    // Only that one was sent.
    QCOMPARE(m_sandbox.deletedIds(QStringLiteral("scriptix"), QStringLiteral("sessions")),
             QStringList { id });
}

void TestServerSearchUi::fullyLoadedAccountsAreNotAsked()
{
    // Without the big Scriptix list (not opened), nothing needs the server: no panel.
    const int before = sessionLists();
    typeFilter(QStringLiteral("consult"));
    QTest::qWait(700);
    QVERIFY(!m_window->serverSearchPanel()->isVisible());
    QCOMPARE(sessionLists(), before);
}

QTEST_MAIN(TestServerSearchUi)
#include "tst_server_search_ui.moc"
