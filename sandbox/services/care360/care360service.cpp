#include "care360service.h"

#include "core/datagenerator.h"
#include "core/servicesupport.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <iterator>
#include <optional>

using Sandbox::base64Url;
using Sandbox::nowMs;
using Sandbox::randomBytes;

namespace {

// Lifetimes: docs/services.md §2. Tokens, codes and download links use the real clock so a client
// sees them expire; generated data never does.
constexpr int kAccessTokenSeconds = 15 * 60;
constexpr qint64 kOtpLifetimeMs = 5 * 60 * 1000;
constexpr qint64 kRefreshSlidingMs = 30LL * 24 * 3600 * 1000;
constexpr qint64 kRefreshAbsoluteMs = 90LL * 24 * 3600 * 1000;
constexpr int kDownloadSeconds = 15 * 60;
constexpr int kMaxFileNameLength = 255;

QString demoOtpCode()
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

struct FileKind
{
    const char *title;
    const char *extension;
    const char *mimeType;
};

const FileKind kFileKinds[] = {
    { "Lab results", "pdf", "application/pdf" },
    { "Referral letter", "pdf", "application/pdf" },
    { "Insurance card", "jpg", "image/jpeg" },
    { "Medication list", "csv", "text/csv" },
    { "Blood pressure log", "csv", "text/csv" },
    { "Discharge summary", "pdf", "application/pdf" },
    { "Photo of rash", "png", "image/png" },
    { "Questions for my doctor", "txt", "text/plain" },
    { "MRI report", "pdf", "application/pdf" },
    { "Knee X-ray", "tiff", "image/tiff" },
    { "Vaccination record", "webp", "image/webp" },
    { "Sick note", "doc", "application/msword" },
    { "Überweisung Dr. Müller", "pdf", "application/pdf" },
    { "Pain diagram", "svg", "image/svg+xml" },
};

const QStringList &allowedMimeTypes()
{
    static const QStringList types = {
        QStringLiteral("application/pdf"), QStringLiteral("application/msword"),
        QStringLiteral("text/csv"),        QStringLiteral("text/plain"),
        QStringLiteral("image/jpeg"),      QStringLiteral("image/png"),
        QStringLiteral("image/svg+xml"),   QStringLiteral("image/tiff"),
        QStringLiteral("image/webp"),
    };
    return types;
}

bool isUuid(const QString &value)
{
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(QStringLiteral(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")));
    return value.size() == 36 && pattern.match(value).hasMatch();
}

// --- The vendor's reply shapes -------------------------------------------------------------------

SandboxReply failure(int status, const QString &error, const QString &code)
{
    return SandboxReply::json(status,
                              { { QStringLiteral("status"), status },
                                { QStringLiteral("success"), false },
                                { QStringLiteral("error"), error },
                                { QStringLiteral("code"), code } });
}

SandboxReply validationFailed(const QString &error = QStringLiteral("Validation failed"))
{
    return failure(400, error, QStringLiteral("VALIDATION_ERROR"));
}

SandboxReply invalidToken()
{
    return failure(401, QStringLiteral("Invalid or expired token"),
                   QStringLiteral("VALIDATION_ERROR"));
}

SandboxReply fileNotFound()
{
    // Seed 001: one answer for missing, deleted, another patient's, another tenant's, not the
    // uploader.
    return failure(404, QStringLiteral("File not found"), QStringLiteral("VALIDATION_ERROR"));
}

SandboxReply caseForbidden()
{
    return failure(403, QStringLiteral("You do not have access to this case"),
                   QStringLiteral("FORBIDDEN"));
}

SandboxReply refreshInvalid()
{
    return failure(401, QStringLiteral("Invalid or expired refresh token"),
                   QStringLiteral("REFRESH_INVALID"));
}

SandboxReply success(int status, const QJsonObject &data)
{
    return SandboxReply::json(status,
                              { { QStringLiteral("status"), status },
                                { QStringLiteral("success"), true },
                                { QStringLiteral("data"), data } });
}

SandboxReply successMessage(const QString &message)
{
    return SandboxReply::json(200,
                              { { QStringLiteral("status"), 200 },
                                { QStringLiteral("success"), true },
                                { QStringLiteral("message"), message } });
}

// --- Identities for OTP
// ---------------------------------------------------------------------------

QString normalizedEmail(const QJsonValue &value)
{
    const QString email = value.toString().trimmed().toLower();
    const qsizetype at = email.indexOf(u'@');
    if (at <= 0 || at == email.size() - 1 || email.contains(u' '))
        return {};
    return email;
}

// "+1 (555) 555-0100" and "+15555550100" are the same number.
QString normalizedPhone(const QJsonValue &value)
{
    const QString raw = value.toString().trimmed();
    QString phone;
    for (const QChar c : raw) {
        if (c.isDigit() || (c == u'+' && phone.isEmpty()))
            phone.append(c);
        else if (c != u' ' && c != u'-' && c != u'(' && c != u')' && c != u'.')
            return {};
    }
    return phone.size() >= 8 ? phone : QString();
}

// --- Deterministic bytes for generated files
// -------------------------------------------------------

QByteArray textFiller(quint32 seed, qsizetype size, const QByteArray &linePrefix)
{
    DataGenerator words(seed);
    QByteArray text;
    text.reserve(size + 128);
    while (text.size() < size)
        text += linePrefix + words.sentence(6, 14).toUtf8() + '\n';
    text.truncate(size);
    return text;
}

QByteArray csvFiller(quint32 seed, qsizetype size)
{
    DataGenerator values(seed);
    QByteArray text;
    text.reserve(size + 64);
    QDate day = DataGenerator::epoch().date().addDays(-400);
    while (text.size() < size) {
        day = day.addDays(1);
        text += day.toString(Qt::ISODate).toLatin1() + ','
            + QByteArray::number(values.between(105, 150)) + ','
            + QByteArray::number(values.between(65, 95)) + ','
            + QByteArray::number(values.between(55, 90)) + '\n';
    }
    text.truncate(size);
    return text;
}

QByteArray binaryFiller(quint32 seed, qsizetype size)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(random.bounded(256));
    return bytes;
}

// Magic bytes and trailer of the type, filler in between: exactly `size` bytes, so the "size" field
// and the Content-Length agree and a client that sniffs the type is not surprised.
QByteArray generatedContent(const QString &mimeType, quint32 seed, qsizetype size)
{
    QByteArray head;
    QByteArray tail;
    enum { Text, Csv, Binary } filler = Binary;
    QByteArray linePrefix;
    if (mimeType == QLatin1String("application/pdf")) {
        head = QByteArrayLiteral("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
        tail = QByteArrayLiteral("\n%%EOF\n");
        filler = Text;
        linePrefix = "% ";
    } else if (mimeType == QLatin1String("image/png")) {
        head = QByteArrayLiteral("\x89PNG\r\n\x1A\n");
        tail = QByteArrayLiteral("\0\0\0\0IEND\xAE\x42\x60\x82");
    } else if (mimeType == QLatin1String("image/jpeg")) {
        head = QByteArrayLiteral("\xFF\xD8\xFF\xE0");
        tail = QByteArrayLiteral("\xFF\xD9");
    } else if (mimeType == QLatin1String("image/tiff")) {
        head = QByteArrayLiteral("II*\0");
    } else if (mimeType == QLatin1String("image/webp")) {
        head = QByteArrayLiteral("RIFF\0\0\0\0WEBPVP8 ");
    } else if (mimeType == QLatin1String("application/msword")) {
        head = QByteArrayLiteral("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    } else if (mimeType == QLatin1String("image/svg+xml")) {
        head = QByteArrayLiteral(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\">\n"
            "<circle cx=\"32\" cy=\"32\" r=\"24\" fill=\"#c33\"/>\n<!--\n");
        tail = QByteArrayLiteral("-->\n</svg>\n");
        filler = Text;
    } else if (mimeType == QLatin1String("text/csv")) {
        head = QByteArrayLiteral("date,systolic,diastolic,pulse\n");
        filler = Csv;
    } else {
        filler = Text;
    }
    const qsizetype middle = qMax<qsizetype>(0, size - head.size() - tail.size());
    QByteArray body;
    switch (filler) {
    case Text:
        body = textFiller(seed, middle, linePrefix);
        break;
    case Csv:
        body = csvFiller(seed, middle);
        break;
    case Binary:
        body = binaryFiller(seed, middle);
        break;
    }
    return head + body + tail;
}

// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
void appendJsonString(QByteArray &out, const QString &value)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : value.toUtf8()) {
        const uchar byte = uchar(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

QByteArray contentDisposition(const QString &fileName)
{
    // An ASCII fallback plus the RFC 5987 form, so names like "Überweisung" survive.
    QByteArray ascii;
    for (const QChar c : fileName)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\')
            ? char(c.unicode())
            : '_';
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + QUrl::toPercentEncoding(fileName);
}

} // namespace

// -------------------------------------------------------------------------------------------------

struct Care360Service::Data
{
    explicit Data(Care360Service *owner)
        : service(owner)
        , signingKey(randomBytes(32))
    { }

    Care360Service *service;
    const QByteArray signingKey; // for the JWT look of access tokens; validation is by lookup

    QList<Tenant> tenants;
    QList<User> users;
    QList<QJsonObject> uploaderJson; // per user: {"id","firstName","lastName"}
    QList<Case> cases;
    QList<File> files;
    QList<CaseActivity> activities;
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
    QHash<QByteArray, AccessToken> accessTokens;
    QHash<QByteArray, RefreshToken> refreshTokens;
    QList<Family> families;
    QHash<QByteArray, DownloadGrant> downloads;
    int familiesRevoked = 0;
    int reuseDetected = 0;

    // Uploads and activities are stamped after every generated item, one second apart, so lists
    // stay "newest first" and runs are reproducible.
    qint64 clockSecs = 0;
    DataGenerator runtime { 1 };

    void populate(const DataSpec &spec);
    int addUser(DataGenerator &generator, int tenant, const QString &email, const QString &phone,
                bool staff);
    int addCase(DataGenerator &generator, int submitter, const QString &title);
    int addGeneratedFile(DataGenerator &generator, int caseIndex, int uploader);
    void buildIndexes();
    void indexFile(int index);
    QString tick();

    std::optional<SandboxReply> resolveTenant(const SandboxRequest &request, int *tenant) const;
    std::optional<SandboxReply> authenticate(const SandboxRequest &request, Caller *caller) const;
    std::optional<SandboxReply> findVisibleFile(const Caller &caller, const QString &id,
                                                int *index) const;
    int findPatient(int tenant, const QString &identityKey) const;
    QJsonObject issuePair(int family);
    QByteArray makeAccessJwt(const Family &family, qint64 issuedAtMs) const;
    void revokeFamily(int family);
    QJsonObject fileJson(const File &file) const;
    void appendFileJson(QByteArray &out, const File &file) const;
    QJsonObject activityJson(const CaseActivity &activity) const;
    QByteArray fileContent(const File &file) const;

    SandboxReply sendOtp(const SandboxRequest &request);
    SandboxReply verifyOtp(const SandboxRequest &request);
    SandboxReply refresh(const SandboxRequest &request);
    SandboxReply logout(const SandboxRequest &request);
    SandboxReply listFiles(const SandboxRequest &request) const;
    // The file routes name the file by "{id}"; the link download() hands out by "{token}".
    SandboxReply metadata(const SandboxRequest &request, const RouteParams &params) const;
    SandboxReply download(const SandboxRequest &request, const RouteParams &params);
    SandboxReply upload(const SandboxRequest &request);
    SandboxReply rename(const SandboxRequest &request, const RouteParams &params);
    SandboxReply remove(const SandboxRequest &request, const RouteParams &params);
    SandboxReply downloadContent(const SandboxRequest &request, const RouteParams &params) const;
};

namespace {

// "email:x" / "phone:+1..." from a body (email wins); empty when the one named is missing or
// unusable.
QString identityKey(const QJsonObject &body)
{
    if (body.contains(QStringLiteral("email"))) {
        const QString email = normalizedEmail(body.value(QStringLiteral("email")));
        return email.isEmpty() ? QString() : QStringLiteral("email:") + email;
    }
    if (body.contains(QStringLiteral("phoneNumber"))) {
        const QString phone = normalizedPhone(body.value(QStringLiteral("phoneNumber")));
        return phone.isEmpty() ? QString() : QStringLiteral("phone:") + phone;
    }
    return {};
}

// As the vendor's JSON body parser: a body not declared application/json is not read at all.
QJsonObject jsonBody(const SandboxRequest &request, bool *ok)
{
    const QJsonObject body = request.jsonBody(ok);
    *ok = *ok && request.mimeType() == "application/json";
    return body;
}

QString otpKey(int tenant, const QString &identity)
{
    return QString::number(tenant) + u'|' + identity;
}

QByteArray refreshTokenFrom(const QJsonObject &body)
{
    // The documented name is refresh_token; camelCase is accepted as the other token fields are.
    QJsonValue value = body.value(QStringLiteral("refresh_token"));
    if (!value.isString())
        value = body.value(QStringLiteral("refreshToken"));
    return value.toString().toUtf8();
}

} // namespace

// --- Generation
// ------------------------------------------------------------------------------------

void Care360Service::Data::populate(const DataSpec &spec)
{
    tenants.clear();
    users.clear();
    uploaderJson.clear();
    cases.clear();
    files.clear();
    activities.clear();
    tenantByKey.clear();
    caseById.clear();
    fileById.clear();
    caseFiles.clear();
    patientFiles.clear();
    deletedFileIds.clear();
    demoCases.clear();
    otpExpiry.clear();
    accessTokens.clear();
    refreshTokens.clear();
    families.clear();
    downloads.clear();
    familiesRevoked = 0;
    reuseDetected = 0;

    // Separate generators per block, so the other patient's and other tenant's fixtures keep their
    // ids whatever the scale.
    const quint32 base = spec.seed * 2654435761u + 0x360;
    DataGenerator people(base);
    tenants = {
        { QStringLiteral("cv-demo-tenant-key"), QStringLiteral("Riverside Family Clinic"),
          people.uuid() },
        { QStringLiteral("cv-other-tenant-key"), QStringLiteral("Lakeside Health Partners"),
          people.uuid() },
    };
    for (int i = 0; i < tenants.size(); ++i)
        tenantByKey.insert(tenants.at(i).key, i);
    demoPatient = addUser(people, 0, QStringLiteral("patient@example.org"),
                          QStringLiteral("+15555550100"), false);
    otherPatient = addUser(people, 0, QStringLiteral("other.patient@example.org"),
                           QStringLiteral("+15555550101"), false);
    const int staff = addUser(people, 0, {}, {}, true);
    otherTenantPatient = addUser(people, 1, QStringLiteral("patient@other.example.org"),
                                 QStringLiteral("+15555550200"), false);

    DataGenerator demo(base + 1);
    const int firstDemoFile = int(files.size());
    if (spec.scale <= 0) {
        const QStringList titles
            = { QStringLiteral("Annual physical 2026"), QStringLiteral("Knee pain follow-up"),
                QStringLiteral("Skin rash consultation") };
        int n = 0;
        for (const QString &title : titles) {
            const int caseIndex = addCase(demo, demoPatient, title);
            demoCases.append(caseIndex);
            const int count = demo.between(3, 6);
            for (int i = 0; i < count; ++i, ++n)
                addGeneratedFile(demo, caseIndex, n % 4 == 3 ? staff : demoPatient);
        }
        // Whatever the seed, the small set shows both kinds and a restricted file.
        files[firstDemoFile].isPHI = true;
        files[firstDemoFile + 1].isPHI = false;
        files[firstDemoFile + 2].isRestricted = true;
    } else {
        static const char *const topics[]
            = { "Annual physical", "Knee pain",           "Skin rash",       "Diabetes care",
                "Physiotherapy",   "Cardiology referral", "Allergy testing", "Sleep study",
                "Prenatal care",   "Medication review" };
        for (int i = 0; i < 10; ++i)
            demoCases.append(addCase(demo, demoPatient,
                                     QString::fromUtf8(topics[i]) + QStringLiteral(" (case ")
                                         + QString::number(i + 1) + u')'));
        const int total = qMax(1, spec.scale / 2);
        for (int i = 0; i < total; ++i)
            addGeneratedFile(demo, demoCases.at(i % 10), demoPatient);
    }
    addGeneratedFile(demo, -1, demoPatient); // uploaded without caseId: never listed

    DataGenerator others(base + 2);
    otherPatientCase = addCase(others, otherPatient, QStringLiteral("Allergy review"));
    addGeneratedFile(others, otherPatientCase, otherPatient);
    addGeneratedFile(others, otherPatientCase, otherPatient);
    otherTenantCase = addCase(others, otherTenantPatient, QStringLiteral("Prenatal check-up"));
    addGeneratedFile(others, otherTenantCase, otherTenantPatient);
    addGeneratedFile(others, otherTenantCase, otherTenantPatient);

    buildIndexes();
    clockSecs = DataGenerator::epoch().toSecsSinceEpoch();
    runtime = DataGenerator(base + 3);
}

int Care360Service::Data::addUser(DataGenerator &generator, int tenant, const QString &email,
                                  const QString &phone, bool staff)
{
    User user;
    user.id = generator.uuid();
    user.tenant = tenant;
    user.email = email;
    user.phoneNumber = phone;
    user.firstName = generator.firstName();
    user.lastName = generator.lastName();
    user.staff = staff;
    uploaderJson.append({ { QStringLiteral("id"), user.id },
                          { QStringLiteral("firstName"), user.firstName },
                          { QStringLiteral("lastName"), user.lastName } });
    users.append(user);
    return int(users.size()) - 1;
}

int Care360Service::Data::addCase(DataGenerator &generator, int submitter, const QString &title)
{
    Case c;
    c.id = generator.uuid();
    c.title = title;
    c.tenant = users.at(submitter).tenant;
    c.submitter = submitter;
    // Opened 370 to 400 days back, so every file (within the last year) is newer than its case.
    c.createdAt = DataGenerator::isoUtc(generator.recentDateTime(30).addDays(-370));
    cases.append(c);
    caseById.insert(c.id, int(cases.size()) - 1);
    return int(cases.size()) - 1;
}

int Care360Service::Data::addGeneratedFile(DataGenerator &generator, int caseIndex, int uploader)
{
    const FileKind &kind = kFileKinds[generator.between(0, int(std::size(kFileKinds)) - 1)];
    const QDateTime created = generator.recentDateTime(365);
    File file;
    file.id = generator.uuid();
    file.fileName = QString::fromUtf8(kind.title) + u' '
        + created.toString(QStringLiteral("yyyy-MM-dd")) + u'.' + QLatin1String(kind.extension);
    file.mimeType = QLatin1String(kind.mimeType);
    file.isPHI = generator.chance(0.6);
    file.isRestricted = generator.chance(0.2);
    file.caseIndex = caseIndex;
    file.uploader = uploader;
    file.tenant = users.at(uploader).tenant;
    file.createdAtSecs = created.toSecsSinceEpoch();
    file.createdAt = DataGenerator::isoUtc(created);
    file.size = generator.between(2 * 1024, 96 * 1024);
    file.contentSeed = quint32(generator.between(0, 0x7fffffff));
    files.append(file);
    return int(files.size()) - 1;
}

void Care360Service::Data::buildIndexes()
{
    caseFiles = QList<QList<int>>(cases.size());
    fileById.reserve(files.size());
    for (int i = 0; i < files.size(); ++i) {
        fileById.insert(files.at(i).id, i);
        if (files.at(i).caseIndex >= 0) {
            caseFiles[files.at(i).caseIndex].append(i);
            patientFiles[cases.at(files.at(i).caseIndex).submitter].append(i);
        }
    }
    const auto olderFirst = [this](int a, int b) {
        const File &left = files.at(a);
        const File &right = files.at(b);
        if (left.createdAtSecs != right.createdAtSecs)
            return left.createdAtSecs < right.createdAtSecs;
        return left.id < right.id;
    };
    for (QList<int> &list : caseFiles)
        std::sort(list.begin(), list.end(), olderFirst);
    for (QList<int> &list : patientFiles)
        std::sort(list.begin(), list.end(), olderFirst);
    liveFileCount = int(files.size());
}

// An uploaded file is newer than everything else, so appending keeps the lists ordered.
void Care360Service::Data::indexFile(int index)
{
    const File &file = files.at(index);
    fileById.insert(file.id, index);
    if (file.caseIndex >= 0) {
        caseFiles[file.caseIndex].append(index);
        patientFiles[cases.at(file.caseIndex).submitter].append(index);
    }
    ++liveFileCount;
}

QString Care360Service::Data::tick()
{
    return DataGenerator::isoUtcFromSecs(++clockSecs);
}

// --- Authentication
// --------------------------------------------------------------------------------

std::optional<SandboxReply> Care360Service::Data::resolveTenant(const SandboxRequest &request,
                                                                int *tenant) const
{
    const QByteArray key = request.header("cv-api-key").trimmed();
    if (key.isEmpty())
        return validationFailed();
    const auto found = tenantByKey.constFind(QString::fromUtf8(key));
    if (found == tenantByKey.constEnd())
        return failure(404, QStringLiteral("Organization not found"), QStringLiteral("NOT_FOUND"));
    *tenant = *found;
    return std::nullopt;
}

std::optional<SandboxReply> Care360Service::Data::authenticate(const SandboxRequest &request,
                                                               Caller *caller) const
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return error;
    const QByteArray token = request.bearerToken();
    const auto found = accessTokens.constFind(token);
    if (token.isEmpty() || found == accessTokens.constEnd())
        return invalidToken();
    const Family &family = families.at(found->family);
    // A token of another tenant is as unknown as a made-up one.
    if (family.revoked || family.tenant != tenant || found->expiresAtMs <= nowMs())
        return invalidToken();
    caller->tenant = tenant;
    caller->user = family.user;
    return std::nullopt;
}

int Care360Service::Data::findPatient(int tenant, const QString &identityKey) const
{
    for (int i = 0; i < users.size(); ++i) {
        const User &user = users.at(i);
        if (user.staff || user.tenant != tenant)
            continue;
        if (identityKey == QStringLiteral("email:") + user.email
            || identityKey == QStringLiteral("phone:") + user.phoneNumber)
            return i;
    }
    return -1;
}

QByteArray Care360Service::Data::makeAccessJwt(const Family &family, qint64 issuedAtMs) const
{
    const QJsonObject header { { QStringLiteral("alg"), QStringLiteral("HS256") },
                               { QStringLiteral("typ"), QStringLiteral("JWT") } };
    const qint64 issuedAt = issuedAtMs / 1000;
    const QJsonObject payload {
        { QStringLiteral("sub"), users.at(family.user).id },
        { QStringLiteral("org"), tenants.at(family.tenant).organizationId },
        { QStringLiteral("iat"), issuedAt },
        { QStringLiteral("exp"), issuedAt + kAccessTokenSeconds },
        { QStringLiteral("jti"), QString::fromLatin1(randomBytes(12).toHex()) },
    };
    const QByteArray signingInput = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact))
        + '.' + base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const QByteArray signature
        = QMessageAuthenticationCode::hash(signingInput, signingKey, QCryptographicHash::Sha256);
    return signingInput + '.' + base64Url(signature);
}

QJsonObject Care360Service::Data::issuePair(int family)
{
    const qint64 now = nowMs();
    const QByteArray access = makeAccessJwt(families.at(family), now);
    accessTokens.insert(access, { family, now + kAccessTokenSeconds * 1000LL });
    const QByteArray refreshToken = base64Url(randomBytes(48));
    refreshTokens.insert(refreshToken, { family, now, false });
    return { { QStringLiteral("accessToken"), QString::fromLatin1(access) },
             { QStringLiteral("refreshToken"), QString::fromLatin1(refreshToken) },
             { QStringLiteral("expiresIn"), kAccessTokenSeconds } };
}

void Care360Service::Data::revokeFamily(int family)
{
    if (families.at(family).revoked)
        return;
    families[family].revoked = true;
    ++familiesRevoked;
}

SandboxReply Care360Service::Data::sendOtp(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    if (!ok)
        return validationFailed();
    const QString channel = body.value(QStringLiteral("channel")).toString();
    QString identity;
    if (channel == QLatin1String("EMAIL")) {
        const QString email = normalizedEmail(body.value(QStringLiteral("email")));
        if (!email.isEmpty())
            identity = QStringLiteral("email:") + email;
    } else if (channel == QLatin1String("SMS")) {
        const QString phone = normalizedPhone(body.value(QStringLiteral("phoneNumber")));
        if (!phone.isEmpty())
            identity = QStringLiteral("phone:") + phone;
    }
    if (identity.isEmpty())
        return validationFailed();
    // Recorded for unknown identities too: the answer must not reveal who has an account.
    otpExpiry.insert(otpKey(tenant, identity), nowMs() + kOtpLifetimeMs);
    return successMessage(
        QStringLiteral("If an account exists, a verification code has been sent"));
}

SandboxReply Care360Service::Data::verifyOtp(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    const QString identity = ok ? identityKey(body) : QString();
    const QJsonValue codeValue = body.value(QStringLiteral("code"));
    const QString code = codeValue.isDouble() ? QString::number(codeValue.toInteger())
                                              : codeValue.toString().trimmed();
    if (identity.isEmpty() || code.isEmpty())
        return validationFailed();

    const QString key = otpKey(tenant, identity);
    const int patient = findPatient(tenant, identity);
    if (otpExpiry.value(key, 0) <= nowMs() || code != demoOtpCode() || patient < 0)
        return failure(401, QStringLiteral("Invalid or expired code"),
                       QStringLiteral("VALIDATION_ERROR"));
    otpExpiry.remove(key); // single use

    families.append({ patient, tenant, nowMs(), false });
    return success(200, issuePair(int(families.size()) - 1));
}

SandboxReply Care360Service::Data::refresh(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    const QByteArray token = ok ? refreshTokenFrom(body) : QByteArray();
    if (token.isEmpty())
        return validationFailed();

    const auto found = refreshTokens.find(token);
    if (found == refreshTokens.end())
        return refreshInvalid();
    const int familyIndex = found->family;
    const Family &family = families.at(familyIndex);
    // Another tenant's token is only "invalid": it must not let that tenant revoke the family.
    if (family.tenant != tenant || family.revoked)
        return refreshInvalid();
    if (found->used) {
        // Someone holds a stale copy: kill every token of this sign-in.
        revokeFamily(familyIndex);
        ++reuseDetected;
        return failure(401, QStringLiteral("Refresh token has already been used"),
                       QStringLiteral("REFRESH_REUSED"));
    }
    const qint64 now = nowMs();
    if (now - found->issuedAtMs > kRefreshSlidingMs
        || now - family.createdAtMs > kRefreshAbsoluteMs)
        return refreshInvalid();
    found->used = true;
    return success(200, issuePair(familyIndex));
}

SandboxReply Care360Service::Data::logout(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    const auto found = refreshTokens.constFind(ok ? refreshTokenFrom(body) : QByteArray());
    if (found != refreshTokens.constEnd() && families.at(found->family).tenant == tenant)
        revokeFamily(found->family);
    // Always 200: logging out twice, or with a dead token, is not an error.
    return successMessage(QStringLiteral("Logged out successfully"));
}

// --- Files
// ----------------------------------------------------------------------------------------

QJsonObject Care360Service::Data::fileJson(const File &file) const
{
    return {
        { QStringLiteral("id"), file.id },
        { QStringLiteral("fileName"), file.fileName },
        { QStringLiteral("isPHI"), file.isPHI },
        { QStringLiteral("isRestricted"), file.isRestricted },
        { QStringLiteral("caseId"),
          file.caseIndex >= 0 ? QJsonValue(cases.at(file.caseIndex).id) : QJsonValue() },
        { QStringLiteral("uploadedBy"), uploaderJson.at(file.uploader) },
        { QStringLiteral("createdAt"), file.createdAt },
        { QStringLiteral("mimeType"), file.mimeType },
        { QStringLiteral("size"), file.size },
    };
}

// fileJson() as compact JSON text, keys in QJsonDocument's (sorted) order. Kept per file: the
// list has no pagination, so under --scale one answer carries 50,000 of these.
void Care360Service::Data::appendFileJson(QByteArray &out, const File &file) const
{
    if (file.listJson.isEmpty()) {
        QByteArray &json = file.listJson;
        json += "{\"caseId\":";
        if (file.caseIndex >= 0)
            json += '"' + cases.at(file.caseIndex).id.toLatin1() + '"';
        else
            json += "null";
        json += ",\"createdAt\":\"" + file.createdAt.toLatin1() + "\",\"fileName\":";
        appendJsonString(json, file.fileName);
        json += ",\"id\":\"" + file.id.toLatin1() + "\",\"isPHI\":";
        json += file.isPHI ? "true" : "false";
        json += ",\"isRestricted\":";
        json += file.isRestricted ? "true" : "false";
        json += ",\"mimeType\":";
        appendJsonString(json, file.mimeType);
        json += ",\"size\":" + QByteArray::number(file.size) + ",\"uploadedBy\":";
        json += QJsonDocument(uploaderJson.at(file.uploader)).toJson(QJsonDocument::Compact);
        json += '}';
        json.squeeze();
    }
    out += file.listJson;
}

QJsonObject Care360Service::Data::activityJson(const CaseActivity &activity) const
{
    return {
        { QStringLiteral("id"), activity.id },
        { QStringLiteral("type"), QStringLiteral("DELETE_ATTACHMENT") },
        { QStringLiteral("fileId"), activity.fileId },
        { QStringLiteral("actorId"), activity.actorId },
        { QStringLiteral("caseId"),
          activity.caseIndex >= 0 ? QJsonValue(cases.at(activity.caseIndex).id) : QJsonValue() },
        { QStringLiteral("createdAt"), activity.createdAt },
    };
}

QByteArray Care360Service::Data::fileContent(const File &file) const
{
    return file.uploaded ? file.uploadedBytes
                         : generatedContent(file.mimeType, file.contentSeed, file.size);
}

// The file when the caller may see it: same tenant, not deleted, in one of the caller's cases (or,
// without a case, uploaded by the caller). Everything else is the uniform 404.
std::optional<SandboxReply>
Care360Service::Data::findVisibleFile(const Caller &caller, const QString &id, int *index) const
{
    if (!isUuid(id))
        return validationFailed();
    const auto found = fileById.constFind(id.toLower());
    if (found == fileById.constEnd())
        return fileNotFound();
    const File &file = files.at(*found);
    const int owner = file.caseIndex >= 0 ? cases.at(file.caseIndex).submitter : file.uploader;
    if (file.isDeleted || file.tenant != caller.tenant || owner != caller.user)
        return fileNotFound();
    *index = *found;
    return std::nullopt;
}

SandboxReply Care360Service::Data::listFiles(const SandboxRequest &request) const
{
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;

    const QString type = request.queryValue(QStringLiteral("type")).trimmed().toLower();
    if (!type.isEmpty() && type != QLatin1String("phi") && type != QLatin1String("general"))
        return validationFailed();
    const bool filterType = !type.isEmpty();
    const bool wantPHI = type == QLatin1String("phi");

    static const QList<int> none;
    const QList<int> *indices = &none;
    const QString caseId = request.queryValue(QStringLiteral("caseId"));
    if (!caseId.isEmpty()) {
        if (!isUuid(caseId))
            return validationFailed();
        const int caseIndex = caseById.value(caseId.toLower(), -1);
        if (caseIndex < 0 || cases.at(caseIndex).tenant != caller.tenant
            || cases.at(caseIndex).submitter != caller.user)
            return caseForbidden();
        indices = &caseFiles.at(caseIndex);
    } else {
        const auto found = patientFiles.constFind(caller.user);
        if (found != patientFiles.constEnd())
            indices = &*found;
    }

    // Written straight into the body: under --scale this one answer holds 50,000 files, and
    // QJsonObject per file costs several times more. Same keys, order and values as success().
    QByteArray body;
    body.reserve(indices->size() * 380 + 64);
    body += "{\"data\":{\"files\":[";
    bool first = true;
    for (auto it = indices->crbegin(); it != indices->crend(); ++it) {
        const File &file = files.at(*it);
        if (file.isDeleted || (filterType && file.isPHI != wantPHI))
            continue;
        if (!first)
            body += ',';
        first = false;
        appendFileJson(body, file);
    }
    body += "]},\"status\":200,\"success\":true}";
    return SandboxReply::raw(200, body, "application/json");
}

SandboxReply Care360Service::Data::metadata(const SandboxRequest &request,
                                            const RouteParams &params) const
{
    const QString id = params.value(QStringLiteral("id"));
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    int index = -1;
    if (auto error = findVisibleFile(caller, id, &index))
        return *error;
    return success(200, fileJson(files.at(index)));
}

SandboxReply Care360Service::Data::download(const SandboxRequest &request,
                                            const RouteParams &params)
{
    const QString id = params.value(QStringLiteral("id"));
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    int index = -1;
    if (auto error = findVisibleFile(caller, id, &index))
        return *error;

    const QByteArray token = base64Url(randomBytes(24));
    downloads.insert(token, { index, nowMs() + kDownloadSeconds * 1000LL });
    const QString url
        = service->publicUrl(QStringLiteral("/downloads/") + QString::fromLatin1(token));
    return success(200,
                   { { QStringLiteral("downloadUrl"), url },
                     { QStringLiteral("fileName"), files.at(index).fileName },
                     { QStringLiteral("expiresIn"), kDownloadSeconds } });
}

SandboxReply Care360Service::Data::upload(const SandboxRequest &request)
{
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    if (!ok)
        return validationFailed();

    const QString name = body.value(QStringLiteral("name")).toString().trimmed();
    if (name.isEmpty() || name.size() > kMaxFileNameLength)
        return validationFailed();
    QString mimeType = body.value(QStringLiteral("mimeType")).toString();
    mimeType = mimeType.left(mimeType.indexOf(u';')).trimmed().toLower();
    if (!allowedMimeTypes().contains(mimeType))
        return validationFailed(QStringLiteral("File type not allowed"));
    const QJsonValue data = body.value(QStringLiteral("data"));
    const auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!data.isString() || !decoded || decoded.decoded.isEmpty())
        return validationFailed(QStringLiteral("Invalid file data"));

