#pragma once

// What the Care360Connector suites share: an account as the app builds it (Harness), signed in to
// the sandbox with the demo patient's one-time code; the demo patient's files as the sandbox
// holds them; what a finished job left behind; rows as text, to compare in full; and a small HTTP
// server standing in where the sandbox cannot (the [gap] token shapes, odd items, a short
// expiresIn).

#include "accountsession.h"
#include "connectors/care360/care360connector.h"
#include "connectors/care360/care360filelist.h"
#include "connectors/connectorsupport.h"
#include "connectors/jsonparsing.h"
#include "credentialstore.h"
#include "failurechecks.h"
#include "loopbackhttpserver.h"
#include "networkclient.h"
#include "sandboxsuite.h"
#include "testhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUuid>

#include <memory>

// For these suites only, which all spell the models' types without their namespace.
using namespace Docket;

inline const QString kService = QStringLiteral("care360");

inline QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

// An access token shaped like Care360's (a JWT whose payload has "exp"), dying `inSeconds` from
// now (negative: already dead). Unsigned: Docket reads the expiry only to decide whether to use it.
inline QString jwtDying(qint64 inSeconds)
{
    const auto part = [](const QJsonObject &object) {
        return QJsonDocument(object)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + inSeconds;
    return QString::fromLatin1(
        part({ { QStringLiteral("alg"), QStringLiteral("HS256") } }) + '.'
        + part({ { QStringLiteral("exp"), exp }, { QStringLiteral("jti"), QString::number(exp) } })
        + ".c2ln");
}

// A row as text, every field included (and the date's time spec), so a difference shows in full.
inline QString describe(const RemoteItem &item)
{
    const QJsonObject details = QJsonObject::fromVariantMap(item.details);
    return QStringLiteral("%1 %2 | %3 | %4 %5 | %6 | %7 %8 %9 | %10 | %11")
        .arg(int(item.ref.kind))
        .arg(item.ref.ids.join(u'/'), item.name, item.created.toString(Qt::ISODateWithMs))
        .arg(item.created.isValid() ? int(item.created.timeSpec()) : -1)
        .arg(item.status)
        .arg(item.sizeBytes)
        .arg(item.pages)
        .arg(item.durationSeconds)
        .arg(item.childCount)
        .arg(QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)));
}

// A page's rows as RemoteItems under `parent`, whether the connector handed over items or, for a
// request without details, a RowBlock.
inline QList<RemoteItem> itemsOf(const ListPage &page, const NodeRef &parent)
{
    QList<RemoteItem> items = page.items;
    for (int row = 0; row < page.rows.size(); ++row)
        items.append(page.rows.item(row, parent));
    return items;
}

inline QStringList describe(const Care360Connector::ParsedList &parsed, const NodeRef &parent = {})
{
    QStringList lines { QStringLiteral("problem: ") + parsed.problem,
                        QStringLiteral("total: %1").arg(parsed.page.total),
                        QStringLiteral("compact rows: %1").arg(parsed.page.rows.size()) };
    for (const RemoteItem &item : itemsOf(parsed.page, parent))
        lines << describe(item);
    return lines;
}

// The case rows, then each case's file rows in the order of the cases.
inline QStringList describe(const Care360Connector::ParsedAccount &parsed)
{
    QStringList lines = describe(parsed.cases);
    lines << QStringLiteral("cases with files: %1").arg(parsed.filesByCase.size());
    for (const RemoteItem &caseItem : parsed.cases.page.items) {
        lines << QStringLiteral("files of ") + caseItem.ref.id();
        lines << describe(
            Care360Connector::ParsedList { parsed.filesByCase.value(caseItem.ref.id()), {} },
            caseItem.ref);
    }
    return lines;
}

// What a finished job left behind, copied before the job deletes itself.
struct Outcome
{
    bool finished = false;
    ApiError error;
    ListPage page;
    QVariantMap data;
    DeleteOutcome deleteOutcome = DeleteOutcome::Deleted;
};

inline void capture(ConnectorJob *job, Outcome *outcome)
{
    QObject::connect(job, &ConnectorJob::finished, job, [outcome](ConnectorJob *done) {
        outcome->finished = true;
        outcome->error = done->error();
        if (auto *list = qobject_cast<ListJob *>(done))
            outcome->page = list->page();
        if (auto *simple = qobject_cast<SimpleJob *>(done))
            outcome->data = simple->data();
        if (auto *removal = qobject_cast<DeleteJob *>(done))
            outcome->deleteOutcome = removal->outcome();
    });
}

