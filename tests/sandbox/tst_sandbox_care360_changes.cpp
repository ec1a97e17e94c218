// The Care360 part of docket-sandbox, checked from the outside against docs/services.md §2 and the
// vendor's delete page: uploads, renames and the soft delete, each only where the patient may.
#include "care360sandbox.h"

#include <QDateTime>
#include <QTest>

using namespace care360;

class TestSandboxCare360Changes : public Care360SignedIn
{
    Q_OBJECT

private Q_SLOTS:
    void uploadAddsNewestFile();
    void uploadValidation();
    void renameByUploaderOnly();
    void deleteIsSoft();
    void deleteIsUniform404();
};

void TestSandboxCare360Changes::uploadAddsNewestFile()
{
    const QString caseId = demoCaseId(1);
    const int countBefore = m_sandbox.count(service, QStringLiteral("files"));

    const QByteArray bytes = "Blood pressure this week: 128/82, 131/85.\n";
    TestReply reply
        = m_http.sendJson("POST", filesUrl({ QStringLiteral("upload") }),
                          { { QStringLiteral("name"), QStringLiteral("BP \"week\" 44\\ü\t.txt") },
                            { QStringLiteral("data"), QString::fromLatin1(bytes.toBase64()) },
                            { QStringLiteral("caseId"), caseId },
                            { QStringLiteral("mimeType"), QStringLiteral("text/plain") } },
                          auth(m_access));
    QVERIFY2(reply.status == 201 || reply.status == 200, reply.body.constData());
    QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(), true);
    const QJsonObject file = dataOf(reply);
    const QString id = str(file, "id");
    QVERIFY(looksLikeUuid(id));
    QCOMPARE(str(file, "fileName"), QStringLiteral("BP \"week\" 44\\ü\t.txt"));
    QCOMPARE(str(file, "caseId"), caseId);
    QCOMPARE(str(file.value(QStringLiteral("uploadedBy")).toObject(), "id"), patientId());
    QVERIFY(file.value(QStringLiteral("isPHI")).isBool());
    QCOMPARE(file.value(QStringLiteral("isRestricted")).toBool(true), false);
    QCOMPARE(file.value(QStringLiteral("size")).toInteger(), qint64(bytes.size()));

    // Newest first, in the list and in its case, and listed exactly as the upload answered.
    QCOMPARE(listedFiles(m_access).first().toObject(), file);
    QCOMPARE(str(listedFiles(m_access, encodedQuery({ { QStringLiteral("caseId"), caseId } }))
                     .first()
                     .toObject(),
                 "id"),
             id);
    // The bytes come back unchanged.
    const QUrl link = downloadLink(id, m_access);
    const TestReply content = m_http.get(link);
    QCOMPARE(content.status, 200);
    QCOMPARE(content.body, bytes);
    QCOMPARE(content.header("content-type"), QByteArray("text/plain"));
    QCOMPARE(str(stateFile(id), "owner"), str(m_credentials, "email"));

    // Without caseId: stored, readable by its uploader, but never listed.
    reply = m_http.sendJson("POST", filesUrl({ QStringLiteral("upload") }),
                            { { QStringLiteral("name"), QStringLiteral("scan.png") },
                              { QStringLiteral("data"), QStringLiteral("iVBORw0KGgo=") },
                              { QStringLiteral("mimeType"), QStringLiteral("image/png") } },
                            auth(m_access));
    QVERIFY(reply.status == 201 || reply.status == 200);
    const QString caselessId = str(dataOf(reply), "id");
    QVERIFY(dataOf(reply).value(QStringLiteral("caseId")).isNull());
    for (const QJsonValue &listed : listedFiles(m_access))
        QVERIFY(str(listed.toObject(), "id") != caselessId);
    QCOMPARE(getFile(caselessId, QStringLiteral("metadata")).status, 200);

    QCOMPARE(m_sandbox.count(service, QStringLiteral("files")), countBefore + 2);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("file.upload")), 2);
}

