// The Accounts list on the sandbox: removing an account signs it out and forgets it (or says why
// its secrets stayed when the keychain keeps them), editing keeps its id or, refused, the account
// as it was, Cancel keeps it, and the window says when the keychain is missing.
#include "accountdialogfixture.h"
#include "accountstore.h"
#include "fallbackcredentialstore.h"
#include "mainwindow.h"
#include "pendingremovalstore.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Docket;

namespace {

// A keychain that is never there, as QtKeychain reports it without a secret service.
class MissingKeychain : public CredentialStore
{
public:
    using CredentialStore::CredentialStore;
    static QString reason()
    {
        return QStringLiteral("The system keychain is unavailable: The name "
                              "org.freedesktop.secrets was not provided by any .service files");
    }
    void read(const QString &, QObject *context, ReadCallback done) override
    {
        QTimer::singleShot(0, context, [done] { done({ std::nullopt, reason() }); });
    }
    void write(const QString &, const QString &, QObject *context, DoneCallback done) override
    {
        QTimer::singleShot(0, context, [done] { done(reason()); });
    }
    void remove(const QString &, QObject *context, DoneCallback done) override
    {
        QTimer::singleShot(0, context, [done] { done(reason()); });
    }
    QString description() const override { return QStringLiteral("the missing keychain"); }
};

// A keychain that holds secrets but, like a locked one, refuses to delete them while told to.
class KeepingKeychain : public MemoryCredentialStore
{
public:
    using MemoryCredentialStore::MemoryCredentialStore;
    static QString reason()
    {
        return QStringLiteral("The system keychain is locked, so it kept the secret.");
    }
    bool refusing = false;
    void remove(const QString &key, QObject *context, DoneCallback done) override
    {
        if (!refusing) {
            MemoryCredentialStore::remove(key, context, std::move(done));
            return;
        }
        QTimer::singleShot(0, context, [done] { done(reason()); });
    }
};

} // namespace

class TestAccountsDialog : public AccountDialogFixture
{
    Q_OBJECT

private Q_SLOTS:
    void removeSignsOutAndForgets();
    void removeSaysWhenTheKeychainKeepsTheSecrets();
    void editChangesSettingsUnderTheSameId();
    void editWithWrongTokenKeepsTheAccount();
    void removeAsksAndCancelKeeps();
    void windowSaysWhenTheKeychainIsMissing();
};

void TestAccountsDialog::removeSignsOutAndForgets()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    fillScriptix(dialog,
                 m_sandbox.credentials(QStringLiteral("scriptix"))
                     .value(QStringLiteral("token"))
                     .toString());
    QVERIFY(signIn(dialog));
    QCOMPARE(m_secrets->size(), 1);
    const QString id = m_store->accounts().first().id;

    const std::unique_ptr<AccountsDialog> accounts = openAccounts();
    QVERIFY(accounts);
    QCOMPARE(accounts->list()->count(), 1);
    QVERIFY(accounts->list()->item(0)->text().contains(QStringLiteral("Clinic")));
    screenshot(accounts.get(), QStringLiteral("accountsdialog"));
    QCOMPARE(removeFirstAccount(accounts.get()), id);
    QVERIFY(m_store->accounts().isEmpty());
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_secrets->size(), 0);
    QCOMPARE(accounts->list()->count(), 0);
    QTRY_VERIFY(m_accounts->connectors().isEmpty());
}

