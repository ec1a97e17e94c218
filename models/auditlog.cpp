#include "auditlog.h"

#include "auditlogsupport.h"
#include "logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentRun>

namespace Docket {

namespace AuditLogSupport {

QStringList idsFrom(const QString &text)
{
    QStringList ids;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array)
        ids.append(value.toString());
    return ids;
}

// nodeKindId() names are unique only within a service ("document").
NodeKind nodeKindFrom(ServiceKind service, const QString &id)
{
    for (NodeKind kind : nodeKindsByDepth(service)) {
        if (nodeKindId(kind) == id)
            return kind;
    }
    return NodeKind::Account;
}

} // namespace AuditLogSupport

using namespace AuditLogSupport;

namespace {

QString idsText(const QStringList &ids)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact));
}

// The columns of `items` that DeletionItem reads back, in this order.
const QString itemColumns = QStringLiteral(
    "items.id, items.batch_id, items.account_id, items.account_name, items.service, items.kind, "
    "items.ids, items.name, items.parent_name, items.state, items.attempts, items.http_status, "
    "items.request_id, items.reason, items.updated");

DeletionItem itemFrom(const QSqlQuery &query)
{
    DeletionItem item;
    item.id = query.value(0).toLongLong();
    item.batchId = query.value(1).toLongLong();
    item.accountId = query.value(2).toString();
    item.accountName = query.value(3).toString();
    item.service = serviceFromId(query.value(4).toString()).value_or(unknownService);
    item.ref.kind = nodeKindFrom(item.service, query.value(5).toString());
    item.ref.ids = idsFrom(query.value(6).toString());
    item.name = query.value(7).toString();
    item.parentName = query.value(8).toString();
    item.state = deletionStateFromId(query.value(9).toString()).value_or(DeletionState::Pending);
    item.attempts = query.value(10).toInt();
    item.httpStatus = query.value(11).toInt();
    item.requestId = query.value(12).toString().toLatin1();
    item.reason = query.value(13).toString();
    item.updated = sqlDateTime(query.value(14));
    return item;
}

// A checkpoint (the write-ahead log copied into the database file), on a worker thread.
void checkpoint(const QString &path)
{
    withOwnConnection(path, QStringLiteral("docket-audit-checkpoint-"), QString(), nullptr,
                      [](QSqlDatabase &db) {
                          // PASSIVE: copies what it can, never waiting for the writer nor
                          // blocking it.
                          QSqlQuery(db).exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
                      });
}

// Commits between two background checkpoints: about 400 pages of log (an item commits twice).
constexpr int checkpointEvery = 100;

} // namespace

// Each item of a batch runs these (an attempt before its DELETE, the answer after it): prepared
// once, not per item. Parsing the SQL again for every item was about 40% of its journal cost
// (bench_deletion: 210 -> 125 us of CPU per item).
struct AuditLog::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : insertAttempt(db)
        , answerAttempt(db)
        , updateItem(db)
    { }

    bool prepare(QString *error)
    {
        const bool ok = insertAttempt.prepare(
                            QStringLiteral("INSERT INTO attempts (item_id, attempt, time, outcome, "
                                           "request_id) VALUES (?, ?, ?, ?, ?)"))
            && answerAttempt.prepare(
                QStringLiteral("UPDATE attempts SET answered = ?, outcome = ?, http_status = ?, "
                               "request_id = ?, message = ? WHERE id = ?"))
            && updateItem.prepare(
                QStringLiteral("UPDATE items SET state = ?, attempts = ?, http_status = ?, "
                               "request_id = ?, reason = ?, updated = ? WHERE id = ?"));
        if (!ok) {
            for (const QSqlQuery *query : { &insertAttempt, &answerAttempt, &updateItem }) {
                if (query->lastError().isValid()) {
                    *error = sqlProblem(query->lastError());
                    break;
                }
            }
        }
        return ok;
    }

    QSqlQuery insertAttempt;
    QSqlQuery answerAttempt;
    QSqlQuery updateItem;
};

