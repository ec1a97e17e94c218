#include "detailspane.h"

#include "connector.h"
#include "documenttreemodel.h"
#include "itemdetails.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

using namespace Docket;

namespace {

// How many of a container's children the pane lists at most.
constexpr int maxListed = maxDetailRows;
// The longest a single service-provided value may run in the pane before it is cut.
constexpr int maxValueLength = 300;

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString cut(const QString &text)
{
    return text.size() > maxValueLength ? text.left(maxValueLength) + QChar(0x2026) : text;
}

// A service-provided value as escaped text: yes/no, a number, a string, or compact JSON.
QString valueHtml(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QStringLiteral("<i>%1</i>").arg(DetailsPane::tr("none"));
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? DetailsPane::tr("Yes") : DetailsPane::tr("No");
    case QMetaType::QVariantMap:
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return esc(cut(
            QString::fromUtf8(QJsonDocument::fromVariant(value).toJson(QJsonDocument::Compact))));
    default:
        return esc(cut(value.toString()));
    }
}

QString row(const QString &label, const QString &valueHtml)
{
    return QStringLiteral("<tr><th align=\"left\" valign=\"top\">%1</th><td>%2</td></tr>")
        .arg(esc(label), valueHtml);
}

QString table(const QString &rows)
{
    return QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">%1</table>").arg(rows);
}

QString heading(const QString &text)
{
    return QStringLiteral("<h3>%1</h3>").arg(esc(text));
}

QString errorHtml(const QString &what, const ApiError &error)
{
    return QStringLiteral("<p style=\"color:#a40000\"><b>%1</b> %2</p>")
        .arg(esc(what), esc(error.sentence()));
}

QString timeOffset(double seconds)
{
    const int whole = qMax(0, int(seconds));
    return QStringLiteral("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
}

// As the tree's size column says it.
QString measureHtml(const RemoteItem &item)
{
    const QString text = DocumentTreeModel::measureText(item);
    if (text.isEmpty())
        return QStringLiteral("<i>%1</i>").arg(DetailsPane::tr("not applicable"));
    return esc(text);
}

QString dateHtml(const QDateTime &date)
{
    if (!date.isValid())
        return QStringLiteral("<i>%1</i>").arg(DetailsPane::tr("unknown"));
    return esc(QLocale().toString(date.toLocalTime(), QLocale::ShortFormat));
}

QString measureHtml(Measure kind, const QVariant &value)
{
    if (!value.isValid())
        return QStringLiteral("<i>%1</i>").arg(DetailsPane::tr("not applicable"));
    return esc(DocumentTreeModel::measureText(kind, value.toLongLong()));
}

QString formattedHtml(const QVariant &value, DetailFormat format)
{
    switch (format) {
    case DetailFormat::Value:
        break;
    case DetailFormat::Text:
        return esc(cut(value.toString()));
    case DetailFormat::Date:
        return dateHtml(value.toDateTime());
    case DetailFormat::Bytes:
        return measureHtml(Measure::Bytes, value);
    case DetailFormat::Pages:
        return measureHtml(Measure::Pages, value);
    case DetailFormat::Seconds:
        return measureHtml(Measure::Seconds, value);
    case DetailFormat::Offset:
        return esc(timeOffset(value.toDouble()));
    }
    return valueHtml(value);
}

QString noteHtml(const QString &text)
{
    return QStringLiteral("<p><i>%1</i></p>").arg(esc(text));
}

// A connector's section, knowing nothing of its service; long ones are cut at maxDetailRows.
QString sectionHtml(const DetailSection &section)
{
    if (section.error.isError())
        return errorHtml(section.errorLead, section.error);
    QString html = section.title.isEmpty() ? QString() : heading(section.title);
    if (!section.facts.isEmpty()) {
        QString rows;
        for (const DetailFact &fact : section.facts.mid(0, maxDetailRows))
            rows += row(fact.label, formattedHtml(fact.value, fact.format));
        html += table(rows);
    }
    if (section.table) {
        const DetailTable &cells = *section.table;
        QString rows = QStringLiteral("<tr>");
        for (const DetailColumn &column : cells.columns)
            rows += QStringLiteral("<th align=\"left\">%1</th>").arg(esc(column.label));
        rows += QStringLiteral("</tr>");
        for (const QVariantList &cellRow : cells.rows.mid(0, maxDetailRows)) {
            rows += QStringLiteral("<tr>");
            for (int c = 0; c < cells.columns.size(); ++c) {
                // Every cell but the last (the long text) stays at the top of its row.
                rows += QStringLiteral("<td%1>%2</td>")
                            .arg(c + 1 < cells.columns.size() ? QStringLiteral(" valign=\"top\"")
                                                              : QString(),
                                 formattedHtml(cellRow.value(c), cells.columns.at(c).format));
            }
            rows += QStringLiteral("</tr>");
        }
        html += table(rows);
        if (cells.rows.size() > maxDetailRows && !cells.moreRowsNote.isEmpty())
            html += noteHtml(cells.moreRowsNote.arg(maxDetailRows).arg(cells.rows.size()));
    }
    if (section.list) {
        html += QStringLiteral("<ul>");
        for (const QString &entry : section.list->mid(0, maxDetailRows))
            html += QStringLiteral("<li>%1</li>").arg(esc(cut(entry)));
        html += QStringLiteral("</ul>");
    }
    if (!section.note.isEmpty())
        html += noteHtml(section.note);
    return html;
}

} // namespace

