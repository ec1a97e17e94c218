#include "documentproconnector.h"

#include "connectors/connectorsupport.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <memory>
#include <optional>

namespace Docket {

namespace {

const QStringList documentsPath = { QStringLiteral("v1"), QStringLiteral("documents") };
const QStringList filesPath = { QStringLiteral("files") };
const QString requestIdParameter = QStringLiteral("request_id");

class DocumentProAuthenticator final : public Authenticator
{
public:
    using Authenticator::Authenticator;

    bool authorize(ApiRequest &request) override
    {
        const QByteArray key = session()->secret(Secret::apiKey).trimmed().toUtf8();
        if (key.isEmpty() || !isHeaderSafe(key))
            return false;
        request.headers.append({ QByteArrayLiteral("x-api-key"), key });
        return true;
    }
    // No renewal: the key is static, and a 401 means the key itself is wrong or revoked.
};

// Every 401 from DocumentPro means the key: say so, rather than the generic sign-in sentence.
ApiError explained(ApiError error)
{
    if (error.kind == ApiError::Kind::Http && error.httpStatus == 401) {
        error.userMessage = DocumentProConnector::tr(
            "DocumentPro did not accept the API key: it may be mistyped or revoked. Enter a "
            "valid key and sign in again.");
    }
    return error;
}

ApiError invalidRef()
{
    return ApiError::make(ApiError::Kind::InvalidInput,
                          DocumentProConnector::tr("This item has no usable DocumentPro id, so "
                                                   "Docket cannot address it."));
}

// Ids go into query values (always percent-encoded), so only an empty one is unusable.
bool usableRef(const NodeRef &ref, NodeKind kind, int depth)
{
    if (ref.kind != kind || ref.ids.size() != depth)
        return false;
    for (const QString &id : ref.ids) {
        if (id.isEmpty())
            return false;
    }
    return true;
}

// The documented {"files": [...], "pagination_key": ...}; nullopt (with *problem) otherwise.
std::optional<QJsonObject> parseDocumentList(const ApiResult &result, QString *problem)
{
    const QJsonDocument document = parseBody(result, problem);
    if (!problem->isEmpty())
        return std::nullopt;
    if (!document.isObject() || !document.object().value(QStringLiteral("files")).isArray()) {
        *problem = QStringLiteral("expected an object with a \"files\" array");
        return std::nullopt;
    }
    return document.object();
}

// [doc] "pagination_key": value or null. The value is opaque: hand a string back as it is, and
// anything else (a number, or a JSON key object) as its compact JSON text. Empty: no more pages.
QString paginationKey(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double number = value.toDouble();
        return number == std::floor(number) && std::abs(number) < 9e15
            ? QString::number(qint64(number))
            : QString::number(number, 'g', 17);
    }
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return {};
}

QVariantList parserRuns(const QJsonObject &document)
{
    QVariantList runs;
    for (const QJsonValue &run : document.value(QStringLiteral("parser_runs")).toArray()) {
        if (run.isObject())
            runs.append(run.toObject().toVariantMap());
    }
    return runs;
}

RemoteItem documentItem(const QJsonObject &object)
{
    const QString documentId = firstStringField(object, { "document_id", "id" });

    RemoteItem item;
    item.ref = { NodeKind::DocumentProDocument, { documentId } };
    item.name = stringField(object, QStringLiteral("file_name"));
    if (item.name.isEmpty())
        item.name = documentId;
    item.pages = intValue(object.value(QStringLiteral("num_pages")));
    item.created = parseServiceDate(object.value(QStringLiteral("created_at")));

    QVariantMap details;
    details.insert(QStringLiteral("document_id"), documentId);
    insertPresentFields(&details, object,
                        { "user_id", "source_name", "file_name", "file_extension", "num_pages",
                          "meta_tags", "created_at" });
    // The children of a document are its parser runs: kept here, so nothing has to guess them.
    const QVariantList runs = parserRuns(object);
    details.insert(QStringLiteral("parser_runs"), runs);
    details.insert(QStringLiteral("parser_run_count"), int(runs.size()));
    item.details = details;
    // The document's children as listResults() will show them: runs with a request id.
    item.childCount = 0;
    for (const QJsonValue &run : object.value(QStringLiteral("parser_runs")).toArray()) {
        if (!stringField(run.toObject(), QStringLiteral("request_id")).isEmpty())
            ++item.childCount;
    }
    return item;
}

// A /files?request_id= answer: {"request_id", "request_status", "response_body": {...},
// "created_at", "updated_at"}.
bool isResultObject(const QJsonDocument &document)
{
    const QJsonObject object = document.object();
    return document.isObject()
        && (object.value(QStringLiteral("request_status")).isString()
            || object.value(QStringLiteral("response_body")).isObject());
}

// The parser result object a /files?request_id=`asked` answer holds; none, after finishing `job`
// as malformed, when the answer is not one, or is about another result (its name would then be
// shown and recorded for the one asked for).
std::optional<QJsonObject> resultObjectOrFail(ConnectorJob *job, const ApiResult &answer,
                                              const QString &asked)
{
    QString problem;
    const QJsonDocument body = parseBody(answer, &problem);
    if (problem.isEmpty() && !isResultObject(body))
        problem = QStringLiteral("expected a parser result object");
    const QJsonValue answered = body.object().value(QStringLiteral("request_id"));
    if (problem.isEmpty() && answered.isString() && !answered.toString().isEmpty()
        && answered.toString() != asked)
        problem = QStringLiteral("the answer describes another parser result");
    if (!problem.isEmpty()) {
        job->finish(ApiError::malformed(problem, answer.requestId));
        return std::nullopt;
    }
    return body.object();
}

RemoteItem resultItem(const NodeRef &document, const QString &requestId, const QJsonObject &run,
                      const QJsonObject &result)
{
    const QJsonObject body = result.value(QStringLiteral("response_body")).toObject();
    RemoteItem item;
    item.ref = document.child(NodeKind::DocumentProResult, requestId);
    item.name = stringField(body, QStringLiteral("template_title"));
    if (item.name.isEmpty())
        item.name = stringField(run, QStringLiteral("template_title"));
    if (item.name.isEmpty())
        item.name = requestId;
    item.status = stringField(result, QStringLiteral("request_status"));
    item.pages = intValue(body.value(QStringLiteral("num_pages")));
    item.created = parseServiceDate(result.value(QStringLiteral("created_at")));

    QVariantMap details;
    details.insert(QStringLiteral("request_id"), requestId);
    details.insert(QStringLiteral("document_id"), document.id());
    insertPresentFields(&details, result, { "request_status", "created_at", "updated_at" });
    // Not file_presigned_url (a credential for the file) nor result_json_data (bulky: see
    // fetchResult).
    for (const char *key :
         { "file_name", "template_id", "template_title", "template_type", "num_pages",
           "user_error_msg", "human_verification_status", "has_missing_required_fields" }) {
        QJsonValue value = body.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            value = run.value(QLatin1String(key));
        if (!value.isUndefined() && !value.isNull())
            details.insert(QLatin1String(key), value.toVariant());
    }
    item.details = details;
    return item;
}

} // namespace

