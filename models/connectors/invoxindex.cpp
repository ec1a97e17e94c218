#include "invoxindex.h"

// SKELETON: being implemented.
namespace Docket {

InvoxIndex::InvoxIndex(const QString &databasePath)
    : m_path(databasePath)
{ }

InvoxIndex::~InvoxIndex() = default;

bool InvoxIndex::open(QString *)
{
    return false;
}

QList<QPair<QString, int>> InvoxIndex::consultations(const QString &) const
{
    return {};
}

QList<InvoxIndex::Document> InvoxIndex::documents(const QString &, const QString &) const
{
    return {};
}

bool InvoxIndex::contains(const QString &, const QString &) const
{
    return false;
}

bool InvoxIndex::add(const Document &, QString *)
{
    return false;
}

bool InvoxIndex::remove(const QString &, const QString &)
{
    return false;
}

void InvoxIndex::removeAccount(const QString &) { }

} // namespace Docket
