// The audit trail's promises about the disk and about hostile text: what must be there before a
// DELETE goes out (the batch, each attempt) commits with synchronous=FULL, the answers with NORMAL;
// the journal mode SQLite really gave is read back, and where it kept its rollback journal every
// write is FULL and the user is told. The CSV export keeps what services said inert.

#include "auditlog.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

#ifdef DOCKET_TEST_HAVE_SQLITE3
#include <sqlite3.h>
#endif

using namespace Docket;

namespace {

constexpr int normal = 1; // PRAGMA synchronous
constexpr int full = 2;

QList<DeletionItem> sessions(int count)
{
    QList<DeletionItem> items;
    for (int i = 0; i < count; ++i) {
        DeletionItem item;
        item.accountId = QStringLiteral("account-1");
        item.accountName = QStringLiteral("Clinic");
        item.service = ServiceKind::Scriptix;
        item.ref = { NodeKind::ScriptixSession, { QStringLiteral("s%1").arg(i) } };
        item.name = QStringLiteral("session %1").arg(i);
        item.requestId = "request-" + QByteArray::number(i);
        items.append(item);
    }
    return items;
}

// Sends nothing: the attempt is recorded as before a DELETE, then answered `Deleted`.
bool attemptAndAnswer(AuditLog &audit, DeletionItem &item, int *levelAtAttempt, int *levelAtAnswer)
{
    const qint64 attempt = audit.recordAttempt(item);
    *levelAtAttempt = audit.synchronousLevel();
    item.state = DeletionState::Deleted;
    item.httpStatus = 204;
    const bool answered
        = attempt && audit.recordOutcome(attempt, item, AuditEntry::Outcome::Deleted);
    *levelAtAnswer = audit.synchronousLevel();
    return answered;
}

} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesAndAttemptsCommitFullAnswersNormal();
    void withoutWriteAheadLogEverythingIsFull();
    void throwawayTrailIsNotReportedAsUnsafe();
    void csvExportKeepsServiceTextInert();

private:
    QTemporaryDir m_dir;
};

void TestAuditLog::batchesAndAttemptsCommitFullAnswersNormal()
{
    AuditLog audit(m_dir.filePath(QStringLiteral("durable.sqlite")));
    QString error;
    QVERIFY2(audit.open(&error), qPrintable(error));
    QCOMPARE(audit.journalMode(), QStringLiteral("wal"));
    QCOMPARE(audit.warning(), QString());

    QList<DeletionItem> items = sessions(2);
    // An answer first leaves the connection at NORMAL, so the batch must switch it back itself.
    QVERIFY(audit.recordState(items.first()));
    QCOMPARE(audit.synchronousLevel(), normal);
    QVERIFY(audit.createBatch(items, QStringLiteral("cli")) > 0);
    QCOMPARE(audit.synchronousLevel(), full);

    for (DeletionItem &item : items) {
        int atAttempt = 0;
        int atAnswer = 0;
        QVERIFY2(attemptAndAnswer(audit, item, &atAttempt, &atAnswer),
                 qPrintable(audit.lastError()));
        QCOMPARE(atAttempt, full); // the second attempt follows an answer made at NORMAL
        QCOMPARE(atAnswer, normal);
    }
    QCOMPARE(audit.entries().size(), 2);
}

