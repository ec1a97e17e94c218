#pragma once

#include "servicekind.h"

#include <QString>
#include <QUrl>
#include <QVariantMap>

namespace Docket {

// One signed-in place: a service, a base URL and the non-secret settings needed to talk to it.
// Secrets (API keys, tokens) are never here: they live in a CredentialStore under secretKey().
// The settings are the service's account form fields (ServiceInfo::fields, by AccountField::id):
// Invox "appId", "tokenPath", "apiVersion"; Care360 "login"; Scriptix "header".
struct Account
{
    QString id; // a UUID, stable for the account's life
    ServiceKind service = ServiceKind::Scriptix;
    QString name; // what the user calls it: "Dr Rivera", "Front desk"
    QUrl baseUrl;

    QVariantMap settings; // by AccountField::id; a field not here has its default
    int requestsPerMinute = -1; // -1: the service's documented default (Scriptix 60, others none)

    // The setting's stored value, else the field's default, else a Choice's first value.
    QString setting(const QString &fieldId) const;
    void setSetting(const QString &fieldId, const QString &value);

    // "Scriptix — Dr Rivera @ api.scriptix.io"
    QString label() const;
    int effectiveRequestsPerMinute() const;
    // Empty when the account can be used, otherwise what is wrong, in a sentence.
    QString validationProblem() const;

    QVariantMap toVariantMap() const; // for QSettings: never contains a secret
    static Account fromVariantMap(const QVariantMap &map);

    // A new account's address: the service's first documented one (ServiceInfo::addresses;
    // Invox has none: it is a per-account setting).
    static QUrl defaultBaseUrl(ServiceKind service);
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
// The secrets an account of this service may have (ServiceInfo::storedSecrets): all removed on
// sign-out and account removal.
QStringList secretNames(ServiceKind service);

} // namespace Docket
