// PendingRemovalStore: a removal the keychain refuses is reported as failed, its key listed in the
// settings (never the value), read as missing from then on, and removed again at the next start.

#include "fakekeychain.h"
#include "pendingremovalstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

class TestPendingRemovalStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedRemovalIsListedAndRetriedAtTheNextStart();
    void aNewSignInIsNotDeletedLater();

private:
    QString write(CredentialStore &store, const QString &key, const QString &secret);
    std::optional<QString> read(CredentialStore &store, const QString &key);
    QString remove(CredentialStore &store, const QString &key);
    PendingRemovalStore::RetryResult retry(PendingRemovalStore &store);

    QTemporaryDir m_dir;
};

QString TestPendingRemovalStore::write(CredentialStore &store, const QString &key,
                                       const QString &secret)
{
    std::optional<QString> error;
    store.write(key, secret, this, [&](const QString &e) { error = e; });
    return QTest::qWaitFor([&] { return error.has_value(); }, 5000) ? *error
                                                                    : QStringLiteral("timed out");
}

std::optional<QString> TestPendingRemovalStore::read(CredentialStore &store, const QString &key)
{
    std::optional<CredentialStore::ReadResult> result;
    store.read(key, this, [&](const CredentialStore::ReadResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        return QStringLiteral("timed out");
    return result->value;
}

QString TestPendingRemovalStore::remove(CredentialStore &store, const QString &key)
{
    std::optional<QString> error;
    store.remove(key, this, [&](const QString &e) { error = e; });
    return QTest::qWaitFor([&] { return error.has_value(); }, 5000) ? *error
                                                                    : QStringLiteral("timed out");
}

PendingRemovalStore::RetryResult TestPendingRemovalStore::retry(PendingRemovalStore &store)
{
    std::optional<PendingRemovalStore::RetryResult> result;
    store.retryPending(this, [&](const PendingRemovalStore::RetryResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        return { 0, -1, QStringLiteral("timed out") };
    return *result;
}

void TestPendingRemovalStore::refusedRemovalIsListedAndRetriedAtTheNextStart()
{
    const QString settings = m_dir.filePath(QStringLiteral("refused.ini"));
    FakeKeychain keychain;
    {
        PendingRemovalStore store(&keychain, settings);
        QCOMPARE(write(store, QStringLiteral("acct/token"), QStringLiteral("s3cret-value")),
                 QString());
        QCOMPARE(write(store, QStringLiteral("acct/apiKey"), QStringLiteral("other-value")),
                 QString());
        keychain.removalRefusal = QStringLiteral("The system keychain is locked.");
        const QString error = remove(store, QStringLiteral("acct/token"));
        QVERIFY2(error.startsWith(keychain.removalRefusal), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("tries again to delete it each time")),
                 qPrintable(error));
        QCOMPARE(store.pendingKeys(), QStringList { QStringLiteral("acct/token") });
        // The keychain kept it, but to Docket it is gone: read as missing, the keychain not asked.
        const int reads = keychain.reads;
        QCOMPARE(read(store, QStringLiteral("acct/token")), std::nullopt);
        QCOMPARE(keychain.reads, reads);
        QCOMPARE(read(store, QStringLiteral("acct/apiKey")),
                 std::optional<QString>(QStringLiteral("other-value")));
        // Still refused at a start: still listed, and said why.
        const PendingRemovalStore::RetryResult refused = retry(store);
        QCOMPARE(refused.removed, 0);
        QCOMPARE(refused.stillPending, 1);
        QVERIFY(refused.error.startsWith(keychain.removalRefusal));
    }
    // The settings hold the key's name, never a value.
    QFile file(settings);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY2(written.contains("acct/token"), written.constData());
    QVERIFY(!written.contains("s3cret-value"));
    QVERIFY(keychain.secrets.contains(QStringLiteral("acct/token")));

    // The next start, with the keychain working again: removed, and the list empty.
    keychain.removalRefusal.clear();
    PendingRemovalStore restarted(&keychain, settings);
    QCOMPARE(restarted.pendingKeys(), QStringList { QStringLiteral("acct/token") });
    const PendingRemovalStore::RetryResult done = retry(restarted);
    QCOMPARE(done.removed, 1);
    QCOMPARE(done.stillPending, 0);
    QVERIFY(!keychain.secrets.contains(QStringLiteral("acct/token")));
    QCOMPARE(restarted.pendingKeys(), QStringList());
    QCOMPARE(PendingRemovalStore(&keychain, settings).pendingKeys(), QStringList());
    // Nothing listed: a start asks nothing of the keychain.
    QCOMPARE(retry(restarted).removed, 0);
}

void TestPendingRemovalStore::aNewSignInIsNotDeletedLater()
{
    const QString settings = m_dir.filePath(QStringLiteral("resigned.ini"));
    FakeKeychain keychain;
    PendingRemovalStore store(&keychain, settings);
    QCOMPARE(write(store, QStringLiteral("acct/token"), QStringLiteral("old")), QString());
    keychain.removalRefusal = QStringLiteral("refused");
    QVERIFY(!remove(store, QStringLiteral("acct/token")).isEmpty());
    keychain.removalRefusal.clear();
    // The user signs in again before the next start: the new secret is wanted.
    QCOMPARE(write(store, QStringLiteral("acct/token"), QStringLiteral("new")), QString());
    QCOMPARE(store.pendingKeys(), QStringList());
    QCOMPARE(retry(store).removed, 0);
    QCOMPARE(read(store, QStringLiteral("acct/token")),
             std::optional<QString>(QStringLiteral("new")));
}

QTEST_GUILESS_MAIN(TestPendingRemovalStore)
#include "tst_pendingremovalstore.moc"
