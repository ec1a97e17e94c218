#pragma once

#include "account.h"

#include <QList>
#include <QSettings>

namespace Docket {

// The list of accounts, persisted with QSettings (no secrets: those are in the CredentialStore).
// Names are unique, compared case-insensitively, so the CLI can address accounts by name.
class AccountStore
{
public:
    AccountStore(); // the application's default settings
    explicit AccountStore(const QString &settingsFile); // an INI file (tests, --config)

    QList<Account> accounts() const;
    std::optional<Account> find(const QString &idOrName) const;
    // Adds (a new id when empty) or replaces the account with the same id. Empty on success,
    // otherwise why not.
    QString save(Account &account);
    bool remove(const QString &id);

private:
    // Every stored entry as saved, whatever its service.
    QList<QVariantMap> entries() const;
    static bool isKnownService(const QVariantMap &entry);
    void write(const QList<Account> &accounts);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace Docket
