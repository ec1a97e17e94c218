#pragma once

#include "connectors/jsonparsing.h"
#include "listpage.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>

namespace Docket {

// Care360's file list answers, read into rows: pure functions, run on a worker thread (Care360
// does not paginate: one answer may hold 50,000 files, 17 MB). They depend on nothing above the
// JSON readers and the row types (tst_care360_reader_alone builds them without the connector and
// the network), so that the connector can change without touching what reads its answers.
//
// parseFileList: a file list answer as the rows of `caseRef`. parseCaseList: the all-files answer
// as case rows (caseId, file counts, newest file), without building a row per file.
// parseAccountList: the same case rows and, per case id, the rows parseFileList would make of that
// case's own list (the server lists newest first in both, so a case's files keep their order).
// Either parser gives the same pages.
namespace Care360FileList {

struct ParsedList
{
    ListPage page;
    QString problem; // why the body is not a list answer (then `page` is empty); or empty
};
struct ParsedAccount
{
    ParsedList cases;
    QHash<QString, ListPage> filesByCase;
};
// Without `withDetails` file rows have no RemoteItem::details (PageRequest::withDetails).
ParsedList parseFileList(const QByteArray &body, const NodeRef &caseRef,
                         JsonParser parser = defaultJsonParser(), bool withDetails = true);
ParsedList parseCaseList(const QByteArray &body, JsonParser parser = defaultJsonParser());
ParsedAccount parseAccountList(const QByteArray &body, JsonParser parser = defaultJsonParser(),
                               bool withDetails = true);

} // namespace Care360FileList

// Reads Care360's all-files answer while it arrives. The answer is one unpaginated list (50,000
// files are 17 MB), so waiting for its last byte before reading the first would add the whole
// reading time to the transfer: instead the files are read in runs of up to a megabyte as they
// come in, and what is left when the last byte arrives is a run and the envelope around the list.
// JsonArrayScanner finds where the list begins; where a run of whole files ends is a guess (a
// comma between } and {) that simdjson checks, so a file name holding "},{" costs a guess, never
// a wrong row.
//
// It gives exactly what Care360FileList::parseAccountList (or parseCaseList) gives for the whole
// body: a body the runs cannot be read from (one simdjson refuses, an unusual shape, duplicate
// keys, a build without simdjson) is read whole at the end, the ordinary way.
//
// Not thread-safe: call it from one thread at a time (a worker), in the body's order.
class Care360ListStream
{
public:
    // A run is read once this many bytes of whole files have arrived (tests make runs small).
    static constexpr qsizetype defaultMinRunBytes = 128 * 1024;

    // With `withFiles`, each case's file rows too (parseAccountList); without, the case rows only
    // (parseCaseList).
    Care360ListStream(bool withFiles, bool withDetails, qsizetype minRunBytes = defaultMinRunBytes);
    ~Care360ListStream();
    Care360ListStream(const Care360ListStream &) = delete;
    Care360ListStream &operator=(const Care360ListStream &) = delete;

    // The next piece of the body.
    void append(const QByteArray &piece);
    // After the last piece: the case rows and, with `withFiles`, each case's file rows.
    Care360FileList::ParsedAccount finish();

    // How many bytes of the body had been read in runs when finish() was called (0 after a
    // finish() that read the body whole).
    qint64 bytesReadEarly() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Docket
