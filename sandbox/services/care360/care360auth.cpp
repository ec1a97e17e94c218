#include "care360data.h"
#include "care360wire.h"
#include "core/servicesupport.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

using namespace Care360;
using Sandbox::base64Url;
using Sandbox::nowMs;
using Sandbox::randomBytes;

namespace {

// Identities for OTP.

QString normalizedEmail(const QJsonValue &value)
{
    const QString email = value.toString().trimmed().toLower();
    const qsizetype at = email.indexOf(u'@');
    if (at <= 0 || at == email.size() - 1 || email.contains(u' '))
        return {};
    return email;
}

// "+1 (555) 555-0100" and "+15555550100" are the same number.
QString normalizedPhone(const QJsonValue &value)
{
    const QString raw = value.toString().trimmed();
    QString phone;
    for (const QChar c : raw) {
        if (c.isDigit() || (c == u'+' && phone.isEmpty()))
            phone.append(c);
        else if (c != u' ' && c != u'-' && c != u'(' && c != u')' && c != u'.')
            return {};
    }
    return phone.size() >= 8 ? phone : QString();
}

// "email:x" / "phone:+1..." from a body (email wins); empty when the one named is missing or
// unusable.
QString identityKey(const QJsonObject &body)
{
    if (body.contains(QStringLiteral("email"))) {
        const QString email = normalizedEmail(body.value(QStringLiteral("email")));
        return email.isEmpty() ? QString() : QStringLiteral("email:") + email;
    }
    if (body.contains(QStringLiteral("phoneNumber"))) {
        const QString phone = normalizedPhone(body.value(QStringLiteral("phoneNumber")));
        return phone.isEmpty() ? QString() : QStringLiteral("phone:") + phone;
    }
    return {};
}

QString otpKey(int tenant, const QString &identity)
{
    return QString::number(tenant) + u'|' + identity;
}

QByteArray refreshTokenFrom(const QJsonObject &body)
{
    // The documented name is refresh_token; camelCase is accepted as the other token fields are.
    QJsonValue value = body.value(QStringLiteral("refresh_token"));
    if (!value.isString())
        value = body.value(QStringLiteral("refreshToken"));
    return value.toString().toUtf8();
}

} // namespace

std::optional<SandboxReply> Care360Service::Data::resolveTenant(const SandboxRequest &request,
                                                                int *tenant) const
{
    const QByteArray key = request.header("cv-api-key").trimmed();
    if (key.isEmpty())
        return validationFailed();
    const auto found = tenantByKey.constFind(QString::fromUtf8(key));
    if (found == tenantByKey.constEnd())
        return failure(404, QStringLiteral("Organization not found"), QStringLiteral("NOT_FOUND"));
    *tenant = *found;
    return std::nullopt;
}

std::optional<SandboxReply> Care360Service::Data::authenticate(const SandboxRequest &request,
                                                               Caller *caller) const
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return error;
    const QByteArray token = request.bearerToken();
    const auto found = accessTokens.constFind(token);
    if (token.isEmpty() || found == accessTokens.constEnd())
        return invalidToken();
    const Family &family = families.at(found->family);
    // A token of another tenant is as unknown as a made-up one.
    if (family.revoked || family.tenant != tenant || found->expiresAtMs <= nowMs())
        return invalidToken();
    caller->tenant = tenant;
    caller->user = family.user;
    return std::nullopt;
}

int Care360Service::Data::findPatient(int tenant, const QString &identityKey) const
{
    for (int i = 0; i < users.size(); ++i) {
        const User &user = users.at(i);
        if (user.staff || user.tenant != tenant)
            continue;
        if (identityKey == QStringLiteral("email:") + user.email
            || identityKey == QStringLiteral("phone:") + user.phoneNumber)
            return i;
    }
    return -1;
}

QByteArray Care360Service::Data::makeAccessJwt(const Family &family, qint64 issuedAtMs) const
{
    const QJsonObject header { { QStringLiteral("alg"), QStringLiteral("HS256") },
                               { QStringLiteral("typ"), QStringLiteral("JWT") } };
    const qint64 issuedAt = issuedAtMs / 1000;
    const QJsonObject payload {
        { QStringLiteral("sub"), users.at(family.user).id },
        { QStringLiteral("org"), tenants.at(family.tenant).organizationId },
        { QStringLiteral("iat"), issuedAt },
        { QStringLiteral("exp"), issuedAt + kAccessTokenSeconds },
        { QStringLiteral("jti"), QString::fromLatin1(randomBytes(12).toHex()) },
    };
    const QByteArray signingInput = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact))
        + '.' + base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const QByteArray signature
        = QMessageAuthenticationCode::hash(signingInput, signingKey, QCryptographicHash::Sha256);
    return signingInput + '.' + base64Url(signature);
}

