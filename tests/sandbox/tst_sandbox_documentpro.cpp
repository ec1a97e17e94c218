// The DocumentPro part of docket-sandbox, checked against docs/services.md §3 and the vendor's
// delete page: what a client written from the docs sees over HTTP.

#include "sandboxprocess.h"
#include "testhttp.h"

#include <QDate>
#include <QJsonArray>
#include <QSet>
#include <QTest>

namespace {

const QString service = QStringLiteral("documentpro");

HeaderPairs withKey(const QString &key)
{
    return { { "x-api-key", key.toUtf8() } };
}

QStringList stringsOf(const QJsonArray &array, const QString &field)
{
    QStringList values;
    for (const QJsonValue &value : array)
        values.append(value.toObject().value(field).toString());
    return values;
}

} // namespace

class TestSandboxDocumentPro : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void credentialsArePublished();
    void missingOrUnknownKeyIsUnauthorized_data();
    void missingOrUnknownKeyIsUnauthorized();
    void documentListHasTheDocumentedShape();
    void paginationCoversEveryDocumentOnce();
    void limitIsValidatedAndClamped();
    void garbagePaginationKeyIsRejected();
    void filtersNarrowTheList();
    void otherKeySeesOnlyItsOwnDocuments();
    void parserResultHasTheDocumentedShape();
    void parserResultErrors();
    void deleteRemovesTheResultEverywhere();
    void otherUsersResultCannotBeDeleted();
    void readOnlyKeyCanReadButNotDelete();
    void templatesAreListed();
    void vendorExampleRunsAgainstTheSeedFixture();
    void presignedUrlServesTheFileUntilDeleted();
    void hostileIdsReachTheResultRoutes();
    void requestsAreCounted();

private:
    QUrl url(const QStringList &segments, const QList<QPair<QString, QString>> &query = {}) const
    {
        return urlWith(m_sandbox.baseUrl(service), segments, encodedQuery(query));
    }
    // Every document of the demo key, by following pagination_key with the given page size.
    QJsonArray allDocuments(const QString &key, int limit);
    // Every parser run request_id of the demo user's documents.
    QStringList demoRequestIds();

    SandboxProcess m_sandbox;
    TestHttp m_http;
    QString m_key;
    QString m_otherKey;
    QString m_readOnlyKey;
};

void TestSandboxDocumentPro::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    const QJsonObject credentials = m_sandbox.credentials(service);
    m_key = credentials.value(QStringLiteral("apiKey")).toString();
    m_otherKey = credentials.value(QStringLiteral("otherApiKey")).toString();
    m_readOnlyKey = credentials.value(QStringLiteral("readOnlyApiKey")).toString();
}

void TestSandboxDocumentPro::init()
{
    QVERIFY(m_sandbox.reset());
}

QJsonArray TestSandboxDocumentPro::allDocuments(const QString &key, int limit)
{
    QJsonArray documents;
    QString pageKey;
    for (int page = 0; page < 1000; ++page) {
        QList<QPair<QString, QString>> query
            = { { QStringLiteral("limit"), QString::number(limit) } };
        if (!pageKey.isEmpty())
            query.append({ QStringLiteral("pagination_key"), pageKey });
        const TestReply reply = m_http.get(
            url({ QStringLiteral("v1"), QStringLiteral("documents") }, query), withKey(key));
        if (reply.status != 200)
            return {};
        const QJsonObject body = reply.json();
        for (const QJsonValue &document : body.value(QStringLiteral("files")).toArray())
            documents.append(document);
        const QJsonValue next = body.value(QStringLiteral("pagination_key"));
        if (next.isNull())
            return documents;
        pageKey = next.toString();
        if (pageKey.isEmpty())
            return {}; // neither null nor a key: a broken envelope
    }
    return {};
}

QStringList TestSandboxDocumentPro::demoRequestIds()
{
    QStringList ids;
    for (const QJsonValue &document : allDocuments(m_key, 100)) {
        ids += stringsOf(document.toObject().value(QStringLiteral("parser_runs")).toArray(),
                         QStringLiteral("request_id"));
    }
    return ids;
}

