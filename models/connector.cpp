#include "connector.h"

#include <QTimer>

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

SimpleJob *Connector::signOut()
{
    auto *job = new SimpleJob(this);
    m_session->clearSecrets(job, [job](const QString &error) {
        job->finish(error.isEmpty() ? ApiError()
                                    : ApiError::make(ApiError::Kind::Credentials, error));
    });
    return job;
}

} // namespace Docket
