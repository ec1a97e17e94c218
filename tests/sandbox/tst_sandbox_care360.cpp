// The Care360 part of docket-sandbox, checked from the outside against docs/services.md §2 and the
// vendor's delete page: tenants, OTP sign-in, refresh-token rotation, files and the
// soft delete.
#include "sandboxprocess.h"
#include "testhttp.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>

namespace {

const QString kService = QStringLiteral("care360");

QJsonObject errorBody(int status, const QString &error, const QString &code)
{
    return { { QStringLiteral("status"), status },
             { QStringLiteral("success"), false },
             { QStringLiteral("error"), error },
             { QStringLiteral("code"), code } };
}

QJsonObject validationFailed()
{
    return errorBody(400, QStringLiteral("Validation failed"), QStringLiteral("VALIDATION_ERROR"));
}

QJsonObject invalidToken()
{
    return errorBody(401, QStringLiteral("Invalid or expired token"),
                     QStringLiteral("VALIDATION_ERROR"));
}

QJsonObject fileNotFound()
{
    return errorBody(404, QStringLiteral("File not found"), QStringLiteral("VALIDATION_ERROR"));
}

QJsonObject invalidCode()
{
    return errorBody(401, QStringLiteral("Invalid or expired code"),
                     QStringLiteral("VALIDATION_ERROR"));
}

bool looksLikeUuid(const QString &value)
{
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
    return pattern.match(value).hasMatch();
}

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QJsonObject jwtPayload(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding))
        .object();
}

} // namespace

class TestSandboxCare360 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void credentialsAndFixtures();
    void tenantHeaderIsRequired();
    void sendOtpDoesNotEnumerate();
    void verifyOtpRules();
    void accessTokenLooksLikeJwt();
    void fileCallsNeedValidToken();
    void listCoversThePatientsCases();
    void listFiltersByCaseAndType();
    void listRejectsForeignCases();
    void metadataAndVisibility();
    void downloadServesBytes();
    void uploadAddsNewestFile();
    void uploadValidation();
    void renameByUploaderOnly();
    void deleteIsSoft();
    void deleteIsUniform404();
    void hostileIdsStayInTheirRoute();
    void refreshRotatesAndDetectsReuse();
    void refreshFromWrongTenantIsInvalid();
    void logoutRevokesFamily();
    void expiredAccessTokenNeedsRefresh();
    void largeScaleListIsCompleteAndQuick();

private:
    QUrl url(const QStringList &segments, const QUrlQuery &query = {}) const
    {
        return urlWith(m_base, segments, query);
    }
    QUrl filesUrl(const QStringList &more = {}, const QUrlQuery &query = {}) const
    {
        return url(QStringList { QStringLiteral("api"), QStringLiteral("v1"),
                                 QStringLiteral("users"), QStringLiteral("me"),
                                 QStringLiteral("files") }
                       + more,
                   query);
    }
    QUrl authUrl(const QString &action) const
    {
        return url({ QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                     QStringLiteral("auth"), action });
    }
    QByteArray demoKey() const { return str(m_credentials, "tenantKey").toUtf8(); }
    QByteArray otherKey() const { return str(m_credentials, "otherTenantKey").toUtf8(); }
    HeaderPairs auth(const QString &token, const QByteArray &key = {}) const
    {
        return { { "cv-api-key", key.isEmpty() ? demoKey() : key },
                 { "Authorization", "Bearer " + token.toUtf8() } };
    }

    TestReply sendOtp(const QJsonObject &body, const QByteArray &key = {});
    TestReply verifyOtp(const QJsonObject &body, const QByteArray &key = {});
    // verifyOtp's data ({accessToken, refreshToken, expiresIn}); empty on failure.
    QJsonObject signIn(const QString &email = {}, const QByteArray &key = {});
    TestReply refresh(const QString &refreshToken, const QByteArray &key = {});
    TestReply list(const QString &token, const QUrlQuery &query = {});
    QJsonArray listedFiles(const QString &token, const QUrlQuery &query = {});
    // Every file from GET /state/care360, deleted ones included.
    QJsonArray stateFiles();
    QJsonObject stateFile(const QString &id);
    // The first file in the state matching `predicate`.
    template<typename Predicate> QJsonObject findStateFile(Predicate predicate);
    QString patientId() const { return str(m_credentials, "patientId"); }

    SandboxProcess m_sandbox;
    TestHttp m_http;
    QUrl m_base;
    QJsonObject m_credentials;
};

// --- Helpers
// ---------------------------------------------------------------------------------------

TestReply TestSandboxCare360::sendOtp(const QJsonObject &body, const QByteArray &key)
{
    return m_http.sendJson("POST", authUrl(QStringLiteral("send-otp")), body,
                           { { "cv-api-key", key.isEmpty() ? demoKey() : key } });
}

TestReply TestSandboxCare360::verifyOtp(const QJsonObject &body, const QByteArray &key)
{
    return m_http.sendJson("POST", authUrl(QStringLiteral("verify-otp")), body,
                           { { "cv-api-key", key.isEmpty() ? demoKey() : key } });
}

QJsonObject TestSandboxCare360::signIn(const QString &email, const QByteArray &key)
{
    const QString who = email.isEmpty() ? str(m_credentials, "email") : email;
    if (sendOtp({ { QStringLiteral("email"), who },
                  { QStringLiteral("channel"), QStringLiteral("EMAIL") } },
                key)
            .status
        != 200)
        return {};
    const TestReply reply = verifyOtp({ { QStringLiteral("email"), who },
                                        { QStringLiteral("code"), str(m_credentials, "otpCode") } },
                                      key);
    return reply.status == 200 ? reply.json().value(QStringLiteral("data")).toObject()
                               : QJsonObject();
}

TestReply TestSandboxCare360::refresh(const QString &refreshToken, const QByteArray &key)
{
    return m_http.sendJson("POST", authUrl(QStringLiteral("refresh-token")),
                           { { QStringLiteral("refresh_token"), refreshToken } },
                           { { "cv-api-key", key.isEmpty() ? demoKey() : key } });
}

