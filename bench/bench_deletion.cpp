// Deletes N Scriptix documents and N Care360 files on the sandbox through DeletionQueue (with its
// audit trail on a real file), and in the same run deletes N other items of the same kind with
// the vendors' own Python `requests` snippet in a loop and with `xargs -P 8 curl`. Prints items
// per second for each, against the targets: Docket at least as fast as parallel curl, no
// event-loop stall above 50 ms.
//
// Every phase starts from POST /reset (the same data every time), so no phase finds the service
// emptier or its journal longer than another; each phase deletes its own slice of the items all
// the same, so that a delete that silently did nothing could not pass for one that worked.

#include "auditlog.h"
#include "benchaccounts.h"
#include "benchsupport.h"
#include "deletionqueue.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

using namespace Docket;

namespace {

const QString scriptixId = QStringLiteral("scriptix");
const QString care360Id = QStringLiteral("care360");

// What a phase did.
struct Timing
{
    qint64 ms = -1; // -1: failed
    qint64 stallMs = -1; // Docket only
    qint64 cpuUs = -1; // Docket only: this process's CPU time
    qint64 busyMs = -1; // Docket only: see StallMeter::longestBusyMs()
    double perSecond(int items) const { return ms > 0 ? items * 1000.0 / double(ms) : 0; }
};

// Docket: the items through DeletionQueue with an AuditLog on a file, timed from submit() to
// finished(). Fails (ms -1) unless every item ended Deleted.
Timing deleteWithDocket(Client *client, const QList<Target> &targets, ServiceKind service,
                        const QString &auditPath, int concurrency, QString *problem)
{
    Timing timing;
    AuditLog audit(auditPath);
    if (!audit.open(problem))
        return timing;
    const QString accountId = client->session->account().id;
    Connector *connector = client->connector.get();
    DeletionQueue queue(
        [accountId, connector](const QString &id) { return id == accountId ? connector : nullptr; },
        &audit);
    if (concurrency > 0)
        queue.setMaxConcurrentPerAccount(concurrency);
    QList<DeletionItem> items;
    items.reserve(targets.size());
    for (const Target &target : targets) {
        DeletionItem item;
        item.accountId = accountId;
        item.accountName = QStringLiteral("bench");
        item.service = service;
        item.ref = target.ref;
        item.name = target.name;
        item.parentName = target.parentName;
        items.append(item);
    }
    bool finished = false;
    QElapsedTimer clock;
    QObject::connect(&queue, &DeletionQueue::finished, &queue, [&] {
        timing.ms = clock.elapsed();
        finished = true;
    });
    StallMeter stalls;
    stalls.start();
    const qint64 cpuBefore = cpuMicroseconds();
    clock.start();
    if (!queue.submit(items, problem)) {
        stalls.stop();
        return {};
    }
    if (!runUntil([&] { return finished; })) {
        *problem = QStringLiteral("the queue did not finish");
        return {};
    }
    stalls.stop();
    timing.cpuUs = cpuMicroseconds() - cpuBefore;
    timing.stallMs = stalls.longestStallMs();
    timing.busyMs = stalls.longestBusyMs();
    int notDeleted = 0;
    for (const DeletionItem &item : queue.items()) {
        if (item.state != DeletionState::Deleted) {
            if (++notDeleted == 1)
                *problem = QStringLiteral("%1 ended %2: %3")
                               .arg(item.ref.id(), deletionStateId(item.state), item.reason);
        }
    }
    if (notDeleted > 0) {
        *problem += QStringLiteral(" (%1 of %2 not Deleted)").arg(notDeleted).arg(targets.size());
        timing.ms = -1;
    }
    return timing;
}

// The vendor's Python snippet, unchanged but for its host, its placeholders and the one URL it
// deletes, run once per item in a loop: the way an administrator would scale up what the page
// shows. Returns the script, or "" if the snippet no longer reads as expected.
QString pythonLoop(const QString &snippetFile, const QString &urlLiteral,
                   const QList<QPair<QString, QString>> &placeholders)
{
    QFile file(QStringLiteral(DOCKET_SEEDS_DIR "/") + snippetFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString snippet = QString::fromUtf8(file.readAll());
    if (!snippet.contains(urlLiteral))
        return {};
    snippet.replace(urlLiteral, QStringLiteral("url"));
    for (const auto &[from, to] : placeholders) {
        if (!snippet.contains(from))
            return {};
        snippet.replace(from, to);
    }
    QString imports = QStringLiteral("import sys\nimport time\n");
    QString body;
    for (const QString &line : snippet.split(u'\n')) {
        if (line.startsWith(QLatin1String("import ")))
            imports += line + u'\n';
        else
            body += (line.isEmpty() ? QString() : QStringLiteral("    ") + line) + u'\n';
    }
    // Timed inside the script: the loop, not the interpreter starting and importing requests.
    return imports
        + QStringLiteral("urls = open(sys.argv[1]).read().split()\n"
                         "start = time.monotonic()\n"
                         "for url in urls:\n")
        + body
        + QStringLiteral("sys.stderr.write('loop-ms %d\\n' % round((time.monotonic() - start) * "
                         "1000))\n");
}

Timing deleteWithPython(const QString &script, const QList<Target> &targets, QTemporaryDir &dir,
                        QString *problem)
{
    QFile scriptFile(dir.filePath(QStringLiteral("loop.py")));
    QFile urlFile(dir.filePath(QStringLiteral("python-urls.txt")));
    if (!scriptFile.open(QIODevice::WriteOnly) || !urlFile.open(QIODevice::WriteOnly)) {
        *problem = QStringLiteral("cannot write the Python loop");
        return {};
    }
    scriptFile.write(script.toUtf8());
    scriptFile.close();
    for (const Target &target : targets)
        urlFile.write(target.url.toUtf8() + '\n');
    urlFile.close();
    QProcess python;
    python.setStandardOutputFile(QProcess::nullDevice());
    python.start(QStringLiteral("/usr/bin/python3"), { scriptFile.fileName(), urlFile.fileName() });
    if (!python.waitForFinished(1800000) || python.exitCode() != 0) {
        *problem
            = QStringLiteral("python3 failed: ") + QString::fromUtf8(python.readAllStandardError());
        return {};
    }
    const QByteArray err = python.readAllStandardError();
    const qsizetype at = err.lastIndexOf("loop-ms ");
    Timing timing;
    timing.ms = at < 0 ? -1 : err.mid(at + 8).trimmed().toLongLong();
    if (timing.ms < 0)
        *problem = QStringLiteral("python3 printed no time: ") + QString::fromUtf8(err);
    return timing;
}

// One curl per item, 8 at a time (xargs -P 8 -n 1), bodies discarded; wall time of xargs.
Timing deleteWithCurl(const QList<Target> &targets, const QStringList &headers, QTemporaryDir &dir,
                      QString *problem)
{
    QFile urlFile(dir.filePath(QStringLiteral("curl-urls.txt")));
    if (!urlFile.open(QIODevice::WriteOnly)) {
        *problem = QStringLiteral("cannot write the URL list");
        return {};
    }
    for (const Target &target : targets)
        urlFile.write(target.url.toUtf8() + '\n');
    urlFile.close();
    QStringList arguments { QStringLiteral("-P"),           QStringLiteral("8"),
                            QStringLiteral("-n"),           QStringLiteral("1"),
                            QStringLiteral("curl"),         QStringLiteral("--silent"),
                            QStringLiteral("--show-error"), QStringLiteral("--fail"),
                            QStringLiteral("--output"),     QStringLiteral("/dev/null"),
                            QStringLiteral("-X"),           QStringLiteral("DELETE") };
    for (const QString &header : headers)
        arguments << QStringLiteral("-H") << header;
    QProcess xargs;
    xargs.setStandardInputFile(urlFile.fileName());
    QElapsedTimer clock;
    clock.start();
    xargs.start(QStringLiteral("xargs"), arguments);
    if (!xargs.waitForFinished(1800000) || xargs.exitCode() != 0) {
        *problem = QStringLiteral("xargs curl failed: ")
            + QString::fromUtf8(xargs.readAllStandardError());
        return {};
    }
    Timing timing;
    timing.ms = clock.elapsed();
    return timing;
}

// One service's figures over all runs.
struct Figures
{
    explicit Figures(QString name)
        : what(std::move(name))
    { }

    QString what;
    QList<qint64> docketMs, pythonMs, curlMs, stallMs, docketCpuUs, busyMs;
};

void print(const Figures &figures, int items)
{
    const qint64 docket = median(figures.docketMs);
    const qint64 python = median(figures.pythonMs);
    const qint64 curl = median(figures.curlMs);
    const qint64 stall = *std::max_element(figures.stallMs.cbegin(), figures.stallMs.cend());
    const auto rate = [items](qint64 ms) {
        return ms > 0 ? items * 1000.0 / double(ms) : 0.0;
    };
    const double ratio = rate(curl) > 0 ? rate(docket) / rate(curl) : 0;
    std::printf("%s: %d items (median of %lld runs; ms per run in brackets)\n",
                qPrintable(figures.what), items, static_cast<long long>(figures.docketMs.size()));
    std::printf("  Docket (DeletionQueue + audit trail) %7.1f items/s  %6lld ms  [%s]\n",
                rate(docket), static_cast<long long>(docket), qPrintable(listOf(figures.docketMs)));
    std::printf("  Docket's CPU time (this process)     %7lld us per item\n",
                static_cast<long long>(median(figures.docketCpuUs) / items));
    if (!figures.curlMs.isEmpty()) {
        std::printf("  Python requests loop (vendor's)      %7.1f items/s  %6lld ms  [%s]\n",
                    rate(python), static_cast<long long>(python),
                    qPrintable(listOf(figures.pythonMs)));
        std::printf("  xargs -P 8 curl                      %7.1f items/s  %6lld ms  [%s]\n",
                    rate(curl), static_cast<long long>(curl), qPrintable(listOf(figures.curlMs)));
        std::printf("  Docket / parallel curl  %.2fx (target >= 1.00: %s); Docket / Python %.2fx\n",
                    ratio, ratio >= 1.0 ? "met" : "MISSED",
                    rate(python) > 0 ? rate(docket) / rate(python) : 0);
    }
    std::printf("  longest event-loop stall %lld ms over all runs [%s] (target <= 50: %s)\n",
                static_cast<long long>(stall), qPrintable(listOf(figures.stallMs)),
                stall <= 50 ? "met" : "MISSED");
    std::printf(
        "  longest the event loop was busy      %lld ms over all runs [%s] (the rest of a "
        "stall the thread waited: for a core, or blocked)\n",
        static_cast<long long>(*std::max_element(figures.busyMs.cbegin(), figures.busyMs.cend())),
        qPrintable(listOf(figures.busyMs)));
}

// Microbenchmark of the journal alone: what each item's two writes (attempt before sending,
// outcome after the answer) cost on a real file, with no network.
double auditMicrosecondsPerItem(const QString &path, int count)
{
    AuditLog audit(path);
    if (!audit.open(nullptr))
        return -1;
    QList<DeletionItem> items;
    for (int i = 0; i < count; ++i) {
        DeletionItem item;
        item.accountId = QStringLiteral("bench");
        item.accountName = QStringLiteral("bench");
        item.ref
            = NodeRef { NodeKind::ScriptixDocument,
                        { QStringLiteral("sess_%1").arg(i), QStringLiteral("doc_%1").arg(i) } };
        item.name = QStringLiteral("Document %1").arg(i);
        items.append(item);
    }
    const qint64 cpuBefore = cpuMicroseconds();
    if (!audit.createBatch(items, QStringLiteral("cli")))
        return -1;
    for (DeletionItem &item : items) {
        const qint64 attempt = audit.recordAttempt(item);
        item.state = DeletionState::Deleted;
        item.httpStatus = 200;
        audit.recordOutcome(attempt, item, AuditEntry::Outcome::Deleted);
    }
    return double(cpuMicroseconds() - cpuBefore) / count;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption itemsOption(QStringLiteral("items"),
                                         QStringLiteral("Items per phase and service."),
                                         QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
                                        QStringLiteral("Runs (the median is printed)."),
                                        QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption concurrencyOption(
        QStringLiteral("concurrency"),
        QStringLiteral("DeletionQueue::setMaxConcurrentPerAccount (0: the queue's default)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption onlyOption(QStringLiteral("only"),
                                        QStringLiteral("Measure one service only (scriptix or "
                                                       "care360), e.g. under a profiler."),
                                        QStringLiteral("service"));
    const QCommandLineOption docketOnlyOption(QStringLiteral("docket-only"),
                                              QStringLiteral("Leave the baselines out."));
    parser.addOptions({ itemsOption, runsOption, concurrencyOption, onlyOption, docketOnlyOption });
    parser.process(app);
    const int count = qMax(1, parser.value(itemsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int concurrency = parser.value(concurrencyOption).toInt();
    const QString only = parser.value(onlyOption);
    const bool doScriptix = only.isEmpty() || only == scriptixId;
    const bool doCare360 = only.isEmpty() || only == care360Id;
    const bool baselines = !parser.isSet(docketOnlyOption);

    // Care360 gets scale/2 files, all the demo patient's: three slices of `count` need 6 x count.
    SandboxProcess sandbox(benchSandboxArguments(6 * count));
    if (!sandbox.start(benchSandboxStartMs)) {
        std::fprintf(stderr, "%s\n", qPrintable(sandbox.errorString()));
        return 1;
    }
    QTemporaryDir dir;
    QString problem;

    // What to delete, from the sandbox's own view (same seed, so the same after every reset).
    const QString token = sandbox.credentials(scriptixId).value(QStringLiteral("token")).toString();
    const QJsonObject cv = sandbox.credentials(care360Id);
    const QList<Target> documents = scriptixDocuments(sandbox);
    const QList<Target> files = care360Files(sandbox);
    if (documents.size() < 3 * count || files.size() < 3 * count) {
        std::fprintf(stderr, "the sandbox holds %lld documents and %lld files; %d of each needed\n",
                     static_cast<long long>(documents.size()), static_cast<long long>(files.size()),
                     3 * count);
        return 1;
    }

    const QString scriptixPython = pythonLoop(
        QStringLiteral("scriptix_delete_document.py"),
        QStringLiteral("'https://api.scriptix.io/api/v3/speech-to-text/session/sess_abc123/"
                       "document/doc_xyz789'"),
        { { QStringLiteral("YOUR_API_KEY"), token } });
    // Care360's tokens change with every sign-in: filled in per phase.
    const QString care360PythonTemplate = pythonLoop(
        QStringLiteral("care360_delete_file.py"),
        QStringLiteral("'<BASE_URL>/api/v1/users/me/files/<id>'"),
        { { QStringLiteral("<redacted>"), cv.value(QStringLiteral("tenantKey")).toString() } });
    if (scriptixPython.isEmpty() || care360PythonTemplate.isEmpty()) {
        std::fprintf(stderr, "the seed snippets in %s no longer read as expected\n",
                     DOCKET_SEEDS_DIR);
        return 1;
    }

    const auto fail = [](const QString &phase, const QString &why) {
        std::fprintf(stderr, "CORRECTNESS FAILURE in %s: %s\n", qPrintable(phase), qPrintable(why));
        return 2;
    };
    // One service's three phases, each after a reset and each on its own slice of the items.
    struct Plan
    {
        QString service;
        QString kind; // in the sandbox's "deleted" lists
        ServiceKind serviceKind;
        QList<Target> targets;
        // A signed-in client; Care360 must sign in again after every reset.
        std::function<std::unique_ptr<Client>()> client;
        std::function<QStringList(Client *)> curlHeaders;
        std::function<QString(Client *)> pythonScript;
        Figures figures;
    };
    const QString tenantKey = cv.value(QStringLiteral("tenantKey")).toString();
    QList<Plan> plans;
    if (doScriptix) {
        plans.append({ scriptixId, QStringLiteral("documents"), ServiceKind::Scriptix, documents,
                       [&] { return scriptixClient(sandbox); },
                       [&](Client *) {
                           return QStringList { QStringLiteral("Authorization: Bearer ") + token };
                       },
                       [&](Client *) { return scriptixPython; },
                       Figures { QStringLiteral("Scriptix documents") } });
    }
    if (doCare360) {
        plans.append(
            { care360Id, QStringLiteral("files"), ServiceKind::Care360, files,
              [&] { return care360Client(sandbox); },
              [&](Client *client) {
                  return QStringList { QStringLiteral("cv-api-key: ") + tenantKey,
                                       QStringLiteral("Authorization: Bearer ")
                                           + client->session->secret(Secret::accessToken) };
              },
              [&](Client *client) {
                  QString script = care360PythonTemplate;
                  return script.replace(QStringLiteral("<accessToken>"),
                                        client->session->secret(Secret::accessToken));
              },
              Figures { QStringLiteral("Care360 files") } });
    }

    for (int run = 0; run < runs; ++run) {
        for (Plan &plan : plans) {
            for (int phase = 0; phase < (baselines ? 3 : 1); ++phase) {
                const QList<Target> slice = plan.targets.mid(phase * count, count);
                const QString what
                    = QStringList { QStringLiteral("Docket"), QStringLiteral("Python"),
                                    QStringLiteral("curl") }
                          .at(phase)
                    + QStringLiteral(", ") + plan.service;
                if (!sandbox.reset())
                    return fail(what, QStringLiteral("POST /reset failed"));
                auto client = plan.client();
                if (!client)
                    return fail(what, QStringLiteral("could not sign in"));
                Timing timing;
                if (phase == 0) {
                    timing = deleteWithDocket(
                        client.get(), slice, plan.serviceKind,
                        dir.filePath(
                            QStringLiteral("audit-%1-%2.sqlite").arg(plan.service).arg(run)),
                        concurrency, &problem);
                } else if (phase == 1) {
                    timing
                        = deleteWithPython(plan.pythonScript(client.get()), slice, dir, &problem);
                } else {
                    timing = deleteWithCurl(slice, plan.curlHeaders(client.get()), dir, &problem);
                }
                if (timing.ms < 0
                    || !sandboxAgrees(sandbox, plan.service, plan.kind, slice, &problem))
                    return fail(what, problem);
                QList<qint64> &times = phase == 0 ? plan.figures.docketMs
                    : phase == 1                  ? plan.figures.pythonMs
                                                  : plan.figures.curlMs;
                times << timing.ms;
                if (phase == 0) {
                    plan.figures.stallMs << timing.stallMs;
                    plan.figures.docketCpuUs << timing.cpuUs;
                    plan.figures.busyMs << timing.busyMs;
                }
            }
        }
    }

    std::printf("bench_deletion (loopback sandbox on the same cores, %d items per phase, "
                "every item Deleted and the sandbox agreeing)\n\n",
                count);
    for (const Plan &plan : std::as_const(plans))
        print(plan.figures, count);
    QList<qint64> auditUs;
    for (int run = 0; run < runs; ++run)
        auditUs << qint64(auditMicrosecondsPerItem(
            dir.filePath(QStringLiteral("audit-alone-%1.sqlite").arg(run)), count));
    std::printf("audit trail alone: %lld us CPU per item (attempt + outcome, %d items, no network; "
                "median of %d)\n",
                static_cast<long long>(median(auditUs)), count, runs);
    return 0;
}
