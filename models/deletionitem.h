#pragma once

#include "apierror.h"
#include "remoteitem.h"
#include "servicekind.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Docket {

// Where one item of a deletion batch stands. Deleted, AlreadyGone, Failed and Cancelled are
// outcomes; the others mean work is still owed.
enum class DeletionState {
    Pending, // not sent yet (or sent, failed, and due to be sent again)
    InFlight, // the DELETE is out; no answer yet
    Waiting, // failed in a way worth retrying (timeout, reset, 5xx, 429); sent again after a pause
    Unconfirmed, // sent by a run of Docket that stopped before the answer came: may have happened
    Deleted, // the service confirmed it (2xx, or a 404 for a DELETE that was already sent once)
    AlreadyGone, // the first DELETE met a 404: something else removed it
    Failed, // the service refused, or every retry failed: the reason says why; it is still there
    Cancelled, // never sent (or not sent again) because the user cancelled: it is still there
};

// "pending", "in-flight", ... : stable ids for the journal, CSV and --json.
QString deletionStateId(DeletionState state);
std::optional<DeletionState> deletionStateFromId(const QString &id);
// "Deleted", "Failed", ... for people.
QString deletionStateName(DeletionState state);
bool isOutcome(DeletionState state);
// An outcome that means the item is no longer on the service.
inline bool isGone(DeletionState state)
{
    return state == DeletionState::Deleted || state == DeletionState::AlreadyGone;
}

// One item of a deletion batch: what to delete (enough to find it again after a restart and to
// tell a person what it was), and where it stands. Never holds a secret.
struct DeletionItem
{
    qint64 id = 0; // unique per journal (or per queue without one)
    qint64 batchId = 0;
    QString accountId;
    QString accountName; // the account's label when the batch was made
    ServiceKind service = ServiceKind::Scriptix;
    NodeRef ref;
    QString name; // as the tree showed it
    QString parentName; // the container it was in ("" for a top-level item)

    DeletionState state = DeletionState::Pending;
    int attempts = 0; // DELETE requests sent so far, in this run and earlier ones
    // Those sent since it was last submitted, resumed or retried: what the retry policy counts
    // (not kept in the journal).
    int attemptsThisRun = 0;
    int httpStatus = 0; // of the last answer (0: none)
    QByteArray requestId; // X-Request-ID of the last request
    QString reason; // why it failed, or a note on how it ended
    QDateTime updated;
    // An earlier DELETE of it may have taken effect though no success came back (a timeout, a
    // reset, a 5xx, a malformed answer, a run that stopped): a 404 now means it was deleted.
    bool mayHaveTakenEffect = false;
    ApiError error; // the last failure in this run (not kept in the journal)

    bool isFinished() const { return isOutcome(state); }
};

// How far a queue has got with everything submitted since it was last idle.
struct DeletionProgress
{
    int total = 0;
    int deleted = 0; // Deleted + AlreadyGone
    int failed = 0;
    int cancelled = 0;
    int inFlight = 0;
    int waiting = 0; // paused before a retry
    QString current; // the name of the item most recently sent
    qint64 millisecondsLeft = -1; // -1: not known yet
    bool rateLimited = false; // a service asked Docket to slow down; it is waiting
    QString auditProblem; // a journal write failed (the deletes went on); empty: none

    int finished() const { return deleted + failed + cancelled; }
    bool isIdle() const { return finished() == total; }
};

} // namespace Docket

Q_DECLARE_METATYPE(Docket::DeletionItem)
