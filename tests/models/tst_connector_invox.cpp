// InvoxConnector against the real docket-sandbox (and, for the [gap] alternatives the sandbox does
// not speak, a tiny local fake server).

#include "account.h"
#include "accountsession.h"
#include "connectors/invox/invoxconnector.h"
#include "connectors/invox/invoxindex.h"
#include "credentialstore.h"
#include "itemdetails.h"
#include "loopbackhttpserver.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

#include <functional>
#include <memory>

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

// What a finished job reported, copied out before the job deletes itself.
struct Outcome
{
    bool finished = false;
    ApiError error;
    ListPage page;
    DeleteOutcome deleteOutcome = DeleteOutcome::Deleted;
    int httpStatus = 0;
    QVariantMap data;

    bool ok() const { return finished && !error.isError(); }
};

std::shared_ptr<Outcome> watch(ConnectorJob *job)
{
    auto outcome = std::make_shared<Outcome>();
    QObject::connect(job, &ConnectorJob::finished, job, [outcome](ConnectorJob *finished) {
        outcome->finished = true;
        outcome->error = finished->error();
        if (auto *list = qobject_cast<ListJob *>(finished))
            outcome->page = list->page();
        if (auto *removal = qobject_cast<DeleteJob *>(finished)) {
            outcome->deleteOutcome = removal->outcome();
            outcome->httpStatus = removal->httpStatus();
        }
        if (auto *simple = qobject_cast<SimpleJob *>(finished))
            outcome->data = simple->data();
    });
    return outcome;
}

Outcome waitFor(ConnectorJob *job, int timeoutMs = 10000)
{
    auto outcome = watch(job);
    // A job that never finishes shows as finished == false in the checks that follow.
    (void)QTest::qWaitFor([&] { return outcome->finished; }, timeoutMs);
    return *outcome;
}

QString describe(const Outcome &outcome)
{
    if (!outcome.finished)
        return QStringLiteral("the job did not finish");
    return outcome.error.summary() + QStringLiteral(" | ") + outcome.error.userMessage;
}

const QString pdf = QStringLiteral("PDF");
// Qt resends a request up to twice on a reset kept-alive connection.
constexpr int resetsBeyondResends = 3;
const QString txt = QStringLiteral("TXT");

// One account as the app builds it: settings, network, credential store, session, connector and
// the local index.
struct Fixture
{
    Account account;
    NetworkClient network;
    MemoryCredentialStore store;
    InvoxIndex index { QStringLiteral(":memory:") };
    std::unique_ptr<AccountSession> session;
    std::unique_ptr<InvoxConnector> connector;

    ListJob *list(const NodeRef &parent, const PageRequest &page)
    {
        return connector->list(parent, page);
    }
    DeleteJob *remove(const RemoteItem &item) { return connector->remove(item); }
    DeletePlan describeDelete(const RemoteItem &item) const
    {
        return connector->describeDelete(item);
    }
    bool canDelete(NodeKind kind) const { return connector->canDelete(kind); }
};

QJsonArray requestsOf(const QJsonObject &log)
{
    return log.value(QStringLiteral("requests")).toArray();
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

} // namespace

class TestConnectorInvox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void signInWithGoodCredentials();
    void signInWithWrongCredentials_data();
    void signInWithWrongCredentials();
    void signInWithoutApiKey();
    void signInFaults_data();
    void signInFaults();
    void tokenPathIsASetting();
    void restrictedAppGetsAClearError();
    void apiVersionHeaderIsSent();

    void uploadListDelete();
    void uploadTextDocument();
    void uploadRefusesBadInput();
    void uploadFailuresKeepTheIndexTruthful();
    void listsComeFromTheIndexWithPagination();
    void listRefusesWhatHoldsNothing();
    void describeDeleteAndCanDelete();

    void addKnownDocumentValidates();
    void uploadsAreGenericConnectorCalls();
    void deleteKnownPreExistingDocument();
    void delete404IsAlreadyGoneAndDropped();
    void deleteErrorStatuses_data();
    void deleteErrorStatuses();
    void deleteAfterOne401RenewsAndSucceeds();
    void delete429WaitsAndSucceeds();
    void deleteFaults_data();
    void deleteFaults();
    void hostileIdsStayInTheBody();

    void tokenExpiryRenewsOnce();
    void concurrentDeletesAfterExpiryShareOneExchange();

    void tolerantTokenAnswerAndProactiveRenewal();
    void signedUrlUploadCarriesNoCredentials();
    void tokenLifetimeBeyondReasonNeverExpiresAtOnce_data();
    void tokenLifetimeBeyondReasonNeverExpiresAtOnce();
    void signedUrlToAnotherLoopbackHostIsRefused();

private:
    std::unique_ptr<Fixture> makeFixture(const QString &appId, const QString &apiKey,
                                         const QUrl &baseUrl = {});
    std::unique_ptr<Fixture> demo() { return makeFixture(m_appId, m_apiKey); }
    std::unique_ptr<Fixture> signedInDemo();
    RemoteItem documentItem(Fixture &fixture, const QString &consultation, const QString &id);
    QJsonObject invoxState() const { return m_sandbox.state(QStringLiteral("invox")); }
    QStringList deletedIds() const;
    int exchanges() const
    {
        return m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("auth.token"));
    }
    bool addFault(const QString &route, const QJsonObject &rule);
    void verifyNoSecret(const ApiError &error);

    SandboxProcess m_sandbox;
    QString m_appId;
    QString m_apiKey;
    QJsonArray m_documents;
};

void TestConnectorInvox::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("invox"));
    m_appId = credentials.value(QStringLiteral("appId")).toString();
    m_apiKey = credentials.value(QStringLiteral("apiKey")).toString();
    m_documents = credentials.value(QStringLiteral("documents")).toArray();
    QVERIFY(!m_appId.isEmpty() && !m_apiKey.isEmpty());
    QVERIFY(m_documents.size() >= 3);
}

void TestConnectorInvox::init()
{
    QVERIFY(m_sandbox.reset());
}

std::unique_ptr<Fixture> TestConnectorInvox::makeFixture(const QString &appId,
                                                         const QString &apiKey, const QUrl &baseUrl)
{
    auto fixture = std::make_unique<Fixture>();
    fixture->account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    fixture->account.service = ServiceKind::Invox;
    fixture->account.name = QStringLiteral("Clinic");
    fixture->account.baseUrl
        = baseUrl.isEmpty() ? m_sandbox.baseUrl(QStringLiteral("invox")) : baseUrl;
    fixture->account.setSetting(QStringLiteral("appId"), appId);
    QString error;
    if (!fixture->index.open(&error))
        qFatal("index: %s", qPrintable(error));
    fixture->session
        = std::make_unique<AccountSession>(fixture->account, &fixture->network, &fixture->store);
    fixture->connector = std::make_unique<InvoxConnector>(fixture->session.get(), &fixture->index);
    if (!apiKey.isEmpty()) {
        bool stored = false;
        fixture->session->storeSecret(Secret::apiKey, apiKey, fixture->session.get(),
                                      [&stored](const QString &) { stored = true; });
        if (!QTest::qWaitFor([&] { return stored; }, 5000))
            qFatal("the credential store did not answer");
    }
    return fixture;
}

