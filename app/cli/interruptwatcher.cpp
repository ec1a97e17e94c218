#include "interruptwatcher.h"

#include <QSocketNotifier>

#include <csignal>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif
#ifdef Q_OS_WIN
#include <windows.h>
#endif

namespace {

InterruptWatcher *activeWatcher = nullptr;

#ifdef Q_OS_UNIX
// A signal handler may only write to a file descriptor: the event loop reads the other end.
int signalPipe[2] = { -1, -1 };

void onSigint(int)
{
    // The next Ctrl+C ends the program, as usual.
    std::signal(SIGINT, SIG_DFL);
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}
#endif

#ifdef Q_OS_WIN
BOOL WINAPI onConsoleEvent(DWORD event)
{
    static bool once = false;
    if (event != CTRL_C_EVENT || once || !activeWatcher)
        return FALSE; // the default: end the program
    once = true;
    // Runs on a thread of its own: a queued call is the safe way onto the event loop.
    QMetaObject::invokeMethod(activeWatcher, &InterruptWatcher::interrupted, Qt::QueuedConnection);
    return TRUE;
}
#endif

} // namespace

InterruptWatcher::InterruptWatcher(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(!activeWatcher);
    activeWatcher = this;
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        m_notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &InterruptWatcher::readSignal);
        std::signal(SIGINT, onSigint);
    }
#endif
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#endif
}

InterruptWatcher::~InterruptWatcher()
{
#ifdef Q_OS_UNIX
    std::signal(SIGINT, SIG_DFL);
    if (m_notifier) {
        delete m_notifier;
        ::close(signalPipe[0]);
        ::close(signalPipe[1]);
        signalPipe[0] = signalPipe[1] = -1;
    }
#endif
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
#endif
    activeWatcher = nullptr;
}

void InterruptWatcher::readSignal()
{
#ifdef Q_OS_UNIX
    char byte = 0;
    [[maybe_unused]] const auto read = ::read(signalPipe[0], &byte, 1);
#endif
    Q_EMIT interrupted();
}
