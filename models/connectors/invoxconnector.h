#pragma once

#include "connector.h"

namespace Docket {
class InvoxIndex;
}

namespace Docket {

// Invox: see ../shared/API.md and connector.h.
class InvoxConnector : public Connector
{
    Q_OBJECT

public:
    ServiceKind service() const override { return ServiceKind::Invox; }
    ListJob *list(const NodeRef &parent, const PageRequest &page) override;
    bool canDelete(NodeKind kind) const override;
    DeletePlan describeDelete(const RemoteItem &item) const override;
    DeleteJob *remove(const RemoteItem &item) override;
    SimpleJob *signIn() override;

    // Invox has no list endpoint: the tree comes from the local index (documents uploaded through
    // Docket, or added by hand). `index` must outlive the connector.
    InvoxConnector(AccountSession *session, InvoxIndex *index, QObject *parent = nullptr);

    // Uploads: signed URL for the document, then PUT of the bytes; the new document is added to
    // the index. `type` is "PDF" or "TXT". data() of the finished job has "documentId".
    SimpleJob *upload(const QString &consultationSessionId, const QString &documentName,
                      const QString &type, const QByteArray &content);
    // Records a document id the user knows (for example from another tool) in the index.
    // Returns an error sentence, or an empty string.
    QString addKnownDocument(const QString &consultationSessionId, const QString &documentId,
                             const QString &documentName, const QString &type);

private:
    InvoxIndex *m_index = nullptr;
};

} // namespace Docket
