#include "care360filelist.h"

#include "connectors/connectorsupport.h"
#include "connectors/jsonarrayscanner.h"
#include "connectors/jsonparsing.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <new>
#include <optional>
#include <vector>

#ifdef DOCKET_HAVE_SIMDJSON
#include <simdjson.h>
#endif

// Care360Connector's file list answers: read with QJsonDocument or simdjson, into RemoteItems
// (with details, for docket-cli and the details pane) or a RowBlock (for the tree).

namespace Docket {

using namespace std::literals;

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return Care360Connector::tr(text, disambiguation, n);
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
        m_createdRead = false;
    }

    // When the file was created (createdAt, else created_at) as milliseconds since the epoch;
    // false when neither is a readable date. Read once per file: the case's newest file and the
    // file's own row both ask.
    bool createdMSecs(qint64 *msecs) const
    {
        if (!m_createdRead) {
            m_createdValid = firstPresent({ &createdAt, &createdAtSnake }).dateMSecs(&m_created);
            m_createdRead = true;
        }
        *msecs = m_created;
        return m_createdValid;
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
        m_createdRead = false;
        const QJsonValue uploader = file.value(QLatin1String("uploadedBy"));
        if (uploader.isObject()) {
            const QJsonObject object = uploader.toObject();
            for (const char *key : { "id", "firstName", "lastName" })
                uploaderMemberFor(key)->readQt(object.value(QLatin1String(key)));
        }
    }

private:
    mutable bool m_createdRead = false;
    mutable bool m_createdValid = false;
    mutable qint64 m_created = 0;
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

// A case's file rows in compact form, with the index of each status word once it is used.
struct CompactRows
{
    RowBlock block;
    int statuses[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } }; // as StatusWords::texts
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
        if (file.createdMSecs(&created))
            item.created = QDateTime::fromMSecsSinceEpoch(created, Qt::UTC);
        item.sizeBytes = sizeBytes(file.size);

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

    // The same row in compact form (for a request without details), appended to `rows`. Ids and
    // names that simdjson read go in as the answer's bytes; anything else (QJsonDocument's
    // strings, numbers as ids) goes through row().
    void appendRow(const FileFields &file, const CaseOfRows &caseOfRows, CompactRows *rows)
    {
        const Member &nameMember
            = firstPresent({ &file.fileName, &file.name, &file.fileNameSnake });
        const bool idIsUtf8 = file.id.isString() && file.id.isUtf8;
        if (!idIsUtf8 || (nameMember.isString() && !nameMember.isUtf8)) {
            rows->block.append(row(file, caseOfRows), caseOfRows.ref);
            return;
        }
        // text() of a member that is not a string is empty, and an empty name shows the id.
        const QByteArrayView name
            = nameMember.isString() && !nameMember.utf8.isEmpty() ? nameMember.utf8 : file.id.utf8;
        qint64 created = RowBlock::noDate;
        if (!file.createdMSecs(&created))
            created = RowBlock::noDate;
        const qint64 size = sizeBytes(file.size);
        const int phi = file.isPHI.kind == Member::Kind::Bool ? (file.isPHI.boolean ? 1 : 2) : 0;
        const int restricted = file.isRestricted.toBool(false) ? 1 : 0;
        int &status = rows->statuses[phi][restricted];
        if (status < 0)
            status = rows->block.addStatus(m_words.texts[phi][restricted]);
        rows->block.appendUtf8(NodeKind::Care360File, file.id.utf8, name, created,
                               size >= 0 ? Measure::Bytes : Measure::None, size, quint16(status));
    }

private:
    // A size in bytes, or -1 when it is not a number of bytes a qint64 holds.
    static qint64 sizeBytes(const Member &size)
    {
        if (size.kind != Member::Kind::Number || !(size.number >= 0)
            || size.number >= 9223372036854775808.0)
            return -1;
        return qint64(size.number);
    }

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
        // (Qt 6 counts room before the data in capacity(): only the room after it counts here.
        // Qt 6.4 has no const data_ptr(); nothing is changed through it.)
        const bool padded = const_cast<QByteArray &>(body).data_ptr().freeSpaceAtEnd()
            >= qsizetype(simdjson::SIMDJSON_PADDING);
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

