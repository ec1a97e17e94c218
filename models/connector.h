#pragma once

#include "accountsession.h"
#include "apierror.h"
#include "listpage.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace Docket {

class DetailActionJob;
class DetailsJob;
struct DetailAction;
struct ListFilter;

// One asynchronous piece of work of a connector, in the style of KJob: it emits finished() exactly
// once, later on the event loop (never inside the call that created it), and then deletes itself.
// Connect to finished() right after creating it.
class ConnectorJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    const ApiError &error() const { return m_error; }
    bool failed() const { return m_error.isError(); }
    bool isFinished() const { return m_finished; }
    // Ends the job now with a Cancelled error; a request already sent may still take effect.
    void abort();

    // For connectors: ends the job (successfully when `error` is empty).
    void finish(const ApiError &error = {});
    // Ends the job with the result's error, if it has one; true if it did.
    bool finishIfFailed(const ApiResult &result);

Q_SIGNALS:
    void finished(Docket::ConnectorJob *job);

private:
    ApiError m_error;
    bool m_finished = false;
};

class ListJob : public ConnectorJob
{
    Q_OBJECT

public:
    ListJob(const NodeRef &parent, QObject *owner)
        : ConnectorJob(owner)
        , m_parent(parent)
    { }
    const NodeRef &parentRef() const { return m_parent; }
    const ListPage &page() const { return m_page; }
    void setPage(ListPage page) { m_page = std::move(page); }

private:
    NodeRef m_parent;
    ListPage m_page;
};

// What one answer to a DELETE proves (Connector::judgeDeleteAnswer()).
struct DeleteVerdict
{
    DeleteOutcome outcome = DeleteOutcome::Unknown;
    // Why, unless Deleted or AlreadyGone: a sentence for people and what the service said.
    ApiError error;
    // How AlreadyGone was proven ("Scriptix answered 404 in its own words"); empty otherwise.
    QString note;

    bool isGone() const
    {
        return outcome == DeleteOutcome::Deleted || outcome == DeleteOutcome::AlreadyGone;
    }
};

class DeleteJob : public ConnectorJob
{
    Q_OBJECT

public:
    DeleteJob(const RemoteItem &item, QObject *owner)
        : ConnectorJob(owner)
        , m_item(item)
    { }
    const RemoteItem &item() const { return m_item; }
    // Deleted or AlreadyGone when the job did not fail; NotPermitted, Failed or Unknown (with
    // error() saying why) when it did.
    DeleteOutcome outcome() const { return m_outcome; }
    QString note() const { return m_note; }
    int httpStatus() const { return m_httpStatus; }
    QByteArray requestId() const { return m_requestId; }
    // For connectors: ends the job with what `result`, the DELETE's answer, proved.
    void finishWith(const DeleteVerdict &verdict, const ApiResult &result);
    // For connectors: ends the job before anything was sent (a ref it cannot aim at).
    void refuse(const ApiError &error);

private:
    RemoteItem m_item;
    DeleteOutcome m_outcome = DeleteOutcome::Unknown;
    QString m_note;
    int m_httpStatus = 0;
    QByteArray m_requestId;
};

// Items looked up under one parent at once (Connector::lookupAll): what the service holds for
// each ref, in the order given. A ref's answer is final once set; the job finishes when every ref
// has one (or fails as a whole: then every ref not answered yet failed with its error).
class LookupJob : public ConnectorJob
{
    Q_OBJECT

public:
    enum class Answer {
        Found, // item() is its row, as the parent's listing shows it
        // The parent's whole listing was read without it, or the service said in its own
        // documented words that it holds no such item. Whether that proves it gone is the
        // connector's listingProvesAbsence().
        Missing,
        Failed, // not known either way: errorOf() says why
    };

    LookupJob(const NodeRef &parent, const QList<NodeRef> &refs, QObject *owner);

    const NodeRef &parentRef() const { return m_parent; }
    const QList<NodeRef> &refs() const { return m_refs; }
    // By index in refs().
    Answer answer(qsizetype index) const;
    const RemoteItem &itemOf(qsizetype index) const { return m_entries.at(index).item; }
    ApiError errorOf(qsizetype index) const;

