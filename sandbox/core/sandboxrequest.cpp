#include "sandboxrequest.h"

#include <QJsonDocument>
#include <QUrl>

QString SandboxRequest::queryValue(const QString &name) const
{
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

QJsonObject SandboxRequest::jsonBody(bool *ok) const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    *ok = error.error == QJsonParseError::NoError && document.isObject();
    return document.object();
}

QByteArray SandboxRequest::bearerToken() const
{
    const QByteArray value = header("authorization").trimmed();
    static const QByteArray scheme = "bearer ";
    if (value.size() <= scheme.size() || value.left(scheme.size()).toLower() != scheme)
        return {};
    return value.mid(scheme.size()).trimmed();
}

QByteArray SandboxRequest::mimeType() const
{
    QByteArray value = header("content-type");
    const qsizetype semicolon = value.indexOf(';');
    if (semicolon >= 0)
        value.truncate(semicolon);
    return value.trimmed().toLower();
}
