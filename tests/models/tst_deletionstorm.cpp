// 1,000 Scriptix sessions deleted from the tree model while the sandbox misbehaves in bursts:
// 500s, 503s, hangs, resets, malformed answers and a 429 storm. Every item must end deleted or
// reported, nothing may crash or hang, the audit trail must account for every item, and after a
// refresh the model must hold exactly what the server holds.

#include "accountsession.h"
#include "auditlog.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "credentialstore.h"
#include "deletionqueue.h"
#include "documenttreemodel.h"
#include "networkclient.h"
#include "sandboxprocess.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

namespace {

const QString service = QStringLiteral("scriptix");
constexpr int batchSize = 1000;

// A burst the sandbox starts once the batch has reached `after` outcomes.
struct Burst
{
    int after;
    QJsonObject rule;
};

QJsonObject rule(const QString &mode, int count, const QJsonObject &extra = {})
{
    QJsonObject object = extra;
    object.insert(QStringLiteral("service"), service);
    object.insert(QStringLiteral("route"), QStringLiteral("session.delete"));
    object.insert(QStringLiteral("mode"), mode);
    object.insert(QStringLiteral("count"), count);
    return object;
}

} // namespace

class TestDeletionStorm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyItemEndsDeletedOrReportedAndTheModelMatchesTheServer();

private:
    QSet<QString> serverSessions(bool deleted);

    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QString::number(batchSize),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0") } };
};

void TestDeletionStorm::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

QSet<QString> TestDeletionStorm::serverSessions(bool deleted)
{
    const QString token = m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
    QSet<QString> ids;
    for (const QJsonValue &value :
         m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject session = value.toObject();
        if (session.value(QStringLiteral("owner")).toString() == token
            && session.value(QStringLiteral("deleted")).toBool() == deleted)
            ids.insert(session.value(QStringLiteral("session_id")).toString());
    }
    return ids;
}

