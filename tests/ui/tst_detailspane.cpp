// The details pane in the real window on the sandbox: select an item and read what the service
// holds about it, fetched once the selection settles, with failures and quick switches handled.

#include "account.h"
#include "accountmanager.h"
#include "accountsession.h"
#include "connectors/care360/care360connector.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "detailspane.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "itemdetails.h"
#include "mainwindow.h"
#include "networkclient.h"
#include "sandboxprocess.h"
#include "sandboxwindowfixture.h"
#include "screenshot.h"

#include <QDir>
#include <QDockWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QTextBrowser>

using namespace Docket;

namespace {

// A connector whose details the pane has never seen: a document with a section of facts, a long
// table and an action. The pane must show them knowing nothing of it.
class UnknownServiceConnector : public Connector
{
public:
    using Connector::Connector;

    ServiceKind service() const override { return ServiceKind::DocumentPro; }
    ListJob *list(const NodeRef &parent, const PageRequest &) override
    {
        auto *job = new ListJob(parent, this);
        ListPage page;
        if (parent.kind == NodeKind::Account) {
            RemoteItem item;
            item.ref = { NodeKind::DocumentProDocument, { QStringLiteral("doc-1") } };
            item.name = QStringLiteral("Blind document");
            page.items = { item };
            page.total = 1;
        }
        job->setPage(page);
        job->finish();
        return job;
    }
    bool canDelete(NodeKind) const override { return false; }
    DeletePlan describeDelete(const RemoteItem &) const override { return {}; }
    SignInJob *signIn(SignInMode) override
    {
        auto *job = new SignInJob(this);
        job->finish();
        return job;
    }

    bool hasDetails(NodeKind kind) const override { return kind == NodeKind::DocumentProDocument; }
    void startDetails(DetailsJob *job, const RemoteItem &) override
    {
        DetailSection section;
        section.title = QStringLiteral("Lab findings");
        section.facts = { { QStringLiteral("Specimen"), QStringLiteral("Blood") },
                          { QStringLiteral("Weight"), qint64(2048), DetailFormat::Bytes },
                          { QStringLiteral("Fasting"), true } };
        DetailTable table;
        table.columns = { { QStringLiteral("Marker"), DetailFormat::Text },
                          { QStringLiteral("At"), DetailFormat::Offset } };
        for (int i = 0; i < 60; ++i)
            table.rows.append({ QStringLiteral("marker-%1").arg(i), 65 + i });
        table.moreRowsNote = QStringLiteral("Showing %1 of %2 markers.");
        section.table = table;
        DetailSection failed = DetailSection::failed(
            QStringLiteral("Could not read the chart:"),
            ApiError::make(ApiError::Kind::Http, QStringLiteral("Chart gone.")));
        job->setSections({ section, failed });
        job->finish();
    }
    QList<DetailAction> detailActions(NodeKind kind) const override
    {
        if (kind != NodeKind::DocumentProDocument)
            return {};
        return { { QStringLiteral("reveal"), QStringLiteral("&Reveal"),
                   QStringLiteral("Reveal the code"), QStringLiteral("Ask for the code"),
                   QStringLiteral("Revealing…") } };
    }
    DetailActionJob *runDetailAction(const RemoteItem &item, const QString &actionId) override
    {
        if (actionId != QLatin1String("reveal"))
            return Connector::runDetailAction(item, actionId);
        auto *job = new DetailActionJob(this);
        DetailSection section;
        section.title = QStringLiteral("Revealed");
        section.facts = { { QStringLiteral("Code"), QStringLiteral("4711") } };
        job->setSection(section);
        job->setLink(QStringLiteral("https://example.test/x?sig=a%2Fb"), 90);
        job->finish();
        return job;
    }

protected:
    DeleteJob *startRemove(const RemoteItem &item, const QByteArray &) override
    {
        auto *job = new DeleteJob(item, this);
        job->refuse(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("No.")));
        return job;
    }
    QString deleteAnswerProblem(const RemoteItem &, const ApiResult &) const override
    {
        return QStringLiteral("never sent");
    }
    bool isNotFoundAnswer(const ApiResult &) const override { return false; }
};

} // namespace

