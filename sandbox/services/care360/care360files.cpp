#include "care360content.h"
#include "care360data.h"
#include "care360wire.h"
#include "core/servicesupport.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

using namespace Care360;
using Sandbox::base64Url;
using Sandbox::nowMs;
using Sandbox::randomBytes;

namespace {

const QStringList &allowedMimeTypes()
{
    static const QStringList types = {
        QStringLiteral("application/pdf"), QStringLiteral("application/msword"),
        QStringLiteral("text/csv"),        QStringLiteral("text/plain"),
        QStringLiteral("image/jpeg"),      QStringLiteral("image/png"),
        QStringLiteral("image/svg+xml"),   QStringLiteral("image/tiff"),
        QStringLiteral("image/webp"),
    };
    return types;
}

bool isUuid(const QString &value)
{
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(QStringLiteral(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")));
    return value.size() == 36 && pattern.match(value).hasMatch();
}

// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
void appendJsonString(QByteArray &out, const QString &value)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : value.toUtf8()) {
        const uchar byte = uchar(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

QByteArray contentDisposition(const QString &fileName)
{
    // An ASCII fallback plus the RFC 5987 form, so names like "Überweisung" survive.
    QByteArray ascii;
    for (const QChar c : fileName)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\')
            ? char(c.unicode())
            : '_';
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + QUrl::toPercentEncoding(fileName);
}

} // namespace

QJsonObject Care360Service::Data::fileJson(const File &file) const
{
    return {
        { QStringLiteral("id"), file.id },
        { QStringLiteral("fileName"), file.fileName },
        { QStringLiteral("isPHI"), file.isPHI },
        { QStringLiteral("isRestricted"), file.isRestricted },
        { QStringLiteral("caseId"),
          file.caseIndex >= 0 ? QJsonValue(cases.at(file.caseIndex).id) : QJsonValue() },
        { QStringLiteral("uploadedBy"), uploaderJson.at(file.uploader) },
        { QStringLiteral("createdAt"), file.createdAt },
        { QStringLiteral("mimeType"), file.mimeType },
        { QStringLiteral("size"), file.size },
    };
}

// fileJson() as compact JSON text, keys in QJsonDocument's (sorted) order. Kept per file: the
// list has no pagination, so under --scale one answer carries 50,000 of these.
void Care360Service::Data::appendFileJson(QByteArray &out, const File &file) const
{
    if (file.listJson.isEmpty()) {
        QByteArray &json = file.listJson;
        json += "{\"caseId\":";
        if (file.caseIndex >= 0)
            json += '"' + cases.at(file.caseIndex).id.toLatin1() + '"';
        else
            json += "null";
        json += ",\"createdAt\":\"" + file.createdAt.toLatin1() + "\",\"fileName\":";
        appendJsonString(json, file.fileName);
        json += ",\"id\":\"" + file.id.toLatin1() + "\",\"isPHI\":";
        json += file.isPHI ? "true" : "false";
        json += ",\"isRestricted\":";
        json += file.isRestricted ? "true" : "false";
        json += ",\"mimeType\":";
        appendJsonString(json, file.mimeType);
        json += ",\"size\":" + QByteArray::number(file.size) + ",\"uploadedBy\":";
        json += QJsonDocument(uploaderJson.at(file.uploader)).toJson(QJsonDocument::Compact);
        json += '}';
        json.squeeze();
    }
    out += file.listJson;
}

QJsonObject Care360Service::Data::activityJson(const CaseActivity &activity) const
{
    return {
        { QStringLiteral("id"), activity.id },
        { QStringLiteral("type"), QStringLiteral("DELETE_ATTACHMENT") },
        { QStringLiteral("fileId"), activity.fileId },
        { QStringLiteral("actorId"), activity.actorId },
        { QStringLiteral("caseId"),
          activity.caseIndex >= 0 ? QJsonValue(cases.at(activity.caseIndex).id) : QJsonValue() },
        { QStringLiteral("createdAt"), activity.createdAt },
    };
}

QByteArray Care360Service::Data::fileContent(const File &file) const
{
    return file.uploaded ? file.uploadedBytes
                         : generatedContent(file.mimeType, file.contentSeed, file.size);
}

// The file when the caller may see it: same tenant, not deleted, in one of the caller's cases (or,
// without a case, uploaded by the caller). Everything else is the uniform 404.
std::optional<SandboxReply>
Care360Service::Data::findVisibleFile(const Caller &caller, const QString &id, int *index) const
{
    if (!isUuid(id))
        return validationFailed();
    const auto found = fileById.constFind(id.toLower());
    if (found == fileById.constEnd())
        return fileNotFound();
    const File &file = files.at(*found);
    const int owner = file.caseIndex >= 0 ? cases.at(file.caseIndex).submitter : file.uploader;
    if (file.isDeleted || file.tenant != caller.tenant || owner != caller.user)
        return fileNotFound();
    *index = *found;
    return std::nullopt;
}

std::optional<SandboxReply> Care360Service::Data::findCallersFile(const SandboxRequest &request,
                                                                  const RouteParams &params,
                                                                  Caller *caller, int *index) const
{
    if (auto error = authenticate(request, caller))
        return error;
    return findVisibleFile(*caller, params.value(QStringLiteral("id")), index);
}

// The case when it is one of the caller's: another patient's or tenant's is 403, not 404.
std::optional<SandboxReply> Care360Service::Data::findCallersCase(const Caller &caller,
                                                                  const QString &caseId,
                                                                  int *caseIndex) const
{
    if (!isUuid(caseId))
        return validationFailed();
    const int found = caseById.value(caseId.toLower(), -1);
    if (found < 0 || cases.at(found).tenant != caller.tenant
        || cases.at(found).submitter != caller.user)
        return caseForbidden();
    *caseIndex = found;
    return std::nullopt;
}

SandboxReply Care360Service::Data::listFiles(const SandboxRequest &request) const
{
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;

    const QString type = request.queryValue(QStringLiteral("type")).trimmed().toLower();
    if (!type.isEmpty() && type != QLatin1String("phi") && type != QLatin1String("general"))
        return validationFailed();
    const bool filterType = !type.isEmpty();
    const bool wantPHI = type == QLatin1String("phi");

    static const QList<int> none;
    const QList<int> *indices = &none;
    const QString caseId = request.queryValue(QStringLiteral("caseId"));
    if (!caseId.isEmpty()) {
        int caseIndex = -1;
        if (auto error = findCallersCase(caller, caseId, &caseIndex))
            return *error;
        indices = &caseFiles.at(caseIndex);
    } else {
        const auto found = patientFiles.constFind(caller.user);
        if (found != patientFiles.constEnd())
            indices = &*found;
    }

    // Written straight into the body: under --scale this one answer holds 50,000 files, and
    // QJsonObject per file costs several times more. Same keys, order and values as success().
    QByteArray body;
    body.reserve(indices->size() * 380 + 64);
    body += "{\"data\":{\"files\":[";
    bool first = true;
    for (auto it = indices->crbegin(); it != indices->crend(); ++it) {
        const File &file = files.at(*it);
        if (file.isDeleted || (filterType && file.isPHI != wantPHI))
            continue;
        if (!first)
            body += ',';
        first = false;
        appendFileJson(body, file);
    }
    body += "]},\"status\":200,\"success\":true}";
    return SandboxReply::raw(200, body, "application/json");
}

SandboxReply Care360Service::Data::metadata(const SandboxRequest &request,
                                            const RouteParams &params) const
{
    Caller caller;
    int index = -1;
    if (auto error = findCallersFile(request, params, &caller, &index))
        return *error;
    return success(200, fileJson(files.at(index)));
}

SandboxReply Care360Service::Data::download(const SandboxRequest &request,
                                            const RouteParams &params)
{
    Caller caller;
    int index = -1;
    if (auto error = findCallersFile(request, params, &caller, &index))
        return *error;

    const QByteArray token = base64Url(randomBytes(24));
    downloads.insert(token, { index, nowMs() + kDownloadSeconds * 1000LL });
    const QString url
        = service->publicUrl(QStringLiteral("/downloads/") + QString::fromLatin1(token));
    return success(200,
                   { { QStringLiteral("downloadUrl"), url },
                     { QStringLiteral("fileName"), files.at(index).fileName },
                     { QStringLiteral("expiresIn"), kDownloadSeconds } });
}

SandboxReply Care360Service::Data::upload(const SandboxRequest &request)
{
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    if (!ok)
        return validationFailed();

    const QString name = body.value(QStringLiteral("name")).toString().trimmed();
    if (name.isEmpty() || name.size() > kMaxFileNameLength)
        return validationFailed();
    QString mimeType = body.value(QStringLiteral("mimeType")).toString();
    mimeType = mimeType.left(mimeType.indexOf(u';')).trimmed().toLower();
    if (!allowedMimeTypes().contains(mimeType))
        return validationFailed(QStringLiteral("File type not allowed"));
    const QJsonValue data = body.value(QStringLiteral("data"));
    const auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!data.isString() || !decoded || decoded.decoded.isEmpty())
        return validationFailed(QStringLiteral("Invalid file data"));

    const QJsonValue caseValue = body.value(QStringLiteral("caseId"));
    int caseIndex = -1;
    if (caseValue.isString() && !caseValue.toString().isEmpty()) {
        if (auto error = findCallersCase(caller, caseValue.toString(), &caseIndex))
            return *error;
    } else if (!caseValue.isUndefined() && !caseValue.isNull() && !caseValue.isString()) {
        return validationFailed();
    }

    File file;
    file.id = runtime.uuid();
    file.fileName = name;
    file.mimeType = mimeType;
    // Patient uploads are health information unless the client says otherwise.
    file.isPHI = body.value(QStringLiteral("isPHI")).toBool(true);
    file.caseIndex = caseIndex;
    file.uploader = caller.user;
    file.tenant = caller.tenant;
    file.createdAt = tick();
    file.createdAtSecs = clockSecs;
    file.size = decoded.decoded.size();
    file.uploaded = true;
    file.uploadedBytes = decoded.decoded;
    files.append(file);
    indexFile(int(files.size()) - 1);
    return success(201, fileJson(files.last()));
}

SandboxReply Care360Service::Data::rename(const SandboxRequest &request, const RouteParams &params)
{
    const QString id = params.value(QStringLiteral("id"));
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    if (!isUuid(id))
        return validationFailed();
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    QJsonValue value = body.value(QStringLiteral("fileName"));
    if (!value.isString())
        value = body.value(QStringLiteral("name"));
    const QString fileName = value.toString().trimmed();
    if (!ok || fileName.isEmpty() || fileName.size() > kMaxFileNameLength)
        return validationFailed();
    int index = -1;
    if (auto error = findVisibleFile(caller, id, &index))
        return *error;
    if (files.at(index).uploader != caller.user)
        return fileNotFound();
    files[index].fileName = fileName;
    files[index].listJson.clear();
    return success(200, fileJson(files.at(index)));
}

SandboxReply Care360Service::Data::remove(const SandboxRequest &request, const RouteParams &params)
{
    Caller caller;
    int index = -1;
    if (auto error = findCallersFile(request, params, &caller, &index))
        return *error;
    if (files.at(index).uploader != caller.user)
        return fileNotFound(); // patients may only delete what they uploaded

    // Soft delete (the vendor's delete page): the row stays, flagged, and staff see who removed it.
    File &file = files[index];
    file.isDeleted = true;
    file.deletedAt = tick();
    deletedFileIds.append(file.id);
    --liveFileCount;
    activities.append(
        { runtime.uuid(), file.id, users.at(caller.user).id, file.caseIndex, file.deletedAt });
    return successMessage(QStringLiteral("File deleted successfully"));
}

SandboxReply Care360Service::Data::downloadContent(const SandboxRequest &,
                                                   const RouteParams &params) const
{
    const QString token = params.value(QStringLiteral("token"));
    const auto found = downloads.constFind(token.toLatin1());
    if (token.isEmpty() || found == downloads.constEnd() || files.at(found->file).isDeleted)
        return failure(404, QStringLiteral("Download link not found"), QStringLiteral("NOT_FOUND"));
    if (found->expiresAtMs <= nowMs())
        return failure(403, QStringLiteral("Download link has expired"),
                       QStringLiteral("FORBIDDEN"));
    const File &file = files.at(found->file);
    return SandboxReply::raw(200, fileContent(file), file.mimeType.toLatin1())
        .withHeader("Content-Disposition", contentDisposition(file.fileName))
        .withHeader("Cache-Control", "private, no-store");
}
