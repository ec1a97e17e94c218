#include "retrypolicy.h"

#include "serviceinfo.h"

#include <QRandomGenerator>
#include <QtGlobal>

namespace Docket {

using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// The longest a pause of `base` becomes with jitter (the jitter itself never quite reaches it).
milliseconds longestJittered(milliseconds base, double jitter)
{
    return milliseconds(qRound64(double(base.count()) * (1.0 + jitter)));
}

} // namespace

RetryPolicy RetryPolicy::forService(ServiceKind service)
{
    const ServiceInfo *info = ServiceRegistry::find(service);
    return info ? info->retryPolicy : RetryPolicy();
}

bool RetryPolicy::retriesAfter(const ApiError &error)
{
    switch (error.kind) {
    case ApiError::Kind::Timeout:
    case ApiError::Kind::Connection:
    case ApiError::Kind::MalformedResponse:
        return true;
    case ApiError::Kind::Http:
        return error.httpStatus >= 500 || error.httpStatus == 408 || error.httpStatus == 429;
    default:
        return false;
    }
}

bool RetryPolicy::isRateLimited(const ApiError &error)
{
    return error.kind == ApiError::Kind::Http && error.httpStatus == 429;
}

std::optional<int> RetryPolicy::retryAfterSeconds(const QByteArray &headerValue)
{
    bool numeric = false;
    const int value = headerValue.trimmed().toInt(&numeric);
    if (!numeric || value < 0)
        return std::nullopt;
    return value;
}

milliseconds RetryPolicy::rateLimitWait(int wait, std::optional<int> retryAfter) const
{
    if (retryAfter && *retryAfter >= 0)
        return milliseconds(qint64(qMin(*retryAfter, longestRetryAfterSeconds)) * 1000
                            + retryAfterSlackMs);
    return milliseconds(
        qMin<qint64>(qint64(firstRateLimitWaitMs) << qBound(0, wait, 20), longestRateLimitWaitMs));
}

std::optional<milliseconds> RetryPolicy::retryDelay(int attempt, int rateLimitRound) const
{
    if (rateLimitRound > 0) {
        if (rateLimitRound > maxRateLimitRounds)
            return std::nullopt;
        return backoff(qMin(rateLimitRound, rateLimitBackoffSteps));
    }
    if (attempt >= maxAttempts)
        return std::nullopt;
    return backoff(attempt);
}

milliseconds RetryPolicy::baseBackoff(int step) const
{
    return milliseconds(
        qMin<qint64>(qint64(firstBackoffMs) << qBound(0, step - 1, 20), maxBackoffMs));
}

milliseconds RetryPolicy::backoff(int step) const
{
    const double jitter
        = 1.0 - backoffJitter + 2.0 * backoffJitter * QRandomGenerator::global()->generateDouble();
    return milliseconds(qMax<qint64>(1, qint64(double(baseBackoff(step).count()) * jitter)));
}

milliseconds RetryPolicy::maxSendTime() const
{
    milliseconds total(qint64(maxRequestsPerSend()) * requestTimeoutMs);
    for (int wait = 0; wait < rateLimitWaitsPerRequest; ++wait)
        total += qMax(rateLimitWait(wait, longestRetryAfterSeconds),
                      rateLimitWait(wait, std::nullopt));
    return total;
}

milliseconds RetryPolicy::maxBackoffTotal() const
{
    milliseconds total(0);
    for (int attempt = 1; attempt < maxAttempts; ++attempt)
        total += longestJittered(baseBackoff(attempt), backoffJitter);
    for (int round = 1; round <= maxRateLimitRounds; ++round)
        total += longestJittered(baseBackoff(qMin(round, rateLimitBackoffSteps)), backoffJitter);
    return total;
}

milliseconds RetryPolicy::maxTotalTime() const
{
    return maxSendsPerItem() * maxSendTime() + maxBackoffTotal();
}

seconds RetryPolicy::renewalMargin(seconds lifetime) const
{
    return qMin(seconds(renewalMarginSeconds), lifetime / renewalLifetimeShare);
}

} // namespace Docket
