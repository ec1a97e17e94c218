#pragma once

#include "connector.h"
#include "jsonparsing.h"

namespace Docket {

class Care360Authenticator;

// Care360: see ../shared/API.md and connector.h.
//
// Tree: the account holds cases (Care360 has no case list: they are the distinct caseIds of the
// patient's files), a case holds files ({Care360File, {caseId, fileId}}). Only files can be
// deleted, and Care360's delete is soft: the provider keeps the file.
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
    // Renews with the stored refresh token (Secret::refreshToken): Care360 has no other way to
    // check a sign-in. Without one, fails with SignedOut: sign in with a code instead.
    SimpleJob *signIn() override;

    // Sign-in step 1: asks the service to send a one-time code to account().care360Login
    // (email or phone). The tenant key must already be in the session (Secret::tenantKey).
    SimpleJob *requestCode();
    // Sign-in step 2: exchanges the code for an access and a refresh token, both stored.
    SimpleJob *verifyCode(const QString &code);
    // Sign-out: POST logout with the refresh token, then forget every secret (even when the
    // logout call failed; data() then has "serviceLogout": false and "serviceLogoutError").
    SimpleJob *signOut() override;
    // "phi", "general" or empty (both): the documented type filter for file lists.
    void setFileTypeFilter(const QString &type) { m_typeFilter = type; }
    QString fileTypeFilter() const { return m_typeFilter; }

    // For the details pane. data(): the file's fields as Care360 sends them, plus
    // "uploadedByName".
    SimpleJob *fetchMetadata(const NodeRef &file);
    // data(): "downloadUrl", "fileName", "expiresIn" (seconds). A short-lived link: never cache
    // it, fetch a new one each time it is needed.
    SimpleJob *fetchDownloadLink(const NodeRef &file);

    // True when `login` is a phone number (the code goes by SMS), false for an email address.
    static bool looksLikePhoneNumber(const QString &login);

    // The pure halves of listing, run on a worker thread (Care360 does not paginate: one answer
    // may hold 50,000 files, 17 MB) and public for tests. parseFileList: a file list answer as
    // the rows of `caseRef`. parseCaseList: the all-files answer as case rows (caseId, file
    // counts, newest file), without building a row per file. Either parser gives the same page.
    struct ParsedList
    {
        ListPage page;
        QString problem; // why the body is not a list answer (then `page` is empty); or empty
    };
    static ParsedList parseFileList(const QByteArray &body, const NodeRef &caseRef,
                                    JsonParser parser = defaultJsonParser());
    static ParsedList parseCaseList(const QByteArray &body,
                                    JsonParser parser = defaultJsonParser());

private:
    // The request for one of the /api/v1/users/auth/... calls (cv-api-key, JSON body).
    ApiRequest authRequest(const QString &call, const QJsonObject &body) const;
    QUrl filesUrl(const QStringList &segments,
                  const QList<QPair<QString, QString>> &query = {}) const;
    void listCases(ListJob *job);
    void listFiles(ListJob *job, const QString &caseId);
    SimpleJob *fetchFileData(const NodeRef &file, const QString &call);

    Care360Authenticator *m_authenticator; // owned by the session
    QString m_typeFilter;
};

} // namespace Docket
