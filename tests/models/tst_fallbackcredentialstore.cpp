// FallbackCredentialStore: the keychain while it works; after its first failure, memory for the
// rest of the run, said once, and never a plain-text file.

#include "fakekeychain.h"
#include "fallbackcredentialstore.h"
#include "keychaincredentialstore.h"
#include "nokeychain.h"

#include <QSignalSpy>
#include <QTest>

using namespace Docket;

class TestFallbackCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usesTheKeychainWhileItWorks();
    void notFoundIsNotAFailure();
    void firstFailureSwitchesToMemoryOnce();
    void refusedRemovalIsNeverReportedDone();
    void failedReadReportsNoSecret();
    void realKeychainWithoutDBusFallsBack();

private:
    QString write(CredentialStore &store, const QString &key, const QString &secret);
    CredentialStore::ReadResult read(CredentialStore &store, const QString &key);
    QString remove(CredentialStore &store, const QString &key);
};

QString TestFallbackCredentialStore::write(CredentialStore &store, const QString &key,
                                           const QString &secret)
{
    std::optional<QString> error;
    store.write(key, secret, this, [&](const QString &e) { error = e; });
    if (!QTest::qWaitFor([&] { return error.has_value(); }, 20000))
        return QStringLiteral("timed out");
    return *error;
}

