// InvoxConnector against the real docket-sandbox: signing in with the App Id and API Key, its
// faults, the settings a sign-in reads (token path, API version), the token's expiry and renewal.
// (Documents: tst_connector_invox_documents; deletes: _deletes; the [gap] alternatives: _gaps.)

#include "failurechecks.h"
#include "invoxsuite.h"

using namespace Docket;

class TestInvoxSignIn : public InvoxSuite
{
    Q_OBJECT

private Q_SLOTS:
    void signInWithGoodCredentials();
    void signInWithWrongCredentials_data();
    void signInWithWrongCredentials();
    void signInWithoutApiKey();
    void signInFaults_data();
    void signInFaults();
    void tokenPathIsASetting();
    void restrictedAppGetsAClearError();
    void apiVersionHeaderIsSent();
    void tokenExpiryRenewsOnce();
    void concurrentDeletesAfterExpiryShareOneExchange();
};

void TestInvoxSignIn::signInWithGoodCredentials()
{
    auto fixture = demo();
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));
    QVERIFY(!fixture->session->isSignedOut());
    QVERIFY(fixture->session->hasSecret(Secret::accessToken));
    // The token reached the credential store, under the account's key.
    QVERIFY(fixture->store.contains(secretKey(fixture->account.id, Secret::accessToken)));
    QCOMPARE(exchanges(), 1);
}

void TestInvoxSignIn::signInWithWrongCredentials_data()
{
    QTest::addColumn<QString>("appId");
    QTest::addColumn<QString>("apiKey");
    QTest::newRow("wrong key") << QStringLiteral("docket-demo-app")
                               << QStringLiteral("not-the-key");
    QTest::newRow("unknown app") << QStringLiteral("nobody-app")
                                 << QStringLiteral("invox-demo-key-7f3a9c");
    QTest::newRow("other app's key")
        << QStringLiteral("docket-demo-app") << QStringLiteral("invox-other-key-2b8e41");
}

void TestInvoxSignIn::signInWithWrongCredentials()
{
    QFETCH(QString, appId);
    QFETCH(QString, apiKey);
    auto fixture = makeFixture(appId, apiKey);
    const Outcome signIn = waitFor(fixture->connector->signIn());
    verifyFailed(signIn, ApiError::Kind::SignedOut, 401);
    QVERIFY2(
        signIn.error.userMessage.contains(QStringLiteral("The App Id or API Key was not accepted")),
        qPrintable(signIn.error.userMessage));
    QVERIFY(!signIn.error.userMessage.contains(apiKey));
    QVERIFY(!fixture->session->hasSecret(Secret::accessToken));
}

void TestInvoxSignIn::signInWithoutApiKey()
{
    auto fixture = makeFixture(m_appId, QString());
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QCOMPARE(signIn.error.kind, ApiError::Kind::SignedOut);
    QVERIFY(signIn.error.userMessage.contains(QStringLiteral("API Key")));
    QCOMPARE(exchanges(), 0);

    // No App Id: the account's settings are incomplete, and nothing is sent.
    auto noApp = makeFixture(QString(), m_apiKey);
    const Outcome noAppSignIn = waitFor(noApp->connector->signIn());
    QCOMPARE(noAppSignIn.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(exchanges(), 0);
}

void TestInvoxSignIn::signInFaults_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::newRow("500") << QStringLiteral("status") << 500 << int(ApiError::Kind::Http);
    QTest::newRow("503") << QStringLiteral("status") << 503 << int(ApiError::Kind::Http);
    QTest::newRow("403") << QStringLiteral("status") << 403 << int(ApiError::Kind::SignedOut);
    QTest::newRow("malformed") << QStringLiteral("malformed") << 0
                               << int(ApiError::Kind::MalformedResponse);
    QTest::newRow("reset") << QStringLiteral("reset") << 0 << int(ApiError::Kind::Connection);
    QTest::newRow("hang") << QStringLiteral("hang") << 0 << int(ApiError::Kind::Timeout);
}

