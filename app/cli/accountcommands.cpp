// docket-cli accounts | account add/remove | signin | signout

#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"
#include "serviceinfo.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

// The one long-lived secret each service signs in with (ServiceInfo::signInSecret).
QString primarySecret(ServiceKind service)
{
    const AccountField *secret = ServiceRegistry::info(service).signInSecret();
    return secret ? secret->id : QString();
}

// What the prompt and the messages call it: "Scriptix API token".
QString primarySecretLabel(ServiceKind service)
{
    const ServiceInfo &info = ServiceRegistry::info(service);
    const AccountField *secret = info.signInSecret();
    return secret ? QStringLiteral("%1 %2").arg(info.shortName, QString(secret->label).remove(u'&'))
                  : QString();
}

// "bearer or x-zoom-s2t-key": a Choice field's values, for a usage message.
QString choiceValues(const AccountField &field)
{
    QStringList values;
    for (const FieldChoice &choice : field.choices)
        values.append(choice.value);
    const QString last = values.isEmpty() ? QString() : values.takeLast();
    return values.isEmpty() ? last : values.join(QStringLiteral(", ")) + tr(" or ") + last;
}

// Sets the account form options given for `account`'s service; empty, or why one cannot be used.
QString applySettingOptions(Account &account, const CliRequest &request)
{
    for (const AccountField *field : ServiceRegistry::info(account.service).settingFields()) {
        const QString value = request.settingOptions.value(field->cliOption);
        if (field->cliOption.isEmpty() || value.isEmpty())
            continue; // the field's default
        if (field->kind == AccountField::Kind::Choice) {
            const bool offered
                = std::any_of(field->choices.cbegin(), field->choices.cend(),
                              [&](const FieldChoice &c) { return c.value == value; });
            if (!offered)
                return tr("--%1 must be %2.").arg(field->cliOption, choiceValues(*field));
        }
        account.setSetting(field->id, value);
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

// "invox|care360|documentpro|scriptix"
QString serviceIds()
{
    QStringList ids;
    for (const ServiceInfo *info : ServiceRegistry::all())
        ids.append(info->id);
    return ids.join(u'|');
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
// `failure` words a refusal (the service's message, already printable).
void finishSignIn(CliContext *context, Connector *connector, SimpleJob *job,
                  std::function<QString(const QString &message)> failure)
{
    QObject::connect(
        job, &ConnectorJob::finished, context,
        [context, connector, failure](ConnectorJob *finished) {
            if (finished->failed()) {
                context->finish(CliContext::Failure,
                                failure(printable(finished->error().userMessage)));
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

// Signs in with the secret just given; a service that sends a one-time code (Care360) gets
// --code, or the one typed at the prompt.
void signInWithNewSecrets(CliContext *context, const CliRequest &request, Connector *connector)
{
    SignInJob *job = connector->signIn(SignInMode::NewSecrets);
    const ServiceInfo &info = ServiceRegistry::info(connector->service());
    const QString shortName = info.shortName;
    // A service that sends a code fails before sending it only when the code could not be
    // requested; after, the sign-in itself failed.
    auto codeSent = std::make_shared<bool>(!info.signInMayAskForCode);
    QObject::connect(
        job, &SignInJob::codeRequested, context,
        [context, request, job, codeSent, shortName](const QString &destination) {
            *codeSent = true;
            if (!request.code.isEmpty()) {
                job->provideCode(request.code.trimmed());
                return;
            }
            if (!Terminal::isInteractive()) {
                context->finish(CliContext::Usage,
                                tr("%1 sent a one-time code; pass it with --code "
                                   "when not at a terminal.")
                                    .arg(shortName));
                return;
            }
            context->note(tr("%1 sent a one-time code to %2.").arg(shortName, destination));
            context->terminal()->ask(
                tr("One-time code: "), false, [context, job](std::optional<QString> code) {
                    if (!code || code->trimmed().isEmpty())
                        context->finish(CliContext::Declined, tr("No code entered."));
                    else
                        job->provideCode(code->trimmed());
                });
        });
    // A refused code ends the command: run signin again for a new one.
    QObject::connect(job, &SignInJob::codeRejected, job, [job] { job->finish(job->rejection()); });
    finishSignIn(context, connector, job, [codeSent](const QString &message) {
        return *codeSent ? tr("Sign-in failed: %1").arg(message)
                         : tr("Could not request a code: %1").arg(message);
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
        const ServiceInfo *service = ServiceRegistry::find(request.arguments.value(1));
        if (!service || request.arguments.size() < 3) {
            context->finish(
                CliContext::Usage,
                tr("usage: account add %1 NAME [--base-url URL] [options]").arg(serviceIds()));
            return;
        }
        Account account;
        account.service = service->kind;
        account.name = request.arguments.at(2);
        const QUrl staging = request.staging ? service->stagingUrl() : QUrl();
        account.baseUrl = !request.baseUrl.isEmpty() ? QUrl(request.baseUrl)
            : !staging.isEmpty()                     ? staging
                                                     : Account::defaultBaseUrl(service->kind);
        if (const QString problem = applySettingOptions(account, request); !problem.isEmpty()) {
            context->finish(CliContext::Usage, problem);
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
                    context->forgetLocalData(*account, &error);
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
                             signInWithNewSecrets(context, request, connector);
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
