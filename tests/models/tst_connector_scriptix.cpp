// ScriptixConnector against the real docket-sandbox (and, for the [gap] alternatives the sandbox
// does not produce, a tiny canned server): sign-in, every level listed with pagination, every
// delete, error statuses, faults, hostile ids.

#include "accountsession.h"
#include "cannedserver.h"
#include "connectedaccount.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "credentialstore.h"
#include "itemdetails.h"
#include "jobresults.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

#include <functional>
#include <limits>
#include <memory>

using namespace Docket;

namespace {

const QString service = QStringLiteral("scriptix");

// One account as the app builds it: settings, network, credential store, session, connector.
using Client = ConnectedAccount<ScriptixConnector>;

} // namespace

class TestConnectorScriptix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { QVERIFY(m_sandbox.reset()); }

    void signInAcceptsTheToken_data();
    void signInAcceptsTheToken();
    void signInRefusesAWrongToken();
    void signInWithoutATokenSendsNothing();
    void listsEverySessionOnceAcrossPages();
    void sessionRowsCarryTheirFields();
    void listsTheDocumentsOfEverySession();
    void listsCommentsAcrossPages();
    void deletesASessionWithItsDocuments();
    void deletesADocumentWithItsComments();
    void deletesAComment();
    void describesDeletesInPlainWords();
    void refusesWhatItCannotDelete();
    void errorStatusesFailClearly_data();
    void errorStatusesFailClearly();
    void deleteErrorsKeepTheItem();
    void rateLimitIsWaitedOut();
    void hangIsATimeout();
    void resetIsAConnectionError();
    void malformedBodiesAreMalformed_data();
    void malformedBodiesAreMalformed();
    void truncatedBodyIsAnError();
    void hostileIdsReachOnlyTheirRoute_data();
    void hostileIdsReachOnlyTheirRoute();
    void dotIdsAreRefusedBeforeSending();
    void fetchDocumentReturnsTheTranscript();
    void detailsAreCommentsThenTranscript();
    void looksUpEachKindAsItsListShowsIt();
    void lookupOfWhatIsNotThereFindsNothing();
    void lookupFailuresAreErrors();
    void lookupRefusesAnAnswerAboutAnotherSession();
    void toleratesTheGapAlternatives();
    void countsBeyondAnIntDoNotWrap();

private:
    std::unique_ptr<Client> makeClient(const QString &token,
                                       const QString &header = QStringLiteral("bearer"),
                                       const QUrl &baseUrl = {});
    QString demoToken() const
    {
        return m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    }
    // Every item of one kind in the sandbox (sessions, documents, comments) owned by the demo
    // token and not deleted, filtered further by `keep`.
    QList<QJsonObject> liveItems(const QString &kind,
                                 const std::function<bool(const QJsonObject &)> &keep = {});
    QStringList deleted(const QString &kind);
    QList<RemoteItem> allSessions(Client &client);
    // The newest request the sandbox logged (on `route`, when given).
    QJsonObject lastLogEntry(const QString &route = {});
    bool addFault(const QString &route, const QString &mode, const QJsonObject &extra = {})
    {
        QJsonObject rule = extra;
        rule.insert(QStringLiteral("service"), service);
        rule.insert(QStringLiteral("route"), route);
        rule.insert(QStringLiteral("mode"), mode);
        return m_sandbox.addFault(rule);
    }

    // The Scriptix sandbox is started with its rate limit lifted so the suite's many short
    // sessions do not share one 60-a-minute window; 429s are injected where they are tested.
    SandboxProcess m_sandbox { { QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
};

void TestConnectorScriptix::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

std::unique_ptr<Client>
TestConnectorScriptix::makeClient(const QString &token, const QString &header, const QUrl &baseUrl)
{
    Account account;
    account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    account.service = ServiceKind::Scriptix;
    account.name = QStringLiteral("Test");
    account.baseUrl = baseUrl.isEmpty() ? m_sandbox.baseUrl(service) : baseUrl;
    account.setSetting(QStringLiteral("header"), header);
    account.requestsPerMinute = 0; // the sandbox's limit is lifted too (see m_sandbox)

    auto client = std::make_unique<Client>();
    client->session = std::make_unique<AccountSession>(account, &client->network, &client->store);
    client->connector = std::make_unique<ScriptixConnector>(client->session.get());
    if (!token.isEmpty()) {
        bool stored = false;
        client->session->storeSecret(Secret::token, token, client->session.get(),
                                     [&stored](const QString &) { stored = true; });
        if (!QTest::qWaitFor([&stored] { return stored; }, 5000))
            qWarning("the credential store did not confirm the token");
    }
    return client;
}

QList<QJsonObject>
TestConnectorScriptix::liveItems(const QString &kind,
                                 const std::function<bool(const QJsonObject &)> &keep)
{
    QList<QJsonObject> items;
    for (const QJsonValue &value : m_sandbox.state(service).value(kind).toArray()) {
        const QJsonObject object = value.toObject();
        if (object.value(QStringLiteral("owner")).toString() != demoToken()
            || object.value(QStringLiteral("deleted")).toBool())
            continue;
        if (!keep || keep(object))
            items.append(object);
    }
    return items;
}

QStringList TestConnectorScriptix::deleted(const QString &kind)
{
    return m_sandbox.deletedIds(service, kind);
}

QList<RemoteItem> TestConnectorScriptix::allSessions(Client &client)
{
    const ListResult result
        = awaitList(client.connector->list(NodeRef {}, PageRequest { {}, 100 }));
    if (!result.finished || result.error.isError())
        return {};
    return result.page.items;
}

QJsonObject TestConnectorScriptix::lastLogEntry(const QString &route)
{
    const QJsonArray requests
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    for (qsizetype i = requests.size() - 1; i >= 0; --i) {
        const QJsonObject entry = requests.at(i).toObject();
        if (route.isEmpty() || entry.value(QStringLiteral("route")) == route)
            return entry;
    }
    return {};
}

void TestConnectorScriptix::signInAcceptsTheToken_data()
{
    QTest::addColumn<QString>("header");
    QTest::newRow("bearer") << QStringLiteral("bearer");
    QTest::newRow("x-zoom-s2t-key") << QStringLiteral("x-zoom-s2t-key");
}

void TestConnectorScriptix::signInAcceptsTheToken()
{
    QFETCH(QString, header);
    auto client = makeClient(demoToken(), header);
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.data.value(QStringLiteral("sessions")).toInt(), 14);
    QVERIFY(!client->session->isSignedOut());
    const QJsonObject entry = lastLogEntry();
    QCOMPARE(entry.value(QStringLiteral("route")).toString(), QStringLiteral("session.list"));
    QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 200);
}

