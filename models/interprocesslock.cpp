#include "interprocesslock.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

namespace Docket {

QString InterProcessLock::pathFor(const QString &name)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    QString fileName = name;
    fileName.replace(unsafe, QStringLiteral("_"));
    QString folder = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (folder.isEmpty())
        folder = QDir::tempPath();
    return folder + u'/' + fileName;
}

InterProcessLock::InterProcessLock(const QString &name, QObject *parent)
    : QObject(parent)
    , m_path(pathFor(name))
    , m_file(m_path)
{
    m_file.setStaleLockTime(kStaleLockMs);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &InterProcessLock::attempt);
}

InterProcessLock::~InterProcessLock()
{
    release();
}

void InterProcessLock::acquire(int limitMs, Done done)
{
    if (m_held || m_done) {
        QTimer::singleShot(0, this, [done = std::move(done)] {
            done(Outcome::Failed,
                 QCoreApplication::translate("Docket",
                                             "The lock is already taken by this "
                                             "program."));
        });
        return;
    }
    m_done = std::move(done);
    m_limitMs = limitMs;
    m_waited.start();
    // The first try is on the next turn too: `done` is never called inside acquire().
    m_retry.start(0);
}

void InterProcessLock::attempt()
{
    if (m_file.tryLock(0)) {
        m_held = true;
        finish(Outcome::Held, {});
        return;
    }
    switch (m_file.error()) {
    case QLockFile::LockFailedError:
        break; // another process holds it: wait
    case QLockFile::PermissionError:
    case QLockFile::UnknownError:
    case QLockFile::NoError:
        finish(Outcome::Failed,
               QCoreApplication::translate("Docket", "Docket cannot create its lock file %1.")
                   .arg(QDir::toNativeSeparators(m_path)));
        return;
    }
    if (m_waited.hasExpired(m_limitMs)) {
        finish(Outcome::TimedOut, {});
        return;
    }
    m_retry.start(kRetryIntervalMs);
}

void InterProcessLock::finish(Outcome outcome, const QString &detail)
{
    const Done done = std::exchange(m_done, {});
    if (done)
        done(outcome, detail);
}

void InterProcessLock::release()
{
    m_retry.stop();
    m_done = {};
    if (m_held) {
        m_file.unlock();
        m_held = false;
    }
}

} // namespace Docket
