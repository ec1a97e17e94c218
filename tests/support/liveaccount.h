#pragma once

// One account of a service signed in to the sandbox with its real connector, wired as the app
// wires it: a NetworkClient, an in-memory credential store, the account's session and its
// connector (Invox with an in-memory index holding the sandbox's demo documents).
// Header-only: the support library does not link the models library; the suites that use this do.

#include "account.h"
#include "accountsession.h"
#include "connector.h"
#include "connectors/care360/care360connector.h"
#include "connectors/invox/invoxindex.h"
#include "credentialstore.h"
#include "localservicedata.h"
#include "networkclient.h"
#include "sandboxprocess.h"
#include "serviceinfo.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <memory>

struct LiveAccount
{
    Docket::InvoxIndex index { QStringLiteral(":memory:") };
    Docket::NetworkClient network;
    Docket::MemoryCredentialStore store;
    std::unique_ptr<Docket::AccountSession> session;
    std::unique_ptr<Docket::Connector> connector;

    QString accountId() const { return session->account().id; }

    // Opens the session and connector for `account` and keeps `secrets` in the store (waiting
    // until it has them). False when the store failed.
    bool open(const Docket::Account &account, const QList<QPair<QString, QString>> &secrets)
    {
        session = std::make_unique<Docket::AccountSession>(account, &network, &store);
        connector = Docket::createConnector(session.get(), &index);
        for (const auto &[name, value] : secrets) {
            bool stored = false;
            QString error;
            session->storeSecret(name, value, session.get(),
                                 [&stored, &error](const QString &problem) {
                                     stored = true;
                                     error = problem;
                                 });
            if (!QTest::qWaitFor([&] { return stored; }, 5000) || !error.isEmpty())
                return false;
        }
        return true;
    }

    // Waits for `job` (a sign-in step); true when it succeeded.
    static bool succeeded(Docket::ConnectorJob *job)
    {
        bool failed = true;
        QObject::connect(job, &Docket::ConnectorJob::finished, job,
                         [&failed](Docket::ConnectorJob *done) { failed = done->failed(); });
        QSignalSpy spy(job, &Docket::ConnectorJob::finished);
        return spy.wait(10000) && !failed;
    }
};

namespace live {

// An account of `service` on `baseUrl`, as the account dialog would save it.
inline Docket::Account account(const QString &accountId, Docket::ServiceKind service,
                               const QString &name, const QUrl &baseUrl)
{
    Docket::Account account;
    account.id = accountId;
    account.service = service;
    account.name = name;
    account.baseUrl = baseUrl;
    return account;
}

// `live` opened for `account` with `secrets` and signed in; null when either failed.
inline std::unique_ptr<LiveAccount> signedIn(std::unique_ptr<LiveAccount> live,
                                             const Docket::Account &account,
                                             const QList<QPair<QString, QString>> &secrets)
{
    if (!live->open(account, secrets) || !LiveAccount::succeeded(live->connector->signIn()))
        return nullptr;
    return live;
}

inline std::unique_ptr<LiveAccount> scriptix(const QUrl &baseUrl, const QString &token,
                                             const QString &accountId)
{
    return signedIn(
        std::make_unique<LiveAccount>(),
        account(accountId, Docket::ServiceKind::Scriptix, QStringLiteral("Dr Rivera"), baseUrl),
        { { Docket::Secret::token, token } });
}

inline std::unique_ptr<LiveAccount> scriptix(const SandboxProcess &sandbox,
                                             const QString &accountId)
{
    return scriptix(
        sandbox.baseUrl(QStringLiteral("scriptix")),
        sandbox.credentials(QStringLiteral("scriptix")).value(QStringLiteral("token")).toString(),
        accountId);
}

inline std::unique_ptr<LiveAccount> documentPro(const SandboxProcess &sandbox,
                                                const QString &accountId)
{
    const QString key = sandbox.credentials(QStringLiteral("documentpro"))
                            .value(QStringLiteral("apiKey"))
                            .toString();
    return signedIn(std::make_unique<LiveAccount>(),
                    account(accountId, Docket::ServiceKind::DocumentPro,
                            QStringLiteral("Front desk"),
                            sandbox.baseUrl(QStringLiteral("documentpro"))),
                    { { Docket::Secret::apiKey, key } });
}

// Signed in with the one-time code, step by step.
inline std::unique_ptr<LiveAccount> care360(const SandboxProcess &sandbox, const QString &accountId)
{
    const QJsonObject credentials = sandbox.credentials(QStringLiteral("care360"));
    auto live = std::make_unique<LiveAccount>();
    Docket::Account care360
        = account(accountId, Docket::ServiceKind::Care360, QStringLiteral("Patient"),
                  sandbox.baseUrl(QStringLiteral("care360")));
    care360.setSetting(QStringLiteral("login"),
                       credentials.value(QStringLiteral("email")).toString());
    if (!live->open(care360,
                    { { Docket::Secret::tenantKey,
                        credentials.value(QStringLiteral("tenantKey")).toString() } }))
        return nullptr;
    auto *connector = qobject_cast<Docket::Care360Connector *>(live->connector.get());
    if (!connector || !LiveAccount::succeeded(connector->requestCode())
        || !LiveAccount::succeeded(
            connector->verifyCode(credentials.value(QStringLiteral("otpCode")).toString())))
        return nullptr;
    return live;
}

// Invox has no list endpoint: the index holds the sandbox's demo documents, recorded as the
// window records them for a practice account.
inline std::unique_ptr<LiveAccount> invox(const SandboxProcess &sandbox, const QString &accountId)
{
    const QJsonObject credentials = sandbox.credentials(QStringLiteral("invox"));
    auto live = std::make_unique<LiveAccount>();
    Docket::Account invox = account(accountId, Docket::ServiceKind::Invox, QStringLiteral("Clinic"),
                                    sandbox.baseUrl(QStringLiteral("invox")));
    invox.setSetting(QStringLiteral("appId"),
                     credentials.value(QStringLiteral("appId")).toString());
    invox.setSetting(QStringLiteral("apiVersion"),
                     credentials.value(QStringLiteral("apiVersion")).toString());
    if (!live->index.open(nullptr))
        return nullptr;
    Docket::recordPracticeItems({ nullptr, &live->index, nullptr }, Docket::ServiceKind::Invox,
                                accountId, credentials);
    return signedIn(
        std::move(live), invox,
        { { Docket::Secret::apiKey, credentials.value(QStringLiteral("apiKey")).toString() } });
}

} // namespace live
