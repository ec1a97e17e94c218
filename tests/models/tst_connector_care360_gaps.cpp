// Care360Connector against a small HTTP server, for the [gap] alternatives the sandbox does not
// produce: other token shapes and a short expiresIn for the proactive renewal, odd file items and
// wrong shapes, download links over plain http.

#include "care360suite.h"

class TestCare360Gaps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // No sandbox here, but the sessions' files stay in the test's own standard locations.
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void tolerantTokensAndProactiveRenewal();
    void tolerantFileItemsAndWrongShapes();
    void downloadLinksOverPlainHttpAreRefused();
};

void TestCare360Gaps::tolerantTokensAndProactiveRenewal()
{
    FakeService fake;
    // Top level, snake_case, and a short life so the renewal comes before the expiry.
    fake.answer("/api/v1/users/auth/verify-otp", 200,
                R"({"access_token":"A1","refresh_token":"R1","expires_in":4})");
    // Inside "data", mixed names, no expiresIn (the default, 900 s, applies).
    fake.answer("/api/v1/users/auth/refresh-token", 200,
                R"({"success":true,"data":{"access_token":"A2","refreshToken":"R2"}})");
    fake.answer("/api/v1/users/me/files", 200, R"({"data":{"files":[]}})");
    Harness h(fake.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));

    const Outcome verify = run(h.connector->verifyCode(QStringLiteral("123456")));
    QVERIFY2(!verify.error.isError(), qPrintable(verify.error.summary()));
    QCOMPARE(h.session->secret(Secret::accessToken), QStringLiteral("A1"));
    QCOMPARE(h.session->secret(Secret::refreshToken), QStringLiteral("R1"));
    QCOMPARE(fake.requests.last().headers.value("cv-api-key"), QByteArray("tk"));
    QVERIFY(!fake.requests.last().headers.contains("authorization"));
    QCOMPARE(QJsonDocument::fromJson(fake.requests.last().body).object(),
             QJsonObject({ { QStringLiteral("email"), QStringLiteral("patient@example.org") },
                           { QStringLiteral("code"), QStringLiteral("123456") } }));

    QVERIFY(!run(h.connector->list({ NodeKind::Account, {} }, {})).error.isError());
    QCOMPARE(fake.requests.last().headers.value("authorization"), QByteArray("Bearer A1"));

    // expires_in 4 s: renewed a second before, without waiting for a 401.
    QTest::qWait(3200);
    const Outcome listed = run(h.connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!listed.error.isError(), qPrintable(listed.error.summary()));
    QCOMPARE(h.session->renewalsStarted(), 1);
    QCOMPARE(fake.requests.size(), 4);
    const FakeService::Request &refresh = fake.requests.at(2);
    QCOMPARE(refresh.method, QByteArray("POST"));
    QCOMPARE(refresh.target, QByteArray("/api/v1/users/auth/refresh-token"));
    QCOMPARE(refresh.headers.value("cv-api-key"), QByteArray("tk"));
    QVERIFY(!refresh.headers.contains("authorization")); // no Bearer on refresh
    QVERIFY(refresh.headers.value("content-type").startsWith("application/json"));
    QCOMPARE(QJsonDocument::fromJson(refresh.body).object(),
             QJsonObject({ { QStringLiteral("refresh_token"), QStringLiteral("R1") } }));
    QCOMPARE(fake.requests.at(3).headers.value("authorization"), QByteArray("Bearer A2"));
    QCOMPARE(h.session->secret(Secret::refreshToken), QStringLiteral("R2"));

    // A token answer without tokens is malformed, and nothing is stored.
    FakeService broken;
    broken.answer("/api/v1/users/auth/verify-otp", 200,
                  R"({"status":200,"success":true,"data":{}})");
    Harness b(broken.baseUrl(), QStringLiteral("+15555550100"), QStringLiteral("tk"));
    const Outcome bad = run(b.connector->verifyCode(QStringLiteral("123456")));
    QCOMPARE(bad.error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY(!b.session->hasSecret(Secret::accessToken));
    QCOMPARE(QJsonDocument::fromJson(broken.requests.last().body)
                 .object()
                 .value(QStringLiteral("phoneNumber"))
                 .toString(),
             QStringLiteral("+15555550100"));
}

