// The Accounts dialog on the sandbox: add an account with the service's own fields, see it in the
// tree and in the saved accounts (its secret only in the credential store), see a service's
// refusal in the dialog with nothing saved, Care360's two steps, validation before anything is
// sent, removal, and the keychain fallback message in the window.

#include "accountdialog.h"
#include "accountmanager.h"
#include "accountsdialog.h"
#include "accountstore.h"
#include "documenttreemodel.h"
#include "fallbackcredentialstore.h"
#include "mainwindow.h"
#include "networkclient.h"
#include "pendingremovalstore.h"
#include "sandboxprocess.h"
#include "screenshot.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
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

template<typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

} // namespace

class TestAccountDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void scriptixSignInAddsAccountWithoutSecretInSettings();
    void wrongTokenShowsErrorAndSavesNothing();
    void care360AsksForTheCodeInASecondStep();
    void care360UnknownTenantIsExplained();
    void validationBlocksSignIn();
    void worksFromTheKeyboard();
    void everyServiceHasItsForm();
    void removeSignsOutAndForgets();
    void removeSaysWhenTheKeychainKeepsTheSecrets();
    void editChangesSettingsUnderTheSameId();
    void editWithWrongTokenKeepsTheAccount();
    void removeAsksAndCancelKeeps();
    void windowSaysWhenTheKeychainIsMissing();

private:
    AccountDialog *openDialog(CredentialStore *credentials = nullptr, QWidget *parent = nullptr);
    void fillScriptix(AccountDialog *dialog, const QString &token);
    void waitIdle(AccountDialog *dialog);
    QModelIndex accountRow(ServiceKind service) const;
    QByteArray settingsText() const;
    void screenshot(QWidget *widget, const QString &name);
    QString addScriptixAccount();
    AccountDialog *editFirstAccount(AccountsDialog *accounts);
    QString storedSecret(const QString &key);
    QString scriptixToken() const;

    SandboxProcess m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<NetworkClient> m_network;
    std::unique_ptr<DocumentTreeModel> m_model;
    std::unique_ptr<AccountManager> m_accounts;
    std::unique_ptr<AccountStore> m_store;
    std::unique_ptr<MemoryCredentialStore> m_secrets;
    QPointer<AccountDialog> m_dialog;
};

void TestAccountDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestAccountDialog::init()
{
    QVERIFY(m_sandbox.reset());
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<NetworkClient>();
    m_model = std::make_unique<DocumentTreeModel>();
    new QAbstractItemModelTester(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_model.get());
    m_accounts = std::make_unique<AccountManager>(m_network.get(), nullptr);
    connect(m_accounts.get(), &AccountManager::accountReady, m_model.get(),
            &DocumentTreeModel::addAccount);
    m_store = std::make_unique<AccountStore>(m_dir->filePath(QStringLiteral("accounts.ini")));
    m_secrets = std::make_unique<MemoryCredentialStore>();
}

void TestAccountDialog::cleanup()
{
    delete m_dialog.data();
    m_model.reset();
    m_accounts.reset();
    m_secrets.reset();
    m_store.reset();
    m_network.reset();
    m_dir.reset();
}

AccountDialog *TestAccountDialog::openDialog(CredentialStore *credentials, QWidget *parent)
{
    m_dialog = new AccountDialog(m_accounts.get(), m_store.get(),
                                 credentials ? credentials : m_secrets.get(), parent);
    m_dialog->open();
    if (!QTest::qWaitForWindowExposed(m_dialog))
        return nullptr;
    // Under Xvfb there is no window manager to activate the dialog; focus and mnemonics need it.
    m_dialog->activateWindow();
    if (!QTest::qWaitForWindowActive(m_dialog))
        return nullptr;
    return m_dialog;
}

