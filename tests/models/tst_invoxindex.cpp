// InvoxIndex: Docket's SQLite record of the Invox documents it knows (Invox has no list endpoint).

#include "connectors/invox/invoxindex.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

namespace {

InvoxIndex::Document document(const QString &account, const QString &consultation,
                              const QString &id, qint64 addedMs = 0)
{
    InvoxIndex::Document d;
    d.accountId = account;
    d.consultationSessionId = consultation;
    d.documentId = id;
    d.documentName = id + QStringLiteral(".pdf");
    d.documentType = QStringLiteral("PDF");
    d.sizeBytes = 1234;
    d.addedAt = QDateTime::fromMSecsSinceEpoch(1767225600000 + addedMs, Qt::UTC);
    d.origin = QStringLiteral("upload");
    return d;
}

QStringList ids(const QList<InvoxIndex::Document> &documents)
{
    QStringList result;
    for (const auto &d : documents)
        result << d.documentId;
    return result;
}

QStringList hostileStrings()
{
    return { QStringLiteral("../x"),
             QStringLiteral("a?b=c"),
             QStringLiteral("#"),
             QStringLiteral("%2F"),
             QStringLiteral("'; DROP TABLE documents; --"),
             QStringLiteral("\" OR 1=1 --"),
             QStringLiteral("ünïcødé-文書-📄"),
             QStringLiteral("line\nbreak\ttab"),
             QString(reinterpret_cast<const QChar *>(u"with\0nul"), 8),
             QStringLiteral("  spaced  "),
             QString(10 * 1024, u'x') };
}

} // namespace

class TestInvoxIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openMemory()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(!index.isOpen());
        QString error;
        QVERIFY2(index.open(&error), qPrintable(error));
        QVERIFY(error.isEmpty());
        QVERIFY(index.isOpen());
        QVERIFY(index.consultations(QStringLiteral("a")).isEmpty());
        QVERIFY(index.lastError().isEmpty());
    }

    void twoInstancesAreIndependent()
    {
        InvoxIndex first(QStringLiteral(":memory:"));
        InvoxIndex second(QStringLiteral(":memory:"));
        QVERIFY(first.open(nullptr));
        QVERIFY(second.open(nullptr));
        QVERIFY(first.add(document(QStringLiteral("a"), QStringLiteral("s"), QStringLiteral("d")),
                          nullptr));
        QVERIFY(first.contains(QStringLiteral("a"), QStringLiteral("d")));
        QVERIFY(!second.contains(QStringLiteral("a"), QStringLiteral("d")));
    }

    void addAndReplace()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(index.open(nullptr));
        QString error;
        QVERIFY2(
            index.add(document(QStringLiteral("acc"), QStringLiteral("s1"), QStringLiteral("d1")),
                      &error),
            qPrintable(error));
        QVERIFY(index.add(
            document(QStringLiteral("acc"), QStringLiteral("s1"), QStringLiteral("d2"), 1000),
            &error));
        QVERIFY(index.contains(QStringLiteral("acc"), QStringLiteral("d1")));
        QVERIFY(!index.contains(QStringLiteral("other"), QStringLiteral("d1")));

        const auto listed = index.documents(QStringLiteral("acc"), QStringLiteral("s1"));
        QCOMPARE(ids(listed), (QStringList { QStringLiteral("d1"), QStringLiteral("d2") }));
        const InvoxIndex::Document &first = listed.first();
        QCOMPARE(first.accountId, QStringLiteral("acc"));
        QCOMPARE(first.consultationSessionId, QStringLiteral("s1"));
        QCOMPARE(first.documentName, QStringLiteral("d1.pdf"));
        QCOMPARE(first.documentType, QStringLiteral("PDF"));
        QCOMPARE(first.sizeBytes, qint64(1234));
        QCOMPARE(first.addedAt, QDateTime::fromMSecsSinceEpoch(1767225600000, Qt::UTC));
        QCOMPARE(first.origin, QStringLiteral("upload"));

        // Same account and id: replaced, keeping its place in the order.
        InvoxIndex::Document renamed
            = document(QStringLiteral("acc"), QStringLiteral("s1"), QStringLiteral("d1"));
        renamed.documentName = QStringLiteral("renamed.txt");
        renamed.documentType = QStringLiteral("TXT");
        renamed.sizeBytes = -1;
        renamed.addedAt = {};
        renamed.origin = QStringLiteral("manual");
        QVERIFY(index.add(renamed, &error));
        const auto after = index.documents(QStringLiteral("acc"), QStringLiteral("s1"));
        QCOMPARE(ids(after), (QStringList { QStringLiteral("d1"), QStringLiteral("d2") }));
        QCOMPARE(after.first().documentName, QStringLiteral("renamed.txt"));
        QCOMPARE(after.first().documentType, QStringLiteral("TXT"));
        QCOMPARE(after.first().sizeBytes, qint64(-1));
        QVERIFY(!after.first().addedAt.isValid());
        QCOMPARE(after.first().origin, QStringLiteral("manual"));

        // Replacing can move a document to another consultation.
        QVERIFY(index.add(
            document(QStringLiteral("acc"), QStringLiteral("s2"), QStringLiteral("d2")), &error));
        QCOMPARE(ids(index.documents(QStringLiteral("acc"), QStringLiteral("s1"))),
                 QStringList { QStringLiteral("d1") });
        QCOMPARE(ids(index.documents(QStringLiteral("acc"), QStringLiteral("s2"))),
                 QStringList { QStringLiteral("d2") });

        // The same document id under another account is another row.
        QVERIFY(index.add(
            document(QStringLiteral("acc2"), QStringLiteral("s1"), QStringLiteral("d1")), &error));
        QCOMPARE(index.documents(QStringLiteral("acc"), QStringLiteral("s1")).size(), 1);
        QCOMPARE(index.documents(QStringLiteral("acc2"), QStringLiteral("s1")).size(), 1);
    }

    void addRefusesIncompleteDocuments()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(index.open(nullptr));
        QString error;
        QVERIFY(
            !index.add(document(QStringLiteral("acc"), QStringLiteral("s"), QString()), &error));
        QVERIFY(!error.isEmpty());
        error.clear();
        QVERIFY(
            !index.add(document(QStringLiteral("acc"), QString(), QStringLiteral("d")), &error));
        QVERIFY(!error.isEmpty());
        error.clear();
        QVERIFY(!index.add(document(QString(), QStringLiteral("s"), QStringLiteral("d")), &error));
        QVERIFY(!error.isEmpty());
        // Optional fields may be empty.
        InvoxIndex::Document bare;
        bare.accountId = QStringLiteral("acc");
        bare.consultationSessionId = QStringLiteral("s");
        bare.documentId = QStringLiteral("d");
        QVERIFY(index.add(bare, &error));
        const auto listed = index.documents(QStringLiteral("acc"), QStringLiteral("s"));
        QCOMPARE(listed.size(), 1);
        QVERIFY(listed.first().documentName.isEmpty());
        QCOMPARE(listed.first().sizeBytes, qint64(-1));
        QVERIFY(!listed.first().addedAt.isValid());
    }

    void consultationsGroupedWithCounts()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(index.open(nullptr));
        const QString acc = QStringLiteral("acc");
        // s-old: 3 documents, newest at +3000; s-new: 2 documents, newest at +9000; s-mid: 1.
        QVERIFY(index.add(document(acc, QStringLiteral("s-old"), QStringLiteral("a"), 0), nullptr));
        QVERIFY(
            index.add(document(acc, QStringLiteral("s-new"), QStringLiteral("b"), 1000), nullptr));
        QVERIFY(
            index.add(document(acc, QStringLiteral("s-old"), QStringLiteral("c"), 2000), nullptr));
        QVERIFY(
            index.add(document(acc, QStringLiteral("s-old"), QStringLiteral("d"), 3000), nullptr));
        QVERIFY(
            index.add(document(acc, QStringLiteral("s-mid"), QStringLiteral("e"), 5000), nullptr));
        QVERIFY(
            index.add(document(acc, QStringLiteral("s-new"), QStringLiteral("f"), 9000), nullptr));
        QVERIFY(
            index.add(document(QStringLiteral("other"), QStringLiteral("s-x"), QStringLiteral("g")),
                      nullptr));

        const auto consultations = index.consultations(acc);
        const QList<QPair<QString, int>> expected = { { QStringLiteral("s-new"), 2 },
                                                      { QStringLiteral("s-mid"), 1 },
                                                      { QStringLiteral("s-old"), 3 } };
        QCOMPARE(consultations, expected);

        const auto summaries = index.consultationSummaries(acc);
        QCOMPARE(summaries.size(), 3);
        QCOMPARE(summaries.last().firstAddedAt,
                 QDateTime::fromMSecsSinceEpoch(1767225600000, Qt::UTC));
        QCOMPARE(summaries.last().lastAddedAt,
                 QDateTime::fromMSecsSinceEpoch(1767225603000, Qt::UTC));

        QCOMPARE(ids(index.documents(acc, QStringLiteral("s-old"))),
                 (QStringList { QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("d") }));
        QVERIFY(index.documents(acc, QStringLiteral("s-x")).isEmpty());
        QCOMPARE(index.consultations(QStringLiteral("other")).size(), 1);
        QVERIFY(index.consultations(QStringLiteral("nobody")).isEmpty());
    }

    void removeDocument()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(index.open(nullptr));
        const QString acc = QStringLiteral("acc");
        QVERIFY(index.add(document(acc, QStringLiteral("s"), QStringLiteral("a")), nullptr));
        QVERIFY(index.add(document(acc, QStringLiteral("s"), QStringLiteral("b")), nullptr));
        QVERIFY(index.add(
            document(QStringLiteral("other"), QStringLiteral("s"), QStringLiteral("a")), nullptr));

        QVERIFY(index.remove(acc, QStringLiteral("a")));
        QVERIFY(!index.contains(acc, QStringLiteral("a")));
        QVERIFY(index.contains(QStringLiteral("other"), QStringLiteral("a")));
        QVERIFY(!index.remove(acc, QStringLiteral("a"))); // nothing left to remove
        QCOMPARE(index.consultations(acc),
                 (QList<QPair<QString, int>> { { QStringLiteral("s"), 1 } }));

        // The last document of a consultation takes the consultation with it.
        QVERIFY(index.remove(acc, QStringLiteral("b")));
        QVERIFY(index.consultations(acc).isEmpty());
    }

    void removeAccount()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(index.open(nullptr));
        for (int i = 0; i < 5; ++i) {
            QVERIFY(index.add(document(QStringLiteral("gone"), QStringLiteral("s%1").arg(i % 2),
                                       QStringLiteral("d%1").arg(i)),
                              nullptr));
        }
        QVERIFY(index.add(
            document(QStringLiteral("kept"), QStringLiteral("s0"), QStringLiteral("d0")), nullptr));
        index.removeAccount(QStringLiteral("gone"));
        QVERIFY(index.lastError().isEmpty());
        QVERIFY(index.consultations(QStringLiteral("gone")).isEmpty());
        QCOMPARE(index.consultations(QStringLiteral("kept")).size(), 1);
        QVERIFY(index.contains(QStringLiteral("kept"), QStringLiteral("d0")));
    }

    void reopenedFileKeepsData()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("invox-index.sqlite"));
        {
            InvoxIndex index(path);
            QString error;
            QVERIFY2(index.open(&error), qPrintable(error));
            QVERIFY(index.add(
                document(QStringLiteral("acc"), QStringLiteral("s"), QStringLiteral("d1")),
                &error));
            QVERIFY(index.add(
                document(QStringLiteral("acc"), QStringLiteral("s"), QStringLiteral("d2"), 5),
                &error));
            QVERIFY(index.remove(QStringLiteral("acc"), QStringLiteral("d1")));
        }
        QVERIFY(QFile::exists(path));
        // Only the owner may read it.
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
        {
            InvoxIndex index(path);
            QString error;
            QVERIFY2(index.open(&error), qPrintable(error));
            const auto listed = index.documents(QStringLiteral("acc"), QStringLiteral("s"));
            QCOMPARE(ids(listed), QStringList { QStringLiteral("d2") });
            QCOMPARE(listed.first().addedAt,
                     QDateTime::fromMSecsSinceEpoch(1767225600005, Qt::UTC));
        }
    }

    void schemaIsVersioned()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("versioned.sqlite"));
        {
            InvoxIndex index(path);
            QVERIFY(index.open(nullptr));
        }
        const QString connection = QStringLiteral("tst_invoxindex_raw");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version")) && query.next());
            QCOMPARE(query.value(0).toInt(), InvoxIndex::schemaVersion);
            // The lookup by consultation has its index.
            QVERIFY(query.exec(QStringLiteral(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents'"
                " AND name = 'documents_by_consultation'")));
            QVERIFY(query.next());
            // A newer Docket wrote this file: this one must not guess at it.
            QVERIFY(query.exec(
                QStringLiteral("PRAGMA user_version = %1").arg(InvoxIndex::schemaVersion + 1)));
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);

        InvoxIndex index(path);
        QString error;
        QVERIFY(!index.open(&error));
        QVERIFY2(error.contains(QStringLiteral("newer version of Docket")), qPrintable(error));
        QVERIFY(!index.isOpen());
    }

    void hostileStringsRoundTrip()
    {
        InvoxIndex index(QStringLiteral(":memory:"));
        QVERIFY(index.open(nullptr));
        const QStringList hostile = hostileStrings();
        for (const QString &value : hostile) {
            InvoxIndex::Document d = document(value, value, value);
            d.documentName = value;
            d.documentType = value;
            d.origin = value;
            QString error;
            QVERIFY2(index.add(d, &error), qPrintable(error));
        }
        for (const QString &value : hostile) {
            QVERIFY(index.contains(value, value));
            const auto consultations = index.consultations(value);
            QCOMPARE(consultations.size(), 1);
            QCOMPARE(consultations.first().first, value);
            const auto listed = index.documents(value, value);
            QCOMPARE(listed.size(), 1);
            QCOMPARE(listed.first().documentId, value);
            QCOMPARE(listed.first().documentName, value);
            QCOMPARE(listed.first().documentType, value);
            QCOMPARE(listed.first().origin, value);
        }
        // Nothing was interpreted as SQL or as a pattern.
        QVERIFY(index.contains(QStringLiteral("%2F"), QStringLiteral("%2F")));
        QVERIFY(!index.contains(QStringLiteral("%"), QStringLiteral("%")));
        QVERIFY(index.remove(QStringLiteral("'; DROP TABLE documents; --"),
                             QStringLiteral("'; DROP TABLE documents; --")));
        QVERIFY(index.contains(QStringLiteral("../x"), QStringLiteral("../x")));
        index.removeAccount(QStringLiteral("\" OR 1=1 --"));
        QVERIFY(index.contains(QStringLiteral("#"), QStringLiteral("#")));
    }

    void unopenableDatabaseGivesClearError_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("missing folder") << 0;
        QTest::newRow("a folder") << 1;
        QTest::newRow("not a database") << 2;
    }

    void unopenableDatabaseGivesClearError()
    {
        QFETCH(int, which);
        QTemporaryDir dir;
        QString path;
        if (which == 0) {
            path = dir.filePath(QStringLiteral("no/such/folder/index.sqlite"));
        } else if (which == 1) {
            path = dir.filePath(QStringLiteral("folder"));
            QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("folder")));
        } else {
            path = dir.filePath(QStringLiteral("garbage.sqlite"));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(4096, 'G'));
        }
        InvoxIndex index(path);
        QString error;
        QVERIFY(!index.open(&error));
        qInfo().noquote() << error;
        QVERIFY(!index.isOpen());
        QVERIFY2(error.contains(QStringLiteral("could not open its Invox document index")),
                 qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(index.lastError(), error);

        // A closed index refuses work instead of pretending.
        QVERIFY(index.consultations(QStringLiteral("a")).isEmpty());
        QVERIFY(!index.lastError().isEmpty());
        QString addError;
        QVERIFY(!index.add(document(QStringLiteral("a"), QStringLiteral("s"), QStringLiteral("d")),
                           &addError));
        QVERIFY(!addError.isEmpty());
        QVERIFY(!index.remove(QStringLiteral("a"), QStringLiteral("d")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("no"))));
    }
};

QTEST_GUILESS_MAIN(TestInvoxIndex)
#include "tst_invoxindex.moc"
