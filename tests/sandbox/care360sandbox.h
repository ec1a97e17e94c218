#pragma once

// What the Care360 sandbox suites share: the sandbox with its Care360 addresses and credentials,
// the routes of docs/services.md §2, sign-in by one-time code, and the error answers the vendor
// documents. A suite's test class derives from Care360Sandbox, or from Care360SignedIn when every
// test starts with the demo patient signed in.

#include "sandboxsuite.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

namespace care360 {

inline const QString service = QStringLiteral("care360");

QJsonObject errorBody(int status, const QString &error, const QString &code);

// The documented error answers, exactly as the sandbox must send them.
inline const QJsonObject validationFailed
    = errorBody(400, QStringLiteral("Validation failed"), QStringLiteral("VALIDATION_ERROR"));
inline const QJsonObject invalidToken = errorBody(401, QStringLiteral("Invalid or expired token"),
                                                  QStringLiteral("VALIDATION_ERROR"));
inline const QJsonObject invalidCode
    = errorBody(401, QStringLiteral("Invalid or expired code"), QStringLiteral("VALIDATION_ERROR"));
inline const QJsonObject fileNotFound
    = errorBody(404, QStringLiteral("File not found"), QStringLiteral("VALIDATION_ERROR"));
inline const QJsonObject caseForbidden = errorBody(
    403, QStringLiteral("You do not have access to this case"), QStringLiteral("FORBIDDEN"));
inline const QJsonObject organizationNotFound
    = errorBody(404, QStringLiteral("Organization not found"), QStringLiteral("NOT_FOUND"));

bool looksLikeUuid(const QString &value);
QString str(const QJsonObject &object, const char *key);
// The claims of a JWT (its middle part), or empty when `token` is not three parts.
QJsonObject jwtPayload(const QString &token);
// The "data" object of a Care360 answer.
QJsonObject dataOf(const TestReply &reply);
// The "code" of a Care360 error answer (VALIDATION_ERROR, REFRESH_INVALID, ...).
QString codeOf(const TestReply &reply);

} // namespace care360

class Care360Sandbox : public SandboxSuite
{
    Q_OBJECT

public:
    Care360Sandbox()
        : SandboxSuite(care360::service)
    { }

protected:
    QUrl filesUrl(const QStringList &more = {}, const QUrlQuery &query = {}) const;
    QUrl authUrl(const QString &action) const;
    QByteArray demoKey() const { return care360::str(m_credentials, "tenantKey").toUtf8(); }
    QByteArray otherKey() const { return care360::str(m_credentials, "otherTenantKey").toUtf8(); }
    // The tenant header alone: the demo tenant's unless `key` names another.
    HeaderPairs tenant(const QByteArray &key = {}) const
    {
        return { { "cv-api-key", key.isEmpty() ? demoKey() : key } };
    }
    HeaderPairs auth(const QString &token, const QByteArray &key = {}) const
    {
        return tenant(key) + HeaderPairs { { "Authorization", "Bearer " + token.toUtf8() } };
    }
    QString patientId() const { return care360::str(m_credentials, "patientId"); }
    // The id of the demo patient's case at `index` in the credentials.
    QString demoCaseId(qsizetype index = 0) const;

    TestReply sendOtp(const QJsonObject &body, const QByteArray &key = {});
    TestReply verifyOtp(const QJsonObject &body, const QByteArray &key = {});
    // verifyOtp's data ({accessToken, refreshToken, expiresIn}); empty on failure.
    QJsonObject signIn(const QString &email = {}, const QByteArray &key = {});
    TestReply refresh(const QString &refreshToken, const QByteArray &key = {});
    TestReply list(const QString &token, const QUrlQuery &query = {});
    QJsonArray listedFiles(const QString &token, const QUrlQuery &query = {});
    // The signed link GET .../files/<id>/download hands out.
    QUrl downloadLink(const QString &id, const QString &token);
    // Every file from GET /state/care360, deleted ones included.
    QJsonArray stateFiles();
    QJsonObject stateFile(const QString &id);
    // The first file in the state matching `predicate`.
    template<typename Predicate> QJsonObject findStateFile(Predicate predicate)
    {
        const QJsonArray files = stateFiles();
        for (const QJsonValue &value : files) {
            if (predicate(value.toObject()))
                return value.toObject();
        }
        return {};
    }
    // A file of the demo patient's that they uploaded themselves, in one of their cases.
    QJsonObject ownFileInACase();
    // A file in the demo patient's cases that staff uploaded.
    QJsonObject staffUploadedFile();
    // The demo patient's one file without a case: never listed, readable by its uploader.
    QJsonObject caselessFile();
    QJsonObject otherPatientFile();
    QJsonObject otherTenantFile();
};

class Care360SignedIn : public Care360Sandbox
{
    Q_OBJECT

private Q_SLOTS:
    // Resets the sandbox and signs the demo patient in.
    void init();

protected:
    // GET .../files/<id>/<action> ("metadata", "download") as the demo patient.
    TestReply getFile(const QString &id, const QString &action)
    {
        return m_http.get(filesUrl({ id, action }), auth(m_access));
    }

    QString m_access; // the demo patient's access token, fresh for every test function
};
