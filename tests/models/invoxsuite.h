#pragma once

// What the InvoxConnector suites share: an account with its local index as the app builds one, the
// sandbox's demo credentials and documents, and what a finished job reported.

#include "account.h"
#include "accountsession.h"
#include "connectors/invox/invoxconnector.h"
#include "connectors/invox/invoxindex.h"
#include "credentialstore.h"
#include "networkclient.h"
#include "sandboxsuite.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <functional>
#include <memory>

// What a finished job reported, copied out before the job deletes itself.
struct Outcome
{
    bool finished = false;
    Docket::ApiError error;
    Docket::ListPage page;
    Docket::DeleteOutcome deleteOutcome = Docket::DeleteOutcome::Deleted;
    int httpStatus = 0;
    QVariantMap data;

    bool ok() const { return finished && !error.isError(); }
};

inline std::shared_ptr<Outcome> watch(Docket::ConnectorJob *job)
{
    auto outcome = std::make_shared<Outcome>();
    QObject::connect(job, &Docket::ConnectorJob::finished, job,
                     [outcome](Docket::ConnectorJob *finished) {
                         outcome->finished = true;
                         outcome->error = finished->error();
                         if (auto *list = qobject_cast<Docket::ListJob *>(finished))
                             outcome->page = list->page();
                         if (auto *removal = qobject_cast<Docket::DeleteJob *>(finished)) {
                             outcome->deleteOutcome = removal->outcome();
                             outcome->httpStatus = removal->httpStatus();
                         }
                         if (auto *simple = qobject_cast<Docket::SimpleJob *>(finished))
                             outcome->data = simple->data();
                     });
    return outcome;
}

inline Outcome waitFor(Docket::ConnectorJob *job, int timeoutMs = 10000)
{
    auto outcome = watch(job);
    // A job that never finishes shows as finished == false in the checks that follow.
    (void)QTest::qWaitFor([&] { return outcome->finished; }, timeoutMs);
    return *outcome;
}

inline QString describe(const Outcome &outcome)
{
    if (!outcome.finished)
        return QStringLiteral("the job did not finish");
    return outcome.error.summary() + QStringLiteral(" | ") + outcome.error.userMessage;
}

inline const QString pdf = QStringLiteral("PDF");
inline const QString txt = QStringLiteral("TXT");
// Qt resends a request up to twice on a reset kept-alive connection.
constexpr int resetsBeyondResends = 3;
// The sandbox's demo document, which Invox holds until a test deletes it.
inline const QString mockDocumentId = QStringLiteral("mock-document-id");

inline QJsonArray requestsOf(const QJsonObject &log)
{
    return log.value(QStringLiteral("requests")).toArray();
}

// One account as the app builds it: settings, network, credential store, session, connector and
// the local index.
struct Fixture
{
    Docket::Account account;
    Docket::NetworkClient network;
    Docket::MemoryCredentialStore store;
    Docket::InvoxIndex index { QStringLiteral(":memory:") };
    std::unique_ptr<Docket::AccountSession> session;
    std::unique_ptr<Docket::InvoxConnector> connector;

    // A new session and connector on `account` as it is now (after a change of its settings).
    void reopen()
    {
        connector.reset();
        session = std::make_unique<Docket::AccountSession>(account, &network, &store);
        connector = std::make_unique<Docket::InvoxConnector>(session.get(), &index);
    }
    // Keeps `apiKey` as the account's; true once the credential store has it.
    bool storeApiKey(const QString &apiKey)
    {
        bool stored = false;
        session->storeSecret(Docket::Secret::apiKey, apiKey, session.get(),
                             [&stored](const QString &) { stored = true; });
        return QTest::qWaitFor([&] { return stored; }, 5000);
    }

    Docket::ListJob *list(const Docket::NodeRef &parent, const Docket::PageRequest &page)
    {
        return connector->list(parent, page);
    }
    Docket::DeleteJob *remove(const Docket::RemoteItem &item) { return connector->remove(item); }
    Docket::DeletePlan describeDelete(const Docket::RemoteItem &item) const
    {
        return connector->describeDelete(item);
    }
    bool canDelete(Docket::NodeKind kind) const { return connector->canDelete(kind); }

