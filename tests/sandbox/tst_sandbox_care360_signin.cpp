// The Care360 part of docket-sandbox, checked from the outside against docs/services.md §2:
// tenants, the one-time code sign-in, the access token, refresh-token rotation and sign-out.
#include "care360sandbox.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace care360;

class TestSandboxCare360SignIn : public Care360Sandbox
{
    Q_OBJECT

private Q_SLOTS:
    void credentialsAndFixtures();
    void tenantHeaderIsRequired();
    void sendOtpDoesNotEnumerate();
    void verifyOtpRules();
    void accessTokenLooksLikeJwt();
    void refreshRotatesAndDetectsReuse();
    void refreshFromWrongTenantIsInvalid();
    void logoutRevokesFamily();
    void expiredAccessTokenNeedsRefresh();
};

void TestSandboxCare360SignIn::credentialsAndFixtures()
{
    QCOMPARE(str(m_credentials, "tenantKey"), QStringLiteral("cv-demo-tenant-key"));
    QCOMPARE(str(m_credentials, "email"), QStringLiteral("patient@example.org"));
    QCOMPARE(str(m_credentials, "phoneNumber"), QStringLiteral("+15555550100"));
    QCOMPARE(str(m_credentials, "otpCode"), QStringLiteral("123456"));
    QCOMPARE(str(m_credentials, "otherPatientEmail"), QStringLiteral("other.patient@example.org"));
    QCOMPARE(str(m_credentials, "otherTenantKey"), QStringLiteral("cv-other-tenant-key"));
    QCOMPARE(str(m_credentials, "otherTenantEmail"), QStringLiteral("patient@other.example.org"));
    QVERIFY(looksLikeUuid(str(m_credentials, "otherPatientCaseId")));
    const QJsonArray cases = m_credentials.value(QStringLiteral("cases")).toArray();
    QCOMPARE(cases.size(), 3);
    for (const QJsonValue &value : cases) {
        QVERIFY(looksLikeUuid(str(value.toObject(), "id")));
        QVERIFY(!str(value.toObject(), "title").isEmpty());
    }

    // The default set: 3 cases of 3-6 files, about a quarter by staff, one file without a case;
    // another patient and another tenant with 2 files each.
    const QJsonObject summary = m_sandbox.summary(service);
    QCOMPARE(
        summary.value(QStringLiteral("counts")).toObject().value(QStringLiteral("cases")).toInt(),
        5);
    QCOMPARE(summary.value(QStringLiteral("deleted"))
                 .toObject()
                 .value(QStringLiteral("files"))
                 .toArray(),
             QJsonArray());
    QCOMPARE(summary.value(QStringLiteral("caseActivities")).toArray(), QJsonArray());
    QCOMPARE(summary.value(QStringLiteral("refreshFamiliesRevoked")).toInt(-1), 0);

    const QJsonArray files = stateFiles();
    int demoInCases = 0, staffUploaded = 0, caseless = 0, phi = 0, general = 0, restricted = 0;
    int otherPatient = 0, otherTenant = 0;
    for (const QJsonValue &value : files) {
        const QJsonObject file = value.toObject();
        QCOMPARE(file.value(QStringLiteral("isDeleted")).toBool(true), false);
        if (str(file, "tenantKey") == str(m_credentials, "otherTenantKey")) {
            ++otherTenant;
        } else if (str(file, "owner") == str(m_credentials, "otherPatientEmail")) {
            ++otherPatient;
            QCOMPARE(str(file, "caseId"), str(m_credentials, "otherPatientCaseId"));
        } else if (file.value(QStringLiteral("caseId")).isNull()) {
            ++caseless;
        } else {
            ++demoInCases;
            staffUploaded
                += str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") != patientId();
            (file.value(QStringLiteral("isPHI")).toBool() ? phi : general) += 1;
            restricted += file.value(QStringLiteral("isRestricted")).toBool();
        }
    }
    QVERIFY2(demoInCases >= 9 && demoInCases <= 18, qPrintable(QString::number(demoInCases)));
    QVERIFY(staffUploaded >= 2 && staffUploaded <= demoInCases / 3);
    QVERIFY(phi > 0 && general > 0 && restricted > 0);
    QCOMPARE(caseless, 1);
    QCOMPARE(otherPatient, 2);
    QCOMPARE(otherTenant, 2);
    QCOMPARE(
        summary.value(QStringLiteral("counts")).toObject().value(QStringLiteral("files")).toInt(),
        int(files.size()));

    // Same seed, same data after a reset.
    const QString firstId = str(files.first().toObject(), "id");
    QVERIFY(m_sandbox.reset());
    QCOMPARE(str(stateFiles().first().toObject(), "id"), firstId);
}

