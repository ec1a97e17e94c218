// Care360Connector's readers of the file list, with either parser (QJsonDocument, simdjson), whole
// or as the answer arrives: the same rows, field for field, from tricky bodies, big ones, bodies
// cut into pieces anywhere; and the service's dates read fast as Qt reads them. No network.

#include "care360suite.h"
#include "connectors/jsonparsing.h"

#include <QRandomGenerator>

namespace {

// Care360ListStream fed `body` in pieces of `pieceSize` bytes (the whole at once when 0).
Care360Connector::ParsedAccount
readInPieces(const QByteArray &body, qsizetype pieceSize, bool withFiles, bool withDetails,
             qint64 *bytesReadEarly = nullptr,
             qsizetype runBytes = Care360ListStream::defaultMinRunBytes)
{
    Care360ListStream stream(withFiles, withDetails, runBytes);
    const qsizetype step = pieceSize > 0 ? pieceSize : qMax<qsizetype>(1, body.size());
    for (qsizetype at = 0; at < body.size(); at += step)
        stream.append(body.mid(at, step));
    Care360Connector::ParsedAccount parsed = stream.finish();
    if (bytesReadEarly)
        *bytesReadEarly = stream.bytesReadEarly();
    return parsed;
}

// What the ordinary, whole reading makes of `body` (with files, or the case rows only).
QStringList readWhole(const QByteArray &body, bool withFiles, bool withDetails)
{
    if (withFiles)
        return describe(Care360Connector::parseAccountList(body, JsonParser::Qt, withDetails));
    Care360Connector::ParsedAccount parsed;
    parsed.cases = Care360Connector::parseCaseList(body, JsonParser::Qt);
    return describe(parsed);
}

} // namespace

class TestCare360Parsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsersAgreeOnTrickyBodies_data();
    void parsersAgreeOnTrickyBodies();
    void accountListingGroupsFilesAsCaseListsWould_data() { parsersAgreeOnTrickyBodies_data(); }
    void accountListingGroupsFilesAsCaseListsWould();
    void readingWhileArrivingMatchesReadingWhole_data() { parsersAgreeOnTrickyBodies_data(); }
    void readingWhileArrivingMatchesReadingWhole();
    void bigListingIsReadAsItArrives_data();
    void bigListingIsReadAsItArrives();
    void serviceDatesReadFastAsQtReadsThem();
};

