#include "connector.h"

#include "pagewalker.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace Docket {

void ConnectorJob::abort()
{
    finish(ApiError::make(ApiError::Kind::Cancelled, tr("Cancelled.")));
}

void ConnectorJob::finish(const ApiError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    // Always later, so a caller that connects right after creating the job never misses it.
    QTimer::singleShot(0, this, [this] {
        Q_EMIT finished(this);
        deleteLater();
    });
}

bool matchesSearch(const QString &name, const QString &text)
{
    return text.isEmpty() || name.contains(text, Qt::CaseInsensitive);
}

bool ConnectorJob::finishIfFailed(const ApiResult &result)
{
    if (result.ok())
        return false;
    finish(result.error);
    return true;
}

void DeleteJob::finishWith(const DeleteVerdict &verdict, const ApiResult &result)
{
    m_httpStatus = result.status;
    m_requestId = result.requestId;
    m_outcome = verdict.outcome;
    m_note = verdict.note;
    if (verdict.isGone())
        finish();
    else
        finish(verdict.error.isError()
                   ? verdict.error
                   : ApiError::make(ApiError::Kind::MalformedResponse, tr("No usable answer.")));
}

void DeleteJob::refuse(const ApiError &error)
{
    m_outcome = DeleteOutcome::Failed;
    finish(error);
}

LookupJob::LookupJob(const NodeRef &parent, const QList<NodeRef> &refs, QObject *owner)
    : ConnectorJob(owner)
    , m_parent(parent)
    , m_refs(refs)
    , m_entries(refs.size())
{ }

LookupJob::Answer LookupJob::answer(qsizetype index) const
{
    const Entry &entry = m_entries.at(index);
    return entry.answered ? entry.answer : Answer::Failed;
}

ApiError LookupJob::errorOf(qsizetype index) const
{
    const Entry &entry = m_entries.at(index);
    if (entry.answered)
        return entry.answer == Answer::Failed ? entry.error : ApiError();
    // Ended without an answer for it: aborted, or the whole lookup failed.
    return failed() ? error()
                    : ApiError::make(ApiError::Kind::Cancelled,
                                     tr("The lookup ended before it reached this item."));
}

QList<qsizetype> LookupJob::unanswered() const
{
    QList<qsizetype> indexes;
    for (qsizetype index = 0; index < m_entries.size(); ++index) {
        if (!m_entries.at(index).answered)
            indexes.append(index);
    }
    return indexes;
}

void LookupJob::setAnswer(qsizetype index, Entry entry)
{
    if (isFinished() || m_entries.at(index).answered)
        return;
    entry.answered = true;
    m_entries[index] = std::move(entry);
}

void LookupJob::setFound(qsizetype index, const RemoteItem &item)
{
    setAnswer(index, { true, Answer::Found, item, {} });
}

void LookupJob::setMissing(qsizetype index)
{
    setAnswer(index, { true, Answer::Missing, {}, {} });
}

void LookupJob::setFailed(qsizetype index, const ApiError &error)
{
    setAnswer(index, { true, Answer::Failed, {}, error });
}

void LookupJob::finishIfAnswered()
{
    if (isFinished())
        return;
    for (const Entry &entry : std::as_const(m_entries)) {
        if (!entry.answered)
            return;
    }
    finish(answeredError());
}

void LookupJob::missRest()
{
    for (qsizetype index : unanswered())
        setMissing(index);
    finishIfAnswered();
}

void LookupJob::failRest(const ApiError &error)
{
    for (qsizetype index : unanswered())
        setFailed(index, error);
    finishIfAnswered();
}