void TestSandboxDocumentPro::credentialsArePublished()
{
    const QJsonObject credentials = m_sandbox.credentials(service);
    QVERIFY(!m_key.isEmpty());
    QVERIFY(!m_otherKey.isEmpty());
    QVERIFY(!m_readOnlyKey.isEmpty());
    QCOMPARE(credentials.value(QStringLiteral("seedApiKey")).toString(),
             QStringLiteral("YOUR_API_KEY"));
    QCOMPARE(credentials.value(QStringLiteral("seedRequestId")).toString(),
             QStringLiteral("YOUR_REQUEST_ID"));
}

void TestSandboxDocumentPro::missingOrUnknownKeyIsUnauthorized_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QStringList>("segments");
    QTest::addColumn<bool>("sendKey");

    const QStringList documents = { QStringLiteral("v1"), QStringLiteral("documents") };
    const QStringList files = { QStringLiteral("files") };
    const QStringList templates = { QStringLiteral("v1"), QStringLiteral("templates") };
    QTest::newRow("documents, no key") << QByteArray("GET") << documents << false;
    QTest::newRow("documents, unknown key") << QByteArray("GET") << documents << true;
    QTest::newRow("get result, no key") << QByteArray("GET") << files << false;
    QTest::newRow("get result, unknown key") << QByteArray("GET") << files << true;
    QTest::newRow("delete result, no key") << QByteArray("DELETE") << files << false;
    QTest::newRow("delete result, unknown key") << QByteArray("DELETE") << files << true;
    QTest::newRow("templates, no key") << QByteArray("GET") << templates << false;
    QTest::newRow("templates, unknown key") << QByteArray("GET") << templates << true;
}

void TestSandboxDocumentPro::missingOrUnknownKeyIsUnauthorized()
{
    QFETCH(QByteArray, method);
    QFETCH(QStringList, segments);
    QFETCH(bool, sendKey);

    const HeaderPairs headers = sendKey ? withKey(QStringLiteral("not-a-key")) : HeaderPairs();
    const TestReply reply = m_http.send(
        method,
        url(segments, { { QStringLiteral("request_id"), QStringLiteral("YOUR_REQUEST_ID") } }),
        headers);
    QCOMPARE(reply.status, 401);
    // The older error shape: success false and the text in "error".
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(QStringLiteral("success")), QJsonValue(false));
    QCOMPARE(body.value(QStringLiteral("error")).toString(),
             QStringLiteral("Unauthorized: invalid or missing API key"));
    QCOMPARE(m_sandbox.deletedIds(service, QStringLiteral("parserResults")).size(), 0);
}

void TestSandboxDocumentPro::documentListHasTheDocumentedShape()
{
    const TestReply reply
        = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("documents") }), withKey(m_key));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("content-type").startsWith("application/json"));
    const QJsonObject body = reply.json();
    QVERIFY(body.value(QStringLiteral("files")).isArray());
    QVERIFY(body.contains(QStringLiteral("pagination_key")));
    QVERIFY(body.value(QStringLiteral("pagination_key")).isNull()); // 9 documents < 100

    const QJsonArray files = body.value(QStringLiteral("files")).toArray();
    QCOMPARE(files.size(), 9);
    QString previous;
    QSet<int> runCounts;
    for (const QJsonValue &value : files) {
        const QJsonObject document = value.toObject();
        QVERIFY(document.value(QStringLiteral("document_id")).isString());
        QVERIFY(document.value(QStringLiteral("user_id")).isString());
        QVERIFY(document.value(QStringLiteral("source_name")).isString());
        QVERIFY(!document.value(QStringLiteral("file_name")).toString().isEmpty());
        QVERIFY(document.value(QStringLiteral("file_name"))
                    .toString()
                    .endsWith(document.value(QStringLiteral("file_extension")).toString()));
        QVERIFY(document.value(QStringLiteral("num_pages")).toInt() >= 1);
        QVERIFY(document.value(QStringLiteral("meta_tags")).isObject());
        QVERIFY(document.value(QStringLiteral("parser_runs")).isArray());
        const QString created = document.value(QStringLiteral("created_at")).toString();
        QVERIFY(QDateTime::fromString(created, Qt::ISODate).isValid());
        // Newest first.
        if (!previous.isEmpty())
            QVERIFY(QDateTime::fromString(previous, Qt::ISODate)
                    >= QDateTime::fromString(created, Qt::ISODate));
        previous = created;

        const QJsonArray runs = document.value(QStringLiteral("parser_runs")).toArray();
        runCounts.insert(int(runs.size()));
        for (const QJsonValue &run : runs) {
            const QJsonObject object = run.toObject();
            QVERIFY(!object.value(QStringLiteral("template_id")).toString().isEmpty());
            QVERIFY(!object.value(QStringLiteral("template_title")).toString().isEmpty());
            QVERIFY(!object.value(QStringLiteral("request_id")).toString().isEmpty());
            QVERIFY(object.value(QStringLiteral("params")).isObject());
        }
    }
    QCOMPARE(runCounts, (QSet<int> { 0, 1, 2, 3 }));
}

