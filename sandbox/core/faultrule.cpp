#include "faultrule.h"

#include <QJsonArray>
#include <QUrl>

#include <algorithm>

namespace {

const QStringList &knownServices()
{
    static const QStringList services
        = { QStringLiteral("invox"), QStringLiteral("care360"), QStringLiteral("documentpro"),
            QStringLiteral("scriptix"), QStringLiteral("*") };
    return services;
}

constexpr FaultRule::Mode allModes[]
    = { FaultRule::Mode::Status,   FaultRule::Mode::Latency,   FaultRule::Mode::Hang,
        FaultRule::Mode::Reset,    FaultRule::Mode::Malformed, FaultRule::Mode::Truncated,
        FaultRule::Mode::Redirect, FaultRule::Mode::Html404 };

QString modeNames()
{
    QStringList names;
    for (FaultRule::Mode mode : allModes)
        names.append(FaultRule::modeName(mode));
    return names.join(QStringLiteral(", "));
}

bool isRedirectStatus(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The location goes into the Location header as written, so it must be printable ASCII without
// spaces (no header injection). An absolute one must be an http(s) URL with a host; anything
// else is a relative reference the server resolves against the URL the request was sent to.
bool isValidLocation(const QString &location)
{
    const bool printable = std::all_of(location.cbegin(), location.cend(), [](QChar c) {
        return c.unicode() > 0x20 && c.unicode() < 0x7f;
    });
    const QUrl url(location, QUrl::StrictMode);
    if (location.isEmpty() || !printable || !url.isValid())
        return false;
    const bool web
        = url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
    return url.isRelative() || (web && !url.host().isEmpty());
}

bool validate(const FaultRule &rule, QString *error)
{
    if (!knownServices().contains(rule.service)) {
        *error = QStringLiteral("unknown service '%1' (expected invox, care360, documentpro, "
                                "scriptix or *)")
                     .arg(rule.service);
        return false;
    }
    if (rule.route.isEmpty()) {
        *error = QStringLiteral("route must be a route name or *");
        return false;
    }
    if (rule.mode == FaultRule::Mode::Status && (rule.status < 100 || rule.status > 599)) {
        *error = QStringLiteral("status must be an HTTP status between 100 and 599");
        return false;
    }
    if (rule.mode == FaultRule::Mode::Redirect && !isRedirectStatus(rule.status)) {
        const QString given = rule.status ? QStringLiteral(", not %1").arg(rule.status) : QString();
        *error
            = QStringLiteral("a redirect's status must be 301, 302, 303, 307 or 308%1").arg(given);
        return false;
    }
    if (rule.mode == FaultRule::Mode::Redirect && !isValidLocation(rule.location)) {
        *error = QStringLiteral("a redirect's location must be a relative reference such as "
                                "/login or an absolute http(s) URL, in printable ASCII without "
                                "spaces; got '%1'")
                     .arg(rule.location);
        return false;
    }
    if (rule.mode == FaultRule::Mode::Latency && (rule.latencyMs <= 0 || rule.latencyMs > 600000)) {
        *error = QStringLiteral("latency must be between 1 and 600000 ms");
        return false;
    }
    if (rule.retryAfterSeconds > 3600) {
        *error = QStringLiteral("retryAfter must be at most 3600 seconds");
        return false;
    }
    if (rule.remaining == 0 || rule.remaining < -1) {
        *error = QStringLiteral("count must be a positive number (or absent for every request)");
        return false;
    }
    return true;
}

// Reads the ARG of MODE[:ARG] into the rule; false (with *error) when it is not what MODE takes.
bool applySpecArgument(FaultRule &rule, const QString &argument, const QString &spec,
                       QString *error)
{
    bool ok = true;
    switch (rule.mode) {
    case FaultRule::Mode::Status:
        rule.status = argument.isEmpty() ? 500 : argument.toInt(&ok);
        break;
    case FaultRule::Mode::Latency:
        rule.latencyMs = argument.toInt(&ok);
        break;
    case FaultRule::Mode::Redirect:
        // CODE[:LOCATION]; the location may itself hold colons (http://host:port/...).
        rule.status = argument.section(u':', 0, 0).toInt(&ok);
        if (!ok) {
            *error = QStringLiteral("expected redirect:CODE[:LOCATION] with a numeric CODE in "
                                    "'%1'")
                         .arg(spec);
            return false;
        }
        if (argument.contains(u':'))
            rule.location = argument.section(u':', 1);
        break;
    default:
        // Silently dropping it would hide a typo such as "html404:500" (meant as a status).
        if (!argument.isEmpty()) {
            *error = QStringLiteral("'%1' takes no argument in '%2'")
                         .arg(FaultRule::modeName(rule.mode), spec);
            return false;
        }
        break;
    }
    if (!ok) {
        *error = QStringLiteral("the argument of '%1' must be a number in '%2'")
                     .arg(FaultRule::modeName(rule.mode), spec);
        return false;
    }
    return true;
}

} // namespace

bool FaultRule::matches(const QString &serviceId, const QString &routeName) const
{
    return (service == QLatin1String("*") || service == serviceId)
        && (route == QLatin1String("*") || route == routeName);
}

QString FaultRule::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Status:
        return QStringLiteral("status");
    case Mode::Latency:
        return QStringLiteral("latency");
    case Mode::Hang:
        return QStringLiteral("hang");
    case Mode::Reset:
        return QStringLiteral("reset");
    case Mode::Malformed:
        return QStringLiteral("malformed");
    case Mode::Truncated:
        return QStringLiteral("truncated");
    case Mode::Redirect:
        return QStringLiteral("redirect");
    case Mode::Html404:
        return QStringLiteral("html404");
    }
    return {};
}

