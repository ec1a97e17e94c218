#include "mainwindow.h"

#include "aboutdialog.h"
#include "accountmanager.h"
#include "accountsdialog.h"
#include "activitydialog.h"
#include "applicationinfo.h"
#include "auditlog.h"
#include "confirmdeletedialog.h"
#include "connector.h"
#include "deletionprogresspanel.h"
#include "deletionqueue.h"
#include "detailspane.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "emptystatewidget.h"
#include "interruptedbatchdialog.h"
#include "searchresultsmodel.h"
#include "serversearchpanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <docketversion.h>

using namespace Docket;

MainWindow::MainWindow(DocumentTreeModel *model, QWidget *parent)
    : QMainWindow(parent)
    , m_model(model)
    , m_proxy(new DocumentFilterProxyModel(this))
    , m_tree(new DocumentTreeView(this))
    , m_filter(new QLineEdit(this))
    , m_search(new ServerSearchPanel(this))
    , m_searchDelay(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Docket"));
    resize(1200, 720);

    m_proxy->setSourceModel(model);
    m_tree->setModel(m_proxy);
    m_tree->setObjectName(QStringLiteral("documentTree"));
    m_tree->setAccessibleName(tr("Accounts and documents"));
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(-1, Qt::AscendingOrder); // the services' own order until the user sorts
    m_tree->header()->setSectionResizeMode(DocumentTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    // Narrow enough that the name (which stretches) keeps most of a 1100-pixel window.
    m_tree->header()->resizeSection(DocumentTreeModel::KindColumn, 130);
    m_tree->header()->resizeSection(DocumentTreeModel::CreatedColumn, 155);
    m_tree->header()->resizeSection(DocumentTreeModel::SizeColumn, 80);
    m_tree->header()->resizeSection(DocumentTreeModel::StatusColumn, 170);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->setEmptyStateText(tr("No accounts yet"),
                              tr("Docket shows the documents of the services you sign in to. "
                                 "To practise, start it as “docket --sandbox”."));
    // The server's matches above the tree, shown only while a search asks the services.
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    setCentralWidget(central);

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter by name, kind or status (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(360);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text);
        if (!text.isEmpty())
            m_tree->expandAll();
        // The services are asked once typing pauses: each keystroke would cost a request.
        m_searchDelay->start();
    });
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(400);
    connect(m_searchDelay, &QTimer::timeout, this, &MainWindow::startServerSearch);
    connect(m_search->resultsView()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);

    createActions();
    m_search->resultsView()->addAction(m_deleteAction);
    m_search->resultsView()->setContextMenuPolicy(Qt::ActionsContextMenu);
    createDetailsPane();
    createMenusAndToolBar();
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::updateActions);
    connect(m_model, &DocumentTreeModel::deleteFinished, this,
            [this](const QString &, const NodeRef &ref, DeletionState outcome,
                   const ApiError &error) { showDeleteOutcome(ref, outcome, error); });
    connect(m_model, &DocumentTreeModel::loadFailed, this,
            [this](const QString &, const NodeRef &, const ApiError &error) {
                showStatus(tr("Could not list: %1 Press F5 to try again.").arg(error.userMessage),
                           0);
            });
    updateActions();
    restoreLayout();
    showStatus(tr("Ready"));
}

namespace {

QSettings layoutSettings()
{
    // Shared by docket and docket-cli (different executables): named explicitly.
    return QSettings(QStringLiteral(DOCKET_ORGANIZATION_NAME),
                     QStringLiteral(DOCKET_APPLICATION_NAME));
}

} // namespace

void MainWindow::restoreLayout()
{
    QSettings settings = layoutSettings();
    settings.beginGroup(QStringLiteral("window"));
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    m_tree->header()->restoreState(settings.value(QStringLiteral("columns")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_queue && m_queue->isBusy() && !m_quitWhileDeleting) {
        // Never lose a batch silently: ask, without blocking.
        event->ignore();
        const DeletionProgress progress = m_queue->progress();
        auto *box = new QMessageBox(QMessageBox::Question, tr("Deletes are still being sent"),
                                    tr("Quit while deleting? %n item(s) are not finished.", nullptr,
                                       progress.total - progress.finished()),
                                    QMessageBox::NoButton, this);
        box->setObjectName(QStringLiteral("quitWhileDeletingBox"));
        box->setInformativeText(tr("Deletes already sent may still happen. Nothing more is "
                                   "sent; the next time Docket starts it offers to resume."));
        QPushButton *quit = box->addButton(tr("&Quit anyway"), QMessageBox::DestructiveRole);
        QPushButton *stay = box->addButton(tr("&Keep deleting"), QMessageBox::RejectRole);
        box->setDefaultButton(stay);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(quit, &QPushButton::clicked, this, [this] {
            m_quitWhileDeleting = true;
            close();
        });
        box->open();
        return;
    }

    QSettings settings = layoutSettings();
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("columns"), m_tree->header()->saveState());
    QMainWindow::closeEvent(event);
}

