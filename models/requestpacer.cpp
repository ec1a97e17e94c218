#include "requestpacer.h"

namespace Docket {

RequestPacer::RequestPacer(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_wakeUp.setSingleShot(true);
    connect(&m_wakeUp, &QTimer::timeout, this, &RequestPacer::pump);
}

void RequestPacer::enqueue(std::function<void()> start, bool urgent)
{
    if (urgent)
        m_queue.push_front(std::move(start));
    else
        m_queue.push_back(std::move(start));
    pump();
}

void RequestPacer::finished()
{
    m_inFlight = qMax(0, m_inFlight - 1);
    pump();
}

void RequestPacer::pauseFor(int milliseconds)
{
    m_pausedUntil = qMax(m_pausedUntil, m_clock.elapsed() + milliseconds);
    pump();
}

void RequestPacer::pump()
{
    while (!m_queue.empty() && m_inFlight < m_maxConcurrent) {
        const qint64 now = m_clock.elapsed();
        if (now < m_pausedUntil) {
            m_wakeUp.start(int(m_pausedUntil - now));
            return;
        }
        while (!m_started.empty() && now - m_started.front() >= windowMs)
            m_started.pop_front();
        if (m_perMinute > 0 && qsizetype(m_started.size()) >= m_perMinute) {
            m_wakeUp.start(int(windowMs - (now - m_started.front())) + 1);
            return;
        }
        m_started.push_back(now);
        ++m_inFlight;
        std::function<void()> start = std::move(m_queue.front());
        m_queue.pop_front();
        start();
    }
}

} // namespace Docket
