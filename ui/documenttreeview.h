#pragma once

#include <QTreeView>

class EmptyStateWidget;

// The tree of accounts and documents. It can lay a message over its rows area (below the header)
// so that an empty, loading or failed view is never a silent blank.
class DocumentTreeView : public QTreeView
{
    Q_OBJECT

public:
    explicit DocumentTreeView(QWidget *parent = nullptr);

    EmptyStateWidget *emptyState() const { return m_emptyState; }
    // Shows the message while the model has no rows.
    void setEmptyStateText(const QString &title, const QString &hint);

    void setModel(QAbstractItemModel *model) override;

protected:
    // Called whenever the header or margins move the viewport: the overlay follows it. (The
    // viewport's own resize events are routed to the view, not to filters or layouts on it.)
    void updateGeometries() override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateEmptyState();

    EmptyStateWidget *m_emptyState;
};
