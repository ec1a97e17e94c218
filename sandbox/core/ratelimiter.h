#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <deque>

// Per-service, per-token request limits over a sliding 60-second window, like Scriptix's documented
// "60 requests/min per token". A limit of 0 means unlimited.
class RateLimiter
{
public:
    struct Policy
    {
        int perMinute = 0;
        bool sendRetryAfter = false; // Scriptix documents none; other setups may want one
    };
    struct Decision
    {
        bool allowed = true;
        int retryAfterSeconds = 0; // when refused: whole seconds until a slot frees
    };

    RateLimiter();

    void setPolicy(const QString &serviceId, Policy policy);
    Policy policy(const QString &serviceId) const { return m_policies.value(serviceId); }
    // Records the request when allowed.
    Decision check(const QString &serviceId, const QByteArray &key);
    void forgetHistory() { m_history.clear(); }
    QJsonObject toJson() const;

    static constexpr qint64 windowMs = 60000;

private:
    QHash<QString, Policy> m_policies;
    QHash<QString, std::deque<qint64>> m_history; // "service\n<key>" -> request times (ms)
    QElapsedTimer m_clock;
};
