// The real window on the sandbox: browse, select, press Delete, read the confirmation, confirm or
// cancel, and see the row go (or stay, with the reason) and the sandbox's state change.

#include "accountmanager.h"
#include "applicationinfo.h"
#include "confirmdeletedialog.h"
#include "connector.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "emptystatewidget.h"
#include "mainwindow.h"
#include "sandboxprocess.h"
#include "sandboxwindowfixture.h"
#include "screenshot.h"

#include <QAccessible>
#include <QDir>
#include <QHeaderView>
#include <QJsonArray>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTest>
#include <QToolButton>

using namespace Docket;

class TestMainWindow : public SandboxWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void emptyWindowSaysWhatToDo();
    void menusHaveMnemonicsAndShortcuts();
    void everyActionHasAKeyAndAnAccessibleName();
    void showsEveryPracticeAccount();
    void deleteSessionAsksTypedConfirmationThenRemovesTheRow();
    void cancelSendsNothing();
    void serverErrorKeepsTheRowWithTheReason();
    void care360SaysSoftDelete();
    void care360FileOfStaffStaysNotPermitted();
    void manyItemsNeedTypedConfirmation();
    void selectingSeveralDeletesThemAll();
    void layoutIsKeptBetweenRuns();
    void filterKeepsAncestors();

private:
    QModelIndex firstChild(const QModelIndex &parent);
    ConfirmDeleteDialog *pressDeleteOn(const QModelIndex &sourceIndex);
    QStringList deleted(const QString &service, const QString &kind) const;
    void screenshot(QWidget *widget, const QString &name);
};

void TestMainWindow::initTestCase()
{
    // As the window runs.
    startSandboxTranslated();
}

void TestMainWindow::init()
{
    QVERIFY(resetSandboxAndServices());
    // A lasting 500 fails fast.
    m_model->deletionQueue()->setRetryPolicy(quickRetries());
    m_window = std::make_unique<MainWindow>(m_model);
    m_window->resize(1100, 680);
    m_window->show();
    QVERIFY(waitActive(m_window.get()));
}

QModelIndex TestMainWindow::firstChild(const QModelIndex &parent)
{
    return expandAndWaitForRow(*m_window, parent);
}

ConfirmDeleteDialog *TestMainWindow::pressDeleteOn(const QModelIndex &sourceIndex)
{
    selectOnly(*m_window, sourceIndex);
    m_window->treeView()->setFocus();
    QTest::keyClick(m_window->treeView(), Qt::Key_Delete);
    ConfirmDeleteDialog *dialog = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        dialog = m_window->findChild<ConfirmDeleteDialog *>();
        return dialog && dialog->isVisible();
    });
    return shown ? dialog : nullptr;
}

QStringList TestMainWindow::deleted(const QString &service, const QString &kind) const
{
    return m_sandbox.deletedIds(service, kind);
}

void TestMainWindow::screenshot(QWidget *widget, const QString &name)
{
    QVERIFY2(saveScreenshot(widget, name), qPrintable(name));
}

void TestMainWindow::emptyWindowSaysWhatToDo()
{
    auto *empty = m_window->treeView()->emptyState();
    QVERIFY(empty->isVisible());
    QCOMPARE(empty->title(), QStringLiteral("No accounts yet"));
    QVERIFY(empty->hint().contains(QStringLiteral("--sandbox")));
    QTRY_COMPARE(empty->geometry(), m_window->treeView()->viewport()->geometry());
    QVERIFY(!m_window->findChild<QAction *>(QStringLiteral("actionDelete"))->isEnabled());
    screenshot(m_window.get(), QStringLiteral("mainwindow-empty"));
}

void TestMainWindow::menusHaveMnemonicsAndShortcuts()
{
    for (QAction *menu : m_window->menuBar()->actions())
        QVERIFY2(menu->text().contains(u'&'), qPrintable(menu->text()));
    QCOMPARE(m_window->findChild<QAction *>(QStringLiteral("actionDelete"))->shortcut(),
             QKeySequence(QKeySequence::Delete));
    QCOMPARE(m_window->findChild<QAction *>(QStringLiteral("actionRefresh"))->shortcut(),
             QKeySequence(QKeySequence::Refresh));
    QCOMPARE(m_window->findChild<QAction *>(QStringLiteral("actionFind"))->shortcut(),
             QKeySequence(QKeySequence::Find));
    QTest::keySequence(m_window.get(), QKeySequence::Find);
    QTRY_VERIFY(m_window->filterEdit()->hasFocus());
    QVERIFY(!m_window->filterEdit()->accessibleName().isEmpty());
}

