// Deleting many items from the real window on the sandbox: the progress panel (N of M, failures,
// time left, Cancel), the summary with a reason per failure and Retry, the Activity view (filter,
// CSV export), quitting mid-batch, and resuming a batch a stopped Docket left.

#include "accountmanager.h"
#include "activitydialog.h"
#include "activitymodel.h"
#include "applicationinfo.h"
#include "auditlog.h"
#include "confirmdeletedialog.h"
#include "connector.h"
#include "deletionprogresspanel.h"
#include "deletionqueue.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "interruptedbatchdialog.h"
#include "mainwindow.h"
#include "sandboxprocess.h"
#include "sandboxwindowfixture.h"
#include "screenshot.h"
#include "testhttp.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Docket;

class TestBulkDelete : public SandboxWindowFixture
{
    Q_OBJECT

public:
    TestBulkDelete()
        : SandboxWindowFixture({ QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") })
    { }

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void progressThenSummaryWithReasonsThenRetry();
    void cancelLeavesTheRestAndSaysSo();
    void activityShowsEveryAttemptFiltersAndExports();
    void quittingMidBatchAsksFirst();
    void interruptedBatchIsOfferedThenResumed();
    void interruptedBatchCanBeDiscarded();

private:
    void createWindow();
    QModelIndex scriptixAccount() const;
    // Lists the Scriptix sessions and selects the first `count` of them in the view.
    QList<QPersistentModelIndex> selectSessions(int count);
    // Presses Delete, types the word if asked, confirms.
    void confirmDelete();
    // Confirms the delete with every answer `latencyMs` late, two at a time: progress shows.
    void deleteSlowly(int latencyMs);
    QStringList deletedSessions() const;
    bool addDeleteFault(const QJsonObject &rule) const;
    void screenshot(QWidget *widget, const QString &name);
    QString auditPath() const { return m_dir->filePath(QStringLiteral("audit.sqlite")); }

    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<DeletionQueue> m_queue;
};

void TestBulkDelete::initTestCase()
{
    // As the window runs.
    startSandboxTranslated();
}

// As docket_main.cpp wires it: the trail, the queue over the account manager, the window.
void TestBulkDelete::createWindow()
{
    m_audit = std::make_unique<AuditLog>(auditPath());
    QVERIFY(m_audit->open(nullptr));
    AccountManager *accounts = m_accounts;
    m_queue = std::make_unique<DeletionQueue>(
        [accounts](const QString &id) { return accounts->connector(id); }, m_audit.get());
    m_queue->setRetryPolicy(quickRetries());
    m_window = std::make_unique<MainWindow>(m_model);
    m_window->setDeletionQueue(m_queue.get());
    m_window->setAccountServices(m_accounts, nullptr, nullptr);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(waitActive(m_window.get()));
}

void TestBulkDelete::cleanup()
{
    m_window.reset();
    m_queue.reset();
    m_audit.reset();
    releaseServices();
}

QModelIndex TestBulkDelete::scriptixAccount() const
{
    return m_services->accountRow(ServiceKind::Scriptix);
}

QList<QPersistentModelIndex> TestBulkDelete::selectSessions(int count)
{
    QList<QPersistentModelIndex> rows;
    if (!QTest::qWaitFor([this] { return scriptixAccount().isValid(); }, 20000))
        return rows;
    const QModelIndex account = scriptixAccount();
    m_window->treeView()->expand(m_window->proxy()->mapFromSource(account));
    if (!QTest::qWaitFor([&] { return m_model->rowCount(account) >= count; }, 10000))
        return rows;
    auto *selection = m_window->treeView()->selectionModel();
    selection->clearSelection();
    for (int row = 0; row < count; ++row) {
        const QModelIndex session = m_model->index(row, 0, account);
        rows.append(session);
        selection->select(m_window->proxy()->mapFromSource(session),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    return rows;
}

void TestBulkDelete::confirmDelete()
{
    m_window->treeView()->setFocus();
    QTest::keyClick(m_window->treeView(), Qt::Key_Delete);
    ConfirmDeleteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ConfirmDeleteDialog *>()) && dialog->isVisible());
    if (dialog->requiresTypedConfirmation())
        QTest::keyClicks(dialog->typedConfirmation(), dialog->confirmWord());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
}

void TestBulkDelete::deleteSlowly(int latencyMs)
{
    QVERIFY(addDeleteFault({ { QStringLiteral("mode"), QStringLiteral("latency") },
                             { QStringLiteral("latencyMs"), latencyMs } }));
    m_queue->setMaxConcurrentPerAccount(2);
    confirmDelete();
}

QStringList TestBulkDelete::deletedSessions() const
{
    return m_sandbox.deletedIds(QStringLiteral("scriptix"), QStringLiteral("sessions"));
}

bool TestBulkDelete::addDeleteFault(const QJsonObject &rule) const
{
    QJsonObject full = rule;
    full.insert(QStringLiteral("service"), QStringLiteral("scriptix"));
    full.insert(QStringLiteral("route"), QStringLiteral("session.delete"));
    return m_sandbox.addFault(full);
}

void TestBulkDelete::screenshot(QWidget *widget, const QString &name)
{
    QVERIFY2(saveScreenshot(widget, name), qPrintable(name));
}

void TestBulkDelete::progressThenSummaryWithReasonsThenRetry()
{
    createWindow();
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    const QList<QPersistentModelIndex> rows = selectSessions(12);
    QCOMPARE(rows.size(), 12);
    // The first two deletes are refused (a conflict: worth retrying later); every answer takes a
    // while, so progress can be seen.
    QVERIFY(addDeleteFault({ { QStringLiteral("mode"), QStringLiteral("status") },
                             { QStringLiteral("status"), 409 },
                             { QStringLiteral("count"), 2 } }));
    deleteSlowly(250);

    DeletionProgressPanel *panel = m_window->progressPanel();
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("deletionDock"));
    QTRY_VERIFY(dock->isVisible());
    QTRY_VERIFY(panel->headline()->text().startsWith(QStringLiteral("Deleting ")));
    QVERIFY(panel->headline()->text().contains(QStringLiteral("of 12 items")));
    QVERIFY(panel->cancelButton()->isVisible());
    QVERIFY(!panel->closeButton()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(panel->detail()->text().contains(QStringLiteral("left")), 5000);
    QVERIFY(panel->detail()->text().contains(QStringLiteral("Now: ")));
    // The first answers may be successes: the two refusals are counted once both have come (the
    // last four items still take their 250 ms after that).
    QTRY_VERIFY_WITH_TIMEOUT(
        panel->detail()->text().contains(QStringLiteral("2 not deleted so far")), 5000);
    // Rows being deleted are busy, not gone.
    QVERIFY(m_model->isBusy(rows.last()));
    screenshot(m_window.get(), QStringLiteral("bulk-delete-progress"));

    QTRY_VERIFY_WITH_TIMEOUT(!m_queue->isBusy(), 20000);
    QCOMPARE(panel->headline()->text(), QStringLiteral("10 of 12 items deleted; 2 not deleted."));
    QVERIFY2(panel->detail()->text().contains(QStringLiteral("2 failed: still on the service.")),
             qPrintable(panel->detail()->text()));
    QCOMPARE(panel->progressBar()->value(), 12);
    QVERIFY(panel->failureList()->isVisible());
    QCOMPARE(panel->failureList()->topLevelItemCount(), 2);
    for (int i = 0; i < 2; ++i) {
        const QString reason = panel->failureList()->topLevelItem(i)->text(2);
        QVERIFY2(reason.startsWith(QStringLiteral("Failed: ")), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("409")), qPrintable(reason));
    }
    QVERIFY(panel->retryButton()->isVisible());
    QVERIFY(panel->closeButton()->isVisible());
    QCOMPARE(deletedSessions().size(), 10);
    // The two refused rows stay, saying why; the others left the tree.
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(scriptixAccount()), 14 - 10, 10000);
    screenshot(m_window.get(), QStringLiteral("bulk-delete-summary"));

