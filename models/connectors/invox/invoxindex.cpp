#include "invoxindex.h"

#include "sqlitesupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace Docket {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Docket::InvoxIndex", text);
}

} // namespace

InvoxIndex::InvoxIndex(const QString &databasePath)
    : m_sqlite(QStringLiteral("docket-invox-index"), databasePath)
{ }

InvoxIndex::~InvoxIndex() = default;

QSqlDatabase InvoxIndex::database() const
{
    return m_sqlite.database();
}

bool InvoxIndex::open(QString *error)
{
    QString problem;
    m_open = m_sqlite.open(
        schemaVersion, [this](int from, QString *why) { return migrate(from, why); }, &problem);
    if (!m_open) {
        const QString sentence = tr("Docket could not open its Invox document index “%1”: %2")
                                     .arg(m_sqlite.path(), problem);
        setLastError(sentence);
        if (error)
            *error = sentence;
        return false;
    }
    setLastError({});
    return true;
}

// Each step moves the schema up by one version (SqliteConnection runs them in one transaction).
bool InvoxIndex::migrate(int from, QString *error)
{
    QSqlQuery query(database());
    const auto run = [&](const QString &statement) {
        if (query.exec(statement))
            return true;
        *error = sqlProblem(query.lastError());
        return false;
    };
    if (from < 1) {
        return run(QStringLiteral("CREATE TABLE IF NOT EXISTS documents ("
                                  " account_id TEXT NOT NULL,"
                                  " document_id TEXT NOT NULL,"
                                  " consultation_session_id TEXT NOT NULL,"
                                  " document_name TEXT NOT NULL DEFAULT '',"
                                  " document_type TEXT NOT NULL DEFAULT '',"
                                  " size_bytes INTEGER NOT NULL DEFAULT -1,"
                                  " added_at INTEGER," // ms since the epoch, UTC; NULL: unknown
                                  " origin TEXT NOT NULL DEFAULT '',"
                                  " PRIMARY KEY (account_id, document_id))"))
            && run(QStringLiteral("CREATE INDEX IF NOT EXISTS documents_by_consultation"
                                  " ON documents (account_id, consultation_session_id)"));
    }
    return true;
}

QList<QPair<QString, int>> InvoxIndex::consultations(const QString &accountId) const
{
    QList<QPair<QString, int>> result;
    for (const Consultation &consultation : consultationSummaries(accountId))
        result.append({ consultation.consultationSessionId, consultation.documentCount });
    return result;
}

// A forward-only read with `values` bound in order, run; nullopt, with lastError() saying why,
// when the index is not open or the query fails.
std::optional<QSqlQuery> InvoxIndex::selectRows(const QString &sql, const QStringList &values) const
{
    if (!m_open) {
        setLastError(tr("The Invox document index is not open."));
        return std::nullopt;
    }
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QString &value : values)
        query.addBindValue(sqlText(value));
    if (!query.exec()) {
        setLastError(sqlProblem(query.lastError()));
        return std::nullopt;
    }
    return query;
}

QList<InvoxIndex::Consultation> InvoxIndex::consultationSummaries(const QString &accountId) const
{
    QList<Consultation> result;
    // Newest activity first; among equal dates the consultation added to most recently.
    std::optional<QSqlQuery> query = selectRows(
        QStringLiteral(
            "SELECT consultation_session_id, COUNT(*), MIN(added_at), MAX(added_at), MAX(rowid)"
            " FROM documents WHERE account_id = ?"
            " GROUP BY consultation_session_id"
            " ORDER BY MAX(added_at) DESC, MAX(rowid) DESC"),
        { accountId });
    if (!query)
        return result;
    while (query->next()) {
        Consultation consultation;
        consultation.consultationSessionId = query->value(0).toString();
        consultation.documentCount = query->value(1).toInt();
        consultation.firstAddedAt = sqlDateTime(query->value(2));
        consultation.lastAddedAt = sqlDateTime(query->value(3));
        result.append(consultation);
    }
    setLastError({});
    return result;
}

