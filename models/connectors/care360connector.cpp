#include "care360connector.h"

#include "connectorsupport.h"
#include "jsonparsing.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

#include <cmath>
#include <memory>
#include <optional>

#ifdef DOCKET_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace Docket {

using namespace std::literals;

namespace {

// API.md section 2: the access JWT lives 15 minutes ("expiresIn": 900) when the answer does not
// say otherwise.
constexpr int kDefaultExpiresInSeconds = 900;
// Renew this long before the access token expires, so a request never goes out with a token that
// dies on the way.
constexpr int kRenewMarginSeconds = 30;
// A download link's lifetime when the answer does not say ([doc] 900 s).
constexpr int kDefaultDownloadSeconds = 900;

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return Care360Connector::tr(text, disambiguation, n);
}

struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    int expiresIn = kDefaultExpiresInSeconds;
};

int positiveSeconds(const QJsonValue &value, int fallback)
{
    if (value.isDouble() && value.toDouble() >= 1)
        return int(qMin(value.toDouble(), 365.0 * 24 * 3600));
    if (value.isString()) {
        bool ok = false;
        const int seconds = value.toString().trimmed().toInt(&ok);
        if (ok && seconds >= 1)
            return seconds;
    }
    return fallback;
}

// [gap] The token fields are not shown in the docs: the default is
// {"data": {"accessToken", "refreshToken", "expiresIn"}}; the same fields at the top level, and
// snake_case names, are accepted too.
std::optional<TokenPair> parseTokens(const QJsonObject &body)
{
    QList<QJsonObject> candidates;
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (data.isObject())
        candidates << data.toObject();
    candidates << body;
    for (const QJsonObject &object : std::as_const(candidates)) {
        const QJsonValue access = firstField(object, { "accessToken", "access_token" });
        const QJsonValue refresh = firstField(object, { "refreshToken", "refresh_token" });
        if (!access.isString() || !refresh.isString() || access.toString().isEmpty()
            || refresh.toString().isEmpty())
            continue;
        TokenPair tokens;
        tokens.accessToken = access.toString();
        tokens.refreshToken = refresh.toString();
        tokens.expiresIn = positiveSeconds(firstField(object, { "expiresIn", "expires_in" }),
                                           kDefaultExpiresInSeconds);
        return tokens;
    }
    return std::nullopt;
}

QUrl authUrl(const AccountSession *session, const QString &call)
{
    return urlWithSegments(session->account().baseUrl,
                           { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                             QStringLiteral("auth"), call });
}

// Sign-in calls carry the tenant key but never a Bearer token (refresh-token must not).
ApiRequest authRequest(const AccountSession *session, const QString &call, const QJsonObject &body)
{
    ApiRequest request;
    request.method = "POST";
    request.url = authUrl(session, call);
    request.headers = { { "cv-api-key", session->secret(Secret::tenantKey).toUtf8() },
                        { "Content-Type", "application/json" } };
    request.body = jsonBody(body);
    return request;
}

// Care360 answers an unknown cv-api-key with 404 "Organization not found" on every route. Told
// apart from a file's 404 by the message, which is the only thing that differs.
bool isUnknownTenant(const ApiError &error)
{
    return error.kind == ApiError::Kind::Http && error.httpStatus == 404
        && error.serviceMessage.contains(QLatin1String("organization"), Qt::CaseInsensitive);
}

// The result's error with a sentence that says what Care360 meant, where we know it.
ApiError care360Error(const ApiResult &result)
{
    ApiError error = result.error;
    if (isUnknownTenant(error))
        error.userMessage = tr("The tenant key is not known to Care360. Check the key your "
                               "provider gave you.");
    return error;
}

ApiError signedOutError(const ApiError &cause)
{
    ApiError error = ApiError::make(ApiError::Kind::SignedOut,
                                    tr("Care360 signed this account out (refresh token reused or "
                                       "invalid). Sign in again with a new code."));
    error.httpStatus = cause.httpStatus;
    error.serviceCode = cause.serviceCode;
    error.serviceMessage = cause.serviceMessage;
    error.requestId = cause.requestId;
    return error;
}

ApiError storeError(const QString &storeMessage)
{
    return ApiError::make(ApiError::Kind::Credentials,
                          tr("The new Care360 sign-in could not be saved in the credential "
                             "store: %1")
                              .arg(storeMessage));
}

// Stores several secrets and calls `done` once, when the store has confirmed every write (with the
// first error, if any).
void storeSecrets(AccountSession *session, const QList<QPair<QString, QString>> &secrets,
                  QObject *context, std::function<void(const QString &error)> done)
{
    auto remaining = std::make_shared<int>(int(secrets.size()));
    auto firstError = std::make_shared<QString>();
    for (const auto &[name, value] : secrets) {
        session->storeSecret(name, value, context,
                             [remaining, firstError, done](const QString &error) {
                                 if (!error.isEmpty() && firstError->isEmpty())
                                     *firstError = error;
                                 if (--*remaining == 0)
                                     done(*firstError);
                             });
    }
}

QString uploaderName(const QJsonObject &file)
{
    const QJsonObject uploader = file.value(QStringLiteral("uploadedBy")).toObject();
    const QString name = stringField(uploader, QStringLiteral("firstName")) + u' '
        + stringField(uploader, QStringLiteral("lastName"));
    return name.trimmed();
}

// --- Reading file lists --------------------------------------------------------------------------
//
// A list answer is read by QJsonDocument or by simdjson into the same FileFields, and everything
// after that is shared, so both parsers give the same rows. The rules are connectorsupport.h's:
// stringField() (strings, and numbers as whole numbers), firstField() (the first of several keys
// that is present and not null), QJsonValue::toBool(false), parseServiceDate(); and as in
// QJsonObject, the last of duplicate keys wins.

// One member of a file object as either parser read it. A string read by simdjson stays UTF-8,
// pointing into the parser's buffer, until a QString is needed: the case listing reads 50,000
// files and needs almost none. Cheap to reset: only `kind` says what the rest means.
struct Member
{
    enum class Kind : quint8 { Absent, Null, String, Number, Bool, Other };
    Kind kind = Kind::Absent;
    bool boolean = false;
    bool isUtf8 = false; // a string in `utf8` (simdjson), else in `string` (QJsonDocument)
    double number = 0; // QJsonValue::toDouble()
    qint64 whole = 0; // QJsonValue::toInteger()
    QByteArrayView utf8;
    QString string;