DocumentProConnector::DocumentProConnector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{
    session->setAuthenticator(std::make_unique<DocumentProAuthenticator>(session));
}

int DocumentProConnector::pageSize(NodeKind) const
{
    return maxPageSize;
}

void DocumentProConnector::send(ConnectorJob *job, const QByteArray &method,
                                const QStringList &path,
                                const QList<QPair<QString, QString>> &query,
                                std::function<void(const ApiResult &)> done,
                                std::function<bool(const ApiResult &)> onFailure,
                                const QByteArray &requestId)
{
    ApiRequest request;
    request.method = method;
    request.url = urlWithSegments(account().baseUrl, path, query);
    request.requestId = requestId;
    session()->send(
        request, job,
        [job, done = std::move(done), onFailure = std::move(onFailure)](const ApiResult &result) {
            if (job->isFinished())
                return;
            if (result.ok()) {
                done(result);
                return;
            }
            ApiResult failed = result;
            failed.error = explained(result.error);
            if (onFailure && onFailure(failed))
                return;
            job->finish(failed.error);
        });
}

bool DocumentProConnector::canSearch(NodeKind parentKind) const
{
    return parentKind == NodeKind::Account;
}

ListJob *DocumentProConnector::list(const NodeRef &parent, const PageRequest &page)
{
    auto *job = new ListJob(parent, this);
    switch (parent.kind) {
    case NodeKind::Account:
        listDocuments(job, page);
        break;
    case NodeKind::DocumentProDocument:
        listResults(job);
        break;
    default:
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("DocumentPro holds nothing under this kind of item.")));
        break;
    }
    return job;
}