AuditLog::AuditLog(const QString &path)
    : m_sqlite(QStringLiteral("docket-audit"), path)
{ }

AuditLog::~AuditLog()
{
    m_checkpoint.waitForFinished();
    m_statements.reset(); // before the connection goes
    for (const auto &lock : std::as_const(m_claimed))
        lock->unlock();
}

bool AuditLog::fail(const QString &problem) const
{
    qCInfo(lcAudit).noquote() << "not recorded:" << problem;
    m_lastError = problem;
    return false;
}

qint64 AuditLog::noId(const QString &problem) const
{
    qCInfo(lcAudit).noquote() << "not recorded:" << problem;
    m_lastError = problem;
    return 0;
}

bool AuditLog::open(QString *error)
{
    if (!m_sqlite.isMemory())
        QDir().mkpath(QFileInfo(m_sqlite.path()).absolutePath());
    QString problem;
    m_open = m_sqlite.open(
        schemaVersion, [this](int from, QString *why) { return upgrade(from, why); }, &problem);
    if (m_open)
        m_open = useJournal(&problem);
    if (m_open) {
        m_open = useDurability(Durability::Full);
        problem = m_lastError;
    }
    if (m_open) {
        m_statements = std::make_unique<Statements>(m_sqlite.database());
        m_open = m_statements->prepare(&problem);
    }
    if (!m_open) {
        m_lastError = tr("Docket could not open its audit trail “%1”: %2")
                          .arg(QDir::toNativeSeparators(m_sqlite.path()), problem);
        if (error)
            *error = m_lastError;
        qCInfo(lcAudit).noquote() << "cannot open the trail:" << m_lastError;
    } else {
        qCInfo(lcAudit).noquote() << "trail open:" << QDir::toNativeSeparators(m_sqlite.path())
                                  << "journal mode" << m_journalMode;
    }
    return m_open;
}

// Asks for the write-ahead log and reads back what SQLite gave: on a file system without shared
// memory (some network shares) it keeps its rollback journal without an error, and ":memory:"
// has its own. See the class comment.
bool AuditLog::useJournal(QString *error)
{
    QSqlQuery pragma(m_sqlite.database());
    if (!pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !pragma.next()) {
        *error = sqlProblem(pragma.lastError());
        return false;
    }
    m_journalMode = pragma.value(0).toString().toLower();
    pragma.finish();
    m_writeAheadLog = m_journalMode == QLatin1String("wal");
    m_warning.clear();
    if (!m_writeAheadLog && !m_sqlite.isMemory()) {
        m_warning = tr("The audit trail “%1” cannot use SQLite's write-ahead log on this file "
                       "system (it kept journal mode “%2”): every write now waits for the disk, "
                       "which is slower but as safe.")
                        .arg(QDir::toNativeSeparators(m_sqlite.path()), m_journalMode);
    }
    // SQLite's own checkpoints (kept as a backstop, should the worker's fall behind) would sync on
    // this thread: see committed().
    if (m_writeAheadLog && !pragma.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 10000"))) {
        *error = sqlProblem(pragma.lastError());
        return false;
    }
    return true;
}

// Set between transactions (SQLite applies it at each commit). Without a write-ahead log, SQLite
// warns that NORMAL may corrupt the file in a power cut on some file systems: FULL for all then.
// Not a prepared statement: SQLite applies this pragma when it compiles it, so running a prepared
// one again may do nothing.
bool AuditLog::useDurability(Durability level)
{
    if (!m_writeAheadLog)
        level = Durability::Full;
    if (m_durability == level)
        return true;
    QSqlQuery pragma(m_sqlite.database());
    if (!pragma.exec(level == Durability::Full ? QStringLiteral("PRAGMA synchronous = FULL")
                                               : QStringLiteral("PRAGMA synchronous = NORMAL")))
        return fail(sqlProblem(pragma.lastError()));
    m_durability = level;
    return true;
}

