#include "core/datagenerator.h"
#include "core/servicesupport.h"
#include "documentproservice.h"

#include <algorithm>
#include <iterator>

using Sandbox::latin1;
using Sandbox::latin1List;

namespace {

// Fixed demo credentials (also in credentials()). The seed key and request id are the literal
// placeholders of the vendor's delete page, so its Python example runs with only the host replaced.
const char demoKey[] = "dp_demo_k7Q2xW9mLp4R8tNc";
const char otherKey[] = "dp_other_V3nB8cZt1Hs6yQe";
const char readOnlyKey[] = "dp_readonly_J5fD0qYe2Ua8wKm";
const char seedKey[] = "YOUR_API_KEY";
const char seedRequestId[] = "YOUR_REQUEST_ID";

const char demoUser[] = "6b1f0c2e-8a4d-4f3b-9e57-2c81d0a4b7f3";
const char otherUser[] = "d94e7a15-3c20-4b6e-a8f1-5e0b9c7d2a64";
const char seedUser[] = "0a7c3e59-1f86-4d2b-b340-8e6f1a2c9d05";

} // namespace

void DocumentProService::addAccount(const QByteArray &key, const QString &userId, bool readOnly)
{
    m_accounts.insert(key, Account { userId, readOnly });
}

int DocumentProService::addDocument(DataGenerator &generator, const QString &userId,
                                    int templateIndex)
{
    static const QStringList sources
        = latin1List({ "api_upload", "web_upload", "email_inbox", "zapier" });
    static const QStringList extensions = latin1List({ "pdf", "pdf", "pdf", "png", "jpg" });
    static const QStringList departments
        = latin1List({ "cardiology", "general_practice", "radiology", "billing" });

    Document document;
    document.documentId = generator.uuid();
    document.userId = userId;
    document.sourceName = generator.pick(sources);
    document.fileExtension = generator.pick(extensions);
    QString stem;
    switch (templateIndex) {
    case 0:
        stem = QStringLiteral("Invoice INV-%1").arg(generator.between(10000, 99999));
        break;
    case 1:
        stem = QStringLiteral("Lab report ") + generator.lastName();
        break;
    case 2:
        stem = QStringLiteral("Referral letter ") + generator.lastName();
        break;
    default:
        stem = QStringLiteral("Insurance claim CLM-%1").arg(generator.between(100000, 999999));
        break;
    }
    document.fileName = stem + u'.' + document.fileExtension;
    document.numPages = document.fileExtension == u"pdf" ? generator.between(1, 12) : 1;
    if (generator.chance(0.4))
        document.metaTags.insert(QStringLiteral("department"), generator.pick(departments));
    if (generator.chance(0.2))
        document.metaTags.insert(QStringLiteral("priority"), QStringLiteral("high"));
    document.createdAt = generator.recentDateTime(365);
    m_documents.append(document);
    return int(m_documents.size()) - 1;
}

int DocumentProService::addResult(DataGenerator &generator, int document, int templateIndex,
                                  const QString &status, const QString &requestId)
{
    static const QStringList verification
        = latin1List({ "not_required", "not_required", "pending", "verified" });
    Result result;
    result.requestId = requestId.isEmpty() ? generator.uuid() : requestId;
    result.document = document;
    result.templateIndex = templateIndex;
    result.status = status;
    const bool finished = status == u"completed" || status == u"failed" || status == u"exception";
    result.humanVerification
        = status == u"completed" ? generator.pick(verification) : QStringLiteral("not_required");
    result.missingFields = status == u"completed" && generator.chance(0.15);
    result.createdAt
        = std::min(m_documents.at(document).createdAt.addSecs(generator.between(5, 3 * 86400)),
                   DataGenerator::epoch());
    result.updatedAt = result.createdAt.addSecs(finished ? generator.between(3, 240) : 0);
    result.seed = quint32(generator.between(1, 0x7ffffffe));
    m_results.append(result);
    const int index = int(m_results.size()) - 1;
    m_resultById.insert(result.requestId, index);
    m_documents[document].results.append(index);
    return index;
}

void DocumentProService::indexDocuments()
{
    m_documentsByUser.clear();
    for (int i = 0; i < m_documents.size(); ++i)
        m_documentsByUser[m_documents.at(i).userId].append(i);
    for (QList<int> &list : m_documentsByUser) {
        std::sort(list.begin(), list.end(), [this](int a, int b) {
            const Document &left = m_documents.at(a);
            const Document &right = m_documents.at(b);
            if (left.createdAt != right.createdAt)
                return left.createdAt > right.createdAt;
            return left.documentId < right.documentId;
        });
    }
}