Connector::Connector(AccountSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{ }

int Connector::pageSize(NodeKind) const
{
    return 100;
}

std::optional<NodeRef> Connector::parentOf(const NodeRef &ref) const
{
    const QList<NodeKind> kinds = nodeKindsByDepth(service());
    const qsizetype depth = ref.ids.size();
    if (depth < 1 || depth > kinds.size() || kinds.at(depth - 1) != ref.kind)
        return std::nullopt;
    return NodeRef { depth == 1 ? NodeKind::Account : kinds.at(depth - 2),
                     ref.ids.mid(0, depth - 1) };
}

namespace {

ApiError noSuchPlace(ServiceKind service)
{
    return ApiError::make(
        ApiError::Kind::InvalidInput,
        Connector::tr("%1 holds nothing at this path.").arg(serviceDisplayName(service)));
}

} // namespace

ItemJob *Connector::lookup(const NodeRef &ref)
{
    const std::optional<NodeRef> parent = parentOf(ref);
    auto *job = new ItemJob(parent.value_or(NodeRef()), ref, this);
    if (!parent || ref.id().isEmpty()) {
        job->failRest(noSuchPlace(service()));
        return job;
    }
    startLookup(job);
    return job;
}

LookupJob *Connector::lookupAll(const NodeRef &parent, const QList<NodeRef> &refs)
{
    auto *job = new LookupJob(parent, refs, this);
    for (qsizetype index = 0; index < refs.size(); ++index) {
        const NodeRef &ref = refs.at(index);
        if (ref.id().isEmpty() || parentOf(ref) != std::optional<NodeRef>(parent))
            job->setFailed(index, noSuchPlace(service()));
    }
    if (job->unanswered().isEmpty())
        job->finishIfAnswered();
    else
        startLookup(job);
    return job;
}

void Connector::startLookup(LookupJob *job)
{
    lookUpInListing(job);
}

void Connector::lookUpAlone(LookupJob *job, qsizetype index)
{
    job->setFailed(index,
                   ApiError::make(ApiError::Kind::InvalidInput,
                                  tr("%1 has no lookup of its own for this kind of item.")
                                      .arg(serviceDisplayName(service()))));
    job->finishIfAnswered();
}

void Connector::lookUpEachAlone(LookupJob *job)
{
    const QList<qsizetype> rest = job->unanswered();
    for (qsizetype index : rest)
        lookUpAlone(job, index);
}

void Connector::lookUpInListing(LookupJob *job)
{
    const QList<qsizetype> wanted = job->unanswered();
    if (wanted.isEmpty()) {
        job->finishIfAnswered();
        return;
    }
    const NodeRef parent = job->parentRef();
    // Children of one parent are all of one kind (nodeKindsByDepth()).
    const NodeKind kind = job->refs().at(wanted.first()).kind;
    const bool alone = canLookUpAlone(kind);
    if (alone && wanted.size() == 1) {
        lookUpAlone(job, wanted.first());
        return;
    }
    struct Walk
    {
        QHash<QString, QList<qsizetype>> byId; // the refs still sought (one id may be named twice)
        qint64 rowsRead = 0;
        bool restAlone = false; // stopped because the rest cost fewer requests alone
    };
    auto walk = std::make_shared<Walk>();
    for (qsizetype index : wanted)
        walk->byId[job->refs().at(index).id()].append(index);
    // The walk belongs to the job: aborting the lookup drops the page's answer.
    PageWalker::walk(
        this, parent, { {}, pageSize(parent.kind) }, maxLookupPages, job,
        [job, parent, kind, alone, walk](const ListPage &page) {
            if (job->isFinished())
                return PageWalker::Next::Stop;
            const auto take = [&](NodeKind rowKind, const QString &id, const auto &itemOfRow) {
                if (rowKind != kind)
                    return;
                const auto sought = walk->byId.constFind(id);
                if (sought == walk->byId.constEnd())
                    return;
                const RemoteItem item = itemOfRow();
                for (qsizetype index : *sought)
                    job->setFound(index, item);
                walk->byId.erase(sought);
            };
            for (const RemoteItem &item : page.items)
                take(item.ref.kind, item.ref.id(), [&item] { return item; });
            for (int row = 0; row < page.rows.size(); ++row)
                take(page.rows.kind(row), page.rows.id(row),
                     [&page, row, &parent] { return page.rows.item(row, parent); });
            if (walk->byId.isEmpty())
                return PageWalker::Next::Stop;
            const qint64 shown = page.items.size() + page.rows.size();
            walk->rowsRead += shown;
            if (alone && page.hasMore() && page.total >= 0 && shown > 0) {
                // The pages still to read at most, against one request per ref still sought.
                const qint64 rowsLeft = qMax<qint64>(0, page.total - walk->rowsRead);
                const qint64 pagesLeft = (rowsLeft + shown - 1) / shown;
                if (job->unanswered().size() < pagesLeft) {
                    walk->restAlone = true;
                    return PageWalker::Next::Stop;
                }
            }
            return PageWalker::Next::Continue;
        },
        [this, job, alone, walk](PageWalker::End end, const ApiError &error) {
            if (job->isFinished())
                return;
            switch (end) {
            case PageWalker::End::Complete: // the whole listing read: what it lacks is missing
                job->missRest();
                return;
            case PageWalker::End::Stopped:
                if (walk->restAlone)
                    lookUpEachAlone(job);
                else
                    job->finishIfAnswered();
                return;
            case PageWalker::End::Failed: // a page failed, or the cursor repeated
                job->failRest(error);
                return;
            case PageWalker::End::PageLimit:
                if (alone) {
                    lookUpEachAlone(job);
                    return;
                }
                // Not read to its end, so not known to be missing: an error, not "not found".
                job->failRest(ApiError::make(
                    ApiError::Kind::InvalidInput,
                    tr("It is not in the part of its parent's listing that was read, and the rest "
                       "is too long to read for it.")));
                return;
            }
        });
}

namespace {

bool isHtml(const ApiResult &result)
{
    if (result.body.trimmed().isEmpty())
        return false;
    const QByteArray type = result.headers.value("content-type").trimmed().toLower();
    return type.startsWith("text/html") || type.startsWith("application/xhtml")
        || result.body.trimmed().startsWith('<');
}

ApiError withMessage(ApiError error, const QString &userMessage)
{
    error.userMessage = userMessage;
    return error;
}

} // namespace

DeleteVerdict Connector::judgeDeleteAnswer(const RemoteItem &item, const ApiResult &result) const
{
    const QString service = serviceDisplayName(this->service());
    const ApiError error = explainedError(result.error);
    DeleteVerdict verdict;
    switch (error.kind) {
    case ApiError::Kind::None: {
        const QString problem = isHtml(result)
            ? tr("a web page came back instead of the service's answer")
            : deleteAnswerProblem(item, result);
        if (problem.isEmpty()) {
            verdict.outcome = DeleteOutcome::Deleted;
            return verdict;
        }
        // Something answered 2xx, but not as the service documents its delete: it may be a
        // proxy's page, or the service describing something else. Sent, so perhaps done.
        verdict.outcome = DeleteOutcome::Unknown;
        verdict.error = ApiError::malformed(problem, result.requestId);
        verdict.error.httpStatus = result.status;
        verdict.error.userMessage
            = tr("%1 answered HTTP %2, but not as it documents a delete (%3): whether it was "
                 "deleted is not known.")
                  .arg(service)
                  .arg(result.status)
                  .arg(problem);
        return verdict;
    }
    case ApiError::Kind::Redirected:
        if (error.httpStatus == 303) {
            // "See other" is how a service may answer a change it made: done, perhaps, but not
            // proven by anything Docket reads (it does not follow redirects for changes).
            verdict.outcome = DeleteOutcome::Unknown;
            verdict.error = withMessage(
                error,
                tr("The service answered the delete with “see other” (HTTP 303), pointing to "
                   "%1, instead of its documented answer: it may or may not have been deleted. "
                   "Refresh to see.")
                    .arg(error.redirectTarget));
            return verdict;
        }
        verdict.outcome = DeleteOutcome::Failed;
        verdict.error = withMessage(
            error,
            tr("The service redirected the delete to %1 (HTTP %2); nothing is known to be "
               "deleted. A sign-in page or a proxy may stand in front of %3: check the "
               "account's base URL.")
                .arg(error.redirectTarget)
                .arg(error.httpStatus)
                .arg(service));
        return verdict;
    case ApiError::Kind::Http:
        break; // below
    case ApiError::Kind::Timeout:
    case ApiError::Kind::Connection:
    case ApiError::Kind::MalformedResponse:
    case ApiError::Kind::Cancelled:
        verdict.outcome = error.mayHaveArrived ? DeleteOutcome::Unknown : DeleteOutcome::Failed;
        verdict.error = error;
        return verdict;
    case ApiError::Kind::SignedOut:
    case ApiError::Kind::InvalidInput:
    case ApiError::Kind::Credentials:
        verdict.outcome = DeleteOutcome::Failed; // refused before it was sent
        verdict.error = error;
        return verdict;
    }

    const int status = error.httpStatus;
    if (isNotFoundAnswer(result)) {
        verdict.outcome = DeleteOutcome::AlreadyGone;
        verdict.note = tr("%1 answered HTTP %2: it holds no such item.").arg(service).arg(status);
        return verdict;
    }
    verdict.error = error;
    // The connector's own reading of the error (Care360's unknown tenant key) says more than any
    // guess here.
    const bool explained = error.userMessage != result.error.userMessage;
    if (status == 404) {
        verdict.outcome = DeleteOutcome::Failed;
        if (!explained)
            verdict.error.userMessage
                = tr("The address answered 404, but not as %1 does: check the account's base "
                     "URL. Nothing is known to be deleted.")
                      .arg(service);
    } else if (status == 403 && isServiceErrorAnswer(result)) {
        verdict.outcome = DeleteOutcome::NotPermitted;
        verdict.error.userMessage = tr("%1 does not allow this account to delete it.").arg(service)
            + (error.serviceMessage.isEmpty()
                   ? QString()
                   : u' ' + tr("It said: “%1”").arg(error.serviceMessage));
    } else if (status >= 500 || status == 408) {
        // It may have been handled before the failure: only a refusal says nothing happened.
        verdict.outcome = DeleteOutcome::Unknown;
    } else {
        verdict.outcome = DeleteOutcome::Failed;
        if (!explained && status != 429 && !isServiceErrorAnswer(result))
            verdict.error.userMessage
                = tr("The address answered HTTP %1, but not as %2 does (a proxy or gateway may "
                     "have answered): check the account's base URL. Nothing is known to be "
                     "deleted.")
                      .arg(status)
                      .arg(service);
    }
    return verdict;
}

void Connector::sendDelete(DeleteJob *job, const ApiRequest &request)
{
    session()->send(request, job, [this, job](const ApiResult &result) {
        if (job->isFinished())
            return;
        finishDelete(job, judgeDeleteAnswer(job->item(), result), result);
    });
}

bool Connector::isServiceErrorAnswer(const ApiResult &result) const
{
    if (isHtml(result))
        return false;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(result.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return false;
    const ServiceErrorBody parsed = parseServiceErrorBody(result.body);
    return !parsed.code.isEmpty() || !parsed.message.isEmpty();
}

void Connector::finishDelete(DeleteJob *job, const DeleteVerdict &verdict, const ApiResult &result)
{
    job->finishWith(verdict, result);
}

ApiError secretsNotRemovedError(const Account &account, const QString &storeError)
{
    return ApiError::make(ApiError::Kind::Credentials,
                          Connector::tr("The secrets of %1 could not all be deleted: %2")
                              .arg(account.label(), storeError));
}

void SignInJob::askForCode(const QString &destination,
                           std::function<void(const QString &code)> verify)
{
    m_verify = std::move(verify);
    Q_EMIT codeRequested(destination);
}

void SignInJob::rejectCode(const ApiError &error)
{
    m_rejection = error;
    Q_EMIT codeRejected(error.userMessage);
}

void SignInJob::provideCode(const QString &code)
{
    if (isWaitingForCode())
        m_verify(code);
}

SimpleJob *Connector::signOut()
{
    auto *job = new SimpleJob(this);
    m_session->clearSecrets(job, [this, job](const QString &error) {
        job->finish(error.isEmpty() ? ApiError() : secretsNotRemovedError(account(), error));
    });
    return job;
}

} // namespace Docket
