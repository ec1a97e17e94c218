#pragma once

// One account as the app builds it: network, credential store, session, connector. Header-only:
// it needs docket_models, which docket_test_support does not link.

#include "accountsession.h"
#include "credentialstore.h"
#include "networkclient.h"

#include <memory>

template<typename ConnectorType> struct ConnectedAccount
{
    Docket::NetworkClient network;
    Docket::MemoryCredentialStore store;
    std::unique_ptr<Docket::AccountSession> session;
    std::unique_ptr<ConnectorType> connector;
};

// Opens `client` on `account`, already signed in with `token`. Requests time out after 1.5 s: the
// suites must not wait long for an answer that will not come.
template<typename ConnectorType>
void openSignedIn(ConnectedAccount<ConnectorType> &client, const Docket::Account &account,
                  const QString &token)
{
    client.network.setDefaultTimeout(1500);
    client.session
        = std::make_unique<Docket::AccountSession>(account, &client.network, &client.store);
    client.connector = std::make_unique<ConnectorType>(client.session.get());
    client.session->setSecret(Docket::Secret::token, token);
    client.session->markSignedIn();
}
