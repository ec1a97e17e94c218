#pragma once

#include "loopbackhttpserver.h"

#include <QHash>
#include <QStringList>

#include <functional>

// A loopback HTTP/1.1 server for answers the sandbox never gives (odd shapes, wrong types): each
// request gets a canned JSON body with 200, from `answer` if set, else from `bodies` by the full
// target (path and query) and then by the path alone; anything else is a 404 with notFoundBody.
// `statusFor` may choose another status; an error status answers with notFoundBody.
class CannedServer : public LoopbackHttpServer
{
public:
    std::function<QByteArray(const QString &target)> answer; // a null result means 404
    std::function<int(const QByteArray &method, const QString &target)> statusFor; // 0: as above
    QHash<QString, QByteArray> bodies;
    QByteArray notFoundBody = R"({"error":"not_found","message":"nothing canned here"})";
    QStringList targets; // what arrived, in order
    QList<QByteArray> heads; // each request's line and headers, as sent
    QByteArray extraHeaders; // CRLF-terminated lines added to every answer ("Set-Cookie: ...")

private:
    QByteArray bodyFor(const QString &target) const
    {
        if (answer)
            return answer(target);
        const QByteArray body = bodies.value(target);
        return body.isNull() ? bodies.value(target.section(u'?', 0, 0)) : body;
    }

    Answer respond(const QByteArray &head) override
    {
        const QList<QByteArray> line = requestLine(head);
        const QString target = QString::fromLatin1(line.value(1));
        targets.append(target);
        heads.append(head);
        QByteArray body = bodyFor(target);
        int code = body.isEmpty() ? 404 : 200;
        if (const int chosen = statusFor ? statusFor(line.value(0), target) : 0)
            code = chosen;
        if (code >= 400)
            body = notFoundBody;
        return { code, body, extraHeaders };
    }
};
