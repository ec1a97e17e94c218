#include "accountsdialog.h"

#include "accountdialog.h"
#include "accountmanager.h"
#include "accountstore.h"
#include "connector.h"
#include "documenttreemodel.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Docket;

AccountsDialog::AccountsDialog(AccountManager *manager, AccountStore *store,
                               CredentialStore *credentials, DocumentTreeModel *model,
                               QWidget *parent)
    : QDialog(parent)
    , m_manager(manager)
    , m_store(store)
    , m_credentials(credentials)
    , m_model(model)
    , m_list(new QListWidget(this))
    , m_status(new QLabel(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
{
    setObjectName(QStringLiteral("accountsDialog"));
    setWindowTitle(tr("Accounts"));
    setAccessibleName(tr("Accounts"));

    auto *intro = new QLabel(tr("&Saved accounts:"), this);
    intro->setBuddy(m_list);
    auto *where = new QLabel(tr("Secrets are kept in %1.").arg(credentials->description()), this);
    where->setObjectName(QStringLiteral("secretsLocationLabel"));
    where->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("accountsList"));
    m_list->setAccessibleName(tr("Saved accounts"));
    m_add->setObjectName(QStringLiteral("addAccountButton"));
    m_add->setAccessibleName(tr("Add account"));
    m_edit->setObjectName(QStringLiteral("editAccountButton"));
    m_edit->setAccessibleName(tr("Edit account"));
    m_edit->setToolTip(tr("Changes the account's settings; a new secret signs in again."));
    m_remove->setObjectName(QStringLiteral("removeAccountButton"));
    m_remove->setAccessibleName(tr("Remove account"));
    m_remove->setToolTip(tr("Signs the account out, deletes its secrets and forgets it. "
                            "Nothing is deleted at the service."));
    m_status->setObjectName(QStringLiteral("accountsStatus"));
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("accountsButtons"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &AccountsDialog::addAccount);
    connect(m_edit, &QPushButton::clicked, this, &AccountsDialog::editSelected);
    connect(m_remove, &QPushButton::clicked, this, &AccountsDialog::removeSelected);
    connect(m_list, &QListWidget::itemActivated, this, &AccountsDialog::editSelected);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        m_edit->setEnabled(row >= 0);
        m_remove->setEnabled(row >= 0);
    });

    auto *side = new QVBoxLayout;
    side->addWidget(m_add);
    side->addWidget(m_edit);
    side->addWidget(m_remove);
    side->addStretch();
    auto *middle = new QHBoxLayout;
    middle->addWidget(m_list, 1);
    middle->addLayout(side);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(middle);
    layout->addWidget(where);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(560, 320);
    reload();
}

void AccountsDialog::reload()
{
    m_list->clear();
    QStringList listed;
    for (const Account &account : m_store->accounts()) {
        auto *item = new QListWidgetItem(account.label(), m_list);
        item->setData(Qt::UserRole, account.id);
        if (!m_manager->connector(account.id))
            item->setText(tr("%1 (not signed in)").arg(account.label()));
        listed.append(account.id);
    }
    // Accounts open in this run but not saved (the practice accounts of --sandbox).
    for (const Connector *connector : m_manager->connectors()) {
        if (listed.contains(connector->account().id))
            continue;
        auto *item = new QListWidgetItem(tr("%1 (this run only)").arg(connector->account().label()),
                                         m_list);
        item->setData(Qt::UserRole, connector->account().id);
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    m_edit->setEnabled(m_list->currentRow() >= 0);
    m_remove->setEnabled(m_list->currentRow() >= 0);
}

void AccountsDialog::addAccount()
{
    auto *dialog = new AccountDialog(m_manager, m_store, m_credentials, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountDialog::accountAdded, this, [this](const Account &account) {
        reload();
        m_status->setText(tr("Added %1.").arg(account.label()));
    });
    dialog->open();
}

QString AccountsDialog::selectedId() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

std::optional<Account> AccountsDialog::findAccount(const QString &id, bool *saved) const
{
    std::optional<Account> account = m_store->find(id);
    if (saved)
        *saved = account.has_value();
    if (!account) {
        if (const Connector *connector = m_manager->connector(id))
            account = connector->account();
    }
    return account;
}

void AccountsDialog::editSelected()
{
    bool saved = false;
    const std::optional<Account> account = findAccount(selectedId(), &saved);
    if (!account)
        return;
    // A practice account of --sandbox (not saved) is edited in memory for this run only.
    auto *dialog = new AccountDialog(m_manager, m_store,
                                     saved ? m_credentials : m_manager->memoryStore(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setEditing(*account, saved);
    connect(dialog, &AccountDialog::accountReplacing, this,
            [this](const QString &accountId) { m_model->removeAccount(accountId); });
    connect(dialog, &AccountDialog::accountEdited, this, [this](const Account &edited) {
        reload();
        for (int row = 0; row < m_list->count(); ++row) {
            if (m_list->item(row)->data(Qt::UserRole).toString() == edited.id)
                m_list->setCurrentRow(row);
        }
        m_status->setText(tr("Saved %1.").arg(edited.label()));
    });
    dialog->open();
}

void AccountsDialog::removeSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const std::optional<Account> account = findAccount(id);
    const QString label = account ? account->label() : m_list->currentItem()->text();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove Account"),
                                tr("Remove %1?").arg(label), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("removeAccountConfirm"));
    box->setAccessibleName(tr("Remove account"));
    box->setInformativeText(tr("This signs the account out and deletes its secrets from this "
                               "computer. Nothing is deleted at the service."));
    QPushButton *remove = box->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmRemoveButton"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelRemoveButton"));
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, remove, id](QAbstractButton *button) {
        if (button == remove)
            removeAccount(id);
    });
    box->open();
}

void AccountsDialog::removeAccount(const QString &id)
{
    const std::optional<Account> account = findAccount(id);
    if (!account)
        return;
    Connector *connector = m_manager->connector(id);
    if (!connector) // saved but not open: a session just to delete its secrets
        connector = m_manager->prepare(*account, m_credentials);
    m_remove->setEnabled(false);
    m_status->setText(tr("Signing out of %1…").arg(account->label()));
    const Account removed = *account;
    connect(connector->signOut(), &ConnectorJob::finished, this,
            [this, removed](ConnectorJob *job) {
                m_model->removeAccount(removed.id);
                m_manager->close(removed.id);
                m_store->remove(removed.id);
                reload();
                // Care360 also ends the sign-in at the service: when it could not, the user is
                // told.
                const QVariantMap data = static_cast<SimpleJob *>(job)->data();
                QString notice;
                if (job->failed())
                    notice = tr("Removed %1. %2").arg(removed.label(), job->error().userMessage);
                else
                    notice = tr("Removed %1 and deleted its secrets.").arg(removed.label());
                if (!data.value(QStringLiteral("serviceLogout"), true).toBool()
                    && data.contains(QStringLiteral("serviceLogoutError")))
                    notice += u' '
                        + tr("The service could not be told to end the sign-in (%1); it ends there "
                             "when its refresh token expires.")
                              .arg(data.value(QStringLiteral("serviceLogoutError")).toString());
                m_status->setText(notice);
                Q_EMIT accountRemoved(removed.id);
            });
}
