#include "documentproservice.h"

#include "core/datagenerator.h"
#include "core/servicesupport.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cmath>

using Sandbox::latin1;

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

const int maxLimit = 100;
const QByteArray cursorPrefix = "dpcursor:";

// Builds the newer error body, the one the delete page documents.
QJsonObject errorBody(const QString &code, const QString &message)
{
    return { { QStringLiteral("success"), false },
             { QStringLiteral("error"), code },
             { QStringLiteral("message"), message } };
}

SandboxReply badRequest(const QString &code, const QString &message)
{
    return SandboxReply::json(400, errorBody(code, message));
}

// Money as a JSON number with two decimals, computed from whole cents so it prints cleanly.
double money(int cents)
{
    return cents / 100.0;
}

QString isoDate(const QDate &date)
{
    return date.toString(Qt::ISODate);
}

// Opaque to clients: base64url of an index into the caller's newest-first document list.
QString encodeCursor(int position)
{
    return QString::fromLatin1(
        QByteArray(cursorPrefix + QByteArray::number(position))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// -1 when the key is not one this service issued (or is out of range for this list).
int decodeCursor(const QString &key, int listSize)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        key.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith(cursorPrefix))
        return -1;
    bool ok = false;
    const int position = decoded.decoded.mid(cursorPrefix.size()).toInt(&ok);
    if (!ok || position <= 0 || position > listSize)
        return -1;
    return position;
}

struct LabTest
{
    const char *name;
    const char *unit;
    double low;
    double high;
};

const LabTest labTests[] = {
    { "Haemoglobin", "g/dL", 12.0, 16.0 },
    { "White cell count", "10^9/L", 4.0, 11.0 },
    { "Platelets", "10^9/L", 150, 400 },
    { "Sodium", "mmol/L", 135, 145 },
    { "Potassium", "mmol/L", 3.5, 5.1 },
    { "Creatinine", "umol/L", 60, 110 },
    { "HbA1c", "mmol/mol", 20, 42 },
    { "TSH", "mU/L", 0.4, 4.0 },
    { "Total cholesterol", "mmol/L", 3.0, 5.0 },
    { "CRP", "mg/L", 0, 5 },
};

QStringList fromLatin1List(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list.append(QString::fromLatin1(item));
    return list;
}

} // namespace

DocumentProService::DocumentProService()
    : SandboxService(QStringLiteral("documentpro"), QStringLiteral("DocumentPro"))
{ }

DocumentProService::~DocumentProService() = default;

QList<Route> DocumentProService::routes()
{
    return {
        Route::bind("GET", QStringLiteral("/v1/documents"), QStringLiteral("documents.list"), this,
                    &DocumentProService::listDocuments),
        Route::bind("GET", QStringLiteral("/files"), QStringLiteral("result.get"), this,
                    &DocumentProService::getResult),
        Route::bind("DELETE", QStringLiteral("/files"), QStringLiteral("result.delete"), this,
                    &DocumentProService::deleteResult),
        Route::bind("GET", QStringLiteral("/v1/templates"), QStringLiteral("templates.list"), this,
                    &DocumentProService::listTemplates),
        // Where file_presigned_url points: signed, so no API key (like a real presigned URL).
        Route::bind("GET", QStringLiteral("/downloads/{requestId}/{fileName}"),
                    QStringLiteral("result.download"), this, &DocumentProService::download),
    };
}

SandboxReply DocumentProService::errorReply(int status, const QString &code,
                                            const QString &message) const
{
    return SandboxReply::json(status, errorBody(code, message));
}

QByteArray DocumentProService::rateLimitKey(const SandboxRequest &request) const
{
    return request.header("x-api-key");
}

// --- Authentication -----------------------------------------------------------------------------

const DocumentProService::Account *
DocumentProService::authenticate(const SandboxRequest &request) const
{
    const auto it = m_accounts.constFind(request.header("x-api-key"));
    return it == m_accounts.cend() ? nullptr : &it.value();
}