DetailsPane::DetailsPane(DocumentTreeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_browser(new QTextBrowser(this))
    , m_heading(new QLabel(this))
    , m_buttons(new QHBoxLayout)
    , m_settle(new QTimer(this))
    , m_linkExpiry(new QTimer(this))
{
    setObjectName(QStringLiteral("detailsPane"));
    setAccessibleName(tr("Details"));

    m_heading->setObjectName(QStringLiteral("detailsHeading"));
    m_heading->setAccessibleName(tr("Selected item"));
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_heading->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_heading->setFont(bold);

    m_browser->setObjectName(QStringLiteral("detailsBrowser"));
    m_browser->setAccessibleName(tr("Details of the selected item"));
    m_browser->setOpenLinks(false); // a download link is shown to copy, not opened from here
    m_browser->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_browser->setFocusPolicy(Qt::StrongFocus);

    m_buttons->addStretch();
    // The download link's button is always there (hidden until an item offers one), so that it
    // keeps its place and name; other actions get theirs when an item first offers them.
    m_linkButton = actionButton(DetailAction::downloadLinkId());
    m_linkButton->setText(tr("Get download &link"));
    m_linkButton->setAccessibleName(tr("Get download link"));
    m_linkButton->setToolTip(tr("Ask the service for a short-lived link to this file"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_heading);
    layout->addWidget(m_browser, 1);
    layout->addLayout(m_buttons);

    m_settle->setObjectName(QStringLiteral("detailsSettleTimer"));
    m_settle->setSingleShot(true);
    m_settle->setInterval(settleDelayMs);
    connect(m_settle, &QTimer::timeout, this, &DetailsPane::fetchDetails);

    m_linkExpiry->setSingleShot(true);
    connect(m_linkExpiry, &QTimer::timeout, this, [this] {
        setSection(Section::Action,
                   noteHtml(tr("The download link has expired. Get a new one if you still need "
                               "it.")));
    });

    // The shown row may change or go (a delete, a refresh).
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                if (m_index.isValid() && m_index.parent() == topLeft.parent()
                    && m_index.row() >= topLeft.row() && m_index.row() <= bottomRight.row())
                    render();
            });
    const auto checkGone = [this] {
        if (!m_index.isValid() && m_showing)
            setCurrentIndex({});
    };
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, checkGone);
    connect(m_model, &QAbstractItemModel::modelReset, this, checkGone);

    setCurrentIndex({});
}

DetailsPane::~DetailsPane()
{
    cancelJobs();
}

