#pragma once

// What a GUI suite on the sandbox derives from: WindowFixture's services, the sandbox, started
// once for the suite and reset before each test function, and the suite's main window. Its slots
// do what most suites do; a suite declares its own initTestCase(), init() or cleanup() to do more
// (the test runs the most derived). Header-only, with Q_OBJECT: docket_add_ui_test() lists it.

#include "applicationinfo.h"
#include "mainwindow.h"
#include "sandboxprocess.h"
#include "windowservices.h"

#include <QStandardPaths>

class SandboxWindowFixture : public WindowFixture
{
    Q_OBJECT

public:
    explicit SandboxWindowFixture(QStringList sandboxArguments = {})
        : m_sandbox(std::move(sandboxArguments))
    { }

private Q_SLOTS:
    void initTestCase() { startSandbox(); }
    void init() { QVERIFY(resetSandboxAndServices()); }
    void cleanup()
    {
        m_window.reset();
        releaseServices();
    }

protected:
    // For initTestCase(): the test mode's own folders, and the sandbox.
    void startSandbox()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    }
    // The same, with the window's translations (English plurals: "1 item", "2 items").
    void startSandboxTranslated()
    {
        QVERIFY(Docket::installTranslations());
        startSandbox();
    }
    // For init(): the sandbox's data as generated, and fresh services.
    bool resetSandboxAndServices() { return m_sandbox.reset() && createServices(); }

    SandboxProcess m_sandbox;
    std::unique_ptr<MainWindow> m_window; // destroyed before the services it shows
};
