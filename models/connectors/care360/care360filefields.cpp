#include "care360filefields.h"

#include <cmath>

namespace Docket::Care360FileList {

using namespace std::literals;

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

namespace {

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

} // namespace

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

} // namespace Docket::Care360FileList