void DocumentProService::populate(const DataSpec &spec)
{
    m_accounts.clear();
    m_templates.clear();
    m_documents.clear();
    m_results.clear();
    m_resultById.clear();
    m_deletedResults.clear();

    // Salted so this service's ids do not echo another service's that use the same seed.
    DataGenerator generator(spec.seed ^ 0xd0c0b70u);
    m_signingKey = generator.hexToken(32).toLatin1();

    addAccount(demoKey, latin1(demoUser), false);
    addAccount(readOnlyKey, latin1(demoUser), true);
    addAccount(otherKey, latin1(otherUser), false);
    addAccount(seedKey, latin1(seedUser), false);

    const QDateTime templatesCreated = DataGenerator::epoch().addDays(-400);
    m_templates = {
        { generator.uuid(), QStringLiteral("Invoice"), QStringLiteral("invoice"),
          QStringLiteral("Supplier invoices: number, dates, totals, line items"),
          templatesCreated },
        { generator.uuid(), QStringLiteral("Lab report"), QStringLiteral("lab_report"),
          QStringLiteral("Laboratory results with reference ranges"), templatesCreated },
        { generator.uuid(), QStringLiteral("Referral letter"), QStringLiteral("referral_letter"),
          QStringLiteral("Referrals: clinician, specialty, reason, urgency"), templatesCreated },
        { generator.uuid(), QStringLiteral("Insurance claim"), QStringLiteral("insurance_claim"),
          QStringLiteral("Claims: policy, codes, amounts"), templatesCreated },
    };
    const int templateCount = int(m_templates.size());

    const auto randomStatus = [&generator] {
        const int roll = generator.between(1, 100);
        if (roll <= 75)
            return QStringLiteral("completed");
        if (roll <= 83)
            return QStringLiteral("processing");
        if (roll <= 90)
            return QStringLiteral("pending");
        if (roll <= 96)
            return QStringLiteral("failed");
        return QStringLiteral("exception");
    };
    // A document's first run uses the template its file suggests; later runs any template.
    const auto runTemplate = [&](int primary, int run) {
        return run == 0 ? primary : generator.between(0, templateCount - 1);
    };

    if (spec.scale <= 0) {
        // Fixed shapes so every status and 0..3 runs per document appear in the small set.
        static const int runCounts[] = { 2, 0, 3, 1, 2, 1, 0, 3, 2 };
        static const char *const statuses[]
            = { "completed", "completed", "failed",    "completed", "processing",
                "completed", "pending",   "completed", "exception", "completed",
                "completed", "completed", "completed", "completed" };
        int resultCount = 0;
        for (int i = 0; i < 9; ++i) {
            const int primary = i % templateCount;
            const int document = addDocument(generator, latin1(demoUser), primary);
            for (int run = 0; run < runCounts[i]; ++run)
                addResult(generator, document, runTemplate(primary, run),
                          latin1(statuses[resultCount++ % std::size(statuses)]));
        }
    } else {
        const int count = std::max(1, spec.scale / 10);
        m_documents.reserve(count + 8);
        m_results.reserve(count * 3 / 2 + 8);
        for (int i = 0; i < count; ++i) {
            const int primary = generator.between(0, templateCount - 1);
            const int document = addDocument(generator, latin1(demoUser), primary);
            const int runs = generator.between(0, 3);
            for (int run = 0; run < runs; ++run)
                addResult(generator, document, runTemplate(primary, run), randomStatus());
        }
    }

    for (int i = 0; i < 3; ++i) {
        const int document = addDocument(generator, latin1(otherUser), i);
        addResult(generator, document, i, QStringLiteral("completed"));
    }

    const int seedDocument = addDocument(generator, latin1(seedUser), 0);
    const int seedResult
        = addResult(generator, seedDocument, 0, QStringLiteral("completed"), latin1(seedRequestId));
    m_results[seedResult].missingFields = false; // the vendor example should meet a clean result

    indexDocuments();
}

// --- The fixtures, for the control endpoint -----------------------------------------------------

QJsonObject DocumentProService::credentials() const
{
    return { { QStringLiteral("apiKey"), latin1(demoKey) },
             { QStringLiteral("otherApiKey"), latin1(otherKey) },
             { QStringLiteral("readOnlyApiKey"), latin1(readOnlyKey) },
             { QStringLiteral("seedApiKey"), latin1(seedKey) },
             { QStringLiteral("seedRequestId"), latin1(seedRequestId) } };
}
