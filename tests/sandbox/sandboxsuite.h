#pragma once

// What a suite of one service's sandbox routes starts from: the sandbox, started once for the
// suite and reset before each test function (fresh data from the same seed, no faults, zero
// counts), an HTTP client, and the service's address and credentials as the sandbox publishes
// them. A suite's fixture derives from it.

#include "sandboxprocess.h"
#include "testhttp.h"

#include <QTest>

class SandboxSuite : public QObject
{
    Q_OBJECT

public:
    explicit SandboxSuite(QString service)
        : m_service(std::move(service))
    { }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_base = m_sandbox.baseUrl(m_service);
        QVERIFY(m_base.isValid());
        m_credentials = m_sandbox.credentials(m_service);
        QVERIFY(!m_credentials.isEmpty());
        started();
    }
    void init() { QVERIFY(m_sandbox.reset()); }

protected:
    // Once the sandbox serves: what a fixture reads of the credentials (QVERIFYs).
    virtual void started() { }

    QUrl url(const QStringList &segments, const QUrlQuery &query = {}) const
    {
        return urlWith(m_base, segments, query);
    }

    SandboxProcess m_sandbox;
    TestHttp m_http;
    QUrl m_base; // the service's base URL (Scriptix's ends in /api/v3)
    QJsonObject m_credentials;

private:
    QString m_service;
};
