#pragma once

#include "connector.h"

#include <QJsonObject>

#include <functional>
#include <optional>

namespace Docket {

// DocumentPro (docs/services.md §3): documents -> parser results, a static key in "x-api-key"
// (never renewed).
//
// Listing:
// - the account: GET /v1/documents?limit=100, then the answer's pagination_key handed back;
//   the total is unknown (-1). Each document row carries its "parser_runs" in details.
// - a document: GET /v1/documents?document_id= (fresh, so a re-list after a delete is right),
//   then GET /files?request_id= for each parser run, concurrently; a run that is 404 by then was
//   deleted meanwhile and is left out.
// Only parser results can be deleted (DELETE /files?request_id=), permanently with all their data
// and files; there is no documented delete for documents.
class DocumentProConnector : public Connector
{
    Q_OBJECT

public:
    explicit DocumentProConnector(AccountSession *session, QObject *parent = nullptr);

    ServiceKind service() const override { return ServiceKind::DocumentPro; }
    ListJob *list(const NodeRef &parent, const PageRequest &page) override;
    int pageSize(NodeKind parentKind) const override;
    // The document list takes the documented search_term. No order is documented, so
    // sortFields() offers none: the documents come in the service's own order.
    bool canSearch(NodeKind parentKind) const override;
    bool canDelete(NodeKind kind) const override;
    DeletePlan describeDelete(const RemoteItem &item) const override;
    SignInJob *signIn(SignInMode mode = SignInMode::Resume) override;

    // One parser result for the details pane: data() holds "request_id", "request_status",
    // "created_at", "updated_at" and the response_body's fields ("template_title",
    // "template_id", "template_type", "file_name", "num_pages", "user_error_msg",
    // "human_verification_status", "has_missing_required_fields", "result_json_data" as a
    // map). The presigned download URL is left out: it is a short-lived credential.
    SimpleJob *fetchResult(const NodeRef &result);
    // A parser result's details: its status and its extracted fields (documentprodetails.cpp).

    // [gap] The vendor does not say under which query name a page's pagination_key goes back to
    // /v1/documents; /v1/templates takes "pagination_key", so that is the default. This is the
    // one place that names it.
    static QString paginationKeyParameter() { return QStringLiteral("pagination_key"); }
    // The documented maximum of /v1/documents' limit.
    static constexpr int maxPageSize = 100;

protected:
    // A document's results are looked up through the document's runs and their own
    // GET /files?request_id=, fetching only the results sought (see the .cpp).
    void startLookup(LookupJob *job) override;
    void startDetails(DetailsJob *job, const RemoteItem &item) override;
    DeleteJob *startRemove(const RemoteItem &item, const QByteArray &requestId) override;
    QString deleteAnswerProblem(const RemoteItem &item, const ApiResult &result) const override;
    bool isNotFoundAnswer(const ApiResult &result) const override;
    ApiError explainedError(const ApiError &error) const override;
    void finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                      const ApiResult &result) override;

private:
    // A documented 404 to the delete of `item`, checked against its document's listing
    // (`listed`): gone only if that listing was read as documented and lacks it.
    DeleteVerdict resultGone(const RemoteItem &item, DeleteVerdict verdict,
                             const ApiResult &listed) const;
    void listDocuments(ListJob *job, const PageRequest &page);
    void listResults(ListJob *job);
    // Reads `document` afresh and hands `done` its parser runs that have a request id; every
    // failure (the document no longer listed, say) finishes `job`.
    void readRuns(ConnectorJob *job, const NodeRef &document,
                  std::function<void(const QList<QJsonObject> &)> done);
    // Fetches each run's result (GET /files?request_id=, all at once) and hands `done` one row
    // per run, in order: std::nullopt for a result DocumentPro says is gone. Any other failure
    // finishes `job`.
    void fetchResults(ConnectorJob *job, const NodeRef &document, const QList<QJsonObject> &runs,
                      std::function<void(const QList<std::optional<RemoteItem>> &)> done);
    // Sends a request for `path` with `query` under the base URL through the session; `done`
    // runs only on a 2xx, every other outcome finishes `job` with a readable error unless
    // `onFailure` takes it (returns true).
    void send(ConnectorJob *job, const QByteArray &method, const QStringList &path,
              const QList<QPair<QString, QString>> &query,
              std::function<void(const ApiResult &)> done,
              std::function<bool(const ApiResult &)> onFailure = {},
              const QByteArray &requestId = {});
};

} // namespace Docket
