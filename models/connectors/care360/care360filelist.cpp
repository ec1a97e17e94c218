#include "care360filelist.h"

#include "care360filerows.h"

#include <QCoreApplication>

// Care360's file list answers: read with QJsonDocument or simdjson, into RemoteItems (with
// details, for docket-cli and the details pane) or a RowBlock (for the tree). The pieces:
// care360filefields.h reads a file object, care360filerows.h makes rows of it,
// care360liststream.cpp reads the all-files answer while it arrives.

namespace Docket::Care360FileList {

QString tr(const char *text, const char *disambiguation, int n)
{
    return QCoreApplication::translate("Docket::Care360Connector", text, disambiguation, n);
}

// The all-files answer as case rows into `cases` and, unless `filesByCase` is null, each case's
// file rows into `filesByCase` (see CaseGrouper), read whole. Returns why the body is not a list
// answer, or an empty string.
QString readCases(const QByteArray &body, JsonParser parser, ListPage *cases,
                  QHash<QString, ListPage> *filesByCase, bool withDetails)
{
    CaseGrouper grouper(filesByCase != nullptr, withDetails);
    const QString problem = forEachFile(body, parser, grouper.withUploader(),
                                        [&](const FileFields &file) { grouper.add(file); });
    if (!problem.isEmpty())
        return problem;
    grouper.finish(cases, filesByCase);
    return {};
}

ParsedList parseFileList(const QByteArray &body, const NodeRef &caseRef, JsonParser parser,
                         bool withDetails)
{
    ParsedList parsed;
    FileRowMaker rows(withDetails);
    const CaseOfRows caseOfRows(caseRef);
    CompactRows compact;
    int count = 0;
    parsed.problem = forEachFile(body, parser, withDetails, [&](const FileFields &file) {
        if (!file.id.hasIdText())
            return; // nothing Docket could show, open or delete
        if (withDetails)
            parsed.page.items.append(rows.row(file, caseOfRows));
        else
            rows.appendRow(file, caseOfRows, &compact);
        ++count;
    });
    if (!parsed.problem.isEmpty()) {
        parsed.page = ListPage();
    } else {
        parsed.page.total = count;
        parsed.page.rows = std::move(compact.block);
    }
    return parsed;
}

ParsedList parseCaseList(const QByteArray &body, JsonParser parser)
{
    ParsedList parsed;
    parsed.problem = readCases(body, parser, &parsed.page, nullptr, false);
    return parsed;
}

ParsedAccount parseAccountList(const QByteArray &body, JsonParser parser, bool withDetails)
{
    ParsedAccount parsed;
    parsed.cases.problem
        = readCases(body, parser, &parsed.cases.page, &parsed.filesByCase, withDetails);
    return parsed;
}

} // namespace Docket::Care360FileList
