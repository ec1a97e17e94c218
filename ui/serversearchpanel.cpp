#include "serversearchpanel.h"

#include "searchresultsmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Docket;

ServerSearchPanel::ServerSearchPanel(QWidget *parent)
    : QWidget(parent)
    , m_results(new SearchResultsModel(this))
    , m_state(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_view(new QTreeView(this))
{
    setObjectName(QStringLiteral("serverSearchPanel"));
    m_state->setObjectName(QStringLiteral("serverSearchState"));
    m_state->setTextFormat(Qt::PlainText);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    m_notes->setObjectName(QStringLiteral("serverSearchNotes"));
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setWordWrap(true);
    m_view->setObjectName(QStringLiteral("serverSearchResults"));
    m_view->setAccessibleName(tr("Matches found by the services"));
    m_view->setModel(m_results);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setSectionResizeMode(SearchResultsModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setStretchLastSection(false);
    m_view->setMaximumHeight(220);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_state);
    layout->addWidget(m_notes);
    layout->addWidget(m_view);
    connect(m_results, &SearchResultsModel::stateChanged, this, &ServerSearchPanel::updateState);
    setVisible(false);
}

void ServerSearchPanel::search(const QList<Connector *> &connectors, const QString &text)
{
    m_results->search(connectors, text);
    setVisible(m_results->isActive());
}

void ServerSearchPanel::updateState()
{
    m_state->setText(m_results->stateText());
    const QStringList notes = m_results->notes();
    m_notes->setText(notes.join(u'\n'));
    m_notes->setVisible(!notes.isEmpty());
    m_view->setVisible(m_results->rowCount() > 0);
}

QList<int> ServerSearchPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}
