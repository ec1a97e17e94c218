// docket-cli accounts | account add/remove | signin | signout

#include "clicontext.h"
#include "commands.h"
#include "connectors/care360/care360connector.h"
#include "itemformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

// The one long-lived secret each service signs in with.
QString primarySecret(ServiceKind service)
{
    switch (service) {
    case ServiceKind::Scriptix:
        return Secret::token;
    case ServiceKind::Care360:
        return Secret::tenantKey;
    default:
        return Secret::apiKey;
    }
}

QString primarySecretLabel(ServiceKind service)
{
    switch (service) {
    case ServiceKind::Scriptix:
        return tr("Scriptix API token");
    case ServiceKind::Care360:
        return tr("Care360 tenant key (cv-api-key)");
    case ServiceKind::DocumentPro:
        return tr("DocumentPro API key");
    case ServiceKind::Invox:
        return tr("Invox API Key");
    }
    return {};
}

// Care360 ends a sign-in at the service too; when that call failed, the refresh token Docket
// just forgot still works there until it expires, and the user is told so.
void noteServiceLogout(CliContext *context, ConnectorJob *signOut)
{
    const QVariantMap data = static_cast<SimpleJob *>(signOut)->data();
    if (data.value(QStringLiteral("serviceLogout"), true).toBool())
        return;
    const QString reason = data.value(QStringLiteral("serviceLogoutError")).toString();
    if (!reason.isEmpty())
        context->note(tr("The service could not be told to end the sign-in (%1); it ends there "
                         "when its refresh token expires.")
                          .arg(printable(reason)));
}

// Removes every secret `account` may have from the CLI's store (refusals stay on the list of
// secrets still to remove), then calls `done` with why some were kept, or nothing.
void removeSecretsOf(CliContext *context, const Account &account,
                     std::function<void(const QString &secretsKept)> done)
{
    const QStringList names = secretNames(account.service);
    auto remaining = std::make_shared<qsizetype>(names.size());
    auto firstError = std::make_shared<QString>();
    if (names.isEmpty()) {
        done({});
        return;
    }
    for (const QString &name : names) {
        context->credentials()->remove(
            secretKey(account.id, name), context,
            [remaining, firstError, done](const QString &error) {
                if (!error.isEmpty() && firstError->isEmpty())
                    *firstError = error;
                if (--*remaining > 0)
                    return;
                done(firstError->isEmpty()
                         ? QString()
                         : tr("Its secrets could not all be deleted (%1); they are kept on the "
                              "list of secrets to remove, tried again at each start.")
                               .arg(printable(*firstError)));
            });
    }
}

QJsonObject accountToJson(const Account &account)
{
    QJsonObject object = QJsonObject::fromVariantMap(account.toVariantMap());
    object.insert(QStringLiteral("label"), account.label());
    return object;
}

// Gets the sign-in secret from the environment, stdin, or the terminal (echo off), in that order.
void obtainSecret(CliContext *context, const CliRequest &request, const Account &account,
                  std::function<void(std::optional<QString>)> done)
{
    const QString variable
        = EnvironmentCredentialStore::variableName(account.name, primarySecret(account.service));
    const QByteArray fromEnvironment = qgetenv(variable.toLatin1().constData());
    if (!fromEnvironment.isEmpty()) {
        done(QString::fromUtf8(fromEnvironment).trimmed());
        return;
    }
    if (!request.secretFromStdin && !Terminal::isInteractive()) {
        done(std::nullopt);
        return;
    }
    context->terminal()->ask(primarySecretLabel(account.service) + QStringLiteral(": "),
                             !request.secretFromStdin, [done](std::optional<QString> line) {
                                 if (line)
                                     *line = line->trimmed();
                                 done(line && !line->isEmpty() ? line : std::nullopt);
                             });
}

