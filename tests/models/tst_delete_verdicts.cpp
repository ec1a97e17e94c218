// Connector::judgeDeleteAnswer(), the one place an outcome is decided, for every service: what
// each kind of answer a real front can give (the service's documented answers, a gateway's
// redirect, a proxy's page, a body that contradicts the delete, a lost connection) proves. No
// network: the answers are made here, the connectors are the real ones.

#include "accountsession.h"
#include "connector.h"
#include "connectors/invox/invoxindex.h"
#include "credentialstore.h"
#include "networkclient.h"

#include <QTest>

#include <memory>

using namespace Docket;

Q_DECLARE_METATYPE(Docket::ServiceKind)
Q_DECLARE_METATYPE(Docket::DeleteOutcome)

namespace {

constexpr char itemId[] = "the-item-0001";

// An answer as NetworkClient would hand it over.
ApiResult answer(int status, const QByteArray &body,
                 const QByteArray &contentType = "application/json")
{
    ApiResult result;
    result.status = status;
    result.body = body;
    result.requestId = "request-1";
    if (!contentType.isEmpty())
        result.headers.insert("content-type", contentType);
    if (status < 200 || status >= 300)
        result.error = ApiError::fromHttp(status, body, result.requestId);
    return result;
}

const QByteArray nginx404 = "<html><head><title>404 Not Found</title></head><body><center><h1>404 "
                            "Not Found</h1></center><hr><center>nginx</center></body></html>";

NodeRef refFor(ServiceKind service)
{
    switch (service) {
    case ServiceKind::Invox:
        return { NodeKind::InvoxDocument,
                 { QStringLiteral("consult-1"), QString::fromLatin1(itemId) } };
    case ServiceKind::Care360:
        return { NodeKind::Care360File, { QStringLiteral("case-1"), QString::fromLatin1(itemId) } };
    case ServiceKind::DocumentPro:
        return { NodeKind::DocumentProResult,
                 { QStringLiteral("doc-1"), QString::fromLatin1(itemId) } };
    case ServiceKind::Scriptix:
        break;
    }
    return { NodeKind::ScriptixSession, { QString::fromLatin1(itemId) } };
}

} // namespace

class TestDeleteVerdicts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void judges_data();
    void judges();
    void redirectNamesWhereItPointed();
    void seeOtherIsUnknown();
    void lostConnectionsAreUnknownOrFailed();

private:
    // A connector of `service` on an account that never sends anything.
    Connector *connectorFor(ServiceKind service);

    NetworkClient m_network;
    MemoryCredentialStore m_store;
    InvoxIndex m_index { QStringLiteral(":memory:") };
    std::vector<std::unique_ptr<AccountSession>> m_sessions;
    std::vector<std::unique_ptr<Connector>> m_connectors;
};

Connector *TestDeleteVerdicts::connectorFor(ServiceKind service)
{
    Account account;
    account.id = QStringLiteral("verdicts-%1").arg(m_sessions.size());
    account.service = service;
    account.name = QStringLiteral("Verdicts");
    account.baseUrl = QUrl(QStringLiteral("https://service.invalid/api"));
    m_sessions.push_back(std::make_unique<AccountSession>(account, &m_network, &m_store));
    m_connectors.push_back(createConnector(m_sessions.back().get(), &m_index));
    return m_connectors.back().get();
}

