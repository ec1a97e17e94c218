#pragma once

#include "care360records.h"
#include "care360service.h"
#include "core/datagenerator.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

// Everything the fake Care360 holds, and its handlers: generation in care360data.cpp, sign-in in
// care360auth.cpp, files in care360files.cpp. Care360Service (care360service.cpp) routes to it.
struct Care360Service::Data
{
    explicit Data(Care360Service *owner);

    Care360Service *service;
    const QByteArray signingKey; // for the JWT look of access tokens; validation is by lookup

    QList<Care360::Tenant> tenants;
    QList<Care360::User> users;
    QList<QJsonObject> uploaderJson; // per user: {"id","firstName","lastName"}
    QList<Care360::Case> cases;
    QList<Care360::File> files;
    QList<Care360::CaseActivity> activities;
    QHash<QString, int> tenantByKey;
    QHash<QString, int> caseById;
    QHash<QString, int> fileById;
    QList<QList<int>> caseFiles; // per case, oldest first
    QHash<int, QList<int>> patientFiles; // files in a patient's cases, oldest first
    QStringList deletedFileIds;
    int liveFileCount = 0;

    int demoPatient = -1;
    int otherPatient = -1;
    int otherTenantPatient = -1;
    QList<int> demoCases;
    int otherPatientCase = -1;
    int otherTenantCase = -1;

    // Sign-in state.
    QHash<QString, qint64> otpExpiry; // otpKey() -> expiry (ms since epoch)
    QHash<QByteArray, Care360::AccessToken> accessTokens;
    QHash<QByteArray, Care360::RefreshToken> refreshTokens;
    QList<Care360::Family> families;
    QHash<QByteArray, Care360::DownloadGrant> downloads;
    int familiesRevoked = 0;
    int reuseDetected = 0;

    // Uploads and activities are stamped after every generated item, one second apart, so lists
    // stay "newest first" and runs are reproducible.
    qint64 clockSecs = 0;
    DataGenerator runtime { 1 };

    // Generation (care360data.cpp).
    void populate(const DataSpec &spec);
    int addUser(DataGenerator &generator, int tenant, const QString &email, const QString &phone,
                bool staff);
    int addCase(DataGenerator &generator, int submitter, const QString &title);
    int addGeneratedFile(DataGenerator &generator, int caseIndex, int uploader);
    void buildIndexes();
    void indexFile(int index);
    QString tick();

    // Sign-in (care360auth.cpp).
    std::optional<SandboxReply> resolveTenant(const SandboxRequest &request, int *tenant) const;
    std::optional<SandboxReply> authenticate(const SandboxRequest &request,
                                             Care360::Caller *caller) const;
    int findPatient(int tenant, const QString &identityKey) const;
    QJsonObject issuePair(int family);
    QByteArray makeAccessJwt(const Care360::Family &family, qint64 issuedAtMs) const;
    void revokeFamily(int family);
    SandboxReply sendOtp(const SandboxRequest &request);
    SandboxReply verifyOtp(const SandboxRequest &request);
    SandboxReply refresh(const SandboxRequest &request);
    SandboxReply logout(const SandboxRequest &request);

    // Files (care360files.cpp).
    std::optional<SandboxReply> findVisibleFile(const Care360::Caller &caller, const QString &id,
                                                int *index) const;
    // authenticate(), then findVisibleFile() of the file "{id}" names.
    std::optional<SandboxReply> findCallersFile(const SandboxRequest &request,
                                                const RouteParams &params, Care360::Caller *caller,
                                                int *index) const;
    std::optional<SandboxReply> findCallersCase(const Care360::Caller &caller,
                                                const QString &caseId, int *caseIndex) const;
    QJsonObject fileJson(const Care360::File &file) const;
    void appendFileJson(QByteArray &out, const Care360::File &file) const;
    QJsonObject activityJson(const Care360::CaseActivity &activity) const;
    QByteArray fileContent(const Care360::File &file) const;
    SandboxReply listFiles(const SandboxRequest &request) const;
    // The file routes name the file by "{id}"; the link download() hands out by "{token}".
    SandboxReply metadata(const SandboxRequest &request, const RouteParams &params) const;
    SandboxReply download(const SandboxRequest &request, const RouteParams &params);
    SandboxReply upload(const SandboxRequest &request);
    SandboxReply rename(const SandboxRequest &request, const RouteParams &params);
    SandboxReply remove(const SandboxRequest &request, const RouteParams &params);
    SandboxReply downloadContent(const SandboxRequest &request, const RouteParams &params) const;
};