// After the service accepted the sign-in: the secret moves from memory into the keychain.
void finishSignIn(CliContext *context, Connector *connector, SimpleJob *job)
{
    QObject::connect(
        job, &ConnectorJob::finished, context, [context, connector](ConnectorJob *finished) {
            if (finished->failed()) {
                context->finish(
                    CliContext::Failure,
                    tr("Sign-in failed: %1").arg(printable(finished->error().userMessage)));
                return;
            }
            const Account account = connector->account();
            const QString name = primarySecret(account.service);
            connector->session()->storeSecret(
                name, connector->session()->secret(name), context,
                [context, account, name](const QString &storeError) {
                    if (!storeError.isEmpty()) {
                        context->finish(
                            CliContext::Failure,
                            tr("The service accepted the sign-in, but it could not be "
                               "saved. %1 Without a keychain, set %2 for each run instead.")
                                .arg(storeError,
                                     EnvironmentCredentialStore::variableName(account.name, name)));
                        return;
                    }
                    context->print(
                        tr("Signed in: %1. Secrets are kept in %2.")
                            .arg(account.label(), context->credentials()->description()));
                    context->setJsonResult(accountToJson(account));
                    context->finish(CliContext::Success);
                });
        });
}

void signInCare360(CliContext *context, const CliRequest &request, Connector *connector)
{
    auto *care360 = qobject_cast<Care360Connector *>(connector);
    SimpleJob *codeRequest = care360->requestCode();
    QObject::connect(
        codeRequest, &ConnectorJob::finished, context,
        [context, request, care360](ConnectorJob *sent) {
            if (sent->failed()) {
                context->finish(
                    CliContext::Failure,
                    tr("Could not request a code: %1").arg(printable(sent->error().userMessage)));
                return;
            }
            const auto verify = [context, care360](const QString &code) {
                finishSignIn(context, care360, care360->verifyCode(code.trimmed()));
            };
            if (!request.code.isEmpty()) {
                verify(request.code);
                return;
            }
            if (!Terminal::isInteractive()) {
                context->finish(CliContext::Usage,
                                tr("Care360 sent a one-time code; pass it with --code "
                                   "when not at a terminal."));
                return;
            }
            context->note(
                tr("Care360 sent a one-time code to %1.").arg(care360->account().care360Login));
            context->terminal()->ask(
                tr("One-time code: "), false, [context, verify](std::optional<QString> code) {
                    if (!code || code->trimmed().isEmpty())
                        context->finish(CliContext::Declined, tr("No code entered."));
                    else
                        verify(*code);
                });
        });
}

} // namespace

void runAccountsCommand(CliContext *context, const CliRequest &)
{
    QJsonArray list;
    const QList<Account> accounts = context->accounts().accounts();
    if (accounts.isEmpty())
        context->note(
            tr("No accounts yet. Add one with `docket-cli account add SERVICE NAME ...`."));
    for (const Account &account : accounts) {
        context->print(
            QStringLiteral("%1\t%2\t%3")
                .arg(account.name, serviceId(account.service), account.baseUrl.toString()));
        list.append(accountToJson(account));
    }
    context->setJsonResult(list);
    context->finish(CliContext::Success);
}

