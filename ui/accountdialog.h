#pragma once

#include "account.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace Docket {
class AccountManager;
class AccountStore;
class Connector;
class CredentialStore;
} // namespace Docket

// Adds an account: the service's own fields, checked before anything is sent, then a sign-in
// with the service (Care360: a second step for the one-time code). Errors stay in the dialog; on
// success the account is saved (without secrets), its secret goes to the credential store and
// the AccountManager announces it (accountReady). Open it with open().
class AccountDialog : public QDialog
{
    Q_OBJECT

public:
    AccountDialog(Docket::AccountManager *manager, Docket::AccountStore *store,
                  Docket::CredentialStore *credentials, QWidget *parent = nullptr);
    ~AccountDialog() override;

    void setService(Docket::ServiceKind service);
    // Edits `account` instead of adding one: its settings fill the fields (never its secrets:
    // those start empty and are kept unless a new one is typed). `credentials` holds its secrets;
    // with `persist` false (a practice account) nothing is written to the AccountStore.
    void setEditing(const Docket::Account &account, bool persist = true);
    bool isEditing() const { return m_editing; }
    // The account as the fields describe it (a new id once signing in started).
    Docket::Account account() const;
    // Empty when the fields can be used, otherwise what is wrong (shown inline on sign-in).
    QString problem() const;
    QString problemText() const;
    bool isAtCodeStep() const;

Q_SIGNALS:
    void accountAdded(const Docket::Account &account);
    // Editing: only settings changed and are saved; the account must be opened again with them.
    void accountEdited(const Docket::Account &account);
    // Editing with a new secret, once the service accepted it: the old connector is about to be
    // closed and the new one adopted under the same id (drop the old one from the tree now).
    void accountReplacing(const QString &accountId);

public Q_SLOTS:
    void signIn();

private:
    QWidget *createInvoxPage();
    QWidget *createCare360Page();
    QWidget *createDocumentProPage();
    QWidget *createScriptixPage();
    QWidget *createCodePage();
    QString secretName() const;
    QString secretValue() const;
    void focusSecret();
    void showProblem(const QString &text);
    void setBusy(bool busy, const QString &message = {});
    void startSignIn();
    void verifyCode();
    void persistAndFinish();
    void abandon();
    void updateUrlFields();
    void saveSettingsOnly();
    QList<QLineEdit *> secretEdits() const;

    Docket::AccountManager *m_manager;
    Docket::AccountStore *m_store;
    Docket::CredentialStore *m_credentials;
    QPointer<Docket::Connector> m_connector; // while signing in
    Docket::Account m_account; // the one being signed in (editing: the original)
    bool m_editing = false;
    bool m_persist = true;

    QStackedWidget *m_steps;
    QComboBox *m_service;
    QLineEdit *m_name;
    QStackedWidget *m_servicePages;

    QLineEdit *m_invoxUrl;
    QLineEdit *m_invoxAppId;
    QLineEdit *m_invoxApiKey;
    QLineEdit *m_invoxTokenPath;
    QLineEdit *m_invoxApiVersion;

    QComboBox *m_care360Environment;
    QLineEdit *m_care360Url;
    QLineEdit *m_care360TenantKey;
    QLineEdit *m_care360Login;

    QComboBox *m_documentProPreset;
    QLineEdit *m_documentProUrl;
    QLineEdit *m_documentProApiKey;

    QComboBox *m_scriptixPreset;
    QLineEdit *m_scriptixUrl;
    QLineEdit *m_scriptixToken;
    QComboBox *m_scriptixHeader;

    QLabel *m_codeIntro;
    QLineEdit *m_code;

    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QPushButton *m_signInButton;
};