// Every action of the window is added to it, so that its shortcut works wherever the focus is.
QAction *MainWindow::addWindowAction(const QString &text, const QString &objectName,
                                     const QKeySequence &shortcut, const QString &toolTip,
                                     const QString &themeIcon)
{
    auto *action = new QAction(QIcon::fromTheme(themeIcon), text, this);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    if (!toolTip.isEmpty())
        action->setToolTip(toolTip);
    addAction(action);
    return action;
}

void MainWindow::createActions()
{
    m_deleteAction
        = addWindowAction(tr("&Delete…"), QStringLiteral("actionDelete"), QKeySequence::Delete,
                          tr("Delete the selected items (Delete)"), QStringLiteral("edit-delete"));
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteSelection);

    m_refreshAction = addWindowAction(
        tr("&Refresh"), QStringLiteral("actionRefresh"), QKeySequence::Refresh,
        tr("List the selection again from the service (F5)"), QStringLiteral("view-refresh"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refreshSelection);

    m_findAction = addWindowAction(tr("&Find"), QStringLiteral("actionFind"), QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_quitAction = addWindowAction(tr("&Quit"), QStringLiteral("actionQuit"), QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    m_activityAction = addWindowAction(
        tr("&Activity…"), QStringLiteral("actionActivity"), QKeySequence(Qt::CTRL | Qt::Key_H),
        tr("Every delete Docket sent, and how it ended (Ctrl+H)"), QStringLiteral("view-history"));
    m_activityAction->setEnabled(false); // until setDeletionQueue()
    connect(m_activityAction, &QAction::triggered, this, &MainWindow::showActivity);

    m_aboutAction = addWindowAction(tr("&About Docket"), QStringLiteral("actionAbout"), {});
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    m_accountsAction = addWindowAction(tr("&Accounts…"), QStringLiteral("actionAccounts"),
                                       QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
                                       tr("Add, sign in to or remove accounts (Ctrl+Shift+A)"));
    m_accountsAction->setEnabled(false); // until setAccountServices()
    connect(m_accountsAction, &QAction::triggered, this, &MainWindow::showAccounts);

    m_tree->addActions({ m_deleteAction, m_refreshAction });

    // Enter opens or closes the current container.
    auto *toggle = new QAction(tr("Expand or collapse"), m_tree);
    toggle->setShortcuts({ Qt::Key_Return, Qt::Key_Enter });
    toggle->setShortcutContext(Qt::WidgetShortcut);
    connect(toggle, &QAction::triggered, this, [this] {
        const QModelIndex current = m_tree->currentIndex();
        if (current.isValid())
            m_tree->setExpanded(current, !m_tree->isExpanded(current));
    });
    m_tree->addAction(toggle);
}

void MainWindow::createMenusAndToolBar()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_accountsAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_deleteAction);
    edit->addSeparator();
    edit->addAction(m_findAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_refreshAction);
    view->addAction(m_detailsAction);
    view->addAction(m_activityAction);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);

    QToolBar *toolBar = addToolBar(tr("Main toolbar"));
    toolBar->toggleViewAction()->setText(tr("&Main toolbar"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_refreshAction);
    toolBar->addAction(m_deleteAction);
    toolBar->addSeparator();
    toolBar->addWidget(m_filter);
}

void MainWindow::createDetailsPane()
{
    m_details = new DetailsPane(m_model, this);
    auto *dock = new QDockWidget(tr("Details"), this);
    dock->setObjectName(QStringLiteral("detailsDock"));
    dock->setAccessibleName(tr("Details"));
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    dock->setWidget(m_details);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    resizeDocks({ dock }, { 360 }, Qt::Horizontal);
    m_detailsAction = dock->toggleViewAction();
    m_detailsAction->setObjectName(QStringLiteral("actionDetails"));
    m_detailsAction->setText(tr("&Details Pane"));
    m_detailsAction->setShortcut(QKeySequence(Qt::Key_F9));
    addAction(m_detailsAction);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, m_details,
            [this](const QModelIndex &current) {
                m_details->setCurrentIndex(m_proxy->mapToSource(current));
            });
}

