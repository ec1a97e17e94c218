#pragma once

#include "connector.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace Docket {

// What the services themselves find for a text (PageRequest::search), for the window's filter
// box when a listing is not fully loaded: one row per match, from every account given that can
// search (Connector::canSearch on its top level), the first page of matches each. The accounts
// that cannot search are noted with why (ServiceInfo::searchNote): their loaded rows are what
// the tree's own filter shows. Widgets read rows and states; the requests are the connectors'.
class SearchResultsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, AccountColumn, KindColumn, StatusColumn, ColumnCount };
    enum Role { NodeRefRole = Qt::UserRole + 1, AccountIdRole };

    explicit SearchResultsModel(QObject *parent = nullptr);

    // Starts a search for `text` in each connector's top level (searchable ones at the server,
    // the others noted); an empty text, or none given, clears. A search still running is
    // dropped: its answers no longer count.
    void search(const QList<Connector *> &connectors, const QString &text);
    void clear();

    QString text() const { return m_text; }
    bool isSearching() const { return !m_pending.isEmpty(); }
    bool isActive() const { return !m_text.isEmpty(); }
    // For people: "Searching Scriptix…", then "3 matches on the server", with any errors.
    QString stateText() const;
    // One sentence per account not searched at the server: "Portal (Care360): Care360 sends…".
    QStringList notes() const { return m_notes; }
    // Whether an account's first page said more matches exist than it showed.
    bool hasMore() const { return m_more; }

    RemoteItem item(int row) const;
    Connector *connectorFor(int row) const;
    // Takes a row away (its item was deleted); -1 when `ref` of `accountId` is not a row.
    int rowOf(const QString &accountId, const NodeRef &ref) const;
    void removeRowOf(const QString &accountId, const NodeRef &ref);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // The state text, the notes or the rows changed (a search started, an account answered).
    void stateChanged();

private:
    struct Row
    {
        RemoteItem item;
        QPointer<Connector> connector;
    };
    void searchAccount(Connector *connector);

    QString m_text;
    quint64 m_generation = 0; // answers of an older search are ignored
    QList<Row> m_rows;
    QList<QPointer<Connector>> m_pending;
    QStringList m_notes;
    QStringList m_errors;
    bool m_more = false;
};

} // namespace Docket
