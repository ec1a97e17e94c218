#include "inerttext.h"

namespace Docket {

bool isInertCodePoint(char32_t codePoint)
{
    switch (QChar::category(codePoint)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

QString inertText(const QString &text, QStringView keep)
{
    QString result;
    result.reserve(text.size());
    // By code point: the tag characters (U+E0000...) that hide text lie beyond the BMP.
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            const char32_t codePoint = QChar::surrogateToUcs4(c, text.at(i + 1));
            if (isInertCodePoint(codePoint)) {
                result.append(c);
                result.append(text.at(i + 1));
            } else {
                result.append(u' ');
            }
            ++i;
        } else {
            result.append(isInertCodePoint(c.unicode()) || keep.contains(c) ? c : QChar(u' '));
        }
    }
    return result;
}

} // namespace Docket