void TestConnectorScriptix::signInRefusesAWrongToken()
{
    const QString wrong = QStringLiteral("scriptix-not-a-real-token-123");
    auto client = makeClient(wrong);
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Http);
    QCOMPARE(result.error.httpStatus, 401);
    QVERIFY2(result.error.userMessage.contains(QStringLiteral("API token")),
             qPrintable(result.error.userMessage));
    QVERIFY(!result.error.userMessage.contains(wrong));
    QVERIFY(!result.error.summary().contains(wrong));
}

void TestConnectorScriptix::signInWithoutATokenSendsNothing()
{
    auto client = makeClient({});
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(!result.error.userMessage.isEmpty());
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.list")), 0);

    // A token with a line break could smuggle in headers: refused, not sent.
    auto newline = makeClient(QStringLiteral("abc\r\nX-Evil: 1"));
    const SimpleResult refused = awaitSimple(newline->connector->signIn());
    QCOMPARE(refused.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.list")), 0);
}

void TestConnectorScriptix::listsEverySessionOnceAcrossPages()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> oneGo = allSessions(*client);
    QCOMPARE(oneGo.size(), 14);

    QList<RemoteItem> paged;
    QVariant cursor;
    int pages = 0;
    do {
        const ListResult result
            = awaitList(client->connector->list(NodeRef {}, PageRequest { cursor, 4 }));
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QCOMPARE(result.page.total, 14);
        QVERIFY(result.page.items.size() <= 4);
        paged += result.page.items;
        cursor = result.page.nextCursor;
        QVERIFY(++pages <= 5);
    } while (cursor.isValid());
    QCOMPARE(pages, 4);

    // Every session exactly once, in the server's order, and exactly the demo token's.
    const QStringList ids = idsOf(paged);
    QCOMPARE(ids, idsOf(oneGo));
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 14);
    QStringList expected;
    for (const QJsonObject &session : liveItems(QStringLiteral("sessions")))
        expected.append(session.value(QStringLiteral("session_id")).toString());
    QStringList sortedIds = ids;
    sortedIds.sort();
    expected.sort();
    QCOMPARE(sortedIds, expected);

    // The offsets went out as the API documents them.
    QStringList paths;
    for (const QJsonValue &entry :
         m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray())
        paths.append(entry.toObject().value(QStringLiteral("path")).toString());
    for (const char *query :
         { "offset=0&limit=4", "offset=4&limit=4", "offset=8&limit=4", "offset=12&limit=4" }) {
        QVERIFY2(paths.filter(QLatin1String(query)).size() == 1, query);
    }
}

void TestConnectorScriptix::sessionRowsCarryTheirFields()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QCOMPARE(sessions.size(), 14);
    QHash<QString, QJsonObject> truth;
    for (const QJsonObject &session : liveItems(QStringLiteral("sessions")))
        truth.insert(session.value(QStringLiteral("session_id")).toString(), session);
    QSet<QString> statuses;
    for (const RemoteItem &item : sessions) {
        const QJsonObject expected = truth.value(item.ref.id());
        QCOMPARE(item.ref.kind, NodeKind::ScriptixSession);
        QCOMPARE(item.name, expected.value(QStringLiteral("filename")).toString());
        QCOMPARE(item.durationSeconds, expected.value(QStringLiteral("duration")).toInt());
        QCOMPARE(item.status, expected.value(QStringLiteral("status")).toString());
        QVERIFY(item.created.isValid());
        QCOMPARE(item.created.timeSpec(), Qt::UTC);
        QCOMPARE(item.details.value(QStringLiteral("language")).toString(),
                 expected.value(QStringLiteral("language")).toString());
        QCOMPARE(item.details.value(QStringLiteral("session_id")).toString(), item.ref.id());
        QVERIFY(!item.details.value(QStringLiteral("documents")).toList().isEmpty());
        statuses.insert(item.status);
    }
    QVERIFY(statuses.contains(QStringLiteral("finished")));
    QVERIFY(statuses.contains(QStringLiteral("processing")));
    QVERIFY(statuses.contains(QStringLiteral("failed")));
}

void TestConnectorScriptix::listsTheDocumentsOfEverySession()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QCOMPARE(sessions.size(), 14);
    int documents = 0;
    for (const RemoteItem &session : sessions) {
        const ListResult result = awaitList(client->connector->list(session.ref, PageRequest {}));
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QVERIFY(!result.page.hasMore());
        QCOMPARE(result.page.total, result.page.items.size());
        QStringList expected;
        for (const QJsonObject &document :
             liveItems(QStringLiteral("documents"), [&session](const QJsonObject &object) {
                 return object.value(QStringLiteral("session_id")).toString() == session.ref.id();
             }))
            expected.append(document.value(QStringLiteral("id")).toString());
        QCOMPARE(idsOf(result.page.items), expected);
        for (const RemoteItem &item : result.page.items) {
            QCOMPARE(item.ref.kind, NodeKind::ScriptixDocument);
            QCOMPARE(item.ref.ids, QStringList({ session.ref.id(), item.ref.id() }));
            QVERIFY(!item.name.isEmpty());
            QVERIFY(!item.details.value(QStringLiteral("type")).toString().isEmpty());
        }
        // What the session row said about its documents matches the list.
        QCOMPARE(session.details.value(QStringLiteral("documents")).toList().size(),
                 result.page.items.size());
        documents += int(result.page.items.size());
    }
    QVERIFY(documents >= 14);
}