    const QJsonValue caseValue = body.value(QStringLiteral("caseId"));
    int caseIndex = -1;
    if (caseValue.isString() && !caseValue.toString().isEmpty()) {
        const QString caseId = caseValue.toString();
        if (!isUuid(caseId))
            return validationFailed();
        caseIndex = caseById.value(caseId.toLower(), -1);
        if (caseIndex < 0 || cases.at(caseIndex).tenant != caller.tenant
            || cases.at(caseIndex).submitter != caller.user)
            return caseForbidden();
    } else if (!caseValue.isUndefined() && !caseValue.isNull() && !caseValue.isString()) {
        return validationFailed();
    }

    File file;
    file.id = runtime.uuid();
    file.fileName = name;
    file.mimeType = mimeType;
    // Patient uploads are health information unless the client says otherwise.
    file.isPHI = body.value(QStringLiteral("isPHI")).toBool(true);
    file.caseIndex = caseIndex;
    file.uploader = caller.user;
    file.tenant = caller.tenant;
    file.createdAt = tick();
    file.createdAtSecs = clockSecs;
    file.size = decoded.decoded.size();
    file.uploaded = true;
    file.uploadedBytes = decoded.decoded;
    files.append(file);
    indexFile(int(files.size()) - 1);
    return success(201, fileJson(files.last()));
}

