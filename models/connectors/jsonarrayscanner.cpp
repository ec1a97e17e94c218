#include "jsonarrayscanner.h"

namespace Docket {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

} // namespace

JsonArrayScanner::JsonArrayScanner(QByteArrayView outerKey, QByteArrayView innerKey)
    : m_outerKey(outerKey.toByteArray())
    , m_innerKey(innerKey.toByteArray())
{ }

void JsonArrayScanner::scan(QByteArrayView document)
{
    const char *bytes = document.data();
    const qsizetype end = document.size();
    qsizetype i = m_scanned;
    while (i < end && !foundArray()) {
        const char c = bytes[i];
        if (m_inString) {
            if (c == '\\') {
                if (i + 1 == end)
                    break; // the escaped byte has not arrived: look again from the backslash
                i += 2;
                continue;
            }
            if (c == '"') {
                m_inString = false;
                if (m_stringIsKey) {
                    const QByteArrayView key(bytes + m_stringBegin, i - m_stringBegin);
                    m_keyMatches[m_depth] = key == (m_depth == 1 ? m_outerKey : m_innerKey);
                }
            }
            ++i;
            continue;
        }
        const bool tracked = m_depth >= 1 && m_depth <= trackedDepth;
        switch (c) {
        case '"':
            m_inString = true;
            m_stringIsKey = tracked && m_depth <= 2 && m_type[m_depth] == Container::Object
                && m_expectKey[m_depth];
            m_stringBegin = i + 1;
            break;
        case ':':
            if (tracked)
                m_expectKey[m_depth] = false;
            break;
        case ',':
            if (tracked && m_type[m_depth] == Container::Object) {
                m_expectKey[m_depth] = true;
                m_keyMatches[m_depth] = false;
            }
            break;
        case '{':
            open(Container::Object, i);
            break;
        case '[':
            open(Container::Array, i);
            break;
        case '}':
        case ']':
            if (m_depth > 0)
                --m_depth;
            break;
        default:
            break;
        }
        ++i;
    }
    m_scanned = i;
}

void JsonArrayScanner::open(Container type, qsizetype position)
{
    ++m_depth;
    if (m_depth > trackedDepth)
        return;
    m_type[m_depth] = type;
    m_expectKey[m_depth] = type == Container::Object;
    m_keyMatches[m_depth] = false;
    // The array looked for: the value of the inner key, in the object that is the value of the
    // outer key, in the top-level object.
    if (m_depth == trackedDepth && type == Container::Array && m_type[1] == Container::Object
        && m_keyMatches[1] && !m_expectKey[1] && m_type[2] == Container::Object && m_keyMatches[2]
        && !m_expectKey[2])
        m_arrayBegin = position;
}

qsizetype JsonArrayScanner::lastObjectBoundary(QByteArrayView document, qsizetype from,
                                               qsizetype before)
{
    const char *bytes = document.data();
    for (qsizetype i = qMin(before, document.size()) - 1; i > from; --i) {
        if (bytes[i] != ',')
            continue;
        qsizetype previous = i - 1;
        while (previous >= from && isJsonSpace(bytes[previous]))
            --previous;
        qsizetype next = i + 1;
        while (next < document.size() && isJsonSpace(bytes[next]))
            ++next;
        if (previous >= from && bytes[previous] == '}' && next < document.size()
            && bytes[next] == '{')
            return i;
    }
    return -1;
}

bool JsonArrayScanner::isBlank(QByteArrayView text)
{
    for (const char c : text) {
        if (!isJsonSpace(c))
            return false;
    }
    return true;
}

qsizetype JsonArrayScanner::lastClosingBracket(QByteArrayView document, qsizetype from,
                                               qsizetype before)
{
    for (qsizetype i = qMin(before, document.size()) - 1; i >= from; --i) {
        if (document[i] == ']')
            return i;
    }
    return -1;
}

} // namespace Docket
