#include "scriptixconnector.h"

// SKELETON: being implemented.
namespace Docket {

ScriptixConnector::ScriptixConnector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{ }

ListJob *ScriptixConnector::list(const NodeRef &parent, const PageRequest &)
{
    auto *job = new ListJob(parent, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

bool ScriptixConnector::canDelete(NodeKind) const
{
    return false;
}

DeletePlan ScriptixConnector::describeDelete(const RemoteItem &) const
{
    return {};
}

DeleteJob *ScriptixConnector::remove(const RemoteItem &item)
{
    auto *job = new DeleteJob(item, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *ScriptixConnector::signIn()
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

} // namespace Docket
