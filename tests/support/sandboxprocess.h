#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

// Runs the real docket-sandbox executable for a test, on ephemeral loopback ports, and reads the
// addresses file it writes. One per test class (initTestCase/cleanupTestCase) is usual; reset()
// between test functions restores the generated data and clears faults and counters.
class SandboxProcess
{
public:
    explicit SandboxProcess(QStringList extraArguments = {});
    ~SandboxProcess();

    // Starts the process and waits (running the event loop) until it is serving, `readyTimeoutMs`
    // at most (a large --scale takes longer to generate). On failure returns false and
    // errorString() says why.
    bool start(int readyTimeoutMs = 60000);
    void stop();
    QString errorString() const { return m_error; }

    // The base URL a client is configured with: the vendor's base URL with the host replaced.
    // "invox", "care360", "documentpro", "scriptix" (the last ends in /api/v3).
    QUrl baseUrl(const QString &service) const;
    QUrl controlUrl(const QString &path = {}) const;
    QJsonObject credentials(const QString &service) const;
    // One of credentials(service), as a header value.
    QByteArray credential(const QString &service, const QString &field) const
    {
        return credentials(service).value(field).toString().toUtf8();
    }
    QJsonObject addresses() const { return m_addresses; }

    // POST /reset on the control endpoint: fresh data from the same seed, no faults, zero counts.
    bool reset() const;
    // GET /state (summary of every service) or GET /state/<service> (every item).
    QJsonObject state(const QString &service = {}) const;
    // The part of GET /state that sums up `service`: {"counts", "deleted", ...}.
    QJsonObject summary(const QString &service) const;
    // How many of `kind` ("sessions", "files", ...) `service` holds now, deleted ones left out
    // (GET /state's counts).
    int count(const QString &service, const QString &kind) const;
    // GET /requests: {"requests":[{"service","method","path","route","status",...}]}
    QJsonObject requestLog(const QString &service = {}) const;
    // Count of requests that reached `route` of `service` (from GET /state).
    int requestCount(const QString &service, const QString &route) const;
    // The ids of `kind` ("sessions", "files", ...) that `service` deleted, in order (GET /state).
    QStringList deletedIds(const QString &service, const QString &kind) const;
    // POST /faults with the given rule; true when the sandbox accepted it.
    bool addFault(const QJsonObject &rule) const;
    bool clearFaults() const;
    // POST /expire-tokens {"service": service}
    bool expireTokens(const QString &service) const;

    QString standardOutput() const { return m_stdout; }

private:
    QStringList m_extraArguments;
    QProcess m_process;
    QTemporaryDir m_dir;
    QJsonObject m_addresses;
    QString m_error;
    QString m_stdout;
};
