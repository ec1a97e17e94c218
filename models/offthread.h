#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace Docket {

// Calls `done(result)` on the thread of `context` (its event loop) once `future` has its result;
// call it from that thread. If `context` is destroyed first, `done` never runs and the result is
// dropped on whichever thread lets go of it last: whatever computes it must own everything it uses
// (capture by value; never `this`, a job or anything else a thread switch could outlive). Qt
// containers and QString are safe to build on a worker and hand over.
template<typename Result, typename Done>
void whenReady(QObject *context, QFuture<Result> future, Done &&done)
{
    // The watcher is the context's child: destroyed with it, it no longer reports.
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                     [watcher, done = std::forward<Done>(done)]() mutable {
                         watcher->deleteLater();
                         QFuture<Result> result = watcher->future();
                         done(result.takeResult());
                     });
    watcher->setFuture(std::move(future));
}

} // namespace Docket
