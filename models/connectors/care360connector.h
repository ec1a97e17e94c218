#pragma once

#include "connector.h"

namespace Docket {

// Care360: see ../shared/API.md and connector.h.
class Care360Connector : public Connector
{
    Q_OBJECT

public:
    explicit Care360Connector(AccountSession *session, QObject *parent = nullptr);

    ServiceKind service() const override { return ServiceKind::Care360; }
    ListJob *list(const NodeRef &parent, const PageRequest &page) override;
    bool canDelete(NodeKind kind) const override;
    DeletePlan describeDelete(const RemoteItem &item) const override;
    DeleteJob *remove(const RemoteItem &item) override;
    SimpleJob *signIn() override;

    // Sign-in step 1: asks the service to send a one-time code to account().care360Login
    // (email or phone). The tenant key must already be in the session (Secret::tenantKey).
    SimpleJob *requestCode();
    // Sign-in step 2: exchanges the code for an access and a refresh token, both stored.
    SimpleJob *verifyCode(const QString &code);
    // Sign-out: POST logout with the refresh token, then forget every secret.
    SimpleJob *signOut() override;
    // "phi", "general" or empty (both): the documented type filter for file lists.
    void setFileTypeFilter(const QString &type) { m_typeFilter = type; }
    QString fileTypeFilter() const { return m_typeFilter; }

private:
    QString m_typeFilter;
};

} // namespace Docket
