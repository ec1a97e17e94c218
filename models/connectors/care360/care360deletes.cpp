#include "care360connector.h"
#include "care360support.h"
#include "connectors/connectorsupport.h"

// Care360Connector's deletes: what a delete will do, sending it, and reading the answer. Care360
// answers 404 alike for a file that is gone and for one this patient may not delete, so a 404 is
// checked against the file's metadata before it may count as deleted.

namespace Docket {

using namespace Care360;

bool Care360Connector::canDelete(NodeKind kind) const
{
    return kind == NodeKind::Care360File;
}

DeletePlan Care360Connector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.permanence = DeletePlan::Permanence::Soft;
    if (item.ref.kind == NodeKind::Care360File) {
        plan.explanation = tr("Hides “%1” from the patient and from Docket. CareValidate keeps the "
                              "file and records the deletion in the case's activity; it cannot "
                              "be undone from Docket.")
                               .arg(item.name);
        // Only the uploader may delete a file, and every file row names its uploader. Who the
        // signed-in patient is, Care360 documents nowhere; its access token says ("sub").
        // (The tree's rows are kept without details: then what Docket learnt of the file when
        // its details were fetched.)
        const Uploader known = m_uploaders.value(item.ref.id());
        const QString uploaderId = item.details.contains(QStringLiteral("uploadedById"))
            ? item.details.value(QStringLiteral("uploadedById")).toString()
            : known.id;
        const QString patient = signedInPatientId();
        if (!uploaderId.isEmpty() && !patient.isEmpty() && uploaderId != patient) {
            const QString uploader = item.details.contains(QStringLiteral("uploadedBy"))
                ? item.details.value(QStringLiteral("uploadedBy")).toString()
                : known.name;
            plan.refusal = uploader.isEmpty()
                ? tr("Uploaded by someone else; only the uploader can delete it.")
                : tr("Uploaded by %1; only the uploader can delete it.").arg(uploader);
        }
    } else {
        plan.explanation = tr("Care360 does not let Docket delete a %1; only files can be "
                              "deleted, one at a time.")
                               .arg(nodeKindName(item.ref.kind).toLower());
    }
    return plan;
}

DeleteJob *Care360Connector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    if (!canDelete(item.ref.kind) || item.ref.id().isEmpty()) {
        job->refuse(
            ApiError::make(ApiError::Kind::InvalidInput, tr("Only Care360 files can be deleted.")));
        return job;
    }
    ++m_removalsStarted;
    // The case's kept rows still list the file: whatever the outcome, its next list asks Care360.
    // (A file named without its case could be in any of them.)
    if (item.ref.ids.size() >= 2)
        m_knownFiles.byCase.remove(item.ref.ids.first());
    else
        forgetKnownFiles();
    ApiRequest request;
    request.method = "DELETE";
    request.url = filesUrl({ item.ref.id() });
    request.requestId = requestId;
    sendDelete(job, request);
    return job;
}

QString Care360Connector::deleteAnswerProblem(const RemoteItem &, const ApiResult &result) const
{
    // [doc] 200 {"status": 200, "success": true, "message": "File deleted successfully"}.
    return successAnswerProblem(result, QStringLiteral("Care360"));
}

bool Care360Connector::isNotFoundAnswer(const ApiResult &result) const
{
    // [doc] 404 {"success": false, "error": "File not found", "code"}. An unknown tenant is a 404
    // too ("Organization not found"), and so is a proxy's page: neither looked at the file.
    return result.status == 404 && isServiceErrorAnswer(result)
        && result.error.serviceMessage.compare(QLatin1String("File not found"), Qt::CaseInsensitive)
        == 0;
}

ApiError Care360Connector::explainedError(const ApiError &error) const
{
    ApiResult result;
    result.error = error;
    return care360Error(result);
}

void Care360Connector::finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                                    const ApiResult &result)
{
    if (verdict.outcome != DeleteOutcome::AlreadyGone) {
        Connector::finishDelete(job, verdict, result);
        return;
    }
    // Care360's 404 is uniform: missing, already deleted, another patient's, another tenant's,
    // or not uploaded by this patient. Only a look at the file tells "gone" from "still there,
    // not yours to delete".
    SimpleJob *check = fetchMetadata(job->item().ref);
    connect(job, &QObject::destroyed, check, &ConnectorJob::abort);
    connect(check, &ConnectorJob::finished, job, [this, job, verdict, result](ConnectorJob *done) {
        if (!job->isFinished())
            Connector::finishDelete(job, provenGone(job->item(), verdict, done), result);
    });
}

DeleteVerdict Care360Connector::provenGone(const RemoteItem &item, const DeleteVerdict &notFound,
                                           ConnectorJob *check) const
{
    DeleteVerdict verdict = notFound;
    const auto *metadata = static_cast<SimpleJob *>(check);
    const ApiError &lookError = metadata->error();
    const QVariantMap file = metadata->failed() ? QVariantMap() : metadata->data();
    const bool thisFile = !metadata->failed()
        && file.value(QStringLiteral("id")).toString().compare(item.ref.id(), Qt::CaseInsensitive)
            == 0;
    // Only a JSON true, not any value that converts to one.
    const QVariant isDeleted = file.value(QStringLiteral("isDeleted"));
    if (thisFile && isDeleted.typeId() == QMetaType::Bool && isDeleted.toBool()) {
        verdict.note = tr("Care360 answered 404, and the file is marked deleted.");
        return verdict;
    }
    if (thisFile) {
        const QString uploader = file.value(QStringLiteral("uploadedByName")).toString();
        verdict.outcome = DeleteOutcome::NotPermitted;
        verdict.note.clear();
        verdict.error = ApiError::make(
            ApiError::Kind::Http,
            uploader.isEmpty()
                ? tr("Care360 still holds this file but refused to delete it: only the person "
                     "who uploaded it can.")
                : tr("Uploaded by %1; only the uploader can delete it. Care360 still holds it.")
                      .arg(uploader));
        verdict.error.httpStatus = 404;
        return verdict;
    }
    // Care360's own "File not found" again, in its JSON shape (a code beside the message, which
    // a page's plain text does not have).
    if (metadata->failed() && lookError.kind == ApiError::Kind::Http && lookError.httpStatus == 404
        && !lookError.serviceCode.isEmpty()
        && lookError.serviceMessage.compare(QLatin1String("File not found"), Qt::CaseInsensitive)
            == 0) {
        verdict.note = tr("Care360 answered 404 to the delete and to a look at the file: this "
                          "account cannot see it any more.");
        return verdict;
    }
    // Not proven either way: the 404 alone says nothing was deleted by this request.
    verdict.outcome = DeleteOutcome::Failed;
    verdict.note.clear();
    const ApiError why = metadata->failed()
        ? lookError
        : ApiError::malformed(QStringLiteral("the metadata describes another file"), {});
    verdict.error = ApiError::make(
        ApiError::Kind::Http,
        tr("Care360 answered 404, and whether the file is still there could not be checked (%1). "
           "Nothing is known to be deleted.")
            .arg(why.sentence()));
    verdict.error.httpStatus = 404;
    return verdict;
}

} // namespace Docket
