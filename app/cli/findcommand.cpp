// docket-cli find TEXT [--all]: the top-level items whose name holds TEXT, in every account that
// can search at the server; the others are named with why they were not searched.

#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"
#include "pagewalker.h"
#include "serviceinfo.h"
#include "treepath.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

// Searches the accounts one after the other (each has its own budget, but one at a time keeps
// the output in account order), printing matches as their pages arrive.
class Finder : public QObject
{
public:
    Finder(CliContext *context, const QString &text, bool all)
        : QObject(context)
        , m_context(context)
        , m_text(text)
        , m_all(all)
        , m_accounts(context->accounts().accounts())
    { }

    void next()
    {
        if (m_accounts.isEmpty()) {
            end();
            return;
        }
        const Account account = m_accounts.takeFirst();
        m_context->openConnector(account.name,
                                 [this, account](Connector *connector, const QString &error) {
                                     if (!connector) {
                                         skip(account, error, true);
                                         return;
                                     }
                                     search(connector);
                                 });
    }

private:
    void search(Connector *connector)
    {
        const Account &account = connector->account();
        const ServiceInfo &info = ServiceRegistry::info(connector->service());
        const NodeRef top { NodeKind::Account, {} };
        if (!connector->canSearch(top.kind)) {
            skip(account,
                 info.searchNote.isEmpty()
                     ? tr("%1 cannot search at the server.").arg(info.shortName)
                     : info.searchNote,
                 false);
            return;
        }
        m_context->note(tr("Searching %1 (%2)…").arg(printable(account.name), info.shortName));
        PageRequest page { {}, connector->pageSize(top.kind) };
        page.search = m_text;
        PageWalker::walk(
            connector, top, page, maxPages, this,
            [this, connector](const ListPage &listPage) {
                for (const RemoteItem &item : listPage.items)
                    show(connector, item);
                return m_all ? PageWalker::Next::Continue : PageWalker::Next::Stop;
            },
            [this, account](PageWalker::End end, const ApiError &error) {
                if (end == PageWalker::End::Failed) {
                    skip(account, printable(error.userMessage), true);
                    return;
                }
                if (end == PageWalker::End::Stopped || end == PageWalker::End::PageLimit)
                    m_context->note(tr("%1: more matches may exist; add --all for every page.")
                                        .arg(printable(account.name)));
                QTimer::singleShot(0, this, [this] { next(); });
            });
    }

    void show(Connector *connector, const RemoteItem &item)
    {
        const QString path = TreePath::format(connector->account().name, item.ref.ids);
        m_matches.append(itemToJson(item, path));
        m_context->print(QStringLiteral("%1\t%2\t%3")
                             .arg(path, nodeKindId(item.ref.kind), printable(item.name)));
    }

    // An account not searched: because it cannot (a note) or because it failed (an error).
    void skip(const Account &account, const QString &why, bool failed)
    {
        const ServiceInfo &info = ServiceRegistry::info(account.service);
        m_context->note(
            tr("%1 (%2) not searched: %3").arg(printable(account.name), info.shortName, why));
        m_skipped.append(QJsonObject { { QStringLiteral("account"), account.name },
                                       { QStringLiteral("service"), info.id },
                                       { QStringLiteral("reason"), why },
                                       { QStringLiteral("failed"), failed } });
        m_failed = m_failed || failed;
        QTimer::singleShot(0, this, [this] { next(); });
    }

    void end()
    {
        if (m_matches.isEmpty())
            m_context->note(tr("No matches for “%1”.").arg(printable(m_text)));
        m_context->setJsonResult(QJsonObject { { QStringLiteral("matches"), m_matches },
                                               { QStringLiteral("notSearched"), m_skipped } });
        m_context->finish(m_failed ? CliContext::Failure : CliContext::Success);
    }

    // Without --all one page per account; with it, a cap so a text that matches nearly
    // everything does not page through a whole account.
    static constexpr int maxPages = 100;

    CliContext *m_context;
    QString m_text;
    bool m_all;
    QList<Account> m_accounts;
    QJsonArray m_matches;
    QJsonArray m_skipped;
    bool m_failed = false;
};

} // namespace

void runFindCommand(CliContext *context, const CliRequest &request)
{
    const QString text = request.arguments.join(u' ').trimmed();
    if (text.isEmpty() || !request.sort.isEmpty() || request.descending) {
        context->finish(CliContext::Usage, tr("usage: find TEXT [--all]"));
        return;
    }
    if (context->accounts().accounts().isEmpty()) {
        context->finish(CliContext::Failure,
                        tr("No accounts yet: add one with `docket-cli account add`."));
        return;
    }
    (new Finder(context, text, request.all))->next();
}
