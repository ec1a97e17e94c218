#pragma once

#include "apierror.h"
#include "deletionqueue.h"
#include "listpage.h"
#include "rowblock.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <vector>

namespace Docket {

class Connector;
class DocumentLister;
class RowDeletions;

// The live tree of every account and what its service holds, loaded lazily in the style of KDE's
// KDirModel: a container says it has children before they are listed, canFetchMore()/fetchMore()
// list one page at a time, and rows are inserted when a page arrives. Deletes go through a
// DeletionQueue; a row leaves only once the service confirmed it (2xx, or 404: already gone), and
// its parent is re-listed once the last delete under it answered, so the view shows what the server
// holds. Nothing here blocks.
//
// Nodes are found by identity when an answer arrives (never by a row number remembered from
// when the request was sent): rows may move, be removed or be re-listed meanwhile.
class DocumentTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, KindColumn, CreatedColumn, SizeColumn, StatusColumn, ColumnCount };
    Q_ENUM(Column)

    enum class LoadState { NotLoaded, Loading, Loaded, Error };
    Q_ENUM(LoadState)

    enum Role {
        NodeRefRole = Qt::UserRole + 1, // NodeRef
        NodeKindRole, // int(NodeKind)
        LoadStateRole, // int(LoadState); Loaded for items that are not containers
        ErrorRole, // QString: why the last delete or listing failed (empty: none)
        BusyRole, // bool: a delete is in flight
        AccountIdRole, // QString
        RemoteItemRole, // RemoteItem, as item() gives it
        SortRole, // the column's raw value: QString, QDateTime, qint64
        TotalRole, // int: how many children the server says exist (-1: unknown)
        ServiceRole, // int(ServiceKind)
    };
    Q_ENUM(Role)

    explicit DocumentTreeModel(QObject *parent = nullptr);
    ~DocumentTreeModel() override;

    // A top-level row for the connector's account (label from account().label()). The model does
    // not own the connector; when it is destroyed its account is removed. Adding an account id
    // that is already there does nothing.
    void addAccount(Connector *connector);
    void removeAccount(const QString &accountId);
    QStringList accountIds() const;

    // Items per page when listing (0, the default: each connector's pageSize()).
    void setPageSize(int size) { m_pageSize = qMax(0, size); }
    int pageSize() const { return m_pageSize; }

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    // Starts listing the next page under `parent` (one request; nothing while one is running).
    void fetchMore(const QModelIndex &parent) override;
    QHash<int, QByteArray> roleNames() const override;

    // What the size column shows for `item` (a size, a page count or a duration; empty when it
    // has none): the details pane says it the same way.
    static QString measureText(const RemoteItem &item);
    static QString measureText(Measure kind, qint64 value);

    // The row as a RemoteItem, rebuilt from what the model keeps of it: ref, name, created, one
    // measure (size, else pages, else duration: what the size column shows), status and
    // childCount. Never `details`: rows do not keep them (there may be 100,000 rows); fetch them
    // through the connector when they are shown.
    RemoteItem item(const QModelIndex &index) const;
    Connector *connectorFor(const QModelIndex &index) const;
    QString accountIdFor(const QModelIndex &index) const;
    LoadState loadState(const QModelIndex &index) const;
    bool isBusy(const QModelIndex &index) const;
    // The row of `ref` under the account, if it is loaded; invalid otherwise.
    QModelIndex indexFor(const QString &accountId, const NodeRef &ref) const;
    QModelIndex indexForAccount(const QString &accountId) const;

    // Loads every remaining page under `parent`: the first page if it is not listed yet, then,
    // for an offset-paginated list whose total is known, every remaining page at once (the
    // session's pacer keeps within rate limits), inserted in server order as they complete. A
    // cursor-paginated list just follows its cursors. For a filter or select-all over everything.
    // Returns false when there is nothing to load (everything listed, or not a container); else
    // loadFinished() follows.
    bool fetchAll(const QModelIndex &parent);

    // Re-lists `index` (a container; for an item, its parent; invalid: every listed account) from
    // the first page, as far as it was loaded, and reconciles: rows still on the server stay (with
    // their loaded children), vanished ones are removed, new ones inserted, in server order.
    void refresh(const QModelIndex &index);

    // Where deletes go: the window's queue (with its audit trail). Without one set, RowDeletions
    // (rowdeletions.h) makes one of its own, without an audit trail, on the first delete. The
    // model does not own a queue it is given.
    void setDeletionQueue(DeletionQueue *queue);
    DeletionQueue *deletionQueue();

    // Deletes through the deletion queue, as one batch. Each row is marked busy (not selectable
    // or enabled) until the queue has its outcome; it is removed only when the service proved it
    // gone (deleted or already gone, see DeletionState), and its parent is re-listed once the last
    // delete under it answered. On any other outcome it stays, with ErrorRole and the status column
    // saying why. A row under another selected row is skipped, since deleting the ancestor takes it
    // too. Returns how many deletes were started (0: not deletable, already busy, no connector, or
    // the batch could not be recorded — then the rows say why).
    int deleteItems(const QModelIndexList &indexes);
    bool deleteItem(const QModelIndex &index);