void TestInvoxSignIn::signInFaults()
{
    QFETCH(QString, mode);
    QFETCH(int, status);
    QFETCH(int, kind);
    auto fixture = demo();
    fixture->network.setDefaultTimeout(500);
    QJsonObject rule { { QStringLiteral("mode"), mode } };
    if (status)
        rule.insert(QStringLiteral("status"), status);
    // Qt resends a request transparently when a kept-alive connection is reset: a reset must
    // outlast those resends to reach the connector.
    if (mode == QStringLiteral("reset"))
        rule.insert(QStringLiteral("count"), resetsBeyondResends);
    QVERIFY(addFault(QStringLiteral("auth.token"), rule));
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY(signIn.finished);
    QVERIFY2(int(signIn.error.kind) == kind, qPrintable(describe(signIn)));
    QVERIFY(!signIn.error.userMessage.isEmpty());
    verifyNoSecret(signIn.error);
    QVERIFY(!fixture->session->hasSecret(Secret::accessToken));

    // The fault is over: signing in again works.
    QVERIFY(m_sandbox.clearFaults());
    const Outcome again = waitFor(fixture->connector->signIn());
    QVERIFY2(again.ok(), qPrintable(describe(again)));
}

void TestInvoxSignIn::tokenPathIsASetting()
{
    auto fixture = demo();
    fixture->account.setSetting(QStringLiteral("tokenPath"), QStringLiteral("/v2/oauth/token"));
    fixture->reopen();
    QVERIFY(fixture->storeApiKey(m_apiKey));

    const Outcome signIn = waitFor(fixture->connector->signIn());
    QCOMPARE(signIn.error.kind, ApiError::Kind::Http);
    QCOMPARE(signIn.error.httpStatus, 404);
    QVERIFY2(signIn.error.userMessage.contains(QStringLiteral("/v2/oauth/token")),
             qPrintable(signIn.error.userMessage));
    // It went where the setting said, not to the default.
    const QJsonArray requests = requestLog();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/v2/oauth/token"));
    QCOMPARE(exchanges(), 0);
}

void TestInvoxSignIn::restrictedAppGetsAClearError()
{
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("invox"));
    auto fixture = makeFixture(credentials.value(QStringLiteral("restrictedAppId")).toString(),
                               credentials.value(QStringLiteral("restrictedApiKey")).toString());
    // The exchange itself works: only document calls are refused.
    const Outcome signIn = waitFor(fixture->connector->signIn());
    QVERIFY2(signIn.ok(), qPrintable(describe(signIn)));

    QVERIFY(
        fixture->connector
            ->addKnownDocument(QStringLiteral("c"), mockDocumentId, QStringLiteral("note.pdf"), pdf)
            .isEmpty());
    const Outcome removal
        = waitFor(fixture->remove(fixture->documentItem(QStringLiteral("c"), mockDocumentId)));
    QCOMPARE(removal.error.kind, ApiError::Kind::Http);
    QCOMPARE(removal.error.httpStatus, 403);
    QVERIFY2(removal.error.userMessage.contains(QStringLiteral("not allowed")),
             qPrintable(removal.error.userMessage));
    QVERIFY(!removal.error.serviceMessage.isEmpty());
    // Kept: it was not deleted.
    QVERIFY(fixture->index.contains(fixture->account.id, mockDocumentId));
    QVERIFY(!deletedIds().contains(mockDocumentId));
    // A refused document call is not a refused sign-in.
    QVERIFY(!fixture->session->isSignedOut());

    const Outcome upload = waitFor(
        fixture->connector->upload(QStringLiteral("c"), QStringLiteral("a.txt"), txt, "x"));
    QCOMPARE(upload.error.httpStatus, 403);
}

void TestInvoxSignIn::apiVersionHeaderIsSent()
{
    auto good = demo();
    const auto reopenWithApiVersion = [&good](const QString &apiVersion) {
        good->account.setSetting(QStringLiteral("apiVersion"), apiVersion);
        good->reopen();
    };
    reopenWithApiVersion(QStringLiteral("2026-03-01"));
    QVERIFY(good->storeApiKey(m_apiKey));
    QVERIFY(
        good->connector->addKnownDocument(QStringLiteral("c"), mockDocumentId, {}, pdf).isEmpty());
    const Outcome removal
        = waitFor(good->remove(good->documentItem(QStringLiteral("c"), mockDocumentId)));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);

    // The sandbox checks the header's value: a version it does not know proves it was sent.
    reopenWithApiVersion(QStringLiteral("1999-01-01"));
    QVERIFY(good->storeApiKey(m_apiKey));
    const QString second = demoDocumentId(1);
    QVERIFY(good->connector->addKnownDocument(QStringLiteral("c"), second, {}, txt).isEmpty());
    const Outcome refused = waitFor(good->remove(good->documentItem(QStringLiteral("c"), second)));
    QCOMPARE(refused.error.kind, ApiError::Kind::Http);
    QCOMPARE(refused.error.httpStatus, 400);
    QCOMPARE(refused.error.serviceCode, QStringLiteral("invalidApiVersionForEndpoint"));
    QVERIFY(good->index.contains(good->account.id, second));

    // A header value with a line break never reaches the network.
    reopenWithApiVersion(QStringLiteral("2026-03-01\r\nX-Evil: 1"));
    const int before = requestLog().size();
    const Outcome injected = waitFor(good->remove(good->documentItem(QStringLiteral("c"), second)));
    QCOMPARE(injected.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(requestLog().size(), before);
}