    void readQt(const QJsonValue &value)
    {
        isUtf8 = false;
        switch (value.type()) {
        case QJsonValue::Undefined:
            kind = Kind::Absent;
            break;
        case QJsonValue::Null:
            kind = Kind::Null;
            break;
        case QJsonValue::Bool:
            kind = Kind::Bool;
            boolean = value.toBool();
            break;
        case QJsonValue::Double:
            kind = Kind::Number;
            number = value.toDouble();
            whole = value.toInteger();
            break;
        case QJsonValue::String:
            kind = Kind::String;
            string = value.toString();
            break;
        case QJsonValue::Array:
        case QJsonValue::Object:
            kind = Kind::Other;
            break;
        }
    }

    bool present() const { return kind != Kind::Absent && kind != Kind::Null; }
    bool isString() const { return kind == Kind::String; }
    // stringField() is not empty.
    bool hasIdText() const
    {
        if (kind == Kind::Number)
            return true;
        return kind == Kind::String && (isUtf8 ? !utf8.isEmpty() : !string.isEmpty());
    }
    // QJsonValue::toBool(fallback).
    bool toBool(bool fallback) const { return kind == Kind::Bool ? boolean : fallback; }
    // parseServiceDate(), as milliseconds since the epoch; false when not a readable date.
    bool dateMSecs(qint64 *msecs) const
    {
        if (kind != Kind::String)
            return false;
        return isUtf8 ? serviceDateMSecs(utf8, msecs)
                      : serviceDateMSecs(QStringView(string), msecs);
    }
};

// firstField(): the first member present and not null, else an absent one.
const Member &firstPresent(std::initializer_list<const Member *> members)
{
    static const Member absent;
    for (const Member *member : members) {
        if (member->present())
            return *member;
    }
    return absent;
}

// Makes the QStrings of an answer's members. Texts that many rows repeat (a mime type, an
// uploader) become one shared QString per answer instead of one per row.
class TextMaker
{
public:
    // QJsonValue::toString(): strings only.
    QString text(const Member &member) const
    {
        if (member.kind != Member::Kind::String)
            return {};
        return member.isUtf8 ? QString::fromUtf8(member.utf8) : member.string;
    }
    // stringField().
    QString idText(const Member &member) const
    {
        return member.kind == Member::Kind::Number ? QString::number(member.whole) : text(member);
    }
    // stringField(), shared with earlier rows that had the same text.
    QString sharedIdText(const Member &member)
    {
        if (member.kind != Member::Kind::String || !member.isUtf8)
            return idText(member);
        return shared(member.utf8, [&] { return QString::fromUtf8(member.utf8); });
    }
    // The uploader's "firstName lastName", as uploaderName() makes it.
    QString uploaderName(const Member &firstName, const Member &lastName)
    {
        const auto make = [&] {
            const QString name = idText(firstName) + u' ' + idText(lastName);
            return name.trimmed();
        };
        const auto isUtf8OrAbsent = [](const Member &member) {
            return member.kind == Member::Kind::String ? member.isUtf8 : !member.present();
        };
        if (!isUtf8OrAbsent(firstName) || !isUtf8OrAbsent(lastName))
            return make();
        // Unambiguous: the first name's length, then both names.
        m_key.clear();
        const qsizetype firstSize = firstName.isString() ? firstName.utf8.size() : -1;
        m_key.append(reinterpret_cast<const char *>(&firstSize), sizeof firstSize);
        if (firstName.isString())
            m_key.append(firstName.utf8);
        if (lastName.isString())
            m_key.append(lastName.utf8);
        m_key.append(lastName.isString() ? '\1' : '\0');
        return shared(m_key, make);
    }

private:
    template<typename Make> QString shared(QByteArrayView key, Make &&make)
    {
        const auto found = m_texts.constFind(QByteArray::fromRawData(key.data(), key.size()));
        if (found != m_texts.constEnd())
            return *found;
        QString text = make();
        // Bounded: texts that never repeat (file names) are not worth keeping.
        if (m_texts.size() < 512)
            m_texts.insert(key.toByteArray(), text);
        return text;
    }

    QHash<QByteArray, QString> m_texts;
    QByteArray m_key;
};

// What a file row is made of; the keys each member comes from are in memberFor().
struct FileFields
{
    Member id, caseId, fileName, name, fileNameSnake, createdAt, createdAtSnake, size, isPHI,
        isRestricted, mimeType;
    // From "uploadedBy", when that is an object.
    Member uploaderId, uploaderFirstName, uploaderLastName;

    void clear()
    {
        for (Member *member : { &id, &caseId, &fileName, &name, &fileNameSnake, &createdAt,
                                &createdAtSnake, &size, &isPHI, &isRestricted, &mimeType })
            member->kind = Member::Kind::Absent;
        clearUploader();
    }
    void clearUploader()
    {
        uploaderId.kind = uploaderFirstName.kind = uploaderLastName.kind = Member::Kind::Absent;
    }

    // The member a key of the file object fills (null for "uploadedBy" and keys not read).
    Member *memberFor(std::string_view key)
    {
        // By length first: this runs for every key of every file.
        switch (key.size()) {
        case 2:
            return key == "id"sv ? &id : nullptr;
        case 4:
            return key == "name"sv ? &name : key == "size"sv ? &size : nullptr;
        case 5:
            return key == "isPHI"sv ? &isPHI : nullptr;
        case 6:
            return key == "caseId"sv ? &caseId : nullptr;
        case 8:
            return key == "fileName"sv ? &fileName : key == "mimeType"sv ? &mimeType : nullptr;
        case 9:
            return key == "createdAt"sv ? &createdAt
                : key == "file_name"sv  ? &fileNameSnake
                                        : nullptr;
        case 10:
            return key == "created_at"sv ? &createdAtSnake : nullptr;
        case 12:
            return key == "isRestricted"sv ? &isRestricted : nullptr;
        default:
            return nullptr;
        }
    }
    Member *uploaderMemberFor(std::string_view key)
    {
        if (key == "id"sv)
            return &uploaderId;
        if (key == "firstName"sv)
            return &uploaderFirstName;
        if (key == "lastName"sv)
            return &uploaderLastName;
        return nullptr;
    }

    void readQt(const QJsonObject &file)
    {
        static constexpr const char *keys[]
            = { "id",         "caseId", "fileName", "name",         "file_name", "createdAt",
                "created_at", "size",   "isPHI",    "isRestricted", "mimeType" };
        for (const char *key : keys)
            memberFor(key)->readQt(file.value(QLatin1String(key)));
        clearUploader();
        const QJsonValue uploader = file.value(QLatin1String("uploadedBy"));
        if (uploader.isObject()) {
            const QJsonObject object = uploader.toObject();
            for (const char *key : { "id", "firstName", "lastName" })
                uploaderMemberFor(key)->readQt(object.value(QLatin1String(key)));
        }
    }
};

