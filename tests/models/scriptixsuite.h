#pragma once

// What the ScriptixConnector suites share: an account on the sandbox's demo token (or another),
// and the demo token's sessions, documents and comments as the sandbox holds them.

#include "connectors/scriptix/scriptixconnector.h"
#include "sandboxconnectorsuite.h"

#include <functional>

// One account as the app builds it: settings, network, credential store, session, connector.
using Client = ConnectedAccount<Docket::ScriptixConnector>;

class ScriptixSuite : public SandboxConnectorSuite
{
protected:
    // The sandbox is started with its rate limit lifted so the suite's many short sessions do not
    // share one 60-a-minute window; 429s are injected where they are tested.
    ScriptixSuite()
        : SandboxConnectorSuite(QStringLiteral("scriptix"),
                                { QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") })
    { }

    std::unique_ptr<Client> makeClient(const QString &token,
                                       const QString &header = QStringLiteral("bearer"),
                                       const QUrl &baseUrl = {}) const
    {
        Docket::Account account = newAccount(Docket::ServiceKind::Scriptix, baseUrl);
        account.setSetting(QStringLiteral("header"), header);
        account.requestsPerMinute = 0; // the sandbox's limit is lifted too
        return openAccount<Docket::ScriptixConnector>(account, Docket::Secret::token, token);
    }
    QString demoToken() const
    {
        return m_sandbox.credentials(m_service).value(QStringLiteral("token")).toString();
    }
    // Every item of one kind in the sandbox (sessions, documents, comments) owned by the demo
    // token and not deleted, filtered further by `keep`.
    QList<QJsonObject> liveItems(const QString &kind,
                                 const std::function<bool(const QJsonObject &)> &keep = {}) const
    {
        QList<QJsonObject> items;
        for (const QJsonValue &value : m_sandbox.state(m_service).value(kind).toArray()) {
            const QJsonObject object = value.toObject();
            if (object.value(QStringLiteral("owner")).toString() != demoToken()
                || object.value(QStringLiteral("deleted")).toBool())
                continue;
            if (!keep || keep(object))
                items.append(object);
        }
        return items;
    }
    // The document of the demo token's first comment, which holds at least that one.
    Docket::NodeRef commentedDocument() const
    {
        const QJsonObject truth = liveItems(QStringLiteral("comments")).first();
        return { Docket::NodeKind::ScriptixDocument,
                 { truth.value(QStringLiteral("session_id")).toString(),
                   truth.value(QStringLiteral("document_id")).toString() } };
    }
    QStringList deleted(const QString &kind) const { return m_sandbox.deletedIds(m_service, kind); }
    // The sessions of `client`'s account, in one page (empty when it failed).
    static QList<Docket::RemoteItem> allSessions(Client &client)
    {
        const ListResult result = awaitList(
            client.connector->list(Docket::NodeRef {}, Docket::PageRequest { {}, 100 }));
        if (!result.finished || result.error.isError())
            return {};
        return result.page.items;
    }
};