// The start of every write: the trail open, `level` for the commit to come, a transaction begun.
// False, with the reason kept for lastError(), when any of them is not so.
bool AuditLog::beginWrite(Durability level)
{
    if (!m_open)
        return fail(tr("The audit trail is not open."));
    if (!useDurability(level))
        return false;
    QSqlDatabase db = m_sqlite.database();
    return db.transaction() || fail(sqlProblem(db.lastError()));
}

int AuditLog::synchronousLevel() const
{
    QSqlQuery pragma(m_sqlite.database());
    return pragma.exec(QStringLiteral("PRAGMA synchronous")) && pragma.next()
        ? pragma.value(0).toInt()
        : -1;
}

bool AuditLog::upgrade(int from, QString *error)
{
    QSqlQuery query(m_sqlite.database());
    const QStringList steps = {
        // Times are ms since the epoch, UTC.
        QStringLiteral("CREATE TABLE batches ("
                       " id INTEGER PRIMARY KEY,"
                       " created INTEGER NOT NULL,"
                       " origin TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE items ("
                       " id INTEGER PRIMARY KEY,"
                       " batch_id INTEGER NOT NULL REFERENCES batches (id),"
                       " account_id TEXT NOT NULL,"
                       " account_name TEXT NOT NULL,"
                       " service TEXT NOT NULL,"
                       " kind TEXT NOT NULL,"
                       " ids TEXT NOT NULL," // JSON array, outermost container first
                       " name TEXT NOT NULL,"
                       " parent_name TEXT NOT NULL,"
                       " state TEXT NOT NULL,"
                       " attempts INTEGER NOT NULL DEFAULT 0,"
                       " http_status INTEGER NOT NULL DEFAULT 0,"
                       " request_id TEXT NOT NULL DEFAULT '',"
                       " reason TEXT NOT NULL DEFAULT '',"
                       " updated INTEGER NOT NULL)"),
        QStringLiteral("CREATE INDEX items_by_batch ON items (batch_id, state)"),
        QStringLiteral("CREATE TABLE attempts ("
                       " id INTEGER PRIMARY KEY,"
                       " item_id INTEGER NOT NULL REFERENCES items (id),"
                       " attempt INTEGER NOT NULL,"
                       " time INTEGER NOT NULL,"
                       " answered INTEGER,"
                       " outcome TEXT NOT NULL,"
                       " http_status INTEGER NOT NULL DEFAULT 0,"
                       " request_id TEXT NOT NULL DEFAULT '',"
                       " message TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE INDEX attempts_by_time ON attempts (time)"),
        QStringLiteral("CREATE INDEX attempts_by_item ON attempts (item_id)"),
    };
    if (from >= 1)
        return true;
    for (const QString &step : steps) {
        if (!query.exec(step)) {
            *error = sqlProblem(query.lastError());
            return false;
        }
    }
    return true;
}

qint64 AuditLog::createBatch(QList<DeletionItem> &items, const QString &origin)
{
    // On the disk before the first request goes out, power cut or not.
    if (!beginWrite(Durability::Full))
        return 0;
    QSqlDatabase db = m_sqlite.database();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO batches (created, origin) VALUES (?, ?)"));
    query.addBindValue(now);
    query.addBindValue(sqlText(origin));
    bool ok = query.exec();
    const qint64 batchId = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral(
        "INSERT INTO items (batch_id, account_id, account_name, service, kind, ids, name, "
        "parent_name, state, attempts, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (DeletionItem &item : items) {
        if (!ok)
            break;
        item.batchId = batchId;
        item.updated = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
        query.addBindValue(batchId);
        query.addBindValue(sqlText(item.accountId));
        query.addBindValue(sqlText(item.accountName));
        query.addBindValue(serviceId(item.service));
        query.addBindValue(nodeKindId(item.ref.kind));
        query.addBindValue(idsText(item.ref.ids));
        query.addBindValue(sqlText(item.name));
        query.addBindValue(sqlText(item.parentName));
        query.addBindValue(deletionStateId(item.state));
        query.addBindValue(item.attempts);
        query.addBindValue(now);
        ok = query.exec();
        item.id = query.lastInsertId().toLongLong();
    }
    // Claimed before it is committed: no other Docket ever sees it unclaimed, as if interrupted.
    const bool locked = ok && lockBatch(batchId);
    if (!ok || !locked || !db.commit()) {
        const QString problem = !ok ? sqlProblem(query.lastError())
            : locked                ? sqlProblem(db.lastError())
                                    : m_lastError;
        db.rollback();
        if (locked)
            releaseBatch(batchId);
        return noId(problem);
    }
    committed();
    qCInfo(lcAudit) << "batch" << batchId << "recorded with" << items.size() << "items";
    return batchId;
}