// The status words, translated once per answer rather than once per file (and shared by the
// rows that show the same).
struct StatusWords
{
    StatusWords()
    {
        const QString separator = QStringLiteral(", ");
        const QString restricted = tr("restricted");
        for (const bool isRestricted : { false, true }) {
            const QString suffix = isRestricted ? restricted : QString();
            texts[0][isRestricted] = suffix;
            texts[1][isRestricted] = isRestricted ? tr("PHI") + separator + suffix : tr("PHI");
            texts[2][isRestricted]
                = isRestricted ? tr("General") + separator + suffix : tr("General");
        }
    }
    // isPHI: 0 not a bool, 1 true, 2 false.
    QString texts[3][2];
};

// A case as its file rows name it.
struct CaseOfRows
{
    explicit CaseOfRows(const NodeRef &ref)
        : ref(ref)
        , idUtf8(ref.id().toUtf8())
    { }
    NodeRef ref;
    QByteArray idUtf8;
};

// Turns the files of one answer into rows of a case (one case for a case's list, each file's own
// for the account listing's files).
class FileRowMaker
{
public:
    // Without details, a row is only what the tree shows: that is most of the work saved.
    explicit FileRowMaker(bool withDetails)
        : m_withDetails(withDetails)
    { }

    // One file as a row of `caseOfRows`. Every field is optional but the id.
    RemoteItem row(const FileFields &file, const CaseOfRows &caseOfRows)
    {
        const NodeRef &caseRef = caseOfRows.ref;
        RemoteItem item;
        const QString id = m_texts.idText(file.id);
        item.ref.kind = NodeKind::Care360File;
        item.ref.ids.reserve(caseRef.ids.size() + 1);
        item.ref.ids.append(caseRef.ids);
        item.ref.ids.append(id);
        const QString fileName
            = m_texts.text(firstPresent({ &file.fileName, &file.name, &file.fileNameSnake }));
        item.name = fileName.isEmpty() ? id : fileName;
        qint64 created = 0;
        if (firstPresent({ &file.createdAt, &file.createdAtSnake }).dateMSecs(&created))
            item.created = QDateTime::fromMSecsSinceEpoch(created, Qt::UTC);
        if (file.size.kind == Member::Kind::Number && file.size.number >= 0)
            item.sizeBytes = qint64(file.size.number);

        const bool hasPHI = file.isPHI.kind == Member::Kind::Bool;
        const bool restricted = file.isRestricted.toBool(false);
        item.status = m_words.texts[hasPHI ? (file.isPHI.boolean ? 1 : 2) : 0][restricted];
        if (!m_withDetails)
            return item;

        // The file's own case id is nearly always the case listed: share its QString.
        const QString caseId = file.caseId.isString() && file.caseId.isUtf8
                && file.caseId.utf8 == QByteArrayView(caseOfRows.idUtf8)
            ? caseRef.id()
            : m_texts.sharedIdText(file.caseId);
        const QString uploader
            = m_texts.uploaderName(file.uploaderFirstName, file.uploaderLastName);
        const QString uploaderId = m_texts.sharedIdText(file.uploaderId);
        const QString mimeType = m_texts.sharedIdText(file.mimeType);

        // In key order, each at the end: no comparisons, no rebalancing.
        QVariantMap &details = item.details;
        const auto add = [&details](const QString &key, const QVariant &value) {
            details.insert(details.cend(), key, value);
        };
        if (!caseId.isEmpty())
            add(QStringLiteral("caseId"), caseId);
        if (item.created.isValid())
            add(QStringLiteral("createdAt"), item.created);
        if (!fileName.isEmpty())
            add(QStringLiteral("fileName"), fileName);
        add(QStringLiteral("id"), id);
        if (hasPHI)
            add(QStringLiteral("isPHI"), file.isPHI.boolean);
        add(QStringLiteral("isRestricted"), restricted);
        if (!mimeType.isEmpty())
            add(QStringLiteral("mimeType"), mimeType);
        if (item.sizeBytes >= 0)
            add(QStringLiteral("size"), item.sizeBytes);
        if (!uploader.isEmpty())
            add(QStringLiteral("uploadedBy"), uploader);
        if (!uploaderId.isEmpty())
            add(QStringLiteral("uploadedById"), uploaderId);
        return item;
    }

private:
    const bool m_withDetails;
    const StatusWords m_words;
    TextMaker m_texts;
};

// The files of a list answer: {"data": {"files": [...]}} as documented; a bare {"files": [...]}
// is accepted too. Empty optional when neither is there.
std::optional<QJsonArray> filesOf(const QJsonObject &body)
{
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (data.isObject() && data.toObject().value(QStringLiteral("files")).isArray())
        return data.toObject().value(QStringLiteral("files")).toArray();
    if (body.value(QStringLiteral("files")).isArray())
        return body.value(QStringLiteral("files")).toArray();
    return std::nullopt;
}

const QString kNoFileList = QStringLiteral("no file list in the answer");

#ifdef DOCKET_HAVE_SIMDJSON

// QJsonValue::toInteger() of a double: the number when it is whole and fits, else 0.
qint64 wholeNumber(double number)
{
    if (!std::isfinite(number) || number < -9223372036854775808.0
        || number >= 9223372036854775808.0)
        return 0;
    const auto whole = qint64(number);
    return double(whole) == number ? whole : 0;
}

QByteArrayView viewOf(std::string_view text)
{
    return QByteArrayView(text.data(), qsizetype(text.size()));
}

void readMember(simdjson::dom::element value, Member *member)
{
    // A document simdjson has validated: get() cannot fail for the type it reports.
    using Type = simdjson::dom::element_type;
    member->isUtf8 = false;
    member->kind = Member::Kind::Other;
    switch (value.type()) {
    case Type::STRING: {
        std::string_view text;
        if (value.get(text) == simdjson::SUCCESS) {
            member->kind = Member::Kind::String;
            member->isUtf8 = true;
            member->utf8 = viewOf(text);
        }
        break;
    }
    case Type::INT64: {
        int64_t number = 0;
        if (value.get(number) == simdjson::SUCCESS) {
            member->kind = Member::Kind::Number;
            member->number = double(number);
            member->whole = number;
        }
        break;
    }
    case Type::UINT64: {
        // Only above qint64's range: QJsonDocument keeps such integers as doubles.
        uint64_t number = 0;
        if (value.get(number) == simdjson::SUCCESS) {
            member->kind = Member::Kind::Number;
            member->number = double(number);
            member->whole = wholeNumber(member->number);
        }
        break;
    }
    case Type::DOUBLE: {
        double number = 0;
        if (value.get(number) == simdjson::SUCCESS) {
            member->kind = Member::Kind::Number;
            member->number = number;
            member->whole = wholeNumber(number);
        }
        break;
    }
    case Type::BOOL:
        if (value.get(member->boolean) == simdjson::SUCCESS)
            member->kind = Member::Kind::Bool;
        break;
    case Type::NULL_VALUE:
        member->kind = Member::Kind::Null;
        break;
    case Type::ARRAY:
    case Type::OBJECT:
        break;
    }
}

