// Care360Connector against the real docket-sandbox (docs/services.md §2): the one-time-code
// sign-in by e-mail or phone, its refusals, signing in again with the stored refresh token,
// signing out; the file-type filter and a file's actions.

#include "care360suite.h"
#include "itemdetails.h"

class TestCare360SignIn : public Care360Suite
{
    Q_OBJECT

private Q_SLOTS:
    void phoneNumbersAreToldFromEmails();
    void fileTypeIsAListFilter();
    void signInWithEmailCode();
    void signInWithPhoneCode();
    void wrongCodeIsClear();
    void unknownTenantIsClear();
    void signInWithStoredRefreshToken();
    void signInWithoutRefreshToken();
    void signOutEndsTheSignIn();
    void signOutForgetsEvenWhenLogoutFails();
};

void TestCare360SignIn::phoneNumbersAreToldFromEmails()
{
    QVERIFY(Care360Connector::looksLikePhoneNumber(QStringLiteral("+15555550100")));
    QVERIFY(Care360Connector::looksLikePhoneNumber(QStringLiteral("+1 (555) 555-0100")));
    QVERIFY(Care360Connector::looksLikePhoneNumber(QStringLiteral("555.555.0100")));
    QVERIFY(!Care360Connector::looksLikePhoneNumber(QStringLiteral("patient@example.org")));
    QVERIFY(!Care360Connector::looksLikePhoneNumber(QStringLiteral("12345@example.org")));
    QVERIFY(!Care360Connector::looksLikePhoneNumber(QStringLiteral("front desk")));
    QVERIFY(!Care360Connector::looksLikePhoneNumber(QStringLiteral("123")));
}

void TestCare360SignIn::fileTypeIsAListFilter()
{
    auto h = harness();
    const QList<ListFilter> filters = h->connector->listFilters();
    QCOMPARE(filters.size(), 1);
    QCOMPARE(filters.first().id, QStringLiteral("fileType"));
    QCOMPARE(filters.first().values,
             (QStringList { QStringLiteral("phi"), QStringLiteral("general") }));
    QVERIFY(h->connector->listingProvesAbsence(NodeKind::Care360File));
    QVERIFY(h->connector->setListFilter(QStringLiteral("fileType"), QStringLiteral("general")));
    QCOMPARE(h->connector->fileTypeFilter(), QStringLiteral("general"));
    // Filtered, a listing without a file does not prove it gone (a lookup's "not found" then
    // sends nothing and claims nothing).
    QVERIFY(!h->connector->listingProvesAbsence(NodeKind::Care360File));
    QVERIFY(!h->connector->setListFilter(QStringLiteral("fileType"), QStringLiteral("PHI ")));
    QVERIFY(!h->connector->setListFilter(QStringLiteral("status"), QStringLiteral("phi")));
    QCOMPARE(h->connector->fileTypeFilter(), QStringLiteral("general"));
    QVERIFY(h->connector->setListFilter(QStringLiteral("fileType"), QString()));
    QCOMPARE(h->connector->fileTypeFilter(), QString());
    QVERIFY(h->connector->listingProvesAbsence(NodeKind::Care360File));
    // A file's details and its download-link action.
    QVERIFY(h->connector->hasDetails(NodeKind::Care360File));
    QVERIFY(!h->connector->hasDetails(NodeKind::Care360Case));
    const QList<DetailAction> actions = h->connector->detailActions(NodeKind::Care360File);
    QCOMPARE(actions.size(), 1);
    QCOMPARE(actions.first().id, DetailAction::downloadLinkId());
    QVERIFY(h->connector->detailActions(NodeKind::Care360Case).isEmpty());
}

void TestCare360SignIn::signInWithEmailCode()
{
    auto h = harness();
    QVERIFY(!h->session->hasSecret(Secret::accessToken));
    const Outcome code = run(h->connector->requestCode());
    QVERIFY(code.finished);
    QVERIFY2(!code.error.isError(), qPrintable(code.error.summary()));
    QCOMPARE(code.data.value(QStringLiteral("channel")).toString(), QStringLiteral("EMAIL"));

    const Outcome verify = run(h->connector->verifyCode(str(m_credentials, "otpCode")));
    QVERIFY(verify.finished);
    QVERIFY2(!verify.error.isError(), qPrintable(verify.error.summary()));
    QVERIFY(h->session->hasSecret(Secret::accessToken));
    QVERIFY(h->session->hasSecret(Secret::refreshToken));
    // Both are in the store by the time the job finished.
    QVERIFY(h->store->contains(secretKey(h->account.id, Secret::accessToken)));
    QVERIFY(h->store->contains(secretKey(h->account.id, Secret::refreshToken)));
    QVERIFY(!h->session->isSignedOut());
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.send-otp")), 1);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.verify-otp")), 1);

    // And the tokens work.
    const Outcome cases = run(h->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!cases.error.isError(), qPrintable(cases.error.summary()));
    QCOMPARE(cases.page.items.size(), 3);
}

void TestCare360SignIn::signInWithPhoneCode()
{
    auto h = harness(QStringLiteral("+1 (555) 555-0100"));
    const Outcome code = run(h->connector->requestCode());
    QVERIFY2(!code.error.isError(), qPrintable(code.error.summary()));
    QCOMPARE(code.data.value(QStringLiteral("channel")).toString(), QStringLiteral("SMS"));
    const Outcome verify = run(h->connector->verifyCode(str(m_credentials, "otpCode")));
    QVERIFY2(!verify.error.isError(), qPrintable(verify.error.summary()));
    const Outcome cases = run(h->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!cases.error.isError(), qPrintable(cases.error.summary()));
    QCOMPARE(cases.page.items.size(), 3);
}