void TestConnectorScriptix::listsCommentsAcrossPages()
{
    auto client = makeClient(demoToken());
    // The sandbox's documents with the most comments, to page through them two at a time.
    QHash<QString, QStringList> commentsByDocument;
    QHash<QString, QString> sessionOf;
    for (const QJsonObject &comment : liveItems(QStringLiteral("comments"))) {
        const QString document = comment.value(QStringLiteral("document_id")).toString();
        commentsByDocument[document].append(comment.value(QStringLiteral("id")).toString());
        sessionOf.insert(document, comment.value(QStringLiteral("session_id")).toString());
    }
    int checked = 0;
    for (auto it = commentsByDocument.cbegin(); it != commentsByDocument.cend(); ++it) {
        if (it.value().size() < 3)
            continue;
        const NodeRef document { NodeKind::ScriptixDocument,
                                 { sessionOf.value(it.key()), it.key() } };
        QList<RemoteItem> comments;
        QVariant cursor;
        int pages = 0;
        do {
            const ListResult result
                = awaitList(client->connector->list(document, PageRequest { cursor, 2 }));
            QVERIFY(result.finished);
            QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
            QCOMPARE(result.page.total, it.value().size());
            comments += result.page.items;
            cursor = result.page.nextCursor;
            QVERIFY(++pages <= 3);
        } while (cursor.isValid());
        QCOMPARE(idsOf(comments), it.value());
        for (const RemoteItem &comment : std::as_const(comments)) {
            QCOMPARE(comment.ref.kind, NodeKind::ScriptixComment);
            QCOMPARE(comment.ref.ids.size(), 3);
            QVERIFY(!comment.name.isEmpty());
            QVERIFY(comment.created.isValid());
            QVERIFY(!comment.details.value(QStringLiteral("author")).toString().isEmpty());
        }
        if (++checked == 2)
            break;
    }
    QVERIFY(checked > 0);
}

void TestConnectorScriptix::deletesASessionWithItsDocuments()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QVERIFY(!sessions.isEmpty());
    const RemoteItem session = sessions.first();
    const QStringList documents = [&] {
        QStringList ids;
        for (const QVariant &document : session.details.value(QStringLiteral("documents")).toList())
            ids.append(document.toMap().value(QStringLiteral("id")).toString());
        return ids;
    }();
    QVERIFY(!documents.isEmpty());

    const DeletePlan plan = client->connector->describeDelete(session);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Permanent);
    QCOMPARE(plan.cascadeCounts.value(QStringLiteral("documents")).toInt(), documents.size());
    QVERIFY2(plan.explanation.contains(session.name), qPrintable(plan.explanation));
    QVERIFY(plan.explanation.contains(QStringLiteral("cannot be undone")));
    if (documents.size() > 1)
        QVERIFY(
            plan.explanation.contains(QStringLiteral("its %1 documents").arg(documents.size())));

    const DeleteResult result = awaitDelete(client->connector->remove(session));
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.outcome, DeleteOutcome::Deleted);
    QCOMPARE(result.httpStatus, 204);
    QCOMPARE(deleted(QStringLiteral("sessions")), QStringList { session.ref.id() });
    QCOMPARE(deleted(QStringLiteral("documents")), documents);

    const QList<RemoteItem> after = allSessions(*client);
    QCOMPARE(after.size(), 13);
    QVERIFY(!idsOf(after).contains(session.ref.id()));

    // Again: the service says 404, which is "already gone", not a failure.
    const DeleteResult again = awaitDelete(client->connector->remove(session));
    QVERIFY(!again.error.isError());
    QCOMPARE(again.outcome, DeleteOutcome::AlreadyGone);
    QCOMPARE(again.httpStatus, 404);
}

void TestConnectorScriptix::deletesADocumentWithItsComments()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QVERIFY(!sessions.isEmpty());
    const ListResult documents
        = awaitList(client->connector->list(sessions.first().ref, PageRequest {}));
    QVERIFY(!documents.error.isError());
    QVERIFY(!documents.page.items.isEmpty());
    const RemoteItem document = documents.page.items.first();
    const ListResult comments = awaitList(client->connector->list(document.ref, PageRequest {}));
    QVERIFY(!comments.error.isError());

    const DeletePlan plan = client->connector->describeDelete(document);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Permanent);
    QVERIFY(plan.explanation.contains(document.name));
    QVERIFY(plan.explanation.contains(QStringLiteral("comments")));

    const DeleteResult result = awaitDelete(client->connector->remove(document));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.outcome, DeleteOutcome::Deleted);
    QCOMPARE(result.httpStatus, 200);
    QCOMPARE(deleted(QStringLiteral("documents")), QStringList { document.ref.id() });
    QCOMPARE(deleted(QStringLiteral("comments")), idsOf(comments.page.items));
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());

    const ListResult relisted
        = awaitList(client->connector->list(sessions.first().ref, PageRequest {}));
    QVERIFY(!relisted.error.isError());
    QCOMPARE(relisted.page.items.size(), documents.page.items.size() - 1);
    QVERIFY(!idsOf(relisted.page.items).contains(document.ref.id()));

    const DeleteResult again = awaitDelete(client->connector->remove(document));
    QCOMPARE(again.outcome, DeleteOutcome::AlreadyGone);
    QVERIFY(!again.error.isError());
}