void TestSandboxDocumentPro::paginationCoversEveryDocumentOnce()
{
    const QJsonArray everything = allDocuments(m_key, 100);
    QCOMPARE(everything.size(), 9);
    for (int limit : { 1, 2, 4, 9 }) {
        const QJsonArray paged = allDocuments(m_key, limit);
        const QStringList ids = stringsOf(paged, QStringLiteral("document_id"));
        QCOMPARE(ids, stringsOf(everything, QStringLiteral("document_id")));
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    }

    // A middle page hands back an opaque key, the last one null.
    const TestReply first = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("documents") },
                                           { { QStringLiteral("limit"), QStringLiteral("5") } }),
                                       withKey(m_key));
    QCOMPARE(first.json().value(QStringLiteral("files")).toArray().size(), 5);
    const QString key = first.json().value(QStringLiteral("pagination_key")).toString();
    QVERIFY(!key.isEmpty());
    const TestReply second = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("documents") },
                                            { { QStringLiteral("limit"), QStringLiteral("5") },
                                              { QStringLiteral("pagination_key"), key } }),
                                        withKey(m_key));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json().value(QStringLiteral("files")).toArray().size(), 4);
    QVERIFY(second.json().value(QStringLiteral("pagination_key")).isNull());
}

void TestSandboxDocumentPro::limitIsValidatedAndClamped()
{
    const auto list = [this](const QString &limit) {
        return m_http.get(url({ QStringLiteral("v1"), QStringLiteral("documents") },
                              { { QStringLiteral("limit"), limit } }),
                          withKey(m_key));
    };
    const TestReply text = list(QStringLiteral("ten"));
    QCOMPARE(text.status, 400);
    QCOMPARE(text.json().value(QStringLiteral("success")), QJsonValue(false));
    QVERIFY(!text.json().value(QStringLiteral("error")).toString().isEmpty());
    QVERIFY(!text.json().value(QStringLiteral("message")).toString().isEmpty());

    const TestReply zero = list(QStringLiteral("0"));
    QCOMPARE(zero.status, 200);
    QCOMPARE(zero.json().value(QStringLiteral("files")).toArray().size(), 1);
    const TestReply huge = list(QStringLiteral("5000"));
    QCOMPARE(huge.status, 200);
    QCOMPARE(huge.json().value(QStringLiteral("files")).toArray().size(), 9);
}

void TestSandboxDocumentPro::garbagePaginationKeyIsRejected()
{
    for (const QString &key : { QStringLiteral("garbage"), QStringLiteral("!!!"),
                                QStringLiteral("MTIz"), QStringLiteral("ZHBjdXJzb3I6OTk5") }) {
        const TestReply reply
            = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("documents") },
                             { { QStringLiteral("pagination_key"), key } }),
                         withKey(m_key));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("success")), QJsonValue(false));
        QCOMPARE(reply.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_pagination_key"));
    }
}

