#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Docket {

// Helps read the elements of a big JSON array while the document is still arriving: finds where
// the array at {"<outer>": {"<inner>": [...]}} (Care360's {"data": {"files": [...]}}) begins, and
// guesses where runs of whole elements end. It is not a parser and validates nothing: whoever
// reads the runs validates them (a wrong guess is then refused, never misread: see
// Care360ListStream), and anything it cannot make sense of just means the document is read
// whole, the ordinary way.
class JsonArrayScanner
{
public:
    JsonArrayScanner(QByteArrayView outerKey, QByteArrayView innerKey);

    // Scans what `document` holds beyond what was scanned before (the same document, grown), up
    // to the array's [. The array found is the first at that path with the keys spelled exactly
    // (no escapes); a document that names the path twice must be caught by the reader (QJsonObject
    // keeps the last of duplicate keys).
    void scan(QByteArrayView document);
    bool foundArray() const { return m_arrayBegin >= 0; }
    // The position of the array's [ (-1 until found).
    qsizetype arrayBegin() const { return m_arrayBegin; }

    // The last comma in document[from, before) that stands between a } and a { (whitespace
    // aside): likely, but not surely, the end of a run of whole objects in the array (a string
    // may hold "},{" too). -1 when there is none.
    static qsizetype lastObjectBoundary(QByteArrayView document, qsizetype from, qsizetype before);
    // True when `text` is nothing but JSON whitespace (space, tab, CR, LF: not \v or \f).
    static bool isBlank(QByteArrayView text);
    // The last ] in document[from, before), or -1: a guess at where the array ends.
    static qsizetype lastClosingBracket(QByteArrayView document, qsizetype from, qsizetype before);

private:
    enum class Container : quint8 { Object, Array };
    static constexpr int trackedDepth = 3;

    void open(Container type, qsizetype position);

    QByteArray m_outerKey;
    QByteArray m_innerKey;
    qsizetype m_scanned = 0;
    int m_depth = 0;
    bool m_inString = false;
    bool m_stringIsKey = false;
    qsizetype m_stringBegin = 0;
    // For the first levels: what each is, whether a key comes next, and whether its current key
    // is the one looked for at that level.
    Container m_type[trackedDepth + 1] = {};
    bool m_expectKey[trackedDepth + 1] = {};
    bool m_keyMatches[trackedDepth + 1] = {};
    qsizetype m_arrayBegin = -1;
};

} // namespace Docket
