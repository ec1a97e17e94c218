#include "fieldnotesconnector.h"

#include "connectors/connectorsupport.h"
#include "fieldnotesservice.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Docket;

namespace FieldNotes {

namespace {

// The key goes in the service's own header on every request.
class KeyAuthenticator : public Authenticator
{
public:
    using Authenticator::Authenticator;
    bool authorize(ApiRequest &request) override
    {
        const QByteArray key = session()->secret(Secret::apiKey).toUtf8();
        if (key.isEmpty() || key.contains('\n') || key.contains('\r'))
            return false;
        request.headers.append({ QByteArrayLiteral("X-Notes-Key"), key });
        return true;
    }
};

} // namespace

ServiceKind FieldNotesConnector::service() const
{
    return serviceKind();
}

void FieldNotesConnector::get(ConnectorJob *job, const QStringList &path,
                              std::function<void(const QJsonObject &)> done)
{
    if (!session()->authenticator())
        session()->setAuthenticator(std::make_unique<KeyAuthenticator>(session()));
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, path);
    session()->send(request, job, [job, done](const ApiResult &result) {
        if (job->finishIfFailed(result))
            return;
        QString problem;
        const QJsonDocument body = parseBody(result, &problem);
        if (!body.isObject()) {
            job->finish(
                ApiError::make(ApiError::Kind::MalformedResponse,
                               problem.isEmpty() ? QStringLiteral("not a JSON object") : problem));
            return;
        }
        done(body.object());
    });
}

ListJob *FieldNotesConnector::list(const NodeRef &parent, const PageRequest &page)
{
    Q_UNUSED(page); // Field Notes answers every list whole
    auto *job = new ListJob(parent, this);
    const bool top = parent.kind == NodeKind::Account;
    const QStringList path = top
        ? QStringList { QStringLiteral("folders") }
        : QStringList { QStringLiteral("folders"), parent.id(), QStringLiteral("notes") };
    get(job, path, [job, parent, top](const QJsonObject &body) {
        ListPage listed;
        const QJsonArray rows = body.value(top ? u"folders" : u"notes").toArray();
        for (const QJsonValue &value : rows) {
            const QJsonObject row = value.toObject();
            RemoteItem item;
            item.ref = parent.child(top ? folderKind() : noteKind(), stringField(row, u"id"_qs));
            if (item.ref.id().isEmpty())
                continue; // a row Docket could not aim a delete at
            item.name = stringField(row, u"title"_qs);
            item.created = parseServiceDate(row.value(u"created"));
            item.childCount = top ? intValue(row.value(u"notes")) : -1;
            listed.items.append(item);
        }
        listed.total = int(listed.items.size());
        job->setPage(std::move(listed));
        job->finish();
    });
    return job;
}

bool FieldNotesConnector::canDelete(NodeKind kind) const
{
    return kind == noteKind();
}

DeletePlan FieldNotesConnector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.explanation
        = tr("Permanently deletes the note “%1”. This cannot be undone.").arg(item.name);
    return plan;
}

SignInJob *FieldNotesConnector::signIn(SignInMode mode)
{
    Q_UNUSED(mode); // a key is checked the same way whether just typed or stored
    auto *job = new SignInJob(this);
    get(job, { QStringLiteral("whoami") }, [this, job](const QJsonObject &) {
        session()->markSignedIn();
        job->finish();
    });
    return job;
}

DeleteJob *FieldNotesConnector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    if (item.ref.kind != noteKind() || item.ref.id().isEmpty()) {
        job->refuse(ApiError::make(ApiError::Kind::InvalidInput, tr("Only notes can be deleted.")));
        return job;
    }
    if (!session()->authenticator())
        session()->setAuthenticator(std::make_unique<KeyAuthenticator>(session()));
    ApiRequest request;
    request.method = "DELETE";
    request.url = urlWithSegments(account().baseUrl, { QStringLiteral("notes"), item.ref.id() });
    request.requestId = requestId;
    sendDelete(job, request);
    return job;
}

// Documented: a deleted note's answer names it.
QString FieldNotesConnector::deleteAnswerProblem(const RemoteItem &item,
                                                 const ApiResult &result) const
{
    QString problem;
    const QJsonDocument body = parseBody(result, &problem);
    if (!body.isObject())
        return problem.isEmpty() ? QStringLiteral("the answer is not a JSON object") : problem;
    const QString deleted = body.object().value(u"deleted").toString();
    return deleted == item.ref.id() ? QString() : QStringLiteral("it names another note");
}

bool FieldNotesConnector::isNotFoundAnswer(const ApiResult &result) const
{
    QString problem;
    const QJsonDocument body = parseBody(result, &problem);
    return result.status == 404 && body.isObject()
        && body.object().value(u"error").toString() == QLatin1String("no_such_note");
}

} // namespace FieldNotes