SandboxReply DocumentProService::unauthorized() const
{
    // The older error shape: both exist (docs/services.md §3); clients meet it on the 401.
    return SandboxReply::json(401,
                              { { QStringLiteral("success"), false },
                                { QStringLiteral("error"),
                                  QStringLiteral("Unauthorized: invalid or missing API key") } });
}

int DocumentProService::visibleResult(const Account &account, const QString &requestId) const
{
    const int index = m_resultById.value(requestId, -1);
    if (index < 0)
        return -1;
    const Result &result = m_results.at(index);
    // Another user's result is indistinguishable from a missing one.
    if (result.deleted || m_documents.at(result.document).userId != account.userId)
        return -1;
    return index;
}

// --- Handlers -----------------------------------------------------------------------------------

SandboxReply DocumentProService::listDocuments(const SandboxRequest &request)
{
    const Account *account = authenticate(request);
    if (!account)
        return unauthorized();

    int limit = maxLimit;
    const QString limitText = request.queryValue(QStringLiteral("limit"));
    if (!limitText.isEmpty()) {
        bool ok = false;
        const int requested = limitText.toInt(&ok);
        if (!ok)
            return badRequest(QStringLiteral("invalid_parameter"),
                              QStringLiteral("limit must be an integer"));
        limit = qBound(1, requested, maxLimit);
    }

    QDate createdOn;
    const QString createdText = request.queryValue(QStringLiteral("created_at"));
    if (!createdText.isEmpty()) {
        static const QRegularExpression datePattern(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
        createdOn = QDate::fromString(createdText, Qt::ISODate);
        if (!datePattern.match(createdText).hasMatch() || !createdOn.isValid())
            return badRequest(QStringLiteral("invalid_parameter"),
                              QStringLiteral("created_at must be a date (YYYY-MM-DD)"));
    }
    const QString documentId = request.queryValue(QStringLiteral("document_id"));
    const QString searchTerm = request.queryValue(QStringLiteral("search_term"));

    static const QList<int> none;
    const auto found = m_documentsByUser.constFind(account->userId);
    const QList<int> &documents = found == m_documentsByUser.cend() ? none : found.value();

    int position = 0;
    const QString key = request.queryValue(QStringLiteral("pagination_key"));
    if (!key.isEmpty()) {
        position = decodeCursor(key, int(documents.size()));
        if (position < 0)
            return badRequest(QStringLiteral("invalid_pagination_key"),
                              QStringLiteral("pagination_key is not valid"));
    }

    const auto matches = [&](const Document &document) {
        return (documentId.isEmpty() || document.documentId == documentId)
            && (!createdOn.isValid() || document.createdAt.date() == createdOn)
            && (searchTerm.isEmpty()
                || document.fileName.contains(searchTerm, Qt::CaseInsensitive));
    };

    QJsonArray files;
    int next = position;
    for (; next < documents.size() && files.size() < limit; ++next) {
        const Document &document = m_documents.at(documents.at(next));
        if (matches(document))
            files.append(documentJson(document));
    }
    // A key only when another match really follows, so the last page says null.
    bool more = false;
    for (int i = next; i < documents.size() && !more; ++i)
        more = matches(m_documents.at(documents.at(i)));

    return SandboxReply::json(
        200,
        { { QStringLiteral("files"), files },
          { QStringLiteral("pagination_key"),
            more ? QJsonValue(encodeCursor(next)) : QJsonValue(QJsonValue::Null) } });
}

SandboxReply DocumentProService::getResult(const SandboxRequest &request)
{
    const Account *account = authenticate(request);
    if (!account)
        return unauthorized();
    const QString requestId = request.queryValue(QStringLiteral("request_id"));
    if (requestId.isEmpty())
        return badRequest(QStringLiteral("missing_parameter"),
                          QStringLiteral("request_id is required"));
    const int index = visibleResult(*account, requestId);
    if (index < 0)
        return errorReply(404, QStringLiteral("not_found"),
                          QStringLiteral("No parser result found for this request_id"));
    return SandboxReply::json(200, resultJson(m_results.at(index)));
}

SandboxReply DocumentProService::deleteResult(const SandboxRequest &request)
{
    const Account *account = authenticate(request);
    if (!account)
        return unauthorized();
    const QString requestId = request.queryValue(QStringLiteral("request_id"));
    if (requestId.isEmpty())
        return badRequest(QStringLiteral("missing_parameter"),
                          QStringLiteral("request_id is required"));
    if (account->readOnly)
        return errorReply(403, QStringLiteral("forbidden"),
                          QStringLiteral("This API key is not allowed to delete results"));
    const int index = visibleResult(*account, requestId);
    if (index < 0)
        return errorReply(404, QStringLiteral("not_found"),
                          QStringLiteral("No parser result found for this request_id"));

    m_results[index].deleted = true;
    m_deletedResults.append(requestId);
    return SandboxReply::json(
        200,
        { { QStringLiteral("success"), true },
          { QStringLiteral("message"), QStringLiteral("File deleted successfully") } });
}

SandboxReply DocumentProService::listTemplates(const SandboxRequest &request)
{
    if (!authenticate(request))
        return unauthorized();
    // Every template fits on one page, so no key this service issued can be handed back.
    if (!request.queryValue(QStringLiteral("pagination_key")).isEmpty())
        return badRequest(QStringLiteral("invalid_pagination_key"),
                          QStringLiteral("pagination_key is not valid"));

    QJsonArray items;
    for (const Template &item : m_templates) {
        items.append(QJsonObject {
            { QStringLiteral("template_id"), item.id },
            { QStringLiteral("template_title"), item.title },
            { QStringLiteral("template_type"), item.type },
            { QStringLiteral("description"), item.description },
            { QStringLiteral("created_at"), DataGenerator::isoUtc(item.createdAt) } });
    }
    return SandboxReply::json(200,
                              { { QStringLiteral("success"), true },
                                { QStringLiteral("items"), items },
                                { QStringLiteral("pagination_key"), QJsonValue::Null } });
}

SandboxReply DocumentProService::download(const SandboxRequest &request, const RouteParams &params)
{
    const QString requestId = params.value(QStringLiteral("requestId"));
    if (request.queryValue(QStringLiteral("signature")).toLatin1() != signature(requestId))
        return SandboxReply::raw(403, "Signature does not match", "text/plain");
    const int index = m_resultById.value(requestId, -1);
    if (index < 0 || m_results.at(index).deleted)
        return SandboxReply::raw(404, "Not found", "text/plain");
    const Document &document = m_documents.at(m_results.at(index).document);
    if (params.value(QStringLiteral("fileName")) != document.fileName)
        return SandboxReply::raw(404, "Not found", "text/plain");
    if (document.fileExtension == u"pdf") {
        const QByteArray pdf = "%PDF-1.4\n% docket-sandbox placeholder for "
            + document.fileName.toUtf8() + "\n%%EOF\n";
        return SandboxReply::raw(200, pdf, "application/pdf");
    }
    return SandboxReply::raw(200, "docket-sandbox placeholder image", "application/octet-stream");
}

// --- Data generation ----------------------------------------------------------------------------

void DocumentProService::addAccount(const QByteArray &key, const QString &userId, bool readOnly)
{
    m_accounts.insert(key, Account { userId, readOnly });
}

int DocumentProService::addDocument(DataGenerator &generator, const QString &userId,
                                    int templateIndex)
{
    static const QStringList sources
        = fromLatin1List({ "api_upload", "web_upload", "email_inbox", "zapier" });
    static const QStringList extensions = fromLatin1List({ "pdf", "pdf", "pdf", "png", "jpg" });
    static const QStringList departments
        = fromLatin1List({ "cardiology", "general_practice", "radiology", "billing" });

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
        = fromLatin1List({ "not_required", "not_required", "pending", "verified" });
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

// --- JSON ---------------------------------------------------------------------------------------

QJsonObject DocumentProService::documentJson(const Document &document) const
{
    QJsonArray runs;
    for (int index : document.results) {
        const Result &result = m_results.at(index);
        if (result.deleted)
            continue; // a deleted result is gone from its document too
        const Template &item = m_templates.at(result.templateIndex);
        runs.append(QJsonObject { { QStringLiteral("template_id"), item.id },
                                  { QStringLiteral("template_title"), item.title },
                                  { QStringLiteral("request_id"), result.requestId },
                                  { QStringLiteral("params"), QJsonObject() } });
    }
    return { { QStringLiteral("document_id"), document.documentId },
             { QStringLiteral("user_id"), document.userId },
             { QStringLiteral("source_name"), document.sourceName },
             { QStringLiteral("file_name"), document.fileName },
             { QStringLiteral("file_extension"), document.fileExtension },
             { QStringLiteral("num_pages"), document.numPages },
             { QStringLiteral("meta_tags"), document.metaTags },
             { QStringLiteral("parser_runs"), runs },
             { QStringLiteral("created_at"), DataGenerator::isoUtc(document.createdAt) } };
}

QJsonObject DocumentProService::resultJson(const Result &result) const
{
    const Document &document = m_documents.at(result.document);
    const Template &item = m_templates.at(result.templateIndex);
    const QJsonValue errorMessage = result.status == u"failed"
        ? QJsonValue(QStringLiteral("The document could not be read: the scan is too blurry or "
                                    "the pages are empty."))
        : QJsonValue(QJsonValue::Null);
    const QJsonObject body {
        { QStringLiteral("file_name"), document.fileName },
        { QStringLiteral("file_presigned_url"), presignedUrl(result) },
        { QStringLiteral("user_error_msg"), errorMessage },
        { QStringLiteral("template_id"), item.id },
        { QStringLiteral("template_type"), item.type },
        { QStringLiteral("template_title"), item.title },
        { QStringLiteral("num_pages"), document.numPages },
        { QStringLiteral("human_verification_status"), result.humanVerification },
        { QStringLiteral("has_missing_required_fields"), result.missingFields },
        { QStringLiteral("result_json_data"), extractedData(result) },
    };
    return { { QStringLiteral("request_id"), result.requestId },
             { QStringLiteral("request_status"), result.status },
             { QStringLiteral("response_body"), body },
             { QStringLiteral("created_at"), DataGenerator::isoUtc(result.createdAt) },
             { QStringLiteral("updated_at"), DataGenerator::isoUtc(result.updatedAt) } };
}

// Plausible fields for the result's template, regenerated from its seed on every call (so a
// large set costs no memory for them). Only completed runs have extracted data.
QJsonObject DocumentProService::extractedData(const Result &result) const
{
    if (result.status != u"completed")
        return {};
    DataGenerator generator(result.seed);
    const QDate processed = result.createdAt.date();
    const QString patient = generator.fullName();
    const QString birthDate = isoDate(
        QDate(generator.between(1940, 2015), generator.between(1, 12), generator.between(1, 28)));
    QJsonObject data;
    QString requiredField;
    switch (result.templateIndex) {
    case 0: {
        static const QStringList vendors
            = fromLatin1List({ "MedSupply Europe BV", "Northgate Diagnostics Ltd", "Clinisoft GmbH",
                               "Harbour Pharmacy", "Lumen Imaging Services" });
        static const QStringList items
            = fromLatin1List({ "Consultation", "Blood panel", "Ultrasound", "Dressings (box of 50)",
                               "Software licence", "Courier" });
        static const QStringList currencies = fromLatin1List({ "EUR", "GBP", "USD" });
        const QDate invoiceDate = processed.addDays(-generator.between(0, 30));
        QJsonArray lines;
        int subtotal = 0;
        const int lineCount = generator.between(1, 4);
        for (int i = 0; i < lineCount; ++i) {
            const int quantity = generator.between(1, 5);
            const int unitCents = generator.between(500, 45000);
            subtotal += quantity * unitCents;
            lines.append(QJsonObject { { QStringLiteral("description"), generator.pick(items) },
                                       { QStringLiteral("quantity"), quantity },
                                       { QStringLiteral("unit_price"), money(unitCents) },
                                       { QStringLiteral("amount"), money(quantity * unitCents) } });
        }
        const int tax = subtotal / 5;
        data = { { QStringLiteral("invoice_number"),
                   QStringLiteral("INV-%1-%2")
                       .arg(invoiceDate.year())
                       .arg(generator.between(1, 99999), 5, 10, QLatin1Char('0')) },
                 { QStringLiteral("invoice_date"), isoDate(invoiceDate) },
                 { QStringLiteral("due_date"), isoDate(invoiceDate.addDays(30)) },
                 { QStringLiteral("vendor_name"), generator.pick(vendors) },
                 { QStringLiteral("bill_to"), patient },
                 { QStringLiteral("currency"), generator.pick(currencies) },
                 { QStringLiteral("line_items"), lines },
                 { QStringLiteral("subtotal"), money(subtotal) },
                 { QStringLiteral("tax"), money(tax) },
                 { QStringLiteral("total_amount"), money(subtotal + tax) } };
        requiredField = QStringLiteral("total_amount");
        break;
    }
    case 1: {
        static const QStringList labs = fromLatin1List(
            { "Central Pathology Laboratory", "St Anne's Hospital Lab", "Synlab Rotterdam" });
        QJsonArray values;
        QList<int> chosen;
        const int testCount = generator.between(3, 6);
        while (chosen.size() < testCount) {
            const int test = generator.between(0, int(std::size(labTests)) - 1);
            if (!chosen.contains(test))
                chosen.append(test);
        }
        for (int test : chosen) {
            const LabTest &lab = labTests[test];
            const double span = lab.high - lab.low;
            const double value = std::round((lab.low - span * 0.2
                                             + span * 1.4 * generator.between(0, 1000) / 1000.0)
                                            * 10)
                / 10;
            const QString flag = value < lab.low ? QStringLiteral("low")
                : value > lab.high               ? QStringLiteral("high")
                                                 : QStringLiteral("normal");
            values.append(QJsonObject {
                { QStringLiteral("test"), QString::fromLatin1(lab.name) },
                { QStringLiteral("value"), value },
                { QStringLiteral("unit"), QString::fromLatin1(lab.unit) },
                { QStringLiteral("reference_range"),
                  QString(QString::number(lab.low) + u'-' + QString::number(lab.high)) },
                { QStringLiteral("flag"), flag } });
        }
        data = { { QStringLiteral("patient_name"), patient },
                 { QStringLiteral("date_of_birth"), birthDate },
                 { QStringLiteral("collection_date"),
                   isoDate(processed.addDays(-generator.between(1, 10))) },
                 { QStringLiteral("laboratory"), generator.pick(labs) },
                 { QStringLiteral("ordering_clinician"), generator.clinicianName() },
                 { QStringLiteral("results"), values } };
        requiredField = QStringLiteral("patient_name");
        break;
    }
    case 2: {
        static const QStringList specialties
            = fromLatin1List({ "Cardiology", "Dermatology", "Orthopaedics", "Neurology",
                               "Physiotherapy", "Gastroenterology" });
        static const QStringList reasons = fromLatin1List(
            { "Persistent chest pain on exertion, ECG changes", "Changing pigmented lesion on back",
              "Chronic knee pain not responding to conservative treatment",
              "Recurrent migraines with aura", "Rehabilitation after ankle fracture",
              "Iron-deficiency anaemia, investigate for GI blood loss" });
        static const QStringList urgencies
            = fromLatin1List({ "routine", "urgent", "two_week_wait" });
        data = { { QStringLiteral("patient_name"), patient },
                 { QStringLiteral("date_of_birth"), birthDate },
                 { QStringLiteral("referring_clinician"), generator.clinicianName() },
                 { QStringLiteral("referred_to"), generator.pick(specialties) },
                 { QStringLiteral("referral_reason"), generator.pick(reasons) },
                 { QStringLiteral("urgency"), generator.pick(urgencies) },
                 { QStringLiteral("letter_date"),
                   isoDate(processed.addDays(-generator.between(0, 14))) } };
        requiredField = QStringLiteral("referral_reason");
        break;
    }
    default: {
        static const QStringList insurers
            = fromLatin1List({ "Zilveren Kruis", "Bupa", "AXA Health", "Allianz Care", "CZ" });
        static const QStringList diagnoses
            = fromLatin1List({ "J06.9", "M54.5", "I10", "E11.9", "K21.9", "S93.4" });
        static const QStringList procedures
            = fromLatin1List({ "99213", "80053", "76700", "97110", "93000" });
        data = { { QStringLiteral("claim_number"),
                   QStringLiteral("CLM-%1").arg(generator.between(100000, 999999)) },
                 { QStringLiteral("policy_number"),
                   QString(QStringLiteral("POL-") + generator.hexToken(8).toUpper()) },
                 { QStringLiteral("insurer"), generator.pick(insurers) },
                 { QStringLiteral("patient_name"), patient },
                 { QStringLiteral("date_of_birth"), birthDate },
                 { QStringLiteral("service_date"),
                   isoDate(processed.addDays(-generator.between(1, 60))) },
                 { QStringLiteral("diagnosis_code"), generator.pick(diagnoses) },
                 { QStringLiteral("procedure_code"), generator.pick(procedures) },
                 { QStringLiteral("amount_claimed"), money(generator.between(2000, 250000)) } };
        requiredField = QStringLiteral("policy_number");
        break;
    }
    }
    if (result.missingFields)
        data.insert(requiredField, QJsonValue::Null);
    return data;
}

QByteArray DocumentProService::signature(const QString &requestId) const
{
    return Sandbox::hmacSha256Hex(requestId.toUtf8(), m_signingKey);
}

QString DocumentProService::presignedUrl(const Result &result) const
{
    const QString fileName = m_documents.at(result.document).fileName;
    return publicUrl(QStringLiteral("/downloads/")
                     + QString::fromLatin1(QUrl::toPercentEncoding(result.requestId)) + u'/'
                     + QString::fromLatin1(QUrl::toPercentEncoding(fileName))
                     + QStringLiteral("?signature=")
                     + QString::fromLatin1(signature(result.requestId)));
}

// --- Control endpoint views ---------------------------------------------------------------------

QJsonObject DocumentProService::credentials() const
{
    return { { QStringLiteral("apiKey"), latin1(demoKey) },
             { QStringLiteral("otherApiKey"), latin1(otherKey) },
             { QStringLiteral("readOnlyApiKey"), latin1(readOnlyKey) },
             { QStringLiteral("seedApiKey"), latin1(seedKey) },
             { QStringLiteral("seedRequestId"), latin1(seedRequestId) } };
}

QJsonObject DocumentProService::summary() const
{
    return { { QStringLiteral("counts"),
               QJsonObject { { QStringLiteral("documents"), int(m_documents.size()) },
                             { QStringLiteral("parserResults"),
                               int(m_results.size() - m_deletedResults.size()) } } },
             { QStringLiteral("deleted"),
               QJsonObject { { QStringLiteral("documents"), QJsonArray() },
                             { QStringLiteral("parserResults"),
                               QJsonArray::fromStringList(m_deletedResults) } } } };
}

QJsonObject DocumentProService::detail() const
{
    // "owner" is the API key of the account that owns the item (the read-only key shares the
    // demo account's documents but owns nothing).
    QHash<QString, QString> ownerKeys;
    for (auto it = m_accounts.cbegin(); it != m_accounts.cend(); ++it) {
        if (!it->readOnly)
            ownerKeys.insert(it->userId, QString::fromLatin1(it.key()));
    }
    QJsonArray documents;
    for (const Document &document : m_documents) {
        QJsonObject object = documentJson(document);
        object.insert(QStringLiteral("owner"), ownerKeys.value(document.userId));
        object.insert(QStringLiteral("deleted"), false);
        documents.append(object);
    }
    QJsonArray results;
    for (const Result &result : m_results) {
        QJsonObject object = resultJson(result);
        object.insert(QStringLiteral("document_id"), m_documents.at(result.document).documentId);
        object.insert(QStringLiteral("owner"),
                      ownerKeys.value(m_documents.at(result.document).userId));
        object.insert(QStringLiteral("deleted"), result.deleted);
        results.append(object);
    }
    return { { QStringLiteral("documents"), documents },
             { QStringLiteral("parserResults"), results } };
}
