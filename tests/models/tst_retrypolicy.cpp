// RetryPolicy, the numbers of every retry, back-off and renewal: which failures are retried, how
// the pauses grow and where they stop, Retry-After, the longest a delete may take and the renewal
// margins. Then, against the real docket-sandbox, that a delete meeting nothing but 429s ends,
// reported, within the policy's budget of requests, and that the queue keeps the time limit.

#include "accountsession.h"
#include "connectedaccount.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "credentialstore.h"
#include "deletionqueue.h"
#include "networkclient.h"
#include "retrypolicy.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Docket;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const QString service = QStringLiteral("scriptix");

ApiError httpError(int status)
{
    ApiError error = ApiError::make(ApiError::Kind::Http, QStringLiteral("HTTP %1").arg(status));
    error.httpStatus = status;
    return error;
}

// A Scriptix account as the app builds it.
struct Client : ConnectedAccount<ScriptixConnector>
{
    std::unique_ptr<DeletionQueue> queue;
};

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void retriesOnlyFailuresThatMayPass();
    void backoffGrowsAndIsCapped();
    void queueRetriesUntilItsAttemptsOrRoundsRunOut();
    void retryAfterIsHonouredAndCapped();
    void maxTotalTimeIsTheSumItClaims();
    void renewalMarginForShortAndLongLifetimes();
    void eachAccountHasItsServicePolicy();

    void endlessRateLimitEndsWithinTheBudget();
    void queueStopsRetryingAtTheTimeLimit();

private:
    std::unique_ptr<Client> makeClient();
    QString firstLiveSession() const;
    bool addEndless429(int retryAfterSeconds) const
    {
        return m_sandbox.addFault({ { QStringLiteral("service"), service },
                                    { QStringLiteral("route"), QStringLiteral("session.delete") },
                                    { QStringLiteral("mode"), QStringLiteral("status") },
                                    { QStringLiteral("status"), 429 },
                                    { QStringLiteral("retryAfter"), retryAfterSeconds } });
    }
    // Deletes one session through the client's queue; the item as it ended.
    DeletionItem deleteOne(Client *client, const QString &sessionId, int timeoutMs);

    // The rate limit lifted: the only 429s are the ones a test injects.
    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("20"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
};

void TestRetryPolicy::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestRetryPolicy::init()
{
    QVERIFY(m_sandbox.reset());
}

void TestRetryPolicy::retriesOnlyFailuresThatMayPass()
{
    for (ApiError::Kind kind :
         { ApiError::Kind::Timeout, ApiError::Kind::Connection, ApiError::Kind::MalformedResponse })
        QVERIFY(RetryPolicy::retriesAfter(ApiError::make(kind, QStringLiteral("x"))));
    for (int status : { 408, 429, 500, 502, 503, 504 })
        QVERIFY2(RetryPolicy::retriesAfter(httpError(status)), qPrintable(QString::number(status)));
    // Refusals and answers that say what happened: sending again changes nothing.
    for (int status : { 400, 401, 403, 404, 409, 410, 422 })
        QVERIFY2(!RetryPolicy::retriesAfter(httpError(status)),
                 qPrintable(QString::number(status)));
    for (ApiError::Kind kind :
         { ApiError::Kind::None, ApiError::Kind::Redirected, ApiError::Kind::SignedOut,
           ApiError::Kind::InvalidInput, ApiError::Kind::Credentials, ApiError::Kind::Cancelled })
        QVERIFY(!RetryPolicy::retriesAfter(ApiError::make(kind, QStringLiteral("x"))));

    QVERIFY(RetryPolicy::isRateLimited(httpError(429)));
    QVERIFY(!RetryPolicy::isRateLimited(httpError(503)));
    QVERIFY(!RetryPolicy::isRateLimited(ApiError::make(ApiError::Kind::Timeout, {})));
}

