#pragma once

#include "apierror.h"
#include "servicekind.h"

#include <QByteArray>

#include <chrono>
#include <optional>

namespace Docket {

// Every number that decides how often and how long Docket tries again, in one place: the 429s one
// request waits out (AccountSession), the retries of one delete (DeletionQueue), how early an
// access token is renewed (the Invox and Care360 authenticators), and from them the longest one
// delete may take before it is reported (maxTotalTime(); README, "How long a delete may take").
//
// One per account: AccountSession::retryPolicy(), made by forService(). A DeletionQueue uses the
// account's own unless it was given one for every account (DeletionQueue::setRetryPolicy(): the
// tests' quick back-offs, docket-cli's --retries).
struct RetryPolicy
{
    // ---- One request (AccountSession::send()) ----

    // The transfer timeout of a request that sets none (NetworkClient's default, and docket-cli's
    // --timeout unless given): no byte for this long and the request ends as a timeout. Long
    // enough for a slow service to answer a delete, short enough that a dead connection is
    // reported in half a minute.
    static constexpr int defaultRequestTimeoutMs = 30000;
    int requestTimeoutMs = defaultRequestTimeoutMs;
    // 429s one request waits out before its caller sees the 429. Without Retry-After the waits
    // come to 2 + 4 + 8 + 16 + 32 + 60 + 60 + 60 s = 4 min: four of Scriptix's one-minute
    // windows, enough for a per-minute limit to reset before the queue or a listing hears of it.
    int rateLimitWaitsPerRequest = 8;
    // The longest Retry-After honoured: a longer one waits this long and then the request goes
    // again, so that one odd header cannot stall an account for an hour.
    int longestRetryAfterSeconds = 300;
    // Added to a Retry-After, so the request arrives just after the window reopens, not at its
    // edge (rounding on either side).
    int retryAfterSlackMs = 50;
    // Without Retry-After (Scriptix documents none): 2 s, doubling, up to a minute, the length of
    // Scriptix's documented window.
    int firstRateLimitWaitMs = 2000;
    int longestRateLimitWaitMs = 60000;

    // ---- One item of a deletion batch (DeletionQueue) ----

    // DELETE requests per item, the first included, for failures that may pass (a timeout, a
    // reset, a malformed answer, a 5xx, a 408): they span about 15 s of back-off (1 + 2 + 4 + 8),
    // and a failure that outlasts that is reported rather than retried for ever. A 429 does not
    // use them up (see maxRateLimitRounds).
    int maxAttempts = 5;
    // The pause after the first failure; it doubles after each. It pauses the whole account: a
    // failing service is not helped by more requests.
    int firstBackoffMs = 1000;
    // The longest pause between two attempts: half a minute keeps a batch moving once the
    // service is back.
    int maxBackoffMs = 30000;
    // 429s the queue waits out per item (each after the session's own waits for that request)
    // before reporting it: a 429 is refused before handling, so waiting costs nothing but time,
    // and a storm of them must not drop items.
    int maxRateLimitRounds = 20;
    // The queue's pause after the nth 429 round grows like the nth attempt's, up to the sixth
    // (32 s, so maxBackoffMs caps it at 30 s).
    int rateLimitBackoffSteps = 6;
    // Each pause is longer or shorter by up to this share, so that many items failing together
    // do not all come back together.
    double backoffJitter = 0.2;

    // ---- Token renewal (the authenticators) ----

    // An access token is renewed this long before it expires, so that no request leaves with a
    // token that dies on the way ...
    int renewalMarginSeconds = 60;
    // ... but never earlier than this part of its lifetime before (2: at half its life), so that a
    // token that lives shorter than twice the margin is still used rather than renewed at once.
    int renewalLifetimeShare = 2;

    // The policy of an account of `service`: its ServiceInfo's (serviceinfo.h). Only Care360's
    // differs today, in its renewal margins (care360serviceinfo.cpp says why).
    static RetryPolicy forService(ServiceKind service);

    // Which failures are worth sending the same DELETE again: a timeout, a reset, a malformed
    // answer, a 5xx, a 408 or a 429. Whether the failed one took effect is unknown for all but
    // a 429 (refused before handling).
    static bool retriesAfter(const ApiError &error);
    static bool isRateLimited(const ApiError &error);
    // The seconds of a Retry-After header, when it is a number of seconds (an HTTP date is not
    // honoured: the waits without one apply).
    static std::optional<int> retryAfterSeconds(const QByteArray &headerValue);

    // AccountSession: whether a request that has waited out `waitsSoFar` 429s waits out one more.
    bool waitsOutRateLimit(int waitsSoFar) const { return waitsSoFar < rateLimitWaitsPerRequest; }
    // The wait before sending a request again after its 429 number `wait` (0 for the first).
    std::chrono::milliseconds rateLimitWait(int wait, std::optional<int> retryAfterSeconds) const;

    // DeletionQueue: the pause before an item is sent again, or nullopt when it is not. `attempt`:
    // its DELETEs sent so far this run; `rateLimitRound`: for a 429, how many the queue has met
    // for it this run, this one included (0 for any other failure).
    std::optional<std::chrono::milliseconds> retryDelay(int attempt, int rateLimitRound) const;
    // The pause after failure number `step` before jitter: firstBackoffMs doubled step - 1 times,
    // at most maxBackoffMs.
    std::chrono::milliseconds baseBackoff(int step) const;
    // baseBackoff() with jitter, at least 1 ms.
    std::chrono::milliseconds backoff(int step) const;

    // How long a delete may take, from the numbers above. An item's sends are its first, the
    // retries after failures that may pass (maxAttempts - 1 at most) and those after 429 rounds
    // (maxRateLimitRounds): maxSendsPerItem(). Each send is one request and the 429s it waits
    // out, each request up to the timeout and each wait up to the longest Retry-After:
    // maxSendTime(). Between sends come the queue's pauses, each up to its jitter:
    // maxBackoffTotal(). Not counted: waiting for its turn behind other items (the account's
    // concurrency, its per-minute budget, pauses for other items' failures), a token renewal,
    // and a service that keeps sending a byte at a time (the timeout is one of silence).
    int maxSendsPerItem() const { return maxAttempts + maxRateLimitRounds; }
    int maxRequestsPerSend() const { return 1 + rateLimitWaitsPerRequest; }
    int maxRequestsPerItem() const { return maxSendsPerItem() * maxRequestsPerSend(); }
    std::chrono::milliseconds maxSendTime() const;
    std::chrono::milliseconds maxBackoffTotal() const;
    // maxSendsPerItem() x maxSendTime() + maxBackoffTotal().
    std::chrono::milliseconds maxTotalTime() const;
    // maxTotalTime() in minutes, rounded up: for people.
    int maxTotalMinutes() const
    {
        return int(std::chrono::ceil<std::chrono::minutes>(maxTotalTime()).count());
    }
    // The queue sends an item again only while that send could still end within maxTotalTime()
    // of its first: the limit is kept even when the uncounted waits above eat into it.
    bool leavesTimeFor(std::chrono::milliseconds sinceFirstSend,
                       std::chrono::milliseconds delay) const
    {
        return sinceFirstSend + delay + maxSendTime() <= maxTotalTime();
    }

    // How long before a token of `lifetime` expires it is renewed: renewalMarginSeconds, at most
    // lifetime / renewalLifetimeShare.
    std::chrono::seconds renewalMargin(std::chrono::seconds lifetime) const;
};

} // namespace Docket