TestReply TestSandboxCare360::list(const QString &token, const QUrlQuery &query)
{
    return m_http.get(filesUrl({}, query), auth(token));
}

QJsonArray TestSandboxCare360::listedFiles(const QString &token, const QUrlQuery &query)
{
    return list(token, query)
        .json()
        .value(QStringLiteral("data"))
        .toObject()
        .value(QStringLiteral("files"))
        .toArray();
}

QJsonArray TestSandboxCare360::stateFiles()
{
    return m_sandbox.state(kService).value(QStringLiteral("files")).toArray();
}

QJsonObject TestSandboxCare360::stateFile(const QString &id)
{
    return findStateFile([&](const QJsonObject &file) { return str(file, "id") == id; });
}

template<typename Predicate> QJsonObject TestSandboxCare360::findStateFile(Predicate predicate)
{
    const QJsonArray files = stateFiles();
    for (const QJsonValue &value : files) {
        if (predicate(value.toObject()))
            return value.toObject();
    }
    return {};
}

// --- Set-up
// ----------------------------------------------------------------------------------------

void TestSandboxCare360::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_base = m_sandbox.baseUrl(kService);
    QVERIFY(m_base.isValid());
    m_credentials = m_sandbox.credentials(kService);
    QVERIFY(!m_credentials.isEmpty());
}

void TestSandboxCare360::init()
{
    QVERIFY(m_sandbox.reset());
}

// --- Tests
// -----------------------------------------------------------------------------------------

void TestSandboxCare360::credentialsAndFixtures()
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
    const QJsonObject summary
        = m_sandbox.state().value(QStringLiteral("services")).toObject().value(kService).toObject();
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

void TestSandboxCare360::tenantHeaderIsRequired()
{
    const QJsonObject body { { QStringLiteral("email"), str(m_credentials, "email") },
                             { QStringLiteral("channel"), QStringLiteral("EMAIL") } };
    TestReply reply = m_http.sendJson("POST", authUrl(QStringLiteral("send-otp")), body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());

    const QJsonObject organizationNotFound
        = errorBody(404, QStringLiteral("Organization not found"), QStringLiteral("NOT_FOUND"));
    reply = sendOtp(body, "no-such-tenant");
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json(), organizationNotFound);

    // File calls check the tenant before the token.
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    reply = m_http.get(filesUrl(), { { "Authorization", "Bearer " + access.toUtf8() } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
    reply = m_http.get(filesUrl(), auth(access, "no-such-tenant"));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json(), organizationNotFound);
    reply = refresh(str(tokens, "refreshToken"), "no-such-tenant");
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json(), organizationNotFound);
    QCOMPARE(list(access).status, 200);
}

void TestSandboxCare360::sendOtpDoesNotEnumerate()
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
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json(), validationFailed());
    }
    const TestReply notJson = m_http.send(
        "POST", authUrl(QStringLiteral("send-otp")),
        { { "cv-api-key", demoKey() }, { "Content-Type", "application/json" } }, "{nope");
    QCOMPARE(notJson.status, 400);
    QCOMPARE(notJson.json(), validationFailed());
    // JSON sent without saying so is not read.
    const TestReply undeclared = m_http.send(
        "POST", authUrl(QStringLiteral("send-otp")),
        { { "cv-api-key", demoKey() }, { "Content-Type", "text/plain" } },
        QJsonDocument(QJsonObject { { QStringLiteral("email"), str(m_credentials, "email") },
                                    { QStringLiteral("channel"), QStringLiteral("EMAIL") } })
            .toJson());
    QCOMPARE(undeclared.status, 400);
    QCOMPARE(undeclared.json(), validationFailed());
}

void TestSandboxCare360::verifyOtpRules()
{
    const QString email = str(m_credentials, "email");
    const QString code = str(m_credentials, "otpCode");
    const QJsonObject byEmail { { QStringLiteral("email"), email },
                                { QStringLiteral("code"), code } };
    const QJsonObject sendByEmail { { QStringLiteral("email"), email },
                                    { QStringLiteral("channel"), QStringLiteral("EMAIL") } };

    // No code was sent yet.
    TestReply reply = verifyOtp(byEmail);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidCode());

    QCOMPARE(sendOtp(sendByEmail).status, 200);
    reply = verifyOtp({ { QStringLiteral("email"), email },
                        { QStringLiteral("code"), QStringLiteral("654321") } });
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidCode());
    // A wrong guess does not burn the code; success does.
    reply = verifyOtp(byEmail);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonObject data = reply.json().value(QStringLiteral("data")).toObject();
    QVERIFY(!str(data, "accessToken").isEmpty());
    QVERIFY(!str(data, "refreshToken").isEmpty());
    QCOMPARE(data.value(QStringLiteral("expiresIn")).toInt(), 900);
    reply = verifyOtp(byEmail);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidCode());

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
    const QString smsToken
        = str(reply.json().value(QStringLiteral("data")).toObject(), "accessToken");
    QCOMPARE(str(jwtPayload(smsToken), "sub"), patientId());

    // A code sent in another tenant does not sign this patient in there.
    QCOMPARE(sendOtp(sendByEmail, otherKey()).status, 200);
    reply = verifyOtp(byEmail, otherKey());
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidCode());
    // ...while that tenant's own patient can sign in.
    QVERIFY(!signIn(str(m_credentials, "otherTenantEmail"), otherKey()).isEmpty());

    // Malformed: no code, no identity.
    reply = verifyOtp({ { QStringLiteral("email"), email } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
    reply = verifyOtp({ { QStringLiteral("code"), code } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
}

void TestSandboxCare360::accessTokenLooksLikeJwt()
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

void TestSandboxCare360::fileCallsNeedValidToken()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");

    TestReply reply = m_http.get(filesUrl(), { { "cv-api-key", demoKey() } });
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());
    reply = m_http.get(filesUrl(), auth(QStringLiteral("made.up.token")));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());
    reply = m_http.get(
        filesUrl(),
        { { "cv-api-key", demoKey() }, { "Authorization", "Basic " + access.toUtf8() } });
    QCOMPARE(reply.status, 401);
    // A tampered copy of a real token is not accepted: validation is by lookup.
    QString tampered = access;
    tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == u'A' ? u'B' : u'A';
    QCOMPARE(list(tampered).status, 401);

    // Tokens are per tenant, both ways.
    reply = m_http.get(filesUrl(), auth(access, otherKey()));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());
    const QJsonObject otherTokens = signIn(str(m_credentials, "otherTenantEmail"), otherKey());
    QVERIFY(!otherTokens.isEmpty());
    reply = list(str(otherTokens, "accessToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());
    QCOMPARE(m_http.get(filesUrl(), auth(str(otherTokens, "accessToken"), otherKey())).status, 200);

    // Every file route checks the token.
    const QString someId
        = str(m_credentials.value(QStringLiteral("cases")).toArray().first().toObject(), "id");
    const QList<QPair<QByteArray, QUrl>> calls = {
        { "GET", filesUrl({ someId, QStringLiteral("metadata") }) },
        { "GET", filesUrl({ someId, QStringLiteral("download") }) },
        { "DELETE", filesUrl({ someId }) },
    };
    for (const auto &[method, target] : calls) {
        reply = m_http.send(method, target, { { "cv-api-key", demoKey() } });
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.json(), invalidToken());
    }
    reply = m_http.sendJson("PATCH", filesUrl({ someId, QStringLiteral("metadata") }),
                            { { QStringLiteral("fileName"), QStringLiteral("x.pdf") } },
                            { { "cv-api-key", demoKey() } });
    QCOMPARE(reply.status, 401);
    reply = m_http.sendJson("POST", filesUrl({ QStringLiteral("upload") }),
                            { { QStringLiteral("name"), QStringLiteral("x.txt") },
                              { QStringLiteral("data"), QStringLiteral("eA==") },
                              { QStringLiteral("mimeType"), QStringLiteral("text/plain") } },
                            { { "cv-api-key", demoKey() } });
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());
}