void TestRetryPolicy::backoffGrowsAndIsCapped()
{
    const RetryPolicy policy;
    const QList<qint64> expected = { 1000, 2000, 4000, 8000, 16000, 30000, 30000 };
    for (int step = 1; step <= expected.size(); ++step)
        QCOMPARE(policy.baseBackoff(step).count(), expected.at(step - 1));
    QCOMPARE(policy.baseBackoff(1000).count(), 30000); // no overflow however long it goes on

    // Jitter: within a fifth either side, never nothing.
    for (int round = 0; round < 200; ++round) {
        for (int step = 1; step <= 7; ++step) {
            const qint64 base = policy.baseBackoff(step).count();
            const qint64 jittered = policy.backoff(step).count();
            QVERIFY2(jittered >= base * 8 / 10 && jittered <= base * 12 / 10,
                     qPrintable(QStringLiteral("%1 for %2").arg(jittered).arg(base)));
        }
    }
    RetryPolicy tiny;
    tiny.firstBackoffMs = 1;
    for (int round = 0; round < 50; ++round)
        QVERIFY(tiny.backoff(1).count() >= 1);
    RetryPolicy steady;
    steady.backoffJitter = 0;
    QCOMPARE(steady.backoff(3).count(), 4000);
}

void TestRetryPolicy::queueRetriesUntilItsAttemptsOrRoundsRunOut()
{
    RetryPolicy policy;
    policy.backoffJitter = 0;
    // Failures that may pass: a pause after each of the first maxAttempts - 1 sends.
    for (int attempt = 1; attempt < policy.maxAttempts; ++attempt)
        QCOMPARE(policy.retryDelay(attempt, 0), policy.baseBackoff(attempt));
    QCOMPARE(policy.retryDelay(policy.maxAttempts, 0), std::nullopt);
    // 429 rounds do not use up attempts; their pause stops growing at the sixth.
    for (int round = 1; round <= policy.maxRateLimitRounds; ++round)
        QCOMPARE(policy.retryDelay(policy.maxAttempts + 3, round),
                 policy.baseBackoff(qMin(round, 6)));
    QCOMPARE(policy.retryDelay(1, policy.maxRateLimitRounds + 1), std::nullopt);
}

