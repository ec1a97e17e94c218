// Care360Connector's rotating refresh tokens against the real docket-sandbox (and a small HTTP
// server for refusals the sandbox does not give): one renewal for many 401s, reuse ends the
// sign-in, refusals read by their code, and the pair shared with another Docket process through
// the keychain and the refresh lock.

#include "care360suite.h"
#include "interprocesslock.h"

#include <QElapsedTimer>
#include <QLockFile>

class TestCare360Renewal : public Care360Suite
{
    Q_OBJECT

private Q_SLOTS:
    void concurrentExpiryRenewsOnce();
    void refreshReuseSignsOut();
    void refreshRefusalIsReadByItsCode_data();
    void refreshRefusalIsReadByItsCode();
    void renewalTakesOverThePairAnotherProcessStored();
    void renewalSpendsTheStoredRefreshToken();
    void renewalWaitsForAnotherProcessHoldingTheLock();
};

void TestCare360Renewal::concurrentExpiryRenewsOnce()
{
    auto h = signedIn();
    QVERIFY(h);
    const QString oldRefresh = h->session->secret(Secret::refreshToken);
    const QString oldAccess = h->session->secret(Secret::accessToken);
    QVERIFY(m_sandbox.expireTokens(kService));

    QList<std::shared_ptr<Outcome>> outcomes;
    for (int i = 0; i < 20; ++i) {
        auto outcome = std::make_shared<Outcome>();
        capture(h->connector->list({ NodeKind::Account, {} }, {}), outcome.get());
        outcomes.append(outcome);
    }
    const auto allFinished = [&outcomes] {
        return std::all_of(outcomes.cbegin(), outcomes.cend(),
                           [](const auto &outcome) { return outcome->finished; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(), 15000);
    for (const auto &outcome : std::as_const(outcomes)) {
        QVERIFY2(!outcome->error.isError(), qPrintable(outcome->error.summary()));
        QCOMPARE(outcome->page.items.size(), 3);
    }
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);
    QCOMPARE(h->session->renewalsStarted(), 1);
    // The new pair is in the session and the store.
    QVERIFY(h->session->secret(Secret::refreshToken) != oldRefresh);
    QVERIFY(h->session->secret(Secret::accessToken) != oldAccess);
    QCOMPARE(summary().value(QStringLiteral("refreshReuseDetected")).toInt(), 0);
}

void TestCare360Renewal::refreshReuseSignsOut()
{
    auto h = signedIn();
    QVERIFY(h);
    const QString oldRefresh = h->session->secret(Secret::refreshToken);
    // One refresh through the connector.
    const Outcome renewed = run(h->connector->signIn());
    QVERIFY2(!renewed.error.isError(), qPrintable(renewed.error.summary()));
    QVERIFY(h->session->secret(Secret::refreshToken) != oldRefresh);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);

    // Someone replays the old refresh token: Care360 revokes the whole sign-in.
    const TestReply replay = refreshByHand(oldRefresh);
    QCOMPARE(replay.status, 401);
    QCOMPARE(str(replay.json(), "code"), QStringLiteral("REFRESH_REUSED"));

    QVERIFY(m_sandbox.expireTokens(kService));
    const QString deadRefresh = h->session->secret(Secret::refreshToken);
    QSignalSpy signedOut(h->session.get(), &AccountSession::signedOut);
    const Outcome outcome = run(h->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.error.kind, ApiError::Kind::SignedOut);
    // The replay was answered REFRESH_REUSED; this refresh token, of the revoked family, is
    // answered REFRESH_INVALID.
    QCOMPARE(outcome.error.serviceCode, QStringLiteral("REFRESH_INVALID"));
    QCOMPARE(outcome.error.userMessage,
             QStringLiteral("Care360 no longer accepts this account's sign-in: it expired, was "
                            "ended elsewhere (by a sign-out, or by an old copy of its refresh "
                            "token used again), or belongs to another organization. Sign in "
                            "again with a new code."));
    QVERIFY(!outcome.error.summary().contains(deadRefresh));
    QVERIFY(h->session->isSignedOut());
    QCOMPARE(signedOut.size(), 1);
    // The dead tokens are forgotten, so nothing replays them again.
    QVERIFY(!h->session->hasSecret(Secret::refreshToken));
    QVERIFY(!h->session->hasSecret(Secret::accessToken));
    QVERIFY(h->session->hasSecret(Secret::tenantKey));
    const int refreshes = m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token"));
    QCOMPARE(run(h->connector->list({ NodeKind::Account, {} }, {})).error.kind,
             ApiError::Kind::SignedOut);
    QCOMPARE(run(h->connector->signIn()).error.kind, ApiError::Kind::SignedOut);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), refreshes);

    // A new code signs in again.
    QVERIFY(signIn(*h));
    QVERIFY(!h->session->isSignedOut());
    QVERIFY(!run(h->connector->list({ NodeKind::Account, {} }, {})).error.isError());
}