class TestDetailsPane : public SandboxWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void paneIsBesideTheTreeAndReachable();
    void accountRowShowsTheAccount();
    void scriptixDocumentShowsSegments();
    void documentProResultShowsStatusAndFields();
    void care360FileShowsMetadataAndALink();
    void invoxDocumentShowsIndexData();
    void scriptixSessionShowsItsDocuments();
    void fetchFailureShowsTheError();
    void quickSwitchFetchesOnlyTheLastItem();
    void lateAnswerForAnOldItemIsDropped();
    void paneRendersSectionsOfAnUnknownService();

private:
    QModelIndex childAt(const QModelIndex &parent, int row = 0);
    void select(const QModelIndex &sourceIndex);
    QString paneText() const { return m_window->detailsPane()->browser()->toPlainText(); }
    QStringList segmentTexts(const QModelIndex &document);
    void screenshot(QWidget *widget, const QString &name);
};

void TestDetailsPane::init()
{
    QVERIFY(resetSandboxAndServices());
    m_window = std::make_unique<MainWindow>(m_model);
    m_window->resize(1280, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 4, 20000);
}

QModelIndex TestDetailsPane::childAt(const QModelIndex &parent, int row)
{
    return expandAndWaitForRow(*m_window, parent, row);
}

void TestDetailsPane::select(const QModelIndex &sourceIndex)
{
    m_window->treeView()->setCurrentIndex(m_window->proxy()->mapFromSource(sourceIndex));
}

QStringList TestDetailsPane::segmentTexts(const QModelIndex &document)
{
    auto *connector = qobject_cast<ScriptixConnector *>(m_model->connectorFor(document));
    if (!connector)
        return {};
    QStringList texts;
    bool done = false;
    SimpleJob *job = connector->fetchDocument(m_model->item(document).ref);
    connect(job, &ConnectorJob::finished, this, [&](ConnectorJob *) {
        for (const QVariant &segment : job->data().value(QStringLiteral("segments")).toList())
            texts.append(segment.toMap().value(QStringLiteral("text")).toString());
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return {};
    return texts;
}

void TestDetailsPane::screenshot(QWidget *widget, const QString &name)
{
    QVERIFY(QDir().mkpath(QStringLiteral(DOCKET_SCREENSHOT_DIR)));
    const QString path = QStringLiteral(DOCKET_SCREENSHOT_DIR "/") + name + QStringLiteral(".png");
    QVERIFY(widget->grab().save(path));
}

void TestDetailsPane::paneIsBesideTheTreeAndReachable()
{
    DetailsPane *pane = m_window->detailsPane();
    QVERIFY(pane);
    QVERIFY(pane->isVisible());
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("detailsDock"));
    QVERIFY(dock);
    QCOMPARE(m_window->dockWidgetArea(dock), Qt::RightDockWidgetArea);
    QVERIFY(pane->browser()->geometry().width() > 200);
    QCOMPARE(pane->browser()->objectName(), QStringLiteral("detailsBrowser"));
    QVERIFY(!pane->browser()->accessibleName().isEmpty());
    QVERIFY(!pane->downloadLinkButton()->accessibleName().isEmpty());
    QVERIFY(pane->browser()->focusPolicy() & Qt::TabFocus);
    QVERIFY(paneText().contains(QStringLiteral("Select an item")));
    auto *action = m_window->findChild<QAction *>(QStringLiteral("actionDetails"));
    QVERIFY(action);
    QVERIFY(action->text().contains(u'&'));
    QVERIFY(!action->shortcut().isEmpty());
}

void TestDetailsPane::accountRowShowsTheAccount()
{
    const QModelIndex account = accountRow(ServiceKind::Scriptix);
    select(account);
    const QString text = paneText();
    QVERIFY2(text.contains(m_sandbox.baseUrl(QStringLiteral("scriptix")).host()), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Scriptix")));
    QVERIFY(text.contains(QStringLiteral("Signed in")));
}

void TestDetailsPane::scriptixDocumentShowsSegments()
{
    const QModelIndex session = childAt(accountRow(ServiceKind::Scriptix));
    const QModelIndex document = childAt(session);
    QVERIFY(document.isValid());
    const QStringList expected = segmentTexts(document);
    QVERIFY(!expected.isEmpty());
    const int before
        = m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("document.get"));

    select(document);
    DetailsPane *pane = m_window->detailsPane();
    QVERIFY(paneText().contains(m_model->item(document).ref.id())); // at once, from the row
    QVERIFY(paneText().contains(QStringLiteral("Permanent")));
    QVERIFY(paneText().contains(QStringLiteral("Loading")));
    QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading(), 10000);
    const QString text = paneText();
    QVERIFY2(text.contains(QStringLiteral("Transcript")), qPrintable(text));
    QVERIFY2(text.contains(expected.first().left(40)), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Comments (")));
    QVERIFY(!text.contains(QStringLiteral("Loading")));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("document.get")),
             before + 1);
    m_window->treeView()->setFocus();
    QTest::qWait(50);
    screenshot(m_window.get(), QStringLiteral("detailspane-scriptix-transcript"));
}

