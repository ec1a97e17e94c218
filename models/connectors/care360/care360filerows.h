#pragma once

#include "care360filefields.h"
#include "listpage.h"
#include "rowblock.h"

#include <QHash>
#include <QList>

#include <vector>

// Internal to Care360's list reader (care360filelist.h): file objects made into rows, and the
// all-files answer grouped by case.

namespace Docket::Care360FileList {

// The reader's messages keep the context Care360Connector::tr() gave them when the connector read
// its own answers (its meta-object's class name), so their translations still apply.
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1);

// The status words, translated once per answer rather than once per file (and shared by the
// rows that show the same).
struct StatusWords
{
    StatusWords()
    {
        const QString separator = QStringLiteral(", ");
        const QString restricted = tr("restricted");
        for (const bool isRestricted : { false, true }) {
            const QString suffix = isRestricted ? restricted : QString();
            texts[0][isRestricted] = suffix;
            texts[1][isRestricted] = isRestricted ? tr("PHI") + separator + suffix : tr("PHI");
            texts[2][isRestricted]
                = isRestricted ? tr("General") + separator + suffix : tr("General");
        }
    }
    // isPHI: 0 not a bool, 1 true, 2 false.
    QString texts[3][2];
};

// A case's file rows in compact form, with the index of each status word once it is used.
struct CompactRows
{
    RowBlock block;
    int statuses[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } }; // as StatusWords::texts
};

// A case as its file rows name it.
struct CaseOfRows
{
    explicit CaseOfRows(const NodeRef &ref)
        : ref(ref)
        , idUtf8(ref.id().toUtf8())
    { }
    NodeRef ref;
    QByteArray idUtf8;
};

// Turns the files of one answer into rows of a case (one case for a case's list, each file's own
// for the account listing's files).
class FileRowMaker
{
public:
    // Without details, a row is only what the tree shows: that is most of the work saved.
    explicit FileRowMaker(bool withDetails)
        : m_withDetails(withDetails)
    { }

    // One file as a row of `caseOfRows`. Every field is optional but the id.
    RemoteItem row(const FileFields &file, const CaseOfRows &caseOfRows)
    {
        const NodeRef &caseRef = caseOfRows.ref;
        RemoteItem item;
        const QString id = m_texts.idText(file.id);
        item.ref.kind = NodeKind::Care360File;
        item.ref.ids.reserve(caseRef.ids.size() + 1);
        item.ref.ids.append(caseRef.ids);
        item.ref.ids.append(id);
        const QString fileName
            = m_texts.text(firstPresent({ &file.fileName, &file.name, &file.fileNameSnake }));
        item.name = fileName.isEmpty() ? id : fileName;
        qint64 created = 0;
        if (file.createdMSecs(&created))
            item.created = QDateTime::fromMSecsSinceEpoch(created, Qt::UTC);
        item.sizeBytes = sizeBytes(file.size);

        const bool hasPHI = file.isPHI.kind == Member::Kind::Bool;
        const bool restricted = file.isRestricted.toBool(false);
        item.status = m_words.texts[hasPHI ? (file.isPHI.boolean ? 1 : 2) : 0][restricted];
        if (!m_withDetails)
            return item;

        // The file's own case id is nearly always the case listed: share its QString.
        const QString caseId = file.caseId.isString() && file.caseId.isUtf8
                && file.caseId.utf8 == QByteArrayView(caseOfRows.idUtf8)
            ? caseRef.id()
            : m_texts.sharedIdText(file.caseId);
        const QString uploader
            = m_texts.uploaderName(file.uploaderFirstName, file.uploaderLastName);
        const QString uploaderId = m_texts.sharedIdText(file.uploaderId);
        const QString mimeType = m_texts.sharedIdText(file.mimeType);

        // In key order, each at the end: no comparisons, no rebalancing.
        QVariantMap &details = item.details;
        const auto add = [&details](const QString &key, const QVariant &value) {
            details.insert(details.cend(), key, value);
        };
        if (!caseId.isEmpty())
            add(QStringLiteral("caseId"), caseId);
        if (item.created.isValid())
            add(QStringLiteral("createdAt"), item.created);
        if (!fileName.isEmpty())
            add(QStringLiteral("fileName"), fileName);
        add(QStringLiteral("id"), id);
        if (hasPHI)
            add(QStringLiteral("isPHI"), file.isPHI.boolean);
        add(QStringLiteral("isRestricted"), restricted);
        if (!mimeType.isEmpty())
            add(QStringLiteral("mimeType"), mimeType);
        if (item.sizeBytes >= 0)
            add(QStringLiteral("size"), item.sizeBytes);
        if (!uploader.isEmpty())
            add(QStringLiteral("uploadedBy"), uploader);
        if (!uploaderId.isEmpty())
            add(QStringLiteral("uploadedById"), uploaderId);
        return item;
    }

