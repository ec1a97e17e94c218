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
    return QCoreApplication::translate("Docket::SqliteConnection", text);
}

} // namespace

QString sqlProblem(const QSqlError &error)
{
    QString problem = error.databaseText().trimmed();
    if (problem.isEmpty())
        problem = error.driverText().trimmed();
    return problem.isEmpty() ? tr("unknown database error") : problem;
}

QVariant sqlMilliseconds(const QDateTime &dateTime)
{
    return dateTime.isValid() ? QVariant(dateTime.toMSecsSinceEpoch()) : QVariant();
}

QDateTime sqlDateTime(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

SqliteConnection::SqliteConnection(const QString &purpose, const QString &path)
    : m_connectionName(purpose + u'-' + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_path(path)
{ }

SqliteConnection::~SqliteConnection()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        // Every handle to the connection must be gone before removeDatabase().
        QSqlDatabase db = database();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool SqliteConnection::isMemory() const
{
    return m_path == QLatin1String(":memory:");
}

QSqlDatabase SqliteConnection::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool SqliteConnection::open(int version,
                            const std::function<bool(int from, QString *error)> &upgrade,
                            QString *error)
{
    if (m_path.isEmpty()) {
        *error = tr("no file name was given");
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = tr("the SQLite driver of Qt (QSQLITE) is not installed");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
        ? database()
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    // Another Docket (the window and docket-cli) may be writing the same file: wait for it
    // rather than fail.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = sqlProblem(db.lastError());
        return false;
    }

    // SQLite opens lazily: a directory or an unreadable file only fails at the first statement.
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        *error = sqlProblem(query.lastError());
        db.close();
        return false;
    }
    const int current = query.value(0).toInt();
    query.finish();
    if (current > version) {
        *error = tr("it was written by a newer version of Docket (schema %1; this version "
                    "reads up to %2)")
                     .arg(current)
                     .arg(version);
        db.close();
        return false;
    }
    if (current < version) {
        if (!db.transaction()) {
            *error = sqlProblem(db.lastError());
            db.close();
            return false;
        }
        // PRAGMA takes no bound values; the version is our own constant.
        bool ok = upgrade(current, error);
        if (ok && !query.exec(QStringLiteral("PRAGMA user_version = %1").arg(version))) {
            *error = sqlProblem(query.lastError());
            ok = false;
        }
        if (ok && !db.commit()) {
            *error = sqlProblem(db.lastError());
            ok = false;
        }
        if (!ok) {
            db.rollback();
            db.close();
            return false;
        }
    }
    if (!isMemory() && QFile::exists(m_path))
        QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

} // namespace Docket
