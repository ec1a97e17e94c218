#include "invoxservice.h"

#include "core/servicesupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QUrl>

#include <algorithm>

using Sandbox::latin1;
using Sandbox::nowMs;

namespace {

const char demoAppId[] = "docket-demo-app";
const char demoApiKey[] = "invox-demo-key-7f3a9c";
const char otherAppId[] = "docket-other-app";
const char otherApiKey[] = "invox-other-key-2b8e41";
const char restrictedAppId[] = "docket-restricted-app";
const char restrictedApiKey[] = "invox-restricted-key-5d07f2";
const char tokenPath[] = "/v1/auth/token";
const char mockDocumentId[] = "mock-document-id"; // the seed page's payload example

const qint64 tokenLifetimeSeconds = 2 * 60 * 60; // [doc] tokens live 2 hours
const qint64 signedUrlLifetimeSeconds = 15 * 60;
const int tokenPruneThreshold = 10000;

// 401 and 403 carry {"message"}.
SandboxReply messageReply(int status, const QString &message)
{
    return SandboxReply::json(status, QJsonObject { { QStringLiteral("message"), message } });
}

// 400 and 404 carry {"messsage", "errorType"}: the triple "s" is the vendor's own spelling.
SandboxReply typedError(int status, const QString &errorType, const QString &message)
{
    return SandboxReply::json(
        status,
        { { QStringLiteral("messsage"), message }, { QStringLiteral("errorType"), errorType } });
}

SandboxReply invalidBody(const QString &message)
{
    return typedError(400, QStringLiteral("invalidRequestBody"), message);
}

SandboxReply inconsistentInput(const QString &message)
{
    return typedError(400, QStringLiteral("inconsistentInput"), message);
}

SandboxReply documentNotFound()
{
    return typedError(404, QStringLiteral("documentNotFound"),
                      QStringLiteral("Document not found"));
}

// The field's text when it is a string, else empty: callers treat empty, missing and other types
// alike.
QString nonEmptyString(const QJsonObject &body, const QString &key)
{
    const QJsonValue value = body.value(key);
    return value.isString() ? value.toString() : QString();
}

const QStringList &apiVersions()
{
    static const QStringList versions
        = { QStringLiteral("2025-10-01"), QStringLiteral("2025-11-01"),
            QStringLiteral("2026-03-01") };
    return versions;
}

QByteArray mimeTypeFor(const QString &documentType)
{
    return documentType == QLatin1String("PDF") ? "application/pdf" : "text/plain";
}

// A plausible file name for a pre-existing document.
QString documentName(DataGenerator &generator, const QString &type)
{
    static const QStringList pdfNames
        = { QStringLiteral("consultation-note"), QStringLiteral("discharge-summary"),
            QStringLiteral("referral-letter"), QStringLiteral("lab-results"),
            QStringLiteral("care-plan") };
    static const QStringList txtNames
        = { QStringLiteral("transcript"), QStringLiteral("dictation"),
            QStringLiteral("clinical-summary"), QStringLiteral("follow-up-notes") };
    const QString stem = generator.pick(type == QLatin1String("PDF") ? pdfNames : txtNames);
    const QString date = generator.recentDateTime(365).date().toString(Qt::ISODate);
    return stem + u'-' + date
        + (type == QLatin1String("PDF") ? QStringLiteral(".pdf") : QStringLiteral(".txt"));
}

} // namespace

InvoxService::InvoxService()
    : SandboxService(QStringLiteral("invox"), QStringLiteral("Invox Medical"))
{
    // Signed URLs only need to be unforgeable by clients; a per-process key does that.
    m_signingKey = QByteArray::number(QRandomGenerator::global()->generate64(), 16)
        + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
}

InvoxService::~InvoxService() = default;

QList<Route> InvoxService::routes()
{
    return {
        Route::bind("POST", latin1(tokenPath), QStringLiteral("auth.token"), this,
                    &InvoxService::issueToken),
        Route::bind("POST", QStringLiteral("/v1/generate-signed-urls-for-documents"),
                    QStringLiteral("signedUrls.create"), this, &InvoxService::createSignedUrls),
        Route::bind("DELETE", QStringLiteral("/v1/delete-document"),
                    QStringLiteral("document.delete"), this, &InvoxService::deleteDocument),
        // Where signedUrl points: authorised by its signature, not by a token.
        Route::bind("PUT", QStringLiteral("/uploads/{documentId}"), QStringLiteral("upload.put"),
                    this, &InvoxService::upload),
    };
}

SandboxReply InvoxService::errorReply(int status, const QString &code, const QString &message) const
{
    if (status == 400 || status == 404)
        return typedError(status, code, message);
    return messageReply(status, message);
}