void TestSandboxCare360::listCoversThePatientsCases()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const TestReply reply = list(str(tokens, "accessToken"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonArray files = reply.json()
                                 .value(QStringLiteral("data"))
                                 .toObject()
                                 .value(QStringLiteral("files"))
                                 .toArray();

    // Exactly the demo patient's files in cases (staff uploads included, the caseless one not).
    QSet<QString> expected;
    for (const QJsonValue &value : stateFiles()) {
        const QJsonObject file = value.toObject();
        if (str(file, "owner") == str(m_credentials, "email")
            && str(file, "tenantKey") == str(m_credentials, "tenantKey")
            && !file.value(QStringLiteral("caseId")).isNull())
            expected.insert(str(file, "id"));
    }
    QSet<QString> seen;
    QSet<QString> caseIds;
    for (const QJsonValue &c : m_credentials.value(QStringLiteral("cases")).toArray())
        caseIds.insert(str(c.toObject(), "id"));
    QString previous;
    for (const QJsonValue &value : files) {
        const QJsonObject file = value.toObject();
        const QString id = str(file, "id");
        QVERIFY2(!seen.contains(id), qPrintable(id));
        seen.insert(id);
        QVERIFY(looksLikeUuid(id));
        QVERIFY(!str(file, "fileName").isEmpty());
        QVERIFY(file.value(QStringLiteral("isPHI")).isBool());
        QVERIFY(file.value(QStringLiteral("isRestricted")).isBool());
        QVERIFY(caseIds.contains(str(file, "caseId")));
        const QJsonObject uploadedBy = file.value(QStringLiteral("uploadedBy")).toObject();
        QVERIFY(looksLikeUuid(str(uploadedBy, "id")));
        QVERIFY(!str(uploadedBy, "firstName").isEmpty());
        QVERIFY(!str(uploadedBy, "lastName").isEmpty());
        const QString createdAt = str(file, "createdAt");
        QVERIFY(QDateTime::fromString(createdAt, Qt::ISODate).isValid());
        QVERIFY(!str(file, "mimeType").isEmpty());
        QVERIFY(file.value(QStringLiteral("size")).toInteger() > 0);
        // Newest first (ISO UTC strings of one format sort like the moments they name).
        if (!previous.isEmpty())
            QVERIFY2(createdAt <= previous, qPrintable(createdAt + u' ' + previous));
        previous = createdAt;
    }
    QCOMPARE(seen, expected);
}

void TestSandboxCare360::listFiltersByCaseAndType()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QJsonArray all = listedFiles(access);
    QVERIFY(!all.isEmpty());

    int total = 0;
    for (const QJsonValue &c : m_credentials.value(QStringLiteral("cases")).toArray()) {
        const QString caseId = str(c.toObject(), "id");
        const QJsonArray inCase
            = listedFiles(access, encodedQuery({ { QStringLiteral("caseId"), caseId } }));
        QVERIFY(inCase.size() >= 3 && inCase.size() <= 6);
        for (const QJsonValue &file : inCase)
            QCOMPARE(str(file.toObject(), "caseId"), caseId);
        total += int(inCase.size());
    }
    QCOMPARE(total, int(all.size()));

    const QJsonArray phi
        = listedFiles(access, encodedQuery({ { QStringLiteral("type"), QStringLiteral("phi") } }));
    const QJsonArray general = listedFiles(
        access, encodedQuery({ { QStringLiteral("type"), QStringLiteral("general") } }));
    QVERIFY(!phi.isEmpty());
    QVERIFY(!general.isEmpty());
    QCOMPARE(phi.size() + general.size(), all.size());
    for (const QJsonValue &file : phi)
        QCOMPARE(file.toObject().value(QStringLiteral("isPHI")).toBool(), true);
    for (const QJsonValue &file : general)
        QCOMPARE(file.toObject().value(QStringLiteral("isPHI")).toBool(), false);

    // Both filters together.
    const QString firstCase
        = str(m_credentials.value(QStringLiteral("cases")).toArray().first().toObject(), "id");
    const QJsonArray both
        = listedFiles(access,
                      encodedQuery({ { QStringLiteral("caseId"), firstCase },
                                     { QStringLiteral("type"), QStringLiteral("phi") } }));
    for (const QJsonValue &file : both) {
        QCOMPARE(str(file.toObject(), "caseId"), firstCase);
        QCOMPARE(file.toObject().value(QStringLiteral("isPHI")).toBool(), true);
    }

    const TestReply badType
        = list(access, encodedQuery({ { QStringLiteral("type"), QStringLiteral("secret") } }));
    QCOMPARE(badType.status, 400);
    QCOMPARE(badType.json(), validationFailed());
}

