#include "documentfilterproxymodel.h"

#include "documenttreemodel.h"

#include <QDateTime>

namespace Docket {

namespace {

// "session 2" before "session 10": runs of digits compare as numbers, the text between them as
// the locale orders it. Done here rather than with QCollator::setNumericMode, which some
// collation back-ends (the POSIX one) do not support.
int naturalCompare(const QString &left, const QString &right, Qt::CaseSensitivity sensitivity)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < left.size() && j < right.size()) {
        const bool leftDigit = left.at(i).isDigit();
        const bool rightDigit = right.at(j).isDigit();
        qsizetype iEnd = i;
        qsizetype jEnd = j;
        while (iEnd < left.size() && left.at(iEnd).isDigit() == leftDigit)
            ++iEnd;
        while (jEnd < right.size() && right.at(jEnd).isDigit() == rightDigit)
            ++jEnd;
        const QStringView a = QStringView(left).mid(i, iEnd - i);
        const QStringView b = QStringView(right).mid(j, jEnd - j);
        int result = 0;
        if (leftDigit && rightDigit) {
            // Compare as numbers of any length: without leading zeros, longer is larger.
            QStringView x = a;
            QStringView y = b;
            while (x.size() > 1 && x.front() == u'0')
                x = x.mid(1);
            while (y.size() > 1 && y.front() == u'0')
                y = y.mid(1);
            result = x.size() != y.size() ? (x.size() < y.size() ? -1 : 1) : x.compare(y);
        } else if (sensitivity == Qt::CaseInsensitive) {
            result = QString::localeAwareCompare(a.toString().toCaseFolded(),
                                                 b.toString().toCaseFolded());
        } else {
            result = QString::localeAwareCompare(a, b);
        }
        if (result != 0)
            return result;
        i = iEnd;
        j = jEnd;
    }
    if (i < left.size())
        return 1;
    if (j < right.size())
        return -1;
    return 0;
}

} // namespace

DocumentFilterProxyModel::DocumentFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // A match deep down keeps its session and account visible, so it can be found in context.
    setRecursiveFilteringEnabled(true);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortRole(DocumentTreeModel::SortRole);
    // Rows change while pages arrive and deletes are confirmed: keep the order and filter live.
    setDynamicSortFilter(true);
}

void DocumentFilterProxyModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filterText)
        return;
    m_filterText = trimmed;
    invalidateFilter();
}

bool DocumentFilterProxyModel::filterAcceptsRow(int sourceRow,
                                                const QModelIndex &sourceParent) const
{
    // Accounts are always shown: an account without matches is still where the user works.
    if (!sourceParent.isValid() || m_filterText.isEmpty())
        return true;
    const QAbstractItemModel *model = sourceModel();
    for (int column : { int(DocumentTreeModel::NameColumn), int(DocumentTreeModel::KindColumn),
                        int(DocumentTreeModel::StatusColumn) }) {
        const QString text = model->index(sourceRow, column, sourceParent).data().toString();
        if (text.contains(m_filterText, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool DocumentFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.metaType() == QMetaType::fromType<QDateTime>()
        && b.metaType() == QMetaType::fromType<QDateTime>()) {
        const QDateTime da = a.toDateTime();
        const QDateTime db = b.toDateTime();
        // Unknown dates sort before every known one.
        if (da.isValid() != db.isValid())
            return !da.isValid();
        return da < db;
    }
    if (a.metaType() == QMetaType::fromType<qint64>()
        && b.metaType() == QMetaType::fromType<qint64>())
        return a.toLongLong() < b.toLongLong();
    if (a.metaType() == QMetaType::fromType<QString>()
        && b.metaType() == QMetaType::fromType<QString>()) {
        return naturalCompare(a.toString(), b.toString(), sortCaseSensitivity()) < 0;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace Docket
