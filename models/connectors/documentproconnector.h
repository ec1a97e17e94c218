#pragma once

#include "connector.h"

namespace Docket {

// DocumentPro: see ../shared/API.md and connector.h.
class DocumentProConnector : public Connector
{
    Q_OBJECT

public:
    explicit DocumentProConnector(AccountSession *session, QObject *parent = nullptr);

    ServiceKind service() const override { return ServiceKind::DocumentPro; }
    ListJob *list(const NodeRef &parent, const PageRequest &page) override;
    bool canDelete(NodeKind kind) const override;
    DeletePlan describeDelete(const RemoteItem &item) const override;
    DeleteJob *remove(const RemoteItem &item) override;
    SimpleJob *signIn() override;
};

} // namespace Docket