void TestDeleteVerdicts::judges_data()
{
    QTest::addColumn<ServiceKind>("service");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<DeleteOutcome>("expected");
    QTest::addColumn<QString>("saying"); // a part of the sentence a person reads ("" for gone)

    const auto row = [](const char *name, ServiceKind service, int status, const QByteArray &body,
                        DeleteOutcome expected, const QString &saying = {},
                        const QByteArray &type = "application/json") {
        QTest::newRow(name) << service << status << body << type << expected << saying;
    };
    const QByteArray id(itemId);
    using S = ServiceKind;
    using O = DeleteOutcome;

    // Invox: its 200 names the document it deleted, its 404 says documentNotFound.
    row("invox 200 names it", S::Invox, 200,
        R"({"message":"Document deleted successfully","documentId":")" + id + "\"}", O::Deleted);
    row("invox 200 names another", S::Invox, 200,
        R"({"message":"Document deleted successfully","documentId":"someone-else"})", O::Unknown,
        QStringLiteral("names another document"));
    row("invox 200 names none", S::Invox, 200, R"({"message":"ok"})", O::Unknown,
        QStringLiteral("does not name"));
    row("invox 200 empty", S::Invox, 200, "", O::Unknown);
    row("invox 200 login page", S::Invox, 200, "<html><body>Sign in</body></html>", O::Unknown,
        QStringLiteral("web page"), "text/html");
    row("invox 404 documented", S::Invox, 404,
        R"({"messsage":"Document not found","errorType":"documentNotFound"})", O::AlreadyGone);
    row("invox 404 nginx", S::Invox, 404, nginx404, O::Failed,
        QStringLiteral("not as Invox Medical does"), "text/html");
    row("invox 404 other errorType", S::Invox, 404,
        R"({"messsage":"No such endpoint","errorType":"not_found"})", O::Failed,
        QStringLiteral("check the account's base URL"));
    row("invox 403", S::Invox, 403, R"({"message":"This key may not use this service"})",
        O::NotPermitted, QStringLiteral("does not allow"));
    row("invox 500", S::Invox, 500, R"({"message":"Internal error"})", O::Unknown);
    row("invox 400", S::Invox, 400, R"({"messsage":"bad","errorType":"invalidRequestBody"})",
        O::Failed);

    // Care360: {"success": true}; its uniform 404 "File not found" (proven later, by the
    // connector, against the file's metadata); "Organization not found" is the tenant key.
    row("care360 200", S::Care360, 200,
        R"({"status":200,"success":true,"message":"File deleted successfully"})", O::Deleted);
    row("care360 200 success false", S::Care360, 200, R"({"status":200,"success":false})",
        O::Unknown, QStringLiteral("does not say the delete succeeded"));
    row("care360 200 not json", S::Care360, 200, "OK", O::Unknown, QString(), "text/plain");
    row("care360 200 empty object", S::Care360, 200, "{}", O::Unknown,
        QStringLiteral("does not say the delete succeeded"));
    row("care360 200 success as text", S::Care360, 200, R"({"success":"true"})", O::Unknown);
    row("care360 404 documented", S::Care360, 404,
        R"({"status":404,"success":false,"error":"File not found","code":"VALIDATION_ERROR"})",
        O::AlreadyGone);
    row("care360 404 unknown tenant", S::Care360, 404,
        R"({"status":404,"success":false,"error":"Organization not found","code":"NOT_FOUND"})",
        O::Failed, QStringLiteral("tenant key"));
    row("care360 404 nginx", S::Care360, 404, nginx404, O::Failed,
        QStringLiteral("not as CareValidate Care360 does"), "text/html");

    // DocumentPro: {"success": true}; 404 {"success": false, ...}.
    row("documentpro 200", S::DocumentPro, 200,
        R"({"success":true,"message":"File deleted successfully"})", O::Deleted);
    row("documentpro 200 success false", S::DocumentPro, 200,
        R"({"success":false,"message":"could not delete"})", O::Unknown,
        QStringLiteral("does not say the delete succeeded"));
    row("documentpro 200 empty object", S::DocumentPro, 200, "{}", O::Unknown);
    row("documentpro 404 documented", S::DocumentPro, 404,
        R"({"success":false,"error":"not_found","message":"No parser result found"})",
        O::AlreadyGone);
    row("documentpro 404 plain text", S::DocumentPro, 404, "Not Found", O::Failed,
        QStringLiteral("not as DocumentPro does"), "text/plain");
    row("documentpro 403 documented", S::DocumentPro, 403,
        R"({"success":false,"error":"forbidden","message":"This API key is not allowed"})",
        O::NotPermitted, QStringLiteral("does not allow"));
    row("documentpro 403 proxy page", S::DocumentPro, 403, "<html>Forbidden</html>", O::Failed,
        QStringLiteral("not as DocumentPro does"), "text/html");

    // Scriptix: 204, or 200 with nothing or JSON; its 404 carries an error; older pages answer a
    // repeated delete with 400 "already marked as removed".
    row("scriptix 204", S::Scriptix, 204, "", O::Deleted, QString(), "");
    row("scriptix 200 empty", S::Scriptix, 200, "", O::Deleted);
    row("scriptix 200 json", S::Scriptix, 200, R"({"status":"deleted"})", O::Deleted);
    row("scriptix 200 reports error", S::Scriptix, 200, R"({"error":"nope"})", O::Unknown,
        QStringLiteral("reports an error"));
    row("scriptix 200 says not deleted", S::Scriptix, 200,
        R"({"success":false,"message":"not deleted"})", O::Unknown);
    row("scriptix 200 array", S::Scriptix, 200, "[]", O::Unknown);
    row("scriptix 200 html", S::Scriptix, 200, "<!doctype html><title>Portal</title>", O::Unknown,
        QStringLiteral("web page"), "text/html");
    row("scriptix 404 documented", S::Scriptix, 404,
        R"({"error":{"code":"not_found","message":"Session not found","details":null}})",
        O::AlreadyGone);
    row("scriptix 404 nginx", S::Scriptix, 404, nginx404, O::Failed,
        QStringLiteral("not as Scriptix does"), "text/html");
    row("scriptix 400 already removed", S::Scriptix, 400,
        R"({"error":"Session already marked as removed"})", O::AlreadyGone);
    row("scriptix 400 other", S::Scriptix, 400, R"({"error":"Bad request"})", O::Failed);
    row("scriptix 400 not already removed", S::Scriptix, 400,
        R"({"error":"Session is not already marked as removed"})", O::Failed);
    row("scriptix 429", S::Scriptix, 429,
        R"({"error":"rate_limit_exceeded","message":"Too many requests"})", O::Failed);
    row("scriptix 503", S::Scriptix, 503, R"({"error":"unavailable"})", O::Unknown);
    row("scriptix 401", S::Scriptix, 401, R"({"error":"invalid_token"})", O::Failed,
        QStringLiteral("API token"));
}