void TestConnectorScriptix::deletesAComment()
{
    auto client = makeClient(demoToken());
    const QList<QJsonObject> comments = liveItems(QStringLiteral("comments"));
    QVERIFY(!comments.isEmpty());
    const QJsonObject truth = comments.first();
    const NodeRef document { NodeKind::ScriptixDocument,
                             { truth.value(QStringLiteral("session_id")).toString(),
                               truth.value(QStringLiteral("document_id")).toString() } };
    const ListResult listed = awaitList(client->connector->list(document, PageRequest {}));
    QVERIFY(!listed.error.isError());
    QVERIFY(!listed.page.items.isEmpty());
    const RemoteItem comment = listed.page.items.first();

    const DeletePlan plan = client->connector->describeDelete(comment);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Permanent);
    QVERIFY(plan.explanation.startsWith(QStringLiteral("Permanently deletes the comment")));
    QVERIFY(plan.cascade.isEmpty());

    const DeleteResult result = awaitDelete(client->connector->remove(comment));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.outcome, DeleteOutcome::Deleted);
    QCOMPARE(result.httpStatus, 204);
    QCOMPARE(deleted(QStringLiteral("comments")), QStringList { comment.ref.id() });
    QVERIFY(deleted(QStringLiteral("documents")).isEmpty());

    const ListResult relisted = awaitList(client->connector->list(document, PageRequest {}));
    QCOMPARE(relisted.page.items.size(), listed.page.items.size() - 1);
    QCOMPARE(relisted.page.total, listed.page.total - 1);
    QVERIFY(!idsOf(relisted.page.items).contains(comment.ref.id()));

    const DeleteResult again = awaitDelete(client->connector->remove(comment));
    QCOMPARE(again.outcome, DeleteOutcome::AlreadyGone);
}

void TestConnectorScriptix::describesDeletesInPlainWords()
{
    auto client = makeClient(demoToken());
    RemoteItem session;
    session.ref = { NodeKind::ScriptixSession, { QStringLiteral("sess_1") } };
    session.name = QStringLiteral("consult-2026.m4a");

    // Without the list of documents the count is unknown: say "all".
    DeletePlan plan = client->connector->describeDelete(session);
    QCOMPARE(plan.explanation,
             QStringLiteral("Permanently deletes the session “consult-2026.m4a” and all its "
                            "documents, with their comments. This cannot be undone."));
    QCOMPARE(plan.cascade, QStringLiteral("the session and all its documents"));
    QVERIFY(plan.cascadeCounts.isEmpty());

    const QVariantMap document { { QStringLiteral("id"), QStringLiteral("d") } };
    session.details.insert(QStringLiteral("documents"),
                           QVariantList { document, document, document });
    plan = client->connector->describeDelete(session);
    QCOMPARE(plan.explanation,
             QStringLiteral("Permanently deletes the session “consult-2026.m4a” and its 3 "
                            "documents, with their comments. This cannot be undone."));
    QCOMPARE(plan.cascade, QStringLiteral("the session and its 3 documents"));
    QCOMPARE(plan.cascadeCounts.value(QStringLiteral("documents")).toInt(), 3);

    session.details.insert(QStringLiteral("documents"), QVariantList());
    plan = client->connector->describeDelete(session);
    QCOMPARE(plan.explanation,
             QStringLiteral(
                 "Permanently deletes the session “consult-2026.m4a”. This cannot be undone."));
    QVERIFY(plan.cascade.isEmpty());

    RemoteItem comment;
    comment.ref = { NodeKind::ScriptixComment,
                    { QStringLiteral("s"), QStringLiteral("d"), QStringLiteral("c") } };
    comment.name = QString(200, u'x');
    plan = client->connector->describeDelete(comment);
    QVERIFY(plan.explanation.size() < 140); // a long comment is shortened in the sentence
}