void TestRetryPolicy::retryAfterIsHonouredAndCapped()
{
    QCOMPARE(RetryPolicy::retryAfterSeconds("7"), 7);
    QCOMPARE(RetryPolicy::retryAfterSeconds(" 7 "), 7);
    QCOMPARE(RetryPolicy::retryAfterSeconds("0"), 0);
    QCOMPARE(RetryPolicy::retryAfterSeconds(""), std::nullopt);
    QCOMPARE(RetryPolicy::retryAfterSeconds("-1"), std::nullopt);
    QCOMPARE(RetryPolicy::retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
    QCOMPARE(RetryPolicy::retryAfterSeconds("99999999999"), std::nullopt); // beyond an int

    const RetryPolicy policy;
    // Honoured, plus a little so the request lands after the window reopens...
    QCOMPARE(policy.rateLimitWait(0, 7).count(), 7050);
    QCOMPARE(policy.rateLimitWait(5, 0).count(), 50);
    // ... up to five minutes.
    QCOMPARE(policy.rateLimitWait(0, 300).count(), 300050);
    QCOMPARE(policy.rateLimitWait(0, 3600).count(), 300050);
    // Without one: 2 s, doubling, up to a minute.
    const QList<qint64> expected = { 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 };
    for (int wait = 0; wait < expected.size(); ++wait)
        QCOMPARE(policy.rateLimitWait(wait, std::nullopt).count(), expected.at(wait));
    QCOMPARE(policy.rateLimitWait(1000, std::nullopt).count(), 60000);

    // Eight waits per request, then its caller sees the 429.
    QVERIFY(policy.waitsOutRateLimit(0));
    QVERIFY(policy.waitsOutRateLimit(7));
    QVERIFY(!policy.waitsOutRateLimit(8));
}

void TestRetryPolicy::maxTotalTimeIsTheSumItClaims()
{
    const RetryPolicy policy;
    // The README's numbers ("How long a delete may take").
    QCOMPARE(policy.maxSendsPerItem(), 25); // 1 + 4 retries + 20 rounds of 429s
    QCOMPARE(policy.maxRequestsPerSend(), 9);
    QCOMPARE(policy.maxRequestsPerItem(), 225);
    QCOMPARE(policy.maxSendTime().count(), 9 * 30000 + 8 * 300050);
    // Retries: (1 + 2 + 4 + 8) s; rounds: (1 + 2 + 4 + 8 + 16) s + 15 x 30 s; each up to 1.2x.
    QCOMPARE(policy.maxBackoffTotal().count(), (15000 + 31000 + 15 * 30000) * 12 / 10);
    QCOMPARE(policy.maxTotalTime().count(), 25 * policy.maxSendTime().count() + 595200);
    QCOMPARE(policy.maxTotalTime().count(), 67355200); // 18 h 42 min 35.2 s
    QCOMPARE(policy.maxTotalMinutes(), 1123);

    // The same sum, worked out again for other numbers.
    RetryPolicy quick;
    quick.maxAttempts = 3;
    quick.maxRateLimitRounds = 4;
    quick.rateLimitWaitsPerRequest = 2;
    quick.longestRetryAfterSeconds = 10;
    quick.requestTimeoutMs = 1500;
    quick.firstBackoffMs = 100;
    quick.maxBackoffMs = 500;
    quick.rateLimitBackoffSteps = 2;
    const qint64 send = 3 * 1500 + 2 * 10050;
    const qint64 pauses = (100 + 200) * 12 / 10 + (100 + 200 + 200 + 200) * 12 / 10;
    QCOMPARE(quick.maxSendTime().count(), send);
    QCOMPARE(quick.maxBackoffTotal().count(), pauses);
    QCOMPARE(quick.maxTotalTime().count(), (3 + 4) * send + pauses);

    // The queue sends again only while that send could still end in time.
    const milliseconds total = quick.maxTotalTime();
    const milliseconds lastStart = total - quick.maxSendTime();
    QVERIFY(quick.leavesTimeFor(milliseconds(0), milliseconds(100)));
    QVERIFY(quick.leavesTimeFor(lastStart - milliseconds(100), milliseconds(100)));
    QVERIFY(!quick.leavesTimeFor(lastStart - milliseconds(100), milliseconds(101)));
}

void TestRetryPolicy::renewalMarginForShortAndLongLifetimes()
{
    const RetryPolicy invox = RetryPolicy::forService(ServiceKind::Invox);
    QCOMPARE(invox.renewalMargin(seconds(2 * 60 * 60)), seconds(60)); // its documented 2 hours
    QCOMPARE(invox.renewalMargin(seconds(121)), seconds(60));
    QCOMPARE(invox.renewalMargin(seconds(60)), seconds(30)); // at half its life
    QCOMPARE(invox.renewalMargin(seconds(1)), seconds(0));

    const RetryPolicy care360 = RetryPolicy::forService(ServiceKind::Care360);
    QCOMPARE(care360.renewalMargin(seconds(900)), seconds(30)); // its documented 15 minutes
    QCOMPARE(care360.renewalMargin(seconds(120)), seconds(30));
    QCOMPARE(care360.renewalMargin(seconds(100)), seconds(25)); // a quarter of its life
    QCOMPARE(care360.renewalMargin(seconds(3)), seconds(0));
    QCOMPARE(care360.renewalMarginSeconds, 30); // for a token whose lifetime is unknown
}

void TestRetryPolicy::eachAccountHasItsServicePolicy()
{
    NetworkClient network;
    MemoryCredentialStore store;
    for (ServiceKind kind : { ServiceKind::Invox, ServiceKind::Care360, ServiceKind::DocumentPro,
                              ServiceKind::Scriptix }) {
        Account account;
        account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        account.service = kind;
        const AccountSession session(account, &network, &store);
        const RetryPolicy expected = RetryPolicy::forService(kind);
        QCOMPARE(session.retryPolicy().renewalMarginSeconds, expected.renewalMarginSeconds);
        QCOMPARE(session.retryPolicy().renewalLifetimeShare, expected.renewalLifetimeShare);
        // Everything else is the same for every service.
        QCOMPARE(session.retryPolicy().maxTotalTime(), RetryPolicy().maxTotalTime());
    }
    QCOMPARE(network.defaultTimeout(), RetryPolicy::defaultRequestTimeoutMs);
}

std::unique_ptr<Client> TestRetryPolicy::makeClient()
{
    Account account;
    account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    account.service = ServiceKind::Scriptix;
    account.name = QStringLiteral("Retry policy test");
    account.baseUrl = m_sandbox.baseUrl(service);
    account.requestsPerMinute = 0;
    auto client = std::make_unique<Client>();
    openSignedIn(*client, account,
                 m_sandbox.credentials(service).value(QStringLiteral("token")).toString());
    Connector *connector = client->connector.get();
    client->queue = std::make_unique<DeletionQueue>(
        [connector](const QString &) { return connector; }, nullptr);
    return client;
}

QString TestRetryPolicy::firstLiveSession() const
{
    const QString token = m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject session = value.toObject();
        if (session.value(QStringLiteral("owner")).toString() == token
            && !session.value(QStringLiteral("deleted")).toBool())
            return session.value(QStringLiteral("session_id")).toString();
    }
    return {};
}

