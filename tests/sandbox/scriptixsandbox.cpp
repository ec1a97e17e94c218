#include "scriptixsandbox.h"

#include <QDateTime>

namespace scriptix {

bool isIsoUtc(const QJsonValue &value)
{
    const QString text = value.toString();
    return text.endsWith(u'Z') && QDateTime::fromString(text, Qt::ISODate).isValid();
}

QStringList idsOf(const QJsonArray &items, const QString &key)
{
    QStringList ids;
    for (const QJsonValue &item : items)
        ids.append(item.toObject().value(key).toString());
    return ids;
}

QJsonObject lastLogEntry(SandboxProcess &sandbox)
{
    return sandbox.requestLog(service)
        .value(QStringLiteral("requests"))
        .toArray()
        .last()
        .toObject();
}

} // namespace scriptix

using namespace scriptix;

void ScriptixSandbox::started()
{
    m_token = m_credentials.value(QStringLiteral("token")).toString();
    m_otherToken = m_credentials.value(QStringLiteral("otherToken")).toString();
    QVERIFY(!m_token.isEmpty());
    QVERIFY(!m_otherToken.isEmpty());
}

QJsonArray ScriptixSandbox::allSessions(const QString &token)
{
    const TestReply reply = m_http.get(
        url(sessionPath(), encodedQuery({ { QStringLiteral("limit"), QStringLiteral("100") } })),
        bearer(token));
    if (reply.status != 200)
        return {};
    return reply.json().value(QStringLiteral("result")).toArray();
}

bool ScriptixSandbox::findDocumentWithComments(int comments, QString *sid, QString *did)
{
    // The fixture of the demo data is generated; ask the control endpoint where comments are.
    const QJsonArray all = m_sandbox.state(service).value(QStringLiteral("comments")).toArray();
    QHash<QString, int> perDocument;
    QHash<QString, QString> sessionOf;
    for (const QJsonValue &value : all) {
        const QJsonObject comment = value.toObject();
        if (comment.value(QStringLiteral("owner")).toString() != m_token)
            continue;
        const QString document = comment.value(QStringLiteral("document_id")).toString();
        ++perDocument[document];
        sessionOf.insert(document, comment.value(QStringLiteral("session_id")).toString());
    }
    for (auto it = perDocument.cbegin(); it != perDocument.cend(); ++it) {
        if (it.value() >= comments) {
            *did = it.key();
            *sid = sessionOf.value(it.key());
            return true;
        }
    }
    return false;
}

void ScriptixSandbox::checkListItem(const QJsonObject &item)
{
    static const QStringList statuses
        = { QStringLiteral("finished"), QStringLiteral("processing"), QStringLiteral("failed") };
    static const QStringList types
        = { QStringLiteral("transcript"), QStringLiteral("summary"), QStringLiteral("captions") };
    const QString sid = item.value(QStringLiteral("session_id")).toString();
    QVERIFY2(sid.startsWith(QStringLiteral("sess_")), qPrintable(sid));
    QVERIFY(!item.value(QStringLiteral("filename")).toString().isEmpty());
    QVERIFY(statuses.contains(item.value(QStringLiteral("status")).toString()));
    QVERIFY(!item.value(QStringLiteral("language")).toString().isEmpty());
    QVERIFY(item.value(QStringLiteral("duration")).isDouble());
    const int duration = item.value(QStringLiteral("duration")).toInt();
    QVERIFY2(duration >= 60 && duration <= 90 * 60, qPrintable(QString::number(duration)));
    QVERIFY(isIsoUtc(item.value(QStringLiteral("created_at"))));
    const QJsonArray documents = item.value(QStringLiteral("documents")).toArray();
    QVERIFY(!documents.isEmpty() && documents.size() <= 3);
    QCOMPARE(item.value(QStringLiteral("document")).toObject(), documents.first().toObject());
    for (const QJsonValue &value : documents) {
        const QJsonObject document = value.toObject();
        QVERIFY(document.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("doc_")));
        QVERIFY(!document.value(QStringLiteral("name")).toString().isEmpty());
        QVERIFY(types.contains(document.value(QStringLiteral("type")).toString()));
    }
}

void ScriptixSandbox::checkStringError(const TestReply &reply, int status)
{
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.isJsonObject(), reply.body.constData());
    QVERIFY(reply.json().value(QStringLiteral("error")).isString());
    const QJsonObject body = reply.json();
    QVERIFY(body.value(QStringLiteral("message")).isString()
            || body.value(QStringLiteral("error_description")).isString());
}

void ScriptixSandbox::checkObjectError(const TestReply &reply, int status)
{
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.isJsonObject(), reply.body.constData());
    const QJsonObject error = reply.json().value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    QVERIFY(error.value(QStringLiteral("message")).isString());
    QVERIFY(error.contains(QStringLiteral("details")));
}

QJsonObject ScriptixSandbox::deletedSoFar() const
{
    return m_sandbox.summary(service).value(QStringLiteral("deleted")).toObject();
}