void TestSandboxDocumentPro::filtersNarrowTheList()
{
    const QJsonArray everything = allDocuments(m_key, 100);
    QVERIFY(!everything.isEmpty());
    const QJsonObject target = everything.at(3).toObject();
    const auto list = [this](const QString &name, const QString &value) {
        return m_http.get(
            url({ QStringLiteral("v1"), QStringLiteral("documents") }, { { name, value } }),
            withKey(m_key));
    };

    // document_id: exact.
    TestReply reply = list(QStringLiteral("document_id"),
                           target.value(QStringLiteral("document_id")).toString());
    QCOMPARE(reply.status, 200);
    QCOMPARE(stringsOf(reply.json().value(QStringLiteral("files")).toArray(),
                       QStringLiteral("document_id")),
             QStringList { target.value(QStringLiteral("document_id")).toString() });
    reply = list(QStringLiteral("document_id"), QStringLiteral("no-such-document"));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().value(QStringLiteral("files")).toArray().isEmpty());

    // created_at: the day the document was created.
    const QDate day
        = QDateTime::fromString(target.value(QStringLiteral("created_at")).toString(), Qt::ISODate)
              .toUTC()
              .date();
    reply = list(QStringLiteral("created_at"), day.toString(Qt::ISODate));
    QCOMPARE(reply.status, 200);
    const QJsonArray sameDay = reply.json().value(QStringLiteral("files")).toArray();
    QVERIFY(stringsOf(sameDay, QStringLiteral("document_id"))
                .contains(target.value(QStringLiteral("document_id")).toString()));
    for (const QJsonValue &document : sameDay) {
        QCOMPARE(
            QDateTime::fromString(
                document.toObject().value(QStringLiteral("created_at")).toString(), Qt::ISODate)
                .toUTC()
                .date(),
            day);
    }
    QCOMPARE(list(QStringLiteral("created_at"), QStringLiteral("yesterday")).status, 400);
    QCOMPARE(list(QStringLiteral("created_at"), QStringLiteral("2026-02-30")).status, 400);

    // search_term: case-insensitive substring of file_name.
    const QString fileName = target.value(QStringLiteral("file_name")).toString();
    const QString term = fileName.mid(2, 5).toUpper();
    reply = list(QStringLiteral("search_term"), term);
    QCOMPARE(reply.status, 200);
    const QJsonArray found = reply.json().value(QStringLiteral("files")).toArray();
    QVERIFY(stringsOf(found, QStringLiteral("file_name")).contains(fileName));
    for (const QString &name : stringsOf(found, QStringLiteral("file_name")))
        QVERIFY(name.contains(term, Qt::CaseInsensitive));
    int expected = 0;
    for (const QString &name : stringsOf(everything, QStringLiteral("file_name")))
        expected += name.contains(term, Qt::CaseInsensitive) ? 1 : 0;
    QCOMPARE(found.size(), expected);
}

void TestSandboxDocumentPro::otherKeySeesOnlyItsOwnDocuments()
{
    const QJsonArray mine = allDocuments(m_key, 100);
    const QJsonArray theirs = allDocuments(m_otherKey, 100);
    QCOMPARE(theirs.size(), 3);
    const QStringList myIds = stringsOf(mine, QStringLiteral("document_id"));
    for (const QString &id : stringsOf(theirs, QStringLiteral("document_id")))
        QVERIFY(!myIds.contains(id));
    QVERIFY(stringsOf(mine, QStringLiteral("user_id")).first()
            != stringsOf(theirs, QStringLiteral("user_id")).first());

    // Their document_id through my key is simply not found in my list.
    const TestReply reply
        = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("documents") },
                         { { QStringLiteral("document_id"),
                             stringsOf(theirs, QStringLiteral("document_id")).first() } }),
                     withKey(m_key));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().value(QStringLiteral("files")).toArray().isEmpty());
}

