#pragma once

#include "sandboxreply.h"
#include "sandboxrequest.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <type_traits>

using RouteHandler = std::function<SandboxReply(const SandboxRequest &, const RouteParams &)>;

// One endpoint of a service: "DELETE /speech-to-text/session/{sid}" named "session.delete".
// The name is what request counters, the request log and fault rules refer to.
struct Route
{
    QByteArray method;
    QString pattern; // relative to the service's base path; "{x}" matches one whole segment
    QString name;
    RouteHandler handler;

    // A route served by a member function of `target`, taking the request and, when it wants them,
    // the params: bind("GET", "/files", "file.list", this, &Service::listFiles).
    template<typename Target, typename Handler>
    static Route bind(const QByteArray &method, const QString &pattern, const QString &name,
                      Target *target, Handler handler)
    {
        return { method, pattern, name,
                 [target, handler](const SandboxRequest &request, const RouteParams &params) {
                     if constexpr (std::is_invocable_v<Handler, Target *, const SandboxRequest &,
                                                       const RouteParams &>)
                         return std::invoke(handler, target, request, params);
                     else
                         return std::invoke(handler, target, request);
                 } };
    }

    // The params when `segments` (already relative to the base path) match this route.
    std::optional<RouteParams> match(const QByteArray &method, const QStringList &segments) const;
    // True when only the method differs (for a 405 rather than a 404).
    bool matchesPath(const QStringList &segments) const;
};
