#pragma once

#include "apierror.h"
#include "listpage.h"
#include "remoteitem.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace Docket {

class Connector;
class ListJob;

// The cursors one listing has followed, and how many pages it read: the one place that decides a
// listing must stop because its service's next-page cursor came back again (following it would
// read the same pages for ever) or because it read as many pages as its caller allows.
class CursorTrail
{
public:
    // `maxPages` 0: no limit.
    explicit CursorTrail(int maxPages = 0)
        : m_maxPages(maxPages)
    { }

    enum class Verdict { Go, Looped, PageLimit };
    // Whether a page at `cursor` may be asked for; on Go it counts as followed.
    Verdict follow(const QVariant &cursor);
    int pagesFollowed() const { return int(m_seen.size()); }

    static QString loopMessage();
    static ApiError loopError();

private:
    // A list, not a set: QVariant has no hash, and a listing follows a few thousand cursors at
    // most (100,000 rows in pages of 100), compared in the time a page takes to arrive.
    QList<QVariant> m_seen;
    int m_maxPages = 0;
};

// Reads a container's listing page after page, from the first, handing each page to `visit`
// until it says stop, the listing ends, a page fails, a cursor repeats or `maxPages` were read:
// Connector::lookup()'s default and docket-cli's `ls --all` read listings this way. (The tree
// model's DocumentLister also asks for offset pages at once, but stops on the same CursorTrail.)
// It lives as long as its owner: destroying the owner aborts the page it is waiting for.
class PageWalker : public QObject
{
    Q_OBJECT

public:
    enum class Next { Continue, Stop };
    enum class End {
        Complete, // the last page was read
        Stopped, // `visit` said Stop
        Failed, // a page failed, or the cursor repeated: `error` says which
        PageLimit, // maxPages were read and more exist: not known what the rest holds
    };
    using Visit = std::function<Next(const ListPage &page)>;
    using Done = std::function<void(End end, const ApiError &error)>;

    // Starts at once; `done` is called once, later on the event loop, unless `owner` went first.
    static PageWalker *walk(Connector *connector, const NodeRef &parent, const PageRequest &first,
                            int maxPages, QObject *owner, Visit visit, Done done);
    ~PageWalker() override;

    int pagesRead() const { return m_pagesRead; }

private:
    PageWalker(Connector *connector, const NodeRef &parent, const PageRequest &first, int maxPages,
               QObject *owner, Visit visit, Done done);
    void request(const QVariant &cursor);
    void pageFinished(ListJob *job);
    void end(End how, const ApiError &error = {});

    QPointer<Connector> m_connector;
    NodeRef m_parent;
    PageRequest m_request;
    CursorTrail m_trail;
    Visit m_visit;
    Done m_done;
    QPointer<ListJob> m_job;
    int m_pagesRead = 0;
    bool m_ended = false;
};

} // namespace Docket
