// The details pane's sections for a Scriptix document: its comments and its transcript.

#include "itemdetails.h"
#include "scriptixconnector.h"

#include <memory>

namespace Docket {

namespace {

DetailSection transcriptSection(const SimpleJob *job)
{
    if (job->failed())
        return DetailSection::failed(ScriptixConnector::tr("Could not load the transcript:"),
                                     job->error());
    const QVariantMap data = job->data();
    DetailSection section;
    section.title = ScriptixConnector::tr("Transcript");
    const std::pair<const char *, QString> facts[] = {
        { "filename", ScriptixConnector::tr("File name") },
        { "type", ScriptixConnector::tr("Type") },
        { "created", ScriptixConnector::tr("Created") },
        { "last_modified", ScriptixConnector::tr("Last modified") },
    };
    for (const auto &[key, label] : facts) {
        if (data.contains(QLatin1String(key)))
            section.facts.append({ label, data.value(QLatin1String(key)) });
    }
    const QVariantList segments = data.value(QStringLiteral("segments")).toList();
    if (segments.isEmpty()) {
        section.note = ScriptixConnector::tr("No segments.");
        return section;
    }
    DetailTable table;
    table.columns = { { ScriptixConnector::tr("Speaker"), DetailFormat::Text },
                      { ScriptixConnector::tr("Start"), DetailFormat::Offset },
                      { ScriptixConnector::tr("Text"), DetailFormat::Text } };
    for (const QVariant &value : segments) {
        const QVariantMap segment = value.toMap();
        table.rows.append({ segment.value(QStringLiteral("speaker")).toString(),
                            segment.value(QStringLiteral("start")).toDouble(),
                            segment.value(QStringLiteral("text")).toString() });
    }
    table.moreRowsNote = ScriptixConnector::tr("Showing the first %1 of %2 segments.");
    section.table = table;
    return section;
}

DetailSection commentsSection(const ListJob *job)
{
    if (job->failed())
        return DetailSection::failed(ScriptixConnector::tr("Could not list the comments:"),
                                     job->error());
    const ListPage &page = job->page();
    const int total = page.total >= 0 ? page.total : int(page.items.size());
    DetailSection section;
    section.title = ScriptixConnector::tr("Comments (%1)").arg(total);
    if (page.items.isEmpty()) {
        section.note = ScriptixConnector::tr("No comments.");
        return section;
    }
    QStringList names;
    for (const RemoteItem &comment : page.items)
        names.append(comment.name);
    section.list = names;
    return section;
}

} // namespace

void ScriptixConnector::startDetails(DetailsJob *job, const RemoteItem &item)
{
    // Two requests, each of which may fail on its own; the job ends once both have answered.
    struct Parts
    {
        std::optional<DetailSection> comments;
        std::optional<DetailSection> transcript;
    };
    auto parts = std::make_shared<Parts>();
    const auto finishWhenBoth = [job, parts] {
        if (!parts->comments || !parts->transcript)
            return;
        // Comments first: they are short, the transcript may be long.
        job->setSections({ *parts->comments, *parts->transcript });
        job->finish();
    };
    SimpleJob *transcript = fetchDocument(item.ref);
    connect(transcript, &ConnectorJob::finished, job, [parts, finishWhenBoth](ConnectorJob *done) {
        parts->transcript = transcriptSection(static_cast<SimpleJob *>(done));
        finishWhenBoth();
    });
    ListJob *comments = list(item.ref, PageRequest { QVariant(), maxDetailRows });
    connect(comments, &ConnectorJob::finished, job, [parts, finishWhenBoth](ConnectorJob *done) {
        parts->comments = commentsSection(static_cast<ListJob *>(done));
        finishWhenBoth();
    });
    abortWith(job, transcript);
    abortWith(job, comments);
}

} // namespace Docket
