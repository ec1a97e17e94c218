#include "care360service.h"

#include "care360data.h"
#include "care360wire.h"

#include <QJsonArray>

using namespace Care360;

Care360Service::Care360Service()
    : SandboxService(QStringLiteral("care360"), QStringLiteral("CareValidate Care360"))
    , d(std::make_unique<Data>(this))
{ }

Care360Service::~Care360Service() = default;

QList<Route> Care360Service::routes()
{
    Data *data = d.get();
    return {
        Route::bind("POST", QStringLiteral("/api/v1/users/auth/send-otp"),
                    QStringLiteral("auth.send-otp"), data, &Data::sendOtp),
        Route::bind("POST", QStringLiteral("/api/v1/users/auth/verify-otp"),
                    QStringLiteral("auth.verify-otp"), data, &Data::verifyOtp),
        Route::bind("POST", QStringLiteral("/api/v1/users/auth/refresh-token"),
                    QStringLiteral("auth.refresh-token"), data, &Data::refresh),
        Route::bind("POST", QStringLiteral("/api/v1/users/auth/logout"),
                    QStringLiteral("auth.logout"), data, &Data::logout),
        Route::bind("GET", QStringLiteral("/api/v1/users/me/files"), QStringLiteral("file.list"),
                    data, &Data::listFiles),
        Route::bind("POST", QStringLiteral("/api/v1/users/me/files/upload"),
                    QStringLiteral("file.upload"), data, &Data::upload),
        Route::bind("GET", QStringLiteral("/api/v1/users/me/files/{id}/metadata"),
                    QStringLiteral("file.metadata"), data, &Data::metadata),
        Route::bind("PATCH", QStringLiteral("/api/v1/users/me/files/{id}/metadata"),
                    QStringLiteral("file.rename"), data, &Data::rename),
        Route::bind("GET", QStringLiteral("/api/v1/users/me/files/{id}/download"),
                    QStringLiteral("file.download"), data, &Data::download),
        Route::bind("DELETE", QStringLiteral("/api/v1/users/me/files/{id}"),
                    QStringLiteral("file.delete"), data, &Data::remove),
        // Where downloadUrl points: a signed link, so no cv-api-key or Bearer (like a bucket URL).
        Route::bind("GET", QStringLiteral("/downloads/{token}"), QStringLiteral("download.content"),
                    data, &Data::downloadContent),
    };
}

SandboxReply Care360Service::errorReply(int status, const QString &code,
                                        const QString &message) const
{
    // Care360 codes are upper case ("NOT_FOUND"); callers pass "not_found" style.
    return failure(status, message, code.toUpper());
}

QByteArray Care360Service::rateLimitKey(const SandboxRequest &request) const
{
    // File calls are limited per access token; sign-in calls carry only the tenant key.
    const QByteArray token = request.bearerToken();
    return token.isEmpty() ? request.header("cv-api-key").trimmed() : token;
}

void Care360Service::populate(const DataSpec &spec)
{
    d->populate(spec);
}

void Care360Service::expireTokens()
{
    // Access tokens only: refresh tokens stay valid so a client can renew.
    for (AccessToken &token : d->accessTokens)
        token.expiresAtMs = 0;
}

QJsonObject Care360Service::credentials() const
{
    QJsonArray cases;
    for (const int index : d->demoCases)
        cases.append(QJsonObject { { QStringLiteral("id"), d->cases.at(index).id },
                                   { QStringLiteral("title"), d->cases.at(index).title } });
    const User &patient = d->users.at(d->demoPatient);
    return {
        { QStringLiteral("tenantKey"), d->tenants.at(0).key },
        { QStringLiteral("tenantName"), d->tenants.at(0).name },
        { QStringLiteral("email"), patient.email },
        { QStringLiteral("phoneNumber"), patient.phoneNumber },
        { QStringLiteral("patientId"), patient.id },
        { QStringLiteral("otpCode"), demoOtpCode() },
        { QStringLiteral("otherPatientEmail"), d->users.at(d->otherPatient).email },
        { QStringLiteral("otherTenantKey"), d->tenants.at(1).key },
        { QStringLiteral("otherTenantEmail"), d->users.at(d->otherTenantPatient).email },
        { QStringLiteral("cases"), cases },
        { QStringLiteral("otherPatientCaseId"), d->cases.at(d->otherPatientCase).id },
    };
}

QJsonObject Care360Service::summary() const
{
    QJsonArray activities;
    for (const CaseActivity &activity : d->activities)
        activities.append(d->activityJson(activity));
    return {
        { QStringLiteral("counts"),
          QJsonObject { { QStringLiteral("files"), d->liveFileCount },
                        { QStringLiteral("cases"), int(d->cases.size()) } } },
        { QStringLiteral("deleted"),
          QJsonObject { { QStringLiteral("files"), QJsonArray::fromStringList(d->deletedFileIds) },
                        { QStringLiteral("cases"), QJsonArray() } } },
        { QStringLiteral("caseActivities"), activities },
        { QStringLiteral("refreshFamiliesRevoked"), d->familiesRevoked },
        { QStringLiteral("refreshReuseDetected"), d->reuseDetected },
    };
}

QJsonObject Care360Service::detail() const
{
    QJsonArray files;
    for (const File &file : d->files) {
        QJsonObject item = d->fileJson(file);
        const int owner
            = file.caseIndex >= 0 ? d->cases.at(file.caseIndex).submitter : file.uploader;
        item.insert(QStringLiteral("owner"), d->users.at(owner).email);
        item.insert(QStringLiteral("tenantKey"), d->tenants.at(file.tenant).key);
        item.insert(QStringLiteral("isDeleted"), file.isDeleted);
        item.insert(QStringLiteral("deleted"), file.isDeleted);
        if (file.isDeleted)
            item.insert(QStringLiteral("deletedAt"), file.deletedAt);
        files.append(item);
    }
    QJsonArray cases;
    for (const Case &c : d->cases) {
        const User &submitter = d->users.at(c.submitter);
        cases.append(QJsonObject {
            { QStringLiteral("id"), c.id },
            { QStringLiteral("title"), c.title },
            { QStringLiteral("submitterId"), submitter.id },
            { QStringLiteral("organizationId"), d->tenants.at(c.tenant).organizationId },
            { QStringLiteral("tenantKey"), d->tenants.at(c.tenant).key },
            { QStringLiteral("owner"), submitter.email },
            { QStringLiteral("createdAt"), c.createdAt },
            { QStringLiteral("deleted"), false },
        });
    }
    QJsonArray activities;
    for (const CaseActivity &activity : d->activities)
        activities.append(d->activityJson(activity));
    return { { QStringLiteral("files"), files },
             { QStringLiteral("cases"), cases },
             { QStringLiteral("caseActivities"), activities } };
}