void runAccountCommand(CliContext *context, const CliRequest &request)
{
    const QString action = request.arguments.value(0);
    if (action == QLatin1String("add")) {
        const std::optional<ServiceKind> service = serviceFromId(request.arguments.value(1));
        if (!service || request.arguments.size() < 3) {
            context->finish(CliContext::Usage,
                            tr("usage: account add invox|care360|documentpro|scriptix NAME "
                               "[--base-url URL] [options]"));
            return;
        }
        Account account;
        account.service = *service;
        account.name = request.arguments.at(2);
        account.baseUrl = request.baseUrl.isEmpty()
            ? (request.staging && *service == ServiceKind::Care360
                   ? Account::care360StagingUrl()
                   : Account::defaultBaseUrl(*service))
            : QUrl(request.baseUrl);
        account.invoxAppId = request.appId;
        if (!request.tokenPath.isEmpty())
            account.invoxTokenPath = request.tokenPath;
        account.invoxApiVersion = request.apiVersion;
        account.care360Login = request.login;
        account.scriptixHeader = request.header == QLatin1String("x-zoom-s2t-key")
            ? Account::ScriptixHeader::ZoomKey
            : Account::ScriptixHeader::Bearer;
        if (!request.header.isEmpty() && request.header != QLatin1String("x-zoom-s2t-key")
            && request.header != QLatin1String("bearer")) {
            context->finish(CliContext::Usage, tr("--header must be bearer or x-zoom-s2t-key."));
            return;
        }
        account.requestsPerMinute = request.requestsPerMinute;
        if (const QString problem = context->accounts().save(account); !problem.isEmpty()) {
            context->finish(CliContext::Usage, problem);
            return;
        }
        context->print(
            tr("Added %1. Sign in with: docket-cli signin %2").arg(account.label(), account.name));
        context->setJsonResult(accountToJson(account));
        context->finish(CliContext::Success);
        return;
    }
    if (action == QLatin1String("remove") && request.arguments.size() == 2) {
        const std::optional<Account> account = context->accounts().find(request.arguments.at(1));
        if (!account) {
            context->finish(CliContext::Failure,
                            tr("No account named “%1”.").arg(request.arguments.at(1)));
            return;
        }
        context->openConnector(
            account->name, [context, account](Connector *connector, const QString &) {
                // `secretsKept`: why some secrets are still in the keychain, or empty.
                const auto forget = [context, account](const QString &secretsKept) {
                    context->accounts().remove(account->id);
                    QString error;
                    if (account->service == ServiceKind::Invox) {
                        if (InvoxIndex *index = context->invoxIndex(&error))
                            index->removeAccount(account->id);
                    }
                    if (!secretsKept.isEmpty()) {
                        context->finish(CliContext::Failure,
                                        tr("Removed %1. %2").arg(account->label(), secretsKept));
                        return;
                    }
                    context->print(tr("Removed %1 and its secrets.").arg(account->label()));
                    context->finish(CliContext::Success);
                };
                if (!connector) {
                    // Not opened (its keychain or its index refused): its secrets are removed
                    // straight through the store, and what the store says is what is reported.
                    removeSecretsOf(context, *account, forget);
                    return;
                }
                // Sign out first so the secrets leave the keychain; removal goes on even if the
                // service cannot be reached.
                SimpleJob *job = connector->signOut();
                QObject::connect(job, &ConnectorJob::finished, context,
                                 [context, forget](ConnectorJob *finished) {
                                     noteServiceLogout(context, finished);
                                     forget(finished->failed()
                                                ? printable(finished->error().userMessage)
                                                : QString());
                                 });
            });
        return;
    }
    context->finish(CliContext::Usage, tr("usage: account add ... | account remove NAME"));
}

void runSignInCommand(CliContext *context, const CliRequest &request)
{
    if (request.arguments.size() != 1) {
        context->finish(CliContext::Usage,
                        tr("usage: signin ACCOUNT [--secret-stdin] [--code CODE]"));
        return;
    }
    context->openConnector(
        request.arguments.at(0), [context, request](Connector *connector, const QString &error) {
            if (!connector) {
                context->finish(CliContext::Failure, error);
                return;
            }
            const Account account = connector->account();
            obtainSecret(context, request, account,
                         [context, request, connector, account](std::optional<QString> secret) {
                             if (!secret) {
                                 context->finish(
                                     CliContext::Usage,
                                     tr("No %1 given: type it at the prompt, pipe it with "
                                        "--secret-stdin, or set %2.")
                                         .arg(primarySecretLabel(account.service),
                                              EnvironmentCredentialStore::variableName(
                                                  account.name, primarySecret(account.service))));
                                 return;
                             }
                             // Checked with the service first; stored only once accepted
                             // (finishSignIn).
                             connector->session()->setSecret(primarySecret(account.service),
                                                             *secret);
                             if (account.service == ServiceKind::Care360)
                                 signInCare360(context, request, connector);
                             else
                                 finishSignIn(context, connector, connector->signIn());
                         });
        });
}

void runSignOutCommand(CliContext *context, const CliRequest &request)
{
    if (request.arguments.size() != 1) {
        context->finish(CliContext::Usage, tr("usage: signout ACCOUNT"));
        return;
    }
    context->openConnector(
        request.arguments.at(0), [context](Connector *connector, const QString &error) {
            if (!connector) {
                context->finish(CliContext::Failure, error);
                return;
            }
            SimpleJob *job = connector->signOut();
            QObject::connect(
                job, &ConnectorJob::finished, context,
                [context, connector](ConnectorJob *finished) {
                    noteServiceLogout(context, finished);
                    const QString label = connector->account().label();
                    if (finished->failed()) {
                        context->finish(CliContext::Failure,
                                        tr("Signed out of %1. %2")
                                            .arg(label, printable(finished->error().userMessage)));
                        return;
                    }
                    context->print(tr("Signed out of %1; its secrets were removed.").arg(label));
                    context->finish(CliContext::Success);
                });
        });
}
