#include "documenttreemodel.h"

#include "connector.h"
#include "rowblock.h"

#include <QElapsedTimer>
#include <QHashSeed>
#include <QLocale>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>

namespace Docket {

// Memory: a listing may put 100,000 rows under one account, so a row holds only what the view and
// a delete need, in one small struct plus one allocation for its text: its own id (the ids of its
// ancestors are theirs; NodeRef is rebuilt by walking up), its name, the creation time, one
// measure, an index into the shared status words, flags. No details (the details pane fetches
// them), no reference counts, no per-row hash nodes. What only a listed container needs lives in
// a Container allocated on first listing; what only a few rows need (a failed delete's error, a
// delete in flight) lives in the model's side tables.

namespace {

constexpr qint64 noDate = RowBlock::noDate;

size_t idHash(QByteArrayView bytes, bool utf16)
{
    return qHash(bytes, QHashSeed::globalSeed()) ^ size_t(utf16);
}

// Sizes of the id and the name in bytes, at the start of a row's text.
struct TextHeader
{
    quint32 idSize = 0;
    quint32 nameSize = 0;
};

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

// How long one turn of the event loop may spend inserting pages that arrived together.
constexpr qint64 drainBudgetMs = 8;

// Reservations follow the total a server announces, but never by more than this many rows at a
// time: a total that lies costs little.
constexpr size_t maxReserveStep = 1 << 18;

} // namespace

// An id as the rows store it, with its hash: computed once per listed item. Made of a RowBlock's
// row it refers to the block's bytes (the block must outlive it); made of a QString it owns them
// (a QByteArray's copies share its buffer, so `bytes` stays valid).
struct DocumentTreeModel::IdKey
{
    IdKey() = default;
    IdKey(const RowBlock &rows, int row)
        : utf16(rows.idIsUtf16(row))
        , bytes(rows.idBytes(row))
        , hash(idHash(bytes, utf16))
    { }
    explicit IdKey(const QString &id)
        : storage(RowBlock::encodeText(id, &utf16))
        , bytes(storage)
        , hash(idHash(bytes, utf16))
    { }
    bool isEmpty() const { return bytes.isEmpty(); }

    bool utf16 = false;
    QByteArray storage;
    QByteArrayView bytes; // UTF-8, or UTF-16 for the rare id that does not survive UTF-8
    size_t hash = 0;
};

struct DocumentTreeModel::Node
{
    Node() = default;
    Node(const Node &) = delete;
    Node &operator=(const Node &) = delete;
    ~Node();

    NodeKind kind() const { return NodeKind(kindValue); }
    LoadState state() const { return LoadState(stateValue); }
    void setState(LoadState value) { stateValue = quint8(value) & 3; }

    TextHeader header() const
    {
        TextHeader h;
        if (text)
            std::memcpy(&h, text.get(), sizeof h);
        return h;
    }
    QByteArrayView idBytes() const
    {
        const TextHeader h = header();
        return { text.get() + sizeof(TextHeader), qsizetype(h.idSize) };
    }
    QString id() const { return text ? RowBlock::decodeText(idBytes(), idUtf16) : QString(); }
    QString name() const
    {
        if (!text)
            return {};
        if (nameIsId)
            return id();
        const TextHeader h = header();
        return RowBlock::decodeText(
            { text.get() + sizeof(TextHeader) + h.idSize, qsizetype(h.nameSize) }, nameUtf16);
    }
    bool hasId(const IdKey &key) const
    {
        return bool(idUtf16) == key.utf16 && idBytes() == key.bytes;
    }
    size_t hash() const { return idHash(idBytes(), idUtf16); }

