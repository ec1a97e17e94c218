#pragma once

#include "servicekind.h"

#include <QString>
#include <QUrl>
#include <QVariantMap>

namespace Docket {

// One signed-in place: a service, a base URL and the non-secret settings needed to talk to it.
// Secrets (API keys, tokens) are never here: they live in a CredentialStore under secretKey().
struct Account
{
    enum class ScriptixHeader { Bearer, ZoomKey }; // Authorization: Bearer | x-zoom-s2t-key

    QString id; // a UUID, stable for the account's life
    ServiceKind service = ServiceKind::Scriptix;
    QString name; // what the user calls it: "Dr Rivera", "Front desk"
    QUrl baseUrl;

    QString invoxAppId; // Invox: the App Id (not secret; the API Key is)
    QString invoxTokenPath = QStringLiteral("/v1/auth/token"); // [gap] per-account setting
    QString invoxApiVersion; // X-Invox-Medical-Api-Version; empty: not sent
    QString care360Login; // Care360: the email or phone number the code is sent to
    ScriptixHeader scriptixHeader = ScriptixHeader::Bearer;
    int requestsPerMinute = -1; // -1: the service's documented default (Scriptix 60, others none)

    // "Scriptix — Dr Rivera @ api.scriptix.io"
    QString label() const;
    int effectiveRequestsPerMinute() const;
    // Empty when the account can be used, otherwise what is wrong, in a sentence.
    QString validationProblem() const;

    QVariantMap toVariantMap() const; // for QSettings: never contains a secret
    static Account fromVariantMap(const QVariantMap &map);

    // The documented production hosts (Invox has none: it is a per-account setting).
    static QUrl defaultBaseUrl(ServiceKind service);
    static QUrl care360StagingUrl();
};

// The secrets each service needs, by name. Stored under "<account id>/<name>".
namespace Secret {
inline const QString apiKey = QStringLiteral("apiKey"); // Invox API Key, DocumentPro key
inline const QString token = QStringLiteral("token"); // Scriptix API token
inline const QString tenantKey = QStringLiteral("tenantKey"); // Care360 cv-api-key
inline const QString accessToken = QStringLiteral("accessToken"); // Invox, Care360 (short-lived)
inline const QString refreshToken = QStringLiteral("refreshToken"); // Care360
} // namespace Secret

QString secretKey(const QString &accountId, const QString &secretName);
// The secrets an account of this service may have: all removed on sign-out and account removal.
QStringList secretNames(ServiceKind service);

} // namespace Docket
