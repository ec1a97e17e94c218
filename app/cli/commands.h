#pragma once

#include <QHash>
#include <QStringList>

class CliContext;

// What the user asked for on the command line, after parsing.
struct CliRequest
{
    QString command; // "accounts", "account", "signin", "signout", "ls", "find", "rm", "audit",
                     // "resume", "invox"
    QStringList arguments; // the positional arguments after the command
    bool yes = false;
    bool dryRun = false;
    bool all = false;
    QString fileType; // ls on Care360: "phi" or "general"
    // ls: the server's search and order (Connector::canSearch, ::sortFields), else a local filter
    QString search;
    QString sort; // a ListSortField id: "name", "created", ...
    bool descending = false;
    bool secretFromStdin = false;
    QString code; // signin: the one-time code, for a service that sends one (Care360)
    // account add
    QString baseUrl;
    bool staging = false; // the service's address marked ServiceAddress::isStaging
    // The account form options given (ServiceInfo::fields' cliOption, "app-id"), by option name:
    // which field each sets is known once the service is (account add SERVICE).
    QHash<QString, QString> settingOptions;
    int requestsPerMinute = -1;
    // invox
    QString documentName;
    QString documentType;
    // audit
    QString account; // a name (or id) from the account store
    QString outcome; // an AuditEntry::outcomeId()
    QString since; // an ISO 8601 date or date and time
    int limit = 0; // 0: every entry
    bool csv = false;
    // resume
    bool discard = false;
    // rm, resume: how many more times a delete that failed in a way that may pass is sent
    // (-1: the queue's default)
    int retries = -1;
    // rm: send an item whose lookup failed, too (never one whose parent's listing lacks it)
    bool force = false;
};

// Each starts the command; the command ends by calling CliContext::finish().
void runAccountsCommand(CliContext *context, const CliRequest &request);
void runAccountCommand(CliContext *context, const CliRequest &request);
void runSignInCommand(CliContext *context, const CliRequest &request);
void runSignOutCommand(CliContext *context, const CliRequest &request);
void runListCommand(CliContext *context, const CliRequest &request);
void runFindCommand(CliContext *context, const CliRequest &request);
void runRemoveCommand(CliContext *context, const CliRequest &request);
void runAuditCommand(CliContext *context, const CliRequest &request);
void runResumeCommand(CliContext *context, const CliRequest &request);
void runInvoxCommand(CliContext *context, const CliRequest &request);
