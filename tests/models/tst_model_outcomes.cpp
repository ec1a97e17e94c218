// What the window's tree shows after a delete is what the service proved, for every service,
// behind a gateway that redirects deletes to its sign-in page and a proxy that answers 404 with
// its own page; and a Care360 file someone else uploaded stays, "not permitted". The real
// connectors against docket-sandbox, the real model, QAbstractItemModelTester throughout.

#include "documenttreemodel.h"
#include "liveaccount.h"
#include "modelwatchers.h"
#include "sandboxprocess.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Docket;

namespace {

// Where an item of each service lives, and the sandbox's names for its delete and its deletions.
struct ServiceCase
{
    QString service;
    QString deleteRoute;
    QString deletedKind;
    QString displayName;
};

ServiceCase serviceCase(const QString &service)
{
    if (service == QLatin1String("care360"))
        return { service, QStringLiteral("file.delete"), QStringLiteral("files"),
                 QStringLiteral("CareValidate Care360") };
    if (service == QLatin1String("documentpro"))
        return { service, QStringLiteral("result.delete"), QStringLiteral("parserResults"),
                 QStringLiteral("DocumentPro") };
    if (service == QLatin1String("invox"))
        return { service, QStringLiteral("document.delete"), QStringLiteral("documents"),
                 QStringLiteral("Invox Medical") };
    return { QStringLiteral("scriptix"), QStringLiteral("session.delete"),
             QStringLiteral("sessions"), QStringLiteral("Scriptix") };
}

void everyService()
{
    QTest::addColumn<QString>("service");
    for (const char *service : { "scriptix", "care360", "documentpro", "invox" })
        QTest::newRow(service) << QString::fromLatin1(service);
}

} // namespace

class TestModelOutcomes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void redirectedDeleteKeepsTheRow_data() { everyService(); }
    void redirectedDeleteKeepsTheRow();
    void proxy404KeepsTheRow_data() { everyService(); }
    void proxy404KeepsTheRow();
    void care360FileOfSomeoneElseIsNotPermitted();
    void wrongBaseUrlIsNeverAlreadyGone_data();
    void wrongBaseUrlIsNeverAlreadyGone();

private:
    std::unique_ptr<LiveAccount> signIn(const QString &service);
    // A ref this account may delete (Care360: `own` file, or another uploader's).
    NodeRef deletableRef(const QString &service, bool own = true) const;
    // Lists every level above `ref` and returns its row.
    QModelIndex showRow(LoadWatcher &watcher, const QString &accountId, ServiceKind service,
                        const NodeRef &ref);
    // Deletes the row at `ref` behind `fault` (on the service's delete route) and checks that it
    // stayed, said why, and is still on the service. Returns the reason the row shows.
    QString deleteBehindFault(const QString &service, const QJsonObject &fault,
                              DeletionState expected);

    SandboxProcess m_sandbox;
    std::unique_ptr<DocumentTreeModel> m_model;
    int m_accounts = 0;
};

void TestModelOutcomes::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestModelOutcomes::init()
{
    QVERIFY(m_sandbox.reset());
    m_model = std::make_unique<DocumentTreeModel>();
    auto *tester = new QAbstractItemModelTester(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_model.get());
    tester->setUseFetchMore(false); // the tests fetch explicitly, and count requests
}

std::unique_ptr<LiveAccount> TestModelOutcomes::signIn(const QString &service)
{
    const QString id = QStringLiteral("%1-%2").arg(service).arg(++m_accounts);
    if (service == QLatin1String("care360"))
        return live::care360(m_sandbox, id);
    if (service == QLatin1String("documentpro"))
        return live::documentPro(m_sandbox, id);
    if (service == QLatin1String("invox"))
        return live::invox(m_sandbox, id);
    return live::scriptix(m_sandbox, id);
}