bool DetailsPane::isLoading() const
{
    if (m_settle->isActive())
        return true;
    // A job says it is finished before it tells anyone (ConnectorJob::finished is emitted on the
    // next turn of the event loop) and deletes itself once it has: until then its answer is not
    // shown yet.
    for (const QPointer<ConnectorJob> &job : m_jobs) {
        if (job)
            return true;
    }
    return false;
}

void DetailsPane::setCurrentIndex(const QModelIndex &sourceIndex)
{
    const QModelIndex first = sourceIndex.isValid() ? sourceIndex.siblingAtColumn(0) : sourceIndex;
    ++m_generation;
    cancelJobs();
    m_settle->stop();
    m_linkExpiry->stop();
    m_sections.clear();
    m_index = first;
    m_showing = first.isValid();
    m_item = first.isValid() ? m_model->item(first) : RemoteItem {};
    const Connector *connector = first.isValid() ? m_model->connectorFor(first) : nullptr;
    m_actions = connector ? connector->detailActions(m_item.ref.kind) : QList<DetailAction> {};
    showActionButtons();

    if (connector && connector->hasDetails(m_item.ref.kind)) {
        setSection(Section::Service, noteHtml(tr("Loading…")));
        m_settle->start();
    }
    render();
    m_browser->verticalScrollBar()->setValue(0); // another item: from its top
}

void DetailsPane::cancelJobs()
{
    for (const QPointer<ConnectorJob> &job : std::as_const(m_jobs)) {
        if (job && !job->isFinished()) {
            disconnect(job, nullptr, this, nullptr);
            job->abort();
        }
    }
    m_jobs.clear();
}

void DetailsPane::watch(ConnectorJob *job, Section section,
                        std::function<QString(ConnectorJob *)> renderJob)
{
    m_jobs.append(job);
    const quint64 generation = m_generation;
    connect(job, &ConnectorJob::finished, this,
            [this, generation, section, renderJob](ConnectorJob *finished) {
                if (generation != m_generation)
                    return; // an answer for an item no longer shown
                setSection(section, renderJob(finished));
            });
}

QPushButton *DetailsPane::actionButton(const QString &actionId)
{
    if (QPushButton *button = m_actionButtons.value(actionId))
        return button;
    auto *button = new QPushButton(this);
    button->setObjectName(actionId + QStringLiteral("Button"));
    button->setVisible(false);
    connect(button, &QPushButton::clicked, this, [this, actionId] { runAction(actionId); });
    m_buttons->insertWidget(m_buttons->count() - 1, button); // before the stretch
    m_actionButtons.insert(actionId, button);
    return button;
}

void DetailsPane::showActionButtons()
{
    for (QPushButton *button : std::as_const(m_actionButtons))
        button->setVisible(false);
    for (const DetailAction &action : std::as_const(m_actions)) {
        QPushButton *button = actionButton(action.id);
        button->setText(action.label);
        button->setAccessibleName(action.accessibleName);
        button->setToolTip(action.toolTip);
        button->setEnabled(true);
        button->setVisible(true);
    }
}

void DetailsPane::fetchDetails()
{
    if (!m_index.isValid())
        return;
    Connector *connector = m_model->connectorFor(m_index);
    if (!connector)
        return;
    watch(connector->fetchDetails(m_item), Section::Service, [](ConnectorJob *job) -> QString {
        if (job->failed())
            return errorHtml(tr("Could not load the details:"), job->error());
        QString html;
        for (const DetailSection &section : static_cast<DetailsJob *>(job)->sections())
            html += sectionHtml(section);
        return html;
    });
}

