#pragma once

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

namespace Docket {

// Starts the bundled docket-sandbox on ephemeral loopback ports for `docket --sandbox`, tells when
// it is serving (with its addresses and demo credentials), and stops it when destroyed.
class SandboxLauncher : public QObject
{
    Q_OBJECT

public:
    explicit SandboxLauncher(QObject *parent = nullptr);
    ~SandboxLauncher() override;

    // docket-sandbox next to this executable, else on PATH.
    static QString defaultProgram();
    void start(const QString &program = defaultProgram());
    void stop();
    QJsonObject addresses() const { return m_addresses; }

Q_SIGNALS:
    void ready(const QJsonObject &addresses);
    void failed(const QString &reason);

private:
    void checkForAddresses();
    void fail(const QString &reason);

    QProcess m_process;
    QTemporaryDir m_dir;
    QTimer m_poll;
    QJsonObject m_addresses;
    int m_polls = 0;
};

} // namespace Docket
