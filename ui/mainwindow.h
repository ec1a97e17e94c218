#pragma once

#include "apierror.h"
#include "deletionitem.h"
#include "remoteitem.h"

#include <QMainWindow>
#include <QPersistentModelIndex>

class DeletionProgressPanel;
class DetailsPane;
class DocumentTreeView;
class InterruptedBatchDialog;
class QAction;
class QKeySequence;
class QDockWidget;
class QLineEdit;
class QTimer;
class ServerSearchPanel;

namespace Docket {
class DocumentFilterProxyModel;
class DocumentTreeModel;
} // namespace Docket
namespace Docket {
class AccountManager;
class AccountStore;
class CredentialStore;
class DeletionQueue;
struct BatchSummary;
} // namespace Docket

// Docket's one window: every signed-in account in one tree, a filter, and deleting with a clear
// confirmation. Widgets never build requests: they call the model and react to its signals.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Docket::DocumentTreeModel *model, QWidget *parent = nullptr);

    DocumentTreeView *treeView() const { return m_tree; }
    // The details of the tree's current item, in a dock on the right.
    DetailsPane *detailsPane() const { return m_details; }
    QLineEdit *filterEdit() const { return m_filter; }
    Docket::DocumentFilterProxyModel *proxy() const { return m_proxy; }
    // Above the tree while the filter box asks the services (startServerSearch()).
    ServerSearchPanel *serverSearchPanel() const { return m_search; }

    // Says something in the status bar (and to accessibility tools).
    void showStatus(const QString &message, int timeoutMs = 8000);

    // Where File ▸ Accounts… adds and removes accounts; the action is enabled once these are set.
    void setAccountServices(Docket::AccountManager *manager, Docket::AccountStore *store,
                            Docket::CredentialStore *credentials);
    // Opens the Accounts dialog (saved accounts, add, remove).
    void showAccounts();
    // Says, without blocking, that the keychain failed and secrets stay in memory for this run.
    void showKeychainUnavailable(const QString &reason);

    // The queue the model deletes through (with its audit trail): its progress and summary show
    // in a panel at the bottom, and View > Activity shows its trail.
    void setDeletionQueue(Docket::DeletionQueue *queue);
    DeletionProgressPanel *progressPanel() const { return m_progress; }
    // Opens View > Activity.
    void showActivity();
    // Asks, one batch at a time, what to do with batches a stopped Docket left unfinished. Resume
    // waits until the batch's accounts are signed in (setAccountServices' manager says when).
    void offerToResumeInterruptedBatches();

protected:
    // The window's size, dock and column layout are kept between runs (never anything else).
    void closeEvent(QCloseEvent *event) override;

public Q_SLOTS:
    void deleteSelection();
    // The filter box's text, asked of every account whose top level is not fully loaded: those
    // that can search at the server answer in the panel, the others are noted.
    void startServerSearch();
    void refreshSelection();

private:
    void restoreLayout();
    void createActions();
    QAction *addWindowAction(const QString &text, const QString &objectName,
                             const QKeySequence &shortcut, const QString &toolTip = {},
                             const QString &themeIcon = {});
    void createDetailsPane();
    void createMenusAndToolBar();
    void updateActions();
    // deleteSelection() for the rows the services found: the same confirmation and queue.
    void deleteSearchResults(const QList<int> &rows);
    void searchResultDeleteFinished(const Docket::DeletionItem &item);
    QModelIndexList selectedSourceRows() const;
    void showAbout();
    void showDeleteOutcome(const Docket::NodeRef &ref, Docket::DeletionState outcome,
                           const Docket::ApiError &error);
    void offerToResume(const Docket::BatchSummary &batch);
    void updateResumeReadiness();

    Docket::DocumentTreeModel *m_model;
    Docket::DocumentFilterProxyModel *m_proxy;
    DocumentTreeView *m_tree;
    QLineEdit *m_filter;
    ServerSearchPanel *m_search;
    QTimer *m_searchDelay;
    QAction *m_deleteAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_accountsAction = nullptr;
    Docket::AccountManager *m_accountManager = nullptr;
    Docket::AccountStore *m_accountStore = nullptr;
    Docket::CredentialStore *m_credentials = nullptr;
    DetailsPane *m_details = nullptr;
    QAction *m_detailsAction = nullptr;
    QAction *m_activityAction = nullptr;
    Docket::DeletionQueue *m_queue = nullptr;
    DeletionProgressPanel *m_progress = nullptr;
    QDockWidget *m_progressDock = nullptr;
    InterruptedBatchDialog *m_resumeDialog = nullptr;
    QList<qint64> m_batchesOffered; // this run: each interrupted batch is asked about once
    bool m_quitWhileDeleting = false; // the user confirmed quitting with deletes still owed
};
