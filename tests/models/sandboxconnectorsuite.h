#pragma once

// What the suites of a connector against docket-sandbox share: the sandbox with its fault rules
// and request log, an account opened as the app opens one, and the checks that every connector's
// answers must pass alike (a list that came whole, a refused sign-in, a list a fault broke).
// Header-only, like the rest of the test support: the suites that use it link docket_models.

#include "account.h"
#include "accountsession.h"
#include "connectedaccount.h"
#include "failurechecks.h"
#include "jobresults.h"
#include "sandboxsuite.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

#include <memory>

// A suite's test class derives from this one (through its service's) and adds its tests.
class SandboxConnectorSuite : public SandboxSuite
{
protected:
    explicit SandboxConnectorSuite(QString service, QStringList sandboxArguments = {})
        : SandboxSuite(std::move(sandboxArguments))
        , m_service(std::move(service))
    { }

    // A fault on the next requests to `route` of the suite's service: `mode`, with `extra`'s
    // settings ("status", "count", "latencyMs"...).
    bool addFault(const QString &route, const QString &mode, const QJsonObject &extra = {}) const
    {
        QJsonObject rule = extra;
        rule.insert(QStringLiteral("service"), m_service);
        rule.insert(QStringLiteral("route"), route);
        rule.insert(QStringLiteral("mode"), mode);
        return m_sandbox.addFault(rule);
    }
    // The next `count` requests to `route` answered with `status`.
    bool addStatusFault(const QString &route, int status, int count = 1) const
    {
        return addFault(
            route, QStringLiteral("status"),
            { { QStringLiteral("status"), status }, { QStringLiteral("count"), count } });
    }

    QJsonArray requestLog() const
    {
        return m_sandbox.requestLog(m_service).value(QStringLiteral("requests")).toArray();
    }
    // The newest request the sandbox logged on `route` (on any route when empty; empty if none).
    QJsonObject lastLogEntry(const QString &route = {}) const
    {
        const QJsonArray requests = requestLog();
        for (qsizetype i = requests.size() - 1; i >= 0; --i) {
            const QJsonObject entry = requests.at(i).toObject();
            if (route.isEmpty() || entry.value(QStringLiteral("route")) == route)
                return entry;
        }
        return {};
    }

    // A new account of `service` on `baseUrl`, or on the sandbox's when that is empty.
    Docket::Account newAccount(Docket::ServiceKind service, const QUrl &baseUrl) const
    {
        Docket::Account account;
        account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        account.service = service;
        account.name = QStringLiteral("Test");
        account.baseUrl = baseUrl.isEmpty() ? m_sandbox.baseUrl(m_service) : baseUrl;
        return account;
    }

    // Two 429s on the top-level list: the session waits them out (neither service sends
    // Retry-After: it backs off 2 s, then 4 s) and the third request brings all `rows`.
    template<typename ConnectorType>
    void verifyRateLimitIsWaitedOut(ConnectedAccount<ConnectorType> &client, const QString &route,
                                    int rows)
    {
        QVERIFY(addStatusFault(route, 429, 2));
        const ListResult result
            = awaitList(client.connector->list(Docket::NodeRef {}, Docket::PageRequest {}), 15000);
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QCOMPARE(result.page.items.size(), rows);
        QCOMPARE(client.session->rateLimitWaits(), 2);
        QCOMPARE(m_sandbox.requestCount(m_service, route), 3);
    }

    // The top-level list with a `mode` fault on its `route`, for the caller to check how it
    // ended (an empty result when the sandbox refused the fault).
    template<typename ConnectorType>
    ListResult listTopLevelWithFault(ConnectedAccount<ConnectorType> &client, const QString &route,
                                     const QString &mode, const QJsonObject &extra = {})
    {
        if (!QTest::qVerify(addFault(route, mode, extra), "addFault(route, mode, extra)", "",
                            __FILE__, __LINE__))
            return {};
        return awaitList(client.connector->list(Docket::NodeRef {}, Docket::PageRequest {}));
    }
    template<typename ConnectorType>
    ListResult listTopLevelWithStatus(ConnectedAccount<ConnectorType> &client, const QString &route,
                                      int status)
    {
        return listTopLevelWithFault(
            client, route, QStringLiteral("status"),
            { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } });
    }

    const QString m_service;
};