    Node *parent = nullptr;
    std::unique_ptr<Container> box; // the root, accounts, and containers once listed
    std::unique_ptr<char[]> text; // TextHeader, then the id's bytes, then the name's
    qint64 created = noDate; // msecs since the epoch
    qint64 measure = -1; // bytes, pages or seconds, as measureKind says
    int row = 0;
    int childCount = -1;
    quint32 status = 0; // in m_statuses
    quint8 kindValue = 0;
    quint8 measureKind : 2 = 0;
    quint8 stateValue : 2 = 0;
    quint8 busy : 1 = 0; // a delete is queued or in flight (its queue item: m_deleting)
    quint8 hasActionError : 1 = 0; // in m_actionErrors
    quint8 unusualIds : 1 = 0; // in m_unusualIds
    quint8 idUtf16 : 1 = 0;
    quint8 nameUtf16 : 1 = 0;
    quint8 nameIsId : 1 = 0;
    quint8 marked : 1 = 0; // reconcile: still listed
};

// A container's children by id: an open-addressing table of row pointers (linear probing, a
// 7-bit hash tag per slot so most probes never touch a row), about 10 bytes a row where a QHash
// of QString keys would take several times that.
class DocumentTreeModel::IdIndex
{
public:
    Node *find(const IdKey &key) const
    {
        if (m_size == 0 || key.isEmpty())
            return nullptr;
        const quint8 tag = tagOf(key.hash);
        for (size_t i = key.hash & m_mask;; i = (i + 1) & m_mask) {
            if (m_tags[i] == 0)
                return nullptr;
            if (m_tags[i] == tag && m_slots[i]->hasId(key))
                return m_slots[i];
        }
    }

    // `node` has a non-empty id that is not in the table yet.
    void insert(Node *node, size_t hash)
    {
        if (!fits(m_size + 1))
            rehash(capacityFor(m_size + 1));
        place(node, hash);
        ++m_size;
    }

    void erase(const Node *node)
    {
        if (m_size == 0 || node->idBytes().isEmpty())
            return;
        size_t i = node->hash() & m_mask;
        while (m_slots[i] != node) {
            if (m_tags[i] == 0)
                return;
            i = (i + 1) & m_mask;
        }
        // Backward shift: later entries of the probe run move into the gap, so no tombstones.
        for (size_t j = (i + 1) & m_mask; m_tags[j] != 0; j = (j + 1) & m_mask) {
            const size_t home = m_slots[j]->hash() & m_mask;
            const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                m_tags[i] = m_tags[j];
                m_slots[i] = m_slots[j];
                i = j;
            }
        }
        m_tags[i] = 0;
        m_slots[i] = nullptr;
        --m_size;
    }

    void reserve(size_t count)
    {
        if (!fits(count))
            rehash(capacityFor(count));
    }

    void clear()
    {
        m_tags.reset();
        m_slots.reset();
        m_mask = 0;
        m_size = 0;
    }

private:
    size_t capacity() const { return m_slots ? m_mask + 1 : 0; }
    bool fits(size_t count) const { return count * 5 <= capacity() * 4; } // load <= 0.8
    static size_t capacityFor(size_t count)
    {
        size_t capacity = 16;
        while (count * 5 > capacity * 4)
            capacity *= 2;
        return capacity;
    }
    static quint8 tagOf(size_t hash)
    {
        return quint8(0x80 | ((hash >> (sizeof(size_t) * 8 - 7)) & 0x7f));
    }
    void place(Node *node, size_t hash)
    {
        size_t i = hash & m_mask;
        while (m_tags[i] != 0)
            i = (i + 1) & m_mask;
        m_tags[i] = tagOf(hash);
        m_slots[i] = node;
    }
    void rehash(size_t capacity)
    {
        const size_t oldCapacity = this->capacity();
        const std::unique_ptr<quint8[]> oldTags = std::move(m_tags);
        const std::unique_ptr<Node *[]> oldSlots = std::move(m_slots);
        m_tags = std::make_unique<quint8[]>(capacity);
        m_slots = std::make_unique<Node *[]>(capacity);
        m_mask = capacity - 1;
        for (size_t i = 0; i < oldCapacity; ++i) {
            if (oldTags[i] != 0)
                place(oldSlots[i], oldSlots[i]->hash());
        }
    }

    std::unique_ptr<quint8[]> m_tags; // 0: empty; else 0x80 | 7 bits of the hash
    std::unique_ptr<Node *[]> m_slots;
    size_t m_mask = 0;
    size_t m_size = 0;
};

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
// first page that replaces the children by reconciling once it is complete (Refresh). It lives
// only while the listing runs, so its sets cost nothing once the rows are in.
struct DocumentTreeModel::LoadRun
{
    quint64 id = 0;
    RunMode mode = RunMode::Append;
    bool all = false; // keep going until the server has no more pages
    int targetCount = -1; // Refresh without `all`: stop once this many items were listed
    int limit = 100;
    quint64 nextSlotId = 1;
    std::deque<PageSlot> slots;
    RowBlock collected; // Refresh: the server's list so far
    QSet<QString> collectedIds;
    // Ids whose delete was confirmed after this run started: a page may still list them.
    QSet<QString> suppressed;
};

