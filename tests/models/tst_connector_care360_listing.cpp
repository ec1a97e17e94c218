// Care360Connector's listings against the real docket-sandbox: cases grouped from the file list,
// every file of every case, case lists served once from the account listing (and never past a
// delete or a filter), rows without details, an answer read in pieces, the type filter, what
// cannot be listed.

#include "care360suite.h"

#include <QSet>

class TestCare360Listing : public SignedInCare360Suite
{
    Q_OBJECT

private Q_SLOTS:
    void listsCasesFromFiles();
    void listsEveryFileOfEveryCase();
    void caseListsComeOnceFromTheAccountListing();
    void knownFilesNeverOutliveADeleteOrAFilter();
    void rowsWithoutDetails();
    void answerInPiecesIsWholeOrAnError();
    void typeFilterIsSent();
    void foreignCaseIsForbidden();
    void nothingToListUnderAFile();
};

void TestCare360Listing::listsCasesFromFiles()
{
    auto &h = m_patient;
    const auto expected = expectedFilesByCase();
    QCOMPARE(expected.size(), 3);

    const Outcome outcome = run(h->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.summary()));
    const ListPage &page = outcome.page;
    QCOMPARE(page.total, 3);
    QCOMPARE(page.items.size(), 3);
    QVERIFY(!page.hasMore());
    QSet<QString> seen;
    QDateTime previousNewest;
    for (const RemoteItem &item : page.items) {
        QCOMPARE(item.ref.kind, NodeKind::Care360Case);
        QCOMPARE(item.ref.ids.size(), 1);
        const QString caseId = item.ref.id();
        QVERIFY(expected.contains(caseId));
        QVERIFY(!seen.contains(caseId));
        seen.insert(caseId);
        QCOMPARE(item.name, QStringLiteral("Case ") + caseId.left(8));
        const QList<QJsonObject> &files = expected.value(caseId);
        QCOMPARE(item.details.value(QStringLiteral("fileCount")).toInt(), int(files.size()));
        QVERIFY(item.status.startsWith(QString::number(files.size()) + u' '));
        // Created: the newest file of the case; cases come in the order of their newest file.
        QCOMPARE(item.created,
                 QDateTime::fromString(str(files.first(), "createdAt"), Qt::ISODateWithMs).toUTC());
        if (previousNewest.isValid())
            QVERIFY(item.created <= previousNewest);
        previousNewest = item.created;
    }
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 1);
}

void TestCare360Listing::listsEveryFileOfEveryCase()
{
    auto &h = m_patient;
    const auto expected = expectedFilesByCase();
    QSet<QString> seen;
    int total = 0;
    bool sawRestricted = false;
    bool sawGeneral = false;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const NodeRef caseRef { NodeKind::Care360Case, { it.key() } };
        const Outcome outcome = run(h->connector->list(caseRef, {}));
        QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.summary()));
        const ListPage &page = outcome.page;
        QCOMPARE(page.items.size(), it.value().size());
        QCOMPARE(page.total, int(it.value().size()));
        QVERIFY(!page.hasMore());
        for (qsizetype i = 0; i < page.items.size(); ++i) {
            const RemoteItem &item = page.items.at(i);
            const QJsonObject &file = it.value().at(i); // same order: newest first
            QCOMPARE(item.ref, caseRef.child(NodeKind::Care360File, str(file, "id")));
            QVERIFY(!seen.contains(item.ref.id()));
            seen.insert(item.ref.id());
            QCOMPARE(item.name, str(file, "fileName"));
            QCOMPARE(item.created,
                     QDateTime::fromString(str(file, "createdAt"), Qt::ISODateWithMs).toUTC());
            QCOMPARE(item.sizeBytes, qint64(file.value(QStringLiteral("size")).toDouble()));
            const bool phi = file.value(QStringLiteral("isPHI")).toBool();
            const bool restricted = file.value(QStringLiteral("isRestricted")).toBool();
            QVERIFY(
                item.status.startsWith(phi ? QStringLiteral("PHI") : QStringLiteral("General")));
            QCOMPARE(item.status.contains(QStringLiteral("restricted")), restricted);
            sawRestricted |= restricted;
            sawGeneral |= !phi;
            QCOMPARE(item.details.value(QStringLiteral("isPHI")).toBool(), phi);
            QCOMPARE(item.details.value(QStringLiteral("isRestricted")).toBool(), restricted);
            QCOMPARE(item.details.value(QStringLiteral("caseId")).toString(), it.key());
            QCOMPARE(item.details.value(QStringLiteral("mimeType")).toString(),
                     str(file, "mimeType"));
            const QJsonObject uploader = file.value(QStringLiteral("uploadedBy")).toObject();
            QCOMPARE(item.details.value(QStringLiteral("uploadedBy")).toString(),
                     str(uploader, "firstName") + u' ' + str(uploader, "lastName"));
            QCOMPARE(item.details.value(QStringLiteral("uploadedById")).toString(),
                     str(uploader, "id"));
            // Never a secret in what the window shows.
            const QString shown = QString::fromUtf8(
                QJsonDocument(QJsonObject::fromVariantMap(item.details)).toJson());
            QVERIFY(!shown.contains(h->session->secret(Secret::accessToken)));
            QVERIFY(!shown.contains(h->session->secret(Secret::refreshToken)));
            QVERIFY(!shown.contains(str(m_credentials, "tenantKey")));
        }
        ++total;
    }
    QCOMPARE(total, 3);
    QVERIFY(sawRestricted);
    QVERIFY(sawGeneral);
    // Tokens never travel in a URL.
    for (const QJsonValue &entry : requestLog())
        QVERIFY(!str(entry.toObject(), "path").contains(h->session->secret(Secret::accessToken)));
}

