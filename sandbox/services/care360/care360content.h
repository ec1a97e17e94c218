#pragma once

#include <QByteArray>
#include <QString>

namespace Care360 {

// The bytes of a generated file: the magic bytes and trailer of its type with seeded filler in
// between, exactly `size` bytes, so the "size" field and the Content-Length agree and a client
// that sniffs the type is not surprised.
QByteArray generatedContent(const QString &mimeType, quint32 seed, qsizetype size);

} // namespace Care360