// What a container needs once it is listed (and the root and account rows always).
struct DocumentTreeModel::Container
{
    quint64 serial = 0; // key in m_containers
    std::vector<std::unique_ptr<Node>> children;
    IdIndex byId; // children with a non-empty id
    QVariant nextCursor; // where the next page starts; invalid when everything is listed
    QString loadError; // why the last listing failed
    std::unique_ptr<LoadRun> run;
    int total = -1;
    bool refreshQueued = false; // re-list once the running listing ends

    // Account rows only.
    QPointer<Connector> connector;
    QString accountId;
    QList<QMetaObject::Connection> connections;
};

DocumentTreeModel::Node::~Node() = default;

DocumentTreeModel::DocumentTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
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

quint32 DocumentTreeModel::internStatus(const QString &status)
{
    if (status.isEmpty())
        return 0;
    const auto found = m_statusIds.constFind(status);
    if (found != m_statusIds.constEnd())
        return *found;
    const quint32 id = quint32(m_statuses.size());
    m_statuses.append(status);
    m_statusIds.insert(status, id);
    return id;
}

const QString &DocumentTreeModel::statusOf(const Node *node) const
{
    return m_statuses.at(qsizetype(node->status));
}

std::vector<quint32> DocumentTreeModel::statusesOf(const RowBlock &rows)
{
    std::vector<quint32> statuses(size_t(rows.statusCount()));
    for (int i = 0; i < rows.statusCount(); ++i)
        statuses[size_t(i)] = internStatus(rows.status(quint16(i)));
    return statuses;
}

void DocumentTreeModel::setRowFields(Node *node, const RowBlock &rows, int row, quint32 status,
                                     const IdKey &key)
{
    node->kindValue = quint8(rows.kind(row));

    const QByteArrayView name = rows.nameBytes(row);
    const TextHeader header { quint32(key.bytes.size()), quint32(name.size()) };
    node->text
        = std::make_unique_for_overwrite<char[]>(sizeof header + header.idSize + header.nameSize);
    // (An empty view may have no data at all: memcpy must not see a null pointer.)
    std::memcpy(node->text.get(), &header, sizeof header);
    if (header.idSize > 0)
        std::memcpy(node->text.get() + sizeof header, key.bytes.data(), header.idSize);
    if (header.nameSize > 0)
        std::memcpy(node->text.get() + sizeof header + header.idSize, name.data(), header.nameSize);
    node->idUtf16 = key.utf16;
    node->nameUtf16 = rows.nameIsUtf16(row);
    node->nameIsId = rows.nameIsId(row);

    node->created = rows.createdMSecs(row);
    node->measureKind = quint8(rows.measureKind(row));
    node->measure = rows.measure(row);
    node->status = status;
    node->childCount = rows.childCount(row);

    // The rare row whose ref is not its parent's plus its own id keeps its ids aside.
    if (const QStringList *ids = rows.ownIds(row)) {
        m_unusualIds.insert(node, *ids);
        node->unusualIds = true;
    } else if (node->unusualIds) {
        m_unusualIds.remove(node);
        node->unusualIds = false;
    }
}

std::unique_ptr<DocumentTreeModel::Node>
DocumentTreeModel::makeNode(Node *parent, const RowBlock &rows, int row,
                            const std::vector<quint32> &statuses, const IdKey &key)
{
    auto node = std::make_unique<Node>();
    node->parent = parent;
    setRowFields(node.get(), rows, row, statuses[rows.statusIndex(row)], key);
    node->setState(isContainer(rows.kind(row)) ? LoadState::NotLoaded : LoadState::Loaded);
    return node;
}

NodeRef DocumentTreeModel::refOf(const Node *node) const
{
    if (!node || node == m_root.get() || !node->parent)
        return {};
    if (node->parent == m_root.get())
        return NodeRef { NodeKind::Account, {} };
    if (node->unusualIds)
        return NodeRef { node->kind(), m_unusualIds.value(node) };
    NodeRef ref = refOf(node->parent);
    ref.kind = node->kind();
    ref.ids.append(node->id());
    return ref;
}