void TestMainWindow::everyActionHasAKeyAndAnAccessibleName()
{
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->isSeparator() || action->menu() || action->text().isEmpty())
            continue;
        QVERIFY2(!action->shortcut().isEmpty() || action->text().contains(u'&'),
                 qPrintable(action->text()));
    }
    // Toolbar buttons are announced by name to screen readers.
    for (QToolButton *button : m_window->findChildren<QToolButton *>()) {
        if (!button->defaultAction() || !button->isVisible())
            continue;
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(button);
        QVERIFY(accessible);
        QVERIFY2(!accessible->text(QAccessible::Name).isEmpty(), qPrintable(button->objectName()));
    }
    QVERIFY(!m_window->treeView()->accessibleName().isEmpty());
}

void TestMainWindow::showsEveryPracticeAccount()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 4, 20000);
    QVERIFY(!m_window->treeView()->emptyState()->isVisible());
    for (ServiceKind service : { ServiceKind::Scriptix, ServiceKind::Care360,
                                 ServiceKind::DocumentPro, ServiceKind::Invox })
        QVERIFY(accountRow(service).isValid());
    const QModelIndex session = firstChild(accountRow(ServiceKind::Scriptix));
    QVERIFY(session.isValid());
    firstChild(accountRow(ServiceKind::Care360));
    QTRY_VERIFY(m_model->rowCount(accountRow(ServiceKind::Care360)) > 0);
    // Invox lists from the local index, filled with the sandbox's known documents.
    QVERIFY(firstChild(accountRow(ServiceKind::Invox)).isValid());
    firstChild(session);
    m_window->treeView()->setCurrentIndex(m_window->proxy()->mapFromSource(session));
    QTest::qWait(100);
    screenshot(m_window.get(), QStringLiteral("mainwindow-populated"));

    // A Care360 case's files (handed to the model as compact rows) show like any other rows.
    m_window->treeView()->collapse(m_window->proxy()->mapFromSource(session));
    m_window->treeView()->collapse(
        m_window->proxy()->mapFromSource(accountRow(ServiceKind::Scriptix)));
    const QModelIndex caseRow = firstChild(accountRow(ServiceKind::Care360));
    const QModelIndex file = firstChild(caseRow);
    QVERIFY(file.isValid());
    const RemoteItem shown = m_model->item(file);
    QCOMPARE(shown.ref.kind, NodeKind::Care360File);
    QCOMPARE(shown.ref.ids.first(), m_model->item(caseRow).ref.id());
    QVERIFY(!shown.name.isEmpty());
    QVERIFY(shown.created.isValid());
    QVERIFY(shown.sizeBytes >= 0);
    QVERIFY(!shown.status.isEmpty());
    QCOMPARE(m_model->rowCount(caseRow), m_model->item(caseRow).childCount);
    m_window->treeView()->setCurrentIndex(m_window->proxy()->mapFromSource(file));
    QTest::qWait(100);
    screenshot(m_window.get(), QStringLiteral("mainwindow-care360-files"));
}

