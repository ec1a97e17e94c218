// The core of the models library without a network: error parsing, URL building, the pacer, the
// account and credential stores.

#include "account.h"
#include "accountsession.h"
#include "accountstore.h"
#include "apierror.h"
#include "cannedserver.h"
#include "connector.h"
#include "connectors/connectorsupport.h"
#include "credentialstore.h"
#include "keychaincredentialstore.h"
#include "networkclient.h"
#include "offlineconnector.h"
#include "requestpacer.h"

#include <QJsonValue>
#include <QNetworkCookieJar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Docket;
using namespace Qt::StringLiterals;

class TestModelsCore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void parsesEveryVendorErrorShape_data();
    void parsesEveryVendorErrorShape();
    void errorSentencesSayWhatHappened();
    void networkErrorsAreClassified();
    void urlsEncodeHostileIdsAsOneSegment_data();
    void urlsEncodeHostileIdsAsOneSegment();
    void dotSegmentsAreRefused();
    void unsafeHeadersAreNeverSent();
    void plainHttpToAnotherComputerIsRefused_data();
    void plainHttpToAnotherComputerIsRefused();
    void httpsIsRequiredExceptOnLoopback();
    void cookiesAreNeitherKeptNorSent();
    void serverNumbersNeverWrap();
    void serviceLinksNeedHttpsOrTheAccountsLoopback();
    void pacerKeepsToItsBudgetAndConcurrency();
    void pacerPausesAndPutsRetriesFirst();
    void accountsRoundTripWithoutSecrets();
    void accountNamesAreUnique();
    void accountValidation();
    void memoryStoreCompletesLater();
    void environmentVariableNames();
    void environmentFillsWhatTheStoreLacks();
    void lookupReadsPagesUntilItFindsTheItem();
    void lookupStopsAtItsPageLimitAndAtALoop();
    void lookupPassesOnAListFailure();
};

namespace {

// A service of numbered items, `perPage` to a page (the cursor is the next offset), with no
// network: for the default Connector::lookup(), which only reads list().
class PagedConnector : public NumberedSessionsConnector
{
public:
    using NumberedSessionsConnector::NumberedSessionsConnector;
    ListJob *list(const NodeRef &parent, const PageRequest &page) override
    {
        ++pagesListed;
        auto *job = new ListJob(parent, this);
        if (failWith.isError()) {
            job->finish(failWith);
            return job;
        }
        const int offset = offsetOf(page);
        ListPage listed;
        for (int i = offset; i < qMin(m_items, offset + m_perPage); ++i) {
            const RemoteItem item = numberedSession(parent, i);
            // Every other page in compact rows, as the tree model is given them.
            if ((offset / m_perPage) % 2)
                listed.rows.append(item, parent);
            else
                listed.items.append(item);
        }
        if (offset + m_perPage < m_items)
            listed.nextCursor = loopAt >= 0 ? loopAt : offset + m_perPage;
        job->setPage(listed);
        job->finish();
        return job;
    }
    bool canDelete(NodeKind) const override { return true; }

    int loopAt = -1; // when set, every page points back to this offset
    ApiError failWith;
};

struct PagedService : OfflineAccount<PagedConnector>
{
    PagedService(int items, int perPage)
        : OfflineAccount(Account(), items, perPage)
    { }
};

// Runs `job` to its end: {found, name, error}.
std::tuple<bool, QString, ApiError> lookedUp(ItemJob *job)
{
    bool done = false;
    std::tuple<bool, QString, ApiError> result;
    const auto connection = QObject::connect(job, &ConnectorJob::finished, job, [&] {
        result = { job->found(), job->item().name, job->error() };
        done = true;
    });
    // A lookup that never ends is a failure no check below could mistake for "not found".
    if (!QTest::qWaitFor([&] { return done; }, 5000)) {
        QObject::disconnect(connection);
        std::get<2>(result) = ApiError::make(ApiError::Kind::Timeout, QStringLiteral("hung"));
    }
    return result;
}

} // namespace

