#pragma once

#include <QMainWindow>
#include <QPersistentModelIndex>

class DocumentTreeView;
class QAction;
class QLineEdit;

namespace Docket {
class DocumentFilterProxyModel;
class DocumentTreeModel;
} // namespace Docket

// Docket's one window: every signed-in account in one tree, a filter, and deleting with a clear
// confirmation. Widgets never build requests: they call the model and react to its signals.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Docket::DocumentTreeModel *model, QWidget *parent = nullptr);

    DocumentTreeView *treeView() const { return m_tree; }
    QLineEdit *filterEdit() const { return m_filter; }
    Docket::DocumentFilterProxyModel *proxy() const { return m_proxy; }

    // Says something in the status bar (and to accessibility tools).
    void showStatus(const QString &message, int timeoutMs = 8000);

public Q_SLOTS:
    void deleteSelection();
    void refreshSelection();

private:
    void createActions();
    void createMenusAndToolBar();
    void updateActions();
    QModelIndexList selectedSourceRows() const;
    void showAbout();

    Docket::DocumentTreeModel *m_model;
    Docket::DocumentFilterProxyModel *m_proxy;
    DocumentTreeView *m_tree;
    QLineEdit *m_filter;
    QAction *m_deleteAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
};
