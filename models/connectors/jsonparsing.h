#pragma once

#include "offthread.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QStringView>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace Docket {

// Reading big JSON answers without blocking the event loop. Care360 lists every file of a patient
// in one unpaginated answer (50,000 files are 17 MB): QJsonDocument alone needs over 100 ms for
// that, so such bodies are parsed on a worker thread, with simdjson where the build has it.

// Which parser reads a body. Both give the same result: where simdjson refuses a body that Qt
// accepts (a BOM, a lone surrogate escape, Qt's leniencies), the Qt parser decides.
enum class JsonParser { Qt, Simdjson };

// True when this build has simdjson (CMake option DOCKET_USE_SIMDJSON and the package found).
bool simdjsonAvailable();
// Simdjson when available, else Qt. Asking for Simdjson in a build without it reads with Qt.
JsonParser defaultJsonParser();

// A date in any of the ISO 8601 forms the services send ("2026-03-14T10:22:05Z",
// "...05.123Z", "+01:00"); invalid when absent or unreadable.
QDateTime parseServiceDate(const QJsonValue &value);
// A body that must be a JSON object, read as ApiResult::jsonObject() reads it (the same words for
// what is wrong), for readers that have the body but no ApiResult and no network layer.
QJsonObject jsonObjectOf(const QByteArray &body, QString *problem);

// parseServiceDate() for text already taken out of the JSON: the same answer, but the forms the
// services send ("2026-03-14T10:22:05Z", "...05.123Z", "...05+01:00") are read directly instead
// of through QDateTime::fromString, which costs microseconds per call (50,000 files...). Anything
// else goes to parseServiceDate(). Invalid when unreadable.
QDateTime parseServiceDateText(QStringView text);
QDateTime parseServiceDateUtf8(QByteArrayView text);
// The same as milliseconds since the epoch, without building a QDateTime; false when invalid.
bool serviceDateMSecs(QByteArrayView utf8, qint64 *msecs);
bool serviceDateMSecs(QStringView text, qint64 *msecs);

// The threads that read big answers: one fewer than the machine has cores (at least one), so the
// event loop and the network always have a core, however many listings arrive at once.
QThreadPool *jsonThreadPool();

// Runs `work()` on jsonThreadPool(), then `done(result)` as whenReady() says.
template<typename Work, typename Done> void runOffThread(QObject *context, Work &&work, Done &&done)
{
    whenReady(context, QtConcurrent::run(jsonThreadPool(), std::forward<Work>(work)),
              std::forward<Done>(done));
}

} // namespace Docket