std::unique_ptr<Fixture> TestConnectorInvox::signedInDemo()
{
    auto fixture = demo();
    const Outcome signIn = waitFor(fixture->connector->signIn());
    if (!signIn.ok())
        qFatal("sign-in failed: %s", qPrintable(describe(signIn)));
    return fixture;
}

RemoteItem TestConnectorInvox::documentItem(Fixture &fixture, const QString &consultation,
                                            const QString &id)
{
    const Outcome listed
        = waitFor(fixture.list({ NodeKind::InvoxConsultation, { consultation } }, { {}, 1000 }));
    for (const RemoteItem &item : listed.page.items) {
        if (item.ref.id() == id)
            return item;
    }
    RemoteItem item;
    item.ref = { NodeKind::InvoxDocument, { consultation, id } };
    item.name = id;
    return item;
}

QStringList TestConnectorInvox::deletedIds() const
{
    return m_sandbox.deletedIds(QStringLiteral("invox"), QStringLiteral("documents"));
}

bool TestConnectorInvox::addFault(const QString &route, const QJsonObject &rule)
{
    QJsonObject full = rule;
    full.insert(QStringLiteral("service"), QStringLiteral("invox"));
    full.insert(QStringLiteral("route"), route);
    if (!full.contains(QStringLiteral("count")))
        full.insert(QStringLiteral("count"), 1);
    return m_sandbox.addFault(full);
}

void TestConnectorInvox::verifyNoSecret(const ApiError &error)
{
    for (const QString &text :
         { error.userMessage, error.serviceMessage, error.technicalDetail, error.summary() }) {
        QVERIFY2(!text.contains(m_apiKey), qPrintable(text));
        QVERIFY2(
            !text.contains(QString::fromLatin1((m_appId + u':' + m_apiKey).toUtf8().toBase64())),
            qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("ivx_")), qPrintable(text)); // sandbox tokens
    }
}

// --- Sign-in ------------------------------------------------------------------------------------

void TestConnectorInvox::signInWithGoodCredentials()
{
    auto fixture = demo();
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));
    QVERIFY(!fixture->session->isSignedOut());
    QVERIFY(fixture->session->hasSecret(Secret::accessToken));
    // The token reached the credential store, under the account's key.
    QVERIFY(fixture->store.contains(secretKey(fixture->account.id, Secret::accessToken)));
    QCOMPARE(exchanges(), 1);
}

void TestConnectorInvox::signInWithWrongCredentials_data()
{
    QTest::addColumn<QString>("appId");
    QTest::addColumn<QString>("apiKey");
    QTest::newRow("wrong key") << QStringLiteral("docket-demo-app")
                               << QStringLiteral("not-the-key");
    QTest::newRow("unknown app") << QStringLiteral("nobody-app")
                                 << QStringLiteral("invox-demo-key-7f3a9c");
    QTest::newRow("other app's key")
        << QStringLiteral("docket-demo-app") << QStringLiteral("invox-other-key-2b8e41");
}

void TestConnectorInvox::signInWithWrongCredentials()
{
    QFETCH(QString, appId);
    QFETCH(QString, apiKey);
    auto fixture = makeFixture(appId, apiKey);
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY(signIn.finished);
    QCOMPARE(signIn.error.kind, ApiError::Kind::SignedOut);
    QCOMPARE(signIn.error.httpStatus, 401);
    QVERIFY2(
        signIn.error.userMessage.contains(QStringLiteral("The App Id or API Key was not accepted")),
        qPrintable(signIn.error.userMessage));
    QVERIFY(!signIn.error.userMessage.contains(apiKey));
    QVERIFY(!fixture->session->hasSecret(Secret::accessToken));
}

void TestConnectorInvox::signInWithoutApiKey()
{
    auto fixture = makeFixture(m_appId, QString());
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QCOMPARE(signIn.error.kind, ApiError::Kind::SignedOut);
    QVERIFY(signIn.error.userMessage.contains(QStringLiteral("API Key")));
    QCOMPARE(exchanges(), 0);

    // No App Id: the account's settings are incomplete, and nothing is sent.
    auto noApp = makeFixture(QString(), m_apiKey);
    const Outcome noAppSignIn = waitFor(noApp->connector->signIn());
    QCOMPARE(noAppSignIn.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(exchanges(), 0);
}

void TestConnectorInvox::signInFaults_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::newRow("500") << QStringLiteral("status") << 500 << int(ApiError::Kind::Http);
    QTest::newRow("503") << QStringLiteral("status") << 503 << int(ApiError::Kind::Http);
    QTest::newRow("403") << QStringLiteral("status") << 403 << int(ApiError::Kind::SignedOut);
    QTest::newRow("malformed") << QStringLiteral("malformed") << 0
                               << int(ApiError::Kind::MalformedResponse);
    QTest::newRow("reset") << QStringLiteral("reset") << 0 << int(ApiError::Kind::Connection);
    QTest::newRow("hang") << QStringLiteral("hang") << 0 << int(ApiError::Kind::Timeout);
}

void TestConnectorInvox::signInFaults()
{
    QFETCH(QString, mode);
    QFETCH(int, status);
    QFETCH(int, kind);
    auto fixture = demo();
    fixture->network.setDefaultTimeout(500);
    QJsonObject rule { { QStringLiteral("mode"), mode } };
    if (status)
        rule.insert(QStringLiteral("status"), status);
    // Qt resends a request transparently when a kept-alive connection is reset: a reset must
    // outlast those resends to reach the connector.
    if (mode == QStringLiteral("reset"))
        rule.insert(QStringLiteral("count"), resetsBeyondResends);
    QVERIFY(addFault(QStringLiteral("auth.token"), rule));
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY(signIn.finished);
    QVERIFY2(int(signIn.error.kind) == kind, qPrintable(describe(signIn)));
    QVERIFY(!signIn.error.userMessage.isEmpty());
    verifyNoSecret(signIn.error);
    QVERIFY(!fixture->session->hasSecret(Secret::accessToken));

    // The fault is over: signing in again works.
    QVERIFY(m_sandbox.clearFaults());
    const Outcome again = waitFor(fixture->connector->signIn());
    QVERIFY2(again.ok(), qPrintable(describe(again)));
}

void TestConnectorInvox::tokenPathIsASetting()
{
    auto fixture = demo();
    fixture->session.reset();
    fixture->connector.reset();
    fixture->account.setSetting(QStringLiteral("tokenPath"), QStringLiteral("/v2/oauth/token"));
    fixture->session
        = std::make_unique<AccountSession>(fixture->account, &fixture->network, &fixture->store);
    fixture->connector = std::make_unique<InvoxConnector>(fixture->session.get(), &fixture->index);
    bool stored = false;
    fixture->session->storeSecret(Secret::apiKey, m_apiKey, fixture->session.get(),
                                  [&stored](const QString &) { stored = true; });
    QTRY_VERIFY(stored);

    const Outcome signIn = waitFor(fixture->connector->signIn());
    QCOMPARE(signIn.error.kind, ApiError::Kind::Http);
    QCOMPARE(signIn.error.httpStatus, 404);
    QVERIFY2(signIn.error.userMessage.contains(QStringLiteral("/v2/oauth/token")),
             qPrintable(signIn.error.userMessage));
    // It went where the setting said, not to the default.
    const QJsonArray requests = requestsOf(m_sandbox.requestLog(QStringLiteral("invox")));
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/v2/oauth/token"));
    QCOMPARE(exchanges(), 0);
}

