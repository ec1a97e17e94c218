// LogSink: every shape of secret is redacted before a line is written, what is not a secret
// (paths, statuses, X-Request-IDs) stays, and docket.* detail goes to the file only.

#include "logging.h"
#include "logsink.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

class TestLogSink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redactsEachShapeOfSecret_data();
    void redactsEachShapeOfSecret();
    void keepsWhatIsNotASecret_data();
    void keepsWhatIsNotASecret();
    void formatsALinePerMessage();
    void writesRedactedLinesToTheFile();
    void withoutAFileDocketDetailIsOff();
    void aFileThatCannotBeOpenedIsSaid();
    void cleanup() { LogSink::uninstall(); }
};

void TestLogSink::redactsEachShapeOfSecret_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected");

    QTest::newRow("bearer") << "sent with Bearer abc.DEF-123_xyz~ ok"
                            << "abc.DEF-123_xyz~"
                            << "sent with Bearer [redacted] ok";
    QTest::newRow("authorization header") << "Authorization: Basic dXNlcjpwYXNz"
                                          << "dXNlcjpwYXNz"
                                          << "Authorization: [redacted]";
    QTest::newRow("x-api-key") << "x-api-key: dp_demo_k7Q2"
                               << "dp_demo_k7Q2"
                               << "x-api-key: [redacted]";
    QTest::newRow("cv-api-key") << "CV-API-KEY:tenant-77"
                                << "tenant-77"
                                << "CV-API-KEY:[redacted]";
    QTest::newRow("x-zoom-s2t-key") << "header x-zoom-s2t-key = s2t-short"
                                    << "s2t-short"
                                    << "header x-zoom-s2t-key = [redacted]";
    QTest::newRow("any x-...-token header") << "X-Session-Token: st-1"
                                            << "st-1"
                                            << "X-Session-Token: [redacted]";
    QTest::newRow("json header") << "{\"x-api-key\": \"k-9\"}"
                                 << "k-9"
                                 << "{\"x-api-key\": [redacted]";
    QTest::newRow("jwt") << "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln end"
                         << "eyJhbGciOiJIUzI1NiJ9"
                         << "token [redacted] end";
    QTest::newRow("long hex") << "id 0123456789abcdef0123456789abcdef here"
                              << "0123456789abcdef0123456789abcdef"
                              << "id [redacted] here";
    QTest::newRow("long lower-case token") << "k abcdefghijklmnopqrstuvwxyz0 k"
                                           << "abcdefghijklmnopqrstuvwxyz0"
                                           << "k [redacted] k";
    QTest::newRow("long base64url") << "got Zm9vYmFyYmF6cXV4cXV1eF8tMTIzNA-_ back"
                                    << "Zm9vYmFyYmF6cXV4cXV1eF8tMTIzNA-_"
                                    << "got [redacted] back";
    QTest::newRow("token=") << "/path?token=abc&page=2"
                            << "abc"
                            << "/path?token=[redacted]&page=2";
    QTest::newRow("access_token=") << "access_token=t0k"
                                   << "t0k"
                                   << "access_token=[redacted]";
    QTest::newRow("key=") << "a=1&key=k1 b"
                          << "k1"
                          << "a=1&key=[redacted] b";
    QTest::newRow("api_key=") << "api_key=k2"
                              << "k2"
                              << "api_key=[redacted]";
    QTest::newRow("password=") << "user=a&password=hunter2"
                               << "hunter2"
                               << "user=a&password=[redacted]";
    QTest::newRow("code=") << "verify code=123456&x=1"
                           << "123456"
                           << "verify code=[redacted]&x=1";
    QTest::newRow("signature=") << "?X-Amz-Signature=abcd1234"
                                << "abcd1234"
                                << "?X-Amz-Signature=[redacted]";
    QTest::newRow("json refresh token") << "{\"refreshToken\": \"r-1\", \"n\": 2}"
                                        << "r-1"
                                        << "{\"refreshToken\": \"[redacted]\", \"n\": 2}";
    QTest::newRow("json otp code") << "{\"otpCode\":\"654321\"}"
                                   << "654321"
                                   << "{\"otpCode\":\"[redacted]\"}";
}