inline Outcome run(ConnectorJob *job, int timeoutMs = 10000)
{
    Outcome outcome;
    capture(job, &outcome);
    QSignalSpy spy(job, &ConnectorJob::finished);
    spy.wait(timeoutMs);
    return outcome;
}

// One account as the app builds it: settings, the process's network client, a credential store,
// the session and the connector.
struct Harness
{
    Harness(const QUrl &baseUrl, const QString &login, const QString &tenantKey,
            MemoryCredentialStore *sharedStore = nullptr, const QString &accountId = {})
        : store(sharedStore ? sharedStore : &ownStore)
    {
        account.id
            = accountId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : accountId;
        account.service = ServiceKind::Care360;
        account.name = QStringLiteral("Patient portal");
        account.baseUrl = baseUrl;
        account.setSetting(QStringLiteral("login"), login);
        session = std::make_unique<AccountSession>(account, &network, store);
        connector = std::make_unique<Care360Connector>(session.get());
        if (!tenantKey.isEmpty())
            session->storeSecret(Secret::tenantKey, tenantKey, session.get(),
                                 [](const QString &) {});
    }

    Account account;
    NetworkClient network;
    MemoryCredentialStore ownStore;
    MemoryCredentialStore *store;
    std::unique_ptr<AccountSession> session;
    std::unique_ptr<Care360Connector> connector;
};

// A tiny HTTP/1.1 server for the answers the sandbox never gives (other token shapes, odd file
// items, a short expiresIn). Answers by path, in order, repeating the last answer; records every
// request.
class FakeService : public QObject
{
public:
    using Request = SeenHttpRequest;

    FakeService()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    void answer(const QByteArray &path, int status, const QByteArray &body)
    {
        m_answers[path].append({ status, body });
    }
    QList<Request> requests;

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        qsizetype size = 0;
        const std::optional<Request> whole = wholeRequestAt(buffer, &size);
        if (!whole)
            return;
        const Request &request = *whole;
        m_buffers.remove(socket);
        requests.append(request);

        const qsizetype question = request.target.indexOf('?');
        const QByteArray path = question < 0 ? request.target : request.target.left(question);
        QList<QPair<int, QByteArray>> &queue = m_answers[path];
        const QPair<int, QByteArray> reply = queue.isEmpty()
            ? QPair<int, QByteArray>(404, QByteArrayLiteral("{\"error\":\"Not found\"}"))
            : (queue.size() > 1 ? queue.takeFirst() : queue.first());
        socket->write("HTTP/1.1 " + QByteArray::number(reply.first)
                      + " X\r\n"
                        "Content-Type: application/json\r\nConnection: close\r\n"
                        "Content-Length: "
                      + QByteArray::number(reply.second.size()) + "\r\n\r\n" + reply.second);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QByteArray, QList<QPair<int, QByteArray>>> m_answers;
};

// `count` generated files over `cases` cases, newest first, as Care360 lists them.
inline QByteArray bigListBody(int count, int cases)
{
    QByteArray body = R"({"data":{"files":[)";
    const QDateTime newest(QDate(2026, 11, 1), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < count; ++i) {
        if (i)
            body += ',';
        body += R"({"caseId":"case-)" + QByteArray::number(i % cases) + R"(","createdAt":")"
            + newest.addSecs(-60LL * i).toString(Qt::ISODate).toLatin1()
            + R"(","fileName":"Lab results )" + QByteArray::number(i) + R"(.pdf","id":"file-)"
            + QByteArray::number(i) + R"(","isPHI":)" + (i % 3 ? "true" : "false")
            + R"(,"isRestricted":false,"mimeType":"application/pdf","size":)"
            + QByteArray::number(1000 + i)
            + R"(,"uploadedBy":{"firstName":"Noah","id":"u1","lastName":"Rivera"}})";
    }
    body += R"(]},"status":200,"success":true})";
    return body;
}

class Care360Suite : public SandboxSuite
{
protected:
    void prepareSuite() override
    {
        m_credentials = m_sandbox.credentials(kService);
        QVERIFY(!str(m_credentials, "tenantKey").isEmpty());
    }

