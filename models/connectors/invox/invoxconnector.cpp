#include "invoxconnector.h"

#include "connectors/connectorsupport.h"
#include "invoxindex.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QUuid>

namespace Docket {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("Docket::InvoxConnector", text, disambiguation, n);
}

// [doc] tokens live 2 hours; used when the exchange does not say.
constexpr qint64 defaultTokenLifetimeSeconds = 2 * 60 * 60;

const QString uploadOrigin = QStringLiteral("upload");
const QString manualOrigin = QStringLiteral("manual");

QByteArray mimeTypeFor(const QString &documentType)
{
    return documentType == QLatin1String("PDF") ? QByteArrayLiteral("application/pdf")
                                                : QByteArrayLiteral("text/plain");
}

// A configured path such as "/v1/auth/token" as URL segments. Each segment is percent-encoded on
// its own later, so a "?" or "#" in the setting can never become a query or fragment.
QStringList pathSegments(const QString &path)
{
    return path.split(u'/', Qt::SkipEmptyParts);
}

// A header value from a setting: no line breaks may reach the request.
bool isSafeHeaderValue(const QString &value)
{
    for (const QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() >= 0x7f)
            return false;
    }
    return true;
}

// At most a year: the renewal deadline is computed in milliseconds from it.
qint64 expiresInSeconds(const QJsonObject &object)
{
    return lifetimeSeconds(firstField(object, { "expiresIn", "expires_in" }),
                           defaultTokenLifetimeSeconds);
}

// Signed URLs carry their own signature: keep it out of error texts and logs.
void redactUrl(ApiError &error, const QUrl &url)
{
    const QUrl bare = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    for (const QUrl::FormattingOptions format : { QUrl::FormattingOptions(QUrl::FullyEncoded),
                                                  QUrl::FormattingOptions(QUrl::PrettyDecoded) }) {
        error.technicalDetail.replace(url.toString(format), bare.toString(format));
        error.userMessage.replace(url.toString(format), bare.toString(format));
    }
}

// The token exchange and the Bearer header. The session asks it to authorize every document
// request; it renews proactively (authorize() refuses shortly before expiry) and after a 401.
class InvoxAuthenticator : public Authenticator
{
public:
    using Authenticator::Authenticator;

    bool authorize(ApiRequest &request) override
    {
        const QString token = session()->secret(Secret::accessToken);
        if (token.isEmpty() || m_invalidated || m_renewAfter.hasExpired())
            return false;
        request.headers.append({ QByteArrayLiteral("Authorization"), "Bearer " + token.toUtf8() });
        return true;
    }

    bool canRenew() const override
    {
        return !session()->account().setting(QStringLiteral("appId")).isEmpty()
            && session()->hasSecret(Secret::apiKey);
    }

    void renew(std::function<void(const ApiError &)> done) override { exchange(std::move(done)); }

    void invalidate() override
    {
        // A 401 that arrives while a new token is being fetched was earned by the old token;
        // forgetting now would throw away the new one the moment it lands.
        if (m_exchangesInFlight == 0)
            m_invalidated = true;
    }

