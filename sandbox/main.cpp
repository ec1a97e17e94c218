// docket-sandbox: the four document services' APIs on loopback, with generated data, for demos,
// practice, tests and benchmarks. Nothing it holds is real.

#include "core/sandboxserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>
#include <docketversion.h>

namespace {

struct ParsedOptions
{
    SandboxServer::Options server;
    QString addressesFile;
    bool quiet = false;
};

bool parseRateLimit(const QString &spec, SandboxServer::Options &options, QString *error)
{
    // SERVICE=N[,retry-after]
    const QString service = spec.section(u'=', 0, 0);
    const QString value = spec.section(u'=', 1);
    const QStringList parts = value.split(u',');
    bool ok = false;
    const int perMinute = parts.value(0).toInt(&ok);
    if (service.isEmpty() || !ok || perMinute < 0
        || (parts.size() > 1 && parts.at(1) != QLatin1String("retry-after"))) {
        *error = QStringLiteral("--rate-limit expects SERVICE=N[,retry-after], got '%1'").arg(spec);
        return false;
    }
    options.rateLimits.insert(service, { perMinute, parts.size() > 1 });
    return true;
}

std::optional<ParsedOptions> parse(const QCoreApplication &app, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Docket's practice server: the Invox Medical, CareValidate Care360, DocumentPro and "
        "Scriptix APIs on 127.0.0.1, each on its own port, with generated data.\n"
        "Demo credentials are printed at start. Nothing here is real."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed for the generated data (default 1)."),
                                  QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption scale(
        QStringLiteral("scale"),
        QStringLiteral("Generate a large data set: N Scriptix sessions, N/2 Care360 files, N/10 "
                       "DocumentPro documents and Invox documents (default: a small set)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption port(
        QStringLiteral("port"),
        QStringLiteral("First port: Invox on N, Care360 N+1, DocumentPro N+2, Scriptix N+3, "
                       "control N+4 (default: ephemeral ports)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption addresses(
        QStringLiteral("addresses-file"),
        QStringLiteral("Write the base URLs and demo credentials as JSON to this file once "
                       "every port listens."),
        QStringLiteral("path"));
    const QCommandLineOption fault(
        QStringLiteral("fault"),
        QStringLiteral("Inject a fault (repeatable): SERVICE[:ROUTE]=MODE[:ARG][@COUNT], with MODE "
                       "status:CODE, latency:MS, hang, reset, malformed, truncated, "
                       "redirect:CODE[:LOCATION] (301/302/303/307/308, default /login) or html404. "
                       "Example: scriptix:session.delete=status:503@2"),
        QStringLiteral("spec"));
    const QCommandLineOption rateLimit(
        QStringLiteral("rate-limit"),
        QStringLiteral("Per-token requests per minute for a service (repeatable): "
                       "SERVICE=N[,retry-after]; 0 lifts it. Default: scriptix=60."),
        QStringLiteral("spec"));
    const QCommandLineOption quiet(QStringLiteral("quiet"),
                                   QStringLiteral("Print nothing but errors."));
    parser.addOptions({ seed, scale, port, addresses, fault, rateLimit, quiet });
    Docket::processCommandLine(parser, app); // --version: the license too

    ParsedOptions options;
    bool ok = false;
    options.server.data.seed = parser.value(seed).toUInt(&ok);
    if (!ok) {
        *error = QStringLiteral("--seed must be a non-negative number");
        return std::nullopt;
    }
    options.server.data.scale = parser.value(scale).toInt(&ok);
    if (!ok || options.server.data.scale < 0 || options.server.data.scale > 5000000) {
        *error = QStringLiteral("--scale must be between 0 and 5000000");
        return std::nullopt;
    }
    const uint basePort = parser.value(port).toUInt(&ok);
    if (!ok || basePort > 65530) {
        *error = QStringLiteral("--port must be between 0 and 65530");
        return std::nullopt;
    }
    options.server.basePort = quint16(basePort);
    for (const QString &spec : parser.values(fault)) {
        const auto rule = FaultRule::fromSpec(spec, error);
        if (!rule)
            return std::nullopt;
        options.server.startFaults.append(*rule);
    }
    for (const QString &spec : parser.values(rateLimit)) {
        if (!parseRateLimit(spec, options.server, error))
            return std::nullopt;
    }
    options.addressesFile = parser.value(addresses);
    options.quiet = parser.isSet(quiet);
    return options;
}

QString describeValue(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isArray() || value.isObject()) {
        return QString::fromUtf8(
            value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return value.toVariant().toString();
}

void printBanner(const QJsonObject &addresses)
{
    QTextStream out(stdout);
    out << "Docket sandbox " << DOCKET_VERSION_STRING
        << " - practice server on loopback; all data is generated (seed "
        << addresses.value(QStringLiteral("seed")).toInteger() << ").\n\n";
    const QJsonObject services = addresses.value(QStringLiteral("services")).toObject();
    for (const QString &id : { QStringLiteral("invox"), QStringLiteral("care360"),
                               QStringLiteral("documentpro"), QStringLiteral("scriptix") }) {
        const QJsonObject service = services.value(id).toObject();
        out << service.value(QStringLiteral("name")).toString() << "\n  base URL  "
            << service.value(QStringLiteral("baseUrl")).toString() << '\n';
        const QJsonObject credentials = service.value(QStringLiteral("credentials")).toObject();
        for (auto it = credentials.begin(); it != credentials.end(); ++it)
            out << "  " << it.key() << ": " << describeValue(it.value()) << '\n';
        out << '\n';
    }
    out << "Control API (loopback only): " << addresses.value(QStringLiteral("control")).toString()
        << "  (GET / lists its routes)\n";
    out.flush();
}

bool writeAddresses(const QString &path, const QJsonObject &addresses, QString *error)
{
    // Atomic, so a script waiting for the file never reads half of it.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(addresses).toJson()) < 0
        || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("docket-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DOCKET_VERSION_STRING));

    QString error;
    const auto options = parse(app, &error);
    if (!options) {
        std::fprintf(stderr, "docket-sandbox: %s\n", qPrintable(error));
        return 2;
    }

    SandboxServer server;
    if (!server.start(options->server, &error)) {
        std::fprintf(stderr, "docket-sandbox: %s\n", qPrintable(error));
        return 1;
    }
    const QJsonObject addresses = server.addresses();
    if (!options->quiet)
        printBanner(addresses);
    if (!options->addressesFile.isEmpty()
        && !writeAddresses(options->addressesFile, addresses, &error)) {
        std::fprintf(stderr, "docket-sandbox: %s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}
