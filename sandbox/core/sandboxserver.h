#pragma once

#include "faultrule.h"
#include "httpendpoint.h"
#include "ratelimiter.h"
#include "requestjournal.h"
#include "service.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

#include <memory>
#include <vector>

class ControlApi;

// Owns the four services and their endpoints, and everything that sits in front of a service:
// the per-token rate limiter, injected faults, and the journal of what arrived.
class SandboxServer : public QObject
{
public:
    struct Options
    {
        DataSpec data;
        quint16 basePort = 0; // 0: every port ephemeral; else services on base..base+3, control +4
        QList<FaultRule> startFaults;
        QHash<QString, RateLimiter::Policy> rateLimits; // overrides of the defaults
    };

    explicit SandboxServer(QObject *parent = nullptr);
    ~SandboxServer() override;

    // Generates the data and starts listening. False (with *error) when a port is taken.
    bool start(const Options &options, QString *error);

    // {"services": {id: {"name","baseUrl","credentials"}}, "control": url, "pid", "seed", "scale"}
    QJsonObject addresses() const;

    // For the control API.
    SandboxService *service(const QString &id) const;
    QList<SandboxService *> services() const;
    FaultTable &faults() { return m_faults; }
    RateLimiter &rateLimiter() { return m_rateLimiter; }
    RequestJournal &journal() { return m_journal; }
    // Back to the state right after start: fresh data, the start-up faults and limits, no history.
    void reset();
    void expireTokens(const QString &serviceId);
    QJsonObject stateSummary() const;

    static RateLimiter::Policy defaultRateLimit(const QString &serviceId);

private:
    struct ServiceSlot
    {
        std::unique_ptr<SandboxService> service;
        QList<Route> routes;
        HttpEndpoint *endpoint = nullptr;
        QUrl baseUrl;
    };

    void handle(ServiceSlot &slot, const SandboxRequest &request,
                std::shared_ptr<PendingResponse> response);
    void applyStartPolicies();

    std::vector<ServiceSlot> m_slots;
    std::unique_ptr<ControlApi> m_control;
    HttpEndpoint *m_controlEndpoint = nullptr;
    QUrl m_controlUrl;
    Options m_options;
    FaultTable m_faults;
    RateLimiter m_rateLimiter;
    RequestJournal m_journal;
    QList<std::shared_ptr<PendingResponse>> m_hanging; // kept so hung requests stay open
};
