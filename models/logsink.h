#pragma once

#include <QString>
#include <QtGlobal>

class QDateTime;
class QMessageLogContext;

namespace Docket {

// Where the process's log messages go, for docket and docket-cli alike: a message handler that
// writes every message through redactSecrets(), to the log file when one is given, and otherwise
// to standard error as Qt's own handler would.
//
// With a log file, the docket.* categories log at info (a line per request and per outcome);
// those lines go to the file only, so docket-cli's output stays what scripts expect. Everything
// else (warnings, Qt's own messages) goes to the file and to standard error. Without one, docket.*
// logs warnings only, unless QT_LOGGING_RULES asks for more.
namespace LogSink {

// The log file the user asked for: `option` (--log-file) or else DOCKET_LOG; empty: none.
QString requestedPath(const QString &option);

// Installs the handler. `path` empty: no file. Returns false, with *error, when the file cannot
// be opened for appending (the handler is installed all the same, without the file).
bool install(const QString &path, QString *error);
// Puts Qt's own handler back and closes the file (for tests).
void uninstall();

// Anything shaped like a secret in `text` becomes "[redacted]": Bearer and Basic credentials,
// the values of authorization and key headers, JWTs, long token-like runs of letters and digits
// (UUIDs, the X-Request-IDs, are kept), and the values of token=, key=, password=, code= and the
// like. The second guard: no code is meant to log a secret in the first place.
QString redactSecrets(const QString &text);

// One line of the log file: "2026-12-01T21:53:38.123Z info docket.net: message" (UTC, no
// newline). `message` is written as it is: redact it first.
QString formatLine(QtMsgType type, const char *category, const QString &message,
                   const QDateTime &time);

} // namespace LogSink

} // namespace Docket
