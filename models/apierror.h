#pragma once

#include "servicekind.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

namespace Docket {

// Every failure Docket can meet talking to a service, as one value: what kind of failure, the
// HTTP status and the service's own code and message where there were any, and a sentence a person
// can act on. Never holds a secret.
struct ApiError
{
    enum class Kind {
        None,
        Http, // the service answered with a non-2xx status
        Timeout, // no (complete) answer in time
        Connection, // refused, reset, closed, DNS, TLS
        Redirected, // answered with a 3xx that Docket does not follow (see NetworkClient)
        MalformedResponse, // a 2xx whose body is not what the API documents
        SignedOut, // the sign-in is gone (revoked refresh token, no credentials): sign in again
        InvalidInput, // refused before sending (bad id, bad URL, missing setting)
        Credentials, // the keychain failed
        Cancelled,
    };

    Kind kind = Kind::None;
    int httpStatus = 0;
    QString serviceCode; // "REFRESH_REUSED", "documentNotFound", "rate_limit_exceeded", ...
    QString serviceMessage; // the service's own words
    QString userMessage; // a sentence for a person
    QByteArray requestId; // our X-Request-ID, to match the service's logs
    QString technicalDetail; // Qt's error string, for logs
    QString redirectTarget; // Redirected: where the answer pointed (resolved, without a query)
    // False only when the request certainly never reached the service: the connection was
    // refused, the host or proxy not found, the TLS handshake failed, or Docket refused to send.
    // A reset, a timeout or an answer cut short leave it true: the request may have been handled.
    bool mayHaveArrived = true;

    bool isError() const { return kind != Kind::None; }
    // The sentence for a person, or the summary() when there is none.
    QString sentence() const { return userMessage.isEmpty() ? summary() : userMessage; }
    // "HTTP 404 documentNotFound: Document not found" — for logs and --json.
    QString summary() const;

    static ApiError fromHttp(int status, const QByteArray &body, const QByteArray &requestId);
    static ApiError fromNetwork(QNetworkReply::NetworkError error, const QString &errorString,
                                const QByteArray &requestId);
    static ApiError malformed(const QString &what, const QByteArray &requestId);
    // A 3xx to a request that must not follow it. `target` is the Location, resolved.
    static ApiError redirected(int status, const QUrl &target, const QByteArray &requestId);
    static ApiError make(Kind kind, const QString &userMessage);
};

// The code and message in any of the error body shapes the four vendors use (docs/services.md):
// {message}, {messsage, errorType}, {status, success, error, code}, {success, error, message},
// {error: text, error_description?, message?, detail?}, {error: {code, message, details}}.
struct ServiceErrorBody
{
    QString code;
    QString message;
};
ServiceErrorBody parseServiceErrorBody(const QByteArray &body);

} // namespace Docket
