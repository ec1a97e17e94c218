// The Invox Medical part of docket-sandbox, checked against docs/services.md §1 and the vendor's
// delete page: what a client written from the docs sees over HTTP.

#include "sandboxprocess.h"
#include "testhttp.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

const QString service = QStringLiteral("invox");

QByteArray basic(const QString &appId, const QString &apiKey)
{
    return "Basic " + QString(appId + u':' + apiKey).toUtf8().toBase64();
}

QJsonObject documentRequest(const QString &session, const QJsonArray &documents)
{
    return { { QStringLiteral("consultationSessionId"), session },
             { QStringLiteral("documents"), documents } };
}

QJsonObject documentSpec(const QString &type, const QString &name)
{
    return { { QStringLiteral("documentType"), type }, { QStringLiteral("documentName"), name } };
}

// A request for one document's upload URL in session "s1", as bytes to send.
QByteArray oneDocumentRequest(const QString &type, const QString &name)
{
    return QJsonDocument(documentRequest(QStringLiteral("s1"), { documentSpec(type, name) }))
        .toJson();
}

} // namespace

class TestSandboxInvox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void credentialsArePublished();
    void tokenExchange();
    void missingOrBadTokenIsUnauthorized_data();
    void missingOrBadTokenIsUnauthorized();
    void restrictedAppIsForbidden();
    void apiVersionHeaderIsChecked();
    void jsonContentTypeIsRequired();
    void signedUrlRequestIsValidated_data();
    void signedUrlRequestIsValidated();
    void uploadFlow();
    void uploadIsChecked();
    void vendorExampleDeletesTheMockDocument();
    void deleteErrors();
    void documentNeverUploadedCanBeDeleted();
    void expiredTokensAreRefused();
    void hostileIdsReachTheRightRoutes();
    void requestsAreCounted();

private:
    QUrl url(const QString &path) const
    {
        QUrl result = m_sandbox.baseUrl(service);
        result.setPath(path);
        return result;
    }
    QByteArray accessToken(const QString &appId, const QString &apiKey);
    // Bearer + the version header, as the vendor page shows them.
    HeaderPairs bearer(const QByteArray &token) const
    {
        return { { "Authorization", "Bearer " + token },
                 { "X-Invox-Medical-Api-Version", "2026-03-01" } };
    }
    TestReply deleteDocument(const QByteArray &token, const QString &documentId)
    {
        return m_http.sendJson("DELETE", url(QStringLiteral("/v1/delete-document")),
                               { { QStringLiteral("documentId"), documentId } }, bearer(token));
    }
    QUrl signedUrlsUrl() const
    {
        return url(QStringLiteral("/v1/generate-signed-urls-for-documents"));
    }
    TestReply requestUrls(const QByteArray &token, const QJsonObject &body)
    {
        return m_http.sendJson("POST", signedUrlsUrl(), body, bearer(token));
    }
    // The upload URL of one document of `type` called `name` in `session`.
    TestReply requestUrl(const QByteArray &token, const QString &session, const QString &type,
                         const QString &name)
    {
        return requestUrls(token, documentRequest(session, { documentSpec(type, name) }));
    }
    // The first document an upload URL request answered with.
    static QJsonObject firstDocument(const TestReply &created)
    {
        return created.json().value(QStringLiteral("documents")).toArray().at(0).toObject();
    }
    QJsonObject summary() const { return m_sandbox.summary(service); }
    QJsonObject detailOf(const QString &documentId);

    SandboxProcess m_sandbox;
    TestHttp m_http;
    QJsonObject m_credentials;
    QByteArray m_token; // the demo app's, fresh for every test function
};

void TestSandboxInvox::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_credentials = m_sandbox.credentials(service);
}

void TestSandboxInvox::init()
{
    QVERIFY(m_sandbox.reset());
    m_token = accessToken(m_credentials.value(QStringLiteral("appId")).toString(),
                          m_credentials.value(QStringLiteral("apiKey")).toString());
    QVERIFY(!m_token.isEmpty());
}

QByteArray TestSandboxInvox::accessToken(const QString &appId, const QString &apiKey)
{
    const TestReply reply = m_http.send("POST", url(QStringLiteral("/v1/auth/token")),
                                        { { "Authorization", basic(appId, apiKey) } });
    if (reply.status != 200)
        return {};
    return reply.json().value(QStringLiteral("accessToken")).toString().toUtf8();
}