// Opens `account` with a connector of its own, keeping `secret` (unless empty) as the account's
// `secretName` and waiting until the credential store has it.
template<typename ConnectorType>
std::unique_ptr<ConnectedAccount<ConnectorType>>
openAccount(const Docket::Account &account, const QString &secretName, const QString &secret)
{
    auto client = std::make_unique<ConnectedAccount<ConnectorType>>();
    client->session
        = std::make_unique<Docket::AccountSession>(account, &client->network, &client->store);
    client->connector = std::make_unique<ConnectorType>(client->session.get());
    if (!secret.isEmpty()) {
        bool stored = false;
        client->session->storeSecret(secretName, secret, client->session.get(),
                                     [&stored](const QString &) { stored = true; });
        if (!QTest::qWaitFor([&stored] { return stored; }, 5000))
            qWarning("the credential store did not confirm the %s", qPrintable(secretName));
    }
    return client;
}

// The rows of the error statuses every list must fail clearly on.
inline void addErrorStatusRows()
{
    QTest::addColumn<int>("status");
    for (int status : { 400, 401, 403, 404, 500, 503 })
        QTest::newRow(qPrintable(QString::number(status))) << status;
}

// The "id" column and the ids that try to leave their place in a URL; a suite adds its own.
inline void addHostileIdRows()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("dot-dot slash") << QStringLiteral("../x");
    QTest::newRow("query") << QStringLiteral("a?b=c");
    QTest::newRow("fragment") << QStringLiteral("#");
    QTest::newRow("encoded slash") << QStringLiteral("%2F");
}

// A list that answered in full: no error, no further page, its total its rows.
inline void verifyWholeList(const ListResult &result)
{
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QVERIFY(!result.page.hasMore());
    QCOMPARE(result.page.total, result.page.items.size());
}

// An HTTP error the user is told about: `status`, in words.
inline void verifyHttpError(const ListResult &result, int status)
{
    verifyFailed(result, Docket::ApiError::Kind::Http, status);
    QVERIFY(!result.error.userMessage.isEmpty());
}

// A sign-in the service refused (401): said in words that name the `credential` asked for, and
// never quoting the `wrong` one that was sent.
inline void verifySignInRefused(const SimpleResult &result, const QString &credential,
                                const QString &wrong)
{
    verifyFailed(result, Docket::ApiError::Kind::Http, 401);
    QVERIFY2(result.error.userMessage.contains(credential), qPrintable(result.error.userMessage));
    QVERIFY(!result.error.summary().contains(wrong));
    QVERIFY(!result.error.userMessage.contains(wrong));
}

// A list whose answer was cut short. Qt usually reports the early close (Connection), or the
// transfer timeout fires; but sometimes QNetworkReply ends without an error and half a body, which
// then cannot parse. Never a partial list.
inline void verifyCutShort(const ListResult &result)
{
    QVERIFY(result.finished);
    QVERIFY2(result.error.kind == Docket::ApiError::Kind::Connection
                 || result.error.kind == Docket::ApiError::Kind::Timeout
                 || result.error.kind == Docket::ApiError::Kind::MalformedResponse,
             qPrintable(result.error.summary()));
    QVERIFY(result.page.items.isEmpty());
}

// Pages through the top level `pageSize` rows at a time, each page answered and saying `total`
// rows in all: the rows in order into `rows`, the pages asked for (at most `maxPages`) into
// `pages`.
template<typename ConnectorType>
void pageThroughTopLevel(ConnectedAccount<ConnectorType> &client, int pageSize, int total,
                         int maxPages, QList<Docket::RemoteItem> *rows, int *pages)
{
    QVariant cursor;
    do {
        const ListResult result = awaitList(
            client.connector->list(Docket::NodeRef {}, Docket::PageRequest { cursor, pageSize }));
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QCOMPARE(result.page.total, total);
        QVERIFY(result.page.items.size() <= pageSize);
        *rows += result.page.items;
        cursor = result.page.nextCursor;
        QVERIFY(++*pages <= maxPages);
    } while (cursor.isValid());
}
