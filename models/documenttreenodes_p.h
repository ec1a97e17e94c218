#pragma once

// The rows of DocumentTreeModel as the model, its DocumentLister and its RowDeletions see them.
// Private to the models library: nothing outside it includes this.

#include "documenttreemodel.h"
#include "pagewalker.h"
#include "rowblock.h"

#include <QHashSeed>
#include <QPointer>
#include <QSet>

#include <cstring>
#include <deque>
#include <memory>
#include <unordered_set>
#include <vector>

namespace Docket {

// Memory: a listing may put 100,000 rows under one account, so a row holds only what the view and
// a delete need, in one small struct plus one allocation for its text: its own id (the ids of its
// ancestors are theirs; NodeRef is rebuilt by walking up), its name, the creation time, one
// measure, an index into the shared status words, flags. No details (the details pane fetches
// them), no reference counts, no per-row hash nodes. What only a listed container needs lives in
// a Container allocated on first listing; what only a few rows need (a failed delete's error, a
// delete in flight) lives in the model's side tables.

namespace treerows {

constexpr qint64 noDate = RowBlock::noDate;

inline size_t idHash(QByteArrayView bytes, bool utf16)
{
    return qHash(bytes, QHashSeed::globalSeed()) ^ size_t(utf16);
}

// Sizes of the id and the name in bytes, at the start of a row's text.
struct TextHeader
{
    quint32 idSize = 0;
    quint32 nameSize = 0;
};

inline bool hasMore(const QVariant &cursor)
{
    return cursor.isValid() && !cursor.isNull();
}

} // namespace treerows

// An id as the rows store it, with its hash: computed once per listed item. Made of a RowBlock's
// row it refers to the block's bytes (the block must outlive it); made of a QString it owns them
// (a QByteArray's copies share its buffer, so `bytes` stays valid).
struct DocumentTreeModel::IdKey
{
    IdKey() = default;
    IdKey(const RowBlock &rows, int row)
        : utf16(rows.idIsUtf16(row))
        , bytes(rows.idBytes(row))
        , hash(treerows::idHash(bytes, utf16))
    { }
    explicit IdKey(const QString &id)
        : storage(RowBlock::encodeText(id, &utf16))
        , bytes(storage)
        , hash(treerows::idHash(bytes, utf16))
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

    treerows::TextHeader header() const
    {
        treerows::TextHeader h;
        if (text)
            std::memcpy(&h, text.get(), sizeof h);
        return h;
    }
    QByteArrayView idBytes() const
    {
        const treerows::TextHeader h = header();
        return { text.get() + sizeof(treerows::TextHeader), qsizetype(h.idSize) };
    }
    QString id() const { return text ? RowBlock::decodeText(idBytes(), idUtf16) : QString(); }
    QString name() const
    {
        if (!text)
            return {};
        if (nameIsId)
            return id();
        const treerows::TextHeader h = header();
        return RowBlock::decodeText(
            { text.get() + sizeof(treerows::TextHeader) + h.idSize, qsizetype(h.nameSize) },
            nameUtf16);
    }
    bool hasId(const IdKey &key) const
    {
        return bool(idUtf16) == key.utf16 && idBytes() == key.bytes;
    }
    size_t hash() const { return treerows::idHash(idBytes(), idUtf16); }

    Node *parent = nullptr;
    std::unique_ptr<Container> box; // the root, accounts, and containers once listed
    std::unique_ptr<char[]> text; // treerows::TextHeader, then the id's bytes, then the name's
    qint64 created = treerows::noDate; // msecs since the epoch
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

// A container's children by id, in a standard unordered set of row pointers: hashed and compared
// through the row's own id bytes, found with an IdKey without building a row (C++20
// heterogeneous lookup). It replaced a hand-written open-addressing table: bench_listing measured
// 157 -> 189 heap bytes per row for 100,000 Scriptix sessions and 177 -> 202 for 50,000 Care360
// files (target <= 300), with no slower listing (9,989 ms against 14,772 ms and 185 ms against
// 228 ms, on a shared machine): the table's saving is not needed.
class DocumentTreeModel::IdIndex
{
public:
    Node *find(const IdKey &key) const
    {
        if (m_rows.empty() || key.isEmpty())
            return nullptr;
        const auto found = m_rows.find(key);
        return found == m_rows.end() ? nullptr : *found;
    }
    // `node` has a non-empty id that is not in the table yet.
    void insert(Node *node, size_t) { m_rows.insert(node); }
    void erase(const Node *node)
    {
        if (!node->idBytes().isEmpty())
            m_rows.erase(const_cast<Node *>(node));
    }
    void reserve(size_t count) { m_rows.reserve(count); }
    void clear() { std::unordered_set<Node *, Hash, Equal>().swap(m_rows); }

private:
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(const Node *node) const { return node->hash(); }
        size_t operator()(const IdKey &key) const { return key.hash; }
    };
    struct Equal
    {
        using is_transparent = void;
        bool operator()(const Node *a, const Node *b) const
        {
            return a->idUtf16 == b->idUtf16 && a->idBytes() == b->idBytes();
        }
        bool operator()(const IdKey &key, const Node *node) const { return node->hasId(key); }
        bool operator()(const Node *node, const IdKey &key) const { return node->hasId(key); }
    };
    std::unordered_set<Node *, Hash, Equal> m_rows;
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
    // Every cursor this run asked for: one that comes back ends it with an error.
    CursorTrail trail;
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

inline DocumentTreeModel::Node::~Node() = default;

} // namespace Docket