void DetailsPane::runAction(const QString &actionId)
{
    if (!m_index.isValid())
        return;
    const auto action = std::find_if(m_actions.cbegin(), m_actions.cend(),
                                     [&](const DetailAction &a) { return a.id == actionId; });
    Connector *connector = m_model->connectorFor(m_index);
    if (action == m_actions.cend() || !connector)
        return;
    QPushButton *button = actionButton(actionId);
    m_linkExpiry->stop();
    button->setEnabled(false);
    setSection(Section::Action,
               noteHtml(action->progressText.isEmpty() ? tr("Working…") : action->progressText));
    const quint64 generation = m_generation;
    DetailActionJob *job = connector->runDetailAction(m_item, actionId);
    m_jobs.append(job);
    connect(job, &ConnectorJob::finished, this, [this, generation, button](ConnectorJob *finished) {
        if (generation != m_generation)
            return;
        button->setEnabled(true);
        const auto *answer = static_cast<DetailActionJob *>(finished);
        DetailSection section = answer->section();
        if (answer->failed() && !section.error.isError())
            section = DetailSection::failed(tr("Could not do that:"), answer->error());
        QString html = sectionHtml(section);
        if (!answer->failed() && !answer->link().isEmpty())
            html += linkHtml(answer->link(), answer->linkExpiresInSeconds());
        setSection(Section::Action, html);
    });
}

QString DetailsPane::linkHtml(const QString &link, int expiresIn)
{
    QString expiry;
    if (expiresIn > 0) {
        const QDateTime at = QDateTime::currentDateTime().addSecs(expiresIn);
        // Spelt out for both forms, so the text reads right without a translation loaded.
        const QString within = expiresIn < 120 ? tr("%1 seconds").arg(expiresIn)
                                               : tr("%1 minutes").arg(expiresIn / 60);
        expiry = tr("This link expires in %1, at %2. Docket does not keep it: get a new one "
                    "each time.")
                     .arg(within, QLocale().toString(at.time(), QLocale::ShortFormat));
        // QTimer counts in int milliseconds (24 days): a longer link is shown as expired early
        // rather than the product wrapping into a past time.
        m_linkExpiry->start(
            int(qMin(qint64(expiresIn) * 1000, qint64(std::numeric_limits<int>::max()))));
    } else {
        expiry = tr("This link expires soon. Docket does not keep it: get a new one each time.");
    }
    return QStringLiteral("<p><a href=\"%1\">%1</a></p><p>%2</p>").arg(esc(link), esc(expiry));
}

void DetailsPane::setSection(Section section, const QString &html)
{
    m_sections.insert(section, html);
    render();
    // An action's answer (a link) goes last: bring it into view (and keep it there while the
    // answer comes).
    if (section == Section::Action) {
        QScrollBar *bar = m_browser->verticalScrollBar();
        bar->setValue(bar->maximum());
    }
}

QString DetailsPane::accountHtml() const
{
    Connector *connector = m_model->connectorFor(m_index);
    QString rows;
    if (connector) {
        const Account &account = connector->account();
        rows += row(tr("Account"), esc(account.label()));
        rows += row(tr("Service"), esc(serviceDisplayName(account.service)));
        rows += row(tr("Base URL"), esc(account.baseUrl.toDisplayString()));
        const AccountSession *session = connector->session();
        QString state = session->isSignedOut()
            ? tr("Signed out: %1").arg(session->signedOutReason())
            : tr("Signed in");
        rows += row(tr("Sign-in"), esc(state));
    } else {
        rows += row(tr("Account"), esc(m_index.data(Qt::DisplayRole).toString()));
    }
    rows += row(tr("Id"), esc(m_model->accountIdFor(m_index)));
    return table(rows)
        + QStringLiteral("<p>%1</p>")
              .arg(esc(tr("Signing out removes this account's secrets from the keychain; it does "
                          "not delete anything at the service.")));
}

