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

    void copyFrom(Docket::ListJob *job) { page = job->page(); }
};

struct DeleteResult
{
    bool finished = false;
    Docket::ApiError error;
    Docket::DeleteOutcome outcome = Docket::DeleteOutcome::Deleted;
    int httpStatus = 0;

    void copyFrom(Docket::DeleteJob *job)
    {
        outcome = job->outcome();
        httpStatus = job->httpStatus();
    }
};

struct SimpleResult
{
    bool finished = false;
    Docket::ApiError error;
    QVariantMap data;

    void copyFrom(Docket::SimpleJob *job) { data = job->data(); }
};

struct ItemResult
{
    bool finished = false;
    Docket::ApiError error;
    bool found = false;
    Docket::RemoteItem item;

    void copyFrom(Docket::ItemJob *job)
    {
        found = job->found();
        item = job->item();
    }
};

// Runs the event loop until `job` finishes, `timeoutMs` at most; what it carried, with
// finished false when it did not finish in time.
template<typename Result, typename Job> Result awaitJob(Job *job, int timeoutMs)
{
    Result result;
    auto connection = QObject::connect(job, &Docket::ConnectorJob::finished, job, [&result, job] {
        result.finished = true;
        result.error = job->error();
        result.copyFrom(job);
    });
    if (!QTest::qWaitFor([&result] { return result.finished; }, timeoutMs))
        QObject::disconnect(connection);
    return result;
}

inline ListResult awaitList(Docket::ListJob *job, int timeoutMs = 10000)
{
    return awaitJob<ListResult>(job, timeoutMs);
}

inline DeleteResult awaitDelete(Docket::DeleteJob *job, int timeoutMs = 10000)
{
    return awaitJob<DeleteResult>(job, timeoutMs);
}

inline SimpleResult awaitSimple(Docket::SimpleJob *job, int timeoutMs = 10000)
{
    return awaitJob<SimpleResult>(job, timeoutMs);
}

inline ItemResult awaitItem(Docket::ItemJob *job, int timeoutMs = 10000)
{
    return awaitJob<ItemResult>(job, timeoutMs);
}

inline QStringList idsOf(const QList<Docket::RemoteItem> &items)
{
    QStringList ids;
    for (const Docket::RemoteItem &item : items)
        ids.append(item.ref.id());
    return ids;
}
