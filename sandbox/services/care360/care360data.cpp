#include "care360data.h"

#include "core/servicesupport.h"

#include <algorithm>
#include <iterator>

using namespace Care360;

namespace {

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

} // namespace

Care360Service::Data::Data(Care360Service *owner)
    : service(owner)
    , signingKey(Sandbox::randomBytes(32))
{ }

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
