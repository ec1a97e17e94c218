// The Care360 part of docket-sandbox, checked from the outside against docs/services.md §2:
// reading the patient's files (list, filters, metadata, downloads), the token every file route
// needs, hostile ids, and a large listing.
#include "care360sandbox.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace care360;

class TestSandboxCare360Files : public Care360SignedIn
{
    Q_OBJECT

private Q_SLOTS:
    void fileCallsNeedValidToken();
    void listCoversThePatientsCases();
    void listFiltersByCaseAndType();
    void listRejectsForeignCases();
    void metadataAndVisibility();
    void downloadServesBytes();
    void hostileIdsStayInTheirRoute();
    void largeScaleListIsCompleteAndQuick();
};

void TestSandboxCare360Files::fileCallsNeedValidToken()
{

    TestReply reply = m_http.get(filesUrl(), tenant());
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
    reply = m_http.get(filesUrl(), auth(QStringLiteral("made.up.token")));
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
    reply = m_http.get(
        filesUrl(),
        { { "cv-api-key", demoKey() }, { "Authorization", "Basic " + m_access.toUtf8() } });
    QCOMPARE(reply.status, 401);
    // A tampered copy of a real token is not accepted: validation is by lookup.
    QString tampered = m_access;
    tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == u'A' ? u'B' : u'A';
    QCOMPARE(list(tampered).status, 401);

    // Tokens are per tenant, both ways.
    reply = m_http.get(filesUrl(), auth(m_access, otherKey()));
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
    const QJsonObject otherTokens = signIn(str(m_credentials, "otherTenantEmail"), otherKey());
    QVERIFY(!otherTokens.isEmpty());
    reply = list(str(otherTokens, "accessToken"));
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
    QCOMPARE(m_http.get(filesUrl(), auth(str(otherTokens, "accessToken"), otherKey())).status, 200);

    // Every file route checks the token.
    const QString someId = demoCaseId();
    const QList<QPair<QByteArray, QUrl>> calls = {
        { "GET", filesUrl({ someId, QStringLiteral("metadata") }) },
        { "GET", filesUrl({ someId, QStringLiteral("download") }) },
        { "DELETE", filesUrl({ someId }) },
    };
    for (const auto &[method, target] : calls) {
        reply = m_http.send(method, target, tenant());
        QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
    }
    reply = m_http.sendJson("PATCH", filesUrl({ someId, QStringLiteral("metadata") }),
                            { { QStringLiteral("fileName"), QStringLiteral("x.pdf") } }, tenant());
    QCOMPARE(reply.status, 401);
    reply = m_http.sendJson("POST", filesUrl({ QStringLiteral("upload") }),
                            { { QStringLiteral("name"), QStringLiteral("x.txt") },
                              { QStringLiteral("data"), QStringLiteral("eA==") },
                              { QStringLiteral("mimeType"), QStringLiteral("text/plain") } },
                            tenant());
    QCOMPARE(statusAndJson(reply), statusAndJson(401, invalidToken));
}

void TestSandboxCare360Files::listCoversThePatientsCases()
{
    const TestReply reply = list(m_access);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonArray files = dataOf(reply).value(QStringLiteral("files")).toArray();

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

void TestSandboxCare360Files::listFiltersByCaseAndType()
{
    const QJsonArray all = listedFiles(m_access);
    QVERIFY(!all.isEmpty());

    int total = 0;
    for (const QJsonValue &c : m_credentials.value(QStringLiteral("cases")).toArray()) {
        const QString caseId = str(c.toObject(), "id");
        const QJsonArray inCase
            = listedFiles(m_access, encodedQuery({ { QStringLiteral("caseId"), caseId } }));
        QVERIFY(inCase.size() >= 3 && inCase.size() <= 6);
        for (const QJsonValue &file : inCase)
            QCOMPARE(str(file.toObject(), "caseId"), caseId);
        total += int(inCase.size());
    }
    QCOMPARE(total, int(all.size()));

    const QJsonArray phi = listedFiles(
        m_access, encodedQuery({ { QStringLiteral("type"), QStringLiteral("phi") } }));
    const QJsonArray general = listedFiles(
        m_access, encodedQuery({ { QStringLiteral("type"), QStringLiteral("general") } }));
    QVERIFY(!phi.isEmpty());
    QVERIFY(!general.isEmpty());
    QCOMPARE(phi.size() + general.size(), all.size());
    for (const QJsonValue &file : phi)
        QCOMPARE(file.toObject().value(QStringLiteral("isPHI")).toBool(), true);
    for (const QJsonValue &file : general)
        QCOMPARE(file.toObject().value(QStringLiteral("isPHI")).toBool(), false);

    // Both filters together.
    const QString firstCase = demoCaseId();
    const QJsonArray both
        = listedFiles(m_access,
                      encodedQuery({ { QStringLiteral("caseId"), firstCase },
                                     { QStringLiteral("type"), QStringLiteral("phi") } }));
    for (const QJsonValue &file : both) {
        QCOMPARE(str(file.toObject(), "caseId"), firstCase);
        QCOMPARE(file.toObject().value(QStringLiteral("isPHI")).toBool(), true);
    }

    const TestReply badType
        = list(m_access, encodedQuery({ { QStringLiteral("type"), QStringLiteral("secret") } }));
    QCOMPARE(statusAndJson(badType), statusAndJson(400, validationFailed));
}

void TestSandboxCare360Files::listRejectsForeignCases()
{

    TestReply reply = list(
        m_access,
        encodedQuery({ { QStringLiteral("caseId"), str(m_credentials, "otherPatientCaseId") } }));
    QCOMPARE(statusAndJson(reply), statusAndJson(403, caseForbidden));

    const QJsonObject otherTenants = otherTenantFile();
    QVERIFY(!otherTenants.isEmpty());
    reply = list(m_access,
                 encodedQuery({ { QStringLiteral("caseId"), str(otherTenants, "caseId") } }));
    QCOMPARE(statusAndJson(reply), statusAndJson(403, caseForbidden));

    reply = list(m_access,
                 encodedQuery({ { QStringLiteral("caseId"),
                                  QStringLiteral("00000000-0000-4000-8000-000000000000") } }));
    QCOMPARE(statusAndJson(reply), statusAndJson(403, caseForbidden));

    reply = list(m_access,
                 encodedQuery({ { QStringLiteral("caseId"), QStringLiteral("not-a-case") } }));
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));

    // The other patient sees their own case and nothing of the demo patient's.
    const QJsonObject other = signIn(str(m_credentials, "otherPatientEmail"));
    QVERIFY(!other.isEmpty());
    const QJsonArray otherFiles = listedFiles(str(other, "accessToken"));
    QCOMPARE(otherFiles.size(), 2);
    for (const QJsonValue &file : otherFiles)
        QCOMPARE(str(file.toObject(), "caseId"), str(m_credentials, "otherPatientCaseId"));
}

