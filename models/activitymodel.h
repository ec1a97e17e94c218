#pragma once

#include "auditlog.h"

#include <QAbstractTableModel>

namespace Docket {

// The audit trail as a table for the Activity view: one row per delete attempt, newest first.
// It shows what it is given (AuditLog::entries()); it never reads the file itself.
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        AccountColumn,
        KindColumn,
        NameColumn,
        ParentColumn,
        OutcomeColumn,
        HttpStatusColumn,
        RequestIdColumn,
        MessageColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        OutcomeRole = Qt::UserRole + 1, // int(AuditEntry::Outcome)
        SortRole, // the column's raw value
    };

    explicit ActivityModel(QObject *parent = nullptr);

    void setEntries(const QList<AuditEntry> &entries);
    const QList<AuditEntry> &entries() const { return m_entries; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AuditEntry> m_entries;
};

} // namespace Docket
