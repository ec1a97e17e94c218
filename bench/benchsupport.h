#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

// What the benchmarks share: the sandbox process, memory readings and an event-loop stall meter.

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
// loop was unable to react.
class StallMeter : public QObject
{
public:
    StallMeter();
    void start();
    void stop();
    qint64 longestStallMs() const { return m_longestMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTick = 0;
    qint64 m_longestMs = 0;
};

// docket-sandbox with --scale, started and stopped by the benchmark.
class BenchSandbox
{
public:
    bool start(int scale, QString *error);
    ~BenchSandbox();
    QUrl baseUrl(const QString &service) const;
    QJsonObject credentials(const QString &service) const;
    // The control API (POST /reset, GET /state, ...), for checking what the service holds.
    QUrl controlUrl() const;

private:
    QProcess m_process;
    QTemporaryDir m_dir;
    QJsonObject m_addresses;
};

// Runs curl over `urls` with `headers`, `parallel` at a time, bodies discarded; returns wall
// milliseconds, or -1 if curl failed.
qint64 timeCurl(const QStringList &urls, const QStringList &headers, int parallel);

// Fetches `urls` with `headers` through `manager` (Qt's network stack, as Docket uses it: all at
// once, Qt running up to 6 per host in parallel), each body read whole and then dropped; returns
// wall milliseconds, or -1 if a request failed. Tells how much of Docket's time is Qt's
// networking rather than Docket's own work.
qint64 timeQtFetch(QNetworkAccessManager *manager, const QStringList &urls,
                   const QStringList &headers);
