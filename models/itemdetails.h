#pragma once

#include "connector.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Docket {

// What a service holds about one item, as typed sections a connector builds and the details pane
// renders without knowing the service: the connector knows which of its fields means what, the
// pane only how a date, a size or a table is shown.

// How a value is shown. Every format but Text shows an invalid value as missing.
enum class DetailFormat {
    Value, // a service-provided value: yes/no, a number, text, or compact JSON
    Text, // text as it is (cut when very long)
    Date, // a QDateTime, as the tree shows dates (see serviceDateFact())
    Bytes, // a size in bytes, as the tree's size column says it
    Pages, // a page count, as the tree says it
    Seconds, // a duration, as the tree says it
    Offset, // seconds into a recording, as m:ss
};

struct DetailFact
{
    QString label;
    QVariant value;
    DetailFormat format = DetailFormat::Value;
};

// A date the service sent (ISO 8601 text, or a date already read) as a Date fact; anything that
// is not a readable date is shown as it came (a Value fact).
DetailFact serviceDateFact(const QString &label, const QVariant &value);

// One measure fact as the tree's size column says it: bytes, pages or a duration, whichever the
// item has (an invalid value when it has none).
DetailFact measureFact(const QString &label, const RemoteItem &item);

struct DetailColumn
{
    QString label;
    DetailFormat format = DetailFormat::Text;
};

// Rows of values under column headings (a transcript's segments). The pane shows at most
// maxDetailRows rows and then `moreRowsNote`, with %1 the rows shown and %2 all of them.
struct DetailTable
{
    QList<DetailColumn> columns;
    QList<QVariantList> rows;
    QString moreRowsNote;
};

// How many rows, facts or list entries the pane shows of one section at most; a connector asks
// for no more list entries than this.
constexpr int maxDetailRows = 50;

struct DetailSection
{
    QString title; // a heading; may be empty
    QList<DetailFact> facts;
    std::optional<DetailTable> table;
    std::optional<QStringList> list; // names, one a line (a document's comments)
    QString note; // after the rest: "No comments."
    // A section that could not be loaded: the pane shows `errorLead` ("Could not load the
    // transcript:") and the error's sentence instead of the rest.
    ApiError error;
    QString errorLead;

    static DetailSection failed(const QString &errorLead, const ApiError &error)
    {
        DetailSection section;
        section.errorLead = errorLead;
        section.error = error;
        return section;
    }
};

// Something the user can ask for about an item beside its details (Care360's download link).
struct DetailAction
{
    // Names the action to runDetailAction() and the pane's button (objectName id + "Button").
    QString id;
    QString label; // with a mnemonic: "Get download &link"
    QString accessibleName;
    QString toolTip;
    QString progressText; // shown while it runs: "Getting a download link…"

    // The action that fetches a short-lived download link.
    static QString downloadLinkId() { return QStringLiteral("downloadLink"); }
};

// The details of one item (Connector::fetchDetails): sections in the order they are shown. A
// section that failed says so on its own; the job itself fails only when nothing could be asked.
class DetailsJob : public ConnectorJob
{
    Q_OBJECT

public:
    DetailsJob(const NodeRef &ref, QObject *owner)
        : ConnectorJob(owner)
        , m_ref(ref)
    { }
    const NodeRef &ref() const { return m_ref; }
    const QList<DetailSection> &sections() const { return m_sections; }
    void setSections(const QList<DetailSection> &sections) { m_sections = sections; }

    // Ends with the sections `read` makes of `request` once it has finished (a failed request is
    // a section that says so: read() decides); a failure of this job aborts `request`.
    template<typename Request, typename Read> void finishFrom(Request *request, Read read);

private:
    NodeRef m_ref;
    QList<DetailSection> m_sections;
};

// The answer to a detail action (Connector::runDetailAction): a section to show, and a link when
// the action fetched one.
class DetailActionJob : public ConnectorJob
{
    Q_OBJECT

public:
    using ConnectorJob::ConnectorJob;
    const DetailSection &section() const { return m_section; }
    void setSection(const DetailSection &section) { m_section = section; }
    // Exactly as the service sent it: a presigned URL must not be re-encoded. Empty: none.
    QString link() const { return m_link; }
    // How long the link works; -1 when the service did not say.
    int linkExpiresInSeconds() const { return m_linkExpiresIn; }
    void setLink(const QString &link, int expiresInSeconds)
    {
        m_link = link;
        m_linkExpiresIn = expiresInSeconds;
    }

private:
    DetailSection m_section;
    QString m_link;
    int m_linkExpiresIn = -1;
};

// For connectors: aborts `request`, a job that `details` waits for, when `details` is aborted (or
// otherwise ends in failure) first.
void abortWith(ConnectorJob *details, ConnectorJob *request);

template<typename Request, typename Read> void DetailsJob::finishFrom(Request *request, Read read)
{
    connect(request, &ConnectorJob::finished, this, [this, read](ConnectorJob *done) {
        setSections(read(static_cast<Request *>(done)));
        finish();
    });
    abortWith(this, request);
}

// A documented filter of a connector's listings (Care360's file type), for Connector::
// setListFilter().
struct ListFilter
{
    QString id; // "fileType"
    QStringList values; // what it takes: "phi", "general"
};

} // namespace Docket
