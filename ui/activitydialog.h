#pragma once

#include "auditlog.h"

#include <QDialog>
#include <QTimer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Docket {
class ActivityModel;
class DeletionQueue;
} // namespace Docket

// The audit trail, for administrators: every delete Docket sent (or did not send) and how it
// ended, newest first, with a filter and CSV export. Not modal: it follows a batch as it runs.
class ActivityDialog : public QDialog
{
    Q_OBJECT

public:
    // `queue` may be null; with one, the view refreshes as deletes answer.
    ActivityDialog(Docket::AuditLog *audit, Docket::DeletionQueue *queue,
                   QWidget *parent = nullptr);

    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *outcomeFilter() const { return m_outcome; }
    QTableView *table() const { return m_table; }
    QPushButton *exportButton() const { return m_export; }
    Docket::ActivityModel *model() const { return m_model; }

    // Reads the trail again with the current filter, on a worker thread (a long trail takes tens
    // of milliseconds to read and filter); the table follows when it is read. A reload asked for
    // while one is running follows it.
    void reload();
    // A reading is under way.
    bool isReading() const { return m_reading; }
    // Writes what the table shows to `path` as CSV; false (and says why) on failure.
    bool exportTo(const QString &path);

private:
    Docket::AuditQuery currentQuery() const;
    void showEntries(const Docket::AuditQuery &query, const QList<Docket::AuditEntry> &entries,
                     const QString &problem);
    void chooseExportFile();

    Docket::AuditLog *m_audit;
    Docket::ActivityModel *m_model;
    QSortFilterProxyModel *m_sorted;
    QLineEdit *m_filter;
    QComboBox *m_outcome;
    QTableView *m_table;
    QLabel *m_count;
    QPushButton *m_export;
    QTimer m_reloadSoon; // coalesces typing
    QTimer m_followQueue; // coalesces answers while a batch runs
    bool m_reading = false;
    bool m_readAgain = false;
};