void TestCare360Renewal::refreshRefusalIsReadByItsCode_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("endsSignIn");
    QTest::addColumn<QString>("sentence");
    const QString reused = QStringLiteral("Care360 ended this sign-in because an old refresh token "
                                          "was used again");
    const QString invalid = QStringLiteral("Care360 no longer accepts this account's sign-in");
    QTest::newRow("REFRESH_REUSED 401")
        << 401 << QStringLiteral("REFRESH_REUSED") << true << reused;
    QTest::newRow("REFRESH_REUSED 400")
        << 400 << QStringLiteral("REFRESH_REUSED") << true << reused;
    QTest::newRow("REFRESH_INVALID 403")
        << 403 << QStringLiteral("REFRESH_INVALID") << true << invalid;
    QTest::newRow("REFRESH_INVALID 400")
        << 400 << QStringLiteral("REFRESH_INVALID") << true << invalid;
    // Without such a code, a 400 or a 500 says nothing about the token: it is kept.
    QTest::newRow("400 VALIDATION_FAILED")
        << 400 << QStringLiteral("VALIDATION_FAILED") << false << QString();
    QTest::newRow("500") << 500 << QString() << false << QString();
}

void TestCare360Renewal::refreshRefusalIsReadByItsCode()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(bool, endsSignIn);
    QFETCH(QString, sentence);
    FakeService fake;
    fake.answer("/api/v1/users/auth/verify-otp", 200,
                R"({"data":{"accessToken":"A1","refreshToken":"R1","expiresIn":900}})");
    QJsonObject refusal { { QStringLiteral("status"), status },
                          { QStringLiteral("success"), false },
                          { QStringLiteral("error"), QStringLiteral("Refused") } };
    if (!code.isEmpty())
        refusal.insert(QStringLiteral("code"), code);
    fake.answer("/api/v1/users/auth/refresh-token", status,
                QJsonDocument(refusal).toJson(QJsonDocument::Compact));
    fake.answer("/api/v1/users/me/files", 401, R"({"message":"Invalid or expired token"})");
    Harness h(fake.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));
    QVERIFY(!run(h.connector->verifyCode(QStringLiteral("123456"))).error.isError());

    QSignalSpy signedOut(h.session.get(), &AccountSession::signedOut);
    const Outcome listed = run(h.connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY(listed.finished);
    QVERIFY(listed.error.isError());
    const QString refreshKey = secretKey(h.account.id, Secret::refreshToken);
    std::optional<QString> stored;
    h.store->read(refreshKey, h.session.get(),
                  [&stored](const CredentialStore::ReadResult &result) {
                      stored = result.value.value_or(QStringLiteral("<none>"));
                  });
    QTRY_VERIFY(stored.has_value());
    if (endsSignIn) {
        QCOMPARE(listed.error.kind, ApiError::Kind::SignedOut);
        QVERIFY2(listed.error.userMessage.startsWith(sentence),
                 qPrintable(listed.error.userMessage));
        QVERIFY(h.session->isSignedOut());
        QCOMPARE(signedOut.size(), 1);
        QVERIFY(!h.session->hasSecret(Secret::refreshToken));
        QCOMPARE(*stored, QString()); // the dead token is not kept to be replayed
        // Nothing sends the dead token again.
        QCOMPARE(run(h.connector->list({ NodeKind::Account, {} }, {})).error.kind,
                 ApiError::Kind::SignedOut);
    } else {
        QVERIFY(listed.error.kind != ApiError::Kind::SignedOut);
        QVERIFY(!h.session->isSignedOut());
        QCOMPARE(signedOut.size(), 0);
        QCOMPARE(h.session->secret(Secret::refreshToken), QStringLiteral("R1"));
        QCOMPARE(*stored, QStringLiteral("R1"));
    }
    int refreshes = 0;
    for (const FakeService::Request &request : std::as_const(fake.requests))
        refreshes += request.target == "/api/v1/users/auth/refresh-token";
    QCOMPARE(refreshes, 1);
}

