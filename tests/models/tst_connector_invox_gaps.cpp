// InvoxConnector against a tiny local fake server, for the [gap] alternatives the sandbox does
// not speak: other token answers and a proactive renewal, lifetimes beyond reason, signed upload
// URLs that carry no credentials or lead elsewhere. (The sandbox suites:
// tst_connector_invox_signin, _documents, _deletes.)

#include "invoxsuite.h"
#include "loopbackhttpserver.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

using namespace Docket;

namespace {

// [doc] Invox's 200 to a delete: it names the document the request's body named.
QByteArray deletedAnswer(const QByteArray &requestBody)
{
    const QJsonValue id
        = QJsonDocument::fromJson(requestBody).object().value(QStringLiteral("documentId"));
    return QJsonDocument(QJsonObject { { QStringLiteral("message"),
                                         QStringLiteral("Document deleted successfully") },
                                       { QStringLiteral("documentId"), id } })
        .toJson();
}

// --- A minimal HTTP/1.1 server for what the sandbox does not do ----------------------------------

struct SeenRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-cased names
    QByteArray body;
};

struct FakeAnswer
{
    int status = 200;
    QByteArray body;
};

class FakeServer : public QObject
{
public:
    std::function<FakeAnswer(const SeenRequest &)> handler;
    QList<SeenRequest> seen;

    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost))
    {
        return m_server.listen(address);
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://%1:%2")
                        .arg(m_server.serverAddress().toString())
                        .arg(m_server.serverPort()));
    }
    int count(const QByteArray &path) const
    {
        int n = 0;
        for (const SeenRequest &request : seen)
            n += request.path == path;
        return n;
    }

    FakeServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    serve(socket, *buffer);
                });
            }
        });
    }

private:
    void serve(QTcpSocket *socket, QByteArray &buffer)
    {
        qsizetype size = 0;
        const std::optional<SeenHttpRequest> whole = wholeRequestAt(buffer, &size);
        if (!whole)
            return;
        const SeenRequest request { whole->method, whole->target, whole->headers, whole->body };
        buffer.remove(0, size);
        seen.append(request);
        const FakeAnswer answer = handler ? handler(request) : FakeAnswer { 404, "{}" };
        QByteArray response = "HTTP/1.1 " + QByteArray::number(answer.status) + " X\r\n"
            + "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(answer.body.size()) + "\r\nConnection: close\r\n\r\n"
            + answer.body;
        socket->write(response);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
};

// A fake Invox that hands out a token at `tokenPath` (the `n`th one answered with
// `tokenAnswer(n)`, `issued` counting them), deletes whatever document it is asked to, and knows
// nothing else.
std::function<FakeAnswer(const SeenRequest &)>
issuingTokens(const QByteArray &tokenPath, std::function<QJsonObject(int)> tokenAnswer, int *issued)
{
    return [=](const SeenRequest &request) -> FakeAnswer {
        if (request.path == tokenPath) {
            ++*issued;
            return { 200, QJsonDocument(tokenAnswer(*issued)).toJson() };
        }
        if (request.path == "/v1/delete-document")
            return { 200, deletedAnswer(request.body) };
        return { 404, R"({"message":"no"})" };
    };
}

} // namespace

class TestInvoxGaps : public InvoxSuite
{
    Q_OBJECT

private Q_SLOTS:
    void tolerantTokenAnswerAndProactiveRenewal();
    void signedUrlUploadCarriesNoCredentials();
    void tokenLifetimeBeyondReasonNeverExpiresAtOnce_data();
    void tokenLifetimeBeyondReasonNeverExpiresAtOnce();
    void signedUrlToAnotherLoopbackHostIsRefused();
};

