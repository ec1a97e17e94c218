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
