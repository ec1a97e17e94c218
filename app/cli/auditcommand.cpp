// docket-cli audit [--account NAME] [--outcome OUTCOME] [--since DATE] [--limit N] [--csv]

#include "auditlog.h"
#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include <cstdio>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

QString elided(const QString &text, int width)
{
    return text.size() <= width ? text : text.left(width - 1) + u'…';
}

// "2026-11-22" (from the start of that day, local time) or a date and time ("…T09:30",
// local unless it carries an offset or Z).
QDateTime parseSince(const QString &text)
{
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (date.isValid())
        return date.startOfDay();
    return QDateTime::fromString(text, Qt::ISODate);
}

QJsonObject entryToJson(const AuditEntry &entry)
{
    const auto time = [](const QDateTime &value) {
        return value.isValid() ? QJsonValue(value.toUTC().toString(Qt::ISODateWithMs))
                               : QJsonValue(QJsonValue::Null);
    };
    return { { QStringLiteral("time"), time(entry.time) },
             { QStringLiteral("answered"), time(entry.answered) },
             { QStringLiteral("batch"), entry.batchId },
             { QStringLiteral("item"), entry.itemId },
             { QStringLiteral("attempt"), entry.attempt },
             { QStringLiteral("accountId"), entry.accountId },
             { QStringLiteral("account"), entry.accountName },
             { QStringLiteral("service"), entry.recordedService() },
             { QStringLiteral("kind"), nodeKindId(entry.kind) },
             { QStringLiteral("id"), entry.itemRef },
             { QStringLiteral("name"), entry.name },
             { QStringLiteral("parentId"), entry.parentRef },
             { QStringLiteral("parent"), entry.parentName },
             { QStringLiteral("outcome"), AuditEntry::outcomeId(entry.outcome) },
             { QStringLiteral("httpStatus"), entry.httpStatus },
             { QStringLiteral("requestId"), QString::fromLatin1(entry.requestId) },
             { QStringLiteral("message"), entry.message } };
}

// A table for people: one entry a line, newest first; the message last and unpadded.
void printTable(CliContext *context, const QList<AuditEntry> &entries)
{
    QHash<QString, QString> accountNames; // account id -> the name the CLI knows it by
    for (const Account &account : context->accounts().accounts())
        accountNames.insert(account.id, account.name);
    const QStringList header
        = { tr("TIME"),    tr("ACCOUNT"), tr("KIND"),       tr("ID"),     tr("NAME"),
            tr("OUTCOME"), tr("HTTP"),    tr("REQUEST ID"), tr("MESSAGE") };
    // Wide columns are cut; ids are never cut (they are copied into other commands).
    const QList<int> caps = { 0, 24, 0, 0, 40, 0, 0, 0, 0 };
    QList<QStringList> rows;
    for (const AuditEntry &entry : entries) {
        rows.append({ entry.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                      accountNames.value(entry.accountId, entry.accountName),
                      nodeKindId(entry.kind), entry.itemRef, entry.name,
                      AuditEntry::outcomeId(entry.outcome),
                      entry.httpStatus ? QString::number(entry.httpStatus) : QStringLiteral("-"),
                      entry.requestId.isEmpty() ? QStringLiteral("-")
                                                : QString::fromLatin1(entry.requestId),
                      entry.message });
        for (int column = 0; column < rows.last().size(); ++column) {
            QString &cell = rows.last()[column];
            cell = printable(cell);
            if (caps.at(column))
                cell = elided(cell, caps.at(column));
        }
    }
    QList<int> widths;
    for (const QString &title : header)
        widths.append(int(title.size()));
    for (const QStringList &row : std::as_const(rows)) {
        for (int column = 0; column < row.size(); ++column)
            widths[column] = qMax(widths.at(column), int(row.at(column).size()));
    }
    const auto line = [&widths](const QStringList &cells) {
        QString text;
        for (int column = 0; column < cells.size(); ++column) {
            if (column + 1 < cells.size())
                text += cells.at(column).leftJustified(widths.at(column)) + QStringLiteral("  ");
            else
                text += cells.at(column);
        }
        // An empty message would leave the padding of the column before it.
        while (text.endsWith(u' '))
            text.chop(1);
        return text;
    };
    context->print(line(header));
    for (const QStringList &row : std::as_const(rows))
        context->print(line(row));
}

} // namespace

void runAuditCommand(CliContext *context, const CliRequest &request)
{
    if (!request.arguments.isEmpty()) {
        context->finish(CliContext::Usage,
                        tr("usage: audit [--account NAME] [--outcome OUTCOME] [--since DATE] "
                           "[--limit N] [--csv | --json]"));
        return;
    }
    if (request.csv && context->json()) {
        context->finish(CliContext::Usage, tr("Choose one of --csv and --json."));
        return;
    }
    AuditQuery query;
    query.limit = request.limit;
    if (request.limit < 0) {
        context->finish(CliContext::Usage, tr("--limit takes a number, 0 or more."));
        return;
    }
    if (!request.outcome.isEmpty()) {
        query.outcome = AuditEntry::outcomeFromId(request.outcome);
        if (!query.outcome) {
            context->finish(CliContext::Usage,
                            tr("Unknown outcome “%1”: one of deleted, already-gone, failed, "
                               "retrying, no-answer, cancelled, sent.")
                                .arg(request.outcome));
            return;
        }
    }
    if (!request.since.isEmpty()) {
        query.since = parseSince(request.since);
        if (!query.since.isValid()) {
            context->finish(CliContext::Usage,
                            tr("--since takes an ISO 8601 date (2026-11-22) or date and time "
                               "(2026-11-22T09:30, 2026-11-22T09:30:00Z)."));
            return;
        }
    }
    if (!request.account.isEmpty()) {
        const std::optional<Account> account = context->accounts().find(request.account);
        if (!account) {
            context->finish(CliContext::Usage,
                            tr("No account named “%1”. `docket-cli accounts` lists them.")
                                .arg(request.account));
            return;
        }
        query.accountId = account->id;
    }
    QString error;
    AuditLog *audit = context->auditLog(&error);
    if (!audit) {
        context->finish(CliContext::Failure, error);
        return;
    }
    const QList<AuditEntry> entries = audit->entries(query);
    if (!audit->lastError().isEmpty()) {
        context->finish(CliContext::Failure,
                        tr("Cannot read the audit trail: %1").arg(audit->lastError()));
        return;
    }

    if (request.csv) {
        QFile out;
        const bool written
            = out.open(stdout, QIODevice::WriteOnly) && AuditLog::writeCsv(entries, &out);
        out.close();
        context->finish(written ? CliContext::Success : CliContext::Failure,
                        written ? QString()
                                : tr("Cannot write the CSV: %1").arg(out.errorString()));
        return;
    }
    if (context->json()) {
        QJsonArray array;
        for (const AuditEntry &entry : entries)
            array.append(entryToJson(entry));
        context->setJsonResult(array);
        context->finish(CliContext::Success);
        return;
    }
    if (entries.isEmpty())
        context->note(tr("No entries in the audit trail %1 match.").arg(audit->path()));
    else
        printTable(context, entries);
    context->finish(CliContext::Success);
}
