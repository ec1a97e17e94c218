#include "connector.h"

#include <QTimer>

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

bool ConnectorJob::finishIfFailed(const ApiResult &result)
{
    if (result.ok())
        return false;
    finish(result.error);
    return true;
}

void DeleteJob::finishFromResult(const ApiResult &result)
{
    m_httpStatus = result.status;
    m_requestId = result.requestId;
    if (result.ok()) {
        m_outcome = DeleteOutcome::Deleted;
        finish();
    } else if (result.status == 404) {
        m_outcome = DeleteOutcome::AlreadyGone;
        finish();
    } else {
        finish(result.error);
    }
}

Connector::Connector(AccountSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{ }

int Connector::pageSize(NodeKind) const
{
    return 100;
}

namespace {

// The parent of `ref` (the account for the top level), or nullopt when `ref` has no parent.
std::optional<NodeRef> parentOf(ServiceKind service, const NodeRef &ref)
{
    const QList<NodeKind> kinds = nodeKindsByDepth(service);
    const qsizetype depth = ref.ids.size();
    if (depth < 1 || depth > kinds.size() || kinds.at(depth - 1) != ref.kind)
        return std::nullopt;
    return NodeRef { depth == 1 ? NodeKind::Account : kinds.at(depth - 2),
                     ref.ids.mid(0, depth - 1) };
}

} // namespace

ItemJob *Connector::lookup(const NodeRef &ref)
{
    auto *job = new ItemJob(ref, this);
    const std::optional<NodeRef> parent = parentOf(service(), ref);
    if (!parent || ref.id().isEmpty()) {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("%1 holds nothing at this path.").arg(serviceDisplayName(service()))));
        return job;
    }
    lookupInPage(job, *parent, {}, 0);
    return job;
}

void Connector::lookupInPage(ItemJob *job, const NodeRef &parent, const QVariant &cursor,
                             int pagesRead)
{
    ListJob *page = list(parent, { cursor, pageSize(parent.kind) });
    // Aborting the lookup drops the page's answer.
    connect(job, &QObject::destroyed, page, &ConnectorJob::abort);
    connect(page, &ConnectorJob::finished, job,
            [this, job, parent, cursor, pagesRead](ConnectorJob *finished) {
                auto *listed = static_cast<ListJob *>(finished);
                if (job->isFinished())
                    return;
                if (listed->failed()) {
                    job->finish(listed->error());
                    return;
                }
                const ListPage &page = listed->page();
                const QString id = job->ref().id();
                for (const RemoteItem &item : page.items) {
                    if (item.ref.kind == job->ref().kind && item.ref.id() == id) {
                        job->setItem(item);
                        job->finish();
                        return;
                    }
                }
                for (int row = 0; row < page.rows.size(); ++row) {
                    if (page.rows.kind(row) == job->ref().kind && page.rows.id(row) == id) {
                        job->setItem(page.rows.item(row, parent));
                        job->finish();
                        return;
                    }
                }
                if (!page.hasMore()) {
                    job->finish(); // the whole listing read: not found
                    return;
                }
                // Not read to its end, so not known to be missing: an error, not "not found".
                // (A cursor that points back where it started would loop for ever.)
                if (page.nextCursor == cursor || pagesRead + 1 >= maxLookupPages) {
                    job->finish(ApiError::make(
                        ApiError::Kind::InvalidInput,
                        tr("It is not in the part of its parent's listing that was read, and "
                           "the rest is too long to read for it.")));
                    return;
                }
                lookupInPage(job, parent, page.nextCursor, pagesRead + 1);
            });
}

ApiError secretsNotRemovedError(const Account &account, const QString &storeError)
{
    return ApiError::make(ApiError::Kind::Credentials,
                          Connector::tr("The secrets of %1 could not all be deleted: %2")
                              .arg(account.label(), storeError));
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
