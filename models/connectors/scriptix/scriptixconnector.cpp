#include "scriptixconnector.h"

#include "connectors/connectorsupport.h"
#include "scriptixitems.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

#include <cmath>

namespace Docket {

using namespace ScriptixItems;

namespace {

const QString speechToText = QStringLiteral("speech-to-text");
const QString sessionSegment = QStringLiteral("session");
const QString documentSegment = QStringLiteral("document");
const QString commentsSegment = QStringLiteral("comments");

class ScriptixAuthenticator final : public Authenticator
{
public:
    using Authenticator::Authenticator;

    bool authorize(ApiRequest &request) override
    {
        const QByteArray token = session()->secret(Secret::token).trimmed().toUtf8();
        if (token.isEmpty() || !isHeaderSafe(token))
            return false;
        // Newer vendor pages use Bearer, older ones the vendor's own header: a per-account choice.
        if (session()->account().setting(QStringLiteral("header"))
            == QLatin1String("x-zoom-s2t-key"))
            request.headers.append({ QByteArrayLiteral("x-zoom-s2t-key"), token });
        else
            request.headers.append({ QByteArrayLiteral("Authorization"), "Bearer " + token });
        return true;
    }
    // No renewal: Scriptix tokens live for years and a 401 means the token itself is bad.
};

// An id that cannot stand as one path segment: empty (it would name the parent collection), or
// "." / ".." (URL normalisation would turn them into a step up the path, to another endpoint).
bool usableId(const QString &id)
{
    return !id.isEmpty() && id != u"." && id != u"..";
}

bool usableRef(const NodeRef &ref, NodeKind kind, int depth)
{
    if (ref.kind != kind || ref.ids.size() != depth)
        return false;
    for (const QString &id : ref.ids) {
        if (!usableId(id))
            return false;
    }
    return true;
}

ApiError invalidRef()
{
    return ApiError::make(ApiError::Kind::InvalidInput,
                          ScriptixConnector::tr("This item has no usable Scriptix id, so Docket "
                                                "cannot address it."));
}

// Every 401 from Scriptix means the token: say so, rather than the generic sign-in sentence.
ApiError explained(ApiError error)
{
    if (error.kind == ApiError::Kind::Http && error.httpStatus == 401) {
        error.userMessage = ScriptixConnector::tr(
            "Scriptix did not accept the API token: it may be mistyped, expired or revoked. "
            "Enter a valid token and sign in again.");
    }
    return error;
}

// The documented list envelope {"count", "total_results", "result": [...]}, or (where allowed) a
// bare array, which then holds everything and has no further pages.
struct Envelope
{
    QJsonArray items;
    int total = -1;
    bool bare = false;
};

std::optional<Envelope> parseEnvelope(const ApiResult &result, bool allowBareArray,
                                      QString *problem)
{
    const QJsonDocument document = parseBody(result, problem);
    if (!problem->isEmpty())
        return std::nullopt;
    Envelope envelope;
    if (document.isArray() && allowBareArray) {
        envelope.items = document.array();
        envelope.total = int(envelope.items.size());
        envelope.bare = true;
        return envelope;
    }
    const QJsonValue items = document.object().value(QStringLiteral("result"));
    if (!document.isObject() || !items.isArray()) {
        *problem = QStringLiteral("expected a list envelope with a \"result\" array");
        return std::nullopt;
    }
    envelope.items = items.toArray();
    envelope.total = intValue(document.object().value(QStringLiteral("total_results")));
    return envelope;
}

qint64 offsetFromCursor(const QVariant &cursor, bool *ok)
{
    if (!cursor.isValid() || cursor.isNull()) {
        *ok = true;
        return 0;
    }
    const qint64 offset = cursor.toLongLong(ok);
    *ok = *ok && offset >= 0;
    return offset;
}

// The next page starts after this one, unless the page was empty or reached the total. Without a
// total, a full page suggests there may be more.
QVariant nextOffset(qint64 offset, const Envelope &envelope, int limit)
{
    const qint64 next = offset + envelope.items.size();
    if (envelope.bare || envelope.items.isEmpty())
        return {};
    const bool more = envelope.total >= 0 ? next < envelope.total : envelope.items.size() >= limit;
    return more ? QVariant(next) : QVariant();
}

// Comments are quoted in sentences: keep them short and on one line.
QString quoted(const QString &text)
{
    QString line = text.simplified();
    if (line.size() > 60)
        line = line.left(57) + QStringLiteral("...");
    return line;
}

} // namespace

ScriptixConnector::ScriptixConnector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{
    session->setAuthenticator(std::make_unique<ScriptixAuthenticator>(session));
}

int ScriptixConnector::pageSize(NodeKind) const
{
    return maxPageSize;
}

void ScriptixConnector::get(ConnectorJob *job, const QStringList &segments,
                            const QList<QPair<QString, QString>> &query,
                            std::function<void(const ApiResult &)> done)
{
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, segments, query);
    session()->send(request, job, [job, done = std::move(done)](const ApiResult &result) {
        if (job->isFinished())
            return;
        if (!result.ok()) {
            job->finish(explained(result.error));
            return;
        }
        done(result);
    });
}

