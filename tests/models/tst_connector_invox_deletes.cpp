// InvoxConnector's deletes against the real docket-sandbox: a known document, one Invox does not
// have, error statuses, a 401 renewed once, a 429 waited out, faults that leave the outcome
// unproven, hostile ids that stay in the body. (The rest: tst_connector_invox_signin, _documents,
// _gaps.)

#include "invoxsuite.h"

using namespace Docket;

class TestInvoxDeletes : public InvoxSuite
{
    Q_OBJECT

private Q_SLOTS:
    void deleteKnownPreExistingDocument();
    void delete404IsAlreadyGoneAndDropped();
    void deleteErrorStatuses_data();
    void deleteErrorStatuses();
    void deleteAfterOne401RenewsAndSucceeds();
    void delete429WaitsAndSucceeds();
    void deleteFaults_data();
    void deleteFaults();
    void hostileIdsStayInTheBody();
};

void TestInvoxDeletes::deleteKnownPreExistingDocument()
{
    auto fixture = signedInDemo();
    const QJsonObject known = m_documents.at(0).toObject();
    const QString consultation = known.value(QStringLiteral("consultationSessionId")).toString();
    const QString id = known.value(QStringLiteral("documentId")).toString();
    QCOMPARE(id, mockDocumentId);
    QCOMPARE(fixture->connector->addKnownDocument(
                 consultation, id, known.value(QStringLiteral("documentName")).toString(),
                 known.value(QStringLiteral("documentType")).toString()),
             QString());

    const RemoteItem item = fixture->documentItem(consultation, id);
    QCOMPARE(item.name, known.value(QStringLiteral("documentName")).toString());
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(deletedIds(), QStringList { id });
    QVERIFY(!fixture->index.contains(fixture->account.id, id));
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());

    // The one delete request went to the documented route, with the id in its body only.
    int deletes = 0;
    for (const QJsonValue &value : requestLog()) {
        const QJsonObject request = value.toObject();
        if (request.value(QStringLiteral("route")).toString() != QStringLiteral("document.delete"))
            continue;
        ++deletes;
        QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("DELETE"));
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/delete-document"));
        QCOMPARE(request.value(QStringLiteral("status")).toInt(), 200);
    }
    QCOMPARE(deletes, 1);
}

void TestInvoxDeletes::delete404IsAlreadyGoneAndDropped()
{
    auto fixture = signedInDemo();
    const QString otherAppDocument = m_sandbox.credentials(QStringLiteral("invox"))
                                         .value(QStringLiteral("otherAppDocumentId"))
                                         .toString();
    for (const QString &id : { QStringLiteral("no-such-document"), otherAppDocument }) {
        const Outcome removal = fixture->deleteKnown(id);
        QVERIFY2(removal.ok(), qPrintable(describe(removal)));
        QCOMPARE(removal.deleteOutcome, DeleteOutcome::AlreadyGone);
        QCOMPARE(removal.httpStatus, 404);
        QVERIFY(!fixture->index.contains(fixture->account.id, id));
    }
    QVERIFY(deletedIds().isEmpty());

    // Deleting twice: the second finds it gone.
    const RemoteItem item = fixture->knownDocument(mockDocumentId);
    QCOMPARE(waitFor(fixture->remove(item)).deleteOutcome, DeleteOutcome::Deleted);
    const Outcome again = waitFor(fixture->remove(item));
    QVERIFY(again.ok());
    QCOMPARE(again.deleteOutcome, DeleteOutcome::AlreadyGone);
}

void TestInvoxDeletes::deleteErrorStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expectedWords");
    QTest::newRow("400") << 400 << QStringLiteral("invalid");
    QTest::newRow("403") << 403 << QStringLiteral("does not allow this account");
    // Not Invox's documentNotFound: nothing is known to be gone.
    QTest::newRow("404") << 404 << QStringLiteral("not as Invox Medical does");
    QTest::newRow("500") << 500 << QStringLiteral("Try again later");
    QTest::newRow("503") << 503 << QStringLiteral("Try again later");
}

void TestInvoxDeletes::deleteErrorStatuses()
{
    QFETCH(int, status);
    QFETCH(QString, expectedWords);
    auto fixture = signedInDemo();
    const RemoteItem item = fixture->knownDocument(mockDocumentId);
    QVERIFY(addStatusFault(QStringLiteral("document.delete"), status));
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY(removal.finished);
    QCOMPARE(removal.error.kind, ApiError::Kind::Http);
    QCOMPARE(removal.error.httpStatus, status);
    QVERIFY2(removal.error.userMessage.contains(expectedWords),
             qPrintable(removal.error.userMessage));
    // The vendor's error body was read ({message} or {messsage, errorType}).
    QVERIFY2(removal.error.serviceMessage.contains(QStringLiteral("Injected fault")),
             qPrintable(removal.error.serviceMessage));
    verifyNoSecret(removal.error);
    // Not deleted: it stays in the index.
    QVERIFY(fixture->index.contains(fixture->account.id, mockDocumentId));
    QVERIFY(deletedIds().isEmpty());
    QVERIFY(!fixture->session->isSignedOut());
}