void MainWindow::showStatus(const QString &message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
    statusBar()->setAccessibleDescription(message);
}

QModelIndexList MainWindow::selectedSourceRows() const
{
    QModelIndexList rows;
    for (const QModelIndex &index : m_tree->selectionModel()->selectedRows())
        rows.append(m_proxy->mapToSource(index));
    return rows;
}

void MainWindow::updateActions()
{
    bool deletable = false;
    for (const int row : m_search->selectedRows()) {
        Connector *connector = m_search->results()->connectorFor(row);
        if (connector && connector->canDelete(m_search->results()->item(row).ref.kind))
            deletable = true;
    }
    for (const QModelIndex &index : selectedSourceRows()) {
        Connector *connector = m_model->connectorFor(index);
        const NodeRef ref = m_model->item(index).ref;
        if (connector && ref.kind != NodeKind::Account && connector->canDelete(ref.kind)
            && !m_model->isBusy(index)) {
            deletable = true;
            break;
        }
    }
    m_deleteAction->setEnabled(deletable);
}

void MainWindow::startServerSearch()
{
    const QString text = m_filter->text().trimmed();
    // Asked: each account that can search and whose top level is not fully loaded (a whole one is
    // filtered in the tree). Noted: each that cannot search, whose rows only the tree filters.
    QList<Connector *> searched;
    QList<Connector *> noted;
    for (const QString &accountId : m_model->accountIds()) {
        const QModelIndex account = m_model->indexForAccount(accountId);
        Connector *connector = m_model->connectorFor(account);
        if (!connector)
            continue;
        const bool whole = m_model->loadState(account) == DocumentTreeModel::LoadState::Loaded
            && !m_model->canFetchMore(account);
        if (!connector->canSearch(NodeKind::Account))
            noted.append(connector);
        else if (!whole)
            searched.append(connector);
    }
    m_search->search(searched + noted, searched.isEmpty() ? QString() : text);
}

void MainWindow::deleteSearchResults(const QList<int> &rows)
{
    SearchResultsModel *results = m_search->results();
    QList<ConfirmDeleteDialog::Entry> entries;
    QList<ConfirmDeleteDialog::Entry> leftOut;
    QList<DeletionItem> items;
    for (const int row : rows) {
        Connector *connector = results->connectorFor(row);
        const RemoteItem item = results->item(row);
        if (!connector || !connector->canDelete(item.ref.kind))
            continue;
        const ConfirmDeleteDialog::Entry entry { item, connector->describeDelete(item),
                                                 connector->account().label() };
        if (!entry.plan.refusal.isEmpty()) {
            leftOut.append(entry);
            continue;
        }
        entries.append(entry);
        DeletionItem deletion;
        deletion.accountId = connector->account().id;
        deletion.accountName = connector->account().label();
        deletion.service = connector->service();
        deletion.ref = item.ref;
        deletion.name = item.name;
        items.append(deletion);
    }
    if (entries.isEmpty()) {
        showStatus(leftOut.isEmpty()
                       ? tr("Nothing selected that can be deleted.")
                       : tr("Not permitted: %1").arg(leftOut.constFirst().plan.refusal),
                   leftOut.isEmpty() ? 5000 : 0);
        return;
    }
    auto *dialog = new ConfirmDeleteDialog(entries, this, leftOut);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, items]() mutable {
        // The tree's queue, with its audit trail: a found row is deleted as a tree row is.
        DeletionQueue *queue = m_model->deletionQueue();
        connect(queue, &DeletionQueue::itemFinished, this, &MainWindow::searchResultDeleteFinished,
                Qt::UniqueConnection);
        QString problem;
        if (!queue->submit(items, &problem)) {
            showStatus(tr("Nothing was sent: %1").arg(problem), 0);
            return;
        }
        if (items.size() == 1)
            showStatus(tr("Deleting…"), 0);
    });
    dialog->open();
}

void MainWindow::searchResultDeleteFinished(const DeletionItem &item)
{
    if (m_search->results()->rowOf(item.accountId, item.ref) < 0)
        return; // a tree row's: the tree says how it went
    // Only a delete the service proved takes the row away; any other outcome leaves it.
    if (isGone(item.state))
        m_search->results()->removeRowOf(item.accountId, item.ref);
    showDeleteOutcome(item.ref, item.state, item.error);
}