void TestCare360Parsers::parsersAgreeOnTrickyBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("listable");

    QTest::newRow("odd items") << QByteArray(R"({"data":{"files":[
        {"id":"f1","caseId":"c1"},
        {"id":"f2","caseId":42,"fileName":"b.pdf","isPHI":"yes","size":"big","createdAt":"nope"},
        {"fileName":"no id","caseId":"c1"},
        "not an object", 7, null, [1,2],
        {"id":"f3","caseId":null,"fileName":"loose.txt"},
        {"id":"f4","caseId":"c1","fileName":"new.pdf","isPHI":false,"isRestricted":true,
         "createdAt":"2026-03-14T10:22:05.123+01:00","uploadedBy":{"firstName":"Ana"}},
        {"id":"","caseId":"c1"}
    ]}})") << true;
    QTest::newRow("escapes and unicode") << QByteArray(R"({"data":{"files":[
        {"id":"f\u00e9\ud83d\ude00","caseId":"c\u0031","fileName":"a\"b\\c\/d\n\t\u00e9\u4e2d \ud83d\ude00",
         "mimeType":"text\/plain","uploadedBy":{"firstName":" \u00c5sa ","lastName":"\u0000x","id":"\u0041"}},
        {"id":"raw-ü-中-🙂","caseId":"c1","fileName":"naïve résumé 中文 🙂","createdAt":"2026-01-02T03:04:05Z"},
        {"i\u0064":"escaped-key","caseId":"c1","fileN\u0061me":"escaped key name"}
    ]}})") << true;
    QTest::newRow("wrong types") << QByteArray(R"({"data":{"files":[
        {"id":"w1","caseId":"c1","fileName":5,"name":"fallback name"},
        {"id":"w2","caseId":"c1","fileName":null,"name":"second choice"},
        {"id":"w3","caseId":"c1","fileName":{},"name":"not reached","createdAt":5},
        {"id":"w4","caseId":"c1","createdAt":null,"created_at":"2026-01-01T00:00:00Z","file_name":"snake"},
        {"id":"w5","caseId":"c1","size":-5,"isPHI":1,"isRestricted":"yes"},
        {"id":"w6","caseId":"c1","size":1.5,"isPHI":"true","isRestricted":true},
        {"id":"w7","caseId":"c1","size":1e3,"isPHI":null,"isRestricted":null},
        {"id":"w8","caseId":"c1","size":12345678901234567890,"uploadedBy":"Ana"},
        {"id":"w9","caseId":"c1","size":0,"uploadedBy":["Ana"]},
        {"id":"w10","caseId":"c1","size":-0,"uploadedBy":{"firstName":7,"lastName":true,"id":12.5}},
        {"id":"w11","caseId":"c1","mimeType":42,"uploadedBy":null},
        {"id":"w12","caseId":"c1","uploadedBy":{"firstName":"","lastName":"Solo"}},
        {"id":"w13","caseId":"c1","uploadedBy":{"lastName":"Solo"}}
    ]}})") << true;
    QTest::newRow("numbers as ids") << QByteArray(R"({"data":{"files":[
        {"id":12.5,"caseId":7},{"id":1e3,"caseId":7.0},{"id":-0,"caseId":"7"},
        {"id":9223372036854775807,"caseId":-9223372036854775808},
        {"id":18446744073709551615,"caseId":1e300},{"id":1.0,"caseId":0.1},
        {"id":"123","caseId":" 7 "},{"id":-42,"caseId":"c1"},{"id":9007199254740993,"caseId":"c1"}
    ]}})") << true;
    QTest::newRow("duplicate keys") << QByteArray(R"({"data":{"files":[{"id":"old"}]},
        "data":{"files":[
        {"id":"d1","id":"d1-last","caseId":"c1","fileName":"first","fileName":"last",
         "uploadedBy":{"firstName":"A","firstName":"B"}},
        {"id":"d2","caseId":"c1","uploadedBy":{"firstName":"Gone"},"uploadedBy":"no object"},
        {"id":"d3","caseId":"c1","uploadedBy":"no object","uploadedBy":{"lastName":"Kept"}}
    ]}})") << true;
    QTest::newRow("bare files") << QByteArray(R"({"files":[{"id":"b1","caseId":"c9"}]})") << true;
    QTest::newRow("files beside data")
        << QByteArray(R"({"data":[],"files":[{"id":"b2","caseId":"c9"}]})") << true;
    QTest::newRow("empty") << QByteArray(R"({"data":{"files":[]},"status":200})") << true;
    QTest::newRow("dates") << QByteArray(R"({"data":{"files":[
        {"id":"t1","caseId":"c1","createdAt":"2026-03-14T10:22:05.123+01:00"},
        {"id":"t2","caseId":"c1","createdAt":"2026-03-14T10:22:05Z"},
        {"id":"t3","caseId":"c1","createdAt":"2026-03-14T10:22:05"},
        {"id":"t4","caseId":"c1","createdAt":"2026-02-30T10:00:00Z"},
        {"id":"t5","caseId":"c1","createdAt":"2026-03-14"},
        {"id":"t6","caseId":"c1","createdAt":"2026-03-14T10:22:05.1Z"},
        {"id":"t7","caseId":"c2","createdAt":"2024-02-29T23:59:59.999-14:00"},
        {"id":"t8","caseId":"c2","createdAt":"2026-03-14T24:00:00Z"}
    ]}})") << true;
    // simdjson refuses these and QJsonDocument reads them: the Qt reading decides.
    QTest::newRow("lone surrogates") << QByteArray(
        R"({"data":{"files":[{"id":"s\ud800","caseId":"c1","fileName":"x\udc00y"}]}})")
                                     << true;
    QTest::newRow("byte order mark")
        << QByteArray("\xef\xbb\xbf{\"data\":{\"files\":[{\"id\":\"bom\",\"caseId\":\"c1\"}]}}")
        << true;
    QTest::newRow("unescaped tab") << QByteArray(
        "{\"data\":{\"files\":[{\"id\":\"tab\",\"caseId\":\"c1\",\"fileName\":\"a\tb\"}]}}")
                                   << true;
    // Not a list answer: the same problem from both.
    QTest::newRow("truncated") << QByteArray(
        R"({"data":{"files":[{"id":"f1","caseId":"c1"},{"id":)")
                               << false;
    QTest::newRow("array") << QByteArray(R"([{"id":"f1"}])") << false;
    QTest::newRow("number") << QByteArray("5") << false;
    QTest::newRow("nothing") << QByteArray() << false;
    QTest::newRow("garbage after") << QByteArray(R"({"data":{"files":[]}} x)") << false;
    QTest::newRow("bad atom in a field not read")
        << QByteArray(R"({"data":{"files":[{"id":"f1","extra":tru}]}})") << false;
    QTest::newRow("invalid UTF-8")
        << QByteArray("{\"data\":{\"files\":[{\"id\":\"\xff\"}]}}") << false;
    QTest::newRow("files not an array") << QByteArray(R"({"data":{"files":{}}})") << false;
    QTest::newRow("no files") << QByteArray(R"({"data":{"items":[]}})") << false;
    // Vertical tab and form feed are not JSON whitespace.
    QTest::newRow("vertical tab") << QByteArray("{\"data\":{\"files\":[\v]}}") << false;
    QTest::newRow("form feed") << QByteArray(
        "{\"data\":{\"files\":[{\"id\":\"a\",\"caseId\":\"c\"},\f{\"id\":\"b\"}]}}")
                               << false;
    // More ] after the list than the reading in runs tries: read whole.
    QTest::newRow("many brackets after")
        << QByteArray(R"({"data":{"files":[{"id":"a","caseId":"c"}]},"x":)" + QByteArray(20, '[')
                      + QByteArray(20, ']') + "}")
        << true;
    // Nesting at the limit (1,024 levels, as simdjson and QJsonDocument allow) and past it.
    for (const int depth : { 1023, 1024, 1025, 1026 }) {
        // The file object is at depth 4: {"data" {"files" [ {file} ...
        const int arrays = depth - 4;
        QTest::addRow("nested %d deep", depth)
            << QByteArray(R"({"data":{"files":[{"id":"a","caseId":"c","x":)"
                          + QByteArray(arrays, '[') + QByteArray(arrays, ']') + "}]}}")
            << (depth <= 1024);
    }
}

