#pragma once

#include "care360filelist.h"
#include "connector.h"
#include "connectors/jsonparsing.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <optional>
#include <utility>

namespace Docket {

class Care360Authenticator;

// Care360: see docs/services.md §2 and connector.h.
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
    // Resume: renews with the stored refresh token (Secret::refreshToken): Care360 has no other
    // way to check a sign-in; without one, fails with SignedOut. NewSecrets: requestCode(), then
    // codeRequested(login) and verifyCode() with each code provided (a refused one:
    // codeRejected(), and the job waits for another).
    SignInJob *signIn(SignInMode mode = SignInMode::Resume) override;

    // The two halves of a NewSecrets sign-in, public for the connector's own tests.
    // Step 1: asks the service to send a one-time code to the account's "login" setting (email
    // or phone). The tenant key must already be in the session (Secret::tenantKey).
    SimpleJob *requestCode();
    // Sign-in step 2: exchanges the code for an access and a refresh token, both stored.
    SimpleJob *verifyCode(const QString &code);
    // Sign-out: POST logout with the refresh token, then forget every secret (even when the
    // logout call failed; data() then has "serviceLogout": false and "serviceLogoutError").
    SimpleJob *signOut() override;
    // "phi", "general" or empty (both): the documented type filter for file lists.
    void setFileTypeFilter(const QString &type);
    QString fileTypeFilter() const { return m_typeFilter; }

    // For the details pane. data(): the file's fields as Care360 sends them, plus
    // "uploadedByName".
    SimpleJob *fetchMetadata(const NodeRef &file);
    // data(): "downloadUrl", "fileName", "expiresIn" (seconds). A short-lived link: never cache
    // it, fetch a new one each time it is needed.
    SimpleJob *fetchDownloadLink(const NodeRef &file);
    // A file's details (its metadata), the download-link action, and the file-type filter as
    // "fileType" ("phi", "general"): care360details.cpp.
    QList<DetailAction> detailActions(NodeKind kind) const override;
    DetailActionJob *runDetailAction(const RemoteItem &item, const QString &actionId) override;
    QList<ListFilter> listFilters() const override;
    bool setListFilter(const QString &id, const QString &value) override;
    // A filtered listing shows only some files: a file it lacks is not known to be gone.
    bool listingProvesAbsence(NodeKind kind) const override
    {
        Q_UNUSED(kind);
        return m_typeFilter.isEmpty();
    }

    // The signed-in patient's user id, as the access token names it (its "sub" claim; Care360
    // documents no call for it): empty when not signed in or the token says nothing.
    QString signedInPatientId() const;

    // True when `login` is a phone number (the code goes by SMS), false for an email address.
    static bool looksLikePhoneNumber(const QString &login);

    // The pure halves of listing are Care360FileList's (care360filelist.h); these names stay
    // for the tests that call them through the connector.
    using ParsedList = Care360FileList::ParsedList;
    using ParsedAccount = Care360FileList::ParsedAccount;
    static ParsedList parseFileList(const QByteArray &body, const NodeRef &caseRef,
                                    JsonParser parser = defaultJsonParser(),
                                    bool withDetails = true)
    {
        return Care360FileList::parseFileList(body, caseRef, parser, withDetails);
    }
    static ParsedList parseCaseList(const QByteArray &body, JsonParser parser = defaultJsonParser())
    {
        return Care360FileList::parseCaseList(body, parser);
    }
    static ParsedAccount parseAccountList(const QByteArray &body,
                                          JsonParser parser = defaultJsonParser(),
                                          bool withDetails = true)
    {
        return Care360FileList::parseAccountList(body, parser, withDetails);
    }

    // How long the file rows of an account listing may answer a case's first list instead of
    // asking Care360 again (see list()): by default kCaseFilesFreshMs; 0 always asks.
    static constexpr int kCaseFilesFreshMs = 10000;
    void setKnownFilesLifetime(int milliseconds);

protected:
    void startDetails(DetailsJob *job, const RemoteItem &item) override;
    DeleteJob *startRemove(const RemoteItem &item, const QByteArray &requestId) override;
    QString deleteAnswerProblem(const RemoteItem &item, const ApiResult &result) const override;
    bool isNotFoundAnswer(const ApiResult &result) const override;
    ApiError explainedError(const ApiError &error) const override;
    void finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                      const ApiResult &result) override;

private:
    void signInWithCode(SignInJob *job);
    // A DELETE answered with Care360's documented 404, checked against the file's metadata:
    // still there (NotPermitted: someone else uploaded it), gone, or not known (Failed).
    DeleteVerdict provenGone(const RemoteItem &item, const DeleteVerdict &notFound,
                             ConnectorJob *check) const;
    // The request for one of the /api/v1/users/auth/... calls (cv-api-key, JSON body).
    ApiRequest authRequest(const QString &call, const QJsonObject &body) const;
    QUrl filesUrl(const QStringList &segments,
                  const QList<QPair<QString, QString>> &query = {}) const;
    void listCases(ListJob *job, bool withDetails);
    void listFiles(ListJob *job, const QString &caseId, bool withDetails);
    // The rows of `caseId` from the last account listing, taken (each is used once), when that
    // listing is fresh, was made with the current type filter and has details if they are
    // wanted; otherwise nullopt.
    std::optional<ListPage> takeKnownFiles(const QString &caseId, bool withDetails);
    void forgetKnownFiles();
    // Ends `job` with `page`, later, one such job per turn of the event loop.
    void answerFromKnownFiles(ListJob *job, ListPage page);
    void deliverKnownAnswer();
    SimpleJob *fetchFileData(const NodeRef &file, const QString &call);

    Care360Authenticator *m_authenticator; // owned by the session
    QString m_typeFilter;

    // Care360 has no case list: the account listing fetches every file to find the cases. Those
    // files are exactly what each case's own list would return (the same query with a caseId), so
    // the rows are kept, briefly, to answer the first list of each case without fetching and
    // reading the same bytes again. Used once per case: a later list of a case (a refresh, the
    // re-list after a delete) always asks the server. A delete also drops its case's rows (and
    // an account listing that a delete overlapped keeps none), and they expire after
    // m_knownFilesLifetimeMs, when the timer frees them.
    struct KnownFiles
    {
        QString typeFilter;
        bool withDetails = true;
        QElapsedTimer age;
        QHash<QString, ListPage> byCase;
    };
    KnownFiles m_knownFiles;
    QTimer m_knownFilesExpiry;
    int m_knownFilesLifetimeMs = kCaseFilesFreshMs;
    // Who uploaded a file, as its fetched details said (the tree's rows do not carry it): lets
    // describeDelete() leave out a file only its uploader may delete. By file id.
    struct Uploader
    {
        QString id;
        QString name;
    };
    QHash<QString, Uploader> m_uploaders;
    quint64 m_removalsStarted = 0; // deletes sent, so a listing knows whether one overlapped it
    std::deque<std::pair<QPointer<ListJob>, ListPage>> m_knownAnswers;
};

} // namespace Docket