    // POST base64(App Id:API Key) to the token path; stores the access token (and waits for the
    // store) before `done`. 401/403 end in SignedOut.
    void exchange(std::function<void(const ApiError &)> done)
    {
        AccountSession *session = this->session();
        const Account &account = session->account();
        const QString apiKey = session->secret(Secret::apiKey);
        if (account.setting(QStringLiteral("appId")).isEmpty() || apiKey.isEmpty()) {
            done(ApiError::make(ApiError::Kind::SignedOut,
                                tr("Invox Medical needs the App Id and the API Key. Enter them "
                                   "and sign in again.")));
            return;
        }
        ApiRequest request;
        request.method = QByteArrayLiteral("POST");
        request.url = urlWithSegments(account.baseUrl,
                                      pathSegments(account.setting(QStringLiteral("tokenPath"))));
        const QByteArray basic
            = (account.setting(QStringLiteral("appId")) + u':' + apiKey).toUtf8().toBase64();
        request.headers
            = { { QByteArrayLiteral("Authorization"), "Basic " + basic },
                { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") } };
        // The exchange takes no documented body; an empty JSON object is the least surprising.
        request.body = QByteArrayLiteral("{}");

        ++m_exchangesInFlight;
        // Shared: it outlives the request's callback while the store writes the token.
        auto finish =
            [this, done = std::make_shared<std::function<void(const ApiError &)>>(std::move(done))](
                const ApiError &error) {
                --m_exchangesInFlight;
                (*done)(error);
            };
        // The session owns this authenticator, so it is the right lifetime for the callbacks.
        session->sendUnauthenticated(
            request, session, [this, session, finish](const ApiResult &result) {
                if (!result.ok()) {
                    ApiError error = result.error;
                    if (result.status == 401 || result.status == 403) {
                        error.kind = ApiError::Kind::SignedOut;
                        error.userMessage
                            = tr("The App Id or API Key was not accepted by Invox Medical. Check "
                                 "them and sign in again. (HTTP %1)")
                                  .arg(result.status);
                    } else if (result.status == 404 || result.status == 405) {
                        error.userMessage
                            = tr("Invox Medical has no token exchange at “%1” (HTTP %2). Check "
                                 "the base URL and the token path in the account settings.")
                                  .arg(session->account().setting(QStringLiteral("tokenPath")))
                                  .arg(result.status);
                    }
                    finish(error);
                    return;
                }
                QString problem;
                const QJsonObject object = result.jsonObject(&problem);
                const QJsonValue tokenValue = firstField(object, { "accessToken", "access_token" });
                const QString token = tokenValue.isString() ? tokenValue.toString() : QString();
                if (!problem.isEmpty() || token.isEmpty()) {
                    finish(ApiError::malformed(
                        problem.isEmpty() ? QStringLiteral("the token answer has no access token")
                                          : problem,
                        result.requestId));
                    return;
                }
                const qint64 lifetime = expiresInSeconds(object);
                // How early: the account's RetryPolicy (a minute, at most half its life).
                const qint64 margin
                    = session->retryPolicy().renewalMargin(std::chrono::seconds(lifetime)).count();
                m_renewAfter = QDeadlineTimer((lifetime - margin) * 1000);
                m_invalidated = false;
                session->storeSecret(Secret::accessToken, token, session,
                                     [finish](const QString &) {
                                         // The token is already held in memory, and any request
                                         // can fetch a new one from the API Key: a keychain
                                         // failure here must not fail the work in flight.
                                         finish({});
                                     });
            });
    }

private:
    // When authorize() starts refusing the token; Forever for a token from the store (its age is
    // unknown: the first 401 renews it).
    QDeadlineTimer m_renewAfter { QDeadlineTimer::Forever };
    bool m_invalidated = false;
    int m_exchangesInFlight = 0;
};

} // namespace

InvoxConnector::InvoxConnector(AccountSession *session, InvoxIndex *index, QObject *parent)
    : Connector(session, parent)
    , m_index(index)
{
    session->setAuthenticator(std::make_unique<InvoxAuthenticator>(session));
}

QString InvoxConnector::newConsultationSessionId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString InvoxConnector::normalizedDocumentType(const QString &type)
{
    const QString upper = type.trimmed().toUpper();
    return upper == QLatin1String("PDF") || upper == QLatin1String("TXT") ? upper : QString();
}

QString InvoxConnector::indexProblem() const
{
    if (!m_index || !m_index->isOpen())
        return tr("Docket's index of Invox Medical documents is not available, so it cannot show "
                  "or record Invox documents.");
    return {};
}

ApiRequest InvoxConnector::documentRequest(const QByteArray &method,
                                           const QStringList &pathSegments, const QJsonObject &body,
                                           QString *problem) const
{
    ApiRequest request;
    problem->clear();
    const QString version = account().setting(QStringLiteral("apiVersion")).trimmed();
    if (!isSafeHeaderValue(version)) {
        *problem = tr("The Invox API version setting is not a valid header value.");
        return request;
    }
    request.method = method;
    request.url = urlWithSegments(account().baseUrl, pathSegments);
    request.headers
        = { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") } };
    if (!version.isEmpty())
        request.headers.append(
            { QByteArrayLiteral("X-Invox-Medical-Api-Version"), version.toLatin1() });
    request.body = jsonBody(body);
    return request;
}

ListJob *InvoxConnector::list(const NodeRef &parent, const PageRequest &page)
{
    auto *job = new ListJob(parent, this);
    // Nothing here touches the network, but the job still finishes later on the event loop
    // (ConnectorJob::finish), like every other list.
    const QString unavailable = indexProblem();
    if (!unavailable.isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput, unavailable));
        return job;
    }

