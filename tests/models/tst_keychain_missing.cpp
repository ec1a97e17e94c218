// With no keychain reachable, every call ends promptly with a readable reason: nothing hangs and
// nothing is written anywhere else.

#include "keychaincredentialstore.h"
#include "nokeychain.h"

#include <QStandardPaths>
#include <QTest>

using namespace Docket;

class TestKeychainMissing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callsFailWithTheReason();
};

void TestKeychainMissing::callsFailWithTheReason()
{
    KeychainCredentialStore store(QStringLiteral("Docket tests"));
    std::optional<QString> writeError;
    store.write(QStringLiteral("k/token"), QStringLiteral("never-on-disk"), this,
                [&](const QString &error) { writeError = error; });
    QTRY_VERIFY_WITH_TIMEOUT(writeError.has_value(), 20000);
    QVERIFY2(writeError->contains(QStringLiteral("keychain is unavailable")),
             qPrintable(*writeError));

    std::optional<CredentialStore::ReadResult> read;
    store.read(QStringLiteral("k/token"), this,
               [&](const CredentialStore::ReadResult &result) { read = result; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20000);
    QVERIFY(!read->value.has_value());
    QVERIFY(!read->error.isEmpty());

    // No plain-text fallback file anywhere under the (test) home.
    verifyNoFileUnderHomeHolds("never-on-disk");
}

int main(int argc, char *argv[])
{
    return runWithoutKeychain<TestKeychainMissing>(argc, argv);
}

#include "tst_keychain_missing.moc"