std::optional<FaultRule::Mode> FaultRule::modeFromName(const QString &name)
{
    for (Mode mode : allModes) {
        if (modeName(mode) == name)
            return mode;
    }
    return std::nullopt;
}

QJsonObject FaultRule::toJson() const
{
    QJsonObject object { { QStringLiteral("id"), id },
                         { QStringLiteral("service"), service },
                         { QStringLiteral("route"), route },
                         { QStringLiteral("mode"), modeName(mode) } };
    if (mode == Mode::Status || mode == Mode::Redirect)
        object.insert(QStringLiteral("status"), status);
    if (mode == Mode::Redirect)
        object.insert(QStringLiteral("location"), location);
    if (mode == Mode::Status && retryAfterSeconds >= 0)
        object.insert(QStringLiteral("retryAfter"), retryAfterSeconds);
    if (mode == Mode::Latency)
        object.insert(QStringLiteral("latencyMs"), latencyMs);
    object.insert(QStringLiteral("count"), remaining < 0 ? QJsonValue() : QJsonValue(remaining));
    return object;
}

std::optional<FaultRule> FaultRule::fromJson(const QJsonObject &object, QString *error)
{
    FaultRule rule;
    rule.service = object.value(QStringLiteral("service")).toString(QStringLiteral("*"));
    rule.route = object.value(QStringLiteral("route")).toString(QStringLiteral("*"));
    const auto mode = modeFromName(object.value(QStringLiteral("mode")).toString());
    if (!mode) {
        *error = QStringLiteral("mode must be one of %1").arg(modeNames());
        return std::nullopt;
    }
    rule.mode = *mode;
    // A redirect has no sensible default code: without one it is refused, not sent as a 500.
    rule.status = object.value(QStringLiteral("status")).toInt(*mode == Mode::Redirect ? 0 : 500);
    const QJsonValue location = object.value(QStringLiteral("location"));
    if (!location.isUndefined() && !location.isString()) {
        *error = QStringLiteral("location must be a string");
        return std::nullopt;
    }
    rule.location = location.toString(rule.location);
    rule.latencyMs = object.value(QStringLiteral("latencyMs")).toInt(0);
    rule.retryAfterSeconds = object.value(QStringLiteral("retryAfter")).toInt(-1);
    const QJsonValue count = object.value(QStringLiteral("count"));
    rule.remaining = count.isUndefined() || count.isNull() ? -1 : count.toInt(0);
    if (!validate(rule, error))
        return std::nullopt;
    return rule;
}

std::optional<FaultRule> FaultRule::fromSpec(const QString &spec, QString *error)
{
    const qsizetype equals = spec.indexOf(u'=');
    if (equals <= 0) {
        *error = QStringLiteral("expected SERVICE[:ROUTE]=MODE[:ARG][@COUNT], got '%1'").arg(spec);
        return std::nullopt;
    }
    FaultRule rule;
    const QString target = spec.left(equals);
    QString action = spec.mid(equals + 1);
    const qsizetype colon = target.indexOf(u':');
    rule.service = colon < 0 ? target : target.left(colon);
    rule.route = colon < 0 ? QStringLiteral("*") : target.mid(colon + 1);

    // The last '@': a redirect's location may hold an earlier one.
    const qsizetype at = action.lastIndexOf(u'@');
    if (at >= 0) {
        bool ok = false;
        rule.remaining = action.mid(at + 1).toInt(&ok);
        if (!ok) {
            *error = QStringLiteral("count after @ must be a number in '%1'").arg(spec);
            return std::nullopt;
        }
        action.truncate(at);
    }
    const QString modeText = action.section(u':', 0, 0);
    const QString argument = action.section(u':', 1);
    const auto mode = modeFromName(modeText);
    if (!mode) {
        *error = QStringLiteral("unknown fault mode '%1' in '%2'").arg(modeText, spec);
        return std::nullopt;
    }
    rule.mode = *mode;
    if (!applySpecArgument(rule, argument, spec, error))
        return std::nullopt;
    if (!validate(rule, error))
        return std::nullopt;
    return rule;
}

int FaultTable::add(FaultRule rule)
{
    rule.id = m_nextId++;
    m_rules.append(rule);
    return rule.id;
}

bool FaultTable::remove(int id)
{
    return m_rules.removeIf([id](const FaultRule &rule) { return rule.id == id; }) > 0;
}

std::optional<FaultRule> FaultTable::take(const QString &serviceId, const QString &routeName)
{
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        FaultRule &rule = m_rules[i];
        if (!rule.matches(serviceId, routeName))
            continue;
        const FaultRule applied = rule;
        if (rule.remaining > 0 && --rule.remaining == 0)
            m_rules.removeAt(i);
        return applied;
    }
    return std::nullopt;
}

QJsonObject FaultTable::toJson() const
{
    QJsonArray rules;
    for (const FaultRule &rule : m_rules)
        rules.append(rule.toJson());
    return { { QStringLiteral("faults"), rules } };
}
