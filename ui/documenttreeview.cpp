#include "documenttreeview.h"

#include "emptystatewidget.h"

#include <QHeaderView>

DocumentTreeView::DocumentTreeView(QWidget *parent)
    : QTreeView(parent)
    , m_emptyState(new EmptyStateWidget(this))
{
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    m_emptyState->hide();
}

void DocumentTreeView::setEmptyStateText(const QString &title, const QString &hint)
{
    m_emptyState->setText(title, hint);
    updateEmptyState();
}

void DocumentTreeView::setModel(QAbstractItemModel *newModel)
{
    if (model())
        disconnect(model(), nullptr, this, nullptr);
    QTreeView::setModel(newModel);
    if (newModel) {
        connect(newModel, &QAbstractItemModel::rowsInserted, this,
                &DocumentTreeView::updateEmptyState);
        connect(newModel, &QAbstractItemModel::rowsRemoved, this,
                &DocumentTreeView::updateEmptyState);
        connect(newModel, &QAbstractItemModel::modelReset, this,
                &DocumentTreeView::updateEmptyState);
    }
    updateEmptyState();
}

void DocumentTreeView::updateGeometries()
{
    QTreeView::updateGeometries();
    m_emptyState->setGeometry(viewport()->geometry());
}

void DocumentTreeView::resizeEvent(QResizeEvent *event)
{
    QTreeView::resizeEvent(event);
    m_emptyState->setGeometry(viewport()->geometry());
}

void DocumentTreeView::updateEmptyState()
{
    const bool empty = !model() || model()->rowCount() == 0;
    m_emptyState->setVisible(empty && !m_emptyState->title().isEmpty());
}