void TestSandboxCare360Changes::uploadValidation()
{
    const QString caseId = demoCaseId();
    const auto body = [&](const QString &mimeType, const QString &data, const QJsonValue &forCase) {
        QJsonObject object { { QStringLiteral("name"), QStringLiteral("file") },
                             { QStringLiteral("data"), data },
                             { QStringLiteral("mimeType"), mimeType } };
        if (!forCase.isUndefined())
            object.insert(QStringLiteral("caseId"), forCase);
        return object;
    };
    const QUrl target = filesUrl({ QStringLiteral("upload") });

    // Every type on the allow-list is accepted.
    for (const QString &mimeType :
         { QStringLiteral("application/pdf"), QStringLiteral("application/msword"),
           QStringLiteral("text/csv"), QStringLiteral("text/plain"), QStringLiteral("image/jpeg"),
           QStringLiteral("image/png"), QStringLiteral("image/svg+xml"),
           QStringLiteral("image/tiff"), QStringLiteral("image/webp") }) {
        const TestReply reply = m_http.sendJson(
            "POST", target, body(mimeType, QStringLiteral("aGVsbG8="), caseId), auth(m_access));
        QVERIFY2(reply.status == 201 || reply.status == 200, qPrintable(mimeType));
        QCOMPARE(str(dataOf(reply), "mimeType"), mimeType);
    }

    // Other types and broken data are 400.
    for (const QString &mimeType : { QStringLiteral("application/zip"), QStringLiteral("image/gif"),
                                     QStringLiteral("text/html"), QString() }) {
        const TestReply reply = m_http.sendJson(
            "POST", target, body(mimeType, QStringLiteral("aGVsbG8="), caseId), auth(m_access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(codeOf(reply), QStringLiteral("VALIDATION_ERROR"));
        QCOMPARE(reply.json().value(QStringLiteral("success")).toBool(true), false);
    }
    for (const QString &data :
         { QStringLiteral("!!not base64!!"), QStringLiteral("aGVsbG8=garbage%"), QString() }) {
        const TestReply reply = m_http.sendJson(
            "POST", target, body(QStringLiteral("text/plain"), data, caseId), auth(m_access));
        QCOMPARE(reply.status, 400);
        QCOMPARE(codeOf(reply), QStringLiteral("VALIDATION_ERROR"));
    }
    TestReply reply
        = m_http.sendJson("POST", target,
                          { { QStringLiteral("data"), QStringLiteral("aGVsbG8=") },
                            { QStringLiteral("mimeType"), QStringLiteral("text/plain") } },
                          auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    reply = m_http.send("POST", target,
                        auth(m_access) + HeaderPairs { { "Content-Type", "application/json" } },
                        "not json");
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));

    // Someone else's case is forbidden; a malformed case id is invalid.
    reply = m_http.sendJson("POST", target,
                            body(QStringLiteral("text/plain"), QStringLiteral("aGVsbG8="),
                                 str(m_credentials, "otherPatientCaseId")),
                            auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(403, caseForbidden));
    reply = m_http.sendJson(
        "POST", target,
        body(QStringLiteral("text/plain"), QStringLiteral("aGVsbG8="), QStringLiteral("case-1")),
        auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
}

void TestSandboxCare360Changes::renameByUploaderOnly()
{
    const QJsonObject own = ownFileInACase();
    const QJsonObject byStaff = staffUploadedFile();
    QVERIFY(!own.isEmpty());
    QVERIFY(!byStaff.isEmpty());
    const QUrl ownUrl = filesUrl({ str(own, "id"), QStringLiteral("metadata") });

    TestReply reply = m_http.sendJson(
        "PATCH", ownUrl, { { QStringLiteral("fileName"), QStringLiteral("Renamed.pdf") } },
        auth(m_access));
    QCOMPARE(reply.status, 200);
    QCOMPARE(str(dataOf(reply), "fileName"), QStringLiteral("Renamed.pdf"));
    QCOMPARE(str(dataOf(m_http.get(ownUrl, auth(m_access))), "fileName"),
             QStringLiteral("Renamed.pdf"));
    // "name" is accepted too.
    reply = m_http.sendJson("PATCH", ownUrl,
                            { { QStringLiteral("name"), QStringLiteral("Ünïcode name.pdf") } },
                            auth(m_access));
    QCOMPARE(reply.status, 200);
    QCOMPARE(str(stateFile(str(own, "id")), "fileName"), QStringLiteral("Ünïcode name.pdf"));

    reply = m_http.sendJson("PATCH", ownUrl, { { QStringLiteral("fileName"), QString() } },
                            auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    reply = m_http.sendJson(
        "PATCH", filesUrl({ QStringLiteral("nope"), QStringLiteral("metadata") }),
        { { QStringLiteral("fileName"), QStringLiteral("x.pdf") } }, auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));

    // Not the uploader: the uniform 404, name unchanged.
    reply = m_http.sendJson("PATCH", filesUrl({ str(byStaff, "id"), QStringLiteral("metadata") }),
                            { { QStringLiteral("fileName"), QStringLiteral("Mine now.pdf") } },
                            auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(404, fileNotFound));
    QCOMPARE(str(stateFile(str(byStaff, "id")), "fileName"), str(byStaff, "fileName"));
}

void TestSandboxCare360Changes::deleteIsSoft()
{
    const QJsonObject target = ownFileInACase();
    QVERIFY(!target.isEmpty());
    const QString id = str(target, "id");
    const int listedBefore = int(listedFiles(m_access).size());
    // A link handed out before the delete stops working with it.
    const QUrl earlierLink = downloadLink(id, m_access);
    QCOMPARE(m_http.get(earlierLink).status, 200);

    TestReply reply = m_http.del(filesUrl({ id }), auth(m_access));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(),
             QJsonObject(
                 { { QStringLiteral("status"), 200 },
                   { QStringLiteral("success"), true },
                   { QStringLiteral("message"), QStringLiteral("File deleted successfully") } }));

    // The row is kept, flagged; a DELETE_ATTACHMENT activity names the patient.
    const QJsonObject row = stateFile(id);
    QCOMPARE(row.value(QStringLiteral("isDeleted")).toBool(), true);
    QCOMPARE(row.value(QStringLiteral("deleted")).toBool(), true);
    const QJsonObject summary = m_sandbox.summary(service);
    QCOMPARE(summary.value(QStringLiteral("deleted"))
                 .toObject()
                 .value(QStringLiteral("files"))
                 .toArray(),
             QJsonArray({ id }));
    const QJsonArray activities = summary.value(QStringLiteral("caseActivities")).toArray();
    QCOMPARE(activities.size(), 1);
    const QJsonObject activity = activities.first().toObject();
    QCOMPARE(str(activity, "type"), QStringLiteral("DELETE_ATTACHMENT"));
    QCOMPARE(str(activity, "fileId"), id);
    QCOMPARE(str(activity, "actorId"), patientId());
    QCOMPARE(str(activity, "caseId"), str(target, "caseId"));
    QVERIFY(QDateTime::fromString(str(activity, "createdAt"), Qt::ISODate).isValid());
    QCOMPARE(m_sandbox.state(service).value(QStringLiteral("caseActivities")).toArray().size(), 1);

    // Gone from every read, and a repeat is 404.
    const QJsonArray after = listedFiles(m_access);
    QCOMPARE(int(after.size()), listedBefore - 1);
    for (const QJsonValue &file : after)
        QVERIFY(str(file.toObject(), "id") != id);
    for (const QString &action : { QStringLiteral("metadata"), QStringLiteral("download") }) {
        reply = getFile(id, action);
        QCOMPARE(statusAndJson(reply), statusAndJson(404, fileNotFound));
    }
    reply = m_http.del(filesUrl({ id }), auth(m_access));
    QCOMPARE(statusAndJson(reply), statusAndJson(404, fileNotFound));
    reply = m_http.sendJson("PATCH", filesUrl({ id, QStringLiteral("metadata") }),
                            { { QStringLiteral("fileName"), QStringLiteral("back.pdf") } },
                            auth(m_access));
    QCOMPARE(reply.status, 404);
    QCOMPARE(m_http.get(earlierLink).status, 404);

    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("file.delete")), 2);
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("file.metadata")), 1);
}