// The uploader is only read when `withUploader` (the case listing has no use for it).
void readFileFields(simdjson::dom::object file, FileFields *fields, bool withUploader)
{
    fields->clear();
    for (const simdjson::dom::key_value_pair member : file) {
        if (Member *slot = fields->memberFor(member.key)) {
            readMember(member.value, slot);
        } else if (withUploader && member.key == "uploadedBy"sv) {
            // A later "uploadedBy" replaces an earlier one entirely, as in QJsonObject.
            fields->clearUploader();
            simdjson::dom::object uploader;
            if (member.value.get(uploader) == simdjson::SUCCESS) {
                for (const simdjson::dom::key_value_pair field : uploader) {
                    if (Member *slot = fields->uploaderMemberFor(field.key))
                        readMember(field.value, slot);
                }
            }
        }
    }
}

// The value of the last `key` of `object` (QJsonObject keeps the last of duplicates).
bool lastValue(simdjson::dom::object object, std::string_view key, simdjson::dom::element *value)
{
    bool found = false;
    for (const simdjson::dom::key_value_pair member : object) {
        if (member.key == key) {
            *value = member.value;
            found = true;
        }
    }
    return found;
}

// filesOf() over simdjson's document.
bool filesOf(simdjson::dom::object body, simdjson::dom::array *files)
{
    simdjson::dom::element data;
    simdjson::dom::object dataObject;
    simdjson::dom::element list;
    if (lastValue(body, "data", &data) && data.get(dataObject) == simdjson::SUCCESS
        && lastValue(dataObject, "files", &list) && list.get(*files) == simdjson::SUCCESS)
        return true;
    return lastValue(body, "files", &list) && list.get(*files) == simdjson::SUCCESS;
}

#endif // DOCKET_HAVE_SIMDJSON

// Reads a list answer and calls visit(const FileFields &) for each object in its file list, in
// order (anything else in the list has no id, so no row). The uploader may be left out when not
// `withUploader`. Returns why the body is not a list answer, or an empty string.
template<typename Visit>
QString forEachFile(const QByteArray &body, JsonParser parser, bool withUploader, Visit &&visit)
{
    FileFields fields;
#ifdef DOCKET_HAVE_SIMDJSON
    if (parser == JsonParser::Simdjson) {
        simdjson::dom::parser reader;
        simdjson::dom::element root;
        // simdjson reads up to SIMDJSON_PADDING bytes past the end; it copies the body only when
        // the buffer has no such room.
        const bool padded = body.capacity() - body.size() >= qsizetype(simdjson::SIMDJSON_PADDING);
        simdjson::dom::object object;
        if (reader.parse(body.constData(), size_t(body.size()), !padded).get(root)
                == simdjson::SUCCESS
            && root.get(object) == simdjson::SUCCESS) {
            simdjson::dom::array files;
            if (!filesOf(object, &files))
                return kNoFileList;
            for (const simdjson::dom::element entry : files) {
                simdjson::dom::object file;
                if (entry.get(file) != simdjson::SUCCESS)
                    continue;
                readFileFields(file, &fields, withUploader);
                visit(std::as_const(fields));
            }
            return {};
        }
        // Refused, or not an object: QJsonDocument accepts a few things simdjson does not (a byte
        // order mark, lone surrogate escapes, unescaped control characters), and says in its own
        // words what is wrong with the rest.
    }
#else
    Q_UNUSED(parser);
    Q_UNUSED(withUploader);
#endif
    ApiResult result;
    result.body = body;
    QString problem;
    const QJsonObject object = result.jsonObject(&problem);
    if (!problem.isEmpty())
        return problem;
    const std::optional<QJsonArray> files = filesOf(object);
    if (!files)
        return kNoFileList;
    for (const QJsonValue &entry : *files) {
        if (!entry.isObject())
            continue;
        fields.readQt(entry.toObject());
        visit(std::as_const(fields));
    }
    return {};
}

// The all-files answer as case rows into `cases` and, unless `filesByCase` is null, each case's
// file rows (as parseFileList would make them of the case's own list) into `filesByCase`. Returns
// why the body is not a list answer, or an empty string.
QString readCases(const QByteArray &body, JsonParser parser, ListPage *cases,
                  QHash<QString, ListPage> *filesByCase, bool withDetails)
{
    // Without filesByCase only what a case row shows is read: no file rows are built (there may
    // be 50,000).
    struct CaseRow
    {
        CaseOfRows caseOfRows;
        int files = 0;
        int phiFiles = 0;
        bool hasNewest = false;
        qint64 newestMSecs = 0;
        QList<RemoteItem> items;
    };
    std::vector<CaseRow> rows; // in the order their newest file comes (the server's order)
    // By the caseId's UTF-8 bytes: looking up a case costs no QString per file.
    QHash<QByteArray, size_t> indexById;
    FileRowMaker fileRows(withDetails);
    // The uploader is only in the details.
    const bool withUploader = filesByCase && withDetails;
    const QString problem = forEachFile(body, parser, withUploader, [&](const FileFields &file) {
        // Counted as the case's file list will show them: only files with an id.
        if (!file.caseId.hasIdText() || !file.id.hasIdText())
            return;
        const Member &caseId = file.caseId;
        const QByteArray key = caseId.isString() && caseId.isUtf8
            ? QByteArray::fromRawData(caseId.utf8.data(), caseId.utf8.size())
            : TextMaker().idText(caseId).toUtf8();
        auto found = indexById.constFind(key);
        if (found == indexById.constEnd()) {
            // A deep copy: `key` may point into the parser's buffer.
            found = indexById.insert(QByteArray(key.constData(), key.size()), rows.size());
            rows.push_back({ CaseOfRows({ NodeKind::Care360Case, { QString::fromUtf8(key) } }),
                             0,
                             0,
                             false,
                             0,
                             {} });
        }
        CaseRow &row = rows[*found];
        ++row.files;
        if (file.isPHI.toBool(false))
            ++row.phiFiles;
        qint64 created = 0;
        if (firstPresent({ &file.createdAt, &file.createdAtSnake }).dateMSecs(&created)
            && (!row.hasNewest || created > row.newestMSecs)) {
            row.hasNewest = true;
            row.newestMSecs = created;
        }
        if (filesByCase)
            row.items.append(fileRows.row(file, row.caseOfRows));
    });
    if (!problem.isEmpty())
        return problem;
    cases->items.reserve(qsizetype(rows.size()));
    if (filesByCase)
        filesByCase->reserve(qsizetype(rows.size()));
    for (CaseRow &row : rows) {
        const QString &id = row.caseOfRows.ref.ids.first();
        RemoteItem item;
        item.ref = row.caseOfRows.ref;
        item.name = tr("Case %1").arg(id.left(8));
        if (row.hasNewest)
            item.created = QDateTime::fromMSecsSinceEpoch(row.newestMSecs, Qt::UTC);
        // Spelled out: without a translation loaded, "%n file(s)" would show as is.
        item.status = row.files == 1 ? tr("1 file") : tr("%1 files").arg(row.files);
        item.childCount = row.files;
        item.details = { { QStringLiteral("caseId"), id },
                         { QStringLiteral("fileCount"), row.files },
                         { QStringLiteral("phiFileCount"), row.phiFiles } };
        if (item.created.isValid())
            item.details.insert(QStringLiteral("newestFile"), item.created);
        cases->items.append(item);
        if (filesByCase) {
            ListPage files;
            files.total = int(row.items.size());
            files.items = std::move(row.items);
            filesByCase->insert(id, std::move(files));
        }
    }
    cases->total = int(cases->items.size());
    return {};
}