Q_SIGNALS:
    // A delete ended in `outcome` (an outcome DeletionState); `error` says why unless it is gone.
    void deleteFinished(const QString &accountId, const Docket::NodeRef &ref,
                        Docket::DeletionState outcome, const Docket::ApiError &error);
    // A page of children of `ref` could not be listed (the node is now in the Error state).
    void loadFailed(const QString &accountId, const Docket::NodeRef &ref,
                    const Docket::ApiError &error);
    // A listing under `ref` ended (successfully or not) and nothing more is being fetched there.
    void loadFinished(const QString &accountId, const Docket::NodeRef &ref);

private:
    // A row, kept compact (a listing may hold 100,000 of them): see the .cpp.
    struct Node;
    // What only a listed container needs: its children, cursor, listing in progress.
    struct Container;
    struct LoadRun;
    struct PageSlot;
    struct IdKey;
    class IdIndex;
    enum class RunMode { Append, Refresh };
    // Lists pages into the rows, and re-lists (documentlister.h).
    friend class DocumentLister;
    // Sends deletes and follows their answers (rowdeletions.h).
    friend class RowDeletions;

    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column = 0) const;
    Node *accountNodeOf(const Node *node) const;
    Connector *connectorOf(const Node *node) const;
    Node *accountNode(const QString &accountId) const;
    bool isContainerNode(const Node *node) const;
    Container &containerOf(Node *node);
    void emitRowChanged(const Node *node);

    NodeRef refOf(const Node *node) const;
    RemoteItem itemOf(const Node *node) const;
    quint32 internStatus(const QString &status);
    const QString &statusOf(const Node *node) const;

    // Each status word of `rows` as the model's index (see internStatus()), by the block's index.
    std::vector<quint32> statusesOf(const RowBlock &rows);
    std::unique_ptr<Node> makeNode(Node *parent, const RowBlock &rows, int row,
                                   const std::vector<quint32> &statuses, const IdKey &key);
    void setRowFields(Node *node, const RowBlock &rows, int row, quint32 status, const IdKey &key);
    void forget(Node *node);
    void removeChildRows(Node *parent, int first, int last);
    void renumber(Node *parent, int from);

    QString statusText(const Node *node) const;
    QVariant displayData(const Node *node, int column) const;
    QVariant sortData(const Node *node, int column) const;

    std::unique_ptr<Node> m_root;
    DocumentLister *m_lister; // a child
    RowDeletions *m_deletions; // a child
    int m_pageSize = 0;
    quint64 m_nextSerial = 1;
    // Listed containers by serial: how an answer finds its node, or learns it is gone, without a
    // reference count on every row.
    QHash<quint64, Node *> m_containers;
    // Why the last delete of a row failed: only rows with such an error pay for it.
    // Why a row that a delete left in place stays: the outcome and the reason.
    struct ActionError
    {
        DeletionState outcome = DeletionState::Failed;
        QString reason;
    };
    QHash<const Node *, ActionError> m_actionErrors;
    // The ids of the rare row whose ref is not its parent's ref plus its own id.
    QHash<const Node *, QStringList> m_unusualIds;
    // Each status word once ("finished", "PHI"): rows keep an index.
    QStringList m_statuses;
    QHash<QString, quint32> m_statusIds;
};

} // namespace Docket

Q_DECLARE_METATYPE(Docket::NodeRef)
Q_DECLARE_METATYPE(Docket::RemoteItem)
Q_DECLARE_METATYPE(Docket::DeletionState)
Q_DECLARE_METATYPE(Docket::ApiError)
