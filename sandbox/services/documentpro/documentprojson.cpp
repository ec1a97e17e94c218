#include "core/datagenerator.h"
#include "core/servicesupport.h"
#include "documentproservice.h"

#include <QJsonArray>
#include <QUrl>

#include <cmath>
#include <iterator>

using Sandbox::latin1List;

namespace {

// Money as a JSON number with two decimals, computed from whole cents so it prints cleanly.
double money(int cents)
{
    return cents / 100.0;
}

QString isoDate(const QDate &date)
{
    return date.toString(Qt::ISODate);
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

} // namespace

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
            = latin1List({ "MedSupply Europe BV", "Northgate Diagnostics Ltd", "Clinisoft GmbH",
                           "Harbour Pharmacy", "Lumen Imaging Services" });
        static const QStringList items
            = latin1List({ "Consultation", "Blood panel", "Ultrasound", "Dressings (box of 50)",
                           "Software licence", "Courier" });
        static const QStringList currencies = latin1List({ "EUR", "GBP", "USD" });
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
        static const QStringList labs = latin1List(
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
            = latin1List({ "Cardiology", "Dermatology", "Orthopaedics", "Neurology",
                           "Physiotherapy", "Gastroenterology" });
        static const QStringList reasons = latin1List(
            { "Persistent chest pain on exertion, ECG changes", "Changing pigmented lesion on back",
              "Chronic knee pain not responding to conservative treatment",
              "Recurrent migraines with aura", "Rehabilitation after ankle fracture",
              "Iron-deficiency anaemia, investigate for GI blood loss" });
        static const QStringList urgencies = latin1List({ "routine", "urgent", "two_week_wait" });
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
            = latin1List({ "Zilveren Kruis", "Bupa", "AXA Health", "Allianz Care", "CZ" });
        static const QStringList diagnoses
            = latin1List({ "J06.9", "M54.5", "I10", "E11.9", "K21.9", "S93.4" });
        static const QStringList procedures
            = latin1List({ "99213", "80053", "76700", "97110", "93000" });
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
