#include "faultrule.h"

#include <QJsonArray>

namespace {

const QStringList &knownServices()
{
    static const QStringList services
        = { QStringLiteral("invox"), QStringLiteral("care360"), QStringLiteral("documentpro"),
            QStringLiteral("scriptix"), QStringLiteral("*") };
    return services;
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
    }
    return {};
}

std::optional<FaultRule::Mode> FaultRule::modeFromName(const QString &name)
{
    for (Mode mode : { Mode::Status, Mode::Latency, Mode::Hang, Mode::Reset, Mode::Malformed,
                       Mode::Truncated }) {
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
    if (mode == Mode::Status)
        object.insert(QStringLiteral("status"), status);
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
        *error = QStringLiteral("mode must be one of status, latency, hang, reset, malformed, "
                                "truncated");
        return std::nullopt;
    }
    rule.mode = *mode;
    rule.status = object.value(QStringLiteral("status")).toInt(500);
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

    const qsizetype at = action.indexOf(u'@');
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
    bool ok = true;
    if (rule.mode == Mode::Status)
        rule.status = argument.isEmpty() ? 500 : argument.toInt(&ok);
    if (rule.mode == Mode::Latency)
        rule.latencyMs = argument.toInt(&ok);
    if (!ok) {
        *error
            = QStringLiteral("the argument of '%1' must be a number in '%2'").arg(modeText, spec);
        return std::nullopt;
    }
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