QJsonObject TestSandboxInvox::detailOf(const QString &documentId)
{
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("documents")).toArray()) {
        if (value.toObject().value(QStringLiteral("documentId")).toString() == documentId)
            return value.toObject();
    }
    return {};
}

void TestSandboxInvox::credentialsArePublished()
{
    const QList<QPair<QString, QString>> published = {
        { QStringLiteral("appId"), QStringLiteral("docket-demo-app") },
        { QStringLiteral("apiKey"), QStringLiteral("invox-demo-key-7f3a9c") },
        { QStringLiteral("tokenPath"), QStringLiteral("/v1/auth/token") },
        { QStringLiteral("apiVersion"), QStringLiteral("2026-03-01") },
        { QStringLiteral("otherAppId"), QStringLiteral("docket-other-app") },
        { QStringLiteral("restrictedAppId"), QStringLiteral("docket-restricted-app") },
    };
    for (const auto &[key, value] : published)
        QCOMPARE(m_credentials.value(key).toString(), value);
    for (const char *key : { "otherApiKey", "restrictedApiKey", "otherAppDocumentId" })
        QVERIFY2(!m_credentials.value(QLatin1String(key)).toString().isEmpty(), key);

    const QJsonArray documents = m_credentials.value(QStringLiteral("documents")).toArray();
    QCOMPARE(documents.size(), 5);
    QSet<QString> ids;
    QSet<QString> sessions;
    for (const QJsonValue &value : documents) {
        const QJsonObject document = value.toObject();
        ids.insert(document.value(QStringLiteral("documentId")).toString());
        sessions.insert(document.value(QStringLiteral("consultationSessionId")).toString());
        QVERIFY(!document.value(QStringLiteral("documentName")).toString().isEmpty());
        const QString type = document.value(QStringLiteral("documentType")).toString();
        QVERIFY(type == QStringLiteral("PDF") || type == QStringLiteral("TXT"));
    }
    QVERIFY(ids.contains(QStringLiteral("mock-document-id")));
    QCOMPARE(ids.size(), 5);
    QCOMPARE(sessions.size(), 2);

    // They exist in the sandbox, owned by the demo app and already uploaded.
    const QJsonObject mock = detailOf(QStringLiteral("mock-document-id"));
    QCOMPARE(mock.value(QStringLiteral("owner")).toString(), QStringLiteral("docket-demo-app"));
    QCOMPARE(mock.value(QStringLiteral("uploaded")), QJsonValue(true));
    QCOMPARE(mock.value(QStringLiteral("deleted")), QJsonValue(false));
    QCOMPARE(m_sandbox.count(service, QStringLiteral("documents")), 6);
}

void TestSandboxInvox::tokenExchange()
{
    const QString appId = m_credentials.value(QStringLiteral("appId")).toString();
    const QString apiKey = m_credentials.value(QStringLiteral("apiKey")).toString();
    const QUrl tokenUrl = url(m_credentials.value(QStringLiteral("tokenPath")).toString());

    const TestReply good
        = m_http.send("POST", tokenUrl, { { "Authorization", basic(appId, apiKey) } });
    QCOMPARE(good.status, 200);
    QVERIFY(!good.json().value(QStringLiteral("accessToken")).toString().isEmpty());
    QCOMPARE(good.json().value(QStringLiteral("expiresIn")).toInt(), 7200);
    // A new token each time; the earlier one keeps working (2-hour lifespan, reusable).
    QVERIFY(good.json().value(QStringLiteral("accessToken")).toString().toUtf8() != m_token);
    QCOMPARE(deleteDocument(m_token, QStringLiteral("nope")).status, 404);

    const QList<HeaderPairs> refused = {
        {},
        { { "Authorization", basic(appId, QStringLiteral("wrong-key")) } },
        { { "Authorization", basic(QStringLiteral("no-such-app"), apiKey) } },
        { { "Authorization",
            basic(m_credentials.value(QStringLiteral("otherAppId")).toString(), apiKey) } },
        { { "Authorization", "Basic !!!not-base64" } },
        { { "Authorization", "Basic " + appId.toUtf8().toBase64() } }, // no colon
        { { "Authorization", "Bearer " + m_token } },
    };
    for (const HeaderPairs &headers : refused) {
        const TestReply reply = m_http.send("POST", tokenUrl, headers);
        QCOMPARE(reply.status, 401);
        QVERIFY(!reply.json().value(QStringLiteral("message")).toString().isEmpty());
    }

    // The restricted app gets a token; it is the document endpoints that refuse it.
    QVERIFY(!accessToken(m_credentials.value(QStringLiteral("restrictedAppId")).toString(),
                         m_credentials.value(QStringLiteral("restrictedApiKey")).toString())
                 .isEmpty());
}

