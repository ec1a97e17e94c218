#pragma once

#include "apierror.h"
#include "itemdetails.h"
#include "remoteitem.h"

#include <QHash>
#include <QMap>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QWidget>

#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QTextBrowser;
class QTimer;

namespace Docket {
class Connector;
class ConnectorJob;
class DocumentTreeModel;
} // namespace Docket

// What an administrator reviews before deleting the selected item: the row's own facts and what a
// delete would do, at once; then, once the selection has settled, what the service holds about it
// (a transcript, a parser result, a file's metadata), fetched through the connector without
// blocking, as sections the connector builds (itemdetails.h): the pane knows no service. Answers
// for an item that is no longer shown are dropped.
class DetailsPane : public QWidget
{
    Q_OBJECT

public:
    explicit DetailsPane(Docket::DocumentTreeModel *model, QWidget *parent = nullptr);
    ~DetailsPane() override;

    // Shows `sourceIndex` (an index of the model, not of a proxy; invalid: nothing selected).
    void setCurrentIndex(const QModelIndex &sourceIndex);
    QModelIndex currentIndex() const { return m_index; }

    QTextBrowser *browser() const { return m_browser; }
    // The button of the detail action that fetches a download link (DetailAction::
    // downloadLinkId()); hidden unless the shown item offers it.
    QPushButton *downloadLinkButton() const { return m_linkButton; }
    // The button of the shown item's detail action `actionId` (objectName actionId + "Button"),
    // made when first needed.
    QPushButton *actionButton(const QString &actionId);
    // True while a fetch for the shown item is waiting or running.
    bool isLoading() const;

    // How long the selection must stay put before details are fetched.
    static constexpr int settleDelayMs = 150;

private:
    enum class Section { Service, Action };

    void fetchDetails();
    void showActionButtons();
    void runAction(const QString &actionId);
    // A link to copy and when it expires (starting the timer that says it has).
    QString linkHtml(const QString &link, int expiresIn);
    void cancelJobs();
    void watch(Docket::ConnectorJob *job, Section section,
               std::function<QString(Docket::ConnectorJob *)> render);
    void setSection(Section section, const QString &html);
    void render();
    QString summaryHtml() const;
    QString accountHtml() const;

    Docket::DocumentTreeModel *m_model;
    QPersistentModelIndex m_index;
    Docket::RemoteItem m_item;
    QTextBrowser *m_browser;
    QLabel *m_heading;
    QHBoxLayout *m_buttons;
    QPushButton *m_linkButton = nullptr;
    QHash<QString, QPushButton *> m_actionButtons;
    QList<Docket::DetailAction> m_actions; // the shown item's
    QTimer *m_settle;
    QTimer *m_linkExpiry;
    // Bumped whenever the shown item changes: an answer carrying an older value is dropped.
    quint64 m_generation = 0;
    bool m_showing = false; // an item is shown (its row may since have gone)
    QList<QPointer<Docket::ConnectorJob>> m_jobs;
    QMap<Section, QString> m_sections;
};
