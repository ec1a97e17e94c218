// Lists N Scriptix sessions and M Care360 files from the sandbox into the tree model, and in the
// same run times curl fetching the same pages. Prints wall time, memory per row and the longest
// event-loop stall, against the targets: listing <= 1.5x the raw fetch, <= 300 bytes per row,
// no stall above 50 ms.

#include "accountsession.h"
#include "benchaccounts.h"
#include "benchsupport.h"
#include "connector.h"
#include "connectors/care360/care360connector.h"
#include "credentialstore.h"
#include "documenttreemodel.h"
#include "networkclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <cstdio>

using namespace Docket;

namespace {

// One listing into a fresh model.
struct Listing
{
    int rows = 0;
    qint64 docketMs = 0;
    qint64 firstLevelMs = 0; // until the account's children were in the model
    qint64 bytesPerRow = 0;
    qint64 stallMs = 0;
    QStringList requested; // the URLs Docket fetched, in order
    qint64 requestedBytes = 0;
};

// One service's figures over all runs (each list holds one figure per run, in order).
struct Figures
{
    QString what;
    Listing first; // the first listing in this process: nothing warmed up but the sandbox
    QList<qint64> docketMs;
    QList<qint64> firstLevelMs;
    QList<qint64> curlParallelMs;
    QList<qint64> curlSequentialMs;
    QList<qint64> qtFetchMs; // Qt's network stack alone, fetching the same (empty: not measured)
    qint64 stallMs = 0; // the longest of any run
};

// Fetches every row under `parent` (and, when `depth` > 1, under each child) into the model.
// `firstLevel`, if given, is called when the rows right under `parent` are in.
void loadAll(DocumentTreeModel &model, const QModelIndex &parent, int depth,
             const std::function<void()> &firstLevel = {})
{
    model.fetchAll(parent);
    const QPersistentModelIndex persistent(parent);
    runUntil([&] {
        return model.data(persistent, DocumentTreeModel::LoadStateRole).toInt()
            != int(DocumentTreeModel::LoadState::Loading)
            && !model.canFetchMore(persistent);
    });
    if (firstLevel)
        firstLevel();
    if (depth > 1) {
        for (int row = 0; row < model.rowCount(parent); ++row)
            model.fetchAll(model.index(row, 0, parent));
        runUntil([&] {
            for (int row = 0; row < model.rowCount(persistent); ++row) {
                const QModelIndex child = model.index(row, 0, persistent);
                if (model.data(child, DocumentTreeModel::LoadStateRole).toInt()
                        == int(DocumentTreeModel::LoadState::Loading)
                    || model.canFetchMore(child))
                    return false;
            }
            return true;
        });
    }
}

int countRows(const DocumentTreeModel &model, const QModelIndex &parent, int depth)
{
    int rows = 0;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        rows += depth == 1 ? 1 : countRows(model, model.index(row, 0, parent), depth - 1);
    }
    return rows;
}

Listing measureInModel(Connector *connector, int depth, QNetworkAccessManager *network = nullptr)
{
    Listing figures;
    // Every request Docket makes while listing, for the baseline to fetch the same.
    QMetaObject::Connection recorder;
    if (network) {
        recorder = QObject::connect(
            network, &QNetworkAccessManager::finished, [&figures](QNetworkReply *reply) {
                // Listing requests only (NetworkClient sends every method as a custom verb).
                const QByteArray verb = reply->request()
                                            .attribute(QNetworkRequest::CustomVerbAttribute)
                                            .toByteArray();
                if (reply->operation() != QNetworkAccessManager::GetOperation && verb != "GET")
                    return;
                figures.requested << reply->url().toString();
                figures.requestedBytes
                    += reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
            });
    }
    DocumentTreeModel model;
    StallMeter stalls;
    const qint64 before = heapInUseBytes();
    QElapsedTimer clock;
    clock.start();
    stalls.start();
    model.addAccount(connector);
    loadAll(model, model.indexForAccount(connector->account().id), depth,
            [&] { figures.firstLevelMs = clock.elapsed(); });
    stalls.stop();
    figures.docketMs = clock.elapsed();
    QObject::disconnect(recorder);
    figures.rows = countRows(model, model.indexForAccount(connector->account().id), depth);
    // Finished jobs delete themselves (and the pages they hand over) on the next turn of the event
    // loop: let them go first, so what is measured is what the model holds.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    // Measured while the model still holds the rows; network buffers are gone by now.
    figures.bytesPerRow = figures.rows ? (heapInUseBytes() - before) / figures.rows : 0;
    figures.stallMs = stalls.longestStallMs();
    return figures;
}