void TestCare360Parsers::parsersAgreeOnTrickyBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, listable);
    const NodeRef caseRef { NodeKind::Care360Case, { QStringLiteral("c1") } };
    const auto qtFiles = Care360Connector::parseFileList(body, caseRef, JsonParser::Qt);
    const auto qtCases = Care360Connector::parseCaseList(body, JsonParser::Qt);
    QCOMPARE(qtFiles.problem.isEmpty(), listable);
    QCOMPARE(qtCases.problem.isEmpty(), listable);
    if (!listable) {
        QVERIFY(qtFiles.page.items.isEmpty());
        QVERIFY(qtCases.page.items.isEmpty());
    }
    if (!simdjsonAvailable())
        QSKIP("built without simdjson: only the QJsonDocument reading is checked");
    // The same rows, field for field, and the same problem.
    QCOMPARE(describe(Care360Connector::parseFileList(body, caseRef, JsonParser::Simdjson)),
             describe(qtFiles));
    QCOMPARE(describe(Care360Connector::parseCaseList(body, JsonParser::Simdjson)),
             describe(qtCases));
    QCOMPARE(describe(Care360Connector::parseAccountList(body, JsonParser::Simdjson)),
             describe(Care360Connector::parseAccountList(body, JsonParser::Qt)));
    QCOMPARE(describe(Care360Connector::parseAccountList(body, JsonParser::Simdjson, false)),
             describe(Care360Connector::parseAccountList(body, JsonParser::Qt, false)));
    QCOMPARE(
        describe(Care360Connector::parseFileList(body, caseRef, JsonParser::Simdjson, false),
                 caseRef),
        describe(Care360Connector::parseFileList(body, caseRef, JsonParser::Qt, false), caseRef));
}