    QList<RemoteItem> all;
    if (parent.kind == NodeKind::Account) {
        const auto consultations = m_index->consultationSummaries(account().id);
        for (const InvoxIndex::Consultation &consultation : consultations) {
            RemoteItem item;
            item.ref = { NodeKind::InvoxConsultation, { consultation.consultationSessionId } };
            item.name = consultation.consultationSessionId;
            item.created = consultation.firstAddedAt;
            // Spelt out for both forms, so the text reads right without a translation loaded.
            item.status = consultation.documentCount == 1
                ? tr("1 document")
                : tr("%n documents", nullptr, consultation.documentCount);
            item.childCount = consultation.documentCount;
            item.details = {
                { QStringLiteral("consultationSessionId"), consultation.consultationSessionId },
                { QStringLiteral("documentCount"), consultation.documentCount },
            };
            if (consultation.lastAddedAt.isValid())
                item.details.insert(QStringLiteral("lastAddedAt"),
                                    consultation.lastAddedAt.toString(Qt::ISODateWithMs));
            all.append(item);
        }
    } else if (parent.kind == NodeKind::InvoxConsultation && parent.ids.size() == 1) {
        const auto documents = m_index->documents(account().id, parent.id());
        for (const InvoxIndex::Document &document : documents) {
            RemoteItem item;
            item.ref = parent.child(NodeKind::InvoxDocument, document.documentId);
            item.name
                = document.documentName.isEmpty() ? document.documentId : document.documentName;
            // Invox tells nobody when a document was made: only an upload's time is known.
            if (document.origin == uploadOrigin)
                item.created = document.addedAt;
            item.sizeBytes = document.sizeBytes;
            item.status = document.documentType;
            item.details = {
                { QStringLiteral("documentId"), document.documentId },
                { QStringLiteral("consultationSessionId"), document.consultationSessionId },
                { QStringLiteral("documentType"), document.documentType },
                { QStringLiteral("origin"), document.origin },
            };
            if (!document.documentName.isEmpty())
                item.details.insert(QStringLiteral("documentName"), document.documentName);
            if (document.addedAt.isValid())
                item.details.insert(QStringLiteral("addedAt"),
                                    document.addedAt.toString(Qt::ISODateWithMs));
            all.append(item);
        }
    } else {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("An Invox Medical %1 holds nothing to list.")
                                       .arg(nodeKindName(parent.kind).toLower())));
        return job;
    }
    if (!m_index->lastError().isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput, m_index->lastError()));
        return job;
    }

    // The cursor is an offset into the index's order, as for the services that page by offset.
    bool ok = true;
    const int offset = page.cursor.isValid() ? page.cursor.toInt(&ok) : 0;
    if (!ok || offset < 0) {
        job->finish(
            ApiError::make(ApiError::Kind::InvalidInput, tr("The page to list is not valid.")));
        return job;
    }
    const int limit = page.limit > 0 ? page.limit : pageSize(parent.kind);
    ListPage result;
    result.items = all.mid(offset, limit);
    result.total = int(all.size());
    if (qint64(offset) + limit < all.size())
        result.nextCursor = offset + limit;
    job->setPage(result);
    job->finish();
    return job;
}

bool InvoxConnector::canDelete(NodeKind kind) const
{
    // A consultation session is Docket's grouping, not something Invox can delete.
    return kind == NodeKind::InvoxDocument;
}

DeletePlan InvoxConnector::describeDelete(const RemoteItem &item) const
{
    DeletePlan plan;
    plan.permanence = DeletePlan::Permanence::Permanent;
    if (item.ref.kind == NodeKind::InvoxDocument) {
        plan.explanation = tr("Permanently deletes the clinical document “%1” from Invox Medical. "
                              "This cannot be undone.")
                               .arg(item.name);
    } else {
        plan.explanation = tr("A consultation session is only how Docket groups Invox Medical "
                              "documents; it cannot be deleted itself. Delete its documents "
                              "instead.");
    }
    return plan;
}

