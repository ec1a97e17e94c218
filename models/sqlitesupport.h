#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <functional>

class QSqlError;

namespace Docket {

// What Docket's SQLite files (the Invox index, the audit trail) have in common.

// SQLite's own words ("unable to open database file") when it has some: they say more than Qt's
// summary.
QString sqlProblem(const QSqlError &error);

// Columns are NOT NULL, and Qt binds a null QString as SQL NULL: bind "" instead.
inline QString sqlText(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

// Times are stored as ms since the epoch (UTC); NULL for an unknown one.
QVariant sqlMilliseconds(const QDateTime &dateTime);
QDateTime sqlDateTime(const QVariant &value); // invalid for NULL

// One named Qt SQL connection to one SQLite file, owned by one object: Qt names connections
// process-wide, so each owner gets its own (a UUID), and the connection is removed with it.
class SqliteConnection
{
public:
    // `purpose` names the connection in Qt's registry ("docket-audit-…"), for debugging.
    SqliteConnection(const QString &purpose, const QString &path);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    const QString &path() const { return m_path; }
    bool isMemory() const;
    QSqlDatabase database() const;

    // Opens the file and brings its schema to `version`, running `upgrade(from)` (with `from`
    // the file's current version, 0 for a new file) inside one transaction, so a failure leaves
    // the file as it was. A file from a newer Docket is refused. The file is made readable by
    // its owner only: names of clinical documents are nobody else's business.
    bool open(int version, const std::function<bool(int from, QString *error)> &upgrade,
              QString *error);

private:
    QString m_connectionName;
    QString m_path;
};

} // namespace Docket
