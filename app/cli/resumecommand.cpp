// docket-cli resume [BATCH] [--yes] [--discard]

#include "batchrun.h"
#include "clicontext.h"
#include "commands.h"
#include "treepath.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Docket;

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("docket-cli", text, disambiguation, n);
}

// Where a batch stands, in the words `resume` uses.
struct Counts
{
    Q_DECLARE_TR_FUNCTIONS(Counts)

public:
    int confirmed = 0; // deleted or already gone
    int unconfirmed = 0; // sent, no answer recorded: may have happened
    int notStarted = 0;
    int failed = 0; // not deleted: failed, not permitted, unknown or changed
    int cancelled = 0;

    explicit Counts(const BatchSummary &batch)
        : confirmed(batch.count(DeletionState::Deleted) + batch.count(DeletionState::AlreadyGone))
        , unconfirmed(batch.count(DeletionState::InFlight) + batch.count(DeletionState::Waiting)
                      + batch.count(DeletionState::Unconfirmed))
        , notStarted(batch.count(DeletionState::Pending))
        , failed(batch.count(DeletionState::Failed) + batch.count(DeletionState::NotPermitted)
                 + batch.count(DeletionState::Unknown) + batch.count(DeletionState::Changed))
        , cancelled(batch.count(DeletionState::Cancelled))
    { }

    QString text() const
    {
        QString line = tr("%1 confirmed gone, %2 sent but unconfirmed, %3 not started")
                           .arg(confirmed)
                           .arg(unconfirmed)
                           .arg(notStarted);
        if (failed)
            line += u", " + tr("%n not deleted", nullptr, failed);
        if (cancelled)
            line += u", " + tr("%n cancelled", nullptr, cancelled);
        return line;
    }
};

QJsonObject batchToJson(const BatchSummary &batch)
{
    const Counts counts(batch);
    return { { QStringLiteral("batch"), batch.id },
             { QStringLiteral("created"), batch.created.toUTC().toString(Qt::ISODateWithMs) },
             { QStringLiteral("origin"), batch.origin },
             { QStringLiteral("accounts"), QJsonArray::fromStringList(batch.accounts) },
             { QStringLiteral("total"), batch.total },
             { QStringLiteral("deleted"), counts.confirmed },
             { QStringLiteral("unconfirmed"), counts.unconfirmed },
             { QStringLiteral("notStarted"), counts.notStarted },
             { QStringLiteral("failed"), counts.failed },
             { QStringLiteral("cancelled"), counts.cancelled } };
}

QString batchLine(const BatchSummary &batch)
{
    return tr("batch %1  %2  from %3, %4 in all, on %5: %6")
        .arg(batch.id)
        .arg(batch.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
             batch.origin == QLatin1String("cli") ? QStringLiteral("docket-cli")
                                                  : QStringLiteral("the window"))
        .arg(batch.total)
        .arg(batch.accounts.join(QStringLiteral("; ")), Counts(batch).text());
}

// Takes over a batch that a stopped Docket (the window or docket-cli) left: says where it stands,
// asks, opens the accounts it needs, and sends what was never confirmed.
class Resumer : public QObject
{
    // Its own translation context, as lupdate records it.
    Q_DECLARE_TR_FUNCTIONS(Resumer)

public:
    Resumer(CliContext *context, const CliRequest &request, AuditLog *audit,
            const BatchSummary &batch)
        : QObject(context)
        , m_context(context)
        , m_request(request)
        , m_audit(audit)
        , m_batch(batch)
    { }

    void start()
    {
        m_context->note(batchLine(m_batch));
        if (m_request.yes) {
            openAccounts();
            return;
        }
        if (!Terminal::isInteractive()) {
            m_context->finish(CliContext::Usage,
                              tr("Refusing to resume without confirmation: not at a terminal. "
                                 "Pass --yes to confirm, or --discard to give the batch up."));
            return;
        }
        const Counts counts(m_batch);
        const QString question
            = tr("Send the %n delete(s) still owed? Each is first looked up where it was: one "
                 "that is no longer there, or no longer the same item, is not sent. Type "
                 "\"delete\" to confirm: ",
                 nullptr, counts.unconfirmed + counts.notStarted);
        m_context->terminal()->ask(question, false, [this](std::optional<QString> answer) {
            if (answer && answer->trimmed() == QLatin1String("delete"))
                openAccounts();
            else
                m_context->finish(CliContext::Declined,
                                  tr("Nothing was sent; the batch can still be resumed."));
        });
    }

private:
    // Every account the owed items need, before the batch is claimed: a batch whose account
    // cannot be opened stays as it is, to be resumed once it can.
    void openAccounts()
    {
        for (const DeletionItem &item : m_audit->batchItems(m_batch.id)) {
            if (!item.isFinished() && !m_accountIds.contains(item.accountId))
                m_accountIds.append(item.accountId);
        }
        openNext(0);
    }

    void openNext(int index)
    {
        if (index == m_accountIds.size()) {
            run();
            return;
        }
        const QString accountId = m_accountIds.at(index);
        const std::optional<Account> account = m_context->accounts().find(accountId);
        if (!account) {
            m_context->finish(CliContext::Failure,
                              tr("Batch %1 deletes items of an account that Docket no longer has "
                                 "(%2). Add the account again, or give the batch up with "
                                 "`resume %1 --discard`.")
                                  .arg(m_batch.id)
                                  .arg(m_batch.accounts.join(QStringLiteral("; "))));
            return;
        }
        m_names.insert(accountId, account->name);
        m_context->openConnector(
            account->name, [this, index, accountId](Connector *connector, const QString &error) {
                if (!connector) {
                    m_context->finish(CliContext::Failure, error);
                    return;
                }
                m_connectors.insert(accountId, connector);
                openNext(index + 1);
            });
    }