    // The same row in compact form (for a request without details), appended to `rows`. Ids and
    // names that simdjson read go in as the answer's bytes; anything else (QJsonDocument's
    // strings, numbers as ids) goes through row().
    void appendRow(const FileFields &file, const CaseOfRows &caseOfRows, CompactRows *rows)
    {
        const Member &nameMember
            = firstPresent({ &file.fileName, &file.name, &file.fileNameSnake });
        const bool idIsUtf8 = file.id.isString() && file.id.isUtf8;
        if (!idIsUtf8 || (nameMember.isString() && !nameMember.isUtf8)) {
            rows->block.append(row(file, caseOfRows), caseOfRows.ref);
            return;
        }
        // text() of a member that is not a string is empty, and an empty name shows the id.
        const QByteArrayView name
            = nameMember.isString() && !nameMember.utf8.isEmpty() ? nameMember.utf8 : file.id.utf8;
        qint64 created = RowBlock::noDate;
        if (!file.createdMSecs(&created))
            created = RowBlock::noDate;
        const qint64 size = sizeBytes(file.size);
        const int phi = file.isPHI.kind == Member::Kind::Bool ? (file.isPHI.boolean ? 1 : 2) : 0;
        const int restricted = file.isRestricted.toBool(false) ? 1 : 0;
        int &status = rows->statuses[phi][restricted];
        if (status < 0)
            status = rows->block.addStatus(m_words.texts[phi][restricted]);
        rows->block.appendUtf8(NodeKind::Care360File, file.id.utf8, name, created,
                               size >= 0 ? Measure::Bytes : Measure::None, size, quint16(status));
    }

private:
    // A size in bytes, or -1 when it is not a number of bytes a qint64 holds.
    static qint64 sizeBytes(const Member &size)
    {
        if (size.kind != Member::Kind::Number || !(size.number >= 0)
            || size.number >= 9223372036854775808.0)
            return -1;
        return qint64(size.number);
    }

    const bool m_withDetails;
    const StatusWords m_words;
    TextMaker m_texts;
};

// Groups the files of the all-files answer by case as they are read: the case rows (file counts,
// newest file) and, when `withFiles`, each case's file rows, as parseFileList would make them of
// the case's own list. Only what a case row shows is read without `withFiles`: no file rows are
// built (there may be 50,000).
class CaseGrouper
{
public:
    CaseGrouper(bool withFiles, bool withDetails)
        : m_withFiles(withFiles)
        , m_withDetails(withDetails)
        , m_fileRows(withDetails)
    { }

    // The uploader is only in the details.
    bool withUploader() const { return m_withFiles && m_withDetails; }

    void add(const FileFields &file)
    {
        // Counted as the case's file list will show them: only files with an id.
        if (!file.caseId.hasIdText() || !file.id.hasIdText())
            return;
        const Member &caseId = file.caseId;
        const QByteArray key = caseId.isString() && caseId.isUtf8
            ? QByteArray::fromRawData(caseId.utf8.data(), caseId.utf8.size())
            : TextMaker().idText(caseId).toUtf8();
        auto found = m_indexById.constFind(key);
        if (found == m_indexById.constEnd()) {
            // A deep copy: `key` may point into the parser's buffer.
            found = m_indexById.insert(QByteArray(key.constData(), key.size()), m_rows.size());
            m_rows.emplace_back(CaseOfRows({ NodeKind::Care360Case, { QString::fromUtf8(key) } }));
        }
        CaseRow &row = m_rows[*found];
        ++row.files;
        if (file.isPHI.toBool(false))
            ++row.phiFiles;
        qint64 created = 0;
        if (file.createdMSecs(&created) && (!row.hasNewest || created > row.newestMSecs)) {
            row.hasNewest = true;
            row.newestMSecs = created;
        }
        if (m_withFiles && m_withDetails)
            row.items.append(m_fileRows.row(file, row.caseOfRows));
        else if (m_withFiles)
            m_fileRows.appendRow(file, row.caseOfRows, &row.rows);
    }

    // The case rows into `cases`, and with `withFiles` each case's file rows into `filesByCase`.
    void finish(ListPage *cases, QHash<QString, ListPage> *filesByCase)
    {
        cases->items.reserve(qsizetype(m_rows.size()));
        if (m_withFiles)
            filesByCase->reserve(qsizetype(m_rows.size()));
        for (CaseRow &row : m_rows) {
            const QString &id = row.caseOfRows.ref.ids.first();
            RemoteItem item;
            item.ref = row.caseOfRows.ref;
            item.name = tr("Case %1").arg(id.left(8));
            if (row.hasNewest)
                item.created = QDateTime::fromMSecsSinceEpoch(row.newestMSecs, Qt::UTC);
            // Spelled out: without a translation loaded, "%n file(s)" would show as is.
            item.status = row.files == 1 ? tr("1 file") : tr("%1 files").arg(row.files);
            item.childCount = row.files;
            item.details = { { QStringLiteral("caseId"), id },
                             { QStringLiteral("fileCount"), row.files },
                             { QStringLiteral("phiFileCount"), row.phiFiles } };
            if (item.created.isValid())
                item.details.insert(QStringLiteral("newestFile"), item.created);
            cases->items.append(item);
            if (m_withFiles) {
                ListPage files;
                files.total = row.files;
                files.items = std::move(row.items);
                files.rows = std::move(row.rows.block);
                filesByCase->insert(id, std::move(files));
            }
        }
        cases->total = int(cases->items.size());
        m_rows.clear();
        m_indexById.clear();
    }

private:
    struct CaseRow
    {
        explicit CaseRow(CaseOfRows caseOfRows)
            : caseOfRows(std::move(caseOfRows))
        { }
        CaseOfRows caseOfRows;
        int files = 0;
        int phiFiles = 0;
        bool hasNewest = false;
        qint64 newestMSecs = 0;
        QList<RemoteItem> items; // with details
        CompactRows rows; // without
    };

    const bool m_withFiles;
    const bool m_withDetails;
    FileRowMaker m_fileRows;
    std::vector<CaseRow> m_rows; // in the order their newest file comes (the server's order)
    // By the caseId's UTF-8 bytes: looking up a case costs no QString per file.
    QHash<QByteArray, size_t> m_indexById;
};

// The all-files answer as case rows into `cases` and, unless `filesByCase` is null, each case's
// file rows into `filesByCase` (see CaseGrouper), read whole. Returns why the body is not a list
// answer, or an empty string.
QString readCases(const QByteArray &body, JsonParser parser, ListPage *cases,
                  QHash<QString, ListPage> *filesByCase, bool withDetails);

} // namespace Docket::Care360FileList
