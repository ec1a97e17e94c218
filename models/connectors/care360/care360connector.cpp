#include "care360connector.h"

#include "care360authenticator.h"
#include "care360filelist.h"
#include "care360support.h"
#include "connectors/connectorsupport.h"
#include "connectors/jsonparsing.h"
#include "credentialstore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

#include <memory>
#include <optional>

namespace Docket {

using namespace Care360;

namespace {

// A download link's lifetime when the answer does not say ([doc] 900 s).
constexpr int kDefaultDownloadSeconds = 900;

// The "sub" claim of an access JWT: the user it was issued to; empty when it has none.
QString jwtSubject(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonValue subject
        = QJsonDocument::fromJson(payload).object().value(QStringLiteral("sub"));
    return subject.isString() ? subject.toString() : QString();
}

QString uploaderName(const QJsonObject &file)
{
    const QJsonObject uploader = file.value(QStringLiteral("uploadedBy")).toObject();
    const QString name = stringField(uploader, QStringLiteral("firstName")) + u' '
        + stringField(uploader, QStringLiteral("lastName"));
    return name.trimmed();
}

// The "data" object of a single-item answer (metadata, download).
std::optional<QJsonObject> dataOf(const QJsonObject &body)
{
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (data.isObject())
        return data.toObject();
    return std::nullopt;
}

} // namespace

Care360Connector::Care360Connector(AccountSession *session, QObject *parent)
    : Connector(session, parent)
{
    auto authenticator = std::make_unique<Care360Authenticator>(session);
    m_authenticator = authenticator.get();
    session->setAuthenticator(std::move(authenticator));
    m_knownFilesExpiry.setSingleShot(true);
    connect(&m_knownFilesExpiry, &QTimer::timeout, this, &Care360Connector::forgetKnownFiles);
}

void Care360Connector::setFileTypeFilter(const QString &type)
{
    if (type != m_typeFilter)
        forgetKnownFiles();
    m_typeFilter = type;
}

void Care360Connector::setKnownFilesLifetime(int milliseconds)
{
    m_knownFilesLifetimeMs = qMax(0, milliseconds);
    forgetKnownFiles();
}

std::optional<ListPage> Care360Connector::takeKnownFiles(const QString &caseId, bool withDetails)
{
    if (m_knownFiles.byCase.isEmpty() || m_knownFiles.typeFilter != m_typeFilter
        || (withDetails && !m_knownFiles.withDetails)
        || m_knownFiles.age.hasExpired(m_knownFilesLifetimeMs))
        return std::nullopt;
    const auto found = m_knownFiles.byCase.find(caseId);
    if (found == m_knownFiles.byCase.end())
        return std::nullopt;
    ListPage page = std::move(*found);
    m_knownFiles.byCase.erase(found);
    if (m_knownFiles.byCase.isEmpty())
        forgetKnownFiles();
    return page;
}

void Care360Connector::answerFromKnownFiles(ListJob *job, ListPage page)
{
    m_knownAnswers.push_back({ job, std::move(page) });
    if (m_knownAnswers.size() == 1)
        QTimer::singleShot(0, this, &Care360Connector::deliverKnownAnswer);
}

void Care360Connector::deliverKnownAnswer()
{
    // One per turn of the event loop: whoever lists every case at once (a select-all, a filter)
    // would otherwise get all the pages, and insert all the rows, in one go. What is posted while
    // posted events are being handled waits for the next turn.
    if (m_knownAnswers.empty())
        return;
    auto [job, page] = std::move(m_knownAnswers.front());
    m_knownAnswers.pop_front();
    if (!m_knownAnswers.empty())
        QTimer::singleShot(0, this, &Care360Connector::deliverKnownAnswer);
    if (!job || job->isFinished())
        return; // aborted meanwhile
    job->setPage(std::move(page));
    job->finish();
}

void Care360Connector::forgetKnownFiles()
{
    m_knownFilesExpiry.stop();
    m_knownFiles = KnownFiles();
}

ApiRequest Care360Connector::authRequest(const QString &call, const QJsonObject &body) const
{
    return Care360::authRequest(session(), call, body);
}

QUrl Care360Connector::filesUrl(const QStringList &segments,
                                const QList<QPair<QString, QString>> &query) const
{
    return urlWithSegments(account().baseUrl,
                           QStringList { QStringLiteral("api"), QStringLiteral("v1"),
                                         QStringLiteral("users"), QStringLiteral("me"),
                                         QStringLiteral("files") }
                               + segments,
                           query);
}

bool Care360Connector::looksLikePhoneNumber(const QString &login)
{
    if (login.contains(u'@'))
        return false;
    QString compact = login.trimmed();
    compact.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
    static const QRegularExpression phone(
        QRegularExpression::anchoredPattern(QStringLiteral("\\+?[0-9]{7,15}")));
    return phone.match(compact).hasMatch();
}

ListJob *Care360Connector::list(const NodeRef &parent, const PageRequest &page)
{
    // Care360 has no pagination: every list is one request, whatever page was asked for.
    auto *job = new ListJob(parent, this);
    if (parent.kind == NodeKind::Account) {
        listCases(job, page.withDetails);
    } else if (parent.kind == NodeKind::Care360Case && !parent.id().isEmpty()) {
        if (std::optional<ListPage> known = takeKnownFiles(parent.id(), page.withDetails)) {
            answerFromKnownFiles(job, std::move(*known));
            return job;
        }
        listFiles(job, parent.id(), page.withDetails);
    } else {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("Care360 has nothing to list under a %1.").arg(nodeKindName(parent.kind))));
    }
    return job;
}