void TestSandboxCare360SignIn::tenantHeaderIsRequired()
{
    const QJsonObject body { { QStringLiteral("email"), str(m_credentials, "email") },
                             { QStringLiteral("channel"), QStringLiteral("EMAIL") } };
    TestReply reply = m_http.sendJson("POST", authUrl(QStringLiteral("send-otp")), body);
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));

    reply = sendOtp(body, "no-such-tenant");
    QCOMPARE(statusAndJson(reply), statusAndJson(404, organizationNotFound));

    // File calls check the tenant before the token.
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    reply = m_http.get(filesUrl(), { { "Authorization", "Bearer " + access.toUtf8() } });
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    reply = m_http.get(filesUrl(), auth(access, "no-such-tenant"));
    QCOMPARE(statusAndJson(reply), statusAndJson(404, organizationNotFound));
    reply = refresh(str(tokens, "refreshToken"), "no-such-tenant");
    QCOMPARE(statusAndJson(reply), statusAndJson(404, organizationNotFound));
    QCOMPARE(list(access).status, 200);
}

void TestSandboxCare360SignIn::sendOtpDoesNotEnumerate()
{
    const TestReply known = sendOtp({ { QStringLiteral("email"), str(m_credentials, "email") },
                                      { QStringLiteral("channel"), QStringLiteral("EMAIL") } });
    QCOMPARE(known.status, 200);
    QCOMPARE(known.json().value(QStringLiteral("success")).toBool(), true);
    const TestReply unknown
        = sendOtp({ { QStringLiteral("email"), QStringLiteral("nobody@example.org") },
                    { QStringLiteral("channel"), QStringLiteral("EMAIL") } });
    QCOMPARE(unknown.status, 200);
    QCOMPARE(unknown.body, known.body);
    const TestReply phone
        = sendOtp({ { QStringLiteral("phoneNumber"), QStringLiteral("+15555559999") },
                    { QStringLiteral("channel"), QStringLiteral("SMS") } });
    QCOMPARE(phone.status, 200);
    QCOMPARE(phone.body, known.body);

    // Malformed bodies are still rejected.
    const QList<QJsonObject> malformed = {
        { { QStringLiteral("channel"), QStringLiteral("EMAIL") } },
        { { QStringLiteral("email"), str(m_credentials, "email") } },
        { { QStringLiteral("email"), str(m_credentials, "email") },
          { QStringLiteral("channel"), QStringLiteral("FAX") } },
        { { QStringLiteral("email"), str(m_credentials, "email") },
          { QStringLiteral("channel"), QStringLiteral("SMS") } },
        { { QStringLiteral("email"), QStringLiteral("not-an-email") },
          { QStringLiteral("channel"), QStringLiteral("EMAIL") } },
    };
    for (const QJsonObject &body : malformed) {
        const TestReply reply = sendOtp(body);
        QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    }
    const TestReply notJson = m_http.send(
        "POST", authUrl(QStringLiteral("send-otp")),
        { { "cv-api-key", demoKey() }, { "Content-Type", "application/json" } }, "{nope");
    QCOMPARE(statusAndJson(notJson), statusAndJson(400, validationFailed));
    // JSON sent without saying so is not read.
    const TestReply undeclared = m_http.send(
        "POST", authUrl(QStringLiteral("send-otp")),
        { { "cv-api-key", demoKey() }, { "Content-Type", "text/plain" } },
        QJsonDocument(QJsonObject { { QStringLiteral("email"), str(m_credentials, "email") },
                                    { QStringLiteral("channel"), QStringLiteral("EMAIL") } })
            .toJson());
    QCOMPARE(statusAndJson(undeclared), statusAndJson(400, validationFailed));
}