void TestConnectorScriptix::refusesWhatItCannotDelete()
{
    auto client = makeClient(demoToken());
    QVERIFY(client->connector->canDelete(NodeKind::ScriptixSession));
    QVERIFY(client->connector->canDelete(NodeKind::ScriptixDocument));
    QVERIFY(client->connector->canDelete(NodeKind::ScriptixComment));
    QVERIFY(!client->connector->canDelete(NodeKind::Account));
    QVERIFY(!client->connector->canDelete(NodeKind::Care360File));

    RemoteItem account;
    const DeleteResult refused = awaitDelete(client->connector->remove(account));
    QCOMPARE(refused.error.kind, ApiError::Kind::InvalidInput);

    RemoteItem shallow; // a document without its session's id
    shallow.ref = { NodeKind::ScriptixDocument, { QStringLiteral("doc_1") } };
    QCOMPARE(awaitDelete(client->connector->remove(shallow)).error.kind,
             ApiError::Kind::InvalidInput);
    const ListResult wrongParent = awaitList(client->connector->list(
        { NodeKind::ScriptixComment,
          { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") } },
        PageRequest {}));
    QCOMPARE(wrongParent.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray().isEmpty());
}

void TestConnectorScriptix::errorStatusesFailClearly_data()
{
    QTest::addColumn<int>("status");
    for (int status : { 400, 401, 403, 404, 500, 503 })
        QTest::newRow(qPrintable(QString::number(status))) << status;
}

void TestConnectorScriptix::errorStatusesFailClearly()
{
    QFETCH(int, status);
    auto client = makeClient(demoToken());
    QVERIFY(addFault(QStringLiteral("session.list"), QStringLiteral("status"),
                     { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Http);
    QCOMPARE(result.error.httpStatus, status);
    QVERIFY(!result.error.userMessage.isEmpty());
    QVERIFY(!result.error.requestId.isEmpty());
    QVERIFY(!result.error.userMessage.contains(demoToken()));
    if (status == 401)
        QVERIFY(result.error.userMessage.contains(QStringLiteral("API token")));

    // The same status on a document list and a comment list.
    QVERIFY(addFault(QStringLiteral("session.get"), QStringLiteral("status"),
                     { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
    const QJsonObject truth = liveItems(QStringLiteral("comments")).first();
    const ListResult documents = awaitList(client->connector->list(
        { NodeKind::ScriptixSession, { truth.value(QStringLiteral("session_id")).toString() } },
        PageRequest {}));
    QCOMPARE(documents.error.httpStatus, status);
    QVERIFY(addFault(QStringLiteral("comment.list"), QStringLiteral("status"),
                     { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
    const ListResult comments = awaitList(
        client->connector->list({ NodeKind::ScriptixDocument,
                                  { truth.value(QStringLiteral("session_id")).toString(),
                                    truth.value(QStringLiteral("document_id")).toString() } },
                                PageRequest {}));
    QCOMPARE(comments.error.httpStatus, status);
}

void TestConnectorScriptix::deleteErrorsKeepTheItem()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QVERIFY(!sessions.isEmpty());
    for (int status : { 400, 401, 403, 409, 500, 503 }) {
        QVERIFY(addFault(QStringLiteral("session.delete"), QStringLiteral("status"),
                         { { QStringLiteral("status"), status }, { QStringLiteral("count"), 1 } }));
        const DeleteResult result = awaitDelete(client->connector->remove(sessions.first()));
        QVERIFY(result.finished);
        QCOMPARE(result.error.kind, ApiError::Kind::Http);
        QCOMPARE(result.error.httpStatus, status);
    }
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());

    // An injected 404 is "already gone" like a real one.
    QVERIFY(addFault(QStringLiteral("session.delete"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 404 }, { QStringLiteral("count"), 1 } }));
    const DeleteResult gone = awaitDelete(client->connector->remove(sessions.first()));
    QVERIFY(!gone.error.isError());
    QCOMPARE(gone.outcome, DeleteOutcome::AlreadyGone);
}

void TestConnectorScriptix::rateLimitIsWaitedOut()
{
    auto client = makeClient(demoToken());
    // Scriptix sends no Retry-After: the session backs off 2 s, then 4 s, and tries again.
    QVERIFY(addFault(QStringLiteral("session.list"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 429 }, { QStringLiteral("count"), 2 } }));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}), 15000);
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.items.size(), 14);
    QCOMPARE(client->session->rateLimitWaits(), 2);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.list")), 3);
}

void TestConnectorScriptix::hangIsATimeout()
{
    auto client = makeClient(demoToken());
    client->network.setDefaultTimeout(500);
    QVERIFY(addFault(QStringLiteral("session.list"), QStringLiteral("hang")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Timeout);
    QVERIFY(!result.error.userMessage.isEmpty());

    QVERIFY(addFault(QStringLiteral("session.delete"), QStringLiteral("hang")));
    RemoteItem session;
    session.ref = { NodeKind::ScriptixSession, { QStringLiteral("sess_x") } };
    const DeleteResult deleteResult = awaitDelete(client->connector->remove(session));
    QCOMPARE(deleteResult.error.kind, ApiError::Kind::Timeout);
}

void TestConnectorScriptix::resetIsAConnectionError()
{
    auto client = makeClient(demoToken());
    QVERIFY(addFault(QStringLiteral("session.list"), QStringLiteral("reset")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::Connection);
    QVERIFY(!result.error.userMessage.isEmpty());
}

void TestConnectorScriptix::malformedBodiesAreMalformed_data()
{
    QTest::addColumn<QString>("route");
    QTest::newRow("session list") << QStringLiteral("session.list");
    QTest::newRow("session (documents)") << QStringLiteral("session.get");
    QTest::newRow("comment list") << QStringLiteral("comment.list");
    QTest::newRow("transcript") << QStringLiteral("document.get");
}

void TestConnectorScriptix::malformedBodiesAreMalformed()
{
    QFETCH(QString, route);
    auto client = makeClient(demoToken());
    const QJsonObject truth = liveItems(QStringLiteral("comments")).first();
    const NodeRef document { NodeKind::ScriptixDocument,
                             { truth.value(QStringLiteral("session_id")).toString(),
                               truth.value(QStringLiteral("document_id")).toString() } };
    QVERIFY(addFault(route, QStringLiteral("malformed")));
    ApiError error;
    if (route == u"session.list") {
        error = awaitList(client->connector->list(NodeRef {}, PageRequest {})).error;
    } else if (route == u"session.get") {
        error = awaitList(client->connector->list(
                              { NodeKind::ScriptixSession, { document.ids.at(0) } }, {}))
                    .error;
    } else if (route == u"comment.list") {
        error = awaitList(client->connector->list(document, PageRequest {})).error;
    } else {
        error = awaitSimple(client->connector->fetchDocument(document)).error;
    }
    QCOMPARE(error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY(!error.userMessage.isEmpty());

    if (route == u"session.list") {
        const SimpleResult signIn = awaitSimple(client->connector->signIn());
        QCOMPARE(signIn.error.kind, ApiError::Kind::MalformedResponse);
    }
}

void TestConnectorScriptix::truncatedBodyIsAnError()
{
    auto client = makeClient(demoToken());
    client->network.setDefaultTimeout(2000);
    QVERIFY(addFault(QStringLiteral("session.list"), QStringLiteral("truncated")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest {}));
    QVERIFY(result.finished);
    // Qt usually reports the early close (Connection), or the transfer timeout fires; but
    // sometimes QNetworkReply ends without an error and half a body, which then cannot parse.
    // Never a partial list.
    QVERIFY2(result.error.kind == ApiError::Kind::Connection
                 || result.error.kind == ApiError::Kind::Timeout
                 || result.error.kind == ApiError::Kind::MalformedResponse,
             qPrintable(result.error.summary()));
    QVERIFY(result.page.items.isEmpty());
    QVERIFY(!result.error.userMessage.isEmpty());
}

void TestConnectorScriptix::hostileIdsReachOnlyTheirRoute_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("dot-dot slash") << QStringLiteral("../x");
    QTest::newRow("query") << QStringLiteral("a?b=c");
    QTest::newRow("fragment") << QStringLiteral("#");
    QTest::newRow("encoded slash") << QStringLiteral("%2F");
    QTest::newRow("slashes") << QStringLiteral("../../session/sess_x/../");
    QTest::newRow("unicode") << QStringLiteral("séance-日本-🎙");
    QTest::newRow("spaces") << QStringLiteral(" a b ");
    QTest::newRow("10 KB") << QString(10 * 1024, u'k');
}

void TestConnectorScriptix::hostileIdsReachOnlyTheirRoute()
{
    QFETCH(QString, id);
    auto client = makeClient(demoToken());
    const QJsonObject truth = liveItems(QStringLiteral("comments")).first();
    const QString sid = truth.value(QStringLiteral("session_id")).toString();
    const QString did = truth.value(QStringLiteral("document_id")).toString();

    // (A 404 in Scriptix's shape is followed by a read of what holds the item: see
    // ScriptixConnector::checkRouted().)
    const auto expectRoute = [this](const QString &route, const QString &method) {
        const QJsonObject entry = lastLogEntry(route);
        QCOMPARE(entry.value(QStringLiteral("route")).toString(), route);
        QCOMPARE(entry.value(QStringLiteral("method")).toString(), method);
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 404);
    };

    RemoteItem item;
    item.ref = { NodeKind::ScriptixSession, { id } };
    DeleteResult result = awaitDelete(client->connector->remove(item));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("session.delete"), QStringLiteral("DELETE"));

    item.ref = { NodeKind::ScriptixDocument, { sid, id } };
    result = awaitDelete(client->connector->remove(item));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("document.delete"), QStringLiteral("DELETE"));

    item.ref = { NodeKind::ScriptixComment, { sid, did, id } };
    result = awaitDelete(client->connector->remove(item));
    QCOMPARE(result.outcome, DeleteOutcome::AlreadyGone);
    expectRoute(QStringLiteral("comment.delete"), QStringLiteral("DELETE"));

    ListResult listed
        = awaitList(client->connector->list({ NodeKind::ScriptixSession, { id } }, PageRequest {}));
    QCOMPARE(listed.error.httpStatus, 404);
    expectRoute(QStringLiteral("session.get"), QStringLiteral("GET"));

    listed = awaitList(
        client->connector->list({ NodeKind::ScriptixDocument, { sid, id } }, PageRequest {}));
    QCOMPARE(listed.error.httpStatus, 404);
    expectRoute(QStringLiteral("comment.list"), QStringLiteral("GET"));

    const SimpleResult fetched = awaitSimple(
        client->connector->fetchDocument({ NodeKind::ScriptixDocument, { id, did } }));
    QCOMPARE(fetched.error.httpStatus, 404);
    expectRoute(QStringLiteral("document.get"), QStringLiteral("GET"));

    // Nothing anywhere was deleted.
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());
    QVERIFY(deleted(QStringLiteral("documents")).isEmpty());
    QVERIFY(deleted(QStringLiteral("comments")).isEmpty());
}

