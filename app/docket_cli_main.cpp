// docket-cli: Docket's accounts, listing and deleting for administrators and scripts.

#include "applicationinfo.h"
#include "cli/clicontext.h"
#include "cli/commands.h"
#include "logsink.h"
#include "serviceinfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <docketversion.h>

namespace {

const char *const commandHelp = R"(Commands:
  accounts                          list accounts
  account add SERVICE NAME [opts]   add an account (SERVICE: %1)
  account remove NAME               sign out, delete its secrets, forget it
  signin NAME                       sign in; the secret goes to the OS keychain
  signout NAME                      sign out and delete the account's secrets
  ls [PATH] [--all]                 list what is under PATH (/ lists accounts);
                                    Care360: --file-type phi|general
     [--search TEXT] [--sort FIELD] [--desc]
                                    only names holding TEXT, in FIELD's order, asked of
                                    the server where it can (Scriptix sessions: q, sort
                                    name|created|duration|status; DocumentPro documents:
                                    search_term, no sort); elsewhere every page is read
                                    and filtered here (Care360 lists come whole, Invox is
                                    Docket's own index)
  find TEXT [--all]                 top-level items whose name holds TEXT in every
                                    account that can search at the server (first page
                                    each; --all: every page); says which cannot, and why
  rm PATH... [--yes] [--dry-run] [--retries N] [--force]
                                    delete items, each named as its service lists it;
                                    an item is sent only if its lookup found it where
                                    its path says (--force: also when the lookup failed);
                                    asks first unless --yes; every delete is recorded in
                                    the audit trail first
  audit [--account NAME] [--outcome OUTCOME] [--since DATE] [--limit N] [--csv]
                                    the audit trail, newest first: a table, --json or --csv
  resume [BATCH] [--yes] [--discard]   list batches a stopped Docket left unfinished; with
                                    BATCH send what is owed (or --discard: give it up)
  invox upload NAME CONSULTATION FILE   upload a PDF or TXT document (signed URL, then PUT)
  invox add NAME CONSULTATION DOCUMENT_ID   record a known Invox document id

Paths: /ACCOUNT/ID/ID... - e.g. /scriptix/SESSION/DOCUMENT/COMMENT, /care360/CASE/FILE,
/documentpro/DOCUMENT/REQUEST_ID, /invox/CONSULTATION/DOCUMENT. Write '/' in an id as %2F.

Secrets: signin stores them in the OS keychain. For scripts without a keychain, set
DOCKET_SECRET_<ACCOUNT>_<SECRET> (account name upper-cased, other characters as _; SECRET is
TOKEN for Scriptix, API_KEY for Invox and DocumentPro, TENANT_KEY and REFRESH_TOKEN for Care360).

Audit trail: ~/.local/share/Docket/audit.sqlite (the platform's data folder), shared with the
window; with --config, audit.sqlite beside that file. --audit-file or DOCKET_AUDIT_FILE names
another. rm and resume refuse to delete when it cannot be opened. Ctrl+C during rm or resume
cancels what is not sent yet (deletes already sent finish); a second Ctrl+C stops at once.

Logs: --log-file or DOCKET_LOG names a file that gets a line per request (method, path,
status, time, X-Request-ID) and per outcome; never a header value, a body or a secret.
QT_LOGGING_RULES selects categories (docket.net, docket.auth, docket.queue, docket.audit).

Exit status: 0 success, 1 a request or delete failed, 2 usage error, 3 declined at the prompt.)";

// "Invox Medical, CareValidate Care360, DocumentPro and Scriptix", from the ServiceRegistry.
QString serviceList(QString (*name)(const Docket::ServiceInfo &), const QString &lastSeparator)
{
    QStringList names;
    for (const Docket::ServiceInfo *info : Docket::ServiceRegistry::all())
        names.append(name(*info));
    const QString last = names.isEmpty() ? QString() : names.takeLast();
    return names.isEmpty() ? last : names.join(QStringLiteral(", ")) + lastSeparator + last;
}

QString commandHelpText()
{
    return QString::fromUtf8(commandHelp)
        .arg(serviceList([](const Docket::ServiceInfo &info) { return info.id; },
                         QStringLiteral(", ")));
}

// The account form's options (--app-id, --login, ...), from every service's fields; a name two
// services share is one option.
QList<QCommandLineOption> settingOptions()
{
    QList<QCommandLineOption> options;
    QStringList seen;
    for (const Docket::ServiceInfo *info : Docket::ServiceRegistry::all()) {
        for (const Docket::AccountField &field : info->fields) {
            if (field.cliOption.isEmpty() || seen.contains(field.cliOption))
                continue;
            seen.append(field.cliOption);
            options.append(QCommandLineOption(field.cliOption, field.cliHelp, field.cliValueName));
        }
    }
    return options;
}

// --staging's help: the services that document a staging address.
QString stagingHelp()
{
    QStringList services;
    for (const Docket::ServiceInfo *info : Docket::ServiceRegistry::all()) {
        if (!info->stagingUrl().isEmpty())
            services.append(info->shortName);
    }
    return QStringLiteral("account add: the service's staging host (%1).")
        .arg(services.join(QStringLiteral(", ")));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Docket::setApplicationInfo(QStringLiteral("docket-cli"));
    Docket::installTranslations();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("docket-cli", "List and delete documents held by %1.\n\n")
            .arg(serviceList([](const Docket::ServiceInfo &info) { return info.displayName; },
                             QStringLiteral(" and ")))
        + commandHelpText());
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print one JSON document."));
    const QCommandLineOption yes(QStringLiteral("yes"), QStringLiteral("rm, resume: do not ask."));
    const QCommandLineOption dryRun(
        QStringLiteral("dry-run"),
        QStringLiteral("rm: say what would be deleted, delete nothing."));
    const QCommandLineOption all(QStringLiteral("all"),
                                 QStringLiteral("ls: every page, not just the first."));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("Use this settings file (INI) instead of Docket's."),
        QStringLiteral("file"));
    const QCommandLineOption timeout(
        QStringLiteral("timeout"), QStringLiteral("Seconds to wait for each answer (default 30)."),
        QStringLiteral("seconds"), QStringLiteral("30"));
    const QCommandLineOption secretStdin(
        QStringLiteral("secret-stdin"),
        QStringLiteral("signin: read the secret from standard input."));
    const QCommandLineOption code(
        QStringLiteral("code"),
        QStringLiteral("signin: the one-time code, for a service that sends one (Care360)."),
        QStringLiteral("code"));
    const QCommandLineOption baseUrl(
        QStringLiteral("base-url"),
        QStringLiteral("account add: the service's base URL (https, or http "
                       "on loopback)."),
        QStringLiteral("url"));
    const QCommandLineOption staging(QStringLiteral("staging"), stagingHelp());
    const QList<QCommandLineOption> accountFormOptions = settingOptions();
    const QCommandLineOption rate(QStringLiteral("requests-per-minute"),
                                  QStringLiteral("account add: request budget (0: none; default: "
                                                 "the service's documented limit)."),
                                  QStringLiteral("n"));
    const QCommandLineOption fileType(
        QStringLiteral("file-type"),
        QStringLiteral("ls on Care360: only phi or only general files."),
        QStringLiteral("phi|general"));
    const QCommandLineOption search(QStringLiteral("search"),
                                    QStringLiteral("ls: only items whose name holds this text."),
                                    QStringLiteral("text"));
    const QCommandLineOption sort(
        QStringLiteral("sort"),
        QStringLiteral("ls: the server's order by this field (Scriptix sessions: name, created, "
                       "duration, status)."),
        QStringLiteral("field"));
    const QCommandLineOption descending(QStringLiteral("desc"),
                                        QStringLiteral("ls: with --sort, in descending order."));
    const QCommandLineOption name(QStringLiteral("name"),
                                  QStringLiteral("invox: the document name."),
                                  QStringLiteral("name"));
    const QCommandLineOption type(QStringLiteral("type"), QStringLiteral("invox: PDF or TXT."),
                                  QStringLiteral("type"));
    const QCommandLineOption auditFile(
        QStringLiteral("audit-file"),
        QStringLiteral("Use this audit trail (SQLite) instead of Docket's; also "
                       "DOCKET_AUDIT_FILE."),
        QStringLiteral("file"));
    const QCommandLineOption account(QStringLiteral("account"),
                                     QStringLiteral("audit: only this account's entries."),
                                     QStringLiteral("name"));
    const QCommandLineOption outcome(
        QStringLiteral("outcome"),
        QStringLiteral("audit: only entries with this outcome (deleted, already-gone, failed, "
                       "retrying, no-answer, cancelled, sent)."),
        QStringLiteral("outcome"));
    const QCommandLineOption since(
        QStringLiteral("since"),
        QStringLiteral("audit: only entries from this ISO 8601 date or date and time on."),
        QStringLiteral("date"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("audit: at most this many entries (default: "
                                                  "all)."),
                                   QStringLiteral("n"));
    const QCommandLineOption retries(
        QStringLiteral("retries"),
        QStringLiteral("rm, resume: send a delete that failed in a way that may pass (timeout, "
                       "reset, 5xx) at most n more times, waiting longer each time (default 4; "
                       "0: report it at once). 429s are always waited out."),
        QStringLiteral("n"));
    const QCommandLineOption force(
        QStringLiteral("force"),
        QStringLiteral("rm: also send an item whose lookup failed (an error, not \"not "
                       "found\"). Dangerous: Care360, DocumentPro and Invox delete by the last "
                       "id alone, so an item that is not where its path says is deleted wherever "
                       "it is."));
    const QCommandLineOption csv(QStringLiteral("csv"),
                                 QStringLiteral("audit: print CSV (RFC 4180) instead of a table."));
    const QCommandLineOption discard(
        QStringLiteral("discard"),
        QStringLiteral("resume: give the batch up; what is owed is marked cancelled, not sent."));
    const QCommandLineOption logFile(
        QStringLiteral("log-file"),
        QStringLiteral("Append a log (a line per request and per outcome, secrets redacted) to "
                       "this file; also DOCKET_LOG."),
        QStringLiteral("file"));
    parser.addOptions(
        { json, yes, dryRun, all, config, timeout, secretStdin, code, baseUrl, staging });
    parser.addOptions(accountFormOptions);
    parser.addOptions({ rate, fileType, name, type, auditFile, account, outcome, since, limit, csv,
                        discard, retries, force, logFile });
    parser.addOptions({ search, sort, descending });
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("See Commands above."));
    Docket::processCommandLine(parser, app); // --version: the license too
    // Installed even without a file: every message, Qt's own included, passes its redaction.
    QString logError;
    if (!Docket::LogSink::install(Docket::LogSink::requestedPath(parser.value(logFile)),
                                  &logError)) {
        QTextStream(stderr) << "docket-cli: " << logError << '\n';
        return 2;
    }

