#pragma once

#include "servicekind.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace Docket {

// One line of the audit trail: one DELETE sent (or, for a cancelled item, one not sent), with what
// it was about and how it ended.
struct AuditEntry
{
    // How one attempt ended.
    enum class Outcome {
        Sent, // no answer yet (this run is still waiting for it)
        Deleted, // the service proved it (see DeletionState)
        AlreadyGone, // the service said so in its own documented way
        NotPermitted, // the service refused: this account may not delete it
        Unknown, // no usable answer: it may have been deleted
        Changed, // not sent: re-identified before a resume, it was not the same item
        Retrying, // it failed in a way worth retrying; another attempt follows
        Failed,
        NoAnswer, // Docket stopped before the answer came: the delete may have happened
        Cancelled, // not sent: the user cancelled
    };

    qint64 id = 0;
    qint64 batchId = 0;
    qint64 itemId = 0;
    int attempt = 0; // 1 for the first DELETE of the item; 0 for a cancellation
    QDateTime time; // when it was sent (or cancelled)
    QDateTime answered; // when the answer came (invalid: none)
    QString accountId;
    QString accountName;
    ServiceKind service = ServiceKind::Scriptix;
    QString serviceId; // as recorded: also a service this build does not have
    // serviceId, or, for an entry not read from the trail, its service's id.
    QString recordedService() const
    {
        return serviceId.isEmpty() ? Docket::serviceId(service) : serviceId;
    }
    NodeKind kind = NodeKind::Account;
    QString itemRef; // the item's own id
    QString name;
    QString parentRef; // the id of the container it was in ("" at the top level)
    QString parentName;
    Outcome outcome = Outcome::Sent;
    int httpStatus = 0;
    QByteArray requestId;
    QString message; // the reason of a failure, or a note

    static QString outcomeId(Outcome outcome); // "deleted", "no-answer", ... for CSV and --json
    static QString outcomeName(Outcome outcome); // for people
    static std::optional<Outcome> outcomeFromId(const QString &id);
};

// Which entries to read, newest first.
struct AuditQuery
{
    QString text; // matched (case-insensitively) against account, name, ids, message, request id
    std::optional<AuditEntry::Outcome> outcome;
    QString accountId;
    QDateTime since;
    int limit = 10000; // 0: no limit
};

} // namespace Docket
