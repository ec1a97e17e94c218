#include "clicontext.h"

#include "auditlogpath.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <cstdio>

using namespace Docket;

CliContext::CliContext(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_accounts(options.configFile.isEmpty() ? std::make_unique<AccountStore>()
                                              : std::make_unique<AccountStore>(options.configFile))
    , m_pendingRemovals(&m_keychain, options.configFile)
    , m_credentials(&m_pendingRemovals)
{
    m_network.setDefaultTimeout(options.timeoutMs);
    for (const Account &account : m_accounts->accounts())
        m_credentials.setAccountName(account.id, account.name);
}

CliContext::~CliContext()
{
    // Commands, sessions and connectors are children, and use the audit trail, the network and
    // the stores below: they go first.
    qDeleteAll(findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly));
}

QString CliContext::auditLogFile() const
{
    if (!m_options.auditFile.isEmpty())
        return m_options.auditFile;
    const QString fromEnvironment = qEnvironmentVariable("DOCKET_AUDIT_FILE");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // A private settings file keeps its data beside it, like the Invox index.
    if (!m_options.configFile.isEmpty())
        return QFileInfo(m_options.configFile).absolutePath() + QStringLiteral("/audit.sqlite");
    return auditLogPath();
}

AuditLog *CliContext::auditLog(QString *error)
{
    if (m_auditLog)
        return m_auditLog.get();
    auto log = std::make_unique<AuditLog>(auditLogFile());
    if (!log->open(error))
        return nullptr;
    m_auditLog = std::move(log);
    return m_auditLog.get();
}

InvoxIndex *CliContext::invoxIndex(QString *error)
{
    if (m_invoxIndex)
        return m_invoxIndex.get();
    QString directory = m_options.configFile.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/Docket")
        : QFileInfo(m_options.configFile).absolutePath();
    QDir().mkpath(directory);
    auto index = std::make_unique<InvoxIndex>(directory + QStringLiteral("/invox-index.sqlite"));
    if (!index->open(error))
        return nullptr;
    m_invoxIndex = std::move(index);
    return m_invoxIndex.get();
}

void CliContext::retryPendingRemovals(std::function<void()> then)
{
    m_pendingRemovals.retryPending(
        this, [this, then = std::move(then)](const PendingRemovalStore::RetryResult &result) {
            if (result.removed > 0)
                note(tr("Deleted from the system keychain %n secret(s) that an earlier sign-out "
                        "or account removal could not delete.",
                        nullptr, result.removed));
            if (result.stillPending > 0)
                note(tr("The system keychain still holds %n secret(s) of accounts signed out or "
                        "removed earlier: %1",
                        nullptr, result.stillPending)
                         .arg(result.error));
            then();
        });
}

void CliContext::openConnector(const QString &accountName,
                               std::function<void(Connector *, const QString &)> done)
{
    const std::optional<Account> account = m_accounts->find(accountName);
    if (!account) {
        done(nullptr,
             tr("No account named “%1”. `docket-cli accounts` lists them.").arg(accountName));
        return;
    }
    InvoxIndex *index = nullptr;
    if (account->service == ServiceKind::Invox) {
        QString error;
        index = invoxIndex(&error);
        if (!index) {
            done(nullptr, tr("Cannot open the Invox document index: %1").arg(error));
            return;
        }
    }
    auto *session = new AccountSession(*account, &m_network, &m_credentials, this);
    Connector *connector = createConnector(session, index, session).release();
    session->loadSecrets(this, [connector, done](const QString &error) {
        // A missing keychain is not fatal when the secrets come from the environment: the
        // connector's first request says what is missing.
        if (!error.isEmpty()
            && !connector->session()->hasSecret(secretNames(connector->service()).constFirst())) {
            done(nullptr,
                 error + u' '
                     + tr("Set the DOCKET_SECRET_* environment variables to work without a "
                          "keychain (see docket-cli --help)."));
            return;
        }
        done(connector, {});
    });
}

void CliContext::print(const QString &line)
{
    if (m_options.json)
        return;
    std::fputs((line + u'\n').toLocal8Bit().constData(), stdout);
}

void CliContext::note(const QString &line)
{
    std::fputs((line + u'\n').toLocal8Bit().constData(), stderr);
}

void CliContext::finish(int exitCode, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!error.isEmpty())
        note(QStringLiteral("docket-cli: ") + error);
    if (m_options.json) {
        QJsonObject document { { QStringLiteral("ok"), exitCode == Success } };
        if (!error.isEmpty())
            document.insert(QStringLiteral("error"), error);
        if (!m_jsonResult.isUndefined())
            document.insert(QStringLiteral("result"), m_jsonResult);
        std::fputs(QJsonDocument(document).toJson(QJsonDocument::Indented).constData(), stdout);
    }
    std::fflush(stdout);
    QCoreApplication::exit(exitCode);
}