void DocumentProConnector::listDocuments(ListJob *job, const PageRequest &page)
{
    const QString sentKey
        = page.cursor.isValid() && !page.cursor.isNull() ? page.cursor.toString() : QString();
    QList<QPair<QString, QString>> query
        = { { QStringLiteral("limit"), QString::number(qBound(1, page.limit, maxPageSize)) } };
    if (!sentKey.isEmpty())
        query.append({ paginationKeyParameter(), sentKey });
    // [doc] search_term narrows the documents; [gap] which fields it reads is not said. It goes
    // with every page, so a key issued for a search continues that search.
    if (page.isSearch())
        query.append({ QStringLiteral("search_term"), page.search });
    send(job, "GET", documentsPath, query,
         [job, sentKey, search = page.search](const ApiResult &result) {
             QString problem;
             const std::optional<QJsonObject> answer = parseDocumentList(result, &problem);
             const QString nextKey = answer
                 ? paginationKey(answer->value(QStringLiteral("pagination_key")))
                 : QString();
             // The same key again would page forever.
             if (answer && !nextKey.isEmpty() && nextKey == sentKey)
                 problem = QStringLiteral("the same pagination_key came back");
             if (!problem.isEmpty()) {
                 job->finish(ApiError::malformed(problem, result.requestId));
                 return;
             }
             ListPage listPage;
             for (const QJsonValue &value : answer->value(QStringLiteral("files")).toArray()) {
                 if (!value.isObject())
                     continue;
                 RemoteItem item = documentItem(value.toObject());
                 // Only rows whose name holds the text, whatever search_term matched.
                 if (matchesSearch(item.name, search))
                     listPage.items.append(std::move(item));
             }
             listPage.total = -1; // DocumentPro does not say
             if (!nextKey.isEmpty())
                 listPage.nextCursor = nextKey;
             job->setPage(listPage);
             job->finish();
         });
}

void DocumentProConnector::readRuns(ConnectorJob *job, const NodeRef &document,
                                    std::function<void(const QList<QJsonObject> &)> done)
{
    if (!usableRef(document, NodeKind::DocumentProDocument, 1)) {
        job->finish(invalidRef());
        return;
    }
    // The document is fetched afresh rather than trusting the runs in the row's details, so a
    // re-list after a delete shows what the server holds now.
    const QList<QPair<QString, QString>> query
        = { { QStringLiteral("document_id"), document.id() },
            { QStringLiteral("limit"), QString::number(maxPageSize) } };
    send(
        job, "GET", documentsPath, query,
        [job, document, done = std::move(done)](const ApiResult &result) {
            QString problem;
            const std::optional<QJsonObject> answer = parseDocumentList(result, &problem);
            if (!answer) {
                job->finish(ApiError::malformed(problem, result.requestId));
                return;
            }
            std::optional<QJsonObject> listed;
            for (const QJsonValue &value : answer->value(QStringLiteral("files")).toArray()) {
                if (stringField(value.toObject(), QStringLiteral("document_id")) == document.id()) {
                    listed = value.toObject();
                    break;
                }
            }
            if (!listed) {
                ApiError gone = ApiError::make(
                    ApiError::Kind::Http,
                    tr("DocumentPro no longer lists this document; it may have been removed."));
                gone.httpStatus = 404;
                gone.requestId = result.requestId;
                job->finish(gone);
                return;
            }
            // [doc] every document has its parser_runs: without them, nothing says it has none.
            if (!listed->value(QStringLiteral("parser_runs")).isArray()) {
                job->finish(ApiError::malformed(
                    QStringLiteral("the document has no parser_runs list"), result.requestId));
                return;
            }
            QList<QJsonObject> runs;
            for (const QJsonValue &value : listed->value(QStringLiteral("parser_runs")).toArray()) {
                // A run without a request id cannot be fetched or deleted: nothing to show.
                if (!stringField(value.toObject(), QStringLiteral("request_id")).isEmpty())
                    runs.append(value.toObject());
            }
            done(runs);
        });
}

