#pragma once

#include <QElapsedTimer>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace Docket {

// A lock every Docket process of this user shares (the window and each docket-cli run), for work
// two of them must not do at once, such as spending Care360's single-use refresh token. It is a
// QLockFile in the runtime folder, taken without blocking the event loop: tryLock(0) is retried
// on a timer until it succeeds or the time allowed has passed. A lock left by a process that died
// is taken over at once; one held longer than the stale time by a live process is taken over too,
// so a hung program cannot block the others for ever.
class InterProcessLock : public QObject
{
    Q_OBJECT

public:
    enum class Outcome { Held, TimedOut, Failed };
    // `detail`: for Failed, why the lock file could not be made; otherwise empty.
    using Done = std::function<void(Outcome outcome, const QString &detail)>;

    // `name` becomes the file name (characters other than letters, digits, '.', '-' and '_' are
    // replaced), in QStandardPaths::RuntimeLocation, or the temporary folder without one.
    explicit InterProcessLock(const QString &name, QObject *parent = nullptr);
    ~InterProcessLock() override;

    QString filePath() const { return m_path; }
    static QString pathFor(const QString &name);

    // Calls `done` later, on the event loop, once the lock is held, or after `limitMs` without it,
    // or when the file cannot be created. One acquisition at a time; a call while one is under way
    // or while the lock is held fails.
    void acquire(int limitMs, Done done);
    // Releases a held lock, or stops an acquisition under way (its `done` is then not called).
    void release();
    bool isHeld() const { return m_held; }

    static constexpr int kStaleLockMs = 120000;
    static constexpr int kRetryIntervalMs = 50;

private:
    void attempt();
    void finish(Outcome outcome, const QString &detail);

    QString m_path;
    QLockFile m_file;
    QTimer m_retry;
    QElapsedTimer m_waited;
    int m_limitMs = 0;
    bool m_held = false;
    Done m_done;
};

} // namespace Docket
