#pragma once

#include "sandboxreply.h"
#include "sandboxrequest.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

// What a clinic's network front (a sign-in gateway or reverse proxy in front of the vendors' APIs)
// answers by itself: the redirect and html404 faults, and the sign-in page at /login. None of it
// is in a vendor's shape, which is the point: a client must not mistake it for the vendor's answer.

// The route name /login is counted and logged under.
QString gatewayLoginRoute();
// /login on a service's port, with any method: Qt follows a 307 or 308 (and a 301 or 302 of
// anything but a POST) with the original method, so a followed DELETE arrives as a DELETE.
bool isGatewayLogin(const SandboxRequest &request);
SandboxReply gatewayLoginPage();
// `status` with `Location: location` and the small HTML page nginx sends with it.
SandboxReply gatewayRedirect(int status, const QByteArray &location);
// 404 with nginx's own HTML page, as for a path the proxy does not route.
SandboxReply gatewayNotFound();
// An absolute location as is; a relative one resolved against the URL the request was sent to:
// the host and port of its Host header (so a client that said "localhost" is sent back to
// "localhost"), or `listening` when the header is missing or unusable.
QByteArray gatewayLocation(const QString &location, const SandboxRequest &request,
                           const QUrl &listening);
