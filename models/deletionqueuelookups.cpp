// DeletionQueue: resumed items are looked up by parent before they are sent again.

#include "connector.h"
#include "deletionqueue.h"
#include "logging.h"

#include <memory>
#include <utility>

namespace Docket {

void DeletionQueue::identify(qint64 itemId, Connector *connector)
{
    AccountLane *lane = m_lanes.value(m_items.value(itemId).accountId);
    const NodeRef ref = m_items.value(itemId).ref;
    const std::optional<NodeRef> parent = connector->parentOf(ref);
    // The others of the lane still to be looked up under the same parent go with it: one read
    // of the parent's listing answers for all of them (Connector::lookupAll()).
    QList<qint64> group { itemId };
    if (parent) {
        for (auto next = lane->pending.begin(); next != lane->pending.end();) {
            const DeletionItem &other = m_items.value(*next);
            if (other.reidentify && connector->parentOf(other.ref) == parent) {
                group.append(*next);
                next = lane->pending.erase(next);
            } else {
                ++next;
            }
        }
    }
    QList<NodeRef> refs;
    for (qint64 id : std::as_const(group)) {
        lane->lookingUp.insert(id);
        const DeletionItem &item = m_items.value(id);
        refs.append(item.ref);
        qCInfo(lcQueue).noquote() << loggedItem(item) << "looked up before it is sent again";
    }
    // Holds one of the account's places while it looks, as a DELETE would.
    ++lane->inFlight;
    m_progress.current = m_items.value(itemId).name;
    LookupJob *lookup = parent ? connector->lookupAll(*parent, refs) : connector->lookup(ref);
    // Ends once: with the lookup's answer, or without one if its account is closed first.
    const auto ended = std::make_shared<bool>(false);
    const QString accountId = m_items.value(itemId).accountId;
    const auto end = [this, group, accountId, ended](const LookupJob *answer) {
        if (std::exchange(*ended, true))
            return;
        AccountLane *lane = m_lanes.value(accountId);
        if (lane)
            --lane->inFlight;
        // Those still the same item go back to the front of their lane, in their order. One that
        // cancel() ended while the lookup was out is not looked at again.
        QList<qint64> ready;
        for (qsizetype index = 0; index < group.size(); ++index) {
            const qint64 id = group.at(index);
            if (lane && !lane->lookingUp.remove(id))
                continue;
            const auto found = m_items.find(id);
            if (found != m_items.end() && identified(*found, answer, index))
                ready.append(found->id);
        }
        if (lane) {
            for (qsizetype index = ready.size(); index > 0; --index)
                lane->pending.push_front(ready.at(index - 1));
        }
        updateProgress();
        pump();
    };
    connect(lookup, &ConnectorJob::finished, this,
            [end](ConnectorJob *done) { end(static_cast<LookupJob *>(done)); });
    connect(lookup, &QObject::destroyed, this, [end] { end(nullptr); });
}

} // namespace Docket