void MainWindow::deleteSelection()
{
    // The found rows when the user is in them; the tree's otherwise.
    const QList<int> found = m_search->selectedRows();
    if (m_search->results()->isActive() && !found.isEmpty()
        && (m_search->resultsView()->hasFocus()
            || m_tree->selectionModel()->selectedRows().isEmpty())) {
        deleteSearchResults(found);
        return;
    }
    QList<ConfirmDeleteDialog::Entry> entries;
    QList<ConfirmDeleteDialog::Entry> leftOut; // the service is known to refuse them
    QList<QPersistentModelIndex> targets;
    for (const QModelIndex &index : selectedSourceRows()) {
        Connector *connector = m_model->connectorFor(index);
        const RemoteItem item = m_model->item(index);
        if (!connector || item.ref.kind == NodeKind::Account || !connector->canDelete(item.ref.kind)
            || m_model->isBusy(index))
            continue;
        const ConfirmDeleteDialog::Entry entry { item, connector->describeDelete(item),
                                                 connector->account().label() };
        if (!entry.plan.refusal.isEmpty()) {
            leftOut.append(entry);
            continue;
        }
        entries.append(entry);
        targets.append(QPersistentModelIndex(index));
    }
    if (entries.isEmpty()) {
        showStatus(leftOut.isEmpty()
                       ? tr("Nothing selected that can be deleted.")
                       : tr("Not permitted: %1").arg(leftOut.constFirst().plan.refusal),
                   leftOut.isEmpty() ? 5000 : 0);
        return;
    }
    auto *dialog = new ConfirmDeleteDialog(entries, this, leftOut);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, targets] {
        QModelIndexList indexes;
        for (const QPersistentModelIndex &target : targets) {
            if (target.isValid())
                indexes.append(target);
        }
        const int started = m_model->deleteItems(indexes);
        // A batch has its panel; a single delete is said here.
        if (started == 1)
            showStatus(tr("Deleting…"), 0);
    });
    dialog->open();
}

void MainWindow::refreshSelection()
{
    const QModelIndexList rows = selectedSourceRows();
    if (rows.isEmpty()) {
        m_model->refresh(QModelIndex());
    } else {
        for (const QModelIndex &index : rows)
            m_model->refresh(index);
    }
    showStatus(tr("Refreshing…"));
}

