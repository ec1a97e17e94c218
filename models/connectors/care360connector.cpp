#include "care360connector.h"

// SKELETON: being implemented.
namespace Docket {

Care360Connector::Care360Connector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{ }

ListJob *Care360Connector::list(const NodeRef &parent, const PageRequest &)
{
    auto *job = new ListJob(parent, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

bool Care360Connector::canDelete(NodeKind) const
{
    return false;
}

DeletePlan Care360Connector::describeDelete(const RemoteItem &) const
{
    return {};
}

DeleteJob *Care360Connector::remove(const RemoteItem &item)
{
    auto *job = new DeleteJob(item, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *Care360Connector::signIn()
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *Care360Connector::requestCode()
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *Care360Connector::verifyCode(const QString &)
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *Care360Connector::signOut()
{
    return Connector::signOut();
}

} // namespace Docket