// The "data" object of a single-item answer (metadata, download).
std::optional<QJsonObject> dataOf(const QJsonObject &body)
{
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (data.isObject())
        return data.toObject();
    return std::nullopt;
}

} // namespace

// --- Authenticator ------------------------------------------------------------------------------

// Care360's access JWT (15 minutes) and rotating refresh token. Every refresh returns a new pair
// and kills the old refresh token; replaying an old one revokes the whole sign-in. So there is
// one refresh in flight at a time (the session guarantees it for its renewals; signIn() joins the
// same one here), and the new pair is stored before anyone is told the renewal is done.
class Care360Authenticator : public Authenticator
{
public:
    explicit Care360Authenticator(AccountSession *session)
        : Authenticator(session)
    { }
    ~Care360Authenticator() override { *m_alive = false; }

    bool authorize(ApiRequest &request) override;
    bool canRenew() const override;
    void renew(std::function<void(const ApiError &)> done) override;
    void invalidate() override { m_accessUsable = false; }

    // A new pair arrived (verify-otp or refresh): keeps it in memory at once, records when to
    // renew, and calls `done` once the store has both tokens.
    void acceptTokens(const TokenPair &tokens, QObject *context,
                      std::function<void(const QString &error)> done);
    // Sign-out: forget the expiry, and discard the answer of a refresh still in flight.
    void reset();

private:
    void refreshFinished(const ApiResult &result);
    void finishRenewal(const ApiError &error);