void TestCare360Parsers::accountListingGroupsFilesAsCaseListsWould()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, listable);
    for (const JsonParser parser : { JsonParser::Qt, JsonParser::Simdjson }) {
        const auto account = Care360Connector::parseAccountList(body, parser);
        // The case rows are the case listing's.
        QCOMPARE(describe(account.cases), describe(Care360Connector::parseCaseList(body, parser)));
        if (!listable) {
            QVERIFY(account.filesByCase.isEmpty());
            continue;
        }
        QCOMPARE(account.filesByCase.size(), account.cases.page.items.size());
        for (const RemoteItem &caseItem : account.cases.page.items) {
            // What the case's own list would give: the files naming that case, in their order.
            ListPage expected = Care360Connector::parseFileList(body, caseItem.ref, parser).page;
            expected.items.removeIf([&](const RemoteItem &file) {
                return file.details.value(QStringLiteral("caseId")).toString() != caseItem.ref.id();
            });
            expected.total = int(expected.items.size());
            const ListPage files = account.filesByCase.value(caseItem.ref.id());
            QCOMPARE(describe(Care360Connector::ParsedList { files, {} }),
                     describe(Care360Connector::ParsedList { expected, {} }));
            QCOMPARE(files.items.size(), caseItem.childCount);
            // Without details, the same rows with none.
            // Without details, the same rows with none, handed over as a RowBlock.
            const ListPage bare = Care360Connector::parseAccountList(body, parser, false)
                                      .filesByCase.value(caseItem.ref.id());
            QVERIFY(bare.items.isEmpty());
            QCOMPARE(bare.rows.size(), files.items.size());
            QCOMPARE(bare.total, files.total);
            const QList<RemoteItem> bareItems = itemsOf(bare, caseItem.ref);
            for (qsizetype i = 0; i < bareItems.size(); ++i) {
                RemoteItem withDetails = files.items.at(i);
                withDetails.details.clear();
                QCOMPARE(describe(bareItems.at(i)), describe(withDetails));
            }
        }
    }
}

void TestCare360Parsers::readingWhileArrivingMatchesReadingWhole()
{
    QFETCH(QByteArray, body);
    // Every way the answer can be cut into pieces gives the whole reading's rows, or its problem.
    for (const bool withFiles : { true, false }) {
        for (const bool withDetails : { true, false }) {
            const QStringList whole = readWhole(body, withFiles, withDetails);
            for (const qsizetype pieceSize : { 0, 1, 2, 7, 64 }) {
                // Runs as big as usual (these bodies are read in their last run), and runs of
                // every file that has arrived.
                for (const qsizetype runBytes : { Care360ListStream::defaultMinRunBytes, 1LL }) {
                    QCOMPARE(describe(readInPieces(body, pieceSize, withFiles, withDetails, nullptr,
                                                   runBytes)),
                             whole);
                }
            }
        }
    }
}