void TestMainWindow::deleteSessionAsksTypedConfirmationThenRemovesTheRow()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Scriptix).isValid(), 20000);
    const QModelIndex account = accountRow(ServiceKind::Scriptix);
    const QModelIndex session = firstChild(account);
    QVERIFY(session.isValid());
    const RemoteItem item = m_model->item(session);
    const int before = m_model->rowCount(account);

    ConfirmDeleteDialog *dialog = pressDeleteOn(session);
    QVERIFY(dialog);
    QVERIFY(dialog->messageText().contains(item.name.toHtmlEscaped()));
    QVERIFY(dialog->detailText().contains(QStringLiteral("Permanently")));
    QVERIFY(dialog->detailText().contains(QStringLiteral("cannot be undone")));
    QCOMPARE(dialog->confirmButton()->text().remove(u'&'), QStringLiteral("Delete permanently"));
    QTRY_COMPARE(dialog->focusWidget(), static_cast<QWidget *>(dialog->cancelButton()));
    QVERIFY(dialog->cancelButton()->isDefault());
    // A session takes its documents with it: the word must be typed first.
    QVERIFY(dialog->requiresTypedConfirmation());
    QVERIFY(!dialog->confirmButton()->isEnabled());
    screenshot(dialog, QStringLiteral("confirm-scriptix-session"));
    QTest::keyClicks(dialog->typedConfirmation(), QStringLiteral("delet"));
    QVERIFY(!dialog->confirmButton()->isEnabled());
    QTest::keyClicks(dialog->typedConfirmation(), QStringLiteral("e"));
    QVERIFY(dialog->confirmButton()->isEnabled());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(
        deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).contains(item.ref.id()),
        10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(account), before - 1, 10000);
    for (int row = 0; row < m_model->rowCount(account); ++row)
        QVERIFY(m_model->item(m_model->index(row, 0, account)).ref.id() != item.ref.id());
}

void TestMainWindow::cancelSendsNothing()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Scriptix).isValid(), 20000);
    const QModelIndex session = firstChild(accountRow(ServiceKind::Scriptix));
    ConfirmDeleteDialog *dialog = pressDeleteOn(session);
    QVERIFY(dialog);
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<ConfirmDeleteDialog *>());
    QTest::qWait(200);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.delete")),
             0);
    QVERIFY(session.isValid());
}

void TestMainWindow::serverErrorKeepsTheRowWithTheReason()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Scriptix).isValid(), 20000);
    const QModelIndex session = firstChild(accountRow(ServiceKind::Scriptix));
    const QPersistentModelIndex kept(session);
    QVERIFY(m_sandbox.addFault({ { QStringLiteral("service"), QStringLiteral("scriptix") },
                                 { QStringLiteral("route"), QStringLiteral("session.delete") },
                                 { QStringLiteral("mode"), QStringLiteral("status") },
                                 { QStringLiteral("status"), 500 } }));
    ConfirmDeleteDialog *dialog = pressDeleteOn(session);
    QVERIFY(dialog);
    QTest::keyClicks(dialog->typedConfirmation(), dialog->confirmWord());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_model->data(kept, DocumentTreeModel::ErrorRole).toString().isEmpty(), 10000);
    QVERIFY(kept.isValid());
    QVERIFY(!m_model->isBusy(kept));
    QVERIFY(m_model->data(kept, DocumentTreeModel::ErrorRole)
                .toString()
                .contains(QStringLiteral("500")));
    QVERIFY(deleted(QStringLiteral("scriptix"), QStringLiteral("sessions")).isEmpty());
}

void TestMainWindow::care360SaysSoftDelete()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Care360).isValid(), 20000);
    const QModelIndex caseRow = firstChild(accountRow(ServiceKind::Care360));
    const QModelIndex file = firstChild(caseRow);
    QVERIFY(file.isValid());
    ConfirmDeleteDialog *dialog = pressDeleteOn(file);
    QVERIFY(dialog);
    QVERIFY2(dialog->detailText().contains(QStringLiteral("keeps")),
             qPrintable(dialog->detailText()));
    QVERIFY(!dialog->detailText().contains(QStringLiteral("Permanently")));
    QCOMPARE(dialog->confirmButton()->text().remove(u'&'), QStringLiteral("Delete (soft)"));
    QVERIFY(!dialog->requiresTypedConfirmation());
    screenshot(dialog, QStringLiteral("confirm-care360-file"));
    dialog->reject();
}