ListJob *ScriptixConnector::list(const NodeRef &parent, const PageRequest &page)
{
    auto *job = new ListJob(parent, this);
    switch (parent.kind) {
    case NodeKind::Account:
        listSessions(job, page);
        break;
    case NodeKind::ScriptixSession:
        listDocuments(job);
        break;
    case NodeKind::ScriptixDocument:
        listComments(job, page);
        break;
    default:
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Scriptix holds nothing under this kind of item.")));
        break;
    }
    return job;
}

void ScriptixConnector::startLookup(LookupJob *job)
{
    // An id that cannot stand in a path is refused, as its GET or DELETE would be.
    const QList<NodeRef> &refs = job->refs();
    for (qsizetype index = 0; index < refs.size(); ++index) {
        if (!usableRef(refs.at(index), refs.at(index).kind, int(refs.at(index).ids.size())))
            job->setFailed(index, invalidRef());
    }
    lookUpInListing(job);
}

void ScriptixConnector::lookUpAlone(LookupJob *job, qsizetype index)
{
    const NodeRef ref = job->refs().at(index);
    if (!usableRef(ref, NodeKind::ScriptixSession, 1)) {
        job->setFailed(index, invalidRef());
        job->finishIfAnswered();
        return;
    }
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, { speechToText, sessionSegment, ref.id() });
    session()->send(request, job, [this, job, index, ref](const ApiResult &result) {
        if (job->isFinished())
            return;
        if (result.status == 404 && isNotFoundAnswer(result)) {
            // Not found, in Scriptix's own words: deleted, or never there, once Scriptix's own
            // session list answers too.
            checkRouted(ref.ids, job, [this, job, index](const ApiError &error) {
                if (error.isError())
                    job->setFailed(index, notRoutedError(error));
                else
                    job->setMissing(index);
                job->finishIfAnswered();
            });
            return;
        }
        if (result.status == 404) {
            ApiError error = result.error;
            error.userMessage = tr("The address answered 404, but not as Scriptix does: check "
                                   "the account's base URL.");
            job->setFailed(index, error);
            job->finishIfAnswered();
            return;
        }
        if (!result.ok()) {
            job->setFailed(index, explained(result.error));
            job->finishIfAnswered();
            return;
        }
        QString problem;
        const QJsonDocument document = parseBody(result, &problem);
        if (problem.isEmpty() && !document.isObject())
            problem = QStringLiteral("expected a session object");
        RemoteItem item = problem.isEmpty() ? sessionItem(document.object()) : RemoteItem();
        // An answer about another session would name one session while the delete hits the one
        // asked for (a session without an id is the one asked for).
        if (problem.isEmpty() && !item.ref.id().isEmpty() && item.ref.id() != ref.id())
            problem = QStringLiteral("the answer describes another session");
        if (!problem.isEmpty()) {
            job->setFailed(index, ApiError::malformed(problem, result.requestId));
            job->finishIfAnswered();
            return;
        }
        item.ref = ref;
        if (item.name.isEmpty())
            item.name = item.ref.id();
        job->setFound(index, item);
        job->finishIfAnswered();
    });
}

