#pragma once

#include "apierror.h"
#include "documenttreemodel.h"
#include "listpage.h"

#include <QObject>

#include <vector>

namespace Docket {

class RowBlock;

// DocumentTreeModel's listing, beside it as KDirLister stands beside KDirModel: which pages of a
// container to ask for and when (one at a time, or every offset page at once when the total is
// known), putting the pages in server order as they arrive, re-listing a container (after
// deletes, or on refresh()) and reconciling the fresh listing with the rows shown. The model holds
// the rows and answers the view; this decides what is listed. A cursor that comes back ends the
// listing with an error (CursorTrail), as everywhere Docket reads a listing.
class DocumentLister : public QObject
{
public:
    explicit DocumentLister(DocumentTreeModel *model);

    // As DocumentTreeModel's functions of the same names.
    bool canFetchMore(const QModelIndex &parent) const;
    void fetchMore(const QModelIndex &parent);
    bool fetchAll(const QModelIndex &parent);
    void refresh(const QModelIndex &index);

    // Re-lists `parent` once the last delete under it answered: after its running listing, if
    // one is running (that listing may have read the rows before they went).
    void relistAfterDeletes(DocumentTreeModel::Node *parent);

private:
    using Node = DocumentTreeModel::Node;
    using Container = DocumentTreeModel::Container;
    using LoadRun = DocumentTreeModel::LoadRun;
    using PageSlot = DocumentTreeModel::PageSlot;
    using IdKey = DocumentTreeModel::IdKey;
    using IdIndex = DocumentTreeModel::IdIndex;
    using RunMode = DocumentTreeModel::RunMode;
    using LoadState = DocumentTreeModel::LoadState;

    void startRun(Node *node, RunMode mode, bool all, int targetCount, const QVariant &cursor);
    void requestPage(Node *node, const QVariant &cursor);
    void pageArrived(quint64 serial, quint64 runId, quint64 slotId, const ListPage &page,
                     const ApiError &error);
    void drain(Node *node);
    void finishRun(Node *node, const ApiError &error);
    void appendRows(Node *node, const RowBlock &rows);
    void reconcile(Node *node, const RowBlock &rows);
    void updateRow(Node *node, const RowBlock &rows, int row, const std::vector<quint32> &statuses,
                   const IdKey &key);

    DocumentTreeModel *m_model;
    quint64 m_nextRunId = 1;
};

} // namespace Docket
