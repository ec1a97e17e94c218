#pragma once

#include "remoteitem.h"
#include "retrypolicy.h"
#include "servicekind.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class QObject;

namespace Docket {

class AccountSession;
class Connector;
class InvoxIndex;
struct Account;

// One value of a Choice field: what is stored, and what people see.
struct FieldChoice
{
    QString value;
    QString label;
};

// One field of a service's account form, in the window's account dialog and as a docket-cli
// `account add` option. A setting lives in Account::settings under `id`; a secret goes to the
// credential store under `id` (a Secret:: name) and never into the account's settings.
struct AccountField
{
    enum class Kind { Text, Secret, Choice };

    QString id; // the settings key or the secret's name: "appId", "apiKey"
    Kind kind = Kind::Text;
    QString label; // for people, translated: "App Id"
    QString placeholder; // shown in an empty field: "Optional"
    QString defaultValue; // a new account's value (a Choice's first value when empty)
    QList<FieldChoice> choices; // a Choice's values, in the order offered
    bool required = true;
    // What an empty required field says: "Invox Medical needs the App Id."
    QString missingMessage;
    // The docket-cli `account add` option that sets it ("app-id"); empty: none. Secrets have no
    // option (they come from the environment, stdin or the terminal, never the command line).
    QString cliOption;
    QString cliHelp; // "account add: Invox App Id."
    QString cliValueName; // in --help: "--app-id <id>"
    // A sentence when a non-empty `value` cannot be used; null: any value will do.
    std::function<QString(const QString &value)> check;

    // A new field, then what it needs, chained: AccountField::text(...).requiredWith(...).
    static AccountField text(const QString &id, const QString &label);
    static AccountField secret(const QString &id, const QString &label);
    static AccountField choice(const QString &id, const QString &label,
                               const QList<FieldChoice> &choices);
    AccountField &requiredWith(const QString &message);
    AccountField &optional(const QString &placeholderText = {});
    AccountField &withPlaceholder(const QString &text);
    AccountField &withDefault(const QString &value);
    AccountField &withCheck(std::function<QString(const QString &value)> checker);
    AccountField &withCliOption(const QString &option, const QString &valueName,
                                const QString &help);

    bool isSecret() const { return kind == Kind::Secret; }
    // Empty when `value` may be used, otherwise why not (missingMessage, then check()).
    QString problem(const QString &value) const;
};

// A documented address of the service, offered before "Custom URL": production, staging.
struct ServiceAddress
{
    QString label; // "Production"; empty: the URL itself is shown
    QUrl url;
    bool isStaging = false; // the one docket-cli `account add --staging` chooses
};

// What a node kind of a service is called and whether it holds others.
struct NodeKindInfo
{
    NodeKind kind;
    QString id; // for paths and JSON: "session", "result"
    QString name; // for people, translated: "Parser result"
    bool container = false;
};

// What the connector factory hands a service's create function.
struct ConnectorContext
{
    AccountSession *session = nullptr;
    InvoxIndex *invoxIndex = nullptr; // Docket's own index of Invox documents (may be null)
    QObject *parent = nullptr;
};

// Everything Docket knows about a service that is not a request: its names, its account form,
// its secrets, its addresses, what its items are called, and how to make its connector. The
// window, docket-cli and the models read services only through this and the Connector
// interface; one ServiceInfo and one connector folder are all a new service needs
// (docs/design.md, "Adding a service").
struct ServiceInfo
{
    // A service's names, the rest to be filled in.
    static ServiceInfo named(ServiceKind kind, const QString &id, const QString &displayName,
                             const QString &shortName, const QString &formName);

