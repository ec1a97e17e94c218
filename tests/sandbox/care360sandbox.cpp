#include "care360sandbox.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace care360 {

QJsonObject errorBody(int status, const QString &error, const QString &code)
{
    return { { QStringLiteral("status"), status },
             { QStringLiteral("success"), false },
             { QStringLiteral("error"), error },
             { QStringLiteral("code"), code } };
}

bool looksLikeUuid(const QString &value)
{
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
    return pattern.match(value).hasMatch();
}

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QJsonObject jwtPayload(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding))
        .object();
}

QJsonObject dataOf(const TestReply &reply)
{
    return reply.json().value(QStringLiteral("data")).toObject();
}

QString codeOf(const TestReply &reply)
{
    return reply.json().value(QStringLiteral("code")).toString();
}

} // namespace care360

using namespace care360;

void Care360SignedIn::init()
{
    QVERIFY(m_sandbox.reset());
    m_access = str(signIn(), "accessToken");
    QVERIFY(!m_access.isEmpty());
}

QUrl Care360Sandbox::filesUrl(const QStringList &more, const QUrlQuery &query) const
{
    return url(QStringList { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                             QStringLiteral("me"), QStringLiteral("files") }
                   + more,
               query);
}

QUrl Care360Sandbox::authUrl(const QString &action) const
{
    return url({ QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                 QStringLiteral("auth"), action });
}

QString Care360Sandbox::demoCaseId(qsizetype index) const
{
    return str(m_credentials.value(QStringLiteral("cases")).toArray().at(index).toObject(), "id");
}

TestReply Care360Sandbox::sendOtp(const QJsonObject &body, const QByteArray &key)
{
    return m_http.sendJson("POST", authUrl(QStringLiteral("send-otp")), body, tenant(key));
}

TestReply Care360Sandbox::verifyOtp(const QJsonObject &body, const QByteArray &key)
{
    return m_http.sendJson("POST", authUrl(QStringLiteral("verify-otp")), body, tenant(key));
}

QJsonObject Care360Sandbox::signIn(const QString &email, const QByteArray &key)
{
    const QString who = email.isEmpty() ? str(m_credentials, "email") : email;
    if (sendOtp({ { QStringLiteral("email"), who },
                  { QStringLiteral("channel"), QStringLiteral("EMAIL") } },
                key)
            .status
        != 200)
        return {};
    const TestReply reply = verifyOtp({ { QStringLiteral("email"), who },
                                        { QStringLiteral("code"), str(m_credentials, "otpCode") } },
                                      key);
    return reply.status == 200 ? dataOf(reply) : QJsonObject();
}

TestReply Care360Sandbox::refresh(const QString &refreshToken, const QByteArray &key)
{
    return m_http.sendJson("POST", authUrl(QStringLiteral("refresh-token")),
                           { { QStringLiteral("refresh_token"), refreshToken } }, tenant(key));
}

TestReply Care360Sandbox::list(const QString &token, const QUrlQuery &query)
{
    return m_http.get(filesUrl({}, query), auth(token));
}

QJsonArray Care360Sandbox::listedFiles(const QString &token, const QUrlQuery &query)
{
    return dataOf(list(token, query)).value(QStringLiteral("files")).toArray();
}

QUrl Care360Sandbox::downloadLink(const QString &id, const QString &token)
{
    return QUrl(str(dataOf(m_http.get(filesUrl({ id, QStringLiteral("download") }), auth(token))),
                    "downloadUrl"));
}

QJsonArray Care360Sandbox::stateFiles()
{
    return m_sandbox.state(service).value(QStringLiteral("files")).toArray();
}

QJsonObject Care360Sandbox::stateFile(const QString &id)
{
    return findStateFile([&](const QJsonObject &file) { return str(file, "id") == id; });
}

QJsonObject Care360Sandbox::ownFileInACase()
{
    return findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "email")
            && !file.value(QStringLiteral("caseId")).isNull()
            && str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") == patientId();
    });
}

QJsonObject Care360Sandbox::staffUploadedFile()
{
    return findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "email")
            && str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") != patientId();
    });
}

QJsonObject Care360Sandbox::caselessFile()
{
    return findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "email")
            && file.value(QStringLiteral("caseId")).isNull();
    });
}

QJsonObject Care360Sandbox::otherPatientFile()
{
    return findStateFile([&](const QJsonObject &file) {
        return str(file, "owner") == str(m_credentials, "otherPatientEmail");
    });
}

QJsonObject Care360Sandbox::otherTenantFile()
{
    return findStateFile([&](const QJsonObject &file) {
        return str(file, "tenantKey") == str(m_credentials, "otherTenantKey");
    });
}