namespace {

// Ends a list job with what `parse` (run on a worker thread) makes of the answer: the rows, or a
// MalformedResponse when the body is not a list answer. Big answers take longer to read than the
// event loop may be blocked, and a worker costs little for small ones.
template<typename Parse>
void finishListOffThread(ListJob *job, const QByteArray &requestId, Parse &&parse)
{
    runOffThread(job, std::forward<Parse>(parse),
                 [job, requestId](Care360FileList::ParsedList parsed) {
                     if (job->isFinished())
                         return; // aborted meanwhile
                     if (!parsed.problem.isEmpty()) {
                         job->finish(ApiError::malformed(parsed.problem, requestId));
                         return;
                     }
                     job->setPage(std::move(parsed.page));
                     job->finish();
                 });
}

} // namespace

namespace {

// An answer read while it arrives: each piece is read on a worker after the one before it (a
// chain of continuations on jsonThreadPool()), then finish() gives the result.
class PiecewiseReading
{
public:
    PiecewiseReading(bool withFiles, bool withDetails)
        : m_stream(std::make_shared<Care360ListStream>(withFiles, withDetails))
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
        , m_chain(QtFuture::makeReadyVoidFuture())
#else
        , m_chain(QtFuture::makeReadyFuture())
#endif
    { }

    void read(const QByteArray &piece)
    {
        m_chain
            = m_chain.then(jsonThreadPool(), [stream = m_stream, piece] { stream->append(piece); });
    }
    QFuture<Care360FileList::ParsedAccount> finish()
    {
        return m_chain.then(jsonThreadPool(), [stream = m_stream] { return stream->finish(); });
    }

private:
    std::shared_ptr<Care360ListStream> m_stream;
    QFuture<void> m_chain;
};

} // namespace

