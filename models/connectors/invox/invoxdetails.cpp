// The details pane's section for an Invox document (what Docket's index holds about it), and the
// generic upload and add-by-id calls for a consultation.

#include "invoxconnector.h"
#include "itemdetails.h"

namespace Docket {

namespace {

DetailSection indexSection(const ListJob *job, const QString &documentId)
{
    if (job->failed())
        return DetailSection::failed(InvoxConnector::tr("Could not read Docket's Invox index:"),
                                     job->error());
    for (const RemoteItem &document : job->page().items) {
        if (document.ref.id() != documentId)
            continue;
        const QVariantMap &details = document.details;
        const QString origin = details.value(QStringLiteral("origin")).toString();
        const QString added = origin == QLatin1String("upload")
            ? InvoxConnector::tr("Uploaded through Docket")
            : origin == QLatin1String("manual") ? InvoxConnector::tr("Added by hand (a known id)")
                                                : origin;
        DetailSection section;
        section.title = InvoxConnector::tr("In Docket's Invox index");
        section.facts = {
            { InvoxConnector::tr("Consultation session"),
              details.value(QStringLiteral("consultationSessionId")) },
            { InvoxConnector::tr("Type"), details.value(QStringLiteral("documentType")) },
            measureFact(InvoxConnector::tr("Size"), document),
            { InvoxConnector::tr("How it was added"), added, DetailFormat::Text },
            serviceDateFact(InvoxConnector::tr("Added"), details.value(QStringLiteral("addedAt"))),
        };
        return section;
    }
    DetailSection gone;
    gone.note = InvoxConnector::tr("This document is no longer in Docket's Invox index.");
    return gone;
}

} // namespace

void InvoxConnector::startDetails(DetailsJob *job, const RemoteItem &item)
{
    // Invox has no document details call: what Docket knows is in its local index, which the
    // consultation's listing reads (no network).
    const NodeRef consultation { NodeKind::InvoxConsultation,
                                 item.ref.ids.mid(0, item.ref.ids.size() - 1) };
    job->finishFrom(list(consultation, PageRequest {}),
                    [documentId = item.ref.id()](ListJob *listed) -> QList<DetailSection> {
                        return { indexSection(listed, documentId) };
                    });
}

bool InvoxConnector::canUpload(NodeKind parentKind) const
{
    return parentKind == NodeKind::InvoxConsultation;
}

SimpleJob *InvoxConnector::upload(const NodeRef &parent, const QString &name, const QString &type,
                                  const QByteArray &content)
{
    if (!canUpload(parent.kind))
        return Connector::upload(parent, name, type, content);
    return upload(parent.id(), name, type, content);
}

QString InvoxConnector::addKnownItem(const NodeRef &parent, const QString &id, const QString &name,
                                     const QString &type)
{
    if (!canUpload(parent.kind))
        return Connector::addKnownItem(parent, id, name, type);
    return addKnownDocument(parent.id(), id, name, type);
}

} // namespace Docket