void TestInvoxDeletes::deleteAfterOne401RenewsAndSucceeds()
{
    auto fixture = signedInDemo();
    QCOMPARE(exchanges(), 1);
    const RemoteItem item = fixture->knownDocument(mockDocumentId);
    QVERIFY(addStatusFault(QStringLiteral("document.delete"), 401));
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(exchanges(), 2);

    // A 401 that persists after renewing fails the job (once renewed, never a loop).
    const RemoteItem second = fixture->knownDocument(demoDocumentId(1), txt);
    QVERIFY(addStatusFault(QStringLiteral("document.delete"), 401, 2));
    const Outcome refused = waitFor(fixture->remove(second));
    QCOMPARE(refused.error.kind, ApiError::Kind::Http);
    QCOMPARE(refused.error.httpStatus, 401);
    QCOMPARE(exchanges(), 3);
    verifyNoSecret(refused.error);
}

void TestInvoxDeletes::delete429WaitsAndSucceeds()
{
    auto fixture = signedInDemo();
    const RemoteItem item = fixture->knownDocument(mockDocumentId);
    QVERIFY(addStatusFault(QStringLiteral("document.delete"), 429, 2));
    // Without Retry-After the session waits 2 s, then 4 s.
    const Outcome removal = waitFor(fixture->remove(item), 15000);
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(fixture->session->rateLimitWaits(), 2);
    QCOMPARE(deletedIds(), QStringList { mockDocumentId });
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("document.delete")), 3);
}

void TestInvoxDeletes::deleteFaults_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QList<int>>("kinds");
    QTest::addColumn<bool>("tookEffect");
    QTest::newRow("timeout") << QStringLiteral("hang")
                             << QList<int> { int(ApiError::Kind::Timeout) } << false;
    QTest::newRow("reset") << QStringLiteral("reset")
                           << QList<int> { int(ApiError::Kind::Connection) } << false;
    QTest::newRow("malformed") << QStringLiteral("malformed")
                               << QList<int> { int(ApiError::Kind::MalformedResponse) } << true;
    // Qt 6.4 sometimes ends a reply whose connection closed short of its Content-Length without
    // an error: then the cut-off JSON is what gives it away.
    QTest::newRow("truncated") << QStringLiteral("truncated")
                               << QList<int> { int(ApiError::Kind::Connection),
                                               int(ApiError::Kind::Timeout),
                                               int(ApiError::Kind::MalformedResponse) }
                               << true;
}

void TestInvoxDeletes::deleteFaults()
{
    QFETCH(QString, mode);
    QFETCH(QList<int>, kinds);
    QFETCH(bool, tookEffect);
    auto fixture = signedInDemo();
    fixture->network.setDefaultTimeout(500);
    const RemoteItem item = fixture->knownDocument(mockDocumentId);
    QJsonObject rule { { QStringLiteral("mode"), mode } };
    if (mode == QStringLiteral("reset"))
        rule.insert(QStringLiteral("count"), resetsBeyondResends);
    QVERIFY(addFault(QStringLiteral("document.delete"), rule));
    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY(removal.finished);
    QVERIFY2(kinds.contains(int(removal.error.kind)), qPrintable(describe(removal)));
    QVERIFY(!removal.error.userMessage.isEmpty());
    verifyNoSecret(removal.error);
    // Without a confirmed delete the document stays in the index...
    QVERIFY(fixture->index.contains(fixture->account.id, mockDocumentId));
    QCOMPARE(deletedIds().contains(mockDocumentId), tookEffect);

    // ...and the next attempt settles it either way.
    QVERIFY(m_sandbox.clearFaults());
    const Outcome retry = waitFor(fixture->remove(item));
    QVERIFY2(retry.ok(), qPrintable(describe(retry)));
    QCOMPARE(retry.deleteOutcome, tookEffect ? DeleteOutcome::AlreadyGone : DeleteOutcome::Deleted);
    QVERIFY(!fixture->index.contains(fixture->account.id, mockDocumentId));
}

void TestInvoxDeletes::hostileIdsStayInTheBody()
{
    auto fixture = signedInDemo();
    const QStringList hostile = { QStringLiteral("../x"),
                                  QStringLiteral("a?b=c"),
                                  QStringLiteral("#"),
                                  QStringLiteral("%2F"),
                                  QStringLiteral("../../v1/auth/token"),
                                  QStringLiteral("\"}, \"documentId\": \"mock-document-id"),
                                  QStringLiteral("ünïcødé-文書-📄"),
                                  QString(10 * 1024, u'z') };
    for (const QString &id : hostile) {
        const Outcome removal = fixture->deleteKnown(id);
        QVERIFY2(removal.ok(), qPrintable(describe(removal)));
        QCOMPARE(removal.deleteOutcome, DeleteOutcome::AlreadyGone);
        QVERIFY(!fixture->index.contains(fixture->account.id, id));
    }
    // Nothing else was deleted: the JSON-looking id did not smuggle in mock-document-id.
    QVERIFY(deletedIds().isEmpty());

    int deletes = 0;
    for (const QJsonValue &value : requestLog()) {
        const QJsonObject request = value.toObject();
        const QString route = request.value(QStringLiteral("route")).toString();
        if (route == QStringLiteral("auth.token"))
            continue;
        QCOMPARE(route, QStringLiteral("document.delete"));
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/delete-document"));
        // documentNotFound: the sandbox read each as the documentId it did not know.
        QCOMPARE(request.value(QStringLiteral("status")).toInt(), 404);
        ++deletes;
    }
    QCOMPARE(deletes, hostile.size());
}

QTEST_GUILESS_MAIN(TestInvoxDeletes)
#include "tst_connector_invox_deletes.moc"