void TestConnectorInvox::restrictedAppGetsAClearError()
{
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("invox"));
    auto fixture = makeFixture(credentials.value(QStringLiteral("restrictedAppId")).toString(),
                               credentials.value(QStringLiteral("restrictedApiKey")).toString());
    // The exchange itself works: only document calls are refused.
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));

    QVERIFY(fixture->connector
                ->addKnownDocument(QStringLiteral("c"), QStringLiteral("mock-document-id"),
                                   QStringLiteral("note.pdf"), pdf)
                .isEmpty());
    const Outcome removal = waitFor(fixture->remove(
        documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"))));
    QCOMPARE(removal.error.kind, ApiError::Kind::Http);
    QCOMPARE(removal.error.httpStatus, 403);
    QVERIFY2(removal.error.userMessage.contains(QStringLiteral("not allowed")),
             qPrintable(removal.error.userMessage));
    QVERIFY(!removal.error.serviceMessage.isEmpty());
    // Kept: it was not deleted.
    QVERIFY(fixture->index.contains(fixture->account.id, QStringLiteral("mock-document-id")));
    QVERIFY(!deletedIds().contains(QStringLiteral("mock-document-id")));
    // A refused document call is not a refused sign-in.
    QVERIFY(!fixture->session->isSignedOut());

    const Outcome upload = waitFor(
        fixture->connector->upload(QStringLiteral("c"), QStringLiteral("a.txt"), txt, "x"));
    QCOMPARE(upload.error.httpStatus, 403);
}

void TestConnectorInvox::apiVersionHeaderIsSent()
{
    auto good = demo();
    good->session.reset();
    good->connector.reset();
    good->account.setSetting(QStringLiteral("apiVersion"), QStringLiteral("2026-03-01"));
    good->session = std::make_unique<AccountSession>(good->account, &good->network, &good->store);
    good->connector = std::make_unique<InvoxConnector>(good->session.get(), &good->index);
    bool stored = false;
    good->session->storeSecret(Secret::apiKey, m_apiKey, good->session.get(),
                               [&stored](const QString &) { stored = true; });
    QTRY_VERIFY(stored);
    QVERIFY(good->connector
                ->addKnownDocument(QStringLiteral("c"), QStringLiteral("mock-document-id"), {}, pdf)
                .isEmpty());
    const Outcome removal = waitFor(
        good->remove(documentItem(*good, QStringLiteral("c"), QStringLiteral("mock-document-id"))));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);

    // The sandbox checks the header's value: a version it does not know proves it was sent.
    good->session.reset();
    good->connector.reset();
    good->account.setSetting(QStringLiteral("apiVersion"), QStringLiteral("1999-01-01"));
    good->session = std::make_unique<AccountSession>(good->account, &good->network, &good->store);
    good->connector = std::make_unique<InvoxConnector>(good->session.get(), &good->index);
    stored = false;
    good->session->storeSecret(Secret::apiKey, m_apiKey, good->session.get(),
                               [&stored](const QString &) { stored = true; });
    QTRY_VERIFY(stored);
    const QString second
        = m_documents.at(1).toObject().value(QStringLiteral("documentId")).toString();
    QVERIFY(good->connector->addKnownDocument(QStringLiteral("c"), second, {}, txt).isEmpty());
    const Outcome refused = waitFor(good->remove(documentItem(*good, QStringLiteral("c"), second)));
    QCOMPARE(refused.error.kind, ApiError::Kind::Http);
    QCOMPARE(refused.error.httpStatus, 400);
    QCOMPARE(refused.error.serviceCode, QStringLiteral("invalidApiVersionForEndpoint"));
    QVERIFY(good->index.contains(good->account.id, second));

    // A header value with a line break never reaches the network.
    good->session.reset();
    good->connector.reset();
    good->account.setSetting(QStringLiteral("apiVersion"),
                             QStringLiteral("2026-03-01\r\nX-Evil: 1"));
    good->session = std::make_unique<AccountSession>(good->account, &good->network, &good->store);
    good->connector = std::make_unique<InvoxConnector>(good->session.get(), &good->index);
    const int before = requestsOf(m_sandbox.requestLog(QStringLiteral("invox"))).size();
    const Outcome injected
        = waitFor(good->remove(documentItem(*good, QStringLiteral("c"), second)));
    QCOMPARE(injected.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(requestsOf(m_sandbox.requestLog(QStringLiteral("invox"))).size(), before);
}

// --- Upload, list, delete -----------------------------------------------------------------------

void TestConnectorInvox::uploadListDelete()
{
    auto fixture = signedInDemo();
    const QString consultation = InvoxConnector::newConsultationSessionId();
    QVERIFY(!consultation.isEmpty());
    const QByteArray content = "%PDF-1.4\n% a clinical note\n" + QByteArray(5000, 'x');

    const Outcome upload = waitFor(fixture->connector->upload(
        consultation, QStringLiteral("consult-2026.pdf"), QStringLiteral("pdf"), content));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    const QString documentId = upload.data.value(QStringLiteral("documentId")).toString();
    QVERIFY(!documentId.isEmpty());
    QCOMPARE(upload.data.value(QStringLiteral("documentType")).toString(), pdf);
    QCOMPARE(upload.data.value(QStringLiteral("consultationSessionId")).toString(), consultation);

    // The sandbox has the bytes.
    bool found = false;
    for (const QJsonValue &value : invoxState().value(QStringLiteral("documents")).toArray()) {
        const QJsonObject document = value.toObject();
        if (document.value(QStringLiteral("documentId")).toString() != documentId)
            continue;
        found = true;
        QVERIFY(document.value(QStringLiteral("uploaded")).toBool());
        QCOMPARE(document.value(QStringLiteral("size")).toInteger(), content.size());
        QCOMPARE(document.value(QStringLiteral("consultationSessionId")).toString(), consultation);
        QCOMPARE(document.value(QStringLiteral("documentType")).toString(), pdf);
    }
    QVERIFY(found);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("upload.put")), 1);

    // The index has it, and the tree shows it.
    QVERIFY(fixture->index.contains(fixture->account.id, documentId));
    const Outcome top = waitFor(fixture->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(top.ok(), qPrintable(describe(top)));
    QCOMPARE(top.page.items.size(), 1);
    QCOMPARE(top.page.total, 1);
    QVERIFY(!top.page.hasMore());
    const RemoteItem consultationItem = top.page.items.first();
    QCOMPARE(consultationItem.ref, (NodeRef { NodeKind::InvoxConsultation, { consultation } }));
    QCOMPARE(consultationItem.name, consultation);
    QCOMPARE(consultationItem.status, QStringLiteral("1 document"));
    QCOMPARE(consultationItem.details.value(QStringLiteral("documentCount")).toInt(), 1);

    const Outcome children = waitFor(fixture->list(consultationItem.ref, {}));
    QVERIFY2(children.ok(), qPrintable(describe(children)));
    QCOMPARE(children.page.items.size(), 1);
    const RemoteItem item = children.page.items.first();
    QCOMPARE(item.ref, (NodeRef { NodeKind::InvoxDocument, { consultation, documentId } }));
    QCOMPARE(item.name, QStringLiteral("consult-2026.pdf"));
    QCOMPARE(item.status, pdf);
    QCOMPARE(item.sizeBytes, qint64(content.size()));
    QVERIFY(item.created.isValid());
    QVERIFY(qAbs(item.created.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(item.details.value(QStringLiteral("origin")).toString(), QStringLiteral("upload"));
    QCOMPARE(item.details.value(QStringLiteral("documentId")).toString(), documentId);

    const DeletePlan plan = fixture->describeDelete(item);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Permanent);
    QCOMPARE(plan.explanation,
             QStringLiteral("Permanently deletes the clinical document “consult-2026.pdf” from "
                            "Invox Medical. This cannot be undone."));

    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(removal.httpStatus, 200);
    QVERIFY(deletedIds().contains(documentId));
    QVERIFY(!fixture->index.contains(fixture->account.id, documentId));
    const Outcome after = waitFor(fixture->list({ NodeKind::Account, {} }, {}));
    QVERIFY(after.ok());
    QVERIFY(after.page.items.isEmpty());
    QCOMPARE(after.page.total, 0);
}

void TestConnectorInvox::uploadTextDocument()
{
    auto fixture = signedInDemo();
    // A hostile consultation id travels in the JSON body and comes back unchanged.
    const QString consultation = QStringLiteral("../consult?x=1#frag");
    const Outcome upload = waitFor(fixture->connector->upload(
        consultation, QStringLiteral("dictation.txt"), txt, QByteArrayLiteral("Patient is well.")));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    const auto consultations = fixture->index.consultations(fixture->account.id);
    QCOMPARE(consultations.size(), 1);
    QCOMPARE(consultations.first().first, consultation);
    const auto documents = fixture->index.documents(fixture->account.id, consultation);
    QCOMPARE(documents.size(), 1);
    QCOMPARE(documents.first().documentType, txt);
    QCOMPARE(documents.first().sizeBytes, qint64(16));
    QCOMPARE(documents.first().origin, QStringLiteral("upload"));
    for (const QJsonValue &value : requestsOf(m_sandbox.requestLog(QStringLiteral("invox")))) {
        const QString route = value.toObject().value(QStringLiteral("route")).toString();
        QVERIFY2(route == QStringLiteral("auth.token")
                     || route == QStringLiteral("signedUrls.create")
                     || route == QStringLiteral("upload.put"),
                 qPrintable(route));
        QCOMPARE(value.toObject().value(QStringLiteral("status")).toInt(), 200);
    }
}

void TestConnectorInvox::uploadRefusesBadInput()
{
    auto fixture = signedInDemo();
    const int before = requestsOf(m_sandbox.requestLog(QStringLiteral("invox"))).size();
    const QList<std::tuple<QString, QString, QString>> bad
        = { { QString(), QStringLiteral("a.pdf"), pdf },
            { QStringLiteral("c"), QStringLiteral("  "), pdf },
            { QStringLiteral("c"), QStringLiteral("a.docx"), QStringLiteral("DOCX") },
            { QStringLiteral("c"), QStringLiteral("a"), QString() } };
    for (const auto &[consultation, name, type] : bad) {
        const Outcome upload = waitFor(fixture->connector->upload(consultation, name, type, "x"));
        QVERIFY(upload.finished);
        QCOMPARE(upload.error.kind, ApiError::Kind::InvalidInput);
        QVERIFY(!upload.error.userMessage.isEmpty());
    }
    QCOMPARE(requestsOf(m_sandbox.requestLog(QStringLiteral("invox"))).size(), before);
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());
}