void TestDeletionStorm::everyItemEndsDeletedOrReportedAndTheModelMatchesTheServer()
{
    // The app's parts: an account, its connector, the tree model, the queue with its trail.
    Account account;
    account.id = QStringLiteral("storm");
    account.service = ServiceKind::Scriptix;
    account.name = QStringLiteral("Storm");
    account.baseUrl = m_sandbox.baseUrl(service);
    account.requestsPerMinute = 0;
    NetworkClient network;
    network.setDefaultTimeout(1000); // a hang becomes a timeout quickly
    MemoryCredentialStore store;
    AccountSession session(account, &network, &store);
    ScriptixConnector connector(&session);
    session.setSecret(Secret::token,
                      m_sandbox.credentials(service).value(QStringLiteral("token")).toString());
    session.markSignedIn();

    QTemporaryDir dir;
    AuditLog audit(dir.filePath(QStringLiteral("audit.sqlite")));
    QVERIFY(audit.open(nullptr));
    DeletionQueue queue([&connector](const QString &) { return &connector; }, &audit);
    RetryPolicy policy;
    policy.maxAttempts = 8;
    policy.firstBackoffMs = 20;
    policy.maxBackoffMs = 400;
    queue.setRetryPolicy(policy);

    DocumentTreeModel model;
    auto *tester = new QAbstractItemModelTester(
        &model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
    tester->setUseFetchMore(false);
    model.setDeletionQueue(&queue);
    model.addAccount(&connector);
    const QModelIndex accountRow = model.index(0, 0);
    QSignalSpy loaded(&model, &DocumentTreeModel::loadFinished);
    QVERIFY(model.fetchAll(accountRow));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(accountRow), batchSize, 30000);
    QModelIndexList rows;
    for (int row = 0; row < model.rowCount(accountRow); ++row)
        rows.append(model.index(row, 0, accountRow));
    rows = rows.mid(0, batchSize);
    QSet<QString> targets;
    for (const QModelIndex &row : std::as_const(rows))
        targets.insert(model.item(row).ref.id());

    // The storm, started from the event loop as the batch gets going (never from inside the
    // queue's signals, and without waiting for the control API's answer).
    const QList<Burst> bursts = {
        { 50, rule(QStringLiteral("status"), 25, { { QStringLiteral("status"), 500 } }) },
        { 180, rule(QStringLiteral("status"), 25, { { QStringLiteral("status"), 503 } }) },
        { 320, rule(QStringLiteral("hang"), 4) },
        { 450, rule(QStringLiteral("reset"), 8) },
        { 600, rule(QStringLiteral("malformed"), 12) },
        { 700, rule(QStringLiteral("truncated"), 6) },
        { 800,
          rule(QStringLiteral("status"), 40,
               { { QStringLiteral("status"), 429 }, { QStringLiteral("retryAfter"), 1 } }) },
    };
    QNetworkAccessManager control;
    int nextBurst = 0;
    QTimer stormClock;
    connect(&stormClock, &QTimer::timeout, this, [&] {
        while (nextBurst < bursts.size()
               && queue.progress().finished() >= bursts[nextBurst].after) {
            QNetworkRequest request(m_sandbox.controlUrl(QStringLiteral("/faults")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            QNetworkReply *reply
                = control.post(request, QJsonDocument(bursts[nextBurst].rule).toJson());
            connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
            ++nextBurst;
        }
    });
    stormClock.start(20);

    QSignalSpy finished(&queue, &DeletionQueue::finished);
    QCOMPARE(model.deleteItems(rows), batchSize);
    QVERIFY(finished.wait(180000));
    stormClock.stop();
    QCOMPARE(nextBurst, bursts.size()); // every burst happened during the batch

    // Every item has an outcome; none was dropped or cancelled.
    const QList<DeletionItem> items = queue.items();
    QCOMPARE(items.size(), batchSize);
    const QSet<QString> deletedOnServer = serverSessions(true);
    int gone = 0;
    int failed = 0;
    for (const DeletionItem &item : items) {
        QVERIFY2(item.isFinished(), qPrintable(deletionStateId(item.state)));
        QVERIFY(item.state != DeletionState::Cancelled);
        if (isGone(item.state)) {
            ++gone;
            QVERIFY2(deletedOnServer.contains(item.ref.id()), qPrintable(item.ref.id()));
        } else {
            ++failed;
            QVERIFY(!item.reason.isEmpty());
            // "Failed" is a claim that it is still there; one whose answer was lost may have
            // been deleted, and says so: "unknown".
            QVERIFY2(item.state == DeletionState::Failed || item.state == DeletionState::Unknown,
                     qPrintable(deletionStateId(item.state)));
            if (item.state == DeletionState::Failed)
                QVERIFY2(!deletedOnServer.contains(item.ref.id()), qPrintable(item.ref.id()));
            QCOMPARE(item.state == DeletionState::Unknown, item.mayHaveTakenEffect);
        }
    }
    qInfo("storm: %d deleted, %d reported failed", gone, failed);
    QCOMPARE(queue.progress().deleted, gone);
    // Nothing outside the batch was touched.
    QVERIFY((deletedOnServer - targets).isEmpty());

    // The trail accounts for every item: its final line matches the journal, and every item
    // the server deleted has a line saying so (or that it was sent without an answer).
    QHash<qint64, AuditEntry> lastLine;
    AuditQuery everything;
    everything.limit = 0;
    const QList<AuditEntry> entries = audit.entries(everything);
    for (const AuditEntry &entry : entries) {
        if (!lastLine.contains(entry.itemId))
            lastLine.insert(entry.itemId, entry); // newest first
    }
    QCOMPARE(lastLine.size(), batchSize);
    // The storm was felt: at least the 50 answers of 500 and 503 were retried.
    const auto retried = std::count_if(entries.cbegin(), entries.cend(), [](const AuditEntry &e) {
        return e.outcome == AuditEntry::Outcome::Retrying;
    });
    QVERIFY2(retried >= 50, qPrintable(QString::number(retried)));
    for (const DeletionItem &item : items) {
        const AuditEntry::Outcome last = lastLine.value(item.id).outcome;
        if (isGone(item.state))
            QVERIFY(last == AuditEntry::Outcome::Deleted
                    || last == AuditEntry::Outcome::AlreadyGone);
        else
            QCOMPARE(last,
                     item.state == DeletionState::Unknown ? AuditEntry::Outcome::Unknown
                                                          : AuditEntry::Outcome::Failed);
    }

    // After a refresh the model holds what the server holds.
    loaded.clear();
    model.refresh(accountRow);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount(accountRow) == serverSessions(false).size(), 30000);
    QSet<QString> inModel;
    for (int row = 0; row < model.rowCount(accountRow); ++row) {
        const QModelIndex index = model.index(row, 0, accountRow);
        inModel.insert(model.item(index).ref.id());
        QVERIFY(!model.isBusy(index));
    }
    QCOMPARE(inModel, serverSessions(false));
}

QTEST_GUILESS_MAIN(TestDeletionStorm)
#include "tst_deletionstorm.moc"