    // 0: unknown (a token read from the store); the service's 401 then starts the renewal.
    qint64 m_renewAtMs = 0;
    bool m_accessUsable = true;
    bool m_renewing = false;
    int m_generation = 0; // bumped by reset()
    int m_renewingGeneration = 0;
    QList<std::function<void(const ApiError &)>> m_renewWaiters;
    // Callbacks outlive nothing: the session may replace its authenticator.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

bool Care360Authenticator::authorize(ApiRequest &request)
{
    const QString tenantKey = session()->secret(Secret::tenantKey);
    const QString accessToken = session()->secret(Secret::accessToken);
    if (tenantKey.isEmpty() || accessToken.isEmpty() || !m_accessUsable)
        return false;
    if (m_renewAtMs > 0 && QDateTime::currentMSecsSinceEpoch() >= m_renewAtMs)
        return false; // about to expire: renew first
    request.headers.append({ "cv-api-key", tenantKey.toUtf8() });
    request.headers.append({ "Authorization", "Bearer " + accessToken.toUtf8() });
    return true;
}

bool Care360Authenticator::canRenew() const
{
    return session()->hasSecret(Secret::tenantKey) && session()->hasSecret(Secret::refreshToken);
}

void Care360Authenticator::renew(std::function<void(const ApiError &)> done)
{
    m_renewWaiters.append(std::move(done));
    if (m_renewing)
        return; // joins the refresh in flight: a second one would replay a dead token
    if (!canRenew()) {
        finishRenewal(ApiError::make(ApiError::Kind::SignedOut,
                                     tr("Care360 has no stored sign-in for this account. Sign in "
                                        "with a new code.")));
        return;
    }
    m_renewing = true;
    m_renewingGeneration = m_generation;
    const ApiRequest request = authRequest(
        session(), QStringLiteral("refresh-token"),
        { { QStringLiteral("refresh_token"), session()->secret(Secret::refreshToken) } });
    session()->sendUnauthenticated(request, session(),
                                   [this, alive = m_alive](const ApiResult &result) {
                                       if (*alive)
                                           refreshFinished(result);
                                   });
}

void Care360Authenticator::refreshFinished(const ApiResult &result)
{
    if (m_renewingGeneration != m_generation) {
        // Signed out while the refresh was out: its tokens must not come back.
        finishRenewal(ApiError::make(ApiError::Kind::SignedOut, tr("Signed out of Care360.")));
        return;
    }
    if (!result.ok()) {
        if (result.status != 401) {
            // A timeout or a server error says nothing about the refresh token: keep it.
            finishRenewal(care360Error(result));
            return;
        }
        // REFRESH_REUSED (the family is revoked), REFRESH_INVALID, or any other refusal: the
        // tokens are dead, and keeping them would only invite another replay.
        const ApiError error = signedOutError(result.error);
        m_accessUsable = false;
        m_renewAtMs = 0;
        storeSecrets(session(),
                     { { Secret::refreshToken, QString() }, { Secret::accessToken, QString() } },
                     session(), [this, alive = m_alive, error](const QString &) {
                         if (*alive)
                             finishRenewal(error);
                     });
        return;
    }
    QString problem;
    const QJsonObject body = result.jsonObject(&problem);
    const std::optional<TokenPair> tokens = problem.isEmpty() ? parseTokens(body) : std::nullopt;
    if (!tokens) {
        finishRenewal(ApiError::malformed(
            problem.isEmpty() ? QStringLiteral("no access and refresh token in the answer")
                              : problem,
            result.requestId));
        return;
    }
    acceptTokens(*tokens, session(), [this, alive = m_alive](const QString &error) {
        if (*alive)
            finishRenewal(error.isEmpty() ? ApiError() : storeError(error));
    });
}

void Care360Authenticator::finishRenewal(const ApiError &error)
{
    m_renewing = false;
    // A waiter may start the next renewal at once (a retried request meeting another 401).
    const auto waiters = std::exchange(m_renewWaiters, {});
    for (const auto &done : waiters)
        done(error);
}

void Care360Authenticator::acceptTokens(const TokenPair &tokens, QObject *context,
                                        std::function<void(const QString &)> done)
{
    const int margin = qMin(kRenewMarginSeconds, tokens.expiresIn / 4);
    m_renewAtMs = QDateTime::currentMSecsSinceEpoch() + qint64(tokens.expiresIn - margin) * 1000;
    m_accessUsable = true;
    // The refresh token first: it is the one that cannot be recovered if lost.
    storeSecrets(session(),
                 { { Secret::refreshToken, tokens.refreshToken },
                   { Secret::accessToken, tokens.accessToken } },
                 context, std::move(done));
}

void Care360Authenticator::reset()
{
    ++m_generation;
    m_renewAtMs = 0;
    m_accessUsable = true;
}

// --- Connector ----------------------------------------------------------------------------------

Care360Connector::Care360Connector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{
    auto authenticator = std::make_unique<Care360Authenticator>(session);
    m_authenticator = authenticator.get();
    session->setAuthenticator(std::move(authenticator));
    m_knownFilesExpiry.setSingleShot(true);
    connect(&m_knownFilesExpiry, &QTimer::timeout, this, &Care360Connector::forgetKnownFiles);
}

void Care360Connector::setFileTypeFilter(const QString &type)
{
    if (type != m_typeFilter)
        forgetKnownFiles();
    m_typeFilter = type;
}

void Care360Connector::setKnownFilesLifetime(int milliseconds)
{
    m_knownFilesLifetimeMs = qMax(0, milliseconds);
    forgetKnownFiles();
}

std::optional<ListPage> Care360Connector::takeKnownFiles(const QString &caseId, bool withDetails)
{
    if (m_knownFiles.byCase.isEmpty() || m_knownFiles.typeFilter != m_typeFilter
        || (withDetails && !m_knownFiles.withDetails)
        || m_knownFiles.age.hasExpired(m_knownFilesLifetimeMs))
        return std::nullopt;
    const auto found = m_knownFiles.byCase.find(caseId);
    if (found == m_knownFiles.byCase.end())
        return std::nullopt;
    ListPage page = std::move(*found);
    m_knownFiles.byCase.erase(found);
    if (m_knownFiles.byCase.isEmpty())
        forgetKnownFiles();
    return page;
}

void Care360Connector::answerFromKnownFiles(ListJob *job, ListPage page)
{
    m_knownAnswers.push_back({ job, std::move(page) });
    if (m_knownAnswers.size() == 1)
        QTimer::singleShot(0, this, &Care360Connector::deliverKnownAnswer);
}

void Care360Connector::deliverKnownAnswer()
{
    // One per turn of the event loop: whoever lists every case at once (a select-all, a filter)
    // would otherwise get all the pages, and insert all the rows, in one go. What is posted while
    // posted events are being handled waits for the next turn.
    if (m_knownAnswers.empty())
        return;
    auto [job, page] = std::move(m_knownAnswers.front());
    m_knownAnswers.pop_front();
    if (!m_knownAnswers.empty())
        QTimer::singleShot(0, this, &Care360Connector::deliverKnownAnswer);
    if (!job || job->isFinished())
        return; // aborted meanwhile
    job->setPage(std::move(page));
    job->finish();
}

void Care360Connector::forgetKnownFiles()
{
    m_knownFilesExpiry.stop();
    m_knownFiles = KnownFiles();
}

ApiRequest Care360Connector::authRequest(const QString &call, const QJsonObject &body) const
{
    return Docket::authRequest(session(), call, body);
}

QUrl Care360Connector::filesUrl(const QStringList &segments,
                                const QList<QPair<QString, QString>> &query) const
{
    return urlWithSegments(account().baseUrl,
                           QStringList { QStringLiteral("api"), QStringLiteral("v1"),
                                         QStringLiteral("users"), QStringLiteral("me"),
                                         QStringLiteral("files") }
                               + segments,
                           query);
}

bool Care360Connector::looksLikePhoneNumber(const QString &login)
{
    if (login.contains(u'@'))
        return false;
    QString compact = login.trimmed();
    compact.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
    static const QRegularExpression phone(
        QRegularExpression::anchoredPattern(QStringLiteral("\\+?[0-9]{7,15}")));
    return phone.match(compact).hasMatch();
}

ListJob *Care360Connector::list(const NodeRef &parent, const PageRequest &page)
{
    // Care360 has no pagination: every list is one request, whatever page was asked for.
    auto *job = new ListJob(parent, this);
    if (parent.kind == NodeKind::Account) {
        listCases(job, page.withDetails);
    } else if (parent.kind == NodeKind::Care360Case && !parent.id().isEmpty()) {
        if (std::optional<ListPage> known = takeKnownFiles(parent.id(), page.withDetails)) {
            answerFromKnownFiles(job, std::move(*known));
            return job;
        }
        listFiles(job, parent.id(), page.withDetails);
    } else {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("Care360 has nothing to list under a %1.").arg(nodeKindName(parent.kind))));
    }
    return job;
}

namespace {

// Ends a list job with what `parse` (run on a worker thread) makes of the answer: the rows, or a
// MalformedResponse when the body is not a list answer. Big answers take longer to read than the
// event loop may be blocked, and a worker costs little for small ones.
template<typename Parse>
void finishListOffThread(ListJob *job, const QByteArray &requestId, Parse &&parse)
{
    runOffThread(job, std::forward<Parse>(parse),
                 [job, requestId](Care360Connector::ParsedList parsed) {
                     if (job->isFinished())
                         return; // aborted meanwhile
                     if (!parsed.problem.isEmpty()) {
                         job->finish(ApiError::malformed(parsed.problem, requestId));
                         return;
                     }
                     job->setPage(std::move(parsed.page));
                     job->finish();
                 });
}

} // namespace