bool ScriptixConnector::canSearch(NodeKind parentKind) const
{
    // [doc] q, sort and direction are documented for the paginated lists; Docket uses them on the
    // session list, the one list it knows in full (a session's documents come from its GET).
    return parentKind == NodeKind::Account;
}

QList<ListSortField> ScriptixConnector::sortFields(NodeKind parentKind) const
{
    if (parentKind != NodeKind::Account)
        return {};
    return { { QStringLiteral("name"), tr("Name") },
             { QStringLiteral("created"), tr("Created") },
             { QStringLiteral("duration"), tr("Duration") },
             { QStringLiteral("status"), tr("Status") } };
}

QString ScriptixConnector::sortParameter(const QString &field)
{
    // [gap] The values of "sort" are not listed: the session's own field names, as the sandbox
    // takes them.
    if (field == u"name")
        return QStringLiteral("filename");
    if (field == u"created")
        return QStringLiteral("created_at");
    if (field == u"duration" || field == u"status")
        return field;
    return {};
}

void ScriptixConnector::listSessions(ListJob *job, const PageRequest &page)
{
    QList<QPair<QString, QString>> query;
    if (page.isSearch())
        query.append({ QStringLiteral("q"), page.search });
    if (!page.sort.isEmpty()) {
        const QString sort = sortParameter(page.sort);
        if (sort.isEmpty()) {
            job->finish(
                ApiError::make(ApiError::Kind::InvalidInput,
                               tr("Scriptix cannot sort sessions by \"%1\".").arg(page.sort)));
            return;
        }
        // [gap] The default direction is not documented: always say which.
        query.append({ QStringLiteral("sort"), sort });
        query.append({ QStringLiteral("direction"),
                       page.descending ? QStringLiteral("desc") : QStringLiteral("asc") });
    }
    listOffsetPage(job, page, { speechToText, sessionSegment }, false, sessionItem, query);
}

// The sessions' and the comments' lists page alike: an offset cursor, and the {"result": [...],
// "total_results": n} envelope (or, where allowBareArray, a bare array of all of them).
void ScriptixConnector::listOffsetPage(ListJob *job, const PageRequest &page,
                                       const QStringList &segments, bool allowBareArray,
                                       std::function<RemoteItem(const QJsonObject &)> itemFrom,
                                       const QList<QPair<QString, QString>> &narrowing)
{
    bool ok = false;
    const qint64 offset = offsetFromCursor(page.cursor, &ok);
    if (!ok) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("The page position is not a valid Scriptix offset.")));
        return;
    }
    const int limit = qBound(1, page.limit, maxPageSize);
    QList<QPair<QString, QString>> query { { QStringLiteral("offset"), QString::number(offset) },
                                           { QStringLiteral("limit"), QString::number(limit) } };
    query.append(narrowing);
    get(job, segments, query,
        [job, offset, limit, allowBareArray, search = page.search,
         itemFrom = std::move(itemFrom)](const ApiResult &result) {
            QString problem;
            const std::optional<Envelope> envelope
                = parseEnvelope(result, allowBareArray, &problem);
            if (!envelope) {
                job->finish(ApiError::malformed(problem, result.requestId));
                return;
            }
            ListPage listPage;
            for (const QJsonValue &value : envelope->items) {
                if (!value.isObject())
                    continue;
                RemoteItem item = itemFrom(value.toObject());
                // [gap] What q matches is not documented: keep only rows whose name holds it.
                // The offset still counts every row the server sent, so paging stays aligned.
                if (matchesSearch(item.name, search))
                    listPage.items.append(std::move(item));
            }
            // Only a bare array (never for sessions) has no total but its own length.
            listPage.total = envelope->bare ? int(listPage.items.size()) : envelope->total;
            listPage.nextCursor = nextOffset(offset, *envelope, limit);
            job->setPage(listPage);
            job->finish();
        });
}