void TestSandboxCare360Files::metadataAndVisibility()
{
    const QJsonArray files = listedFiles(m_access);
    QVERIFY(!files.isEmpty());

    // Metadata shows what the list shows.
    for (const QJsonValue &file : files) {
        const TestReply reply = getFile(str(file.toObject(), "id"), QStringLiteral("metadata"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
        QCOMPARE(dataOf(reply), file.toObject());
    }

    // The file uploaded without a case is invisible in the list but readable by its uploader.
    const QJsonObject caseless = caselessFile();
    QVERIFY(!caseless.isEmpty());
    TestReply reply = getFile(str(caseless, "id"), QStringLiteral("metadata"));
    QCOMPARE(reply.status, 200);
    QVERIFY(dataOf(reply).value(QStringLiteral("caseId")).isNull());

    // Anything not the patient's is the uniform 404.
    for (const QString &id : { str(otherPatientFile(), "id"), str(otherTenantFile(), "id"),
                               QStringLiteral("11111111-2222-4333-8444-555555555555") }) {
        QVERIFY(looksLikeUuid(id));
        for (const QString &action : { QStringLiteral("metadata"), QStringLiteral("download") }) {
            reply = getFile(id, action);
            QCOMPARE(statusAndJson(reply), statusAndJson(404, fileNotFound));
        }
    }
    for (const QString &action : { QStringLiteral("metadata"), QStringLiteral("download") }) {
        reply = getFile(QStringLiteral("12345"), action);
        QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    }
}

void TestSandboxCare360Files::downloadServesBytes()
{
    const QJsonArray files = listedFiles(m_access);
    QVERIFY(!files.isEmpty());

    for (const QJsonValue &value : files) {
        const QJsonObject file = value.toObject();
        const TestReply reply = getFile(str(file, "id"), QStringLiteral("download"));
        QCOMPARE(reply.status, 200);
        const QJsonObject data = dataOf(reply);
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
        const QUrl again = downloadLink(str(file, "id"), m_access);
        QVERIFY(again != downloadUrl);
        QCOMPARE(m_http.get(again).body, content.body);
    }

    QUrl unknown = m_base;
    unknown.setPath(QStringLiteral("/downloads/not-a-real-link"));
    const TestReply reply = m_http.get(unknown);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
}

void TestSandboxCare360Files::hostileIdsStayInTheirRoute()
{
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
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray().size();

    for (const QString &id : hostile) {
        TestReply reply = m_http.del(filesUrl({ id }), auth(m_access));
        QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
        reply = getFile(id, QStringLiteral("metadata"));
        QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
        reply = getFile(id, QStringLiteral("download"));
        QCOMPARE(reply.status, 400);
        reply = list(m_access, encodedQuery({ { QStringLiteral("caseId"), id } }));
        QCOMPARE(reply.status, 400);
    }

    const QJsonArray log
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    QCOMPARE(log.size() - logBefore, 4 * hostile.size());
    const QStringList routes = { QStringLiteral("file.delete"), QStringLiteral("file.metadata"),
                                 QStringLiteral("file.download"), QStringLiteral("file.list") };
    for (qsizetype i = logBefore; i < log.size(); ++i) {
        const QJsonObject entry = log.at(i).toObject();
        QCOMPARE(str(entry, "route"), routes.at((i - logBefore) % 4));
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 400);
    }
    // Nothing else was touched.
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("auth.logout")), 0);
    for (const QJsonValue &value : stateFiles())
        QCOMPARE(value.toObject().value(QStringLiteral("isDeleted")).toBool(), false);
    QCOMPARE(list(m_access).status, 200);
}

void TestSandboxCare360Files::largeScaleListIsCompleteAndQuick()
{
    const int scale = 20000;
    SandboxProcess big({ QStringLiteral("--scale"), QString::number(scale) });
    QVERIFY2(big.start(), qPrintable(big.errorString()));
    const QUrl base = big.baseUrl(service);
    const QJsonObject credentials = big.credentials(service);
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
    const QByteArray m_access = str(dataOf(signedIn), "accessToken").toUtf8();
    const HeaderPairs headers = tenant + HeaderPairs { { "Authorization", "Bearer " + m_access } };
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
    const QJsonArray all = dataOf(reply).value(QStringLiteral("files")).toArray();
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
        perCase += int(dataOf(inCase).value(QStringLiteral("files")).toArray().size());
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

QTEST_GUILESS_MAIN(TestSandboxCare360Files)
#include "tst_sandbox_care360_files.moc"
