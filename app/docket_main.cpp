// docket: the desktop window.

#include "aboutdialog.h"
#include "accountmanager.h"
#include "accountstore.h"
#include "applicationinfo.h"
#include "auditlog.h"
#include "auditlogpath.h"
#include "connector.h"
#include "deletionqueue.h"
#include "documenttreemodel.h"
#include "fallbackcredentialstore.h"
#include "keychaincredentialstore.h"
#include "localservicedata.h"
#include "logsink.h"
#include "mainwindow.h"
#include "networkclient.h"
#include "pendingremovalstore.h"
#include "sandboxlauncher.h"
#include "serviceinfo.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <docketversion.h>

using namespace Docket;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Docket::setApplicationInfo(QStringLiteral("docket"));
    Docket::installTranslations();
    QApplication::setApplicationDisplayName(QStringLiteral("Docket"));
    QApplication::setWindowIcon(Docket::applicationIcon());
    // So Wayland matches the window to its desktop entry.
    QGuiApplication::setDesktopFileName(QStringLiteral(DOCKET_APP_ID));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main",
                                "Review and delete documents held by Invox Medical, "
                                "CareValidate Care360, DocumentPro and Scriptix."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandbox(
        QStringLiteral("sandbox"),
        QApplication::translate("main",
                                "Practise safely: start the bundled docket-sandbox on this "
                                "computer with one demo account per service (secrets in "
                                "memory only); it stops when Docket quits."));
    parser.addOption(sandbox);
    const QCommandLineOption logFile(
        QStringLiteral("log-file"),
        QApplication::translate("main",
                                "Append a log (a line per request and per outcome, secrets "
                                "redacted) to this file; also DOCKET_LOG."),
        QStringLiteral("file"));
    parser.addOption(logFile);
    Docket::processCommandLine(parser, app); // --version: the license too
    const bool practice = parser.isSet(sandbox);
    // Installed even without a file: every message, Qt's own included, passes its redaction.
    QString logError;
    const bool logOpen = LogSink::install(LogSink::requestedPath(parser.value(logFile)), &logError);

    // What services keep on this machine (the Invox index): a throwaway folder for practice, so
    // the sandbox never touches real records.
    QTemporaryDir practiceDir;
    const QString dataDir = practice
        ? practiceDir.path()
        : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/Docket");
    QDir().mkpath(dataDir);
    LocalServiceData localData(dataDir);
    QString indexError;
    const bool indexOpen = localData.open(&indexError);

    NetworkClient network;
    DocumentTreeModel model;
    AccountManager accounts(&network, indexOpen ? localData.openStores().invoxIndex : nullptr);
    KeychainCredentialStore keychain;
    // Removals the keychain refused are listed and retried at each start (shared with docket-cli).
    PendingRemovalStore pendingRemovals(&keychain);
    // The keychain, or memory for the rest of the run once the keychain fails (the user is told).
    FallbackCredentialStore secrets(&pendingRemovals);
    // Saved accounts (no secrets). Practice accounts go to a throwaway file.
    auto store = practice
        ? std::make_unique<AccountStore>(practiceDir.path() + QStringLiteral("/accounts.ini"))
        : std::make_unique<AccountStore>();
    // The audit trail, which is also the journal that lets a batch survive a crash. Practice
    // deletes are kept in their own file (see auditLogPath()).
    AuditLog audit(auditLogPath(practice));
    QString auditError;
    const bool auditOpen = audit.open(&auditError);
    // Without its trail Docket refuses to delete (the queue cannot record a batch): it says why.
    DeletionQueue deletions([&accounts](const QString &id) { return accounts.connector(id); },
                            &audit);
    deletions.setOrigin(QStringLiteral("window"));

    MainWindow window(&model);
    window.setDeletionQueue(&deletions);
    if (practice)
        window.setWindowTitle(QApplication::translate("main", "Docket — practice (sandbox)"));

    QObject::connect(&accounts, &AccountManager::accountReady, &model,
                     &DocumentTreeModel::addAccount);
    QObject::connect(
        &accounts, &AccountManager::accountReady, &window, [&window](Connector *connector) {
            window.showStatus(
                QApplication::translate("main", "Signed in: %1").arg(connector->account().label()));
        });
    QObject::connect(&accounts, &AccountManager::accountFailed, &window,
                     [&window](const Account &account, const QString &reason) {
                         window.showStatus(
                             QApplication::translate("main", "%1: %2").arg(account.label(), reason),
                             0);
                     });
    if (!indexOpen)
        window.showStatus(indexError, 0);
    if (!logOpen)
        window.showStatus(logError, 0);
    if (!auditOpen)
        window.showStatus(
            auditError + u' ' + QApplication::translate("main", "Deleting is not possible."), 0);
    else if (!audit.warning().isEmpty())
        window.showStatus(audit.warning(), 0);
    QObject::connect(&secrets, &FallbackCredentialStore::keychainUnavailable, &window,
                     &MainWindow::showKeychainUnavailable);
    window.setAccountServices(&accounts, store.get(),
                              practice ? static_cast<CredentialStore *>(accounts.memoryStore())
                                       : &secrets);

    SandboxLauncher launcher;
    if (practice) {
        QObject::connect(&launcher, &SandboxLauncher::ready, &accounts,
                         &AccountManager::openSandboxAccounts);
        QObject::connect(&launcher, &SandboxLauncher::ready, &window, [&window] {
            window.showStatus(QApplication::translate("main",
                                                      "Practice server running on this "
                                                      "computer: nothing here is real. "
                                                      "Signing in…"));
        });
        QObject::connect(
            &launcher, &SandboxLauncher::failed, &window, [&window](const QString &reason) {
                auto *box = new QMessageBox(QMessageBox::Critical,
                                            QApplication::translate("main", "Practice server"),
                                            reason, QMessageBox::Ok, &window);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
        window.showStatus(QApplication::translate("main", "Starting the practice server…"), 0);
        launcher.start();
    } else {
        // A listed key reads as missing, so the accounts need not wait for the retry.
        pendingRemovals.retryPending(
            &window, [&window](const PendingRemovalStore::RetryResult &result) {
                if (result.stillPending > 0)
                    window.showStatus(
                        QApplication::translate("main",
                                                "The system keychain still holds %n secret(s) of "
                                                "accounts signed out or removed earlier: %1",
                                                nullptr, result.stillPending)
                            .arg(result.error),
                        0);
                else if (result.removed > 0)
                    window.showStatus(QApplication::translate(
                        "main",
                        "Deleted from the system keychain %n secret(s) that an earlier sign-out "
                        "or account removal could not delete.",
                        nullptr, result.removed));
            });
        for (const Account &account : store->accounts())
            accounts.open(account, &secrets);
    }

    window.show();
    // Batches a stopped Docket left: asked about once the window is up.
    QMetaObject::invokeMethod(&window, &MainWindow::offerToResumeInterruptedBatches,
                              Qt::QueuedConnection);
    return app.exec();
}
