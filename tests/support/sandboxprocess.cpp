#include "sandboxprocess.h"

#include "testhttp.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

#ifndef DOCKET_SANDBOX_PATH
#error "DOCKET_SANDBOX_PATH must name the docket-sandbox executable"
#endif

SandboxProcess::SandboxProcess(QStringList extraArguments)
    : m_extraArguments(std::move(extraArguments))
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
                     [this] { m_stdout += QString::fromUtf8(m_process.readAllStandardOutput()); });
}

SandboxProcess::~SandboxProcess()
{
    stop();
}

bool SandboxProcess::start(int readyTimeoutMs)
{
    const QString addressesPath = m_dir.filePath(QStringLiteral("addresses.json"));
    QStringList arguments = { QStringLiteral("--addresses-file"), addressesPath };
    arguments += m_extraArguments;
    m_process.start(QStringLiteral(DOCKET_SANDBOX_PATH), arguments);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("could not start docket-sandbox: ") + m_process.errorString();
        return false;
    }
    // The file is written (atomically) once every port listens.
    QDeadlineTimer deadline(readyTimeoutMs);
    while (!QFile::exists(addressesPath)) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired()) {
            m_error = QStringLiteral("docket-sandbox did not become ready: ")
                + QString::fromUtf8(m_process.readAllStandardError());
            return false;
        }
        QTest::qWait(20);
    }
    QFile file(addressesPath);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read ") + addressesPath;
        return false;
    }
    m_addresses = QJsonDocument::fromJson(file.readAll()).object();
    return !m_addresses.isEmpty();
}

void SandboxProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QUrl SandboxProcess::baseUrl(const QString &service) const
{
    return QUrl(m_addresses.value(QStringLiteral("services"))
                    .toObject()
                    .value(service)
                    .toObject()
                    .value(QStringLiteral("baseUrl"))
                    .toString());
}

QUrl SandboxProcess::controlUrl(const QString &path) const
{
    QUrl url(m_addresses.value(QStringLiteral("control")).toString());
    url.setPath(path.isEmpty() ? QStringLiteral("/") : path);
    return url;
}

QJsonObject SandboxProcess::credentials(const QString &service) const
{
    return m_addresses.value(QStringLiteral("services"))
        .toObject()
        .value(service)
        .toObject()
        .value(QStringLiteral("credentials"))
        .toObject();
}

bool SandboxProcess::reset() const
{
    TestHttp http;
    return http.send("POST", controlUrl(QStringLiteral("/reset"))).status == 200;
}

QJsonObject SandboxProcess::state(const QString &service) const
{
    TestHttp http;
    const QString path
        = service.isEmpty() ? QStringLiteral("/state") : QStringLiteral("/state/") + service;
    return http.get(controlUrl(path), {}, 60000).json();
}

QJsonObject SandboxProcess::requestLog(const QString &service) const
{
    TestHttp http;
    QUrl url = controlUrl(QStringLiteral("/requests"));
    if (!service.isEmpty())
        url.setQuery(QStringLiteral("service=") + service);
    return http.get(url).json();
}

QJsonObject SandboxProcess::summary(const QString &service) const
{
    return state().value(QStringLiteral("services")).toObject().value(service).toObject();
}

int SandboxProcess::count(const QString &service, const QString &kind) const
{
    return summary(service).value(QStringLiteral("counts")).toObject().value(kind).toInt();
}

int SandboxProcess::requestCount(const QString &service, const QString &route) const
{
    const QJsonObject requests = state().value(QStringLiteral("requests")).toObject();
    return requests.value(service).toObject().value(route).toInt();
}

QStringList SandboxProcess::deletedIds(const QString &service, const QString &kind) const
{
    const QJsonObject deleted = summary(service).value(QStringLiteral("deleted")).toObject();
    return deleted.value(kind).toVariant().toStringList();
}

bool SandboxProcess::addFault(const QJsonObject &rule) const
{
    TestHttp http;
    return http.sendJson("POST", controlUrl(QStringLiteral("/faults")), rule).status == 200;
}

bool SandboxProcess::clearFaults() const
{
    TestHttp http;
    return http.send("DELETE", controlUrl(QStringLiteral("/faults"))).status == 200;
}

bool SandboxProcess::expireTokens(const QString &service) const
{
    TestHttp http;
    return http.sendJson("POST", controlUrl(QStringLiteral("/expire-tokens")),
                         { { QStringLiteral("service"), service } })
               .status
        == 200;
}