void TestDeleteVerdicts::judges()
{
    QFETCH(ServiceKind, service);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(DeleteOutcome, expected);
    QFETCH(QString, saying);

    Connector *connector = connectorFor(service);
    RemoteItem item;
    item.ref = refFor(service);
    const DeleteVerdict verdict
        = connector->judgeDeleteAnswer(item, answer(status, body, contentType));
    QCOMPARE(verdict.outcome, expected);
    // Gone carries no error; everything else says why, to a person.
    QCOMPARE(verdict.error.isError(), !verdict.isGone());
    if (!verdict.isGone())
        QVERIFY2(!verdict.error.userMessage.isEmpty(), qPrintable(verdict.error.summary()));
    else
        QVERIFY(!verdict.note.isEmpty() || expected == DeleteOutcome::Deleted);
    if (!saying.isEmpty())
        QVERIFY2(verdict.error.userMessage.contains(saying), qPrintable(verdict.error.userMessage));
    // No markup from a proxy's page reaches the sentence.
    QVERIFY2(!verdict.error.userMessage.contains(QStringLiteral("<")),
             qPrintable(verdict.error.userMessage));
}

void TestDeleteVerdicts::redirectNamesWhereItPointed()
{
    for (ServiceKind service : { ServiceKind::Invox, ServiceKind::Care360, ServiceKind::DocumentPro,
                                 ServiceKind::Scriptix }) {
        Connector *connector = connectorFor(service);
        RemoteItem item;
        item.ref = refFor(service);
        ApiResult result = answer(302, "<html>Moved</html>", "text/html");
        result.error = ApiError::redirected(
            302, QUrl(QStringLiteral("https://gateway.example/login?return=%2Fsecret&sid=abc")),
            result.requestId);
        const DeleteVerdict verdict = connector->judgeDeleteAnswer(item, result);
        QCOMPARE(verdict.outcome, DeleteOutcome::Failed);
        const QString message = verdict.error.userMessage;
        QVERIFY2(message.contains(QStringLiteral("redirected the delete to "
                                                 "https://gateway.example/login")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("nothing is known to be deleted")),
                 qPrintable(message));
        // The login page's query (a session, a return path) is not repeated.
        QVERIFY2(!message.contains(QStringLiteral("sid=")), qPrintable(message));
    }
}

void TestDeleteVerdicts::seeOtherIsUnknown()
{
    // A 303 may be how a service says "done, see there": not proof either way.
    Connector *connector = connectorFor(ServiceKind::DocumentPro);
    RemoteItem item;
    item.ref = refFor(ServiceKind::DocumentPro);
    ApiResult result = answer(303, {}, {});
    result.error = ApiError::redirected(
        303, QUrl(QStringLiteral("https://service.invalid/files/status")), result.requestId);
    const DeleteVerdict verdict = connector->judgeDeleteAnswer(item, result);
    QCOMPARE(verdict.outcome, DeleteOutcome::Unknown);
    QVERIFY2(verdict.error.userMessage.contains(QStringLiteral("https://service.invalid/files")),
             qPrintable(verdict.error.userMessage));
}

void TestDeleteVerdicts::lostConnectionsAreUnknownOrFailed()
{
    Connector *connector = connectorFor(ServiceKind::Scriptix);
    RemoteItem item;
    item.ref = refFor(ServiceKind::Scriptix);
    const auto verdictOn = [&](QNetworkReply::NetworkError error, int status = 0) {
        ApiResult result;
        result.status = status;
        result.error = ApiError::fromNetwork(error, QStringLiteral("detail"), "request-1");
        return connector->judgeDeleteAnswer(item, result).outcome;
    };
    // It may have been handled: unknown.
    QCOMPARE(verdictOn(QNetworkReply::TimeoutError), DeleteOutcome::Unknown);
    QCOMPARE(verdictOn(QNetworkReply::RemoteHostClosedError), DeleteOutcome::Unknown);
    QCOMPARE(verdictOn(QNetworkReply::RemoteHostClosedError, 200), DeleteOutcome::Unknown);
    // It never reached the service: failed.
    QCOMPARE(verdictOn(QNetworkReply::ConnectionRefusedError), DeleteOutcome::Failed);
    QCOMPARE(verdictOn(QNetworkReply::HostNotFoundError), DeleteOutcome::Failed);
    QCOMPARE(verdictOn(QNetworkReply::SslHandshakeFailedError), DeleteOutcome::Failed);
    // Refused before sending.
    ApiResult refused;
    refused.error = ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("bad id"));
    QCOMPARE(connector->judgeDeleteAnswer(item, refused).outcome, DeleteOutcome::Failed);
}

QTEST_GUILESS_MAIN(TestDeleteVerdicts)
#include "tst_delete_verdicts.moc"