void DocumentProConnector::fetchResults(
    ConnectorJob *job, const NodeRef &document, const QList<QJsonObject> &runs,
    std::function<void(const QList<std::optional<RemoteItem>> &)> done)
{
    if (runs.isEmpty()) {
        done({});
        return;
    }
    // One GET per run, all at once (the session's pacer bounds them); rows keep the runs' order
    // whatever order the answers come in.
    struct Gathering
    {
        QList<std::optional<RemoteItem>> rows;
        int remaining = 0;
    };
    auto gathering = std::make_shared<Gathering>();
    gathering->rows.resize(runs.size());
    gathering->remaining = int(runs.size());
    const auto oneDone = [job, gathering, done = std::move(done)] {
        if (--gathering->remaining > 0 || job->isFinished())
            return;
        done(gathering->rows);
    };
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const QJsonObject run = runs.at(i);
        const QString requestId = stringField(run, QStringLiteral("request_id"));
        send(
            job, "GET", filesPath, { { requestIdParameter, requestId } },
            [job, gathering, oneDone, document, run, requestId, i](const ApiResult &answer) {
                const std::optional<QJsonObject> result
                    = resultObjectOrFail(job, answer, requestId);
                if (!result)
                    return;
                gathering->rows[i] = resultItem(document, requestId, run, *result);
                oneDone();
            },
            [this, oneDone](const ApiResult &failed) {
                // Deleted since the document was read, in DocumentPro's own words: left out
                // (std::nullopt). Any other 404 is not DocumentPro speaking.
                if (!isNotFoundAnswer(failed))
                    return false;
                oneDone();
                return true;
            });
    }
}

void DocumentProConnector::listResults(ListJob *job)
{
    const NodeRef parent = job->parentRef();
    readRuns(job, parent, [this, job, parent](const QList<QJsonObject> &runs) {
        fetchResults(job, parent, runs, [job](const QList<std::optional<RemoteItem>> &rows) {
            ListPage page;
            for (const std::optional<RemoteItem> &row : rows) {
                if (row)
                    page.items.append(*row);
            }
            page.total = int(page.items.size());
            job->setPage(page);
            job->finish();
        });
    });
}

void DocumentProConnector::startLookup(LookupJob *job)
{
    if (job->parentRef().kind != NodeKind::DocumentProDocument) {
        Connector::startLookup(job);
        return;
    }
    // A document's listing is its runs, each fetched (1 + runs requests). The document read
    // once says which runs it has; only the runs sought are then fetched, each through its own
    // GET /files?request_id=: 1 + (sought and listed) requests, never more than the listing.
    const NodeRef document = job->parentRef();
    readRuns(job, document, [this, job, document](const QList<QJsonObject> &runs) {
        QHash<QString, QList<qsizetype>> sought;
        for (qsizetype index : job->unanswered())
            sought[job->refs().at(index).id()].append(index);
        QList<QJsonObject> wanted;
        for (const QJsonObject &run : runs) {
            if (sought.contains(stringField(run, QStringLiteral("request_id"))))
                wanted.append(run);
        }
        fetchResults(job, document, wanted,
                     [job, wanted, sought](const QList<std::optional<RemoteItem>> &rows) {
                         for (qsizetype i = 0; i < wanted.size(); ++i) {
                             if (!rows.at(i))
                                 continue; // deleted since the document was read
                             const QString id
                                 = stringField(wanted.at(i), QStringLiteral("request_id"));
                             for (qsizetype index : sought.value(id))
                                 job->setFound(index, *rows.at(i));
                         }
                         // The document's whole list of runs was read: the rest are not there.
                         job->missRest();
                     });
    });
}