void TestSandboxInvox::missingOrBadTokenIsUnauthorized_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("unknown bearer") << QByteArray("Bearer not-a-token");
    QTest::newRow("basic instead of bearer")
        << basic(QStringLiteral("docket-demo-app"), QStringLiteral("invox-demo-key-7f3a9c"));
}

void TestSandboxInvox::missingOrBadTokenIsUnauthorized()
{
    QFETCH(QByteArray, authorization);
    HeaderPairs headers = { { "Content-Type", "application/json" } };
    if (!authorization.isEmpty())
        headers.emplaceBack("Authorization", authorization);

    const TestReply remove
        = m_http.send("DELETE", url(QStringLiteral("/v1/delete-document")), headers,
                      QJsonDocument(QJsonObject { { QStringLiteral("documentId"),
                                                    QStringLiteral("mock-document-id") } })
                          .toJson());
    QCOMPARE(remove.status, 401);
    QVERIFY(!remove.json().value(QStringLiteral("message")).toString().isEmpty());

    const TestReply create
        = m_http.send("POST", signedUrlsUrl(), headers,
                      oneDocumentRequest(QStringLiteral("PDF"), QStringLiteral("a.pdf")));
    QCOMPARE(create.status, 401);
    QVERIFY(!create.json().value(QStringLiteral("message")).toString().isEmpty());

    QCOMPARE(detailOf(QStringLiteral("mock-document-id")).value(QStringLiteral("deleted")),
             QJsonValue(false));
}

void TestSandboxInvox::restrictedAppIsForbidden()
{
    const QByteArray token
        = accessToken(m_credentials.value(QStringLiteral("restrictedAppId")).toString(),
                      m_credentials.value(QStringLiteral("restrictedApiKey")).toString());
    QVERIFY(!token.isEmpty());

    const TestReply remove = deleteDocument(token, QStringLiteral("mock-document-id"));
    QCOMPARE(remove.status, 403);
    QVERIFY(!remove.json().value(QStringLiteral("message")).toString().isEmpty());
    const TestReply create
        = requestUrl(token, QStringLiteral("s1"), QStringLiteral("PDF"), QStringLiteral("a.pdf"));
    QCOMPARE(create.status, 403);
    QVERIFY(!create.json().value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(detailOf(QStringLiteral("mock-document-id")).value(QStringLiteral("deleted")),
             QJsonValue(false));
}

void TestSandboxInvox::apiVersionHeaderIsChecked()
{
    const QUrl deleteUrl = url(QStringLiteral("/v1/delete-document"));
    const QJsonObject body { { QStringLiteral("documentId"), QStringLiteral("no-such-document") } };
    const QByteArray authorization = "Bearer " + m_token;
    const auto withVersion = [&](const QByteArray &version) {
        return m_http.sendJson(
            "DELETE", deleteUrl, body,
            { { "Authorization", authorization }, { "X-Invox-Medical-Api-Version", version } });
    };

    // Absent, or any dated version seen in the docs: accepted (so the 404 of the lookup).
    QCOMPARE(
        m_http.sendJson("DELETE", deleteUrl, body, { { "Authorization", authorization } }).status,
        404);
    for (const QByteArray &version :
         { QByteArray("2025-10-01"), QByteArray("2025-11-01"), QByteArray("2026-03-01") })
        QCOMPARE(withVersion(version).status, 404);

    for (const QByteArray &version :
         { QByteArray("2024-01-01"), QByteArray("latest"), QByteArray("") }) {
        const TestReply reply = withVersion(version);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("errorType")).toString(),
                 QStringLiteral("invalidApiVersionForEndpoint"));
        QVERIFY(!reply.json().value(QStringLiteral("messsage")).toString().isEmpty());
    }
}

