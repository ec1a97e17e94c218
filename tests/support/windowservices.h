#pragma once

// What the GUI suites put behind a MainWindow, wired as app/docket_main.cpp wires it: one
// NetworkClient, an in-memory Invox index, the AccountManager that adds every account it opens
// to the tree model, and the model itself, checked by QAbstractItemModelTester throughout. Beside
// them, the fixture the GUI suites derive from (sandboxwindowfixture.h for those on the sandbox),
// and waiting for a window to be active.
// Header-only: the support library does not link the widgets.

#include "accountmanager.h"
#include "accountstore.h"
#include "connectors/invox/invoxindex.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "mainwindow.h"
#include "networkclient.h"
#include "retrypolicy.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class WindowServices
{
public:
    WindowServices()
        : m_invoxIndex(QStringLiteral(":memory:"))
        , m_accounts(&m_network, &m_invoxIndex)
    {
        new QAbstractItemModelTester(
            &m_model, QAbstractItemModelTester::FailureReportingMode::QtTest, &m_model);
        m_indexOpen = m_invoxIndex.open(&m_indexError);
        QObject::connect(&m_accounts, &Docket::AccountManager::accountReady, &m_model,
                         &Docket::DocumentTreeModel::addAccount);
    }
    // Destroy the window first: it shows the model.

    // False, with why, when the Invox index could not be opened.
    bool isReady(QString *why) const
    {
        *why = m_indexError;
        return m_indexOpen;
    }
    Docket::NetworkClient *network() { return &m_network; }
    Docket::InvoxIndex *invoxIndex() { return &m_invoxIndex; }
    Docket::AccountManager *accounts() { return &m_accounts; }
    Docket::DocumentTreeModel *model() { return &m_model; }

    // The top-level row of the account of `service` (the first such), or an invalid index.
    QModelIndex accountRow(Docket::ServiceKind service) const
    {
        for (int row = 0; row < m_model.rowCount(); ++row) {
            const QModelIndex index = m_model.index(row, 0);
            if (m_model.data(index, Docket::DocumentTreeModel::ServiceRole).toInt() == int(service))
                return index;
        }
        return {};
    }

private:
    // Destroyed in the reverse order: the model before the accounts whose rows it shows.
    Docket::NetworkClient m_network;
    Docket::InvoxIndex m_invoxIndex;
    Docket::AccountManager m_accounts;
    Docket::DocumentTreeModel m_model;
    bool m_indexOpen = false;
    QString m_indexError;
};

// Expands `parent` (a row of the window's source model) in the window's tree and waits, 10 s at
// most, until it has row `row`: that row, or an invalid index.
inline QModelIndex expandAndWaitForRow(MainWindow &window, const QModelIndex &parent, int row = 0)
{
    if (!parent.isValid())
        return {};
    window.treeView()->expand(window.proxy()->mapFromSource(parent));
    const QAbstractItemModel *model = parent.model();
    if (!QTest::qWaitFor([&] { return model->rowCount(parent) > row; }, 10000))
        return {};
    return model->index(row, 0, parent);
}

// Selects `sourceIndex` (a row of the window's source model), alone, as the current row of the
// window's tree.
inline void selectOnly(MainWindow &window, const QModelIndex &sourceIndex)
{
    const QModelIndex viewIndex = window.proxy()->mapFromSource(sourceIndex);
    window.treeView()->setCurrentIndex(viewIndex);
    window.treeView()->selectionModel()->select(
        viewIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

// Waits until `window` (just shown or opened) is exposed, then activates it and waits until it is
// active: under Xvfb there is no window manager to do that, and shortcuts, focus and mnemonics
// need it. False when either wait failed.
inline bool waitActive(QWidget *window)
{
    if (!QTest::qWaitForWindowExposed(window))
        return false;
    window->activateWindow();
    return QTest::qWaitForWindowActive(window);
}

// Two attempts without the real back-off (seconds), so that a lasting failure fails fast.
inline Docket::RetryPolicy quickRetries()
{
    Docket::RetryPolicy quick;
    quick.maxAttempts = 2;
    quick.firstBackoffMs = 20;
    return quick;
}

// What a GUI suite renews for each test function: the services behind a window and a temporary
// folder with the saved accounts (accounts.ini, AccountStore) and their secrets, in memory. A
// suite's test class derives from it (a QObject) and adds its Q_OBJECT and slots.
class WindowFixture : public QObject
{
protected:
    // For init(): false, with a warning saying why, when a piece is not ready.
    bool createServices()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid()) {
            qWarning("no temporary folder: %s", qPrintable(m_dir->errorString()));
            return false;
        }
        m_services = std::make_unique<WindowServices>();
        QString why;
        if (!m_services->isReady(&why)) {
            qWarning("the window's services are not ready: %s", qPrintable(why));
            return false;
        }
        m_model = m_services->model();
        m_accounts = m_services->accounts();
        m_store = std::make_unique<Docket::AccountStore>(settingsPath());
        m_secrets = std::make_unique<Docket::MemoryCredentialStore>();
        return true;
    }
    // For cleanup(), once the suite's windows and dialogs are gone.
    void releaseServices()
    {
        m_secrets.reset();
        m_store.reset();
        m_services.reset();
        m_dir.reset();
    }
    QString settingsPath() const { return m_dir->filePath(QStringLiteral("accounts.ini")); }
    QModelIndex accountRow(Docket::ServiceKind service) const
    {
        return m_services->accountRow(service);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WindowServices> m_services;
    Docket::DocumentTreeModel *m_model = nullptr; // m_services's
    Docket::AccountManager *m_accounts = nullptr; // m_services's
    std::unique_ptr<Docket::AccountStore> m_store;
    std::unique_ptr<Docket::MemoryCredentialStore> m_secrets;
};