void TestConnectorInvox::uploadFailuresKeepTheIndexTruthful()
{
    auto fixture = signedInDemo();
    fixture->network.setDefaultTimeout(500);
    struct Case
    {
        QString route;
        QJsonObject rule;
        ApiError::Kind kind;
    };
    const QList<Case> cases = {
        { QStringLiteral("signedUrls.create"),
          { { QStringLiteral("mode"), QStringLiteral("malformed") } },
          ApiError::Kind::MalformedResponse },
        { QStringLiteral("signedUrls.create"),
          { { QStringLiteral("mode"), QStringLiteral("status") },
            { QStringLiteral("status"), 400 } },
          ApiError::Kind::Http },
        { QStringLiteral("upload.put"),
          { { QStringLiteral("mode"), QStringLiteral("status") },
            { QStringLiteral("status"), 500 } },
          ApiError::Kind::Http },
        { QStringLiteral("upload.put"),
          { { QStringLiteral("mode"), QStringLiteral("reset") },
            { QStringLiteral("count"), resetsBeyondResends } },
          ApiError::Kind::Connection },
        { QStringLiteral("upload.put"),
          { { QStringLiteral("mode"), QStringLiteral("hang") } },
          ApiError::Kind::Timeout },
    };
    for (const Case &c : cases) {
        QVERIFY(addFault(c.route, c.rule));
        const Outcome upload = waitFor(fixture->connector->upload(
            QStringLiteral("c"), QStringLiteral("note.pdf"), pdf, QByteArrayLiteral("%PDF-1.4")));
        QVERIFY(upload.finished);
        QVERIFY2(upload.error.kind == c.kind, qPrintable(c.route + u' ' + describe(upload)));
        QVERIFY(!upload.error.userMessage.isEmpty());
        // Nothing half-uploaded is presented as a document.
        QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());
        // The signed URL's signature stays out of every message.
        QVERIFY2(!upload.error.userMessage.contains(QStringLiteral("signature=")),
                 qPrintable(upload.error.userMessage));
        QVERIFY2(!upload.error.technicalDetail.contains(QStringLiteral("signature=")),
                 qPrintable(upload.error.technicalDetail));
        verifyNoSecret(upload.error);
        QVERIFY(m_sandbox.clearFaults());
    }
    // And the next upload works.
    const Outcome upload = waitFor(fixture->connector->upload(
        QStringLiteral("c"), QStringLiteral("note.pdf"), pdf, QByteArrayLiteral("%PDF-1.4")));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    QCOMPARE(fixture->index.consultations(fixture->account.id).size(), 1);
}

