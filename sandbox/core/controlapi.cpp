#include "controlapi.h"

#include "sandboxserver.h"

#include <QJsonArray>

namespace {

SandboxReply error(int status, const QString &message)
{
    return SandboxReply::json(status, { { QStringLiteral("error"), message } });
}

SandboxReply ok(QJsonObject object = {})
{
    object.insert(QStringLiteral("ok"), true);
    return SandboxReply::json(200, object);
}

QJsonArray routeIndex()
{
    return {
        QStringLiteral("GET /state — counts, deletions, request counts per route, faults, limits"),
        QStringLiteral("GET /state/{service} — every item of one service, deleted ones included"),
        QStringLiteral("GET /requests?service= — the most recent requests (path, route, status)"),
        QStringLiteral("GET /faults — active fault rules"),
        QStringLiteral("POST /faults {service, route, mode, status|latencyMs|location, count} — "
                       "add a rule"),
        QStringLiteral("DELETE /faults — remove every rule; DELETE /faults/{id} — one rule"),
        QStringLiteral("POST /rate-limit {service, perMinute, retryAfter} — 0 lifts the limit"),
        QStringLiteral("POST /expire-tokens {service?} — expire every access token issued"),
        QStringLiteral("POST /reset — fresh data, start-up faults and limits, empty history"),
    };
}

} // namespace

ControlApi::ControlApi(SandboxServer *server)
    : m_server(server)
{
    auto route
        = [this](const char *method, const char *pattern, const char *name, RouteHandler handler) {
              m_routes.append({ method, QString::fromLatin1(pattern), QString::fromLatin1(name),
                                std::move(handler) });
          };

    route("GET", "/", "index", [](const SandboxRequest &, const RouteParams &) {
        return SandboxReply::json(200, QJsonObject { { QStringLiteral("routes"), routeIndex() } });
    });
    route("GET", "/state", "state", [this](const SandboxRequest &, const RouteParams &) {
        return SandboxReply::json(200, m_server->stateSummary());
    });
    route("GET", "/state/{service}", "state.service",
          [this](const SandboxRequest &, const RouteParams &params) {
              SandboxService *service = m_server->service(params.value(QStringLiteral("service")));
              if (!service)
                  return error(404, QStringLiteral("no such service"));
              return SandboxReply::json(200, service->detail());
          });
    route("GET", "/requests", "requests",
          [this](const SandboxRequest &request, const RouteParams &) {
              return SandboxReply::json(
                  200,
                  m_server->journal().entriesJson(request.queryValue(QStringLiteral("service"))));
          });
    route("GET", "/faults", "faults", [this](const SandboxRequest &, const RouteParams &) {
        return SandboxReply::json(200, m_server->faults().toJson());
    });
    route("POST", "/faults", "faults.add",
          [this](const SandboxRequest &request, const RouteParams &) {
              bool isObject = false;
              const QJsonObject body = request.jsonBody(&isObject);
              if (!isObject)
                  return error(400, QStringLiteral("the body must be a JSON object"));
              QString problem;
              const auto rule = FaultRule::fromJson(body, &problem);
              if (!rule)
                  return error(400, problem);
              return ok({ { QStringLiteral("id"), m_server->faults().add(*rule) } });
          });
    route("DELETE", "/faults", "faults.clear", [this](const SandboxRequest &, const RouteParams &) {
        m_server->faults().clear();
        return ok();
    });
    route("DELETE", "/faults/{id}", "faults.remove",
          [this](const SandboxRequest &, const RouteParams &params) {
              if (!m_server->faults().remove(params.value(QStringLiteral("id")).toInt()))
                  return error(404, QStringLiteral("no such fault rule"));
              return ok();
          });
    route("POST", "/rate-limit", "rate-limit",
          [this](const SandboxRequest &request, const RouteParams &) {
              bool isObject = false;
              const QJsonObject body = request.jsonBody(&isObject);
              const QString id = body.value(QStringLiteral("service")).toString();
              if (!isObject || !m_server->service(id))
                  return error(400, QStringLiteral("expected {\"service\": id, \"perMinute\": n}"));
              const int perMinute = body.value(QStringLiteral("perMinute")).toInt(-1);
              if (perMinute < 0)
                  return error(400, QStringLiteral("perMinute must be 0 (no limit) or more"));
              m_server->rateLimiter().setPolicy(
                  id, { perMinute, body.value(QStringLiteral("retryAfter")).toBool() });
              return ok();
          });
    route("POST", "/expire-tokens", "expire-tokens",
          [this](const SandboxRequest &request, const RouteParams &) {
              bool isObject = false;
              const QJsonObject body = request.jsonBody(&isObject);
              const QString id = body.value(QStringLiteral("service")).toString();
              if (!id.isEmpty() && !m_server->service(id))
                  return error(400, QStringLiteral("unknown service"));
              m_server->expireTokens(id);
              return ok();
          });
    route("POST", "/reset", "reset", [this](const SandboxRequest &, const RouteParams &) {
        m_server->reset();
        return ok();
    });
}

SandboxReply ControlApi::handle(const SandboxRequest &request)
{
    // Every port binds to 127.0.0.1, so this only fails behind a forwarding proxy: refuse anyway.
    if (!request.peer.isLoopback())
        return error(403, QStringLiteral("the control API answers loopback clients only"));
    bool pathKnown = false;
    for (const Route &route : std::as_const(m_routes)) {
        if (auto params = route.match(request.method, request.segments))
            return route.handler(request, *params);
        pathKnown = pathKnown || route.matchesPath(request.segments);
    }
    return pathKnown ? error(405, QStringLiteral("method not allowed"))
                     : error(404, QStringLiteral("no such control endpoint; GET / lists them"));
}