void Care360Connector::listCases(ListJob *job, bool withDetails)
{
    // There is no case list: the cases are the distinct caseIds of the patient's files (files
    // uploaded without a case are not listed by Care360 at all).
    QList<QPair<QString, QString>> query;
    if (!m_typeFilter.isEmpty())
        query.append({ QStringLiteral("type"), m_typeFilter.toLower() });
    ApiRequest request;
    request.url = filesUrl({}, query);
    // The job is the connector's child: while it lives, so does `this`.
    const bool keepFiles = m_knownFilesLifetimeMs > 0;
    session()->send(
        request, job,
        [this, job, withDetails, keepFiles, filter = m_typeFilter,
         removals = m_removalsStarted](const ApiResult &result) {
            if (!result.ok()) {
                job->finish(care360Error(result));
                return;
            }
            // The body is owned by the worker's copy (QByteArray shares, it does not copy).
            runOffThread(
                job,
                [body = result.body, withDetails, keepFiles] {
                    ParsedAccount parsed;
                    if (keepFiles)
                        parsed = parseAccountList(body, defaultJsonParser(), withDetails);
                    else
                        parsed.cases = parseCaseList(body); // no file rows are built
                    return parsed;
                },
                [this, job, filter, withDetails, removals,
                 requestId = result.requestId](ParsedAccount parsed) {
                    if (job->isFinished())
                        return; // aborted meanwhile
                    if (!parsed.cases.problem.isEmpty()) {
                        job->finish(ApiError::malformed(parsed.cases.problem, requestId));
                        return;
                    }
                    // Newer than any rows kept before, which it replaces. Not kept when a
                    // delete started since the request went out: the answer may predate it.
                    forgetKnownFiles();
                    if (filter == m_typeFilter && m_knownFilesLifetimeMs > 0
                        && removals == m_removalsStarted && !parsed.filesByCase.isEmpty()) {
                        m_knownFiles.typeFilter = filter;
                        m_knownFiles.withDetails = withDetails;
                        m_knownFiles.byCase = std::move(parsed.filesByCase);
                        m_knownFiles.age.start();
                        m_knownFilesExpiry.start(m_knownFilesLifetimeMs);
                    }
                    job->setPage(std::move(parsed.cases.page));
                    job->finish();
                });
        });
}

void Care360Connector::listFiles(ListJob *job, const QString &caseId, bool withDetails)
{
    QList<QPair<QString, QString>> query { { QStringLiteral("caseId"), caseId } };
    if (!m_typeFilter.isEmpty())
        query.append({ QStringLiteral("type"), m_typeFilter.toLower() });
    ApiRequest request;
    request.url = filesUrl({}, query);
    session()->send(request, job, [job, withDetails](const ApiResult &result) {
        if (!result.ok()) {
            ApiError error = care360Error(result);
            if (error.httpStatus == 403)
                error.userMessage = tr("This case is not one of the signed-in patient's cases, "
                                       "so Care360 does not show its files. (HTTP 403)");
            job->finish(error);
            return;
        }
        finishListOffThread(
            job, result.requestId, [body = result.body, parent = job->parentRef(), withDetails] {
                return parseFileList(body, parent, defaultJsonParser(), withDetails);
            });
    });
}

Care360Connector::ParsedList Care360Connector::parseFileList(const QByteArray &body,
                                                             const NodeRef &caseRef,
                                                             JsonParser parser, bool withDetails)
{
    ParsedList parsed;
    FileRowMaker rows(withDetails);
    const CaseOfRows caseOfRows(caseRef);
    parsed.problem = forEachFile(body, parser, withDetails, [&](const FileFields &file) {
        if (!file.id.hasIdText())
            return; // nothing Docket could show, open or delete
        parsed.page.items.append(rows.row(file, caseOfRows));
    });
    if (!parsed.problem.isEmpty())
        parsed.page = ListPage();
    else
        parsed.page.total = int(parsed.page.items.size());
    return parsed;
}

Care360Connector::ParsedList Care360Connector::parseCaseList(const QByteArray &body,
                                                             JsonParser parser)
{
    ParsedList parsed;
    parsed.problem = readCases(body, parser, &parsed.page, nullptr, false);
    return parsed;
}

Care360Connector::ParsedAccount
Care360Connector::parseAccountList(const QByteArray &body, JsonParser parser, bool withDetails)
{
    ParsedAccount parsed;
    parsed.cases.problem
        = readCases(body, parser, &parsed.cases.page, &parsed.filesByCase, withDetails);
    return parsed;
}

bool Care360Connector::canDelete(NodeKind kind) const
{
    return kind == NodeKind::Care360File;
}

DeletePlan Care360Connector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.permanence = DeletePlan::Permanence::Soft;
    if (item.ref.kind == NodeKind::Care360File) {
        plan.explanation = tr("Hides “%1” from the patient and from Docket. CareValidate keeps the "
                              "file and records the deletion in the case's activity; it cannot "
                              "be undone from Docket.")
                               .arg(item.name);
    } else {
        plan.explanation = tr("Care360 does not let Docket delete a %1; only files can be "
                              "deleted, one at a time.")
                               .arg(nodeKindName(item.ref.kind).toLower());
    }
    return plan;
}

DeleteJob *Care360Connector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    if (!canDelete(item.ref.kind) || item.ref.id().isEmpty()) {
        job->finish(
            ApiError::make(ApiError::Kind::InvalidInput, tr("Only Care360 files can be deleted.")));
        return job;
    }
    ++m_removalsStarted;
    // The case's kept rows still list the file: whatever the outcome, its next list asks Care360.
    // (A file named without its case could be in any of them.)
    if (item.ref.ids.size() >= 2)
        m_knownFiles.byCase.remove(item.ref.ids.first());
    else
        forgetKnownFiles();
    ApiRequest request;
    request.method = "DELETE";
    request.url = filesUrl({ item.ref.id() });
    request.requestId = requestId;
    session()->send(request, job, [job](const ApiResult &result) {
        // Care360's 404 is uniform (missing, already deleted, another patient's, or not uploaded
        // by this patient): all are "already gone" as far as Docket can tell. An unknown tenant
        // is a 404 too, but then nothing was looked at: that one is an error.
        if (isUnknownTenant(result.error)) {
            job->finish(care360Error(result));
            return;
        }
        job->finishFromResult(result);
    });
    return job;
}

SimpleJob *Care360Connector::fetchMetadata(const NodeRef &file)
{
    return fetchFileData(file, QStringLiteral("metadata"));
}

SimpleJob *Care360Connector::fetchDownloadLink(const NodeRef &file)
{
    return fetchFileData(file, QStringLiteral("download"));
}

