#pragma once

// Runs the real docket-cli (DOCKET_CLI_PATH, set by the suite's target) with a private settings
// file, as an administrator's shell would: its exit code, standard output and standard error.

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTest>
#include <QTimer>
#include <QUrl>

struct CliRun
{
    int exitCode = -1; // -2: it crashed; -1: it did not finish in time
    QString out;
    QString err;

    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
    // `--json`'s "result": an object (rm, resume with a batch, an upload) or a list (ls, audit,
    // accounts, resume).
    QJsonObject result() const { return json().value(QStringLiteral("result")).toObject(); }
    QJsonArray resultList() const { return json().value(QStringLiteral("result")).toArray(); }
    // `rm --json`: what it says of each item it was given, in order.
    QJsonArray removed() const { return result().value(QStringLiteral("items")).toArray(); }
    QJsonObject firstRemoved() const { return removed().at(0).toObject(); }
};

// The whole of the file at `path`, or nothing when it cannot be read: to check that a settings
// file holds no secret, say.
inline QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Writes `contents` to a new file at `path` (a note to upload, say); false when it could not.
inline bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

// `docket-cli --config CONFIG ARGUMENTS...`, with `extra` added to this process's environment
// and `input` on its standard input.
inline CliRun runDocketCli(const QString &config, const QStringList &arguments,
                           const QProcessEnvironment &extra = {}, const QByteArray &input = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : extra.keys())
        environment.insert(key, extra.value(key));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(DOCKET_CLI_PATH),
                  QStringList { QStringLiteral("--config"), config } + arguments);
    process.write(input);
    process.closeWriteChannel();
    CliRun result;
    // An event loop rather than waitForFinished(): a CannedServer in the test's process must
    // answer it meanwhile.
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// `account add SERVICE NAME --base-url BASE_URL EXTRA...` through the suite's own `run` (each
// suite runs the CLI its own way), which must succeed.
template<typename Run>
void addCliAccount(Run &&run, const QUrl &baseUrl, const QString &service, const QString &name,
                   const QStringList &extra = {})
{
    const CliRun added
        = run(QStringList { QStringLiteral("account"), QStringLiteral("add"), service, name,
                            QStringLiteral("--base-url"), baseUrl.toString() }
              + extra);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
}