void TestAccountDialog::fillScriptix(AccountDialog *dialog, const QString &token)
{
    dialog->setService(ServiceKind::Scriptix);
    QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("Clinic"));
    auto *preset = child<QComboBox>(dialog, "scriptixPresetCombo");
    preset->setCurrentIndex(preset->findData(QString()));
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixUrlEdit"),
                     m_sandbox.baseUrl(QStringLiteral("scriptix")).toString());
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixTokenEdit"), token);
}

void TestAccountDialog::waitIdle(AccountDialog *dialog)
{
    auto *button = child<QPushButton>(dialog, "signInButton");
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 15000);
}

QModelIndex TestAccountDialog::accountRow(ServiceKind service) const
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        if (m_model->data(index, DocumentTreeModel::ServiceRole).toInt() == int(service))
            return index;
    }
    return {};
}

QByteArray TestAccountDialog::settingsText() const
{
    QFile file(m_dir->filePath(QStringLiteral("accounts.ini")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void TestAccountDialog::screenshot(QWidget *widget, const QString &name)
{
    QVERIFY2(saveScreenshot(widget, name), qPrintable(name));
}

void TestAccountDialog::scriptixSignInAddsAccountWithoutSecretInSettings()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    const QString token = m_sandbox.credentials(QStringLiteral("scriptix"))
                              .value(QStringLiteral("token"))
                              .toString();
    QVERIFY(!token.isEmpty());
    fillScriptix(dialog, token);
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    screenshot(dialog, QStringLiteral("accountdialog-scriptix"));

    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);

    QVERIFY(accountRow(ServiceKind::Scriptix).isValid());
    const QList<Account> saved = m_store->accounts();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().name, QStringLiteral("Clinic"));
    QCOMPARE(saved.first().baseUrl, m_sandbox.baseUrl(QStringLiteral("scriptix")));
    QCOMPARE(m_model->accountIds(), QStringList { saved.first().id });
    QVERIFY(m_secrets->contains(secretKey(saved.first().id, Secret::token)));
    const QByteArray ini = settingsText();
    QVERIFY(ini.contains("Clinic"));
    QVERIFY(!ini.contains(token.toUtf8()));
}

void TestAccountDialog::wrongTokenShowsErrorAndSavesNothing()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    fillScriptix(dialog, QStringLiteral("not-the-token"));
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    waitIdle(dialog);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    qInfo() << "wrong token:" << dialog->problemText();
    QVERIFY(dialog->isVisible());
    QVERIFY(child<QLabel>(dialog, "problemLabel")->isVisible());
    // to correct it
    QCOMPARE(dialog->focusWidget(), child<QLineEdit>(dialog, "scriptixTokenEdit"));
    screenshot(dialog, QStringLiteral("accountdialog-wrong-token"));
    QVERIFY(m_store->accounts().isEmpty());
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_secrets->size(), 0);
    QVERIFY(!settingsText().contains("not-the-token"));
    QTRY_VERIFY(m_accounts->connectors().isEmpty());
}

