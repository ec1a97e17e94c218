// docket-cli rm PATH... [--yes] [--dry-run] [--retries N] [--force]

#include "batchrun.h"
#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"
#include "treepath.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>

#include <optional>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

// One item to delete, from its path to its outcome.
struct Target
{
    QString path;
    TreePath treePath;
    Connector *connector = nullptr;
    RemoteItem item;
    DeletePlan plan;
    // Whether the lookup found it where its path says. Care360, Invox and DocumentPro delete by
    // the last id alone, so an item under the wrong parent would be deleted wherever it is: only
    // a found item is sent (a failed lookup too with --force).
    enum class Aim {
        Found,
        NotFound, // its parent's whole listing was read without it: gone; nothing is sent
        // Not in a listing that cannot prove absence (Invox: Docket's own index; Scriptix: a
        // session's documents and comments): it may exist. Sent only with --force.
        NotListed,
        LookupFailed, // the lookup ended in an error (lookupError): sent only with --force
    };
    Aim aim = Aim::Found;
    QString lookupError;
    // A plan's refusal (a Care360 file someone else uploaded) keeps it unsent too, unless forced.
    bool willSend(bool force) const
    {
        if (!plan.refusal.isEmpty() && !force)
            return false;
        return aim == Aim::Found || (aim != Aim::NotFound && force);
    }
    int children = -1; // what goes with it, counted before asking
    QString outcome; // "deleted", "already-gone", "failed", "cancelled"
    QString error;
    int httpStatus = 0;
    QString requestId;
};

// Resolves every path, says what will happen, asks, deletes, reports. Deletes go through the
// deletion queue: a few at a time per account, paced within its rate limit, retried when that
// may help, each recorded in the audit trail.
class Remover : public QObject
{
    // Its own translation context, as lupdate records it (the file's tr() would say
    // "docket-cli", which lupdate cannot see).
    Q_DECLARE_TR_FUNCTIONS(Remover)

public:
    Remover(CliContext *context, const CliRequest &request)
        : QObject(context)
        , m_context(context)
        , m_request(request)
    {
        for (const QString &text : request.arguments) {
            Target target;
            target.path = text;
            target.treePath = TreePath::parse(text);
            m_targets.append(target);
        }
    }

    void start()
    {
        if (!m_request.dryRun) {
            // The trail is required: checked before anything is asked or sent.
            QString error;
            m_audit = m_context->auditLog(&error);
            if (!m_audit) {
                if (!error.endsWith(u'.'))
                    error += u'.';
                m_context->finish(CliContext::Failure,
                                  error + u' '
                                      + tr("Nothing was deleted: docket-cli deletes only what it "
                                           "can record."));
                return;
            }
        }
        resolve(0);
    }

private:
    // Opens each account's connector (one per account, shared) and checks the path.
    void resolve(int index)
    {
        if (index == m_targets.size()) {
            removeDuplicates();
            lookUp();
            return;
        }
        Target &target = m_targets[index];
        if (target.treePath.isRoot() || target.treePath.ids.isEmpty()) {
            m_context->finish(
                CliContext::Usage,
                tr("%1 is an account; remove accounts with `account remove`.").arg(target.path));
            return;
        }
        const QString key = target.treePath.accountName.toLower();
        if (Connector *known = m_connectors.value(key)) {
            useConnector(index, known);
            return;
        }
        m_context->openConnector(target.treePath.accountName,
                                 [this, index, key](Connector *connector, const QString &error) {
                                     if (!connector) {
                                         m_context->finish(CliContext::Failure, error);
                                         return;
                                     }
                                     m_connectors.insert(key, connector);
                                     useConnector(index, connector);
                                 });
    }

