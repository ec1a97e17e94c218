#include "deletionitem.h"

#include "auditlogsupport.h"

namespace Docket {

using AuditLogSupport::tr;

namespace {

// Each state's id (for the journal, CSV and JSON) and its name for people, in one table.
struct StateWords
{
    DeletionState state;
    const char *id;
    const char *name;
};

constexpr StateWords stateWords[] = {
    { DeletionState::Pending, "pending", QT_TRANSLATE_NOOP("Docket::AuditLog", "Not sent yet") },
    { DeletionState::InFlight, "in-flight", QT_TRANSLATE_NOOP("Docket::AuditLog", "Deleting…") },
    { DeletionState::Waiting, "waiting",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Waiting to retry") },
    { DeletionState::Unconfirmed, "unconfirmed",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Sent, not confirmed") },
    { DeletionState::Deleted, "deleted", QT_TRANSLATE_NOOP("Docket::AuditLog", "Deleted") },
    { DeletionState::AlreadyGone, "already-gone",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Already gone") },
    { DeletionState::NotPermitted, "not-permitted",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Not permitted") },
    { DeletionState::Failed, "failed", QT_TRANSLATE_NOOP("Docket::AuditLog", "Failed") },
    { DeletionState::Unknown, "unknown",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Unknown: no usable answer") },
    { DeletionState::Changed, "changed",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Changed: not sent") },
    { DeletionState::Cancelled, "cancelled", QT_TRANSLATE_NOOP("Docket::AuditLog", "Cancelled") },
};

const StateWords *wordsFor(DeletionState state)
{
    for (const StateWords &words : stateWords) {
        if (words.state == state)
            return &words;
    }
    return nullptr;
}

} // namespace

QString deletionStateId(DeletionState state)
{
    const StateWords *words = wordsFor(state);
    return words ? QString::fromLatin1(words->id) : QString();
}

std::optional<DeletionState> deletionStateFromId(const QString &id)
{
    for (const StateWords &words : stateWords) {
        if (id == QLatin1String(words.id))
            return words.state;
    }
    return std::nullopt;
}

QString deletionStateName(DeletionState state)
{
    const StateWords *words = wordsFor(state);
    return words ? tr(words->name) : QString();
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