SandboxReply Care360Service::Data::rename(const SandboxRequest &request, const RouteParams &params)
{
    const QString id = params.value(QStringLiteral("id"));
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    if (!isUuid(id))
        return validationFailed();
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    QJsonValue value = body.value(QStringLiteral("fileName"));
    if (!value.isString())
        value = body.value(QStringLiteral("name"));
    const QString fileName = value.toString().trimmed();
    if (!ok || fileName.isEmpty() || fileName.size() > kMaxFileNameLength)
        return validationFailed();
    int index = -1;
    if (auto error = findVisibleFile(caller, id, &index))
        return *error;
    if (files.at(index).uploader != caller.user)
        return fileNotFound();
    files[index].fileName = fileName;
    files[index].listJson.clear();
    return success(200, fileJson(files.at(index)));
}

SandboxReply Care360Service::Data::remove(const SandboxRequest &request, const RouteParams &params)
{
    const QString id = params.value(QStringLiteral("id"));
    Caller caller;
    if (auto error = authenticate(request, &caller))
        return *error;
    int index = -1;
    if (auto error = findVisibleFile(caller, id, &index))
        return *error;
    if (files.at(index).uploader != caller.user)
        return fileNotFound(); // patients may only delete what they uploaded

    // Soft delete (the vendor's delete page): the row stays, flagged, and staff see who removed it.
    File &file = files[index];
    file.isDeleted = true;
    file.deletedAt = tick();
    deletedFileIds.append(file.id);
    --liveFileCount;
    activities.append(
        { runtime.uuid(), file.id, users.at(caller.user).id, file.caseIndex, file.deletedAt });
    return successMessage(QStringLiteral("File deleted successfully"));
}

SandboxReply Care360Service::Data::downloadContent(const SandboxRequest &,
                                                   const RouteParams &params) const
{
    const QString token = params.value(QStringLiteral("token"));
    const auto found = downloads.constFind(token.toLatin1());
    if (token.isEmpty() || found == downloads.constEnd() || files.at(found->file).isDeleted)
        return failure(404, QStringLiteral("Download link not found"), QStringLiteral("NOT_FOUND"));
    if (found->expiresAtMs <= nowMs())
        return failure(403, QStringLiteral("Download link has expired"),
                       QStringLiteral("FORBIDDEN"));
    const File &file = files.at(found->file);
    return SandboxReply::raw(200, fileContent(file), file.mimeType.toLatin1())
        .withHeader("Content-Disposition", contentDisposition(file.fileName))
        .withHeader("Cache-Control", "private, no-store");
}

// --- SandboxService
// --------------------------------------------------------------------------------

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
