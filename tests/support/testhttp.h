#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

using HeaderPairs = QList<QPair<QByteArray, QByteArray>>;

// An answer's HTTP status and JSON body as one line of text (404 {"code":...}), so that one
// QCOMPARE checks both and prints both when either differs.
inline QByteArray statusAndJson(int status, const QJsonObject &body)
{
    return QByteArray::number(status) + ' ' + QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// What a test sees of one HTTP exchange.
struct TestReply
{
    bool finished = false; // false: no answer within the timeout (the request was aborted)
    int status = 0; // 0 when the connection failed before a status line
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased

    QJsonDocument document() const { return QJsonDocument::fromJson(body); }
    QJsonObject json() const { return document().object(); }
    bool isJsonObject() const { return document().isObject(); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

inline QByteArray statusAndJson(const TestReply &reply)
{
    return statusAndJson(reply.status, reply.json());
}

// A small synchronous-looking HTTP client for tests: each call runs the event loop (through
// QSignalSpy::wait) until the reply finishes or the timeout passes.
class TestHttp
{
public:
    TestReply send(const QByteArray &method, const QUrl &url, const HeaderPairs &headers = {},
                   const QByteArray &body = {}, int timeoutMs = 10000);
    TestReply get(const QUrl &url, const HeaderPairs &headers = {}, int timeoutMs = 10000)
    {
        return send("GET", url, headers, {}, timeoutMs);
    }
    TestReply del(const QUrl &url, const HeaderPairs &headers = {}, const QByteArray &body = {})
    {
        return send("DELETE", url, headers, body);
    }
    // Sends `object` as JSON with Content-Type: application/json (unless headers name another).
    TestReply sendJson(const QByteArray &method, const QUrl &url, const QJsonObject &object,
                       const HeaderPairs &headers = {});

    QNetworkAccessManager &manager() { return m_manager; }

private:
    QNetworkAccessManager m_manager;
};

// base + each segment percent-encoded (so "a/b" stays one segment) + optional query.
// Example: urlWith(base, {"speech-to-text", "session", id}).
QUrl urlWith(const QUrl &base, const QStringList &segments, const QUrlQuery &query = {});
// A query item whose value is fully percent-encoded ("a?b=c&d" survives as one value).
QUrlQuery encodedQuery(const QList<QPair<QString, QString>> &items);

// `field` of the first row of a list answer's "result" array (Scriptix's shape).
inline QString firstResultField(const QJsonObject &answer, const QString &field)
{
    return answer.value(QStringLiteral("result"))
        .toArray()
        .at(0)
        .toObject()
        .value(field)
        .toString();
}

// Ids that try to leave their route (dot segments, a query, a fragment, an encoded slash), odd
// scripts and a very long one: every service's routes must answer them cleanly.
inline QStringList hostileIds()
{
    return {
        QStringLiteral("../x"),
        QStringLiteral("a?b=c"),
        QStringLiteral("#frag"),
        QStringLiteral("%2F"),
        QStringLiteral("ünïcødé-文档-🩺"),
        QString(10 * 1024, u'x'),
    };
}