    void useConnector(int index, Connector *connector)
    {
        Target &target = m_targets[index];
        target.connector = connector;
        QString problem;
        if (!target.treePath.toNodeRef(connector->service(), &target.item.ref, &problem)) {
            m_context->finish(CliContext::Usage, problem);
            return;
        }
        if (!connector->canDelete(target.item.ref.kind)) {
            m_context->finish(CliContext::Usage,
                              tr("%1 cannot be deleted: %2 offers no delete for a %3.")
                                  .arg(target.path, serviceDisplayName(connector->service()),
                                       nodeKindName(target.item.ref.kind).toLower()));
            return;
        }
        target.item.name = target.item.ref.id();
        resolve(index + 1);
    }

    // The same item named twice (the account spelled another way, say) is looked up and deleted
    // once: two DELETEs at once would make one of them report it "already gone".
    void removeDuplicates()
    {
        QSet<QString> seen;
        QList<Target> unique;
        for (const Target &target : std::as_const(m_targets)) {
            const QString key
                = target.connector->account().id + u'\n' + target.item.ref.ids.join(u'\n');
            if (seen.contains(key)) {
                m_context->note(
                    tr("%1 names an item already listed: it is deleted once.").arg(target.path));
                continue;
            }
            seen.insert(key);
            unique.append(target);
        }
        m_targets = unique;
    }

    // Each item as its service lists it, so that the confirmation and the audit trail name it
    // ("consult-obrien.m4a", not "sess_iv5ayzkjp0"), and so that nothing is sent that is not
    // where its path says. Targets are looked up by parent: each parent's listing is read once
    // for all its targets (Connector::lookupAll()), not once per target.
    void lookUp()
    {
        QHash<QString, int> groupByKey;
        for (int index = 0; index < m_targets.size(); ++index) {
            const Target &target = m_targets.at(index);
            const std::optional<NodeRef> parent = target.connector->parentOf(target.item.ref);
            // A ref without a parent is looked up alone (and refused).
            const QString key = target.connector->account().id + u'\n'
                + (parent ? nodeKindId(parent->kind) + u'\n' + parent->ids.join(u'\n')
                          : QStringLiteral("\n#%1").arg(index));
            auto group = groupByKey.constFind(key);
            if (group == groupByKey.constEnd()) {
                group = groupByKey.insert(key, int(m_groups.size()));
                m_groups.append({ target.connector, parent, {} });
            }
            m_groups[*group].targets.append(index);
        }
        lookUpGroup(0);
    }

    void lookUpGroup(int group)
    {
        if (group == m_groups.size()) {
            countChildren(0);
            return;
        }
        const LookupGroup &lookupGroup = m_groups.at(group);
        QList<NodeRef> refs;
        for (int index : lookupGroup.targets)
            refs.append(m_targets.at(index).item.ref);
        LookupJob *job = lookupGroup.parent
            ? lookupGroup.connector->lookupAll(*lookupGroup.parent, refs)
            : lookupGroup.connector->lookup(refs.constFirst());
        connect(job, &ConnectorJob::finished, this, [this, group](ConnectorJob *finished) {
            const auto *lookup = static_cast<LookupJob *>(finished);
            const QList<int> targets = m_groups.at(group).targets;
            for (qsizetype i = 0; i < targets.size(); ++i)
                takeLookup(m_targets[targets.at(i)], lookup, i);
            lookUpGroup(group + 1);
        });
    }

    static void takeLookup(Target &target, const LookupJob *lookup, qsizetype index)
    {
        switch (lookup->answer(index)) {
        case LookupJob::Answer::Failed:
            target.aim = Target::Aim::LookupFailed;
            target.lookupError = lookup->errorOf(index).sentence();
            return;
        case LookupJob::Answer::Missing:
            target.aim = target.connector->listingProvesAbsence(target.item.ref.kind)
                ? Target::Aim::NotFound
                : Target::Aim::NotListed;
            return;
        case LookupJob::Answer::Found: {
            const NodeRef ref = target.item.ref;
            target.item = lookup->itemOf(index);
            target.item.ref = ref; // as the path spelled it, which the delete uses
            return;
        }
        }
    }

