#pragma once

#include <QObject>

class QSocketNotifier;

// Turns the first Ctrl+C (SIGINT; on Windows the console's Ctrl+C) into a signal on the event loop,
// so a batch can be cancelled the way the window's Cancel does: requests in flight finish,
// nothing more is sent. A second Ctrl+C stops the program at once, as usual (the batch stays in
// the audit trail, to resume). One watcher at a time.
class InterruptWatcher : public QObject
{
    Q_OBJECT

public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    ~InterruptWatcher() override;

Q_SIGNALS:
    void interrupted();

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};