qint64 AuditLog::recordAttempt(DeletionItem &item)
{
    // A DELETE that went out must never be missing from the trail, power cut or not.
    if (!beginWrite(Durability::Full))
        return 0;
    QSqlDatabase db = m_sqlite.database();
    DeletionItem sent = item;
    sent.state = DeletionState::InFlight;
    sent.attempts = item.attempts + 1;
    sent.updated = QDateTime::currentDateTimeUtc();
    QSqlQuery &query = m_statements->insertAttempt;
    query.addBindValue(item.id);
    query.addBindValue(sent.attempts);
    query.addBindValue(sent.updated.toMSecsSinceEpoch());
    query.addBindValue(AuditEntry::outcomeId(AuditEntry::Outcome::Sent));
    // Known before it goes out, so a request that never got an answer can still be matched
    // with the service's logs.
    query.addBindValue(sqlText(QString::fromLatin1(item.requestId)));
    const bool inserted = query.exec();
    const qint64 attemptId = query.lastInsertId().toLongLong();
    if (!inserted || !updateItem(sent) || !db.commit()) {
        const QString problem = inserted ? m_lastError : sqlProblem(query.lastError());
        db.rollback();
        return noId(problem.isEmpty() ? sqlProblem(db.lastError()) : problem);
    }
    committed();
    item = sent;
    qCInfo(lcAudit).noquote() << "attempt" << attemptId
                              << "recorded before sending:" << loggedItem(item);
    return attemptId;
}

bool AuditLog::recordOutcome(qint64 attemptId, const DeletionItem &item,
                             AuditEntry::Outcome outcome)
{
    m_lastError.clear();
    // An answer lost to a power cut leaves its attempt Sent: resuming asks the service again.
    if (!beginWrite(Durability::Normal))
        return false;
    QSqlDatabase db = m_sqlite.database();
    QSqlQuery &query = m_statements->answerAttempt;
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(AuditEntry::outcomeId(outcome));
    query.addBindValue(item.httpStatus);
    query.addBindValue(sqlText(QString::fromLatin1(item.requestId)));
    query.addBindValue(sqlText(item.reason));
    query.addBindValue(attemptId);
    if (!query.exec() || !updateItem(item) || !db.commit()) {
        const QString problem = m_lastError.isEmpty() ? sqlProblem(query.lastError()) : m_lastError;
        db.rollback();
        return fail(problem);
    }
    committed();
    qCInfo(lcAudit).noquote() << "attempt" << attemptId
                              << "answer recorded:" << AuditEntry::outcomeId(outcome)
                              << loggedItem(item);
    return true;
}

// With synchronous=NORMAL a commit does not wait for the disk (a FULL one syncs the log only),
// but a checkpoint syncs it twice.
// SQLite's automatic one ran in the commit that crossed 1,000 pages, on the event loop: up to
// 60 ms each on a busy disk, every hundred items or so. So checkpoints run on a worker instead
// (bench_deletion: 1,000 deletes 20% faster, no stall above 27 ms where there were 200 ms ones).
void AuditLog::committed()
{
    if (!m_writeAheadLog || ++m_commitsSinceCheckpoint < checkpointEvery
        || m_checkpoint.isRunning())
        return;
    m_commitsSinceCheckpoint = 0;
    m_checkpoint = QtConcurrent::run(checkpoint, m_sqlite.path());
}

