#pragma once

#include "servicekind.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace Docket {

class InvoxIndex;
struct ConnectorContext;

// What Docket keeps on this machine for the services that need it, in one data folder (today
// Invox's index of documents: Invox has no list endpoint). The window and docket-cli open it
// through this and hand it to connectors without knowing which service keeps what
// (connectors/localservicedata.cpp does).
class LocalServiceData
{
public:
    explicit LocalServiceData(const QString &dataDir);
    ~LocalServiceData();
    LocalServiceData(const LocalServiceData &) = delete;
    LocalServiceData &operator=(const LocalServiceData &) = delete;

    // Opens every service's store now (the window: a problem is shown once, at start); false
    // with *error when one cannot be opened.
    bool open(QString *error);
    // Fills in what a connector of `service` needs from here, opening it on first use; false
    // with *error when that cannot be opened (its connector would not work without it).
    bool prepare(ServiceKind service, ConnectorContext &context, QString *error);
    // For the AccountManager's connectors: the stores that are open (null members otherwise).
    ConnectorContext openStores() const;
    // Forgets what is kept for a removed account of `service`; false with *error when its store
    // cannot be opened.
    bool forgetAccount(ServiceKind service, const QString &accountId, QString *error);

private:
    bool openInvoxIndex(QString *error);

    QString m_dataDir;
    std::unique_ptr<InvoxIndex> m_invoxIndex;
};

// Records the items a practice (sandbox) account of `service` holds that only Docket's local
// store knows about (Invox documents), from the sandbox's `credentials` entry for it.
void recordPracticeItems(const ConnectorContext &stores, ServiceKind service,
                         const QString &accountId, const QJsonObject &credentials);

} // namespace Docket
