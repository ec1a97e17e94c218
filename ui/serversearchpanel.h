#pragma once

#include <QWidget>

class QLabel;
class QTreeView;

namespace Docket {
class Connector;
class SearchResultsModel;
} // namespace Docket

// Above the tree while the filter box asks the services (a listing is not fully loaded): what
// is being searched ("Searching Scriptix…"), the matches the servers sent, and a note for each
// account that cannot search at the server. Its rows are deleted through the window's usual
// confirmation and deletion queue (MainWindow::deleteSelection).
class ServerSearchPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ServerSearchPanel(QWidget *parent = nullptr);

    Docket::SearchResultsModel *results() const { return m_results; }
    QTreeView *resultsView() const { return m_view; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *notesLabel() const { return m_notes; }
    // Shows the panel and searches; an empty text hides it.
    void search(const QList<Docket::Connector *> &connectors, const QString &text);
    // The selected result rows, in order.
    QList<int> selectedRows() const;

private:
    void updateState();

    Docket::SearchResultsModel *m_results;
    QLabel *m_state;
    QLabel *m_notes;
    QTreeView *m_view;
};
