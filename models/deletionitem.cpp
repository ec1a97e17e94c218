#include "deletionitem.h"

#include "auditlogsupport.h"

namespace Docket {

using AuditLogSupport::tr;

QString deletionStateId(DeletionState state)
{
    switch (state) {
    case DeletionState::Pending:
        return QStringLiteral("pending");
    case DeletionState::InFlight:
        return QStringLiteral("in-flight");
    case DeletionState::Waiting:
        return QStringLiteral("waiting");
    case DeletionState::Unconfirmed:
        return QStringLiteral("unconfirmed");
    case DeletionState::Deleted:
        return QStringLiteral("deleted");
    case DeletionState::AlreadyGone:
        return QStringLiteral("already-gone");
    case DeletionState::NotPermitted:
        return QStringLiteral("not-permitted");
    case DeletionState::Failed:
        return QStringLiteral("failed");
    case DeletionState::Unknown:
        return QStringLiteral("unknown");
    case DeletionState::Changed:
        return QStringLiteral("changed");
    case DeletionState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

std::optional<DeletionState> deletionStateFromId(const QString &id)
{
    for (DeletionState state :
         { DeletionState::Pending, DeletionState::InFlight, DeletionState::Waiting,
           DeletionState::Unconfirmed, DeletionState::Deleted, DeletionState::AlreadyGone,
           DeletionState::NotPermitted, DeletionState::Failed, DeletionState::Unknown,
           DeletionState::Changed, DeletionState::Cancelled }) {
        if (deletionStateId(state) == id)
            return state;
    }
    return std::nullopt;
}

QString deletionStateName(DeletionState state)
{
    switch (state) {
    case DeletionState::Pending:
        return tr("Not sent yet");
    case DeletionState::InFlight:
        return tr("Deleting…");
    case DeletionState::Waiting:
        return tr("Waiting to retry");
    case DeletionState::Unconfirmed:
        return tr("Sent, not confirmed");
    case DeletionState::Deleted:
        return tr("Deleted");
    case DeletionState::AlreadyGone:
        return tr("Already gone");
    case DeletionState::NotPermitted:
        return tr("Not permitted");
    case DeletionState::Failed:
        return tr("Failed");
    case DeletionState::Unknown:
        return tr("Unknown: no usable answer");
    case DeletionState::Changed:
        return tr("Changed: not sent");
    case DeletionState::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

bool isOutcome(DeletionState state)
{
    switch (state) {
    case DeletionState::Pending:
    case DeletionState::InFlight:
    case DeletionState::Waiting:
    case DeletionState::Unconfirmed:
        return false;
    default:
        return true;
    }
}

} // namespace Docket