bool DocumentProConnector::canDelete(NodeKind kind) const
{
    return kind == NodeKind::DocumentProResult;
}

DeletePlan DocumentProConnector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.permanence = DeletePlan::Permanence::Permanent;
    if (item.ref.kind == NodeKind::DocumentProResult) {
        plan.cascade = tr("the parsing result and all its data and files");
        const QString fileName = item.details.value(QStringLiteral("file_name")).toString();
        plan.explanation = fileName.isEmpty()
            ? tr("Permanently deletes the parsing result “%1” and all its data and files. The "
                 "document itself stays. This cannot be undone.")
                  .arg(item.name)
            : tr("Permanently deletes the parsing result “%1” of “%2” and all its data and "
                 "files. The document itself stays. This cannot be undone.")
                  .arg(item.name, fileName);
    } else if (item.ref.kind == NodeKind::DocumentProDocument) {
        plan.explanation = tr("DocumentPro offers no way to delete a document; only its parsing "
                              "results can be deleted.");
    } else {
        plan.explanation = tr("DocumentPro cannot delete this kind of item.");
    }
    return plan;
}

DeleteJob *DocumentProConnector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    if (item.ref.kind != NodeKind::DocumentProResult) {
        job->refuse(ApiError::make(ApiError::Kind::InvalidInput,
                                   item.ref.kind == NodeKind::DocumentProDocument
                                       ? tr("DocumentPro offers no way to delete a document; "
                                            "only its parsing results can be deleted.")
                                       : tr("DocumentPro cannot delete this kind of item.")));
        return job;
    }
    // The document id is not needed to delete: the request id names the result on its own.
    if (item.ref.id().isEmpty()) {
        job->refuse(invalidRef());
        return job;
    }
    ApiRequest request;
    request.method = "DELETE";
    request.url
        = urlWithSegments(account().baseUrl, filesPath, { { requestIdParameter, item.ref.id() } });
    request.requestId = requestId;
    sendDelete(job, request);
    return job;
}

QString DocumentProConnector::deleteAnswerProblem(const RemoteItem &, const ApiResult &result) const
{
    // [doc] 200 {"success": true, "message": "File deleted successfully"}.
    return successAnswerProblem(result, QStringLiteral("DocumentPro"));
}

bool DocumentProConnector::isNotFoundAnswer(const ApiResult &result) const
{
    // [doc] 404 in DocumentPro's error shape {"success": false, "error", "message"?}.
    if (result.status != 404 || !isServiceErrorAnswer(result))
        return false;
    return QJsonDocument::fromJson(result.body).object().value(QStringLiteral("success"))
        == QJsonValue(false);
}

void DocumentProConnector::finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                                        const ApiResult &result)
{
    if (verdict.outcome != DeleteOutcome::AlreadyGone) {
        Connector::finishDelete(job, verdict, result);
        return;
    }
    // DocumentPro answers an address it does not serve (a wrong base URL, a proxy's route) with
    // the same {"success": false} 404 as a missing result: only its document's listing, read as
    // documented, shows that the result is really not there.
    const NodeRef ref = job->item().ref;
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, documentsPath,
                                  { { QStringLiteral("document_id"), ref.ids.value(0) },
                                    { QStringLiteral("limit"), QString::number(maxPageSize) } });
    session()->send(request, job, [this, job, verdict, result](const ApiResult &listed) {
        if (!job->isFinished())
            Connector::finishDelete(job, resultGone(job->item(), verdict, listed), result);
    });
}

