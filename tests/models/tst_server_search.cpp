// Search and order at the server (PageRequest::search, ::sort): Scriptix's q, sort and direction
// on the session list, DocumentPro's search_term on the document list, against the sandbox (and
// a canned server that ignores the search), and finding one session among 100,000 in a few
// requests.

#include "cannedserver.h"
#include "connectors/documentpro/documentproconnector.h"
#include "scriptixsuite.h"
#include "serviceinfo.h"

#include <QElapsedTimer>
#include <QUrlQuery>

using namespace Docket;

namespace {

const QString sessionList = QStringLiteral("session.list");

PageRequest searchFor(const QString &text, const QVariant &cursor = {})
{
    PageRequest page { cursor, ScriptixConnector::maxPageSize };
    page.search = text;
    return page;
}

PageRequest sortedBy(const QString &field, bool descending)
{
    PageRequest page { {}, ScriptixConnector::maxPageSize };
    page.sort = field;
    page.descending = descending;
    return page;
}

QStringList namesOf(const QList<RemoteItem> &items)
{
    QStringList names;
    for (const RemoteItem &item : items)
        names.append(item.name);
    return names;
}

// The value of `name` in the query of `target` ("/path?a=b"), decoded.
QString queryValue(const QString &target, const QString &name)
{
    return QUrlQuery(QUrl(target).query(QUrl::FullyEncoded))
        .queryItemValue(name, QUrl::FullyDecoded);
}

// Texts that break a URL built by hand: quotes, separators, percent signs, unicode, a long one.
QStringList hostileTexts()
{
    return { QStringLiteral("rivera\" OR '1'='1"), QStringLiteral("a&limit=1&offset=5"),
             QStringLiteral("100% #frag ?x=y+z"), QStringLiteral("Ærøskøbing 東京 ☃ \u0000 end"),
             QString(1000, u'x') + QStringLiteral("&q=") };
}

} // namespace

class TestServerSearch : public ScriptixSuite
{
    Q_OBJECT

private Q_SLOTS:
    void servicesSayWhetherTheySearch();
    void scriptixSearchSendsQAndKeepsMatches();
    void scriptixSortFollowsTheServer();
    void unknownSortFieldIsRefusedBeforeSending();
    void hostileSearchTextStaysOneQueryValue();
    void serverIgnoringTheSearchShowsNoFalseMatch();
    void documentProSearchSendsSearchTerm();
    void findsOneSessionAmong100000InFewRequests();
};

void TestServerSearch::servicesSayWhetherTheySearch()
{
    const std::unique_ptr<Client> client = makeClient(demoToken());
    QVERIFY(client->connector->canSearch(NodeKind::Account));
    QVERIFY(!client->connector->canSearch(NodeKind::ScriptixSession));
    QStringList fields;
    for (const ListSortField &field : client->connector->sortFields(NodeKind::Account))
        fields.append(field.id);
    QCOMPARE(fields,
             QStringList({ QStringLiteral("name"), QStringLiteral("created"),
                           QStringLiteral("duration"), QStringLiteral("status") }));
    QVERIFY(client->connector->sortFields(NodeKind::ScriptixDocument).isEmpty());
    QVERIFY(ServiceRegistry::info(ServiceKind::Scriptix).searchNote.isEmpty());
    QVERIFY(ServiceRegistry::info(ServiceKind::DocumentPro).searchNote.isEmpty());
    // The two that cannot say why, for people.
    QVERIFY(ServiceRegistry::info(ServiceKind::Care360).searchNote.contains(u"whole"));
    QVERIFY(ServiceRegistry::info(ServiceKind::Invox).searchNote.contains(u"index"));
}

void TestServerSearch::scriptixSearchSendsQAndKeepsMatches()
{
    const std::unique_ptr<Client> client = makeClient(demoToken());
    const QList<QJsonObject> sessions = liveItems(QStringLiteral("sessions"));
    QVERIFY(!sessions.isEmpty());
    // The start of one session's name, in upper case: Docket's search is case-insensitive.
    const QString text
        = sessions.first().value(QStringLiteral("filename")).toString().left(6).toUpper();
    const ListResult result = awaitList(client->connector->list({}, searchFor(text)));
    QVERIFY(result.finished);
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QStringList expected;
    for (const QJsonObject &session : sessions) {
        const QString name = session.value(QStringLiteral("filename")).toString();
        if (name.contains(text, Qt::CaseInsensitive))
            expected.append(name);
    }
    QVERIFY(!expected.isEmpty());
    QVERIFY(expected.size() < sessions.size() || sessions.size() == 1);
    QStringList found = namesOf(result.page.items);
    found.sort();
    expected.sort();
    QCOMPARE(found, expected);
    QCOMPARE(result.page.total, expected.size());
    QVERIFY(!result.page.hasMore());
    QCOMPARE(m_sandbox.requestCount(m_service, sessionList), 1);
}