void TestSandboxInvox::jsonContentTypeIsRequired()
{
    const QByteArray body = QJsonDocument(QJsonObject { { QStringLiteral("documentId"),
                                                          QStringLiteral("mock-document-id") } })
                                .toJson();
    const QUrl deleteUrl = url(QStringLiteral("/v1/delete-document"));
    HeaderPairs noType = bearer(m_token);

    // A DELETE with the right body but no JSON Content-Type is refused...
    for (const QByteArray &type : { QByteArray(), QByteArray("text/plain"),
                                    QByteArray("application/x-www-form-urlencoded") }) {
        HeaderPairs headers = noType;
        if (!type.isEmpty())
            headers.emplaceBack("Content-Type", type);
        const TestReply reply = m_http.send("DELETE", deleteUrl, headers, body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("errorType")).toString(),
                 QStringLiteral("invalidRequestBody"));
        QVERIFY(!reply.json().value(QStringLiteral("messsage")).toString().isEmpty());
        QVERIFY(!reply.json().contains(QStringLiteral("message")));
    }
    QCOMPARE(detailOf(QStringLiteral("mock-document-id")).value(QStringLiteral("deleted")),
             QJsonValue(false));

    // ...and so is a POST.
    HeaderPairs plain = noType;
    plain.emplaceBack("Content-Type", "text/plain");
    const TestReply post
        = m_http.send("POST", signedUrlsUrl(), plain,
                      oneDocumentRequest(QStringLiteral("TXT"), QStringLiteral("a.txt")));
    QCOMPARE(post.status, 400);
    QCOMPARE(post.json().value(QStringLiteral("errorType")).toString(),
             QStringLiteral("invalidRequestBody"));

    // A charset parameter is fine.
    HeaderPairs withCharset = noType;
    withCharset.emplaceBack("Content-Type", "application/json; charset=utf-8");
    QCOMPARE(m_http.send("DELETE", deleteUrl, withCharset, body).status, 200);
}

void TestSandboxInvox::signedUrlRequestIsValidated_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("errorType");

    const auto json = [](const QJsonObject &object) {
        return QJsonDocument(object).toJson();
    };
    const QJsonObject pdf = documentSpec(QStringLiteral("PDF"), QStringLiteral("note.pdf"));
    const QString invalid = QStringLiteral("invalidRequestBody");
    const QString inconsistent = QStringLiteral("inconsistentInput");

    QTest::newRow("not json") << QByteArray("{not json") << invalid;
    QTest::newRow("json array") << QByteArray("[]") << invalid;
    QTest::newRow("no session") << json({ { QStringLiteral("documents"), QJsonArray { pdf } } })
                                << invalid;
    QTest::newRow("session not a string")
        << json({ { QStringLiteral("consultationSessionId"), 42 },
                  { QStringLiteral("documents"), QJsonArray { pdf } } })
        << invalid;
    QTest::newRow("no documents") << json(
        { { QStringLiteral("consultationSessionId"), QStringLiteral("s1") } })
                                  << invalid;
    QTest::newRow("documents not a list")
        << json({ { QStringLiteral("consultationSessionId"), QStringLiteral("s1") },
                  { QStringLiteral("documents"), pdf } })
        << invalid;
    QTest::newRow("document without name") << json(documentRequest(
        QStringLiteral("s1"),
        { QJsonObject { { QStringLiteral("documentType"), QStringLiteral("PDF") } } }))
                                           << invalid;
    QTest::newRow("document without type") << json(documentRequest(
        QStringLiteral("s1"),
        { QJsonObject { { QStringLiteral("documentName"), QStringLiteral("a.pdf") } } }))
                                           << invalid;
    QTest::newRow("empty documents")
        << json(documentRequest(QStringLiteral("s1"), {})) << inconsistent;
    QTest::newRow("DOCX") << json(
        documentRequest(QStringLiteral("s1"),
                        { pdf, documentSpec(QStringLiteral("DOCX"), QStringLiteral("a.docx")) }))
                          << inconsistent;
    QTest::newRow("lower-case pdf") << json(documentRequest(
        QStringLiteral("s1"), { documentSpec(QStringLiteral("pdf"), QStringLiteral("a.pdf")) }))
                                    << inconsistent;
}

void TestSandboxInvox::signedUrlRequestIsValidated()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, errorType);

    HeaderPairs headers = bearer(m_token);
    headers.emplaceBack("Content-Type", "application/json");
    const TestReply reply = m_http.send("POST", signedUrlsUrl(), headers, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().value(QStringLiteral("errorType")).toString(), errorType);
    QVERIFY(!reply.json().value(QStringLiteral("messsage")).toString().isEmpty());
    // Nothing was created by a refused request.
    QCOMPARE(m_sandbox.state(service).value(QStringLiteral("documents")).toArray().size(), 6);
}

