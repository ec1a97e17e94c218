#include "documenttreemodel.h"

#include "connector.h"

#include <QLocale>
#include <QSet>
#include <QTimer>

#include <deque>
#include <optional>

namespace Docket {

// One page asked for within a LoadRun. Pages are kept in the order they were requested (server
// order) and only used from the front, so answers that arrive out of order wait for the ones
// before them.
struct DocumentTreeModel::PageSlot
{
    quint64 id = 0;
    QVariant cursor;
    QPointer<ListJob> job;
    bool done = false;
    ListPage page;
    ApiError error;
};

// One listing of a container's children in progress: a next page (Append), or a re-list from the
// first page that replaces the children by reconciling once it is complete (Refresh).
struct DocumentTreeModel::LoadRun
{
    quint64 id = 0;
    RunMode mode = RunMode::Append;
    bool all = false; // keep going until the server has no more pages
    int targetCount = -1; // Refresh without `all`: stop once this many items were listed
    int limit = 100;
    quint64 nextSlotId = 1;
    std::deque<PageSlot> slots;
    QList<RemoteItem> collected; // Refresh: the server's list so far
    QSet<QString> collectedIds;
    // Ids whose delete was confirmed after this run started: a page may still list them.
    QSet<QString> suppressed;
};

struct DocumentTreeModel::Node : std::enable_shared_from_this<Node>
{
    Node *parent = nullptr;
    std::vector<NodePtr> children;
    QHash<QString, Node *> childById; // children with a non-empty id
    int row = 0;
    RemoteItem item;

    // Account nodes only.
    QPointer<Connector> connector;
    QString accountId;
    QList<QMetaObject::Connection> connections;

