#include "invoxconnector.h"

#include "invoxindex.h"

// SKELETON: being implemented.
namespace Docket {

InvoxConnector::InvoxConnector(AccountSession *session, InvoxIndex *index, QObject *parent)
    : Connector(session, parent)
    , m_index(index)
{ }

ListJob *InvoxConnector::list(const NodeRef &parent, const PageRequest &)
{
    auto *job = new ListJob(parent, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

bool InvoxConnector::canDelete(NodeKind) const
{
    return false;
}

DeletePlan InvoxConnector::describeDelete(const RemoteItem &) const
{
    return {};
}

DeleteJob *InvoxConnector::remove(const RemoteItem &item)
{
    auto *job = new DeleteJob(item, this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *InvoxConnector::signIn()
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

SimpleJob *InvoxConnector::upload(const QString &, const QString &, const QString &,
                                  const QByteArray &)
{
    auto *job = new SimpleJob(this);
    job->finish(ApiError::make(ApiError::Kind::InvalidInput, QStringLiteral("not implemented")));
    return job;
}

QString InvoxConnector::addKnownDocument(const QString &, const QString &, const QString &,
                                         const QString &)
{
    return QStringLiteral("not implemented");
}

} // namespace Docket
