// KeychainCredentialStore against the real OS keychain (gnome-keyring inside the private D-Bus
// session scripts/test.sh starts). Skips, saying why, where no keychain can be reached.

#include "keychaincredentialstore.h"

#include <QTest>
#include <QUuid>

using namespace Docket;

class TestKeychainStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writeReadRemove();
    void missingEntryIsNotAnError();

private:
    // Where the test runner promises a keychain (scripts/test.sh), its absence is a failure.
    static bool keychainRequired()
    {
        return qEnvironmentVariableIntValue("DOCKET_REQUIRE_KEYCHAIN") == 1;
    }

    QString m_key
        = QStringLiteral("docket-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    KeychainCredentialStore m_store { QStringLiteral("Docket tests") };
};

void TestKeychainStore::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        QVERIFY2(!keychainRequired(),
                 "DOCKET_REQUIRE_KEYCHAIN is set but there is no D-Bus session");
        QSKIP("no D-Bus session: run through scripts/test.sh for a real keychain");
    }
}

void TestKeychainStore::writeReadRemove()
{
    std::optional<QString> writeError;
    m_store.write(m_key, QStringLiteral("sécret-ü"), this,
                  [&](const QString &error) { writeError = error; });
    QTRY_VERIFY_WITH_TIMEOUT(writeError.has_value(), 20000);
    if (writeError->contains(QStringLiteral("unavailable"))) {
        QVERIFY2(!keychainRequired(), qPrintable(*writeError));
        QSKIP(qPrintable(*writeError));
    }
    QCOMPARE(*writeError, QString());

    std::optional<CredentialStore::ReadResult> read;
    m_store.read(m_key, this, [&](const CredentialStore::ReadResult &result) { read = result; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20000);
    QCOMPARE(read->error, QString());
    QCOMPARE(read->value.value_or(QString()), QStringLiteral("sécret-ü"));

    std::optional<QString> removeError;
    m_store.remove(m_key, this, [&](const QString &error) { removeError = error; });
    QTRY_VERIFY_WITH_TIMEOUT(removeError.has_value(), 20000);
    QCOMPARE(*removeError, QString());

    read.reset();
    m_store.read(m_key, this, [&](const CredentialStore::ReadResult &result) { read = result; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20000);
    QVERIFY(!read->value.has_value());
}

void TestKeychainStore::missingEntryIsNotAnError()
{
    std::optional<CredentialStore::ReadResult> read;
    m_store.read(m_key + QStringLiteral("-never-written"), this,
                 [&](const CredentialStore::ReadResult &result) { read = result; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20000);
    if (read->error.contains(QStringLiteral("unavailable"))) {
        QVERIFY2(!keychainRequired(), qPrintable(read->error));
        QSKIP(qPrintable(read->error));
    }
    QCOMPARE(read->error, QString());
    QVERIFY(!read->value.has_value());
}

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychain_store.moc"