void TestSandboxInvox::uploadFlow()
{
    const QString session = QStringLiteral("4b8e0c1a-consultation");
    const TestReply created = requestUrls(
        m_token,
        documentRequest(
            session,
            { documentSpec(QStringLiteral("PDF"), QStringLiteral("Consultation note.pdf")),
              documentSpec(QStringLiteral("TXT"), QStringLiteral("transcript.txt")) }));
    QCOMPARE(created.status, 200);
    const QJsonArray documents = created.json().value(QStringLiteral("documents")).toArray();
    QCOMPARE(documents.size(), 2);

    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    QStringList ids;
    QList<QUrl> signedUrls;
    for (const QJsonValue &value : documents) {
        const QJsonObject document = value.toObject();
        const QString id = document.value(QStringLiteral("documentId")).toString();
        QVERIFY2(uuid.match(id).hasMatch(), qPrintable(id));
        ids.append(id);
        const QUrl signedUrl(document.value(QStringLiteral("signedUrl")).toString());
        QVERIFY(signedUrl.isValid());
        QCOMPARE(signedUrl.host(), m_sandbox.baseUrl(service).host());
        QCOMPARE(signedUrl.port(), m_sandbox.baseUrl(service).port());
        signedUrls.append(signedUrl);
    }
    QCOMPARE(documents.at(0).toObject().value(QStringLiteral("documentType")).toString(),
             QStringLiteral("PDF"));
    QCOMPARE(documents.at(0).toObject().value(QStringLiteral("documentName")).toString(),
             QStringLiteral("Consultation note.pdf"));
    QCOMPARE(documents.at(1).toObject().value(QStringLiteral("documentType")).toString(),
             QStringLiteral("TXT"));
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 2);

    // Known to the sandbox, not yet uploaded.
    QJsonObject pdf = detailOf(ids.at(0));
    QCOMPARE(pdf.value(QStringLiteral("uploaded")), QJsonValue(false));
    QCOMPARE(pdf.value(QStringLiteral("consultationSessionId")).toString(), session);
    QCOMPARE(pdf.value(QStringLiteral("owner")).toString(), QStringLiteral("docket-demo-app"));

    // PUT the files to their signed URLs with the matching mime types.
    const QByteArray pdfBytes = "%PDF-1.4\n" + QByteArray(2048, 'p') + "\n%%EOF\n";
    QCOMPARE(
        m_http.send("PUT", signedUrls.at(0), { { "Content-Type", "application/pdf" } }, pdfBytes)
            .status,
        200);
    QCOMPARE(m_http
                 .send("PUT", signedUrls.at(1), { { "Content-Type", "text/plain; charset=utf-8" } },
                       "Patient reports mild pain.")
                 .status,
             200);
    pdf = detailOf(ids.at(0));
    QCOMPARE(pdf.value(QStringLiteral("uploaded")), QJsonValue(true));
    QCOMPARE(pdf.value(QStringLiteral("size")).toInteger(), pdfBytes.size());
    QCOMPARE(detailOf(ids.at(1)).value(QStringLiteral("uploaded")), QJsonValue(true));
    QCOMPARE(summary().value(QStringLiteral("uploads")).toInt(), 2);
    QCOMPARE(m_sandbox.count(service, QStringLiteral("documents")), 8);

    // Delete: the documented body, visible in the state, and 404 on repeat.
    const TestReply deleted = deleteDocument(m_token, ids.at(0));
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.json(),
             (QJsonObject {
                 { QStringLiteral("message"), QStringLiteral("Document deleted successfully") },
                 { QStringLiteral("documentId"), ids.at(0) } }));
    QCOMPARE(detailOf(ids.at(0)).value(QStringLiteral("deleted")), QJsonValue(true));
    QCOMPARE(m_sandbox.deletedIds(service, QStringLiteral("documents")), QStringList { ids.at(0) });

    const TestReply again = deleteDocument(m_token, ids.at(0));
    QCOMPARE(again.status, 404);
    QCOMPARE(again.json(),
             (QJsonObject { { QStringLiteral("messsage"), QStringLiteral("Document not found") },
                            { QStringLiteral("errorType"), QStringLiteral("documentNotFound") } }));

    // Its upload URL is dead too.
    QCOMPARE(
        m_http.send("PUT", signedUrls.at(0), { { "Content-Type", "application/pdf" } }, pdfBytes)
            .status,
        404);
}