void TestSandboxCare360SignIn::verifyOtpRules()
{
    const QString email = str(m_credentials, "email");
    const QString code = str(m_credentials, "otpCode");
    const QJsonObject byEmail { { QStringLiteral("email"), email },
                                { QStringLiteral("code"), code } };
    const QJsonObject sendByEmail { { QStringLiteral("email"), email },
                                    { QStringLiteral("channel"), QStringLiteral("EMAIL") } };

    // No code was sent yet.
    TestReply reply = verifyOtp(byEmail);
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidCode));

    QCOMPARE(sendOtp(sendByEmail).status, 200);
    reply = verifyOtp({ { QStringLiteral("email"), email },
                        { QStringLiteral("code"), QStringLiteral("654321") } });
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidCode));
    // A wrong guess does not burn the code; success does.
    reply = verifyOtp(byEmail);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonObject data = dataOf(reply);
    QVERIFY(!str(data, "accessToken").isEmpty());
    QVERIFY(!str(data, "refreshToken").isEmpty());
    QCOMPARE(data.value(QStringLiteral("expiresIn")).toInt(), 900);
    reply = verifyOtp(byEmail);
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidCode));

    // SMS gives the same patient.
    const QString phone = str(m_credentials, "phoneNumber");
    QCOMPARE(sendOtp({ { QStringLiteral("phoneNumber"), phone },
                       { QStringLiteral("channel"), QStringLiteral("SMS") } })
                 .status,
             200);
    // The code belongs to the phone number, not to the email of the same person.
    reply = verifyOtp(byEmail);
    QCOMPARE(reply.status, 401);
    reply
        = verifyOtp({ { QStringLiteral("phoneNumber"), phone }, { QStringLiteral("code"), code } });
    QCOMPARE(reply.status, 200);
    const QString smsToken = str(dataOf(reply), "accessToken");
    QCOMPARE(str(jwtPayload(smsToken), "sub"), patientId());

    // A code sent in another tenant does not sign this patient in there.
    QCOMPARE(sendOtp(sendByEmail, otherKey()).status, 200);
    reply = verifyOtp(byEmail, otherKey());
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidCode));
    // ...while that tenant's own patient can sign in.
    QVERIFY(!signIn(str(m_credentials, "otherTenantEmail"), otherKey()).isEmpty());

    // Malformed: no code, no identity.
    reply = verifyOtp({ { QStringLiteral("email"), email } });
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    reply = verifyOtp({ { QStringLiteral("code"), code } });
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
}

void TestSandboxCare360SignIn::accessTokenLooksLikeJwt()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    QCOMPARE(access.split(u'.').size(), 3);
    static const QRegularExpression base64url(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_-]+")));
    for (const QString &part : access.split(u'.'))
        QVERIFY(base64url.match(part).hasMatch());
    const QJsonObject payload = jwtPayload(access);
    QCOMPARE(str(payload, "sub"), patientId());
    QVERIFY(looksLikeUuid(str(payload, "org")));
    const qint64 expiresIn
        = payload.value(QStringLiteral("exp")).toInteger() - QDateTime::currentSecsSinceEpoch();
    QVERIFY2(expiresIn > 880 && expiresIn <= 901, qPrintable(QString::number(expiresIn)));
    QVERIFY(str(tokens, "refreshToken") != access);
}

