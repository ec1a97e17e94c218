#pragma once

// What the DeletionQueue suites share: a sandbox of 200 Scriptix sessions, signed-in clients on
// the demo token, deletion items named as Scriptix lists them, and queues over those clients with
// quick retries.

#include "auditlog.h"
#include "connectedaccount.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "deletionqueue.h"
#include "sandboxsuite.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QUuid>

#include <memory>

// A Scriptix account as the app builds it.
using Client = ConnectedAccount<Docket::ScriptixConnector>;

// Quick retries: the suite must not wait real back-offs.
inline Docket::RetryPolicy quickRetries(int maxAttempts = 5)
{
    Docket::RetryPolicy policy;
    policy.maxAttempts = maxAttempts;
    policy.firstBackoffMs = 20;
    policy.maxBackoffMs = 200;
    return policy;
}

class DeletionQueueSuite : public SandboxSuite
{
protected:
    // 200 sessions; the rate limit lifted, except where a test injects 429s.
    DeletionQueueSuite()
        : SandboxSuite({ QStringLiteral("--scale"), QStringLiteral("200"),
                         QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") })
    { }

    void prepareSuite() override { QVERIFY(m_dir.isValid()); }
    // A fresh trail in memory for each test that audits without reading a file back.
    void prepareTest() override
    {
        m_audit = std::make_unique<Docket::AuditLog>(QStringLiteral(":memory:"));
        QVERIFY(m_audit->open(nullptr));
    }

    // `accountId`: a fixed one for a test that plays two runs of Docket; else a new one.
    std::unique_ptr<Client> makeClient(const QString &accountId = {}) const
    {
        Docket::Account account;
        account.id
            = accountId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : accountId;
        account.service = Docket::ServiceKind::Scriptix;
        account.name = QStringLiteral("Queue test");
        account.baseUrl = m_sandbox.baseUrl(service);
        account.requestsPerMinute = 0;
        auto client = std::make_unique<Client>();
        openSignedIn(*client, account, token());
        return client;
    }
    QString token() const
    {
        return m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    }
    // The demo token's live sessions, by id.
    QStringList liveSessionIds() const
    {
        QStringList ids;
        for (const QJsonValue &value :
             m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
            const QJsonObject session = value.toObject();
            if (session.value(QStringLiteral("owner")).toString() == token()
                && !session.value(QStringLiteral("deleted")).toBool())
                ids.append(session.value(QStringLiteral("session_id")).toString());
        }
        return ids;
    }
    QStringList deletedSessionIds() const
    {
        return m_sandbox.deletedIds(service, QStringLiteral("sessions"));
    }
    int deletesSent() const
    {
        return m_sandbox.requestCount(service, QStringLiteral("session.delete"));
    }
    QList<Docket::DeletionItem> itemsFor(const QStringList &sessionIds,
                                         const QString &accountId) const
    {
        // Named as Scriptix lists them, as the tree and docket-cli record them: a resume checks
        // the name before it sends.
        QHash<QString, QString> names;
        for (const QJsonValue &value :
             m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
            const QJsonObject session = value.toObject();
            names.insert(session.value(QStringLiteral("session_id")).toString(),
                         session.value(QStringLiteral("filename")).toString());
        }
        QList<Docket::DeletionItem> items;
        for (const QString &id : sessionIds) {
            Docket::DeletionItem item;
            item.accountId = accountId;
            item.accountName = QStringLiteral("Scriptix — Queue test");
            item.service = Docket::ServiceKind::Scriptix;
            item.ref = Docket::NodeRef { Docket::NodeKind::ScriptixSession, { id } };
            item.name = names.value(id, QStringLiteral("Session %1").arg(id));
            items.append(item);
        }
        return items;
    }
    QList<Docket::DeletionItem> itemsFor(const QStringList &sessionIds, const Client &client) const
    {
        return itemsFor(sessionIds, client.session->account().id);
    }
    // A queue that sends through `client`'s connector (for its account only), auditing into
    // `audit` unless that is null.
    static std::unique_ptr<Docket::DeletionQueue> makeQueue(Client *client, Docket::AuditLog *audit)
    {
        const QString accountId = client->session->account().id;
        Docket::Connector *connector = client->connector.get();
        auto queue = std::make_unique<Docket::DeletionQueue>(
            [accountId, connector](const QString &id) {
                return id == accountId ? connector : nullptr;
            },
            audit);
        queue->setRetryPolicy(quickRetries());
        return queue;
    }
    // A fault on the next session deletes: `mode`, with `extra`'s settings.
    bool addFault(const QString &mode, const QJsonObject &extra = {}) const
    {
        QJsonObject rule = extra;
        rule.insert(QStringLiteral("service"), service);
        rule.insert(QStringLiteral("route"), QStringLiteral("session.delete"));
        rule.insert(QStringLiteral("mode"), mode);
        return m_sandbox.addFault(rule);
    }
    static bool waitIdle(Docket::DeletionQueue *queue, int timeoutMs = 20000)
    {
        return QTest::qWaitFor([queue] { return !queue->isBusy(); }, timeoutMs);
    }
    // Submits `items` (which get their ids) and waits until the queue has settled them all.
    static bool submitAndSettle(Docket::DeletionQueue *queue, QList<Docket::DeletionItem> &items,
                                int timeoutMs = 20000)
    {
        return queue->submit(items) != 0 && waitIdle(queue, timeoutMs);
    }

    // Deletes session `sessionId` alone through `queue`: the item as it ended.
    Docket::DeletionItem settleAlone(Docket::DeletionQueue *queue, const Client &client,
                                     const QString &sessionId) const
    {
        QList<Docket::DeletionItem> items = itemsFor({ sessionId }, client);
        if (!QTest::qVerify(submitAndSettle(queue, items), "submitAndSettle(queue, items)", "",
                            __FILE__, __LINE__))
            return {};
        return queue->items().first();
    }

    const QString service = QStringLiteral("scriptix");
    QTemporaryDir m_dir;
    std::unique_ptr<Docket::AuditLog> m_audit;
};