void TestSandboxInvox::uploadIsChecked()
{
    const TestReply created
        = requestUrl(m_token, QStringLiteral("s2"), QStringLiteral("PDF"), QStringLiteral("a.pdf"));
    QCOMPARE(created.status, 200);
    const QJsonObject document = firstDocument(created);
    const QUrl signedUrl(document.value(QStringLiteral("signedUrl")).toString());
    const QString id = document.value(QStringLiteral("documentId")).toString();

    // Wrong mime type: 400, plain text.
    const TestReply wrongType
        = m_http.send("PUT", signedUrl, { { "Content-Type", "text/plain" } }, "hello");
    QCOMPARE(wrongType.status, 400);
    QVERIFY(wrongType.header("content-type").startsWith("text/plain"));

    // A forged signature or a moved expiry: 403.
    const auto changed = [&signedUrl](const QString &item, const QString &value) {
        QUrlQuery query(signedUrl);
        query.removeAllQueryItems(item);
        query.addQueryItem(item, value);
        QUrl url = signedUrl;
        url.setQuery(query);
        return url;
    };
    const HeaderPairs pdf { { "Content-Type", "application/pdf" } };
    const QUrl forged = changed(QStringLiteral("signature"), QStringLiteral("deadbeef"));
    QCOMPARE(m_http.send("PUT", forged, pdf, "%PDF").status, 403);
    const QUrl moved = changed(QStringLiteral("expires"), QStringLiteral("1"));
    QCOMPARE(m_http.send("PUT", moved, pdf, "%PDF").status, 403);
    // Another document's path with this signature: 403.
    QUrl otherPath = signedUrl;
    otherPath.setPath(QStringLiteral("/uploads/mock-document-id"));
    QCOMPARE(m_http.send("PUT", otherPath, pdf, "%PDF").status, 403);

    QCOMPARE(detailOf(id).value(QStringLiteral("uploaded")), QJsonValue(false));
    QCOMPARE(summary().value(QStringLiteral("uploads")).toInt(), 0);
}

void TestSandboxInvox::vendorExampleDeletesTheMockDocument()
{
    // The delete page: DELETE /v1/delete-document with {"documentId": "mock-document-id"}.
    const TestReply reply = m_http.send("DELETE", url(QStringLiteral("/v1/delete-document")),
                                        { { "Content-Type", "application/json" },
                                          { "Authorization", "Bearer " + m_token },
                                          { "X-Invox-Medical-Api-Version", "2026-03-01" } },
                                        "{\n\"documentId\": \"mock-document-id\"\n}");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("message")).toString(),
             QStringLiteral("Document deleted successfully"));
    QCOMPARE(reply.json().value(QStringLiteral("documentId")).toString(),
             QStringLiteral("mock-document-id"));
    QCOMPARE(detailOf(QStringLiteral("mock-document-id")).value(QStringLiteral("deleted")),
             QJsonValue(true));
    QCOMPARE(deleteDocument(m_token, QStringLiteral("mock-document-id")).status, 404);
}

void TestSandboxInvox::deleteErrors()
{
    HeaderPairs headers = bearer(m_token);
    headers.emplaceBack("Content-Type", "application/json");
    const QUrl deleteUrl = url(QStringLiteral("/v1/delete-document"));
    for (const QByteArray &body :
         { QByteArray(), QByteArray("{}"), QByteArray("{\"documentId\": 7}"),
           QByteArray("{\"documentId\": \"\"}"), QByteArray("{\"id\": \"mock-document-id\"}"),
           QByteArray("not json") }) {
        const TestReply reply = m_http.send("DELETE", deleteUrl, headers, body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("errorType")).toString(),
                 QStringLiteral("invalidRequestBody"));
        QVERIFY(!reply.json().value(QStringLiteral("messsage")).toString().isEmpty());
    }

    const TestReply unknown = deleteDocument(m_token, QStringLiteral("no-such-document"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json().value(QStringLiteral("messsage")).toString(),
             QStringLiteral("Document not found"));
    QCOMPARE(unknown.json().value(QStringLiteral("errorType")).toString(),
             QStringLiteral("documentNotFound"));

    // Another app's document: indistinguishable from a missing one, and left alone.
    const QString foreign = m_credentials.value(QStringLiteral("otherAppDocumentId")).toString();
    const TestReply other = deleteDocument(m_token, foreign);
    QCOMPARE(other.status, 404);
    QCOMPARE(other.json(), unknown.json());
    QCOMPARE(detailOf(foreign).value(QStringLiteral("deleted")), QJsonValue(false));

    // Its owner can delete it.
    const QByteArray otherToken
        = accessToken(m_credentials.value(QStringLiteral("otherAppId")).toString(),
                      m_credentials.value(QStringLiteral("otherApiKey")).toString());
    QCOMPARE(deleteDocument(otherToken, foreign).status, 200);
    QCOMPARE(detailOf(foreign).value(QStringLiteral("deleted")), QJsonValue(true));
}