void ScriptixConnector::listDocuments(ListJob *job)
{
    // No document list is documented: the session itself names its documents.
    const NodeRef parent = job->parentRef();
    if (!usableRef(parent, NodeKind::ScriptixSession, 1)) {
        job->finish(invalidRef());
        return;
    }
    get(job, { speechToText, sessionSegment, parent.id() }, {},
        [job, parent](const ApiResult &result) {
            QString problem;
            const QJsonDocument document = parseBody(result, &problem);
            const QJsonObject session = document.object();
            if (problem.isEmpty() && !document.isObject())
                problem = QStringLiteral("expected a session object");
            const QJsonValue documents = session.value(QStringLiteral("documents"));
            const QJsonValue single = session.value(QStringLiteral("document"));
            if (problem.isEmpty() && !documents.isArray() && !single.isObject() && !single.isNull()
                && !session.contains(QStringLiteral("session_id"))
                && !session.contains(QStringLiteral("id"))) {
                problem = QStringLiteral("expected a session with its documents");
            }
            if (!problem.isEmpty()) {
                job->finish(ApiError::malformed(problem, result.requestId));
                return;
            }
            ListPage page;
            // [gap] Prefer the full "documents" list; the vendor documents only the single
            // "document" (null or absent when the session has none).
            if (documents.isArray()) {
                for (const QJsonValue &value : documents.toArray()) {
                    if (value.isObject() || value.isString())
                        page.items.append(documentItem(parent, value));
                }
            } else if (single.isObject() || single.isString()) {
                page.items.append(documentItem(parent, single));
            }
            // Only the full list says how many there are: the documented single "document" does
            // not say there is no other (as sessionItem() leaves its count unknown).
            page.total = documents.isArray() ? int(page.items.size()) : -1;
            job->setPage(page);
            job->finish();
        });
}

void ScriptixConnector::listComments(ListJob *job, const PageRequest &page)
{
    const NodeRef parent = job->parentRef();
    if (!usableRef(parent, NodeKind::ScriptixDocument, 2)) {
        job->finish(invalidRef());
        return;
    }
    // [gap] Only the comment DELETE is documented: accept the paginated envelope the other lists
    // use, or a bare array of every comment.
    listOffsetPage(job, page,
                   { speechToText, sessionSegment, parent.ids.at(0), documentSegment,
                     parent.ids.at(1), commentsSegment },
                   true,
                   [parent](const QJsonObject &object) { return commentItem(parent, object); });
}

bool ScriptixConnector::canDelete(NodeKind kind) const
{
    return kind == NodeKind::ScriptixSession || kind == NodeKind::ScriptixDocument
        || kind == NodeKind::ScriptixComment;
}

DeletePlan ScriptixConnector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.permanence = DeletePlan::Permanence::Permanent;
    switch (item.ref.kind) {
    case NodeKind::ScriptixSession: {
        // The count the listing gave (rows in the tree carry no details), else the list in the
        // details of an item straight from the connector.
        int count = item.childCount;
        const QVariant documents = item.details.value(QStringLiteral("documents"));
        if (count < 0 && documents.typeId() == QMetaType::QVariantList)
            count = int(documents.toList().size());
        if (count >= 0) {
            plan.cascadeCounts.insert(QStringLiteral("documents"), count);
            if (count == 0) {
                plan.explanation = tr("Permanently deletes the session “%1”. This cannot be "
                                      "undone.")
                                       .arg(item.name);
            } else if (count == 1) {
                plan.cascade = tr("the session and its document");
                plan.explanation = tr("Permanently deletes the session “%1” and its document, "
                                      "with the document's comments. This cannot be undone.")
                                       .arg(item.name);
            } else {
                plan.cascade = tr("the session and its %1 documents").arg(count);
                plan.explanation = tr("Permanently deletes the session “%1” and its %2 documents, "
                                      "with their comments. This cannot be undone.")
                                       .arg(item.name)
                                       .arg(count);
            }
        } else {
            plan.cascade = tr("the session and all its documents");
            plan.explanation = tr("Permanently deletes the session “%1” and all its documents, "
                                  "with their comments. This cannot be undone.")
                                   .arg(item.name);
        }
        break;
    }
    case NodeKind::ScriptixDocument:
        plan.cascade = tr("the document and all its comments");
        plan.explanation = tr("Permanently deletes the document “%1” and all its comments. This "
                              "cannot be undone.")
                               .arg(item.name);
        break;
    case NodeKind::ScriptixComment:
        plan.explanation = tr("Permanently deletes the comment “%1”. This cannot be undone.")
                               .arg(quoted(item.name));
        break;
    default:
        plan.explanation = tr("Scriptix cannot delete this kind of item.");
        break;
    }
    return plan;
}

