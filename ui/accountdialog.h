#pragma once

#include "account.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

#include <vector>

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
class SignInJob;
struct AccountField;
struct ServiceInfo;
} // namespace Docket

// Adds an account: the service's own fields (its ServiceInfo's account form), checked before
// anything is sent, then a sign-in with the service (a second step for a one-time code when the
// sign-in asks for one: SignInJob::codeRequested). Errors stay in the dialog; on
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
    // One service's page: its address chooser and its account form fields.
    struct ServicePage
    {
        const Docket::ServiceInfo *info = nullptr;
        QComboBox *preset = nullptr; // null when the service documents no address (Invox)
        QLineEdit *url = nullptr; // the custom (or only) address
        QHash<QString, QWidget *> fields; // by AccountField::id: a QLineEdit or a QComboBox
    };

    QWidget *createServicePage(const Docket::ServiceInfo &info);
    QWidget *createFieldWidget(QWidget *page, const Docket::ServiceInfo &info,
                               const Docket::AccountField &field);
    QWidget *createCodePage();
    const ServicePage &currentPage() const;
    QString fieldValue(const ServicePage &page, const Docket::AccountField &field) const;
    // The secrets typed on the current page, by name (empty ones left out).
    QHash<QString, QString> typedSecrets() const;
    void focusSecret();
    void showProblem(const QString &text);
    void setBusy(bool busy, const QString &message = {});
    void startSignIn();
    void showCodeStep(const QString &destination);
    void verifyCode();
    void persistAndFinish();
    void storeSecrets(QStringList names, const QHash<QString, QString> &secrets);
    void secretsStored(const QString &error);
    void abandon();
    void updateUrlFields();
    void saveSettingsOnly();
    QList<QLineEdit *> secretEdits() const;

    Docket::AccountManager *m_manager;
    Docket::AccountStore *m_store;
    Docket::CredentialStore *m_credentials;
    QPointer<Docket::Connector> m_connector; // while signing in
    QPointer<Docket::SignInJob> m_signIn; // while signing in
    QHash<QString, QString> m_secrets; // typed for the sign-in in progress
    Docket::Account m_account; // the one being signed in (editing: the original)
    bool m_editing = false;
    bool m_persist = true;

    QStackedWidget *m_steps;
    QComboBox *m_service;
    QLineEdit *m_name;
    QStackedWidget *m_servicePages;
    std::vector<ServicePage> m_pages; // in the service combo's order

    QLabel *m_codeIntro;
    QLineEdit *m_code;

    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QPushButton *m_signInButton;
};