DeleteVerdict DocumentProConnector::resultGone(const RemoteItem &item, DeleteVerdict verdict,
                                               const ApiResult &listed) const
{
    QString problem;
    const std::optional<QJsonObject> answer
        = listed.ok() ? parseDocumentList(listed, &problem) : std::nullopt;
    if (!answer) {
        const ApiError why = listed.ok() ? ApiError::malformed(problem, listed.requestId)
                                         : explained(listed.error);
        verdict.outcome = DeleteOutcome::Failed;
        verdict.note.clear();
        verdict.error = why;
        verdict.error.userMessage
            = tr("DocumentPro answered 404, but its document listing could not be read to "
                 "confirm that the result is gone (%1): check the account's base URL. Nothing "
                 "is known to be deleted.")
                  .arg(why.sentence());
        return verdict;
    }
    const QString documentId = item.ref.ids.value(0);
    for (const QJsonValue &value : answer->value(QStringLiteral("files")).toArray()) {
        const QJsonObject document = value.toObject();
        if (stringField(document, QStringLiteral("document_id")) != documentId)
            continue;
        for (const QJsonValue &run : document.value(QStringLiteral("parser_runs")).toArray()) {
            if (stringField(run.toObject(), QStringLiteral("request_id")) == item.ref.id()) {
                verdict.outcome = DeleteOutcome::Failed;
                verdict.note.clear();
                verdict.error = ApiError::make(
                    ApiError::Kind::Http,
                    tr("DocumentPro answered 404, yet its document still lists this parsing "
                       "result: nothing is known to be deleted."));
                verdict.error.httpStatus = 404;
                return verdict;
            }
        }
    }
    verdict.note = tr("DocumentPro answered 404, and its document no longer lists the result.");
    return verdict;
}

ApiError DocumentProConnector::explainedError(const ApiError &error) const
{
    return explained(error);
}

SignInJob *DocumentProConnector::signIn(SignInMode)
{
    auto *job = new SignInJob(this);
    if (session()->secret(Secret::apiKey).trimmed().isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the DocumentPro API key first.")));
        return job;
    }
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, documentsPath,
                                  { { QStringLiteral("limit"), QStringLiteral("1") } });
    // Authorised here and sent as is, so a sign-in also works after the session was marked
    // signed out (send() would refuse at once).
    if (!session()->authenticator() || !session()->authenticator()->authorize(request)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("The DocumentPro API key contains characters that cannot "
                                      "be sent. Paste it again.")));
        return job;
    }
    session()->sendUnauthenticated(request, job, [this, job](const ApiResult &result) {
        if (job->isFinished()) // aborted meanwhile: the sign-in must not count
            return;
        if (!result.ok()) {
            job->finish(explained(result.error));
            return;
        }
        QString problem;
        if (!parseDocumentList(result, &problem)) {
            job->finish(ApiError::malformed(problem, result.requestId));
            return;
        }
        session()->markSignedIn();
        job->finish();
    });
    return job;
}

SimpleJob *DocumentProConnector::fetchResult(const NodeRef &result)
{
    auto *job = new SimpleJob(this);
    if (result.kind != NodeKind::DocumentProResult || result.id().isEmpty()) {
        job->finish(invalidRef());
        return job;
    }
    send(
        job, "GET", filesPath, { { requestIdParameter, result.id() } },
        [job, asked = result.id()](const ApiResult &answer) {
            const std::optional<QJsonObject> body = resultObjectOrFail(job, answer, asked);
            if (!body)
                return;
            const QJsonObject &object = *body;
            QVariantMap data;
            for (const char *key : { "request_id", "request_status", "created_at", "updated_at" }) {
                const QJsonValue value = object.value(QLatin1String(key));
                if (!value.isUndefined())
                    data.insert(QLatin1String(key), value.toVariant());
            }
            const QJsonObject response = object.value(QStringLiteral("response_body")).toObject();
            for (auto it = response.constBegin(); it != response.constEnd(); ++it) {
                if (it.key() != u"file_presigned_url")
                    data.insert(it.key(), it.value().toVariant());
            }
            job->setData(data);
            job->finish();
        });
    return job;
}

} // namespace Docket
