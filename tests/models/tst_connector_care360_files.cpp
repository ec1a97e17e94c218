// Care360Connector against the real docket-sandbox: the soft delete and its record, files the
// patient may not delete, what cannot be deleted, a failed delete that keeps the row; a file's
// metadata and download link.

#include "care360suite.h"

class TestCare360Files : public SignedInCare360Suite
{
    Q_OBJECT

private Q_SLOTS:
    void deleteIsSoftAndRecorded();
    void staffFileDeleteIsNotPermitted();
    void onlyFilesCanBeDeleted();
    void deleteErrorKeepsTheRow();
    void metadataAndDownloadLink();
};

void TestCare360Files::deleteIsSoftAndRecorded()
{
    auto &h = m_patient;
    const auto expected = expectedFilesByCase();
    RemoteItem target;
    for (auto it = expected.cbegin(); it != expected.cend() && target.ref.ids.isEmpty(); ++it) {
        const Outcome listed = run(h->connector->list({ NodeKind::Care360Case, { it.key() } }, {}));
        for (const RemoteItem &item : listed.page.items) {
            if (item.details.value(QStringLiteral("uploadedById")).toString() == patientId()) {
                target = item;
                break;
            }
        }
    }
    QVERIFY(!target.ref.ids.isEmpty());
    QVERIFY(h->connector->canDelete(target.ref.kind));

    const DeletePlan plan = h->connector->describeDelete(target);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Soft);
    QVERIFY(plan.cascade.isEmpty());
    QCOMPARE(plan.explanation,
             QStringLiteral("Hides “%1” from the patient and from Docket. CareValidate keeps the "
                            "file and records the deletion in the case's activity; it cannot be "
                            "undone from Docket.")
                 .arg(target.name));

    const Outcome removed = run(h->connector->remove(target));
    QVERIFY(removed.finished);
    QVERIFY2(!removed.error.isError(), qPrintable(removed.error.summary()));
    QCOMPARE(removed.deleteOutcome, DeleteOutcome::Deleted);

    // The sandbox kept the row, flagged, and recorded the activity.
    const QJsonObject row = stateFile(target.ref.id());
    QCOMPARE(row.value(QStringLiteral("isDeleted")).toBool(), true);
    const QJsonObject sum = summary();
    QCOMPARE(
        sum.value(QStringLiteral("deleted")).toObject().value(QStringLiteral("files")).toArray(),
        QJsonArray { target.ref.id() });
    const QJsonArray activities = sum.value(QStringLiteral("caseActivities")).toArray();
    QCOMPARE(activities.size(), 1);
    QCOMPARE(str(activities.first().toObject(), "fileId"), target.ref.id());
    QCOMPARE(str(activities.first().toObject(), "type"), QStringLiteral("DELETE_ATTACHMENT"));

    // Gone from the list; a second delete is "already gone".
    const Outcome relisted
        = run(h->connector->list({ NodeKind::Care360Case, { target.ref.ids.first() } }, {}));
    for (const RemoteItem &item : relisted.page.items)
        QVERIFY(item.ref.id() != target.ref.id());
    const Outcome again = run(h->connector->remove(target));
    QVERIFY(!again.error.isError());
    QCOMPARE(again.deleteOutcome, DeleteOutcome::AlreadyGone);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.delete")), 2);
}

