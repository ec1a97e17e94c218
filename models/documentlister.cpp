#include "documentlister.h"

#include "connector.h"
#include "documenttreenodes_p.h"
#include "logging.h"
#include "pagewalker.h"
#include "rowblock.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTimer>

#include <optional>

namespace Docket {

using treerows::hasMore;
using treerows::TextHeader;

namespace {

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

// How long one turn of the event loop may spend inserting pages that arrived together.
constexpr qint64 drainBudgetMs = 8;

// Reservations follow the total a server announces, but never by more than this many rows at a
// time: a total that lies costs little.
constexpr size_t maxReserveStep = 1 << 18;

} // namespace

DocumentLister::DocumentLister(DocumentTreeModel *model)
    : QObject(model)
    , m_model(model)
{ }

bool DocumentLister::canFetchMore(const QModelIndex &parent) const
{
    const Node *node = m_model->nodeFor(parent);
    if (!m_model->isContainerNode(node) || (node->box && node->box->run)
        || !m_model->connectorOf(node))
        return false;
    // An Error stays put until refresh(): a view would otherwise retry it at every scroll.
    return node->state() == LoadState::NotLoaded
        || (node->state() == LoadState::Loaded && node->box && hasMore(node->box->nextCursor));
}

void DocumentLister::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *node = m_model->nodeFor(parent);
    startRun(node, RunMode::Append, false, -1, node->box ? node->box->nextCursor : QVariant());
}

bool DocumentLister::fetchAll(const QModelIndex &parent)
{
    Node *node = m_model->nodeFor(parent);
    if (!m_model->isContainerNode(node) || !m_model->connectorOf(node))
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

void DocumentLister::refresh(const QModelIndex &index)
{
    if (!index.isValid()) {
        // Collected first: a refresh may change the rows.
        QList<QPersistentModelIndex> accounts;
        for (const auto &account : m_model->m_root->box->children) {
            if (account->state() != LoadState::NotLoaded || account->box->run)
                accounts.append(m_model->indexOf(account.get()));
        }
        for (const QPersistentModelIndex &account : std::as_const(accounts)) {
            if (account.isValid())
                refresh(account);
        }
        return;
    }
    Node *node = m_model->nodeFor(index);
    if (!node)
        return;
    if (!m_model->isContainerNode(node))
        node = node->parent;
    if (!m_model->isContainerNode(node) || !m_model->connectorOf(node))
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

void DocumentLister::startRun(Node *node, RunMode mode, bool all, int targetCount,
                              const QVariant &cursor)
{
    Connector *connector = m_model->connectorOf(node);
    if (!connector)
        return;
    Container &box = m_model->containerOf(node);
    box.run = std::make_unique<LoadRun>();
    box.run->id = m_nextRunId++;
    box.run->mode = mode;
    box.run->all = all;
    box.run->targetCount = targetCount;
    const int limit
        = m_model->m_pageSize > 0 ? m_model->m_pageSize : connector->pageSize(node->kind());
    box.run->limit = limit > 0 ? limit : 100;
    box.loadError.clear();
    box.run->trail.follow(cursor);
    m_model->emitRowChanged(node);
    requestPage(node, cursor);
}

void DocumentLister::requestPage(Node *node, const QVariant &cursor)
{
    LoadRun *run = node->box->run.get();
    Connector *connector = m_model->connectorOf(node);
    PageSlot slot;
    slot.id = run->nextSlotId++;
    slot.cursor = cursor;
    const quint64 serial = node->box->serial;
    const quint64 runId = run->id;
    const quint64 slotId = slot.id;

    // Rows keep no details (see item()): the connector need not build them.
    ListJob *job = connector
        ? connector->list(m_model->refOf(node), PageRequest { cursor, run->limit, false })
        : nullptr;
    slot.job = job;
    run->slots.push_back(std::move(slot));
    if (!job) {
        // Always answer later, as a job would, so callers never see rows change inside the call.
        QTimer::singleShot(0, this, [this, serial, runId, slotId] {
            pageArrived(
                serial, runId, slotId, {},
                ApiError::make(ApiError::Kind::InvalidInput,
                               DocumentTreeModel::tr("This account cannot list its contents.")));
        });
        return;
    }
    connect(job, &ConnectorJob::finished, this,
            [this, serial, runId, slotId](ConnectorJob *finished) {
                auto *listJob = static_cast<ListJob *>(finished);
                pageArrived(serial, runId, slotId, listJob->page(), listJob->error());
            });
}

void DocumentLister::pageArrived(quint64 serial, quint64 runId, quint64 slotId,
                                 const ListPage &page, const ApiError &error)
{
    // The node may have been removed, or its listing replaced, while the request was out.
    Node *node = m_model->m_containers.value(serial);
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
            slot.page.rows = RowBlock::fromItems(slot.page.items, m_model->refOf(node));
            slot.page.items.clear();
        }
        slot.error = error;
        slot.job = nullptr;
        drain(node);
        return;
    }
}

