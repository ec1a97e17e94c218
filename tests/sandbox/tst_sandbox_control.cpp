// The sandbox's own surface: start-up, addresses, the control API, determinism and --scale.

#include "sandboxprocess.h"
#include "testhttp.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace {

const QStringList serviceIds = { QStringLiteral("invox"), QStringLiteral("care360"),
                                 QStringLiteral("documentpro"), QStringLiteral("scriptix") };

QUrl scriptixSessions(const SandboxProcess &sandbox, const QUrlQuery &query = {})
{
    return urlWith(sandbox.baseUrl(QStringLiteral("scriptix")),
                   { QStringLiteral("speech-to-text"), QStringLiteral("session") }, query);
}

HeaderPairs scriptixAuth(const SandboxProcess &sandbox)
{
    return { { "Authorization",
               "Bearer "
                   + sandbox.credentials(QStringLiteral("scriptix"))
                         .value(QStringLiteral("token"))
                         .toString()
                         .toUtf8() } };
}

} // namespace

class TestSandboxControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString())); }
    void init() { QVERIFY(m_sandbox.reset()); }

    void addressesNameEveryServiceOnItsOwnLoopbackPort();
    void bannerPrintsAddressesAndCredentials();
    void indexListsTheControlRoutes();
    void stateCountsRequestsPerRoute();
    void requestLogKeepsEncodedPaths();
    void unknownRoutesAnswerInTheVendorsShape();
    void resetRestoresDeletedData();
    void controlRejectsBadRequests();
    void sameSeedGivesSameData();
    void takenPortIsAClearError();
    void scaleGeneratesLargeSets();

private:
    SandboxProcess m_sandbox;
    TestHttp m_http;
};

void TestSandboxControl::addressesNameEveryServiceOnItsOwnLoopbackPort()
{
    QSet<int> ports;
    for (const QString &id : serviceIds) {
        const QUrl base = m_sandbox.baseUrl(id);
        QVERIFY2(base.isValid(), qPrintable(id));
        QCOMPARE(base.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(base.scheme(), QStringLiteral("http"));
        ports.insert(base.port());
        QVERIFY2(!m_sandbox.credentials(id).isEmpty(), qPrintable(id));
    }
    QCOMPARE(ports.size(), 4);
    // Scriptix's base URL carries the vendor's /api/v3, so clients append the documented paths.
    QCOMPARE(m_sandbox.baseUrl(QStringLiteral("scriptix")).path(), QStringLiteral("/api/v3"));
    QCOMPARE(m_sandbox.controlUrl().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(!ports.contains(m_sandbox.controlUrl().port()));
}

void TestSandboxControl::bannerPrintsAddressesAndCredentials()
{
    QTRY_VERIFY(m_sandbox.standardOutput().contains(QStringLiteral("Control API")));
    const QString banner = m_sandbox.standardOutput();
    for (const QString &id : serviceIds)
        QVERIFY2(banner.contains(m_sandbox.baseUrl(id).toString()), qPrintable(id));
    QVERIFY(banner.contains(m_sandbox.credentials(QStringLiteral("care360"))
                                .value(QStringLiteral("otpCode"))
                                .toString()));
    QVERIFY(banner.contains(m_sandbox.credentials(QStringLiteral("scriptix"))
                                .value(QStringLiteral("token"))
                                .toString()));
}

void TestSandboxControl::indexListsTheControlRoutes()
{
    const TestReply reply = m_http.get(m_sandbox.controlUrl());
    QCOMPARE(reply.status, 200);
    const QJsonArray routes = reply.json().value(QStringLiteral("routes")).toArray();
    QVERIFY(routes.size() >= 8);
    QVERIFY(routes.at(0).toString().startsWith(QStringLiteral("GET /state")));
}

void TestSandboxControl::stateCountsRequestsPerRoute()
{
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_http.get(scriptixSessions(m_sandbox), scriptixAuth(m_sandbox)).status, 200);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list")), 3);
    const QJsonObject state = m_sandbox.state();
    const QJsonObject services = state.value(QStringLiteral("services")).toObject();
    for (const QString &id : serviceIds) {
        QVERIFY2(services.value(id).toObject().contains(QStringLiteral("counts")), qPrintable(id));
        QVERIFY2(services.value(id).toObject().contains(QStringLiteral("deleted")), qPrintable(id));
    }
    QCOMPARE(state.value(QStringLiteral("rateLimits"))
                 .toObject()
                 .value(QStringLiteral("scriptix"))
                 .toObject()
                 .value(QStringLiteral("perMinute"))
                 .toInt(),
             60);
}

void TestSandboxControl::requestLogKeepsEncodedPaths()
{
    const QString hostile = QStringLiteral("../x?y=z#w");
    const TestReply reply = m_http.get(
        urlWith(m_sandbox.baseUrl(QStringLiteral("scriptix")),
                { QStringLiteral("speech-to-text"), QStringLiteral("session"), hostile }),
        scriptixAuth(m_sandbox));
    QCOMPARE(reply.status, 404);
    const QJsonArray log = m_sandbox.requestLog(QStringLiteral("scriptix"))
                               .value(QStringLiteral("requests"))
                               .toArray();
    QVERIFY(!log.isEmpty());
    const QJsonObject last = log.last().toObject();
    QCOMPARE(last.value(QStringLiteral("route")).toString(), QStringLiteral("session.get"));
    QCOMPARE(last.value(QStringLiteral("path")).toString(),
             QStringLiteral("/api/v3/speech-to-text/session/..%2Fx%3Fy%3Dz%23w"));
    QCOMPARE(last.value(QStringLiteral("status")).toInt(), 404);
    QVERIFY(!last.value(QStringLiteral("requestId")).toString().isEmpty());
}

void TestSandboxControl::unknownRoutesAnswerInTheVendorsShape()
{
    const TestReply missing = m_http.get(
        urlWith(m_sandbox.baseUrl(QStringLiteral("documentpro")), { QStringLiteral("nope") }),
        { { "x-api-key", "whatever" } });
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json().value(QStringLiteral("success")).toBool(true), false);
    // The base path is part of the address: Scriptix without /api/v3 is not Scriptix.
    QUrl withoutBase = m_sandbox.baseUrl(QStringLiteral("scriptix"));
    withoutBase.setPath(QStringLiteral("/speech-to-text/session"));
    QCOMPARE(m_http.get(withoutBase, scriptixAuth(m_sandbox)).status, 404);
    // A known path with the wrong method is 405, not 404.
    QCOMPARE(m_http.send("PATCH", scriptixSessions(m_sandbox), scriptixAuth(m_sandbox)).status,
             405);
}