RemoteItem DocumentTreeModel::itemOf(const Node *node) const
{
    RemoteItem item;
    if (!node || node == m_root.get())
        return item;
    item.ref = refOf(node);
    item.name = node->name();
    if (node->created != noDate)
        item.created = QDateTime::fromMSecsSinceEpoch(node->created, Qt::UTC);
    switch (Measure(node->measureKind)) {
    case Measure::Bytes:
        item.sizeBytes = node->measure;
        break;
    case Measure::Pages:
        item.pages = int(node->measure);
        break;
    case Measure::Seconds:
        item.durationSeconds = int(node->measure);
        break;
    case Measure::None:
        break;
    }
    item.status = statusOf(node);
    item.childCount = node->childCount;
    return item;
}

// A subtree leaves the tree: its listings stop (their answers would be dropped anyway) and the
// side tables let go of its rows.
void DocumentTreeModel::forget(Node *node)
{
    if (node->busy) {
        // Its delete still answers (to the queue and deleteFinished), just not to a row.
        const auto ticket = m_deletingRows.find(m_deleting.take(node));
        if (ticket != m_deletingRows.end())
            ticket->node = nullptr;
    }
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

// --- listing ----------------------------------------------------------------------------------

bool DocumentTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *node = nodeFor(parent);
    if (!isContainerNode(node) || (node->box && node->box->run) || !connectorOf(node))
        return false;
    // An Error stays put until refresh(): a view would otherwise retry it at every scroll.
    return node->state() == LoadState::NotLoaded
        || (node->state() == LoadState::Loaded && node->box && hasMore(node->box->nextCursor));
}

void DocumentTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *node = nodeFor(parent);
    startRun(node, RunMode::Append, false, -1, node->box ? node->box->nextCursor : QVariant());
}