void TestCare360Listing::caseListsComeOnceFromTheAccountListing()
{
    auto &h = m_patient;
    const auto expected = expectedFilesByCase();
    const Outcome cases = run(h->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!cases.error.isError(), qPrintable(cases.error.summary()));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 1);

    // Each case's first list: what the server holds, without asking it again.
    for (const RemoteItem &caseItem : cases.page.items) {
        const Outcome files = run(h->connector->list(caseItem.ref, {}));
        QVERIFY2(!files.error.isError(), qPrintable(files.error.summary()));
        const QList<QJsonObject> &server = expected.value(caseItem.ref.id());
        QCOMPARE(files.page.items.size(), server.size());
        QCOMPARE(files.page.total, int(server.size()));
        for (qsizetype i = 0; i < server.size(); ++i) {
            const RemoteItem &item = files.page.items.at(i);
            QCOMPARE(item.ref, caseItem.ref.child(NodeKind::Care360File, str(server.at(i), "id")));
            QCOMPARE(item.name, str(server.at(i), "fileName"));
            QCOMPARE(item.details.value(QStringLiteral("mimeType")).toString(),
                     str(server.at(i), "mimeType"));
        }
    }
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 1);

    // The same rows as the server's own list of that case.
    const NodeRef first = cases.page.items.first().ref;
    auto other = signedIn();
    QVERIFY(other);
    const Outcome own = run(other->connector->list(first, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 2);
    auto fresh = signedIn();
    QVERIFY(fresh);
    run(fresh->connector->list({ NodeKind::Account, {} }, {}));
    const Outcome grouped = run(fresh->connector->list(first, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 3);
    QCOMPARE(describe(Care360Connector::ParsedList { grouped.page, {} }),
             describe(Care360Connector::ParsedList { own.page, {} }));

    // A second list of a case (a refresh) asks Care360.
    const Outcome again = run(h->connector->list(first, {}));
    QVERIFY2(!again.error.isError(), qPrintable(again.error.summary()));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 4);
    QVERIFY(str(requestLog().last().toObject(), "path").contains(u"caseId=" + first.id()));

    // Too old to be used: asked for as well.
    h->connector->setKnownFilesLifetime(200);
    run(h->connector->list({ NodeKind::Account, {} }, {}));
    QTest::qWait(300);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 5);
    run(h->connector->list(first, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 6);
    // Turned off: every case list is asked for.
    h->connector->setKnownFilesLifetime(0);
    run(h->connector->list({ NodeKind::Account, {} }, {}));
    run(h->connector->list(first, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 8);
}

void TestCare360Listing::knownFilesNeverOutliveADeleteOrAFilter()
{
    auto &h = m_patient;
    const auto expected = expectedFilesByCase();
    QList<RemoteItem> targets; // files the patient uploaded, so may delete
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        for (const QJsonObject &file : it.value()) {
            if (str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") == patientId()) {
                RemoteItem target;
                target.ref = { NodeKind::Care360File, { it.key(), str(file, "id") } };
                target.name = str(file, "fileName");
                targets.append(target);
            }
        }
    }
    QVERIFY(targets.size() >= 2);
    const auto caseOf = [](const RemoteItem &file) {
        return NodeRef { NodeKind::Care360Case, { file.ref.ids.first() } };
    };

    // A delete: the case's next list asks Care360, which no longer lists the file.
    const RemoteItem &target = targets.at(0);
    const NodeRef caseRef = caseOf(target);
    QVERIFY(!run(h->connector->list({ NodeKind::Account, {} }, {})).error.isError());
    const Outcome removed = run(h->connector->remove(target));
    QVERIFY2(!removed.error.isError(), qPrintable(removed.error.summary()));
    const Outcome relisted = run(h->connector->list(caseRef, {}));
    QVERIFY2(!relisted.error.isError(), qPrintable(relisted.error.summary()));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 2);
    QCOMPARE(relisted.page.items.size(), expected.value(caseRef.id()).size() - 1);
    for (const RemoteItem &item : relisted.page.items)
        QVERIFY(item.ref.id() != target.ref.id());

    // A delete while an account listing is out: its answer may predate the delete, so it fills
    // no case.
    Outcome overlapped;
    capture(h->connector->list({ NodeKind::Account, {} }, {}), &overlapped);
    const Outcome removedMeanwhile = run(h->connector->remove(targets.at(1)));
    QVERIFY2(!removedMeanwhile.error.isError(), qPrintable(removedMeanwhile.error.summary()));
    QTRY_VERIFY_WITH_TIMEOUT(overlapped.finished, 10000);
    QVERIFY(!overlapped.error.isError());
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 3);
    for (const RemoteItem &caseItem : overlapped.page.items) {
        const Outcome files = run(h->connector->list(caseItem.ref, {}));
        for (const RemoteItem &item : files.page.items)
            QVERIFY(item.ref.id() != targets.at(1).ref.id());
    }
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")),
             3 + int(overlapped.page.items.size()));
    const int listsSoFar = m_sandbox.requestCount(kService, QStringLiteral("file.list"));

    // Another type filter: the rows listed without it are not used.
    QVERIFY(!run(h->connector->list({ NodeKind::Account, {} }, {})).error.isError());
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), listsSoFar + 1);
    h->connector->setFileTypeFilter(QStringLiteral("phi"));
    const Outcome phi = run(h->connector->list(caseRef, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), listsSoFar + 2);
    const QString phiPath = str(requestLog().last().toObject(), "path");
    QVERIFY2(phiPath.contains(u"caseId=" + caseRef.id()) && phiPath.contains(u"type=phi"),
             qPrintable(phiPath));
    for (const RemoteItem &item : phi.page.items)
        QVERIFY(item.details.value(QStringLiteral("isPHI")).toBool());
    // With the filter, the account's answer has only PHI files, and so do the cases it fills.
    const Outcome phiCases = run(h->connector->list({ NodeKind::Account, {} }, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), listsSoFar + 3);
    for (const RemoteItem &caseItem : phiCases.page.items) {
        const Outcome files = run(h->connector->list(caseItem.ref, {}));
        QCOMPARE(files.page.items.size(), caseItem.childCount);
        for (const RemoteItem &item : files.page.items)
            QVERIFY(item.details.value(QStringLiteral("isPHI")).toBool());
    }
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), listsSoFar + 3);
}