void TestSandboxInvox::documentNeverUploadedCanBeDeleted()
{
    const TestReply created
        = requestUrl(m_token, QStringLiteral("s3"), QStringLiteral("TXT"), QStringLiteral("n.txt"));
    QCOMPARE(created.status, 200);
    const QString id = firstDocument(created).value(QStringLiteral("documentId")).toString();
    QCOMPARE(deleteDocument(m_token, id).status, 200);
    const QJsonObject detail = detailOf(id);
    QCOMPARE(detail.value(QStringLiteral("uploaded")), QJsonValue(false));
    QCOMPARE(detail.value(QStringLiteral("deleted")), QJsonValue(true));
}

void TestSandboxInvox::expiredTokensAreRefused()
{
    QVERIFY(m_sandbox.expireTokens(service));
    const TestReply reply = deleteDocument(m_token, QStringLiteral("mock-document-id"));
    QCOMPARE(reply.status, 401);
    QVERIFY(!reply.json().value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(detailOf(QStringLiteral("mock-document-id")).value(QStringLiteral("deleted")),
             QJsonValue(false));

    // A fresh exchange works again.
    const QByteArray fresh = accessToken(m_credentials.value(QStringLiteral("appId")).toString(),
                                         m_credentials.value(QStringLiteral("apiKey")).toString());
    QVERIFY(!fresh.isEmpty());
    QCOMPARE(deleteDocument(fresh, QStringLiteral("mock-document-id")).status, 200);
}

void TestSandboxInvox::hostileIdsReachTheRightRoutes()
{
    const QStringList hostile = hostileIds()
        + QStringList {
              QStringLiteral("mock-document-id/../mock-document-id"),
              QStringLiteral("../v1/delete-document"),
          };
    // In the JSON body of the delete: a clean 404 from document.delete.
    for (const QString &id : hostile)
        QCOMPARE(deleteDocument(m_token, id).status, 404);
    // In the path of an upload URL: one segment, upload.put, refused for its missing signature.
    for (const QString &id : hostile) {
        const QUrl uploadUrl
            = urlWith(m_sandbox.baseUrl(service), { QStringLiteral("uploads"), id },
                      encodedQuery({ { QStringLiteral("expires"), QStringLiteral("9999999999") },
                                     { QStringLiteral("signature"), QStringLiteral("00") } }));
        QCOMPARE(
            m_http.send("PUT", uploadUrl, { { "Content-Type", "application/pdf" } }, "%PDF").status,
            403);
    }

    const QJsonArray log
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    const int sent = int(hostile.size()) * 2;
    QVERIFY(log.size() >= sent);
    for (int i = 0; i < sent; ++i) {
        const QJsonObject entry = log.at(log.size() - sent + i).toObject();
        const bool upload = i >= hostile.size();
        QCOMPARE(entry.value(QStringLiteral("route")).toString(),
                 upload ? QStringLiteral("upload.put") : QStringLiteral("document.delete"));
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), upload ? 403 : 404);
    }
    QVERIFY(m_sandbox.deletedIds(service, QStringLiteral("documents")).isEmpty());
    QCOMPARE(summary().value(QStringLiteral("uploads")).toInt(), 0);
}

void TestSandboxInvox::requestsAreCounted()
{
    // init() exchanged one token.
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("auth.token")), 1);
    const QJsonArray documents = m_credentials.value(QStringLiteral("documents")).toArray();
    for (const QJsonValue &document : documents) {
        QCOMPARE(deleteDocument(m_token,
                                document.toObject().value(QStringLiteral("documentId")).toString())
                     .status,
                 200);
    }
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("document.delete")),
             int(documents.size()));
    QCOMPARE(m_sandbox.count(service, QStringLiteral("documents")), 1);
}

QTEST_GUILESS_MAIN(TestSandboxInvox)
#include "tst_sandbox_invox.moc"