void Care360Connector::listCases(ListJob *job, bool withDetails)
{
    // There is no case list: the cases are the distinct caseIds of the patient's files (files
    // uploaded without a case are not listed by Care360 at all).
    QList<QPair<QString, QString>> query;
    if (!m_typeFilter.isEmpty())
        query.append({ QStringLiteral("type"), m_typeFilter.toLower() });
    ApiRequest request;
    request.url = filesUrl({}, query);
    // The answer holds every file of the patient (17 MB for 50,000): it is read on a worker while
    // it arrives, so little is left to read after its last byte. Pieces that come after the job
    // was aborted are not read.
    const bool keepFiles = m_knownFilesLifetimeMs > 0;
    auto reading = std::make_shared<PiecewiseReading>(keepFiles, withDetails);
    request.bodyPieces = [reading, guard = QPointer<ListJob>(job)](const QByteArray &piece) {
        if (guard && !guard->isFinished())
            reading->read(piece);
    };
    // The job is the connector's child: while it lives, so does `this`.
    session()->send(
        request, job,
        [this, job, withDetails, reading, filter = m_typeFilter,
         removals = m_removalsStarted](const ApiResult &result) {
            if (!result.ok()) {
                job->finish(care360Error(result));
                return;
            }
            if (job->isFinished())
                return; // aborted: what arrived is not worth reading
            whenReady(job, reading->finish(),
                      [this, job, filter, withDetails, removals,
                       requestId = result.requestId](Care360FileList::ParsedAccount parsed) {
                          if (job->isFinished())
                              return; // aborted meanwhile
                          if (!parsed.cases.problem.isEmpty()) {
                              job->finish(ApiError::malformed(parsed.cases.problem, requestId));
                              return;
                          }
                          // Newer than any rows kept before, which it replaces. Not kept when a
                          // delete started since the request went out: the answer may predate it.
                          forgetKnownFiles();
                          if (filter == m_typeFilter && m_knownFilesLifetimeMs > 0
                              && removals == m_removalsStarted && !parsed.filesByCase.isEmpty()) {
                              m_knownFiles.typeFilter = filter;
                              m_knownFiles.withDetails = withDetails;
                              m_knownFiles.byCase = std::move(parsed.filesByCase);
                              m_knownFiles.age.start();
                              m_knownFilesExpiry.start(m_knownFilesLifetimeMs);
                          }
                          job->setPage(std::move(parsed.cases.page));
                          job->finish();
                      });
        });
}

void Care360Connector::listFiles(ListJob *job, const QString &caseId, bool withDetails)
{
    QList<QPair<QString, QString>> query { { QStringLiteral("caseId"), caseId } };
    if (!m_typeFilter.isEmpty())
        query.append({ QStringLiteral("type"), m_typeFilter.toLower() });
    ApiRequest request;
    request.url = filesUrl({}, query);
    session()->send(request, job, [job, withDetails](const ApiResult &result) {
        if (!result.ok()) {
            ApiError error = care360Error(result);
            if (error.httpStatus == 403)
                error.userMessage = tr("This case is not one of the signed-in patient's cases, "
                                       "so Care360 does not show its files. (HTTP 403)");
            job->finish(error);
            return;
        }
        finishListOffThread(job, result.requestId,
                            [body = result.body, parent = job->parentRef(), withDetails] {
                                return Care360FileList::parseFileList(
                                    body, parent, defaultJsonParser(), withDetails);
                            });
    });
}

QString Care360Connector::signedInPatientId() const
{
    return jwtSubject(session()->secret(Secret::accessToken));
}

SimpleJob *Care360Connector::fetchMetadata(const NodeRef &file)
{
    return fetchFileData(file, QStringLiteral("metadata"));
}

SimpleJob *Care360Connector::fetchDownloadLink(const NodeRef &file)
{
    return fetchFileData(file, QStringLiteral("download"));
}

