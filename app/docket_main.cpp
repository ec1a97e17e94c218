// docket: the desktop window.

#include "accountmanager.h"
#include "accountstore.h"
#include "applicationinfo.h"
#include "connector.h"
#include "connectors/invoxindex.h"
#include "documenttreemodel.h"
#include "fallbackcredentialstore.h"
#include "keychaincredentialstore.h"
#include "mainwindow.h"
#include "networkclient.h"
#include "sandboxlauncher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Docket;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Docket::setApplicationInfo(QStringLiteral("docket"));
    QApplication::setApplicationDisplayName(QStringLiteral("Docket"));

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
    parser.process(app);
    const bool practice = parser.isSet(sandbox);

    // The Invox index: a throwaway one for practice, so the sandbox never touches real records.
    QTemporaryDir practiceDir;
    const QString dataDir = practice
        ? practiceDir.path()
        : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/Docket");
    QDir().mkpath(dataDir);
    InvoxIndex invoxIndex(dataDir + QStringLiteral("/invox-index.sqlite"));
    QString indexError;
    const bool indexOpen = invoxIndex.open(&indexError);

    NetworkClient network;
    DocumentTreeModel model;
    AccountManager accounts(&network, indexOpen ? &invoxIndex : nullptr);
    KeychainCredentialStore keychain;
    // The keychain, or memory for the rest of the run once the keychain fails (the user is told).
    FallbackCredentialStore secrets(&keychain);
    // Saved accounts (no secrets). Practice accounts go to a throwaway file.
    auto store = practice
        ? std::make_unique<AccountStore>(practiceDir.path() + QStringLiteral("/accounts.ini"))
        : std::make_unique<AccountStore>();
    MainWindow window(&model);
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
        for (const Account &account : store->accounts())
            accounts.open(account, &secrets);
    }

    window.show();
    return app.exec();
}
