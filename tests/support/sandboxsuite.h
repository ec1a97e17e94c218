#pragma once

// The base of a Qt Test class whose tests run against docket-sandbox: one sandbox for the whole
// suite, started in initTestCase() and reset before each test in init(), so that a suite split
// over several files declares only its tests. A suite with more to prepare overrides
// prepareSuite() (after the start) or prepareTest() (after each reset), and finishTest() to let go
// of what prepareTest() made (after each test); a QVERIFY there fails the suite, or the test, as
// it would in the slot itself.
// The private slots are found by Qt Test through the derived class's meta-object: a target whose
// test class derives from this one lists this header in its sources, so that moc sees it.

#include "sandboxprocess.h"

#include <QJsonObject>
#include <QObject>
#include <QStandardPaths>
#include <QTest>

class SandboxSuite : public QObject
{
    Q_OBJECT

public:
    explicit SandboxSuite(QStringList sandboxArguments = {})
        : m_sandbox(std::move(sandboxArguments))
    { }

protected:
    virtual void prepareSuite() { }
    virtual void prepareTest() { }
    virtual void finishTest() { }

    // What GET /state says of `service` as a whole ("deleted", counters...).
    QJsonObject serviceSummary(const QString &service) const
    {
        return m_sandbox.state()
            .value(QStringLiteral("services"))
            .toObject()
            .value(service)
            .toObject();
    }

    SandboxProcess m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        // Whatever a test writes to the standard locations goes to the test's own.
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        prepareSuite();
    }
    void init()
    {
        QVERIFY(m_sandbox.reset());
        prepareTest();
    }
    void cleanup() { finishTest(); }
};