void TestCare360Listing::rowsWithoutDetails()
{
    auto &h = m_patient;
    PageRequest bare;
    bare.withDetails = false;
    const Outcome cases = run(h->connector->list({ NodeKind::Account, {} }, bare));
    QVERIFY2(!cases.error.isError(), qPrintable(cases.error.summary()));
    QVERIFY(cases.page.items.size() >= 2);
    const NodeRef first = cases.page.items.at(0).ref;
    const NodeRef second = cases.page.items.at(1).ref;

    // Rows without details are not enough for who wants them: asked for.
    const Outcome full = run(h->connector->list(first, {}));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 2);
    QVERIFY(!full.page.items.isEmpty());
    QVERIFY(!full.page.items.first().details.isEmpty());
    // Enough for who does not.
    const Outcome known = run(h->connector->list(second, bare));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 2);
    const Outcome asked = run(h->connector->list(second, bare));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 3);
    // Handed over in compact form, from the account listing or from the case's own list alike.
    QVERIFY(known.page.items.isEmpty());
    QVERIFY(!known.page.rows.isEmpty());
    QCOMPARE(describe(Care360Connector::ParsedList { known.page, {} }, second),
             describe(Care360Connector::ParsedList { asked.page, {} }, second));
    for (const RemoteItem &item : itemsOf(known.page, second)) {
        QCOMPARE(item.ref.ids.size(), 2);
        QCOMPARE(item.ref.ids.first(), second.id());
        QVERIFY(item.details.isEmpty());
        QVERIFY(!item.name.isEmpty());
        QVERIFY(item.created.isValid());
        QVERIFY(!item.status.isEmpty());
    }
}

