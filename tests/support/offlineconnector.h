#pragma once

// For suites' stand-in services that only list: a Connector with no network, nothing to sign in to
// and nothing to delete, and the account that holds one. Header-only: it needs docket_models,
// which docket_test_support does not link.

#include "accountsession.h"
#include "connector.h"
#include "credentialstore.h"
#include "networkclient.h"

class OfflineConnector : public Docket::Connector
{
public:
    using Connector::Connector;

    Docket::ServiceKind service() const override { return Docket::ServiceKind::Scriptix; }
    Docket::DeletePlan describeDelete(const Docket::RemoteItem &) const override { return {}; }
    Docket::SignInJob *signIn(Docket::SignInMode = Docket::SignInMode::Resume) override
    {
        return nullptr;
    }
    QString deleteAnswerProblem(const Docket::RemoteItem &,
                                const Docket::ApiResult &) const override
    {
        return {};
    }
    bool isNotFoundAnswer(const Docket::ApiResult &) const override { return false; }

protected:
    Docket::DeleteJob *startRemove(const Docket::RemoteItem &, const QByteArray &) override
    {
        return nullptr;
    }
};

// Numbered Scriptix sessions ("s0", "Session 0", ...), `perPage` to a page, the cursor being the
// next offset: what a subclass's list() pages through.
class NumberedSessionsConnector : public OfflineConnector
{
public:
    NumberedSessionsConnector(Docket::AccountSession *session, int items, int perPage)
        : OfflineConnector(session)
        , m_items(items)
        , m_perPage(perPage)
    { }

    int pagesListed = 0;

protected:
    static int offsetOf(const Docket::PageRequest &page)
    {
        return page.cursor.isValid() ? page.cursor.toInt() : 0;
    }
    static Docket::RemoteItem numberedSession(const Docket::NodeRef &parent, int number)
    {
        Docket::RemoteItem item;
        item.ref
            = parent.child(Docket::NodeKind::ScriptixSession, QStringLiteral("s%1").arg(number));
        item.name = QStringLiteral("Session %1").arg(number);
        return item;
    }

    const int m_items;
    const int m_perPage;
};

// `account`'s session over a memory credential store, and its `ConnectorType` built with
// `connectorArguments` after the session.
template<typename ConnectorType> struct OfflineAccount
{
    template<typename... Arguments>
    OfflineAccount(const Docket::Account &account, Arguments... connectorArguments)
        : session(account, &network, &store)
        , connector(&session, connectorArguments...)
    { }
    Docket::NetworkClient network;
    Docket::MemoryCredentialStore store;
    Docket::AccountSession session;
    ConnectorType connector;
};