void TestAccountsDialog::removeSaysWhenTheKeychainKeepsTheSecrets()
{
    // Wired as the window wires its keychain: removals it refuses are listed in the settings.
    KeepingKeychain keychain;
    const QString settings = settingsPath();
    auto secrets = std::make_unique<PendingRemovalStore>(&keychain, settings);
    AccountDialog *dialog = openDialog(secrets.get());
    QVERIFY(dialog);
    fillScriptix(dialog, scriptixToken());
    QVERIFY(signIn(dialog));
    const Account account = m_store->accounts().first();
    const QString key = secretKey(account.id, Secret::token);
    QVERIFY(keychain.contains(key));

    keychain.refusing = true;
    const std::unique_ptr<AccountsDialog> accounts = openAccounts(secrets.get());
    QVERIFY(accounts);
    QVERIFY(!removeFirstAccount(accounts.get()).isEmpty());
    QVERIFY(m_store->accounts().isEmpty());
    // What the window says: the account is gone, its secret is not, and why.
    const QString status = accounts->findChild<QLabel *>(QStringLiteral("accountsStatus"))->text();
    QVERIFY2(status.startsWith(QStringLiteral("Removed ") + account.label() + u'.'),
             qPrintable(status));
    QVERIFY2(
        status.contains(QStringLiteral("could not all be deleted: ") + KeepingKeychain::reason()),
        qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("tries again to delete it each time")),
             qPrintable(status));
    QVERIFY(!status.contains(QStringLiteral("deleted its secrets")));
    screenshot(accounts.get(), QStringLiteral("accountsdialog-secrets-kept"));
    QVERIFY(keychain.contains(key));
    QCOMPARE(secrets->pendingKeys(), QStringList { key });

    // The next start, with the keychain letting go: deleted, and nothing left on the list.
    keychain.refusing = false;
    secrets.reset();
    PendingRemovalStore restarted(&keychain, settings);
    std::optional<PendingRemovalStore::RetryResult> retried;
    restarted.retryPending(
        this, [&retried](const PendingRemovalStore::RetryResult &result) { retried = result; });
    QTRY_VERIFY(retried.has_value());
    QCOMPARE(retried->removed, 1);
    QVERIFY(!keychain.contains(key));
    QCOMPARE(restarted.pendingKeys(), QStringList());
}

void TestAccountsDialog::editChangesSettingsUnderTheSameId()
{
    std::unique_ptr<AccountsDialog> accounts;
    QString id;
    AccountDialog *dialog = editNewScriptixAccount(&accounts, &id);
    QVERIFY(dialog);
    QVERIFY(dialog->isEditing());

    // Filled in with the settings, never the secret.
    auto *name = child<QLineEdit>(dialog, "nameEdit");
    auto *token = child<QLineEdit>(dialog, "scriptixTokenEdit");
    QCOMPARE(name->text(), QStringLiteral("Clinic"));
    QCOMPARE(child<QLineEdit>(dialog, "scriptixUrlEdit")->text(),
             m_sandbox.baseUrl(QStringLiteral("scriptix")).toString());
    QVERIFY(token->text().isEmpty());
    QVERIFY(token->placeholderText().contains(QStringLiteral("unchanged")));
    QVERIFY(!child<QComboBox>(dialog, "serviceCombo")->isEnabled());
    QCOMPARE(dialog->focusWidget(), name);

    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Reception"));
    auto *header = child<QComboBox>(dialog, "scriptixHeaderCombo");
    header->setCurrentIndex(header->findData(QStringLiteral("x-zoom-s2t-key")));
    screenshot(dialog, QStringLiteral("accountdialog-edit"));

    QVERIFY(signIn(dialog));

    const QList<Account> saved = m_store->accounts();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().id, id);
    QCOMPARE(saved.first().name, QStringLiteral("Reception"));
    QCOMPARE(saved.first().setting(QStringLiteral("header")), QStringLiteral("x-zoom-s2t-key"));
    // Opened again with the new settings: the tree shows the new label.
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Scriptix).isValid()
                                 && accountRow(ServiceKind::Scriptix)
                                        .data()
                                        .toString()
                                        .contains(QStringLiteral("Reception")),
                             15000);
    QCOMPARE(m_model->accountIds(), QStringList { id });
    QTRY_COMPARE(m_accounts->connectors().size(), 1);
    QCOMPARE(m_accounts->connector(id)->account().setting(QStringLiteral("header")),
             QStringLiteral("x-zoom-s2t-key"));
    QCOMPARE(storedSecret(secretKey(id, Secret::token)), scriptixToken());
    const QByteArray ini = settingsText();
    QVERIFY(ini.contains("Reception"));
    QVERIFY(!ini.contains(scriptixToken().toUtf8()));
    QVERIFY(accounts->list()->item(0)->text().contains(QStringLiteral("Reception")));
    screenshot(accounts.get(), QStringLiteral("accountsdialog-after-edit"));
}