// Groups the files of the all-files answer by case as they are read: the case rows (file counts,
// newest file) and, when `withFiles`, each case's file rows, as parseFileList would make them of
// the case's own list. Only what a case row shows is read without `withFiles`: no file rows are
// built (there may be 50,000).
class CaseGrouper
{
public:
    CaseGrouper(bool withFiles, bool withDetails)
        : m_withFiles(withFiles)
        , m_withDetails(withDetails)
        , m_fileRows(withDetails)
    { }

    // The uploader is only in the details.
    bool withUploader() const { return m_withFiles && m_withDetails; }

    void add(const FileFields &file)
    {
        // Counted as the case's file list will show them: only files with an id.
        if (!file.caseId.hasIdText() || !file.id.hasIdText())
            return;
        const Member &caseId = file.caseId;
        const QByteArray key = caseId.isString() && caseId.isUtf8
            ? QByteArray::fromRawData(caseId.utf8.data(), caseId.utf8.size())
            : TextMaker().idText(caseId).toUtf8();
        auto found = m_indexById.constFind(key);
        if (found == m_indexById.constEnd()) {
            // A deep copy: `key` may point into the parser's buffer.
            found = m_indexById.insert(QByteArray(key.constData(), key.size()), m_rows.size());
            m_rows.emplace_back(CaseOfRows({ NodeKind::Care360Case, { QString::fromUtf8(key) } }));
        }
        CaseRow &row = m_rows[*found];
        ++row.files;
        if (file.isPHI.toBool(false))
            ++row.phiFiles;
        qint64 created = 0;
        if (file.createdMSecs(&created) && (!row.hasNewest || created > row.newestMSecs)) {
            row.hasNewest = true;
            row.newestMSecs = created;
        }
        if (m_withFiles && m_withDetails)
            row.items.append(m_fileRows.row(file, row.caseOfRows));
        else if (m_withFiles)
            m_fileRows.appendRow(file, row.caseOfRows, &row.rows);
    }

    // The case rows into `cases`, and with `withFiles` each case's file rows into `filesByCase`.
    void finish(ListPage *cases, QHash<QString, ListPage> *filesByCase)
    {
        cases->items.reserve(qsizetype(m_rows.size()));
        if (m_withFiles)
            filesByCase->reserve(qsizetype(m_rows.size()));
        for (CaseRow &row : m_rows) {
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
            if (m_withFiles) {
                ListPage files;
                files.total = row.files;
                files.items = std::move(row.items);
                files.rows = std::move(row.rows.block);
                filesByCase->insert(id, std::move(files));
            }
        }
        cases->total = int(cases->items.size());
        m_rows.clear();
        m_indexById.clear();
    }

private:
    struct CaseRow
    {
        explicit CaseRow(CaseOfRows caseOfRows)
            : caseOfRows(std::move(caseOfRows))
        { }
        CaseOfRows caseOfRows;
        int files = 0;
        int phiFiles = 0;
        bool hasNewest = false;
        qint64 newestMSecs = 0;
        QList<RemoteItem> items; // with details
        CompactRows rows; // without
    };

    const bool m_withFiles;
    const bool m_withDetails;
    FileRowMaker m_fileRows;
    std::vector<CaseRow> m_rows; // in the order their newest file comes (the server's order)
    // By the caseId's UTF-8 bytes: looking up a case costs no QString per file.
    QHash<QByteArray, size_t> m_indexById;
};

