#include "itemdetails.h"

#include "connectors/jsonparsing.h"
#include "rowblock.h"
#include "serviceinfo.h"

#include <QJsonValue>
#include <QPointer>

namespace Docket {

DetailFact serviceDateFact(const QString &label, const QVariant &value)
{
    QDateTime date;
    if (value.typeId() == QMetaType::QDateTime)
        date = value.toDateTime();
    else if (value.typeId() == QMetaType::QString)
        date = parseServiceDate(QJsonValue(value.toString()));
    if (date.isValid())
        return { label, date, DetailFormat::Date };
    return { label, value, DetailFormat::Value };
}

DetailFact measureFact(const QString &label, const RemoteItem &item)
{
    const auto [kind, value] = RowBlock::measureOf(item);
    switch (kind) {
    case Measure::Bytes:
        return { label, value, DetailFormat::Bytes };
    case Measure::Pages:
        return { label, value, DetailFormat::Pages };
    case Measure::Seconds:
        return { label, value, DetailFormat::Seconds };
    case Measure::None:
        break;
    }
    return { label, QVariant(), DetailFormat::Bytes };
}

void abortWith(ConnectorJob *details, ConnectorJob *request)
{
    QPointer<ConnectorJob> waitedFor = request;
    QObject::connect(details, &ConnectorJob::finished, request, [waitedFor](ConnectorJob *done) {
        if (done->failed() && waitedFor && !waitedFor->isFinished())
            waitedFor->abort();
    });
}

bool Connector::hasDetails(NodeKind kind) const
{
    const ServiceInfo *info = ServiceRegistry::find(service());
    return info && info->detailKinds.contains(kind);
}

// Every details job, whatever the service: one that has nothing to ask ends at once (later, as
// every job does), with no sections.
DetailsJob *Connector::fetchDetails(const RemoteItem &item)
{
    auto *job = new DetailsJob(item.ref, this);
    if (hasDetails(item.ref.kind))
        startDetails(job, item);
    else
        job->finish();
    return job;
}

void Connector::startDetails(DetailsJob *job, const RemoteItem &)
{
    job->finish();
}

// The defaults of a service that offers no actions: none, and a refusal for any id.

QList<DetailAction> Connector::detailActions(NodeKind) const
{
    return {};
}

DetailActionJob *Connector::runDetailAction(const RemoteItem &, const QString &actionId)
{
    auto *job = new DetailActionJob(this);
    job->finish(ApiError::make(
        ApiError::Kind::InvalidInput,
        tr("%1 offers no action \"%2\".").arg(serviceDisplayName(service()), actionId)));
    return job;
}

SimpleJob *Connector::upload(const NodeRef &, const QString &, const QString &, const QByteArray &)
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                               tr("%1 does not take uploads.").arg(serviceDisplayName(service()))));
    return job;
}

QString Connector::addKnownItem(const NodeRef &, const QString &, const QString &, const QString &)
{
    return tr("Docket keeps no list of %1 items to add to.").arg(serviceDisplayName(service()));
}

QList<ListFilter> Connector::listFilters() const
{
    return {};
}

bool Connector::setListFilter(const QString &, const QString &)
{
    return false;
}

} // namespace Docket