    // For connectors: answers for refs by index (the first answer stands), and the refs still
    // without one. finishIfAnswered() ends the job once every ref has its answer.
    bool isAnswered(qsizetype index) const { return m_entries.at(index).answered; }
    QList<qsizetype> unanswered() const;
    void setFound(qsizetype index, const RemoteItem &item);
    void setMissing(qsizetype index);
    void setFailed(qsizetype index, const ApiError &error);
    void finishIfAnswered();
    // Every ref still without an answer is missing (the whole listing was read) / failed, and
    // the job ends.
    void missRest();
    void failRest(const ApiError &error);

protected:
    // What the whole job ends with once every ref is answered: nothing by default (each ref has
    // its own answer); ItemJob's is its one ref's error.
    virtual ApiError answeredError() const { return {}; }

private:
    struct Entry
    {
        bool answered = false;
        Answer answer = Answer::Failed;
        RemoteItem item;
        ApiError error;
    };
    void setAnswer(qsizetype index, Entry entry);

    NodeRef m_parent;
    QList<NodeRef> m_refs;
    QList<Entry> m_entries;
};

// One item looked up by its ref (Connector::lookup): the row its parent's listing shows for it.
// A lookup of one: it fails with its ref's error.
class ItemJob : public LookupJob
{
    Q_OBJECT

public:
    ItemJob(const NodeRef &parent, const NodeRef &ref, QObject *owner)
        : LookupJob(parent, { ref }, owner)
    { }
    const NodeRef &ref() const { return refs().constFirst(); }
    // False when the service does not hold it (it may have been deleted), or the lookup failed;
    // item() is then empty.
    bool found() const { return answer(0) == Answer::Found; }
    const RemoteItem &item() const { return itemOf(0); }

protected:
    ApiError answeredError() const override { return errorOf(0); }
};

// Sign-in, sign-out, upload, detail fetches: jobs whose result is just success or an error, plus
// optional data.
class SimpleJob : public ConnectorJob
{
    Q_OBJECT

public:
    using ConnectorJob::ConnectorJob;
    QVariantMap data() const { return m_data; }
    void setData(const QVariantMap &data) { m_data = data; }

private:
    QVariantMap m_data;
};

// What a sign-in starts from.
enum class SignInMode {
    // The secrets the session already holds, as when an account is opened: checks them (or
    // renews a stored token) and never asks the user for anything.
    Resume,
    // Secrets the user has just typed in: a sign-in from the start, which may ask for a one-time
    // code (ServiceInfo::signInMayAskForCode; Care360 sends one to the account's "login").
    NewSecrets,
};

// A sign-in. It may stop half-way to ask for a one-time code: codeRequested() says where the
// service sent it, provideCode() passes it on. A code the service refuses emits codeRejected()
// and the job waits for another; it finishes once signed in, or when the sign-in cannot go on.
class SignInJob : public SimpleJob
{
    Q_OBJECT

public:
    using SimpleJob::SimpleJob;

    bool isWaitingForCode() const { return bool(m_verify) && !isFinished(); }
    // For connectors: a code was sent to `destination`; `verify` is handed each code given and
    // either finishes the job or calls rejectCode().
    void askForCode(const QString &destination, std::function<void(const QString &code)> verify);
    void rejectCode(const ApiError &error);
    // The last refusal (codeRejected()), for a caller that ends the sign-in there.
    const ApiError &rejection() const { return m_rejection; }

public Q_SLOTS:
    void provideCode(const QString &code);

Q_SIGNALS:
    void codeRequested(const QString &destination);
    void codeRejected(const QString &userMessage);

private:
    std::function<void(const QString &code)> m_verify;
    ApiError m_rejection;
};

// Talks to one service for one account: lists what is under a node, deletes a node, and says what a
// delete will do. Every request goes through the account's session (credentials, pacing, renewal).
class Connector : public QObject
{
    Q_OBJECT

public:
    explicit Connector(AccountSession *session, QObject *parent = nullptr);

    AccountSession *session() const { return m_session; }
    const Account &account() const { return m_session->account(); }
    virtual ServiceKind service() const = 0;