NodeRef TestModelOutcomes::deletableRef(const QString &service, bool own) const
{
    if (service == QLatin1String("scriptix")) {
        const QString token
            = m_sandbox.credentials(service).value(QStringLiteral("token")).toString();
        for (const QJsonValue &value :
             m_sandbox.state(service).value(QStringLiteral("sessions")).toArray()) {
            const QJsonObject session = value.toObject();
            if (session.value(QStringLiteral("owner")) == token
                && !session.value(QStringLiteral("deleted")).toBool())
                return { NodeKind::ScriptixSession,
                         { session.value(QStringLiteral("session_id")).toString() } };
        }
    } else if (service == QLatin1String("care360")) {
        const QJsonObject credentials = m_sandbox.credentials(service);
        const QString patient = credentials.value(QStringLiteral("patientId")).toString();
        QStringList cases;
        for (const QJsonValue &value : credentials.value(QStringLiteral("cases")).toArray())
            cases.append(value.toObject().value(QStringLiteral("id")).toString());
        for (const QJsonValue &value :
             m_sandbox.state(service).value(QStringLiteral("files")).toArray()) {
            const QJsonObject file = value.toObject();
            const QString caseId = file.value(QStringLiteral("caseId")).toString();
            const bool byPatient
                = file.value(QStringLiteral("uploadedBy")).toObject().value(QStringLiteral("id"))
                == patient;
            if (cases.contains(caseId) && byPatient == own
                && !file.value(QStringLiteral("isDeleted")).toBool())
                return { NodeKind::Care360File,
                         { caseId, file.value(QStringLiteral("id")).toString() } };
        }
    } else if (service == QLatin1String("documentpro")) {
        const QString key
            = m_sandbox.credentials(service).value(QStringLiteral("apiKey")).toString();
        for (const QJsonValue &value :
             m_sandbox.state(service).value(QStringLiteral("parserResults")).toArray()) {
            const QJsonObject result = value.toObject();
            if (result.value(QStringLiteral("owner")) == key
                && !result.value(QStringLiteral("deleted")).toBool())
                return { NodeKind::DocumentProResult,
                         { result.value(QStringLiteral("document_id")).toString(),
                           result.value(QStringLiteral("request_id")).toString() } };
        }
    } else {
        const QJsonObject document = m_sandbox.credentials(service)
                                         .value(QStringLiteral("documents"))
                                         .toArray()
                                         .at(0)
                                         .toObject();
        return { NodeKind::InvoxDocument,
                 { document.value(QStringLiteral("consultationSessionId")).toString(),
                   document.value(QStringLiteral("documentId")).toString() } };
    }
    return {};
}

QModelIndex TestModelOutcomes::showRow(LoadWatcher &watcher, const QString &accountId,
                                       ServiceKind service, const NodeRef &ref)
{
    QModelIndex parent = m_model->indexForAccount(accountId);
    NodeRef parentRef { NodeKind::Account, {} };
    const QList<NodeKind> kinds = nodeKindsByDepth(service);
    for (int depth = 1; depth <= ref.ids.size(); ++depth) {
        m_model->fetchAll(parent);
        if (!watcher.waitFor(parentRef))
            return {};
        parentRef = { kinds.at(depth - 1), ref.ids.mid(0, depth) };
        parent = m_model->indexFor(accountId, parentRef);
        if (!parent.isValid())
            return {};
    }
    return parent;
}

QString TestModelOutcomes::deleteBehindFault(const QString &service, const QJsonObject &fault,
                                             DeletionState expected)
{
    const ServiceCase target = serviceCase(service);
    auto live = signIn(service);
    if (!live)
        return QStringLiteral("(sign-in failed)");
    LoadWatcher watcher(m_model.get());
    DeleteWatcher deletes(m_model.get());
    m_model->addAccount(live->connector.get());
    const NodeRef ref = deletableRef(service);
    const QPersistentModelIndex row
        = showRow(watcher, live->accountId(), live->connector->service(), ref);
    if (!row.isValid())
        return QStringLiteral("(no row for %1)").arg(ref.id());
    const int siblings = m_model->rowCount(row.parent());

    QJsonObject rule = fault;
    rule.insert(QStringLiteral("service"), service);
    rule.insert(QStringLiteral("route"), target.deleteRoute);
    if (!m_sandbox.addFault(rule) || !m_model->deleteItem(row) || !deletes.waitForCount(1))
        return QStringLiteral("(the delete did not run)");
    const DeleteRecord record = deletes.records.first();
    // The row stays, usable, and says why in the words the signal carried.
    [&] {
        QCOMPARE(record.ref, ref);
        QCOMPARE(record.outcome, expected);
        QVERIFY(record.error.isError());
        QVERIFY(row.isValid());
        QCOMPARE(m_model->rowCount(row.parent()), siblings);
        QVERIFY(!row.data(DocumentTreeModel::BusyRole).toBool());
        QCOMPARE(row.data(DocumentTreeModel::ErrorRole).toString(), record.error.userMessage);
        // Still on the service, and (Invox) still in Docket's index, its only record of the id.
        QVERIFY(!m_sandbox.deletedIds(service, target.deletedKind).contains(ref.id()));
        if (service == QLatin1String("invox"))
            QVERIFY(live->index.contains(live->accountId(), ref.id()));
    }();
    m_model->removeAccount(live->accountId());
    return record.error.userMessage;
}

void TestModelOutcomes::redirectedDeleteKeepsTheRow()
{
    QFETCH(QString, service);
    const QString reason
        = deleteBehindFault(service,
                            { { QStringLiteral("mode"), QStringLiteral("redirect") },
                              { QStringLiteral("status"), 302 },
                              { QStringLiteral("location"), QStringLiteral("/login") } },
                            DeletionState::Failed);
    QVERIFY2(reason.contains(QStringLiteral("redirected the delete to")), qPrintable(reason));
    QVERIFY2(reason.contains(QStringLiteral("/login")), qPrintable(reason));
    // Nothing followed the redirect to the gateway's page.
    QCOMPARE(m_sandbox.requestCount(service, QStringLiteral("gateway.login")), 0);
    QCOMPARE(m_sandbox.requestCount(service, serviceCase(service).deleteRoute), 1);
}