void TestDetailsPane::documentProResultShowsStatusAndFields()
{
    // A completed result has extracted fields.
    const QModelIndex account = accountRow(ServiceKind::DocumentPro);
    QVERIFY(childAt(account).isValid());
    QModelIndex result;
    for (int row = 0; row < m_model->rowCount(account) && !result.isValid(); ++row) {
        const QModelIndex document = m_model->index(row, 0, account);
        if (!m_model->hasChildren(document))
            continue;
        const QModelIndex candidate = childAt(document);
        if (candidate.isValid() && m_model->item(candidate).status == QLatin1String("completed"))
            result = candidate;
    }
    QVERIFY(result.isValid());
    select(result);
    DetailsPane *pane = m_window->detailsPane();
    QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading(), 10000);
    const QString text = paneText();
    QVERIFY2(text.contains(QStringLiteral("Request status")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Human verification")));
    QVERIFY(text.contains(QStringLiteral("Missing required fields")));
    QVERIFY(text.contains(QStringLiteral("completed")));
    QVERIFY2(text.contains(QStringLiteral("Extracted fields")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("Extracted fields (0)")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("Could not")));
    QVERIFY(text.contains(QStringLiteral("Permanent")));
    // Dates read as dates, not as the service's ISO 8601 text.
    static const QRegularExpression iso(QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:"));
    QVERIFY2(text.contains(QStringLiteral("Updated")) && !text.contains(iso), qPrintable(text));
    screenshot(m_window.get(), QStringLiteral("detailspane-documentpro-result"));
}

void TestDetailsPane::care360FileShowsMetadataAndALink()
{
    const QModelIndex caseRow = childAt(accountRow(ServiceKind::Care360));
    const QModelIndex file = childAt(caseRow);
    QVERIFY(file.isValid());
    select(file);
    DetailsPane *pane = m_window->detailsPane();
    QVERIFY(pane->downloadLinkButton()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading(), 10000);
    QString text = paneText();
    QVERIFY2(text.contains(QStringLiteral("Protected health information")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Uploaded by")));
    QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:"))),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Restricted")));
    // Sizes as the tree says them, wherever the pane shows one.
    const QString size
        = m_model->index(file.row(), DocumentTreeModel::SizeColumn, caseRow).data().toString();
    QVERIFY(!size.isEmpty());
    QCOMPARE(text.count(size), 2);
    QVERIFY2(!text.contains(QStringLiteral("KiB")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("keeps a copy")));
    QVERIFY(!text.contains(QStringLiteral("Download link")));

    QTest::mouseClick(pane->downloadLinkButton(), Qt::LeftButton);
    const QString host = m_sandbox.baseUrl(QStringLiteral("care360")).host();
    QTRY_VERIFY_WITH_TIMEOUT(paneText().contains(QStringLiteral("expires")), 10000);
    text = paneText();
    QVERIFY2(text.contains(QStringLiteral("http")) && text.contains(host), qPrintable(text));
    screenshot(m_window.get(), QStringLiteral("detailspane-care360-link"));

    // Never kept: another item, then back, shows no link until asked again.
    select(caseRow);
    QVERIFY(!pane->downloadLinkButton()->isVisible());
    select(file);
    QVERIFY(!paneText().contains(QStringLiteral("expires")));
}

void TestDetailsPane::invoxDocumentShowsIndexData()
{
    const QModelIndex consultation = childAt(accountRow(ServiceKind::Invox));
    const QModelIndex document = childAt(consultation);
    QVERIFY(document.isValid());
    select(document);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->detailsPane()->isLoading(), 10000);
    const QString text = paneText();
    QVERIFY2(text.contains(QStringLiteral("Consultation session")), qPrintable(text));
    QVERIFY(text.contains(m_model->item(consultation).ref.id()));
    QVERIFY(text.contains(QStringLiteral("How it was added")));
    screenshot(m_window.get(), QStringLiteral("detailspane-invox-document"));
}