void TestCare360Parsers::bigListingIsReadAsItArrives_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("listable");
    // Read mostly as it arrives (else read whole at the end, where the reading in runs cannot
    // tell which list QJsonObject would take, or the body is broken).
    QTest::addColumn<bool>("readEarly");

    // Runs are read from 128 KB of whole files on: these bodies are several times that.
    QByteArray plain = bigListBody(3000, 3);
    QTest::newRow("plain") << plain << true << true;

    // File names that look like the end of a file ("},{"), escapes and text in other scripts, and
    // whitespace between files: a run's end is a guess that these get wrong, and it must not
    // show.
    QByteArray tricky = R"({"status":200,"data":{"files":[)";
    for (int i = 0; i < 3000; ++i) {
        if (i)
            tricky += i % 5 ? QByteArray(",") : QByteArray(" ,\n\t ");
        QByteArray name = "Note " + QByteArray::number(i);
        if (i % 7 == 0)
            name += R"(},{\"id\":\"forged-)" + QByteArray::number(i) + R"(\",\"caseId\":\"c\"})";
        if (i % 11 == 0)
            name += "},{";
        if (i % 13 == 0)
            name += R"(\\ \u00e9 \ud83d\ude00 ]}})";
        tricky += R"({"id":"f-)" + QByteArray::number(i) + R"(","caseId":"case-)"
            + QByteArray::number(i % 4) + R"(","fileName":")" + name
            + R"(","createdAt":"2026-10-01T10:00:00Z","isPHI":)" + (i % 2 ? "true" : "false")
            + R"(,"tags":[{"a":1},{"b":[2,{"c":"},{"}]}]})";
    }
    tricky += R"(]},"success":true})";
    QTest::newRow("names that look like ends") << tricky << true << true;

    // The same list named twice: the second (last) one is the list, as QJsonObject reads it.
    QTest::newRow("data twice") << QByteArray(
        plain.chopped(1) + R"(,"data":{"files":[{"id":"only","caseId":"c"}]}})")
                                << true << false;
    QTest::newRow("files twice") << QByteArray(
        R"({"data":{"files":[{"id":"first","caseId":"c"}],"files":)"
        + plain.mid(plain.indexOf('['), plain.indexOf("]}") - plain.indexOf('[') + 1) + "}}")
                                 << true << false;
    // Broken in the middle, at the end, or cut short: the whole reading's problem.
    QByteArray strayComma = plain;
    strayComma.insert(strayComma.indexOf("},{", strayComma.size() / 2) + 2, ",");
    QTest::newRow("stray comma") << strayComma << false << false;
    QTest::newRow("cut short") << plain.left(plain.size() - 100) << false << false;
    QTest::newRow("garbage after") << QByteArray(plain + " x") << false << false;
    QByteArray badAtom = plain;
    badAtom.replace(badAtom.indexOf("false", badAtom.size() / 2), 5, "fals");
    QTest::newRow("bad atom in the middle") << badAtom << false << false;
}

void TestCare360Parsers::bigListingIsReadAsItArrives()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, listable);
    QFETCH(bool, readEarly);
    for (const bool withFiles : { true, false }) {
        for (const bool withDetails : { true, false }) {
            const QStringList whole = readWhole(body, withFiles, withDetails);
            QCOMPARE(whole.first() == QLatin1String("problem: "), listable);
            // A file name that looks like another file stays a name.
            QVERIFY(!whole.join(u'\n').contains(QLatin1String("/forged-")));
            for (const qsizetype pieceSize : { 0, 1000, 65536, 300000 }) {
                qint64 early = 0;
                QCOMPARE(describe(readInPieces(body, pieceSize, withFiles, withDetails, &early)),
                         whole);
                if (readEarly && pieceSize > 0 && simdjsonAvailable())
                    QVERIFY2(early > body.size() / 2, qPrintable(QString::number(early)));
            }
        }
    }
}