bool AuditLog::recordState(const DeletionItem &item)
{
    if (!m_open)
        return fail(tr("The audit trail is not open."));
    return useDurability(Durability::Normal) && updateItem(item);
}

bool AuditLog::updateItem(const DeletionItem &item)
{
    m_lastError.clear();
    QSqlQuery &query = m_statements->updateItem;
    query.addBindValue(deletionStateId(item.state));
    query.addBindValue(item.attempts);
    query.addBindValue(item.httpStatus);
    query.addBindValue(sqlText(QString::fromLatin1(item.requestId)));
    query.addBindValue(sqlText(item.reason));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(item.id);
    return query.exec() || fail(sqlProblem(query.lastError()));
}

bool AuditLog::recordUnsent(const QList<DeletionItem> &items, AuditEntry::Outcome outcome)
{
    // Nothing was sent: a power cut that loses this leaves the items owed, to be resumed.
    if (!beginWrite(Durability::Normal))
        return false;
    QSqlDatabase db = m_sqlite.database();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO attempts (item_id, attempt, time, answered, "
                                 "outcome, message) VALUES (?, 0, ?, ?, ?, ?)"));
    bool ok = true;
    for (const DeletionItem &item : items) {
        query.addBindValue(item.id);
        query.addBindValue(now);
        query.addBindValue(now);
        query.addBindValue(AuditEntry::outcomeId(outcome));
        query.addBindValue(sqlText(item.reason));
        ok = query.exec() && updateItem(item);
        if (!ok)
            break;
    }
    if (!ok || !db.commit()) {
        const QString problem = m_lastError.isEmpty() ? sqlProblem(query.lastError()) : m_lastError;
        db.rollback();
        return fail(problem);
    }
    qCInfo(lcAudit).noquote() << items.size()
                              << "items recorded as not sent:" << AuditEntry::outcomeId(outcome);
    return true;
}

QString AuditLog::lockPath(qint64 batchId) const
{
    return m_sqlite.path() + QStringLiteral(".batch-%1.lock").arg(batchId);
}

bool AuditLog::lockBatch(qint64 batchId)
{
    if (m_claimed.contains(batchId))
        return true;
    auto lock = std::make_shared<QLockFile>(lockPath(batchId));
    // A lock left by a process that no longer runs is stale at once: its batch is interrupted.
    lock->setStaleLockTime(0);
    if (!m_sqlite.isMemory() && !lock->tryLock(0))
        return fail(tr("Another Docket is working on this batch."));
    m_claimed.insert(batchId, lock);
    return true;
}

void AuditLog::releaseBatch(qint64 batchId)
{
    if (const auto lock = m_claimed.take(batchId))
        lock->unlock();
}

