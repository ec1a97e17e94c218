#pragma once

#include "core/service.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>

class DataGenerator;

// DocumentPro, as docs/services.md §3 describes it. See ../README.md for the demo credentials.
//
// Documents belong to a user; API keys map to users (several keys may share one, e.g. the read-only
// key sees the demo user's documents). Parser results hang off documents ("parser_runs") and are
// the only thing the API can delete. Bulky result data is generated lazily from a per-result seed.
//
// Handlers are in documentproservice.cpp, generation and the fixtures in documentprogeneration.cpp,
// JSON (result data included) in documentprojson.cpp.
class DocumentProService : public SandboxService
{
public:
    DocumentProService();
    ~DocumentProService() override;

    QList<Route> routes() override;
    SandboxReply errorReply(int status, const QString &code, const QString &message) const override;
    QByteArray rateLimitKey(const SandboxRequest &request) const override;
    void populate(const DataSpec &spec) override;
    QJsonObject credentials() const override;
    QJsonObject summary() const override;
    QJsonObject detail() const override;

private:
    struct Account
    {
        QString userId;
        bool readOnly = false;
    };
    struct Template
    {
        QString id;
        QString title;
        QString type;
        QString description;
        QDateTime createdAt;
    };
    struct Document
    {
        QString documentId;
        QString userId;
        QString sourceName;
        QString fileName;
        QString fileExtension;
        int numPages = 1;
        QJsonObject metaTags;
        QDateTime createdAt;
        QList<int> results; // indexes into m_results, oldest run first
    };
    struct Result
    {
        QString requestId;
        int document = -1;
        int templateIndex = 0;
        QString status;
        QString humanVerification;
        bool missingFields = false;
        QDateTime createdAt;
        QDateTime updatedAt;
        quint32 seed = 0; // result_json_data is generated from this on demand
        bool deleted = false;
    };

    // Handlers.
    SandboxReply listDocuments(const SandboxRequest &request);
    SandboxReply getResult(const SandboxRequest &request);
    SandboxReply deleteResult(const SandboxRequest &request);
    SandboxReply listTemplates(const SandboxRequest &request);
    SandboxReply download(const SandboxRequest &request, const RouteParams &params);

    // The caller's account, or nullptr when the key is missing or unknown.
    const Account *authenticate(const SandboxRequest &request) const;
    SandboxReply unauthorized() const;
    // The live result with this id that `account` may see, or -1.
    int visibleResult(const Account &account, const QString &requestId) const;
    // The result a /files call names (?request_id=) when the caller's key may read it or, for a
    // delete, change it; otherwise the answer, checked in that order: key, id, permission, result.
    enum class ResultAccess { Read, Delete };
    std::optional<SandboxReply> findCallersResult(const SandboxRequest &request,
                                                  ResultAccess access, int *index) const;

    // Data generation.
    void addAccount(const QByteArray &key, const QString &userId, bool readOnly);
    int addDocument(DataGenerator &generator, const QString &userId, int templateIndex);
    int addResult(DataGenerator &generator, int document, int templateIndex, const QString &status,
                  const QString &requestId = {});
    void indexDocuments();

    // JSON as the API shows it.
    QJsonObject documentJson(const Document &document) const;
    QJsonObject resultJson(const Result &result) const;
    QJsonObject extractedData(const Result &result) const;
    QString presignedUrl(const Result &result) const;
    QByteArray signature(const QString &requestId) const;

    QHash<QByteArray, Account> m_accounts;
    QList<Template> m_templates;
    QList<Document> m_documents;
    QList<Result> m_results;
    QHash<QString, int> m_resultById;
    QHash<QString, QList<int>> m_documentsByUser; // newest first
    QStringList m_deletedResults;
    QByteArray m_signingKey;
};