void MainWindow::showAbout()
{
    auto *about = new Docket::AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

void MainWindow::showDeleteOutcome(const NodeRef &ref, DeletionState outcome, const ApiError &error)
{
    // A batch has its own panel; the status bar speaks for single deletes.
    if (m_queue && m_queue->progress().total > 1)
        return;
    const QString what = nodeKindName(ref.kind);
    switch (outcome) {
    case DeletionState::Deleted:
        showStatus(tr("Deleted %1 %2.").arg(what.toLower(), ref.id()));
        break;
    case DeletionState::AlreadyGone:
        showStatus(tr("%1 %2 was already gone.").arg(what, ref.id()));
        break;
    case DeletionState::NotPermitted:
        showStatus(tr("Not permitted: %1").arg(error.userMessage), 0);
        break;
    case DeletionState::Unknown:
        showStatus(tr("Not known whether it was deleted: %1").arg(error.userMessage), 0);
        break;
    default:
        showStatus(tr("Not deleted: %1").arg(error.userMessage), 0);
        break;
    }
}

void MainWindow::setDeletionQueue(DeletionQueue *queue)
{
    if (m_queue || !queue)
        return; // one queue for the window's life
    m_queue = queue;
    m_model->setDeletionQueue(queue);
    m_activityAction->setEnabled(queue->auditLog() != nullptr);

    m_progress = new DeletionProgressPanel(queue, this);
    m_progressDock = new QDockWidget(tr("Deleting"), this);
    m_progressDock->setObjectName(QStringLiteral("deletionDock"));
    m_progressDock->setAccessibleName(tr("Deleting"));
    m_progressDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    m_progressDock->setWidget(m_progress);
    addDockWidget(Qt::BottomDockWidgetArea, m_progressDock);
    m_progressDock->hide();
    connect(m_progress, &DeletionProgressPanel::closeRequested, m_progressDock, &QWidget::hide);
    connect(queue, &DeletionQueue::progressChanged, this, [this](const DeletionProgress &progress) {
        if (progress.total > 1 && !progress.isIdle() && m_progressDock->isHidden())
            m_progressDock->show();
        // A single delete speaks in the status bar; an old summary would misread it.
        if (progress.total == 1 && m_progressDock->isVisible())
            m_progressDock->hide();
    });
    connect(queue, &DeletionQueue::finished, this, [this](const DeletionProgress &progress) {
        if (progress.total > 1)
            showStatus(m_progress->headline()->text(), 0);
        // Nothing is owed any more: the question is moot.
        if (auto *box = findChild<QMessageBox *>(QStringLiteral("quitWhileDeletingBox")))
            box->close();
        if (m_quitWhileDeleting)
            close();
    });
}

void MainWindow::showActivity()
{
    if (!m_queue || !m_queue->auditLog())
        return;
    if (auto *open = findChild<ActivityDialog *>()) {
        open->reload();
        open->show();
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new ActivityDialog(m_queue->auditLog(), m_queue, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show(); // not modal: it follows a batch as it runs
}

void MainWindow::offerToResumeInterruptedBatches()
{
    if (!m_queue || !m_queue->auditLog() || m_resumeDialog)
        return;
    for (const BatchSummary &batch : m_queue->auditLog()->interruptedBatches()) {
        if (!m_batchesOffered.contains(batch.id)) {
            m_batchesOffered.append(batch.id);
            offerToResume(batch);
            return;
        }
    }
}

void MainWindow::offerToResume(const BatchSummary &batch)
{
    m_resumeDialog = new InterruptedBatchDialog(batch, this);
    m_resumeDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_resumeDialog, &InterruptedBatchDialog::resumeRequested, this, [this](qint64 id) {
        QString error;
        if (m_queue->resume(id, &error))
            showStatus(tr("Resuming the interrupted deletes…"), 0);
        else
            showStatus(tr("Could not resume: %1").arg(error), 0);
    });
    connect(m_resumeDialog, &InterruptedBatchDialog::discardRequested, this, [this](qint64 id) {
        if (m_queue->auditLog()->discardBatch(id))
            showStatus(tr("Discarded: nothing more of that batch will be sent."));
        else
            showStatus(tr("Could not discard: %1").arg(m_queue->auditLog()->lastError()), 0);
    });
    // The next batch, if any, once this one is answered.
    connect(m_resumeDialog, &QDialog::finished, this, [this] {
        m_resumeDialog = nullptr;
        QMetaObject::invokeMethod(this, &MainWindow::offerToResumeInterruptedBatches,
                                  Qt::QueuedConnection);
    });
    updateResumeReadiness();
    m_resumeDialog->open();
}

void MainWindow::updateResumeReadiness()
{
    if (!m_resumeDialog)
        return;
    const BatchSummary &batch = m_resumeDialog->batch();
    QStringList waiting;
    for (int i = 0; i < batch.accountIds.size(); ++i) {
        Connector *connector
            = m_accountManager ? m_accountManager->connector(batch.accountIds.at(i)) : nullptr;
        if (!connector || connector->session()->isSignedOut())
            waiting.append(batch.accounts.value(i));
    }
    m_resumeDialog->setWaitingFor(waiting);
}

void MainWindow::setAccountServices(AccountManager *manager, AccountStore *store,
                                    CredentialStore *credentials)
{
    m_accountManager = manager;
    m_accountStore = store;
    m_credentials = credentials;
    m_accountsAction->setEnabled(manager && store && credentials);
    if (manager) {
        connect(manager, &AccountManager::accountReady, this, &MainWindow::updateResumeReadiness);
    }
}

void MainWindow::showAccounts()
{
    if (!m_accountManager || !m_accountStore || !m_credentials)
        return;
    if (auto *open = findChild<AccountsDialog *>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog
        = new AccountsDialog(m_accountManager, m_accountStore, m_credentials, m_model, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showKeychainUnavailable(const QString &reason)
{
    const QString message = tr("Secrets are kept in memory for this run only: you will need to "
                               "sign in again next time. Nothing is written to disk.");
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Keychain unavailable"),
                                tr("The system keychain cannot be used.") + u'\n' + message,
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("keychainUnavailableBox"));
    box->setAccessibleName(tr("Keychain unavailable"));
    box->setInformativeText(reason);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    showStatus(tr("Keychain unavailable: secrets are kept in memory for this run only."), 0);
}
