#include "accountstore.h"

#include <QCoreApplication>
#include <QUuid>

#include <docketversion.h>

namespace Docket {

namespace {
const QString accountsKey = QStringLiteral("accounts");
}

AccountStore::AccountStore()
    // Named explicitly, so docket and docket-cli (different executables) share one list.
    : m_settings(std::make_unique<QSettings>(QStringLiteral(DOCKET_ORGANIZATION_NAME),
                                             QStringLiteral(DOCKET_APPLICATION_NAME)))
{ }

AccountStore::AccountStore(const QString &settingsFile)
    : m_settings(std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
{ }

QList<QVariantMap> AccountStore::entries() const
{
    QList<QVariantMap> result;
    const int count = m_settings->beginReadArray(accountsKey);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        QVariantMap map;
        for (const QString &key : m_settings->childKeys())
            map.insert(key, m_settings->value(key));
        result.append(map);
    }
    m_settings->endArray();
    return result;
}

bool AccountStore::isKnownService(const QVariantMap &entry)
{
    return serviceFromId(entry.value(QStringLiteral("service")).toString()).has_value();
}

QList<Account> AccountStore::accounts() const
{
    // An account of a service this build does not have (written by one that does) is not
    // offered: read as another service, its secrets would go to the wrong API. write() keeps it.
    QList<Account> result;
    for (const QVariantMap &entry : entries()) {
        if (isKnownService(entry))
            result.append(Account::fromVariantMap(entry));
    }
    return result;
}

std::optional<Account> AccountStore::find(const QString &idOrName) const
{
    for (const Account &account : accounts()) {
        if (account.id == idOrName || account.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return account;
    }
    return std::nullopt;
}

QString AccountStore::save(Account &account)
{
    if (const QString problem = account.validationProblem(); !problem.isEmpty())
        return problem;
    QList<Account> all = accounts();
    for (const Account &other : std::as_const(all)) {
        if (other.id != account.id && other.name.compare(account.name, Qt::CaseInsensitive) == 0)
            return QCoreApplication::translate("Docket", "An account named “%1” already exists.")
                .arg(account.name);
    }
    if (account.id.isEmpty())
        account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto existing = std::find_if(
        all.begin(), all.end(), [&](const Account &other) { return other.id == account.id; });
    if (existing != all.end())
        *existing = account;
    else
        all.append(account);
    write(all);
    return {};
}

bool AccountStore::remove(const QString &id)
{
    QList<Account> all = accounts();
    const qsizetype removed
        = all.removeIf([&](const Account &account) { return account.id == id; });
    if (removed)
        write(all);
    return removed > 0;
}

void AccountStore::write(const QList<Account> &accounts)
{
    QList<QVariantMap> written;
    for (const Account &account : accounts)
        written.append(account.toVariantMap());
    for (const QVariantMap &entry : entries()) {
        if (!isKnownService(entry))
            written.append(entry); // lose nothing of a service this build does not have
    }
    m_settings->remove(accountsKey);
    m_settings->beginWriteArray(accountsKey, int(written.size()));
    for (int i = 0; i < written.size(); ++i) {
        m_settings->setArrayIndex(i);
        const QVariantMap &map = written.at(i);
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            m_settings->setValue(it.key(), it.value());
    }
    m_settings->endArray();
    m_settings->sync();
}

} // namespace Docket
