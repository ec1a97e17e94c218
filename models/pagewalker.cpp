#include "pagewalker.h"

#include "connector.h"
#include "logging.h"

#include <QCoreApplication>
#include <QTimer>

namespace Docket {

CursorTrail::Verdict CursorTrail::follow(const QVariant &cursor)
{
    if (m_seen.contains(cursor))
        return Verdict::Looped;
    if (m_maxPages > 0 && m_seen.size() >= m_maxPages)
        return Verdict::PageLimit;
    m_seen.append(cursor);
    return Verdict::Go;
}

QString CursorTrail::loopMessage()
{
    return QCoreApplication::translate("Docket::PageWalker",
                                       "the service returned the same page cursor twice; stopped "
                                       "listing to avoid a loop");
}

ApiError CursorTrail::loopError()
{
    return ApiError::make(ApiError::Kind::InvalidInput, loopMessage());
}

PageWalker *PageWalker::walk(Connector *connector, const NodeRef &parent, const PageRequest &first,
                             int maxPages, QObject *owner, Visit visit, Done done)
{
    auto *walker = new PageWalker(connector, parent, first, maxPages, owner, std::move(visit),
                                  std::move(done));
    walker->request(first.cursor);
    return walker;
}

PageWalker::PageWalker(Connector *connector, const NodeRef &parent, const PageRequest &first,
                       int maxPages, QObject *owner, Visit visit, Done done)
    : QObject(owner)
    , m_connector(connector)
    , m_parent(parent)
    , m_request(first)
    , m_trail(maxPages)
    , m_visit(std::move(visit))
    , m_done(std::move(done))
{ }

PageWalker::~PageWalker()
{
    if (m_job)
        m_job->abort(); // its answer would find no one
}

void PageWalker::request(const QVariant &cursor)
{
    switch (m_trail.follow(cursor)) {
    case CursorTrail::Verdict::Go:
        break;
    case CursorTrail::Verdict::Looped:
        qCDebug(lcModel) << "listing stopped: cursor repeated after" << m_pagesRead << "pages";
        end(End::Failed, CursorTrail::loopError());
        return;
    case CursorTrail::Verdict::PageLimit:
        qCDebug(lcModel) << "listing stopped at its limit of" << m_pagesRead << "pages";
        end(End::PageLimit,
            ApiError::make(ApiError::Kind::InvalidInput,
                           tr("Stopped after %1 pages; the listing goes on.").arg(m_pagesRead)));
        return;
    }
    if (!m_connector) {
        end(End::Failed,
            ApiError::make(ApiError::Kind::Cancelled, tr("The account is no longer open.")));
        return;
    }
    PageRequest page = m_request;
    page.cursor = cursor;
    m_job = m_connector->list(m_parent, page);
    connect(m_job, &ConnectorJob::finished, this,
            [this](ConnectorJob *finished) { pageFinished(static_cast<ListJob *>(finished)); });
}

void PageWalker::pageFinished(ListJob *job)
{
    m_job = nullptr;
    if (m_ended)
        return;
    if (job->failed()) {
        end(End::Failed, job->error());
        return;
    }
    ++m_pagesRead;
    const ListPage &page = job->page();
    if (m_visit(page) == Next::Stop) {
        end(End::Stopped);
        return;
    }
    if (!page.hasMore()) {
        end(End::Complete);
        return;
    }
    request(page.nextCursor);
}

void PageWalker::end(End how, const ApiError &error)
{
    if (m_ended)
        return;
    m_ended = true;
    // Always later, as a job answers, so `done` never runs inside walk().
    QTimer::singleShot(0, this, [this, how, error] {
        const Done done = std::move(m_done);
        deleteLater();
        if (done)
            done(how, error);
    });
}

} // namespace Docket
