// InvoxConnector against the real docket-sandbox: uploads (and their failures, which must leave
// the index truthful), the lists Docket's own index gives, documents made known by hand, what can
// be deleted. (Sign-in: tst_connector_invox_signin; deletes: _deletes; [gap] alternatives: _gaps.)

#include "invoxsuite.h"
#include "itemdetails.h"

using namespace Docket;

class TestInvoxDocuments : public InvoxSuite
{
    Q_OBJECT

private Q_SLOTS:
    void uploadListDelete();
    void uploadTextDocument();
    void uploadRefusesBadInput();
    void uploadFailuresKeepTheIndexTruthful();
    void listsComeFromTheIndexWithPagination();
    void listRefusesWhatHoldsNothing();
    void describeDeleteAndCanDelete();
    void addKnownDocumentValidates();
    void uploadsAreGenericConnectorCalls();
};

void TestInvoxDocuments::uploadListDelete()
{
    auto fixture = signedInDemo();
    const QString consultation = InvoxConnector::newConsultationSessionId();
    QVERIFY(!consultation.isEmpty());
    const QByteArray content = "%PDF-1.4\n% a clinical note\n" + QByteArray(5000, 'x');

    const Outcome upload = waitFor(fixture->connector->upload(
        consultation, QStringLiteral("consult-2026.pdf"), QStringLiteral("pdf"), content));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    const QString documentId = upload.data.value(QStringLiteral("documentId")).toString();
    QVERIFY(!documentId.isEmpty());
    QCOMPARE(upload.data.value(QStringLiteral("documentType")).toString(), pdf);
    QCOMPARE(upload.data.value(QStringLiteral("consultationSessionId")).toString(), consultation);

    // The sandbox has the bytes.
    bool found = false;
    for (const QJsonValue &value : invoxState().value(QStringLiteral("documents")).toArray()) {
        const QJsonObject document = value.toObject();
        if (document.value(QStringLiteral("documentId")).toString() != documentId)
            continue;
        found = true;
        QVERIFY(document.value(QStringLiteral("uploaded")).toBool());
        QCOMPARE(document.value(QStringLiteral("size")).toInteger(), content.size());
        QCOMPARE(document.value(QStringLiteral("consultationSessionId")).toString(), consultation);
        QCOMPARE(document.value(QStringLiteral("documentType")).toString(), pdf);
    }
    QVERIFY(found);
    QCOMPARE(m_sandbox.requestCount(QStringLiteral("invox"), QStringLiteral("upload.put")), 1);

    // The index has it, and the tree shows it.
    QVERIFY(fixture->index.contains(fixture->account.id, documentId));
    const Outcome top = waitFor(fixture->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(top.ok(), qPrintable(describe(top)));
    QCOMPARE(top.page.items.size(), 1);
    QCOMPARE(top.page.total, 1);
    QVERIFY(!top.page.hasMore());
    const RemoteItem consultationItem = top.page.items.first();
    QCOMPARE(consultationItem.ref, (NodeRef { NodeKind::InvoxConsultation, { consultation } }));
    QCOMPARE(consultationItem.name, consultation);
    QCOMPARE(consultationItem.status, QStringLiteral("1 document"));
    QCOMPARE(consultationItem.details.value(QStringLiteral("documentCount")).toInt(), 1);

    const Outcome children = waitFor(fixture->list(consultationItem.ref, {}));
    QVERIFY2(children.ok(), qPrintable(describe(children)));
    QCOMPARE(children.page.items.size(), 1);
    const RemoteItem item = children.page.items.first();
    QCOMPARE(item.ref, (NodeRef { NodeKind::InvoxDocument, { consultation, documentId } }));
    QCOMPARE(item.name, QStringLiteral("consult-2026.pdf"));
    QCOMPARE(item.status, pdf);
    QCOMPARE(item.sizeBytes, qint64(content.size()));
    QVERIFY(item.created.isValid());
    QVERIFY(qAbs(item.created.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(item.details.value(QStringLiteral("origin")).toString(), QStringLiteral("upload"));
    QCOMPARE(item.details.value(QStringLiteral("documentId")).toString(), documentId);

    const DeletePlan plan = fixture->describeDelete(item);
    QCOMPARE(plan.permanence, DeletePlan::Permanence::Permanent);
    QCOMPARE(plan.explanation,
             QStringLiteral("Permanently deletes the clinical document “consult-2026.pdf” from "
                            "Invox Medical. This cannot be undone."));

    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(removal.httpStatus, 200);
    QVERIFY(deletedIds().contains(documentId));
    QVERIFY(!fixture->index.contains(fixture->account.id, documentId));
    const Outcome after = waitFor(fixture->list({ NodeKind::Account, {} }, {}));
    QVERIFY(after.ok());
    QVERIFY(after.page.items.isEmpty());
    QCOMPARE(after.page.total, 0);
}

void TestInvoxDocuments::uploadTextDocument()
{
    auto fixture = signedInDemo();
    // A hostile consultation id travels in the JSON body and comes back unchanged.
    const QString consultation = QStringLiteral("../consult?x=1#frag");
    const Outcome upload = waitFor(fixture->connector->upload(
        consultation, QStringLiteral("dictation.txt"), txt, QByteArrayLiteral("Patient is well.")));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    const auto consultations = fixture->index.consultations(fixture->account.id);
    QCOMPARE(consultations.size(), 1);
    QCOMPARE(consultations.first().first, consultation);
    const auto documents = fixture->index.documents(fixture->account.id, consultation);
    QCOMPARE(documents.size(), 1);
    QCOMPARE(documents.first().documentType, txt);
    QCOMPARE(documents.first().sizeBytes, qint64(16));
    QCOMPARE(documents.first().origin, QStringLiteral("upload"));
    for (const QJsonValue &value : requestLog()) {
        const QString route = value.toObject().value(QStringLiteral("route")).toString();
        QVERIFY2(route == QStringLiteral("auth.token")
                     || route == QStringLiteral("signedUrls.create")
                     || route == QStringLiteral("upload.put"),
                 qPrintable(route));
        QCOMPARE(value.toObject().value(QStringLiteral("status")).toInt(), 200);
    }
}

void TestInvoxDocuments::uploadRefusesBadInput()
{
    auto fixture = signedInDemo();
    const int before = requestLog().size();
    const QList<std::tuple<QString, QString, QString>> bad
        = { { QString(), QStringLiteral("a.pdf"), pdf },
            { QStringLiteral("c"), QStringLiteral("  "), pdf },
            { QStringLiteral("c"), QStringLiteral("a.docx"), QStringLiteral("DOCX") },
            { QStringLiteral("c"), QStringLiteral("a"), QString() } };
    for (const auto &[consultation, name, type] : bad) {
        const Outcome upload = waitFor(fixture->connector->upload(consultation, name, type, "x"));
        QVERIFY(upload.finished);
        QCOMPARE(upload.error.kind, ApiError::Kind::InvalidInput);
        QVERIFY(!upload.error.userMessage.isEmpty());
    }
    QCOMPARE(requestLog().size(), before);
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());
}

void TestInvoxDocuments::uploadFailuresKeepTheIndexTruthful()
{
    auto fixture = signedInDemo();
    fixture->network.setDefaultTimeout(500);
    struct Case
    {
        QString route;
        QJsonObject rule;
        ApiError::Kind kind;
    };
    const QList<Case> cases = {
        { QStringLiteral("signedUrls.create"),
          { { QStringLiteral("mode"), QStringLiteral("malformed") } },
          ApiError::Kind::MalformedResponse },
        { QStringLiteral("signedUrls.create"),
          { { QStringLiteral("mode"), QStringLiteral("status") },
            { QStringLiteral("status"), 400 } },
          ApiError::Kind::Http },
        { QStringLiteral("upload.put"),
          { { QStringLiteral("mode"), QStringLiteral("status") },
            { QStringLiteral("status"), 500 } },
          ApiError::Kind::Http },
        { QStringLiteral("upload.put"),
          { { QStringLiteral("mode"), QStringLiteral("reset") },
            { QStringLiteral("count"), resetsBeyondResends } },
          ApiError::Kind::Connection },
        { QStringLiteral("upload.put"),
          { { QStringLiteral("mode"), QStringLiteral("hang") } },
          ApiError::Kind::Timeout },
    };
    for (const Case &c : cases) {
        QVERIFY(addFault(c.route, c.rule));
        const Outcome upload = waitFor(fixture->connector->upload(
            QStringLiteral("c"), QStringLiteral("note.pdf"), pdf, QByteArrayLiteral("%PDF-1.4")));
        QVERIFY(upload.finished);
        QVERIFY2(upload.error.kind == c.kind, qPrintable(c.route + u' ' + describe(upload)));
        QVERIFY(!upload.error.userMessage.isEmpty());
        // Nothing half-uploaded is presented as a document.
        QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());
        // The signed URL's signature stays out of every message.
        QVERIFY2(!upload.error.userMessage.contains(QStringLiteral("signature=")),
                 qPrintable(upload.error.userMessage));
        QVERIFY2(!upload.error.technicalDetail.contains(QStringLiteral("signature=")),
                 qPrintable(upload.error.technicalDetail));
        verifyNoSecret(upload.error);
        QVERIFY(m_sandbox.clearFaults());
    }
    // And the next upload works.
    const Outcome upload = waitFor(fixture->connector->upload(
        QStringLiteral("c"), QStringLiteral("note.pdf"), pdf, QByteArrayLiteral("%PDF-1.4")));
    QVERIFY2(upload.ok(), qPrintable(describe(upload)));
    QCOMPARE(fixture->index.consultations(fixture->account.id).size(), 1);
}

void TestInvoxDocuments::listsComeFromTheIndexWithPagination()
{
    auto fixture = demo();
    // 3 consultations holding 4, 2 and 1 documents, added by hand (no network involved).
    const QStringList consultations
        = { QStringLiteral("cons-a"), QStringLiteral("cons-b"), QStringLiteral("cons-c") };
    const QList<int> counts = { 4, 2, 1 };
    for (int c = 0; c < consultations.size(); ++c) {
        for (int d = 0; d < counts.at(c); ++d) {
            QCOMPARE(fixture->connector->addKnownDocument(
                         consultations.at(c), QStringLiteral("doc-%1-%2").arg(c).arg(d),
                         QStringLiteral("Doc %1").arg(d), d % 2 ? txt : pdf),
                     QString());
            QTest::qWait(2); // distinct times: the newest consultation comes first
        }
    }

    // The top level, two at a time.
    QStringList seen;
    const int consultationPages
        = fixture->listInPages({ NodeKind::Account, {} }, 2, [&](const Outcome &page) {
              QVERIFY2(page.ok(), qPrintable(describe(page)));
              QCOMPARE(page.page.total, 3);
              QVERIFY(page.page.items.size() <= 2);
              for (const RemoteItem &item : page.page.items) {
                  QCOMPARE(item.ref.kind, NodeKind::InvoxConsultation);
                  seen << item.name;
                  const int index = int(consultations.indexOf(item.name));
                  QVERIFY(index >= 0);
                  QCOMPARE(item.details.value(QStringLiteral("documentCount")).toInt(),
                           counts.at(index));
                  QVERIFY(item.status.startsWith(QString::number(counts.at(index)) + u' '));
              }
          });
    QCOMPARE(consultationPages, 2);
    QCOMPARE(seen,
             (QStringList { QStringLiteral("cons-c"), QStringLiteral("cons-b"),
                            QStringLiteral("cons-a") }));

    // The documents of the biggest consultation, three at a time, in the order they were added.
    QStringList documents;
    const int documentPages = fixture->listInPages(
        { NodeKind::InvoxConsultation, { QStringLiteral("cons-a") } }, 3, [&](const Outcome &page) {
            QVERIFY2(page.ok(), qPrintable(describe(page)));
            QCOMPARE(page.page.total, 4);
            for (const RemoteItem &item : page.page.items) {
                QCOMPARE(item.ref.kind, NodeKind::InvoxDocument);
                QCOMPARE(item.ref.ids.first(), QStringLiteral("cons-a"));
                documents << item.ref.id();
                // Added by hand: Invox never said when it was made, and its size is unknown.
                QVERIFY(!item.created.isValid());
                QCOMPARE(item.sizeBytes, qint64(-1));
                QCOMPARE(item.details.value(QStringLiteral("origin")).toString(),
                         QStringLiteral("manual"));
            }
        });
    QCOMPARE(documentPages, 2);
    QCOMPARE(documents,
             (QStringList { QStringLiteral("doc-0-0"), QStringLiteral("doc-0-1"),
                            QStringLiteral("doc-0-2"), QStringLiteral("doc-0-3") }));

    // Another account sees none of it.
    auto other = demo();
    const Outcome otherTop = waitFor(other->list({ NodeKind::Account, {} }, {}));
    QVERIFY(otherTop.ok());
    QVERIFY(otherTop.page.items.isEmpty());

    // Listing never touched the network.
    QCOMPARE(requestLog().size(), 0);
}

void TestInvoxDocuments::listRefusesWhatHoldsNothing()
{
    auto fixture = demo();
    // The job finishes later, never inside the call.
    ListJob *job = fixture->list(
        { NodeKind::InvoxDocument, { QStringLiteral("c"), QStringLiteral("d") } }, {});
    auto outcome = watch(job);
    QVERIFY(!outcome->finished);
    QTRY_VERIFY(outcome->finished);
    QCOMPARE(outcome->error.kind, ApiError::Kind::InvalidInput);

    const Outcome badCursor
        = waitFor(fixture->list({ NodeKind::Account, {} }, { QStringLiteral("not-a-number"), 10 }));
    QCOMPARE(badCursor.error.kind, ApiError::Kind::InvalidInput);

    // Without a usable index there is nothing to show, and the error says why.
    InvoxIndex closed(QStringLiteral("/nonexistent-folder/x/index.sqlite"));
    QVERIFY(!closed.open(nullptr));
    InvoxConnector noIndex(fixture->session.get(), &closed);
    const Outcome unavailable = waitFor(noIndex.list({ NodeKind::Account, {} }, {}));
    QCOMPARE(unavailable.error.kind, ApiError::Kind::InvalidInput);
    QVERIFY(unavailable.error.userMessage.contains(QStringLiteral("index")));
    QVERIFY(!noIndex.addKnownDocument(QStringLiteral("c"), QStringLiteral("d"), {}, pdf).isEmpty());
    InvoxConnector nullIndex(fixture->session.get(), nullptr);
    QCOMPARE(waitFor(nullIndex.list({ NodeKind::Account, {} }, {})).error.kind,
             ApiError::Kind::InvalidInput);
}

void TestInvoxDocuments::describeDeleteAndCanDelete()
{
    auto fixture = demo();
    QVERIFY(fixture->canDelete(NodeKind::InvoxDocument));
    QVERIFY(!fixture->canDelete(NodeKind::InvoxConsultation));
    QVERIFY(!fixture->canDelete(NodeKind::Account));

    RemoteItem consultation;
    consultation.ref = { NodeKind::InvoxConsultation, { QStringLiteral("c") } };
    consultation.name = QStringLiteral("c");
    const DeletePlan plan = fixture->describeDelete(consultation);
    QVERIFY(plan.explanation.contains(QStringLiteral("cannot be deleted")));

    // A consultation refused as a delete, without a request.
    const Outcome removal = waitFor(fixture->remove(consultation));
    QCOMPARE(removal.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(requestLog().size(), 0);
}

void TestInvoxDocuments::addKnownDocumentValidates()
{
    auto fixture = demo();
    QVERIFY(
        !fixture->connector->addKnownDocument(QString(), QStringLiteral("d"), {}, pdf).isEmpty());
    QVERIFY(!fixture->connector->addKnownDocument(QStringLiteral(" "), QStringLiteral("d"), {}, pdf)
                 .isEmpty());
    QVERIFY(
        !fixture->connector->addKnownDocument(QStringLiteral("c"), QString(), {}, pdf).isEmpty());
    QVERIFY(!fixture->connector
                 ->addKnownDocument(QStringLiteral("c"), QStringLiteral("d"), {},
                                    QStringLiteral("DOCX"))
                 .isEmpty());
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());

    // Pasted with white space and a lower-case type: cleaned up.
    QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral(" c \n"), QStringLiteral("\td "),
                                                  QStringLiteral("Note"), QStringLiteral("pdf")),
             QString());
    const auto documents = fixture->index.documents(fixture->account.id, QStringLiteral("c"));
    QCOMPARE(documents.size(), 1);
    QCOMPARE(documents.first().documentId, QStringLiteral("d"));
    QCOMPARE(documents.first().documentType, pdf);
    QCOMPARE(documents.first().origin, QStringLiteral("manual"));

    // No name: the id stands in for it in the tree.
    QCOMPARE(
        fixture->connector->addKnownDocument(QStringLiteral("c"), QStringLiteral("e"), {}, txt),
        QString());
    const Outcome listed
        = waitFor(fixture->list({ NodeKind::InvoxConsultation, { QStringLiteral("c") } }, {}));
    QCOMPARE(listed.page.items.size(), 2);
    QCOMPARE(listed.page.items.at(0).name, QStringLiteral("Note"));
    QCOMPARE(listed.page.items.at(1).name, QStringLiteral("e"));
}