QJsonObject Care360Service::Data::issuePair(int family)
{
    const qint64 now = nowMs();
    const QByteArray access = makeAccessJwt(families.at(family), now);
    accessTokens.insert(access, { family, now + kAccessTokenSeconds * 1000LL });
    const QByteArray refreshToken = base64Url(randomBytes(48));
    refreshTokens.insert(refreshToken, { family, now, false });
    return { { QStringLiteral("accessToken"), QString::fromLatin1(access) },
             { QStringLiteral("refreshToken"), QString::fromLatin1(refreshToken) },
             { QStringLiteral("expiresIn"), kAccessTokenSeconds } };
}

void Care360Service::Data::revokeFamily(int family)
{
    if (families.at(family).revoked)
        return;
    families[family].revoked = true;
    ++familiesRevoked;
}

SandboxReply Care360Service::Data::sendOtp(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    if (!ok)
        return validationFailed();
    const QString channel = body.value(QStringLiteral("channel")).toString();
    QString identity;
    if (channel == QLatin1String("EMAIL")) {
        const QString email = normalizedEmail(body.value(QStringLiteral("email")));
        if (!email.isEmpty())
            identity = QStringLiteral("email:") + email;
    } else if (channel == QLatin1String("SMS")) {
        const QString phone = normalizedPhone(body.value(QStringLiteral("phoneNumber")));
        if (!phone.isEmpty())
            identity = QStringLiteral("phone:") + phone;
    }
    if (identity.isEmpty())
        return validationFailed();
    // Recorded for unknown identities too: the answer must not reveal who has an account.
    otpExpiry.insert(otpKey(tenant, identity), nowMs() + kOtpLifetimeMs);
    return successMessage(
        QStringLiteral("If an account exists, a verification code has been sent"));
}

SandboxReply Care360Service::Data::verifyOtp(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    const QString identity = ok ? identityKey(body) : QString();
    const QJsonValue codeValue = body.value(QStringLiteral("code"));
    const QString code = codeValue.isDouble() ? QString::number(codeValue.toInteger())
                                              : codeValue.toString().trimmed();
    if (identity.isEmpty() || code.isEmpty())
        return validationFailed();

    const QString key = otpKey(tenant, identity);
    const int patient = findPatient(tenant, identity);
    if (otpExpiry.value(key, 0) <= nowMs() || code != demoOtpCode() || patient < 0)
        return failure(401, QStringLiteral("Invalid or expired code"),
                       QStringLiteral("VALIDATION_ERROR"));
    otpExpiry.remove(key); // single use

    families.append({ patient, tenant, nowMs(), false });
    return success(200, issuePair(int(families.size()) - 1));
}

SandboxReply Care360Service::Data::refresh(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    const QByteArray token = ok ? refreshTokenFrom(body) : QByteArray();
    if (token.isEmpty())
        return validationFailed();

    const auto found = refreshTokens.find(token);
    if (found == refreshTokens.end())
        return refreshInvalid();
    const int familyIndex = found->family;
    const Family &family = families.at(familyIndex);
    // Another tenant's token is only "invalid": it must not let that tenant revoke the family.
    if (family.tenant != tenant || family.revoked)
        return refreshInvalid();
    if (found->used) {
        // Someone holds a stale copy: kill every token of this sign-in.
        revokeFamily(familyIndex);
        ++reuseDetected;
        return failure(401, QStringLiteral("Refresh token has already been used"),
                       QStringLiteral("REFRESH_REUSED"));
    }
    const qint64 now = nowMs();
    if (now - found->issuedAtMs > kRefreshSlidingMs
        || now - family.createdAtMs > kRefreshAbsoluteMs)
        return refreshInvalid();
    found->used = true;
    return success(200, issuePair(familyIndex));
}

SandboxReply Care360Service::Data::logout(const SandboxRequest &request)
{
    int tenant = -1;
    if (auto error = resolveTenant(request, &tenant))
        return *error;
    bool ok = false;
    const QJsonObject body = jsonBody(request, &ok);
    const auto found = refreshTokens.constFind(ok ? refreshTokenFrom(body) : QByteArray());
    if (found != refreshTokens.constEnd() && families.at(found->family).tenant == tenant)
        revokeFamily(found->family);
    // Always 200: logging out twice, or with a dead token, is not an error.
    return successMessage(QStringLiteral("Logged out successfully"));
}