// The all-files answer as case rows into `cases` and, unless `filesByCase` is null, each case's
// file rows into `filesByCase` (see CaseGrouper), read whole. Returns why the body is not a list
// answer, or an empty string.
QString readCases(const QByteArray &body, JsonParser parser, ListPage *cases,
                  QHash<QString, ListPage> *filesByCase, bool withDetails)
{
    CaseGrouper grouper(filesByCase != nullptr, withDetails);
    const QString problem = forEachFile(body, parser, grouper.withUploader(),
                                        [&](const FileFields &file) { grouper.add(file); });
    if (!problem.isEmpty())
        return problem;
    grouper.finish(cases, filesByCase);
    return {};
}

} // namespace

Care360Connector::ParsedList Care360Connector::parseFileList(const QByteArray &body,
                                                             const NodeRef &caseRef,
                                                             JsonParser parser, bool withDetails)
{
    ParsedList parsed;
    FileRowMaker rows(withDetails);
    const CaseOfRows caseOfRows(caseRef);
    CompactRows compact;
    int count = 0;
    parsed.problem = forEachFile(body, parser, withDetails, [&](const FileFields &file) {
        if (!file.id.hasIdText())
            return; // nothing Docket could show, open or delete
        if (withDetails)
            parsed.page.items.append(rows.row(file, caseOfRows));
        else
            rows.appendRow(file, caseOfRows, &compact);
        ++count;
    });
    if (!parsed.problem.isEmpty()) {
        parsed.page = ListPage();
    } else {
        parsed.page.total = count;
        parsed.page.rows = std::move(compact.block);
    }
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

// --- Reading while the answer arrives
// -------------------------------------------------------------

// The body is kept twice over, cheaply: `pieces` as they came (shared, not copied), in case it
// must be read whole; and `pending`, the bytes not read yet, in one buffer that is reused. Runs are
// read in place there, each at most maxRunBytes so the parser's buffers stay small and warm.
struct Care360ListStream::Private
{
    Private(bool withFiles, bool withDetails, qsizetype minRunBytes)
        : minRunBytes(qMax<qsizetype>(1, minRunBytes))
        , withFiles(withFiles)
        , withDetails(withDetails)
        , grouper(withFiles, withDetails)
    {
#ifdef DOCKET_HAVE_SIMDJSON
        // A file is two levels deeper in the body than in a run ([ file ]): the same nesting
        // limit as reading the body whole.
        givenUp = givenUp
            || parser.allocate(size_t(this->minRunBytes), simdjson::DEFAULT_MAX_DEPTH - 2)
                != simdjson::SUCCESS;
#endif
    }

    // Reads the whole files that have arrived, once there are enough of them for a run.
    void readRuns();
    // After the last piece: reads the last run, up to the list's ], and checks the envelope.
    bool readLastRun();
    // The files of pending[runBegin + 1, end) (whole elements and the commas between them),
    // wrapped in [ ]; false, having read nothing, when that is not valid JSON (a wrong guess).
    bool readRun(qsizetype end);
    // True when the body with an empty list in place of the one read ("...[" + "]...", the list's
    // ] at pending[listEnd]) is valid and names the list once: then the list read is the one
    // filesOf() takes.
    bool envelopeIsSound(qsizetype listEnd) const;
    QByteArray wholeBody() const;

    // A run is read once this many bytes of whole files are in, and holds at most maxRunBytes:
    // big enough that reading a run costs little beyond its files, small enough to keep pace with
    // the transfer and to keep the parser's buffers in the cache.
    const qsizetype minRunBytes;
    static constexpr qsizetype maxRunBytes = 1024 * 1024;
    // Wrong guesses (a file name holding "},{") before giving up and reading the body whole.
    static constexpr int maxWrongGuesses = 16;

    const bool withFiles;
    const bool withDetails;
    QList<QByteArray> pieces;
    JsonArrayScanner scanner { "data", "files" };
    QByteArray prefix; // the body up to and including the list's [, once found
    // From the list's [ (or the comma after the last run read) to what has arrived; before the
    // list is found, the body so far.
    QByteArray pending;
    qsizetype runBegin = 0; // in `pending`: the [ or comma before the files not read yet
    CaseGrouper grouper;
    bool tookRun = false;
    int wrongGuesses = 0;
    // Reading in runs gave up: finish() reads the whole body.
    bool givenUp = !simdjsonAvailable();
    qint64 bytesRead = 0;
    qint64 bytesReadEarly = 0; // before finish()
    bool outOfMemory = false;
#ifdef DOCKET_HAVE_SIMDJSON
    simdjson::dom::parser parser; // reused: its buffers grow to the biggest run once
    FileFields fields;
#endif
};

void Care360ListStream::Private::readRuns()
{
    if (prefix.isEmpty()) {
        scanner.scan(pending);
        if (!scanner.foundArray())
            return;
        prefix = pending.first(scanner.arrayBegin() + 1);
        pending.remove(0, scanner.arrayBegin());
        runBegin = 0;
    }
    while (!givenUp && pending.size() - runBegin > minRunBytes) {
        // The last end of a file in reach of a run; past it only when a file is bigger than that.
        qsizetype before = qMin(pending.size(), runBegin + maxRunBytes);
        qsizetype end = JsonArrayScanner::lastObjectBoundary(pending, runBegin, before);
        if (end < 0 && before < pending.size())
            end = JsonArrayScanner::lastObjectBoundary(pending, runBegin, pending.size());
        // A wrong guess (inside a string) is refused: the one before it is tried.
        while (end >= 0 && !readRun(end)) {
            if (++wrongGuesses > maxWrongGuesses) {
                givenUp = true;
                return;
            }
            end = JsonArrayScanner::lastObjectBoundary(pending, runBegin, end);
        }
        if (end < 0)
            break; // no whole file yet (a huge one, or not objects): wait for more
        runBegin = end;
    }
    // What was read is let go of: the buffer keeps its size, not the whole body.
    pending.remove(0, runBegin);
    runBegin = 0;
}

bool Care360ListStream::Private::readLastRun()
{
    if (prefix.isEmpty())
        return false;
    // Most likely the last ] of the body ("...]}}"); where the envelope holds more, the right one
    // is the last for which both the envelope and the files read.
    qsizetype before = pending.size();
    for (int guess = 0; guess < maxWrongGuesses; ++guess) {
        const qsizetype end = JsonArrayScanner::lastClosingBracket(pending, runBegin + 1, before);
        if (end < 0)
            return false;
        if (envelopeIsSound(end) && readRun(end))
            return true;
        before = end;
    }
    return false;
}

bool Care360ListStream::Private::readRun(qsizetype end)
{
#ifdef DOCKET_HAVE_SIMDJSON
    const qsizetype size = end - runBegin + 1; // with the [ or comma before, and the end
    // A blank run is an empty list, or a stray comma (which the ordinary reading refuses).
    if (JsonArrayScanner::isBlank(QByteArrayView(pending).sliced(runBegin + 1, size - 2)))
        return !tookRun && pending.at(end) == ']';
    // Read in place, as [ files ]: the separator before the run becomes [ (it is not needed
    // again), the one after it ] for as long as the run is read. simdjson may read up to
    // SIMDJSON_PADDING bytes past the end, whatever they hold.
    pending.reserve(end + 1 + qsizetype(simdjson::SIMDJSON_PADDING)); // counts from the data

    char *text = pending.data();
    const char after = text[end];
    text[runBegin] = '[';
    text[end] = ']';
    simdjson::dom::element root;
    simdjson::dom::array files;
    const bool read
        = parser.parse(text + runBegin, size_t(size), false).get(root) == simdjson::SUCCESS
        && root.get(files) == simdjson::SUCCESS;
    if (read) {
        for (const simdjson::dom::element entry : files) {
            simdjson::dom::object file;
            if (entry.get(file) != simdjson::SUCCESS)
                continue; // not an object: no id, no row (as forEachFile)
            readFileFields(file, &fields, grouper.withUploader());
            grouper.add(std::as_const(fields));
        }
        tookRun = true;
        bytesRead += size - 2;
    }
    text[end] = after;
    return read;
#else
    Q_UNUSED(end);
    return false;
#endif
}

bool Care360ListStream::Private::envelopeIsSound(qsizetype listEnd) const
{
#ifdef DOCKET_HAVE_SIMDJSON
    QByteArray envelope;
    envelope.reserve(prefix.size() + pending.size() - listEnd
                     + qsizetype(simdjson::SIMDJSON_PADDING));
    envelope.append(prefix);
    envelope.append(QByteArrayView(pending).sliced(listEnd));
    simdjson::dom::parser envelopeParser;
    simdjson::dom::element root;
    simdjson::dom::object object;
    if (envelopeParser.parse(envelope.constData(), size_t(envelope.size()), false).get(root)
            != simdjson::SUCCESS
        || root.get(object) != simdjson::SUCCESS)
        return false;
    const auto countKey
        = [](simdjson::dom::object in, std::string_view key, simdjson::dom::element *value) {
              int count = 0;
              for (const simdjson::dom::key_value_pair member : in) {
                  if (member.key == key) {
                      ++count;
                      *value = member.value;
                  }
              }
              return count;
          };
    simdjson::dom::element data;
    simdjson::dom::object dataObject;
    simdjson::dom::element files;
    return countKey(object, "data", &data) == 1 && data.get(dataObject) == simdjson::SUCCESS
        && countKey(dataObject, "files", &files) == 1 && files.is_array();
#else
    Q_UNUSED(listEnd);
    return false;
#endif
}

QByteArray Care360ListStream::Private::wholeBody() const
{
    qsizetype size = 0;
    for (const QByteArray &piece : pieces)
        size += piece.size();
    QByteArray body;
    body.reserve(size);
    for (const QByteArray &piece : pieces)
        body.append(piece);
    return body;
}

Care360ListStream::Care360ListStream(bool withFiles, bool withDetails, qsizetype minRunBytes)
    : d(std::make_unique<Private>(withFiles, withDetails, minRunBytes))
{ }

Care360ListStream::~Care360ListStream() = default;

void Care360ListStream::append(const QByteArray &piece)
{
    // Out of memory is an answer too big to read, not a reason to stop the program (this runs on
    // a worker, in a chain of continuations that would carry the exception to the event loop).
    try {
        d->pieces.append(piece);
        if (d->givenUp)
            return;
        d->pending.append(piece);
        d->readRuns();
        if (d->givenUp)
            d->pending = QByteArray(); // read whole at the end, from `pieces`
    } catch (const std::bad_alloc &) {
        d->outOfMemory = true;
        d->givenUp = true;
        d->pending = QByteArray();
        d->pieces.clear();
    }
}

Care360Connector::ParsedAccount Care360ListStream::finish()
{
    Care360Connector::ParsedAccount parsed;
    d->bytesReadEarly = d->bytesRead;
    try {
        if (!d->outOfMemory && !d->givenUp && d->readLastRun()) {
            d->grouper.finish(&parsed.cases.page, &parsed.filesByCase);
            return parsed;
        }
        // Read whole, the ordinary way: the same rows, or the ordinary reading's words for what
        // is wrong with the body.
        d->bytesReadEarly = 0;
        if (!d->outOfMemory) {
            parsed.cases.problem
                = readCases(d->wholeBody(), defaultJsonParser(), &parsed.cases.page,
                            d->withFiles ? &parsed.filesByCase : nullptr, d->withDetails);
        }
    } catch (const std::bad_alloc &) {
        d->outOfMemory = true;
    }
    if (d->outOfMemory) {
        parsed = Care360Connector::ParsedAccount();
        parsed.cases.problem = tr("the answer is too big to read in the memory available");
    }
    if (!parsed.cases.problem.isEmpty()) {
        parsed.cases.page = ListPage();
        parsed.filesByCase.clear();
    }
    return parsed;
}

qint64 Care360ListStream::bytesReadEarly() const
{
    return d->bytesReadEarly;
}

} // namespace Docket
