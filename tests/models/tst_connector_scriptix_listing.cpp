// ScriptixConnector against the real docket-sandbox: sign-in, every level listed with pagination,
// every delete. (Errors, faults, hostile ids and the [gap] alternatives:
// tst_connector_scriptix_faults; lookups and details: tst_connector_scriptix_lookups.)

#include "scriptixsuite.h"

#include <QSet>

using namespace Docket;

class TestScriptixListing : public ScriptixSuite
{
    Q_OBJECT

private Q_SLOTS:
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
};

void TestScriptixListing::signInAcceptsTheToken_data()
{
    QTest::addColumn<QString>("header");
    QTest::newRow("bearer") << QStringLiteral("bearer");
    QTest::newRow("x-zoom-s2t-key") << QStringLiteral("x-zoom-s2t-key");
}

void TestScriptixListing::signInAcceptsTheToken()
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

void TestScriptixListing::signInRefusesAWrongToken()
{
    const QString wrong = QStringLiteral("scriptix-not-a-real-token-123");
    auto client = makeClient(wrong);
    verifySignInRefused(awaitSimple(client->connector->signIn()), QStringLiteral("API token"),
                        wrong);
}

void TestScriptixListing::signInWithoutATokenSendsNothing()
{
    auto client = makeClient({});
    const SimpleResult result = awaitSimple(client->connector->signIn());
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(!result.error.userMessage.isEmpty());
    QCOMPARE(m_sandbox.requestCount(m_service, QStringLiteral("session.list")), 0);

    // A token with a line break could smuggle in headers: refused, not sent.
    auto newline = makeClient(QStringLiteral("abc\r\nX-Evil: 1"));
    const SimpleResult refused = awaitSimple(newline->connector->signIn());
    QCOMPARE(refused.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(m_service, QStringLiteral("session.list")), 0);
}

void TestScriptixListing::listsEverySessionOnceAcrossPages()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> oneGo = allSessions(*client);
    QCOMPARE(oneGo.size(), 14);

    QList<RemoteItem> paged;
    int pages = 0;
    pageThroughTopLevel(*client, 4, 14, 5, &paged, &pages);
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
    for (const QJsonValue &entry : requestLog())
        paths.append(entry.toObject().value(QStringLiteral("path")).toString());
    for (const char *query :
         { "offset=0&limit=4", "offset=4&limit=4", "offset=8&limit=4", "offset=12&limit=4" }) {
        QVERIFY2(paths.filter(QLatin1String(query)).size() == 1, query);
    }
}

void TestScriptixListing::sessionRowsCarryTheirFields()
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

void TestScriptixListing::listsTheDocumentsOfEverySession()
{
    auto client = makeClient(demoToken());
    const QList<RemoteItem> sessions = allSessions(*client);
    QCOMPARE(sessions.size(), 14);
    int documents = 0;
    for (const RemoteItem &session : sessions) {
        const ListResult result = awaitList(client->connector->list(session.ref, PageRequest {}));
        verifyWholeList(result);
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

void TestScriptixListing::listsCommentsAcrossPages()
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

void TestScriptixListing::deletesASessionWithItsDocuments()
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

void TestScriptixListing::deletesADocumentWithItsComments()
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

void TestScriptixListing::deletesAComment()
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

void TestScriptixListing::describesDeletesInPlainWords()
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

void TestScriptixListing::refusesWhatItCannotDelete()
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
    QVERIFY(requestLog().isEmpty());
}

QTEST_GUILESS_MAIN(TestScriptixListing)
#include "tst_connector_scriptix_listing.moc"