void TestConnectorInvox::listsComeFromTheIndexWithPagination()
{
    auto fixture = demo();
    // 3 consultations holding 4, 2 and 1 documents, added by hand (no network involved).
    const QStringList consultations
        = { QStringLiteral("cons-a"), QStringLiteral("cons-b"), QStringLiteral("cons-c") };
    const QList<int> counts = { 4, 2, 1 };
    for (int c = 0; c < consultations.size(); ++c) {
        for (int d = 0; d < counts.at(c); ++d) {
            QCOMPARE(fixture->connector->addKnownDocument(
                         consultations.at(c), QStringLiteral("doc-%1-%2").arg(c).arg(d),
                         QStringLiteral("Doc %1").arg(d), d % 2 ? txt : pdf),
                     QString());
            QTest::qWait(2); // distinct times: the newest consultation comes first
        }
    }

    // The top level, two at a time.
    QStringList seen;
    QVariant cursor;
    int pages = 0;
    do {
        const Outcome page = waitFor(fixture->list({ NodeKind::Account, {} }, { cursor, 2 }));
        QVERIFY2(page.ok(), qPrintable(describe(page)));
        QCOMPARE(page.page.total, 3);
        QVERIFY(page.page.items.size() <= 2);
        for (const RemoteItem &item : page.page.items) {
            QCOMPARE(item.ref.kind, NodeKind::InvoxConsultation);
            seen << item.name;
            const int index = int(consultations.indexOf(item.name));
            QVERIFY(index >= 0);
            QCOMPARE(item.details.value(QStringLiteral("documentCount")).toInt(), counts.at(index));
            QVERIFY(item.status.startsWith(QString::number(counts.at(index)) + u' '));
        }
        cursor = page.page.nextCursor;
        ++pages;
    } while (cursor.isValid() && !cursor.isNull() && pages < 10);
    QCOMPARE(pages, 2);
    QCOMPARE(seen,
             (QStringList { QStringLiteral("cons-c"), QStringLiteral("cons-b"),
                            QStringLiteral("cons-a") }));

    // The documents of the biggest consultation, three at a time, in the order they were added.
    QStringList documents;
    cursor = {};
    pages = 0;
    do {
        const Outcome page = waitFor(fixture->list(
            { NodeKind::InvoxConsultation, { QStringLiteral("cons-a") } }, { cursor, 3 }));
        QVERIFY2(page.ok(), qPrintable(describe(page)));
        QCOMPARE(page.page.total, 4);
        for (const RemoteItem &item : page.page.items) {
            QCOMPARE(item.ref.kind, NodeKind::InvoxDocument);
            QCOMPARE(item.ref.ids.first(), QStringLiteral("cons-a"));
            documents << item.ref.id();
            // Added by hand: Invox never said when it was made, and its size is unknown.
            QVERIFY(!item.created.isValid());
            QCOMPARE(item.sizeBytes, qint64(-1));
            QCOMPARE(item.details.value(QStringLiteral("origin")).toString(),
                     QStringLiteral("manual"));
        }
        cursor = page.page.nextCursor;
        ++pages;
    } while (cursor.isValid() && !cursor.isNull() && pages < 10);
    QCOMPARE(pages, 2);
    QCOMPARE(documents,
             (QStringList { QStringLiteral("doc-0-0"), QStringLiteral("doc-0-1"),
                            QStringLiteral("doc-0-2"), QStringLiteral("doc-0-3") }));

    // Another account sees none of it.
    auto other = demo();
    const Outcome otherTop = waitFor(other->list({ NodeKind::Account, {} }, {}));
    QVERIFY(otherTop.ok());
    QVERIFY(otherTop.page.items.isEmpty());

    // Listing never touched the network.
    QCOMPARE(requestsOf(m_sandbox.requestLog(QStringLiteral("invox"))).size(), 0);
}

void TestConnectorInvox::listRefusesWhatHoldsNothing()
{
    auto fixture = demo();
    // The job finishes later, never inside the call.
    ListJob *job = fixture->list(
        { NodeKind::InvoxDocument, { QStringLiteral("c"), QStringLiteral("d") } }, {});
    auto outcome = watch(job);
    QVERIFY(!outcome->finished);
    QTRY_VERIFY(outcome->finished);
    QCOMPARE(outcome->error.kind, ApiError::Kind::InvalidInput);

    const Outcome badCursor
        = waitFor(fixture->list({ NodeKind::Account, {} }, { QStringLiteral("not-a-number"), 10 }));
    QCOMPARE(badCursor.error.kind, ApiError::Kind::InvalidInput);

    // Without a usable index there is nothing to show, and the error says why.
    InvoxIndex closed(QStringLiteral("/nonexistent-folder/x/index.sqlite"));
    QVERIFY(!closed.open(nullptr));
    InvoxConnector noIndex(fixture->session.get(), &closed);
    const Outcome unavailable = waitFor(noIndex.list({ NodeKind::Account, {} }, {}));
    QCOMPARE(unavailable.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(unavailable.error.userMessage.contains(QStringLiteral("index")));
    QVERIFY(!noIndex.addKnownDocument(QStringLiteral("c"), QStringLiteral("d"), {}, pdf).isEmpty());
    InvoxConnector nullIndex(fixture->session.get(), nullptr);
    QCOMPARE(waitFor(nullIndex.list({ NodeKind::Account, {} }, {})).error.kind,
             ApiError::Kind::InvalidInput);
}

void TestConnectorInvox::describeDeleteAndCanDelete()
{
    auto fixture = demo();
    QVERIFY(fixture->canDelete(NodeKind::InvoxDocument));
    QVERIFY(!fixture->canDelete(NodeKind::InvoxConsultation));
    QVERIFY(!fixture->canDelete(NodeKind::Account));

    RemoteItem consultation;
    consultation.ref = { NodeKind::InvoxConsultation, { QStringLiteral("c") } };
    consultation.name = QStringLiteral("c");
    const DeletePlan plan = fixture->describeDelete(consultation);
    QVERIFY(plan.explanation.contains(QStringLiteral("cannot be deleted")));

    // A consultation refused as a delete, without a request.
    const Outcome removal = waitFor(fixture->remove(consultation));
    QCOMPARE(removal.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(requestsOf(m_sandbox.requestLog(QStringLiteral("invox"))).size(), 0);
}

// --- Delete -------------------------------------------------------------------------------------

void TestConnectorInvox::uploadsAreGenericConnectorCalls()
{
    auto fixture = demo();
    Connector *connector = fixture->connector.get();
    QVERIFY(connector->canUpload(NodeKind::InvoxConsultation));
    QVERIFY(!connector->canUpload(NodeKind::Account));
    const NodeRef consultation { NodeKind::InvoxConsultation, { QStringLiteral("c") } };
    QCOMPARE(connector->addKnownItem(consultation, QStringLiteral("d"), QStringLiteral("Note"),
                                     QStringLiteral("PDF")),
             QString());
    const auto documents = fixture->index.documents(fixture->account.id, QStringLiteral("c"));
    QCOMPARE(documents.size(), 1);
    QCOMPARE(documents.first().documentId, QStringLiteral("d"));
    // Not into anything but a consultation.
    QVERIFY(!connector
                 ->addKnownItem({ NodeKind::Account, {} }, QStringLiteral("e"), {},
                                QStringLiteral("PDF"))
                 .isEmpty());
    QCOMPARE(fixture->index.documents(fixture->account.id, QStringLiteral("c")).size(), 1);
    // The document's details: what the index holds.
    QVERIFY(connector->hasDetails(NodeKind::InvoxDocument));
    RemoteItem document;
    document.ref = consultation.child(NodeKind::InvoxDocument, QStringLiteral("d"));
    DetailsJob *job = connector->fetchDetails(document);
    QList<DetailSection> sections;
    bool done = false;
    connect(job, &ConnectorJob::finished, this, [&](ConnectorJob *) {
        sections = job->sections();
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(sections.size(), 1);
    QCOMPARE(sections.first().title, QStringLiteral("In Docket's Invox index"));
    QCOMPARE(sections.first().facts.first().value.toString(), QStringLiteral("c"));
}

void TestConnectorInvox::addKnownDocumentValidates()
{
    auto fixture = demo();
    QVERIFY(
        !fixture->connector->addKnownDocument(QString(), QStringLiteral("d"), {}, pdf).isEmpty());
    QVERIFY(!fixture->connector->addKnownDocument(QStringLiteral(" "), QStringLiteral("d"), {}, pdf)
                 .isEmpty());
    QVERIFY(
        !fixture->connector->addKnownDocument(QStringLiteral("c"), QString(), {}, pdf).isEmpty());
    QVERIFY(!fixture->connector
                 ->addKnownDocument(QStringLiteral("c"), QStringLiteral("d"), {},
                                    QStringLiteral("DOCX"))
                 .isEmpty());
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());

    // Pasted with white space and a lower-case type: cleaned up.
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral(" c \n"), QStringLiteral("\td "),
                                                  QStringLiteral("Note"), QStringLiteral("pdf")),
             QString());
    const auto documents = fixture->index.documents(fixture->account.id, QStringLiteral("c"));
    QCOMPARE(documents.size(), 1);
    QCOMPARE(documents.first().documentId, QStringLiteral("d"));
    QCOMPARE(documents.first().documentType, pdf);
    QCOMPARE(documents.first().origin, QStringLiteral("manual"));

    // No name: the id stands in for it in the tree.
    QCOMPARE(
        fixture->connector->addKnownDocument(QStringLiteral("c"), QStringLiteral("e"), {}, txt),
        QString());
    const Outcome listed
        = waitFor(fixture->list({ NodeKind::InvoxConsultation, { QStringLiteral("c") } }, {}));
    QCOMPARE(listed.page.items.size(), 2);
    QCOMPARE(listed.page.items.at(0).name, QStringLiteral("Note"));
    QCOMPARE(listed.page.items.at(1).name, QStringLiteral("e"));
}

void TestConnectorInvox::deleteKnownPreExistingDocument()
{
    auto fixture = signedInDemo();
    const QJsonObject known = m_documents.at(0).toObject();
    const QString consultation = known.value(QStringLiteral("consultationSessionId")).toString();
    const QString id = known.value(QStringLiteral("documentId")).toString();
    QCOMPARE(id, QStringLiteral("mock-document-id"));
    QCOMPARE(fixture->connector->addKnownDocument(
                 consultation, id, known.value(QStringLiteral("documentName")).toString(),
                 known.value(QStringLiteral("documentType")).toString()),
             QString());

    const RemoteItem item = documentItem(*fixture, consultation, id);
    QCOMPARE(item.name, known.value(QStringLiteral("documentName")).toString());
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(deletedIds(), QStringList { id });
    QVERIFY(!fixture->index.contains(fixture->account.id, id));
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());

    // The one delete request went to the documented route, with the id in its body only.
    int deletes = 0;
    for (const QJsonValue &value : requestsOf(m_sandbox.requestLog(QStringLiteral("invox")))) {
        const QJsonObject request = value.toObject();
        if (request.value(QStringLiteral("route")).toString() != QStringLiteral("document.delete"))
            continue;
        ++deletes;
        QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("DELETE"));
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/delete-document"));
        QCOMPARE(request.value(QStringLiteral("status")).toInt(), 200);
    }
    QCOMPARE(deletes, 1);
}