void TestInvoxGaps::tolerantTokenAnswerAndProactiveRenewal()
{
    FakeServer server;
    QVERIFY(server.listen());
    int issued = 0;
    // snake_case, a 2-second life and a string number: all tolerated.
    server.handler = issuingTokens(
        "/oauth2/token",
        [](int n) {
            return QJsonObject { { QStringLiteral("access_token"),
                                   QStringLiteral("tok-%1").arg(n) },
                                 { QStringLiteral("expires_in"), QStringLiteral("2") },
                                 { QStringLiteral("token_type"), QStringLiteral("Bearer") } };
        },
        &issued);

    auto fixture = makeFixture(QStringLiteral("app"), QStringLiteral("key"), server.url());
    fixture->account.setSetting(QStringLiteral("tokenPath"), QStringLiteral("/oauth2/token"));
    fixture->account.setSetting(QStringLiteral("apiVersion"), QStringLiteral("2025-11-01"));
    fixture->reopen();
    QVERIFY(fixture->storeApiKey(QStringLiteral("key")));

    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));
    QCOMPARE(fixture->session->secret(Secret::accessToken), QStringLiteral("tok-1"));
    const SeenRequest exchange = server.seen.first();
    QCOMPARE(exchange.method, QByteArray("POST"));
    QCOMPARE(exchange.headers.value("authorization"), "Basic " + QByteArray("app:key").toBase64());
    // The version header belongs to document endpoints only.
    QVERIFY(!exchange.headers.contains("x-invox-medical-api-version"));

    const Outcome first = fixture->deleteKnown(QStringLiteral("d1"));
    QVERIFY2(first.ok(), qPrintable(describe(first)));
    const SeenRequest deletion = server.seen.last();
    QCOMPARE(deletion.method, QByteArray("DELETE"));
    QCOMPARE(deletion.headers.value("authorization"), QByteArray("Bearer tok-1"));
    QCOMPARE(deletion.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(deletion.headers.value("x-invox-medical-api-version"), QByteArray("2025-11-01"));
    QCOMPARE(QJsonDocument::fromJson(deletion.body).object(),
             (QJsonObject { { QStringLiteral("documentId"), QStringLiteral("d1") } }));
    QCOMPARE(issued, 1);

    // Past half of its 2-second life the token is renewed before use: no 401 needed.
    QTest::qWait(1200);
    const Outcome second = fixture->deleteKnown(QStringLiteral("d2"));
    QVERIFY2(second.ok(), qPrintable(describe(second)));
    QCOMPARE(issued, 2);
    QCOMPARE(server.seen.last().headers.value("authorization"), QByteArray("Bearer tok-2"));
    QCOMPARE(server.count("/v1/delete-document"), 2);

    // A token answer without a token is malformed, not a success.
    server.handler = [](const SeenRequest &) -> FakeAnswer {
        return { 200, R"({"expiresIn": 7200})" };
    };
    const Outcome broken = waitFor(fixture->connector->signIn());
    QCOMPARE(broken.error.kind, ApiError::Kind::MalformedResponse);
}

void TestInvoxGaps::signedUrlUploadCarriesNoCredentials()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.handler = [&](const SeenRequest &request) -> FakeAnswer {
        if (request.path == "/v1/auth/token")
            return { 200, R"({"accessToken":"secret-token","expiresIn":7200})" };
        if (request.path == "/v1/generate-signed-urls-for-documents") {
            const QJsonObject body = QJsonDocument::fromJson(request.body).object();
            const QJsonObject document
                = body.value(QStringLiteral("documents")).toArray().first().toObject();
            QJsonObject answer {
                { QStringLiteral("documentId"), QStringLiteral("new-doc") },
                { QStringLiteral("documentType"), document.value(QStringLiteral("documentType")) },
                { QStringLiteral("documentName"), document.value(QStringLiteral("documentName")) },
                { QStringLiteral("signedUrl"),
                  QString(server.url().toString()
                          + QStringLiteral("/bucket/new-doc?sig=abc%2Fdef")) }
            };
            return { 200,
                     QJsonDocument(
                         QJsonObject { { QStringLiteral("documents"), QJsonArray { answer } } })
                         .toJson() };
        }
        if (request.path.startsWith("/bucket/"))
            return { 200, {} };
        return { 404, "{}" };
    };
    auto fixture = makeFixture(QStringLiteral("app"), QStringLiteral("key"), server.url());
    const Outcome upload = waitFor(fixture->connector->upload(
        QStringLiteral("cons"), QStringLiteral("note.pdf"), pdf, QByteArrayLiteral("%PDF-1.7")));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    QCOMPARE(upload.data.value(QStringLiteral("documentId")).toString(), QStringLiteral("new-doc"));

    const SeenRequest signedUrls = server.seen.at(server.seen.size() - 2);
    QCOMPARE(signedUrls.path, QByteArray("/v1/generate-signed-urls-for-documents"));
    QCOMPARE(signedUrls.headers.value("authorization"), QByteArray("Bearer secret-token"));
    QCOMPARE(QJsonDocument::fromJson(signedUrls.body).object(),
             (QJsonObject { { QStringLiteral("consultationSessionId"), QStringLiteral("cons") },
                            { QStringLiteral("documents"),
                              QJsonArray { QJsonObject { { QStringLiteral("documentType"), pdf },
                                                         { QStringLiteral("documentName"),
                                                           QStringLiteral("note.pdf") } } } } }));

    const SeenRequest put = server.seen.last();
    QCOMPARE(put.method, QByteArray("PUT"));
    // The signed URL is used exactly as given, signature encoding included.
    QCOMPARE(put.path, QByteArray("/bucket/new-doc?sig=abc%2Fdef"));
    QVERIFY(!put.headers.contains("authorization"));
    QCOMPARE(put.headers.value("content-type"), QByteArray("application/pdf"));
    QCOMPARE(put.body, QByteArray("%PDF-1.7"));
    QVERIFY(fixture->index.contains(fixture->account.id, QStringLiteral("new-doc")));

    // A signed URL that would send the document in the clear to another computer is refused.
    server.handler = [&](const SeenRequest &request) -> FakeAnswer {
        if (request.path == "/v1/generate-signed-urls-for-documents")
            return {
                200,
                R"({"documents":[{"documentId":"d9","signedUrl":"http://bucket.example.com/d9?sig=1"}]})"
            };
        return { 404, "{}" };
    };
    const int before = int(server.seen.size());
    const Outcome refused = waitFor(fixture->connector->upload(
        QStringLiteral("cons"), QStringLiteral("x.txt"), txt, QByteArrayLiteral("x")));
    QCOMPARE(refused.error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY2(refused.error.userMessage.contains(QStringLiteral("bucket.example.com"))
                 && refused.error.userMessage.contains(QStringLiteral("not https")),
             qPrintable(refused.error.userMessage));
    QCOMPARE(server.seen.size(), before + 1);
    QVERIFY(!fixture->index.contains(fixture->account.id, QStringLiteral("d9")));

    // An answer without documents is malformed.
    server.handler = [](const SeenRequest &) -> FakeAnswer {
        return { 200, R"({"documents":[]})" };
    };
    const Outcome empty = waitFor(fixture->connector->upload(
        QStringLiteral("cons"), QStringLiteral("x.txt"), txt, QByteArrayLiteral("x")));
    QCOMPARE(empty.error.kind, ApiError::Kind::MalformedResponse);
}

