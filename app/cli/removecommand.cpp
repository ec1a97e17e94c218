// docket-cli rm PATH... [--yes] [--dry-run]

#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"
#include "treepath.h"

#include <QCoreApplication>
#include <QJsonArray>

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
    int children = -1; // what goes with it, counted before asking
    QString outcome; // "deleted", "already-gone", "failed"
    QString error;
    int httpStatus = 0;
};

// Resolves every path, says what will happen, asks, deletes, reports. Deletes run concurrently;
// each account's session paces them within its rate limit.
class Remover : public QObject
{
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

    void start() { resolve(0); }

private:
    // Opens each account's connector (one per account, shared) and checks the path.
    void resolve(int index)
    {
        if (index == m_targets.size()) {
            countChildren(0);
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

    // For containers, what goes with them: the first page of children says how many.
    void countChildren(int index)
    {
        while (index < m_targets.size() && !isContainer(m_targets.at(index).item.ref.kind))
            ++index;
        if (index == m_targets.size()) {
            describe();
            return;
        }
        Target &target = m_targets[index];
        ListJob *job = target.connector->list(target.item.ref, { {}, 100 });
        connect(job, &ConnectorJob::finished, this, [this, index](ConnectorJob *finished) {
            auto *listJob = static_cast<ListJob *>(finished);
            if (!listJob->failed()) {
                const ListPage &page = listJob->page();
                m_targets[index].children = page.total >= 0 ? page.total : int(page.items.size());
                m_targets[index].item.details.insert(QStringLiteral("childCount"),
                                                     m_targets[index].children);
            }
            // A container that cannot be listed may be gone already: the delete will say.
            countChildren(index + 1);
        });
    }

    void describe()
    {
        bool anyPermanent = false;
        for (Target &target : m_targets) {
            target.plan = target.connector->describeDelete(target.item);
            anyPermanent
                = anyPermanent || target.plan.permanence == DeletePlan::Permanence::Permanent;
            QString line = QStringLiteral("%1  [%2, %3]")
                               .arg(target.path, nodeKindName(target.item.ref.kind),
                                    target.plan.permanence == DeletePlan::Permanence::Permanent
                                        ? tr("permanent")
                                        : tr("soft delete"));
            if (target.children > 0)
                line += u' ' + tr("with %n item(s) under it", nullptr, target.children);
            m_context->note(line);
            if (!target.plan.explanation.isEmpty())
                m_context->note(QStringLiteral("    ") + target.plan.explanation);
        }
        if (m_request.dryRun) {
            m_context->note(tr("Dry run: nothing was deleted."));
            report(true);
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
                 nullptr, int(m_targets.size()))
            : tr("Delete %n item(s)? Type \"delete\" to confirm: ", nullptr, int(m_targets.size()));
        m_context->terminal()->ask(question, false, [this](std::optional<QString> answer) {
            if (answer && answer->trimmed() == QLatin1String("delete"))
                deleteAll();
            else
                m_context->finish(CliContext::Declined, tr("Nothing was deleted."));
        });
    }

    void deleteAll()
    {
        m_remaining = int(m_targets.size());
        for (int index = 0; index < m_targets.size(); ++index) {
            Target &target = m_targets[index];
            DeleteJob *job = target.connector->remove(target.item);
            connect(job, &ConnectorJob::finished, this, [this, index](ConnectorJob *finished) {
                auto *deleteJob = static_cast<DeleteJob *>(finished);
                Target &target = m_targets[index];
                target.httpStatus = deleteJob->httpStatus();
                if (deleteJob->failed()) {
                    target.outcome = QStringLiteral("failed");
                    target.error = deleteJob->error().userMessage;
                    m_context->note(tr("FAILED    %1: %2").arg(target.path, target.error));
                } else if (deleteJob->outcome() == DeleteOutcome::AlreadyGone) {
                    target.outcome = QStringLiteral("already-gone");
                    // Care360 answers 404 alike for a deleted file and for one this patient did
                    // not upload: say both.
                    m_context->print(
                        target.connector->service() == ServiceKind::Care360
                            ? tr("not found %1 (already deleted, or uploaded by someone "
                                 "else: Care360 lets only the uploader delete)")
                                  .arg(target.path)
                            : tr("gone      %1 (it was already deleted)").arg(target.path));
                } else {
                    target.outcome = QStringLiteral("deleted");
                    m_context->print(tr("deleted   %1").arg(target.path));
                }
                if (--m_remaining == 0)
                    report(false);
            });
        }
    }

    void report(bool dryRun)
    {
        QJsonArray items;
        int failures = 0;
        for (const Target &target : std::as_const(m_targets)) {
            QJsonObject object { { QStringLiteral("path"), target.path },
                                 { QStringLiteral("kind"), nodeKindId(target.item.ref.kind) },
                                 { QStringLiteral("permanent"),
                                   target.plan.permanence == DeletePlan::Permanence::Permanent },
                                 { QStringLiteral("explanation"), target.plan.explanation } };
            if (target.children >= 0)
                object.insert(QStringLiteral("childCount"), target.children);
            if (!dryRun) {
                object.insert(QStringLiteral("outcome"), target.outcome);
                if (target.httpStatus)
                    object.insert(QStringLiteral("httpStatus"), target.httpStatus);
                if (!target.error.isEmpty())
                    object.insert(QStringLiteral("error"), target.error);
            }
            failures += target.outcome == QLatin1String("failed");
            items.append(object);
        }
        m_context->setJsonResult(QJsonObject { { QStringLiteral("dryRun"), dryRun },
                                               { QStringLiteral("items"), items } });
        if (failures)
            m_context->finish(CliContext::Failure, tr("%n delete(s) failed.", nullptr, failures));
        else
            m_context->finish(CliContext::Success);
    }

    CliContext *m_context;
    CliRequest m_request;
    QList<Target> m_targets;
    QHash<QString, Connector *> m_connectors;
    int m_remaining = 0;
};

} // namespace

void runRemoveCommand(CliContext *context, const CliRequest &request)
{
    if (request.arguments.isEmpty()) {
        context->finish(CliContext::Usage, tr("usage: rm PATH... [--yes] [--dry-run]"));
        return;
    }
    (new Remover(context, request))->start();
}