void TestAccountDialog::care360AsksForTheCodeInASecondStep()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("care360"));
    dialog->setService(ServiceKind::Care360);
    QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("Portal"));
    auto *environment = child<QComboBox>(dialog, "care360EnvironmentCombo");
    QVERIFY(!child<QLineEdit>(dialog, "care360UrlEdit")->isEnabled());
    environment->setCurrentIndex(environment->findData(QString()));
    QVERIFY(child<QLineEdit>(dialog, "care360UrlEdit")->isEnabled());
    QTest::keyClicks(child<QLineEdit>(dialog, "care360UrlEdit"),
                     m_sandbox.baseUrl(QStringLiteral("care360")).toString());
    QTest::keyClicks(child<QLineEdit>(dialog, "care360TenantKeyEdit"),
                     credentials.value(QStringLiteral("tenantKey")).toString());
    QTest::keyClicks(child<QLineEdit>(dialog, "care360LoginEdit"),
                     credentials.value(QStringLiteral("email")).toString());
    screenshot(dialog, QStringLiteral("accountdialog-care360-step1"));

    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isAtCodeStep(), 15000);
    waitIdle(dialog);
    QCOMPARE(dialog->focusWidget(), child<QLineEdit>(dialog, "codeEdit"));
    QVERIFY(child<QLabel>(dialog, "codeIntroLabel")
                ->text()
                .contains(credentials.value(QStringLiteral("email")).toString()));
    screenshot(dialog, QStringLiteral("accountdialog-care360-step2"));

    // A wrong code: said in the dialog, which stays on the code step.
    QTest::keyClicks(child<QLineEdit>(dialog, "codeEdit"), QStringLiteral("000000"));
    QTest::keyClick(child<QLineEdit>(dialog, "codeEdit"), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->problemText().isEmpty()
                                 && child<QPushButton>(dialog, "signInButton")->isEnabled(),
                             15000);
    qInfo() << "wrong code:" << dialog->problemText();
    QVERIFY(dialog->problemText().contains(QStringLiteral("code")));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->isAtCodeStep());
    QVERIFY(m_store->accounts().isEmpty());
    screenshot(dialog, QStringLiteral("accountdialog-care360-wrong-code"));

    // The right code (selected after the error, so typing replaces it).
    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::keyClicks(child<QLineEdit>(dialog, "codeEdit"),
                     credentials.value(QStringLiteral("otpCode")).toString());
    QTest::keyClick(child<QLineEdit>(dialog, "codeEdit"), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);
    QVERIFY(accountRow(ServiceKind::Care360).isValid());
    const QList<Account> saved = m_store->accounts();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().setting(QStringLiteral("login")),
             credentials.value(QStringLiteral("email")).toString());
    QVERIFY(m_secrets->contains(secretKey(saved.first().id, Secret::tenantKey)));
    QVERIFY(m_secrets->contains(secretKey(saved.first().id, Secret::refreshToken)));
    QVERIFY(!settingsText().contains(
        credentials.value(QStringLiteral("tenantKey")).toString().toUtf8()));
}

void TestAccountDialog::care360UnknownTenantIsExplained()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    dialog->setService(ServiceKind::Care360);
    QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("Portal"));
    auto *environment = child<QComboBox>(dialog, "care360EnvironmentCombo");
    environment->setCurrentIndex(environment->findData(QString()));
    QTest::keyClicks(child<QLineEdit>(dialog, "care360UrlEdit"),
                     m_sandbox.baseUrl(QStringLiteral("care360")).toString());
    QTest::keyClicks(child<QLineEdit>(dialog, "care360TenantKeyEdit"), QStringLiteral("nobody"));
    QTest::keyClicks(child<QLineEdit>(dialog, "care360LoginEdit"),
                     QStringLiteral("patient@example.org"));
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    waitIdle(dialog);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    qInfo() << "unknown tenant:" << dialog->problemText();
    QVERIFY(dialog->problemText().contains(QStringLiteral("tenant key")));
    QVERIFY(!dialog->isAtCodeStep());
    QVERIFY(m_store->accounts().isEmpty());
    QCOMPARE(m_secrets->size(), 0);
}