    QTest::mouseClick(panel->retryButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_queue->isBusy(), 20000);
    QCOMPARE(panel->headline()->text(), QStringLiteral("Deleted 12 items."));
    QVERIFY(!panel->failureList()->isVisible());
    QCOMPARE(deletedSessions().size(), 12);
    QTest::mouseClick(panel->closeButton(), Qt::LeftButton);
    QVERIFY(!dock->isVisible());
}

void TestBulkDelete::cancelLeavesTheRestAndSaysSo()
{
    createWindow();
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    const QList<QPersistentModelIndex> rows = selectSessions(12);
    QCOMPARE(rows.size(), 12);
    deleteSlowly(400);
    DeletionProgressPanel *panel = m_window->progressPanel();
    QTRY_VERIFY(panel->cancelButton()->isVisible() && panel->cancelButton()->isEnabled());
    QTRY_COMPARE(m_queue->progress().inFlight, 2);
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_queue->isBusy(), 10000);
    const int sent = m_queue->progress().deleted;
    QVERIFY(sent >= 2 && sent < 12);
    QCOMPARE(panel->headline()->text(),
             QStringLiteral("Cancelled: %1 deleted, %2 not sent.").arg(sent).arg(12 - sent));
    QCOMPARE(deletedSessions().size(), sent);
    QCOMPARE(panel->retryButton()->text().remove(u'&'), QStringLiteral("Resume cancelled"));
    // What was not sent is still in the tree, usable again.
    int stillThere = 0;
    for (const QPersistentModelIndex &row : rows) {
        if (row.isValid()) {
            ++stillThere;
            QVERIFY(!m_model->isBusy(row));
        }
    }
    QCOMPARE(stillThere, 12 - sent);
}

