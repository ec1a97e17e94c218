#include "documentproservice.h"

#include "core/datagenerator.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace {

const int maxLimit = 100;
const QByteArray cursorPrefix = "dpcursor:";

// Builds the newer error body, the one the delete page documents.
QJsonObject errorBody(const QString &code, const QString &message)
{
    return { { QStringLiteral("success"), false },
             { QStringLiteral("error"), code },
             { QStringLiteral("message"), message } };
}

SandboxReply badRequest(const QString &code, const QString &message)
{
    return SandboxReply::json(400, errorBody(code, message));
}

// Opaque to clients: base64url of an index into the caller's newest-first document list.
QString encodeCursor(int position)
{
    return QString::fromLatin1(
        QByteArray(cursorPrefix + QByteArray::number(position))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// -1 when the key is not one this service issued (or is out of range for this list).
int decodeCursor(const QString &key, int listSize)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        key.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith(cursorPrefix))
        return -1;
    bool ok = false;
    const int position = decoded.decoded.mid(cursorPrefix.size()).toInt(&ok);
    if (!ok || position <= 0 || position > listSize)
        return -1;
    return position;
}

} // namespace

DocumentProService::DocumentProService()
    : SandboxService(QStringLiteral("documentpro"), QStringLiteral("DocumentPro"))
{ }

DocumentProService::~DocumentProService() = default;

QList<Route> DocumentProService::routes()
{
    return {
        Route::bind("GET", QStringLiteral("/v1/documents"), QStringLiteral("documents.list"), this,
                    &DocumentProService::listDocuments),
        Route::bind("GET", QStringLiteral("/files"), QStringLiteral("result.get"), this,
                    &DocumentProService::getResult),
        Route::bind("DELETE", QStringLiteral("/files"), QStringLiteral("result.delete"), this,
                    &DocumentProService::deleteResult),
        Route::bind("GET", QStringLiteral("/v1/templates"), QStringLiteral("templates.list"), this,
                    &DocumentProService::listTemplates),
        // Where file_presigned_url points: signed, so no API key (like a real presigned URL).
        Route::bind("GET", QStringLiteral("/downloads/{requestId}/{fileName}"),
                    QStringLiteral("result.download"), this, &DocumentProService::download),
    };
}

SandboxReply DocumentProService::errorReply(int status, const QString &code,
                                            const QString &message) const
{
    return SandboxReply::json(status, errorBody(code, message));
}

QByteArray DocumentProService::rateLimitKey(const SandboxRequest &request) const
{
    return request.header("x-api-key");
}

// --- Authentication -----------------------------------------------------------------------------

const DocumentProService::Account *
DocumentProService::authenticate(const SandboxRequest &request) const
{
    const auto it = m_accounts.constFind(request.header("x-api-key"));
    return it == m_accounts.cend() ? nullptr : &it.value();
}

SandboxReply DocumentProService::unauthorized() const
{
    // The older error shape: both exist (docs/services.md §3); clients meet it on the 401.
    return SandboxReply::json(401,
                              { { QStringLiteral("success"), false },
                                { QStringLiteral("error"),
                                  QStringLiteral("Unauthorized: invalid or missing API key") } });
}

int DocumentProService::visibleResult(const Account &account, const QString &requestId) const
{
    const int index = m_resultById.value(requestId, -1);
    if (index < 0)
        return -1;
    const Result &result = m_results.at(index);
    // Another user's result is indistinguishable from a missing one.
    if (result.deleted || m_documents.at(result.document).userId != account.userId)
        return -1;
    return index;
}