SimpleJob *Care360Connector::fetchFileData(const NodeRef &file, const QString &call)
{
    auto *job = new SimpleJob(this);
    if (file.kind != NodeKind::Care360File || file.id().isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Only Care360 files have details to fetch.")));
        return job;
    }
    ApiRequest request;
    request.url = filesUrl({ file.id(), call });
    const bool download = call == QLatin1String("download");
    session()->send(request, job, [job, download](const ApiResult &result) {
        if (!result.ok()) {
            job->finish(care360Error(result));
            return;
        }
        QString problem;
        const QJsonObject body = result.jsonObject(&problem);
        const std::optional<QJsonObject> data = problem.isEmpty() ? dataOf(body) : std::nullopt;
        if (!data) {
            job->finish(ApiError::malformed(
                problem.isEmpty() ? QStringLiteral("no data object in the answer") : problem,
                result.requestId));
            return;
        }
        if (!download) {
            QVariantMap map = data->toVariantMap();
            const QString uploader = uploaderName(*data);
            if (!uploader.isEmpty())
                map.insert(QStringLiteral("uploadedByName"), uploader);
            job->setData(map);
            job->finish();
            return;
        }
        // Only a web address is a link: anything else must not reach a "open this" button.
        const QUrl url(firstField(*data, { "downloadUrl", "download_url", "url" }).toString(),
                       QUrl::StrictMode);
        if (!url.isValid()
            || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
            job->finish(ApiError::malformed(QStringLiteral("no usable downloadUrl in the answer"),
                                            result.requestId));
            return;
        }
        job->setData({
            { QStringLiteral("downloadUrl"), url.toString(QUrl::FullyEncoded) },
            { QStringLiteral("fileName"),
              firstField(*data, { "fileName", "file_name", "name" }).toString() },
            { QStringLiteral("expiresIn"),
              positiveSeconds(firstField(*data, { "expiresIn", "expires_in" }),
                              kDefaultDownloadSeconds) },
        });
        job->finish();
    });
    return job;
}

SimpleJob *Care360Connector::signIn()
{
    auto *job = new SimpleJob(this);
    if (!session()->hasSecret(Secret::tenantKey)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Care360 tenant key (cv-api-key) first.")));
        return job;
    }
    // renew() answers "no stored sign-in" itself when there is no refresh token, and joins a
    // renewal already in flight instead of replaying the same refresh token.
    QPointer<SimpleJob> guard(job);
    QPointer<AccountSession> sessionGuard(session());
    m_authenticator->renew([guard, sessionGuard](const ApiError &error) {
        if (!guard)
            return;
        if (!error.isError() && sessionGuard)
            sessionGuard->markSignedIn();
        guard->finish(error);
    });
    return job;
}

SimpleJob *Care360Connector::requestCode()
{
    auto *job = new SimpleJob(this);
    const QString login = account().care360Login.trimmed();
    if (!session()->hasSecret(Secret::tenantKey)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Care360 tenant key (cv-api-key) first.")));
        return job;
    }
    if (login.isEmpty()) {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("Enter the email address or phone number the code should be sent to.")));
        return job;
    }
    const bool phone = looksLikePhoneNumber(login);
    QJsonObject body;
    if (phone) {
        QString number = login;
        number.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
        body = { { QStringLiteral("phoneNumber"), number },
                 { QStringLiteral("channel"), QStringLiteral("SMS") } };
    } else {
        body = { { QStringLiteral("email"), login },
                 { QStringLiteral("channel"), QStringLiteral("EMAIL") } };
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("send-otp"), body), job,
        [job, phone, login](const ApiResult &result) {
            if (!result.ok()) {
                ApiError error = care360Error(result);
                if (error.httpStatus == 400)
                    error.userMessage = tr("Care360 did not accept “%1” as an email address or "
                                           "phone number. (HTTP 400)")
                                            .arg(login);
                job->finish(error);
                return;
            }
            // Always 200, whether or not the account exists (no user enumeration).
            job->setData({ { QStringLiteral("channel"),
                             phone ? QStringLiteral("SMS") : QStringLiteral("EMAIL") } });
            job->finish();
        });
    return job;
}

SimpleJob *Care360Connector::verifyCode(const QString &code)
{
    auto *job = new SimpleJob(this);
    const QString login = account().care360Login.trimmed();
    const QString trimmedCode = code.trimmed();
    if (!session()->hasSecret(Secret::tenantKey) || login.isEmpty() || trimmedCode.isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   trimmedCode.isEmpty()
                                       ? tr("Enter the code Care360 sent.")
                                       : tr("Enter the tenant key and the email address or phone "
                                            "number first.")));
        return job;
    }
    QJsonObject body { { QStringLiteral("code"), trimmedCode } };
    if (looksLikePhoneNumber(login)) {
        QString number = login;
        number.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
        body.insert(QStringLiteral("phoneNumber"), number);
    } else {
        body.insert(QStringLiteral("email"), login);
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("verify-otp"), body), job, [this, job](const ApiResult &result) {
            if (!result.ok()) {
                ApiError error = care360Error(result);
                if (!isUnknownTenant(error) && (error.httpStatus == 401 || error.httpStatus == 400))
                    error.userMessage = tr("The code is wrong or has expired. Request a new code "
                                           "and try again. (HTTP %1)")
                                            .arg(error.httpStatus);
                job->finish(error);
                return;
            }
            QString problem;
            const QJsonObject body = result.jsonObject(&problem);
            const std::optional<TokenPair> tokens
                = problem.isEmpty() ? parseTokens(body) : std::nullopt;
            if (!tokens) {
                job->finish(ApiError::malformed(
                    problem.isEmpty() ? QStringLiteral("no access and refresh token in the answer")
                                      : problem,
                    result.requestId));
                return;
            }
            // Signed in only once both tokens are safe in the store.
            m_authenticator->acceptTokens(*tokens, job, [this, job](const QString &error) {
                if (!error.isEmpty()) {
                    job->finish(storeError(error));
                    return;
                }
                session()->markSignedIn();
                job->finish();
            });
        });
    return job;
}

SimpleJob *Care360Connector::signOut()
{
    auto *job = new SimpleJob(this);
    m_authenticator->reset();
    const QString refreshToken = session()->secret(Secret::refreshToken);
    const auto forget = [this, job](const ApiError &logoutError, bool called) {
        // Forget every secret even when the logout call failed: Docket must not keep a sign-in
        // the user ended.
        session()->clearSecrets(job, [job, logoutError, called](const QString &error) {
            QVariantMap data { { QStringLiteral("serviceLogout"),
                                 called && !logoutError.isError() } };
            if (logoutError.isError())
                data.insert(QStringLiteral("serviceLogoutError"), logoutError.userMessage);
            job->setData(data);
            job->finish(error.isEmpty() ? ApiError()
                                        : ApiError::make(ApiError::Kind::Credentials, error));
        });
    };
    if (refreshToken.isEmpty() || !session()->hasSecret(Secret::tenantKey)) {
        forget(ApiError(), false); // nothing to end at the service
        return job;
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("logout"),
                    { { QStringLiteral("refresh_token"), refreshToken } }),
        job, [forget](const ApiResult &result) { forget(care360Error(result), true); });
    return job;
}

} // namespace Docket
