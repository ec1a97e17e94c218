#include "documenttreemodel.h"

#include "connector.h"
#include "documentlister.h"
#include "documenttreenodes_p.h"
#include "rowblock.h"
#include "rowdeletions.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

namespace Docket {

using treerows::hasMore;
using treerows::noDate;
using treerows::TextHeader;

namespace {

QString formatDuration(qint64 seconds)
{
    const qint64 hours = seconds / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    const qint64 rest = seconds % 60;
    if (hours > 0) {
        return QStringLiteral("%1:%2:%3")
            .arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'))
            .arg(rest, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(minutes).arg(rest, 2, 10, QLatin1Char('0'));
}

} // namespace

DocumentTreeModel::DocumentTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
    , m_lister(new DocumentLister(this))
    , m_deletions(new RowDeletions(this))
{
    // Every row pays for this struct: keep it within a 64-byte allocation.
    static_assert(sizeof(void *) != 8 || sizeof(Node) <= 56);
    m_root->box = std::make_unique<Container>();
    m_statuses.append(QString()); // index 0: no status
}

DocumentTreeModel::~DocumentTreeModel()
{
    for (const auto &account : m_root->box->children) {
        for (const QMetaObject::Connection &connection : account->box->connections)
            disconnect(connection);
    }
}

// --- accounts ---------------------------------------------------------------------------------

void DocumentTreeModel::addAccount(Connector *connector)
{
    if (!connector)
        return;
    const QString accountId = connector->account().id;
    if (accountNode(accountId))
        return;

    RemoteItem item;
    item.ref = NodeRef { NodeKind::Account, {} };
    item.name = connector->account().label();
    const RowBlock rows = RowBlock::fromItems({ item }, {});
    std::unique_ptr<Node> node = makeNode(m_root.get(), rows, 0, statusesOf(rows), IdKey());
    Container &box = containerOf(node.get());
    box.connector = connector;
    box.accountId = accountId;
    // The connector owns the list and delete jobs: when it goes, nothing under it can finish.
    box.connections.append(connect(connector, &QObject::destroyed, this,
                                   [this, accountId] { removeAccount(accountId); }));
    if (AccountSession *session = connector->session()) {
        box.connections.append(
            connect(session, &AccountSession::signedOut, this, [this, accountId] {
                if (Node *account = accountNode(accountId))
                    emitRowChanged(account);
            }));
    }

    std::vector<std::unique_ptr<Node>> &accounts = m_root->box->children;
    const int row = int(accounts.size());
    beginInsertRows({}, row, row);
    node->row = row;
    accounts.push_back(std::move(node));
    endInsertRows();
}

void DocumentTreeModel::removeAccount(const QString &accountId)
{
    Node *node = accountNode(accountId);
    if (!node)
        return;
    for (const QMetaObject::Connection &connection : node->box->connections)
        disconnect(connection);
    node->box->connections.clear();
    removeChildRows(m_root.get(), node->row, node->row);
}

QStringList DocumentTreeModel::accountIds() const
{
    QStringList ids;
    for (const auto &account : m_root->box->children)
        ids.append(account->box->accountId);
    return ids;
}

DocumentTreeModel::Node *DocumentTreeModel::accountNode(const QString &accountId) const
{
    for (const auto &account : m_root->box->children) {
        if (account->box->accountId == accountId)
            return account.get();
    }
    return nullptr;
}

DocumentTreeModel::Node *DocumentTreeModel::accountNodeOf(const Node *node) const
{
    while (node && node->parent && node->parent != m_root.get())
        node = node->parent;
    return node && node->parent ? const_cast<Node *>(node) : nullptr;
}

Connector *DocumentTreeModel::connectorOf(const Node *node) const
{
    const Node *account = accountNodeOf(node);
    return account ? account->box->connector.data() : nullptr;
}

// --- structure --------------------------------------------------------------------------------

DocumentTreeModel::Node *DocumentTreeModel::nodeFor(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex DocumentTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

bool DocumentTreeModel::isContainerNode(const Node *node) const
{
    return node && node != m_root.get() && isContainer(node->kind());
}

DocumentTreeModel::Container &DocumentTreeModel::containerOf(Node *node)
{
    if (!node->box) {
        node->box = std::make_unique<Container>();
        node->box->serial = m_nextSerial++;
        m_containers.insert(node->box->serial, node);
    }
    return *node->box;
}

QModelIndex DocumentTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *parentNode = parent.isValid() ? nodeFor(parent) : m_root.get();
    if (!parentNode || (parent.isValid() && parent.column() != 0) || !parentNode->box
        || row >= int(parentNode->box->children.size()))
        return {};
    return createIndex(row, column, parentNode->box->children[size_t(row)].get());
}

QModelIndex DocumentTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeFor(child);
    if (!node || node->parent == m_root.get())
        return {};
    return indexOf(node->parent);
}

int DocumentTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_root->box->children.size());
    if (parent.column() != 0)
        return 0;
    const Node *node = nodeFor(parent);
    return node && node->box ? int(node->box->children.size()) : 0;
}

int DocumentTreeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() && parent.column() != 0 ? 0 : ColumnCount;
}

bool DocumentTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return !m_root->box->children.empty();
    if (parent.column() != 0)
        return false;
    const Node *node = nodeFor(parent);
    if (!node)
        return false;
    if (node->box && !node->box->children.empty())
        return true;
    // Like KDirModel: a container not listed yet may have children, so the view offers to
    // expand it (and then calls fetchMore).
    return isContainerNode(node)
        && (node->state() != LoadState::Loaded || (node->box && hasMore(node->box->nextCursor)));
}

Qt::ItemFlags DocumentTreeModel::flags(const QModelIndex &index) const
{
    const Node *node = nodeFor(index);
    if (!node)
        return Qt::NoItemFlags;
    // A row whose delete is in flight cannot be selected for another action.
    if (node->busy)
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!isContainerNode(node))
        flags |= Qt::ItemNeverHasChildren;
    return flags;
}

QHash<int, QByteArray> DocumentTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(NodeRefRole, "nodeRef");
    names.insert(NodeKindRole, "nodeKind");
    names.insert(LoadStateRole, "loadState");
    names.insert(ErrorRole, "error");
    names.insert(BusyRole, "busy");
    names.insert(AccountIdRole, "accountId");
    names.insert(RemoteItemRole, "remoteItem");
    names.insert(SortRole, "sortValue");
    names.insert(TotalRole, "total");
    names.insert(ServiceRole, "service");
    return names;
}

void DocumentTreeModel::renumber(Node *parent, int from)
{
    std::vector<std::unique_ptr<Node>> &children = parent->box->children;
    for (size_t i = size_t(qMax(0, from)); i < children.size(); ++i)
        children[i]->row = int(i);
}

// A subtree leaves the tree: its listings stop (their answers would be dropped anyway) and the
// side tables let go of its rows.
void DocumentTreeModel::forget(Node *node)
{
    if (node->busy)
        m_deletions->forget(node);
    if (node->hasActionError)
        m_actionErrors.remove(node);
    if (node->unusualIds)
        m_unusualIds.remove(node);
    if (Container *box = node->box.get()) {
        m_containers.remove(box->serial);
        if (const std::unique_ptr<LoadRun> run = std::move(box->run)) {
            for (PageSlot &slot : run->slots) {
                if (slot.job)
                    slot.job->abort();
            }
        }
        for (const auto &child : box->children)
            forget(child.get());
    }
}

void DocumentTreeModel::removeChildRows(Node *parent, int first, int last)
{
    if (!parent->box)
        return;
    Container &box = *parent->box;
    if (first < 0 || last < first || last >= int(box.children.size()))
        return;
    beginRemoveRows(indexOf(parent), first, last);
    const bool all = first == 0 && last + 1 == int(box.children.size());
    for (int row = first; row <= last; ++row) {
        Node *child = box.children[size_t(row)].get();
        if (!all)
            box.byId.erase(child);
        forget(child);
    }
    if (all)
        box.byId.clear();
    // Freed once the views have let go of the rows.
    std::vector<std::unique_ptr<Node>> removed(
        std::make_move_iterator(box.children.begin() + first),
        std::make_move_iterator(box.children.begin() + last + 1));
    box.children.erase(box.children.begin() + first, box.children.begin() + last + 1);
    renumber(parent, first);
    endRemoveRows();
}

