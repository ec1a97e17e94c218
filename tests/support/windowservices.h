#pragma once

// What the GUI suites put behind a MainWindow, wired as app/docket_main.cpp wires it: one
// NetworkClient, an in-memory Invox index, the AccountManager that adds every account it opens
// to the tree model, and the model itself, checked by QAbstractItemModelTester throughout.
// Header-only: the support library does not link the widgets.

#include "accountmanager.h"
#include "connectors/invox/invoxindex.h"
#include "documentfilterproxymodel.h"
#include "documenttreemodel.h"
#include "documenttreeview.h"
#include "mainwindow.h"
#include "networkclient.h"

#include <QAbstractItemModelTester>
#include <QTest>

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