QString DetailsPane::summaryHtml() const
{
    if (!m_index.isValid())
        return QStringLiteral("<p><i>%1</i></p>")
            .arg(esc(tr("Select an item to see its details and what deleting it would do.")));
    if (m_item.ref.kind == NodeKind::Account)
        return accountHtml();

    Connector *connector = m_model->connectorFor(m_index);
    const RemoteItem item = m_model->item(m_index);
    QString rows;
    rows += row(tr("Name"), esc(cut(item.name)));
    rows += row(tr("Kind"), esc(nodeKindName(item.ref.kind)));
    if (connector)
        rows += row(tr("Account"), esc(connector->account().label()));
    rows += row(tr("Created"), dateHtml(item.created));
    rows += row(tr("Size"), measureHtml(item));
    rows += row(tr("Status"),
                item.status.isEmpty() ? QStringLiteral("<i>%1</i>").arg(esc(tr("none")))
                                      : esc(cut(item.status)));
    rows += row(tr("Id"), QStringLiteral("<code>%1</code>").arg(esc(item.ref.id())));
    if (item.ref.ids.size() > 1)
        rows += row(
            tr("Path"),
            QStringLiteral("<code>%1</code>").arg(esc(item.ref.ids.join(QStringLiteral(" / ")))));
    QString html = table(rows);

    const QString error = m_index.data(DocumentTreeModel::ErrorRole).toString();
    if (!error.isEmpty())
        html += QStringLiteral("<p style=\"color:#a40000\">%1</p>").arg(esc(error));

    html += heading(tr("If you delete it"));
    if (!connector || !connector->canDelete(item.ref.kind)) {
        html += QStringLiteral("<p>%1</p>")
                    .arg(esc(tr("Docket cannot delete this kind of item: the service has no "
                                "documented delete for it.")));
    } else {
        const DeletePlan plan = connector->describeDelete(item);
        const QString permanence = plan.permanence == DeletePlan::Permanence::Permanent
            ? tr("Permanent: it cannot be undone or recovered.")
            : tr("Not permanent: the provider hides it but keeps a copy.");
        html += QStringLiteral("<p>%1</p><p><b>%2</b></p>")
                    .arg(esc(plan.explanation), esc(permanence));
        if (!plan.cascade.isEmpty())
            html += QStringLiteral("<p>%1</p>").arg(esc(tr("Goes with it: %1").arg(plan.cascade)));
    }

    // What the tree already knows about the children.
    // (Not for one whose details list them: a Scriptix document's comments.)
    if (isContainer(item.ref.kind) && !(connector && connector->hasDetails(item.ref.kind))) {
        const int loaded = m_model->rowCount(m_index);
        const bool listed = m_model->loadState(m_index) == DocumentTreeModel::LoadState::Loaded;
        html += heading(tr("Contents"));
        if (listed || loaded > 0) {
            const int total = m_index.data(DocumentTreeModel::TotalRole).toInt();
            html += QStringLiteral("<p>%1</p>")
                        .arg(esc(total > loaded ? tr("%1 listed of %2.").arg(loaded).arg(total)
                                                : (loaded == 1 ? tr("1 item.")
                                                               : tr("%1 items.").arg(loaded))));
            if (loaded > 0) {
                html += QStringLiteral("<ul>");
                for (int r = 0; r < qMin(loaded, maxListed); ++r)
                    html += QStringLiteral("<li>%1</li>")
                                .arg(esc(cut(m_model->index(r, 0, m_index).data().toString())));
                html += QStringLiteral("</ul>");
            }
        } else if (item.childCount >= 0) {
            html += QStringLiteral("<p>%1</p>")
                        .arg(esc(
                            item.childCount == 1
                                ? tr("1 item (expand it to list it).")
                                : tr("%1 items (expand it to list them).").arg(item.childCount)));
        } else {
            html += QStringLiteral("<p><i>%1</i></p>")
                        .arg(esc(tr("Not listed yet: expand it to list what it holds.")));
        }
    }
    return html;
}

void DetailsPane::render()
{
    const bool valid = m_index.isValid();
    m_heading->setText(valid ? m_index.data(Qt::DisplayRole).toString() : tr("Details"));
    QString html = summaryHtml();
    // An action's answer last (it is scrolled to).
    for (Section section : { Section::Service, Section::Action }) {
        if (m_sections.contains(section))
            html += m_sections.value(section);
    }
    // A late section or a changed row keeps the reader's place.
    QScrollBar *bar = m_browser->verticalScrollBar();
    const int position = bar->value();
    m_browser->setHtml(html);
    bar->setValue(position);
}
