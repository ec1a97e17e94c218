#pragma once

#include "route.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

// What to generate. scale == 0 is the small default set; otherwise roughly `scale` items in the
// biggest container of each service (see each service's populate()).
struct DataSpec
{
    quint32 seed = 1;
    int scale = 0;
};

// One of the four fake services. Each lives behind its own port; the endpoint in front of it
// handles routing, rate limiting, fault injection and request counting, so a service only knows its
// own API: authentication, validation, data and error shapes.
class SandboxService
{
public:
    SandboxService(const QString &id, const QString &displayName, const QString &basePath = {})
        : m_id(id)
        , m_displayName(displayName)
        , m_basePath(basePath)
    { }
    virtual ~SandboxService() = default;

    // "invox", "care360", "documentpro", "scriptix": used in URLs of the control endpoint, fault
    // rules and the addresses file.
    QString id() const { return m_id; }
    QString displayName() const { return m_displayName; }
    // Path under the port where the API lives ("/api/v3" for Scriptix, "" for the others), so the
    // base URL a client is given is exactly the vendor's base URL with the host replaced.
    QString basePath() const { return m_basePath; }

    virtual QList<Route> routes() = 0;

    // The body this vendor sends for an error, used for injected status faults and unknown routes.
    virtual SandboxReply errorReply(int status, const QString &code,
                                    const QString &message) const = 0;

    // The credential that identifies the caller for per-token rate limiting: a token or API key
    // exactly as presented; empty when the request carries none (then it is not limited).
    virtual QByteArray rateLimitKey(const SandboxRequest &request) const = 0;
    virtual SandboxReply rateLimitedReply() const
    {
        return errorReply(429, QStringLiteral("rate_limit_exceeded"),
                          QStringLiteral("Too many requests"));
    }

    // (Re)generates all data deterministically from spec. Called once before serving, and by
    // the control endpoint's reset.
    virtual void populate(const DataSpec &spec) = 0;

    // Told once the port is known, for URLs the service hands out (signed upload URLs, downloads).
    void setPublicBaseUrl(const QUrl &url) { m_publicBaseUrl = url; }
    QUrl publicBaseUrl() const { return m_publicBaseUrl; }
    // publicBaseUrl() followed by `encodedPath` ("/downloads/abc", already percent-encoded, query
    // included): the form every link a service hands out takes.
    QString publicUrl(const QString &encodedPath) const
    {
        QString base = m_publicBaseUrl.toString(QUrl::FullyEncoded);
        while (base.endsWith(u'/'))
            base.chop(1);
        return base + encodedPath;
    }

    // Fixed demo credentials (and any other fixtures a client or a test needs to know), printed at
    // start and written to the addresses file.
    virtual QJsonObject credentials() const = 0;
    // Counts of what exists and lists of what was deleted (cheap, always small).
    virtual QJsonObject summary() const = 0;
    // Every item with its state, deleted ones included (can be large under --scale).
    virtual QJsonObject detail() const = 0;
    // Makes every access token issued so far expired (for tests of renewal). No-op where tokens
    // do not expire.
    virtual void expireTokens() { }

private:
    const QString m_id;
    const QString m_displayName;
    const QString m_basePath;
    QUrl m_publicBaseUrl;
};
