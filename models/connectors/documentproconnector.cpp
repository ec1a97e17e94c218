#include "documentproconnector.h"

// SKELETON: being implemented.
namespace Docket {

DocumentProConnector::DocumentProConnector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{ }

ListJob *DocumentProConnector::list(const NodeRef &parent, const PageRequest &)
{
    auto *job = new ListJob(parent, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

bool DocumentProConnector::canDelete(NodeKind) const
{
    return false;
}

DeletePlan DocumentProConnector::describeDelete(const RemoteItem &) const
{
    return {};
}

DeleteJob *DocumentProConnector::remove(const RemoteItem &item)
{
    auto *job = new DeleteJob(item, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *DocumentProConnector::signIn()
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

} // namespace Docket