std::optional<SandboxReply> DocumentProService::findCallersResult(const SandboxRequest &request,
                                                                  ResultAccess access,
                                                                  int *index) const
{
    const Account *account = authenticate(request);
    if (!account)
        return unauthorized();
    const QString requestId = request.queryValue(QStringLiteral("request_id"));
    if (requestId.isEmpty())
        return badRequest(QStringLiteral("missing_parameter"),
                          QStringLiteral("request_id is required"));
    if (access == ResultAccess::Delete && account->readOnly)
        return errorReply(403, QStringLiteral("forbidden"),
                          QStringLiteral("This API key is not allowed to delete results"));
    *index = visibleResult(*account, requestId);
    if (*index < 0)
        return errorReply(404, QStringLiteral("not_found"),
                          QStringLiteral("No parser result found for this request_id"));
    return std::nullopt;
}

// --- Handlers -----------------------------------------------------------------------------------

SandboxReply DocumentProService::listDocuments(const SandboxRequest &request)
{
    const Account *account = authenticate(request);
    if (!account)
        return unauthorized();

    int limit = maxLimit;
    const QString limitText = request.queryValue(QStringLiteral("limit"));
    if (!limitText.isEmpty()) {
        bool ok = false;
        const int requested = limitText.toInt(&ok);
        if (!ok)
            return badRequest(QStringLiteral("invalid_parameter"),
                              QStringLiteral("limit must be an integer"));
        limit = qBound(1, requested, maxLimit);
    }

    QDate createdOn;
    const QString createdText = request.queryValue(QStringLiteral("created_at"));
    if (!createdText.isEmpty()) {
        static const QRegularExpression datePattern(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
        createdOn = QDate::fromString(createdText, Qt::ISODate);
        if (!datePattern.match(createdText).hasMatch() || !createdOn.isValid())
            return badRequest(QStringLiteral("invalid_parameter"),
                              QStringLiteral("created_at must be a date (YYYY-MM-DD)"));
    }
    const QString documentId = request.queryValue(QStringLiteral("document_id"));
    const QString searchTerm = request.queryValue(QStringLiteral("search_term"));

    static const QList<int> none;
    const auto found = m_documentsByUser.constFind(account->userId);
    const QList<int> &documents = found == m_documentsByUser.cend() ? none : found.value();

    int position = 0;
    const QString key = request.queryValue(QStringLiteral("pagination_key"));
    if (!key.isEmpty()) {
        position = decodeCursor(key, int(documents.size()));
        if (position < 0)
            return badRequest(QStringLiteral("invalid_pagination_key"),
                              QStringLiteral("pagination_key is not valid"));
    }

    const auto matches = [&](const Document &document) {
        return (documentId.isEmpty() || document.documentId == documentId)
            && (!createdOn.isValid() || document.createdAt.date() == createdOn)
            && (searchTerm.isEmpty()
                || document.fileName.contains(searchTerm, Qt::CaseInsensitive));
    };

    QJsonArray files;
    int next = position;
    for (; next < documents.size() && files.size() < limit; ++next) {
        const Document &document = m_documents.at(documents.at(next));
        if (matches(document))
            files.append(documentJson(document));
    }
    // A key only when another match really follows, so the last page says null.
    bool more = false;
    for (int i = next; i < documents.size() && !more; ++i)
        more = matches(m_documents.at(documents.at(i)));

    return SandboxReply::json(
        200,
        { { QStringLiteral("files"), files },
          { QStringLiteral("pagination_key"),
            more ? QJsonValue(encodeCursor(next)) : QJsonValue(QJsonValue::Null) } });
}

SandboxReply DocumentProService::getResult(const SandboxRequest &request)
{
    int index = -1;
    if (auto error = findCallersResult(request, ResultAccess::Read, &index))
        return *error;
    return SandboxReply::json(200, resultJson(m_results.at(index)));
}

SandboxReply DocumentProService::deleteResult(const SandboxRequest &request)
{
    int index = -1;
    if (auto error = findCallersResult(request, ResultAccess::Delete, &index))
        return *error;

    m_results[index].deleted = true;
    m_deletedResults.append(m_results.at(index).requestId);
    return SandboxReply::json(
        200,
        { { QStringLiteral("success"), true },
          { QStringLiteral("message"), QStringLiteral("File deleted successfully") } });
}

SandboxReply DocumentProService::listTemplates(const SandboxRequest &request)
{
    if (!authenticate(request))
        return unauthorized();
    // Every template fits on one page, so no key this service issued can be handed back.
    if (!request.queryValue(QStringLiteral("pagination_key")).isEmpty())
        return badRequest(QStringLiteral("invalid_pagination_key"),
                          QStringLiteral("pagination_key is not valid"));

    QJsonArray items;
    for (const Template &item : m_templates) {
        items.append(QJsonObject {
            { QStringLiteral("template_id"), item.id },
            { QStringLiteral("template_title"), item.title },
            { QStringLiteral("template_type"), item.type },
            { QStringLiteral("description"), item.description },
            { QStringLiteral("created_at"), DataGenerator::isoUtc(item.createdAt) } });
    }
    return SandboxReply::json(200,
                              { { QStringLiteral("success"), true },
                                { QStringLiteral("items"), items },
                                { QStringLiteral("pagination_key"), QJsonValue::Null } });
}

SandboxReply DocumentProService::download(const SandboxRequest &request, const RouteParams &params)
{
    const QString requestId = params.value(QStringLiteral("requestId"));
    if (request.queryValue(QStringLiteral("signature")).toLatin1() != signature(requestId))
        return SandboxReply::raw(403, "Signature does not match", "text/plain");
    const int index = m_resultById.value(requestId, -1);
    if (index < 0 || m_results.at(index).deleted)
        return SandboxReply::raw(404, "Not found", "text/plain");
    const Document &document = m_documents.at(m_results.at(index).document);
    if (params.value(QStringLiteral("fileName")) != document.fileName)
        return SandboxReply::raw(404, "Not found", "text/plain");
    if (document.fileExtension == u"pdf") {
        const QByteArray pdf = "%PDF-1.4\n% docket-sandbox placeholder for "
            + document.fileName.toUtf8() + "\n%%EOF\n";
        return SandboxReply::raw(200, pdf, "application/pdf");
    }
    return SandboxReply::raw(200, "docket-sandbox placeholder image", "application/octet-stream");
}

// --- Control endpoint views (credentials() is with the fixtures, in documentprogeneration.cpp) --

QJsonObject DocumentProService::summary() const
{
    return { { QStringLiteral("counts"),
               QJsonObject { { QStringLiteral("documents"), int(m_documents.size()) },
                             { QStringLiteral("parserResults"),
                               int(m_results.size() - m_deletedResults.size()) } } },
             { QStringLiteral("deleted"),
               QJsonObject { { QStringLiteral("documents"), QJsonArray() },
                             { QStringLiteral("parserResults"),
                               QJsonArray::fromStringList(m_deletedResults) } } } };
}

QJsonObject DocumentProService::detail() const
{
    // "owner" is the API key of the account that owns the item (the read-only key shares the
    // demo account's documents but owns nothing).
    QHash<QString, QString> ownerKeys;
    for (auto it = m_accounts.cbegin(); it != m_accounts.cend(); ++it) {
        if (!it->readOnly)
            ownerKeys.insert(it->userId, QString::fromLatin1(it.key()));
    }
    QJsonArray documents;
    for (const Document &document : m_documents) {
        QJsonObject object = documentJson(document);
        object.insert(QStringLiteral("owner"), ownerKeys.value(document.userId));
        object.insert(QStringLiteral("deleted"), false);
        documents.append(object);
    }
    QJsonArray results;
    for (const Result &result : m_results) {
        QJsonObject object = resultJson(result);
        object.insert(QStringLiteral("document_id"), m_documents.at(result.document).documentId);
        object.insert(QStringLiteral("owner"),
                      ownerKeys.value(m_documents.at(result.document).userId));
        object.insert(QStringLiteral("deleted"), result.deleted);
        results.append(object);
    }
    return { { QStringLiteral("documents"), documents },
             { QStringLiteral("parserResults"), results } };
}
