// A newer Docket installed over an older one keeps what users have: every file an earlier
// release wrote (tests/packaging/upgrade-fixtures: one audit trail and one Invox index per schema
// version, and the accounts settings) opens with this build, migrates to its schema, and keeps
// every row; the keychain entries are looked up where earlier releases wrote them. The schema
// the newest file has must be the one this build creates, so a schema change without a new
// version (and a new file) fails here.

#include "accountstore.h"
#include "auditlog.h"
#include "connectors/invox/invoxindex.h"
#include "credentialstore.h"
#include "keychaincredentialstore.h"
#include "pendingremovalstore.h"
#include "upgradefixturefacts.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <qt6keychain/keychain.h>

#include <memory>

using namespace Docket;
using namespace Docket::UpgradeFixture;

namespace {

const QString fixtureDir = QStringLiteral(DOCKET_UPGRADE_FIXTURE_DIR);

// The schema versions of the files named prefix-v<N>.sqlite, in order.
QList<int> fixtureVersions(const QString &prefix)
{
    QList<int> versions;
    const QRegularExpression name(QStringLiteral("^%1-v(\\d+)\\.sqlite$").arg(prefix));
    for (const QString &file : QDir(fixtureDir).entryList(QDir::Files)) {
        if (const auto match = name.match(file); match.hasMatch())
            versions.append(match.captured(1).toInt());
    }
    std::sort(versions.begin(), versions.end());
    return versions;
}

// A copy of the fixture to work on: opening migrates the file in place.
QString copyOf(const QString &file, const QTemporaryDir &dir)
{
    const QString copy = dir.filePath(file);
    QFile::remove(copy);
    if (!QFile::copy(QDir(fixtureDir).filePath(file), copy))
        return {};
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return copy;
}

// What SQLite says of a file, through a connection of its own: the schema version, the tables'
// and indexes' SQL, and how many rows each table has.
struct FileFacts
{
    int userVersion = -1;
    QStringList schema;
    QMap<QString, int> rows;
};

FileFacts readFacts(const QString &path)
{
    FileFacts facts;
    const QString connection = QStringLiteral("upgrade-facts");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("PRAGMA user_version")) && query.next())
                facts.userVersion = query.value(0).toInt();
            QStringList tables;
            query.exec(
                QStringLiteral("SELECT type, name, sql FROM sqlite_master WHERE sql NOT NULL "
                               "ORDER BY type, name"));
            while (query.next()) {
                facts.schema.append(query.value(2).toString());
                if (query.value(0).toString() == QLatin1String("table"))
                    tables.append(query.value(1).toString());
            }
            for (const QString &table : std::as_const(tables)) {
                // Our own table names, read from the file's schema: no user text in the SQL.
                if (query.exec(QStringLiteral("SELECT COUNT(*) FROM \"%1\"").arg(table))
                    && query.next())
                    facts.rows.insert(table, query.value(0).toInt());
            }
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return facts;
}

// One data row per schema version that has a prefix-v<N>.sqlite file: its column "version".
void addFixtureVersionRows(const QString &prefix)
{
    QTest::addColumn<int>("version");
    for (int version : fixtureVersions(prefix))
        QTest::addRow("schema %d", version) << version;
}

// For the current row of addFixtureVersionRows(prefix): opens a copy of prefix-v<version>.sqlite
// with Store (AuditLog or InvoxIndex), which migrates it to Store::schemaVersion; checkContents
// looks at what the store reads from it, and once the store has closed it the file must have the
// new schema version and every row it had.
template<typename Store>
void checkOpensMigratesAndKeepsRows(const QString &prefix, const QTemporaryDir &dir,
                                    void (*checkContents)(Store &))
{
    QFETCH(int, version);
    const QString path = copyOf(QStringLiteral("%1-v%2.sqlite").arg(prefix).arg(version), dir);
    QVERIFY(!path.isEmpty());
    const FileFacts before = readFacts(path);
    QCOMPARE(before.userVersion, version);
    {
        Store store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        checkContents(store);
        if (QTest::currentTestFailed())
            return;
    }
    const FileFacts after = readFacts(path);
    QCOMPARE(after.userVersion, Store::schemaVersion);
    for (auto table = before.rows.cbegin(); table != before.rows.cend(); ++table)
        QCOMPARE(after.rows.value(table.key(), -1), table.value());
}

// The keychain answers on the event loop: this waits (up to 20 s) for the answer to the request
// ask makes and hands it back, or nothing when none came. The answer is shared with the callback,
// so a late one still has somewhere to go.
template<typename Answer, typename Ask> std::optional<Answer> keychainAnswer(Ask ask)
{
    auto answer = std::make_shared<std::optional<Answer>>();
    ask([answer](const Answer &given) { *answer = given; });
    if (!QTest::qWaitFor([&answer] { return answer->has_value(); }, 20000))
        return std::nullopt;
    return *answer;
}

const AuditEntry *entryNamed(const QList<AuditEntry> &entries, const QString &name)
{
    for (const AuditEntry &entry : entries) {
        if (entry.name == name)
            return &entry;
    }
    return nullptr;
}

