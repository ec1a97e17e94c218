#pragma once

#include "deletionitem.h"

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace Docket {
class DeletionQueue;
}

// What a batch of deletes is doing, at the bottom of the window: N of M, the item being sent,
// failures so far, time left, and Cancel; once every item has its outcome, a summary with the
// reason for each failure, and Retry for the failed (or cancelled) ones. It reads the queue only;
// the rows of the tree show their own state.
class DeletionProgressPanel : public QFrame
{
    Q_OBJECT

public:
    explicit DeletionProgressPanel(Docket::DeletionQueue *queue, QWidget *parent = nullptr);

    QLabel *headline() const { return m_headline; }
    QLabel *detail() const { return m_detail; }
    QProgressBar *progressBar() const { return m_bar; }
    QTreeWidget *failureList() const { return m_failures; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *closeButton() const { return m_close; }

    // "about 2 minutes", "about 40 seconds", "less than 5 seconds"
    static QString timeLeftText(qint64 milliseconds);

Q_SIGNALS:
    // The user is done with the summary.
    void closeRequested();

private:
    void showProgress(const Docket::DeletionProgress &progress);
    void showSummary(const Docket::DeletionProgress &progress);
    void addFailure(const Docket::DeletionItem &item);
    void retryUnfinished();

    Docket::DeletionQueue *m_queue;
    QLabel *m_headline;
    QLabel *m_detail;
    QProgressBar *m_bar;
    QTreeWidget *m_failures;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_close;
};
