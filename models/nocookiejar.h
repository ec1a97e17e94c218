#pragma once

#include <QNetworkCookie>
#include <QNetworkCookieJar>

namespace Docket {

// A cookie jar that keeps nothing. One QNetworkAccessManager serves every account (NetworkClient),
// so Qt's own jar would send a cookie that one account's service set with another account's
// requests to the same host. None of the four services documents a cookie: they authenticate with
// keys and tokens in headers, so none is stored and none is sent.
class NoCookieJar : public QNetworkCookieJar
{
public:
    using QNetworkCookieJar::QNetworkCookieJar;

    QList<QNetworkCookie> cookiesForUrl(const QUrl &) const override { return {}; }
    bool setCookiesFromUrl(const QList<QNetworkCookie> &, const QUrl &) override { return false; }
};

} // namespace Docket