void TestInvoxSignIn::tokenExpiryRenewsOnce()
{
    auto fixture = signedInDemo();
    QCOMPARE(exchanges(), 1);
    const RemoteItem item = fixture->knownDocument(mockDocumentId);
    const QString before = fixture->session->secret(Secret::accessToken);
    QVERIFY(m_sandbox.expireTokens(QStringLiteral("invox")));

    const Outcome removal = waitFor(fixture->remove(item));
    QVERIFY2(removal.ok(), qPrintable(describe(removal)));
    QCOMPARE(removal.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(exchanges(), 2);
    QCOMPARE(fixture->session->renewalsStarted(), 1);
    const QString after = fixture->session->secret(Secret::accessToken);
    QVERIFY(!after.isEmpty());
    QVERIFY(after != before);

    // A session started later from the stored secrets (no exchange of its own yet) renews too.
    QVERIFY(m_sandbox.expireTokens(QStringLiteral("invox")));
    AccountSession restored(fixture->account, &fixture->network, &fixture->store);
    InvoxConnector connector(&restored, &fixture->index);
    bool loaded = false;
    restored.loadSecrets(&restored, [&loaded](const QString &) { loaded = true; });
    QTRY_VERIFY(loaded);
    QCOMPARE(restored.secret(Secret::accessToken), after);
    const QString second = demoDocumentId(1);
    QCOMPARE(connector.addKnownDocument(QStringLiteral("c"), second, {}, txt), QString());
    const Outcome restoredRemoval
        = waitFor(connector.remove(fixture->documentItem(QStringLiteral("c"), second)));
    QVERIFY2(restoredRemoval.ok(), qPrintable(describe(restoredRemoval)));
    QCOMPARE(restoredRemoval.deleteOutcome, DeleteOutcome::Deleted);
    QCOMPARE(exchanges(), 3);
}

void TestInvoxSignIn::concurrentDeletesAfterExpiryShareOneExchange()
{
    auto fixture = signedInDemo();
    QCOMPARE(exchanges(), 1);
    // The 5 demo documents, and 15 ids the service does not know: 20 deletes at once.
    QStringList ids;
    for (const QJsonValue &value : m_documents)
        ids << value.toObject().value(QStringLiteral("documentId")).toString();
    QCOMPARE(ids.size(), 5);
    for (int i = 0; i < 15; ++i)
        ids << QStringLiteral("unknown-%1").arg(i);
    for (const QString &id : ids)
        QCOMPARE(fixture->connector->addKnownDocument(QStringLiteral("c"), id, {}, pdf), QString());
    const Outcome listed = waitFor(
        fixture->list({ NodeKind::InvoxConsultation, { QStringLiteral("c") } }, { {}, 100 }));
    QCOMPARE(listed.page.items.size(), 20);

    QVERIFY(m_sandbox.expireTokens(QStringLiteral("invox")));
    QList<std::shared_ptr<Outcome>> outcomes;
    for (const RemoteItem &item : listed.page.items)
        outcomes << watch(fixture->remove(item));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::all_of(outcomes.cbegin(), outcomes.cend(),
                               [](const auto &outcome) { return outcome->finished; });
        },
        15000));
    int deleted = 0;
    for (const auto &outcome : outcomes) {
        QVERIFY2(outcome->ok(), qPrintable(describe(*outcome)));
        deleted += outcome->deleteOutcome == DeleteOutcome::Deleted;
    }
    QCOMPARE(deleted, 5);
    QCOMPARE(exchanges(), 2);
    QCOMPARE(fixture->session->renewalsStarted(), 1);
    QCOMPARE(deletedIds().size(), 5);
    QVERIFY(fixture->index.consultations(fixture->account.id).isEmpty());
}

QTEST_GUILESS_MAIN(TestInvoxSignIn)
#include "tst_connector_invox_signin.moc"
