#pragma once

#include "remoteitem.h"

#include <QJsonObject>
#include <QString>

// How docket-cli shows an item: one line of text, or a JSON object.
QString formatSize(qint64 bytes);
QString formatDuration(int seconds);
// "12 pages", "1.2 MB", "14:05" or empty.
QString formatMeasure(const Docket::RemoteItem &item);
// `text` (a name or a message: from a service, so anything) with its control and format
// characters as spaces (Docket::inertText()): an escape sequence, a tab, a line break or a
// direction override would garble the terminal, a column, or the line a person reads before
// confirming a delete.
QString printable(const QString &text);
QJsonObject itemToJson(const Docket::RemoteItem &item, const QString &path);