void TestSandboxCare360::listRejectsForeignCases()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QJsonObject forbidden = errorBody(
        403, QStringLiteral("You do not have access to this case"), QStringLiteral("FORBIDDEN"));

    TestReply reply = list(
        access,
        encodedQuery({ { QStringLiteral("caseId"), str(m_credentials, "otherPatientCaseId") } }));
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(), forbidden);

    const QJsonObject otherTenantFile = findStateFile([&](const QJsonObject &file) {
        return str(file, "tenantKey") == str(m_credentials, "otherTenantKey");
    });
    QVERIFY(!otherTenantFile.isEmpty());
    reply = list(access,
                 encodedQuery({ { QStringLiteral("caseId"), str(otherTenantFile, "caseId") } }));
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(), forbidden);

    reply = list(access,
                 encodedQuery({ { QStringLiteral("caseId"),
                                  QStringLiteral("00000000-0000-4000-8000-000000000000") } }));
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(), forbidden);

    reply = list(access,
                 encodedQuery({ { QStringLiteral("caseId"), QStringLiteral("not-a-case") } }));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());

    // The other patient sees their own case and nothing of the demo patient's.
    const QJsonObject other = signIn(str(m_credentials, "otherPatientEmail"));
    QVERIFY(!other.isEmpty());
    const QJsonArray otherFiles = listedFiles(str(other, "accessToken"));
    QCOMPARE(otherFiles.size(), 2);
    for (const QJsonValue &file : otherFiles)
        QCOMPARE(str(file.toObject(), "caseId"), str(m_credentials, "otherPatientCaseId"));
}

void TestSandboxCare360::metadataAndVisibility()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QJsonArray files = listedFiles(access);
    QVERIFY(!files.isEmpty());

    // Metadata shows what the list shows.
    for (const QJsonValue &value : files) {
        const QJsonObject file = value.toObject();
        const TestReply reply
            = m_http.get(filesUrl({ str(file, "id"), QStringLiteral("metadata") }), auth(access));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
        QCOMPARE(reply.json().value(QStringLiteral("data")).toObject(), file);
    }

    // The file uploaded without a case is invisible in the list but readable by its uploader.
    const QJsonObject caseless = findStateFile([&](const QJsonObject &file) {
        return file.value(QStringLiteral("caseId")).isNull()
            && str(file, "owner") == str(m_credentials, "email");
    });
    QVERIFY(!caseless.isEmpty());
    TestReply reply
        = m_http.get(filesUrl({ str(caseless, "id"), QStringLiteral("metadata") }), auth(access));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json()
                .value(QStringLiteral("data"))
                .toObject()
                .value(QStringLiteral("caseId"))
                .isNull());

    // Anything not the patient's is the uniform 404.
    const QJsonObject otherPatientFile = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "otherPatientEmail");
    });
    const QJsonObject otherTenantFile = findStateFile([&](const QJsonObject &file) {
        return str(file, "tenantKey") == str(m_credentials, "otherTenantKey");
    });
    for (const QString &id : { str(otherPatientFile, "id"), str(otherTenantFile, "id"),
                               QStringLiteral("11111111-2222-4333-8444-555555555555") }) {
        QVERIFY(looksLikeUuid(id));
        for (const QString &action : { QStringLiteral("metadata"), QStringLiteral("download") }) {
            reply = m_http.get(filesUrl({ id, action }), auth(access));
            QCOMPARE(reply.status, 404);
            QCOMPARE(reply.json(), fileNotFound());
        }
    }
    for (const QString &action : { QStringLiteral("metadata"), QStringLiteral("download") }) {
        reply = m_http.get(filesUrl({ QStringLiteral("12345"), action }), auth(access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json(), validationFailed());
    }
}

void TestSandboxCare360::downloadServesBytes()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QJsonArray files = listedFiles(access);
    QVERIFY(!files.isEmpty());

    for (const QJsonValue &value : files) {
        const QJsonObject file = value.toObject();
        const TestReply reply
            = m_http.get(filesUrl({ str(file, "id"), QStringLiteral("download") }), auth(access));
        QCOMPARE(reply.status, 200);
        const QJsonObject data = reply.json().value(QStringLiteral("data")).toObject();
        QCOMPARE(str(data, "fileName"), str(file, "fileName"));
        QCOMPARE(data.value(QStringLiteral("expiresIn")).toInt(), 900);
        const QUrl downloadUrl(str(data, "downloadUrl"));
        QVERIFY(downloadUrl.isValid());
        QCOMPARE(downloadUrl.host(), m_base.host());
        QCOMPARE(downloadUrl.port(), m_base.port());

        // A signed link: no headers needed.
        const TestReply content = m_http.get(downloadUrl);
        QCOMPARE(content.status, 200);
        QCOMPARE(content.header("content-type"), str(file, "mimeType").toUtf8());
        QCOMPARE(qint64(content.body.size()), file.value(QStringLiteral("size")).toInteger());
        if (str(file, "mimeType") == QLatin1String("application/pdf"))
            QVERIFY(content.body.startsWith("%PDF-"));
        // Deterministic bytes: a second link gives the same content.
        const QUrl again(
            str(m_http.get(filesUrl({ str(file, "id"), QStringLiteral("download") }), auth(access))
                    .json()
                    .value(QStringLiteral("data"))
                    .toObject(),
                "downloadUrl"));
        QVERIFY(again != downloadUrl);
        QCOMPARE(m_http.get(again).body, content.body);
    }

    QUrl unknown = m_base;
    unknown.setPath(QStringLiteral("/downloads/not-a-real-link"));
    const TestReply reply = m_http.get(unknown);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
}