    void run()
    {
        m_run = new BatchRun(
            m_context, m_audit,
            [this](const QString &accountId) { return m_connectors.value(accountId); },
            [this](const DeletionItem &item) { return pathOf(item); }, this);
        m_run->setRetries(m_request.retries);
        connect(m_run, &BatchRun::finished, this, &Resumer::report);
        QString error;
        if (!m_run->resume(m_batch.id, &error))
            m_context->finish(CliContext::Failure,
                              tr("Cannot resume batch %1: %2").arg(m_batch.id).arg(error));
    }

    QString pathOf(const DeletionItem &item) const
    {
        return TreePath::format(m_names.value(item.accountId, item.accountName), item.ref.ids);
    }

    // The whole batch counts, not only what this run sent: exit 0 means every item is gone.
    void report()
    {
        QJsonArray items;
        int notGone = 0;
        for (const DeletionItem &item : m_audit->batchItems(m_batch.id)) {
            QJsonObject object { { QStringLiteral("path"), pathOf(item) },
                                 { QStringLiteral("kind"), nodeKindId(item.ref.kind) },
                                 { QStringLiteral("outcome"), BatchRun::outcomeId(item) },
                                 { QStringLiteral("attempts"), item.attempts } };
            if (item.httpStatus)
                object.insert(QStringLiteral("httpStatus"), item.httpStatus);
            if (!item.requestId.isEmpty())
                object.insert(QStringLiteral("requestId"), QString::fromLatin1(item.requestId));
            if (!isGone(item.state)) {
                object.insert(QStringLiteral("error"), item.reason);
                ++notGone;
            }
            items.append(object);
        }
        m_context->setJsonResult(QJsonObject { { QStringLiteral("batch"), m_batch.id },
                                               { QStringLiteral("summary"), m_run->summary() },
                                               { QStringLiteral("items"), items } });
        if (notGone)
            m_context->finish(CliContext::Failure,
                              tr("%n item(s) of the batch are not deleted.", nullptr, notGone));
        else
            m_context->finish(CliContext::Success);
    }

    CliContext *m_context;
    CliRequest m_request;
    AuditLog *m_audit;
    BatchSummary m_batch;
    QStringList m_accountIds;
    QHash<QString, QString> m_names; // account id -> name, for paths
    QHash<QString, Connector *> m_connectors; // by account id
    BatchRun *m_run = nullptr;
};

void listBatches(CliContext *context, AuditLog *audit)
{
    const QList<BatchSummary> batches = audit->interruptedBatches();
    QJsonArray array;
    for (const BatchSummary &batch : batches) {
        array.append(batchToJson(batch));
        context->print(batchLine(batch));
    }
    if (batches.isEmpty())
        context->note(tr("No interrupted batches: nothing to resume."));
    else
        context->note(tr("`docket-cli resume BATCH` sends what is owed; `--discard` gives a batch "
                         "up."));
    context->setJsonResult(array);
    context->finish(CliContext::Success);
}

} // namespace

void runResumeCommand(CliContext *context, const CliRequest &request)
{
    const QString usage = tr("usage: resume [BATCH] [--yes] [--discard]");
    if (request.arguments.size() > 1) {
        context->finish(CliContext::Usage, usage);
        return;
    }
    QString error;
    AuditLog *audit = context->auditLog(&error);
    if (!audit) {
        context->finish(CliContext::Failure, error);
        return;
    }
    if (request.arguments.isEmpty()) {
        if (request.discard)
            context->finish(CliContext::Usage, usage);
        else
            listBatches(context, audit);
        return;
    }
    bool ok = false;
    const qint64 batchId = request.arguments.first().toLongLong(&ok);
    if (!ok || batchId <= 0) {
        context->finish(CliContext::Usage, usage);
        return;
    }
    std::optional<BatchSummary> found;
    for (const BatchSummary &batch : audit->interruptedBatches()) {
        if (batch.id == batchId)
            found = batch;
    }
    if (!found) {
        const QList<DeletionItem> items = audit->batchItems(batchId);
        if (items.isEmpty()) {
            context->finish(CliContext::Usage, tr("No batch %1 in the audit trail.").arg(batchId));
        } else if (std::all_of(items.cbegin(), items.cend(),
                               [](const DeletionItem &item) { return item.isFinished(); })) {
            context->finish(CliContext::Failure,
                            tr("Batch %1 is not interrupted: every item already has an outcome "
                               "(`docket-cli audit` shows them).")
                                .arg(batchId));
        } else {
            context->finish(CliContext::Failure,
                            tr("Another running Docket is working on batch %1.").arg(batchId));
        }
        return;
    }
    if (request.discard) {
        if (!audit->discardBatch(batchId)) {
            context->finish(CliContext::Failure,
                            tr("Cannot discard batch %1: %2").arg(batchId).arg(audit->lastError()));
            return;
        }
        const Counts counts(*found);
        context->note(tr("Batch %1 given up: %n item(s) still owed are marked cancelled; nothing "
                         "was sent. Those sent but unconfirmed may have been deleted: list them "
                         "to see.",
                         nullptr, counts.unconfirmed + counts.notStarted)
                          .arg(batchId));
        context->setJsonResult(QJsonObject { { QStringLiteral("batch"), batchId },
                                             { QStringLiteral("discarded"), true } });
        context->finish(CliContext::Success);
        return;
    }
    (new Resumer(context, request, audit, *found))->start();
}
