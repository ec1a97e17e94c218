// docket-cli ls PATH [--all]

#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"
#include "pagewalker.h"
#include "treepath.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

// Lists one container page by page, printing as pages arrive (so a long --all listing shows
// progress) and collecting JSON.
class Lister : public QObject
{
public:
    Lister(CliContext *context, Connector *connector, const NodeRef &parent, bool all)
        : QObject(context)
        , m_context(context)
        , m_connector(connector)
        , m_parent(parent)
        , m_all(all)
    { }

    // Reads the listing through a PageWalker: it stops a service whose cursor repeats, which
    // `--all` would otherwise follow for ever.
    void start()
    {
        PageWalker::walk(
            m_connector, m_parent, { {}, m_connector->pageSize(m_parent.kind) }, 0, this,
            [this](const ListPage &page) {
                for (const RemoteItem &item : page.items)
                    show(item);
                if (page.total >= 0)
                    m_total = page.total;
                m_more = page.hasMore();
                return m_all ? PageWalker::Next::Continue : PageWalker::Next::Stop;
            },
            [this](PageWalker::End end, const ApiError &error) {
                if (end == PageWalker::End::Failed || end == PageWalker::End::PageLimit) {
                    m_context->finish(CliContext::Failure, printable(error.userMessage));
                    return;
                }
                if (m_more) {
                    m_context->note(m_total >= 0
                                        ? tr("%1 of %2 shown; add --all for everything.")
                                              .arg(m_items.size())
                                              .arg(m_total)
                                        : tr("%1 shown, more exist; add --all for everything.")
                                              .arg(m_items.size()));
                } else if (m_items.isEmpty()) {
                    m_context->note(tr("(empty)"));
                }
                m_context->setJsonResult(m_items);
                m_context->finish(CliContext::Success);
            });
    }

private:
    void show(const RemoteItem &item)
    {
        const QString path = TreePath::format(m_connector->account().name, item.ref.ids);
        m_items.append(itemToJson(item, path));
        const QString created = item.created.isValid()
            ? item.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
            : QString();
        m_context->print(QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6")
                             .arg(path, nodeKindId(item.ref.kind), printable(item.name), created,
                                  formatMeasure(item), printable(item.status)));
    }

    CliContext *m_context;
    Connector *m_connector;
    NodeRef m_parent;
    bool m_all;
    QJsonArray m_items;
    int m_total = -1;
    bool m_more = false; // the last page read says more exist
};

} // namespace

void runListCommand(CliContext *context, const CliRequest &request)
{
    const TreePath path = TreePath::parse(request.arguments.value(0, QStringLiteral("/")));
    if (request.arguments.size() > 1) {
        context->finish(CliContext::Usage, tr("usage: ls [PATH] [--all]"));
        return;
    }
    if (path.isRoot()) {
        runAccountsCommand(context, request);
        return;
    }
    context->openConnector(
        path.accountName, [context, path, request](Connector *connector, const QString &error) {
            if (!connector) {
                context->finish(CliContext::Failure, error);
                return;
            }
            NodeRef parent;
            QString problem;
            if (!path.toNodeRef(connector->service(), &parent, &problem)) {
                context->finish(CliContext::Usage, problem);
                return;
            }
            // --file-type is the "fileType" list filter (Care360's); an empty value is no
            // filter, so only a named type is set.
            if (!request.fileType.isEmpty()
                && !connector->setListFilter(QStringLiteral("fileType"), request.fileType)) {
                context->finish(CliContext::Usage,
                                tr("--file-type phi|general applies to Care360 accounts."));
                return;
            }
            if (!isContainer(parent.kind)) {
                context->finish(CliContext::Usage,
                                tr("%1 is a %2: it has nothing under it.")
                                    .arg(TreePath::format(path.accountName, path.ids),
                                         nodeKindName(parent.kind).toLower()));
                return;
            }
            (new Lister(context, connector, parent, request.all))->start();
        });
}
