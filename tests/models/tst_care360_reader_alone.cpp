// Care360's list reader on its own: this executable is built from care360filelist and the JSON
// readers and row types it needs, without docket_models, the connector or Qt Network (see
// tests/models/CMakeLists.txt). That it links at all is the check that the reader stays free of
// the connector; the cases below make sure what it links reads a canned answer as the connector's
// suites expect.
#include "connectors/care360/care360filelist.h"

#include <QTest>

using namespace Docket;

namespace {

// Two cases, the newest file first as Care360 lists them; one file has no id (no row) and one
// entry is not an object.
const QByteArray kAnswer = R"({"success": true, "data": {"files": [
  {"id": "f3", "caseId": "case-b", "fileName": "scan.pdf", "createdAt": "2026-03-14T10:22:05Z",
   "size": 2048, "isPHI": true, "isRestricted": false, "mimeType": "application/pdf",
   "uploadedBy": {"id": "u1", "firstName": "Ada", "lastName": "Lovelace"}},
  {"id": "f2", "caseId": "case-a", "name": "notes.txt", "created_at": "2026-03-13T09:00:00.500Z",
   "size": 12, "isPHI": false, "isRestricted": true},
  {"caseId": "case-a", "fileName": "no id"},
  42,
  {"id": 17, "caseId": "case-a", "createdAt": "2026-03-12T08:00:00+01:00"}
]}})";

const NodeRef kCaseA { NodeKind::Care360Case, { QStringLiteral("case-a") } };

QList<JsonParser> parsers()
{
    QList<JsonParser> all { JsonParser::Qt };
    if (simdjsonAvailable())
        all.append(JsonParser::Simdjson);
    return all;
}

} // namespace

class TestCare360ReaderAlone : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileList()
    {
        for (const JsonParser parser : parsers()) {
            const auto parsed = Care360FileList::parseFileList(kAnswer, kCaseA, parser);
            QVERIFY2(parsed.problem.isEmpty(), qPrintable(parsed.problem));
            // Every file of the answer becomes a row of the case asked for: the list of one case
            // holds only its files, so the reader does not filter by caseId.
            QCOMPARE(parsed.page.total, 3);
            QCOMPARE(parsed.page.items.size(), 3);
            const RemoteItem &scan = parsed.page.items.at(0);
            QCOMPARE(scan.ref, kCaseA.child(NodeKind::Care360File, QStringLiteral("f3")));
            QCOMPARE(scan.name, QStringLiteral("scan.pdf"));
            QCOMPARE(scan.sizeBytes, 2048);
            QCOMPARE(scan.created, QDateTime(QDate(2026, 3, 14), QTime(10, 22, 5), Qt::UTC));
            QCOMPARE(scan.status, QStringLiteral("PHI"));
            QCOMPARE(scan.details.value(QStringLiteral("uploadedBy")).toString(),
                     QStringLiteral("Ada Lovelace"));
            QCOMPARE(parsed.page.items.at(1).name, QStringLiteral("notes.txt"));
            QCOMPARE(parsed.page.items.at(1).status, QStringLiteral("General, restricted"));
            // A numeric id is its whole number; a file without a name shows its id.
            QCOMPARE(parsed.page.items.at(2).ref.id(), QStringLiteral("17"));
            QCOMPARE(parsed.page.items.at(2).name, QStringLiteral("17"));

            const auto compact = Care360FileList::parseFileList(kAnswer, kCaseA, parser, false);
            QVERIFY(compact.page.items.isEmpty() || compact.page.rows.isEmpty());
            const int rows = compact.page.rows.isEmpty() ? int(compact.page.items.size())
                                                         : compact.page.rows.size();
            QCOMPARE(rows, 3);
        }
    }

    void accountList()
    {
        for (const JsonParser parser : parsers()) {
            const auto cases = Care360FileList::parseCaseList(kAnswer, parser);
            QVERIFY2(cases.problem.isEmpty(), qPrintable(cases.problem));
            QCOMPARE(cases.page.items.size(), 2);
            QCOMPARE(cases.page.items.at(0).ref.id(), QStringLiteral("case-b"));
            QCOMPARE(cases.page.items.at(0).status, QStringLiteral("1 file"));
            QCOMPARE(cases.page.items.at(1).ref.id(), QStringLiteral("case-a"));
            QCOMPARE(cases.page.items.at(1).childCount, 2);
            QCOMPARE(cases.page.items.at(1).status, QStringLiteral("2 files"));

            const auto account = Care360FileList::parseAccountList(kAnswer, parser);
            QVERIFY2(account.cases.problem.isEmpty(), qPrintable(account.cases.problem));
            QCOMPARE(account.cases.page.items.size(), 2);
            QCOMPARE(account.filesByCase.value(QStringLiteral("case-a")).items.size(), 2);
            QCOMPARE(account.filesByCase.value(QStringLiteral("case-b")).items.size(), 1);
        }
    }

    void streamGivesTheWholeReading()
    {
        // Fed a few bytes at a time with tiny runs, so that runs are read as the answer arrives.
        Care360ListStream stream(true, true, 1);
        for (qsizetype at = 0; at < kAnswer.size(); at += 7)
            stream.append(kAnswer.mid(at, 7));
        const auto streamed = stream.finish();
        const auto whole = Care360FileList::parseAccountList(kAnswer, JsonParser::Qt);
        QVERIFY2(streamed.cases.problem.isEmpty(), qPrintable(streamed.cases.problem));
        QCOMPARE(streamed.cases.page.items.size(), whole.cases.page.items.size());
        for (qsizetype i = 0; i < whole.cases.page.items.size(); ++i) {
            QCOMPARE(streamed.cases.page.items.at(i).ref, whole.cases.page.items.at(i).ref);
            QCOMPARE(streamed.cases.page.items.at(i).details, whole.cases.page.items.at(i).details);
        }
        QCOMPARE(streamed.filesByCase.keys(), whole.filesByCase.keys());
    }

    void notAListAnswer()
    {
        for (const JsonParser parser : parsers()) {
            QVERIFY(!Care360FileList::parseFileList("{\"data\": {}}", kCaseA, parser)
                         .problem.isEmpty());
            QVERIFY(!Care360FileList::parseCaseList("not json", parser).problem.isEmpty());
            QVERIFY(!Care360FileList::parseAccountList("[]", parser).cases.problem.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCare360ReaderAlone)
#include "tst_care360_reader_alone.moc"