void TestConnectorScriptix::looksUpEachKindAsItsListShowsIt()
{
    auto client = makeClient(demoToken());
    const QJsonObject comment = liveItems(QStringLiteral("comments")).first();
    const QString sid = comment.value(QStringLiteral("session_id")).toString();
    const QString did = comment.value(QStringLiteral("document_id")).toString();
    const QString cid = comment.value(QStringLiteral("id")).toString();
    const NodeRef session { NodeKind::ScriptixSession, { sid } };
    const NodeRef document { NodeKind::ScriptixDocument, { sid, did } };
    const NodeRef commentRef { NodeKind::ScriptixComment, { sid, did, cid } };
    // What the listings show for each, to compare with.
    const auto listed = [&](const NodeRef &parent, const QString &id) {
        const ListResult result = awaitList(client->connector->list(parent, PageRequest {}));
        for (const RemoteItem &item : result.page.items) {
            if (item.ref.id() == id)
                return item;
        }
        return RemoteItem();
    };
    const RemoteItem documentListed = listed(session, did);
    const RemoteItem commentListed = listed(document, cid);
    QVERIFY(!documentListed.name.isEmpty());
    QVERIFY(!commentListed.name.isEmpty());

    // A session has a GET of its own: no page of sessions is read for it.
    const int sessionListsBefore = m_sandbox.requestCount(service, QStringLiteral("session.list"));
    const ItemResult sessionFound = awaitItem(client->connector->lookup(session));
    QVERIFY2(!sessionFound.error.isError(), qPrintable(sessionFound.error.summary()));
    QVERIFY(sessionFound.found);
    QCOMPARE(sessionFound.item.ref, session);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.list")), sessionListsBefore);
    const QJsonObject truth = liveItems(QStringLiteral("sessions"), [&](const QJsonObject &item) {
                                  return item.value(QStringLiteral("session_id")).toString() == sid;
                              }).first();
    QCOMPARE(sessionFound.item.name, truth.value(QStringLiteral("filename")).toString());

    // Documents and comments are found in their parent's list, as the list shows them.
    const ItemResult documentFound = awaitItem(client->connector->lookup(document));
    QVERIFY(documentFound.found);
    QCOMPARE(documentFound.item.ref, document);
    QCOMPARE(documentFound.item.name, documentListed.name);
    const ItemResult commentFound = awaitItem(client->connector->lookup(commentRef));
    QVERIFY(commentFound.found);
    QCOMPARE(commentFound.item.ref, commentRef);
    QCOMPARE(commentFound.item.name, commentListed.name);
}

void TestConnectorScriptix::lookupOfWhatIsNotThereFindsNothing()
{
    auto client = makeClient(demoToken());
    const QJsonObject comment = liveItems(QStringLiteral("comments")).first();
    const QString sid = comment.value(QStringLiteral("session_id")).toString();
    const QString did = comment.value(QStringLiteral("document_id")).toString();
    // Not there, or hostile: found() is false, nothing failed, and each request stayed on the
    // route of the list or GET it was meant for.
    for (const QString &id : { QStringLiteral("sess_never_was"), QStringLiteral("../x"),
                               QStringLiteral("a?b=c"), QStringLiteral("%2F") }) {
        ItemResult result
            = awaitItem(client->connector->lookup({ NodeKind::ScriptixSession, { id } }));
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QVERIFY(!result.found);
        // The session's 404, then Scriptix's own session list to show the 404 was Scriptix's.
        const QJsonObject get = lastLogEntry(QStringLiteral("session.get"));
        QCOMPARE(get.value(QStringLiteral("status")).toInt(), 404);
        QCOMPARE(lastLogEntry().value(QStringLiteral("route")).toString(),
                 QStringLiteral("session.list"));
        result = awaitItem(client->connector->lookup({ NodeKind::ScriptixDocument, { sid, id } }));
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QVERIFY(!result.found);
        result
            = awaitItem(client->connector->lookup({ NodeKind::ScriptixComment, { sid, did, id } }));
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QVERIFY(!result.found);
        QCOMPARE(lastLogEntry().value(QStringLiteral("route")).toString(),
                 QStringLiteral("comment.list"));
    }
    // A path that is not a Scriptix item is refused before anything is sent.
    const int before = m_sandbox.requestCount(service, QStringLiteral("session.get"));
    const ItemResult refused
        = awaitItem(client->connector->lookup({ NodeKind::ScriptixComment, { sid } }));
    QVERIFY(refused.error.isError());
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.get")), before);
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());
}

