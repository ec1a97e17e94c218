#pragma once

// What the Scriptix sandbox suites share: the sandbox with the demo and other tokens, the routes
// of docs/services.md §4, and checks of the vendor's two error shapes. A suite's test class
// derives from it. Each test starts from a reset, which also forgets the rate limiter's history:
// each test has its 60 requests a minute.

#include "sandboxsuite.h"

#include <QJsonArray>
#include <QTest>

// Runs `check`, which uses QVERIFY, and stops the calling test at its first failure.
#define VERIFY_CHECK(check)                                                                        \
    do {                                                                                           \
        check;                                                                                     \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)
#define VERIFY_OBJECT_ERROR(reply, status) VERIFY_CHECK(checkObjectError(reply, status))
#define VERIFY_STRING_ERROR(reply, status) VERIFY_CHECK(checkStringError(reply, status))

namespace scriptix {

inline const QString service = QStringLiteral("scriptix");

bool isIsoUtc(const QJsonValue &value);
QStringList idsOf(const QJsonArray &items, const QString &key);
QJsonObject lastLogEntry(SandboxProcess &sandbox);

} // namespace scriptix

class ScriptixSandbox : public SandboxSuite
{
    Q_OBJECT

public:
    ScriptixSandbox()
        : SandboxSuite(scriptix::service)
    { }

protected:
    // Reads the demo and the other token.
    void started() override;
    static QStringList sessionPath(const QString &sid = {})
    {
        QStringList path { QStringLiteral("speech-to-text"), QStringLiteral("session") };
        if (!sid.isEmpty())
            path.append(sid);
        return path;
    }
    static QStringList documentPath(const QString &sid, const QString &did)
    {
        return sessionPath(sid) << QStringLiteral("document") << did;
    }
    static QStringList commentsPath(const QString &sid, const QString &did)
    {
        return documentPath(sid, did) << QStringLiteral("comments");
    }
    static HeaderPairs bearer(const QString &token)
    {
        return { { "Authorization", "Bearer " + token.toUtf8() } };
    }
    HeaderPairs demo() const { return bearer(m_token); }

    // Every session of a token, through the public list (default sort).
    QJsonArray allSessions(const QString &token);
    // A (session, document) of the demo token whose document has at least `comments` comments.
    bool findDocumentWithComments(int comments, QString *sid, QString *did);
    // The ids of each kind ("sessions", "documents", "comments") deleted since the reset.
    QJsonObject deletedSoFar() const;
    void checkListItem(const QJsonObject &item);
    void checkStringError(const TestReply &reply, int status);
    void checkObjectError(const TestReply &reply, int status);

    QString m_token;
    QString m_otherToken;
};
