#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// One injected misbehaviour: "for the next `remaining` requests to `route` of `service`, do
// `mode`".
//
// What each mode does, and whether the request's effect happens (it matters for deletes):
//   status    answer `status` with the vendor's error body instead of handling; nothing changes
//   latency   handle at once, answer after `latencyMs`; the change happens
//   hang      never answer; nothing changes
//   reset     close the connection abruptly without answering; nothing changes
//   malformed handle, then answer with a body that is not valid JSON; the change happens
//   truncated handle, then announce a longer body than is sent and close; the change happens
//   redirect  answer `status` (301, 302, 303, 307 or 308) with `Location: location` and a small
//             HTML page instead of handling, as a clinic's sign-in gateway does; nothing changes
//   html404   answer 404 with nginx's HTML page instead of handling, as a proxy that does not
//             route the path does; nothing changes
struct FaultRule
{
    enum class Mode { Status, Latency, Hang, Reset, Malformed, Truncated, Redirect, Html404 };

    int id = 0;
    QString service; // "invox", "care360", "documentpro", "scriptix" or "*"
    QString route = QStringLiteral("*"); // a route name or "*"
    Mode mode = Mode::Status;
    int status = 500; // status mode: any HTTP status; redirect mode: the redirect's code
    // Redirect mode: a relative reference (resolved against the URL the request was sent to) or
    // an absolute http(s) URL, sent as is.
    QString location = QStringLiteral("/login");
    int latencyMs = 0;
    int retryAfterSeconds = -1; // status mode: sent as Retry-After when >= 0 (a 429 storm)
    int remaining = -1; // requests left to affect; -1 means every request until cleared

    bool matches(const QString &serviceId, const QString &routeName) const;

    QJsonObject toJson() const;
    // From the control endpoint's JSON:
    // {"service","route","mode","status","latencyMs","retryAfter","location","count"}; a redirect
    // is {"mode":"redirect","status":302,"location":"/login"} (location optional).
    static std::optional<FaultRule> fromJson(const QJsonObject &object, QString *error);
    // From the command line: SERVICE[:ROUTE]=MODE[:ARG][@COUNT], e.g.
    // "scriptix:session.delete=status:503@3", "care360=latency:2000", "*=reset@1",
    // "*=redirect:302:/login@2", "invox:document.delete=html404". A redirect's ARG is
    // CODE[:LOCATION]. The count follows the last '@', so a location holding an '@' needs an
    // explicit @COUNT after it.
    static std::optional<FaultRule> fromSpec(const QString &spec, QString *error);

    static QString modeName(Mode mode);
    static std::optional<Mode> modeFromName(const QString &name);
};

// The active rules, first match wins; a rule whose count runs out is removed.
class FaultTable
{
public:
    int add(FaultRule rule); // returns the rule's id
    bool remove(int id);
    void clear() { m_rules.clear(); }
    // The rule that applies to this request, consuming one of its uses.
    std::optional<FaultRule> take(const QString &serviceId, const QString &routeName);
    QJsonObject toJson() const;

private:
    QList<FaultRule> m_rules;
    int m_nextId = 1;
};
