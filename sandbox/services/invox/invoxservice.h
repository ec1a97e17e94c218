#pragma once

#include "core/datagenerator.h"
#include "core/service.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>

// Invox Medical, as docs/services.md §1 describes it. See ../README.md for the demo credentials.
//
// Registered apps exchange appId:apiKey for 2-hour access tokens. Documents are created by asking
// for signed upload URLs (the file itself arrives later by PUT to that URL) and deleted by a DELETE
// with a JSON body. There is no list endpoint: credentials() names the pre-existing documents.
class InvoxService : public SandboxService
{
public:
    InvoxService();
    ~InvoxService() override;

    QList<Route> routes() override;
    SandboxReply errorReply(int status, const QString &code, const QString &message) const override;
    QByteArray rateLimitKey(const SandboxRequest &request) const override;
    void populate(const DataSpec &spec) override;
    QJsonObject credentials() const override;
    QJsonObject summary() const override;
    QJsonObject detail() const override;
    void expireTokens() override;

private:
    struct App
    {
        QString appId;
        QString apiKey;
        bool allowed = true; // false: "API Key not allowed to consume this service" (403)
    };
    struct Token
    {
        QString appId;
        qint64 expiresAtMs = 0; // real clock, ms since the Unix epoch
    };
    struct Document
    {
        QString documentId;
        QString sessionId;
        QString type; // "PDF" or "TXT"
        QString name;
        QString owner; // appId
        bool uploaded = false;
        qint64 size = 0;
        bool deleted = false;
    };

    // Handlers.
    SandboxReply issueToken(const SandboxRequest &request);
    SandboxReply createSignedUrls(const SandboxRequest &request);
    SandboxReply deleteDocument(const SandboxRequest &request);
    SandboxReply upload(const SandboxRequest &request, const RouteParams &params);

    // The checks every document endpoint shares: bearer token, app permission, API version,
    // JSON content type and body. The answer to send when one fails.
    std::optional<SandboxReply> admit(const SandboxRequest &request, const App **app,
                                      QJsonObject *body) const;
    const App *appById(const QString &appId) const;
    QString signedUrl(const Document &document, qint64 expires) const;
    QByteArray signature(const QString &documentId, qint64 expires) const;
    void addDocument(const Document &document);
    void pruneTokens();

    QList<App> m_apps;
    QList<Document> m_documents;
    QHash<QString, int> m_documentById;
    QStringList m_deleted;
    int m_uploads = 0;
    QList<int> m_demoDocuments; // pre-existing documents of the demo app, for credentials()
    QString m_otherAppDocumentId;
    // Tokens survive a data reset: they identify apps, which do not change.
    QHash<QByteArray, Token> m_tokens;
    QByteArray m_signingKey;
    // Ids of documents created through the API: seeded in populate(), so a replay of the same
    // requests after a reset hands out the same ids.
    DataGenerator m_ids { 1 };
};