void TestCare360SignIn::wrongCodeIsClear()
{
    auto h = harness();
    QVERIFY(!run(h->connector->requestCode()).error.isError());
    const Outcome verify = run(h->connector->verifyCode(QStringLiteral("000000")));
    verifyFailed(verify, ApiError::Kind::Http, 401);
    QVERIFY2(
        verify.error.userMessage.startsWith(QStringLiteral("The code is wrong or has expired")),
        qPrintable(verify.error.userMessage));
    QVERIFY(!h->session->hasSecret(Secret::accessToken));
    QVERIFY(!h->session->hasSecret(Secret::refreshToken));

    // An empty code never leaves the computer.
    const Outcome empty = run(h->connector->verifyCode(QStringLiteral("  ")));
    QCOMPARE(empty.error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.verify-otp")), 1);
}

void TestCare360SignIn::unknownTenantIsClear()
{
    auto h = harness({}, QStringLiteral("cv-no-such-tenant"));
    const Outcome code = run(h->connector->requestCode());
    verifyFailed(code, ApiError::Kind::Http, 404);
    QVERIFY2(
        code.error.userMessage.startsWith(QStringLiteral("The tenant key is not known to Care360")),
        qPrintable(code.error.userMessage));
    const Outcome verify = run(h->connector->verifyCode(QStringLiteral("123456")));
    QVERIFY(verify.error.userMessage.startsWith(
        QStringLiteral("The tenant key is not known to Care360")));

    // Without a tenant key nothing is sent at all.
    auto bare = std::make_unique<Harness>(m_sandbox.baseUrl(kService), str(m_credentials, "email"),
                                          QString());
    QCOMPARE(run(bare->connector->requestCode()).error.kind, ApiError::Kind::InvalidInput);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.send-otp")), 1);
}

void TestCare360SignIn::signInWithStoredRefreshToken()
{
    auto first = signedIn();
    QVERIFY(first);
    // Docket starts again: a new session over the same store reads the secrets back.
    MemoryCredentialStore *store = first->store;
    auto again = std::make_unique<Harness>(m_sandbox.baseUrl(kService), str(m_credentials, "email"),
                                           QString(), store, first->account.id);
    bool loaded = false;
    again->session->loadSecrets(again->session.get(), [&loaded](const QString &error) {
        QVERIFY(error.isEmpty());
        loaded = true;
    });
    QTRY_VERIFY(loaded);
    QVERIFY(again->session->hasSecret(Secret::refreshToken));
    const QString storedRefresh = again->session->secret(Secret::refreshToken);

    const Outcome outcome = run(again->connector->signIn());
    QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.summary()));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);
    QVERIFY(again->session->secret(Secret::refreshToken) != storedRefresh);
    QVERIFY(!again->session->isSignedOut());
    const Outcome listed = run(again->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!listed.error.isError(), qPrintable(listed.error.summary()));
    // Only the sign-in's renewal: the fresh access token needed none.
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);
}

void TestCare360SignIn::signInWithoutRefreshToken()
{
    auto h = harness();
    const Outcome outcome = run(h->connector->signIn());
    QCOMPARE(outcome.error.kind, ApiError::Kind::SignedOut);
    QVERIFY(outcome.error.userMessage.contains(QStringLiteral("Sign in with a new code")));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 0);
    // And listing without a sign-in fails without a request.
    QCOMPARE(run(h->connector->list({ NodeKind::Account, {} }, {})).error.kind,
             ApiError::Kind::SignedOut);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("file.list")), 0);
}

void TestCare360SignIn::signOutEndsTheSignIn()
{
    auto h = signedIn();
    QVERIFY(h);
    const QString refresh = h->session->secret(Secret::refreshToken);
    const Outcome outcome = run(h->connector->signOut());
    QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.summary()));
    QCOMPARE(outcome.data.value(QStringLiteral("serviceLogout")).toBool(), true);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.logout")), 1);
    QCOMPARE(summary().value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 1);
    QCOMPARE(h->store->size(), 0);
    QVERIFY(!h->session->hasSecret(Secret::refreshToken));
    QVERIFY(!h->session->hasSecret(Secret::accessToken));
    QVERIFY(!h->session->hasSecret(Secret::tenantKey));
    QCOMPARE(run(h->connector->list({ NodeKind::Account, {} }, {})).error.kind,
             ApiError::Kind::SignedOut);
    // The refresh token is dead at the service too.
    QCOMPARE(refreshByHand(refresh).status, 401);
}

void TestCare360SignIn::signOutForgetsEvenWhenLogoutFails()
{
    auto h = signedIn();
    QVERIFY(h);
    QVERIFY(addFault(QStringLiteral("auth.logout"), QStringLiteral("status"), 500));
    const Outcome outcome = run(h->connector->signOut());
    QVERIFY(outcome.finished);
    QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.summary()));
    QCOMPARE(outcome.data.value(QStringLiteral("serviceLogout")).toBool(), false);
    QVERIFY(!outcome.data.value(QStringLiteral("serviceLogoutError")).toString().isEmpty());
    QCOMPARE(h->store->size(), 0);
    QVERIFY(!h->session->hasSecret(Secret::refreshToken));
}

QTEST_GUILESS_MAIN(TestCare360SignIn)
#include "tst_connector_care360_signin.moc"
