#include "auditentry.h"

#include "auditlogsupport.h"

namespace Docket {

using AuditLogSupport::tr;

QString AuditEntry::outcomeId(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Sent:
        return QStringLiteral("sent");
    case Outcome::Deleted:
        return QStringLiteral("deleted");
    case Outcome::AlreadyGone:
        return QStringLiteral("already-gone");
    case Outcome::NotPermitted:
        return QStringLiteral("not-permitted");
    case Outcome::Unknown:
        return QStringLiteral("unknown");
    case Outcome::Changed:
        return QStringLiteral("changed");
    case Outcome::Retrying:
        return QStringLiteral("retrying");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::NoAnswer:
        return QStringLiteral("no-answer");
    case Outcome::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QString AuditEntry::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Sent:
        return tr("Sent, waiting for the answer");
    case Outcome::Deleted:
        return tr("Deleted");
    case Outcome::AlreadyGone:
        return tr("Already gone");
    case Outcome::NotPermitted:
        return tr("Not permitted");
    case Outcome::Unknown:
        return tr("Unknown: no usable answer");
    case Outcome::Changed:
        return tr("Changed: not sent");
    case Outcome::Retrying:
        return tr("Failed, retried");
    case Outcome::Failed:
        return tr("Failed");
    case Outcome::NoAnswer:
        return tr("No answer: Docket stopped");
    case Outcome::Cancelled:
        return tr("Cancelled, not sent");
    }
    return {};
}

std::optional<AuditEntry::Outcome> AuditEntry::outcomeFromId(const QString &id)
{
    for (Outcome outcome :
         { Outcome::Sent, Outcome::Deleted, Outcome::AlreadyGone, Outcome::NotPermitted,
           Outcome::Unknown, Outcome::Changed, Outcome::Retrying, Outcome::Failed,
           Outcome::NoAnswer, Outcome::Cancelled }) {
        if (outcomeId(outcome) == id)
            return outcome;
    }
    return std::nullopt;
}

} // namespace Docket