void TestDetailsPane::scriptixSessionShowsItsDocuments()
{
    const QModelIndex session = childAt(accountRow(ServiceKind::Scriptix));
    QVERIFY(session.isValid());
    select(session);
    QString text = paneText();
    QVERIFY2(text.contains(QStringLiteral("Contents")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("the session and its")));
    const QModelIndex document = childAt(session);
    QVERIFY(document.isValid());
    QTRY_VERIFY(paneText().contains(document.data().toString()));
}

void TestDetailsPane::fetchFailureShowsTheError()
{
    const QModelIndex document = childAt(childAt(accountRow(ServiceKind::Scriptix)));
    QVERIFY(document.isValid());
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), QStringLiteral("scriptix") },
                                 { QStringLiteral("route"), QStringLiteral("document.get") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 500 } }));
    select(document);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->detailsPane()->isLoading(), 15000);
    const QString text = paneText();
    QVERIFY2(text.contains(QStringLiteral("Could not load the transcript")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("Loading")));
    // The row's own facts are still there.
    QVERIFY(text.contains(m_model->item(document).ref.id()));
    screenshot(m_window.get(), QStringLiteral("detailspane-error"));
}

void TestDetailsPane::quickSwitchFetchesOnlyTheLastItem()
{
    const QModelIndex account = accountRow(ServiceKind::Scriptix);
    const QModelIndex first = childAt(childAt(account, 0));
    const QModelIndex second = childAt(childAt(account, 1));
    const QModelIndex result = childAt(childAt(accountRow(ServiceKind::DocumentPro)));
    QVERIFY(first.isValid() && second.isValid() && result.isValid());
    const QStringList expected = segmentTexts(second);
    QVERIFY(!expected.isEmpty());
    const int before
        = m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("document.get"));
    const int resultsBefore
        = m_sandbox.requestCount(QStringLiteral("documentpro"), QStringLiteral("result.get"));

    select(first);
    select(result);
    select(second);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->detailsPane()->isLoading(), 10000);
    QTest::qWait(300);
    const QString text = paneText();
    QVERIFY(text.contains(m_model->item(second).ref.id()));
    QVERIFY(!text.contains(m_model->item(first).ref.id()));
    QVERIFY2(text.contains(expected.first().left(40)), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("Request status")));
    // Only the item the selection settled on was fetched.
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("document.get")),
             before + 1);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("documentpro"), QStringLiteral("result.get")),
             resultsBefore);
}