    std::unique_ptr<Harness> harness(const QString &login = {}, const QString &tenantKey = {})
    {
        return std::make_unique<Harness>(
            m_sandbox.baseUrl(kService), login.isEmpty() ? str(m_credentials, "email") : login,
            tenantKey.isEmpty() ? str(m_credentials, "tenantKey") : tenantKey);
    }
    // requestCode + verifyCode with the demo code.
    bool signIn(Harness &h)
    {
        const Outcome code = run(h.connector->requestCode());
        if (!code.finished || code.error.isError())
            return false;
        const Outcome verify = run(h.connector->verifyCode(str(m_credentials, "otpCode")));
        return verify.finished && !verify.error.isError();
    }
    std::unique_ptr<Harness> signedIn()
    {
        auto h = harness();
        if (!signIn(*h))
            return nullptr;
        return h;
    }
    QString patientId() const { return str(m_credentials, "patientId"); }
    static NodeRef fileRef(const QJsonObject &file)
    {
        return { NodeKind::Care360File, { str(file, "caseId"), str(file, "id") } };
    }
    // A file the demo patient uploaded, so may delete (the last in expectedFilesByCase()'s order).
    QJsonObject ownFile()
    {
        QJsonObject own;
        for (const auto &files : expectedFilesByCase())
            for (const QJsonObject &file : files)
                if (str(file.value(QStringLiteral("uploadedBy")).toObject(), "id") == patientId())
                    own = file;
        return own;
    }
    // The demo patient's listed files from the sandbox's own state: caseId -> files, newest first.
    QHash<QString, QList<QJsonObject>> expectedFilesByCase()
    {
        QList<QJsonObject> files;
        for (const QJsonValue &value :
             m_sandbox.state(kService).value(QStringLiteral("files")).toArray()) {
            const QJsonObject file = value.toObject();
            if (str(file, "owner") == str(m_credentials, "email")
                && str(file, "tenantKey") == str(m_credentials, "tenantKey")
                && !file.value(QStringLiteral("isDeleted")).toBool()
                && !str(file, "caseId").isEmpty())
                files.append(file);
        }
        // Newest first, as the service lists them.
        std::stable_sort(files.begin(), files.end(),
                         [](const QJsonObject &a, const QJsonObject &b) {
                             if (str(a, "createdAt") != str(b, "createdAt"))
                                 return str(a, "createdAt") > str(b, "createdAt");
                             return str(a, "id") > str(b, "id");
                         });
        QHash<QString, QList<QJsonObject>> byCase;
        for (const QJsonObject &file : std::as_const(files))
            byCase[str(file, "caseId")].append(file);
        return byCase;
    }

    // The sandbox's row of file `id`, deleted or not.
    QJsonObject stateFile(const QString &id)
    {
        for (const QJsonValue &value :
             m_sandbox.state(kService).value(QStringLiteral("files")).toArray())
            if (str(value.toObject(), "id") == id)
                return value.toObject();
        return {};
    }
    bool addFault(const QString &route, const QString &mode, int status = 0, int count = 1)
    {
        QJsonObject rule { { QStringLiteral("service"), kService },
                           { QStringLiteral("route"), route },
                           { QStringLiteral("mode"), mode },
                           { QStringLiteral("count"), count } };
        if (status)
            rule.insert(QStringLiteral("status"), status);
        return m_sandbox.addFault(rule);
    }
    QJsonArray requestLog()
    {
        return m_sandbox.requestLog(kService).value(QStringLiteral("requests")).toArray();
    }
    QJsonObject summary() const { return serviceSummary(kService); }
    // The requests logged from `from` on went to `routes` in turn, each answered with `status`.
    static void verifyRoutesInTurn(const QJsonArray &log, qsizetype from, const QStringList &routes,
                                   int status)
    {
        for (qsizetype i = from; i < log.size(); ++i) {
            const QJsonObject entry = log.at(i).toObject();
            QCOMPARE(str(entry, "route"), routes.at((i - from) % routes.size()));
            QCOMPARE(entry.value(QStringLiteral("status")).toInt(), status);
        }
    }
    // POST auth/refresh-token with `refreshToken` and the tenant key, as another program would.
    TestReply refreshByHand(const QString &refreshToken)
    {
        return m_http.sendJson(
            "POST",
            urlWith(m_sandbox.baseUrl(kService),
                    { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                      QStringLiteral("auth"), QStringLiteral("refresh-token") }),
            { { QStringLiteral("refresh_token"), refreshToken } },
            { { "cv-api-key", str(m_credentials, "tenantKey").toUtf8() } });
    }

    QJsonObject m_credentials;
    TestHttp m_http;
};

// For the suites whose every test begins signed in as the demo patient: m_patient, signed in anew
// after each reset, and let go of when the test ends.
class SignedInCare360Suite : public Care360Suite
{
protected:
    void prepareTest() override
    {
        m_patient = signedIn();
        QVERIFY(m_patient);
    }
    void finishTest() override { m_patient.reset(); }

    std::unique_ptr<Harness> m_patient;
};
