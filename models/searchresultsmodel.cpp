#include "searchresultsmodel.h"

#include "serviceinfo.h"

namespace Docket {

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void SearchResultsModel::clear()
{
    search({}, {});
}

void SearchResultsModel::search(const QList<Connector *> &connectors, const QString &text)
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_pending.clear();
    m_notes.clear();
    m_errors.clear();
    m_more = false;
    m_text = text.trimmed();
    if (!m_text.isEmpty()) {
        for (Connector *connector : connectors) {
            if (connector->canSearch(NodeKind::Account)) {
                m_pending.append(connector);
                continue;
            }
            const ServiceInfo &info = ServiceRegistry::info(connector->service());
            m_notes.append(tr("%1 (%2) is not searched at the server: %3")
                               .arg(connector->account().label(), info.shortName,
                                    info.searchNote.isEmpty()
                                        ? tr("%1 cannot search.").arg(info.shortName)
                                        : info.searchNote));
        }
        // Each starts now: their pacers keep each account within its budget.
        const QList<QPointer<Connector>> pending = m_pending;
        for (const QPointer<Connector> &connector : pending)
            searchAccount(connector);
    }
    Q_EMIT stateChanged();
}

void SearchResultsModel::searchAccount(Connector *connector)
{
    PageRequest page { {}, connector->pageSize(NodeKind::Account) };
    page.search = m_text;
    ListJob *job = connector->list(NodeRef { NodeKind::Account, {} }, page);
    const quint64 generation = m_generation;
    QPointer<Connector> guard(connector);
    connect(job, &ConnectorJob::finished, this, [this, generation, guard](ConnectorJob *done) {
        if (generation != m_generation || !guard)
            return;
        m_pending.removeAll(guard);
        auto *listed = static_cast<ListJob *>(done);
        if (listed->failed()) {
            m_errors.append(
                tr("%1: %2").arg(guard->account().label(), listed->error().userMessage));
        } else if (!listed->page().items.isEmpty()) {
            const QList<RemoteItem> &items = listed->page().items;
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + items.size()) - 1);
            for (const RemoteItem &item : items)
                m_rows.append({ item, guard });
            endInsertRows();
        }
        m_more = m_more || (!listed->failed() && listed->page().hasMore());
        Q_EMIT stateChanged();
    });
}

QString SearchResultsModel::stateText() const
{
    if (m_text.isEmpty())
        return {};
    if (isSearching()) {
        QStringList services;
        for (const QPointer<Connector> &connector : m_pending) {
            if (connector) {
                const QString name = ServiceRegistry::info(connector->service()).shortName;
                if (!services.contains(name))
                    services.append(name);
            }
        }
        return tr("Searching %1…").arg(services.join(QStringLiteral(", ")));
    }
    QString text = m_rows.isEmpty() ? tr("No matches for “%1” on the server.").arg(m_text)
        : m_rows.size() == 1
        ? tr("1 match for “%1” on the server").arg(m_text)
        : tr("%1 matches for “%2” on the server").arg(m_rows.size()).arg(m_text);
    if (m_more)
        text += tr(" (the first page of each account: type more to narrow it)");
    for (const QString &error : m_errors)
        text += u'\n' + tr("Could not search %1").arg(error);
    return text;
}

RemoteItem SearchResultsModel::item(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).item : RemoteItem();
}

Connector *SearchResultsModel::connectorFor(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).connector.data() : nullptr;
}

int SearchResultsModel::rowOf(const QString &accountId, const NodeRef &ref) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        const Row &entry = m_rows.at(row);
        if (entry.connector && entry.connector->account().id == accountId && entry.item.ref == ref)
            return row;
    }
    return -1;
}

void SearchResultsModel::removeRowOf(const QString &accountId, const NodeRef &ref)
{
    const int row = rowOf(accountId, ref);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    Q_EMIT stateChanged();
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SearchResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return row.item.name;
        case AccountColumn:
            return row.connector ? row.connector->account().label() : QString();
        case KindColumn:
            return nodeKindName(row.item.ref.kind);
        case StatusColumn:
            return row.item.status;
        default:
            return {};
        }
    case NodeRefRole:
        return QVariant::fromValue(row.item.ref);
    case AccountIdRole:
        return row.connector ? row.connector->account().id : QString();
    default:
        return {};
    }
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case AccountColumn:
        return tr("Account");
    case KindColumn:
        return tr("Kind");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace Docket
