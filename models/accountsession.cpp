#include "accountsession.h"

#include "credentialstore.h"
#include "logging.h"

#include <QCoreApplication>

namespace Docket {

namespace {

// How docket.auth lines name an account: its service and id, never a login or a secret.
QString loggedAccount(const Account &account)
{
    return serviceId(account.service) + u' ' + account.id;
}

} // namespace

void Authenticator::renew(std::function<void(const ApiError &)> done)
{
    done(ApiError::make(ApiError::Kind::SignedOut,
                        QCoreApplication::translate("Docket",
                                                    "The credentials were refused. "
                                                    "Check them and sign in again.")));
}

struct AccountSession::Pending
{
    ApiRequest request;
    QPointer<QObject> context;
    std::function<void(const ApiResult &)> done;
    bool authenticated = true;
    bool renewedOnce = false;
    int generation = 0; // the token generation this request was last authorized with
    int rateLimitRetries = 0;
};

AccountSession::AccountSession(const Account &account, NetworkClient *network,
                               CredentialStore *credentials, QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_network(network)
    , m_credentials(credentials)
    , m_retryPolicy(RetryPolicy::forService(account.service))
{
    m_pacer.setRequestsPerMinute(account.effectiveRequestsPerMinute());
}

AccountSession::~AccountSession() = default;

void AccountSession::setAuthenticator(std::unique_ptr<Authenticator> authenticator)
{
    m_authenticator = std::move(authenticator);
}

void AccountSession::send(const ApiRequest &request, QObject *context,
                          std::function<void(const ApiResult &)> done)
{
    auto pending = std::make_shared<Pending>();
    pending->request = request;
    pending->context = context;
    pending->done = std::move(done);
    m_pacer.enqueue([this, pending] { start(pending); });
}

void AccountSession::sendUnauthenticated(const ApiRequest &request, QObject *context,
                                         std::function<void(const ApiResult &)> done)
{
    auto pending = std::make_shared<Pending>();
    pending->request = request;
    pending->context = context;
    pending->done = std::move(done);
    pending->authenticated = false;
    m_pacer.enqueue([this, pending] { start(pending); });
}

void AccountSession::start(std::shared_ptr<Pending> pending)
{
    if (!pending->context) {
        m_pacer.finished();
        return;
    }
    ApiRequest request = pending->request;
    // The one place the https rule is applied to what an account sends: no credential and no
    // patient data over plain http to another computer (the sandbox is on loopback).
    if (const QString problem = baseUrlProblem(request.url); !problem.isEmpty()) {
        m_pacer.finished();
        fail(pending, ApiError::make(ApiError::Kind::InvalidInput, problem));
        return;
    }
    if (pending->authenticated) {
        if (m_signedOut || !m_authenticator) {
            m_pacer.finished();
            fail(pending,
                 ApiError::make(ApiError::Kind::SignedOut,
                                m_signedOutReason.isEmpty()
                                    ? QCoreApplication::translate("Docket", "Not signed in.")
                                    : m_signedOutReason));
            return;
        }
        if (!m_authenticator->authorize(request)) {
            m_pacer.finished();
            if (m_authenticator->canRenew() && !pending->renewedOnce) {
                pending->renewedOnce = true;
                waitForRenewal(pending);
            } else {
                fail(pending,
                     ApiError::make(
                         ApiError::Kind::SignedOut,
                         QCoreApplication::translate("Docket", "Not signed in: sign in again.")));
            }
            return;
        }
        pending->generation = m_authGeneration;
    }

    m_network->send(request, this, [this, pending](const ApiResult &result) {
        m_pacer.finished();
        if (!pending->context)
            return;
        if (result.status == 401 && pending->authenticated && m_authenticator
            && m_authenticator->canRenew() && !pending->renewedOnce) {
            pending->renewedOnce = true;
            if (pending->generation < m_authGeneration) {
                // The token was renewed while this request was out: just retry with the new one.
                m_pacer.enqueue([this, pending] { start(pending); }, true);
            } else if (m_renewing) {
                // A renewal is already under way (its new token may be in memory, not yet
                // stored): do not invalidate it, wait for it.
                waitForRenewal(pending);
            } else {
                m_authenticator->invalidate();
                waitForRenewal(pending);
            }
            return;
        }
        if (result.status == 429 && m_retryPolicy.waitsOutRateLimit(pending->rateLimitRetries)) {
            const std::optional<int> retryAfter
                = RetryPolicy::retryAfterSeconds(result.headers.value("retry-after"));
            const int delay
                = int(m_retryPolicy.rateLimitWait(pending->rateLimitRetries++, retryAfter).count());
            qCInfo(lcNet).noquote()
                << loggedAccount(m_account) << "rate limited (429): waiting" << delay
                << "ms before sending again, round" << pending->rateLimitRetries;
            ++m_rateLimitWaits;
            m_pacer.pauseFor(delay);
            m_pacer.enqueue([this, pending] { start(pending); }, true);
            Q_EMIT rateLimited(delay);
            return;
        }
        pending->done(result);
    });
}

void AccountSession::waitForRenewal(std::shared_ptr<Pending> pending)
{
    m_waitingForRenewal.append(std::move(pending));
    if (m_renewing)
        return;
    m_renewing = true;
    ++m_renewalsStarted;
    qCInfo(lcAuth).noquote() << loggedAccount(m_account) << "renewing the sign-in";
    m_authenticator->renew([this](const ApiError &error) { renewalFinished(error); });
}

void AccountSession::renewalFinished(const ApiError &error)
{
    m_renewing = false;
    const QList<std::shared_ptr<Pending>> waiting = std::exchange(m_waitingForRenewal, {});
    if (error.isError()) {
        // The kind, status and service code only: the service's message comes from its body.
        qCInfo(lcAuth).noquote() << loggedAccount(m_account)
                                 << "renewal failed:" << loggedErrorKind(error) << "status"
                                 << error.httpStatus << error.serviceCode << "X-Request-ID"
                                 << error.requestId;
        if (error.kind == ApiError::Kind::SignedOut)
            setSignedOut(error.userMessage);
        for (const auto &pending : waiting)
            fail(pending, error);
        return;
    }
    ++m_authGeneration;
    qCInfo(lcAuth).noquote() << loggedAccount(m_account) << "sign-in renewed;" << waiting.size()
                             << "requests sent again";
    for (const auto &pending : waiting)
        m_pacer.enqueue([this, pending] { start(pending); }, true);
}

void AccountSession::fail(const std::shared_ptr<Pending> &pending, const ApiError &error)
{
    if (!pending->context)
        return;
    ApiResult result;
    result.error = error;
    pending->done(result);
}

void AccountSession::setSignedOut(const QString &reason)
{
    if (m_signedOut)
        return;
    m_signedOut = true;
    m_signedOutReason = reason;
    qCInfo(lcAuth).noquote() << loggedAccount(m_account) << "signed out: sign in again";
    Q_EMIT signedOut(reason);
}

void AccountSession::markSignedIn()
{
    qCInfo(lcAuth).noquote() << loggedAccount(m_account) << "signed in";
    m_signedOut = false;
    m_signedOutReason.clear();
}

void AccountSession::loadSecrets(QObject *context, std::function<void(const QString &)> done)
{
    const QStringList names = secretNames(m_account.service);
    auto remaining = std::make_shared<int>(int(names.size()));
    auto firstError = std::make_shared<QString>();
    QPointer<QObject> guard(context);
    for (const QString &name : names) {
        m_credentials->read(secretKey(m_account.id, name), this,
                            [this, name, remaining, firstError, guard,
                             done](const CredentialStore::ReadResult &result) {
                                if (result.value)
                                    m_secrets.insert(name, *result.value);
                                if (!result.error.isEmpty() && firstError->isEmpty())
                                    *firstError = result.error;
                                if (--*remaining == 0 && guard)
                                    done(*firstError);
                            });
    }
}

void AccountSession::storeSecret(const QString &name, const QString &value, QObject *context,
                                 std::function<void(const QString &)> done)
{
    m_secrets.insert(name, value);
    m_credentials->write(secretKey(m_account.id, name), value, context, std::move(done));
}

void AccountSession::clearSecrets(QObject *context, std::function<void(const QString &)> done)
{
    m_secrets.clear();
    const QStringList names = secretNames(m_account.service);
    auto remaining = std::make_shared<int>(int(names.size()));
    auto firstError = std::make_shared<QString>();
    QPointer<QObject> guard(context);
    for (const QString &name : names) {
        m_credentials->remove(secretKey(m_account.id, name), this,
                              [this, remaining, firstError, guard, done](const QString &error) {
                                  if (!error.isEmpty() && firstError->isEmpty())
                                      *firstError = error;
                                  if (--*remaining != 0)
                                      return;
                                  qCInfo(lcAuth).noquote()
                                      << loggedAccount(m_account)
                                      << (firstError->isEmpty()
                                              ? "secrets deleted (sign-out)"
                                              : "sign-out: the keychain kept some secrets");
                                  if (guard)
                                      done(*firstError);
                              });
    }
}

} // namespace Docket