    // The children of `parent` (NodeRef{NodeKind::Account, {}} for the account's top level).
    virtual ListJob *list(const NodeRef &parent, const PageRequest &page) = 0;
    // How many items to ask for per page under this kind of parent.
    virtual int pageSize(NodeKind parentKind) const;
    // The items at `refs`, all children of `parent`, as its listing shows them (name, size,
    // status...), for a caller that knows only paths: docket-cli names what it is about to
    // delete, a resumed batch checks that each item is still the one it named. A ref is Missing
    // only when the whole listing was read without it. The parent's listing is read once, page
    // by page, stopping as soon as every ref is found, at most maxLookupPages pages (beyond
    // them, an error: not known to be missing); a failed page, or a cursor that comes back,
    // fails every ref not found by then. A connector with a cheaper way for some refs uses it
    // (startLookup(), lookUpAlone()). A ref that is not a child of `parent` fails at once.
    LookupJob *lookupAll(const NodeRef &parent, const QList<NodeRef> &refs);
    // lookupAll() of one item under its own parent; refused at once when `ref` has no place in
    // the service's tree.
    ItemJob *lookup(const NodeRef &ref);
    static constexpr int maxLookupPages = 20;
    // Where `ref` sits: the node whose listing shows it (the account for the top level), or
    // nullopt when it has no place in this service's tree.
    std::optional<NodeRef> parentOf(const NodeRef &ref) const;
    // Whether lookup()'s "not found" for an item of `kind` is the service's own word (its whole
    // documented listing, or its documented not-found), so that an item it does not find is
    // known to be gone. Not for Invox, whose lookups read Docket's own index, nor for a listing
    // the service does not document in full (Scriptix's documents and comments).
    virtual bool listingProvesAbsence(NodeKind kind) const
    {
        Q_UNUSED(kind);
        return true;
    }
    virtual bool canDelete(NodeKind kind) const = 0;
    virtual DeletePlan describeDelete(const RemoteItem &item) const = 0;

    // What the service holds about an item beyond its row, for the details pane
    // (itemdetails.h): whether there is anything for `kind` (the default: its ServiceInfo's
    // detailKinds), the sections (startDetails() fills them in), and the actions offered beside
    // them (the default: none). runDetailAction() runs one of detailActions(item's kind) by its
    // id; the default refuses every id.
    virtual bool hasDetails(NodeKind kind) const;
    DetailsJob *fetchDetails(const RemoteItem &item);
    virtual QList<DetailAction> detailActions(NodeKind kind) const;
    virtual DetailActionJob *runDetailAction(const RemoteItem &item, const QString &actionId);

    // Uploads, where the service takes them (Invox): whether an item can be uploaded under a
    // parent of `parentKind`; upload() sends `content` as `name` of `type` ("PDF", "TXT") and its
    // finished job's data() has the new item's "documentId". The default takes none.
    virtual bool canUpload(NodeKind parentKind) const
    {
        Q_UNUSED(parentKind);
        return false;
    }
    virtual SimpleJob *upload(const NodeRef &parent, const QString &name, const QString &type,
                              const QByteArray &content);
    // Records an item the user knows by id (from another tool) where Docket keeps its own list
    // of a service's items (Invox's index). Returns what is wrong, or an empty string.
    virtual QString addKnownItem(const NodeRef &parent, const QString &id, const QString &name,
                                 const QString &type);

    // The documented filters of this service's listings (Care360's file type); none by default.
    virtual QList<ListFilter> listFilters() const;
    // Sets filter `id` to one of its values (empty: no filter) for every later listing; false
    // when there is no such filter or it does not take `value`.
    virtual bool setListFilter(const QString &id, const QString &value);

    // Search and order at the server (PageRequest::search, ::sort): whether a listing under a
    // parent of `parentKind` can be narrowed to names holding a text by the service itself, and
    // the orders the service can give it. None by default: a service whose lists come whole, or
    // that Docket lists from its own index, is searched by filtering what is loaded
    // (ServiceInfo::searchNote says why, for people).
    virtual bool canSearch(NodeKind parentKind) const
    {
        Q_UNUSED(parentKind);
        return false;
    }
    virtual QList<ListSortField> sortFields(NodeKind parentKind) const
    {
        Q_UNUSED(parentKind);
        return {};
    }
    // Deletes the item. `requestId` is the X-Request-ID the DELETE goes out with (empty: a new
    // one), so the audit trail can name it before it is sent.
    DeleteJob *remove(const RemoteItem &item, const QByteArray &requestId = {})
    {
        return startRemove(item, requestId);
    }