void TestAccountDialog::validationBlocksSignIn()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    dialog->setService(ServiceKind::Scriptix);
    QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("Clinic"));
    auto *preset = child<QComboBox>(dialog, "scriptixPresetCombo");
    preset->setCurrentIndex(preset->findData(QString()));
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixUrlEdit"),
                     QStringLiteral("http://scriptix.example.org/api/v3"));
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixTokenEdit"), QStringLiteral("abc"));
    const int before = m_sandbox.requestLog().value(QStringLiteral("requests")).toArray().size();
    QTest::keyClick(child<QLineEdit>(dialog, "scriptixTokenEdit"), Qt::Key_Return);
    QVERIFY(dialog->problemText().contains(QStringLiteral("https://")));
    QVERIFY(dialog->isVisible());
    QVERIFY(m_accounts->connectors().isEmpty()); // nothing was started
    screenshot(dialog, QStringLiteral("accountdialog-validation"));

    // An empty secret is caught too.
    child<QLineEdit>(dialog, "scriptixUrlEdit")->clear();
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixUrlEdit"),
                     QStringLiteral("https://scriptix.example.org/api/v3"));
    child<QLineEdit>(dialog, "scriptixTokenEdit")->clear();
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QVERIFY(dialog->problemText().contains(QStringLiteral("token")));
    QVERIFY(m_accounts->connectors().isEmpty());
    QCOMPARE(m_sandbox.requestLog().value(QStringLiteral("requests")).toArray().size(), before);
}

void TestAccountDialog::everyServiceHasItsForm()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    // One page per service, built from its ServiceInfo: a screenshot of each, empty.
    for (ServiceKind service : { ServiceKind::Invox, ServiceKind::Care360, ServiceKind::DocumentPro,
                                 ServiceKind::Scriptix }) {
        dialog->setService(service);
        waitIdle(dialog);
        screenshot(dialog, QStringLiteral("accountdialog-form-") + serviceId(service));
    }
}

void TestAccountDialog::worksFromTheKeyboard()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(child<QPushButton>(dialog, "signInButton")->isDefault());
    // Every field has a label with a mnemonic that gives it focus, on every service page.
    for (const char *page : { "invoxPage", "care360Page", "documentProPage", "scriptixPage",
                              "detailsStep", "codeStep" }) {
        for (QLabel *label : child<QWidget>(dialog, page)->findChildren<QLabel *>()) {
            if (label->objectName() == QLatin1String("codeIntroLabel"))
                continue;
            QVERIFY2(label->text().contains(u'&'), qPrintable(label->text()));
            QVERIFY2(label->buddy(), qPrintable(label->text()));
            QVERIFY(!label->buddy()->accessibleName().isEmpty());
        }
    }
    // Tab goes from the service through the name into the service's fields, in order.
    auto *service = child<QComboBox>(dialog, "serviceCombo");
    service->setFocus();
    dialog->setService(ServiceKind::DocumentPro);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "nameEdit"));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Parsing"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "documentProPresetCombo"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    // The custom URL field is disabled with the default preset, so the key comes next.
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "documentProApiKeyEdit"));
    QCOMPARE(child<QLineEdit>(dialog, "documentProApiKeyEdit")->echoMode(), QLineEdit::Password);
    // Alt+N goes back to the name.
    QTest::keyClick(dialog, Qt::Key_N, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "nameEdit"));
    // Escape cancels.
    QSignalSpy rejected(dialog, &QDialog::rejected);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(rejected.count(), 1);
}

void TestAccountDialog::removeSignsOutAndForgets()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    fillScriptix(dialog,
                 m_sandbox.credentials(QStringLiteral("scriptix"))
                     .value(QStringLiteral("token"))
                     .toString());
    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);
    QCOMPARE(m_secrets->size(), 1);
    const QString id = m_store->accounts().first().id;

    AccountsDialog accounts(m_accounts.get(), m_store.get(), m_secrets.get(), m_model.get());
    accounts.open();
    QVERIFY(QTest::qWaitForWindowExposed(&accounts));
    QCOMPARE(accounts.list()->count(), 1);
    QVERIFY(accounts.list()->item(0)->text().contains(QStringLiteral("Clinic")));
    screenshot(&accounts, QStringLiteral("accountsdialog"));
    QSignalSpy removed(&accounts, &AccountsDialog::accountRemoved);
    accounts.list()->setCurrentRow(0);
    QTest::mouseClick(accounts.findChild<QPushButton *>(QStringLiteral("removeAccountButton")),
                      Qt::LeftButton);
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY(
        (confirm = accounts.findChild<QMessageBox *>(QStringLiteral("removeAccountConfirm")))
        && confirm->isVisible());
    QTest::mouseClick(confirm->findChild<QPushButton *>(QStringLiteral("confirmRemoveButton")),
                      Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 15000);
    QCOMPARE(removed.first().first().toString(), id);
    QVERIFY(m_store->accounts().isEmpty());
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_secrets->size(), 0);
    QCOMPARE(accounts.list()->count(), 0);
    QTRY_VERIFY(m_accounts->connectors().isEmpty());
}