void TestBulkDelete::activityShowsEveryAttemptFiltersAndExports()
{
    createWindow();
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QCOMPARE(selectSessions(5).size(), 5);
    QVERIFY(addDeleteFault({ { QStringLiteral("mode"), QStringLiteral("status") },
                             { QStringLiteral("status"), 409 },
                             { QStringLiteral("count"), 1 } }));
    confirmDelete();
    QTRY_VERIFY_WITH_TIMEOUT(m_queue->progress().total == 5 && !m_queue->isBusy(), 10000);

    QAction *showActivity = m_window->findChild<QAction *>(QStringLiteral("actionActivity"));
    QVERIFY(showActivity->isEnabled());
    QCOMPARE(showActivity->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_H));
    // The confirmation was the active window; offscreen, activation does not come back by itself.
    QVERIFY(waitActive(m_window.get()));
    QTest::keySequence(m_window.get(), showActivity->shortcut());
    ActivityDialog *activity = nullptr;
    QTRY_VERIFY((activity = m_window->findChild<ActivityDialog *>()) && activity->isVisible());
    // Read on a worker: the table fills once the trail is read.
    QTRY_COMPARE(activity->model()->rowCount(), 5);
    screenshot(activity, QStringLiteral("activity"));

    // Only the failure.
    activity->outcomeFilter()->setCurrentIndex(
        activity->outcomeFilter()->findData(int(AuditEntry::Outcome::Failed)));
    QTRY_COMPARE(activity->model()->rowCount(), 1);
    QCOMPARE(activity->model()->entries().first().httpStatus, 409);
    // Text finds an item by its id.
    activity->outcomeFilter()->setCurrentIndex(0);
    QTRY_COMPARE(activity->model()->rowCount(), 5);
    const QString someId = activity->model()->entries().last().itemRef;
    QTest::keyClicks(activity->filterEdit(), someId);
    QTRY_COMPARE(activity->model()->rowCount(), 1);
    QCOMPARE(activity->model()->entries().first().itemRef, someId);
    activity->filterEdit()->clear();
    QTRY_COMPARE(activity->model()->rowCount(), 5);

    // Export: the button asks where (never blocking), then writes what the table shows.
    QTest::mouseClick(activity->exportButton(), Qt::LeftButton);
    QFileDialog *chooser = nullptr;
    QTRY_VERIFY((chooser = activity->findChild<QFileDialog *>()) && chooser->isVisible());
    chooser->reject();
    const QString path = m_dir->filePath(QStringLiteral("activity.csv"));
    QVERIFY(activity->exportTo(path));
    QFile csv(path);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.size(), 1 + 5 + 1); // header, rows, the final line break
    QVERIFY(lines.first().startsWith("time,account,service,kind,id,name"));
    QCOMPARE(std::count_if(lines.cbegin(), lines.cend(),
                           [](const QByteArray &line) { return line.contains(",failed,409,"); }),
             1);

    // The trail is read on a worker: reload() returns at once, the table follows.
    activity->reload();
    QVERIFY(activity->isReading());
    QTRY_VERIFY(!activity->isReading());
    QCOMPARE(activity->model()->rowCount(), 5);
    // A trail that cannot be read any more says so, and shows nothing.
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(auditPath() + suffix);
    activity->reload();
    QLabel *count = activity->findChild<QLabel *>(QStringLiteral("activityCount"));
    QVERIFY(count);
    QTRY_VERIFY2(count->text().contains(QStringLiteral("not available")),
                 qPrintable(count->text()));
    QCOMPARE(activity->model()->rowCount(), 0);
    QVERIFY(!activity->exportButton()->isEnabled());
}

