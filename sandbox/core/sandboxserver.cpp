#include "sandboxserver.h"

#include "controlapi.h"
#include "gateway.h"
#include "services/care360/care360service.h"
#include "services/documentpro/documentproservice.h"
#include "services/invox/invoxservice.h"
#include "services/scriptix/scriptixservice.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTimer>
#include <QUuid>

namespace {

// The client's X-Request-ID when it sent a sane one (so both sides log the same id), else a new
// one.
QByteArray requestIdFor(const SandboxRequest &request)
{
    const QByteArray sent = request.header("x-request-id");
    const bool sane = !sent.isEmpty() && sent.size() <= 128
        && std::all_of(sent.cbegin(), sent.cend(), [](char c) { return c > 0x20 && c < 0x7f; });
    return sane ? sent : QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

// Not JSON, whatever the client expected: the first part of the real answer and then garbage.
QByteArray malformedBody(const QByteArray &body)
{
    return body.left(body.size() / 2) + "\x01<html>unexpected</html>{\"";
}

QString pathWithQuery(const SandboxRequest &request)
{
    const QString query = request.query.toString(QUrl::FullyEncoded);
    return query.isEmpty() ? request.encodedPath : request.encodedPath + u'?' + query;
}

// The answer a fault gives in place of the service's, for the modes that skip handling (so nothing
// changes); nullopt for the modes that handle the request or give no answer at all.
std::optional<SandboxReply> replacementReply(const FaultRule &fault, const SandboxService &service,
                                             const SandboxRequest &request, const QUrl &listening)
{
    switch (fault.mode) {
    case FaultRule::Mode::Status: {
        SandboxReply reply = service.errorReply(
            fault.status, QStringLiteral("injected_fault"),
            QStringLiteral("Injected fault: HTTP %1 from the sandbox").arg(fault.status));
        if (fault.retryAfterSeconds >= 0)
            reply.withHeader("Retry-After", QByteArray::number(fault.retryAfterSeconds));
        return reply;
    }
    case FaultRule::Mode::Redirect:
        return gatewayRedirect(fault.status, gatewayLocation(fault.location, request, listening));
    case FaultRule::Mode::Html404:
        return gatewayNotFound();
    default:
        return std::nullopt;
    }
}

} // namespace

SandboxServer::SandboxServer(QObject *parent)
    : QObject(parent)
{
    std::vector<std::unique_ptr<SandboxService>> services;
    services.push_back(std::make_unique<InvoxService>());
    services.push_back(std::make_unique<Care360Service>());
    services.push_back(std::make_unique<DocumentProService>());
    services.push_back(std::make_unique<ScriptixService>());
    for (auto &service : services) {
        ServiceSlot slot;
        slot.service = std::move(service);
        slot.routes = slot.service->routes();
        m_slots.push_back(std::move(slot));
    }
    m_control = std::make_unique<ControlApi>(this);
}

SandboxServer::~SandboxServer() = default;

RateLimiter::Policy SandboxServer::defaultRateLimit(const QString &serviceId)
{
    // Scriptix documents 60 requests/min per token and no Retry-After; the others document none.
    if (serviceId == QLatin1String("scriptix"))
        return { 60, false };
    return {};
}

bool SandboxServer::start(const Options &options, QString *error)
{
    m_options = options;
    for (ServiceSlot &slot : m_slots)
        slot.service->populate(options.data);
    applyStartPolicies();

    quint16 offset = 0;
    for (ServiceSlot &slot : m_slots) {
        ServiceSlot *slotPointer = &slot;
        slot.endpoint = new HttpEndpoint(
            [this, slotPointer](const SandboxRequest &request,
                                std::shared_ptr<PendingResponse> response) {
                handle(*slotPointer, request, std::move(response));
            },
            this);
        const quint16 wanted = options.basePort ? quint16(options.basePort + offset) : 0;
        const quint16 port = slot.endpoint->listenOnLoopback(wanted);
        if (!port) {
            *error = QStringLiteral("cannot listen on 127.0.0.1:%1 for %2")
                         .arg(wanted)
                         .arg(slot.service->displayName());
            return false;
        }
        QUrl root(QStringLiteral("http://127.0.0.1"));
        root.setPort(port);
        slot.service->setPublicBaseUrl(root);
        slot.baseUrl = root;
        slot.baseUrl.setPath(slot.service->basePath());
        ++offset;
    }

    m_controlEndpoint = new HttpEndpoint(
        [this](const SandboxRequest &request, std::shared_ptr<PendingResponse> response) {
            response->send(m_control->handle(request));
        },
        this);
    const quint16 wanted = options.basePort ? quint16(options.basePort + offset) : 0;
    const quint16 controlPort = m_controlEndpoint->listenOnLoopback(wanted);
    if (!controlPort) {
        *error = QStringLiteral("cannot listen on 127.0.0.1:%1 for the control API").arg(wanted);
        return false;
    }
    m_controlUrl = QUrl(QStringLiteral("http://127.0.0.1"));
    m_controlUrl.setPort(controlPort);
    return true;
}

void SandboxServer::applyStartPolicies()
{
    m_faults.clear();
    for (const FaultRule &rule : m_options.startFaults)
        m_faults.add(rule);
    for (const ServiceSlot &slot : m_slots) {
        const QString id = slot.service->id();
        m_rateLimiter.setPolicy(id, m_options.rateLimits.value(id, defaultRateLimit(id)));
    }
    m_rateLimiter.forgetHistory();
}

void SandboxServer::handle(ServiceSlot &slot, const SandboxRequest &request,
                           std::shared_ptr<PendingResponse> response)
{
    SandboxService &service = *slot.service;
    RequestJournal::Entry entry {
        service.id(), request.method,       pathWithQuery(request), QStringLiteral("unknown"), {},
        {},           requestIdFor(request)
    };

    // Find the route: the path must start with the service's base path.
    const QStringList base = service.basePath().split(u'/', Qt::SkipEmptyParts);
    const Route *route = nullptr;
    RouteParams params;
    bool pathKnown = false;
    const bool gatewayLogin = isGatewayLogin(request);
    if (gatewayLogin) {
        entry.route = gatewayLoginRoute();
    } else if (request.segments.mid(0, base.size()) == base) {
        const QStringList relative = request.segments.mid(base.size());
        for (const Route &candidate : std::as_const(slot.routes)) {
            if (auto match = candidate.match(request.method, relative)) {
                route = &candidate;
                params = *match;
                break;
            }
            pathKnown = pathKnown || candidate.matchesPath(relative);
        }
    }
    if (route)
        entry.route = route->name;
    m_journal.count(service.id(), entry.route);

    auto finish = [&](SandboxReply reply) {
        reply.withHeader("X-Request-ID", entry.requestId);
        entry.outcome = QString::number(reply.status);
        return reply;
    };

    // The gateway answers its sign-in page itself: no vendor rate limit, and no fault either, or
    // a "*" redirect rule would send /login to itself forever.
    if (gatewayLogin) {
        const SandboxReply reply = finish(gatewayLoginPage());
        m_journal.record(entry);
        response->send(reply);
        return;
    }

    const RateLimiter::Decision limit
        = m_rateLimiter.check(service.id(), service.rateLimitKey(request));
    if (!limit.allowed) {
        SandboxReply reply = finish(service.rateLimitedReply());
        if (m_rateLimiter.policy(service.id()).sendRetryAfter)
            reply.withHeader("Retry-After", QByteArray::number(limit.retryAfterSeconds));
        entry.fault = QStringLiteral("rate-limited");
        m_journal.record(entry);
        response->send(reply);
        return;
    }

    const std::optional<FaultRule> fault = m_faults.take(service.id(), entry.route);
    if (fault)
        entry.fault = FaultRule::modeName(fault->mode);
    if (fault) {
        if (auto replacement = replacementReply(*fault, service, request, slot.baseUrl)) {
            const SandboxReply reply = finish(std::move(*replacement));
            m_journal.record(entry);
            response->send(reply);
            return;
        }
    }
    if (fault && fault->mode == FaultRule::Mode::Hang) {
        entry.outcome = QStringLiteral("hang");
        m_journal.record(entry);
        m_hanging.removeIf([](const auto &pending) { return !pending->isConnected(); });
        m_hanging.append(std::move(response));
        return;
    }
    if (fault && fault->mode == FaultRule::Mode::Reset) {
        entry.outcome = QStringLiteral("reset");
        m_journal.record(entry);
        response->resetConnection();
        return;
    }

    SandboxReply reply;
    if (route) {
        reply = route->handler(request, params);
    } else if (pathKnown) {
        reply = service.errorReply(405, QStringLiteral("method_not_allowed"),
                                   QStringLiteral("Method not allowed"));
    } else {
        reply = service.errorReply(404, QStringLiteral("not_found"),
                                   QStringLiteral("No such endpoint"));
    }
    reply = finish(std::move(reply));
    m_journal.record(entry);

    if (!fault) {
        response->send(reply);
        return;
    }
    switch (fault->mode) {
    case FaultRule::Mode::Latency:
        QTimer::singleShot(fault->latencyMs, this, [response, reply] { response->send(reply); });
        break;
    case FaultRule::Mode::Malformed:
        reply.body = malformedBody(reply.body);
        if (reply.status == 204)
            reply.status = 200; // a 204 cannot carry the broken body
        reply.contentType = "application/json";
        response->send(reply);
        break;
    case FaultRule::Mode::Truncated:
        if (reply.body.isEmpty()) {
            reply.status = reply.status == 204 ? 200 : reply.status;
            reply.body = "{\"message\":\"this body never arrives whole\"}";
        }
        response->sendTruncated(reply);
        break;
    default:
        response->send(reply);
        break;
    }
}

void SandboxServer::reset()
{
    m_hanging.clear();
    for (ServiceSlot &slot : m_slots)
        slot.service->populate(m_options.data);
    applyStartPolicies();
    m_journal.clear();
}

void SandboxServer::expireTokens(const QString &serviceId)
{
    for (ServiceSlot &slot : m_slots) {
        if (serviceId.isEmpty() || slot.service->id() == serviceId)
            slot.service->expireTokens();
    }
}

SandboxService *SandboxServer::service(const QString &id) const
{
    for (const ServiceSlot &slot : m_slots) {
        if (slot.service->id() == id)
            return slot.service.get();
    }
    return nullptr;
}

QList<SandboxService *> SandboxServer::services() const
{
    QList<SandboxService *> result;
    for (const ServiceSlot &slot : m_slots)
        result.append(slot.service.get());
    return result;
}

QJsonObject SandboxServer::addresses() const
{
    QJsonObject services;
    for (const ServiceSlot &slot : m_slots) {
        services.insert(
            slot.service->id(),
            QJsonObject { { QStringLiteral("name"), slot.service->displayName() },
                          { QStringLiteral("baseUrl"), slot.baseUrl.toString() },
                          { QStringLiteral("credentials"), slot.service->credentials() } });
    }
    return { { QStringLiteral("services"), services },
             { QStringLiteral("control"), m_controlUrl.toString() },
             { QStringLiteral("pid"), QCoreApplication::applicationPid() },
             { QStringLiteral("seed"), qint64(m_options.data.seed) },
             { QStringLiteral("scale"), m_options.data.scale } };
}

QJsonObject SandboxServer::stateSummary() const
{
    QJsonObject services;
    for (const ServiceSlot &slot : m_slots)
        services.insert(slot.service->id(), slot.service->summary());
    return { { QStringLiteral("services"), services },
             { QStringLiteral("requests"), m_journal.countsJson() },
             { QStringLiteral("faults"), m_faults.toJson().value(QStringLiteral("faults")) },
             { QStringLiteral("rateLimits"), m_rateLimiter.toJson() },
             { QStringLiteral("seed"), qint64(m_options.data.seed) },
             { QStringLiteral("scale"), m_options.data.scale } };
}
