#pragma once

#include <QString>
#include <QStringView>

namespace Docket {

// Text from a service (a name, a status, an error message: anything) made inert for a terminal
// or a CSV file. Control characters (ESC starts an escape sequence, U+009B is one by itself, CR
// overwrites the line), format characters (U+202E turns the rest around, zero-width and tag
// characters hide text), line and paragraph separators and lone surrogates become spaces. `keep`
// lists the control characters the caller's own format gives a meaning to ("\n" between lines of
// output), if any.
QString inertText(const QString &text, QStringView keep = {});

// A code point that shows as itself: none of those above.
bool isInertCodePoint(char32_t codePoint);

} // namespace Docket