void DocumentTreeModel::emitRowChanged(const Node *node)
{
    if (!node || node == m_root.get())
        return;
    Q_EMIT dataChanged(indexOf(node, 0), indexOf(node, ColumnCount - 1));
}

// --- lookups ----------------------------------------------------------------------------------

RemoteItem DocumentTreeModel::item(const QModelIndex &index) const
{
    return itemOf(nodeFor(index));
}

Connector *DocumentTreeModel::connectorFor(const QModelIndex &index) const
{
    return connectorOf(nodeFor(index));
}

QString DocumentTreeModel::accountIdFor(const QModelIndex &index) const
{
    const Node *account = accountNodeOf(nodeFor(index));
    return account ? account->box->accountId : QString();
}

DocumentTreeModel::LoadState DocumentTreeModel::loadState(const QModelIndex &index) const
{
    const Node *node = nodeFor(index);
    if (!node)
        return LoadState::NotLoaded;
    return node->box && node->box->run ? LoadState::Loading : node->state();
}

bool DocumentTreeModel::isBusy(const QModelIndex &index) const
{
    const Node *node = nodeFor(index);
    return node && node->busy;
}

QModelIndex DocumentTreeModel::indexForAccount(const QString &accountId) const
{
    return indexOf(accountNode(accountId));
}

QModelIndex DocumentTreeModel::indexFor(const QString &accountId, const NodeRef &ref) const
{
    const Node *node = accountNode(accountId);
    if (!node)
        return {};
    if (ref.kind == NodeKind::Account)
        return ref.ids.isEmpty() ? indexOf(node) : QModelIndex();
    // Each level's id is the next element of the ref's ids, from the outermost container down.
    for (const QString &id : ref.ids) {
        const IdKey key(id);
        node = node->box ? node->box->byId.find(key) : nullptr;
        if (!node)
            return {};
    }
    return refOf(node) == ref ? indexOf(node) : QModelIndex();
}

// --- data -------------------------------------------------------------------------------------

QString DocumentTreeModel::measureText(Measure kind, qint64 value)
{
    switch (kind) {
    case Measure::Bytes:
        return QLocale().formattedDataSize(value, 1, QLocale::DataSizeSIFormat);
    case Measure::Pages:
        return value == 1 ? tr("1 page") : tr("%1 pages").arg(QLocale().toString(value));
    case Measure::Seconds:
        return formatDuration(value);
    case Measure::None:
        return QString();
    }
    return QString();
}

QString DocumentTreeModel::measureText(const RemoteItem &item)
{
    const auto [kind, value] = RowBlock::measureOf(item);
    return measureText(kind, value);
}

QString DocumentTreeModel::statusText(const Node *node) const
{
    if (node->busy)
        return tr("Deleting…");
    if (node->parent == m_root.get()) {
        const Connector *connector = node->box->connector.data();
        if (!connector)
            return tr("Unavailable");
        if (connector->session() && connector->session()->isSignedOut()) {
            const QString reason = connector->session()->signedOutReason();
            return reason.isEmpty() ? tr("Signed out") : tr("Signed out: %1").arg(reason);
        }
    }
    if (node->box && node->box->run)
        return tr("Loading…");
    if (node->hasActionError) {
        // The outcome's own words: "not deleted" would be false for an unknown one.
        const ActionError error = m_actionErrors.value(node);
        switch (error.outcome) {
        case DeletionState::NotPermitted:
            return tr("Not permitted: %1").arg(error.reason);
        case DeletionState::Unknown:
            return tr("Not known whether deleted: %1").arg(error.reason);
        case DeletionState::Changed:
            return tr("Not sent, changed: %1").arg(error.reason);
        default:
            return tr("Not deleted: %1").arg(error.reason);
        }
    }
    if (node->state() == LoadState::Error)
        return tr("Error: %1").arg(node->box ? node->box->loadError : QString());
    return statusOf(node);
}