void print(const Figures &figures)
{
    const qint64 docket = median(figures.docketMs);
    const qint64 curl = median(figures.curlParallelMs);
    const auto ratioOf = [](qint64 ms, qint64 baseline) {
        return baseline > 0 ? double(ms) / double(baseline) : 0.0;
    };
    const double ratio = ratioOf(docket, curl);
    const Listing &first = figures.first;
    std::printf("%s: %d rows", qPrintable(figures.what), first.rows);
    if (!first.requested.isEmpty())
        std::printf(" (%lld requests, %.1f MB)", static_cast<long long>(first.requested.size()),
                    double(first.requestedBytes) / 1e6);
    std::printf("; median of %lld runs, ms per run in brackets\n",
                static_cast<long long>(figures.docketMs.size()));
    std::printf("  Docket into the model   %7lld ms   [%s]\n", static_cast<long long>(docket),
                qPrintable(listOf(figures.docketMs)));
    std::printf("  curl, 6 in parallel     %7lld ms   [%s]  (ratio %.2f, target <= 1.50: %s)\n",
                static_cast<long long>(curl), qPrintable(listOf(figures.curlParallelMs)), ratio,
                ratio <= 1.5 ? "met" : "MISSED");
    std::printf("  curl, one at a time     %7lld ms   [%s]\n",
                static_cast<long long>(median(figures.curlSequentialMs)),
                qPrintable(listOf(figures.curlSequentialMs)));
    if (!figures.qtFetchMs.isEmpty()) {
        const qint64 qt = median(figures.qtFetchMs);
        std::printf("  Qt's network alone      %7lld ms   [%s]  (the same requests, bodies "
                    "dropped; %.2f times curl)\n",
                    static_cast<long long>(qt), qPrintable(listOf(figures.qtFetchMs)),
                    ratioOf(qt, curl));
    }
    std::printf("  first level in model    %7lld ms   [%s]\n",
                static_cast<long long>(median(figures.firstLevelMs)),
                qPrintable(listOf(figures.firstLevelMs)));
    if (figures.docketMs.size() > 1)
        std::printf("  first run alone         %7lld ms   (nothing in this process warmed up)\n",
                    static_cast<long long>(first.docketMs));
    std::printf("  heap per row            %7lld bytes (target <= 300: %s)\n",
                static_cast<long long>(first.bytesPerRow),
                first.bytesPerRow <= 300 ? "met" : "MISSED");
    std::printf("  longest event-loop stall %6lld ms (any run; target <= 50: %s)\n",
                static_cast<long long>(figures.stallMs), figures.stallMs <= 50 ? "met" : "MISSED");
}

