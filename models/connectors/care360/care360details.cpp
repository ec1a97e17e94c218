// The details pane's section for a Care360 file (its metadata), its download-link action, and
// the file-type filter of listings.

#include "care360connector.h"
#include "itemdetails.h"

namespace Docket {

namespace {

const QString fileTypeFilterId = QStringLiteral("fileType");

DetailSection metadataSection(const SimpleJob *job)
{
    if (job->failed())
        return DetailSection::failed(Care360Connector::tr("Could not load the file's metadata:"),
                                     job->error());
    const QVariantMap data = job->data();
    const auto field = [&data](const char *name) {
        return data.value(QLatin1String(name));
    };
    const qint64 size = data.value(QStringLiteral("size"), -1).toLongLong();
    DetailSection section;
    section.title = Care360Connector::tr("File metadata");
    section.facts = {
        { Care360Connector::tr("File name"), field("fileName") },
        { Care360Connector::tr("Protected health information"), field("isPHI") },
        { Care360Connector::tr("Restricted"), field("isRestricted") },
        { Care360Connector::tr("Uploaded by"), field("uploadedByName") },
        { Care360Connector::tr("Case"), field("caseId") },
        { Care360Connector::tr("Type"), field("mimeType") },
        // A size that is not a count of bytes is shown as Care360 sent it.
        size >= 0 ? DetailFact { Care360Connector::tr("Size"), size, DetailFormat::Bytes }
                  : DetailFact { Care360Connector::tr("Size"), field("size") },
        serviceDateFact(Care360Connector::tr("Uploaded"), field("createdAt")),
    };
    return section;
}

} // namespace

void Care360Connector::startDetails(DetailsJob *job, const RemoteItem &item)
{
    job->finishFrom(fetchMetadata(item.ref), [](SimpleJob *metadata) -> QList<DetailSection> {
        return { metadataSection(metadata) };
    });
}

QList<DetailAction> Care360Connector::detailActions(NodeKind kind) const
{
    if (kind != NodeKind::Care360File)
        return {};
    return { { DetailAction::downloadLinkId(), tr("Get download &link"), tr("Get download link"),
               tr("Ask Care360 for a short-lived link to this file"),
               tr("Getting a download link…") } };
}

DetailActionJob *Care360Connector::runDetailAction(const RemoteItem &item, const QString &actionId)
{
    if (actionId != DetailAction::downloadLinkId() || item.ref.kind != NodeKind::Care360File)
        return Connector::runDetailAction(item, actionId);
    auto *job = new DetailActionJob(this);
    // Never kept: a short-lived link is fetched anew each time it is asked for.
    SimpleJob *link = fetchDownloadLink(item.ref);
    connect(link, &ConnectorJob::finished, job, [job](ConnectorJob *done) {
        if (done->failed()) {
            job->setSection(
                DetailSection::failed(tr("Could not get a download link:"), done->error()));
            job->finish(done->error());
            return;
        }
        const QVariantMap data = static_cast<SimpleJob *>(done)->data();
        DetailSection section;
        section.title = tr("Download link");
        job->setSection(section);
        job->setLink(data.value(QStringLiteral("downloadUrl")).toString(),
                     data.value(QStringLiteral("expiresIn"), -1).toInt());
        job->finish();
    });
    abortWith(job, link);
    return job;
}

QList<ListFilter> Care360Connector::listFilters() const
{
    return { { fileTypeFilterId, { QStringLiteral("phi"), QStringLiteral("general") } } };
}

bool Care360Connector::setListFilter(const QString &id, const QString &value)
{
    if (id != fileTypeFilterId
        || (!value.isEmpty() && !listFilters().constFirst().values.contains(value)))
        return false;
    setFileTypeFilter(value);
    return true;
}

} // namespace Docket