SimpleJob *Care360Connector::fetchFileData(const NodeRef &file, const QString &call)
{
    auto *job = new SimpleJob(this);
    if (file.kind != NodeKind::Care360File || file.id().isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Only Care360 files have details to fetch.")));
        return job;
    }
    ApiRequest request;
    request.url = filesUrl({ file.id(), call });
    const bool download = call == QLatin1String("download");
    const QUrl baseUrl = account().baseUrl;
    const QString fileId = file.id();
    session()->send(request, job, [this, job, download, baseUrl, fileId](const ApiResult &result) {
        if (!result.ok()) {
            job->finish(care360Error(result));
            return;
        }
        QString problem;
        const QJsonObject body = result.jsonObject(&problem);
        const std::optional<QJsonObject> data = problem.isEmpty() ? dataOf(body) : std::nullopt;
        if (!data) {
            job->finish(ApiError::malformed(
                problem.isEmpty() ? QStringLiteral("no data object in the answer") : problem,
                result.requestId));
            return;
        }
        if (!download) {
            QVariantMap map = data->toVariantMap();
            const QString uploader = uploaderName(*data);
            if (!uploader.isEmpty())
                map.insert(QStringLiteral("uploadedByName"), uploader);
            const QString uploaderId = stringField(
                data->value(QStringLiteral("uploadedBy")).toObject(), QStringLiteral("id"));
            if (!uploaderId.isEmpty()
                && stringField(*data, QStringLiteral("id")).compare(fileId, Qt::CaseInsensitive)
                    == 0)
                m_uploaders.insert(fileId, { uploaderId, uploader });
            job->setData(map);
            job->finish();
            return;
        }
        // Only a web address is a link: anything else must not reach a "open this" button.
        const QUrl url(firstField(*data, { "downloadUrl", "download_url", "url" }).toString(),
                       QUrl::StrictMode);
        if (!url.isValid()
            || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
            job->finish(ApiError::malformed(QStringLiteral("no usable downloadUrl in the answer"),
                                            result.requestId));
            return;
        }
        // A health record over plain http would cross the network unencrypted when opened.
        const QString linkProblem = serviceLinkProblem(url, baseUrl);
        if (!linkProblem.isEmpty()) {
            ApiError refused = ApiError::make(
                ApiError::Kind::MalformedResponse,
                tr("Care360 gave a download link Docket will not offer: %1").arg(linkProblem));
            refused.requestId = result.requestId;
            job->finish(refused);
            return;
        }
        job->setData({
            { QStringLiteral("downloadUrl"), url.toString(QUrl::FullyEncoded) },
            { QStringLiteral("fileName"),
              firstField(*data, { "fileName", "file_name", "name" }).toString() },
            { QStringLiteral("expiresIn"),
              positiveSeconds(firstField(*data, { "expiresIn", "expires_in" }),
                              kDefaultDownloadSeconds) },
        });
        job->finish();
    });
    return job;
}

SignInJob *Care360Connector::signIn(SignInMode mode)
{
    auto *job = new SignInJob(this);
    if (!session()->hasSecret(Secret::tenantKey)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Care360 tenant key (cv-api-key) first.")));
        return job;
    }
    if (mode == SignInMode::NewSecrets) {
        signInWithCode(job);
        return job;
    }
    // renew() answers "no stored sign-in" itself when there is no refresh token, and joins a
    // renewal already in flight instead of replaying the same refresh token.
    QPointer<SimpleJob> guard(job);
    QPointer<AccountSession> sessionGuard(session());
    m_authenticator->renew([guard, sessionGuard](const ApiError &error) {
        if (!guard)
            return;
        if (!error.isError() && sessionGuard)
            sessionGuard->markSignedIn();
        guard->finish(error);
    });
    return job;
}

void Care360Connector::signInWithCode(SignInJob *job)
{
    QPointer<SignInJob> guard(job);
    connect(requestCode(), &ConnectorJob::finished, job, [this, guard](ConnectorJob *sent) {
        if (!guard)
            return;
        if (sent->failed()) {
            guard->finish(sent->error());
            return;
        }
        guard->askForCode(account().setting(QStringLiteral("login")),
                          [this, guard](const QString &code) {
                              connect(verifyCode(code), &ConnectorJob::finished, guard.data(),
                                      [guard](ConnectorJob *verified) {
                                          // A refused code leaves the sign-in open for another (the
                                          // dialog's retry).
                                          if (verified->failed())
                                              guard->rejectCode(verified->error());
                                          else
                                              guard->finish();
                                      });
                          });
    });
}