void TestAccountDialog::removeSaysWhenTheKeychainKeepsTheSecrets()
{
    // Wired as the window wires its keychain: removals it refuses are listed in the settings.
    KeepingKeychain keychain;
    const QString settings = m_dir->filePath(QStringLiteral("accounts.ini"));
    auto secrets = std::make_unique<PendingRemovalStore>(&keychain, settings);
    AccountDialog *dialog = openDialog(secrets.get());
    QVERIFY(dialog);
    fillScriptix(dialog, scriptixToken());
    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);
    const Account account = m_store->accounts().first();
    const QString key = secretKey(account.id, Secret::token);
    QVERIFY(keychain.contains(key));

    keychain.refusing = true;
    AccountsDialog accounts(m_accounts.get(), m_store.get(), secrets.get(), m_model.get());
    accounts.open();
    QVERIFY(QTest::qWaitForWindowExposed(&accounts));
    QSignalSpy removed(&accounts, &AccountsDialog::accountRemoved);
    accounts.list()->setCurrentRow(0);
    QTest::mouseClick(accounts.findChild<QPushButton *>(QStringLiteral("removeAccountButton")),
                      Qt::LeftButton);
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY(
        (confirm = accounts.findChild<QMessageBox *>(QStringLiteral("removeAccountConfirm")))
        && confirm->isVisible());
    QTest::mouseClick(confirm->findChild<QPushButton *>(QStringLiteral("confirmRemoveButton")),
                      Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 15000);
    QVERIFY(m_store->accounts().isEmpty());
    // What the window says: the account is gone, its secret is not, and why.
    const QString status = accounts.findChild<QLabel *>(QStringLiteral("accountsStatus"))->text();
    QVERIFY2(status.startsWith(QStringLiteral("Removed ") + account.label() + u'.'),
             qPrintable(status));
    QVERIFY2(
        status.contains(QStringLiteral("could not all be deleted: ") + KeepingKeychain::reason()),
        qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("tries again to delete it each time")),
             qPrintable(status));
    QVERIFY(!status.contains(QStringLiteral("deleted its secrets")));
    screenshot(&accounts, QStringLiteral("accountsdialog-secrets-kept"));
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

QString TestAccountDialog::scriptixToken() const
{
    return m_sandbox.credentials(QStringLiteral("scriptix"))
        .value(QStringLiteral("token"))
        .toString();
}

// Adds "Clinic" on the sandbox's Scriptix through the dialog; its id, or empty.
QString TestAccountDialog::addScriptixAccount()
{
    AccountDialog *dialog = openDialog();
    if (!dialog)
        return {};
    fillScriptix(dialog, scriptixToken());
    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return accepted.count() == 1; }, 15000))
        return {};
    delete m_dialog.data();
    if (!QTest::qWaitFor([&] { return accountRow(ServiceKind::Scriptix).isValid(); }, 15000))
        return {};
    return m_store->accounts().value(0).id;
}

AccountDialog *TestAccountDialog::editFirstAccount(AccountsDialog *accounts)
{
    accounts->list()->setCurrentRow(0);
    QTest::mouseClick(accounts->findChild<QPushButton *>(QStringLiteral("editAccountButton")),
                      Qt::LeftButton);
    AccountDialog *dialog = nullptr;
    if (!QTest::qWaitFor(
            [&] {
                return (dialog = accounts->findChild<AccountDialog *>()) && dialog->isVisible();
            },
            5000))
        return nullptr;
    dialog->activateWindow();
    if (!QTest::qWaitForWindowActive(dialog))
        return nullptr;
    return dialog;
}

