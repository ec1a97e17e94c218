// docket-cli ls --search/--sort/--desc and find, against a sandbox of 100,000 Scriptix sessions:
// the server is asked where it can search (and the requests counted), the rest is filtered
// locally or named with the reason.

#include "clirun.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString scriptixAccount = QStringLiteral("big-scriptix");

QStringList namesIn(const QJsonArray &items)
{
    QStringList names;
    for (const QJsonValue &item : items)
        names.append(item.toObject().value(QStringLiteral("name")).toString());
    return names;
}

} // namespace

class TestCliSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void lsSearchAsksTheServer();
    void lsSortFollowsTheServer();
    void lsRefusesAnOrderTheServiceCannotGive();
    void lsFiltersLocallyWhereTheServerCannotSearch();
    void lsKeepsHostileSearchTextWhole();
    void findSearchesEveryAccountThatCan();

private:
    CliRun run(const QStringList &arguments) const
    {
        return runDocketCli(m_config, arguments, m_secrets);
    }
    int sessionLists() const
    {
        return m_sandbox.requestCount(QStringLiteral("scriptix"), QStringLiteral("session.list"));
    }
    // A session name from the first page, newest first, that its neighbours do not share.
    QString someSessionName();

    SandboxProcess m_sandbox { { QStringLiteral("--scale"), QStringLiteral("100000"),
                                 QStringLiteral("--rate-limit"), QStringLiteral("scriptix=0"),
                                 QStringLiteral("--quiet") } };
    QTemporaryDir m_dir;
    QString m_config;
    QProcessEnvironment m_secrets;
};

void TestCliSearch::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    QVERIFY(m_dir.isValid());
    m_config = m_dir.filePath(QStringLiteral("accounts.ini"));
    const auto add = [this](const QString &service, const QString &name,
                            const QStringList &extra = {}) {
        addCliAccount([this](const QStringList &arguments) { return run(arguments); },
                      m_sandbox.baseUrl(service), service, name,
                      extra + QStringList { QStringLiteral("--requests-per-minute"), u"0"_qs });
    };
    add(QStringLiteral("scriptix"), scriptixAccount);
    add(QStringLiteral("documentpro"), QStringLiteral("big-dp"));
    add(QStringLiteral("care360"), QStringLiteral("big-care360"),
        { QStringLiteral("--login"),
          m_sandbox.credentials(QStringLiteral("care360")).value(u"email"_qs).toString() });
    add(QStringLiteral("invox"), QStringLiteral("big-invox"),
        { QStringLiteral("--app-id"),
          m_sandbox.credentials(QStringLiteral("invox")).value(u"appId"_qs).toString() });
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_BIG_SCRIPTIX_TOKEN"),
                     m_sandbox.credentials(u"scriptix"_qs).value(u"token"_qs).toString());
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_BIG_DP_API_KEY"),
                     m_sandbox.credentials(u"documentpro"_qs).value(u"apiKey"_qs).toString());
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_BIG_CARE360_TENANT_KEY"),
                     m_sandbox.credentials(u"care360"_qs).value(u"tenantKey"_qs).toString());
    m_secrets.insert(QStringLiteral("DOCKET_SECRET_BIG_INVOX_API_KEY"),
                     m_sandbox.credentials(u"invox"_qs).value(u"apiKey"_qs).toString());
    m_secrets.insert(QStringLiteral("DOCKET_AUDIT_FILE"), m_dir.filePath(u"audit.sqlite"_qs));
}

QString TestCliSearch::someSessionName()
{
    const CliRun listed = run({ QStringLiteral("ls"), u"/"_qs + scriptixAccount, u"--json"_qs });
    if (listed.exitCode != 0)
        return {};
    const QStringList names = namesIn(listed.json().value(u"result"_qs).toArray());
    for (qsizetype i = 1; i + 1 < names.size(); ++i) {
        if (names.at(i).startsWith(u"telehealth-") && !names.mid(0, i).contains(names.at(i))
            && !names.mid(i + 1).contains(names.at(i)))
            return names.at(i);
    }
    return names.value(names.size() / 2);
}

