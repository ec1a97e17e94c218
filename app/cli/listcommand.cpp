// docket-cli ls PATH [--all] [--search TEXT] [--sort FIELD] [--desc]

#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"
#include "pagewalker.h"
#include "serviceinfo.h"
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
    // `page` carries the search and order the server is asked for; `localSearch`, a text the
    // rows read are filtered by here (a listing the service cannot search), which reads every
    // page: a match may be on any of them.
    Lister(CliContext *context, Connector *connector, const NodeRef &parent, bool all,
           const PageRequest &page = {}, const QString &localSearch = {})
        : QObject(context)
        , m_context(context)
        , m_connector(connector)
        , m_parent(parent)
        , m_all(all || !localSearch.isEmpty())
        , m_page(page)
        , m_localSearch(localSearch)
    {
        m_page.limit = m_connector->pageSize(m_parent.kind);
    }

    // Reads the listing through a PageWalker: it stops a service whose cursor repeats, which
    // `--all` would otherwise follow for ever.
    void start()
    {
        PageWalker::walk(
            m_connector, m_parent, m_page, 0, this,
            [this](const ListPage &page) {
                for (const RemoteItem &item : page.items) {
                    if (matchesSearch(item.name, m_localSearch))
                        show(item);
                }
                if (page.total >= 0 && m_localSearch.isEmpty())
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
    PageRequest m_page;
    QString m_localSearch;
    QJsonArray m_items;
    int m_total = -1;
    bool m_more = false; // the last page read says more exist
};

// What --search, --sort and --desc ask of a listing under `parent`: the server's search and
// order where the connector offers them (into *page), else a local filter (*localSearch, with a
// note saying why). False, with *problem, for an order the service cannot give.
bool prepareSearch(CliContext *context, Connector *connector, const NodeRef &parent,
                   const CliRequest &request, PageRequest *page, QString *localSearch,
                   QString *problem)
{
    const ServiceInfo &info = ServiceRegistry::info(connector->service());
    if (!request.sort.isEmpty()) {
        QStringList offered;
        for (const ListSortField &field : connector->sortFields(parent.kind))
            offered.append(field.id);
        if (!offered.contains(request.sort)) {
            *problem = offered.isEmpty()
                ? tr("%1 documents no order for this listing, so --sort is not supported here.")
                      .arg(info.shortName)
                : tr("--sort takes %1 here.").arg(offered.join(QStringLiteral(", ")));
            return false;
        }
        page->sort = request.sort;
        page->descending = request.descending;
    } else if (request.descending) {
        *problem = tr("--desc goes with --sort FIELD.");
        return false;
    }
    if (request.search.isEmpty())
        return true;
    if (connector->canSearch(parent.kind)) {
        page->search = request.search;
        return true;
    }
    *localSearch = request.search;
    context->note(info.searchNote.isEmpty()
                      ? tr("%1 cannot search this listing: Docket reads every page and filters "
                           "it.")
                            .arg(info.shortName)
                      : info.searchNote);
    return true;
}

} // namespace

void runListCommand(CliContext *context, const CliRequest &request)
{
    const TreePath path = TreePath::parse(request.arguments.value(0, QStringLiteral("/")));
    if (request.arguments.size() > 1) {
        context->finish(CliContext::Usage,
                        tr("usage: ls [PATH] [--all] [--search TEXT] [--sort FIELD] [--desc]"));
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
            PageRequest page;
            QString localSearch;
            if (!prepareSearch(context, connector, parent, request, &page, &localSearch,
                               &problem)) {
                context->finish(CliContext::Usage, problem);
                return;
            }
            (new Lister(context, connector, parent, request.all, page, localSearch))->start();
        });
}
