#include "auditlogpath.h"

#include <QStandardPaths>

namespace Docket {

QString auditLogPath(bool practice)
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + (practice ? QStringLiteral("/Docket/practice-audit.sqlite")
                    : QStringLiteral("/Docket/audit.sqlite"));
}

} // namespace Docket
