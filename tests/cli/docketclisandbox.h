#pragma once

// What the docket-cli suites on one shared settings file share: the sandbox, a private settings
// file that starts with a Scriptix account "sbx-scriptix", and the real docket-cli run on it
// (DOCKET_CLI_PATH, set by each suite's target). A suite's test class derives from it; its slots
// start the sandbox and reset it before each test.

#include "clirun.h"
#include "sandboxprocess.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

class DocketCliSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { QVERIFY(m_sandbox.reset()); }

protected:
    CliRun run(const QStringList &arguments, const QProcessEnvironment &extra = {},
               const QByteArray &input = {})
    {
        return runDocketCli(m_config, arguments, extra, input);
    }
    // The demo token of sbx-scriptix, as the environment variable docket-cli reads.
    QProcessEnvironment scriptixSecret() const;
    void addAccount(const QString &service, const QString &name, const QStringList &extra = {})
    {
        addCliAccount([this](const QStringList &arguments) { return run(arguments); },
                      m_sandbox.baseUrl(service), service, name, extra);
    }
    QStringList deleted(const QString &service, const QString &kind) const
    {
        return m_sandbox.deletedIds(service, kind);
    }
    QString firstSessionId();
    // docket-cli ARGUMENTS /sbx-scriptix/SESSION with the demo token: `rm` and its options.
    CliRun rmSession(const QStringList &arguments, const QString &session)
    {
        return run(arguments + QStringList { QStringLiteral("/sbx-scriptix/") + session },
                   scriptixSecret());
    }
    // Adds an Invox account for the sandbox's demo app; returns the environment with its key.
    QProcessEnvironment addInvoxAccount(const QString &name);
    // Every Scriptix request on `route` (the sandbox's name for it) answers `status`.
    bool failScriptix(const QString &route, int status)
    {
        return m_sandbox.addFault({ { QStringLiteral("service"), QStringLiteral("scriptix") },
                                    { QStringLiteral("route"), route },
                                    { QStringLiteral("mode"), QStringLiteral("status") },
                                    { QStringLiteral("status"), status } });
    }
    int scriptixDeletesSent() const
    {
        return m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.delete"));
    }

    SandboxProcess m_sandbox;
    QTemporaryDir m_dir;
    QString m_config;
};