    QStringList positional = parser.positionalArguments();
    CliRequest request;
    request.command = positional.isEmpty() ? QString() : positional.takeFirst();
    request.arguments = positional;
    request.yes = parser.isSet(yes);
    request.dryRun = parser.isSet(dryRun);
    request.all = parser.isSet(all);
    request.fileType = parser.value(fileType).toLower();
    request.search = parser.value(search);
    request.sort = parser.value(sort).toLower();
    request.descending = parser.isSet(descending);
    request.secretFromStdin = parser.isSet(secretStdin);
    request.code = parser.value(code);
    request.baseUrl = parser.value(baseUrl);
    request.staging = parser.isSet(staging);
    for (const QCommandLineOption &option : accountFormOptions) {
        const QString optionName = option.names().constFirst();
        if (parser.isSet(optionName))
            request.settingOptions.insert(optionName, parser.value(optionName));
    }
    request.requestsPerMinute = parser.isSet(rate) ? parser.value(rate).toInt() : -1;
    request.documentName = parser.value(name);
    request.documentType = parser.value(type);
    request.account = parser.value(account);
    request.outcome = parser.value(outcome);
    request.since = parser.value(since);
    if (parser.isSet(limit)) {
        bool ok = false;
        request.limit = parser.value(limit).toInt(&ok);
        if (!ok)
            request.limit = -1; // the command says what it takes
    }
    request.csv = parser.isSet(csv);
    if (parser.isSet(retries)) {
        bool ok = false;
        request.retries = parser.value(retries).toInt(&ok);
        if (!ok || request.retries < 0 || request.retries > 20) {
            QTextStream(stderr) << QCoreApplication::translate(
                "docket-cli", "--retries takes a number from 0 to 20.\n");
            return 2;
        }
    }
    request.discard = parser.isSet(discard);
    request.force = parser.isSet(force);