// Adds one run's listing to `figures`.
void add(Figures *figures, const Listing &listing)
{
    if (figures->docketMs.isEmpty())
        figures->first = listing;
    figures->docketMs << listing.docketMs;
    figures->firstLevelMs << listing.firstLevelMs;
    figures->stallMs = qMax(figures->stallMs, listing.stallMs);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption sessions(QStringLiteral("sessions"),
                                      QStringLiteral("Scriptix sessions."), QStringLiteral("n"),
                                      QStringLiteral("100000"));
    const QCommandLineOption files(QStringLiteral("files"), QStringLiteral("Care360 files."),
                                   QStringLiteral("n"), QStringLiteral("50000"));
    // The other way to fill the cases: fetch and read each case's own list, as Docket did before
    // it kept the account's answer (see Care360Connector::setKnownFilesLifetime). The baseline
    // follows: curl then fetches those lists too.
    const QCommandLineOption caseLists(QStringLiteral("care360-case-lists"),
                                       QStringLiteral("Fetch every Care360 case's own list."));
    // Care360's listing takes a fraction of a second: it is repeated, alternating with its
    // baselines, so that one busy moment of the machine does not decide the ratio. (Scriptix's
    // takes seconds and is listed once.)
    const QCommandLineOption runs(QStringLiteral("runs"),
                                  QStringLiteral("Care360 runs (the median is printed)."),
                                  QStringLiteral("n"), QStringLiteral("7"));
    parser.addOptions({ sessions, files, caseLists, runs });
    parser.process(app);
    const int sessionCount = parser.value(sessions).toInt();
    const int fileCount = parser.value(files).toInt();
    const int runCount = qMax(1, parser.value(runs).toInt());

    SandboxProcess sandbox(benchSandboxArguments(qMax(sessionCount, fileCount * 2)));
    if (!sandbox.start(benchSandboxStartMs)) {
        std::fprintf(stderr, "%s\n", qPrintable(sandbox.errorString()));
        return 1;
    }
    NetworkClient network;
    MemoryCredentialStore credentials;

    // --sessions 0 leaves Scriptix out (its 100,000 sessions take seconds; handy when only
    // Care360 is being measured).
    Figures scriptixFigures;
    bool stored = false;
    if (sessionCount > 0) {
        // Scriptix: offset/limit pages of 100.
        Account scriptix;
        scriptix.id = QStringLiteral("bench-scriptix");
        scriptix.name = QStringLiteral("bench");
        scriptix.baseUrl = sandbox.baseUrl(QStringLiteral("scriptix"));
        scriptix.requestsPerMinute = 0; // the sandbox's limit is lifted too
        AccountSession scriptixSession(scriptix, &network, &credentials);
        const QString token = sandbox.credentials(QStringLiteral("scriptix"))
                                  .value(QStringLiteral("token"))
                                  .toString();
        stored = false;
        scriptixSession.storeSecret(Secret::token, token, &app,
                                    [&](const QString &) { stored = true; });
        runUntil([&] { return stored; });
        auto scriptixConnector = createConnector(&scriptixSession, nullptr);
        scriptixFigures.what = QStringLiteral("Scriptix sessions");
        add(&scriptixFigures, measureInModel(scriptixConnector.get(), 1));
        QStringList pages;
        for (int offset = 0; offset < sessionCount; offset += 100) {
            pages << urlWithSegments(
                         scriptix.baseUrl,
                         { QStringLiteral("speech-to-text"), QStringLiteral("session") },
                         { { QStringLiteral("offset"), QString::number(offset) },
                           { QStringLiteral("limit"), QStringLiteral("100") } })
                         .toString();
        }
        const QStringList scriptixHeaders { QStringLiteral("Authorization: Bearer ") + token };
        scriptixFigures.curlParallelMs << timeCurl(pages, scriptixHeaders, 6);
        scriptixFigures.curlSequentialMs << timeCurl(pages, scriptixHeaders, 1);
    }

    // Care360: one list of everything (to find the cases), and a list per case where Docket still
    // asks for one.
    const QJsonObject cv = sandbox.credentials(QStringLiteral("care360"));
    Account care360;
    care360.id = QStringLiteral("bench-care360");
    care360.service = ServiceKind::Care360;
    care360.name = QStringLiteral("bench");
    care360.baseUrl = sandbox.baseUrl(QStringLiteral("care360"));
    care360.setSetting(QStringLiteral("login"), cv.value(QStringLiteral("email")).toString());
    AccountSession care360Session(care360, &network, &credentials);
    stored = false;
    care360Session.storeSecret(Secret::tenantKey, cv.value(QStringLiteral("tenantKey")).toString(),
                               &app, [&](const QString &) { stored = true; });
    runUntil([&] { return stored; });
    auto care360Connector = createConnector(&care360Session, nullptr);
    auto *care360Typed = static_cast<Care360Connector *>(care360Connector.get());
    if (parser.isSet(caseLists))
        care360Typed->setKnownFilesLifetime(0);
    QString problem;
    if (!signInWithCode(care360Typed, cv.value(QStringLiteral("otpCode")).toString(), &problem))
        std::fprintf(stderr, "Care360 sign-in failed: %s\n", qPrintable(problem));
    Figures care360Figures;
    QStringList casePages { urlWithSegments(care360.baseUrl,
                                            { QStringLiteral("api"), QStringLiteral("v1"),
                                              QStringLiteral("users"), QStringLiteral("me"),
                                              QStringLiteral("files") })
                                .toString() };
    for (const QJsonValue &caseValue : cv.value(QStringLiteral("cases")).toArray()) {
        casePages << urlWithSegments(
                         care360.baseUrl,
                         { QStringLiteral("api"), QStringLiteral("v1"), QStringLiteral("users"),
                           QStringLiteral("me"), QStringLiteral("files") },
                         { { QStringLiteral("caseId"),
                             caseValue.toObject().value(QStringLiteral("id")).toString() } })
                         .toString();
    }
    const QStringList care360Headers {
        QStringLiteral("cv-api-key: ") + cv.value(QStringLiteral("tenantKey")).toString(),
        QStringLiteral("Authorization: Bearer ") + care360Session.secret(Secret::accessToken)
    };
    // The sandbox builds each file's JSON the first time it is listed: warm it, so neither side
    // pays for that.
    timeCurl(casePages, care360Headers, 6);
    care360Figures.what = QStringLiteral("Care360 files");
    for (int run = 0; run < runCount; ++run) {
        add(&care360Figures, measureInModel(care360Connector.get(), 2, network.manager()));
        // The baseline fetches exactly what Docket fetched, recorded as it went: the account's
        // list of every file, plus any case lists Docket asked for (none when the account's
        // answer is fresh enough to fill the cases, see Care360Connector::list()).
        const QStringList &requested = care360Figures.first.requested;
        care360Figures.curlParallelMs << timeCurl(requested, care360Headers, 6);
        care360Figures.curlSequentialMs << timeCurl(requested, care360Headers, 1);
        care360Figures.qtFetchMs << timeQtFetch(network.manager(), requested, care360Headers);
    }

    std::printf("bench_listing (loopback sandbox, %d Scriptix sessions, %d Care360 files)\n\n",
                sessionCount, fileCount);
    if (sessionCount > 0)
        print(scriptixFigures);
    print(care360Figures);
    std::printf("peak resident memory of this process: %lld MB\n",
                static_cast<long long>(peakResidentBytes() / (1024 * 1024)));
    return 0;
}
