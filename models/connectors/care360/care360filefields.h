#pragma once

#include "connectors/jsonparsing.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#ifdef DOCKET_HAVE_SIMDJSON
#include <simdjson.h>
#endif

// Internal to Care360's list reader (care360filelist.h): a file object of a list answer, as
// QJsonDocument or simdjson read it.

namespace Docket::Care360FileList {

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
inline const Member &firstPresent(std::initializer_list<const Member *> members)
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
        using namespace std::literals;
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
        using namespace std::literals;
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

// The files of a list answer: {"data": {"files": [...]}} as documented; a bare {"files": [...]}
// is accepted too. Empty optional when neither is there.
std::optional<QJsonArray> filesOf(const QJsonObject &body);

extern const QString kNoFileList;

#ifdef DOCKET_HAVE_SIMDJSON

// The uploader is only read when `withUploader` (the case listing has no use for it).
void readFileFields(simdjson::dom::object file, FileFields *fields, bool withUploader);
// filesOf() over simdjson's document.
bool filesOf(simdjson::dom::object body, simdjson::dom::array *files);

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
    QString problem;
    const QJsonObject object = jsonObjectOf(body, &problem);
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

} // namespace Docket::Care360FileList
