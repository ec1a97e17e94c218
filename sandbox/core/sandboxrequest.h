#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

// A copy of one HTTP request, independent of the Qt HttpServer version that received it.
struct SandboxRequest
{
    QByteArray method; // "GET", "DELETE", ... upper case
    QString encodedPath; // exactly as sent, percent-encoding kept ("/a/b%2Fc")
    QStringList segments; // the path split on '/', each segment percent-decoded
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    QHostAddress peer;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    bool hasHeader(const QByteArray &name) const { return headers.contains(name.toLower()); }
    // A query item, fully decoded; empty when absent.
    QString queryValue(const QString &name) const;
    bool hasQueryItem(const QString &name) const { return query.hasQueryItem(name); }
    // The body as a JSON object; *ok is false when it is not one.
    QJsonObject jsonBody(bool *ok) const;
    // "Bearer xyz" -> "xyz"; empty when the header is missing or of another scheme.
    QByteArray bearerToken() const;
    // Content-Type without parameters, lower-cased ("application/json").
    QByteArray mimeType() const;
};

// Values taken from the "{name}" placeholders of a route pattern, percent-decoded.
using RouteParams = QHash<QString, QString>;