void TestCare360Gaps::tolerantFileItemsAndWrongShapes()
{
    FakeService fake;
    fake.answer("/api/v1/users/auth/verify-otp", 200,
                R"({"data":{"accessToken":"A","refreshToken":"R","expiresIn":"900"}})");
    // Odd but readable items: missing fields, a number for a case id, no id (skipped), not an
    // object (skipped), a file without a case (not a case).
    fake.answer("/api/v1/users/me/files", 200, R"({"data":{"files":[
        {"id":"f1","caseId":"c1"},
        {"id":"f2","caseId":42,"fileName":"b.pdf","isPHI":"yes","size":"big","createdAt":"nope"},
        {"fileName":"no id","caseId":"c1"},
        "not an object",
        {"id":"f3","caseId":null,"fileName":"loose.txt"},
        {"id":"f4","caseId":"c1","fileName":"new.pdf","isPHI":false,"isRestricted":true,
         "createdAt":"2026-03-14T10:22:05.123+01:00","uploadedBy":{"firstName":"Ana"}}
    ]}})");
    Harness h(fake.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));
    QVERIFY(!run(h.connector->verifyCode(QStringLiteral("123456"))).error.isError());

    const Outcome cases = run(h.connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!cases.error.isError(), qPrintable(cases.error.summary()));
    QCOMPARE(cases.page.items.size(), 2);
    QCOMPARE(cases.page.items.at(0).ref.id(), QStringLiteral("c1"));
    QCOMPARE(cases.page.items.at(0).details.value(QStringLiteral("fileCount")).toInt(), 2);
    QCOMPARE(cases.page.items.at(0).created,
             QDateTime(QDate(2026, 3, 14), QTime(9, 22, 5, 123), Qt::UTC));
    QCOMPARE(cases.page.items.at(1).ref.id(), QStringLiteral("42"));
    QVERIFY(!cases.page.items.at(1).created.isValid());

    // The first list of c1 comes from the account's answer: its files with caseId "c1".
    const qsizetype requestsBefore = fake.requests.size();
    const Outcome known
        = run(h.connector->list({ NodeKind::Care360Case, { QStringLiteral("c1") } }, {}));
    QVERIFY2(!known.error.isError(), qPrintable(known.error.summary()));
    QCOMPARE(fake.requests.size(), requestsBefore);
    QCOMPARE(known.page.items.size(), 2);
    QCOMPARE(known.page.total, 2);
    QCOMPARE(known.page.items.at(0).ref.id(), QStringLiteral("f1"));
    QCOMPARE(known.page.items.at(1).ref.id(), QStringLiteral("f4"));
    QCOMPARE(known.page.items.at(1).status, QStringLiteral("General, restricted"));
    QCOMPARE(known.page.items.at(1).details.value(QStringLiteral("uploadedBy")).toString(),
             QStringLiteral("Ana"));
    const Outcome numbered
        = run(h.connector->list({ NodeKind::Care360Case, { QStringLiteral("42") } }, {}));
    QCOMPARE(numbered.page.items.size(), 1);
    QCOMPARE(numbered.page.items.at(0).ref,
             NodeRef({ NodeKind::Care360File, { QStringLiteral("42"), QStringLiteral("f2") } }));
    QCOMPARE(fake.requests.size(), requestsBefore);

    // Listed again, c1 is asked for: the fake answers every list with every file.
    const Outcome files
        = run(h.connector->list({ NodeKind::Care360Case, { QStringLiteral("c1") } }, {}));
    QVERIFY2(!files.error.isError(), qPrintable(files.error.summary()));
    QCOMPARE(fake.requests.size(), requestsBefore + 1);
    QVERIFY(fake.requests.last().target.contains("caseId=c1"));
    QCOMPARE(files.page.items.size(), 4); // f1, f2, f3, f4: the one without an id is left out
    const RemoteItem &bare = files.page.items.at(0);
    QCOMPARE(bare.name, QStringLiteral("f1"));
    QVERIFY(!bare.created.isValid());
    QCOMPARE(bare.sizeBytes, qint64(-1));
    QCOMPARE(bare.status, QString());
    const RemoteItem &odd = files.page.items.at(1);
    QCOMPARE(odd.sizeBytes, qint64(-1));
    QVERIFY(!odd.created.isValid());
    const RemoteItem &full = files.page.items.at(3);
    QCOMPARE(full.status, QStringLiteral("General, restricted"));
    QCOMPARE(full.details.value(QStringLiteral("uploadedBy")).toString(), QStringLiteral("Ana"));
    QCOMPARE(full.ref,
             NodeRef({ NodeKind::Care360File, { QStringLiteral("c1"), QStringLiteral("f4") } }));

    // A 2xx that is JSON but not the documented shape is malformed, for lists and details.
    FakeService wrong;
    wrong.answer("/api/v1/users/auth/verify-otp", 200, R"({"accessToken":"A","refreshToken":"R"})");
    wrong.answer("/api/v1/users/me/files", 200, R"({"data":{"items":[]}})");
    wrong.answer("/api/v1/users/me/files/f1/metadata", 200, R"({"data":[1,2]})");
    wrong.answer("/api/v1/users/me/files/f1/download", 200,
                 R"x({"data":{"downloadUrl":"javascript:alert(1)","fileName":"x"}})x");
    Harness w(wrong.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));
    QVERIFY(!run(w.connector->verifyCode(QStringLiteral("123456"))).error.isError());
    QCOMPARE(run(w.connector->list({ NodeKind::Account, {} }, {})).error.kind,
             ApiError::Kind::MalformedResponse);
    QCOMPARE(
        run(w.connector->list({ NodeKind::Care360Case, { QStringLiteral("c") } }, {})).error.kind,
        ApiError::Kind::MalformedResponse);
    const NodeRef f1 { NodeKind::Care360File, { QStringLiteral("c"), QStringLiteral("f1") } };
    QCOMPARE(run(w.connector->fetchMetadata(f1)).error.kind, ApiError::Kind::MalformedResponse);
    QCOMPARE(run(w.connector->fetchDownloadLink(f1)).error.kind, ApiError::Kind::MalformedResponse);
}