void TestCare360Renewal::renewalTakesOverThePairAnotherProcessStored()
{
    // Two copies of Docket, one account, one keychain: each read the same pair at its start.
    auto first = signedIn();
    QVERIFY(first);
    Harness second(m_sandbox.baseUrl(kService), str(m_credentials, "email"), QString(),
                   first->store, first->account.id);
    bool loaded = false;
    second.session->loadSecrets(second.session.get(), [&loaded](const QString &error) {
        QVERIFY(error.isEmpty());
        loaded = true;
    });
    QTRY_VERIFY(loaded);
    const QString shared = second.session->secret(Secret::refreshToken);
    QCOMPARE(shared, first->session->secret(Secret::refreshToken));

    // Both access tokens die; the first renews (spending the shared refresh token)...
    QVERIFY(m_sandbox.expireTokens(kService));
    const Outcome one = run(first->connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!one.error.isError(), qPrintable(one.error.summary()));
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);
    // ...and the second, meeting its 401, takes the stored pair instead of replaying it.
    const Outcome two = run(second.connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!two.error.isError(), qPrintable(two.error.summary()));
    QCOMPARE(two.page.items.size(), one.page.items.size());
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);
    QCOMPARE(second.session->secret(Secret::refreshToken),
             first->session->secret(Secret::refreshToken));
    QVERIFY(second.session->secret(Secret::refreshToken) != shared);
    QVERIFY(!second.session->isSignedOut());
    QCOMPARE(summary().value(QStringLiteral("refreshReuseDetected")).toInt(), 0);
    QCOMPARE(summary().value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 0);
}

