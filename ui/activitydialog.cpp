#include "activitydialog.h"

#include "activitymodel.h"
#include "auditlog.h"
#include "deletionqueue.h"
#include "offthread.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Docket;

ActivityDialog::ActivityDialog(AuditLog *audit, DeletionQueue *queue, QWidget *parent)
    : QDialog(parent)
    , m_audit(audit)
    , m_model(new ActivityModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_outcome(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_count(new QLabel(this))
    , m_export(new QPushButton(tr("&Export CSV…"), this))
{
    setObjectName(QStringLiteral("activityDialog"));
    setWindowTitle(tr("Activity — every delete Docket sent"));
    setAccessibleName(tr("Activity"));
    resize(1180, 560);

    m_filter->setObjectName(QStringLiteral("activityFilter"));
    m_filter->setPlaceholderText(tr("Filter by account, item, id, request id or reason"));
    m_filter->setAccessibleName(tr("Filter activity"));
    m_filter->setClearButtonEnabled(true);
    m_outcome->setObjectName(QStringLiteral("activityOutcome"));
    m_outcome->setAccessibleName(tr("Outcome"));
    m_outcome->addItem(tr("Every outcome"));
    for (AuditEntry::Outcome outcome :
         { AuditEntry::Outcome::Deleted, AuditEntry::Outcome::AlreadyGone,
           AuditEntry::Outcome::NotPermitted, AuditEntry::Outcome::Failed,
           AuditEntry::Outcome::Unknown, AuditEntry::Outcome::Changed,
           AuditEntry::Outcome::Retrying, AuditEntry::Outcome::NoAnswer,
           AuditEntry::Outcome::Cancelled, AuditEntry::Outcome::Sent })
        m_outcome->addItem(AuditEntry::outcomeName(outcome), int(outcome));

    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(ActivityModel::SortRole);
    m_count->setObjectName(QStringLiteral("activityCount"));
    m_table->setObjectName(QStringLiteral("activityTable"));
    m_table->setAccessibleName(tr("Delete attempts"));
    m_table->setModel(m_sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ActivityModel::TimeColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // One line per attempt, as compact as a list (the trail may hold thousands).
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    const QString sampleTime = QLocale().toString(QDateTime(QDate(2026, 12, 28), QTime(23, 59, 59)),
                                                  QLocale::ShortFormat);
    header->resizeSection(ActivityModel::TimeColumn,
                          fontMetrics().horizontalAdvance(sampleTime) + 24);
    header->resizeSection(ActivityModel::AccountColumn, 210);
    header->resizeSection(ActivityModel::KindColumn, 110);
    header->resizeSection(ActivityModel::NameColumn, 210);
    header->resizeSection(ActivityModel::ParentColumn, 120);
    header->resizeSection(ActivityModel::OutcomeColumn, 130);
    header->resizeSection(ActivityModel::HttpStatusColumn, 50);
    // Request ids are for matching a service's logs: there, not in the way.
    m_table->setColumnHidden(ActivityModel::RequestIdColumn, true);

    m_export->setObjectName(QStringLiteral("activityExportButton"));
    connect(m_export, &QPushButton::clicked, this, &ActivityDialog::chooseExportFile);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_outcome);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_count, 1);
    bottom->addWidget(m_export);
    bottom->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);

    m_reloadSoon.setSingleShot(true);
    m_reloadSoon.setInterval(250);
    connect(&m_reloadSoon, &QTimer::timeout, this, &ActivityDialog::reload);
    connect(m_filter, &QLineEdit::textChanged, &m_reloadSoon, qOverload<>(&QTimer::start));
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &ActivityDialog::reload);
    if (queue) {
        // While a batch runs, at most once a second: each reload reads the trail again.
        m_followQueue.setSingleShot(true);
        m_followQueue.setInterval(1000);
        connect(&m_followQueue, &QTimer::timeout, this, &ActivityDialog::reload);
        const auto follow = [this] {
            if (isVisible() && !m_followQueue.isActive())
                m_followQueue.start();
        };
        connect(queue, &DeletionQueue::itemFinished, this, follow);
        connect(queue, &DeletionQueue::itemStarted, this, follow);
    }
    reload();
}

AuditQuery ActivityDialog::currentQuery() const
{
    AuditQuery query;
    query.text = m_filter->text().trimmed();
    if (m_outcome->currentIndex() > 0)
        query.outcome = AuditEntry::Outcome(m_outcome->currentData().toInt());
    return query;
}

void ActivityDialog::reload()
{
    if (m_reading) {
        m_readAgain = true; // with the filter as it will be then
        return;
    }
    const AuditQuery query = currentQuery();
    if (!m_audit || !m_audit->isOpen()) {
        showEntries(query, {}, m_audit ? m_audit->lastError() : QString());
        return;
    }
    if (m_audit->path() == QLatin1String(":memory:")) {
        // Another connection would see another, empty, database.
        const QList<AuditEntry> entries = m_audit->entries(query);
        showEntries(query, entries, entries.isEmpty() ? m_audit->lastError() : QString());
        return;
    }
    struct Read
    {
        QList<AuditEntry> entries;
        QString problem;
    };
    m_reading = true;
    whenReady(this, QtConcurrent::run([path = m_audit->path(), query] {
                  Read read;
                  read.entries = AuditLog::readEntries(path, query, &read.problem);
                  return read;
              }),
              [this, query](Read read) {
                  m_reading = false;
                  showEntries(query, read.entries, read.problem);
                  if (std::exchange(m_readAgain, false))
                      reload();
              });
}

void ActivityDialog::showEntries(const AuditQuery &query, const QList<AuditEntry> &entries,
                                 const QString &problem)
{
    m_model->setEntries(entries);
    const int shown = m_model->rowCount();
    if (!m_audit || !m_audit->isOpen() || !problem.isEmpty())
        m_count->setText(tr("The audit trail is not available: %1").arg(problem));
    else if (shown == query.limit)
        m_count->setText(
            tr("The newest %n attempt(s); narrow the filter to see older ones.", nullptr, shown));
    else
        m_count->setText(tr("Attempts shown: %1").arg(shown));
    m_export->setEnabled(shown > 0);
}

void ActivityDialog::chooseExportFile()
{
    auto *dialog = new QFileDialog(this, tr("Export the activity as CSV"));
    dialog->setObjectName(QStringLiteral("activityExportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("CSV files (*.csv)"));
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->setDirectory(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
    dialog->selectFile(
        tr("docket-activity-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate)));
    connect(dialog, &QFileDialog::fileSelected, this, &ActivityDialog::exportTo);
    dialog->open();
}

bool ActivityDialog::exportTo(const QString &path)
{
    // What the table shows, in its order.
    QList<AuditEntry> shown;
    shown.reserve(m_sorted->rowCount());
    for (int row = 0; row < m_sorted->rowCount(); ++row)
        shown.append(m_model->entries().at(m_sorted->mapToSource(m_sorted->index(row, 0)).row()));
    // Written whole or not at all.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !AuditLog::writeCsv(shown, &file) || !file.commit()) {
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export failed"),
                                    tr("Docket could not write “%1”: %2")
                                        .arg(QDir::toNativeSeparators(path), file.errorString()),
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    m_count->setText(tr("Exported %n attempt(s) to %1.", nullptr, int(shown.size()))
                         .arg(QDir::toNativeSeparators(path)));
    return true;
}