void TestServerSearch::scriptixSortFollowsTheServer()
{
    const std::unique_ptr<Client> client = makeClient(demoToken());
    for (const bool descending : { false, true }) {
        const ListResult byName
            = awaitList(client->connector->list({}, sortedBy(u"name"_qs, descending)));
        QVERIFY2(!byName.error.isError(), qPrintable(byName.error.summary()));
        const QStringList names = namesOf(byName.page.items);
        QCOMPARE(names.size(), 14);
        QStringList sorted = names;
        std::sort(sorted.begin(), sorted.end());
        if (descending)
            std::reverse(sorted.begin(), sorted.end());
        QCOMPARE(names, sorted);

        const ListResult byDuration
            = awaitList(client->connector->list({}, sortedBy(u"duration"_qs, descending)));
        QVERIFY2(!byDuration.error.isError(), qPrintable(byDuration.error.summary()));
        const QList<RemoteItem> &items = byDuration.page.items;
        for (qsizetype i = 1; i < items.size(); ++i) {
            QVERIFY(descending ? items.at(i - 1).durationSeconds >= items.at(i).durationSeconds
                               : items.at(i - 1).durationSeconds <= items.at(i).durationSeconds);
        }
    }
    // Created, newest first, is the same order the plain list gives.
    const ListResult plain = awaitList(client->connector->list({}, PageRequest {}));
    const ListResult newest = awaitList(client->connector->list({}, sortedBy(u"created"_qs, true)));
    QCOMPARE(namesOf(newest.page.items), namesOf(plain.page.items));
}

void TestServerSearch::unknownSortFieldIsRefusedBeforeSending()
{
    const std::unique_ptr<Client> client = makeClient(demoToken());
    const ListResult result = awaitList(client->connector->list({}, sortedBy(u"colour"_qs, false)));
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(m_service, sessionList), 0);
}

void TestServerSearch::hostileSearchTextStaysOneQueryValue()
{
    // Against the sandbox: each is one q value, answered 200 with nothing matching.
    const std::unique_ptr<Client> client = makeClient(demoToken());
    for (const QString &text : hostileTexts()) {
        const ListResult result = awaitList(client->connector->list({}, searchFor(text)));
        QVERIFY(result.finished);
        QVERIFY2(!result.error.isError(), qPrintable(text.left(40) + result.error.summary()));
        QVERIFY(result.page.items.isEmpty());
        QCOMPARE(result.page.total, 0);
    }
    // Against a server that shows what arrived: the value comes back exactly, beside the
    // connector's own offset and limit.
    CannedServer server;
    QVERIFY(server.listen());
    server.answer = [](const QString &) {
        return QByteArray(R"({"count":0,"total_results":0,"result":[]})");
    };
    const std::unique_ptr<Client> canned = makeClient(u"token"_qs, u"bearer"_qs, server.url());
    for (const QString &text : hostileTexts()) {
        server.targets.clear();
        const ListResult result = awaitList(canned->connector->list({}, searchFor(text)));
        QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
        QCOMPARE(server.targets.size(), 1);
        const QString target = server.targets.first();
        QCOMPARE(queryValue(target, u"q"_qs), text);
        QCOMPARE(queryValue(target, u"offset"_qs), u"0"_qs);
        QCOMPARE(queryValue(target, u"limit"_qs), u"100"_qs);
        QCOMPARE(QUrlQuery(QUrl(target).query()).queryItems().size(), 3);
    }
}

void TestServerSearch::serverIgnoringTheSearchShowsNoFalseMatch()
{
    // [gap] q's semantics are thin: a server that ignores it sends every row, and only the rows
    // whose name holds the text are handed over, while paging goes on by what it sent.
    CannedServer server;
    QVERIFY(server.listen());
    server.answer = [](const QString &) {
        return QByteArray(R"({"count":3,"total_results":250,"result":[
            {"session_id":"s1","filename":"ward-round-rivera.wav"},
            {"session_id":"s2","filename":"dictation-amy-3.m4a"},
            {"session_id":"s3","filename":"Discharge-RIVERA.ogg"}]})");
    };
    const std::unique_ptr<Client> client = makeClient(u"token"_qs, u"bearer"_qs, server.url());
    const ListResult result = awaitList(client->connector->list({}, searchFor(u"Rivera"_qs)));
    QVERIFY2(!result.error.isError(), qPrintable(result.error.summary()));
    QCOMPARE(namesOf(result.page.items),
             QStringList({ u"ward-round-rivera.wav"_qs, u"Discharge-RIVERA.ogg"_qs }));
    QCOMPARE(result.page.nextCursor.toLongLong(), 3);
}