void TestInvoxDocuments::uploadsAreGenericConnectorCalls()
{
    auto fixture = demo();
    Connector *connector = fixture->connector.get();
    QVERIFY(connector->canUpload(NodeKind::InvoxConsultation));
    QVERIFY(!connector->canUpload(NodeKind::Account));
    const NodeRef consultation { NodeKind::InvoxConsultation, { QStringLiteral("c") } };
    QCOMPARE(connector->addKnownItem(consultation, QStringLiteral("d"), QStringLiteral("Note"),
                                     QStringLiteral("PDF")),
             QString());
    const auto documents = fixture->index.documents(fixture->account.id, QStringLiteral("c"));
    QCOMPARE(documents.size(), 1);
    QCOMPARE(documents.first().documentId, QStringLiteral("d"));
    // Not into anything but a consultation.
    QVERIFY(!connector
                 ->addKnownItem({ NodeKind::Account, {} }, QStringLiteral("e"), {},
                                QStringLiteral("PDF"))
                 .isEmpty());
    QCOMPARE(fixture->index.documents(fixture->account.id, QStringLiteral("c")).size(), 1);
    // The document's details: what the index holds.
    QVERIFY(connector->hasDetails(NodeKind::InvoxDocument));
    RemoteItem document;
    document.ref = consultation.child(NodeKind::InvoxDocument, QStringLiteral("d"));
    DetailsJob *job = connector->fetchDetails(document);
    QList<DetailSection> sections;
    bool done = false;
    connect(job, &ConnectorJob::finished, this, [&](ConnectorJob *) {
        sections = job->sections();
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(sections.size(), 1);
    QCOMPARE(sections.first().title, QStringLiteral("In Docket's Invox index"));
    QCOMPARE(sections.first().facts.first().value.toString(), QStringLiteral("c"));
}

QTEST_GUILESS_MAIN(TestInvoxDocuments)
#include "tst_connector_invox_documents.moc"
