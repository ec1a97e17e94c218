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

// Where one item of a deletion batch stands. Deleted, AlreadyGone, NotPermitted, Failed, Unknown,
// Changed and Cancelled are outcomes; the others mean work is still owed. Only Deleted and
// AlreadyGone say the item is no longer on the service, and each only on the service's proof.
enum class DeletionState {
    Pending, // not sent yet (or sent, failed, and due to be sent again)
    InFlight, // the DELETE is out; no answer yet
    Waiting, // failed in a way worth retrying (timeout, reset, 5xx, 429); sent again after a pause
    Unconfirmed, // sent by a run of Docket that stopped before the answer came: may have happened
    Deleted, // the service confirmed it: a 2xx whose body agrees with its documentation
    AlreadyGone, // the service said, in its own documented way, that it holds no such item
    NotPermitted, // the service refused: this account may not delete it; it is still there
    Failed, // not deleted: refused, redirected, or answered by something other than the service
    Unknown, // sent, but no usable answer came (every retry included): it may have been deleted
    Changed, // not sent again: looked up before resuming, it is not the item the batch named
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

// An outcome that leaves the item on the service for a reason other than the user's cancel.
inline bool isProblem(DeletionState state)
{
    return state == DeletionState::Failed || state == DeletionState::NotPermitted
        || state == DeletionState::Unknown || state == DeletionState::Changed;
}
// An outcome that sending the same DELETE again may change: not a refusal of this account, and
// not an item that is no longer the one the user chose.
inline bool isRetryable(DeletionState state)
{
    return state == DeletionState::Failed || state == DeletionState::Unknown
        || state == DeletionState::Cancelled;
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
    // reset, a 5xx, a malformed answer, a run that stopped): a documented 404 now most likely
    // means that earlier one deleted it, and without proof either way it ends Unknown.
    bool mayHaveTakenEffect = false;
    ApiError error; // the last failure in this run (not kept in the journal)
    // Resumed from the journal: looked up where it was, and sent only if it is still the item
    // named (not kept in the journal: every resume looks again).
    bool reidentify = false;

    bool isFinished() const { return isOutcome(state); }
};

// How far a queue has got with everything submitted since it was last idle.
struct DeletionProgress
{
    int total = 0;
    int deleted = 0; // Deleted + AlreadyGone
    int failed = 0;
    int notPermitted = 0;
    int unknown = 0; // sent, no usable answer: may have been deleted
    int changed = 0; // not sent on resume: no longer the item the batch named
    int cancelled = 0;
    int inFlight = 0;
    int waiting = 0; // paused before a retry
    QString current; // the name of the item most recently sent
    qint64 millisecondsLeft = -1; // -1: not known yet
    bool rateLimited = false; // a service asked Docket to slow down; it is waiting
    QString auditProblem; // a journal write failed (the deletes went on); empty: none

    int finished() const { return deleted + notDeleted(); }
    // Every outcome but gone: the rows that stay, each with its reason.
    int notDeleted() const { return failed + notPermitted + unknown + changed + cancelled; }
    bool isIdle() const { return finished() == total; }
};

} // namespace Docket

Q_DECLARE_METATYPE(Docket::DeletionItem)