    LoadState state = LoadState::NotLoaded;
    QString loadError; // why the last listing failed
    QString actionError; // why the last delete failed
    QVariant nextCursor; // where the next page starts; invalid when everything is listed
    int total = -1;
    bool busy = false;
    std::unique_ptr<LoadRun> run;
    bool refreshQueued = false; // re-list once the running listing ends
};

namespace {

bool hasMore(const QVariant &cursor)
{
    return cursor.isValid() && !cursor.isNull();
}

// Offset-paginated services (Scriptix) put the next offset in the cursor as a number; opaque
// cursors (DocumentPro's pagination_key) are strings and can only be followed one by one.
std::optional<qint64> offsetOf(const QVariant &cursor)
{
    switch (cursor.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return cursor.toLongLong();
    default:
        return std::nullopt;
    }
}

bool sameItem(const RemoteItem &a, const RemoteItem &b)
{
    return a.ref == b.ref && a.name == b.name && a.created == b.created
        && a.sizeBytes == b.sizeBytes && a.pages == b.pages
        && a.durationSeconds == b.durationSeconds && a.status == b.status && a.details == b.details;
}

QString formatDuration(int seconds)
{
    const int hours = seconds / 3600;
    const int minutes = (seconds % 3600) / 60;
    const int rest = seconds % 60;
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
{ }

DocumentTreeModel::~DocumentTreeModel()
{
    for (const NodePtr &account : m_root->children) {
        for (const QMetaObject::Connection &connection : account->connections)
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
    NodePtr node = makeNode(m_root.get(), item);
    node->connector = connector;
    node->accountId = accountId;
    // The connector owns the list and delete jobs: when it goes, nothing under it can finish.
    node->connections.append(connect(connector, &QObject::destroyed, this,
                                     [this, accountId] { removeAccount(accountId); }));
    if (AccountSession *session = connector->session()) {
        node->connections.append(
            connect(session, &AccountSession::signedOut, this, [this, accountId] {
                if (Node *account = accountNode(accountId))
                    emitRowChanged(account);
            }));
    }

    const int row = int(m_root->children.size());
    beginInsertRows({}, row, row);
    node->row = row;
    m_root->children.push_back(node);
    endInsertRows();
}

void DocumentTreeModel::removeAccount(const QString &accountId)
{
    Node *node = accountNode(accountId);
    if (!node)
        return;
    for (const QMetaObject::Connection &connection : node->connections)
        disconnect(connection);
    node->connections.clear();
    removeChildRows(m_root.get(), node->row, node->row);
}

QStringList DocumentTreeModel::accountIds() const
{
    QStringList ids;
    for (const NodePtr &account : m_root->children)
        ids.append(account->accountId);
    return ids;
}

DocumentTreeModel::Node *DocumentTreeModel::accountNode(const QString &accountId) const
{
    for (const NodePtr &account : m_root->children) {
        if (account->accountId == accountId)
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
    return account ? account->connector.data() : nullptr;
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
    return node && node != m_root.get() && isContainer(node->item.ref.kind);
}

QModelIndex DocumentTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *parentNode = parent.isValid() ? nodeFor(parent) : m_root.get();
    if (!parentNode || (parent.isValid() && parent.column() != 0)
        || row >= int(parentNode->children.size()))
        return {};
    return createIndex(row, column, parentNode->children[size_t(row)].get());
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
        return int(m_root->children.size());
    if (parent.column() != 0)
        return 0;
    const Node *node = nodeFor(parent);
    return node ? int(node->children.size()) : 0;
}

int DocumentTreeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() && parent.column() != 0 ? 0 : ColumnCount;
}

bool DocumentTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return !m_root->children.empty();
    if (parent.column() != 0)
        return false;
    const Node *node = nodeFor(parent);
    if (!node)
        return false;
    if (!node->children.empty())
        return true;
    // Like KDirModel: a container not listed yet may have children, so the view offers to
    // expand it (and then calls fetchMore).
    return isContainerNode(node) && (node->state != LoadState::Loaded || hasMore(node->nextCursor));
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
    for (size_t i = size_t(qMax(0, from)); i < parent->children.size(); ++i)
        parent->children[i]->row = int(i);
}

DocumentTreeModel::NodePtr DocumentTreeModel::makeNode(Node *parent, const RemoteItem &item)
{
    auto node = std::make_shared<Node>();
    node->parent = parent;
    node->item = item;
    node->state = isContainer(item.ref.kind) ? LoadState::NotLoaded : LoadState::Loaded;
    return node;
}

namespace {

// Listings still running under a subtree that is going away: their answers would be dropped
// anyway, so do not keep the requests going.
template<typename NodeT> void abortRuns(NodeT *node)
{
    if (node->run) {
        for (auto &slot : node->run->slots) {
            if (slot.job)
                slot.job->abort();
        }
        node->run.reset();
    }
    for (const auto &child : node->children)
        abortRuns(child.get());
}

} // namespace

void DocumentTreeModel::removeChildRows(Node *parent, int first, int last)
{
    if (first < 0 || last < first || last >= int(parent->children.size()))
        return;
    beginRemoveRows(indexOf(parent), first, last);
    for (int row = first; row <= last; ++row) {
        Node *child = parent->children[size_t(row)].get();
        const QString id = child->item.ref.id();
        if (!id.isEmpty() && parent->childById.value(id) == child)
            parent->childById.remove(id);
        abortRuns(child);
    }
    // Held until the views have let go of the rows; then detached, so an answer still on its way
    // for one of them (found through a weak pointer) sees it is no longer in the tree.
    std::vector<NodePtr> removed(parent->children.begin() + first,
                                 parent->children.begin() + last + 1);
    parent->children.erase(parent->children.begin() + first, parent->children.begin() + last + 1);
    renumber(parent, first);
    endRemoveRows();
    for (const NodePtr &node : removed)
        node->parent = nullptr;
}

bool DocumentTreeModel::isAttached(const Node *node) const
{
    while (node && node != m_root.get())
        node = node->parent;
    return node == m_root.get();
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
    const Node *node = nodeFor(index);
    return node ? node->item : RemoteItem();
}

Connector *DocumentTreeModel::connectorFor(const QModelIndex &index) const
{
    return connectorOf(nodeFor(index));
}

QString DocumentTreeModel::accountIdFor(const QModelIndex &index) const
{
    const Node *account = accountNodeOf(nodeFor(index));
    return account ? account->accountId : QString();
}

DocumentTreeModel::LoadState DocumentTreeModel::loadState(const QModelIndex &index) const
{
    const Node *node = nodeFor(index);
    if (!node)
        return LoadState::NotLoaded;
    return node->run ? LoadState::Loading : node->state;
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
        node = node->childById.value(id);
        if (!node)
            return {};
    }
    return node->item.ref == ref ? indexOf(node) : QModelIndex();
}

// --- data -------------------------------------------------------------------------------------

QString DocumentTreeModel::statusText(const Node *node) const
{
    if (node->busy)
        return tr("Deleting…");
    if (!node->parent || node->parent == m_root.get()) {
        const Connector *connector = node->connector.data();
        if (!connector)
            return tr("Unavailable");
        if (connector->session() && connector->session()->isSignedOut()) {
            const QString reason = connector->session()->signedOutReason();
            return reason.isEmpty() ? tr("Signed out") : tr("Signed out: %1").arg(reason);
        }
    }
    if (node->run)
        return tr("Loading…");
    if (!node->actionError.isEmpty())
        return tr("Not deleted: %1").arg(node->actionError);
    if (node->state == LoadState::Error)
        return tr("Error: %1").arg(node->loadError);
    return node->item.status;
}

QVariant DocumentTreeModel::displayData(const Node *node, int column) const
{
    const RemoteItem &item = node->item;
    switch (column) {
    case NameColumn:
        return item.name;
    case KindColumn:
        return nodeKindName(item.ref.kind);
    case CreatedColumn:
        return item.created.isValid()
            ? QLocale().toString(item.created.toLocalTime(), QLocale::ShortFormat)
            : QString();
    case SizeColumn:
        if (item.sizeBytes >= 0)
            return QLocale().formattedDataSize(item.sizeBytes, 1, QLocale::DataSizeSIFormat);
        if (item.pages >= 0)
            return item.pages == 1 ? tr("1 page")
                                   : tr("%1 pages").arg(QLocale().toString(item.pages));
        if (item.durationSeconds >= 0)
            return formatDuration(item.durationSeconds);
        return QString();
    case StatusColumn:
        return statusText(node);
    default:
        return {};
    }
}

QVariant DocumentTreeModel::sortData(const Node *node, int column) const
{
    const RemoteItem &item = node->item;
    switch (column) {
    case CreatedColumn:
        return item.created;
    case SizeColumn:
        if (item.sizeBytes >= 0)
            return item.sizeBytes;
        if (item.pages >= 0)
            return qint64(item.pages);
        return qint64(item.durationSeconds);
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
        return QStringLiteral("%1 (%2)").arg(node->item.name, nodeKindName(node->item.ref.kind));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NodeRefRole:
        return QVariant::fromValue(node->item.ref);
    case NodeKindRole:
        return int(node->item.ref.kind);
    case LoadStateRole:
        return int(node->run ? LoadState::Loading : node->state);
    case ErrorRole:
        if (!node->actionError.isEmpty())
            return node->actionError;
        if (node == account && account->connector && account->connector->session()
            && account->connector->session()->isSignedOut())
            return account->connector->session()->signedOutReason();
        return node->state == LoadState::Error ? node->loadError : QString();
    case BusyRole:
        return node->busy;
    case AccountIdRole:
        return account ? account->accountId : QString();
    case RemoteItemRole:
        return QVariant::fromValue(node->item);
    case SortRole:
        return sortData(node, index.column());
    case TotalRole:
        return node->total;
    case ServiceRole:
        if (account && account->connector)
            return int(account->connector->service());
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

// --- listing ----------------------------------------------------------------------------------

bool DocumentTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *node = nodeFor(parent);
    if (!isContainerNode(node) || node->run || !connectorOf(node))
        return false;
    // An Error stays put until refresh(): a view would otherwise retry it at every scroll.
    return node->state == LoadState::NotLoaded
        || (node->state == LoadState::Loaded && hasMore(node->nextCursor));
}

void DocumentTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *node = nodeFor(parent);
    startRun(node, RunMode::Append, false, -1, node->nextCursor);
}

bool DocumentTreeModel::fetchAll(const QModelIndex &parent)
{
    Node *node = nodeFor(parent);
    if (!isContainerNode(node) || !connectorOf(node))
        return false;
    if (node->run) {
        // The running listing carries on to the end when its last page arrives.
        node->run->all = true;
        return true;
    }
    switch (node->state) {
    case LoadState::NotLoaded:
        startRun(node, RunMode::Append, true, -1, QVariant());
        return true;
    case LoadState::Loaded:
        if (!hasMore(node->nextCursor))
            return false;
        startRun(node, RunMode::Append, true, -1, node->nextCursor);
        return true;
    case LoadState::Error:
    case LoadState::Loading:
        // Where a failed listing left off is uncertain: list everything afresh.
        startRun(node, RunMode::Refresh, true, -1, QVariant());
        return true;
    }
    return false;
}

void DocumentTreeModel::refresh(const QModelIndex &index)
{
    if (!index.isValid()) {
        for (const NodePtr &account : m_root->children) {
            if (account->state != LoadState::NotLoaded || account->run)
                refresh(indexOf(account.get()));
        }
        return;
    }
    Node *node = nodeFor(index);
    if (!node)
        return;
    if (!isContainerNode(node))
        node = node->parent;
    if (!isContainerNode(node) || !connectorOf(node))
        return;
    if (node->run) {
        // What the running listing sees may already be out of date: list again after it.
        node->refreshQueued = true;
        return;
    }
    if (node->state == LoadState::NotLoaded) {
        startRun(node, RunMode::Append, false, -1, QVariant());
        return;
    }
    // As far as it was listed: everything if it was complete, otherwise as many as were shown.
    const bool complete = node->state == LoadState::Loaded && !hasMore(node->nextCursor);
    startRun(node, RunMode::Refresh, complete, qMax(1, int(node->children.size())), QVariant());
}

void DocumentTreeModel::startRun(Node *node, RunMode mode, bool all, int targetCount,
                                 const QVariant &cursor)
{
    Connector *connector = connectorOf(node);
    if (!connector)
        return;
    node->run = std::make_unique<LoadRun>();
    node->run->id = m_nextRunId++;
    node->run->mode = mode;
    node->run->all = all;
    node->run->targetCount = targetCount;
    const int limit = m_pageSize > 0 ? m_pageSize : connector->pageSize(node->item.ref.kind);
    node->run->limit = limit > 0 ? limit : 100;
    node->loadError.clear();
    emitRowChanged(node);
    requestPage(node, cursor);
}

void DocumentTreeModel::requestPage(Node *node, const QVariant &cursor)
{
    LoadRun *run = node->run.get();
    Connector *connector = connectorOf(node);
    PageSlot slot;
    slot.id = run->nextSlotId++;
    slot.cursor = cursor;
    const quint64 runId = run->id;
    const quint64 slotId = slot.id;
    const std::weak_ptr<Node> weak = node->weak_from_this();

    ListJob *job
        = connector ? connector->list(node->item.ref, PageRequest { cursor, run->limit }) : nullptr;
    slot.job = job;
    run->slots.push_back(std::move(slot));
    if (!job) {
        // Always answer later, as a job would, so callers never see rows change inside the call.
        QTimer::singleShot(0, this, [this, weak, runId, slotId] {
            pageArrived(weak, runId, slotId, {},
                        ApiError::make(ApiError::Kind::InvalidInput,
                                       tr("This account cannot list its contents.")));
        });
        return;
    }
    connect(job, &ConnectorJob::finished, this,
            [this, weak, runId, slotId](ConnectorJob *finished) {
                auto *listJob = static_cast<ListJob *>(finished);
                pageArrived(weak, runId, slotId, listJob->page(), listJob->error());
            });
}

void DocumentTreeModel::pageArrived(const std::weak_ptr<Node> &weak, quint64 runId, quint64 slotId,
                                    const ListPage &page, const ApiError &error)
{
    // The node may have been removed, or its listing replaced, while the request was out.
    const NodePtr node = weak.lock();
    if (!node || !isAttached(node.get()) || !node->run || node->run->id != runId)
        return;
    for (PageSlot &slot : node->run->slots) {
        if (slot.id != slotId)
            continue;
        slot.done = true;
        slot.page = page;
        slot.error = error;
        slot.job = nullptr;
        drain(node.get());
        return;
    }
}

void DocumentTreeModel::drain(Node *node)
{
    LoadRun *run = node->run.get();
    while (run && !run->slots.empty() && run->slots.front().done) {
        const PageSlot slot = std::move(run->slots.front());
        run->slots.pop_front();
        if (slot.error.isError()) {
            finishRun(node, slot.error);
            return;
        }
        const ListPage &page = slot.page;
        // A page that points back where it started would loop for ever: treat it as the end.
        const bool progressed = page.hasMore() && page.nextCursor != slot.cursor;
        QList<RemoteItem> items;
        items.reserve(page.items.size());
        for (const RemoteItem &item : page.items) {
            if (!run->suppressed.contains(item.ref.id()) || item.ref.id().isEmpty())
                items.append(item);
        }
        if (page.total >= 0)
            node->total = page.total;
        if (run->mode == RunMode::Append) {
            appendItems(node, items);
            // Whoever watches the insertion may have removed the node or restarted its listing.
            if (!isAttached(node) || node->run.get() != run)
                return;
            node->nextCursor = progressed ? page.nextCursor : QVariant();
        } else {
            for (const RemoteItem &item : std::as_const(items)) {
                const QString id = item.ref.id();
                if (!id.isEmpty() && run->collectedIds.contains(id))
                    continue; // offsets shifted between pages: listed twice
                run->collectedIds.insert(id);
                run->collected.append(item);
            }
        }
        if (!run->slots.empty())
            continue; // pages requested at once: carry on with the next one in order

        bool wantMore = false;
        if (progressed) {
            wantMore = run->all
                || (run->mode == RunMode::Refresh && run->collected.size() < run->targetCount);
        }
        if (!wantMore) {
            node->nextCursor = progressed ? page.nextCursor : QVariant();
            finishRun(node, {});
            return;
        }

        // The total is known and the cursor is an offset: ask for every remaining page at once
        // (the session's pacer spaces them out); they are used in order as they complete.
        const std::optional<qint64> next = offsetOf(page.nextCursor);
        const std::optional<qint64> requested
            = slot.cursor.isValid() ? offsetOf(slot.cursor) : std::optional<qint64>(0);
        if (next && requested && *next > *requested && page.total >= 0) {
            const qint64 stride = *next - *requested;
            qint64 end = page.total;
            if (!run->all)
                end = qMin(end, *next + qint64(run->targetCount - run->collected.size()));
            int issued = 0;
            for (qint64 offset = *next; offset < end; offset += stride) {
                QVariant cursor(offset);
                cursor.convert(page.nextCursor.metaType());
                requestPage(node, cursor);
                ++issued;
            }
            if (issued == 0)
                requestPage(node, page.nextCursor); // the server says there is more: follow it
        } else {
            requestPage(node, page.nextCursor);
        }
        return;
    }
}

void DocumentTreeModel::finishRun(Node *node, const ApiError &error)
{
    const std::unique_ptr<LoadRun> run = std::move(node->run);
    for (PageSlot &slot : run->slots) {
        if (slot.job)
            slot.job->abort(); // its answer would be dropped: the run is over
    }
    if (error.isError()) {
        node->state = LoadState::Error;
        node->loadError = error.userMessage.isEmpty() ? error.summary() : error.userMessage;
    } else {
        if (run->mode == RunMode::Refresh)
            reconcile(node, run->collected);
        node->state = LoadState::Loaded;
    }
    emitRowChanged(node);

    const Node *account = accountNodeOf(node);
    const QString accountId = account ? account->accountId : QString();
    const NodeRef ref = node->item.ref;
    // Signals may reach code that changes the model: keep hold of the node meanwhile.
    const NodePtr keep = node->shared_from_this();
    if (error.isError())
        Q_EMIT loadFailed(accountId, ref, error);
    if (!isAttached(node))
        return;
    if (node->refreshQueued && !node->run) {
        node->refreshQueued = false;
        refresh(indexOf(node));
    }
    if (!node->run)
        Q_EMIT loadFinished(accountId, ref);
}

void DocumentTreeModel::appendItems(Node *node, const QList<RemoteItem> &items)
{
    QList<RemoteItem> fresh;
    QSet<QString> ids;
    fresh.reserve(items.size());
    for (const RemoteItem &item : items) {
        const QString id = item.ref.id();
        if (!id.isEmpty()) {
            // Offsets shift when something is added or deleted between two pages.
            if (node->childById.contains(id) || ids.contains(id))
                continue;
            ids.insert(id);
        }
        fresh.append(item);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(node->children.size());
    beginInsertRows(indexOf(node), first, first + int(fresh.size()) - 1);
    node->children.reserve(node->children.size() + size_t(fresh.size()));
    for (const RemoteItem &item : std::as_const(fresh)) {
        NodePtr child = makeNode(node, item);
        child->row = int(node->children.size());
        if (!item.ref.id().isEmpty())
            node->childById.insert(item.ref.id(), child.get());
        node->children.push_back(std::move(child));
    }
    endInsertRows();
}

void DocumentTreeModel::updateItem(Node *node, const RemoteItem &item)
{
    if (sameItem(node->item, item))
        return;
    node->item = item;
    emitRowChanged(node);
}

// Makes the children exactly `items`, in that order, with the fewest changes: rows whose id is
// still listed keep their node (and so their loaded children, selection and expansion), the rest
// are removed, new ones inserted, moved ones moved. Never a reset.
void DocumentTreeModel::reconcile(Node *node, const QList<RemoteItem> &items)
{
    QSet<QString> wanted;
    for (const RemoteItem &item : items) {
        if (!item.ref.id().isEmpty())
            wanted.insert(item.ref.id());
    }
    // Remove what is gone, in contiguous ranges from the end so rows stay valid.
    for (int row = int(node->children.size()) - 1; row >= 0;) {
        const auto gone = [&](int r) {
            const QString id = node->children[size_t(r)]->item.ref.id();
            return id.isEmpty() || !wanted.contains(id);
        };
        if (!gone(row)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && gone(first - 1))
            --first;
        removeChildRows(node, first, row);
        row = first - 1;
    }

    const QModelIndex parentIndex = indexOf(node);
    for (int i = 0; i < int(items.size()); ++i) {
        const QString id = items[i].ref.id();
        if (i < int(node->children.size()) && !id.isEmpty()
            && node->children[size_t(i)]->item.ref.id() == id) {
            updateItem(node->children[size_t(i)].get(), items[i]);
            continue;
        }
        Node *existing = id.isEmpty() ? nullptr : node->childById.value(id);
        if (existing) {
            // Rows before i are settled, so the existing row is further down: move it up to i.
            const int from = existing->row;
            beginMoveRows(parentIndex, from, from, parentIndex, i);
            NodePtr moving = node->children[size_t(from)];
            node->children.erase(node->children.begin() + from);
            node->children.insert(node->children.begin() + i, moving);
            renumber(node, i);
            endMoveRows();
            updateItem(existing, items[i]);
            continue;
        }
        // A run of new items: one insertion.
        int last = i;
        while (last + 1 < int(items.size())) {
            const QString nextId = items[last + 1].ref.id();
            if (!nextId.isEmpty() && node->childById.contains(nextId))
                break;
            ++last;
        }
        beginInsertRows(parentIndex, i, last);
        std::vector<NodePtr> fresh;
        fresh.reserve(size_t(last - i + 1));
        for (int k = i; k <= last; ++k) {
            NodePtr child = makeNode(node, items[k]);
            if (!items[k].ref.id().isEmpty())
                node->childById.insert(items[k].ref.id(), child.get());
            fresh.push_back(std::move(child));
        }
        node->children.insert(node->children.begin() + i, fresh.begin(), fresh.end());
        renumber(node, i);
        endInsertRows();
        i = last;
    }
}

// --- deleting ---------------------------------------------------------------------------------

bool DocumentTreeModel::deleteItem(const QModelIndex &index)
{
    Node *node = nodeFor(index);
    if (!node || node->parent == m_root.get() || node->busy)
        return false;
    for (const Node *ancestor = node->parent; ancestor; ancestor = ancestor->parent) {
        if (ancestor->busy)
            return false; // it goes with its ancestor
    }
    Connector *connector = connectorOf(node);
    if (!connector || !connector->canDelete(node->item.ref.kind))
        return false;

    node->busy = true;
    node->actionError.clear();
    emitRowChanged(node);

    const QString accountId = accountNodeOf(node)->accountId;
    const NodeRef ref = node->item.ref;
    const std::weak_ptr<Node> weak = node->weak_from_this();
    DeleteJob *job = connector->remove(node->item);
    if (!job) {
        QTimer::singleShot(0, this, [this, weak, accountId, ref] {
            deleteFinishedFor(
                weak, accountId, ref, DeleteOutcome::Deleted,
                ApiError::make(ApiError::Kind::InvalidInput, tr("This item cannot be deleted.")));
        });
        return true;
    }
    connect(job, &ConnectorJob::finished, this,
            [this, weak, accountId, ref](ConnectorJob *finished) {
                auto *deleteJob = static_cast<DeleteJob *>(finished);
                deleteFinishedFor(weak, accountId, ref, deleteJob->outcome(), deleteJob->error());
            });
    return true;
}

int DocumentTreeModel::deleteItems(const QModelIndexList &indexes)
{
    QSet<const Node *> chosen;
    QList<QModelIndex> rows;
    for (const QModelIndex &index : indexes) {
        const Node *node = nodeFor(index);
        // An account row is never deleted, so it does not take the rows under it along.
        if (node && node->parent != m_root.get() && !chosen.contains(node)) {
            chosen.insert(node);
            rows.append(indexOf(node));
        }
    }
    int started = 0;
    for (const QModelIndex &row : std::as_const(rows)) {
        bool underChosen = false;
        for (const Node *ancestor = nodeFor(row)->parent; ancestor; ancestor = ancestor->parent)
            underChosen = underChosen || chosen.contains(ancestor);
        if (!underChosen && deleteItem(row))
            ++started;
    }
    return started;
}

void DocumentTreeModel::deleteFinishedFor(const std::weak_ptr<Node> &weak, const QString &accountId,
                                          const NodeRef &ref, DeleteOutcome outcome,
                                          const ApiError &error)
{
    // Found by identity: the row may have moved, or been re-listed away, meanwhile.
    if (const NodePtr node = weak.lock(); node && isAttached(node.get())) {
        if (error.isError()) {
            node->busy = false;
            node->actionError = error.userMessage.isEmpty() ? error.summary() : error.userMessage;
            emitRowChanged(node.get());
        } else {
            Node *parent = node->parent;
            removeChildRows(parent, node->row, node->row);
            if (parent != m_root.get()) {
                if (parent->run) {
                    // A listing already running may have read the item before it went.
                    parent->run->suppressed.insert(ref.id());
                    parent->refreshQueued = true;
                } else {
                    refresh(indexOf(parent));
                }
            }
        }
    }
    Q_EMIT deleteFinished(accountId, ref, outcome, error);
}

} // namespace Docket