void TestCare360Renewal::renewalSpendsTheStoredRefreshToken()
{
    FakeService fake;
    fake.answer("/api/v1/users/auth/verify-otp", 200,
                R"({"data":{"accessToken":"A1","refreshToken":"R1","expiresIn":900}})");
    fake.answer("/api/v1/users/auth/refresh-token", 200,
                R"({"data":{"accessToken":"A3","refreshToken":"R4","expiresIn":900}})");
    // Each list: a 401 (its access token is dead), then the answer.
    for (int i = 0; i < 2; ++i) {
        fake.answer("/api/v1/users/me/files", 401, R"({"message":"Invalid or expired token"})");
        fake.answer("/api/v1/users/me/files", 200, R"({"data":{"files":[]}})");
    }
    Harness h(fake.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));
    QVERIFY(!run(h.connector->verifyCode(QStringLiteral("123456"))).error.isError());
    const auto storeAs = [&h](const QString &name, const QString &value) {
        bool stored = false;
        h.store->write(secretKey(h.account.id, name), value, h.session.get(),
                       [&stored](const QString &) { stored = true; });
        return QTest::qWaitFor([&stored] { return stored; }, 5000);
    };
    const auto refreshesSent = [&fake] {
        QStringList sent;
        for (const FakeService::Request &request : std::as_const(fake.requests)) {
            if (request.target == "/api/v1/users/auth/refresh-token")
                sent << QJsonDocument::fromJson(request.body)
                            .object()
                            .value(QStringLiteral("refresh_token"))
                            .toString();
        }
        return sent;
    };

    // Another process refreshed: its pair is stored, its access token good for ten minutes. It is
    // used as it is, without a refresh.
    const QString fresh = jwtDying(600);
    QVERIFY(storeAs(Secret::refreshToken, QStringLiteral("R2")));
    QVERIFY(storeAs(Secret::accessToken, fresh));
    const Outcome adopted = run(h.connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!adopted.error.isError(), qPrintable(adopted.error.summary()));
    QCOMPARE(refreshesSent(), QStringList());
    QCOMPARE(fake.requests.last().headers.value("authorization"), "Bearer " + fresh.toLatin1());
    QCOMPARE(h.session->secret(Secret::refreshToken), QStringLiteral("R2"));

    // Another refresh elsewhere, long ago: its access token is dead too, so the renewal spends the
    // stored refresh token, never the one this process had.
    QVERIFY(storeAs(Secret::refreshToken, QStringLiteral("R3")));
    QVERIFY(storeAs(Secret::accessToken, jwtDying(-60)));
    const Outcome refreshed = run(h.connector->list({ NodeKind::Account, {} }, {}));
    QVERIFY2(!refreshed.error.isError(), qPrintable(refreshed.error.summary()));
    QCOMPARE(refreshesSent(), QStringList { QStringLiteral("R3") });
    QCOMPARE(fake.requests.last().headers.value("authorization"), QByteArray("Bearer A3"));
    QCOMPARE(h.session->secret(Secret::refreshToken), QStringLiteral("R4"));
}

void TestCare360Renewal::renewalWaitsForAnotherProcessHoldingTheLock()
{
    auto h = signedIn();
    QVERIFY(h);
    Harness other(m_sandbox.baseUrl(kService), str(m_credentials, "email"), QString(), h->store,
                  h->account.id);
    // Another process takes the account's refresh lock (a QLockFile of its own, as the window or
    // docket-cli would), and renews while this one waits for it.
    QLockFile held(InterProcessLock::pathFor(
        QStringLiteral("docket-care360-refresh-%1.lock").arg(h->account.id)));
    QVERIFY(held.tryLock(0));
    QVERIFY(m_sandbox.expireTokens(kService));
    Outcome waiting;
    QElapsedTimer waited;
    waited.start();
    capture(h->connector->list({ NodeKind::Account, {} }, {}), &waiting);
    QTest::qWait(300);
    QVERIFY(!waiting.finished);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 0);

    // The other process refreshes (with the same stored pair) and stores the new one.
    bool loaded = false;
    other.session->loadSecrets(other.session.get(), [&loaded](const QString &) { loaded = true; });
    QTRY_VERIFY(loaded);
    const TestReply refreshed = refreshByHand(other.session->secret(Secret::refreshToken));
    QCOMPARE(refreshed.status, 200);
    const QJsonObject pair = refreshed.json().value(QStringLiteral("data")).toObject();
    int stored = 0;
    for (const char *name : { "refreshToken", "accessToken" })
        other.session->storeSecret(QLatin1String(name), str(pair, name), other.session.get(),
                                   [&stored](const QString &) { ++stored; });
    QTRY_COMPARE(stored, 2);
    QVERIFY(!waiting.finished);
    held.unlock();

    // This one then reads the pair the other stored and uses it: no second refresh, no replay.
    QTRY_VERIFY_WITH_TIMEOUT(waiting.finished, 10000);
    QVERIFY2(!waiting.error.isError(), qPrintable(waiting.error.summary()));
    QVERIFY(waited.elapsed() >= 300);
    QCOMPARE(m_sandbox.requestCount(kService, QStringLiteral("auth.refresh-token")), 1);
    QCOMPARE(h->session->secret(Secret::refreshToken), str(pair, "refreshToken"));
    QCOMPARE(summary().value(QStringLiteral("refreshFamiliesRevoked")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestCare360Renewal)
#include "tst_connector_care360_renewal.moc"