QList<InvoxIndex::Document> InvoxIndex::documents(const QString &accountId,
                                                  const QString &consultationSessionId) const
{
    QList<Document> result;
    std::optional<QSqlQuery> query = selectRows(
        QStringLiteral(
            "SELECT document_id, document_name, document_type, size_bytes, added_at, origin"
            " FROM documents WHERE account_id = ? AND consultation_session_id = ?"
            " ORDER BY rowid"),
        { accountId, consultationSessionId });
    if (!query)
        return result;
    while (query->next()) {
        Document document;
        document.accountId = accountId;
        document.consultationSessionId = consultationSessionId;
        document.documentId = query->value(0).toString();
        document.documentName = query->value(1).toString();
        document.documentType = query->value(2).toString();
        document.sizeBytes = query->value(3).toLongLong();
        document.addedAt = sqlDateTime(query->value(4));
        document.origin = query->value(5).toString();
        result.append(document);
    }
    setLastError({});
    return result;
}

bool InvoxIndex::contains(const QString &accountId, const QString &documentId) const
{
    if (!m_open)
        return false;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT 1 FROM documents WHERE account_id = ? AND document_id = ? LIMIT 1"));
    query.addBindValue(sqlText(accountId));
    query.addBindValue(sqlText(documentId));
    if (!query.exec()) {
        setLastError(sqlProblem(query.lastError()));
        return false;
    }
    return query.next();
}

bool InvoxIndex::add(const Document &document, QString *error)
{
    const auto fail = [this, error](const QString &problem) {
        setLastError(problem);
        if (error)
            *error = problem;
        return false;
    };
    if (!m_open)
        return fail(tr("The Invox document index is not open."));
    if (document.accountId.isEmpty() || document.documentId.isEmpty()
        || document.consultationSessionId.isEmpty())
        return fail(tr("A document needs an account, a consultation session id and a document "
                       "id."));

    QSqlQuery query(database());
    // An upsert rather than INSERT OR REPLACE: the row keeps its place in the order documents
    // were added.
    query.prepare(QStringLiteral(
        "INSERT INTO documents (account_id, document_id, consultation_session_id, document_name,"
        " document_type, size_bytes, added_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (account_id, document_id) DO UPDATE SET"
        " consultation_session_id = excluded.consultation_session_id,"
        " document_name = excluded.document_name, document_type = excluded.document_type,"
        " size_bytes = excluded.size_bytes, added_at = excluded.added_at,"
        " origin = excluded.origin"));
    query.addBindValue(document.accountId);
    query.addBindValue(document.documentId);
    query.addBindValue(document.consultationSessionId);
    query.addBindValue(sqlText(document.documentName));
    query.addBindValue(sqlText(document.documentType));
    query.addBindValue(document.sizeBytes < 0 ? qint64(-1) : document.sizeBytes);
    query.addBindValue(sqlMilliseconds(document.addedAt));
    query.addBindValue(sqlText(document.origin));
    if (!query.exec())
        return fail(tr("The Invox document index could not record the document: %1")
                        .arg(sqlProblem(query.lastError())));
    setLastError({});
    return true;
}

bool InvoxIndex::remove(const QString &accountId, const QString &documentId)
{
    if (!m_open)
        return false;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("DELETE FROM documents WHERE account_id = ? AND document_id = ?"));
    query.addBindValue(sqlText(accountId));
    query.addBindValue(sqlText(documentId));
    if (!query.exec()) {
        setLastError(sqlProblem(query.lastError()));
        return false;
    }
    setLastError({});
    return query.numRowsAffected() > 0;
}

void InvoxIndex::removeAccount(const QString &accountId)
{
    if (!m_open)
        return;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("DELETE FROM documents WHERE account_id = ?"));
    query.addBindValue(sqlText(accountId));
    if (!query.exec())
        setLastError(sqlProblem(query.lastError()));
    else
        setLastError({});
}

} // namespace Docket