void TestSandboxCare360::uploadAddsNewestFile()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QString caseId
        = str(m_credentials.value(QStringLiteral("cases")).toArray().at(1).toObject(), "id");
    const int countBefore = m_sandbox.state()
                                .value(QStringLiteral("services"))
                                .toObject()
                                .value(kService)
                                .toObject()
                                .value(QStringLiteral("counts"))
                                .toObject()
                                .value(QStringLiteral("files"))
                                .toInt();

    const QByteArray bytes = "Blood pressure this week: 128/82, 131/85.\n";
    TestReply reply
        = m_http.sendJson("POST", filesUrl({ QStringLiteral("upload") }),
                          { { QStringLiteral("name"), QStringLiteral("BP \"week\" 44\\ü\t.txt") },
                            { QStringLiteral("data"), QString::fromLatin1(bytes.toBase64()) },
                            { QStringLiteral("caseId"), caseId },
                            { QStringLiteral("mimeType"), QStringLiteral("text/plain") } },
                          auth(access));
    QVERIFY2(reply.status == 201 || reply.status == 200, reply.body.constData());
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonObject file = reply.json().value(QStringLiteral("data")).toObject();
    const QString id = str(file, "id");
    QVERIFY(looksLikeUuid(id));
    QCOMPARE(str(file, "fileName"), QStringLiteral("BP \"week\" 44\\ü\t.txt"));
    QCOMPARE(str(file, "caseId"), caseId);
    QCOMPARE(str(file.value(QStringLiteral("uploadedBy")).toObject(), "id"), patientId());
    QVERIFY(file.value(QStringLiteral("isPHI")).isBool());
    QCOMPARE(file.value(QStringLiteral("isRestricted")).toBool(true), false);
    QCOMPARE(file.value(QStringLiteral("size")).toInteger(), qint64(bytes.size()));

    // Newest first, in the list and in its case, and listed exactly as the upload answered.
    QCOMPARE(listedFiles(access).first().toObject(), file);
    QCOMPARE(str(listedFiles(access, encodedQuery({ { QStringLiteral("caseId"), caseId } }))
                     .first()
                     .toObject(),
                 "id"),
             id);
    // The bytes come back unchanged.
    const QUrl link(str(m_http.get(filesUrl({ id, QStringLiteral("download") }), auth(access))
                            .json()
                            .value(QStringLiteral("data"))
                            .toObject(),
                        "downloadUrl"));
    const TestReply content = m_http.get(link);
    QCOMPARE(content.status, 200);
    QCOMPARE(content.body, bytes);
    QCOMPARE(content.header("content-type"), QByteArray("text/plain"));
    QCOMPARE(str(stateFile(id), "owner"), str(m_credentials, "email"));

    // Without caseId: stored, readable by its uploader, but never listed.
    reply = m_http.sendJson("POST", filesUrl({ QStringLiteral("upload") }),
                            { { QStringLiteral("name"), QStringLiteral("scan.png") },
                              { QStringLiteral("data"), QStringLiteral("iVBORw0KGgo=") },
                              { QStringLiteral("mimeType"), QStringLiteral("image/png") } },
                            auth(access));
    QVERIFY(reply.status == 201 || reply.status == 200);
    const QString caselessId = str(reply.json().value(QStringLiteral("data")).toObject(), "id");
    QVERIFY(reply.json()
                .value(QStringLiteral("data"))
                .toObject()
                .value(QStringLiteral("caseId"))
                .isNull());
    for (const QJsonValue &listed : listedFiles(access))
        QVERIFY(str(listed.toObject(), "id") != caselessId);
    QCOMPARE(m_http.get(filesUrl({ caselessId, QStringLiteral("metadata") }), auth(access)).status,
             200);

    const QJsonObject counts = m_sandbox.state()
                                   .value(QStringLiteral("services"))
                                   .toObject()
                                   .value(kService)
                                   .toObject()
                                   .value(QStringLiteral("counts"))
                                   .toObject();
    QCOMPARE(counts.value(QStringLiteral("files")).toInt(), countBefore + 2);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.upload")), 2);
}

void TestSandboxCare360::uploadValidation()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QString caseId
        = str(m_credentials.value(QStringLiteral("cases")).toArray().first().toObject(), "id");
    const auto body = [&](const QString &mimeType, const QString &data, const QJsonValue &forCase) {
        QJsonObject object { { QStringLiteral("name"), QStringLiteral("file") },
                             { QStringLiteral("data"), data },
                             { QStringLiteral("mimeType"), mimeType } };
        if (!forCase.isUndefined())
            object.insert(QStringLiteral("caseId"), forCase);
        return object;
    };
    const QUrl target = filesUrl({ QStringLiteral("upload") });

    // Every type on the allow-list is accepted.
    for (const QString &mimeType :
         { QStringLiteral("application/pdf"), QStringLiteral("application/msword"),
           QStringLiteral("text/csv"), QStringLiteral("text/plain"), QStringLiteral("image/jpeg"),
           QStringLiteral("image/png"), QStringLiteral("image/svg+xml"),
           QStringLiteral("image/tiff"), QStringLiteral("image/webp") }) {
        const TestReply reply = m_http.sendJson(
            "POST", target, body(mimeType, QStringLiteral("aGVsbG8="), caseId), auth(access));
        QVERIFY2(reply.status == 201 || reply.status == 200, qPrintable(mimeType));
        QCOMPARE(str(reply.json().value(QStringLiteral("data")).toObject(), "mimeType"), mimeType);
    }

    // Other types and broken data are 400.
    for (const QString &mimeType : { QStringLiteral("application/zip"), QStringLiteral("image/gif"),
                                     QStringLiteral("text/html"), QString() }) {
        const TestReply reply = m_http.sendJson(
            "POST", target, body(mimeType, QStringLiteral("aGVsbG8="), caseId), auth(access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
                 QStringLiteral("VALIDATION_ERROR"));
        QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
    }
    for (const QString &data :
         { QStringLiteral("!!not base64!!"), QStringLiteral("aGVsbG8=garbage%"), QString() }) {
        const TestReply reply = m_http.sendJson(
            "POST", target, body(QStringLiteral("text/plain"), data, caseId), auth(access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
                 QStringLiteral("VALIDATION_ERROR"));
    }
    TestReply reply
        = m_http.sendJson("POST", target,
                          { { QStringLiteral("data"), QStringLiteral("aGVsbG8=") },
                            { QStringLiteral("mimeType"), QStringLiteral("text/plain") } },
                          auth(access));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
    reply = m_http.send("POST", target,
                        auth(access) + HeaderPairs { { "Content-Type", "application/json" } },
                        "not json");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());

    // Someone else's case is forbidden; a malformed case id is invalid.
    const QJsonObject forbidden = errorBody(
        403, QStringLiteral("You do not have access to this case"), QStringLiteral("FORBIDDEN"));
    reply = m_http.sendJson("POST", target,
                            body(QStringLiteral("text/plain"), QStringLiteral("aGVsbG8="),
                                 str(m_credentials, "otherPatientCaseId")),
                            auth(access));
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(), forbidden);
    reply = m_http.sendJson(
        "POST", target,
        body(QStringLiteral("text/plain"), QStringLiteral("aGVsbG8="), QStringLiteral("case-1")),
        auth(access));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
}

