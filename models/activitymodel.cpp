#include "activitymodel.h"

#include <QLocale>

namespace Docket {

ActivityModel::ActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ActivityModel::setEntries(const QList<AuditEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const AuditEntry &entry = m_entries.at(index.row());
    if (role == OutcomeRole)
        return int(entry.outcome);
    if (role == Qt::ToolTipRole && index.column() == NameColumn)
        return tr("%1 %2 (id %3)").arg(nodeKindName(entry.kind), entry.name, entry.itemRef);
    if (role == Qt::ToolTipRole && index.column() == MessageColumn)
        return entry.message;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sorting = role == SortRole;
    switch (index.column()) {
    case TimeColumn:
        return sorting
            ? QVariant(entry.time)
            : QVariant(QLocale().toString(entry.time.toLocalTime(), QLocale::ShortFormat));
    case AccountColumn:
        return entry.accountName;
    case KindColumn:
        return nodeKindName(entry.kind);
    case NameColumn:
        return entry.name.isEmpty() ? entry.itemRef : entry.name;
    case ParentColumn:
        return entry.parentName.isEmpty() ? entry.parentRef : entry.parentName;
    case OutcomeColumn:
        return AuditEntry::outcomeName(entry.outcome);
    case HttpStatusColumn:
        return entry.httpStatus ? QVariant(entry.httpStatus) : QVariant();
    case RequestIdColumn:
        return QString::fromLatin1(entry.requestId);
    case MessageColumn:
        return entry.message;
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case AccountColumn:
        return tr("Account");
    case KindColumn:
        return tr("Kind");
    case NameColumn:
        return tr("Item");
    case ParentColumn:
        return tr("In");
    case OutcomeColumn:
        return tr("Outcome");
    case HttpStatusColumn:
        return tr("HTTP");
    case RequestIdColumn:
        return tr("Request ID");
    case MessageColumn:
        return tr("Reason");
    }
    return {};
}

} // namespace Docket
