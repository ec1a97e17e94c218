#include "detailspane.h"

#include "connector.h"
#include "connectors/care360/care360connector.h"
#include "connectors/connectorsupport.h"
#include "connectors/documentpro/documentproconnector.h"
#include "connectors/scriptix/scriptixconnector.h"
#include "documenttreemodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonValue>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <limits>

using namespace Docket;

namespace {

// How many transcript segments and comments the pane shows at most.
constexpr int maxSegments = 50;
constexpr int maxListed = 50;
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

// A date a service sent (ISO 8601 text, or a date a connector already read) as the Created row
// says dates; anything that is not a readable date is shown as it came.
QString serviceDateHtml(const QVariant &value)
{
    QDateTime date;
    if (value.typeId() == QMetaType::QDateTime)
        date = value.toDateTime();
    else if (value.typeId() == QMetaType::QString)
        date = parseServiceDate(QJsonValue(value.toString()));
    return date.isValid() ? dateHtml(date) : valueHtml(value);
}

} // namespace

DetailsPane::DetailsPane(DocumentTreeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_browser(new QTextBrowser(this))
    , m_heading(new QLabel(this))
    , m_linkButton(new QPushButton(tr("Get download &link"), this))
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

    m_linkButton->setObjectName(QStringLiteral("downloadLinkButton"));
    m_linkButton->setAccessibleName(tr("Get download link"));
    m_linkButton->setToolTip(tr("Ask Care360 for a short-lived link to this file"));
    m_linkButton->setVisible(false);
    connect(m_linkButton, &QPushButton::clicked, this, &DetailsPane::fetchDownloadLink);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_linkButton);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_heading);
    layout->addWidget(m_browser, 1);
    layout->addLayout(buttons);

    m_settle->setObjectName(QStringLiteral("detailsSettleTimer"));
    m_settle->setSingleShot(true);
    m_settle->setInterval(settleDelayMs);
    connect(m_settle, &QTimer::timeout, this, &DetailsPane::fetchDetails);

    m_linkExpiry->setSingleShot(true);
    connect(m_linkExpiry, &QTimer::timeout, this, [this] {
        setSection(Section::Link,
                   QStringLiteral("<p><i>%1</i></p>")
                       .arg(esc(tr("The download link has expired. Get a new one if you still "
                                   "need it."))));
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
    const NodeKind kind = m_item.ref.kind;
    m_linkButton->setVisible(first.isValid() && kind == NodeKind::Care360File);
    m_linkButton->setEnabled(true);

    if (first.isValid()) {
        switch (kind) {
        case NodeKind::ScriptixDocument:
        case NodeKind::DocumentProResult:
        case NodeKind::Care360File:
        case NodeKind::InvoxDocument:
            setSection(Section::Service,
                       QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("Loading…"))));
            m_settle->start();
            break;
        default:
            break;
        }
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

void DetailsPane::fetchDetails()
{
    if (!m_index.isValid())
        return;
    Connector *connector = m_model->connectorFor(m_index);
    if (!connector)
        return;
    const NodeRef ref = m_item.ref;

    switch (ref.kind) {
    case NodeKind::ScriptixDocument: {
        auto *scriptix = qobject_cast<ScriptixConnector *>(connector);
        if (!scriptix)
            break;
        watch(scriptix->fetchDocument(ref), Section::Service, [](ConnectorJob *job) -> QString {
            if (job->failed())
                return errorHtml(tr("Could not load the transcript:"), job->error());
            const QVariantList segments
                = static_cast<SimpleJob *>(job)->data().value(QStringLiteral("segments")).toList();
            const QVariantMap data = static_cast<SimpleJob *>(job)->data();
            QString facts;
            if (data.contains(QStringLiteral("filename")))
                facts += row(tr("File name"), valueHtml(data.value(QStringLiteral("filename"))));
            if (data.contains(QStringLiteral("type")))
                facts += row(tr("Type"), valueHtml(data.value(QStringLiteral("type"))));
            if (data.contains(QStringLiteral("created")))
                facts += row(tr("Created"), valueHtml(data.value(QStringLiteral("created"))));
            if (data.contains(QStringLiteral("last_modified")))
                facts += row(tr("Last modified"),
                             valueHtml(data.value(QStringLiteral("last_modified"))));
            QString html = heading(tr("Transcript"));
            if (!facts.isEmpty())
                html += table(facts);
            if (segments.isEmpty())
                return html + QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("No segments.")));
            QString rows = QStringLiteral("<tr><th align=\"left\">%1</th><th align=\"left\">%2"
                                          "</th><th align=\"left\">%3</th></tr>")
                               .arg(esc(tr("Speaker")), esc(tr("Start")), esc(tr("Text")));
            for (int i = 0; i < qMin(int(segments.size()), maxSegments); ++i) {
                const QVariantMap segment = segments.at(i).toMap();
                rows += QStringLiteral("<tr><td valign=\"top\">%1</td><td valign=\"top\">%2</td>"
                                       "<td>%3</td></tr>")
                            .arg(esc(cut(segment.value(QStringLiteral("speaker")).toString())),
                                 esc(timeOffset(segment.value(QStringLiteral("start")).toDouble())),
                                 esc(cut(segment.value(QStringLiteral("text")).toString())));
            }
            html += table(rows);
            if (segments.size() > maxSegments)
                html += QStringLiteral("<p><i>%1</i></p>")
                            .arg(esc(tr("Showing the first %1 of %2 segments.")
                                         .arg(maxSegments)
                                         .arg(segments.size())));
            return html;
        });
        setSection(Section::Children,
                   QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("Loading comments…"))));
        watch(connector->list(ref, PageRequest { QVariant(), maxListed }), Section::Children,
              [](ConnectorJob *job) -> QString {
                  if (job->failed())
                      return errorHtml(tr("Could not list the comments:"), job->error());
                  const ListPage &page = static_cast<ListJob *>(job)->page();
                  const int total = page.total >= 0 ? page.total : int(page.items.size());
                  QString html = heading(tr("Comments (%1)").arg(total));
                  if (page.items.isEmpty())
                      return html + QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("No comments.")));
                  html += QStringLiteral("<ul>");
                  for (const RemoteItem &comment : page.items)
                      html += QStringLiteral("<li>%1</li>").arg(esc(cut(comment.name)));
                  html += QStringLiteral("</ul>");
                  return html;
              });
        break;
    }
    case NodeKind::DocumentProResult: {
        auto *documentPro = qobject_cast<DocumentProConnector *>(connector);
        if (!documentPro)
            break;
        watch(documentPro->fetchResult(ref), Section::Service, [](ConnectorJob *job) -> QString {
            if (job->failed())
                return errorHtml(tr("Could not load the parser result:"), job->error());
            const QVariantMap data = static_cast<SimpleJob *>(job)->data();
            const auto field = [&data](const char *name) {
                return valueHtml(data.value(QString::fromLatin1(name)));
            };
            QString rows;
            rows += row(tr("Request status"), field("request_status"));
            rows += row(tr("Template"), field("template_title"));
            rows += row(tr("Pages"), field("num_pages"));
            rows += row(tr("Human verification"), field("human_verification_status"));
            rows += row(tr("Missing required fields"), field("has_missing_required_fields"));
            rows += row(tr("Error message"), field("user_error_msg"));
            rows += row(tr("Updated"), serviceDateHtml(data.value(QStringLiteral("updated_at"))));
            QString html = heading(tr("Parser result")) + table(rows);
            const QVariantMap fields = data.value(QStringLiteral("result_json_data")).toMap();
            html += heading(tr("Extracted fields (%1)").arg(fields.size()));
            if (fields.isEmpty()) {
                html += QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("No extracted fields.")));
            } else {
                QString fieldRows;
                int shown = 0;
                for (auto it = fields.cbegin(); it != fields.cend() && shown < maxListed;
                     ++it, ++shown)
                    fieldRows += row(it.key(), valueHtml(it.value()));
                html += table(fieldRows);
            }
            return html;
        });
        break;
    }
    case NodeKind::Care360File: {
        auto *care360 = qobject_cast<Care360Connector *>(connector);
        if (!care360)
            break;
        watch(care360->fetchMetadata(ref), Section::Service, [](ConnectorJob *job) -> QString {
            if (job->failed())
                return errorHtml(tr("Could not load the file's metadata:"), job->error());
            const QVariantMap data = static_cast<SimpleJob *>(job)->data();
            const auto field = [&data](const char *name) {
                return valueHtml(data.value(QString::fromLatin1(name)));
            };
            QString rows;
            rows += row(tr("File name"), field("fileName"));
            rows += row(tr("Protected health information"), field("isPHI"));
            rows += row(tr("Restricted"), field("isRestricted"));
            rows += row(tr("Uploaded by"), field("uploadedByName"));
            rows += row(tr("Case"), field("caseId"));
            rows += row(tr("Type"), field("mimeType"));
            const qint64 size = data.value(QStringLiteral("size"), -1).toLongLong();
            rows += row(tr("Size"),
                        size >= 0 ? esc(DocumentTreeModel::measureText(Measure::Bytes, size))
                                  : field("size"));
            rows += row(tr("Uploaded"), serviceDateHtml(data.value(QStringLiteral("createdAt"))));
            return heading(tr("File metadata")) + table(rows);
        });
        break;
    }
    case NodeKind::InvoxDocument: {
        // Invox has no document details call: what Docket knows is in its local index, which
        // the connector lists for the consultation (no network).
        NodeRef consultation { NodeKind::InvoxConsultation, ref.ids.mid(0, ref.ids.size() - 1) };
        const QString documentId = ref.id();
        watch(connector->list(consultation, PageRequest {}), Section::Service,
              [documentId](ConnectorJob *job) -> QString {
                  if (job->failed())
                      return errorHtml(tr("Could not read Docket's Invox index:"), job->error());
                  for (const RemoteItem &document : static_cast<ListJob *>(job)->page().items) {
                      if (document.ref.id() != documentId)
                          continue;
                      const QVariantMap &details = document.details;
                      const QString origin = details.value(QStringLiteral("origin")).toString();
                      QString added = origin == QLatin1String("upload")
                          ? tr("Uploaded through Docket")
                          : origin == QLatin1String("manual") ? tr("Added by hand (a known id)")
                                                              : origin;
                      QString rows;
                      rows
                          += row(tr("Consultation session"),
                                 valueHtml(details.value(QStringLiteral("consultationSessionId"))));
                      rows += row(tr("Type"),
                                  valueHtml(details.value(QStringLiteral("documentType"))));
                      rows += row(tr("Size"), measureHtml(document));
                      rows += row(tr("How it was added"), esc(added));
                      rows += row(tr("Added"),
                                  serviceDateHtml(details.value(QStringLiteral("addedAt"))));
                      return heading(tr("In Docket's Invox index")) + table(rows);
                  }
                  return QStringLiteral("<p><i>%1</i></p>")
                      .arg(esc(tr("This document is no longer in Docket's Invox index.")));
              });
        break;
    }
    default:
        break;
    }
}