QList<BatchSummary> AuditLog::interruptedBatches()
{
    QList<BatchSummary> batches;
    if (!m_open)
        return batches;
    QSqlQuery query(m_sqlite.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT batches.id, batches.created, batches.origin, items.state, COUNT(*)"
        " FROM batches JOIN items ON items.batch_id = batches.id"
        " WHERE batches.id IN (SELECT DISTINCT batch_id FROM items"
        "                      WHERE state IN ('pending', 'in-flight', 'waiting', 'unconfirmed'))"
        " GROUP BY batches.id, items.state ORDER BY batches.id"));
    if (!query.exec()) {
        fail(sqlProblem(query.lastError()));
        return batches;
    }
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        if (batches.isEmpty() || batches.last().id != id) {
            BatchSummary summary;
            summary.id = id;
            summary.created = sqlDateTime(query.value(1));
            summary.origin = query.value(2).toString();
            batches.append(summary);
        }
        BatchSummary &summary = batches.last();
        const int count = query.value(4).toInt();
        summary.total += count;
        summary
            .counts[deletionStateFromId(query.value(3).toString()).value_or(DeletionState::Pending)]
            += count;
    }
    query.finish();
    query.prepare(QStringLiteral("SELECT DISTINCT account_id, account_name FROM items"
                                 " WHERE batch_id = ? ORDER BY account_name"));
    for (BatchSummary &summary : batches) {
        query.addBindValue(summary.id);
        if (!query.exec())
            continue;
        while (query.next()) {
            summary.accountIds.append(query.value(0).toString());
            summary.accounts.append(query.value(1).toString());
        }
    }
    // Batches that this process or another running Docket is working on are not interrupted.
    QList<BatchSummary> interrupted;
    for (const BatchSummary &batch : std::as_const(batches)) {
        if (m_claimed.contains(batch.id))
            continue;
        QLockFile probe(lockPath(batch.id));
        probe.setStaleLockTime(0);
        if (m_sqlite.isMemory() || probe.tryLock(0)) {
            probe.unlock();
            interrupted.append(batch);
        }
    }
    return interrupted;
}

bool AuditLog::claimBatch(qint64 batchId)
{
    if (!m_open)
        return fail(tr("The audit trail is not open."));
    // A claim lost to a power cut is made again at the next start.
    if (!lockBatch(batchId) || !beginWrite(Durability::Normal))
        return false;
    QSqlDatabase db = m_sqlite.database();
    QSqlQuery query(db);
    // What the stopped run had sent without an answer may or may not have happened.
    query.prepare(QStringLiteral("UPDATE attempts SET outcome = ? WHERE outcome = ? AND item_id IN"
                                 " (SELECT id FROM items WHERE batch_id = ?)"));
    query.addBindValue(AuditEntry::outcomeId(AuditEntry::Outcome::NoAnswer));
    query.addBindValue(AuditEntry::outcomeId(AuditEntry::Outcome::Sent));
    query.addBindValue(batchId);
    bool ok = query.exec();
    if (ok) {
        query.prepare(QStringLiteral(
            "UPDATE items SET state = ? WHERE batch_id = ? AND state IN ('in-flight', 'waiting')"));
        query.addBindValue(deletionStateId(DeletionState::Unconfirmed));
        query.addBindValue(batchId);
        ok = query.exec();
    }
    if (!ok || !db.commit()) {
        const QString problem = sqlProblem(ok ? db.lastError() : query.lastError());
        db.rollback();
        releaseBatch(batchId);
        return fail(problem);
    }
    qCInfo(lcAudit) << "batch" << batchId << "claimed to resume";
    return true;
}

QList<DeletionItem> AuditLog::batchItems(qint64 batchId) const
{
    QList<DeletionItem> items;
    QSqlQuery query(m_sqlite.database());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT %1 FROM items WHERE batch_id = ? ORDER BY id").arg(itemColumns));
    query.addBindValue(batchId);
    if (!query.exec()) {
        fail(sqlProblem(query.lastError()));
        return items;
    }
    while (query.next())
        items.append(itemFrom(query));
    return items;
}

bool AuditLog::discardBatch(qint64 batchId)
{
    if (isClaimed(batchId))
        return fail(tr("This batch is being worked on."));
    if (!claimBatch(batchId))
        return false;
    QList<DeletionItem> owed;
    for (DeletionItem item : batchItems(batchId)) {
        if (item.isFinished())
            continue;
        if (item.state == DeletionState::Unconfirmed)
            item.reason = tr("Not resumed. The delete was sent but never confirmed: refresh to see "
                             "whether it happened.");
        else
            item.reason = tr("Not resumed: never sent.");
        item.state = DeletionState::Cancelled;
        owed.append(item);
    }
    const bool ok = recordUnsent(owed, AuditEntry::Outcome::Cancelled);
    releaseBatch(batchId);
    return ok;
}

} // namespace Docket