void TestLogSink::redactsEachShapeOfSecret()
{
    QFETCH(QString, text);
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    const QString redacted = LogSink::redactSecrets(text);
    QCOMPARE(redacted, expected);
    QVERIFY(!redacted.contains(secret));
}

void TestLogSink::keepsWhatIsNotASecret_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("request line") << "GET /api/v3/sessions/42/documents 200 12 ms X-Request-ID "
                                     "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
    QTest::newRow("queue line") << "item 7 of batch 3 (scriptix session s-42) state=deleted "
                                   "attempts=1 status=204";
    QTest::newRow("sentence") << "renewing the sign-in; the token was refused";
    QTest::newRow("endpoint words") << "POST /v1/generate-upload-signed-url 200 4 ms";
    QTest::newRow("short ids") << "DELETE /v1/documents/doc-123456789 404 3 ms";
}

void TestLogSink::keepsWhatIsNotASecret()
{
    QFETCH(QString, text);
    QCOMPARE(LogSink::redactSecrets(text), text);
}

void TestLogSink::formatsALinePerMessage()
{
    const QDateTime time(QDate(2026, 12, 1), QTime(21, 53, 38, 123), Qt::UTC);
    QCOMPARE(LogSink::formatLine(QtInfoMsg, "docket.net", QStringLiteral("GET / 200"), time),
             QStringLiteral("2026-12-01T21:53:38.123Z info docket.net: GET / 200"));
    // A line break cannot start a line that looks like one of Docket's.
    QCOMPARE(LogSink::formatLine(QtWarningMsg, nullptr, QStringLiteral("a\r\nb\rc"), time),
             QStringLiteral("2026-12-01T21:53:38.123Z warning default: a\n    b\n    c"));
}

void TestLogSink::writesRedactedLinesToTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("docket.log"));
    QString error;
    QVERIFY(LogSink::install(path, &error));
    QVERIFY(lcNet().isInfoEnabled() || !qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"));
    qCInfo(lcNet) << "GET /v1/items 200 5 ms";
    qCInfo(lcAuth).noquote() << "sent Authorization: Bearer s3cr3t-t0ken-value";
    qCWarning(lcQueue).noquote() << "url?password=hunter2&x=1";
    LogSink::uninstall();

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString log = QString::fromUtf8(file.readAll());
    QVERIFY2(log.contains(QRegularExpression(
                 QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z info docket\\.net: GET /v1/items "
                                "200 5 ms$"),
                 QRegularExpression::MultilineOption)),
             qPrintable(log));
    QVERIFY(log.contains(QStringLiteral("info docket.auth: sent Authorization: [redacted]")));
    QVERIFY(log.contains(QStringLiteral("warning docket.queue: url?password=[redacted]&x=1")));
    QVERIFY(!log.contains(QStringLiteral("s3cr3t")));
    QVERIFY(!log.contains(QStringLiteral("hunter2")));
}

void TestLogSink::withoutAFileDocketDetailIsOff()
{
    if (!qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QSKIP("QT_LOGGING_RULES decides here");
    QString error;
    QVERIFY(LogSink::install(QString(), &error));
    // Standard error stays as it was: no line per request unless asked.
    for (const QLoggingCategory *category :
         { &lcNet(), &lcAuth(), &lcModel(), &lcQueue(), &lcAudit() }) {
        QVERIFY2(!category->isInfoEnabled(), category->categoryName());
        QVERIFY(category->isWarningEnabled());
    }
}

void TestLogSink::aFileThatCannotBeOpenedIsSaid()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!LogSink::install(dir.filePath(QStringLiteral("missing/dir/docket.log")), &error));
    QVERIFY2(error.contains(QStringLiteral("log file")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestLogSink)
#include "tst_logsink.moc"
