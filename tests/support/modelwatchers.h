#pragma once

// What a test sees of a DocumentTreeModel's listings and deletes, as signals recorded and waited
// for on the event loop.

#include "documenttreemodel.h"

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QTest>

class LoadWatcher : public QObject
{
public:
    explicit LoadWatcher(Docket::DocumentTreeModel *model)
    {
        connect(model, &Docket::DocumentTreeModel::loadFinished, this,
                [this](const QString &, const Docket::NodeRef &ref) { m_finished.append(ref); });
        connect(model, &Docket::DocumentTreeModel::loadFailed, this,
                [this](const QString &, const Docket::NodeRef &, const Docket::ApiError &error) {
                    lastError = error;
                });
    }
    // Waits until a listing under `ref` finished (consuming that record).
    bool waitFor(const Docket::NodeRef &ref, int timeoutMs = 15000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (true) {
            if (const qsizetype at = m_finished.indexOf(ref); at >= 0) {
                m_finished.removeAt(at);
                return true;
            }
            if (deadline.hasExpired())
                return false;
            QTest::qWait(5);
        }
    }
    void clear() { m_finished.clear(); }
    Docket::ApiError lastError;

private:
    QList<Docket::NodeRef> m_finished;
};

struct DeleteRecord
{
    Docket::NodeRef ref;
    Docket::DeletionState outcome = Docket::DeletionState::Pending;
    Docket::ApiError error;
};

class DeleteWatcher : public QObject
{
public:
    explicit DeleteWatcher(Docket::DocumentTreeModel *model)
    {
        connect(model, &Docket::DocumentTreeModel::deleteFinished, this,
                [this](const QString &, const Docket::NodeRef &ref, Docket::DeletionState outcome,
                       const Docket::ApiError &error) {
                    records.append({ ref, outcome, error });
                });
    }
    bool waitForCount(int count, int timeoutMs = 15000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (records.size() < count) {
            if (deadline.hasExpired())
                return false;
            QTest::qWait(5);
        }
        return true;
    }
    QList<DeleteRecord> records;
};
