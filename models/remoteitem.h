#pragma once

#include "servicekind.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace Docket {

// Where a node is under its account: its kind and the ids from the outermost container down to the
// node itself. A Scriptix comment is {ScriptixComment, {sessionId, documentId, commentId}}; an
// account is {Account, {}}. Connectors build every URL from these ids (always percent-encoded).
struct NodeRef
{
    NodeKind kind = NodeKind::Account;
    QStringList ids;

    QString id() const { return ids.isEmpty() ? QString() : ids.last(); }
    NodeRef child(NodeKind childKind, const QString &childId) const
    {
        return { childKind, ids + QStringList { childId } };
    }
    bool operator==(const NodeRef &other) const = default;
};

// One thing a service holds, as a row of the tree shows it.
struct RemoteItem
{
    NodeRef ref;
    QString name;
    QDateTime created; // invalid when unknown
    qint64 sizeBytes = -1; // -1: not applicable
    int pages = -1;
    int durationSeconds = -1;
    QString status; // the service's own word ("finished", "completed", "PHI")
    // How many children the listing already says this item has (a Scriptix session's documents,
    // a DocumentPro document's parser runs, an Invox consultation's or a Care360 case's files);
    // -1 when the listing does not say. Lets a delete confirmation count what goes with it.
    int childCount = -1;
    // Fields for the details pane and --json, as the service named them (never secrets).
    QVariantMap details;
};

// What a delete will do, said before it is done, so the window and the CLI can tell the user.
struct DeletePlan
{
    enum class Permanence { Permanent, Soft };
    Permanence permanence = Permanence::Permanent;
    // "the session and its 3 documents"; empty when nothing goes with it.
    QString cascade;
    // Counts of what goes with it, where known ({"documents": 3, "comments": 5}).
    QVariantMap cascadeCounts;
    // A sentence for people: "Permanently deletes ... This cannot be undone." / "Hides ... kept
    // by".
    QString explanation;
    // Why the service is known to refuse this delete (a Care360 file someone else uploaded), so
    // it is left out and not sent; empty when the service may delete it.
    QString refusal;
};

// What a service's answer to one DELETE proves (Connector::judgeDeleteAnswer() decides it from
// the whole answer; no outcome follows from a status code alone).
enum class DeleteOutcome {
    Deleted, // a 2xx whose body agrees with the service's documentation
    AlreadyGone, // the service's own documented "no such item", proven where it is ambiguous
    NotPermitted, // the service refused in its own words: this account may not delete it
    Failed, // not deleted: refused, redirected, or an answer that is not the service's
    Unknown, // sent, but no usable answer: it may or may not have been deleted
};

} // namespace Docket
