#include "auditlog.h"

#include "inerttext.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace Docket {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Docket::AuditLog", text);
}

QString idsText(const QStringList &ids)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact));
}

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
    item.service = serviceFromId(query.value(4).toString()).value_or(ServiceKind::Scriptix);
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

bool matches(const AuditEntry &entry, const QString &text)
{
    for (const QString &field :
         { entry.accountName, entry.name, entry.itemRef, entry.parentRef, entry.parentName,
           entry.message, QString::fromLatin1(entry.requestId) }) {
        if (field.contains(text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// Starts with what a spreadsheet runs as a formula (=, +, -, @), perhaps after white space that
// some spreadsheets skip.
bool looksLikeFormula(const QString &cell)
{
    for (const QChar c : cell) {
        if (!c.isSpace())
            return QStringView(u"=+-@").contains(c);
    }
    return false;
}

QString csvCell(const QString &value)
{
    // Names and messages come from services: an escape sequence or a direction override must not
    // reach the terminal that shows the file, nor a CR hide a cell. A line break is CSV's own.
    QString cell = inertText(value, u"\n");
    if (looksLikeFormula(cell))
        cell.prepend(u'\'');
    if (cell.contains(u',') || cell.contains(u'"') || cell.contains(u'\n') || cell.contains(u'\r'))
        cell = u'"' + cell.replace(u'"', QLatin1String("\"\"")) + u'"';
    return cell;
}

// Runs `work(db)` with a connection of its own to the trail at `path`, opened with `options`, for
// a worker thread: Qt SQL connections belong to the thread that made them. Returns false, with
// why, when the file cannot be opened.
template<typename Work>
bool withOwnConnection(const QString &path, const QString &purpose, const QString &options,
                       QString *error, Work &&work)
{
    const QString name = purpose + QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool opened = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        opened = db.open();
        if (opened)
            work(db);
        else if (error)
            *error = sqlProblem(db.lastError());
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return opened;
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
    m_lastError = problem;
    return false;
}

qint64 AuditLog::noId(const QString &problem) const
{
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
    if (!m_open)
        return noId(tr("The audit trail is not open."));
    // On the disk before the first request goes out, power cut or not.
    if (!useDurability(Durability::Full))
        return 0;
    QSqlDatabase db = m_sqlite.database();
    if (!db.transaction())
        return noId(sqlProblem(db.lastError()));
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
    return batchId;
}

qint64 AuditLog::recordAttempt(DeletionItem &item)
{
    if (!m_open)
        return noId(tr("The audit trail is not open."));
    // A DELETE that went out must never be missing from the trail, power cut or not.
    if (!useDurability(Durability::Full))
        return 0;
    QSqlDatabase db = m_sqlite.database();
    if (!db.transaction())
        return noId(sqlProblem(db.lastError()));
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
    return attemptId;
}

bool AuditLog::recordOutcome(qint64 attemptId, const DeletionItem &item,
                             AuditEntry::Outcome outcome)
{
    m_lastError.clear();
    if (!m_open)
        return fail(tr("The audit trail is not open."));
    // An answer lost to a power cut leaves its attempt Sent: resuming asks the service again.
    if (!useDurability(Durability::Normal))
        return false;
    QSqlDatabase db = m_sqlite.database();
    if (!db.transaction())
        return fail(sqlProblem(db.lastError()));
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
    if (!m_open)
        return fail(tr("The audit trail is not open."));
    // Nothing was sent: a power cut that loses this leaves the items owed, to be resumed.
    if (!useDurability(Durability::Normal))
        return false;
    QSqlDatabase db = m_sqlite.database();
    if (!db.transaction())
        return fail(sqlProblem(db.lastError()));
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
    if (!useDurability(Durability::Normal) || !lockBatch(batchId))
        return false;
    QSqlDatabase db = m_sqlite.database();
    if (!db.transaction())
        return fail(sqlProblem(db.lastError()));
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

QList<AuditEntry> AuditLog::entries(const AuditQuery &filter) const
{
    if (!m_open)
        return {};
    QString problem;
    const QList<AuditEntry> result = queryEntries(m_sqlite.database(), filter, &problem);
    if (!problem.isEmpty())
        fail(problem);
    return result;
}

QList<AuditEntry> AuditLog::readEntries(const QString &path, const AuditQuery &filter,
                                        QString *error)
{
    QList<AuditEntry> result;
    error->clear();
    // Read-only, beside whoever writes (in WAL mode readers never wait for it; without, the busy
    // timeout lets them).
    withOwnConnection(path, QStringLiteral("docket-audit-reader-"),
                      QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"), error,
                      [&](QSqlDatabase &db) { result = queryEntries(db, filter, error); });
    return result;
}

QList<AuditEntry> AuditLog::queryEntries(const QSqlDatabase &db, const AuditQuery &filter,
                                         QString *error)
{
    QList<AuditEntry> result;
    QString sql = QStringLiteral(
        "SELECT attempts.id, items.batch_id, items.id, attempts.attempt, attempts.time,"
        " attempts.answered, items.account_id, items.account_name, items.service, items.kind,"
        " items.ids, items.name, items.parent_name, attempts.outcome, attempts.http_status,"
        " attempts.request_id, attempts.message"
        " FROM attempts JOIN items ON items.id = attempts.item_id WHERE 1 = 1");
    QVariantList values;
    if (filter.outcome) {
        sql += QStringLiteral(" AND attempts.outcome = ?");
        values.append(AuditEntry::outcomeId(*filter.outcome));
    }
    if (!filter.accountId.isEmpty()) {
        sql += QStringLiteral(" AND items.account_id = ?");
        values.append(filter.accountId);
    }
    if (filter.since.isValid()) {
        sql += QStringLiteral(" AND attempts.time >= ?");
        values.append(filter.since.toMSecsSinceEpoch());
    }
    sql += QStringLiteral(" ORDER BY attempts.time DESC, attempts.id DESC");
    // The text is matched here, not in SQL: SQLite's lower() folds ASCII only ("Ü" ≠ "ü"), and
    // LIKE would read % and _ in what the user typed as wildcards.
    if (filter.limit > 0 && filter.text.isEmpty())
        sql += QStringLiteral(" LIMIT %1").arg(filter.limit);

    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : std::as_const(values))
        query.addBindValue(value);
    if (!query.exec()) {
        *error = sqlProblem(query.lastError());
        return result;
    }
    while (query.next()) {
        AuditEntry entry;
        entry.id = query.value(0).toLongLong();
        entry.batchId = query.value(1).toLongLong();
        entry.itemId = query.value(2).toLongLong();
        entry.attempt = query.value(3).toInt();
        entry.time = sqlDateTime(query.value(4));
        entry.answered = sqlDateTime(query.value(5));
        entry.accountId = query.value(6).toString();
        entry.accountName = query.value(7).toString();
        entry.service = serviceFromId(query.value(8).toString()).value_or(ServiceKind::Scriptix);
        entry.kind = nodeKindFrom(entry.service, query.value(9).toString());
        const QStringList ids = idsFrom(query.value(10).toString());
        entry.itemRef = ids.value(ids.size() - 1);
        entry.parentRef = ids.size() > 1 ? ids.at(ids.size() - 2) : QString();
        entry.name = query.value(11).toString();
        entry.parentName = query.value(12).toString();
        entry.outcome = AuditEntry::outcomeFromId(query.value(13).toString())
                            .value_or(AuditEntry::Outcome::Sent);
        entry.httpStatus = query.value(14).toInt();
        entry.requestId = query.value(15).toString().toLatin1();
        entry.message = query.value(16).toString();
        if (!filter.text.isEmpty() && !matches(entry, filter.text))
            continue;
        result.append(entry);
        if (filter.limit > 0 && result.size() == filter.limit)
            break;
    }
    return result;
}

bool AuditLog::writeCsv(const QList<AuditEntry> &entries, QIODevice *device)
{
    const auto line = [device](const QStringList &cells) {
        QStringList quoted;
        for (const QString &cell : cells)
            quoted.append(csvCell(cell));
        return device->write((quoted.join(u',') + QLatin1String("\r\n")).toUtf8()) >= 0;
    };
    bool ok
        = line({ QStringLiteral("time"), QStringLiteral("account"), QStringLiteral("service"),
                 QStringLiteral("kind"), QStringLiteral("id"), QStringLiteral("name"),
                 QStringLiteral("parent_id"), QStringLiteral("parent"), QStringLiteral("outcome"),
                 QStringLiteral("http_status"), QStringLiteral("request_id"),
                 QStringLiteral("message"), QStringLiteral("batch"), QStringLiteral("attempt") });
    for (const AuditEntry &entry : entries) {
        if (!ok)
            break;
        ok = line({ entry.time.toUTC().toString(Qt::ISODateWithMs), entry.accountName,
                    serviceId(entry.service), nodeKindId(entry.kind), entry.itemRef, entry.name,
                    entry.parentRef, entry.parentName, AuditEntry::outcomeId(entry.outcome),
                    entry.httpStatus ? QString::number(entry.httpStatus) : QString(),
                    QString::fromLatin1(entry.requestId), entry.message,
                    QString::number(entry.batchId), QString::number(entry.attempt) });
    }
    return ok;
}

} // namespace Docket
