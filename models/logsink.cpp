#include "logsink.h"

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QRecursiveMutex>
#include <QRegularExpression>

namespace Docket::LogSink {

namespace {

const QString redacted = QStringLiteral("[redacted]");

// The handler's state. The handler may run on any thread (the audit trail's checkpoints run on a
// worker), so writing is serialised; recursively, should writing itself ever warn.
struct State
{
    QRecursiveMutex mutex;
    QFile file;
    bool installed = false;
    QtMessageHandler previous = nullptr;
};

State &state()
{
    static State instance;
    return instance;
}

const char *levelWord(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

// docket.* detail (debug and info) is what the file is for: it is kept off standard error, where
// docket-cli's output is read by scripts and tests.
bool isDocketDetail(QtMsgType type, const char *category)
{
    return (type == QtDebugMsg || type == QtInfoMsg) && category
        && qstrncmp(category, "docket.", 7) == 0;
}

void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString clean = redactSecrets(message);
    State &sink = state();
    QMutexLocker lock(&sink.mutex);
    if (sink.file.isOpen()) {
        const QString line
            = formatLine(type, context.category, clean, QDateTime::currentDateTimeUtc());
        sink.file.write(line.toUtf8() + '\n');
        // Flushed at once: the line must be there even if the process dies next.
        sink.file.flush();
    }
    if (sink.file.isOpen() && isDocketDetail(type, context.category))
        return;
    // Qt's own handler, so standard error (or wherever Qt sends it) reads as it always did.
    if (sink.previous)
        sink.previous(type, context, clean);
}

} // namespace

QString requestedPath(const QString &option)
{
    return option.isEmpty() ? qEnvironmentVariable("DOCKET_LOG") : option;
}

bool install(const QString &path, QString *error)
{
    State &sink = state();
    bool opened = true;
    {
        QMutexLocker lock(&sink.mutex);
        if (sink.file.isOpen())
            sink.file.close();
        if (!path.isEmpty()) {
            sink.file.setFileName(path);
            opened = sink.file.open(QIODevice::WriteOnly | QIODevice::Append);
            if (!opened && error)
                *error = QStringLiteral("Cannot write the log file %1: %2")
                             .arg(path, sink.file.errorString());
        }
    }
    // QT_LOGGING_RULES and QT_LOGGING_CONF, read after these rules, still have the last word.
    QLoggingCategory::setFilterRules(sink.file.isOpen() ? QStringLiteral("docket.*.info=true")
                                                        : QString());
    if (!sink.installed) {
        sink.previous = qInstallMessageHandler(handle);
        sink.installed = true;
    }
    return opened;
}

void uninstall()
{
    State &sink = state();
    if (sink.installed) {
        qInstallMessageHandler(sink.previous);
        sink.installed = false;
    }
    QMutexLocker lock(&sink.mutex);
    sink.file.close();
    QLoggingCategory::setFilterRules(QString());
}

QString redactSecrets(const QString &text)
{
    using Rx = QRegularExpression;
    // The value of a credential header, to the end of the line: "Authorization: Basic ...",
    // "x-api-key: ...", "\"cv-api-key\": \"...\"". Any x-...-key, -token or -secret header too.
    static const Rx header(
        QStringLiteral("\\b((?:proxy-)?authorization|cookie|set-cookie|x-api-key|cv-api-key|"
                       "x-zoom-s2t-key|api-key|x-[a-z0-9-]*(?:key|token|secret))"
                       "(\"?\\s*[:=]\\s*)[^\\r\\n]+"),
        Rx::CaseInsensitiveOption);
    // A credential in an HTTP scheme, wherever it stands.
    static const Rx scheme(QStringLiteral("\\b(bearer|basic)(\\s+)[A-Za-z0-9._~+/=-]{6,}"),
                           Rx::CaseInsensitiveOption);
    // A JSON field that holds a secret: "refreshToken": "...".
    static const Rx jsonField(
        QStringLiteral("\"([A-Za-z_]*(?:token|key|password|secret|code))\"(\\s*:\\s*)\"[^\"]*\""),
        Rx::CaseInsensitiveOption);
    // A query or form value: token=, access_token=, api_key=, password=, code=, X-Amz-Signature=.
    static const Rx parameter(
        QStringLiteral("(?<![A-Za-z0-9_-])([A-Za-z0-9_-]*(?:token|key|password|passwd|secret|"
                       "code|otp|signature|sig|credential))=[^&\\s\"'<>]*"),
        Rx::CaseInsensitiveOption);
    // A JWT: three base64url segments, the first a JSON object ("eyJ" is "{\"").
    static const Rx jwt(QStringLiteral("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*)?"));
    // A long run of base64url letters is a key or a token, unless it is a UUID (X-Request-IDs) or
    // lower-case words joined by - or _ (an endpoint such as generate-upload-signed-url): a random
    // token without a digit or a capital in 24 letters is rarer than one in a hundred million.
    static const Rx longToken(QStringLiteral("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}"));
    static const Rx harmless(QStringLiteral("^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-"
                                            "9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[a-z_-]+)$"));

    QString result = text;
    result.replace(header, QStringLiteral("\\1\\2") + redacted);
    result.replace(scheme, QStringLiteral("\\1\\2") + redacted);
    result.replace(jsonField, QStringLiteral("\"\\1\"\\2\"") + redacted + u'"');
    result.replace(parameter, QStringLiteral("\\1=") + redacted);
    result.replace(jwt, redacted);

    QString kept;
    qsizetype from = 0;
    for (auto match = longToken.globalMatch(result); match.hasNext();) {
        const QRegularExpressionMatch token = match.next();
        if (harmless.match(token.capturedView()).hasMatch())
            continue;
        kept += QStringView(result).mid(from, token.capturedStart() - from);
        kept += redacted;
        from = token.capturedEnd();
    }
    if (from == 0)
        return result;
    kept += QStringView(result).mid(from);
    return kept;
}

QString formatLine(QtMsgType type, const char *category, const QString &message,
                   const QDateTime &time)
{
    // A message that spans lines (or a service's text with a line break in it) cannot pass for
    // lines of its own: each further line is indented.
    QString body = message;
    body.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    body.replace(u'\r', u'\n');
    body.replace(QStringLiteral("\n"), QStringLiteral("\n    "));
    return time.toUTC().toString(Qt::ISODateWithMs) + u' ' + QLatin1String(levelWord(type)) + u' '
        + QLatin1String(category && *category ? category : "default") + QStringLiteral(": ") + body;
}

} // namespace Docket::LogSink