void TestCare360Files::staffFileDeleteIsNotPermitted()
{
    auto &h = m_patient;
    QJsonObject staffFile;
    const auto expected = expectedFilesByCase();
    for (const auto &files : expected)
        for (const QJsonObject &file : files)
            if (str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") != patientId())
                staffFile = file;
    QVERIFY(!staffFile.isEmpty());
    RemoteItem item;
    item.ref = fileRef(staffFile);
    item.name = str(staffFile, "fileName");
    const Outcome removed = run(h->connector->remove(item));
    QVERIFY(removed.finished);
    // Care360's 404 is uniform (here: not the uploader); a look at the file's metadata proves it
    // is still there, so the delete was refused, not "already gone".
    QCOMPARE(removed.deleteOutcome, DeleteOutcome::NotPermitted);
    QVERIFY(removed.error.isError());
    const QString uploader
        = str(staffFile.value(QStringLiteral("uploadedBy")).toObject(), "firstName");
    QVERIFY2(removed.error.userMessage.contains(uploader), qPrintable(removed.error.userMessage));
    QVERIFY2(removed.error.userMessage.contains(QStringLiteral("only the uploader")),
             qPrintable(removed.error.userMessage));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.metadata")), 1);
    QCOMPARE(stateFile(str(staffFile, "id")).value(QStringLiteral("isDeleted")).toBool(), false);
}

void TestCare360Files::onlyFilesCanBeDeleted()
{
    auto &h = m_patient;
    QVERIFY(!h->connector->canDelete(NodeKind::Care360Case));
    QVERIFY(!h->connector->canDelete(NodeKind::Account));
    QVERIFY(h->connector->canDelete(NodeKind::Care360File));
    RemoteItem item;
    item.ref = { NodeKind::Care360Case, { expectedFilesByCase().cbegin().key() } };
    item.name = QStringLiteral("Case x");
    QVERIFY(!h->connector->describeDelete(item).explanation.isEmpty());
    const Outcome removed = run(h->connector->remove(item));
    QCOMPARE(removed.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.delete")), 0);
}

void TestCare360Files::deleteErrorKeepsTheRow()
{
    auto &h = m_patient;
    const QJsonObject own = ownFile();
    RemoteItem item;
    item.ref = fileRef(own);
    item.name = str(own, "fileName");

    QVERIFY(addFault(QStringLiteral("file.delete"), QStringLiteral("status"), 500));
    const Outcome failed = run(h->connector->remove(item));
    QCOMPARE(failed.error.kind, ApiError::Kind::Http);
    QCOMPARE(failed.error.httpStatus, 500);
    QCOMPARE(stateFile(item.ref.id()).value(QStringLiteral("isDeleted")).toBool(), false);

    // A 404 that is not Care360's "File not found" proves nothing: it fails, and says where to
    // look.
    QVERIFY(addFault(QStringLiteral("file.delete"), QStringLiteral("status"), 404));
    const Outcome notCare360 = run(h->connector->remove(item));
    QCOMPARE(notCare360.deleteOutcome, DeleteOutcome::Failed);
    QVERIFY2(notCare360.error.userMessage.contains(QStringLiteral("base URL")),
             qPrintable(notCare360.error.userMessage));
    QCOMPARE(stateFile(item.ref.id()).value(QStringLiteral("isDeleted")).toBool(), false);

    // An unknown tenant is also a 404, but nothing was looked at: that is an error.
    auto wrongTenant = harness({}, QStringLiteral("cv-no-such-tenant"));
    wrongTenant->session->storeSecret(Secret::accessToken, h->session->secret(Secret::accessToken),
                                      wrongTenant->session.get(), [](const QString &) {});
    const Outcome unknown = run(wrongTenant->connector->remove(item));
    QCOMPARE(unknown.error.kind, ApiError::Kind::Http);
    QCOMPARE(unknown.error.httpStatus, 404);
    QVERIFY(unknown.error.userMessage.startsWith(QStringLiteral("The tenant key is not known")));

    // Then the real delete.
    const Outcome removed = run(h->connector->remove(item));
    QCOMPARE(removed.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(stateFile(item.ref.id()).value(QStringLiteral("isDeleted")).toBool(), true);
}

void TestCare360Files::metadataAndDownloadLink()
{
    auto &h = m_patient;
    const auto expected = expectedFilesByCase();
    const QJsonObject file = expected.cbegin().value().first();
    const NodeRef ref = fileRef(file);

    const Outcome metadata = run(h->connector->fetchMetadata(ref));
    QVERIFY2(!metadata.error.isError(), qPrintable(metadata.error.summary()));
    QCOMPARE(metadata.data.value(QStringLiteral("id")).toString(), str(file, "id"));
    QCOMPARE(metadata.data.value(QStringLiteral("fileName")).toString(), str(file, "fileName"));
    const QJsonObject uploader = file.value(QStringLiteral("uploadedBy")).toObject();
    QCOMPARE(metadata.data.value(QStringLiteral("uploadedByName")).toString(),
             str(uploader, "firstName") + u' ' + str(uploader, "lastName"));

    const Outcome link = run(h->connector->fetchDownloadLink(ref));
    QVERIFY2(!link.error.isError(), qPrintable(link.error.summary()));
    const QUrl url(link.data.value(QStringLiteral("downloadUrl")).toString());
    QVERIFY(url.isValid());
    QCOMPARE(url.host(), m_sandbox.baseUrl(kService).host());
    QCOMPARE(link.data.value(QStringLiteral("fileName")).toString(), str(file, "fileName"));
    QCOMPARE(link.data.value(QStringLiteral("expiresIn")).toInt(), 900);
    // Never cached: each ask is a new request and a new link.
    const Outcome second = run(h->connector->fetchDownloadLink(ref));
    QVERIFY(!second.error.isError());
    QVERIFY(second.data.value(QStringLiteral("downloadUrl"))
            != link.data.value(QStringLiteral("downloadUrl")));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.download")), 2);
    // The link works without credentials.
    QCOMPARE(m_http.get(url).status, 200);

    // Only files have details.
    const Outcome wrongKind
        = run(h->connector->fetchMetadata({ NodeKind::Care360Case, { str(file, "caseId") } }));
    QCOMPARE(wrongKind.error.kind, ApiError::Kind::InvalidInput);
}

QTEST_GUILESS_MAIN(TestCare360Files)
#include "tst_connector_care360_files.moc"
