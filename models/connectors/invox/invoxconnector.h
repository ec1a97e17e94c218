#pragma once

#include "connector.h"

namespace Docket {
class InvoxIndex;
}

namespace Docket {

// Invox: see docs/services.md §1 and connector.h.
//
// Sign-in exchanges base64(App Id:API Key) for a 2-hour access token at the account's token path
// (a [gap]: default /v1/auth/token). The token is renewed a minute before it expires, and once
// after a 401. Document calls carry the token as Bearer, Content-Type: application/json and, when
// the account names one, X-Invox-Medical-Api-Version.
class InvoxConnector : public Connector
{
    Q_OBJECT

public:
    ServiceKind service() const override { return ServiceKind::Invox; }
    ListJob *list(const NodeRef &parent, const PageRequest &page) override;
    bool canDelete(NodeKind kind) const override;
    // Lookups read Docket's own index, not Invox: not being there proves nothing.
    bool listingProvesAbsence(NodeKind) const override { return false; }
    DeletePlan describeDelete(const RemoteItem &item) const override;
    SignInJob *signIn(SignInMode mode = SignInMode::Resume) override;

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

    // A document's details (what Docket's index holds), and upload() and addKnownItem() for a
    // consultation (parent {InvoxConsultation, {id}}) as the two calls above: invoxdetails.cpp.
    bool canUpload(NodeKind parentKind) const override;
    SimpleJob *upload(const NodeRef &parent, const QString &name, const QString &type,
                      const QByteArray &content) override;
    QString addKnownItem(const NodeRef &parent, const QString &id, const QString &name,
                         const QString &type) override;

    // Invox leaves consultation session ids to the client: a fresh one for a new consultation.
    static QString newConsultationSessionId();
    // "PDF" or "TXT" for any spelling of those ("pdf", " Txt "); empty for anything else.
    static QString normalizedDocumentType(const QString &type);

protected:
    void startDetails(DetailsJob *job, const RemoteItem &item) override;
    DeleteJob *startRemove(const RemoteItem &item, const QByteArray &requestId) override;
    QString deleteAnswerProblem(const RemoteItem &item, const ApiResult &result) const override;
    bool isNotFoundAnswer(const ApiResult &result) const override;
    void finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                      const ApiResult &result) override;

private:
    // A request to a document endpoint of the account's base URL; *problem is set instead when the
    // account's settings do not allow one.
    ApiRequest documentRequest(const QByteArray &method, const QStringList &pathSegments,
                               const QJsonObject &body, QString *problem) const;
    QString indexProblem() const;

    InvoxIndex *m_index = nullptr;
};

} // namespace Docket
