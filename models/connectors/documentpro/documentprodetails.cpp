// The details pane's sections for a DocumentPro parser result: its status and its fields.

#include "documentproconnector.h"
#include "itemdetails.h"

namespace Docket {

namespace {

QList<DetailSection> resultSections(const SimpleJob *job)
{
    if (job->failed())
        return { DetailSection::failed(
            DocumentProConnector::tr("Could not load the parser result:"), job->error()) };
    const QVariantMap data = job->data();
    const auto field = [&data](const char *name) {
        return data.value(QLatin1String(name));
    };
    DetailSection result;
    result.title = DocumentProConnector::tr("Parser result");
    result.facts = {
        { DocumentProConnector::tr("Request status"), field("request_status") },
        { DocumentProConnector::tr("Template"), field("template_title") },
        { DocumentProConnector::tr("Pages"), field("num_pages") },
        { DocumentProConnector::tr("Human verification"), field("human_verification_status") },
        { DocumentProConnector::tr("Missing required fields"),
          field("has_missing_required_fields") },
        { DocumentProConnector::tr("Error message"), field("user_error_msg") },
        serviceDateFact(DocumentProConnector::tr("Updated"), field("updated_at")),
    };
    const QVariantMap fields = data.value(QStringLiteral("result_json_data")).toMap();
    DetailSection extracted;
    extracted.title = DocumentProConnector::tr("Extracted fields (%1)").arg(fields.size());
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        extracted.facts.append({ it.key(), it.value() });
    if (fields.isEmpty())
        extracted.note = DocumentProConnector::tr("No extracted fields.");
    return { result, extracted };
}

} // namespace

void DocumentProConnector::startDetails(DetailsJob *job, const RemoteItem &item)
{
    job->finishFrom(fetchResult(item.ref), &resultSections);
}

} // namespace Docket
