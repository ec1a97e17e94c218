// The details pane in the real window on the sandbox: select an item and read what the service
// holds about it, fetched once the selection settles, with failures and quick switches handled.

#include "accountmanager.h"
#include "connectors/care360/care360connector.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "detailspane.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "mainwindow.h"
#include "sandboxprocess.h"
#include "windowservices.h"

#include <QDir>
#include <QDockWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>

using namespace Docket;

class TestDetailsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

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

private:
    QModelIndex accountRow(ServiceKind service) const;
    QModelIndex childAt(const QModelIndex &parent, int row = 0);
    void select(const QModelIndex &sourceIndex);
    QString paneText() const { return m_window->detailsPane()->browser()->toPlainText(); }
    QStringList segmentTexts(const QModelIndex &document);
    void screenshot(QWidget *widget, const QString &name);

    SandboxProcess m_sandbox;
    std::unique_ptr<WindowServices> m_services;
    DocumentTreeModel *m_model = nullptr; // m_services's
    AccountManager *m_accounts = nullptr; // m_services's
    std::unique_ptr<MainWindow> m_window;
};

void TestDetailsPane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestDetailsPane::init()
{
    QVERIFY(m_sandbox.reset());
    m_services = std::make_unique<WindowServices>();
    QString why;
    QVERIFY2(m_services->isReady(&why), qPrintable(why));
    m_model = m_services->model();
    m_accounts = m_services->accounts();
    m_window = std::make_unique<MainWindow>(m_model);
    m_window->resize(1280, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 4, 20000);
}

void TestDetailsPane::cleanup()
{
    m_window.reset();
    m_services.reset();
}

QModelIndex TestDetailsPane::accountRow(ServiceKind service) const
{
    return m_services->accountRow(service);
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

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