// ApiRequest::bodyPieces, as the account listing uses it: a 2xx body arrives in pieces that make
// it whole, an error answer is kept whole in the result, and a body cut short is an error however
// many pieces came.
void TestCare360Listing::answerInPiecesIsWholeOrAnError()
{
    auto &h = m_patient;
    ApiRequest request;
    request.url
        = urlWithSegments(m_sandbox.baseUrl(kService),
                          { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                            QStringLiteral("me"), QStringLiteral("files") });
    const auto send = [&](const ApiRequest &sent, QByteArray *pieces, int *pieceCount) {
        std::optional<ApiResult> result;
        ApiRequest withPieces = sent;
        withPieces.bodyPieces = [pieces, pieceCount](const QByteArray &piece) {
            QVERIFY(!piece.isEmpty());
            pieces->append(piece);
            ++*pieceCount;
        };
        h->session->send(withPieces, this, [&result](const ApiResult &answer) { result = answer; });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        }();
        return result.value_or(ApiResult());
    };

    std::optional<ApiResult> whole;
    h->session->send(request, this, [&whole](const ApiResult &answer) { whole = answer; });
    QTRY_VERIFY_WITH_TIMEOUT(whole.has_value(), 10000);
    QVERIFY(whole->ok());
    QByteArray pieces;
    int pieceCount = 0;
    const ApiResult pieced = send(request, &pieces, &pieceCount);
    QVERIFY2(pieced.ok(), qPrintable(pieced.error.summary()));
    QCOMPARE(pieced.status, 200);
    QVERIFY(pieced.body.isEmpty());
    QVERIFY(pieceCount >= 1);
    QCOMPARE(pieces, whole->body);

    // An error answer (the sandbox's 404 for an unknown tenant) is not handed out in pieces.
    bool stored = false;
    h->session->storeSecret(Secret::tenantKey, QStringLiteral("no-such-tenant"), this,
                            [&stored](const QString &) { stored = true; });
    QTRY_VERIFY(stored);
    pieces.clear();
    pieceCount = 0;
    const ApiResult refused = send(request, &pieces, &pieceCount);
    QVERIFY(!refused.ok());
    QCOMPARE(pieceCount, 0);
    QVERIFY(!refused.body.isEmpty());
    QCOMPARE(refused.error.httpStatus, refused.status);
}

void TestCare360Listing::typeFilterIsSent()
{
    auto &h = m_patient;
    h->connector->setFileTypeFilter(QStringLiteral("phi"));
    const auto expected = expectedFilesByCase();
    const QString caseId = expected.cbegin().key();
    const Outcome outcome = run(h->connector->list({ NodeKind::Care360Case, { caseId } }, {}));
    QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.summary()));
    int phiCount = 0;
    for (const QJsonObject &file : expected.value(caseId))
        phiCount += file.value(QStringLiteral("isPHI")).toBool() ? 1 : 0;
    QCOMPARE(outcome.page.items.size(), phiCount);
    for (const RemoteItem &item : outcome.page.items)
        QVERIFY(item.details.value(QStringLiteral("isPHI")).toBool());
    const QJsonArray log = requestLog();
    const QString path = str(log.last().toObject(), "path");
    QVERIFY2(path.contains(QStringLiteral("type=phi")), qPrintable(path));
    QVERIFY2(path.contains(QStringLiteral("caseId=") + caseId), qPrintable(path));
}

void TestCare360Listing::foreignCaseIsForbidden()
{
    auto &h = m_patient;
    const Outcome outcome = run(h->connector->list(
        { NodeKind::Care360Case, { str(m_credentials, "otherPatientCaseId") } }, {}));
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.error.kind, ApiError::Kind::Http);
    QCOMPARE(outcome.error.httpStatus, 403);
    QVERIFY2(outcome.error.userMessage.contains(QStringLiteral("not one of the signed-in "
                                                               "patient's cases")),
             qPrintable(outcome.error.userMessage));
    QCOMPARE(outcome.error.serviceMessage, QStringLiteral("You do not have access to this case"));
}

void TestCare360Listing::nothingToListUnderAFile()
{
    auto &h = m_patient;
    const Outcome outcome = run(h->connector->list(
        { NodeKind::Care360File, { QStringLiteral("c"), QStringLiteral("f") } }, {}));
    QCOMPARE(outcome.error.kind, ApiError::Kind::InvalidInput);
    const Outcome noId = run(h->connector->list({ NodeKind::Care360Case, {} }, {}));
    QCOMPARE(noId.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 0);
}

QTEST_GUILESS_MAIN(TestCare360Listing)
#include "tst_connector_care360_listing.moc"