    // Lists `parent` `pageSize` rows at a time, handing each page to `check`, for at most ten
    // pages: how many it took.
    int listInPages(const Docket::NodeRef &parent, int pageSize,
                    const std::function<void(const Outcome &)> &check)
    {
        QVariant cursor;
        int pages = 0;
        do {
            const Outcome page = waitFor(list(parent, { cursor, pageSize }));
            check(page);
            cursor = page.page.nextCursor;
            ++pages;
        } while (cursor.isValid() && !cursor.isNull() && pages < 10);
        return pages;
    }
    // Document `id` of `consultation` as the index lists it (a bare row if it does not).
    Docket::RemoteItem documentItem(const QString &consultation, const QString &id)
    {
        const Outcome listed = waitFor(
            list({ Docket::NodeKind::InvoxConsultation, { consultation } }, { {}, 1000 }));
        for (const Docket::RemoteItem &item : listed.page.items) {
            if (item.ref.id() == id)
                return item;
        }
        Docket::RemoteItem item;
        item.ref = { Docket::NodeKind::InvoxDocument, { consultation, id } };
        item.name = id;
        return item;
    }
    // Makes document `id` (a PDF unless told) known in consultation "c": its row.
    Docket::RemoteItem knownDocument(const QString &id, const QString &type = pdf)
    {
        const QString problem = connector->addKnownDocument(QStringLiteral("c"), id, {}, type);
        QTest::qCompare(problem, QString(), "problem", "QString()", __FILE__, __LINE__);
        return documentItem(QStringLiteral("c"), id);
    }
    // Makes document `id` known in consultation "c" and deletes it: how that ended.
    Outcome deleteKnown(const QString &id) { return waitFor(remove(knownDocument(id))); }
};

class InvoxSuite : public SandboxSuite
{
protected:
    void prepareSuite() override
    {
        const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("invox"));
        m_appId = credentials.value(QStringLiteral("appId")).toString();
        m_apiKey = credentials.value(QStringLiteral("apiKey")).toString();
        m_documents = credentials.value(QStringLiteral("documents")).toArray();
        QVERIFY(!m_appId.isEmpty() && !m_apiKey.isEmpty());
        QVERIFY(m_documents.size() >= 3);
    }

    std::unique_ptr<Fixture> makeFixture(const QString &appId, const QString &apiKey,
                                         const QUrl &baseUrl = {})
    {
        auto fixture = std::make_unique<Fixture>();
        fixture->account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        fixture->account.service = Docket::ServiceKind::Invox;
        fixture->account.name = QStringLiteral("Clinic");
        fixture->account.baseUrl
            = baseUrl.isEmpty() ? m_sandbox.baseUrl(QStringLiteral("invox")) : baseUrl;
        fixture->account.setSetting(QStringLiteral("appId"), appId);
        QString error;
        if (!fixture->index.open(&error))
            qFatal("index: %s", qPrintable(error));
        fixture->reopen();
        if (!apiKey.isEmpty() && !fixture->storeApiKey(apiKey))
            qFatal("the credential store did not answer");
        return fixture;
    }
    std::unique_ptr<Fixture> demo() { return makeFixture(m_appId, m_apiKey); }
    std::unique_ptr<Fixture> signedInDemo()
    {
        auto fixture = demo();
        const Outcome signIn = waitFor(fixture->connector->signIn());
        if (!signIn.ok())
            qFatal("sign-in failed: %s", qPrintable(describe(signIn)));
        return fixture;
    }
    // The id of the sandbox's `n`th demo document.
    QString demoDocumentId(int n) const
    {
        return m_documents.at(n).toObject().value(QStringLiteral("documentId")).toString();
    }

    QJsonObject invoxState() const { return m_sandbox.state(QStringLiteral("invox")); }
    QJsonArray requestLog() const
    {
        return requestsOf(m_sandbox.requestLog(QStringLiteral("invox")));
    }
    QStringList deletedIds() const
    {
        return m_sandbox.deletedIds(QStringLiteral("invox"), QStringLiteral("documents"));
    }
    int exchanges() const
    {
        return m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("auth.token"));
    }
    // A fault on the next request (or the rule's "count") to `route`.
    bool addFault(const QString &route, const QJsonObject &rule) const
    {
        QJsonObject full = rule;
        full.insert(QStringLiteral("service"), QStringLiteral("invox"));
        full.insert(QStringLiteral("route"), route);
        if (!full.contains(QStringLiteral("count")))
            full.insert(QStringLiteral("count"), 1);
        return m_sandbox.addFault(full);
    }
    // The next `count` requests to `route` answered with `status`.
    bool addStatusFault(const QString &route, int status, int count = 1) const
    {
        return addFault(route,
                        { { QStringLiteral("mode"), QStringLiteral("status") },
                          { QStringLiteral("status"), status },
                          { QStringLiteral("count"), count } });
    }
    // No text of `error` holds the API key, the Basic credentials or a sandbox token.
    void verifyNoSecret(const Docket::ApiError &error) const
    {
        for (const QString &text :
             { error.userMessage, error.serviceMessage, error.technicalDetail, error.summary() }) {
            QVERIFY2(!text.contains(m_apiKey), qPrintable(text));
            QVERIFY2(!text.contains(
                         QString::fromLatin1((m_appId + u':' + m_apiKey).toUtf8().toBase64())),
                     qPrintable(text));
            QVERIFY2(!text.contains(QStringLiteral("ivx_")), qPrintable(text)); // sandbox tokens
        }
    }

    QString m_appId;
    QString m_apiKey;
    QJsonArray m_documents;
};
