#include "applicationinfo.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

#include <docketversion.h>

namespace Docket {

void setApplicationInfo(const QString &executableName)
{
    QCoreApplication::setApplicationName(executableName);
    QCoreApplication::setApplicationVersion(version());
    QCoreApplication::setOrganizationName(QStringLiteral(DOCKET_ORGANIZATION_NAME));
    QCoreApplication::setOrganizationDomain(QStringLiteral(DOCKET_ORGANIZATION_DOMAIN));
}

bool installTranslations()
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    // resources/i18n, compiled into the models library.
    const QString folder = QStringLiteral(":/docket/i18n");
    if (translator->load(QLocale(), QStringLiteral("docket"), QStringLiteral("_"), folder)
        || translator->load(QStringLiteral("docket_en"), folder)) {
        return QCoreApplication::installTranslator(translator);
    }
    delete translator;
    return false;
}

QString version()
{
    return QStringLiteral(DOCKET_VERSION_STRING);
}

} // namespace Docket