void TestCliSearch::lsSearchAsksTheServer()
{
    const int before = sessionLists();
    const CliRun found = run(
        { u"ls"_qs, u"/"_qs + scriptixAccount, u"--search"_qs, u"WARD-ROUND"_qs, u"--json"_qs });
    QVERIFY2(found.exitCode == 0, qPrintable(found.err));
    const QStringList names = namesIn(found.json().value(u"result"_qs).toArray());
    QCOMPARE(names.size(), 100); // the first page; thousands match
    for (const QString &name : names)
        QVERIFY2(name.contains(u"ward-round", Qt::CaseInsensitive), qPrintable(name));
    QCOMPARE(sessionLists() - before, 1);
    QVERIFY2(found.err.contains(u"--all"), qPrintable(found.err));
}

void TestCliSearch::lsSortFollowsTheServer()
{
    for (const bool descending : { false, true }) {
        QStringList arguments { u"ls"_qs, u"/"_qs + scriptixAccount, u"--sort"_qs, u"name"_qs,
                                u"--json"_qs };
        if (descending)
            arguments.append(u"--desc"_qs);
        const CliRun sorted = run(arguments);
        QVERIFY2(sorted.exitCode == 0, qPrintable(sorted.err));
        const QStringList names = namesIn(sorted.json().value(u"result"_qs).toArray());
        QCOMPARE(names.size(), 100);
        QStringList expected = names;
        std::sort(expected.begin(), expected.end());
        if (descending)
            std::reverse(expected.begin(), expected.end());
        QCOMPARE(names, expected);
    }
    // Search and order together: the matches, in order.
    const CliRun both = run({ u"ls"_qs, u"/"_qs + scriptixAccount, u"--search"_qs, u"discharge"_qs,
                              u"--sort"_qs, u"name"_qs, u"--json"_qs });
    QVERIFY2(both.exitCode == 0, qPrintable(both.err));
    const QStringList names = namesIn(both.json().value(u"result"_qs).toArray());
    QVERIFY(!names.isEmpty());
    QVERIFY(std::is_sorted(names.cbegin(), names.cend()));
    for (const QString &name : names)
        QVERIFY(name.startsWith(u"discharge-"));
}

void TestCliSearch::lsRefusesAnOrderTheServiceCannotGive()
{
    const int before = sessionLists();
    CliRun refused = run({ u"ls"_qs, u"/"_qs + scriptixAccount, u"--sort"_qs, u"colour"_qs });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"name, created, duration, status"), qPrintable(refused.err));
    refused = run({ u"ls"_qs, u"/"_qs + scriptixAccount, u"--desc"_qs });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"--sort"), qPrintable(refused.err));
    QCOMPARE(sessionLists(), before);
    // DocumentPro documents no order at all.
    refused = run({ u"ls"_qs, u"/big-dp"_qs, u"--sort"_qs, u"name"_qs });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"DocumentPro documents no order"), qPrintable(refused.err));
    QCOMPARE(m_sandbox.requestCount(u"documentpro"_qs, u"documents.list"_qs), 0);
}

void TestCliSearch::lsFiltersLocallyWhereTheServerCannotSearch()
{
    // A session's documents come from its own GET: Scriptix cannot search them, so Docket
    // filters them and says so.
    const CliRun sessions = run({ u"ls"_qs, u"/"_qs + scriptixAccount, u"--json"_qs });
    QVERIFY2(sessions.exitCode == 0, qPrintable(sessions.err));
    const QString sessionPath = sessions.json()
                                    .value(u"result"_qs)
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(u"path"_qs)
                                    .toString();
    const CliRun all = run({ u"ls"_qs, sessionPath, u"--json"_qs });
    QVERIFY2(all.exitCode == 0, qPrintable(all.err));
    const QStringList documents = namesIn(all.json().value(u"result"_qs).toArray());
    QVERIFY(!documents.isEmpty());
    const QString wanted = documents.first().section(u" - "_qs, -1);
    const CliRun filtered
        = run({ u"ls"_qs, sessionPath, u"--search"_qs, wanted.toUpper(), u"--json"_qs });
    QVERIFY2(filtered.exitCode == 0, qPrintable(filtered.err));
    QVERIFY2(filtered.err.contains(u"cannot search this listing"), qPrintable(filtered.err));
    const QStringList kept = namesIn(filtered.json().value(u"result"_qs).toArray());
    QStringList expected;
    for (const QString &name : documents) {
        if (name.contains(wanted, Qt::CaseInsensitive))
            expected.append(name);
    }
    QCOMPARE(kept, expected);
}