void TestAuditLog::withoutWriteAheadLogEverythingIsFull()
{
#ifndef DOCKET_TEST_HAVE_SQLITE3
    QSKIP("built without SQLite's headers (libsqlite3-dev)");
#else
    // SQLite's "unix-none" VFS has no shared memory, as on some network file systems: asked for
    // WAL, SQLite keeps its rollback journal and says nothing. Made the default for a while.
    sqlite3_vfs *usual = sqlite3_vfs_find(nullptr);
    sqlite3_vfs *withoutSharedMemory = sqlite3_vfs_find("unix-none");
    QVERIFY(usual && withoutSharedMemory);
    QCOMPARE(sqlite3_vfs_register(withoutSharedMemory, 1), SQLITE_OK);
    const auto restore = qScopeGuard([usual] { sqlite3_vfs_register(usual, 1); });

    const QString path = m_dir.filePath(QStringLiteral("no-wal.sqlite"));
    AuditLog audit(path);
    QString error;
    QVERIFY2(audit.open(&error), qPrintable(error));
    if (audit.journalMode() == QLatin1String("wal"))
        QSKIP("Qt's SQLite driver carries its own SQLite, not the one this test links");
    QCOMPARE(audit.journalMode(), QStringLiteral("delete"));
    QVERIFY2(audit.warning().contains(QStringLiteral("write-ahead log"))
                 && audit.warning().contains(QStringLiteral("no-wal.sqlite")),
             qPrintable(audit.warning()));

    QList<DeletionItem> items = sessions(1);
    QVERIFY(audit.createBatch(items, QStringLiteral("cli")) > 0);
    int atAttempt = 0;
    int atAnswer = 0;
    QVERIFY2(attemptAndAnswer(audit, items.first(), &atAttempt, &atAnswer),
             qPrintable(audit.lastError()));
    QCOMPARE(atAttempt, full);
    QCOMPARE(atAnswer, full);
    QVERIFY(audit.recordState(items.first()));
    QCOMPARE(audit.synchronousLevel(), full);
    const QList<AuditEntry> entries = audit.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().outcome, AuditEntry::Outcome::Deleted);
#endif
}

void TestAuditLog::throwawayTrailIsNotReportedAsUnsafe()
{
    AuditLog audit(QStringLiteral(":memory:"));
    QString error;
    QVERIFY2(audit.open(&error), qPrintable(error));
    QCOMPARE(audit.journalMode(), QStringLiteral("memory"));
    QCOMPARE(audit.warning(), QString());
    QList<DeletionItem> items = sessions(1);
    QVERIFY(audit.createBatch(items, QStringLiteral("window")) > 0);
    int atAttempt = 0;
    int atAnswer = 0;
    QVERIFY(attemptAndAnswer(audit, items.first(), &atAttempt, &atAnswer));
    QCOMPARE(audit.entries().size(), 1);
}

void TestAuditLog::csvExportKeepsServiceTextInert()
{
    AuditEntry entry;
    entry.time = QDateTime(QDate(2026, 11, 22), QTime(9, 30), Qt::UTC);
    entry.accountName = QStringLiteral("Clinic\u2028second line");
    entry.service = ServiceKind::Scriptix;
    entry.kind = NodeKind::ScriptixSession;
    entry.itemRef = QStringLiteral("s\x1b]0;owned\x07");
    // Clears the screen when the file is shown with cat; turns "fdp.exe" around; CSI in C1.
    entry.name = QStringLiteral("a\x1b[2Jb\u202Efdp.exe \u009B31m");
    entry.parentName = QStringLiteral("one\r\ntwo");
    entry.outcome = AuditEntry::Outcome::Failed;
    entry.message = QStringLiteral("\t=HYPERLINK(\"http://x\") \U000E0041hidden");
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(AuditLog::writeCsv({ entry }, &buffer));
    const QString csv = QString::fromUtf8(buffer.data());
    const QStringList lines = csv.split(QStringLiteral("\r\n"));
    QCOMPARE(lines.size(), 3); // the header, the entry, and nothing after the last CRLF
    const QString row = lines.at(1);
    for (const QString &forbidden :
         { QStringLiteral("\x1b"), QStringLiteral("\x07"), QStringLiteral("\u202E"),
           QStringLiteral("\u009B"), QStringLiteral("\u2028"), QStringLiteral("\r"),
           QStringLiteral("\t"), QStringLiteral("\U000E0041") })
        QVERIFY2(!row.contains(forbidden),
                 qPrintable(QStringLiteral("U+%1 in %2")
                                .arg(forbidden.at(0).unicode(), 4, 16, QLatin1Char('0'))
                                .arg(row)));
    QVERIFY2(row.contains(QStringLiteral(",a [2Jb fdp.exe  31m,")), qPrintable(row));
    QVERIFY2(row.contains(QStringLiteral(",Clinic second line,")), qPrintable(row));
    // The line break stays (inside its quoted cell, as CSV allows); the CR before it does not.
    QVERIFY2(row.contains(QStringLiteral(",\"one \ntwo\",")), qPrintable(row));
    // White space before a formula does not hide it from the guard.
    QVERIFY2(row.contains(QStringLiteral(",\"' =HYPERLINK(\"\"http://x\"\")  hidden\",")),
             qPrintable(row));
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