void TestDetailsPane::lateAnswerForAnOldItemIsDropped()
{
    const QModelIndex account = accountRow(ServiceKind::Scriptix);
    const QModelIndex first = childAt(childAt(account, 0));
    const QModelIndex second = childAt(childAt(account, 1));
    QVERIFY(first.isValid() && second.isValid());
    const QStringList firstTexts = segmentTexts(first);
    const QStringList secondTexts = segmentTexts(second);
    QVERIFY(!firstTexts.isEmpty() && !secondTexts.isEmpty());
    // The first fetch answers late, after the second.
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), QStringLiteral("scriptix") },
                                 { QStringLiteral("route"), QStringLiteral("document.get") },
                                 { QStringLiteral("mode"), QStringLiteral("latency") },
                                 { QStringLiteral("latencyMs"), 1000 },
                                 { QStringLiteral("count"), 1 } }));
    select(first);
    QTest::qWait(DetailsPane::settleDelayMs + 200); // the first fetch is on its way
    QVERIFY(m_window->detailsPane()->isLoading());
    select(second);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->detailsPane()->isLoading(), 10000);
    QTest::qWait(1500); // the late answer has come and gone
    const QString text = paneText();
    QVERIFY2(text.contains(secondTexts.first().left(40)), qPrintable(text));
    if (!secondTexts.join(u' ').contains(firstTexts.first()))
        QVERIFY2(!text.contains(firstTexts.first().left(40)), qPrintable(text));
    QVERIFY(text.contains(m_model->item(second).ref.id()));
}

void TestDetailsPane::paneRendersSectionsOfAnUnknownService()
{
    Account account;
    account.id = QStringLiteral("unknown-service");
    account.service = ServiceKind::DocumentPro;
    account.name = QStringLiteral("Unknown");
    account.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
    NetworkClient network;
    MemoryCredentialStore store;
    AccountSession session(account, &network, &store);
    UnknownServiceConnector connector(&session);
    DocumentTreeModel model;
    model.addAccount(&connector);
    DetailsPane pane(&model);
    pane.resize(600, 700);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));

    const QModelIndex accountIndex = model.index(0, 0);
    QVERIFY(accountIndex.isValid());
    if (model.canFetchMore(accountIndex))
        model.fetchMore(accountIndex);
    QTRY_COMPARE(model.rowCount(accountIndex), 1);
    pane.setCurrentIndex(model.index(0, 0, accountIndex));
    auto *reveal = pane.findChild<QPushButton *>(QStringLiteral("revealButton"));
    QVERIFY(reveal);
    QVERIFY(reveal->isVisible());
    QCOMPARE(reveal->accessibleName(), QStringLiteral("Reveal the code"));
    QCOMPARE(reveal->text(), QStringLiteral("&Reveal"));
    QVERIFY(!pane.downloadLinkButton()->isVisible());
    QVERIFY(pane.browser()->toPlainText().contains(QStringLiteral("Loading")));
    QTRY_VERIFY_WITH_TIMEOUT(!pane.isLoading(), 5000);

    QString text = pane.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Lab findings")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Specimen")) && text.contains(QStringLiteral("Blood")));
    QVERIFY(text.contains(DocumentTreeModel::measureText(Measure::Bytes, 2048)));
    QVERIFY(text.contains(QStringLiteral("Yes")));
    QVERIFY(text.contains(QStringLiteral("Marker")));
    QVERIFY(text.contains(QStringLiteral("marker-49")));
    QVERIFY(!text.contains(QStringLiteral("marker-50")));
    QVERIFY(text.contains(QStringLiteral("1:05"))); // 65 seconds in
    QVERIFY2(text.contains(QStringLiteral("Showing 50 of 60 markers.")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Could not read the chart: Chart gone.")));
    QVERIFY(!text.contains(QStringLiteral("Loading")));

    QTest::mouseClick(reveal, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(pane.browser()->toPlainText().contains(QStringLiteral("Revealed")),
                             5000);
    text = pane.browser()->toPlainText();
    QVERIFY(text.contains(QStringLiteral("4711")));
    QVERIFY2(text.contains(QStringLiteral("https://example.test/x?sig=a%2Fb")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("expires in 90 seconds")));
    QVERIFY(reveal->isEnabled());
    saveScreenshot(&pane, QStringLiteral("detailspane-unknown-service"));
}

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