// What write_upgrade_fixtures put in every audit trail, read back.
void checkAuditTrailContents(AuditLog &audit)
{
    // Every attempt, as it was answered.
    const QList<AuditEntry> entries = audit.entries();
    QCOMPARE(entries.size(), 3);
    const AuditEntry *deleted = entryNamed(entries, deletedItem().name);
    const AuditEntry *refused = entryNamed(entries, refusedItem().name);
    const AuditEntry *unanswered = entryNamed(entries, interruptedItem().name);
    QVERIFY(deleted && refused && unanswered);
    QCOMPARE(deleted->outcome, AuditEntry::Outcome::Deleted);
    QCOMPARE(deleted->httpStatus, 204);
    QCOMPARE(deleted->accountId, scriptixAccountId);
    QCOMPARE(deleted->requestId, deletedItem().requestId);
    QCOMPARE(refused->outcome, AuditEntry::Outcome::NotPermitted);
    QCOMPARE(refused->httpStatus, 403);
    QCOMPARE(refused->parentName, refusedItem().parentName);
    QCOMPARE(refused->message, QString::fromUtf8(refusedReason));
    QCOMPARE(unanswered->service, ServiceKind::Invox);
    QVERIFY(!unanswered->answered.isValid());

    // The interrupted batch can still be resumed, with its item.
    const QList<BatchSummary> interrupted = audit.interruptedBatches();
    QCOMPARE(interrupted.size(), 1);
    QCOMPARE(interrupted.first().origin, QString::fromLatin1(interruptedBatchOrigin));
    const QList<DeletionItem> items = audit.batchItems(interrupted.first().id);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().name, interruptedItem().name);
    QCOMPARE(items.first().ref.ids, interruptedItem().ids);
    QCOMPARE(items.first().attempts, 1);
}

// What write_upgrade_fixtures put in every Invox index, read back.
void checkInvoxIndexContents(InvoxIndex &index)
{
    const QList<QPair<QString, int>> consultations = index.consultations(invoxAccountId);
    QCOMPARE(consultations.size(), 2);
    QVERIFY(consultations.contains(qMakePair(QStringLiteral("cons-17"), 2)));
    QVERIFY(consultations.contains(qMakePair(QStringLiteral("cons-21"), 1)));
    for (const InvoxIndex::Document &expected : invoxDocuments()) {
        const QList<InvoxIndex::Document> documents
            = index.documents(invoxAccountId, expected.consultationSessionId);
        const auto found = std::find_if(documents.cbegin(), documents.cend(),
                                        [&](const InvoxIndex::Document &document) {
                                            return document.documentId == expected.documentId;
                                        });
        QVERIFY2(found != documents.cend(), qPrintable(expected.documentId));
        QCOMPARE(found->documentName, expected.documentName);
        QCOMPARE(found->documentType, expected.documentType);
        QCOMPARE(found->sizeBytes, expected.sizeBytes);
        QCOMPARE(found->addedAt, expected.addedAt);
        QCOMPARE(found->origin, expected.origin);
    }
}

} // namespace

class TestUpgradeData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySchemaVersionHasAFile();
    void auditTrailsOpenMigrateAndKeepTheirRows_data();
    void auditTrailsOpenMigrateAndKeepTheirRows();
    void invoxIndexesOpenMigrateAndKeepTheirRows_data();
    void invoxIndexesOpenMigrateAndKeepTheirRows();
    void newestFilesHaveTheSchemaThisBuildCreates();
    void accountsAndPendingRemovalsAreRead();
    void keychainEntriesAreLookedUpWhereTheyWereWritten();

private:
    QTemporaryDir m_dir;
};

void TestUpgradeData::everySchemaVersionHasAFile()
{
    // Schema 1 is the first either store had; each version since needs its own file, written
    // by the release that introduced it (write_upgrade_fixtures; see the folder's README).
    for (const auto &[prefix, current] :
         { std::pair { QStringLiteral("audit"), AuditLog::schemaVersion },
           std::pair { QStringLiteral("invox-index"), InvoxIndex::schemaVersion } }) {
        const QList<int> versions = fixtureVersions(prefix);
        for (int version = 1; version <= current; ++version) {
            QVERIFY2(versions.contains(version),
                     qPrintable(QStringLiteral("no %1-v%2.sqlite in %3: run write_upgrade_fixtures")
                                    .arg(prefix)
                                    .arg(version)
                                    .arg(fixtureDir)));
        }
        QVERIFY2(versions.last() <= current,
                 qPrintable(QStringLiteral("%1-v%2.sqlite is newer than this build's schema %3")
                                .arg(prefix)
                                .arg(versions.last())
                                .arg(current)));
    }
    QVERIFY(QFile::exists(QDir(fixtureDir).filePath(QStringLiteral("accounts-0.1.0.conf"))));
}

