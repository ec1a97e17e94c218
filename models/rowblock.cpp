#include "rowblock.h"

#include <QHash>

#include <cstring>
#include <vector>

namespace Docket {

namespace {

// A QString survives a UTF-8 round trip unless it holds a lone surrogate.
bool roundTripsAsUtf8(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            ++i;
            continue;
        }
        if (c.isSurrogate())
            return false;
    }
    return true;
}

} // namespace

struct RowBlock::Row
{
    quint32 offset = 0; // in Data::text: the id's bytes, then the name's
    quint32 idSize = 0;
    quint32 nameSize = 0;
    qint32 childCount = -1;
    qint64 created = noDate;
    qint64 measure = -1;
    quint16 status = 0;
    quint8 kind = 0;
    quint8 measureKind : 2 = 0;
    quint8 idUtf16 : 1 = 0;
    quint8 nameUtf16 : 1 = 0;
    quint8 nameIsId : 1 = 0;
    quint8 hasOwnIds : 1 = 0;
};

struct RowBlock::Data : QSharedData
{
    std::vector<Row> rows;
    QByteArray text;
    QStringList statuses { QString() };
    QHash<QString, quint16> statusIds;
    QHash<int, QStringList> ownIds; // by row: the rare rows that need them
};

RowBlock::RowBlock()
    : d(new Data)
{ }
RowBlock::RowBlock(const RowBlock &other) = default;
RowBlock &RowBlock::operator=(const RowBlock &other) = default;
RowBlock::~RowBlock() = default;

RowBlock RowBlock::fromItems(const QList<RemoteItem> &items, const NodeRef &parentRef)
{
    RowBlock block;
    block.reserve(int(items.size()), 0);
    for (const RemoteItem &item : items)
        block.append(item, parentRef);
    return block;
}

int RowBlock::size() const
{
    return int(d->rows.size());
}

void RowBlock::reserve(int rows, qsizetype textBytes)
{
    d->rows.reserve(size_t(qMax(0, rows)));
    if (textBytes > 0)
        d->text.reserve(textBytes);
}

quint16 RowBlock::addStatus(const QString &status)
{
    if (status.isEmpty())
        return 0;
    const auto found = d->statusIds.constFind(status);
    if (found != d->statusIds.constEnd())
        return *found;
    // Status words are a service's few fixed words; a service that sent more than fit would see
    // the surplus shown as no status rather than wrong.
    if (d->statuses.size() > std::numeric_limits<quint16>::max())
        return 0;
    const auto index = quint16(d->statuses.size());
    d->statuses.append(status);
    d->statusIds.insert(status, index);
    return index;
}

void RowBlock::appendUtf8(NodeKind kind, QByteArrayView id, QByteArrayView name,
                          qint64 createdMSecs, Measure measureKind, qint64 measure, quint16 status,
                          int childCount)
{
    Row row;
    row.nameIsId = name == id;
    row.kind = quint8(kind);
    row.created = createdMSecs;
    row.measureKind = quint8(measureKind);
    row.measure = measure;
    row.status = status;
    row.childCount = childCount;
    appendTexts(row, id, row.nameIsId ? QByteArrayView() : name);
}

void RowBlock::appendTexts(Row row, QByteArrayView id, QByteArrayView name)
{
    Data &data = *d;
    row.offset = quint32(data.text.size());
    row.idSize = quint32(id.size());
    row.nameSize = quint32(name.size());
    data.text.append(id);
    data.text.append(name);
    data.rows.push_back(row);
}

void RowBlock::append(const RemoteItem &item, const NodeRef &parentRef)
{
    // Whether the name is the id is decided on the texts: a UTF-16 name and a UTF-8 id can have
    // the same bytes.
    const QString id = item.ref.id();
    Row row;
    bool idUtf16 = false;
    bool nameUtf16 = false;
    const QByteArray idBytes = encodeText(id, &idUtf16);
    row.nameIsId = item.name == id;
    const QByteArray nameBytes = row.nameIsId ? QByteArray() : encodeText(item.name, &nameUtf16);
    row.idUtf16 = idUtf16;
    row.nameUtf16 = nameUtf16;
    row.kind = quint8(item.ref.kind);
    row.created = item.created.isValid() ? item.created.toMSecsSinceEpoch() : noDate;
    const auto [measureKind, measure] = measureOf(item);
    row.measureKind = quint8(measureKind);
    row.measure = measure;
    row.status = addStatus(item.status);
    row.childCount = item.childCount;

    // Connectors name a child by its parent's ids plus its own; a row that does not keeps its
    // whole ids aside. Account rows are {Account, {}}.
    const QStringList &ids = item.ref.ids;
    const bool usual = ids.size() == parentRef.ids.size() + 1
        && std::equal(parentRef.ids.cbegin(), parentRef.ids.cend(), ids.cbegin());
    if (!usual && item.ref.kind != NodeKind::Account) {
        row.hasOwnIds = true;
        d->ownIds.insert(size(), ids);
    }
    appendTexts(row, idBytes, nameBytes);
}