void TestSandboxCare360::renameByUploaderOnly()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QJsonObject own = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "email")
            && !file.value(QStringLiteral("caseId")).isNull()
            && str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") == patientId();
    });
    const QJsonObject byStaff = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "email")
            && str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") != patientId();
    });
    QVERIFY(!own.isEmpty());
    QVERIFY(!byStaff.isEmpty());
    const QUrl ownUrl = filesUrl({ str(own, "id"), QStringLiteral("metadata") });

    TestReply reply = m_http.sendJson(
        "PATCH", ownUrl, { { QStringLiteral("fileName"), QStringLiteral("Renamed.pdf") } },
        auth(access));
    QCOMPARE(reply.status, 200);
    QCOMPARE(str(reply.json().value(QStringLiteral("data")).toObject(), "fileName"),
             QStringLiteral("Renamed.pdf"));
    QCOMPARE(str(m_http.get(ownUrl, auth(access)).json().value(QStringLiteral("data")).toObject(),
                 "fileName"),
             QStringLiteral("Renamed.pdf"));
    // "name" is accepted too.
    reply = m_http.sendJson("PATCH", ownUrl,
                            { { QStringLiteral("name"), QStringLiteral("Ünïcode name.pdf") } },
                            auth(access));
    QCOMPARE(reply.status, 200);
    QCOMPARE(str(stateFile(str(own, "id")), "fileName"), QStringLiteral("Ünïcode name.pdf"));

    reply = m_http.sendJson("PATCH", ownUrl, { { QStringLiteral("fileName"), QString() } },
                            auth(access));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
    reply = m_http.sendJson(
        "PATCH", filesUrl({ QStringLiteral("nope"), QStringLiteral("metadata") }),
        { { QStringLiteral("fileName"), QStringLiteral("x.pdf") } }, auth(access));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());

    // Not the uploader: the uniform 404, name unchanged.
    reply = m_http.sendJson("PATCH", filesUrl({ str(byStaff, "id"), QStringLiteral("metadata") }),
                            { { QStringLiteral("fileName"), QStringLiteral("Mine now.pdf") } },
                            auth(access));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json(), fileNotFound());
    QCOMPARE(str(stateFile(str(byStaff, "id")), "fileName"), str(byStaff, "fileName"));
}

void TestSandboxCare360::deleteIsSoft()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QJsonObject target = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "email")
            && !file.value(QStringLiteral("caseId")).isNull()
            && str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") == patientId();
    });
    QVERIFY(!target.isEmpty());
    const QString id = str(target, "id");
    const int listedBefore = int(listedFiles(access).size());
    // A link handed out before the delete stops working with it.
    const QUrl earlierLink(
        str(m_http.get(filesUrl({ id, QStringLiteral("download") }), auth(access))
                .json()
                .value(QStringLiteral("data"))
                .toObject(),
            "downloadUrl"));
    QCOMPARE(m_http.get(earlierLink).status, 200);

    TestReply reply = m_http.del(filesUrl({ id }), auth(access));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(),
             QJsonObject(
                 { { QStringLiteral("status"), 200 },
                   { QStringLiteral("success"), true },
                   { QStringLiteral("message"), QStringLiteral("File deleted successfully") } }));

    // The row is kept, flagged; a DELETE_ATTACHMENT activity names the patient.
    const QJsonObject row = stateFile(id);
    QCOMPARE(row.value(QStringLiteral("isDeleted")).toBool(), true);
    QCOMPARE(row.value(QStringLiteral("deleted")).toBool(), true);
    const QJsonObject summary
        = m_sandbox.state().value(QStringLiteral("services")).toObject().value(kService).toObject();
    QCOMPARE(summary.value(QStringLiteral("deleted"))
                 .toObject()
                 .value(QStringLiteral("files"))
                 .toArray(),
             QJsonArray({ id }));
    const QJsonArray activities = summary.value(QStringLiteral("caseActivities")).toArray();
    QCOMPARE(activities.size(), 1);
    const QJsonObject activity = activities.first().toObject();
    QCOMPARE(str(activity, "type"), QStringLiteral("DELETE_ATTACHMENT"));
    QCOMPARE(str(activity, "fileId"), id);
    QCOMPARE(str(activity, "actorId"), patientId());
    QCOMPARE(str(activity, "caseId"), str(target, "caseId"));
    QVERIFY(QDateTime::fromString(str(activity, "createdAt"), Qt::ISODate).isValid());
    QCOMPARE(m_sandbox.state(kService).value(QStringLiteral("caseActivities")).toArray().size(), 1);

    // Gone from every read, and a repeat is 404.
    const QJsonArray after = listedFiles(access);
    QCOMPARE(int(after.size()), listedBefore - 1);
    for (const QJsonValue &file : after)
        QVERIFY(str(file.toObject(), "id") != id);
    for (const QString &action : { QStringLiteral("metadata"), QStringLiteral("download") }) {
        reply = m_http.get(filesUrl({ id, action }), auth(access));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json(), fileNotFound());
    }
    reply = m_http.del(filesUrl({ id }), auth(access));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json(), fileNotFound());
    reply = m_http.sendJson("PATCH", filesUrl({ id, QStringLiteral("metadata") }),
                            { { QStringLiteral("fileName"), QStringLiteral("back.pdf") } },
                            auth(access));
    QCOMPARE(reply.status, 404);
    QCOMPARE(m_http.get(earlierLink).status, 404);

    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.delete")), 2);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.metadata")), 1);
}

