#include "gateway.h"

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 404:
        return "Not Found";
    }
    return {};
}

// nginx's built-in page for `status`, on one line.
QByteArray nginxPage(int status)
{
    const QByteArray title = QByteArray::number(status) + ' ' + reasonPhrase(status);
    return "<html><head><title>" + title + "</title></head><body><center><h1>" + title
        + "</h1></center><hr><center>nginx</center></body></html>";
}

// The URL the client sent the request to, as far as the server can tell.
QUrl requestUrl(const SandboxRequest &request, const QUrl &listening)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setAuthority(QString::fromLatin1(request.header("host")), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty())
        url = listening;
    url.setPath(request.encodedPath);
    url.setQuery(request.query.query(QUrl::FullyEncoded));
    return url;
}

} // namespace

QString gatewayLoginRoute()
{
    return QStringLiteral("gateway.login");
}

bool isGatewayLogin(const SandboxRequest &request)
{
    return request.segments == QStringList { QStringLiteral("login") };
}

SandboxReply gatewayLoginPage()
{
    return SandboxReply::raw(
        200,
        "<html><head><title>Sign in - Clinic Network</title></head><body><h1>Sign in</h1>"
        "<form method=\"post\" action=\"/login\"><label>User <input name=\"username\"></label>"
        "<label>Password <input name=\"password\" type=\"password\"></label>"
        "<button type=\"submit\">Sign in</button></form></body></html>",
        "text/html");
}

SandboxReply gatewayRedirect(int status, const QByteArray &location)
{
    return SandboxReply::raw(status, nginxPage(status), "text/html")
        .withHeader("Location", location);
}

SandboxReply gatewayNotFound()
{
    return SandboxReply::raw(404, nginxPage(404), "text/html");
}

QByteArray gatewayLocation(const QString &location, const SandboxRequest &request,
                           const QUrl &listening)
{
    const QUrl target(location);
    if (!target.isRelative())
        return location.toLatin1();
    return requestUrl(request, listening).resolved(target).toEncoded();
}
