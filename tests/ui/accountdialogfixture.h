#pragma once

// What the account dialog suites share: the sandbox, the window's services with saved accounts
// and secrets in memory, and the steps of the Add account dialog and of the Accounts list. A
// suite's test class derives from it; its slots start the sandbox and renew the rest for each
// test function.

#include "accountdialog.h"
#include "accountsdialog.h"
#include "sandboxwindowfixture.h"
#include "screenshot.h"

#include <QMessageBox>
#include <QPointer>

template<typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

class AccountDialogFixture : public SandboxWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

protected:
    // Opens the Add account dialog (storing secrets in `credentials`, or the suite's), active.
    AccountDialog *openDialog(Docket::CredentialStore *credentials = nullptr,
                              QWidget *parent = nullptr);
    // "Clinic" on the custom Scriptix address `url` (the sandbox's unless given) with `token`.
    void fillScriptix(AccountDialog *dialog, const QString &token, const QUrl &url = {});
    // "Portal" on the sandbox's Care360 (the custom environment) with `tenantKey` and `login`.
    void fillCare360(AccountDialog *dialog, const QString &tenantKey, const QString &login);
    // Chooses `service`, types `name`, picks the custom address in `addressCombo` and types `url`
    // into `urlEdit`, then each text of `fields` into the edit it names.
    static void fillForm(AccountDialog *dialog, Docket::ServiceKind service, const QString &name,
                         const char *addressCombo, const char *urlEdit, const QUrl &url,
                         const QList<QPair<const char *, QString>> &fields);
    // Clicks Sign in and waits, 15 s at most, until the dialog accepted; false when it did not.
    bool signIn(AccountDialog *dialog);
    void waitIdle(AccountDialog *dialog);
    QByteArray settingsText() const { return fileText(settingsPath()); }
    void screenshot(QWidget *widget, const QString &name);
    QString scriptixToken() const;
    // Adds "Clinic" on the sandbox's Scriptix through the dialog; its id, or empty.
    QString addScriptixAccount();
    // The Accounts list on the suite's services (its secrets in `credentials`, or the suite's),
    // exposed; null when it was not.
    std::unique_ptr<AccountsDialog> openAccounts(Docket::CredentialStore *credentials = nullptr);
    // Selects the first account in `accounts`, clicks Remove… and waits for the confirmation.
    QMessageBox *askToRemoveFirstAccount(AccountsDialog *accounts);
    // The same, confirmed: the id `accounts` says it removed (15 s at most), or empty.
    QString removeFirstAccount(AccountsDialog *accounts);
    AccountDialog *editFirstAccount(AccountsDialog *accounts);
    // Adds "Clinic" (addScriptixAccount()), opens the Accounts list into *accounts and Edit… on
    // the account: its edit dialog, active, with the account's id in *id; null when a step failed.
    AccountDialog *editNewScriptixAccount(std::unique_ptr<AccountsDialog> *accounts, QString *id);
    QString storedSecret(const QString &key);

    QPointer<AccountDialog> m_dialog;

private:
    static QByteArray fileText(const QString &path);
};