void TestModelsCore::lookupReadsPagesUntilItFindsTheItem()
{
    PagedService service(95, 10);
    const auto [found, name, error] = lookedUp(
        service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s93") } }));
    QVERIFY(!error.isError());
    QVERIFY(found);
    QCOMPARE(name, QStringLiteral("Session 93"));
    QCOMPARE(service.connector.pagesListed, 10); // and not one more
    // An item on a page of compact rows is found as well.
    const auto [foundInRows, rowName, rowError] = lookedUp(
        service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s15") } }));
    QVERIFY(foundInRows);
    QCOMPARE(rowName, QStringLiteral("Session 15"));
    // Not in the listing at all: every page read, then not found, without an error.
    service.connector.pagesListed = 0;
    const auto [missing, missingName, missingError] = lookedUp(
        service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s95") } }));
    QVERIFY(!missing);
    QVERIFY(!missingError.isError());
    QCOMPARE(service.connector.pagesListed, 10);
    // A ref at no place in the service's tree is refused without listing anything.
    service.connector.pagesListed = 0;
    const auto [badFound, badName, badError] = lookedUp(service.connector.lookup(
        { NodeKind::Care360File, { QStringLiteral("a"), QStringLiteral("b") } }));
    QVERIFY(badError.isError());
    QCOMPARE(service.connector.pagesListed, 0);
}

void TestModelsCore::lookupStopsAtItsPageLimitAndAtALoop()
{
    PagedService service(10000, 10);
    // Not in the pages read, but the listing goes on: not known to be missing, so an error.
    const auto [found, name, error] = lookedUp(
        service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s9999") } }));
    QVERIFY(!found);
    QCOMPARE(error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(service.connector.pagesListed, Connector::maxLookupPages);
    // A cursor that points back where it started ends the reading, with an error too.
    service.connector.pagesListed = 0;
    service.connector.loopAt = 10;
    const auto [looped, loopName, loopError] = lookedUp(
        service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s500") } }));
    QVERIFY(!looped);
    QCOMPARE(loopError.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(service.connector.pagesListed, 2);
    // A lookup aborted while its page is out reads no further page.
    service.connector.pagesListed = 0;
    service.connector.loopAt = -1;
    ItemJob *aborted
        = service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s9000") } });
    aborted->abort();
    const auto [abortedFound, abortedName, abortedError] = lookedUp(aborted);
    QCOMPARE(abortedError.kind, ApiError::Kind::Cancelled);
    QTest::qWait(50);
    QCOMPARE(service.connector.pagesListed, 1);
}

void TestModelsCore::lookupPassesOnAListFailure()
{
    PagedService service(30, 10);
    service.connector.failWith = ApiError::make(ApiError::Kind::Connection, QStringLiteral("down"));
    const auto [found, name, error] = lookedUp(
        service.connector.lookup({ NodeKind::ScriptixSession, { QStringLiteral("s1") } }));
    QVERIFY(!found);
    QCOMPARE(error.kind, ApiError::Kind::Connection);
}

void TestModelsCore::parsesEveryVendorErrorShape_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("invox 401") << QByteArray(R"({"message":"Unauthorized"})") << QString()
                               << QStringLiteral("Unauthorized");
    QTest::newRow("invox 404 typo")
        << QByteArray(R"({"messsage":"Document not found","errorType":"documentNotFound"})")
        << QStringLiteral("documentNotFound") << QStringLiteral("Document not found");
    QTest::newRow("care360") << QByteArray(
        R"({"status":404,"success":false,"error":"File not found","code":"VALIDATION_ERROR"})")
                             << QStringLiteral("VALIDATION_ERROR")
                             << QStringLiteral("File not found");
    QTest::newRow("documentpro new")
        << QByteArray(R"({"success":false,"error":"not_found","message":"No such result"})")
        << QStringLiteral("not_found") << QStringLiteral("No such result");
    QTest::newRow("documentpro old")
        << QByteArray(R"({"success":false,"error":"Unauthorized: invalid or missing API key"})")
        << QString() << QStringLiteral("Unauthorized: invalid or missing API key");
    QTest::newRow("scriptix string")
        << QByteArray(R"({"error":"unauthorized","error_description":"Token expired"})")
        << QStringLiteral("unauthorized") << QStringLiteral("Token expired");
    QTest::newRow("scriptix object")
        << QByteArray(
               R"({"error":{"code":"not_found","message":"Session not found","details":null}})")
        << QStringLiteral("not_found") << QStringLiteral("Session not found");
    QTest::newRow("scriptix 429") << QByteArray(
        R"({"error":"rate_limit_exceeded","message":"Too many requests"})")
                                  << QStringLiteral("rate_limit_exceeded")
                                  << QStringLiteral("Too many requests");
    QTest::newRow("detail") << QByteArray(R"({"detail":"Conflict"})") << QString()
                            << QStringLiteral("Conflict");
    QTest::newRow("plain text") << QByteArray("Service Unavailable") << QString()
                                << QStringLiteral("Service Unavailable");
    QTest::newRow("html is not shown")
        << QByteArray("<html><body>502</body></html>") << QString() << QString();
    QTest::newRow("truncated json")
        << QByteArray(R"({"error":"unauth)") << QString() << QStringLiteral("{\"error\":\"unauth");
    QTest::newRow("array") << QByteArray("[1,2]") << QString() << QString();
    QTest::newRow("empty") << QByteArray() << QString() << QString();
}

void TestModelsCore::parsesEveryVendorErrorShape()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const ServiceErrorBody parsed = parseServiceErrorBody(body);
    QCOMPARE(parsed.code, code);
    QCOMPARE(parsed.message, message);
}

void TestModelsCore::errorSentencesSayWhatHappened()
{
    const ApiError notFound = ApiError::fromHttp(
        404, R"({"messsage":"Document not found","errorType":"documentNotFound"})", "rid-1");
    QCOMPARE(notFound.kind, ApiError::Kind::Http);
    QCOMPARE(notFound.httpStatus, 404);
    QCOMPARE(notFound.requestId, QByteArray("rid-1"));
    QVERIFY(notFound.userMessage.contains(QStringLiteral("already have been deleted")));
    QVERIFY(notFound.userMessage.contains(QStringLiteral("Document not found")));
    QCOMPARE(notFound.summary(), QStringLiteral("HTTP 404 documentNotFound: Document not found"));

    const ApiError serverError = ApiError::fromHttp(503, {}, {});
    QVERIFY(serverError.userMessage.contains(QStringLiteral("503")));
    QVERIFY(serverError.userMessage.contains(QStringLiteral("Try again later")));
    // A long service message is cut, and stays on one line.
    const ApiError chatty = ApiError::fromHttp(
        400, QByteArray(R"({"message":")") + QByteArray(2000, 'x') + "\n" + R"("})", {});
    QVERIFY(chatty.serviceMessage.size() <= 300);
    QVERIFY(!chatty.userMessage.contains(u'\n'));
}

void TestModelsCore::networkErrorsAreClassified()
{
    QCOMPARE(ApiError::fromNetwork(QNetworkReply::OperationCanceledError, {}, {}).kind,
             ApiError::Kind::Timeout);
    QCOMPARE(
        ApiError::fromNetwork(QNetworkReply::RemoteHostClosedError, QStringLiteral("closed"), {})
            .kind,
        ApiError::Kind::Connection);
    const ApiError refused = ApiError::fromNetwork(QNetworkReply::ConnectionRefusedError, {}, {});
    QVERIFY(refused.userMessage.contains(QStringLiteral("refused")));
    QCOMPARE(ApiError::malformed(QStringLiteral("no files"), "r").kind,
             ApiError::Kind::MalformedResponse);
}

void TestModelsCore::urlsEncodeHostileIdsAsOneSegment_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("encodedSegment");
    QTest::newRow("dot-dot") << QStringLiteral("../x") << QStringLiteral("..%2Fx");
    QTest::newRow("query") << QStringLiteral("a?b=c") << QStringLiteral("a%3Fb%3Dc");
    QTest::newRow("fragment") << QStringLiteral("#") << QStringLiteral("%23");
    QTest::newRow("already encoded") << QStringLiteral("%2F") << QStringLiteral("%252F");
    QTest::newRow("unicode") << QStringLiteral("é") << QStringLiteral("%C3%A9");
    QTest::newRow("space") << QStringLiteral("a b") << QStringLiteral("a%20b");
}

void TestModelsCore::urlsEncodeHostileIdsAsOneSegment()
{
    QFETCH(QString, id);
    QFETCH(QString, encodedSegment);
    const QUrl base(QStringLiteral("https://api.scriptix.io/api/v3/"));
    const QUrl url = urlWithSegments(
        base, { QStringLiteral("speech-to-text"), QStringLiteral("session"), id });
    QCOMPARE(url.path(QUrl::FullyEncoded),
             QStringLiteral("/api/v3/speech-to-text/session/") + encodedSegment);
    QCOMPARE(url.host(), QStringLiteral("api.scriptix.io"));
    QVERIFY(!url.hasFragment());
    QVERIFY(!url.hasQuery());
    const QUrl withQuery
        = urlWithSegments(QUrl(QStringLiteral("https://api.documentpro.ai")),
                          { QStringLiteral("files") }, { { QStringLiteral("request_id"), id } });
    QCOMPARE(QUrlQuery(withQuery).queryItemValue(QStringLiteral("request_id"), QUrl::FullyDecoded),
             id);
    QCOMPARE(QUrlQuery(withQuery).queryItems().size(), 1);
}

// A pasted key with a line break must not end its header and start another: NetworkClient sends
// nothing at all, and says why without repeating the secret.
void TestModelsCore::unsafeHeadersAreNeverSent()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/files").arg(server.serverPort()));
    NetworkClient network;
    const QList<QPair<QByteArray, QByteArray>> unsafe {
        { "cv-api-key", "SECRET-tenant\r\nX-Injected: 1" },
        { "Authorization", "Bearer SECRET\nen" },
        { "Authorization", QByteArray("Bearer SECRET\0en", 16) },
        { "x-api-key", "SECRET\x7f" },
        { "Bad Name", "value" },
        { "Bad:Name", "value" },
        { "", "value" },
    };
    for (const auto &[name, value] : unsafe) {
        ApiRequest request;
        request.url = url;
        request.headers = { { name, value } };
        std::optional<ApiResult> result;
        QCOMPARE(network.send(request, this, [&](const ApiResult &answer) { result = answer; }),
                 nullptr);
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error.kind, ApiError::Kind::InvalidInput);
        QVERIFY(!result->error.userMessage.isEmpty());
        QVERIFY(!result->error.userMessage.contains(QLatin1String("SECRET")));
        QVERIFY(!result->error.summary().contains(QLatin1String("SECRET")));
    }
    QTest::qWait(50);
    QVERIFY(!server.hasPendingConnections());

    // A safe header is sent (the server sees a connection).
    ApiRequest fine;
    fine.url = url;
    fine.headers = { { "cv-api-key", "tenant-1" } };
    QVERIFY(network.send(fine, this, [](const ApiResult &) {}) != nullptr);
    QTRY_VERIFY(server.hasPendingConnections());
}

void TestModelsCore::plainHttpToAnotherComputerIsRefused_data()
{
    QTest::addColumn<ServiceKind>("service");
    QTest::addColumn<NodeRef>("item");
    QTest::newRow("Scriptix") << ServiceKind::Scriptix
                              << NodeRef { NodeKind::ScriptixSession, { u"s1"_s } };
    QTest::newRow("Care360") << ServiceKind::Care360
                             << NodeRef { NodeKind::Care360File, { u"c1"_s, u"f1"_s } };
    QTest::newRow("DocumentPro") << ServiceKind::DocumentPro
                                 << NodeRef { NodeKind::DocumentProResult, { u"d1"_s, u"r1"_s } };
    QTest::newRow("Invox") << ServiceKind::Invox
                           << NodeRef { NodeKind::InvoxDocument, { u"c1"_s, u"d1"_s } };
}

// Whatever a connector sends for an account whose base URL is plain http to another computer is
// refused by the session before it is sent, with a sentence that says why: a delete (every
// service has one), and listing where the service lists from the network.
void TestModelsCore::plainHttpToAnotherComputerIsRefused()
{
    QFETCH(ServiceKind, service);
    QFETCH(NodeRef, item);
    Account account;
    account.id = u"plain-http"_s;
    account.service = service;
    account.name = u"Clinic"_s;
    // .invalid never resolves: were anything sent, it would fail differently.
    account.baseUrl = QUrl(u"http://records.example.invalid"_s);
    account.setSetting(QStringLiteral("appId"), u"app"_s);
    account.setSetting(QStringLiteral("login"), u"patient@example.org"_s);
    NetworkClient network;
    MemoryCredentialStore store;
    AccountSession session(account, &network, &store);
    for (const QString &name : secretNames(service)) {
        bool stored = false;
        session.storeSecret(name, u"secret-value"_s, this,
                            [&stored](const QString &) { stored = true; });
        QTRY_VERIFY(stored);
    }
    const std::unique_ptr<Connector> connector = createConnector(&session, nullptr);
    QVERIFY(connector);

    const auto outcome = [](ConnectorJob *job) {
        ApiError error;
        bool finished = false;
        QObject::connect(job, &ConnectorJob::finished, job, [&](ConnectorJob *done) {
            error = done->error();
            finished = true;
        });
        const bool inTime = QTest::qWaitFor([&] { return finished; }, 5000);
        return std::make_pair(inTime, error);
    };
    RemoteItem remote;
    remote.ref = item;
    const auto [deleteFinished, deleteError] = outcome(connector->remove(remote));
    QVERIFY(deleteFinished);
    QCOMPARE(deleteError.kind, ApiError::Kind::InvalidInput);
    QVERIFY2(deleteError.userMessage.contains(u"https"_s), qPrintable(deleteError.userMessage));
    if (service != ServiceKind::Invox) { // Invox lists from Docket's own index
        const auto [listFinished, listError]
            = outcome(connector->list({ NodeKind::Account, {} }, {}));
        QVERIFY(listFinished);
        QCOMPARE(listError.kind, ApiError::Kind::InvalidInput);
        QVERIFY2(listError.userMessage.contains(u"https"_s), qPrintable(listError.userMessage));
    }
}

void TestModelsCore::dotSegmentsAreRefused()
{
    const QUrl base(QStringLiteral("https://api.scriptix.io/api/v3"));
    for (const QString &id : { QStringLiteral(".."), QStringLiteral("."), QString() })
        QVERIFY2(!urlWithSegments(base, { QStringLiteral("session"), id }).isValid(),
                 qPrintable(id));
    QVERIFY(urlWithSegments(base, { QStringLiteral("session"), QStringLiteral("...") }).isValid());
    // NetworkClient sends nothing for such a URL and says why, later.
    NetworkClient network;
    std::optional<ApiResult> result;
    ApiRequest invalid;
    invalid.method = "DELETE";
    QCOMPARE(network.send(invalid, this, [&](const ApiResult &answer) { result = answer; }),
             nullptr);
    QVERIFY(!result);
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->error.kind, ApiError::Kind::InvalidInput);
}

void TestModelsCore::httpsIsRequiredExceptOnLoopback()
{
    QVERIFY(baseUrlProblem(QUrl(QStringLiteral("https://api.documentpro.ai"))).isEmpty());
    QVERIFY(baseUrlProblem(QUrl(QStringLiteral("http://127.0.0.1:8080"))).isEmpty());
    QVERIFY(baseUrlProblem(QUrl(QStringLiteral("http://localhost:8080/api/v3"))).isEmpty());
    QVERIFY(baseUrlProblem(QUrl(QStringLiteral("http://[::1]:9000"))).isEmpty());
    QVERIFY(!baseUrlProblem(QUrl(QStringLiteral("http://api.documentpro.ai"))).isEmpty());
    QVERIFY(!baseUrlProblem(QUrl(QStringLiteral("http://127.0.0.1.example.com"))).isEmpty());
    QVERIFY(!baseUrlProblem(QUrl(QStringLiteral("ftp://127.0.0.1"))).isEmpty());
    QVERIFY(!baseUrlProblem(QUrl(QStringLiteral("not a url"))).isEmpty());
}

// Every account shares one QNetworkAccessManager: a cookie one service sets must not go out with
// the next request to that host, which may be another account's.
void TestModelsCore::cookiesAreNeitherKeptNorSent()
{
    CannedServer server;
    QVERIFY(server.listen());
    server.bodies.insert(u"/files"_s, "{}");
    server.extraHeaders = "Set-Cookie: session=account-one; Path=/\r\n"
                          "Set-Cookie: other=x; Domain=127.0.0.1; Path=/; Max-Age=3600\r\n";
    NetworkClient network;
    for (int i = 0; i < 2; ++i) {
        ApiRequest request;
        request.url = server.url(u"/files"_s);
        std::optional<ApiResult> result;
        network.send(request, this, [&](const ApiResult &answer) { result = answer; });
        QTRY_VERIFY(result.has_value());
        QVERIFY2(result->ok(), qPrintable(result->error.summary()));
        QVERIFY(result->headers.value("set-cookie").contains("session=account-one"));
    }
    QCOMPARE(server.heads.size(), 2);
    for (const QByteArray &head : std::as_const(server.heads))
        QVERIFY2(!head.toLower().contains("\r\ncookie:"), head.constData());
    QVERIFY(network.manager()->cookieJar()->cookiesForUrl(server.url(u"/files"_s)).isEmpty());
}

// Numbers from servers are read into what the arithmetic after them can hold: a token that says it
// lives for ever is believed for a year, never wrapped into "already expired"; a count beyond an
// int is INT_MAX, not a small or negative one.
void TestModelsCore::serverNumbersNeverWrap()
{
    constexpr qint64 fallback = 900;
    const qint64 year = maxLifetimeSeconds;
    QCOMPARE(year, 365LL * 24 * 3600);
    QCOMPARE(lifetimeSeconds(QJsonValue(7200), fallback), 7200);
    QCOMPARE(lifetimeSeconds(QJsonValue(u" 7200 "_s), fallback), 7200);
    QCOMPARE(lifetimeSeconds(QJsonValue(2147483647.0), fallback), year); // 2^31 - 1
    QCOMPARE(lifetimeSeconds(QJsonValue(u"2147483647"_s), fallback), year);
    QCOMPARE(lifetimeSeconds(QJsonValue(u"9223372036854775807"_s), fallback), year); // 2^63 - 1
    QCOMPARE(lifetimeSeconds(QJsonValue(1e300), fallback), year);
    for (const QJsonValue &bad :
         { QJsonValue(-5), QJsonValue(u"-5"_s), QJsonValue(0), QJsonValue(0.5), QJsonValue(-1e300),
           QJsonValue(u"soon"_s), QJsonValue(u""_s), QJsonValue(true), QJsonValue() })
        QCOMPARE(lifetimeSeconds(bad, fallback), fallback);
    // What the connectors then compute stays in the future.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(now + lifetimeSeconds(QJsonValue(u"9223372036854775807"_s), fallback) * 1000 > now);

    const int most = std::numeric_limits<int>::max();
    QCOMPARE(intValue(QJsonValue(12)), 12);
    QCOMPARE(intValue(QJsonValue(u"61.6"_s)), 62);
    QCOMPARE(intValue(QJsonValue(4294967301.0)), most); // 2^32 + 5 once wrapped to 5
    QCOMPARE(intValue(QJsonValue(u"1e12"_s)), most);
    QCOMPARE(intValue(QJsonValue(1e300)), most);
    QCOMPARE(intValue(QJsonValue(-3)), -1);
    QCOMPARE(intValue(QJsonValue(u"nan"_s)), -1);
    QCOMPARE(intValue(QJsonValue(u"many"_s)), -1);
}

void TestModelsCore::serviceLinksNeedHttpsOrTheAccountsLoopback()
{
    const QUrl sandbox(u"http://127.0.0.1:8080"_s);
    const QUrl vendor(u"https://api.example.com"_s);
    QVERIFY(serviceLinkProblem(QUrl(u"https://bucket.example.com/d?sig=1"_s), vendor).isEmpty());
    QVERIFY(serviceLinkProblem(QUrl(u"https://bucket.example.com/d"_s), sandbox).isEmpty());
    QVERIFY(serviceLinkProblem(QUrl(u"http://127.0.0.1:8081/uploads/d"_s), sandbox).isEmpty());
    for (const auto &[link, base] :
         { std::pair { u"http://bucket.example.com/d?sig=1"_s, vendor },
           std::pair { u"http://bucket.example.com/d"_s, sandbox },
           // Loopback, but not where the account is: another program on this computer.
           std::pair { u"http://127.0.0.2:8080/d"_s, sandbox },
           std::pair { u"http://localhost:8080/d"_s, sandbox },
           std::pair { u"http://127.0.0.1:8080/d"_s, vendor },
           std::pair { u"ftp://127.0.0.1/d"_s, sandbox }, std::pair { u"not a link"_s, vendor } }) {
        const QString problem = serviceLinkProblem(QUrl(link), base);
        QVERIFY2(!problem.isEmpty(), qPrintable(link));
        QVERIFY2(!problem.contains(u"sig="_s), qPrintable(problem));
    }
    QVERIFY(serviceLinkProblem(QUrl(u"http://bucket.example.com/d?sig=1"_s), vendor)
                .contains(u"bucket.example.com"_s));
}

void TestModelsCore::pacerKeepsToItsBudgetAndConcurrency()
{
    RequestPacer pacer;
    pacer.setRequestsPerMinute(3);
    pacer.setMaxConcurrent(2);
    int started = 0;
    for (int i = 0; i < 5; ++i)
        pacer.enqueue([&] { ++started; });
    QCOMPARE(started, 2); // concurrency
    QCOMPARE(pacer.waiting(), 3);
    pacer.finished();
    QCOMPARE(started, 3);
    pacer.finished();
    pacer.finished();
    // The fourth waits for the minute window, not for a free slot.
    QCOMPARE(started, 3);
    QCOMPARE(pacer.inFlight(), 0);
    QCOMPARE(pacer.waiting(), 2);
}

void TestModelsCore::pacerPausesAndPutsRetriesFirst()
{
    RequestPacer pacer;
    QStringList order;
    pacer.pauseFor(150);
    pacer.enqueue([&] { order << QStringLiteral("normal"); });
    pacer.enqueue([&] { order << QStringLiteral("retry"); }, true);
    QVERIFY(order.isEmpty());
    QTRY_COMPARE(order.size(), 2);
    QCOMPARE(order, (QStringList { QStringLiteral("retry"), QStringLiteral("normal") }));
}

void TestModelsCore::accountsRoundTripWithoutSecrets()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    Account account;
    account.service = ServiceKind::Invox;
    account.name = QStringLiteral("Dr Rivera");
    account.baseUrl = QUrl(QStringLiteral("https://invox.example/api"));
    account.setSetting(QStringLiteral("appId"), QStringLiteral("app-1"));
    account.setSetting(QStringLiteral("apiVersion"), QStringLiteral("2026-03-01"));
    {
        AccountStore store(file);
        QCOMPARE(store.save(account), QString());
        QVERIFY(!account.id.isEmpty());
    }
    AccountStore reopened(file);
    const std::optional<Account> found = reopened.find(QStringLiteral("dr rivera"));
    QVERIFY(found);
    QCOMPARE(found->id, account.id);
    QCOMPARE(found->setting(QStringLiteral("appId")), QStringLiteral("app-1"));
    QCOMPARE(found->setting(QStringLiteral("apiVersion")), QStringLiteral("2026-03-01"));
    QCOMPARE(found->label(), QStringLiteral("Invox Medical — Dr Rivera @ invox.example"));
    QVERIFY(reopened.remove(account.id));
    QVERIFY(reopened.accounts().isEmpty());
}

void TestModelsCore::accountNamesAreUnique()
{
    QTemporaryDir dir;
    AccountStore store(dir.filePath(QStringLiteral("settings.ini")));
    Account first;
    first.name = QStringLiteral("Clinic");
    first.baseUrl = Account::defaultBaseUrl(ServiceKind::Scriptix);
    QCOMPARE(store.save(first), QString());
    Account second = first;
    second.id.clear();
    second.name = QStringLiteral("CLINIC");
    QVERIFY(store.save(second).contains(QStringLiteral("already exists")));
    // Saving the same account again (an edit) is fine.
    first.setSetting(QStringLiteral("header"), QStringLiteral("x-zoom-s2t-key"));
    QCOMPARE(store.save(first), QString());
    QCOMPARE(store.accounts().size(), 1);
    QCOMPARE(store.accounts().at(0).setting(QStringLiteral("header")),
             QStringLiteral("x-zoom-s2t-key"));
}

void TestModelsCore::accountValidation()
{
    Account account;
    account.service = ServiceKind::Care360;
    account.name = QStringLiteral("Portal");
    account.baseUrl = Account::defaultBaseUrl(ServiceKind::Care360);
    QVERIFY(account.validationProblem().contains(QStringLiteral("email or phone")));
    account.setSetting(QStringLiteral("login"), QStringLiteral("patient@example.org"));
    QCOMPARE(account.validationProblem(), QString());
    account.service = ServiceKind::Invox;
    account.baseUrl = QUrl(QStringLiteral("https://invox.example"));
    QVERIFY(account.validationProblem().contains(QStringLiteral("App Id")));
    QCOMPARE(Account().effectiveRequestsPerMinute(), 60); // Scriptix's documented limit
}

void TestModelsCore::memoryStoreCompletesLater()
{
    MemoryCredentialStore store;
    bool written = false;
    store.write(QStringLiteral("a/token"), QStringLiteral("s3cret"), this,
                [&](const QString &error) { written = error.isEmpty(); });
    QVERIFY(!written); // never inside the call
    QTRY_VERIFY(written);
    std::optional<QString> value;
    store.read(QStringLiteral("a/token"), this,
               [&](const CredentialStore::ReadResult &result) { value = result.value; });
    QTRY_VERIFY(value.has_value());
    QCOMPARE(*value, QStringLiteral("s3cret"));
    bool removed = false;
    store.remove(QStringLiteral("a/token"), this, [&](const QString &) { removed = true; });
    QTRY_VERIFY(removed);
    QVERIFY(!store.contains(QStringLiteral("a/token")));
}

void TestModelsCore::environmentVariableNames()
{
    QCOMPARE(
        EnvironmentCredentialStore::variableName(QStringLiteral("Sandbox Scriptix"), Secret::token),
        QStringLiteral("DOCKET_SECRET_SANDBOX_SCRIPTIX_TOKEN"));
    QCOMPARE(
        EnvironmentCredentialStore::variableName(QStringLiteral("dr-rivera"), Secret::tenantKey),
        QStringLiteral("DOCKET_SECRET_DR_RIVERA_TENANT_KEY"));
    QCOMPARE(EnvironmentCredentialStore::variableName(QStringLiteral("x"), Secret::refreshToken),
             QStringLiteral("DOCKET_SECRET_X_REFRESH_TOKEN"));
}

void TestModelsCore::environmentFillsWhatTheStoreLacks()
{
    MemoryCredentialStore inner;
    EnvironmentCredentialStore store(&inner);
    store.setAccountName(QStringLiteral("id-1"), QStringLiteral("Env Test"));
    qputenv("DOCKET_SECRET_ENV_TEST_TOKEN", "from-environment");
    std::optional<QString> value;
    store.read(secretKey(QStringLiteral("id-1"), Secret::token), this,
               [&](const CredentialStore::ReadResult &result) { value = result.value; });
    QTRY_VERIFY(value.has_value());
    QCOMPARE(*value, QStringLiteral("from-environment"));
    // What the store holds wins (a rotated secret must not be replaced by a stale variable).
    bool written = false;
    store.write(secretKey(QStringLiteral("id-1"), Secret::token), QStringLiteral("stored"), this,
                [&](const QString &) { written = true; });
    QTRY_VERIFY(written);
    value.reset();
    store.read(secretKey(QStringLiteral("id-1"), Secret::token), this,
               [&](const CredentialStore::ReadResult &result) { value = result.value; });
    QTRY_VERIFY(value.has_value());
    QCOMPARE(*value, QStringLiteral("stored"));
    qunsetenv("DOCKET_SECRET_ENV_TEST_TOKEN");
}

QTEST_GUILESS_MAIN(TestModelsCore)
#include "tst_models_core.moc"