    // Whether a person reads the list before anything is sent: the confirmation, or --dry-run.
    bool listIsRead() const
    {
        return m_request.dryRun || (!m_request.yes && Terminal::isInteractive());
    }

    // For containers, what goes with them: the count their listing row gave, else (only when a
    // person will read it, so no request is spent on it otherwise) their first page of
    // children, once each. Only a count the service gives is shown: none is better than a
    // wrong one.
    void countChildren(int index)
    {
        for (; index < m_targets.size(); ++index) {
            Target &target = m_targets[index];
            if (!isContainer(target.item.ref.kind) || !target.willSend(m_request.force))
                continue;
            if (target.item.childCount >= 0) {
                target.children = target.item.childCount;
                continue;
            }
            if (listIsRead())
                break;
        }
        if (index == m_targets.size()) {
            describe();
            return;
        }
        Target &target = m_targets[index];
        ListJob *job = target.connector->list(target.item.ref, { {}, 100 });
        connect(job, &ConnectorJob::finished, this, [this, index](ConnectorJob *finished) {
            auto *listJob = static_cast<ListJob *>(finished);
            if (!listJob->failed() && listJob->page().total >= 0) {
                Target &counted = m_targets[index];
                counted.children = listJob->page().total;
                counted.item.childCount = counted.children;
            }
            // A container that cannot be listed may be gone already: the delete will say.
            countChildren(index + 1);
        });
    }

    void describe()
    {
        bool anyPermanent = false;
        int toSend = 0;
        for (Target &target : m_targets) {
            target.plan = target.connector->describeDelete(target.item);
            if (target.aim == Target::Aim::NotFound) {
                m_context->note(tr("%1  not found where the path says: gone already, or under "
                                   "another parent. Nothing is sent for it.")
                                    .arg(target.path));
                continue;
            }
            if (!target.plan.refusal.isEmpty() && target.aim == Target::Aim::Found
                && !m_request.force) {
                m_context->note(tr("%1  not permitted: %2 Nothing is sent for it (--force sends "
                                   "it anyway)")
                                    .arg(target.path, printable(target.plan.refusal)));
                continue;
            }
            if (target.aim == Target::Aim::NotListed && !m_request.force) {
                m_context->note(
                    tr("%1  is not in what Docket can list of %2 (%3), so it may still be there; "
                       "nothing is sent for it (--force sends it anyway)")
                        .arg(target.path, serviceDisplayName(target.connector->service()),
                             target.connector->service() == ServiceKind::Invox
                                 ? tr("Docket's own index: Invox Medical offers no listing; "
                                      "`invox add` records a document you know")
                                 : tr("a listing the service does not document in full")));
                continue;
            }
            if (target.aim == Target::Aim::LookupFailed && !m_request.force) {
                m_context->note(tr("%1  could not be looked up, so nothing is sent for it: %2 "
                                   "(--force sends it anyway)")
                                    .arg(target.path, printable(target.lookupError)));
                continue;
            }
            if (target.aim == Target::Aim::LookupFailed || target.aim == Target::Aim::NotListed) {
                const QString why = target.aim == Target::Aim::LookupFailed
                    ? tr("could not be looked up (%1)").arg(printable(target.lookupError))
                    : tr("is not in what Docket can list");
                const ServiceKind service = target.connector->service();
                const QString danger = service == ServiceKind::Scriptix
                    ? tr("Scriptix deletes by the whole path: whatever is at that path now is "
                         "deleted, checked or not.")
                    : tr("%1 deletes by its last id alone: if it is not where the path says, "
                         "whatever holds that id is deleted.")
                          .arg(serviceDisplayName(service));
                m_context->note(tr("WARNING: %1 %2 and is sent anyway (--force). %3")
                                    .arg(target.path, why, danger));
            }
            ++toSend;
            anyPermanent
                = anyPermanent || target.plan.permanence == DeletePlan::Permanence::Permanent;
            QString line = target.path;
            if (target.item.name != target.item.ref.id())
                line += QStringLiteral("  “%1”").arg(printable(target.item.name));
            line += QStringLiteral("  [%1, %2]")
                        .arg(nodeKindName(target.item.ref.kind),
                             target.plan.permanence == DeletePlan::Permanence::Permanent
                                 ? tr("permanent")
                                 : tr("soft delete"));
            if (target.children > 0)
                line += u' ' + tr("with %n item(s) under it", nullptr, target.children);
            m_context->note(line);
            if (!target.plan.explanation.isEmpty())
                m_context->note(QStringLiteral("    ") + printable(target.plan.explanation));
        }
        if (m_request.dryRun) {
            m_context->note(tr("Dry run: nothing was deleted."));
            report(true);
            return;
        }
        if (toSend == 0) {
            report(false); // nothing to ask about, nothing to send
            return;
        }
        if (m_request.yes) {
            deleteAll();
            return;
        }
        if (!Terminal::isInteractive()) {
            m_context->finish(CliContext::Usage,
                              tr("Refusing to delete without confirmation: not at a terminal. Pass "
                                 "--yes to confirm, or --dry-run to see what would go."));
            return;
        }
        const QString question = anyPermanent
            ? tr("Permanently delete %n item(s)? This cannot be undone. Type \"delete\" to "
                 "confirm: ",
                 nullptr, toSend)
            : tr("Delete %n item(s)? Type \"delete\" to confirm: ", nullptr, toSend);
        m_context->terminal()->ask(question, false, [this](std::optional<QString> answer) {
            if (answer && answer->trimmed() == QLatin1String("delete"))
                deleteAll();
            else
                m_context->finish(CliContext::Declined, tr("Nothing was deleted."));
        });
    }

