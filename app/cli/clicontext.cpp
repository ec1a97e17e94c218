#include "clicontext.h"

#include "auditlogpath.h"
#include "inerttext.h"
#include "serviceinfo.h"

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
    // A private settings file keeps its data beside it.
    const QString dataDir = options.configFile.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/Docket")
        : QFileInfo(options.configFile).absolutePath();
    m_localData = std::make_unique<LocalServiceData>(dataDir);
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
    if (!log->warning().isEmpty())
        note(QStringLiteral("docket-cli: ") + log->warning());
    m_auditLog = std::move(log);
    return m_auditLog.get();
}

void CliContext::forgetLocalData(const Account &account, QString *error)
{
    m_localData->forgetAccount(account.service, account.id, error);
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
    ConnectorContext stores;
    if (QString error; !m_localData->prepare(account->service, stores, &error)) {
        done(nullptr, error);
        return;
    }
    auto *session = new AccountSession(*account, &m_network, &m_credentials, this);
    Connector *connector = createConnector(session, stores.invoxIndex, session).release();
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

// The last guard before the terminal: whatever service text a command forgot to pass through
// printable(), no escape sequence or direction override gets out. Tabs and line breaks are the
// commands' own layout.
QString CliContext::terminalLine(const QString &line)
{
    return inertText(line, u"\t\n") + u'\n';
}

// JSON escapes only U+0000 to U+001F: a direction override or a C1 control in a name would still
// reach the terminal that shows the document. As \uXXXX they are the same JSON to a script and
// inert on a screen. (Outside strings Qt writes ASCII only, and raw line breaks only there.)
QByteArray CliContext::terminalJson(const QJsonDocument &document)
{
    const QString json = QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    QString result;
    result.reserve(json.size());
    const auto escape = [&result](QChar c) {
        result += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json.at(i);
        if (c.isHighSurrogate() && i + 1 < json.size() && json.at(i + 1).isLowSurrogate()) {
            const QChar low = json.at(++i);
            const bool inert = isInertCodePoint(QChar::surrogateToUcs4(c, low));
            for (const QChar half : { c, low }) {
                if (inert)
                    result.append(half);
                else
                    escape(half);
            }
        } else if (c == u'\n' || isInertCodePoint(c.unicode())) {
            result.append(c);
        } else {
            escape(c);
        }
    }
    return result.toUtf8();
}

void CliContext::print(const QString &line)
{
    if (m_options.json)
        return;
    std::fputs(terminalLine(line).toLocal8Bit().constData(), stdout);
}

void CliContext::note(const QString &line)
{
    std::fputs(terminalLine(line).toLocal8Bit().constData(), stderr);
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
        std::fputs(terminalJson(QJsonDocument(document)).constData(), stdout);
    }
    std::fflush(stdout);
    QCoreApplication::exit(exitCode);
}