void TestInvoxGaps::tokenLifetimeBeyondReasonNeverExpiresAtOnce_data()
{
    QTest::addColumn<QJsonValue>("expiresIn");
    QTest::newRow("2^31 - 1") << QJsonValue(2147483647.0);
    QTest::newRow("2^63 - 1 as text") << QJsonValue(QStringLiteral("9223372036854775807"));
    QTest::newRow("1e300") << QJsonValue(1e300);
    QTest::newRow("negative") << QJsonValue(-5);
    QTest::newRow("negative text") << QJsonValue(QStringLiteral("-9223372036854775807"));
}

// A token that claims to live (nearly) for ever is used, not taken for one that already expired:
// the renewal deadline is computed in milliseconds, and 2^63 - 1 seconds of it wrapped into the
// past, so every request began with another token exchange.
void TestInvoxGaps::tokenLifetimeBeyondReasonNeverExpiresAtOnce()
{
    QFETCH(QJsonValue, expiresIn);
    FakeServer server;
    QVERIFY(server.listen());
    int issued = 0;
    server.handler = issuingTokens(
        "/v1/auth/token",
        [&expiresIn](int n) {
            return QJsonObject { { QStringLiteral("accessToken"), QStringLiteral("tok-%1").arg(n) },
                                 { QStringLiteral("expiresIn"), expiresIn } };
        },
        &issued);
    auto fixture = makeFixture(QStringLiteral("app"), QStringLiteral("key"), server.url());
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));
    for (const QString &id : { QStringLiteral("d1"), QStringLiteral("d2") }) {
        const Outcome removed = fixture->deleteKnown(id);
        QVERIFY2(removed.ok(), qPrintable(describe(removed)));
        QCOMPARE(server.seen.last().headers.value("authorization"), QByteArray("Bearer tok-1"));
    }
    QCOMPARE(issued, 1);
    QCOMPARE(server.count("/v1/delete-document"), 2);
}

// An http signed URL on this computer, but not where the account's service is (another program
// listening on loopback), gets no document: the upload stops with the reason.
void TestInvoxGaps::signedUrlToAnotherLoopbackHostIsRefused()
{
    FakeServer server;
    QVERIFY(server.listen());
    FakeServer elsewhere;
    QVERIFY(elsewhere.listen(QHostAddress(QStringLiteral("127.0.0.2"))));
    const QString signedUrl = QStringLiteral("http://127.0.0.2:%1/bucket/d9?sig=secret-signature")
                                  .arg(elsewhere.url().port());
    server.handler = [&](const SeenRequest &request) -> FakeAnswer {
        if (request.path == "/v1/auth/token")
            return { 200, R"({"accessToken":"t","expiresIn":7200})" };
        if (request.path == "/v1/generate-signed-urls-for-documents")
            return { 200,
                     QJsonDocument(
                         QJsonObject { { QStringLiteral("documents"),
                                         QJsonArray { QJsonObject {
                                             { QStringLiteral("documentId"), QStringLiteral("d9") },
                                             { QStringLiteral("signedUrl"), signedUrl } } } } })
                         .toJson() };
        return { 404, "{}" };
    };
    elsewhere.handler = [](const SeenRequest &) -> FakeAnswer {
        return { 200, {} };
    };
    auto fixture = makeFixture(QStringLiteral("app"), QStringLiteral("key"), server.url());
    const Outcome refused = waitFor(fixture->connector->upload(
        QStringLiteral("cons"), QStringLiteral("note.pdf"), pdf, QByteArrayLiteral("%PDF-1.7")));
    QVERIFY(refused.finished);
    QCOMPARE(refused.error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY2(refused.error.userMessage.contains(QStringLiteral("not https"))
                 && refused.error.userMessage.contains(QStringLiteral("127.0.0.2"))
                 && refused.error.userMessage.contains(QStringLiteral("not sent")),
             qPrintable(refused.error.userMessage));
    QVERIFY(!refused.error.userMessage.contains(QStringLiteral("secret-signature")));
    QTest::qWait(100);
    QVERIFY(elsewhere.seen.isEmpty());
    QVERIFY(!fixture->index.contains(fixture->account.id, QStringLiteral("d9")));
}

QTEST_GUILESS_MAIN(TestInvoxGaps)
#include "tst_connector_invox_gaps.moc"