DeleteJob *ScriptixConnector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    const NodeRef &ref = item.ref;
    QStringList segments;
    if (usableRef(ref, NodeKind::ScriptixSession, 1)) {
        segments = { speechToText, sessionSegment, ref.ids.at(0) };
    } else if (usableRef(ref, NodeKind::ScriptixDocument, 2)) {
        segments = { speechToText, sessionSegment, ref.ids.at(0), documentSegment, ref.ids.at(1) };
    } else if (usableRef(ref, NodeKind::ScriptixComment, 3)) {
        segments = { speechToText,  sessionSegment,  ref.ids.at(0), documentSegment,
                     ref.ids.at(1), commentsSegment, ref.ids.at(2) };
    } else {
        job->refuse(canDelete(ref.kind)
                        ? invalidRef()
                        : ApiError::make(ApiError::Kind::InvalidInput,
                                         tr("Scriptix cannot delete this kind of item.")));
        return job;
    }
    ApiRequest request;
    request.method = "DELETE";
    request.url = urlWithSegments(account().baseUrl, segments);
    request.requestId = requestId;
    sendDelete(job, request);
    return job;
}

QString ScriptixConnector::deleteAnswerProblem(const RemoteItem &, const ApiResult &result) const
{
    // [doc] 204, or 200 with a body the docs do not describe: nothing, or JSON that reports no
    // error.
    if (result.body.trimmed().isEmpty())
        return {};
    QString problem;
    const QJsonDocument document = parseBody(result, &problem);
    if (!problem.isEmpty())
        return tr("its body is not JSON");
    if (!document.isObject())
        return tr("its body is not a JSON object");
    const QJsonObject answer = document.object();
    if (answer.contains(QStringLiteral("error")) || answer.contains(QStringLiteral("errors"))
        || answer.value(QStringLiteral("success")) == QJsonValue(false))
        return tr("it reports an error");
    return {};
}

bool ScriptixConnector::isNotFoundAnswer(const ApiResult &result) const
{
    // [doc] 404 in Scriptix's error shape ({"error": text or {code, message}}), the vendor's
    // advice being to treat it as already deleted. Older pages answer a repeated delete with
    // 400 "already marked as removed".
    if (!isServiceErrorAnswer(result))
        return false;
    if (result.status == 404)
        return QJsonDocument::fromJson(result.body).object().contains(QStringLiteral("error"));
    // (The phrase itself: "is not already marked as removed" is no such answer.)
    static const QRegularExpression alreadyRemoved(
        QStringLiteral("(?<!not )\\balready marked as removed\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return result.status == 400 && alreadyRemoved.match(result.error.serviceMessage).hasMatch();
}

void ScriptixConnector::finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                                     const ApiResult &result)
{
    if (verdict.outcome != DeleteOutcome::AlreadyGone) {
        Connector::finishDelete(job, verdict, result);
        return;
    }
    checkRouted(job->item().ref.ids, job, [this, job, verdict, result](const ApiError &error) {
        if (job->isFinished())
            return;
        DeleteVerdict proven = verdict;
        if (error.isError()) {
            proven.outcome = DeleteOutcome::Failed;
            proven.note.clear();
            proven.error = notRoutedError(error);
        }
        Connector::finishDelete(job, proven, result);
    });
}

void ScriptixConnector::checkRouted(const QStringList &ids, QObject *context,
                                    std::function<void(const ApiError &)> done)
{
    // Scriptix answers an address it does not serve (a base URL without /api/v3) with the same
    // 404 as a missing session. What holds the item (the session list for a session, the
    // session for a document, the document for a comment), read and answered as documented,
    // shows that the 404 came from Scriptix's own routes. A holder that is gone too is checked
    // the same way, one level up.
    const qsizetype depth = ids.size() - 1;
    QStringList segments { speechToText, sessionSegment };
    QList<QPair<QString, QString>> query;
    if (depth >= 1)
        segments << ids.at(0);
    if (depth >= 2)
        segments << documentSegment << ids.at(1);
    if (depth <= 0)
        query = { { QStringLiteral("offset"), QStringLiteral("0") },
                  { QStringLiteral("limit"), QStringLiteral("1") } };
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, segments, query);
    QPointer<QObject> guard(context);
    session()->send(request, context, [this, ids, depth, guard, done](const ApiResult &answer) {
        if (depth > 0 && answer.status == 404 && isNotFoundAnswer(answer)) {
            if (guard)
                checkRouted(ids.mid(0, depth), guard, done);
            return;
        }
        if (!answer.ok()) {
            done(explained(answer.error));
            return;
        }
        QString problem;
        if (depth <= 0) {
            parseEnvelope(answer, true, &problem);
        } else if (!parseBody(answer, &problem).isObject() && problem.isEmpty()) {
            problem = QStringLiteral("expected a JSON object");
        }
        done(problem.isEmpty() ? ApiError() : ApiError::malformed(problem, answer.requestId));
    });
}