// A health record behind a plain http link would cross the network unencrypted when the user
// opens it: such a link is refused with the reason, and never offered. https is fine, and so is
// the sandbox's own address; a lifetime beyond reason is a year, which the UI can count in.
void TestCare360Gaps::downloadLinksOverPlainHttpAreRefused()
{
    FakeService fake;
    fake.answer("/api/v1/users/auth/verify-otp", 200, R"({"accessToken":"A","refreshToken":"R"})");
    Harness h(fake.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));
    QVERIFY(!run(h.connector->verifyCode(QStringLiteral("123456"))).error.isError());
    int files = 0;
    // Each link is of a file of its own: FakeService answers a path the same way each time.
    const auto linkFor = [&](const QString &url, const QJsonValue &expiresIn = {}) {
        const QString id = QStringLiteral("f%1").arg(++files);
        QJsonObject data { { QStringLiteral("downloadUrl"), url },
                           { QStringLiteral("fileName"), QStringLiteral("scan.pdf") } };
        if (!expiresIn.isUndefined())
            data.insert(QStringLiteral("expiresIn"), expiresIn);
        fake.answer("/api/v1/users/me/files/" + id.toLatin1() + "/download", 200,
                    QJsonDocument(QJsonObject { { QStringLiteral("data"), data } }).toJson());
        return run(h.connector->fetchDownloadLink(
            { NodeKind::Care360File, { QStringLiteral("c1"), id } }));
    };

    for (const QString &url :
         { QStringLiteral("http://files.example.net/f1?token=abc"),
           QStringLiteral("http://127.0.0.2:%1/f1?token=abc").arg(fake.baseUrl().port()) }) {
        const Outcome refused = linkFor(url);
        QVERIFY(refused.finished);
        QCOMPARE(refused.error.kind, ApiError::Kind::MalformedResponse);
        const QString host = QUrl(url).host();
        QVERIFY2(refused.error.userMessage.contains(QStringLiteral("not https"))
                     && refused.error.userMessage.contains(host),
                 qPrintable(refused.error.userMessage));
        QVERIFY(!refused.error.userMessage.contains(QStringLiteral("token=abc")));
        QVERIFY(!refused.data.contains(QStringLiteral("downloadUrl")));
    }
    const Outcome secure = linkFor(QStringLiteral("https://files.example.net/f1?token=abc"), 1e12);
    QVERIFY2(!secure.error.isError(), qPrintable(secure.error.summary()));
    QCOMPARE(secure.data.value(QStringLiteral("downloadUrl")).toString(),
             QStringLiteral("https://files.example.net/f1?token=abc"));
    QCOMPARE(secure.data.value(QStringLiteral("expiresIn")).toLongLong(), maxLifetimeSeconds);
    const QString sandboxLink = fake.baseUrl().toString() + QStringLiteral("/files/f1");
    const Outcome sandbox = linkFor(sandboxLink, QStringLiteral("-5"));
    QVERIFY2(!sandbox.error.isError(), qPrintable(sandbox.error.summary()));
    QCOMPARE(sandbox.data.value(QStringLiteral("downloadUrl")).toString(), sandboxLink);
    QCOMPARE(sandbox.data.value(QStringLiteral("expiresIn")).toInt(),
             900); // the documented default
}

QTEST_GUILESS_MAIN(TestCare360Gaps)
#include "tst_connector_care360_gaps.moc"
