#include "benchsupport.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <sys/resource.h>
#include <time.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

qint64 statusField(const QByteArray &name)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(name))
            return line.mid(name.size()).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

qint64 threadCpuMicroseconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

} // namespace

qint64 median(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? -1 : values.at(values.size() / 2);
}

QString listOf(const QList<qint64> &values)
{
    QStringList text;
    for (qint64 value : values)
        text << QString::number(value);
    return text.join(QStringLiteral(", "));
}

qint64 residentBytes()
{
    return statusField("VmRSS:");
}

qint64 peakResidentBytes()
{
    return statusField("VmHWM:");
}

qint64 heapInUseBytes()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
#else
    return 0;
#endif
}

bool runUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

StallMeter::StallMeter()
{
    m_timer.setInterval(5);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
        m_wallMs.read(m_clock.elapsed(), m_timer.interval());
        m_cpuUs.read(threadCpuMicroseconds(), 0);
    });
}

void StallMeter::start()
{
    m_clock.start();
    m_wallMs.restart(0);
    m_cpuUs.restart(threadCpuMicroseconds());
    m_timer.start();
}

void StallMeter::stop()
{
    m_timer.stop();
}

qint64 cpuMicroseconds()
{
    struct rusage usage
    {
    };
    getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000 + usage.ru_utime.tv_usec
        + usage.ru_stime.tv_usec;
}

QStringList benchSandboxArguments(int scale)
{
    return { QStringLiteral("--quiet"), QStringLiteral("--scale"), QString::number(scale),
             QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") };
}

qint64 timeCurl(const QStringList &urls, const QStringList &headers, int parallel)
{
    QTemporaryDir dir;
    QFile config(dir.filePath(QStringLiteral("curl.conf")));
    if (!config.open(QIODevice::WriteOnly))
        return -1;
    for (const QString &header : headers)
        config.write("header = \"" + header.toUtf8() + "\"\n");
    for (const QString &url : urls)
        config.write("url = \"" + url.toUtf8() + "\"\noutput = \"/dev/null\"\n");
    config.close();
    QStringList arguments { QStringLiteral("--silent"), QStringLiteral("--show-error"),
                            QStringLiteral("--fail"), QStringLiteral("--config"),
                            config.fileName() };
    if (parallel > 1)
        arguments += { QStringLiteral("--parallel"), QStringLiteral("--parallel-max"),
                       QString::number(parallel) };
    QElapsedTimer clock;
    clock.start();
    QProcess curl;
    curl.start(QStringLiteral("curl"), arguments);
    if (!curl.waitForFinished(600000) || curl.exitCode() != 0)
        return -1;
    return clock.elapsed();
}

qint64 timeQtFetch(QNetworkAccessManager *manager, const QStringList &urls,
                   const QStringList &headers)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    qsizetype remaining = urls.size();
    bool failed = false;
    for (const QString &url : urls) {
        QNetworkRequest request { QUrl(url) };
        for (const QString &header : headers) {
            const qsizetype colon = header.indexOf(u':');
            request.setRawHeader(header.left(colon).trimmed().toUtf8(),
                                 header.mid(colon + 1).trimmed().toUtf8());
        }
        QNetworkReply *reply = manager->get(request);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            // Read whole, as Docket's NetworkClient does.
            const QByteArray body = reply->readAll();
            failed = failed || reply->error() != QNetworkReply::NoError || body.isEmpty();
            reply->deleteLater();
            if (--remaining == 0)
                loop.quit();
        });
    }
    if (remaining > 0)
        loop.exec();
    return failed ? -1 : clock.elapsed();
}
