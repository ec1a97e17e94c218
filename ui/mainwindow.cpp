#include "mainwindow.h"

#include "accountsdialog.h"
#include "applicationinfo.h"
#include "confirmdeletedialog.h"
#include "connector.h"
#include "detailspane.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "emptystatewidget.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

#include <docketversion.h>

using namespace Docket;

MainWindow::MainWindow(DocumentTreeModel *model, QWidget *parent)
    : QMainWindow(parent)
    , m_model(model)
    , m_proxy(new DocumentFilterProxyModel(this))
    , m_tree(new DocumentTreeView(this))
    , m_filter(new QLineEdit(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Docket"));
    resize(1100, 680);

    m_proxy->setSourceModel(model);
    m_tree->setModel(m_proxy);
    m_tree->setObjectName(QStringLiteral("documentTree"));
    m_tree->setAccessibleName(tr("Accounts and documents"));
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(-1, Qt::AscendingOrder); // the services' own order until the user sorts
    m_tree->header()->setSectionResizeMode(DocumentTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->resizeSection(DocumentTreeModel::KindColumn, 150);
    m_tree->header()->resizeSection(DocumentTreeModel::CreatedColumn, 150);
    m_tree->header()->resizeSection(DocumentTreeModel::SizeColumn, 110);
    m_tree->header()->resizeSection(DocumentTreeModel::StatusColumn, 220);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->setEmptyStateText(tr("No accounts yet"),
                              tr("Docket shows the documents of the services you sign in to. "
                                 "To practise, start it as “docket --sandbox”."));
    setCentralWidget(m_tree);

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter by name, kind or status (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(360);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text);
        if (!text.isEmpty())
            m_tree->expandAll();
    });

    createActions();
    createDetailsPane();
    createMenusAndToolBar();
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::updateActions);
    connect(
        m_model, &DocumentTreeModel::deleteFinished, this,
        [this](const QString &, const NodeRef &ref, DeleteOutcome outcome, const ApiError &error) {
            if (error.isError())
                showStatus(tr("Not deleted: %1").arg(error.userMessage), 0);
            else if (outcome == DeleteOutcome::AlreadyGone && ref.kind == NodeKind::Care360File)
                // Care360 answers 404 alike for a deleted file and for one this patient did not
                // upload; the re-list shows which it was.
                showStatus(tr("Care360 did not find file %1: it was already deleted, or it was "
                              "uploaded by someone else (only the uploader may delete it).")
                               .arg(ref.id()),
                           0);
            else if (outcome == DeleteOutcome::AlreadyGone)
                showStatus(tr("%1 %2 was already gone.").arg(nodeKindName(ref.kind), ref.id()));
            else
                showStatus(tr("Deleted %1 %2.").arg(nodeKindName(ref.kind).toLower(), ref.id()));
        });
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
    QSettings settings = layoutSettings();
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("columns"), m_tree->header()->saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::createActions()
{
    m_deleteAction
        = new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete…"), this);
    m_deleteAction->setObjectName(QStringLiteral("actionDelete"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setToolTip(tr("Delete the selected items (Delete)"));
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteSelection);

    m_refreshAction
        = new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Refresh"), this);
    m_refreshAction->setObjectName(QStringLiteral("actionRefresh"));
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("List the selection again from the service (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refreshSelection);

    m_findAction = new QAction(tr("&Find"), this);
    m_findAction->setObjectName(QStringLiteral("actionFind"));
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    m_aboutAction = new QAction(tr("&About Docket"), this);
    m_aboutAction->setObjectName(QStringLiteral("actionAbout"));
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    m_accountsAction = new QAction(tr("&Accounts…"), this);
    m_accountsAction->setObjectName(QStringLiteral("actionAccounts"));
    m_accountsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_accountsAction->setToolTip(tr("Add, sign in to or remove accounts (Ctrl+Shift+A)"));
    m_accountsAction->setEnabled(false); // until setAccountServices()
    connect(m_accountsAction, &QAction::triggered, this, &MainWindow::showAccounts);
    addAction(m_accountsAction);

    for (QAction *action :
         { m_deleteAction, m_refreshAction, m_findAction, m_quitAction, m_aboutAction })
        addAction(action); // shortcuts work wherever the focus is in the window
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
    resizeDocks({ dock }, { 400 }, Qt::Horizontal);
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

void MainWindow::deleteSelection()
{
    QList<ConfirmDeleteDialog::Entry> entries;
    QList<QPersistentModelIndex> targets;
    for (const QModelIndex &index : selectedSourceRows()) {
        Connector *connector = m_model->connectorFor(index);
        const RemoteItem item = m_model->item(index);
        if (!connector || item.ref.kind == NodeKind::Account || !connector->canDelete(item.ref.kind)
            || m_model->isBusy(index))
            continue;
        entries.append({ item, connector->describeDelete(item), connector->account().label() });
        targets.append(QPersistentModelIndex(index));
    }
    if (entries.isEmpty()) {
        showStatus(tr("Nothing selected that can be deleted."));
        return;
    }
    auto *dialog = new ConfirmDeleteDialog(entries, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, targets] {
        QModelIndexList indexes;
        for (const QPersistentModelIndex &target : targets) {
            if (target.isValid())
                indexes.append(target);
        }
        const int started = m_model->deleteItems(indexes);
        showStatus(tr("Deleting %n item(s)…", nullptr, started), 0);
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
    auto *box = new QMessageBox(QMessageBox::Information, tr("About Docket"),
                                tr("<b>Docket %1</b><p>Review and delete documents held by the "
                                   "document services your organisation uses.</p>")
                                    .arg(Docket::version().toHtmlEscaped()),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::setAccountServices(AccountManager *manager, AccountStore *store,
                                    CredentialStore *credentials)
{
    m_accountManager = manager;
    m_accountStore = store;
    m_credentials = credentials;
    m_accountsAction->setEnabled(manager && store && credentials);
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