    CliContext::Options options;
    options.json = parser.isSet(json);
    options.configFile = parser.value(config);
    options.timeoutMs = qBound(1, parser.value(timeout).toInt(), 3600) * 1000;
    options.auditFile = parser.value(auditFile);
    CliContext context(options);

    using Runner = void (*)(CliContext *, const CliRequest &);
    const QHash<QString, Runner> runners {
        { QStringLiteral("accounts"), runAccountsCommand },
        { QStringLiteral("account"), runAccountCommand },
        { QStringLiteral("signin"), runSignInCommand },
        { QStringLiteral("signout"), runSignOutCommand },
        { QStringLiteral("ls"), runListCommand },
        { QStringLiteral("find"), runFindCommand },
        { QStringLiteral("rm"), runRemoveCommand },
        { QStringLiteral("audit"), runAuditCommand },
        { QStringLiteral("resume"), runResumeCommand },
        { QStringLiteral("invox"), runInvoxCommand },
    };
    const Runner runner = runners.value(request.command);
    if (!runner) {
        std::fprintf(stderr, "docket-cli: %s\n\n%s\n",
                     request.command.isEmpty() ? "no command given" : "unknown command",
                     qPrintable(commandHelpText()));
        return CliContext::Usage;
    }
    // Commands start once the event loop runs, so every answer arrives through it; first the
    // secrets an earlier sign-out could not delete are deleted again.
    QTimer::singleShot(0, &context,
                       [&] { context.retryPendingRemovals([&] { runner(&context, request); }); });
    return app.exec();
}