void TestConnectorInvox::delete404IsAlreadyGoneAndDropped()
{
    auto fixture = signedInDemo();
    const QString otherAppDocument = m_sandbox.credentials(QStringLiteral("invox"))
                                         .value(QStringLiteral("otherAppDocumentId"))
                                         .toString();
    for (const QString &id : { QStringLiteral("no-such-document"), otherAppDocument }) {
        QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"), id, {}, pdf), QString());
        const Outcome removal
            = waitFor(fixture->remove(documentItem(*fixture, QStringLiteral("c"), id)));
        QVERIFY2(removal.ok(), qPrintable(describe(removal)));
        QCOMPARE(removal.deleteOutcome, DeleteOutcome::AlreadyGone);
        QCOMPARE(removal.httpStatus, 404);
        QVERIFY(!fixture->index.contains(fixture->account.id, id));
    }
    QVERIFY(deletedIds().isEmpty());

    // Deleting twice: the second finds it gone.
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"),
                                                  QStringLiteral("mock-document-id"), {}, pdf),
             QString());
    const RemoteItem item
        = documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"));
    QCOMPARE(waitFor(fixture->remove(item)).deleteOutcome, DeleteOutcome::Deleted);
    const Outcome again = waitFor(fixture->remove(item));
    QVERIFY(again.ok());
    QCOMPARE(again.deleteOutcome, DeleteOutcome::AlreadyGone);
}

void TestConnectorInvox::deleteErrorStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expectedWords");
    QTest::newRow("400") << 400 << QStringLiteral("invalid");
    QTest::newRow("403") << 403 << QStringLiteral("does not allow this account");
    // Not Invox's documentNotFound: nothing is known to be gone.
    QTest::newRow("404") << 404 << QStringLiteral("not as Invox Medical does");
    QTest::newRow("500") << 500 << QStringLiteral("Try again later");
    QTest::newRow("503") << 503 << QStringLiteral("Try again later");
}

void TestConnectorInvox::deleteErrorStatuses()
{
    QFETCH(int, status);
    QFETCH(QString, expectedWords);
    auto fixture = signedInDemo();
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"),
                                                  QStringLiteral("mock-document-id"), {}, pdf),
             QString());
    QVERIFY(addFault(QStringLiteral("document.delete"),
                     { { QStringLiteral("mode"), QStringLiteral("status") },
                       { QStringLiteral("status"), status } }));
    const Outcome removal = waitFor(fixture->remove(
        documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"))));
    QVERIFY(removal.finished);
    QCOMPARE(removal.error.kind, ApiError::Kind::Http);
    QCOMPARE(removal.error.httpStatus, status);
    QVERIFY2(removal.error.userMessage.contains(expectedWords),
             qPrintable(removal.error.userMessage));
    // The vendor's error body was read ({message} or {messsage, errorType}).
    QVERIFY2(removal.error.serviceMessage.contains(QStringLiteral("Injected fault")),
             qPrintable(removal.error.serviceMessage));
    verifyNoSecret(removal.error);
    // Not deleted: it stays in the index.
    QVERIFY(fixture->index.contains(fixture->account.id, QStringLiteral("mock-document-id")));
    QVERIFY(deletedIds().isEmpty());
    QVERIFY(!fixture->session->isSignedOut());
}

void TestConnectorInvox::deleteAfterOne401RenewsAndSucceeds()
{
    auto fixture = signedInDemo();
    QCOMPARE(exchanges(), 1);
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"),
                                                  QStringLiteral("mock-document-id"), {}, pdf),
             QString());
    const RemoteItem item
        = documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"));
    QVERIFY(addFault(QStringLiteral("document.delete"),
                     { { QStringLiteral("mode"), QStringLiteral("status") },
                       { QStringLiteral("status"), 401 } }));
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(exchanges(), 2);

    // A 401 that persists after renewing fails the job (once renewed, never a loop).
    QCOMPARE(fixture->connector->addKnownDocument(
                 QStringLiteral("c"),
                 m_documents.at(1).toObject().value(QStringLiteral("documentId")).toString(), {},
                 txt),
             QString());
    QVERIFY(addFault(QStringLiteral("document.delete"),
                     { { QStringLiteral("mode"), QStringLiteral("status") },
                       { QStringLiteral("status"), 401 },
                       { QStringLiteral("count"), 2 } }));
    const Outcome refused = waitFor(fixture->remove(
        documentItem(*fixture, QStringLiteral("c"),
                     m_documents.at(1).toObject().value(QStringLiteral("documentId")).toString())));
    QCOMPARE(refused.error.kind, ApiError::Kind::Http);
    QCOMPARE(refused.error.httpStatus, 401);
    QCOMPARE(exchanges(), 3);
    verifyNoSecret(refused.error);
}

