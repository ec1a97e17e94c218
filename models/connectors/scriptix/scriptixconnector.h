#pragma once

#include "connector.h"

#include <QJsonObject>

#include <functional>

namespace Docket {

// Scriptix (docs/services.md §4): sessions -> documents -> comments, with a long-lived API
// token sent as "Authorization: Bearer" or "x-zoom-s2t-key" (the "header" setting). Tokens are
// never renewed: a 401 means the token is wrong, expired or revoked.
//
// Listing:
// - the account: GET /speech-to-text/session, offset/limit pages (the cursor is the next offset);
// - a session: GET /speech-to-text/session/{sid} and its "documents" array, or its single
//   "document" object (the vendor shows only that one; [gap]);
// - a document: GET .../document/{did}/comments, the paginated envelope or a bare array ([gap]).
// Every delete is permanent; a session takes its documents, a document its comments.
class ScriptixConnector : public Connector
{
    Q_OBJECT

public:
    explicit ScriptixConnector(AccountSession *session, QObject *parent = nullptr);

    ServiceKind service() const override { return ServiceKind::Scriptix; }
    ListJob *list(const NodeRef &parent, const PageRequest &page) override;
    int pageSize(NodeKind parentKind) const override;
    // The session list takes the documented q, sort and direction.
    bool canSearch(NodeKind parentKind) const override;
    QList<ListSortField> sortFields(NodeKind parentKind) const override;
    // The "sort" value for a generic field id (ListSortField::id); empty when there is none.
    static QString sortParameter(const QString &field);
    bool canDelete(NodeKind kind) const override;
    DeletePlan describeDelete(const RemoteItem &item) const override;
    SignInJob *signIn(SignInMode mode = SignInMode::Resume) override;
    // Only the session list is documented in full: a session's documents come from the one
    // "document" its GET names, and the comment list is a gap.
    bool listingProvesAbsence(NodeKind kind) const override
    {
        return kind == NodeKind::ScriptixSession;
    }

    // A document's transcript for the details pane: data() holds "segments" (a list of maps with
    // "start" and "stop" in seconds, "speaker", "text") and the document's "id", "filename",
    // "type", "created", "last_modified" where the service sent them.
    SimpleJob *fetchDocument(const NodeRef &document);
    // A document's details: its comments and its transcript (scriptixdetails.cpp).

    // The documented maximum page size of every paginated Scriptix list.
    static constexpr int maxPageSize = 100;

protected:
    // Sessions are looked up in the session list, a page of 100 at a time (its rows name them
    // and carry their documents), or each with its own GET where that costs fewer requests (one
    // session; a few among many pages); documents and comments in their lists.
    void startLookup(LookupJob *job) override;
    bool canLookUpAlone(NodeKind kind) const override { return kind == NodeKind::ScriptixSession; }
    void lookUpAlone(LookupJob *job, qsizetype index) override;
    void startDetails(DetailsJob *job, const RemoteItem &item) override;
    DeleteJob *startRemove(const RemoteItem &item, const QByteArray &requestId) override;
    QString deleteAnswerProblem(const RemoteItem &item, const ApiResult &result) const override;
    bool isNotFoundAnswer(const ApiResult &result) const override;
    ApiError explainedError(const ApiError &error) const override;
    void finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                      const ApiResult &result) override;

private:
    void listSessions(ListJob *job, const PageRequest &page);
    void listDocuments(ListJob *job);
    void listComments(ListJob *job, const PageRequest &page);
    void listOffsetPage(ListJob *job, const PageRequest &page, const QStringList &segments,
                        bool allowBareArray,
                        std::function<RemoteItem(const QJsonObject &)> itemFrom,
                        const QList<QPair<QString, QString>> &narrowing = {});
    // Sends a request built from path segments under the base URL through the session; `done`
    // runs only on a 2xx, every failure finishes `job` with a readable error.
    // Calls `done` with no error when Scriptix answers a documented read of what holds the item
    // at `ids` (see the .cpp): proof that a 404 in its shape for that item is Scriptix's.
    void checkRouted(const QStringList &ids, QObject *context,
                     std::function<void(const ApiError &)> done);
    ApiError notRoutedError(const ApiError &why) const;
    void get(ConnectorJob *job, const QStringList &segments,
             const QList<QPair<QString, QString>> &query,
             std::function<void(const ApiResult &)> done);
};

} // namespace Docket