void TestSandboxDocumentPro::parserResultHasTheDocumentedShape()
{
    const QStringList ids = demoRequestIds();
    QCOMPARE(ids.size(), 14);
    const QStringList statuses
        = { QStringLiteral("pending"), QStringLiteral("processing"), QStringLiteral("completed"),
            QStringLiteral("failed"), QStringLiteral("exception") };
    QSet<QString> seen;
    for (const QString &id : ids) {
        const TestReply reply
            = m_http.get(url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), id } }),
                         withKey(m_key));
        QCOMPARE(reply.status, 200);
        const QJsonObject result = reply.json();
        QCOMPARE(result.value(QStringLiteral("request_id")).toString(), id);
        const QString status = result.value(QStringLiteral("request_status")).toString();
        QVERIFY2(statuses.contains(status), qPrintable(status));
        seen.insert(status);
        QVERIFY(QDateTime::fromString(result.value(QStringLiteral("created_at")).toString(),
                                      Qt::ISODate)
                    .isValid());
        QVERIFY(QDateTime::fromString(result.value(QStringLiteral("updated_at")).toString(),
                                      Qt::ISODate)
                    .isValid());

        const QJsonObject body = result.value(QStringLiteral("response_body")).toObject();
        QVERIFY(!body.value(QStringLiteral("file_name")).toString().isEmpty());
        QVERIFY(body.value(QStringLiteral("file_presigned_url"))
                    .toString()
                    .startsWith(QStringLiteral("http")));
        QVERIFY(body.contains(QStringLiteral("user_error_msg")));
        QCOMPARE(body.value(QStringLiteral("user_error_msg")).isString(),
                 status == QStringLiteral("failed"));
        QVERIFY(!body.value(QStringLiteral("template_id")).toString().isEmpty());
        QVERIFY(!body.value(QStringLiteral("template_type")).toString().isEmpty());
        QVERIFY(!body.value(QStringLiteral("template_title")).toString().isEmpty());
        QVERIFY(body.value(QStringLiteral("num_pages")).toInt() >= 1);
        QVERIFY(body.value(QStringLiteral("human_verification_status")).isString());
        QVERIFY(body.value(QStringLiteral("has_missing_required_fields")).isBool());
        QVERIFY(body.value(QStringLiteral("result_json_data")).isObject());
        if (status == QStringLiteral("completed"))
            QVERIFY(!body.value(QStringLiteral("result_json_data")).toObject().isEmpty());
    }
    QCOMPARE(seen, QSet<QString>(statuses.cbegin(), statuses.cend()));
}

void TestSandboxDocumentPro::parserResultErrors()
{
    // Missing request_id.
    for (const QByteArray &method : { QByteArray("GET"), QByteArray("DELETE") }) {
        const TestReply reply
            = m_http.send(method, url({ QStringLiteral("files") }), withKey(m_key));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("success")), QJsonValue(false));
        QVERIFY(!reply.json().value(QStringLiteral("error")).toString().isEmpty());
        QVERIFY(!reply.json().value(QStringLiteral("message")).toString().isEmpty());
    }
    // Unknown id: the newer shape.
    const TestReply unknown
        = m_http.get(url({ QStringLiteral("files") },
                         { { QStringLiteral("request_id"), QStringLiteral("nope") } }),
                     withKey(m_key));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json().value(QStringLiteral("success")), QJsonValue(false));
    QCOMPARE(unknown.json().value(QStringLiteral("error")).toString(), QStringLiteral("not_found"));
    QVERIFY(!unknown.json().value(QStringLiteral("message")).toString().isEmpty());

    // Another user's result looks exactly like a missing one.
    const QStringList mine = demoRequestIds();
    const TestReply foreign = m_http.get(
        url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), mine.first() } }),
        withKey(m_otherKey));
    QCOMPARE(foreign.status, 404);
    QCOMPARE(foreign.json(), unknown.json());
}

void TestSandboxDocumentPro::deleteRemovesTheResultEverywhere()
{
    const QStringList ids = demoRequestIds();
    const QString victim = ids.at(2);
    const QUrl resultUrl
        = url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), victim } });

    const TestReply reply = m_http.del(resultUrl, withKey(m_key));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(),
             (QJsonObject {
                 { QStringLiteral("success"), true },
                 { QStringLiteral("message"), QStringLiteral("File deleted successfully") } }));

    // Later reads: the result is gone, and gone from its document's parser_runs.
    QCOMPARE(m_http.get(resultUrl, withKey(m_key)).status, 404);
    const QStringList remaining = demoRequestIds();
    QCOMPARE(remaining.size(), ids.size() - 1);
    QVERIFY(!remaining.contains(victim));
    QCOMPARE(allDocuments(m_key, 100).size(), 9); // the document itself stays

    // A repeat is a 404 in the newer shape.
    const TestReply again = m_http.del(resultUrl, withKey(m_key));
    QCOMPARE(again.status, 404);
    QCOMPARE(again.json().value(QStringLiteral("error")).toString(), QStringLiteral("not_found"));

    // The control endpoint saw it.
    QCOMPARE(m_sandbox.deletedIds(service, QStringLiteral("parserResults")),
             QStringList { victim });
    bool found = false;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("parserResults")).toArray()) {
        const QJsonObject result = value.toObject();
        if (result.value(QStringLiteral("request_id")).toString() == victim) {
            found = true;
            QCOMPARE(result.value(QStringLiteral("deleted")), QJsonValue(true));
            QCOMPARE(result.value(QStringLiteral("owner")).toString(), m_key);
        }
    }
    QVERIFY(found);
}

