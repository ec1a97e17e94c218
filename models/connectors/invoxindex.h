#pragma once

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Docket {

// Docket's own record of the Invox documents it knows about, because Invox has no list endpoint:
// documents uploaded through Docket and ids added by hand, grouped by consultation session. Lives
// in SQLite (Qt SQL); holds ids and names only, never a secret.
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

    // `databasePath` is a file path, or ":memory:" for tests.
    explicit InvoxIndex(const QString &databasePath);
    ~InvoxIndex();
    InvoxIndex(const InvoxIndex &) = delete;
    InvoxIndex &operator=(const InvoxIndex &) = delete;

    // Opens (and creates or migrates) the database. False with *error on failure.
    bool open(QString *error);

    // Consultation session ids of an account with their document counts, newest activity first.
    QList<QPair<QString, int>> consultations(const QString &accountId) const;
    QList<Document> documents(const QString &accountId, const QString &consultationSessionId) const;
    bool contains(const QString &accountId, const QString &documentId) const;
    // Adds or replaces (same account and document id).
    bool add(const Document &document, QString *error);
    bool remove(const QString &accountId, const QString &documentId);
    // Forgets everything of an account (when the account is removed).
    void removeAccount(const QString &accountId);

private:
    QString m_connectionName;
    QString m_path;
};

} // namespace Docket