void TestCliSearch::lsKeepsHostileSearchTextWhole()
{
    const QStringList texts { u"a&limit=1&offset=5"_qs, u"x\" OR '1'='1"_qs, u"100% ?q=☃ 東京"_qs,
                              QString(1000, u'z') };
    for (const QString &text : texts) {
        const int before = sessionLists();
        const CliRun none
            = run({ u"ls"_qs, u"/"_qs + scriptixAccount, u"--search"_qs, text, u"--json"_qs });
        QVERIFY2(none.exitCode == 0, qPrintable(none.err));
        QCOMPARE(none.json().value(u"result"_qs).toArray().size(), 0);
        QVERIFY2(none.err.contains(u"(empty)"), qPrintable(none.err));
        QCOMPARE(sessionLists() - before, 1);
    }
}

void TestCliSearch::findSearchesEveryAccountThatCan()
{
    const QString wanted = someSessionName();
    QVERIFY(!wanted.isEmpty());
    const int before = sessionLists();
    const CliRun found = run({ u"find"_qs, wanted, u"--json"_qs });
    QVERIFY2(found.exitCode == 0, qPrintable(found.err));
    const int sent = sessionLists() - before;
    qInfo() << "find" << wanted << "among 100,000 Scriptix sessions:" << sent << "requests";
    QVERIFY2(sent <= 3, qPrintable(QString::number(sent)));

    const QJsonObject result = found.json().value(u"result"_qs).toObject();
    const QJsonArray matches = result.value(u"matches"_qs).toArray();
    QVERIFY(namesIn(matches).contains(wanted));
    for (const QJsonValue &match : matches) {
        QVERIFY(
            match.toObject().value(u"name"_qs).toString().contains(wanted, Qt::CaseInsensitive));
        QVERIFY(match.toObject()
                    .value(u"path"_qs)
                    .toString()
                    .startsWith(u"/"_qs + scriptixAccount + u'/'));
    }
    // DocumentPro was searched (nothing there has that name); Care360 and Invox were not, and
    // say why, without a request.
    QCOMPARE(m_sandbox.requestCount(u"documentpro"_qs, u"documents.list"_qs), 1);
    QStringList notSearched;
    for (const QJsonValue &skipped : result.value(u"notSearched"_qs).toArray()) {
        const QJsonObject entry = skipped.toObject();
        notSearched.append(entry.value(u"account"_qs).toString());
        QVERIFY(!entry.value(u"failed"_qs).toBool());
        QVERIFY(!entry.value(u"reason"_qs).toString().isEmpty());
    }
    notSearched.sort();
    QCOMPARE(notSearched, QStringList({ u"big-care360"_qs, u"big-invox"_qs }));
    QVERIFY2(
        found.err.contains(u"big-care360 (Care360) not searched: Care360 sends each list whole"),
        qPrintable(found.err));
    QVERIFY2(found.err.contains(u"big-invox (Invox) not searched: Invox has no document list"),
             qPrintable(found.err));

    // In text: one line per match, its path first.
    const CliRun text = run({ u"find"_qs, wanted });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(u"\tsession\t"_qs + wanted), qPrintable(text.out));
}

QTEST_GUILESS_MAIN(TestCliSearch)
#include "tst_cli_search.moc"
