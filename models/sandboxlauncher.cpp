#include "sandboxlauncher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#ifdef Q_OS_WIN
#include <windows.h>
#endif
#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace Docket {

namespace {
constexpr int pollIntervalMs = 50;
constexpr int maxPolls = 600; // 30 s
} // namespace

SandboxLauncher::SandboxLauncher(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(pollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &SandboxLauncher::checkForAddresses);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("The practice server could not be started: %1").arg(m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int exitCode) {
        if (m_addresses.isEmpty())
            fail(tr("The practice server stopped at start (exit code %1): %2")
                     .arg(exitCode)
                     .arg(QString::fromLocal8Bit(m_process.readAllStandardError()).trimmed()));
    });
}

SandboxLauncher::~SandboxLauncher()
{
    stop();
}

QString SandboxLauncher::defaultProgram()
{
    const QString name = QStringLiteral("docket-sandbox");
    const QDir here(QCoreApplication::applicationDirPath());
    // Installed beside Docket (also inside a macOS bundle), or in the build tree's own folder.
    // findExecutable() adds the platform's suffix (.exe on Windows).
    for (const QString &folder : { here.path(), here.filePath(QStringLiteral("../sandbox")) }) {
        const QString found = QStandardPaths::findExecutable(name, { folder });
        if (!found.isEmpty())
            return QFileInfo(found).canonicalFilePath();
    }
    const QString onPath = QStandardPaths::findExecutable(name);
    return onPath.isEmpty() ? here.filePath(name) : onPath;
}

void SandboxLauncher::start(const QString &program)
{
    m_addresses = {};
    m_polls = 0;
    m_process.setProgram(program);
    m_process.setArguments({ QStringLiteral("--quiet"), QStringLiteral("--addresses-file"),
                             m_dir.filePath(QStringLiteral("addresses.json")) });
#ifdef Q_OS_LINUX
    // If Docket dies without running its destructors (killed, crashed), the kernel ends the
    // sandbox too, so no practice server is left listening.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
#ifdef Q_OS_WIN
    // The sandbox is a console program: started from the window, it must not open a console.
    m_process.setCreateProcessArgumentsModifier(
        [](QProcess::CreateProcessArguments *arguments) { arguments->flags |= CREATE_NO_WINDOW; });
#endif
    m_process.start();
    m_poll.start();
}

void SandboxLauncher::stop()
{
    m_poll.stop();
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    // Bounded: the sandbox exits at once on SIGTERM; kill it if it does not.
    if (!m_process.waitForFinished(3000))
        m_process.kill();
}

void SandboxLauncher::checkForAddresses()
{
    QFile file(m_dir.filePath(QStringLiteral("addresses.json")));
    if (!file.exists()) {
        if (++m_polls > maxPolls)
            fail(tr("The practice server did not start within 30 seconds."));
        return;
    }
    m_poll.stop();
    if (!file.open(QIODevice::ReadOnly)) {
        fail(tr("The practice server's addresses could not be read."));
        return;
    }
    m_addresses = QJsonDocument::fromJson(file.readAll()).object();
    if (m_addresses.isEmpty()) {
        fail(tr("The practice server's addresses could not be read."));
        return;
    }
    Q_EMIT ready(m_addresses);
}

void SandboxLauncher::fail(const QString &reason)
{
    m_poll.stop();
    Q_EMIT failed(reason);
}

} // namespace Docket
