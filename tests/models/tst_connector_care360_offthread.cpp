// Care360Connector reads big answers off the event loop: a result whose owner went is dropped,
// the event loop is free while a 7 MB listing is read, a job destroyed while its answer is read
// does not crash. (Against a small HTTP server, no sandbox.)

#include "care360suite.h"
#include "connectors/jsonparsing.h"

#include <QNetworkAccessManager>
#include <QSemaphore>
#include <QThread>

namespace {

// Keeps every thread of the JSON pool busy until released: what is queued there waits.
class BlockedJsonPool
{
public:
    BlockedJsonPool()
        : m_threads(jsonThreadPool()->maxThreadCount())
    {
        for (int i = 0; i < m_threads; ++i) {
            jsonThreadPool()->start([this] {
                m_started.release();
                m_gate.acquire();
            });
        }
        m_started.acquire(m_threads);
    }
    ~BlockedJsonPool()
    {
        release();
        jsonThreadPool()->waitForDone();
    }
    void release()
    {
        m_gate.release(m_threads - m_released);
        m_released = m_threads;
    }

private:
    int m_threads;
    int m_released = 0;
    QSemaphore m_started;
    QSemaphore m_gate;
};

} // namespace

class TestCare360OffThread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // No sandbox here, but the sessions' files stay in the test's own standard locations.
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void offThreadResultIsDroppedWithItsOwner();
    void bigListingsAreReadOffTheEventLoop();
    void jobDestroyedWhileItsAnswerIsReadDoesNotCrash();
};

void TestCare360OffThread::offThreadResultIsDroppedWithItsOwner()
{
    // The work runs on another thread, `done` on the owner's.
    auto owner = std::make_unique<QObject>();
    Qt::HANDLE workThread = nullptr;
    Qt::HANDLE doneThread = nullptr;
    int result = 0;
    runOffThread(
        owner.get(),
        [&workThread] {
            workThread = QThread::currentThreadId();
            return 42;
        },
        [&](int value) {
            doneThread = QThread::currentThreadId();
            result = value;
        });
    QTRY_COMPARE(result, 42);
    QVERIFY(workThread != QThread::currentThreadId());
    QCOMPARE(doneThread, QThread::currentThreadId());

    // The owner goes while the work runs: `done` never runs, the result is simply dropped.
    QSemaphore started;
    QSemaphore gate;
    bool doneRan = false;
    runOffThread(
        owner.get(),
        [&started, &gate] {
            started.release();
            gate.acquire();
            return QList<RemoteItem>(1000, RemoteItem());
        },
        [&doneRan](const QList<RemoteItem> &) { doneRan = true; });
    started.acquire();
    owner.reset();
    gate.release();
    QVERIFY(jsonThreadPool()->waitForDone(5000));
    QTest::qWait(50);
    QVERIFY(!doneRan);
}

