#pragma once

#include <QSortFilterProxyModel>

namespace Docket {

// Filters and sorts a DocumentTreeModel for the window: a case-insensitive match on the name, kind
// and status columns that keeps the ancestors of every match (recursive filtering), account rows
// always shown, and sorting by the model's SortRole (dates as dates, sizes as numbers, names as
// people read them). Only what is loaded can match: DocumentTreeModel::fetchAll() loads the rest.
class DocumentFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit DocumentFilterProxyModel(QObject *parent = nullptr);

    // The text to look for ("" shows everything). Matched as plain text, not as a pattern.
    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_filterText;
};

} // namespace Docket