void TestConnectorScriptix::lookupFailuresAreErrors()
{
    auto client = makeClient(demoToken());
    const QString sid = liveItems(QStringLiteral("sessions"))
                            .first()
                            .value(QStringLiteral("session_id"))
                            .toString();
    QVERIFY(addFault(QStringLiteral("session.get"), QStringLiteral("status"),
                     { { QStringLiteral("status"), 503 } }));
    ItemResult result
        = awaitItem(client->connector->lookup({ NodeKind::ScriptixSession, { sid } }));
    QVERIFY(result.finished);
    QCOMPARE(result.error.httpStatus, 503);
    QVERIFY(!result.found);
    QVERIFY(m_sandbox.reset());
    QVERIFY(addFault(QStringLiteral("session.get"), QStringLiteral("malformed")));
    result = awaitItem(client->connector->lookup({ NodeKind::ScriptixSession, { sid } }));
    QVERIFY(result.error.isError());
    QVERIFY(!result.found);
    // The default lookup passes on its list's failure (the documents are read from the session).
    result = awaitItem(
        client->connector->lookup({ NodeKind::ScriptixDocument, { sid, QStringLiteral("d") } }));
    QVERIFY(result.error.isError());
    QVERIFY(!result.found);
}

void TestConnectorScriptix::lookupRefusesAnAnswerAboutAnotherSession()
{
    CannedServer server;
    QVERIFY(server.listen());
    const QString base = QStringLiteral("/api/v3/speech-to-text/session/");
    server.bodies.insert(base + QStringLiteral("s1"),
                         R"({"session_id": "s2", "filename": "someone-else.m4a"})");
    // An answer without an id is about the session asked for.
    server.bodies.insert(base + QStringLiteral("s3"), R"({"filename": "mine.m4a"})");
    auto client = makeClient(QStringLiteral("canned"), QStringLiteral("bearer"),
                             server.url(QStringLiteral("/api/v3")));
    const ItemResult other = awaitItem(
        client->connector->lookup({ NodeKind::ScriptixSession, { QStringLiteral("s1") } }));
    QCOMPARE(other.error.kind, ApiError::Kind::MalformedResponse);
    QVERIFY(!other.found);
    const ItemResult mine = awaitItem(
        client->connector->lookup({ NodeKind::ScriptixSession, { QStringLiteral("s3") } }));
    QVERIFY2(!mine.error.isError(), qPrintable(mine.error.summary()));
    QCOMPARE(mine.item.name, QStringLiteral("mine.m4a"));
    QCOMPARE(mine.item.ref.id(), QStringLiteral("s3"));
}

void TestConnectorScriptix::dotIdsAreRefusedBeforeSending()
{
    // "." and ".." would be resolved as path steps by URL normalisation: never sent.
    auto client = makeClient(demoToken());
    for (const QString &id : { QStringLiteral("."), QStringLiteral(".."), QString() }) {
        RemoteItem item;
        item.ref = { NodeKind::ScriptixSession, { id } };
        QCOMPARE(awaitDelete(client->connector->remove(item)).error.kind,
                 ApiError::Kind::InvalidInput);
        item.ref = { NodeKind::ScriptixComment, { QStringLiteral("s"), id, QStringLiteral("c") } };
        QCOMPARE(awaitDelete(client->connector->remove(item)).error.kind,
                 ApiError::Kind::InvalidInput);
        QCOMPARE(awaitList(client->connector->list({ NodeKind::ScriptixSession, { id } }, {}))
                     .error.kind,
                 ApiError::Kind::InvalidInput);
    }
    QVERIFY(m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray().isEmpty());
}

void TestConnectorScriptix::fetchDocumentReturnsTheTranscript()
{
    auto client = makeClient(demoToken());
    const QJsonObject truth = liveItems(QStringLiteral("documents")).first();
    const SimpleResult result = awaitSimple(
        client->connector->fetchDocument({ NodeKind::ScriptixDocument,
                                           { truth.value(QStringLiteral("session_id")).toString(),
                                             truth.value(QStringLiteral("id")).toString() } }));
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.data.value(QStringLiteral("id")).toString(),
             truth.value(QStringLiteral("id")).toString());
    QCOMPARE(result.data.value(QStringLiteral("type")).toString(),
             truth.value(QStringLiteral("type")).toString());
    const QVariantList segments = result.data.value(QStringLiteral("segments")).toList();
    QVERIFY(segments.size() >= 3);
    double previousStop = 0;
    for (const QVariant &value : segments) {
        const QVariantMap segment = value.toMap();
        QVERIFY(segment.value(QStringLiteral("start")).toDouble() >= previousStop);
        QVERIFY(segment.value(QStringLiteral("stop")).toDouble()
                > segment.value(QStringLiteral("start")).toDouble());
        QVERIFY(!segment.value(QStringLiteral("speaker")).toString().isEmpty());
        QVERIFY(!segment.value(QStringLiteral("text")).toString().isEmpty());
        previousStop = segment.value(QStringLiteral("stop")).toDouble();
    }
    QCOMPARE(lastLogEntry().value(QStringLiteral("route")).toString(),
             QStringLiteral("document.get"));
}