void TestSandboxControl::resetRestoresDeletedData()
{
    const TestReply list = m_http.get(scriptixSessions(m_sandbox), scriptixAuth(m_sandbox));
    const int total = list.json().value(QStringLiteral("total_results")).toInt();
    QVERIFY(total > 0);
    const QString id = firstResultField(list.json(), QStringLiteral("session_id"));
    const TestReply deleted
        = m_http.del(urlWith(m_sandbox.baseUrl(QStringLiteral("scriptix")),
                             { QStringLiteral("speech-to-text"), QStringLiteral("session"), id }),
                     scriptixAuth(m_sandbox));
    QVERIFY(deleted.status == 200 || deleted.status == 204);
    QCOMPARE(m_http.get(scriptixSessions(m_sandbox), scriptixAuth(m_sandbox))
                 .json()
                 .value(QStringLiteral("total_results"))
                 .toInt(),
             total - 1);
    QVERIFY(m_sandbox.reset());
    QCOMPARE(m_http.get(scriptixSessions(m_sandbox), scriptixAuth(m_sandbox))
                 .json()
                 .value(QStringLiteral("total_results"))
                 .toInt(),
             total);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list")), 1);
}

void TestSandboxControl::controlRejectsBadRequests()
{
    QCOMPARE(m_http.get(m_sandbox.controlUrl(QStringLiteral("/nope"))).status, 404);
    QCOMPARE(m_http.get(m_sandbox.controlUrl(QStringLiteral("/state/nosuch"))).status, 404);
    QCOMPARE(m_http
                 .sendJson("POST", m_sandbox.controlUrl(QStringLiteral("/expire-tokens")),
                           { { QStringLiteral("service"), QStringLiteral("nosuch") } })
                 .status,
             400);
    QCOMPARE(m_http
                 .sendJson("POST", m_sandbox.controlUrl(QStringLiteral("/rate-limit")),
                           { { QStringLiteral("service"), QStringLiteral("scriptix") },
                             { QStringLiteral("perMinute"), -3 } })
                 .status,
             400);
    QCOMPARE(m_http.send("PUT", m_sandbox.controlUrl(QStringLiteral("/state"))).status, 405);
}

void TestSandboxControl::sameSeedGivesSameData()
{
    SandboxProcess again({ QStringLiteral("--seed"), QStringLiteral("1") });
    SandboxProcess other({ QStringLiteral("--seed"), QStringLiteral("2") });
    QVERIFY2(again.start(), qPrintable(again.errorString()));
    QVERIFY2(other.start(), qPrintable(other.errorString()));
    // URLs handed out (downloads, uploads) name each process's own port: compare without it.
    const auto portless = [](const SandboxProcess &sandbox, const QString &id) {
        QString text
            = QString::fromUtf8(QJsonDocument(sandbox.state(id)).toJson(QJsonDocument::Compact));
        return text.replace(QRegularExpression(QStringLiteral("127\\.0\\.0\\.1:\\d+")),
                            QStringLiteral("127.0.0.1:PORT"));
    };
    for (const QString &id : serviceIds) {
        const QString mine = portless(m_sandbox, id);
        QVERIFY2(mine.size() > 100, qPrintable(id));
        QVERIFY2(mine == portless(again, id), qPrintable(id));
    }
    QVERIFY(m_sandbox.state(QStringLiteral("scriptix")) != other.state(QStringLiteral("scriptix")));
}

void TestSandboxControl::takenPortIsAClearError()
{
    QProcess second;
    second.start(QStringLiteral(DOCKET_SANDBOX_PATH),
                 { QStringLiteral("--port"),
                   QString::number(m_sandbox.baseUrl(QStringLiteral("invox")).port()) });
    QVERIFY(second.waitForFinished(20000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(
        QString::fromUtf8(second.readAllStandardError()).contains(QStringLiteral("cannot listen")));
}

void TestSandboxControl::scaleGeneratesLargeSets()
{
    SandboxProcess large({ QStringLiteral("--scale"), QStringLiteral("100000") });
    QVERIFY2(large.start(), qPrintable(large.errorString()));
    QUrlQuery lastPage;
    lastPage.addQueryItem(QStringLiteral("offset"), QStringLiteral("99990"));
    lastPage.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    const TestReply reply = m_http.get(scriptixSessions(large, lastPage), scriptixAuth(large));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("total_results")).toInt(), 100000);
    QCOMPARE(reply.json().value(QStringLiteral("count")).toInt(), 10);
    const int files = large.count(QStringLiteral("care360"), QStringLiteral("files"));
    QVERIFY2(files >= 50000, qPrintable(QString::number(files)));
}

QTEST_GUILESS_MAIN(TestSandboxControl)
#include "tst_sandbox_control.moc"
