// DocumentTreeModel's rows as they are stored (see documenttreenodes_p.h): made from a listing's
// RowBlock, and turned back into a NodeRef and a RemoteItem.

#include "documenttreemodel.h"
#include "documenttreenodes_p.h"
#include "rowblock.h"

namespace Docket {

using treerows::noDate;
using treerows::TextHeader;

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

} // namespace Docket
