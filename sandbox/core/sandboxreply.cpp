#include "sandboxreply.h"

#include <QJsonDocument>

SandboxReply SandboxReply::json(int status, const QJsonObject &object)
{
    return { status, QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json", {} };
}

SandboxReply SandboxReply::jsonArray(int status, const QJsonArray &array)
{
    return { status, QJsonDocument(array).toJson(QJsonDocument::Compact), "application/json", {} };
}

SandboxReply SandboxReply::empty(int status)
{
    return { status, {}, {}, {} };
}

SandboxReply SandboxReply::raw(int status, const QByteArray &body, const QByteArray &contentType)
{
    return { status, body, contentType, {} };
}