void TestBulkDelete::quittingMidBatchAsksFirst()
{
    createWindow();
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QCOMPARE(selectSessions(6).size(), 6);
    QVERIFY(addDeleteFault({ { QStringLiteral("mode"), QStringLiteral("latency") },
                             { QStringLiteral("latencyMs"), 500 } }));
    m_queue->setMaxConcurrentPerAccount(1);
    confirmDelete();
    QTRY_VERIFY(m_queue->isBusy());
    m_window->close();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(QStringLiteral("quitWhileDeletingBox")))
                && box->isVisible());
    QVERIFY(m_window->isVisible());
    QCOMPARE(box->defaultButton()->text().remove(u'&'), QStringLiteral("Keep deleting"));
    screenshot(box, QStringLiteral("quit-while-deleting"));
    QTest::mouseClick(box->defaultButton(), Qt::LeftButton);
    QVERIFY(m_window->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!m_queue->isBusy(), 15000);
    QCOMPARE(deletedSessions().size(), 6);
    // Idle: closing does not ask.
    QVERIFY(m_window->close());
}

void TestBulkDelete::interruptedBatchIsOfferedThenResumed()
{
    // A run of Docket that saved a batch, sent one delete (the server did it), and was killed.
    QStringList ids;
    {
        m_sandbox.reset();
        const QJsonArray sessions = m_sandbox.state(QStringLiteral("scriptix"))
                                        .value(QStringLiteral("sessions"))
                                        .toArray();
        AuditLog earlier(auditPath());
        QVERIFY(earlier.open(nullptr));
        QList<DeletionItem> items;
        for (int i = 0; i < 5; ++i) {
            DeletionItem item;
            item.accountId = QStringLiteral("sandbox-scriptix");
            item.accountName = QStringLiteral("Scriptix — Practice @ 127.0.0.1");
            item.service = ServiceKind::Scriptix;
            const QString id
                = sessions.at(i).toObject().value(QStringLiteral("session_id")).toString();
            item.ref = NodeRef { NodeKind::ScriptixSession, { id } };
            item.name = sessions.at(i).toObject().value(QStringLiteral("filename")).toString();
            items.append(item);
            ids.append(id);
        }
        QVERIFY(earlier.createBatch(items, QStringLiteral("window")) > 0);
        QVERIFY(earlier.recordAttempt(items[0]) > 0);
    }
    // The earlier run's one request reached the server; its answer never came back.
    TestHttp http;
    const QUrl session
        = urlWith(m_sandbox.baseUrl(QStringLiteral("scriptix")),
                  { QStringLiteral("speech-to-text"), QStringLiteral("session"), ids.first() });
    const QByteArray token = m_sandbox.credentials(QStringLiteral("scriptix"))
                                 .value(QStringLiteral("token"))
                                 .toString()
                                 .toUtf8();
    QCOMPARE(http.del(session, { { "Authorization", "Bearer " + token } }).status, 204);

    createWindow();
    m_window->offerToResumeInterruptedBatches();
    InterruptedBatchDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<InterruptedBatchDialog *>()) && dialog->isVisible());
    const QString summary = dialog->summaryLabel()->text();
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("interruptedBatchHeadline"))
                ->text()
                .contains(QStringLiteral("deleting 5 items.")));
    QVERIFY2(summary.contains(QStringLiteral("0 confirmed gone")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("it may have been deleted")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("1 sent, but Docket stopped")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("4 not sent yet")), qPrintable(summary));
    // The account is not signed in yet: Resume waits for it; Later is the default.
    QVERIFY(!dialog->resumeButton()->isEnabled());
    QVERIFY(dialog->laterButton()->isDefault());
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(dialog->resumeButton()->isEnabled(), 20000);
    screenshot(dialog, QStringLiteral("resume-interrupted-batch"));
    QTest::mouseClick(dialog->resumeButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!m_queue->isBusy() && m_queue->progress().total == 5, 15000);
    QCOMPARE(m_queue->progress().deleted, 5);
    // The unconfirmed one had happened: looked up before anything was sent, Scriptix no longer
    // has it, so it is already gone and not sent again.
    const DeletionItem first = *m_queue->item(m_audit->batchItems(1).first().id);
    QCOMPARE(first.state, DeletionState::AlreadyGone);
    QVERIFY2(first.reason.contains(QStringLiteral("interrupted attempt")),
             qPrintable(first.reason));
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.delete")),
             5);
    const QStringList deleted = deletedSessions();
    QCOMPARE(QSet<QString>(deleted.cbegin(), deleted.cend()),
             QSet<QString>(ids.cbegin(), ids.cend()));
    for (const DeletionItem &item : m_audit->batchItems(1))
        QVERIFY(isGone(item.state));
    QVERIFY(m_audit->interruptedBatches().isEmpty());
}

void TestBulkDelete::interruptedBatchCanBeDiscarded()
{
    {
        AuditLog earlier(auditPath());
        QVERIFY(earlier.open(nullptr));
        DeletionItem item;
        item.accountId = QStringLiteral("sandbox-scriptix");
        item.accountName = QStringLiteral("Scriptix — Practice");
        item.ref = NodeRef { NodeKind::ScriptixSession, { QStringLiteral("sess_x") } };
        QList<DeletionItem> items { item, item };
        QVERIFY(earlier.createBatch(items, QStringLiteral("cli")) > 0);
    }
    createWindow();
    m_window->offerToResumeInterruptedBatches();
    InterruptedBatchDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<InterruptedBatchDialog *>()) && dialog->isVisible());
    QTest::mouseClick(dialog->discardButton(), Qt::LeftButton);
    QTRY_VERIFY(m_audit->interruptedBatches().isEmpty());
    for (const DeletionItem &item : m_audit->batchItems(1))
        QCOMPARE(item.state, DeletionState::Cancelled);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.delete")),
             0);
}

QTEST_MAIN(TestBulkDelete)
#include "tst_bulkdelete.moc"