    // Through the deletion queue, with the audit trail: the batch is saved before the first
    // request, so a docket-cli that is killed mid-way leaves a batch `resume` can finish.
    void deleteAll()
    {
        QHash<QString, Connector *> byAccountId;
        QList<DeletionItem> items;
        QList<int> targetOfItem;
        for (int index = 0; index < m_targets.size(); ++index) {
            const Target &target = m_targets.at(index);
            if (!target.willSend(m_request.force))
                continue;
            targetOfItem.append(index);
            const Account &account = target.connector->account();
            byAccountId.insert(account.id, target.connector);
            DeletionItem item;
            item.accountId = account.id;
            item.accountName = account.label();
            item.service = target.connector->service();
            item.ref = target.item.ref;
            item.name = target.item.name;
            // The CLI knows its containers by id only.
            if (target.item.ref.ids.size() > 1)
                item.parentName = target.item.ref.ids.at(target.item.ref.ids.size() - 2);
            items.append(item);
        }
        m_run = new BatchRun(
            m_context, m_audit,
            [byAccountId](const QString &accountId) { return byAccountId.value(accountId); },
            [this](const DeletionItem &item) {
                const int index = m_targetByItem.value(item.id, -1);
                return index >= 0 ? m_targets.at(index).path : item.ref.id();
            },
            this);
        m_run->setRetries(m_request.retries);
        connect(m_run, &BatchRun::finished, this, [this] { report(false); });
        QString error;
        m_batchId = m_run->submit(items, &error);
        if (!m_batchId) {
            m_context->finish(CliContext::Failure, error);
            return;
        }
        // submit() gave each item its id, in order.
        for (int index = 0; index < items.size(); ++index)
            m_targetByItem.insert(items.at(index).id, targetOfItem.at(index));
    }