void TestAccountsDialog::editWithWrongTokenKeepsTheAccount()
{
    std::unique_ptr<AccountsDialog> accounts;
    QString id;
    AccountDialog *dialog = editNewScriptixAccount(&accounts, &id);
    QVERIFY(dialog);

    auto *name = child<QLineEdit>(dialog, "nameEdit");
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Reception"));
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixTokenEdit"), QStringLiteral("not-it"));
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    waitIdle(dialog);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    qInfo() << "wrong new token:" << dialog->problemText();
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->focusWidget(), child<QLineEdit>(dialog, "scriptixTokenEdit"));
    screenshot(dialog, QStringLiteral("accountdialog-edit-wrong-token"));

    // The account as it was: settings, secret, tree and its one open connector.
    const QList<Account> saved = m_store->accounts();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().id, id);
    QCOMPARE(saved.first().name, QStringLiteral("Clinic"));
    QCOMPARE(storedSecret(secretKey(id, Secret::token)), scriptixToken());
    QCOMPARE(m_model->accountIds(), QStringList { id });
    QVERIFY(accountRow(ServiceKind::Scriptix).data().toString().contains(QStringLiteral("Clinic")));
    QTRY_COMPARE(m_accounts->connectors().size(), 1);
    QCOMPARE(m_accounts->connector(id)->account().name, QStringLiteral("Clinic"));
    QVERIFY(!settingsText().contains("not-it"));

    // Cancel leaves it so.
    QTest::keyClick(dialog->focusWidget(), Qt::Key_Escape);
    QTRY_VERIFY(!accounts->findChild<AccountDialog *>());
    QCOMPARE(m_store->accounts().first().name, QStringLiteral("Clinic"));
    QCOMPARE(m_accounts->connectors().size(), 1);
}

void TestAccountsDialog::removeAsksAndCancelKeeps()
{
    const QString id = addScriptixAccount();
    QVERIFY(!id.isEmpty());
    const std::unique_ptr<AccountsDialog> accounts = openAccounts();
    QVERIFY(accounts);
    QSignalSpy removed(accounts.get(), &AccountsDialog::accountRemoved);
    QMessageBox *confirm = askToRemoveFirstAccount(accounts.get());
    QVERIFY(confirm);
    QVERIFY(confirm->informativeText().contains(QStringLiteral("deletes its secrets")));
    QVERIFY(
        confirm->informativeText().contains(QStringLiteral("Nothing is deleted at the service")));
    auto *cancel = confirm->findChild<QPushButton *>(QStringLiteral("cancelRemoveButton"));
    QCOMPARE(confirm->defaultButton(), cancel);
    screenshot(confirm, QStringLiteral("accountsdialog-remove-confirm"));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY(!accounts->findChild<QMessageBox *>());
    QTest::qWait(100);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(m_store->accounts().size(), 1);
    QCOMPARE(m_model->accountIds(), QStringList { id });
    QCOMPARE(m_secrets->size(), 1);
    QCOMPARE(accounts->list()->count(), 1);
}

void TestAccountsDialog::windowSaysWhenTheKeychainIsMissing()
{
    MissingKeychain keychain;
    FallbackCredentialStore secrets(&keychain);
    MainWindow window(m_model);
    connect(&secrets, &FallbackCredentialStore::keychainUnavailable, &window,
            &MainWindow::showKeychainUnavailable);
    window.setAccountServices(m_accounts, m_store.get(), &secrets);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // File > Accounts… (Ctrl+Shift+A) opens the list; Add… opens the account dialog.
    auto *action = window.findChild<QAction *>(QStringLiteral("actionAccounts"));
    QVERIFY(action && action->isEnabled());
    QVERIFY(action->text().contains(u'&'));
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    action->trigger();
    AccountsDialog *accounts = nullptr;
    QTRY_VERIFY((accounts = window.findChild<AccountsDialog *>()) && accounts->isVisible());
    accounts->addAccount();
    AccountDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = accounts->findChild<AccountDialog *>()) && dialog->isVisible());
    fillScriptix(dialog,
                 m_sandbox.credentials(QStringLiteral("scriptix"))
                     .value(QStringLiteral("token"))
                     .toString());
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);

    // Storing the token meets the missing keychain: the window says so, without blocking, and the
    // account still works for this run with the secret in memory.
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (box = window.findChild<QMessageBox *>(QStringLiteral("keychainUnavailableBox")))
            && box->isVisible(),
        15000);
    QVERIFY(box->text().contains(QStringLiteral("memory for this run only")));
    QVERIFY(box->informativeText().contains(QStringLiteral("org.freedesktop.secrets")));
    QVERIFY(secrets.isUsingMemory());
    QTRY_VERIFY_WITH_TIMEOUT(accountRow(ServiceKind::Scriptix).isValid(), 15000);
    QCOMPARE(m_store->accounts().size(), 1);
    screenshot(box, QStringLiteral("keychain-unavailable-box"));
    screenshot(&window, QStringLiteral("accounts-window-keychain-missing"));
    box->close();
}

QTEST_MAIN(TestAccountsDialog)

#include "tst_accountsdialog.moc"
