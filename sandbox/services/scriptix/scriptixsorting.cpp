#include "scriptixservice.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace {

// LSD radix sort, 16 bits a pass: linear, and cheap even in an unoptimised build (where a
// comparison sort of 100,000 rows takes most of a second).
void radixSort(std::vector<quint64> &values)
{
    std::vector<quint64> buffer(values.size());
    std::vector<quint32> counts(1 << 16);
    const size_t size = values.size();
    for (int shift = 0; shift < 64; shift += 16) {
        quint64 *from = values.data();
        quint64 *to = buffer.data();
        quint32 *count = counts.data();
        std::fill(counts.begin(), counts.end(), 0);
        for (size_t i = 0; i < size; ++i)
            ++count[(from[i] >> shift) & 0xffff];
        quint32 total = 0;
        for (size_t bucket = 0; bucket < counts.size(); ++bucket) {
            const quint32 n = count[bucket];
            count[bucket] = total;
            total += n;
        }
        for (size_t i = 0; i < size; ++i)
            to[count[(from[i] >> shift) & 0xffff]++] = from[i];
        values.swap(buffer);
    }
}

// Sorts `order` by a 32-bit key, ties by index: a total order, so pages never overlap or skip.
template<typename KeyOf> void sortByNumber(QList<int> &order, KeyOf keyOf)
{
    std::vector<quint64> packed;
    packed.reserve(size_t(order.size()));
    for (const int index : std::as_const(order))
        packed.push_back(quint64(quint32(keyOf(index))) << 32 | quint32(index));
    radixSort(packed);
    for (qsizetype i = 0; i < order.size(); ++i)
        order[i] = int(packed[size_t(i)] & 0xffffffffu);
}

quint32 statusRank(const QString &status)
{
    // Alphabetical, like the strings themselves.
    if (status == u"failed")
        return 0;
    return status == u"finished" ? 1 : 2;
}

} // namespace

const QList<int> &ScriptixService::sortedSessions(Owner &owner, SortKey key)
{
    QList<int> &order = owner.sorted[key];
    if (owner.sortedReady[key])
        return order;
    // Built on first use after populate: deletes only hide rows, they never reorder them.
    order = owner.sessions;
    const Session *sessions = m_sessions.constData();
    switch (key) {
    case SortFilename: {
        // QStringList::sort runs optimised inside QtCore. A NUL and the zero-padded index after
        // the name break ties by index; filenames are lower case by construction, so this is
        // also the case-insensitive order.
        QStringList keys;
        keys.reserve(order.size());
        for (const int index : std::as_const(order)) {
            keys.append(sessions[index].filename + QChar(0)
                        + QString::number(index).rightJustified(10, u'0'));
        }
        keys.sort();
        for (qsizetype i = 0; i < order.size(); ++i)
            order[i] = QStringView(keys.at(i)).right(10).toInt();
        break;
    }
    case SortDuration:
        sortByNumber(order, [sessions](int index) { return sessions[index].duration; });
        break;
    case SortStatus:
        sortByNumber(order, [sessions](int index) { return statusRank(sessions[index].status); });
        break;
    default:
        // Seconds since 1970 fit 32 bits until 2106.
        sortByNumber(order, [sessions](int index) { return sessions[index].createdAt; });
        break;
    }
    owner.sortedReady[key] = true;
    return order;
}