void TestSandboxCare360::deleteIsUniform404()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QString email = str(m_credentials, "email");
    const QJsonObject byStaff = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == email
            && str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") != patientId();
    });
    const QJsonObject otherPatientFile = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "otherPatientEmail");
    });
    const QJsonObject otherTenantFile = findStateFile([&](const QJsonObject &file) {
        return str(file, "tenantKey") == str(m_credentials, "otherTenantKey");
    });
    QVERIFY(!byStaff.isEmpty() && !otherPatientFile.isEmpty() && !otherTenantFile.isEmpty());

    // Staff upload in the patient's own case, another patient's case, another tenant, unknown.
    for (const QString &id :
         { str(byStaff, "id"), str(otherPatientFile, "id"), str(otherTenantFile, "id"),
           QStringLiteral("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee") }) {
        const TestReply reply = m_http.del(filesUrl({ id }), auth(access));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json(), fileNotFound());
    }
    // The other tenant's patient cannot reach the demo tenant's files with their own key either.
    const QJsonObject otherTokens = signIn(str(m_credentials, "otherTenantEmail"), otherKey());
    QVERIFY(!otherTokens.isEmpty());
    TestReply reply = m_http.del(filesUrl({ str(byStaff, "id") }),
                                 auth(str(otherTokens, "accessToken"), otherKey()));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json(), fileNotFound());

    for (const QString &id :
         { QStringLiteral("123"), QStringLiteral("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeeg"),
           QStringLiteral("aaaaaaaabbbb4ccc8dddeeeeeeeeeeee") }) {
        reply = m_http.del(filesUrl({ id }), auth(access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json(), validationFailed());
    }

    // Nothing was deleted.
    for (const QJsonValue &value : stateFiles())
        QCOMPARE(value.toObject().value(QStringLiteral("isDeleted")).toBool(), false);

    // The patient's own file without a case can be deleted (the activity has no case).
    const QJsonObject caseless = findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == email && file.value(QStringLiteral("caseId")).isNull();
    });
    reply = m_http.del(filesUrl({ str(caseless, "id") }), auth(access));
    QCOMPARE(reply.status, 200);
    const QJsonArray activities
        = m_sandbox.state(kService).value(QStringLiteral("caseActivities")).toArray();
    QCOMPARE(activities.size(), 1);
    QVERIFY(activities.first().toObject().value(QStringLiteral("caseId")).isNull());
}

void TestSandboxCare360::hostileIdsStayInTheirRoute()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QString access = str(tokens, "accessToken");
    const QStringList hostile = {
        QStringLiteral("../x"),
        QStringLiteral("../../auth/logout"),
        QStringLiteral("a?b=c"),
        QStringLiteral("#frag"),
        QStringLiteral("%2F"),
        QStringLiteral("a/b"),
        QStringLiteral("x/metadata"),
        QStringLiteral("ünïcødé-😀"),
        QString(10 * 1024, u'a'),
        QStringLiteral("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/"),
        QStringLiteral(" aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"),
    };
    const qsizetype logBefore
        = m_sandbox.requestLog(kService).value(QStringLiteral("requests")).toArray().size();

    for (const QString &id : hostile) {
        TestReply reply = m_http.del(filesUrl({ id }), auth(access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json(), validationFailed());
        reply = m_http.get(filesUrl({ id, QStringLiteral("metadata") }), auth(access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json(), validationFailed());
        reply = m_http.get(filesUrl({ id, QStringLiteral("download") }), auth(access));
        QCOMPARE(reply.status, 400);
        reply = list(access, encodedQuery({ { QStringLiteral("caseId"), id } }));
        QCOMPARE(reply.status, 400);
    }

    const QJsonArray log
        = m_sandbox.requestLog(kService).value(QStringLiteral("requests")).toArray();
    QCOMPARE(log.size() - logBefore, 4 * hostile.size());
    const QStringList routes = { QStringLiteral("file.delete"), QStringLiteral("file.metadata"),
                                 QStringLiteral("file.download"), QStringLiteral("file.list") };
    for (qsizetype i = logBefore; i < log.size(); ++i) {
        const QJsonObject entry = log.at(i).toObject();
        QCOMPARE(str(entry, "route"), routes.at((i - logBefore) % 4));
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 400);
    }
    // Nothing else was touched.
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.logout")), 0);
    for (const QJsonValue &value : stateFiles())
        QCOMPARE(value.toObject().value(QStringLiteral("isDeleted")).toBool(), false);
    QCOMPARE(list(access).status, 200);
}

