#pragma once

#include <QByteArray>
#include <QString>

// The fake Care360's records (docs/services.md §2), shared by its state, sign-in and file code.
namespace Care360 {

// Lifetimes: docs/services.md §2. Tokens, codes and download links use the real clock so a client
// sees them expire; generated data never does.
constexpr int kAccessTokenSeconds = 15 * 60;
constexpr qint64 kOtpLifetimeMs = 5 * 60 * 1000;
constexpr qint64 kRefreshSlidingMs = 30LL * 24 * 3600 * 1000;
constexpr qint64 kRefreshAbsoluteMs = 90LL * 24 * 3600 * 1000;
constexpr int kDownloadSeconds = 15 * 60;
constexpr int kMaxFileNameLength = 255;

inline QString demoOtpCode()
{
    return QStringLiteral("123456");
}

struct Tenant
{
    QString key;
    QString name;
    QString organizationId;
};

struct User
{
    QString id;
    int tenant = -1;
    QString email; // empty for staff: staff do not sign in to the patient API
    QString phoneNumber;
    QString firstName;
    QString lastName;
    bool staff = false;
};

struct Case
{
    QString id;
    QString title;
    int tenant = -1;
    int submitter = -1; // the patient whose case it is
    QString createdAt;
};

struct File
{
    QString id;
    QString fileName;
    QString mimeType;
    bool isPHI = true;
    bool isRestricted = false;
    int caseIndex = -1; // -1: uploaded without caseId
    int uploader = -1;
    int tenant = -1;
    qint64 createdAtSecs = 0;
    QString createdAt;
    qint64 size = 0;
    quint32 contentSeed = 0; // generated files: bytes are derived from this on download
    bool uploaded = false; // uploaded files keep their real bytes
    QByteArray uploadedBytes;
    bool isDeleted = false;
    // The file as list JSON, made on first listing (see appendFileJson); cleared on rename.
    mutable QByteArray listJson;
    QString deletedAt;
};

struct CaseActivity
{
    QString id;
    QString fileId;
    QString actorId;
    int caseIndex = -1;
    QString createdAt;
};

struct AccessToken
{
    int family = -1;
    qint64 expiresAtMs = 0;
};

struct RefreshToken
{
    int family = -1;
    qint64 issuedAtMs = 0;
    bool used = false;
};

// One sign-in: every access and refresh token it ever issued dies with it.
struct Family
{
    int user = -1;
    int tenant = -1;
    qint64 createdAtMs = 0;
    bool revoked = false;
};

struct DownloadGrant
{
    int file = -1;
    qint64 expiresAtMs = 0;
};

struct Caller
{
    int tenant = -1;
    int user = -1;
};

} // namespace Care360