void TestServerSearch::documentProSearchSendsSearchTerm()
{
    const QString service = QStringLiteral("documentpro");
    const auto client = openAccount<DocumentProConnector>(
        newAccount(ServiceKind::DocumentPro, m_sandbox.baseUrl(service)), Secret::apiKey,
        m_sandbox.credentials(service).value(QStringLiteral("apiKey")).toString());
    QVERIFY(client->connector->canSearch(NodeKind::Account));
    QVERIFY(!client->connector->canSearch(NodeKind::DocumentProDocument));
    QVERIFY(client->connector->sortFields(NodeKind::Account).isEmpty());

    const ListResult all = awaitList(client->connector->list({}, PageRequest {}));
    QVERIFY2(!all.error.isError(), qPrintable(all.error.summary()));
    QVERIFY(all.page.items.size() > 2);
    // A piece of one document's name, in other case: only the documents holding it.
    const QString name = all.page.items.at(1).name;
    const QString piece = name.left(name.size() / 2 + 1).toUpper();
    QStringList expected;
    for (const RemoteItem &item : all.page.items) {
        if (item.name.contains(piece, Qt::CaseInsensitive))
            expected.append(item.name);
    }
    PageRequest page;
    page.search = piece;
    const ListResult found = awaitList(client->connector->list({}, page));
    QVERIFY2(!found.error.isError(), qPrintable(found.error.summary()));
    QCOMPARE(namesOf(found.page.items), expected);

    for (const QString &text : hostileTexts()) {
        page.search = text;
        const ListResult none = awaitList(client->connector->list({}, page));
        QVERIFY2(!none.error.isError(), qPrintable(none.error.summary()));
        QVERIFY(none.page.items.isEmpty());
    }
}

void TestServerSearch::findsOneSessionAmong100000InFewRequests()
{
    SandboxProcess large({ QStringLiteral("--scale"), QStringLiteral("100000"),
                           QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0"),
                           QStringLiteral("--quiet") });
    QVERIFY2(large.start(), qPrintable(large.errorString()));
    const QString token = large.credentials(m_service).value(QStringLiteral("token")).toString();
    const std::unique_ptr<Client> client
        = makeClient(token, QStringLiteral("bearer"), large.baseUrl(m_service));

    // A name held by one session only, from the middle of the name order: it differs from its
    // neighbours and no other name holds it.
    PageRequest middle = sortedBy(u"name"_qs, false);
    middle.cursor = 50000;
    const ListResult around = awaitList(client->connector->list({}, middle), 30000);
    QVERIFY2(!around.error.isError(), qPrintable(around.error.summary()));
    QString wanted;
    const QList<RemoteItem> &near = around.page.items;
    for (qsizetype i = 1; i + 1 < near.size() && wanted.isEmpty(); ++i) {
        const QString name = near.at(i).name;
        if (name != near.at(i - 1).name && name != near.at(i + 1).name
            && name.startsWith(u"telehealth-"))
            wanted = name;
    }
    if (wanted.isEmpty())
        wanted = near.at(near.size() / 2).name;
    QVERIFY(!wanted.isEmpty());

    // What a user does: type the name and read pages until it shows.
    const int before = large.requestCount(m_service, sessionList);
    QElapsedTimer timer;
    timer.start();
    QList<RemoteItem> matches;
    QVariant cursor;
    int requests = 0;
    do {
        const ListResult page = awaitList(client->connector->list({}, searchFor(wanted, cursor)));
        QVERIFY2(!page.error.isError(), qPrintable(page.error.summary()));
        ++requests;
        matches.append(page.page.items);
        cursor = page.page.nextCursor;
    } while (cursor.isValid() && !cursor.isNull() && !namesOf(matches).contains(wanted)
             && requests < 10);
    const int sent = large.requestCount(m_service, sessionList) - before;
    qInfo() << "found" << wanted << "among 100,000 sessions in" << sent << "requests,"
            << timer.elapsed() << "ms";
    QVERIFY(namesOf(matches).contains(wanted));
    for (const RemoteItem &item : std::as_const(matches))
        QVERIFY(item.name.contains(wanted, Qt::CaseInsensitive));
    QCOMPARE(sent, requests);
    QVERIFY2(sent <= 3, qPrintable(QString::number(sent)));
}

QTEST_GUILESS_MAIN(TestServerSearch)
#include "tst_server_search.moc"
