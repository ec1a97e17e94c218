#include "auditentry.h"

#include "auditlogsupport.h"

namespace Docket {

using AuditLogSupport::tr;

namespace {

// Each outcome's id (for the trail's file, CSV and JSON) and its name for people, in one table.
struct OutcomeWords
{
    AuditEntry::Outcome outcome;
    const char *id;
    const char *name;
};

using Outcome = AuditEntry::Outcome;
constexpr OutcomeWords outcomeWords[] = {
    { Outcome::Sent, "sent",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Sent, waiting for the answer") },
    { Outcome::Deleted, "deleted", QT_TRANSLATE_NOOP("Docket::AuditLog", "Deleted") },
    { Outcome::AlreadyGone, "already-gone", QT_TRANSLATE_NOOP("Docket::AuditLog", "Already gone") },
    { Outcome::NotPermitted, "not-permitted",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Not permitted") },
    { Outcome::Unknown, "unknown",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Unknown: no usable answer") },
    { Outcome::Changed, "changed", QT_TRANSLATE_NOOP("Docket::AuditLog", "Changed: not sent") },
    { Outcome::Retrying, "retrying", QT_TRANSLATE_NOOP("Docket::AuditLog", "Failed, retried") },
    { Outcome::Failed, "failed", QT_TRANSLATE_NOOP("Docket::AuditLog", "Failed") },
    { Outcome::NoAnswer, "no-answer",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "No answer: Docket stopped") },
    { Outcome::Cancelled, "cancelled",
      QT_TRANSLATE_NOOP("Docket::AuditLog", "Cancelled, not sent") },
};

const OutcomeWords *wordsFor(Outcome outcome)
{
    for (const OutcomeWords &words : outcomeWords) {
        if (words.outcome == outcome)
            return &words;
    }
    return nullptr;
}

} // namespace

QString AuditEntry::outcomeId(Outcome outcome)
{
    const OutcomeWords *words = wordsFor(outcome);
    return words ? QString::fromLatin1(words->id) : QString();
}

QString AuditEntry::outcomeName(Outcome outcome)
{
    const OutcomeWords *words = wordsFor(outcome);
    return words ? tr(words->name) : QString();
}

std::optional<AuditEntry::Outcome> AuditEntry::outcomeFromId(const QString &id)
{
    for (const OutcomeWords &words : outcomeWords) {
        if (id == QLatin1String(words.id))
            return words.outcome;
    }
    return std::nullopt;
}

} // namespace Docket
