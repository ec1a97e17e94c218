#pragma once

#include "route.h"

class SandboxServer;

// The sandbox's own loopback-only API for tests and scripts: read the state and request log, and
// change faults, rate limits and tokens at run time. It never pretends to be a vendor API.
class ControlApi
{
public:
    explicit ControlApi(SandboxServer *server);
    SandboxReply handle(const SandboxRequest &request);

private:
    QList<Route> m_routes;
    SandboxServer *m_server;
};