void TestModelOutcomes::proxy404KeepsTheRow()
{
    QFETCH(QString, service);
    const QString reason = deleteBehindFault(
        service, { { QStringLiteral("mode"), QStringLiteral("html404") } }, DeletionState::Failed);
    QVERIFY2(reason.contains(QStringLiteral("answered 404, but not as %1 does")
                                 .arg(serviceCase(service).displayName)),
             qPrintable(reason));
}

void TestModelOutcomes::care360FileOfSomeoneElseIsNotPermitted()
{
    auto live = signIn(QStringLiteral("care360"));
    QVERIFY(live);
    LoadWatcher watcher(m_model.get());
    DeleteWatcher deletes(m_model.get());
    m_model->addAccount(live->connector.get());
    const NodeRef ref = deletableRef(QStringLiteral("care360"), false);
    QVERIFY(!ref.ids.isEmpty());
    const QPersistentModelIndex row
        = showRow(watcher, live->accountId(), live->connector->service(), ref);
    QVERIFY(row.isValid());
    QVERIFY(m_model->deleteItem(row));
    QVERIFY(deletes.waitForCount(1));
    const DeleteRecord record = deletes.records.first();
    QCOMPARE(record.outcome, DeletionState::NotPermitted);
    QVERIFY2(record.error.userMessage.contains(QStringLiteral("only the uploader")),
             qPrintable(record.error.userMessage));
    QVERIFY(row.isValid());
    QCOMPARE(row.data(DocumentTreeModel::ErrorRole).toString(), record.error.userMessage);
    // Nothing went, so nothing is re-listed: the row is what Care360 still holds.
    QVERIFY(!m_sandbox.deletedIds(QStringLiteral("care360"), QStringLiteral("files"))
                 .contains(ref.id()));
    m_model->refresh(row.parent());
    QVERIFY(watcher.waitFor({ NodeKind::Care360Case, { ref.ids.first() } }));
    QVERIFY(m_model->indexFor(live->accountId(), ref).isValid());
    m_model->removeAccount(live->accountId());
}

void TestModelOutcomes::wrongBaseUrlIsNeverAlreadyGone_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("path"); // the base URL's path, wrong
    // Scriptix without /api/v3, DocumentPro under a path it does not serve: both answer there
    // with a 404 in their own error shape, as for a missing item.
    QTest::newRow("scriptix without /api/v3") << QStringLiteral("scriptix") << QString();
    QTest::newRow("documentpro under /v2")
        << QStringLiteral("documentpro") << QStringLiteral("/v2");
}

void TestModelOutcomes::wrongBaseUrlIsNeverAlreadyGone()
{
    QFETCH(QString, service);
    QFETCH(QString, path);
    const QJsonObject credentials = m_sandbox.credentials(service);
    QUrl base = m_sandbox.baseUrl(service);
    base.setPath(path);
    Account account;
    account.id = QStringLiteral("wrong-base-%1").arg(++m_accounts);
    account.service
        = service == QLatin1String("scriptix") ? ServiceKind::Scriptix : ServiceKind::DocumentPro;
    account.name = QStringLiteral("Mistyped");
    account.baseUrl = base;
    LiveAccount live;
    QVERIFY(live.open(
        account,
        { { account.service == ServiceKind::Scriptix ? Secret::token : Secret::apiKey,
            credentials
                .value(account.service == ServiceKind::Scriptix ? QStringLiteral("token")
                                                                : QStringLiteral("apiKey"))
                .toString() } }));
    RemoteItem item;
    item.ref = deletableRef(service);
    QVERIFY(!item.ref.ids.isEmpty());

    DeleteOutcome outcome = DeleteOutcome::Deleted;
    QString reason;
    DeleteJob *removal = live.connector->remove(item);
    connect(removal, &ConnectorJob::finished, this, [&](ConnectorJob *done) {
        outcome = static_cast<DeleteJob *>(done)->outcome();
        reason = done->error().userMessage;
    });
    QSignalSpy removed(removal, &ConnectorJob::finished);
    QVERIFY(removed.wait(10000));
    QCOMPARE(outcome, DeleteOutcome::Failed);
    QVERIFY2(reason.contains(QStringLiteral("base URL")), qPrintable(reason));

    // A lookup there is an error, not "not found": nothing would be sent on it.
    bool found = true;
    ApiError lookupError;
    ItemJob *lookup = live.connector->lookup(item.ref);
    connect(lookup, &ConnectorJob::finished, this, [&](ConnectorJob *done) {
        found = static_cast<ItemJob *>(done)->found();
        lookupError = done->error();
    });
    QSignalSpy looked(lookup, &ConnectorJob::finished);
    QVERIFY(looked.wait(10000));
    QVERIFY(!found);
    QVERIFY2(lookupError.isError(), "a wrong base URL must not read as \"not found\"");
    QVERIFY(m_sandbox.deletedIds(service, serviceCase(service).deletedKind).isEmpty());
}

QTEST_GUILESS_MAIN(TestModelOutcomes)
#include "tst_model_outcomes.moc"
