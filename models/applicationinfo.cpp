#include "applicationinfo.h"

#include <QCoreApplication>

#include <docketversion.h>

namespace Docket {

void setApplicationInfo(const QString &executableName)
{
    QCoreApplication::setApplicationName(executableName);
    QCoreApplication::setApplicationVersion(version());
    QCoreApplication::setOrganizationName(QStringLiteral(DOCKET_ORGANIZATION_NAME));
    QCoreApplication::setOrganizationDomain(QStringLiteral(DOCKET_ORGANIZATION_DOMAIN));
}

QString version()
{
    return QStringLiteral(DOCKET_VERSION_STRING);
}

} // namespace Docket