void TestUpgradeData::auditTrailsOpenMigrateAndKeepTheirRows_data()
{
    addFixtureVersionRows(QStringLiteral("audit"));
}

void TestUpgradeData::auditTrailsOpenMigrateAndKeepTheirRows()
{
    checkOpensMigratesAndKeepsRows<AuditLog>(QStringLiteral("audit"), m_dir,
                                             checkAuditTrailContents);
}

void TestUpgradeData::invoxIndexesOpenMigrateAndKeepTheirRows_data()
{
    addFixtureVersionRows(QStringLiteral("invox-index"));
}

void TestUpgradeData::invoxIndexesOpenMigrateAndKeepTheirRows()
{
    checkOpensMigratesAndKeepsRows<InvoxIndex>(QStringLiteral("invox-index"), m_dir,
                                               checkInvoxIndexContents);
}

void TestUpgradeData::newestFilesHaveTheSchemaThisBuildCreates()
{
    const QString freshAudit = m_dir.filePath(QStringLiteral("fresh-audit.sqlite"));
    const QString freshIndex = m_dir.filePath(QStringLiteral("fresh-invox-index.sqlite"));
    {
        AuditLog audit(freshAudit);
        InvoxIndex index(freshIndex);
        QString error;
        QVERIFY2(audit.open(&error), qPrintable(error));
        QVERIFY2(index.open(&error), qPrintable(error));
    }
    const QString newestAudit = QStringLiteral("audit-v%1.sqlite").arg(AuditLog::schemaVersion);
    const QString newestIndex
        = QStringLiteral("invox-index-v%1.sqlite").arg(InvoxIndex::schemaVersion);
    // Copies: a file in write-ahead-log mode is not read without writing beside it.
    QCOMPARE(readFacts(copyOf(newestAudit, m_dir)).schema, readFacts(freshAudit).schema);
    QCOMPARE(readFacts(copyOf(newestIndex, m_dir)).schema, readFacts(freshIndex).schema);
}

void TestUpgradeData::accountsAndPendingRemovalsAreRead()
{
    const QString path = copyOf(QStringLiteral("accounts-0.1.0.conf"), m_dir);
    QVERIFY(!path.isEmpty());
    AccountStore store(path);
    const QList<Account> read = store.accounts();
    const QList<Account> written = accounts();
    QCOMPARE(read.size(), written.size());
    for (const Account &expected : written) {
        const std::optional<Account> account = store.find(expected.id);
        QVERIFY2(account, qPrintable(expected.name));
        QCOMPARE(account->service, expected.service);
        QCOMPARE(account->name, expected.name);
        QCOMPARE(account->baseUrl, expected.baseUrl);
        QCOMPARE(account->requestsPerMinute, expected.requestsPerMinute);
        for (auto setting = expected.settings.cbegin(); setting != expected.settings.cend();
             ++setting)
            QCOMPARE(account->setting(setting.key()), setting.value().toString());
    }

    MemoryCredentialStore inner;
    PendingRemovalStore pending(&inner, path);
    QCOMPARE(pending.pendingKeys(), pendingRemovals());
}

void TestUpgradeData::keychainEntriesAreLookedUpWhereTheyWereWritten()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,
                 "DOCKET_REQUIRE_KEYCHAIN is set but there is no D-Bus session");
        QSKIP("no D-Bus session: run through scripts/test.sh for a real keychain");
    }
    // Written as 0.1.0 wrote a Scriptix token: keychain service "Docket", key
    // "<account id>/token". A fresh account id, so nothing real is touched.
    const QString accountId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString key = accountId + QStringLiteral("/token");
    auto *job = new QKeychain::WritePasswordJob(QStringLiteral("Docket"));
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(QStringLiteral("secret-from-0.1.0"));
    std::optional<QString> writeError;
    connect(job, &QKeychain::Job::finished, this, [&](QKeychain::Job *finished) {
        writeError = finished->error() == QKeychain::NoError ? QString() : finished->errorString();
    });
    job->start();
    QTRY_VERIFY_WITH_TIMEOUT(writeError.has_value(), 20000);
    if (!writeError->isEmpty()) {
        QVERIFY2(qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") != 1,
                 qPrintable(*writeError));
        QSKIP(qPrintable(*writeError));
    }

    KeychainCredentialStore store; // as docket and docket-cli make it
    QCOMPARE(secretKey(accountId, Secret::token), key);
    const auto read = keychainAnswer<CredentialStore::ReadResult>(
        [&](auto done) { store.read(secretKey(accountId, Secret::token), this, done); });
    QVERIFY2(read, "the keychain did not answer the read");
    QCOMPARE(read->error, QString());
    QCOMPARE(read->value.value_or(QString()), QStringLiteral("secret-from-0.1.0"));

    const auto removeError
        = keychainAnswer<QString>([&](auto done) { store.remove(key, this, done); });
    QVERIFY2(removeError, "the keychain did not answer the removal");
    QCOMPARE(*removeError, QString());
}

QTEST_GUILESS_MAIN(TestUpgradeData)
#include "tst_upgrade_data.moc"
