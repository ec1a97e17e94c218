#include "accountmanager.h"

#include "localservicedata.h"
#include "logging.h"
#include "serviceinfo.h"

#include <QJsonArray>

namespace Docket {

AccountManager::AccountManager(NetworkClient *network, InvoxIndex *invoxIndex, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_invoxIndex(invoxIndex)
{ }

AccountManager::~AccountManager() = default;

QList<Connector *> AccountManager::connectors() const
{
    QList<Connector *> result;
    for (const Opened &opened : m_opened)
        result.append(opened.connector.get());
    return result;
}

Connector *AccountManager::connector(const QString &accountId) const
{
    for (const Opened &opened : m_opened) {
        if (opened.session->account().id == accountId)
            return opened.connector.get();
    }
    return nullptr;
}

Connector *AccountManager::prepare(const Account &account, CredentialStore *credentials)
{
    Opened opened;
    opened.session = std::make_unique<AccountSession>(account, m_network, credentials);
    opened.connector = createConnector(opened.session.get(), m_invoxIndex);
    Connector *connector = opened.connector.get();
    m_opened.push_back(std::move(opened));
    return connector;
}

void AccountManager::adopt(Connector *connector)
{
    Q_EMIT accountReady(connector);
}

void AccountManager::close(const QString &accountId)
{
    for (auto it = m_opened.begin(); it != m_opened.end(); ++it) {
        if (it->session->account().id != accountId)
            continue;
        // The connector first: it uses its session until it is gone.
        it->connector.release()->deleteLater();
        it->session.release()->deleteLater();
        m_opened.erase(it);
        return;
    }
}

void AccountManager::closeConnector(Connector *connector)
{
    for (auto it = m_opened.begin(); it != m_opened.end(); ++it) {
        if (it->connector.get() != connector)
            continue;
        it->connector.release()->deleteLater();
        it->session.release()->deleteLater();
        m_opened.erase(it);
        return;
    }
}

void AccountManager::open(const Account &account, CredentialStore *credentials,
                          const QHash<QString, QString> &secrets)
{
    openWithCode(account, credentials, secrets, {});
}

void AccountManager::openWithCode(const Account &account, CredentialStore *credentials,
                                  const QHash<QString, QString> &secrets,
                                  const QString &care360Code)
{
    Opened opened;
    opened.session = std::make_unique<AccountSession>(account, m_network, credentials);
    opened.connector = createConnector(opened.session.get(), m_invoxIndex);
    Connector *connector = opened.connector.get();
    AccountSession *session = opened.session.get();
    m_opened.push_back(std::move(opened));

    auto remaining = std::make_shared<int>(int(secrets.size()));
    if (secrets.isEmpty()) {
        session->loadSecrets(this, [this, connector, care360Code](const QString &error) {
            if (!error.isEmpty()) {
                qCInfo(lcAuth) << connector->account().id << "secrets could not be read";
                Q_EMIT accountFailed(connector->account(), error);
                return;
            }
            signIn(connector, care360Code);
        });
        return;
    }
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        session->storeSecret(it.key(), it.value(), this,
                             [this, connector, remaining, care360Code](const QString &error) {
                                 if (!error.isEmpty())
                                     Q_EMIT accountFailed(connector->account(), error);
                                 else if (--*remaining == 0)
                                     signIn(connector, care360Code);
                             });
    }
}

void AccountManager::signIn(Connector *connector, const QString &care360Code)
{
    const auto finished = [this, connector](ConnectorJob *job) {
        const Account &account = connector->account();
        // The kind and status of a failure, not its message: that may be the service's words.
        if (job->failed())
            qCInfo(lcAuth).noquote()
                << serviceId(account.service) << account.id
                << "sign-in failed:" << loggedErrorKind(job->error()) << "status"
                << job->error().httpStatus << "X-Request-ID" << job->error().requestId;
        else
            qCInfo(lcAuth).noquote() << serviceId(account.service) << account.id << "ready";
        if (job->failed())
            Q_EMIT accountFailed(connector->account(), job->error().userMessage);
        else
            Q_EMIT accountReady(connector);
    };
    if (care360Code.isEmpty()) {
        connect(connector->signIn(), &ConnectorJob::finished, this, finished);
        return;
    }
    // A practice account signing in with the code the sandbox printed: the first code asked for
    // gets it, and a refused one ends the sign-in (there is no one to type another).
    SignInJob *job = connector->signIn(SignInMode::NewSecrets);
    auto codeSent = std::make_shared<bool>(false);
    connect(job, &ConnectorJob::finished, this,
            [this, connector, job, codeSent, finished](ConnectorJob *) {
                if (job->failed() && !*codeSent) {
                    qCInfo(lcAuth).noquote()
                        << serviceId(connector->account().service) << connector->account().id
                        << "sign-in failed asking for a code:" << loggedErrorKind(job->error());
                    Q_EMIT accountFailed(connector->account(), job->error().userMessage);
                    return;
                }
                finished(job);
            });
    connect(job, &SignInJob::codeRequested, job, [job, codeSent, care360Code] {
        *codeSent = true;
        job->provideCode(care360Code);
    });
    connect(job, &SignInJob::codeRejected, job, [job] { job->finish(job->rejection()); });
}

void AccountManager::openSandboxAccounts(const QJsonObject &addresses)
{
    const QJsonObject services = addresses.value(QStringLiteral("services")).toObject();
    const auto base = [&](const QString &id) {
        return QUrl(services.value(id).toObject().value(QStringLiteral("baseUrl")).toString());
    };
    const auto credentials = [&](const QString &id) {
        return services.value(id).toObject().value(QStringLiteral("credentials")).toObject();
    };
    const auto practice = [](ServiceKind service, const QString &name, const QUrl &url) {
        Account account;
        account.id = QStringLiteral("sandbox-") + serviceId(service);
        account.service = service;
        account.name = name;
        account.baseUrl = url;
        return account;
    };

    Account scriptix
        = practice(ServiceKind::Scriptix, tr("Practice"), base(QStringLiteral("scriptix")));
    open(scriptix, &m_memory,
         { { Secret::token,
             credentials(QStringLiteral("scriptix")).value(QStringLiteral("token")).toString() } });

    const QJsonObject cv = credentials(QStringLiteral("care360"));
    Account care360
        = practice(ServiceKind::Care360, tr("Practice"), base(QStringLiteral("care360")));
    care360.setSetting(QStringLiteral("login"), cv.value(QStringLiteral("email")).toString());
    openWithCode(care360, &m_memory,
                 { { Secret::tenantKey, cv.value(QStringLiteral("tenantKey")).toString() } },
                 cv.value(QStringLiteral("otpCode")).toString());

    Account documentPro
        = practice(ServiceKind::DocumentPro, tr("Practice"), base(QStringLiteral("documentpro")));
    open(documentPro, &m_memory,
         { { Secret::apiKey,
             credentials(QStringLiteral("documentpro"))
                 .value(QStringLiteral("apiKey"))
                 .toString() } });

    const QJsonObject invoxCredentials = credentials(QStringLiteral("invox"));
    Account invox = practice(ServiceKind::Invox, tr("Practice"), base(QStringLiteral("invox")));
    invox.setSetting(QStringLiteral("appId"),
                     invoxCredentials.value(QStringLiteral("appId")).toString());
    ConnectorContext stores;
    stores.invoxIndex = m_invoxIndex;
    recordPracticeItems(stores, ServiceKind::Invox, invox.id, invoxCredentials);
    open(invox, &m_memory,
         { { Secret::apiKey, invoxCredentials.value(QStringLiteral("apiKey")).toString() } });
}

} // namespace Docket