void TestSandboxCare360Changes::deleteIsUniform404()
{
    const QJsonObject byStaff = staffUploadedFile();
    const QJsonObject otherPatients = otherPatientFile();
    const QJsonObject otherTenants = otherTenantFile();
    QVERIFY(!byStaff.isEmpty() && !otherPatients.isEmpty() && !otherTenants.isEmpty());

    // Staff upload in the patient's own case, another patient's case, another tenant, unknown.
    for (const QString &id :
         { str(byStaff, "id"), str(otherPatients, "id"), str(otherTenants, "id"),
           QStringLiteral("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee") }) {
        const TestReply reply = m_http.del(filesUrl({ id }), auth(m_access));
        QCOMPARE(statusAndJson(reply), statusAndJson(404, fileNotFound));
    }
    // The other tenant's patient cannot reach the demo tenant's files with their own key either.
    const QJsonObject otherTokens = signIn(str(m_credentials, "otherTenantEmail"), otherKey());
    QVERIFY(!otherTokens.isEmpty());
    TestReply reply = m_http.del(filesUrl({ str(byStaff, "id") }),
                                 auth(str(otherTokens, "accessToken"), otherKey()));
    QCOMPARE(statusAndJson(reply), statusAndJson(404, fileNotFound));

    for (const QString &id :
         { QStringLiteral("123"), QStringLiteral("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeeg"),
           QStringLiteral("aaaaaaaabbbb4ccc8dddeeeeeeeeeeee") }) {
        reply = m_http.del(filesUrl({ id }), auth(m_access));
        QCOMPARE(statusAndJson(reply), statusAndJson(400, validationFailed));
    }

    // Nothing was deleted.
    for (const QJsonValue &value : stateFiles())
        QCOMPARE(value.toObject().value(QStringLiteral("isDeleted")).toBool(), false);

    // The patient's own file without a case can be deleted (the activity has no case).
    reply = m_http.del(filesUrl({ str(caselessFile(), "id") }), auth(m_access));
    QCOMPARE(reply.status, 200);
    const QJsonArray activities
        = m_sandbox.state(service).value(QStringLiteral("caseActivities")).toArray();
    QCOMPARE(activities.size(), 1);
    QVERIFY(activities.first().toObject().value(QStringLiteral("caseId")).isNull());
}

QTEST_GUILESS_MAIN(TestSandboxCare360Changes)
#include "tst_sandbox_care360_changes.moc"
