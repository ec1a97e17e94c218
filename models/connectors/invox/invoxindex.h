#pragma once

#include "sqlitesupport.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <optional>

namespace Docket {

// Docket's own record of the Invox documents it knows about, because Invox has no list endpoint:
// documents uploaded through Docket and ids added by hand, grouped by consultation session. Lives
// in SQLite (Qt SQL); holds ids and names only, never a secret.
//
// Every value is bound into prepared statements: ids come from services and users and are
// hostile input. The schema version is SQLite's `PRAGMA user_version`, so a later Docket can
// migrate a file written by this one (and this one refuses a file from a newer Docket).
class InvoxIndex
{
public:
    struct Document
    {
        QString accountId;
        QString consultationSessionId;
        QString documentId;
        QString documentName;
        QString documentType; // "PDF" or "TXT"
        qint64 sizeBytes = -1;
        QDateTime addedAt;
        QString origin; // "upload" or "manual"
    };

    // One consultation session of an account, as the index knows it.
    struct Consultation
    {
        QString consultationSessionId;
        int documentCount = 0;
        QDateTime firstAddedAt; // invalid when no document has a date
        QDateTime lastAddedAt;
    };

    // The schema this build writes (PRAGMA user_version).
    static constexpr int schemaVersion = 1;

    // `databasePath` is a file path, or ":memory:" for tests.
    explicit InvoxIndex(const QString &databasePath);
    ~InvoxIndex();
    InvoxIndex(const InvoxIndex &) = delete;
    InvoxIndex &operator=(const InvoxIndex &) = delete;

    // Opens (and creates or migrates) the database. False with *error on failure. The folder
    // must exist: the caller decides where Docket keeps its data.
    bool open(QString *error);
    bool isOpen() const { return m_open; }
    QString path() const { return m_sqlite.path(); }
    // What went wrong in the last failed call, in a sentence (empty after a success).
    QString lastError() const { return m_lastError; }

    // Consultation session ids of an account with their document counts, newest activity first.
    QList<QPair<QString, int>> consultations(const QString &accountId) const;
    // The same, with dates. Empty (and lastError() set) when the query failed.
    QList<Consultation> consultationSummaries(const QString &accountId) const;
    // The documents of one consultation, in the order they were added.
    QList<Document> documents(const QString &accountId, const QString &consultationSessionId) const;
    bool contains(const QString &accountId, const QString &documentId) const;
    // Adds or replaces (same account and document id).
    bool add(const Document &document, QString *error);
    // True when a row was removed.
    bool remove(const QString &accountId, const QString &documentId);
    // Forgets everything of an account (when the account is removed).
    void removeAccount(const QString &accountId);

private:
    QSqlDatabase database() const;
    bool migrate(int from, QString *error);
    std::optional<QSqlQuery> selectRows(const QString &sql, const QStringList &values) const;
    void setLastError(const QString &error) const { m_lastError = error; }

    SqliteConnection m_sqlite;
    bool m_open = false;
    mutable QString m_lastError;
};

} // namespace Docket
