#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

// What a route answers. The endpoint writes it, possibly altered by an injected fault.
struct SandboxReply
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;

    static SandboxReply json(int status, const QJsonObject &object);
    static SandboxReply jsonArray(int status, const QJsonArray &array);
    static SandboxReply empty(int status); // e.g. 204 No Content
    static SandboxReply raw(int status, const QByteArray &body, const QByteArray &contentType);

    SandboxReply &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({ name, value });
        return *this;
    }
};