void TestMainWindow::care360FileOfStaffStaysNotPermitted()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Care360).isValid(), 20000);
    const QModelIndex caseRow = firstChild(accountRow(ServiceKind::Care360));
    QVERIFY(caseRow.isValid());
    // A file of this case that clinic staff uploaded (the sandbox knows; the row does not say).
    const QString patient = m_sandbox.credentials(QStringLiteral("care360"))
                                .value(QStringLiteral("patientId"))
                                .toString();
    const QString caseId = m_model->item(caseRow).ref.id();
    QString staffFile;
    QString uploader;
    for (const QJsonValue &value :
         m_sandbox.state(QStringLiteral("care360")).value(QStringLiteral("files")).toArray()) {
        const QJsonObject file = value.toObject();
        const QJsonObject by = file.value(QStringLiteral("uploadedBy")).toObject();
        if (file.value(QStringLiteral("caseId")) == caseId
            && by.value(QStringLiteral("id")) != patient) {
            staffFile = file.value(QStringLiteral("id")).toString();
            uploader = by.value(QStringLiteral("firstName")).toString();
        }
    }
    if (staffFile.isEmpty())
        QSKIP("the first case holds no file uploaded by staff in this data set");
    const QString accountId
        = m_model->data(accountRow(ServiceKind::Care360), DocumentTreeModel::AccountIdRole)
              .toString();
    // Its files are listed once the case is opened.
    QVERIFY(firstChild(caseRow).isValid());
    const NodeRef staffRef { NodeKind::Care360File, { caseId, staffFile } };
    QTRY_VERIFY(m_model->indexFor(accountId, staffRef).isValid());
    const QPersistentModelIndex row = m_model->indexFor(accountId, staffRef);
    ConfirmDeleteDialog *dialog = pressDeleteOn(row);
    QVERIFY(dialog);
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->data(row, DocumentTreeModel::ErrorRole).toString().isEmpty(),
                             10000);
    // The row stays, and its status says why in Care360's terms; so does the status bar.
    QVERIFY(row.isValid());
    const QString status = m_model->index(row.row(), DocumentTreeModel::StatusColumn, row.parent())
                               .data()
                               .toString();
    QVERIFY2(status.startsWith(QStringLiteral("Not permitted: ")), qPrintable(status));
    QVERIFY2(status.contains(uploader), qPrintable(status));
    QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("only the uploader")),
             qPrintable(m_window->statusBar()->currentMessage()));
    QVERIFY(!deleted(QStringLiteral("care360"), QStringLiteral("files")).contains(staffFile));
    m_window->treeView()->scrollTo(m_window->proxy()->mapFromSource(row));
    screenshot(m_window.get(), QStringLiteral("mainwindow-care360-not-permitted"));

    // Now Docket knows who uploaded it: asked again, it leaves the file out and sends nothing.
    const int sent
        = m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("file.delete"));
    QCOMPARE(sent, 1);
    // The confirmation was the active window; offscreen, activation does not come back by itself.
    QVERIFY(waitActive(m_window.get()));
    m_window->statusBar()->clearMessage();
    selectOnly(*m_window, row);
    m_window->treeView()->setFocus();
    QTest::keyClick(m_window->treeView(), Qt::Key_Delete);
    // Said before anything is sent (not Care360's answer: it was not asked).
    QTRY_VERIFY(
        m_window->statusBar()->currentMessage().startsWith(QStringLiteral("Not permitted: "))
        && m_window->statusBar()->currentMessage().contains(uploader)
        && !m_window->statusBar()->currentMessage().contains(QStringLiteral("still")));
    QTest::qWait(200);
    QVERIFY(!m_window->findChild<ConfirmDeleteDialog *>());
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("care360"), QStringLiteral("file.delete")),
             sent);

    // With another file beside it, the confirmation asks for that one and names the one it
    // leaves out.
    QModelIndex other;
    for (int i = 0; i < m_model->rowCount(caseRow) && !other.isValid(); ++i) {
        const QModelIndex candidate = m_model->index(i, 0, caseRow);
        if (m_model->item(candidate).ref.id() != staffFile)
            other = candidate;
    }
    QVERIFY(other.isValid());
    QItemSelection both;
    both.select(m_window->proxy()->mapFromSource(other), m_window->proxy()->mapFromSource(other));
    const QModelIndex viewRow = m_window->proxy()->mapFromSource(row);
    both.select(viewRow, viewRow);
    m_window->treeView()->selectionModel()->select(
        both, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_window->treeView()->setFocus();
    QTest::keyClick(m_window->treeView(), Qt::Key_Delete);
    ConfirmDeleteDialog *mixed = nullptr;
    QTRY_VERIFY((mixed = m_window->findChild<ConfirmDeleteDialog *>()) && mixed->isVisible());
    dialog = mixed;
    QVERIFY2(dialog->detailText().contains(QStringLiteral("Left out, not sent (1)")),
             qPrintable(dialog->detailText()));
    QVERIFY2(dialog->detailText().contains(QStringLiteral("only the uploader can delete it")),
             qPrintable(dialog->detailText()));
    QVERIFY2(dialog->messageText().contains(m_model->item(other).name.toHtmlEscaped()),
             qPrintable(dialog->messageText()));
    screenshot(dialog, QStringLiteral("confirm-care360-left-out"));
    dialog->reject();
}