void TestConnectorInvox::delete429WaitsAndSucceeds()
{
    auto fixture = signedInDemo();
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"),
                                                  QStringLiteral("mock-document-id"), {}, pdf),
             QString());
    const RemoteItem item
        = documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"));
    QVERIFY(addFault(QStringLiteral("document.delete"),
                     { { QStringLiteral("mode"), QStringLiteral("status") },
                       { QStringLiteral("status"), 429 },
                       { QStringLiteral("count"), 2 } }));
    // Without Retry-After the session waits 2 s, then 4 s.
    const Outcome removal = waitFor(fixture->remove(item), 15000);
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(fixture->session->rateLimitWaits(), 2);
    QCOMPARE(deletedIds(), QStringList { QStringLiteral("mock-document-id") });
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("document.delete")), 3);
}

void TestConnectorInvox::deleteFaults_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QList<int>>("kinds");
    QTest::addColumn<bool>("tookEffect");
    QTest::newRow("timeout") << QStringLiteral("hang")
                             << QList<int> { int(ApiError::Kind::Timeout) } << false;
    QTest::newRow("reset") << QStringLiteral("reset")
                           << QList<int> { int(ApiError::Kind::Connection) } << false;
    QTest::newRow("malformed") << QStringLiteral("malformed")
                               << QList<int> { int(ApiError::Kind::MalformedResponse) } << true;
    // Qt 6.4 sometimes ends a reply whose connection closed short of its Content-Length without
    // an error: then the cut-off JSON is what gives it away.
    QTest::newRow("truncated") << QStringLiteral("truncated")
                               << QList<int> { int(ApiError::Kind::Connection),
                                               int(ApiError::Kind::Timeout),
                                               int(ApiError::Kind::MalformedResponse) }
                               << true;
}

void TestConnectorInvox::deleteFaults()
{
    QFETCH(QString, mode);
    QFETCH(QList<int>, kinds);
    QFETCH(bool, tookEffect);
    auto fixture = signedInDemo();
    fixture->network.setDefaultTimeout(500);
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"),
                                                  QStringLiteral("mock-document-id"), {}, pdf),
             QString());
    const RemoteItem item
        = documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"));
    QJsonObject rule { { QStringLiteral("mode"), mode } };
    if (mode == QStringLiteral("reset"))
        rule.insert(QStringLiteral("count"), resetsBeyondResends);
    QVERIFY(addFault(QStringLiteral("document.delete"), rule));
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY(removal.finished);
    QVERIFY2(kinds.contains(int(removal.error.kind)), qPrintable(describe(removal)));
    QVERIFY(!removal.error.userMessage.isEmpty());
    verifyNoSecret(removal.error);
    // Without a confirmed delete the document stays in the index...
    QVERIFY(fixture->index.contains(fixture->account.id, QStringLiteral("mock-document-id")));
    QCOMPARE(deletedIds().contains(QStringLiteral("mock-document-id")), tookEffect);

    // ...and the next attempt settles it either way.
    QVERIFY(m_sandbox.clearFaults());
    const Outcome retry = waitFor(fixture->remove(item));
    QVERIFY2(retry.ok(), qPrintable(describe(retry)));
    QCOMPARE(retry.deleteOutcome, tookEffect ? DeleteOutcome::AlreadyGone : DeleteOutcome::Deleted);
    QVERIFY(!fixture->index.contains(fixture->account.id, QStringLiteral("mock-document-id")));
}

void TestConnectorInvox::hostileIdsStayInTheBody()
{
    auto fixture = signedInDemo();
    const QStringList hostile = { QStringLiteral("../x"),
                                  QStringLiteral("a?b=c"),
                                  QStringLiteral("#"),
                                  QStringLiteral("%2F"),
                                  QStringLiteral("../../v1/auth/token"),
                                  QStringLiteral("\"}, \"documentId\": \"mock-document-id"),
                                  QStringLiteral("ünïcødé-文書-📄"),
                                  QString(10 * 1024, u'z') };
    for (const QString &id : hostile) {
        QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"), id, {}, pdf), QString());
        const Outcome removal
            = waitFor(fixture->remove(documentItem(*fixture, QStringLiteral("c"), id)));
        QVERIFY2(removal.ok(), qPrintable(describe(removal)));
        QCOMPARE(removal.deleteOutcome, DeleteOutcome::AlreadyGone);
        QVERIFY(!fixture->index.contains(fixture->account.id, id));
    }
    // Nothing else was deleted: the JSON-looking id did not smuggle in mock-document-id.
    QVERIFY(deletedIds().isEmpty());

    int deletes = 0;
    for (const QJsonValue &value : requestsOf(m_sandbox.requestLog(QStringLiteral("invox")))) {
        const QJsonObject request = value.toObject();
        const QString route = request.value(QStringLiteral("route")).toString();
        if (route == QStringLiteral("auth.token"))
            continue;
        QCOMPARE(route, QStringLiteral("document.delete"));
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/delete-document"));
        // documentNotFound: the sandbox read each as the documentId it did not know.
        QCOMPARE(request.value(QStringLiteral("status")).toInt(), 404);
        ++deletes;
    }
    QCOMPARE(deletes, hostile.size());
}

// --- Token lifetime -----------------------------------------------------------------------------

void TestConnectorInvox::tokenExpiryRenewsOnce()
{
    auto fixture = signedInDemo();
    QCOMPARE(exchanges(), 1);
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"),
                                                  QStringLiteral("mock-document-id"), {}, pdf),
             QString());
    const QString before = fixture->session->secret(Secret::accessToken);
    QVERIFY(m_sandbox.expireTokens(QStringLiteral("invox")));

    const Outcome removal = waitFor(fixture->remove(
        documentItem(*fixture, QStringLiteral("c"), QStringLiteral("mock-document-id"))));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(exchanges(), 2);
    QCOMPARE(fixture->session->renewalsStarted(), 1);
    const QString after = fixture->session->secret(Secret::accessToken);
    QVERIFY(!after.isEmpty());
    QVERIFY(after != before);

    // A session started later from the stored secrets (no exchange of its own yet) renews too.
    QVERIFY(m_sandbox.expireTokens(QStringLiteral("invox")));
    AccountSession restored(fixture->account, &fixture->network, &fixture->store);
    InvoxConnector connector(&restored, &fixture->index);
    bool loaded = false;
    restored.loadSecrets(&restored, [&loaded](const QString &) { loaded = true; });
    QTRY_VERIFY(loaded);
    QCOMPARE(restored.secret(Secret::accessToken), after);
    const QString second
        = m_documents.at(1).toObject().value(QStringLiteral("documentId")).toString();
    QCOMPARE(connector.addKnownDocument(QStringLiteral("c"), second, {}, txt), QString());
    const Outcome restoredRemoval
        = waitFor(connector.remove(documentItem(*fixture, QStringLiteral("c"), second)));
    QVERIFY2(restoredRemoval.ok(), qPrintable(describe(restoredRemoval)));
    QCOMPARE(restoredRemoval.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(exchanges(), 3);
}