QVariant DocumentTreeModel::displayData(const Node *node, int column) const
{
    switch (column) {
    case NameColumn:
        return node->name();
    case KindColumn:
        return nodeKindName(node->kind());
    case CreatedColumn:
        return node->created != noDate
            ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(node->created, Qt::LocalTime),
                                 QLocale::ShortFormat)
            : QString();
    case SizeColumn:
        return measureText(Measure(node->measureKind), node->measure);
    case StatusColumn:
        return statusText(node);
    default:
        return {};
    }
}

QVariant DocumentTreeModel::sortData(const Node *node, int column) const
{
    switch (column) {
    case CreatedColumn:
        return node->created != noDate ? QDateTime::fromMSecsSinceEpoch(node->created, Qt::UTC)
                                       : QDateTime();
    case SizeColumn:
        return node->measure;
    default:
        return displayData(node, column);
    }
}

QVariant DocumentTreeModel::data(const QModelIndex &index, int role) const
{
    const Node *node = nodeFor(index);
    if (!node || index.column() >= ColumnCount)
        return {};
    const Node *account = accountNodeOf(node);

    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, index.column());
    case Qt::ToolTipRole: {
        const QString error = data(index, ErrorRole).toString();
        if (!error.isEmpty())
            return error;
        if (index.column() == StatusColumn || index.column() == CreatedColumn)
            return displayData(node, index.column());
        return QStringLiteral("%1 (%2)").arg(node->name(), nodeKindName(node->kind()));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NodeRefRole:
        return QVariant::fromValue(refOf(node));
    case NodeKindRole:
        return int(node->kind());
    case LoadStateRole:
        return int(node->box && node->box->run ? LoadState::Loading : node->state());
    case ErrorRole: {
        if (node->hasActionError)
            return m_actionErrors.value(node).reason;
        const Connector *connector = account ? account->box->connector.data() : nullptr;
        if (node == account && connector && connector->session()
            && connector->session()->isSignedOut())
            return connector->session()->signedOutReason();
        return node->state() == LoadState::Error && node->box ? node->box->loadError : QString();
    }
    case BusyRole:
        return bool(node->busy);
    case AccountIdRole:
        return account ? account->box->accountId : QString();
    case RemoteItemRole:
        return QVariant::fromValue(itemOf(node));
    case SortRole:
        return sortData(node, index.column());
    case TotalRole:
        return node->box ? node->box->total : -1;
    case ServiceRole:
        if (account && account->box->connector)
            return int(account->box->connector->service());
        return {};
    default:
        return {};
    }
}

QVariant DocumentTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Name");
        case KindColumn:
            return tr("Kind");
        case CreatedColumn:
            return tr("Created");
        case SizeColumn:
            return tr("Size");
        case StatusColumn:
            return tr("Status");
        }
    }
    if (role == Qt::ToolTipRole && section == SizeColumn)
        return tr("File size, page count or recording length");
    return {};
}
// --- listing (DocumentLister) -------------------------------------------------------------------

bool DocumentTreeModel::canFetchMore(const QModelIndex &parent) const
{
    return m_lister->canFetchMore(parent);
}

void DocumentTreeModel::fetchMore(const QModelIndex &parent)
{
    m_lister->fetchMore(parent);
}

bool DocumentTreeModel::fetchAll(const QModelIndex &parent)
{
    return m_lister->fetchAll(parent);
}

void DocumentTreeModel::refresh(const QModelIndex &index)
{
    m_lister->refresh(index);
}

// --- deleting (RowDeletions) ------------------------------------------------------------------

DeletionQueue *DocumentTreeModel::deletionQueue()
{
    return m_deletions->queue();
}

void DocumentTreeModel::setDeletionQueue(DeletionQueue *queue)
{
    m_deletions->setQueue(queue);
}

bool DocumentTreeModel::deleteItem(const QModelIndex &index)
{
    return deleteItems({ index }) == 1;
}

int DocumentTreeModel::deleteItems(const QModelIndexList &indexes)
{
    return m_deletions->deleteItems(indexes);
}

} // namespace Docket
