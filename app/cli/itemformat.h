#pragma once

#include "remoteitem.h"

#include <QJsonObject>
#include <QString>

// How docket-cli shows an item: one line of text, or a JSON object.
QString formatSize(qint64 bytes);
QString formatDuration(int seconds);
// "12 pages", "1.2 MB", "14:05" or empty.
QString formatMeasure(const Docket::RemoteItem &item);
QJsonObject itemToJson(const Docket::RemoteItem &item, const QString &path);