DeletionItem TestRetryPolicy::deleteOne(Client *client, const QString &sessionId, int timeoutMs)
{
    DeletionItem item;
    item.accountId = client->session->account().id;
    item.service = ServiceKind::Scriptix;
    item.ref = NodeRef { NodeKind::ScriptixSession, { sessionId } };
    item.name = QStringLiteral("Session %1").arg(sessionId);
    QList<DeletionItem> items { item };
    if (client->queue->submit(items) == 0)
        return {};
    // The caller checks isBusy(): a queue still busy here is the failure it reports.
    if (!QTest::qWaitFor([&client] { return !client->queue->isBusy(); }, timeoutMs))
        return {};
    return client->queue->items().value(0);
}

void TestRetryPolicy::endlessRateLimitEndsWithinTheBudget()
{
    auto client = makeClient();
    // The account's own numbers, but pauses of milliseconds, not seconds: the suite must not
    // wait real back-offs (Retry-After: 0 makes each of the session's waits 50 ms).
    RetryPolicy policy = client->session->retryPolicy();
    policy.firstBackoffMs = 5;
    policy.maxBackoffMs = 50;
    client->queue->setRetryPolicy(policy);
    QVERIFY(addEndless429(0));
    const QString target = firstLiveSession();
    QVERIFY(!target.isEmpty());

    const DeletionItem done = deleteOne(client.get(), target, 120000);
    QVERIFY2(!client->queue->isBusy(), "a delete facing endless 429s must end");
    // Every 429 was refused before handling: known not deleted, so Failed, not Unknown.
    QCOMPARE(done.state, DeletionState::Failed);
    QCOMPARE(done.httpStatus, 429);
    QVERIFY(!done.mayHaveTakenEffect);
    QVERIFY2(!done.reason.isEmpty() && !done.reason.contains(QStringLiteral("may have been")),
             qPrintable(done.reason));
    // The first send and one per round; each send waited out the session's 429s.
    QCOMPARE(done.attempts, 1 + policy.maxRateLimitRounds);
    const int requests = m_sandbox.requestCount(service, QStringLiteral("session.delete"));
    QCOMPARE(requests, (1 + policy.maxRateLimitRounds) * policy.maxRequestsPerSend());
    QVERIFY(requests <= policy.maxRequestsPerItem());
    QCOMPARE(client->session->rateLimitWaits(),
             (1 + policy.maxRateLimitRounds) * policy.rateLimitWaitsPerRequest);
    QCOMPARE(m_sandbox.deletedIds(service, QStringLiteral("sessions")).size(), 0);
}

void TestRetryPolicy::queueStopsRetryingAtTheTimeLimit()
{
    auto client = makeClient();
    // A policy whose numbers undercount the waits: the queue believes the session waits out no
    // 429 (so its limit is 3 sends of 1.5 s and two short pauses), while the session waits out
    // eight of Retry-After: 1 (8.4 s) before the first send even returns. The time that is not
    // counted (as waits behind other items or a renewal would be) must not let it go on.
    RetryPolicy policy = client->session->retryPolicy();
    policy.maxAttempts = 1;
    policy.maxRateLimitRounds = 2;
    policy.rateLimitWaitsPerRequest = 0;
    policy.firstBackoffMs = 5;
    policy.maxBackoffMs = 50;
    policy.requestTimeoutMs = client->network.defaultTimeout();
    QVERIFY(policy.maxTotalTime() < milliseconds(5000));
    client->queue->setRetryPolicy(policy);
    QVERIFY(addEndless429(1));
    const QString target = firstLiveSession();

    const DeletionItem done = deleteOne(client.get(), target, 60000);
    QVERIFY(!client->queue->isBusy());
    // Sent once: a round of 429s was left, but not the time for it.
    QCOMPARE(done.attempts, 1);
    QCOMPARE(done.state, DeletionState::Failed);
    QVERIFY2(
        done.reason.contains(QStringLiteral("Not retried: a delete may take at most 1 minute")),
        qPrintable(done.reason));
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("session.delete")),
             client->session->retryPolicy().maxRequestsPerSend());
}

QTEST_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
