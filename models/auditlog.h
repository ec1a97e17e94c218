#pragma once

#include "auditentry.h"
#include "deletionitem.h"
#include "sqlitesupport.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QList>
#include <QLockFile>
#include <QString>

#include <memory>
#include <optional>

class QIODevice;

namespace Docket {

// A batch that a run of Docket (this one or an earlier one) left with work owed.
struct BatchSummary
{
    qint64 id = 0;
    QDateTime created;
    QString origin; // "window" or "cli"
    int total = 0;
    QHash<DeletionState, int> counts;
    QStringList accounts; // account labels, as the batch recorded them
    QStringList accountIds;

    int count(DeletionState state) const { return counts.value(state); }
};

// Docket's record of deleting, in one SQLite file (Qt SQL):
//  - the journal: every batch and each of its items with where it stands, written before the
//    first request goes out and after every answer, so a batch survives Docket being killed;
//  - the audit trail: every DELETE sent and its outcome (account, service, kind, id, name,
//    parent, time, outcome, HTTP status, request id).
// Holds ids, names and outcomes, never a secret. Values are always bound, never spliced into SQL:
// ids and names come from services and are hostile input.
//
// The file is written through SQLite's write-ahead log. What must be on the disk before a request
// goes out (a new batch, each attempt) commits with synchronous=FULL, so it survives a power cut
// too; answers commit with synchronous=NORMAL, which survives the process being killed at any
// point, while a power cut may lose the last few (their items then read as sent without an answer,
// which resuming settles). Where SQLite cannot keep a write-ahead log (a file system without shared
// memory), every write is FULL and warning() says so.
// Each batch being worked on is claimed with a lock file (QLockFile), so a batch of a running
// Docket (the window and docket-cli share the file) is never mistaken for an interrupted one.
class AuditLog
{
public:
    // `path` is a file, or ":memory:" for a throwaway log.
    explicit AuditLog(const QString &path);
    ~AuditLog();

    bool open(QString *error);
    bool isOpen() const { return m_open; }
    QString path() const { return m_sqlite.path(); }
    QString lastError() const { return m_lastError; }
    // The journal mode SQLite really uses, as read back when the file was opened: "wal", or the
    // rollback journal it kept ("delete", ...; "memory" for ":memory:").
    QString journalMode() const { return m_journalMode; }
    // A sentence for the user when the trail is open but not as it should be (no write-ahead
    // log); empty when all is well.
    QString warning() const { return m_warning; }
    // PRAGMA synchronous on the connection now: 1 NORMAL, 2 FULL (-1: unreadable). For tests and
    // diagnostics.
    int synchronousLevel() const;

    // Saves a new batch with its items, in one transaction, and claims it; gives each item its
    // id and the batch id. Returns the batch id, or 0 on failure (then nothing was saved).
    qint64 createBatch(QList<DeletionItem> &items, const QString &origin);

    // Before a DELETE is sent: the item becomes InFlight with one more attempt, and the attempt
    // is recorded as Sent with the item's requestId (the X-Request-ID it will go out with).
    // Returns the attempt's id, or 0 on failure (then do not send).
    qint64 recordAttempt(DeletionItem &item);
    // The attempt's answer, and where the item stands after it (`item` as it is now).
    bool recordOutcome(qint64 attemptId, const DeletionItem &item, AuditEntry::Outcome outcome);
    // Where the item stands, without an attempt (back to Pending for a retry or a resume).
    bool recordState(const DeletionItem &item);
    // Items that end without a request being sent (cancelled, or their account is not open):
    // their state, and one line each in the trail with `outcome`. One transaction.
    bool recordUnsent(const QList<DeletionItem> &items, AuditEntry::Outcome outcome);

    // Batches with work owed that no running Docket has claimed.
    QList<BatchSummary> interruptedBatches();
    // Claims an interrupted batch for this process: what was InFlight becomes Unconfirmed and its
    // Sent attempt becomes NoAnswer. False if another running Docket holds it.
    bool claimBatch(qint64 batchId);
    // Lets go of a batch (when nothing is owed any more, or when this Docket stops).
    void releaseBatch(qint64 batchId);
    bool isClaimed(qint64 batchId) const { return m_claimed.contains(batchId); }
    QList<DeletionItem> batchItems(qint64 batchId) const;
    // The user chose not to resume: every item still owed becomes Cancelled.
    bool discardBatch(qint64 batchId);

    // The attempts `query` picks, newest first.
    QList<AuditEntry> entries(const AuditQuery &query = {}) const;
    // The same from the trail at `path`, read with a read-only connection of its own: for a
    // worker thread, so that reading a long trail never holds up the window. Sets *error (and
    // returns nothing) when the file cannot be read.
    static QList<AuditEntry> readEntries(const QString &path, const AuditQuery &query,
                                         QString *error);

    // RFC 4180 CSV with a header row. Names come from services and may be hostile: control and
    // format characters (escape sequences, direction overrides) become spaces, except line
    // breaks, which stay inside their quoted cell; a cell that a spreadsheet would run as a
    // formula (=, +, -, @ first, white space before it or not) gets a leading apostrophe.
    static bool writeCsv(const QList<AuditEntry> &entries, QIODevice *device);

    static constexpr int schemaVersion = 1;

private:
    enum class Durability { Normal = 1, Full = 2 }; // PRAGMA synchronous
    bool upgrade(int from, QString *error);
    bool useJournal(QString *error);
    bool useDurability(Durability level);
    bool beginWrite(Durability level);
    bool updateItem(const DeletionItem &item);
    static QList<AuditEntry> queryEntries(const QSqlDatabase &db, const AuditQuery &query,
                                          QString *error);
    bool fail(const QString &problem) const; // false, keeping the reason for lastError()
    qint64 noId(const QString &problem) const; // 0 (no batch, no attempt), keeping the reason
    bool lockBatch(qint64 batchId);
    QString lockPath(qint64 batchId) const;

    SqliteConnection m_sqlite;
    bool m_open = false;
    mutable QString m_lastError;
    QString m_journalMode;
    QString m_warning;
    bool m_writeAheadLog = false;
    std::optional<Durability> m_durability; // as last set on the connection
    QHash<qint64, std::shared_ptr<QLockFile>> m_claimed;
    // The statements every item runs, prepared once when the file is opened (see open()).
    // Declared after m_sqlite: they must be gone before the connection is.
    struct Statements;
    std::unique_ptr<Statements> m_statements;
    // Checkpoints run on a worker thread (see committed()).
    void committed();
    QFuture<void> m_checkpoint;
    int m_commitsSinceCheckpoint = 0;
};

} // namespace Docket