void TestSandboxCare360::refreshRotatesAndDetectsReuse()
{
    const QJsonObject first = signIn();
    QVERIFY(!first.isEmpty());

    TestReply reply = refresh(str(first, "refreshToken"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonObject second = reply.json().value(QStringLiteral("data")).toObject();
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
    QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("REFRESH_REUSED"));
    QVERIFY(!reply.json().value(QStringLiteral("error")).toString().isEmpty());

    reply = refresh(str(second, "refreshToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("REFRESH_INVALID"));
    reply = list(str(second, "accessToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());
    QCOMPARE(list(str(first, "accessToken")).status, 401);

    // Another sign-in is a separate family and unaffected.
    const QJsonObject fresh = signIn();
    QVERIFY(!fresh.isEmpty());
    QCOMPARE(list(str(fresh, "accessToken")).status, 200);
    QCOMPARE(refresh(str(fresh, "refreshToken")).status, 200);

    const QJsonObject summary
        = m_sandbox.state().value(QStringLiteral("services")).toObject().value(kService).toObject();
    QCOMPARE(summary.value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 1);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 4);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.verify-otp")), 2);
}

void TestSandboxCare360::refreshFromWrongTenantIsInvalid()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());

    TestReply reply = refresh(str(tokens, "refreshToken"), otherKey());
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("REFRESH_INVALID"));
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
    reply = refresh(QStringLiteral("never-issued"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("REFRESH_INVALID"));

    // The wrong-tenant attempt neither spent nor revoked the token.
    reply = refresh(str(tokens, "refreshToken"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(list(str(tokens, "accessToken")).status, 200);

    reply = m_http.sendJson("POST", authUrl(QStringLiteral("refresh-token")), {},
                            { { "cv-api-key", demoKey() } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
    reply = m_http.sendJson("POST", authUrl(QStringLiteral("refresh-token")),
                            { { QStringLiteral("refresh_token"), str(tokens, "refreshToken") } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json(), validationFailed());
}

void TestSandboxCare360::logoutRevokesFamily()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    const QUrl logoutUrl = authUrl(QStringLiteral("logout"));
    const HeaderPairs tenant { { "cv-api-key", demoKey() } };

    TestReply reply = m_http.sendJson(
        "POST", logoutUrl, { { QStringLiteral("refresh_token"), str(tokens, "refreshToken") } },
        tenant);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    reply = refresh(str(tokens, "refreshToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("REFRESH_INVALID"));
    QCOMPARE(list(str(tokens, "accessToken")).status, 401);

    // Always 200: again, or with a token that never existed.
    reply = m_http.sendJson("POST", logoutUrl,
                            { { QStringLiteral("refresh_token"), str(tokens, "refreshToken") } },
                            tenant);
    QCOMPARE(reply.status, 200);
    reply = m_http.sendJson("POST", logoutUrl,
                            { { QStringLiteral("refresh_token"), QStringLiteral("x") } }, tenant);
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_sandbox.state()
                 .value(QStringLiteral("services"))
                 .toObject()
                 .value(kService)
                 .toObject()
                 .value(QStringLiteral("refreshFamiliesRevoked"))
                 .toInt(),
             1);
}

void TestSandboxCare360::expiredAccessTokenNeedsRefresh()
{
    const QJsonObject tokens = signIn();
    QVERIFY(!tokens.isEmpty());
    QCOMPARE(list(str(tokens, "accessToken")).status, 200);

    QVERIFY(m_sandbox.expireTokens(kService));
    TestReply reply = list(str(tokens, "accessToken"));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json(), invalidToken());

    reply = refresh(str(tokens, "refreshToken"));
    QCOMPARE(reply.status, 200);
    const QString renewed
        = str(reply.json().value(QStringLiteral("data")).toObject(), "accessToken");
    QCOMPARE(list(renewed).status, 200);
    QCOMPARE(list(str(tokens, "accessToken")).status, 401);
}

void TestSandboxCare360::largeScaleListIsCompleteAndQuick()
{
    const int scale = 20000;
    SandboxProcess big({ QStringLiteral("--scale"), QString::number(scale) });
    QVERIFY2(big.start(), qPrintable(big.errorString()));
    const QUrl base = big.baseUrl(kService);
    const QJsonObject credentials = big.credentials(kService);
    const QJsonArray cases = credentials.value(QStringLiteral("cases")).toArray();
    QCOMPARE(cases.size(), 10);

    const QUrl authBase = urlWith(base,
                                  { QStringLiteral("api"), QStringLiteral("v1"),
                                    QStringLiteral("users"), QStringLiteral("auth") });
    const HeaderPairs tenant { { "cv-api-key", str(credentials, "tenantKey").toUtf8() } };
    QCOMPARE(m_http
                 .sendJson("POST", urlWith(authBase, { QStringLiteral("send-otp") }),
                           { { QStringLiteral("email"), str(credentials, "email") },
                             { QStringLiteral("channel"), QStringLiteral("EMAIL") } },
                           tenant)
                 .status,
             200);
    const TestReply signedIn
        = m_http.sendJson("POST", urlWith(authBase, { QStringLiteral("verify-otp") }),
                          { { QStringLiteral("email"), str(credentials, "email") },
                            { QStringLiteral("code"), str(credentials, "otpCode") } },
                          tenant);
    QCOMPARE(signedIn.status, 200);
    const QByteArray access
        = str(signedIn.json().value(QStringLiteral("data")).toObject(), "accessToken").toUtf8();
    const HeaderPairs headers = tenant + HeaderPairs { { "Authorization", "Bearer " + access } };
    const QUrl files
        = urlWith(base,
                  { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                    QStringLiteral("me"), QStringLiteral("files") });

    // No pagination: one answer holds every file exactly once, newest first.
    QElapsedTimer timer;
    timer.start();
    const TestReply reply = m_http.get(files, headers, 30000);
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(reply.status, 200);
    QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
    const QJsonArray all = reply.json()
                               .value(QStringLiteral("data"))
                               .toObject()
                               .value(QStringLiteral("files"))
                               .toArray();
    QCOMPARE(all.size(), scale / 2);
    QSet<QString> ids;
    QString previous;
    for (const QJsonValue &value : all) {
        const QJsonObject file = value.toObject();
        ids.insert(str(file, "id"));
        if (!previous.isEmpty())
            QVERIFY(str(file, "createdAt") <= previous);
        previous = str(file, "createdAt");
    }
    QCOMPARE(ids.size(), scale / 2);

    int perCase = 0;
    for (const QJsonValue &c : cases) {
        const TestReply inCase = m_http.get(
            urlWith(files, {},
                    encodedQuery({ { QStringLiteral("caseId"), str(c.toObject(), "id") } })),
            headers);
        QCOMPARE(inCase.status, 200);
        perCase += int(inCase.json()
                           .value(QStringLiteral("data"))
                           .toObject()
                           .value(QStringLiteral("files"))
                           .toArray()
                           .size());
    }
    QCOMPARE(perCase, scale / 2);

    // Single-file calls stay fast too.
    timer.restart();
    const QString someId = str(all.at(all.size() / 2).toObject(), "id");
    QCOMPARE(m_http.get(urlWith(files, { someId, QStringLiteral("metadata") }), headers).status,
             200);
    QCOMPARE(m_http.del(urlWith(files, { someId }), headers).status, 200);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestSandboxCare360)
#include "tst_sandbox_care360.moc"