void TestSandboxDocumentPro::otherUsersResultCannotBeDeleted()
{
    const QString mine = demoRequestIds().first();
    const TestReply reply
        = m_http.del(url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), mine } }),
                     withKey(m_otherKey));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json().value(QStringLiteral("error")).toString(), QStringLiteral("not_found"));
    QVERIFY(demoRequestIds().contains(mine));
}

void TestSandboxDocumentPro::readOnlyKeyCanReadButNotDelete()
{
    // The read-only key sees the demo user's documents and results...
    const QJsonArray documents = allDocuments(m_readOnlyKey, 100);
    QCOMPARE(stringsOf(documents, QStringLiteral("document_id")),
             stringsOf(allDocuments(m_key, 100), QStringLiteral("document_id")));
    const QString id = demoRequestIds().first();
    const QUrl resultUrl
        = url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), id } });
    QCOMPARE(m_http.get(resultUrl, withKey(m_readOnlyKey)).status, 200);

    // ...but may not delete them.
    const TestReply reply = m_http.del(resultUrl, withKey(m_readOnlyKey));
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.json(),
             (QJsonObject { { QStringLiteral("success"), false },
                            { QStringLiteral("error"), QStringLiteral("forbidden") },
                            { QStringLiteral("message"),
                              QStringLiteral("This API key is not allowed to delete results") } }));
    QCOMPARE(m_http.get(resultUrl, withKey(m_key)).status, 200);
}

void TestSandboxDocumentPro::templatesAreListed()
{
    const TestReply reply
        = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("templates") }), withKey(m_key));
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(QStringLiteral("success")), QJsonValue(true));
    QVERIFY(body.value(QStringLiteral("pagination_key")).isNull());
    const QJsonArray items = body.value(QStringLiteral("items")).toArray();
    QVERIFY(items.size() >= 4);
    QVERIFY(stringsOf(items, QStringLiteral("template_title")).contains(QStringLiteral("Invoice")));
    QStringList templateIds;
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        QVERIFY(!item.value(QStringLiteral("template_id")).toString().isEmpty());
        QVERIFY(!item.value(QStringLiteral("template_title")).toString().isEmpty());
        QVERIFY(!item.value(QStringLiteral("template_type")).toString().isEmpty());
        templateIds.append(item.value(QStringLiteral("template_id")).toString());
    }
    // Every parser run names one of these templates.
    for (const QJsonValue &document : allDocuments(m_key, 100)) {
        for (const QString &id :
             stringsOf(document.toObject().value(QStringLiteral("parser_runs")).toArray(),
                       QStringLiteral("template_id")))
            QVERIFY(templateIds.contains(id));
    }

    const TestReply garbage
        = m_http.get(url({ QStringLiteral("v1"), QStringLiteral("templates") },
                         { { QStringLiteral("pagination_key"), QStringLiteral("xyz") } }),
                     withKey(m_key));
    QCOMPARE(garbage.status, 400);
}

void TestSandboxDocumentPro::vendorExampleRunsAgainstTheSeedFixture()
{
    // Delete page: requests.delete(url, headers={'x-api-key': api_key}, params={'request_id': ...})
    QUrl deleteUrl = m_sandbox.baseUrl(service);
    deleteUrl.setPath(QStringLiteral("/files"));
    deleteUrl.setQuery(QStringLiteral("request_id=YOUR_REQUEST_ID"));
    const HeaderPairs headers = withKey(QStringLiteral("YOUR_API_KEY"));

    const TestReply seen = m_http.get(deleteUrl, headers);
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.json().value(QStringLiteral("request_status")).toString(),
             QStringLiteral("completed"));
    QCOMPARE(allDocuments(QStringLiteral("YOUR_API_KEY"), 100).size(), 1);

    const TestReply deleted = m_http.del(deleteUrl, headers);
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.json().value(QStringLiteral("success")), QJsonValue(true));
    QCOMPARE(deleted.json().value(QStringLiteral("message")).toString(),
             QStringLiteral("File deleted successfully"));
    QCOMPARE(m_http.del(deleteUrl, headers).status, 404);
}