QString TestAccountDialog::storedSecret(const QString &key)
{
    QString value;
    bool done = false;
    m_secrets->read(key, this, [&](const CredentialStore::ReadResult &result) {
        value = result.value.value_or(QString());
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        return {};
    return value;
}

void TestAccountDialog::editChangesSettingsUnderTheSameId()
{
    const QString id = addScriptixAccount();
    QVERIFY(!id.isEmpty());
    AccountsDialog accounts(m_accounts.get(), m_store.get(), m_secrets.get(), m_model.get());
    accounts.open();
    QVERIFY(QTest::qWaitForWindowExposed(&accounts));
    AccountDialog *dialog = editFirstAccount(&accounts);
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

    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);

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
    QVERIFY(accounts.list()->item(0)->text().contains(QStringLiteral("Reception")));
    screenshot(&accounts, QStringLiteral("accountsdialog-after-edit"));
}

void TestAccountDialog::editWithWrongTokenKeepsTheAccount()
{
    const QString id = addScriptixAccount();
    QVERIFY(!id.isEmpty());
    AccountsDialog accounts(m_accounts.get(), m_store.get(), m_secrets.get(), m_model.get());
    accounts.open();
    QVERIFY(QTest::qWaitForWindowExposed(&accounts));
    AccountDialog *dialog = editFirstAccount(&accounts);
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
    QTRY_VERIFY(!accounts.findChild<AccountDialog *>());
    QCOMPARE(m_store->accounts().first().name, QStringLiteral("Clinic"));
    QCOMPARE(m_accounts->connectors().size(), 1);
}

void TestAccountDialog::removeAsksAndCancelKeeps()
{
    const QString id = addScriptixAccount();
    QVERIFY(!id.isEmpty());
    AccountsDialog accounts(m_accounts.get(), m_store.get(), m_secrets.get(), m_model.get());
    accounts.open();
    QVERIFY(QTest::qWaitForWindowExposed(&accounts));
    QSignalSpy removed(&accounts, &AccountsDialog::accountRemoved);
    accounts.list()->setCurrentRow(0);
    QTest::mouseClick(accounts.findChild<QPushButton *>(QStringLiteral("removeAccountButton")),
                      Qt::LeftButton);
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY(
        (confirm = accounts.findChild<QMessageBox *>(QStringLiteral("removeAccountConfirm")))
        && confirm->isVisible());
    QVERIFY(confirm->informativeText().contains(QStringLiteral("deletes its secrets")));
    QVERIFY(
        confirm->informativeText().contains(QStringLiteral("Nothing is deleted at the service")));
    auto *cancel = confirm->findChild<QPushButton *>(QStringLiteral("cancelRemoveButton"));
    QCOMPARE(confirm->defaultButton(), cancel);
    screenshot(confirm, QStringLiteral("accountsdialog-remove-confirm"));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY(!accounts.findChild<QMessageBox *>());
    QTest::qWait(100);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(m_store->accounts().size(), 1);
    QCOMPARE(m_model->accountIds(), QStringList { id });
    QCOMPARE(m_secrets->size(), 1);
    QCOMPARE(accounts.list()->count(), 1);
}

void TestAccountDialog::windowSaysWhenTheKeychainIsMissing()
{
    MissingKeychain keychain;
    FallbackCredentialStore secrets(&keychain);
    MainWindow window(m_model.get());
    connect(&secrets, &FallbackCredentialStore::keychainUnavailable, &window,
            &MainWindow::showKeychainUnavailable);
    window.setAccountServices(m_accounts.get(), m_store.get(), &secrets);
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

QTEST_MAIN(TestAccountDialog)

#include "tst_accountdialog.moc"
