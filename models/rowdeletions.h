#pragma once

#include "deletionqueue.h"
#include "documenttreemodel.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>

namespace Docket {

// DocumentTreeModel's deletes: hands them to the DeletionQueue as one batch, marks their rows busy,
// and on each answer removes the row (only when the service proved it gone) or leaves it with the
// reason, re-listing its parent (DocumentLister) once the last delete under it answered.
//
// The queue is the window's (MainWindow::setDeletionQueue(), with its audit trail). Where none
// was given (tests, simple tools), queue() makes one of its own, without an audit trail, on the
// first delete: that fallback lives here, in plain sight, not inside the model.
class RowDeletions : public QObject
{
public:
    explicit RowDeletions(DocumentTreeModel *model);
    ~RowDeletions() override;

    void setQueue(DeletionQueue *queue); // not owned
    DeletionQueue *queue();

    // As DocumentTreeModel::deleteItems().
    int deleteItems(const QModelIndexList &indexes);
    // `node`, busy, leaves the tree: its delete still answers, to no row.
    void forget(const DocumentTreeModel::Node *node);

private:
    using Node = DocumentTreeModel::Node;

    void markDeleting(Node *node, qint64 itemId);
    void deletionItemStarted(const DeletionItem &item);
    void deletionItemFinished(const DeletionItem &item);

    DocumentTreeModel *m_model;
    // Rows whose delete is queued or in flight, with the queue's item id, and the other way round.
    QHash<const Node *, qint64> m_deleting;
    struct DeleteTicket
    {
        const Node *node = nullptr; // null once the row left the tree
        quint64 parentSerial = 0;
    };
    QHash<qint64, DeleteTicket> m_deletingRows;
    // Per container (by serial): deletes under it still owed an answer, and whether any went.
    struct DeletesUnder
    {
        int pending = 0;
        bool anyGone = false;
    };
    QHash<quint64, DeletesUnder> m_deletesUnder;
    QPointer<DeletionQueue> m_queue; // not owned, unless it is m_ownQueue
    std::unique_ptr<DeletionQueue> m_ownQueue;
};

} // namespace Docket
