#pragma once

#include "account.h"

#include <QDialog>

#include <optional>

class QListWidget;
class QLabel;
class QPushButton;

namespace Docket {
class AccountManager;
class AccountStore;
class CredentialStore;
class DocumentTreeModel;
} // namespace Docket

// The saved accounts: add one (AccountDialog), edit one (the same dialog, filled in with its
// settings) or remove one after a confirmation (signs it out, which deletes every secret it has,
// then forgets it in the store and the tree). Open it with open().
class AccountsDialog : public QDialog
{
    Q_OBJECT

public:
    AccountsDialog(Docket::AccountManager *manager, Docket::AccountStore *store,
                   Docket::CredentialStore *credentials, Docket::DocumentTreeModel *model,
                   QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    void addAccount();
    void editSelected();
    // Asks first (a message box, Cancel by default); removeAccount() once confirmed.
    void removeSelected();
    void removeAccount(const QString &accountId);

Q_SIGNALS:
    void accountRemoved(const QString &accountId);

private:
    void reload();
    QString selectedId() const; // empty when nothing is selected
    // The saved account `id`, or else the practice account of --sandbox (kept in memory only) that
    // its open connector holds; `saved` says which.
    std::optional<Docket::Account> findAccount(const QString &id, bool *saved = nullptr) const;

    Docket::AccountManager *m_manager;
    Docket::AccountStore *m_store;
    Docket::CredentialStore *m_credentials;
    Docket::DocumentTreeModel *m_model;
    QListWidget *m_list;
    QLabel *m_status;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
};