QByteArray InvoxService::rateLimitKey(const SandboxRequest &request) const
{
    const QByteArray bearer = request.bearerToken();
    if (!bearer.isEmpty())
        return bearer;
    // The token route presents the Basic credential instead.
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.toLower().startsWith("basic "))
        return authorization.mid(6).trimmed();
    return {};
}

// --- Tokens -------------------------------------------------------------------------------------

const InvoxService::App *InvoxService::appById(const QString &appId) const
{
    for (const App &app : m_apps) {
        if (app.appId == appId)
            return &app;
    }
    return nullptr;
}

SandboxReply InvoxService::issueToken(const SandboxRequest &request)
{
    const QByteArray authorization = request.header("authorization").trimmed();
    QString appId;
    QString apiKey;
    if (authorization.toLower().startsWith("basic ")) {
        const auto decoded = QByteArray::fromBase64Encoding(
            authorization.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
        if (colon > 0) {
            appId = QString::fromUtf8(decoded.decoded.left(colon));
            apiKey = QString::fromUtf8(decoded.decoded.mid(colon + 1));
        }
    }
    const App *app = appById(appId);
    if (!app || app->apiKey != apiKey)
        return messageReply(401, QStringLiteral("Invalid App Id or API Key"));

    pruneTokens();
    const QByteArray token = "ivx_"
        + QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0')
        + QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0');
    m_tokens.insert(token, Token { app->appId, nowMs() + tokenLifetimeSeconds * 1000 });
    return SandboxReply::json(200,
                              { { QStringLiteral("accessToken"), QString::fromLatin1(token) },
                                { QStringLiteral("expiresIn"), int(tokenLifetimeSeconds) } });
}

void InvoxService::pruneTokens()
{
    if (m_tokens.size() < tokenPruneThreshold)
        return;
    const qint64 now = nowMs();
    for (auto it = m_tokens.begin(); it != m_tokens.end();)
        it = it->expiresAtMs <= now ? m_tokens.erase(it) : std::next(it);
}

void InvoxService::expireTokens()
{
    const qint64 past = nowMs() - 1;
    for (Token &token : m_tokens)
        token.expiresAtMs = std::min(token.expiresAtMs, past);
}

// --- Shared request checks ----------------------------------------------------------------------

std::optional<SandboxReply> InvoxService::admit(const SandboxRequest &request, const App **app,
                                                QJsonObject *body) const
{
    const QByteArray bearer = request.bearerToken();
    const auto token = m_tokens.constFind(bearer);
    if (bearer.isEmpty() || token == m_tokens.cend())
        return messageReply(401, QStringLiteral("Unauthorized: missing or invalid access token"));
    if (token->expiresAtMs <= nowMs())
        return messageReply(401, QStringLiteral("Unauthorized: access token expired"));
    *app = appById(token->appId);
    if (!*app || !(*app)->allowed)
        return messageReply(403,
                            QStringLiteral("This API Key is not allowed to consume this service"));
    if (request.hasHeader("x-invox-medical-api-version")
        && !apiVersions().contains(
            QString::fromLatin1(request.header("x-invox-medical-api-version").trimmed()))) {
        return typedError(400, QStringLiteral("invalidApiVersionForEndpoint"),
                          QStringLiteral("Unsupported X-Invox-Medical-Api-Version; use one of ")
                              + apiVersions().join(QStringLiteral(", ")));
    }
    if (request.mimeType() != "application/json")
        return invalidBody(QStringLiteral("Content-Type must be application/json"));
    bool ok = false;
    *body = request.jsonBody(&ok);
    if (!ok)
        return invalidBody(QStringLiteral("The request body must be a JSON object"));
    return std::nullopt;
}

// --- Documents ----------------------------------------------------------------------------------

SandboxReply InvoxService::createSignedUrls(const SandboxRequest &request)
{
    const App *app = nullptr;
    QJsonObject body;
    if (auto failure = admit(request, &app, &body))
        return *failure;

    const QString session = nonEmptyString(body, QStringLiteral("consultationSessionId"));
    if (session.isEmpty())
        return invalidBody(QStringLiteral("consultationSessionId is required"));
    const QJsonValue documents = body.value(QStringLiteral("documents"));
    if (!documents.isArray())
        return invalidBody(QStringLiteral("documents must be an array"));
    const QJsonArray requested = documents.toArray();
    if (requested.isEmpty())
        return inconsistentInput(QStringLiteral("documents must contain at least one document"));

    // Validate everything before creating anything, so a bad entry leaves no half-made batch.
    for (const QJsonValue &entry : requested) {
        const QJsonObject object = entry.toObject();
        const QJsonValue type = object.value(QStringLiteral("documentType"));
        const QJsonValue name = object.value(QStringLiteral("documentName"));
        if (!entry.isObject() || !type.isString() || !name.isString() || name.toString().isEmpty())
            return invalidBody(
                QStringLiteral("each document needs a documentType and a documentName"));
        if (type.toString() != QLatin1String("PDF") && type.toString() != QLatin1String("TXT"))
            return inconsistentInput(QStringLiteral("documentType must be PDF or TXT"));
    }

    const qint64 expires = nowMs() / 1000 + signedUrlLifetimeSeconds;
    QJsonArray created;
    for (const QJsonValue &entry : requested) {
        const QJsonObject object = entry.toObject();
        Document document;
        do {
            document.documentId = m_ids.uuid();
        } while (m_documentById.contains(document.documentId));
        document.sessionId = session;
        document.type = object.value(QStringLiteral("documentType")).toString();
        document.name = object.value(QStringLiteral("documentName")).toString();
        document.owner = app->appId;
        addDocument(document);
        created.append(
            QJsonObject { { QStringLiteral("documentId"), document.documentId },
                          { QStringLiteral("documentType"), document.type },
                          { QStringLiteral("documentName"), document.name },
                          { QStringLiteral("signedUrl"), signedUrl(document, expires) } });
    }
    return SandboxReply::json(200, QJsonObject { { QStringLiteral("documents"), created } });
}

SandboxReply InvoxService::deleteDocument(const SandboxRequest &request)
{
    const App *app = nullptr;
    QJsonObject body;
    if (auto failure = admit(request, &app, &body))
        return *failure;

    const QString documentId = nonEmptyString(body, QStringLiteral("documentId"));
    if (documentId.isEmpty())
        return invalidBody(QStringLiteral("documentId is required"));
    const int index = m_documentById.value(documentId, -1);
    // Unknown, already deleted and another app's all look the same.
    if (index < 0 || m_documents.at(index).deleted || m_documents.at(index).owner != app->appId)
        return documentNotFound();

    m_documents[index].deleted = true;
    m_deleted.append(documentId);
    return SandboxReply::json(
        200,
        { { QStringLiteral("message"), QStringLiteral("Document deleted successfully") },
          { QStringLiteral("documentId"), documentId } });
}

SandboxReply InvoxService::upload(const SandboxRequest &request, const RouteParams &params)
{
    // Answers here are plain text, like the object store a real signed URL points at.
    const QString documentId = params.value(QStringLiteral("documentId"));
    bool ok = false;
    const qint64 expires = request.queryValue(QStringLiteral("expires")).toLongLong(&ok);
    if (!ok
        || request.queryValue(QStringLiteral("signature")).toLatin1()
            != signature(documentId, expires))
        return SandboxReply::raw(403, "Signature does not match", "text/plain");
    if (expires < nowMs() / 1000)
        return SandboxReply::raw(403, "Signed URL expired", "text/plain");
    const int index = m_documentById.value(documentId, -1);
    if (index < 0 || m_documents.at(index).deleted)
        return SandboxReply::raw(404, "Document not found", "text/plain");
    Document &document = m_documents[index];
    const QByteArray expected = mimeTypeFor(document.type);
    if (request.mimeType() != expected)
        return SandboxReply::raw(400, "Content-Type must be " + expected, "text/plain");

    document.uploaded = true;
    document.size = request.body.size();
    ++m_uploads;
    return SandboxReply::empty(200);
}

QByteArray InvoxService::signature(const QString &documentId, qint64 expires) const
{
    return Sandbox::hmacSha256Hex(documentId.toUtf8() + '\n' + QByteArray::number(expires),
                                  m_signingKey);
}

QString InvoxService::signedUrl(const Document &document, qint64 expires) const
{
    return publicUrl(QStringLiteral("/uploads/")
                     + QString::fromLatin1(QUrl::toPercentEncoding(document.documentId))
                     + QStringLiteral("?expires=") + QString::number(expires)
                     + QStringLiteral("&signature=")
                     + QString::fromLatin1(signature(document.documentId, expires)));
}

// --- Data ---------------------------------------------------------------------------------------

void InvoxService::addDocument(const Document &document)
{
    m_documentById.insert(document.documentId, int(m_documents.size()));
    m_documents.append(document);
}

void InvoxService::populate(const DataSpec &spec)
{
    m_apps = { { latin1(demoAppId), latin1(demoApiKey), true },
               { latin1(otherAppId), latin1(otherApiKey), true },
               { latin1(restrictedAppId), latin1(restrictedApiKey), false } };
    m_documents.clear();
    m_documentById.clear();
    m_deleted.clear();
    m_demoDocuments.clear();
    m_uploads = 0;
    m_ids = DataGenerator(spec.seed ^ 0x1d0c5eedu);

    // Salted so this service's ids do not echo another service's that use the same seed.
    DataGenerator generator(spec.seed ^ 0x1a7c0e5u);
    const auto preExisting = [&](const QString &owner, const QString &session, const QString &type,
                                 const QString &fixedId = {}) {
        Document document;
        document.documentId = fixedId.isEmpty() ? generator.uuid() : fixedId;
        document.sessionId = session;
        document.type = type;
        document.name = documentName(generator, type);
        document.owner = owner;
        document.uploaded = true;
        document.size = type == QLatin1String("PDF") ? generator.between(20000, 900000)
                                                     : generator.between(400, 20000);
        addDocument(document);
        return int(m_documents.size()) - 1;
    };
    const QString pdf = QStringLiteral("PDF");
    const QString txt = QStringLiteral("TXT");

    if (spec.scale <= 0) {
        // Two consultation sessions: three documents (one of them the seed page's example id),
        // then two.
        const QString first = generator.uuid();
        const QString second = generator.uuid();
        m_demoDocuments = { preExisting(latin1(demoAppId), first, pdf, latin1(mockDocumentId)),
                            preExisting(latin1(demoAppId), first, txt),
                            preExisting(latin1(demoAppId), first, pdf),
                            preExisting(latin1(demoAppId), second, pdf),
                            preExisting(latin1(demoAppId), second, txt) };
    } else {
        const int count = std::max(1, spec.scale / 10);
        m_documents.reserve(count + 1);
        m_demoDocuments.reserve(count);
        QString session;
        int leftInSession = 0;
        for (int i = 0; i < count; ++i) {
            if (leftInSession == 0) {
                session = generator.uuid();
                leftInSession = generator.between(1, 5);
            }
            --leftInSession;
            const QString type = generator.chance(0.6) ? pdf : txt;
            m_demoDocuments.append(preExisting(latin1(demoAppId), session, type,
                                               i == 0 ? latin1(mockDocumentId) : QString()));
        }
    }

    const int other = preExisting(latin1(otherAppId), generator.uuid(), pdf);
    m_otherAppDocumentId = m_documents.at(other).documentId;
}

// --- Control endpoint views ---------------------------------------------------------------------

QJsonObject InvoxService::credentials() const
{
    // Enough known ids to try the "add a document by hand" flow; the whole list under --scale would
    // make the banner and the addresses file megabytes long (GET /state/invox has them all).
    constexpr qsizetype listedDocuments = 20;
    QJsonArray documents;
    for (int index : m_demoDocuments.mid(0, listedDocuments)) {
        const Document &document = m_documents.at(index);
        documents.append(
            QJsonObject { { QStringLiteral("documentId"), document.documentId },
                          { QStringLiteral("consultationSessionId"), document.sessionId },
                          { QStringLiteral("documentName"), document.name },
                          { QStringLiteral("documentType"), document.type } });
    }
    return { { QStringLiteral("appId"), latin1(demoAppId) },
             { QStringLiteral("apiKey"), latin1(demoApiKey) },
             { QStringLiteral("tokenPath"), latin1(tokenPath) },
             { QStringLiteral("apiVersion"), apiVersions().last() },
             { QStringLiteral("otherAppId"), latin1(otherAppId) },
             { QStringLiteral("otherApiKey"), latin1(otherApiKey) },
             { QStringLiteral("restrictedAppId"), latin1(restrictedAppId) },
             { QStringLiteral("restrictedApiKey"), latin1(restrictedApiKey) },
             { QStringLiteral("documents"), documents },
             { QStringLiteral("documentCount"), int(m_demoDocuments.size()) },
             { QStringLiteral("otherAppDocumentId"), m_otherAppDocumentId } };
}

QJsonObject InvoxService::summary() const
{
    return { { QStringLiteral("counts"),
               QJsonObject {
                   { QStringLiteral("documents"), int(m_documents.size() - m_deleted.size()) } } },
             { QStringLiteral("deleted"),
               QJsonObject {
                   { QStringLiteral("documents"), QJsonArray::fromStringList(m_deleted) } } },
             { QStringLiteral("uploads"), m_uploads } };
}

QJsonObject InvoxService::detail() const
{
    QJsonArray documents;
    for (const Document &document : m_documents) {
        documents.append(
            QJsonObject { { QStringLiteral("documentId"), document.documentId },
                          { QStringLiteral("consultationSessionId"), document.sessionId },
                          { QStringLiteral("documentType"), document.type },
                          { QStringLiteral("documentName"), document.name },
                          { QStringLiteral("uploaded"), document.uploaded },
                          { QStringLiteral("size"), document.size },
                          { QStringLiteral("owner"), document.owner },
                          { QStringLiteral("deleted"), document.deleted } });
    }
    return { { QStringLiteral("documents"), documents } };
}
