// ScriptixConnector's lookups of one item and its details, against the real docket-sandbox (and,
// for an answer the sandbox never gives, a tiny canned server). (The rest:
// tst_connector_scriptix_listing and _faults.)

#include "cannedserver.h"
#include "itemdetails.h"
#include "scriptixsuite.h"

using namespace Docket;

class TestScriptixLookups : public ScriptixSuite
{
    Q_OBJECT

private Q_SLOTS:
    void looksUpEachKindAsItsListShowsIt();
    void lookupOfWhatIsNotThereFindsNothing();
    void lookupFailuresAreErrors();
    void lookupRefusesAnAnswerAboutAnotherSession();
    void fetchDocumentReturnsTheTranscript();
    void detailsAreCommentsThenTranscript();
};

void TestScriptixLookups::looksUpEachKindAsItsListShowsIt()
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
    const int sessionListsBefore
        = m_sandbox.requestCount(m_service, QStringLiteral("session.list"));
    const ItemResult sessionFound = awaitItem(client->connector->lookup(session));
    QVERIFY2(!sessionFound.error.isError(), qPrintable(sessionFound.error.summary()));
    QVERIFY(sessionFound.found);
    QCOMPARE(sessionFound.item.ref, session);
    QCOMPARE(m_sandbox.requestCount(m_service, QStringLiteral("session.list")), sessionListsBefore);
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

void TestScriptixLookups::lookupOfWhatIsNotThereFindsNothing()
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
    const int before = m_sandbox.requestCount(m_service, QStringLiteral("session.get"));
    const ItemResult refused
        = awaitItem(client->connector->lookup({ NodeKind::ScriptixComment, { sid } }));
    QVERIFY(refused.error.isError());
    QCOMPARE(m_sandbox.requestCount(m_service, QStringLiteral("session.get")), before);
    QVERIFY(deleted(QStringLiteral("sessions")).isEmpty());
}

void TestScriptixLookups::lookupFailuresAreErrors()
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

void TestScriptixLookups::lookupRefusesAnAnswerAboutAnotherSession()
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

void TestScriptixLookups::fetchDocumentReturnsTheTranscript()
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

void TestScriptixLookups::detailsAreCommentsThenTranscript()
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

QTEST_GUILESS_MAIN(TestScriptixLookups)
#include "tst_connector_scriptix_lookups.moc"
