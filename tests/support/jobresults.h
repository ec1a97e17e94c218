#pragma once

#include "connector.h"

#include <QStringList>
#include <QTest>

// Waiting for connector jobs in tests: each runs the event loop until the job finishes and copies
// what it carries before it deletes itself.

struct ListResult
{
    bool finished = false;
    Docket::ApiError error;
    Docket::ListPage page;
};

struct DeleteResult
{
    bool finished = false;
    Docket::ApiError error;
    Docket::DeleteOutcome outcome = Docket::DeleteOutcome::Deleted;
    int httpStatus = 0;
};

struct SimpleResult
{
    bool finished = false;
    Docket::ApiError error;
    QVariantMap data;
};

template<typename Job, typename Result, typename Copy>
Result awaitJob(Job *job, Copy copy, int timeoutMs)
{
    Result result;
    auto connection
        = QObject::connect(job, &Docket::ConnectorJob::finished, job, [&result, job, copy] {
              result.finished = true;
              result.error = job->error();
              copy(job, result);
          });
    if (!QTest::qWaitFor([&result] { return result.finished; }, timeoutMs))
        QObject::disconnect(connection);
    return result;
}

inline ListResult awaitList(Docket::ListJob *job, int timeoutMs = 10000)
{
    return awaitJob<Docket::ListJob, ListResult>(
        job, [](Docket::ListJob *j, ListResult &r) { r.page = j->page(); }, timeoutMs);
}

inline DeleteResult awaitDelete(Docket::DeleteJob *job, int timeoutMs = 10000)
{
    return awaitJob<Docket::DeleteJob, DeleteResult>(
        job,
        [](Docket::DeleteJob *j, DeleteResult &r) {
            r.outcome = j->outcome();
            r.httpStatus = j->httpStatus();
        },
        timeoutMs);
}

inline SimpleResult awaitSimple(Docket::SimpleJob *job, int timeoutMs = 10000)
{
    return awaitJob<Docket::SimpleJob, SimpleResult>(
        job, [](Docket::SimpleJob *j, SimpleResult &r) { r.data = j->data(); }, timeoutMs);
}

struct ItemResult
{
    bool finished = false;
    Docket::ApiError error;
    bool found = false;
    Docket::RemoteItem item;
};

inline ItemResult awaitItem(Docket::ItemJob *job, int timeoutMs = 10000)
{
    return awaitJob<Docket::ItemJob, ItemResult>(
        job,
        [](Docket::ItemJob *j, ItemResult &r) {
            r.found = j->found();
            r.item = j->item();
        },
        timeoutMs);
}

inline QStringList idsOf(const QList<Docket::RemoteItem> &items)
{
    QStringList ids;
    for (const Docket::RemoteItem &item : items)
        ids.append(item.ref.id());
    return ids;
}