CredentialStore::ReadResult TestFallbackCredentialStore::read(CredentialStore &store,
                                                              const QString &key)
{
    std::optional<CredentialStore::ReadResult> result;
    store.read(key, this, [&](const CredentialStore::ReadResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return { std::nullopt, QStringLiteral("timed out") };
    return *result;
}

QString TestFallbackCredentialStore::remove(CredentialStore &store, const QString &key)
{
    std::optional<QString> error;
    store.remove(key, this, [&](const QString &e) { error = e; });
    if (!QTest::qWaitFor([&] { return error.has_value(); }, 20000))
        return QStringLiteral("timed out");
    return *error;
}

void TestFallbackCredentialStore::usesTheKeychainWhileItWorks()
{
    FakeKeychain keychain;
    FallbackCredentialStore store(&keychain);
    QSignalSpy unavailable(&store, &FallbackCredentialStore::keychainUnavailable);
    QCOMPARE(write(store, QStringLiteral("a/token"), QStringLiteral("s1")), QString());
    QCOMPARE(keychain.secrets.value(QStringLiteral("a/token")), QStringLiteral("s1"));
    QCOMPARE(read(store, QStringLiteral("a/token")).value,
             std::optional<QString>(QStringLiteral("s1")));
    QCOMPARE(remove(store, QStringLiteral("a/token")), QString());
    QVERIFY(keychain.secrets.isEmpty());
    QVERIFY(!store.isUsingMemory());
    QCOMPARE(unavailable.count(), 0);
    QCOMPARE(store.description(), QStringLiteral("the fake keychain"));
}

void TestFallbackCredentialStore::notFoundIsNotAFailure()
{
    FakeKeychain keychain;
    FallbackCredentialStore store(&keychain);
    QSignalSpy unavailable(&store, &FallbackCredentialStore::keychainUnavailable);
    const CredentialStore::ReadResult missing = read(store, QStringLiteral("a/none"));
    QVERIFY(!missing.value);
    QVERIFY(missing.error.isEmpty());
    QVERIFY(!store.isUsingMemory());
    QCOMPARE(unavailable.count(), 0);
}

void TestFallbackCredentialStore::firstFailureSwitchesToMemoryOnce()
{
    FakeKeychain keychain;
    keychain.failure = QStringLiteral("The system keychain is unavailable: locked");
    FallbackCredentialStore store(&keychain);
    QSignalSpy unavailable(&store, &FallbackCredentialStore::keychainUnavailable);

    // The failing write completes from memory, successfully.
    QCOMPARE(write(store, QStringLiteral("a/token"), QStringLiteral("s1")), QString());
    QVERIFY(store.isUsingMemory());
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.first().first().toString(), keychain.failure);
    QCOMPARE(store.unavailableReason(), keychain.failure);
    QVERIFY(store.description().contains(QStringLiteral("memory")));

    // From now on reads and writes work from memory without asking the keychain again.
    const int callsAfterSwitch = keychain.calls;
    QCOMPARE(read(store, QStringLiteral("a/token")).value,
             std::optional<QString>(QStringLiteral("s1")));
    QCOMPARE(write(store, QStringLiteral("a/other"), QStringLiteral("s2")), QString());
    QCOMPARE(keychain.calls, callsAfterSwitch);
    QVERIFY(keychain.secrets.isEmpty());
    // A removal still asks the keychain, which may hold the secret from before: its refusal is
    // reported, though the copy in memory is gone.
    QCOMPARE(remove(store, QStringLiteral("a/token")), keychain.failure);
    QCOMPARE(keychain.calls, callsAfterSwitch + 1);
    QVERIFY(!read(store, QStringLiteral("a/token")).value);
    QCOMPARE(unavailable.count(), 1);
}

void TestFallbackCredentialStore::refusedRemovalIsNeverReportedDone()
{
    FakeKeychain keychain;
    FallbackCredentialStore store(&keychain);
    QCOMPARE(write(store, QStringLiteral("a/token"), QStringLiteral("s1")), QString());
    keychain.failure = QStringLiteral("The system keychain is unavailable: locked");
    QCOMPARE(remove(store, QStringLiteral("a/token")), keychain.failure);
    QCOMPARE(keychain.secrets.value(QStringLiteral("a/token")), QStringLiteral("s1"));
    QVERIFY(store.isUsingMemory());
    // Once it works again, the removal does too.
    keychain.failure.clear();
    QCOMPARE(remove(store, QStringLiteral("a/token")), QString());
    QVERIFY(keychain.secrets.isEmpty());
}

void TestFallbackCredentialStore::failedReadReportsNoSecret()
{
    FakeKeychain keychain;
    keychain.failure = QStringLiteral("The system keychain is unavailable: no secret service");
    FallbackCredentialStore store(&keychain);
    QSignalSpy unavailable(&store, &FallbackCredentialStore::keychainUnavailable);
    const CredentialStore::ReadResult result = read(store, QStringLiteral("a/token"));
    QVERIFY(!result.value);
    QVERIFY(result.error.isEmpty());
    QCOMPARE(unavailable.count(), 1);
    // Several calls failing at once still say it once.
    int done = 0;
    for (int i = 0; i < 3; ++i)
        store.remove(QStringLiteral("a/x%1").arg(i), this, [&](const QString &) { ++done; });
    QTRY_COMPARE(done, 3);
    QCOMPARE(unavailable.count(), 1);
}

void TestFallbackCredentialStore::realKeychainWithoutDBusFallsBack()
{
    KeychainCredentialStore keychain(QStringLiteral("Docket tests"));
    FallbackCredentialStore store(&keychain);
    QSignalSpy unavailable(&store, &FallbackCredentialStore::keychainUnavailable);
    QCOMPARE(write(store, QStringLiteral("k/token"), QStringLiteral("never-on-disk")), QString());
    QVERIFY(store.isUsingMemory());
    QCOMPARE(unavailable.count(), 1);
    const QString reason = unavailable.first().first().toString();
    QVERIFY2(reason.contains(QStringLiteral("keychain is unavailable")), qPrintable(reason));
    QCOMPARE(read(store, QStringLiteral("k/token")).value,
             std::optional<QString>(QStringLiteral("never-on-disk")));

    // No plain-text file anywhere under the (test) home.
    verifyNoFileUnderHomeHolds("never-on-disk");
}

int main(int argc, char *argv[])
{
    return runWithoutKeychain<TestFallbackCredentialStore>(argc, argv);
}

#include "tst_fallbackcredentialstore.moc"