void TestCare360OffThread::bigListingsAreReadOffTheEventLoop()
{
    // 20,000 files over 4 cases (7 MB): the cases from counts alone, a case's files as rows.
    const QByteArray body = bigListBody(20000, 4);
    FakeService fake;
    fake.answer("/api/v1/users/auth/verify-otp", 200,
                R"({"data":{"accessToken":"A","refreshToken":"R","expiresIn":900}})");
    fake.answer("/api/v1/users/me/files", 200, body);
    Harness h(fake.baseUrl(), QStringLiteral("patient@example.org"), QStringLiteral("tk"));
    QVERIFY(!run(h.connector->verifyCode(QStringLiteral("123456"))).error.isError());

    // With the reading threads held, the answer arrives and waits there, not in the event loop.
    auto blocked = std::make_unique<BlockedJsonPool>();
    bool answered = false;
    connect(h.network.manager(), &QNetworkAccessManager::finished, this,
            [&answered] { answered = true; });
    Outcome cases;
    capture(h.connector->list({ NodeKind::Account, {} }, {}), &cases);
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QTest::qWait(100);
    QVERIFY(!cases.finished);
    blocked.reset();
    QTRY_VERIFY_WITH_TIMEOUT(cases.finished, 10000);
    QVERIFY2(!cases.error.isError(), qPrintable(cases.error.summary()));
    QCOMPARE(cases.page.items.size(), 4);
    QCOMPARE(cases.page.total, 4);
    for (int i = 0; i < 4; ++i) {
        const RemoteItem &item = cases.page.items.at(i);
        QCOMPARE(item.ref,
                 NodeRef({ NodeKind::Care360Case, { QStringLiteral("case-%1").arg(i) } }));
        QCOMPARE(item.details.value(QStringLiteral("fileCount")).toInt(), 5000);
        QCOMPARE(item.childCount, 5000);
        QCOMPARE(item.created,
                 QDateTime(QDate(2026, 11, 1), QTime(8, 0), Qt::UTC).addSecs(-60 * i));
        int phi = 0;
        for (int file = i; file < 20000; file += 4)
            phi += file % 3 ? 1 : 0;
        QCOMPARE(item.details.value(QStringLiteral("phiFileCount")).toInt(), phi);
    }

    // A case's first list comes from the account's answer, read on the worker with it.
    const NodeRef caseRef { NodeKind::Care360Case, { QStringLiteral("case-0") } };
    const qsizetype requestsBefore = fake.requests.size();
    const Outcome known = run(h.connector->list(caseRef, {}));
    QVERIFY2(!known.error.isError(), qPrintable(known.error.summary()));
    QCOMPARE(fake.requests.size(), requestsBefore);
    QCOMPARE(known.page.items.size(), 5000);
    QCOMPARE(known.page.total, 5000);
    for (int i : { 0, 1, 4999 }) {
        const RemoteItem &item = known.page.items.at(i);
        QCOMPARE(item.ref,
                 caseRef.child(NodeKind::Care360File, QStringLiteral("file-%1").arg(i * 4)));
        QCOMPARE(item.name, QStringLiteral("Lab results %1.pdf").arg(i * 4));
        QCOMPARE(item.details.value(QStringLiteral("caseId")).toString(), caseRef.id());
    }

    // Listed again, it is asked for.
    const Outcome files = run(h.connector->list(caseRef, {}));
    QVERIFY2(!files.error.isError(), qPrintable(files.error.summary()));
    QCOMPARE(fake.requests.size(), requestsBefore + 1);
    QCOMPARE(files.page.items.size(), 20000); // the fake answers every case with every file
    QCOMPARE(files.page.total, 20000);
    for (int i : { 0, 1, 19999 }) {
        const RemoteItem &item = files.page.items.at(i);
        QCOMPARE(item.ref, caseRef.child(NodeKind::Care360File, QStringLiteral("file-%1").arg(i)));
        QCOMPARE(item.name, QStringLiteral("Lab results %1.pdf").arg(i));
        QCOMPARE(item.sizeBytes, qint64(1000 + i));
        QCOMPARE(item.details.value(QStringLiteral("uploadedBy")).toString(),
                 QStringLiteral("Noah Rivera"));
        QCOMPARE(item.details.value(QStringLiteral("caseId")).toString(),
                 QStringLiteral("case-%1").arg(i % 4));
    }
}

void TestCare360OffThread::jobDestroyedWhileItsAnswerIsReadDoesNotCrash()
{
    FakeService fake;
    fake.answer("/api/v1/users/auth/verify-otp", 200,
                R"({"data":{"accessToken":"A","refreshToken":"R","expiresIn":900}})");
    fake.answer("/api/v1/users/me/files", 200, bigListBody(5000, 3));
    auto h = std::make_unique<Harness>(fake.baseUrl(), QStringLiteral("patient@example.org"),
                                       QStringLiteral("tk"));
    QVERIFY(!run(h->connector->verifyCode(QStringLiteral("123456"))).error.isError());

    // The answers arrive while the reading threads are held. One job is aborted (it ends once,
    // Cancelled); then the connector goes, and its jobs with it, before their answers are read.
    auto blocked = std::make_unique<BlockedJsonPool>();
    int answered = 0;
    connect(h->network.manager(), &QNetworkAccessManager::finished, this,
            [&answered] { ++answered; });
    Outcome cases;
    Outcome files;
    Outcome aborted;
    capture(h->connector->list({ NodeKind::Account, {} }, {}), &cases);
    capture(h->connector->list({ NodeKind::Care360Case, { QStringLiteral("case-1") } }, {}),
            &files);
    ListJob *abortedJob
        = h->connector->list({ NodeKind::Care360Case, { QStringLiteral("case-2") } }, {});
    capture(abortedJob, &aborted);
    // An account listing, read as it arrives, aborted while its pieces wait to be read.
    Outcome abortedCases;
    ListJob *abortedAccountJob = h->connector->list({ NodeKind::Account, {} }, {});
    capture(abortedAccountJob, &abortedCases);
    QTRY_COMPARE_WITH_TIMEOUT(answered, 4, 10000);
    QTest::qWait(20);
    abortedJob->abort();
    abortedAccountJob->abort();
    QTRY_VERIFY(aborted.finished);
    QCOMPARE(aborted.error.kind, ApiError::Kind::Cancelled);
    QTRY_VERIFY(abortedCases.finished);
    QCOMPARE(abortedCases.error.kind, ApiError::Kind::Cancelled);
    QVERIFY(abortedCases.page.items.isEmpty());
    h.reset();
    blocked.reset(); // the queued readings run now, for owners that are gone
    QVERIFY(jsonThreadPool()->waitForDone(10000));
    QTest::qWait(50);
    QVERIFY(!cases.finished);
    QVERIFY(!files.finished);
}

QTEST_GUILESS_MAIN(TestCare360OffThread)
#include "tst_connector_care360_offthread.moc"
