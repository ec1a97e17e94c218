// AuditLog's reading side: the trail's entries, filtered, and their CSV.

#include "auditlog.h"
#include "auditlogsupport.h"
#include "inerttext.h"

#include <QIODevice>
#include <QSqlQuery>

namespace Docket {

using namespace AuditLogSupport;

namespace {

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

} // namespace

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
        entry.serviceId = query.value(8).toString();
        entry.service = serviceFromId(entry.serviceId).value_or(unknownService);
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
                    entry.recordedService(), nodeKindId(entry.kind), entry.itemRef, entry.name,
                    entry.parentRef, entry.parentName, AuditEntry::outcomeId(entry.outcome),
                    entry.httpStatus ? QString::number(entry.httpStatus) : QString(),
                    QString::fromLatin1(entry.requestId), entry.message,
                    QString::number(entry.batchId), QString::number(entry.attempt) });
    }
    return ok;
}

} // namespace Docket