void TestCare360Parsers::serviceDatesReadFastAsQtReadsThem()
{
    QStringList texts {
        QStringLiteral("2026-03-14T10:22:05Z"),
        QStringLiteral("2026-03-14T10:22:05.123Z"),
        QStringLiteral("2026-03-14T10:22:05.123+01:00"),
        QStringLiteral("2026-03-14T10:22:05-05:30"),
        QStringLiteral("2024-02-29T23:59:59.999Z"),
        QStringLiteral("2023-02-29T00:00:00Z"),
        QStringLiteral("0001-01-01T00:00:00Z"),
        QStringLiteral("9999-12-31T23:59:59Z"),
        QStringLiteral("0000-01-01T00:00:00Z"),
        QStringLiteral("2026-03-14T24:00:00Z"),
        QStringLiteral("2026-03-14T10:22:60Z"),
        QStringLiteral("2026-03-14T10:60:00Z"),
        QStringLiteral("2026-13-01T00:00:00Z"),
        QStringLiteral("2026-00-10T00:00:00Z"),
        QStringLiteral("2026-03-00T00:00:00Z"),
        QStringLiteral("2026-03-14T10:22:05+14:00"),
        QStringLiteral("2026-03-14T10:22:05-14:00"),
        QStringLiteral("2026-03-14T10:22:05+14:01"),
        QStringLiteral("2026-03-14T10:22:05+23:59"),
        QStringLiteral("2026-03-14T10:22:05+01:60"),
        QStringLiteral("2026-03-14T10:22:05+0100"),
        QStringLiteral("2026-03-14T10:22:05+01"),
        QStringLiteral("2026-03-14t10:22:05z"),
        QStringLiteral("2026-03-14 10:22:05Z"),
        QStringLiteral(" 2026-03-14T10:22:05Z"),
        QStringLiteral("2026-03-14T10:22:05Z "),
        QStringLiteral("2026-03-14T10:22:05.12Z"),
        QStringLiteral("2026-03-14T10:22:05.1234Z"),
        QStringLiteral("2026-03-14T10:22:05.Z"),
        QStringLiteral("1969-12-31T23:59:59.999Z"),
        QStringLiteral("1900-03-01T00:00:00-05:30"),
        QStringLiteral("2000-02-29T12:00:00+05:45"),
        QStringLiteral("1600-02-29T12:00:00Z"),
        QStringLiteral("1700-02-29T12:00:00Z"),
        QStringLiteral("2026-03-14T10:22:05"),
        QStringLiteral("2026-03-14T10:22"),
        QStringLiteral("2026-03-14"),
        QString(),
        QStringLiteral("nope"),
        QStringLiteral("2026-03-14T10:22:05\u00a0"),
        QStringLiteral("\u0662\u0660\u0662\u0666-03-14T10:22:05Z"),
        QStringLiteral("+2026-03-14T10:22:05Z"),
        QStringLiteral("2026-3-14T10:22:05Z"),
    };
    // And many ordinary ones, in every form the fast reading takes.
    QRandomGenerator random(360);
    for (int i = 0; i < 3000; ++i) {
        const QDateTime utc = QDateTime::fromMSecsSinceEpoch(
            random.bounded(qint64(-2208988800000), qint64(4102444800000)), Qt::UTC);
        const QDateTime offset
            = utc.toOffsetFromUtc(int(random.bounded(-14 * 60, 14 * 60 + 1)) * 60);
        texts << utc.toString(Qt::ISODate) << utc.toString(Qt::ISODateWithMs)
              << offset.toString(Qt::ISODate) << offset.toString(Qt::ISODateWithMs);
    }
    for (const QString &text : std::as_const(texts)) {
        const QDateTime expected = parseServiceDate(QJsonValue(text));
        for (const QDateTime &actual :
             { parseServiceDateText(text), parseServiceDateUtf8(text.toUtf8()) }) {
            QVERIFY2(actual.isValid() == expected.isValid(), qPrintable(text));
            if (!expected.isValid())
                continue;
            QVERIFY2(actual.toMSecsSinceEpoch() == expected.toMSecsSinceEpoch(), qPrintable(text));
            QVERIFY2(actual.timeSpec() == expected.timeSpec(), qPrintable(text));
        }
        qint64 msecs = 0;
        QVERIFY2(serviceDateMSecs(QStringView(text), &msecs) == expected.isValid(),
                 qPrintable(text));
        if (expected.isValid())
            QCOMPARE(msecs, expected.toMSecsSinceEpoch());
    }
}

QTEST_GUILESS_MAIN(TestCare360Parsers)
#include "tst_connector_care360_parsers.moc"
