#pragma once

// What the DocumentProConnector suites share: an account on the sandbox's demo key (or another),
// and the demo account's documents and parser results as the sandbox holds them.

#include "connectors/documentpro/documentproconnector.h"
#include "sandboxconnectorsuite.h"

#include <QHash>

using Client = ConnectedAccount<Docket::DocumentProConnector>;

// The ids of a document's parser runs, in its order.
inline QStringList runIds(const QJsonObject &document)
{
    QStringList ids;
    for (const QJsonValue &run : document.value(QStringLiteral("parser_runs")).toArray())
        ids.append(run.toObject().value(QStringLiteral("request_id")).toString());
    return ids;
}

class DocumentProSuite : public SandboxConnectorSuite
{
protected:
    DocumentProSuite()
        : SandboxConnectorSuite(QStringLiteral("documentpro"))
    { }

    std::unique_ptr<Client> makeClient(const QString &key, const QUrl &baseUrl = {}) const
    {
        return openAccount<Docket::DocumentProConnector>(
            newAccount(Docket::ServiceKind::DocumentPro, baseUrl), Docket::Secret::apiKey, key);
    }
    QString credential(const QString &name) const
    {
        return m_sandbox.credentials(m_service).value(name).toString();
    }
    QString demoKey() const { return credential(QStringLiteral("apiKey")); }

    // The demo account's documents, newest first as the API lists them.
    QList<QJsonObject> demoDocuments() const
    {
        QList<QJsonObject> documents;
        for (const QJsonValue &value :
             m_sandbox.state(m_service).value(QStringLiteral("documents")).toArray()) {
            if (value.toObject().value(QStringLiteral("owner")).toString() == demoKey())
                documents.append(value.toObject());
        }
        std::sort(documents.begin(), documents.end(),
                  [](const QJsonObject &a, const QJsonObject &b) {
                      const QString left = a.value(QStringLiteral("created_at")).toString();
                      const QString right = b.value(QStringLiteral("created_at")).toString();
                      return left != right ? left > right
                                           : a.value(QStringLiteral("document_id")).toString()
                              < b.value(QStringLiteral("document_id")).toString();
                  });
        return documents;
    }
    // Every parser result, by its request id.
    QHash<QString, QJsonObject> results() const
    {
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &value :
             m_sandbox.state(m_service).value(QStringLiteral("parserResults")).toArray())
            byId.insert(value.toObject().value(QStringLiteral("request_id")).toString(),
                        value.toObject());
        return byId;
    }
    // The newest demo document with `atLeast` parser runs (empty if none).
    QJsonObject documentWithRuns(int atLeast) const
    {
        for (const QJsonObject &document : demoDocuments()) {
            if (runIds(document).size() >= atLeast)
                return document;
        }
        return {};
    }
    static Docket::NodeRef documentRef(const QJsonObject &document)
    {
        return { Docket::NodeKind::DocumentProDocument,
                 { document.value(QStringLiteral("document_id")).toString() } };
    }
    // The first parser result of `document`.
    static Docket::NodeRef firstResultOf(const QJsonObject &document)
    {
        return { Docket::NodeKind::DocumentProResult,
                 { document.value(QStringLiteral("document_id")).toString(),
                   runIds(document).first() } };
    }
    QStringList deletedResults() const
    {
        return m_sandbox.deletedIds(m_service, QStringLiteral("parserResults"));
    }
    // Every document of `client`'s account, page after page (empty when a page failed).
    static QList<Docket::RemoteItem> allDocuments(Client &client)
    {
        QList<Docket::RemoteItem> items;
        QVariant cursor;
        for (int page = 0; page < 10; ++page) {
            const ListResult result = awaitList(
                client.connector->list(Docket::NodeRef {}, Docket::PageRequest { cursor, 100 }));
            if (!result.finished || result.error.isError())
                return {};
            items += result.page.items;
            cursor = result.page.nextCursor;
            if (!cursor.isValid())
                break;
        }
        return items;
    }
};
