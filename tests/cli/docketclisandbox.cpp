#include "docketclisandbox.h"

#include <QJsonArray>

void DocketCliSandbox::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    // Every test function works on this one settings file, starting with a Scriptix account.
    m_config = m_dir.filePath(QStringLiteral("accounts.ini"));
    addAccount(QStringLiteral("scriptix"), QStringLiteral("sbx-scriptix"));
}

QProcessEnvironment DocketCliSandbox::scriptixSecret() const
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("DOCKET_SECRET_SBX_SCRIPTIX_TOKEN"),
                       m_sandbox.credentials(QStringLiteral("scriptix"))
                           .value(QStringLiteral("token"))
                           .toString());
    return environment;
}

QProcessEnvironment DocketCliSandbox::addInvoxAccount(const QString &name)
{
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("invox"));
    addAccount(
        QStringLiteral("invox"), name,
        { QStringLiteral("--app-id"), credentials.value(QStringLiteral("appId")).toString() });
    QProcessEnvironment key;
    key.insert(QStringLiteral("DOCKET_SECRET_") + name.toUpper().replace(u'-', u'_')
                   + QStringLiteral("_API_KEY"),
               credentials.value(QStringLiteral("apiKey")).toString());
    return key;
}

QString DocketCliSandbox::firstSessionId()
{
    const CliRun listed
        = run({ QStringLiteral("--json"), QStringLiteral("ls"), QStringLiteral("/sbx-scriptix") },
              scriptixSecret());
    return listed.resultList().at(0).toObject().value(QStringLiteral("id")).toString();
}