void TestConnectorScriptix::detailsAreCommentsThenTranscript()
{
    auto client = makeClient(demoToken());
    const QJsonObject truth = liveItems(QStringLiteral("documents")).first();
    RemoteItem document;
    document.ref = { NodeKind::ScriptixDocument,
                     { truth.value(QStringLiteral("session_id")).toString(),
                       truth.value(QStringLiteral("id")).toString() } };
    QVERIFY(client->connector->hasDetails(NodeKind::ScriptixDocument));
    QVERIFY(!client->connector->hasDetails(NodeKind::ScriptixSession));
    QVERIFY(client->connector->detailActions(NodeKind::ScriptixDocument).isEmpty());
    DetailsJob *job = client->connector->fetchDetails(document);
    QList<DetailSection> sections;
    bool done = false;
    connect(job, &ConnectorJob::finished, this, [&](ConnectorJob *) {
        QVERIFY(!job->failed());
        sections = job->sections();
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(sections.size(), 2);
    QVERIFY2(sections.at(0).title.startsWith(QStringLiteral("Comments (")),
             qPrintable(sections.at(0).title));
    QVERIFY(!sections.at(0).error.isError());
    const DetailSection &transcript = sections.at(1);
    QCOMPARE(transcript.title, QStringLiteral("Transcript"));
    QVERIFY(!transcript.error.isError());
    QVERIFY(transcript.table.has_value());
    QCOMPARE(transcript.table->columns.size(), 3);
    QCOMPARE(transcript.table->columns.at(1).format, DetailFormat::Offset);
    QVERIFY(transcript.table->rows.size() >= 3);
    QCOMPARE(transcript.facts.value(1).label, QStringLiteral("Type"));
    QCOMPARE(transcript.facts.value(1).value.toString(),
             truth.value(QStringLiteral("type")).toString());
}

void TestConnectorScriptix::toleratesTheGapAlternatives()
{
    CannedServer server;
    QVERIFY(server.listen());
    const QString base = QStringLiteral("/api/v3/speech-to-text/session");
    // The documented shape (docs/services.md §4): one "document" object and no "documents" list.
    server.bodies.insert(base + QStringLiteral("/s1"),
                         R"({"id": 7, "session_id": "s1", "filename": "a.m4a",
                             "document": {"id": "d1", "name": "a - transcript", "type": "transcript"}})");
    // No document at all.
    server.bodies.insert(base + QStringLiteral("/s2"),
                         R"({"session_id": "s2", "filename": "b.m4a", "document": null})");
    // Comments as a bare array, and numeric ids.
    server.bodies.insert(
        base + QStringLiteral("/s1/document/d1/comments"),
        R"([{"id": 1, "text": "one", "author": "A", "created_at": "2026-03-14T11:05:00Z"},
                             {"id": 2, "text": "two"}, "not an object"])");
    // Sessions without a total, with numbers as strings and missing fields.
    server.bodies.insert(base,
                         R"({"count": 2, "result": [{"session_id": "s1", "duration": "61.6"},
                                                     {"id": 9}]})");
    // A session object that is no session at all.
    server.bodies.insert(base + QStringLiteral("/s3"), R"({"unexpected": true})");
    // A list whose "result" is not a list.
    server.bodies.insert(base + QStringLiteral("/s4/document/d/comments"),
                         R"({"result": {"id": 1}})");

    auto client = makeClient(QStringLiteral("canned"), QStringLiteral("bearer"),
                             server.url(QStringLiteral("/api/v3")));

    ListResult result = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { QStringLiteral("s1") } }, {}));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(idsOf(result.page.items), QStringList { QStringLiteral("d1") });
    QCOMPARE(result.page.items.first().name, QStringLiteral("a - transcript"));

    result = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { QStringLiteral("s2") } }, {}));
    QVERIFY(!result.error.isError());
    QVERIFY(result.page.items.isEmpty());

    result = awaitList(client->connector->list(
        { NodeKind::ScriptixDocument, { QStringLiteral("s1"), QStringLiteral("d1") } },
        PageRequest { {}, 1 }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(idsOf(result.page.items), QStringList({ QStringLiteral("1"), QStringLiteral("2") }));
    QCOMPARE(result.page.total, 2);
    QVERIFY(!result.page.hasMore()); // a bare array is everything
    QVERIFY(result.page.items.first().created.isValid());
    QVERIFY(!result.page.items.last().created.isValid());

    result = awaitList(client->connector->list(NodeRef {}, PageRequest { {}, 2 }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.total, -1);
    QCOMPARE(idsOf(result.page.items), QStringList({ QStringLiteral("s1"), QStringLiteral("9") }));
    QCOMPARE(result.page.items.first().durationSeconds, 62);
    QCOMPARE(result.page.items.last().name, QStringLiteral("9"));
    QCOMPARE(result.page.items.last().durationSeconds, -1);
    QCOMPARE(result.page.nextCursor, QVariant(qint64(2))); // a full page, no total: maybe more

    result = awaitList(
        client->connector->list({ NodeKind::ScriptixSession, { QStringLiteral("s3") } }, {}));
    QCOMPARE(result.error.kind, ApiError::Kind::MalformedResponse);
    result = awaitList(client->connector->list(
        { NodeKind::ScriptixDocument, { QStringLiteral("s4"), QStringLiteral("d") } }, {}));
    QCOMPARE(result.error.kind, ApiError::Kind::MalformedResponse);
}

// total_results of 2^32 + 5 once became 5 (int of a long): the listing said it was done after the
// first page. Beyond an int it is INT_MAX, so more pages are still asked for.
void TestConnectorScriptix::countsBeyondAnIntDoNotWrap()
{
    CannedServer server;
    QVERIFY(server.listen());
    server.bodies.insert(QStringLiteral("/api/v3/speech-to-text/session"),
                         R"({"total_results": 4294967301, "result": [
                               {"session_id": "s1", "duration": 1e300},
                               {"session_id": "s2", "duration": -61}]})");
    auto client = makeClient(QStringLiteral("canned"), QStringLiteral("bearer"),
                             server.url(QStringLiteral("/api/v3")));
    const ListResult result = awaitList(client->connector->list(NodeRef {}, PageRequest { {}, 2 }));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(result.page.total, std::numeric_limits<int>::max());
    QVERIFY(result.page.hasMore());
    QCOMPARE(result.page.nextCursor.toLongLong(), 2);
    QCOMPARE(result.page.items.size(), 2);
    QCOMPARE(result.page.items.at(0).durationSeconds, std::numeric_limits<int>::max());
    QCOMPARE(result.page.items.at(1).durationSeconds, -1); // unknown, not negative
}

QTEST_GUILESS_MAIN(TestConnectorScriptix)
#include "tst_connector_scriptix.moc"
