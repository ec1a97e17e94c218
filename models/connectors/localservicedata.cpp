#include "localservicedata.h"

#include "connectors/invox/invoxindex.h"
#include "serviceinfo.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>

namespace Docket {

LocalServiceData::LocalServiceData(const QString &dataDir)
    : m_dataDir(dataDir)
{ }

LocalServiceData::~LocalServiceData() = default;

bool LocalServiceData::open(QString *error)
{
    return openInvoxIndex(error);
}

bool LocalServiceData::openInvoxIndex(QString *error)
{
    if (m_invoxIndex)
        return true;
    QDir().mkpath(m_dataDir);
    auto index = std::make_unique<InvoxIndex>(m_dataDir + QStringLiteral("/invox-index.sqlite"));
    if (!index->open(error))
        return false;
    m_invoxIndex = std::move(index);
    return true;
}

bool LocalServiceData::prepare(ServiceKind service, ConnectorContext &context, QString *error)
{
    // Only Invox keeps anything here.
    if (service != ServiceKind::Invox)
        return true;
    if (QString problem; !openInvoxIndex(&problem)) {
        if (error)
            *error
                = QCoreApplication::translate("Docket", "Cannot open the Invox document index: %1")
                      .arg(problem);
        return false;
    }
    context.invoxIndex = m_invoxIndex.get();
    return true;
}

ConnectorContext LocalServiceData::openStores() const
{
    ConnectorContext context;
    context.invoxIndex = m_invoxIndex.get();
    return context;
}

bool LocalServiceData::forgetAccount(ServiceKind service, const QString &accountId, QString *error)
{
    ConnectorContext context;
    if (!prepare(service, context, error))
        return false;
    if (context.invoxIndex)
        context.invoxIndex->removeAccount(accountId);
    return true;
}

void recordPracticeItems(const ConnectorContext &stores, ServiceKind service,
                         const QString &accountId, const QJsonObject &credentials)
{
    if (service != ServiceKind::Invox || !stores.invoxIndex)
        return;
    // Invox has no list endpoint: record the documents the sandbox says it holds.
    for (const QJsonValue &value : credentials.value(QStringLiteral("documents")).toArray()) {
        const QJsonObject document = value.toObject();
        InvoxIndex::Document entry;
        entry.accountId = accountId;
        entry.consultationSessionId
            = document.value(QStringLiteral("consultationSessionId")).toString();
        entry.documentId = document.value(QStringLiteral("documentId")).toString();
        entry.documentName = document.value(QStringLiteral("documentName")).toString();
        entry.documentType = document.value(QStringLiteral("documentType")).toString();
        entry.origin = QStringLiteral("manual");
        entry.addedAt = QDateTime::currentDateTimeUtc();
        QString error;
        stores.invoxIndex->add(entry, &error);
    }
}

} // namespace Docket
