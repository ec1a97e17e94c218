#pragma once

#include "remoteitem.h"

#include <QByteArrayView>
#include <QSharedDataPointer>

#include <limits>

namespace Docket {

// What the size column of a row measures: the first a service gives, in this order.
enum class Measure : quint8 { None, Bytes, Pages, Seconds };

// Rows of a listing in compact form: every id and name in one byte buffer, the rest in fixed-size
// records, no QString and no allocation per row. The tree model keeps its rows this way, and a
// connector may hand over a big listing this way (ListPage::rows) so that 50,000 rows go from the
// JSON answer into the model without becoming RemoteItems first.
//
// A row is what the tree shows of an item, nothing more: kind, id, name, creation time, one
// measure, status word and child count. Its ref is its parent's plus its own id; the rare row
// whose ref is not keeps its whole ids aside (ownIds()).
//
// Texts are UTF-8, except the rare one that does not survive UTF-8 (a lone surrogate, which a JSON
// "\ud800" can produce): that one is kept as UTF-16, so an id always reaches the service unchanged.
// Implicitly shared: copies are cheap, and a block built on a worker thread can be handed over.
class RowBlock
{
public:
    static constexpr qint64 noDate = std::numeric_limits<qint64>::min();

    // No move operations: a copy costs one reference count, and a block is never left empty of
    // its data (a moved-from QSharedDataPointer would be null).
    RowBlock();
    RowBlock(const RowBlock &other);
    RowBlock &operator=(const RowBlock &other);
    ~RowBlock();

    // Every item as a row under `parentRef`.
    static RowBlock fromItems(const QList<RemoteItem> &items, const NodeRef &parentRef);

    int size() const;
    bool isEmpty() const { return size() == 0; }
    void reserve(int rows, qsizetype textBytes);

    // --- building ---
    // A status word's index in this block (0 is the empty status; the same word, the same index).
    quint16 addStatus(const QString &status);
    // A row whose id and name are UTF-8 (valid UTF-8: what a JSON parser hands out).
    // `createdMSecs`: noDate when unknown; `status`: from addStatus().
    void appendUtf8(NodeKind kind, QByteArrayView id, QByteArrayView name, qint64 createdMSecs,
                    Measure measureKind, qint64 measure, quint16 status, int childCount = -1);
    // `item` as a row under `parentRef`.
    void append(const RemoteItem &item, const NodeRef &parentRef);
    // Row `row` of `other`.
    void appendRow(const RowBlock &other, int row);

    // --- reading ---
    NodeKind kind(int row) const;
    QByteArrayView idBytes(int row) const; // UTF-8, or UTF-16 when idIsUtf16()
    bool idIsUtf16(int row) const;
    QString id(int row) const;
    // The name's own text: empty when nameIsId() (the name is the id, kept once).
    QByteArrayView nameBytes(int row) const;
    bool nameIsUtf16(int row) const;
    bool nameIsId(int row) const;
    QString name(int row) const;
    qint64 createdMSecs(int row) const;
    Measure measureKind(int row) const;
    qint64 measure(int row) const;
    quint16 statusIndex(int row) const;
    const QString &status(quint16 index) const;
    int statusCount() const;
    int childCount(int row) const;
    // The whole ids of a row whose ref is not its parent's ids plus its own id; null otherwise.
    const QStringList *ownIds(int row) const;

    // The row as a RemoteItem (no details), under `parentRef`.
    RemoteItem item(int row, const NodeRef &parentRef) const;

    // How texts are kept (also by the tree model's rows). encodeText() sets *utf16 when `text`
    // must stay UTF-16.
    static QByteArray encodeText(const QString &text, bool *utf16);
    static QString decodeText(QByteArrayView bytes, bool utf16);
    // The one measure a RemoteItem shows in the size column.
    static std::pair<Measure, qint64> measureOf(const RemoteItem &item);

private:
    struct Row;
    struct Data;
    const Row &rowAt(int row) const;
    void appendTexts(Row row, QByteArrayView id, QByteArrayView name);
    QSharedDataPointer<Data> d;
};

} // namespace Docket
