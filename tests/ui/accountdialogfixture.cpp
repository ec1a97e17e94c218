#include "accountdialogfixture.h"

#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>

using namespace Docket;

void AccountDialogFixture::cleanup()
{
    delete m_dialog.data();
    releaseServices();
}

AccountDialog *AccountDialogFixture::openDialog(CredentialStore *credentials, QWidget *parent)
{
    m_dialog = new AccountDialog(m_accounts, m_store.get(),
                                 credentials ? credentials : m_secrets.get(), parent);
    m_dialog->open();
    // Focus and mnemonics need it active.
    return waitActive(m_dialog) ? m_dialog.data() : nullptr;
}

void AccountDialogFixture::fillScriptix(AccountDialog *dialog, const QString &token,
                                        const QUrl &url)
{
    fillForm(dialog, ServiceKind::Scriptix, QStringLiteral("Clinic"), "scriptixPresetCombo",
             "scriptixUrlEdit", url.isEmpty() ? m_sandbox.baseUrl(QStringLiteral("scriptix")) : url,
             { { "scriptixTokenEdit", token } });
}

void AccountDialogFixture::fillCare360(AccountDialog *dialog, const QString &tenantKey,
                                       const QString &login)
{
    fillForm(dialog, ServiceKind::Care360, QStringLiteral("Portal"), "care360EnvironmentCombo",
             "care360UrlEdit", m_sandbox.baseUrl(QStringLiteral("care360")),
             { { "care360TenantKeyEdit", tenantKey }, { "care360LoginEdit", login } });
}

void AccountDialogFixture::fillForm(AccountDialog *dialog, ServiceKind service, const QString &name,
                                    const char *addressCombo, const char *urlEdit, const QUrl &url,
                                    const QList<QPair<const char *, QString>> &fields)
{
    dialog->setService(service);
    QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), name);
    auto *address = child<QComboBox>(dialog, addressCombo);
    address->setCurrentIndex(address->findData(QString()));
    QTest::keyClicks(child<QLineEdit>(dialog, urlEdit), url.toString());
    for (const auto &[edit, text] : fields)
        QTest::keyClicks(child<QLineEdit>(dialog, edit), text);
}

void AccountDialogFixture::waitIdle(AccountDialog *dialog)
{
    auto *button = child<QPushButton>(dialog, "signInButton");
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 15000);
}

void AccountDialogFixture::screenshot(QWidget *widget, const QString &name)
{
    QVERIFY2(saveScreenshot(widget, name), qPrintable(name));
}

QString AccountDialogFixture::scriptixToken() const
{
    return m_sandbox.credentials(QStringLiteral("scriptix"))
        .value(QStringLiteral("token"))
        .toString();
}

QString AccountDialogFixture::addScriptixAccount()
{
    AccountDialog *dialog = openDialog();
    if (!dialog)
        return {};
    fillScriptix(dialog, scriptixToken());
    if (!signIn(dialog))
        return {};
    delete m_dialog.data();
    if (!QTest::qWaitFor([&] { return accountRow(ServiceKind::Scriptix).isValid(); }, 15000))
        return {};
    return m_store->accounts().value(0).id;
}

AccountDialog *AccountDialogFixture::editFirstAccount(AccountsDialog *accounts)
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

AccountDialog *
AccountDialogFixture::editNewScriptixAccount(std::unique_ptr<AccountsDialog> *accounts, QString *id)
{
    *id = addScriptixAccount();
    if (id->isEmpty())
        return nullptr;
    *accounts = openAccounts();
    return *accounts ? editFirstAccount(accounts->get()) : nullptr;
}

QString AccountDialogFixture::storedSecret(const QString &key)
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

bool AccountDialogFixture::signIn(AccountDialog *dialog)
{
    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    return QTest::qWaitFor([&] { return accepted.count() == 1; }, 15000);
}

std::unique_ptr<AccountsDialog> AccountDialogFixture::openAccounts(CredentialStore *credentials)
{
    auto accounts = std::make_unique<AccountsDialog>(
        m_accounts, m_store.get(), credentials ? credentials : m_secrets.get(), m_model);
    accounts->open();
    if (!QTest::qWaitForWindowExposed(accounts.get()))
        return nullptr;
    return accounts;
}

QMessageBox *AccountDialogFixture::askToRemoveFirstAccount(AccountsDialog *accounts)
{
    accounts->list()->setCurrentRow(0);
    QTest::mouseClick(accounts->findChild<QPushButton *>(QStringLiteral("removeAccountButton")),
                      Qt::LeftButton);
    QMessageBox *confirm = nullptr;
    if (!QTest::qWaitFor([&] {
            confirm = accounts->findChild<QMessageBox *>(QStringLiteral("removeAccountConfirm"));
            return confirm && confirm->isVisible();
        }))
        return nullptr;
    return confirm;
}

QString AccountDialogFixture::removeFirstAccount(AccountsDialog *accounts)
{
    QSignalSpy removed(accounts, &AccountsDialog::accountRemoved);
    QMessageBox *confirm = askToRemoveFirstAccount(accounts);
    if (!confirm)
        return {};
    QTest::mouseClick(confirm->findChild<QPushButton *>(QStringLiteral("confirmRemoveButton")),
                      Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return removed.count() == 1; }, 15000))
        return {};
    return removed.first().first().toString();
}

QByteArray AccountDialogFixture::fileText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
