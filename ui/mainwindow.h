#pragma once

#include <QMainWindow>

class DocumentTreeView;

// Docket's one window: the tree of accounts and their documents. For now it shows the columns and
// an empty state; accounts and their contents arrive with the models.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    DocumentTreeView *treeView() const { return m_tree; }

private:
    void createMenus();
    void showAbout();

    DocumentTreeView *m_tree;
};
