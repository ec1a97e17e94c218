#pragma once

#include "accountstore.h"
#include "auditlog.h"
#include "connector.h"
#include "keychaincredentialstore.h"
#include "localservicedata.h"
#include "networkclient.h"
#include "pendingremovalstore.h"
#include "terminal.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QObject>

#include <functional>
#include <memory>

// What every docket-cli command shares: the settings and stores, the network client, output in text
// or JSON, and opening an account's connector with its secrets loaded.
class CliContext : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool json = false;
        QString configFile; // empty: the platform's settings; else an INI file (data beside it)
        int timeoutMs = 30000;
        // The audit trail: --audit-file, else $DOCKET_AUDIT_FILE, else beside --config, else the
        // window's (Docket::auditLogPath()).
        QString auditFile;
    };

    explicit CliContext(const Options &options, QObject *parent = nullptr);
    ~CliContext() override;

    bool json() const { return m_options.json; }
    Docket::AccountStore &accounts() { return *m_accounts; }
    Docket::CredentialStore *credentials() { return &m_credentials; }
    Docket::NetworkClient *network() { return &m_network; }
    Terminal *terminal() { return &m_terminal; }
    // What services keep on this machine (the Invox index), beside --config or in Docket's data
    // folder; each store opens on first use.
    Docket::LocalServiceData &localData() { return *m_localData; }
    // Forgets what is kept on this machine for a removed account (ignored when it cannot be
    // opened: there is then nothing of it to forget).
    void forgetLocalData(const Docket::Account &account, QString *error);
    // Opens the audit trail on first use; null (with *error) if it cannot be opened. Deleting
    // needs it: without a record, a batch cannot be resumed after a crash.
    Docket::AuditLog *auditLog(QString *error);
    QString auditLogFile() const;

    // Deletes again the secrets an earlier sign-out or account removal could not delete (from
    // the window or docket-cli), says on stderr how that went when there were any, then calls
    // `then`. Every command runs after it.
    void retryPendingRemovals(std::function<void()> then);

    // Loads the account's secrets and creates its connector. `done` gets null and an error sentence
    // when the account is unknown or its secrets cannot be read.
    void openConnector(const QString &accountName,
                       std::function<void(Docket::Connector *, const QString &error)> done);

    // Output. Text goes to stdout, messages and errors to stderr; in JSON mode stdout carries
    // exactly one JSON document, written by finish(). Control and format characters other than
    // tabs and line breaks are written as spaces: pass service text through printable() too,
    // which keeps its tabs and line breaks from shifting columns or starting lines.
    void print(const QString &line);
    void note(const QString &line); // progress and explanations: stderr in both modes
    void setJsonResult(const QJsonValue &value) { m_jsonResult = value; }
    // Ends the command: prints the error (if any) and the JSON document, then exits.
    void finish(int exitCode, const QString &error = {});

    enum ExitCode { Success = 0, Failure = 1, Usage = 2, Declined = 3 };

private:
    static QString terminalLine(const QString &line);
    static QByteArray terminalJson(const QJsonDocument &document);

    Options m_options;
    std::unique_ptr<Docket::AccountStore> m_accounts;
    Docket::NetworkClient m_network;
    Docket::KeychainCredentialStore m_keychain;
    Docket::PendingRemovalStore m_pendingRemovals; // over the keychain
    Docket::EnvironmentCredentialStore m_credentials;
    std::unique_ptr<Docket::LocalServiceData> m_localData;
    std::unique_ptr<Docket::AuditLog> m_auditLog;
    Terminal m_terminal;
    QJsonValue m_jsonResult;
    bool m_finished = false;
};