    ServiceKind kind;
    QString id; // stable, for settings, the CLI and the sandbox: "care360"
    QString displayName; // "CareValidate Care360"
    QString shortName; // in sentences: "Care360"
    // The prefix of the account form's widget names ("documentPro": documentProApiKeyEdit), for
    // tests and accessibility tools that find fields by name.
    QString formName;
    // Offered before "Custom URL"; empty: each account gives its own (Invox). The first is a new
    // account's address.
    QList<ServiceAddress> addresses;
    QString addressLabel; // the address chooser's label: "Environment", "Address"
    // The address chooser's widget name between formName and "Combo": documentProPresetCombo,
    // care360EnvironmentCombo.
    QString addressComboName = QStringLiteral("Preset");
    QString urlPlaceholder; // the custom URL field's placeholder
    // The account form's fields after name and address, in order: settings and secrets.
    QList<AccountField> fields;
    // Every secret an account may come to hold (sign-in secrets and the tokens they are
    // exchanged for): all of them are removed on sign-out and when the account is removed.
    QStringList storedSecrets;
    // The kinds at each depth under an account, outermost first.
    QList<NodeKindInfo> kinds;
    // The kinds whose items the service can say more about than their rows
    // (Connector::fetchDetails()).
    QList<NodeKind> detailKinds;
    // What a delete does at this service: gone for good, or hidden and kept by the service.
    DeletePlan::Permanence deletion = DeletePlan::Permanence::Permanent;
    // How often and how long its accounts try again, and how early they renew a token (the
    // defaults in retrypolicy.h unless the service needs others).
    RetryPolicy retryPolicy;
    // The request budget the service documents per minute; 0: none documented.
    int defaultRequestsPerMinute = 0;
    // Why the service's listings are not searched at the server (Connector::canSearch), for
    // people: "Care360 sends each case's files whole, so Docket filters them itself." Empty when
    // it can search its top level.
    QString searchNote;
    // Whether signing in may ask the user for a one-time code (SignInJob::codeRequested).
    bool signInMayAskForCode = false;
    std::function<std::unique_ptr<Connector>(const ConnectorContext &context)> createConnector;

    const AccountField *field(const QString &id) const;
    // The secret typed in to sign in (the first Secret field); null if the service has none.
    const AccountField *signInSecret() const;
    QList<const AccountField *> settingFields() const;
    QList<const AccountField *> secretFields() const;
    // The documented address labelled "Staging" (docket-cli account add --staging); empty when
    // the service documents none.
    QUrl stagingUrl() const;
    const NodeKindInfo *kindInfo(NodeKind kind) const;
};

// A ServiceInfo::createConnector for a connector made as ConnectorType(session, parent).
template<typename ConnectorType>
std::function<std::unique_ptr<Connector>(const ConnectorContext &)> connectorMaker()
{
    return [](const ConnectorContext &context) -> std::unique_ptr<Connector> {
        return std::make_unique<ConnectorType>(context.session, context.parent);
    };
}

// A ServiceInfo's text for people, translated in the context all services share ("Docket").
QString serviceText(const char *sourceText);

// Every service Docket can talk to. The built-in four register themselves on first use
// (connectors/builtinservices.cpp, generated from the connector folders); a test or a plugin adds
// another with add() before it is used.
class ServiceRegistry
{
public:
    // Adds a service; its kind, id and node kinds must be new (a clash is a programming error
    // and ends the program with a message saying which).
    static void add(ServiceInfo info);
    static const ServiceInfo *find(ServiceKind kind);
    static const ServiceInfo *find(const QString &id);
    // The info of a registered service (a kind that is not registered is a programming error).
    static const ServiceInfo &info(ServiceKind kind);
    // By kind value: the built-in ones first, in the order the window offers them.
    static QList<const ServiceInfo *> all();
    // The node kind's info, whichever service it belongs to; null for NodeKind::Account.
    static const NodeKindInfo *kindInfo(NodeKind kind);
    // The tree keeps a row's kind in one byte (documenttreenodes_p.h, rowblock.h): a service's node
    // kinds are values from 1 to this.
    static constexpr int maxNodeKindValue = 255;
};

} // namespace Docket
