#pragma once

#include "remoteitem.h"
#include "rowblock.h"

#include <QVariant>

namespace Docket {

// A page of children. `total` is the number the server says exist (-1 when it does not say);
// `nextCursor` is empty when there are no more pages.
struct ListPage
{
    QList<RemoteItem> items;
    int total = -1;
    QVariant nextCursor;
    // Instead of `items`, a connector may hand over the rows in compact form, but only to a request
    // without details (the tree model's): see PageRequest::withDetails. Then `items` is empty.
    RowBlock rows;
    bool hasMore() const { return nextCursor.isValid() && !nextCursor.isNull(); }
};

// Which page to fetch: the cursor from the previous ListPage (or an invalid QVariant for the
// first), and how many items at most. Offset-based services put the offset in the cursor.
struct PageRequest
{
    QVariant cursor;
    int limit = 100;
    // False when the caller keeps no RemoteItem::details (the tree model): a connector may then
    // leave them out, and hand the rows over as ListPage::rows. For Care360's unpaginated lists
    // building details, or a RemoteItem per file, costs more than reading the answer.
    bool withDetails = true;
    // Server-side narrowing and order, for a parent kind the connector can search
    // (Connector::canSearch) or sort (Connector::sortFields); a connector that cannot ignores them.
    // `search`: text the items' names contain, case-insensitively. Whatever the service makes of
    // it, a connector hands over only rows whose name holds it (matchesSearch()), so a service
    // that ignores it never shows a row that does not match.
    QString search {};
    // A generic sort field id (ListSortField::id: "name", "created", "status", "duration");
    // empty: the service's own default order.
    QString sort {};
    bool descending = false;

    bool isSearch() const { return !search.isEmpty(); }
};

// One order a connector can ask its service for under a kind of parent (Connector::sortFields).
struct ListSortField
{
    QString id; // generic, for callers and docket-cli --sort: "name", "created"
    QString label; // for people, translated: "Name"
};

// Whether an item called `name` matches a PageRequest::search of `text`: the name holds the text,
// case-insensitively (an empty text matches every name).
bool matchesSearch(const QString &name, const QString &text);

} // namespace Docket