DeleteJob *InvoxConnector::startRemove(const RemoteItem &item, const QByteArray &requestId)
{
    auto *job = new DeleteJob(item, this);
    if (item.ref.kind != NodeKind::InvoxDocument || item.ref.ids.size() != 2
        || item.ref.id().isEmpty()) {
        job->refuse(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Only Invox Medical documents can be deleted.")));
        return job;
    }
    QString problem;
    // [doc] a DELETE with a JSON body: the id never goes into the URL.
    ApiRequest request = documentRequest(
        QByteArrayLiteral("DELETE"), { QStringLiteral("v1"), QStringLiteral("delete-document") },
        { { QStringLiteral("documentId"), item.ref.id() } }, &problem);
    request.requestId = requestId;
    if (!problem.isEmpty()) {
        job->refuse(ApiError::make(ApiError::Kind::InvalidInput, problem));
        return job;
    }
    sendDelete(job, request);
    return job;
}

QString InvoxConnector::deleteAnswerProblem(const RemoteItem &item, const ApiResult &result) const
{
    // [doc] 200 {"message": "Document deleted successfully", "documentId": s}: the answer names
    // the document it deleted, and it must be this one.
    QString problem;
    const QJsonObject answer = result.jsonObject(&problem);
    if (!problem.isEmpty())
        return tr("its body is not the JSON object Invox Medical documents");
    const QJsonValue documentId = answer.value(QStringLiteral("documentId"));
    if (!documentId.isString())
        return tr("it does not name the document it deleted");
    if (documentId.toString() != item.ref.id())
        return tr("it names another document, “%1”").arg(documentId.toString().left(80));
    return {};
}

bool InvoxConnector::isNotFoundAnswer(const ApiResult &result) const
{
    // [doc] 404 {"messsage", "errorType": "documentNotFound"}; a 404 without it is not Invox
    // speaking (a proxy that does not route the path, a wrong base URL).
    return result.status == 404 && result.error.serviceCode == QLatin1String("documentNotFound");
}

void InvoxConnector::finishDelete(DeleteJob *job, const DeleteVerdict &verdict,
                                  const ApiResult &result)
{
    // The index is the only place Docket knows Invox ids from: a document leaves it only when
    // Invox proved it is gone.
    if (verdict.isGone() && m_index)
        m_index->remove(account().id, job->item().ref.id());
    Connector::finishDelete(job, verdict, result);
}

SignInJob *InvoxConnector::signIn(SignInMode)
{
    auto *job = new SignInJob(this);
    const QString settingsProblem = account().validationProblem();
    if (!settingsProblem.isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput, settingsProblem));
        return job;
    }
    auto *authenticator = dynamic_cast<InvoxAuthenticator *>(session()->authenticator());
    if (!authenticator) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("This account is not set up for Invox Medical.")));
        return job;
    }
    QPointer<SimpleJob> guard(job);
    AccountSession *session = this->session();
    authenticator->exchange([guard, session](const ApiError &error) {
        if (!error.isError())
            session->markSignedIn();
        if (guard)
            guard->finish(error);
    });
    return job;
}