void TestSandboxDocumentPro::presignedUrlServesTheFileUntilDeleted()
{
    const QString id = QStringLiteral("YOUR_REQUEST_ID");
    const HeaderPairs headers = withKey(QStringLiteral("YOUR_API_KEY"));
    const QUrl resultUrl
        = url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), id } });
    const QUrl fileUrl(m_http.get(resultUrl, headers)
                           .json()
                           .value(QStringLiteral("response_body"))
                           .toObject()
                           .value(QStringLiteral("file_presigned_url"))
                           .toString());
    QCOMPARE(fileUrl.port(), m_sandbox.baseUrl(service).port());

    const TestReply file = m_http.get(fileUrl);
    QCOMPARE(file.status, 200);
    QVERIFY(!file.body.isEmpty());

    QUrl forged = fileUrl;
    forged.setQuery(QStringLiteral("signature=0000"));
    QCOMPARE(m_http.get(forged).status, 403);

    QCOMPARE(m_http.del(resultUrl, headers).status, 200);
    QCOMPARE(m_http.get(fileUrl).status, 404); // "all associated data and files" went too
}

void TestSandboxDocumentPro::hostileIdsReachTheResultRoutes()
{
    const QString real = demoRequestIds().first();
    const QStringList hostile = hostileIds()
        + QStringList {
              real + QStringLiteral("&request_id=") + real,
              QStringLiteral("../v1/documents"),
          };

    int sent = 0;
    for (const QString &id : hostile) {
        const QUrl resultUrl
            = url({ QStringLiteral("files") }, { { QStringLiteral("request_id"), id } });
        QCOMPARE(m_http.get(resultUrl, withKey(m_key)).status, 404);
        QCOMPARE(m_http.del(resultUrl, withKey(m_key)).status, 404);
        sent += 2;
    }
    // In a path (the presigned download): one segment, the right route, a clean refusal.
    for (const QString &id : hostile) {
        const QUrl fileUrl = url({ QStringLiteral("downloads"), id, QStringLiteral("f.pdf") },
                                 { { QStringLiteral("signature"), QStringLiteral("00") } });
        QCOMPARE(m_http.get(fileUrl).status, 403);
        ++sent;
    }

    const QJsonArray log
        = m_sandbox.requestLog(service).value(QStringLiteral("requests")).toArray();
    QVERIFY(log.size() >= sent);
    for (int i = 0; i < sent; ++i) {
        const QJsonObject entry = log.at(log.size() - sent + i).toObject();
        const bool download = i >= 2 * hostile.size();
        const QString expectedRoute = download ? QStringLiteral("result.download")
            : i % 2 == 0                       ? QStringLiteral("result.get")
                                               : QStringLiteral("result.delete");
        QCOMPARE(entry.value(QStringLiteral("route")).toString(), expectedRoute);
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), download ? 403 : 404);
    }
    // Nothing was deleted by any of them.
    QVERIFY(demoRequestIds().contains(real));
    QVERIFY(m_sandbox.deletedIds(service, QStringLiteral("parserResults")).isEmpty());
}

void TestSandboxDocumentPro::requestsAreCounted()
{
    const QStringList ids = demoRequestIds();
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("documents.list")), 1);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(m_http
                     .del(url({ QStringLiteral("files") },
                              { { QStringLiteral("request_id"), ids.at(i) } }),
                          withKey(m_key))
                     .status,
                 200);
    }
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("result.delete")), 3);
    QCOMPARE(m_sandbox.count(service, QStringLiteral("parserResults")), 14 + 3 + 1 - 3);
    QCOMPARE(m_sandbox.count(service, QStringLiteral("documents")), 9 + 3 + 1);
}

QTEST_GUILESS_MAIN(TestSandboxDocumentPro)
#include "tst_sandbox_documentpro.moc"
