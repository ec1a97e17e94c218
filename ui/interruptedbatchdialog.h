#pragma once

#include "auditlog.h"

#include <QDialog>

class QLabel;
class QPushButton;

// Shown at start when a run of Docket stopped in the middle of a batch of deletes: what was
// confirmed, what was sent but never confirmed, what was never sent; and the choice to resume
// (send what is owed again), discard (send nothing more) or decide later.
class InterruptedBatchDialog : public QDialog
{
    Q_OBJECT

public:
    explicit InterruptedBatchDialog(const Docket::BatchSummary &batch, QWidget *parent = nullptr);

    qint64 batchId() const { return m_batch.id; }
    const Docket::BatchSummary &batch() const { return m_batch; }
    // Resume needs every account of the batch signed in; until then it says whom it waits for.
    void setWaitingFor(const QStringList &accounts);

    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *discardButton() const { return m_discard; }
    QPushButton *laterButton() const { return m_later; }
    QLabel *summaryLabel() const { return m_summary; }

Q_SIGNALS:
    void resumeRequested(qint64 batchId);
    void discardRequested(qint64 batchId);

private:
    Docket::BatchSummary m_batch;
    QLabel *m_summary;
    QLabel *m_waiting;
    QPushButton *m_resume;
    QPushButton *m_discard;
    QPushButton *m_later;
};