void TestMainWindow::manyItemsNeedTypedConfirmation()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Care360).isValid(), 20000);
    // Care360 files have no children, so only the count asks for the typed word.
    QList<ConfirmDeleteDialog::Entry> entries;
    const QModelIndex caseRow = firstChild(accountRow(ServiceKind::Care360));
    QVERIFY(caseRow.isValid());
    const RemoteItem file = m_model->item(firstChild(caseRow));
    Connector *connector = m_model->connectorFor(caseRow);
    for (int i = 0; i <= ConfirmDeleteDialog::typedConfirmationThreshold; ++i)
        entries.append({ file, connector->describeDelete(file), connector->account().label() });
    ConfirmDeleteDialog many(entries, m_window.get());
    QVERIFY(many.requiresTypedConfirmation());
    QVERIFY(many.messageText().contains(QStringLiteral("11 items")));
    QVERIFY(many.detailText().contains(QStringLiteral("soft-deleted")));
    many.show();
    screenshot(&many, QStringLiteral("confirm-bulk"));
    entries.removeLast();
    ConfirmDeleteDialog few(entries, m_window.get());
    QVERIFY(!few.requiresTypedConfirmation());
    QVERIFY(few.confirmButton()->isEnabled());
}

void TestMainWindow::selectingSeveralDeletesThemAll()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::DocumentPro).isValid(), 20000);
    // Two parser results of the first document that has two.
    const QModelIndex account = accountRow(ServiceKind::DocumentPro);
    firstChild(account);
    QModelIndex document;
    for (int row = 0; row < m_model->rowCount(account) && !document.isValid(); ++row) {
        const QModelIndex candidate = m_model->index(row, 0, account);
        if (m_model->item(candidate).childCount >= 2)
            document = candidate;
    }
    QVERIFY(document.isValid());
    const QModelIndex first = firstChild(document);
    QTRY_VERIFY(m_model->rowCount(document) >= 2);
    const QModelIndex second = m_model->index(1, 0, document);
    const QStringList ids = { m_model->item(first).ref.id(), m_model->item(second).ref.id() };
    auto *selection = m_window->treeView()->selectionModel();
    selection->select(m_window->proxy()->mapFromSource(first),
                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    selection->select(m_window->proxy()->mapFromSource(second),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    m_window->deleteSelection();
    ConfirmDeleteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ConfirmDeleteDialog *>()));
    QVERIFY(dialog->messageText().contains(QStringLiteral("2 items")));
    // Parser results take nothing else with them: no word to type for two of them.
    QVERIFY(!dialog->requiresTypedConfirmation());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(
        deleted(QStringLiteral("documentpro"), QStringLiteral("parserResults")).size(), 2, 10000);
    for (const QString &id : ids)
        QVERIFY(
            deleted(QStringLiteral("documentpro"), QStringLiteral("parserResults")).contains(id));
}

void TestMainWindow::layoutIsKeptBetweenRuns()
{
    // QStandardPaths test mode keeps this away from the user's own settings.
    m_window->resize(900, 500);
    m_window->treeView()->header()->resizeSection(DocumentTreeModel::KindColumn, 211);
    m_window->close();
    MainWindow again(m_model);
    QCOMPARE(again.size(), QSize(900, 500));
    QCOMPARE(again.treeView()->header()->sectionSize(DocumentTreeModel::KindColumn), 211);
}

void TestMainWindow::filterKeepsAncestors()
{
    m_accounts->openSandboxAccounts(m_sandbox.addresses());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Scriptix).isValid(), 20000);
    const QModelIndex session = firstChild(accountRow(ServiceKind::Scriptix));
    const QString name = m_model->item(session).name;
    QTest::keyClicks(m_window->filterEdit(), name);
    QTRY_VERIFY(m_window->proxy()->mapFromSource(session).isValid());
    // The account above the match stays.
    QVERIFY(m_window->proxy()->mapFromSource(accountRow(ServiceKind::Scriptix)).isValid());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
