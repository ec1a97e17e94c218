#include "benchaccounts.h"

#include "benchsupport.h"
#include "connectors/care360/care360connector.h"
#include "liveaccount.h"

#include <QJsonArray>
#include <QSet>

using namespace Docket;

std::unique_ptr<Client> scriptixClient(const SandboxProcess &sandbox)
{
    const QString scriptixId = QStringLiteral("scriptix");
    Account account = live::account(QStringLiteral("bench-scriptix"), ServiceKind::Scriptix,
                                    QStringLiteral("bench"), sandbox.baseUrl(scriptixId));
    // The sandbox's limit is lifted (--rate-limit scriptix=0), so Docket's own pacing is too:
    // with 60 a minute, 1,000 deletes take 17 minutes whoever sends them.
    account.requestsPerMinute = 0;
    auto client = std::make_unique<Client>();
    client->session = std::make_unique<AccountSession>(account, &client->network, &client->store);
    client->connector = createConnector(client->session.get(), nullptr);
    client->session->setSecret(
        Secret::token, sandbox.credentials(scriptixId).value(QStringLiteral("token")).toString());
    client->session->markSignedIn();
    return client;
}

std::unique_ptr<Client> care360Client(const SandboxProcess &sandbox)
{
    const QString care360Id = QStringLiteral("care360");
    const QJsonObject cv = sandbox.credentials(care360Id);
    Account account = live::account(QStringLiteral("bench-care360"), ServiceKind::Care360,
                                    QStringLiteral("bench"), sandbox.baseUrl(care360Id));
    account.setSetting(QStringLiteral("login"), cv.value(QStringLiteral("email")).toString());
    auto client = std::make_unique<Client>();
    client->session = std::make_unique<AccountSession>(account, &client->network, &client->store);
    bool stored = false;
    client->session->storeSecret(Secret::tenantKey,
                                 cv.value(QStringLiteral("tenantKey")).toString(),
                                 client->session.get(), [&](const QString &) { stored = true; });
    runUntil([&] { return stored; });
    client->connector = createConnector(client->session.get(), nullptr);
    auto *care360 = static_cast<Care360Connector *>(client->connector.get());
    QString problem;
    if (!signInWithCode(care360, cv.value(QStringLiteral("otpCode")).toString(), &problem))
        return nullptr;
    return client;
}

bool signInWithCode(Care360Connector *connector, const QString &code, QString *problem)
{
    bool done = false;
    bool failed = false;
    const auto fail = [&](ConnectorJob *job) {
        failed = done = true;
        *problem = job->error().userMessage;
    };
    QObject::connect(connector->requestCode(), &ConnectorJob::finished, connector,
                     [&](ConnectorJob *sent) {
                         if (sent->failed()) {
                             fail(sent);
                             return;
                         }
                         QObject::connect(connector->verifyCode(code), &ConnectorJob::finished,
                                          connector, [&](ConnectorJob *verified) {
                                              if (verified->failed())
                                                  fail(verified);
                                              done = true;
                                          });
                     });
    if (!runUntil([&] { return done; }, 30000)) {
        *problem = QStringLiteral("no answer within 30 s");
        return false;
    }
    return !failed;
}

QList<Target> scriptixDocuments(const SandboxProcess &sandbox)
{
    const QString token
        = sandbox.credentials(QStringLiteral("scriptix")).value(QStringLiteral("token")).toString();
    const QUrl base = sandbox.baseUrl(QStringLiteral("scriptix"));
    QList<Target> documents;
    for (const QJsonValue &value :
         sandbox.state(QStringLiteral("scriptix")).value(QStringLiteral("documents")).toArray()) {
        const QJsonObject document = value.toObject();
        if (document.value(QStringLiteral("owner")).toString() != token
            || document.value(QStringLiteral("deleted")).toBool())
            continue;
        const QString session = document.value(QStringLiteral("session_id")).toString();
        const QString id = document.value(QStringLiteral("id")).toString();
        documents.append(
            { NodeRef { NodeKind::ScriptixDocument, { session, id } },
              document.value(QStringLiteral("name")).toString(),
              document.value(QStringLiteral("filename")).toString(),
              urlWithSegments(base,
                              { QStringLiteral("speech-to-text"), QStringLiteral("session"),
                                session, QStringLiteral("document"), id })
                  .toString() });
    }
    return documents;
}

QList<Target> care360Files(const SandboxProcess &sandbox)
{
    const QJsonObject cv = sandbox.credentials(QStringLiteral("care360"));
    const QUrl base = sandbox.baseUrl(QStringLiteral("care360"));
    QList<Target> files;
    for (const QJsonValue &value :
         sandbox.state(QStringLiteral("care360")).value(QStringLiteral("files")).toArray()) {
        const QJsonObject file = value.toObject();
        if (file.value(QStringLiteral("tenantKey")) != cv.value(QStringLiteral("tenantKey"))
            || file.value(QStringLiteral("uploadedBy")).toObject().value(QStringLiteral("id"))
                != cv.value(QStringLiteral("patientId"))
            || file.value(QStringLiteral("caseId")).toString().isEmpty()
            || file.value(QStringLiteral("deleted")).toBool())
            continue;
        const QString id = file.value(QStringLiteral("id")).toString();
        files.append({ NodeRef { NodeKind::Care360File,
                                 { file.value(QStringLiteral("caseId")).toString(), id } },
                       file.value(QStringLiteral("fileName")).toString(), QString(),
                       urlWithSegments(base,
                                       { QStringLiteral("api"), QStringLiteral("v1"),
                                         QStringLiteral("users"), QStringLiteral("me"),
                                         QStringLiteral("files"), id })
                           .toString() });
    }
    return files;
}

bool sandboxAgrees(const SandboxProcess &sandbox, const QString &service, const QString &kind,
                   const QList<Target> &targets, QString *problem)
{
    QSet<QString> expected;
    for (const Target &target : targets)
        expected.insert(target.ref.id());
    const QStringList deletedIds = sandbox.deletedIds(service, kind);
    const QSet<QString> deleted(deletedIds.cbegin(), deletedIds.cend());
    if (deleted == expected)
        return true;
    *problem = QStringLiteral("the sandbox recorded %1 %2 deleted, %3 expected (%4 missing)")
                   .arg(deleted.size())
                   .arg(kind)
                   .arg(expected.size())
                   .arg((expected - deleted).size());
    return false;
}