bool DocumentTreeModel::fetchAll(const QModelIndex &parent)
{
    Node *node = nodeFor(parent);
    if (!isContainerNode(node) || !connectorOf(node))
        return false;
    if (node->box && node->box->run) {
        // The running listing carries on to the end when its last page arrives.
        node->box->run->all = true;
        return true;
    }
    switch (node->state()) {
    case LoadState::NotLoaded:
        startRun(node, RunMode::Append, true, -1, QVariant());
        return true;
    case LoadState::Loaded:
        if (!node->box || !hasMore(node->box->nextCursor))
            return false;
        startRun(node, RunMode::Append, true, -1, node->box->nextCursor);
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
        // Collected first: a refresh may change the rows.
        QList<QPersistentModelIndex> accounts;
        for (const auto &account : m_root->box->children) {
            if (account->state() != LoadState::NotLoaded || account->box->run)
                accounts.append(indexOf(account.get()));
        }
        for (const QPersistentModelIndex &account : std::as_const(accounts)) {
            if (account.isValid())
                refresh(account);
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
    if (node->box && node->box->run) {
        // What the running listing sees may already be out of date: list again after it.
        node->box->refreshQueued = true;
        return;
    }
    if (node->state() == LoadState::NotLoaded) {
        startRun(node, RunMode::Append, false, -1, QVariant());
        return;
    }
    // As far as it was listed: everything if it was complete, otherwise as many as were shown.
    const int shown = node->box ? int(node->box->children.size()) : 0;
    const bool complete
        = node->state() == LoadState::Loaded && !(node->box && hasMore(node->box->nextCursor));
    startRun(node, RunMode::Refresh, complete, qMax(1, shown), QVariant());
}

void DocumentTreeModel::startRun(Node *node, RunMode mode, bool all, int targetCount,
                                 const QVariant &cursor)
{
    Connector *connector = connectorOf(node);
    if (!connector)
        return;
    Container &box = containerOf(node);
    box.run = std::make_unique<LoadRun>();
    box.run->id = m_nextRunId++;
    box.run->mode = mode;
    box.run->all = all;
    box.run->targetCount = targetCount;
    const int limit = m_pageSize > 0 ? m_pageSize : connector->pageSize(node->kind());
    box.run->limit = limit > 0 ? limit : 100;
    box.loadError.clear();
    emitRowChanged(node);
    requestPage(node, cursor);
}

void DocumentTreeModel::requestPage(Node *node, const QVariant &cursor)
{
    LoadRun *run = node->box->run.get();
    Connector *connector = connectorOf(node);
    PageSlot slot;
    slot.id = run->nextSlotId++;
    slot.cursor = cursor;
    const quint64 serial = node->box->serial;
    const quint64 runId = run->id;
    const quint64 slotId = slot.id;

    // Rows keep no details (see item()): the connector need not build them.
    ListJob *job = connector
        ? connector->list(refOf(node), PageRequest { cursor, run->limit, false })
        : nullptr;
    slot.job = job;
    run->slots.push_back(std::move(slot));
    if (!job) {
        // Always answer later, as a job would, so callers never see rows change inside the call.
        QTimer::singleShot(0, this, [this, serial, runId, slotId] {
            pageArrived(serial, runId, slotId, {},
                        ApiError::make(ApiError::Kind::InvalidInput,
                                       tr("This account cannot list its contents.")));
        });
        return;
    }
    connect(job, &ConnectorJob::finished, this,
            [this, serial, runId, slotId](ConnectorJob *finished) {
                auto *listJob = static_cast<ListJob *>(finished);
                pageArrived(serial, runId, slotId, listJob->page(), listJob->error());
            });
}

void DocumentTreeModel::pageArrived(quint64 serial, quint64 runId, quint64 slotId,
                                    const ListPage &page, const ApiError &error)
{
    // The node may have been removed, or its listing replaced, while the request was out.
    Node *node = m_containers.value(serial);
    if (!node || !node->box->run || node->box->run->id != runId)
        return;
    for (PageSlot &slot : node->box->run->slots) {
        if (slot.id != slotId)
            continue;
        slot.done = true;
        slot.page = page;
        // The model takes rows in compact form; a connector that made RemoteItems is converted
        // here, once.
        if (slot.page.rows.isEmpty() && !slot.page.items.isEmpty()) {
            slot.page.rows = RowBlock::fromItems(slot.page.items, refOf(node));
            slot.page.items.clear();
        }
        slot.error = error;
        slot.job = nullptr;
        drain(node);
        return;
    }
}

void DocumentTreeModel::drain(Node *node)
{
    Container *box = node->box.get();
    const quint64 serial = box->serial;
    LoadRun *run = box->run.get();
    QElapsedTimer clock;
    clock.start();
    while (run && !run->slots.empty() && run->slots.front().done) {
        if (clock.hasExpired(drainBudgetMs)) {
            // A backlog (pages that waited for a late one before them): the rest once the event
            // loop has had a turn, so the window never freezes for it.
            QTimer::singleShot(0, this, [this, serial, runId = run->id] {
                Node *node = m_containers.value(serial);
                if (node && node->box->run && node->box->run->id == runId)
                    drain(node);
            });
            return;
        }
        const PageSlot slot = std::move(run->slots.front());
        run->slots.pop_front();
        if (slot.error.isError()) {
            finishRun(node, slot.error);
            return;
        }
        const ListPage &page = slot.page;
        // A page that points back where it started would loop for ever: treat it as the end.
        const bool progressed = page.hasMore() && page.nextCursor != slot.cursor;
        RowBlock rows = page.rows;
        if (!run->suppressed.isEmpty()) {
            RowBlock kept;
            for (int i = 0; i < rows.size(); ++i) {
                const QString id = rows.id(i);
                if (id.isEmpty() || !run->suppressed.contains(id))
                    kept.appendRow(rows, i);
            }
            rows = std::move(kept);
        }
        if (page.total >= 0)
            box->total = page.total;
        if (run->mode == RunMode::Append) {
            if (run->all && page.total > int(box->children.size())) {
                // Everything is coming: room for it at once rather than growing page by page.
                const size_t wanted
                    = qMin(size_t(page.total), box->children.size() + maxReserveStep);
                box->children.reserve(wanted);
                box->byId.reserve(wanted);
            }
            appendRows(node, rows);
            // Whoever watches the insertion may have removed the node or restarted its listing.
            if (m_containers.value(serial) != node || box->run.get() != run)
                return;
            box->nextCursor = progressed ? page.nextCursor : QVariant();
        } else {
            for (int i = 0; i < rows.size(); ++i) {
                const QString id = rows.id(i);
                if (!id.isEmpty() && run->collectedIds.contains(id))
                    continue; // offsets shifted between pages: listed twice
                run->collectedIds.insert(id);
                run->collected.appendRow(rows, i);
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
            box->nextCursor = progressed ? page.nextCursor : QVariant();
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
    Container *box = node->box.get();
    const quint64 serial = box->serial;
    const std::unique_ptr<LoadRun> run = std::move(box->run);
    for (PageSlot &slot : run->slots) {
        if (slot.job)
            slot.job->abort(); // its answer would be dropped: the run is over
    }
    if (error.isError()) {
        node->setState(LoadState::Error);
        box->loadError = error.sentence();
    } else {
        if (run->mode == RunMode::Refresh)
            reconcile(node, run->collected);
        node->setState(LoadState::Loaded);
    }
    // Room reserved for a whole listing may be more than came (a total too high, duplicates).
    std::vector<std::unique_ptr<Node>> &children = box->children;
    if (run->all && children.capacity() > children.size() + children.size() / 8 + 64)
        children.shrink_to_fit();
    emitRowChanged(node);

    const Node *account = accountNodeOf(node);
    const QString accountId = account ? account->box->accountId : QString();
    const NodeRef ref = refOf(node);
    if (error.isError())
        Q_EMIT loadFailed(accountId, ref, error);
    // Whoever heard that may have removed the node.
    if (m_containers.value(serial) != node)
        return;
    if (box->refreshQueued && !box->run) {
        box->refreshQueued = false;
        refresh(indexOf(node));
        if (m_containers.value(serial) != node)
            return;
    }
    if (!box->run)
        Q_EMIT loadFinished(accountId, ref);
}

void DocumentTreeModel::appendRows(Node *node, const RowBlock &rows)
{
    Container &box = *node->box;
    // The rows not listed yet, with their keys. Offsets shift when something is added or deleted
    // between two pages, and a page may list an id twice: such rows are skipped.
    std::vector<int> fresh;
    std::vector<IdKey> keys;
    fresh.reserve(size_t(rows.size()));
    keys.reserve(size_t(rows.size()));
    std::vector<std::unique_ptr<Node>> made;
    made.reserve(size_t(rows.size()));
    IdIndex pageIds;
    const std::vector<quint32> statuses = statusesOf(rows);
    for (int i = 0; i < rows.size(); ++i) {
        IdKey key(rows, i);
        if (!key.isEmpty() && (box.byId.find(key) || pageIds.find(key)))
            continue;
        std::unique_ptr<Node> child = makeNode(node, rows, i, statuses, key);
        if (!key.isEmpty())
            pageIds.insert(child.get(), key.hash);
        keys.push_back(key);
        made.push_back(std::move(child));
    }
    if (made.empty())
        return;
    const int first = int(box.children.size());
    beginInsertRows(indexOf(node), first, first + int(made.size()) - 1);
    for (size_t k = 0; k < made.size(); ++k) {
        made[k]->row = int(box.children.size());
        if (!keys[k].isEmpty())
            box.byId.insert(made[k].get(), keys[k].hash);
        box.children.push_back(std::move(made[k]));
    }
    endInsertRows();
}

void DocumentTreeModel::updateRow(Node *node, const RowBlock &rows, int row,
                                  const std::vector<quint32> &statuses, const IdKey &key)
{
    const quint32 status = statuses[rows.statusIndex(row)];
    const bool sameName = node->nameIsId == rows.nameIsId(row)
        && (node->nameIsId ? true
                           : bool(node->nameUtf16) == rows.nameIsUtf16(row)
                    && QByteArrayView(node->text.get() + sizeof(TextHeader) + node->header().idSize,
                                      qsizetype(node->header().nameSize))
                        == rows.nameBytes(row));
    const QStringList *ownIds = rows.ownIds(row);
    const bool sameRef = node->kind() == rows.kind(row) && bool(node->unusualIds) == bool(ownIds)
        && (!ownIds || m_unusualIds.value(node) == *ownIds);
    if (node->created == rows.createdMSecs(row)
        && node->measureKind == quint8(rows.measureKind(row)) && node->measure == rows.measure(row)
        && node->childCount == rows.childCount(row) && node->status == status && sameName
        && sameRef)
        return;
    setRowFields(node, rows, row, status, key);
    emitRowChanged(node);
}

// Makes the children exactly `rows`, in that order, with the fewest changes: rows whose id is
// still listed keep their node (and so their loaded children, selection and expansion), the rest
// are removed, new ones inserted, moved ones moved. Never a reset.
void DocumentTreeModel::reconcile(Node *node, const RowBlock &rows)
{
    Container &box = containerOf(node);
    std::vector<IdKey> keys;
    keys.reserve(size_t(rows.size()));
    for (int i = 0; i < rows.size(); ++i)
        keys.emplace_back(rows, i);
    const std::vector<quint32> statuses = statusesOf(rows);

    // Mark the rows still listed; remove the others, in contiguous ranges from the end so rows
    // stay valid. A row without an id is never found again: it goes.
    for (const IdKey &key : keys) {
        if (Node *existing = box.byId.find(key))
            existing->marked = true;
    }
    for (int row = int(box.children.size()) - 1; row >= 0;) {
        const auto gone = [&](int r) {
            return !box.children[size_t(r)]->marked;
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
    for (const auto &child : box.children)
        child->marked = false;

    const QModelIndex parentIndex = indexOf(node);
    std::vector<std::unique_ptr<Node>> &children = box.children;
    for (int i = 0; i < rows.size(); ++i) {
        const IdKey &key = keys[size_t(i)];
        if (i < int(children.size()) && !key.isEmpty() && children[size_t(i)]->hasId(key)) {
            updateRow(children[size_t(i)].get(), rows, i, statuses, key);
            continue;
        }
        if (Node *existing = box.byId.find(key)) {
            // Rows before i are settled, so the existing row is further down: move it up to i.
            const int from = existing->row;
            beginMoveRows(parentIndex, from, from, parentIndex, i);
            std::unique_ptr<Node> moving = std::move(children[size_t(from)]);
            children.erase(children.begin() + from);
            children.insert(children.begin() + i, std::move(moving));
            renumber(node, i);
            endMoveRows();
            updateRow(existing, rows, i, statuses, key);
            continue;
        }
        // A run of new items: one insertion.
        int last = i;
        while (last + 1 < rows.size()) {
            const IdKey &next = keys[size_t(last + 1)];
            if (!next.isEmpty() && box.byId.find(next))
                break;
            ++last;
        }
        beginInsertRows(parentIndex, i, last);
        std::vector<std::unique_ptr<Node>> fresh;
        fresh.reserve(size_t(last - i + 1));
        for (int k = i; k <= last; ++k) {
            std::unique_ptr<Node> child = makeNode(node, rows, k, statuses, keys[size_t(k)]);
            if (!keys[size_t(k)].isEmpty())
                box.byId.insert(child.get(), keys[size_t(k)].hash);
            fresh.push_back(std::move(child));
        }
        children.insert(children.begin() + i, std::make_move_iterator(fresh.begin()),
                        std::make_move_iterator(fresh.end()));
        renumber(node, i);
        endInsertRows();
        i = last;
    }
}

// --- deleting ---------------------------------------------------------------------------------

DeletionQueue *DocumentTreeModel::deletionQueue()
{
    if (!m_queue) {
        // No queue given: one of our own, without an audit trail (tests, simple tools).
        m_ownQueue = std::make_unique<DeletionQueue>(
            [this](const QString &accountId) -> Connector * {
                const Node *account = accountNode(accountId);
                return account ? account->box->connector.data() : nullptr;
            },
            nullptr);
        setDeletionQueue(m_ownQueue.get());
    }
    return m_queue;
}

void DocumentTreeModel::setDeletionQueue(DeletionQueue *queue)
{
    if (m_queue)
        disconnect(m_queue, nullptr, this, nullptr);
    m_queue = queue;
    if (m_queue) {
        connect(m_queue, &DeletionQueue::itemStarted, this,
                &DocumentTreeModel::deletionItemStarted);
        connect(m_queue, &DeletionQueue::itemFinished, this,
                &DocumentTreeModel::deletionItemFinished);
    }
}

bool DocumentTreeModel::deleteItem(const QModelIndex &index)
{
    return deleteItems({ index }) == 1;
}

int DocumentTreeModel::deleteItems(const QModelIndexList &indexes)
{
    QSet<const Node *> chosen;
    QList<Node *> nodes;
    for (const QModelIndex &index : indexes) {
        Node *node = nodeFor(index);
        // An account row is never deleted, so it does not take the rows under it along.
        if (node && node->parent != m_root.get() && !chosen.contains(node)) {
            chosen.insert(node);
            nodes.append(node);
        }
    }
    QList<DeletionItem> items;
    QList<Node *> sent;
    for (Node *node : std::as_const(nodes)) {
        bool skip = node->busy;
        for (const Node *ancestor = node->parent; ancestor && !skip; ancestor = ancestor->parent)
            skip = ancestor->busy || chosen.contains(ancestor); // it goes with its ancestor
        Connector *connector = skip ? nullptr : connectorOf(node);
        if (!connector || !connector->canDelete(node->kind()))
            continue;
        const Node *account = accountNodeOf(node);
        DeletionItem item;
        item.accountId = account->box->accountId;
        item.accountName = account->name();
        item.service = connector->service();
        item.ref = refOf(node);
        item.name = node->name();
        item.parentName = node->parent == account ? QString() : node->parent->name();
        items.append(item);
        sent.append(node);
    }
    if (items.isEmpty())
        return 0;

    QString problem;
    if (!deletionQueue()->submit(items, &problem)) {
        // Nothing was sent: say so on every row.
        for (int i = 0; i < sent.size(); ++i) {
            Node *node = sent.at(i);
            m_actionErrors.insert(node, { DeletionState::Failed, problem });
            node->hasActionError = true;
            emitRowChanged(node);
            Q_EMIT deleteFinished(items.at(i).accountId, items.at(i).ref, DeletionState::Failed,
                                  ApiError::make(ApiError::Kind::InvalidInput, problem));
        }
        return 0;
    }
    for (int i = 0; i < sent.size(); ++i)
        markDeleting(sent.at(i), items.at(i).id);
    return int(sent.size());
}

void DocumentTreeModel::markDeleting(Node *node, qint64 itemId)
{
    node->busy = true;
    if (node->hasActionError) {
        m_actionErrors.remove(node);
        node->hasActionError = false;
    }
    // The answer finds the row through the item id (never a pointer that may have been freed:
    // forget() clears the ticket's row when the row leaves).
    const quint64 parentSerial = node->parent->box->serial;
    m_deleting.insert(node, itemId);
    m_deletingRows.insert(itemId, { node, parentSerial });
    ++m_deletesUnder[parentSerial].pending;
    emitRowChanged(node);
}

void DocumentTreeModel::deletionItemStarted(const DeletionItem &item)
{
    // A delete this model did not ask for (a resumed batch, a retry from the summary): the row,
    // if it is shown, is busy like any other.
    if (m_deletingRows.contains(item.id))
        return;
    Node *node = nodeFor(indexFor(item.accountId, item.ref));
    if (node && node->parent != m_root.get() && !node->busy)
        markDeleting(node, item.id);
}

void DocumentTreeModel::deletionItemFinished(const DeletionItem &item)
{
    // A row that stays says why in the queue's words: they hold what every attempt showed.
    ApiError error;
    if (!isGone(item.state)) {
        error = item.error.isError()
            ? item.error
            : ApiError::make(item.state == DeletionState::Cancelled ? ApiError::Kind::Cancelled
                                                                    : ApiError::Kind::InvalidInput,
                             item.reason);
        if (!item.reason.isEmpty())
            error.userMessage = item.reason;
    }

    const DeleteTicket ticket = m_deletingRows.take(item.id);
    // forget() drops the ticket's row when it leaves the tree, so a ticket's row is still here.
    Node *node = const_cast<Node *>(ticket.node);
    if (node) {
        m_deleting.remove(node);
        node->busy = false;
    } else if (isGone(item.state)) {
        // Not sent from this model (a resumed batch): drop the row if it is shown.
        node = nodeFor(indexFor(item.accountId, item.ref));
        if (node && node->busy)
            node = nullptr; // this model's own delete of it will answer
    }
    Node *parent = node ? node->parent : nullptr;
    if (node && error.isError()) {
        m_actionErrors.insert(node, { item.state, error.sentence() });
        node->hasActionError = true;
        emitRowChanged(node);
    } else if (node) {
        removeChildRows(parent, node->row, node->row);
        if (parent != m_root.get() && parent->box->run) {
            // A listing already running may have read the item before it went.
            parent->box->run->suppressed.insert(item.ref.id());
        }
        if (parent != m_root.get() && !ticket.parentSerial)
            relistAfterDeletes(parent);
    }

    if (ticket.parentSerial) {
        const auto under = m_deletesUnder.find(ticket.parentSerial);
        if (under != m_deletesUnder.end()) {
            under->anyGone = under->anyGone || isGone(item.state);
            if (--under->pending == 0) {
                const bool relist = under->anyGone;
                m_deletesUnder.erase(under);
                Node *container = m_containers.value(ticket.parentSerial);
                if (relist && container && container != m_root.get())
                    relistAfterDeletes(container);
            }
        }
    }
    Q_EMIT deleteFinished(item.accountId, item.ref, item.state, error);
}

// Re-lists a container once the last delete under it has answered: one listing for a batch,
// not one per item (each would cost requests from the account's rate limit).
void DocumentTreeModel::relistAfterDeletes(Node *parent)
{
    if (parent->box->run)
        parent->box->refreshQueued = true;
    else
        refresh(indexOf(parent));
}

} // namespace Docket
