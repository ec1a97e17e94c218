#pragma once

#include "deletionqueue.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <functional>

class CliContext;

// One batch of deletes for `rm` and `resume`, through Docket's deletion queue with the audit
// trail: prints each outcome as it comes (as `rm` always has), a progress line while stderr is a
// terminal, and a summary at the end.
class BatchRun : public QObject
{
    Q_OBJECT

public:
    // How an item is named in the output (the path the user gave, or one rebuilt from the trail).
    using PathOf = std::function<QString(const Docket::DeletionItem &)>;

    BatchRun(CliContext *context, Docket::AuditLog *audit,
             Docket::DeletionQueue::ConnectorLookup connectors, PathOf pathOf,
             QObject *parent = nullptr);

    // --retries: how many more times a delete that may pass is sent (-1: the queue's default).
    void setRetries(int retries);
    // As DeletionQueue::submit() and resume(); the origin recorded is "cli".
    qint64 submit(QList<Docket::DeletionItem> &items, QString *error);
    bool resume(qint64 batchId, QString *error);

    // Once finished(): every item with its outcome.
    QList<Docket::DeletionItem> items() const { return m_queue.items(); }
    Docket::DeletionProgress progress() const { return m_queue.progress(); }
    // {"total","deleted","alreadyGone","failed","cancelled","seconds"} for --json.
    QJsonObject summary() const;

    // "deleted", "already-gone", "failed", "cancelled" (or the state's id while owed).
    static QString outcomeId(const Docket::DeletionItem &item);

Q_SIGNALS:
    // Every item has an outcome; the summary has been printed.
    void finished();

private:
    void itemFinished(const Docket::DeletionItem &item);
    void itemRetrying(const Docket::DeletionItem &item, int milliseconds);
    void showProgress(const Docket::DeletionProgress &progress, bool force = false);
    void clearProgress();
    void done();
    // Prints through the context, first taking the progress line away.
    void print(const QString &line);
    void note(const QString &line);

    CliContext *m_context;
    Docket::DeletionQueue m_queue;
    PathOf m_pathOf;
    bool m_showProgress;
    int m_progressWidth = 0; // of the progress line on screen (0: none)
    QElapsedTimer m_sinceDrawn;
    QElapsedTimer m_clock;
};