void RowBlock::appendRow(const RowBlock &other, int row)
{
    const Row &source = other.rowAt(row);
    Row copy = source;
    copy.offset = quint32(d->text.size());
    copy.status = addStatus(other.status(source.status));
    d->text.append(other.d->text.constData() + source.offset,
                   qsizetype(source.idSize) + qsizetype(source.nameSize));
    d->rows.push_back(copy);
    if (source.hasOwnIds)
        d->ownIds.insert(size() - 1, other.d->ownIds.value(row));
}

const RowBlock::Row &RowBlock::rowAt(int row) const
{
    return d->rows[size_t(row)];
}

NodeKind RowBlock::kind(int row) const
{
    return NodeKind(rowAt(row).kind);
}

QByteArrayView RowBlock::idBytes(int row) const
{
    const Row &r = rowAt(row);
    return { d->text.constData() + r.offset, qsizetype(r.idSize) };
}

bool RowBlock::idIsUtf16(int row) const
{
    return rowAt(row).idUtf16;
}

QString RowBlock::id(int row) const
{
    return decodeText(idBytes(row), idIsUtf16(row));
}

QByteArrayView RowBlock::nameBytes(int row) const
{
    const Row &r = rowAt(row);
    return { d->text.constData() + r.offset + r.idSize, qsizetype(r.nameSize) };
}

bool RowBlock::nameIsUtf16(int row) const
{
    return rowAt(row).nameUtf16;
}

bool RowBlock::nameIsId(int row) const
{
    return rowAt(row).nameIsId;
}

QString RowBlock::name(int row) const
{
    return nameIsId(row) ? id(row) : decodeText(nameBytes(row), nameIsUtf16(row));
}

qint64 RowBlock::createdMSecs(int row) const
{
    return rowAt(row).created;
}

Measure RowBlock::measureKind(int row) const
{
    return Measure(rowAt(row).measureKind);
}

qint64 RowBlock::measure(int row) const
{
    return rowAt(row).measure;
}

quint16 RowBlock::statusIndex(int row) const
{
    return rowAt(row).status;
}

const QString &RowBlock::status(quint16 index) const
{
    return d->statuses.at(index);
}

int RowBlock::statusCount() const
{
    return int(d->statuses.size());
}

int RowBlock::childCount(int row) const
{
    return rowAt(row).childCount;
}

const QStringList *RowBlock::ownIds(int row) const
{
    if (!rowAt(row).hasOwnIds)
        return nullptr;
    const auto found = d->ownIds.constFind(row);
    return found == d->ownIds.constEnd() ? nullptr : &*found;
}

RemoteItem RowBlock::item(int row, const NodeRef &parentRef) const
{
    RemoteItem item;
    if (const QStringList *ids = ownIds(row))
        item.ref = NodeRef { kind(row), *ids };
    else
        item.ref
            = kind(row) == NodeKind::Account ? NodeRef {} : parentRef.child(kind(row), id(row));
    item.name = name(row);
    if (createdMSecs(row) != noDate)
        item.created = QDateTime::fromMSecsSinceEpoch(createdMSecs(row), Qt::UTC);
    switch (measureKind(row)) {
    case Measure::Bytes:
        item.sizeBytes = measure(row);
        break;
    case Measure::Pages:
        item.pages = int(measure(row));
        break;
    case Measure::Seconds:
        item.durationSeconds = int(measure(row));
        break;
    case Measure::None:
        break;
    }
    item.status = status(statusIndex(row));
    item.childCount = childCount(row);
    return item;
}

QByteArray RowBlock::encodeText(const QString &text, bool *utf16)
{
    *utf16 = !roundTripsAsUtf8(text);
    if (*utf16)
        return QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
    return text.toUtf8();
}

QString RowBlock::decodeText(QByteArrayView bytes, bool utf16)
{
    if (!utf16)
        return QString::fromUtf8(bytes);
    QString text(bytes.size() / 2, Qt::Uninitialized);
    std::memcpy(static_cast<void *>(text.data()), bytes.data(), size_t(text.size()) * 2);
    return text;
}

std::pair<Measure, qint64> RowBlock::measureOf(const RemoteItem &item)
{
    if (item.sizeBytes >= 0)
        return { Measure::Bytes, item.sizeBytes };
    if (item.pages >= 0)
        return { Measure::Pages, item.pages };
    if (item.durationSeconds >= 0)
        return { Measure::Seconds, item.durationSeconds };
    return { Measure::None, -1 };
}

} // namespace Docket