SimpleJob *Care360Connector::requestCode()
{
    auto *job = new SimpleJob(this);
    const QString login = account().setting(QStringLiteral("login")).trimmed();
    if (!session()->hasSecret(Secret::tenantKey)) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   tr("Enter the Care360 tenant key (cv-api-key) first.")));
        return job;
    }
    if (login.isEmpty()) {
        job->finish(ApiError::make(
            ApiError::Kind::InvalidInput,
            tr("Enter the email address or phone number the code should be sent to.")));
        return job;
    }
    const bool phone = looksLikePhoneNumber(login);
    QJsonObject body;
    if (phone) {
        QString number = login;
        number.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
        body = { { QStringLiteral("phoneNumber"), number },
                 { QStringLiteral("channel"), QStringLiteral("SMS") } };
    } else {
        body = { { QStringLiteral("email"), login },
                 { QStringLiteral("channel"), QStringLiteral("EMAIL") } };
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("send-otp"), body), job,
        [job, phone, login](const ApiResult &result) {
            if (!result.ok()) {
                ApiError error = care360Error(result);
                if (error.httpStatus == 400)
                    error.userMessage = tr("Care360 did not accept “%1” as an email address or "
                                           "phone number. (HTTP 400)")
                                            .arg(login);
                job->finish(error);
                return;
            }
            // Always 200, whether or not the account exists (no user enumeration).
            job->setData({ { QStringLiteral("channel"),
                             phone ? QStringLiteral("SMS") : QStringLiteral("EMAIL") } });
            job->finish();
        });
    return job;
}

SimpleJob *Care360Connector::verifyCode(const QString &code)
{
    auto *job = new SimpleJob(this);
    const QString login = account().setting(QStringLiteral("login")).trimmed();
    const QString trimmedCode = code.trimmed();
    if (!session()->hasSecret(Secret::tenantKey) || login.isEmpty() || trimmedCode.isEmpty()) {
        job->finish(ApiError::make(ApiError::Kind::InvalidInput,
                                   trimmedCode.isEmpty()
                                       ? tr("Enter the code Care360 sent.")
                                       : tr("Enter the tenant key and the email address or phone "
                                            "number first.")));
        return job;
    }
    QJsonObject body { { QStringLiteral("code"), trimmedCode } };
    if (looksLikePhoneNumber(login)) {
        QString number = login;
        number.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
        body.insert(QStringLiteral("phoneNumber"), number);
    } else {
        body.insert(QStringLiteral("email"), login);
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("verify-otp"), body), job, [this, job](const ApiResult &result) {
            if (!result.ok()) {
                ApiError error = care360Error(result);
                if (!isUnknownTenant(error) && (error.httpStatus == 401 || error.httpStatus == 400))
                    error.userMessage = tr("The code is wrong or has expired. Request a new code "
                                           "and try again. (HTTP %1)")
                                            .arg(error.httpStatus);
                job->finish(error);
                return;
            }
            QString problem;
            const QJsonObject body = result.jsonObject(&problem);
            const std::optional<TokenPair> tokens
                = problem.isEmpty() ? parseTokens(body) : std::nullopt;
            if (!tokens) {
                job->finish(ApiError::malformed(
                    problem.isEmpty() ? QStringLiteral("no access and refresh token in the answer")
                                      : problem,
                    result.requestId));
                return;
            }
            // Signed in only once both tokens are safe in the store.
            m_authenticator->acceptTokens(*tokens, job, [this, job](const QString &error) {
                if (!error.isEmpty()) {
                    job->finish(storeError(error));
                    return;
                }
                session()->markSignedIn();
                job->finish();
            });
        });
    return job;
}

SimpleJob *Care360Connector::signOut()
{
    auto *job = new SimpleJob(this);
    m_authenticator->reset();
    const QString refreshToken = session()->secret(Secret::refreshToken);
    const auto forget = [this, job](const ApiError &logoutError, bool called) {
        // Forget every secret even when the logout call failed: Docket must not keep a sign-in
        // the user ended.
        session()->clearSecrets(job, [this, job, logoutError, called](const QString &error) {
            QVariantMap data { { QStringLiteral("serviceLogout"),
                                 called && !logoutError.isError() } };
            if (logoutError.isError())
                data.insert(QStringLiteral("serviceLogoutError"), logoutError.userMessage);
            job->setData(data);
            job->finish(error.isEmpty() ? ApiError() : secretsNotRemovedError(account(), error));
        });
    };
    if (refreshToken.isEmpty() || !session()->hasSecret(Secret::tenantKey)) {
        forget(ApiError(), false); // nothing to end at the service
        return job;
    }
    session()->sendUnauthenticated(
        authRequest(QStringLiteral("logout"),
                    { { QStringLiteral("refresh_token"), refreshToken } }),
        job, [forget](const ApiResult &result) { forget(care360Error(result), true); });
    return job;
}

} // namespace Docket