    void report(bool dryRun)
    {
        // What was not sent, and why.
        for (Target &target : m_targets) {
            if (dryRun || target.willSend(m_request.force))
                continue;
            switch (target.aim) {
            case Target::Aim::NotFound:
                target.outcome = QStringLiteral("not-found");
                break;
            case Target::Aim::LookupFailed:
                target.outcome = QStringLiteral("lookup-failed");
                target.error = target.lookupError;
                break;
            case Target::Aim::NotListed:
                target.outcome = QStringLiteral("not-listed");
                target.error = tr("Not in what Docket can list, so it may still be there; "
                                  "nothing was sent.");
                break;
            case Target::Aim::Found: // left out: the service is known to refuse it
                target.outcome = QStringLiteral("not-permitted");
                target.error = target.plan.refusal + u' ' + tr("Nothing was sent.");
                break;
            }
        }
        if (m_run) {
            for (const DeletionItem &item : m_run->items()) {
                Target &target = m_targets[m_targetByItem.value(item.id)];
                target.outcome = BatchRun::outcomeId(item);
                target.httpStatus = item.httpStatus;
                target.requestId = QString::fromLatin1(item.requestId);
                if (!isGone(item.state))
                    target.error = item.reason;
            }
        }
        QJsonArray items;
        int failures = 0;
        for (const Target &target : std::as_const(m_targets)) {
            QJsonObject object { { QStringLiteral("path"), target.path },
                                 { QStringLiteral("kind"), nodeKindId(target.item.ref.kind) },
                                 { QStringLiteral("name"), target.item.name },
                                 { QStringLiteral("found"), target.aim == Target::Aim::Found },
                                 { QStringLiteral("permanent"),
                                   target.plan.permanence == DeletePlan::Permanence::Permanent },
                                 { QStringLiteral("explanation"), target.plan.explanation } };
            if (target.children >= 0)
                object.insert(QStringLiteral("childCount"), target.children);
            if (target.aim == Target::Aim::LookupFailed)
                object.insert(QStringLiteral("lookupError"), target.lookupError);
            if (!target.plan.refusal.isEmpty())
                object.insert(QStringLiteral("refusal"), target.plan.refusal);
            if (!dryRun) {
                object.insert(QStringLiteral("outcome"), target.outcome);
                if (target.httpStatus)
                    object.insert(QStringLiteral("httpStatus"), target.httpStatus);
                if (!target.requestId.isEmpty())
                    object.insert(QStringLiteral("requestId"), target.requestId);
                if (!target.error.isEmpty())
                    object.insert(QStringLiteral("error"), target.error);
            }
            // Not there is what was asked for: not found counts as done, as "already gone" does.
            failures += !dryRun && target.outcome != QLatin1String("deleted")
                && target.outcome != QLatin1String("already-gone")
                && target.outcome != QLatin1String("not-found");
            items.append(object);
        }
        QJsonObject result { { QStringLiteral("dryRun"), dryRun },
                             { QStringLiteral("items"), items } };
        if (m_run) {
            result.insert(QStringLiteral("batch"), m_batchId);
            result.insert(QStringLiteral("summary"), m_run->summary());
        }
        m_context->setJsonResult(result);
        if (failures)
            m_context->finish(CliContext::Failure,
                              tr("%n item(s) not deleted.", nullptr, failures));
        else
            m_context->finish(CliContext::Success);
    }

    CliContext *m_context;
    CliRequest m_request;
    QList<Target> m_targets;
    // The targets under one parent of one account, looked up together.
    struct LookupGroup
    {
        Connector *connector = nullptr;
        std::optional<NodeRef> parent;
        QList<int> targets; // indexes in m_targets
    };
    QList<LookupGroup> m_groups;
    QHash<QString, Connector *> m_connectors; // by account name, lower case
    AuditLog *m_audit = nullptr;
    BatchRun *m_run = nullptr;
    qint64 m_batchId = 0;
    QHash<qint64, int> m_targetByItem; // deletion item id -> index in m_targets
};

} // namespace

void runRemoveCommand(CliContext *context, const CliRequest &request)
{
    if (request.arguments.isEmpty()) {
        context->finish(CliContext::Usage,
                        tr("usage: rm PATH... [--yes] [--dry-run] [--retries N] [--force]"));
        return;
    }
    (new Remover(context, request))->start();
}
