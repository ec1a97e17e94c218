#include "rowdeletions.h"

#include "connector.h"
#include "documentlister.h"
#include "documenttreenodes_p.h"

#include <QSet>

namespace Docket {

RowDeletions::RowDeletions(DocumentTreeModel *model)
    : QObject(model)
    , m_model(model)
{ }

RowDeletions::~RowDeletions() = default;

void RowDeletions::forget(const Node *node)
{
    // Its delete still answers (to the queue and deleteFinished), just not to a row.
    const auto ticket = m_deletingRows.find(m_deleting.take(node));
    if (ticket != m_deletingRows.end())
        ticket->node = nullptr;
}

DeletionQueue *RowDeletions::queue()
{
    if (!m_queue) {
        // No queue given: one of our own, without an audit trail (tests, simple tools).
        m_ownQueue = std::make_unique<DeletionQueue>(
            [this](const QString &accountId) -> Connector * {
                const Node *account = m_model->accountNode(accountId);
                return account ? account->box->connector.data() : nullptr;
            },
            nullptr);
        setQueue(m_ownQueue.get());
    }
    return m_queue;
}

void RowDeletions::setQueue(DeletionQueue *queue)
{
    if (m_queue)
        disconnect(m_queue, nullptr, this, nullptr);
    m_queue = queue;
    if (m_queue) {
        connect(m_queue, &DeletionQueue::itemStarted, this, &RowDeletions::deletionItemStarted);
        connect(m_queue, &DeletionQueue::itemFinished, this, &RowDeletions::deletionItemFinished);
    }
}

int RowDeletions::deleteItems(const QModelIndexList &indexes)
{
    QSet<const Node *> chosen;
    QList<Node *> nodes;
    for (const QModelIndex &index : indexes) {
        Node *node = m_model->nodeFor(index);
        // An account row is never deleted, so it does not take the rows under it along.
        if (node && node->parent != m_model->m_root.get() && !chosen.contains(node)) {
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
        Connector *connector = skip ? nullptr : m_model->connectorOf(node);
        if (!connector || !connector->canDelete(node->kind()))
            continue;
        const Node *account = m_model->accountNodeOf(node);
        DeletionItem item;
        item.accountId = account->box->accountId;
        item.accountName = account->name();
        item.service = connector->service();
        item.ref = m_model->refOf(node);
        item.name = node->name();
        item.parentName = node->parent == account ? QString() : node->parent->name();
        items.append(item);
        sent.append(node);
    }
    if (items.isEmpty())
        return 0;

    QString problem;
    if (!queue()->submit(items, &problem)) {
        // Nothing was sent: say so on every row.
        for (int i = 0; i < sent.size(); ++i) {
            Node *node = sent.at(i);
            m_model->m_actionErrors.insert(node, { DeletionState::Failed, problem });
            node->hasActionError = true;
            m_model->emitRowChanged(node);
            Q_EMIT m_model->deleteFinished(items.at(i).accountId, items.at(i).ref,
                                           DeletionState::Failed,
                                           ApiError::make(ApiError::Kind::InvalidInput, problem));
        }
        return 0;
    }
    for (int i = 0; i < sent.size(); ++i)
        markDeleting(sent.at(i), items.at(i).id);
    return int(sent.size());
}

void RowDeletions::markDeleting(Node *node, qint64 itemId)
{
    node->busy = true;
    if (node->hasActionError) {
        m_model->m_actionErrors.remove(node);
        node->hasActionError = false;
    }
    // The answer finds the row through the item id (never a pointer that may have been freed:
    // forget() clears the ticket's row when the row leaves).
    const quint64 parentSerial = node->parent->box->serial;
    m_deleting.insert(node, itemId);
    m_deletingRows.insert(itemId, { node, parentSerial });
    ++m_deletesUnder[parentSerial].pending;
    m_model->emitRowChanged(node);
}

void RowDeletions::deletionItemStarted(const DeletionItem &item)
{
    // A delete this model did not ask for (a resumed batch, a retry from the summary): the row,
    // if it is shown, is busy like any other.
    if (m_deletingRows.contains(item.id))
        return;
    Node *node = m_model->nodeFor(m_model->indexFor(item.accountId, item.ref));
    if (node && node->parent != m_model->m_root.get() && !node->busy)
        markDeleting(node, item.id);
}

void RowDeletions::deletionItemFinished(const DeletionItem &item)
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
        node = m_model->nodeFor(m_model->indexFor(item.accountId, item.ref));
        if (node && node->busy)
            node = nullptr; // this model's own delete of it will answer
    }
    Node *parent = node ? node->parent : nullptr;
    if (node && error.isError()) {
        m_model->m_actionErrors.insert(node, { item.state, error.sentence() });
        node->hasActionError = true;
        m_model->emitRowChanged(node);
    } else if (node) {
        m_model->removeChildRows(parent, node->row, node->row);
        if (parent != m_model->m_root.get() && parent->box->run) {
            // A listing already running may have read the item before it went.
            parent->box->run->suppressed.insert(item.ref.id());
        }
        if (parent != m_model->m_root.get() && !ticket.parentSerial)
            m_model->m_lister->relistAfterDeletes(parent);
    }

    if (ticket.parentSerial) {
        const auto under = m_deletesUnder.find(ticket.parentSerial);
        if (under != m_deletesUnder.end()) {
            under->anyGone = under->anyGone || isGone(item.state);
            if (--under->pending == 0) {
                const bool relist = under->anyGone;
                m_deletesUnder.erase(under);
                Node *container = m_model->m_containers.value(ticket.parentSerial);
                if (relist && container && container != m_model->m_root.get())
                    m_model->m_lister->relistAfterDeletes(container);
            }
        }
    }
    Q_EMIT m_model->deleteFinished(item.accountId, item.ref, item.state, error);
}

} // namespace Docket
