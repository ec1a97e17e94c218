#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

// What the benchmarks share: the sandbox's arguments, memory and CPU readings, and meters of the
// event loop's stalls.

// Runs the event loop until `done` is true or `timeoutMs` passed (the benchmark's own top level:
// nothing else to serve); returns `done()`.
bool runUntil(const std::function<bool()> &done, int timeoutMs = 600000);

// The median of `values` (the upper one of an even count); -1 when there are none.
qint64 median(QList<qint64> values);
// "12, 9, 14": figures of every run, for printing beside their median.
QString listOf(const QList<qint64> &values);

// Resident and peak resident memory of this process, in bytes (Linux /proc; 0 elsewhere).
qint64 residentBytes();
qint64 peakResidentBytes();
// Bytes the C heap has handed out and not taken back (glibc mallinfo2; 0 elsewhere). Unlike the
// resident size it does not include memory freed but kept by the allocator, so the difference
// before and after loading is what the loaded rows hold.
qint64 heapInUseBytes();

// Measures the longest gap between ticks of a 5 ms timer while the loop runs: how long the event
// loop was unable to react. Beside it, the most CPU time the main thread spent between two ticks:
// how much of a stall was Docket's code running. The rest of a gap the thread waited: for a core
// on a machine busy with other work, or in a blocking call (a disk sync, say).
class StallMeter : public QObject
{
public:
    StallMeter();
    void start();
    void stop();
    qint64 longestStallMs() const { return m_wallMs.longest; }
    qint64 longestBusyMs() const { return (m_cpuUs.longest + 500) / 1000; }

private:
    // The longest step between two readings of one clock, beyond what a tick allows.
    struct LongestStep
    {
        qint64 last = 0;
        qint64 longest = 0;
        void restart(qint64 now)
        {
            last = now;
            longest = 0;
        }
        void read(qint64 now, qint64 allowed)
        {
            longest = qMax(longest, now - last - allowed);
            last = now;
        }
    };

    QTimer m_timer;
    QElapsedTimer m_clock;
    LongestStep m_wallMs; // the loop did not react for this long
    LongestStep m_cpuUs; // of which the main thread was running this long
};

// CPU time this process (all its threads) has used, in microseconds: unlike wall time, hardly
// changed by whatever else the machine is running.
qint64 cpuMicroseconds();

// docket-sandbox's arguments for a benchmark: `scale` items and no rate limit, quietly. It is
// started and asked (reset, state) with the test suites' SandboxProcess (tests/support).
QStringList benchSandboxArguments(int scale);
// How long a benchmark waits for a large --scale to be generated and served.
constexpr int benchSandboxStartMs = 120000;

// Runs curl over `urls` with `headers`, `parallel` at a time, bodies discarded; returns wall
// milliseconds, or -1 if curl failed.
qint64 timeCurl(const QStringList &urls, const QStringList &headers, int parallel);

// Fetches `urls` with `headers` through `manager` (Qt's network stack, as Docket uses it: all at
// once, Qt running up to 6 per host in parallel), each body read whole and then dropped; returns
// wall milliseconds, or -1 if a request failed. Tells how much of Docket's time is Qt's
// networking rather than Docket's own work.
qint64 timeQtFetch(QNetworkAccessManager *manager, const QStringList &urls,
                   const QStringList &headers);
