#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

namespace Docket {

// Decides when each request of one account may go: at most `maxConcurrent` in flight, at most
// `perMinute` started in any 60-second window (0: no limit), and nothing while paused after a 429.
// Listing and deleting share one pacer per account, so together they stay within the budget.
class RequestPacer : public QObject
{
    Q_OBJECT

public:
    explicit RequestPacer(QObject *parent = nullptr);

    void setRequestsPerMinute(int perMinute) { m_perMinute = perMinute; }
    int requestsPerMinute() const { return m_perMinute; }
    void setMaxConcurrent(int count) { m_maxConcurrent = qMax(1, count); }

    // Runs `start` when a slot is free; `start` must call finished() exactly once when its request
    // is over. `urgent` work (a retry) goes ahead of waiting work.
    void enqueue(std::function<void()> start, bool urgent = false);
    void finished();
    // Nothing starts for `milliseconds` (a 429's Retry-After, or our own back-off).
    void pauseFor(int milliseconds);

    int waiting() const { return int(m_queue.size()); }
    int inFlight() const { return m_inFlight; }

    static constexpr qint64 windowMs = 60000;

private:
    void pump();

    std::deque<std::function<void()>> m_queue;
    std::deque<qint64> m_started; // start times within the window (ms since m_clock started)
    QElapsedTimer m_clock;
    QTimer m_wakeUp;
    qint64 m_pausedUntil = 0;
    int m_perMinute = 0;
    int m_maxConcurrent = 6;
    int m_inFlight = 0;
};

} // namespace Docket