void TestConnectorInvox::concurrentDeletesAfterExpiryShareOneExchange()
{
    auto fixture = signedInDemo();
    QCOMPARE(exchanges(), 1);
    // The 5 demo documents, and 15 ids the service does not know: 20 deletes at once.
    QStringList ids;
    for (const QJsonValue &value : m_documents)
        ids << value.toObject().value(QStringLiteral("documentId")).toString();
    QCOMPARE(ids.size(), 5);
    for (int i = 0; i < 15; ++i)
        ids << QStringLiteral("unknown-%1").arg(i);
    for (const QString &id : ids)
        QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"), id, {}, pdf), QString());
    const Outcome listed = waitFor(
        fixture->list({ NodeKind::InvoxConsultation, { QStringLiteral("c") } }, { {}, 100 }));
    QCOMPARE(listed.page.items.size(), 20);

    QVERIFY(m_sandbox.expireTokens(QStringLiteral("invox")));
    QList<std::shared_ptr<Outcome>> outcomes;
    for (const RemoteItem &item : listed.page.items)
        outcomes << watch(fixture->remove(item));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::all_of(outcomes.cbegin(), outcomes.cend(),
                               [](const auto &outcome) { return outcome->finished; });
        },
        15000));
    int deleted = 0;
    for (const auto &outcome : outcomes) {
        QVERIFY2(outcome->ok(), qPrintable(describe(*outcome)));
        deleted += outcome->deleteOutcome == DeleteOutcome::Deleted;
    }
    QCOMPARE(deleted, 5);
    QCOMPARE(exchanges(), 2);
    QCOMPARE(fixture->session->renewalsStarted(), 1);
    QCOMPARE(deletedIds().size(), 5);
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());
}

// --- [gap] alternatives, against a fake server
// ----------------------------------------------------

void TestConnectorInvox::tolerantTokenAnswerAndProactiveRenewal()
{
    FakeServer server;
    QVERIFY(server.listen());
    int issued = 0;
    server.handler = [&](const SeenRequest &request) -> FakeAnswer {
        if (request.path == "/oauth2/token") {
            ++issued;
            // snake_case, a 2-second life and a string number: all tolerated.
            return { 200,
                     QJsonDocument(
                         QJsonObject { { QStringLiteral("access_token"),
                                         QStringLiteral("tok-%1").arg(issued) },
                                       { QStringLiteral("expires_in"), QStringLiteral("2") },
                                       { QStringLiteral("token_type"), QStringLiteral("Bearer") } })
                         .toJson() };
        }
        if (request.path == "/v1/delete-document")
            return { 200, deletedAnswer(request.body) };
        return { 404, R"({"message":"no"})" };
    };

    auto fixture = makeFixture(QStringLiteral("app"), QStringLiteral("key"), server.url());
    fixture->session.reset();
    fixture->connector.reset();
    fixture->account.setSetting(QStringLiteral("tokenPath"), QStringLiteral("/oauth2/token"));
    fixture->account.setSetting(QStringLiteral("apiVersion"), QStringLiteral("2025-11-01"));
    fixture->session
        = std::make_unique<AccountSession>(fixture->account, &fixture->network, &fixture->store);
    fixture->connector = std::make_unique<InvoxConnector>(fixture->session.get(), &fixture->index);
    bool stored = false;
    fixture->session->storeSecret(Secret::apiKey, QStringLiteral("key"), fixture->session.get(),
                                  [&stored](const QString &) { stored = true; });
    QTRY_VERIFY(stored);

    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));
    QCOMPARE(fixture->session->secret(Secret::accessToken), QStringLiteral("tok-1"));
    const SeenRequest exchange = server.seen.first();
    QCOMPARE(exchange.method, QByteArray("POST"));
    QCOMPARE(exchange.headers.value("authorization"), "Basic " + QByteArray("app:key").toBase64());
    // The version header belongs to document endpoints only.
    QVERIFY(!exchange.headers.contains("x-invox-medical-api-version"));

    QCOMPARE(
        fixture->connector->addKnownDocument(QStringLiteral("c"), QStringLiteral("d1"), {}, pdf),
        QString());
    const Outcome first = waitFor(
        fixture->remove(documentItem(*fixture, QStringLiteral("c"), QStringLiteral("d1"))));
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
    QCOMPARE(
        fixture->connector->addKnownDocument(QStringLiteral("c"), QStringLiteral("d2"), {}, pdf),
        QString());
    const Outcome second = waitFor(
        fixture->remove(documentItem(*fixture, QStringLiteral("c"), QStringLiteral("d2"))));
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

void TestConnectorInvox::signedUrlUploadCarriesNoCredentials()
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

void TestConnectorInvox::tokenLifetimeBeyondReasonNeverExpiresAtOnce_data()
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
void TestConnectorInvox::tokenLifetimeBeyondReasonNeverExpiresAtOnce()
{
    QFETCH(QJsonValue, expiresIn);
    FakeServer server;
    QVERIFY(server.listen());
    int issued = 0;
    server.handler = [&](const SeenRequest &request) -> FakeAnswer {
        if (request.path == "/v1/auth/token") {
            ++issued;
            return { 200,
                     QJsonDocument(QJsonObject { { QStringLiteral("accessToken"),
                                                   QStringLiteral("tok-%1").arg(issued) },
                                                 { QStringLiteral("expiresIn"), expiresIn } })
                         .toJson() };
        }
        if (request.path == "/v1/delete-document")
            return { 200, deletedAnswer(request.body) };
        return { 404, R"({"message":"no"})" };
    };
    auto fixture = makeFixture(QStringLiteral("app"), QStringLiteral("key"), server.url());
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));
    for (const QString &id : { QStringLiteral("d1"), QStringLiteral("d2") }) {
        QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"), id, {}, pdf), QString());
        const Outcome removed
            = waitFor(fixture->remove(documentItem(*fixture, QStringLiteral("c"), id)));
        QVERIFY2(removed.ok(), qPrintable(describe(removed)));
        QCOMPARE(server.seen.last().headers.value("authorization"), QByteArray("Bearer tok-1"));
    }
    QCOMPARE(issued, 1);
    QCOMPARE(server.count("/v1/delete-document"), 2);
}

// An http signed URL on this computer, but not where the account's service is (another program
// listening on loopback), gets no document: the upload stops with the reason.
void TestConnectorInvox::signedUrlToAnotherLoopbackHostIsRefused()
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

QTEST_GUILESS_MAIN(TestConnectorInvox)
#include "tst_connector_invox.moc"