SimpleJob *InvoxConnector::upload(const QString &consultationSessionId, const QString &documentName,
                                  const QString &type, const QByteArray &content)
{
    auto *job = new SimpleJob(this);
    const auto refuse = [job](const QString &sentence) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput, sentence));
        return job;
    };
    const QString documentType = normalizedDocumentType(type);
    if (!indexProblem().isEmpty())
        return refuse(indexProblem());
    if (consultationSessionId.isEmpty())
        return refuse(tr("A consultation session id is needed to upload to Invox Medical."));
    if (documentName.trimmed().isEmpty())
        return refuse(tr("The document needs a name."));
    if (documentType.isEmpty())
        return refuse(tr("Invox Medical takes PDF or TXT documents only."));

    const QJsonObject body {
        { QStringLiteral("consultationSessionId"), consultationSessionId },
        { QStringLiteral("documents"),
          QJsonArray { QJsonObject { { QStringLiteral("documentType"), documentType },
                                     { QStringLiteral("documentName"), documentName } } } },
    };
    QString problem;
    const ApiRequest request = documentRequest(
        QByteArrayLiteral("POST"),
        { QStringLiteral("v1"), QStringLiteral("generate-signed-urls-for-documents") }, body,
        &problem);
    if (!problem.isEmpty())
        return refuse(problem);

    const QString accountId = account().id;
    session()->send(request, job, [=, this](const ApiResult &result) {
        if (job->finishIfFailed(result))
            return;
        QString parseProblem;
        const QJsonObject object = result.jsonObject(&parseProblem);
        const QJsonArray documents = object.value(QStringLiteral("documents")).toArray();
        const QJsonObject created
            = documents.isEmpty() ? QJsonObject() : documents.first().toObject();
        const QString documentId = stringField(created, QStringLiteral("documentId"));
        const QString signedUrlText = stringField(created, QStringLiteral("signedUrl"));
        const QUrl signedUrl = QUrl::fromEncoded(signedUrlText.toUtf8(), QUrl::StrictMode);
        if (parseProblem.isEmpty() && (documentId.isEmpty() || !signedUrl.isValid()))
            parseProblem = QStringLiteral("the answer has no documentId and signedUrl");
        if (!parseProblem.isEmpty()) {
            job->finish(ApiError::malformed(parseProblem, result.requestId));
            return;
        }
        // The content is a clinical document: over https, or to the sandbox that answered.
        const QString urlProblem = serviceLinkProblem(signedUrl, account().baseUrl);
        if (!urlProblem.isEmpty()) {
            job->finish(ApiError::make(ApiError::Kind::MalformedResponse,
                                       tr("Invox Medical gave an upload address for “%1” that "
                                          "Docket will not use: %2 Its content was not sent.")
                                           .arg(documentName, urlProblem)));
            return;
        }
        const QString storedName = stringField(created, QStringLiteral("documentName"));

        // The signed URL carries its own signature: no Docket credentials go with the bytes.
        ApiRequest put;
        put.method = QByteArrayLiteral("PUT");
        put.url = signedUrl;
        put.headers = { { QByteArrayLiteral("Content-Type"), mimeTypeFor(documentType) } };
        put.body = content;
        session()->sendUnauthenticated(put, job, [=, this](const ApiResult &putResult) {
            if (!putResult.ok()) {
                ApiError error = putResult.error;
                redactUrl(error, signedUrl);
                error.userMessage = tr("Invox Medical registered “%1” but its content could not "
                                       "be uploaded. %2")
                                        .arg(documentName, error.userMessage);
                job->finish(error);
                return;
            }
            // Only now is the document really there, so only now does the index learn of it.
            InvoxIndex::Document document;
            document.accountId = accountId;
            document.consultationSessionId = consultationSessionId;
            document.documentId = documentId;
            document.documentName = storedName.isEmpty() ? documentName : storedName;
            document.documentType = documentType;
            document.sizeBytes = content.size();
            document.addedAt = QDateTime::currentDateTimeUtc();
            document.origin = uploadOrigin;
            QString indexError;
            if (!m_index || !m_index->add(document, &indexError)) {
                job->finish(ApiError::make(
                    ApiError::Kind::InvalidInput,
                    tr("“%1” was uploaded to Invox Medical as document %2, but Docket could not "
                       "record it: %3")
                        .arg(documentName, documentId, indexError)));
                return;
            }
            job->setData({ { QStringLiteral("documentId"), documentId },
                           { QStringLiteral("documentName"), document.documentName },
                           { QStringLiteral("documentType"), documentType },
                           { QStringLiteral("consultationSessionId"), consultationSessionId },
                           { QStringLiteral("sizeBytes"), document.sizeBytes } });
            job->finish();
        });
    });
    return job;
}

QString InvoxConnector::addKnownDocument(const QString &consultationSessionId,
                                         const QString &documentId, const QString &documentName,
                                         const QString &type)
{
    // Typed or pasted by a person: surrounding white space is never part of an id.
    const QString sessionId = consultationSessionId.trimmed();
    const QString id = documentId.trimmed();
    const QString documentType = normalizedDocumentType(type);
    if (!indexProblem().isEmpty())
        return indexProblem();
    if (sessionId.isEmpty())
        return tr("Enter the consultation session id the document belongs to.");
    if (id.isEmpty())
        return tr("Enter the document id.");
    if (documentType.isEmpty())
        return tr("The document type must be PDF or TXT.");

    InvoxIndex::Document document;
    document.accountId = account().id;
    document.consultationSessionId = sessionId;
    document.documentId = id;
    document.documentName = documentName.trimmed();
    document.documentType = documentType;
    document.addedAt = QDateTime::currentDateTimeUtc();
    document.origin = manualOrigin;
    QString error;
    if (!m_index->add(document, &error))
        return error;
    return {};
}

} // namespace Docket
