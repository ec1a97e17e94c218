#include "ratelimiter.h"

RateLimiter::RateLimiter()
{
    m_clock.start();
}

void RateLimiter::setPolicy(const QString &serviceId, Policy policy)
{
    m_policies.insert(serviceId, policy);
}

RateLimiter::Decision RateLimiter::check(const QString &serviceId, const QByteArray &key)
{
    const Policy policy = m_policies.value(serviceId);
    if (policy.perMinute <= 0 || key.isEmpty())
        return {};
    const qint64 now = m_clock.elapsed();
    std::deque<qint64> &times = m_history[serviceId + u'\n' + QString::fromLatin1(key.toHex())];
    while (!times.empty() && now - times.front() >= windowMs)
        times.pop_front();
    if (qsizetype(times.size()) >= policy.perMinute) {
        const qint64 waitMs = windowMs - (now - times.front());
        return { false, int((waitMs + 999) / 1000) };
    }
    times.push_back(now);
    return {};
}

QJsonObject RateLimiter::toJson() const
{
    QJsonObject object;
    for (auto it = m_policies.cbegin(); it != m_policies.cend(); ++it) {
        object.insert(it.key(),
                      QJsonObject { { QStringLiteral("perMinute"), it->perMinute },
                                    { QStringLiteral("retryAfter"), it->sendRetryAfter } });
    }
    return object;
}