void TestSandboxCare360SignIn::refreshRotatesAndDetectsReuse()
{
    const QJsonObject first = signIn();
    QVERIFY(!first.isEmpty());

    TestReply reply = refresh(str(first, "refreshToken"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonObject second = dataOf(reply);
    QCOMPARE(second.value(QStringLiteral("expiresIn")).toInt(), 900);
    QVERIFY(!str(second, "refreshToken").isEmpty());
    QVERIFY(str(second, "refreshToken") != str(first, "refreshToken"));
    QVERIFY(str(second, "accessToken") != str(first, "accessToken"));
    QCOMPARE(str(jwtPayload(str(second, "accessToken")), "sub"), patientId());
    QCOMPARE(list(str(second, "accessToken")).status, 200);

    // Replaying the spent token: reuse detected, the whole family is revoked.
    reply = refresh(str(first, "refreshToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
    QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 401);
    QCOMPARE(codeOf(reply), QStringLiteral("REFRESH_REUSED"));
    QVERIFY(!reply.json().value(QStringLiteral("error")).toString().isEmpty());

    reply = refresh(str(second, "refreshToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(codeOf(reply), QStringLiteral("REFRESH_INVALID"));
    reply = list(str(second, "accessToken"));
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
    QCOMPARE(list(str(first, "accessToken")).status, 401);

    // Another sign-in is a separate family and unaffected.
    const QJsonObject fresh = signIn();
    QVERIFY(!fresh.isEmpty());
    QCOMPARE(list(str(fresh, "accessToken")).status, 200);
    QCOMPARE(refresh(str(fresh, "refreshToken")).status, 200);

    const QJsonObject summary = m_sandbox.summary(service);
    QCOMPARE(summary.value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 1);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("auth.refresh-token")), 4);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("auth.verify-otp")), 2);
}

void TestSandboxCare360SignIn::refreshFromWrongTenantIsInvalid()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());

    TestReply reply = refresh(str(tokens, "refreshToken"), otherKey());
    QCOMPARE(reply.status, 401);
    QCOMPARE(codeOf(reply), QStringLiteral("REFRESH_INVALID"));
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
    reply = refresh(QStringLiteral("never-issued"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(codeOf(reply), QStringLiteral("REFRESH_INVALID"));

    // The wrong-tenant attempt neither spent nor revoked the token.
    reply = refresh(str(tokens, "refreshToken"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(list(str(tokens, "accessToken")).status, 200);

    reply = m_http.sendJson("POST", authUrl(QStringLiteral("refresh-token")), {}, tenant());
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    reply = m_http.sendJson("POST", authUrl(QStringLiteral("refresh-token")),
                            { { QStringLiteral("refresh_token"), str(tokens, "refreshToken") } });
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
}

void TestSandboxCare360SignIn::logoutRevokesFamily()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QUrl logoutUrl = authUrl(QStringLiteral("logout"));

    TestReply reply = m_http.sendJson(
        "POST", logoutUrl, { { QStringLiteral("refresh_token"), str(tokens, "refreshToken") } },
        tenant());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    reply = refresh(str(tokens, "refreshToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(codeOf(reply), QStringLiteral("REFRESH_INVALID"));
    QCOMPARE(list(str(tokens, "accessToken")).status, 401);

    // Always 200: again, or with a token that never existed.
    reply = m_http.sendJson("POST", logoutUrl,
                            { { QStringLiteral("refresh_token"), str(tokens, "refreshToken") } },
                            tenant());
    QCOMPARE(reply.status, 200);
    reply = m_http.sendJson("POST", logoutUrl,
                            { { QStringLiteral("refresh_token"), QStringLiteral("x") } }, tenant());
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_sandbox.summary(service).value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 1);
}

void TestSandboxCare360SignIn::expiredAccessTokenNeedsRefresh()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    QCOMPARE(list(str(tokens, "accessToken")).status, 200);

    QVERIFY(m_sandbox.expireTokens(service));
    TestReply reply = list(str(tokens, "accessToken"));
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));

    reply = refresh(str(tokens, "refreshToken"));
    QCOMPARE(reply.status, 200);
    const QString renewed = str(dataOf(reply), "accessToken");
    QCOMPARE(list(renewed).status, 200);
    QCOMPARE(list(str(tokens, "accessToken")).status, 401);
}

QTEST_GUILESS_MAIN(TestSandboxCare360SignIn)
#include "tst_sandbox_care360_signin.moc"