void DetailsPane::fetchDownloadLink()
{
    if (!m_index.isValid() || m_item.ref.kind != NodeKind::Care360File)
        return;
    auto *care360 = qobject_cast<Care360Connector *>(m_model->connectorFor(m_index));
    if (!care360)
        return;
    m_linkExpiry->stop();
    m_linkButton->setEnabled(false);
    setSection(Section::Link,
               QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("Getting a download link…"))));
    const quint64 generation = m_generation;
    SimpleJob *job = care360->fetchDownloadLink(m_item.ref);
    m_jobs.append(job);
    connect(job, &ConnectorJob::finished, this, [this, generation](ConnectorJob *finished) {
        if (generation != m_generation)
            return;
        m_linkButton->setEnabled(true);
        if (finished->failed()) {
            setSection(Section::Link,
                       errorHtml(tr("Could not get a download link:"), finished->error()));
            return;
        }
        const QVariantMap data = static_cast<SimpleJob *>(finished)->data();
        const QString url = data.value(QStringLiteral("downloadUrl")).toString();
        const int expiresIn = data.value(QStringLiteral("expiresIn"), -1).toInt();
        QString expiry;
        if (expiresIn > 0) {
            const QDateTime at = QDateTime::currentDateTime().addSecs(expiresIn);
            // Spelt out for both forms, so the text reads right without a translation loaded.
            const QString within = expiresIn < 120 ? tr("%1 seconds").arg(expiresIn)
                                                   : tr("%1 minutes").arg(expiresIn / 60);
            expiry = tr("This link expires in %1, at %2. Docket does not keep it: get a new one "
                        "each time.")
                         .arg(within, QLocale().toString(at.time(), QLocale::ShortFormat));
            // QTimer counts in int milliseconds (24 days): a longer link is shown as expired
            // early rather than the product wrapping into a past time.
            m_linkExpiry->start(
                int(qMin(qint64(expiresIn) * 1000, qint64(std::numeric_limits<int>::max()))));
        } else {
            expiry = tr("This link expires soon. Docket does not keep it: get a new one each "
                        "time.");
        }
        setSection(Section::Link,
                   heading(tr("Download link"))
                       + QStringLiteral("<p><a href=\"%1\">%1</a></p><p>%2</p>")
                             .arg(esc(url), esc(expiry)));
    });
}

void DetailsPane::setSection(Section section, const QString &html)
{
    m_sections.insert(section, html);
    render();
    // The link goes last: bring it into view (and keep it there while the answer comes).
    if (section == Section::Link) {
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
    if (isContainer(item.ref.kind) && item.ref.kind != NodeKind::ScriptixDocument) {
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
    // Comments before a long transcript, the link last (it is scrolled to).
    for (Section section : { Section::Children, Section::Service, Section::Link }) {
        if (m_sections.contains(section))
            html += m_sections.value(section);
    }
    // A late section or a changed row keeps the reader's place.
    QScrollBar *bar = m_browser->verticalScrollBar();
    const int position = bar->value();
    m_browser->setHtml(html);
    bar->setValue(position);
}