    // What `result`, the answer to a DELETE of `item`, proves. The one place an outcome is
    // decided, from the whole answer: a redirect is never a success; a 2xx counts only if its
    // body agrees with what the service documents (deleteAnswerProblem()); a 404 or other error
    // means "already gone" only in the service's own documented not-found shape
    // (isNotFoundAnswer()), and "not permitted" only as the service's own 403; a timeout, a
    // reset or a 5xx leaves it unknown.
    DeleteVerdict judgeDeleteAnswer(const RemoteItem &item, const ApiResult &result) const;

    // Checks the secrets in the session with the service (a cheap authenticated call or the token
    // exchange) and marks the session signed in. Resume: Care360 renews with its stored refresh
    // token; NewSecrets: Care360 asks for a one-time code (SignInJob::codeRequested).
    virtual SignInJob *signIn(SignInMode mode = SignInMode::Resume) = 0;
    // Ends the sign-in at the service where it has such a call, then forgets every secret. Fails
    // (Credentials, secretsNotRemovedError()) when the store kept any of them: the user must not
    // be told they are gone.
    virtual SimpleJob *signOut();

protected:
    virtual DeleteJob *startRemove(const RemoteItem &item, const QByteArray &requestId) = 0;

    // lookupAll()'s work, once every ref is known to be a child of the job's parent: answers
    // each ref and ends the job. The default reads the listing (lookUpInListing()).
    virtual void startLookup(LookupJob *job);
    // Reads the job's parent's listing page by page (a PageWalker) and answers every ref it
    // finds. Where canLookUpAlone() says the service reads one item with a request of its own,
    // that is used instead when it costs fewer requests: for a single ref, for the refs left
    // once fewer of them remain than pages (by the listing's total), and beyond the page cap.
    void lookUpInListing(LookupJob *job);
    virtual bool canLookUpAlone(NodeKind kind) const
    {
        Q_UNUSED(kind);
        return false;
    }
    // Answers ref `index` of `job` with its own request, then job->finishIfAnswered(). Only for
    // kinds canLookUpAlone() names; the default fails it.
    virtual void lookUpAlone(LookupJob *job, qsizetype index);

    // fetchDetails() of an item whose kind hasDetails(): asks the service and ends `job` with its
    // sections (DetailsJob::finishFrom() for the usual one request). The default: none at once.
    virtual void startDetails(DetailsJob *job, const RemoteItem &item);

    // Sends `request`, the DELETE of the job's item, through the session, and ends the job with
    // what its answer proves (judgeDeleteAnswer(), then finishDelete()).
    void sendDelete(DeleteJob *job, const ApiRequest &request);
    // The service's documentation of its delete answers, for judgeDeleteAnswer():
    // - a 2xx to a DELETE of `item`: empty when its body agrees with the documented success,
    //   otherwise what contradicts it ("it names another document");
    virtual QString deleteAnswerProblem(const RemoteItem &item, const ApiResult &result) const = 0;
    // - an error answer in the service's own documented "no such item" shape;
    virtual bool isNotFoundAnswer(const ApiResult &result) const = 0;
    // - an error answer in the service's own error shape, so that a 403 is the service's refusal
    //   and not a proxy's page. Default: a JSON object with a code or a message in it.
    virtual bool isServiceErrorAnswer(const ApiResult &result) const;
    // The service's explanation of an error for people (a 401 says which secret to check).
    virtual ApiError explainedError(const ApiError &error) const { return error; }
    // Ends the job with the verdict. A connector overrides it to prove an ambiguous "already
    // gone" (Care360) or to keep its own records in step (Invox's index).
    virtual void finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                              const ApiResult &result);

private:
    // The refs of `job` that remain, each by its own request.
    void lookUpEachAlone(LookupJob *job);

    AccountSession *m_session;
};

// signOut()'s failure when the credential store refused to delete some of the account's secrets:
// a sentence naming the account, with the store's reason.
ApiError secretsNotRemovedError(const Account &account, const QString &storeError);

// The connector for the session's service. `index` is Invox's local document index (may be null
// for the other services).
class InvoxIndex;
std::unique_ptr<Connector> createConnector(AccountSession *session, InvoxIndex *invoxIndex,
                                           QObject *parent = nullptr);

} // namespace Docket