ApiError ScriptixConnector::notRoutedError(const ApiError &why) const
{
    ApiError error = why;
    error.userMessage = tr("Scriptix answered 404 in its own words, but a documented read of "
                           "what holds the item failed (%1): check the account's base URL. "
                           "Nothing is known to be deleted.")
                            .arg(why.sentence());
    return error;
}

ApiError ScriptixConnector::explainedError(const ApiError &error) const
{
    return explained(error);
}

SignInJob *ScriptixConnector::signIn(SignInMode)
{
    auto *job = new SignInJob(this);
    if (session()->secret(Secret::token).trimmed().isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Scriptix API token first.")));
        return job;
    }
    ApiRequest request;
    request.url = urlWithSegments(account().baseUrl, { speechToText, sessionSegment },
                                  { { QStringLiteral("limit"), QStringLiteral("1") } });
    // Authorised here and sent as is, so a sign-in also works after the session was marked
    // signed out (send() would refuse at once).
    if (!session()->authenticator() || !session()->authenticator()->authorize(request)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("The Scriptix API token contains characters that cannot "
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
        const std::optional<Envelope> envelope = parseEnvelope(result, false, &problem);
        if (!envelope) {
            job->finish(ApiError::malformed(problem, result.requestId));
            return;
        }
        job->setData({ { QStringLiteral("sessions"), envelope->total } });
        session()->markSignedIn();
        job->finish();
    });
    return job;
}

SimpleJob *ScriptixConnector::fetchDocument(const NodeRef &document)
{
    auto *job = new SimpleJob(this);
    if (!usableRef(document, NodeKind::ScriptixDocument, 2)) {
        job->finish(invalidRef());
        return job;
    }
    get(job,
        { speechToText, sessionSegment, document.ids.at(0), documentSegment, document.ids.at(1) },
        {}, [job](const ApiResult &result) {
            QString problem;
            const QJsonDocument body = parseBody(result, &problem);
            // Documented: {"result": {..., "document": [segments]}}; tolerate the object bare.
            QJsonObject object = body.object().value(QStringLiteral("result")).toObject();
            if (object.isEmpty() && body.object().value(QStringLiteral("document")).isArray())
                object = body.object();
            if (problem.isEmpty() && object.isEmpty())
                problem = QStringLiteral("expected {\"result\": {...}} with the transcript");
            if (!problem.isEmpty()) {
                job->finish(ApiError::malformed(problem, result.requestId));
                return;
            }
            QVariantList segments;
            for (const QJsonValue &value : object.value(QStringLiteral("document")).toArray()) {
                const QJsonObject segment = value.toObject();
                segments.append(QVariantMap {
                    { QStringLiteral("start"), segment.value(QStringLiteral("start")).toDouble() },
                    { QStringLiteral("stop"), segment.value(QStringLiteral("stop")).toDouble() },
                    { QStringLiteral("speaker"), stringField(segment, QStringLiteral("speaker")) },
                    { QStringLiteral("text"), stringField(segment, QStringLiteral("text")) } });
            }
            QVariantMap data { { QStringLiteral("segments"), segments } };
            insertPresentFields(&data, object,
                                { "id", "filename", "type", "created", "last_modified" });
            job->setData(data);
            job->finish();
        });
    return job;
}

} // namespace Docket