void DocumentLister::drain(Node *node)
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
                Node *node = m_model->m_containers.value(serial);
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
        // A page that points back where it started is never kept as where the next one starts
        // (a run that follows it stops on its CursorTrail, with an error).
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
            if (m_model->m_containers.value(serial) != node || box->run.get() != run)
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
        if (page.hasMore()) {
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
        QVariantList cursors;
        if (next && requested && *next > *requested && page.total >= 0) {
            const qint64 stride = *next - *requested;
            qint64 end = page.total;
            if (!run->all)
                end = qMin(end, *next + qint64(run->targetCount - run->collected.size()));
            for (qint64 offset = *next; offset < end; offset += stride) {
                QVariant cursor(offset);
                cursor.convert(page.nextCursor.metaType());
                cursors.append(cursor);
            }
        }
        if (cursors.isEmpty())
            cursors.append(page.nextCursor); // the server says there is more: follow it
        // All checked before any is asked for: a cursor already followed would read the same
        // pages again, for ever.
        for (const QVariant &cursor : std::as_const(cursors)) {
            if (run->trail.follow(cursor) != CursorTrail::Verdict::Go) {
                qCDebug(lcModel) << "listing stopped: cursor repeated";
                finishRun(node, CursorTrail::loopError());
                return;
            }
        }
        for (const QVariant &cursor : std::as_const(cursors))
            requestPage(node, cursor);
        return;
    }
}

void DocumentLister::finishRun(Node *node, const ApiError &error)
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
    m_model->emitRowChanged(node);

    const Node *account = m_model->accountNodeOf(node);
    const QString accountId = account ? account->box->accountId : QString();
    const NodeRef ref = m_model->refOf(node);
    if (error.isError())
        Q_EMIT m_model->loadFailed(accountId, ref, error);
    // Whoever heard that may have removed the node.
    if (m_model->m_containers.value(serial) != node)
        return;
    if (box->refreshQueued && !box->run) {
        box->refreshQueued = false;
        refresh(m_model->indexOf(node));
        if (m_model->m_containers.value(serial) != node)
            return;
    }
    if (!box->run)
        Q_EMIT m_model->loadFinished(accountId, ref);
}

void DocumentLister::appendRows(Node *node, const RowBlock &rows)
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
    const std::vector<quint32> statuses = m_model->statusesOf(rows);
    for (int i = 0; i < rows.size(); ++i) {
        IdKey key(rows, i);
        if (!key.isEmpty() && (box.byId.find(key) || pageIds.find(key)))
            continue;
        std::unique_ptr<Node> child = m_model->makeNode(node, rows, i, statuses, key);
        if (!key.isEmpty())
            pageIds.insert(child.get(), key.hash);
        keys.push_back(key);
        made.push_back(std::move(child));
    }
    if (made.empty())
        return;
    const int first = int(box.children.size());
    m_model->beginInsertRows(m_model->indexOf(node), first, first + int(made.size()) - 1);
    for (size_t k = 0; k < made.size(); ++k) {
        made[k]->row = int(box.children.size());
        if (!keys[k].isEmpty())
            box.byId.insert(made[k].get(), keys[k].hash);
        box.children.push_back(std::move(made[k]));
    }
    m_model->endInsertRows();
}

void DocumentLister::updateRow(Node *node, const RowBlock &rows, int row,
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
        && (!ownIds || m_model->m_unusualIds.value(node) == *ownIds);
    if (node->created == rows.createdMSecs(row)
        && node->measureKind == quint8(rows.measureKind(row)) && node->measure == rows.measure(row)
        && node->childCount == rows.childCount(row) && node->status == status && sameName
        && sameRef)
        return;
    m_model->setRowFields(node, rows, row, status, key);
    m_model->emitRowChanged(node);
}

// Makes the children exactly `rows`, in that order, with the fewest changes: rows whose id is
// still listed keep their node (and so their loaded children, selection and expansion), the rest
// are removed, new ones inserted, moved ones moved. Never a reset.
void DocumentLister::reconcile(Node *node, const RowBlock &rows)
{
    Container &box = m_model->containerOf(node);
    std::vector<IdKey> keys;
    keys.reserve(size_t(rows.size()));
    for (int i = 0; i < rows.size(); ++i)
        keys.emplace_back(rows, i);
    const std::vector<quint32> statuses = m_model->statusesOf(rows);

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
        m_model->removeChildRows(node, first, row);
        row = first - 1;
    }
    for (const auto &child : box.children)
        child->marked = false;

    const QModelIndex parentIndex = m_model->indexOf(node);
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
            m_model->beginMoveRows(parentIndex, from, from, parentIndex, i);
            std::unique_ptr<Node> moving = std::move(children[size_t(from)]);
            children.erase(children.begin() + from);
            children.insert(children.begin() + i, std::move(moving));
            m_model->renumber(node, i);
            m_model->endMoveRows();
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
        m_model->beginInsertRows(parentIndex, i, last);
        std::vector<std::unique_ptr<Node>> fresh;
        fresh.reserve(size_t(last - i + 1));
        for (int k = i; k <= last; ++k) {
            std::unique_ptr<Node> child
                = m_model->makeNode(node, rows, k, statuses, keys[size_t(k)]);
            if (!keys[size_t(k)].isEmpty())
                box.byId.insert(child.get(), keys[size_t(k)].hash);
            fresh.push_back(std::move(child));
        }
        children.insert(children.begin() + i, std::make_move_iterator(fresh.begin()),
                        std::make_move_iterator(fresh.end()));
        m_model->renumber(node, i);
        m_model->endInsertRows();
        i = last;
    }
}

void DocumentLister::relistAfterDeletes(Node *parent)
{
    // One listing for a batch, not one per item (each would cost requests from the account's
    // rate limit).
    if (parent->box->run)
        parent->box->refreshQueued = true;
    else
        refresh(m_model->indexOf(parent));
}

} // namespace Docket
