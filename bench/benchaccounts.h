#pragma once

// What the benchmarks set up on the sandbox before they measure: accounts signed in as the app
// signs them in, and the items a deletion benchmark deletes, taken from the sandbox's own view.

#include "accountsession.h"
#include "connector.h"
#include "credentialstore.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QList>
#include <QString>

#include <memory>

namespace Docket {
class Care360Connector;
}

// One item to delete: its ref for Docket, its URL for the baselines.
struct Target
{
    Docket::NodeRef ref;
    QString name;
    QString parentName;
    QString url;
};

// An account as the app builds it: its own network client, credential store, session and the
// connector createConnector() makes for it.
struct Client
{
    Docket::NetworkClient network;
    Docket::MemoryCredentialStore store;
    std::unique_ptr<Docket::AccountSession> session;
    std::unique_ptr<Docket::Connector> connector;
};

// The demo token's Scriptix account, its pacing lifted as the sandbox's limit is.
std::unique_ptr<Client> scriptixClient(const SandboxProcess &sandbox);
// Signed in with the demo code flow (send-otp, verify-otp), as the window does. After a reset the
// sandbox has forgotten every token it issued, so each phase signs in afresh. Null on failure.
std::unique_ptr<Client> care360Client(const SandboxProcess &sandbox);

// Asks for the one-time code and verifies `code`, running the event loop until both answered (30
// s at most). False on failure, with the reason in `problem`.
bool signInWithCode(Docket::Care360Connector *connector, const QString &code, QString *problem);

// The demo token's Scriptix documents, not deleted, in the sandbox's order (the same after every
// reset: the same seed).
QList<Target> scriptixDocuments(const SandboxProcess &sandbox);
// The Care360 files the demo patient uploaded in one of their cases: anything else is a 404 to
// them.
QList<Target> care360Files(const SandboxProcess &sandbox);

// Whether the sandbox recorded exactly `targets` as the `kind` of `service` deleted since the last
// reset; `problem` says how it differs when not.
bool sandboxAgrees(const SandboxProcess &sandbox, const QString &service, const QString &kind,
                   const QList<Target> &targets, QString *problem);
