// write_upgrade_fixtures DIR: writes, with this build's own code, the files a user of this
// release has, for tst_upgrade_data to open with every later release:
//   DIR/audit-v<N>.sqlite        the audit trail, schema N (AuditLog::schemaVersion)
//   DIR/invox-index-v<N>.sqlite  the Invox document index, schema N (InvoxIndex::schemaVersion)
//   DIR/accounts-<VERSION>.conf  the accounts as QSettings keeps them (an INI file)
// Run once per schema version (and per settings format), when it is new; a file that exists is
// never replaced, since the point of each is that it stays as that release wrote it. What the
// files hold is the same every time, and tst_upgrade_data checks exactly that: see
// tests/packaging/upgrade-fixtures/README.md.

#include "accountstore.h"
#include "auditlog.h"
#include "connectors/invox/invoxindex.h"
#include "upgradefixturefacts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSettings>

#include <cstdio>
#include <docketversion.h>

using namespace Docket;
using namespace Docket::UpgradeFixture;

namespace {

bool fail(const QString &what)
{
    std::fprintf(stderr, "write_upgrade_fixtures: %s\n", qPrintable(what));
    return false;
}

bool vacant(const QString &path)
{
    return !QFile::exists(path) || fail(path + QStringLiteral(" exists: it is kept as it is"));
}

// Opens (creating it) the database a writer fills, or says on stderr why it could not.
template<typename Database> bool opened(Database &database)
{
    QString error;
    return database.open(&error) || fail(error);
}

DeletionItem item(const ItemFact &fact)
{
    DeletionItem item;
    item.accountId = fact.account.id;
    item.accountName = fact.account.name;
    item.service = fact.account.service;
    item.ref = { fact.kind, fact.ids };
    item.name = fact.name;
    item.parentName = fact.parentName;
    item.requestId = fact.requestId;
    return item;
}

bool writeAuditTrail(const QString &path)
{
    AuditLog audit(path);
    if (!opened(audit))
        return false;
    // The finished batch: one item deleted, one refused.
    QList<DeletionItem> finished = { item(deletedItem()), item(refusedItem()) };
    if (audit.createBatch(finished, QString::fromLatin1(finishedBatchOrigin)) == 0)
        return fail(audit.lastError());
    const struct
    {
        DeletionState state;
        AuditEntry::Outcome outcome;
        int status;
        const char *reason;
    } answers[] = { { DeletionState::Deleted, AuditEntry::Outcome::Deleted, 204, "" },
                    { DeletionState::NotPermitted, AuditEntry::Outcome::NotPermitted, 403,
                      refusedReason } };
    for (int i = 0; i < 2; ++i) {
        DeletionItem &sent = finished[i];
        const qint64 attempt = audit.recordAttempt(sent);
        sent.state = answers[i].state;
        sent.httpStatus = answers[i].status;
        sent.reason = QString::fromUtf8(answers[i].reason);
        if (attempt == 0 || !audit.recordOutcome(attempt, sent, answers[i].outcome))
            return fail(audit.lastError());
    }
    // The interrupted batch: its DELETE went out and Docket stopped before the answer came.
    QList<DeletionItem> interrupted = { item(interruptedItem()) };
    if (audit.createBatch(interrupted, QString::fromLatin1(interruptedBatchOrigin)) == 0
        || audit.recordAttempt(interrupted.first()) == 0)
        return fail(audit.lastError());
    return true;
}

bool writeInvoxIndex(const QString &path)
{
    InvoxIndex index(path);
    if (!opened(index))
        return false;
    QString error;
    for (const InvoxIndex::Document &document : invoxDocuments()) {
        if (!index.add(document, &error))
            return fail(error);
    }
    return true;
}

bool writeAccounts(const QString &path)
{
    AccountStore store(path);
    for (Account account : accounts()) {
        if (const QString problem = store.save(account); !problem.isEmpty())
            return fail(problem);
    }
    QSettings settings(path, QSettings::IniFormat);
    settings.setValue(QLatin1String(pendingRemovalSettingsKey), pendingRemovals());
    settings.sync();
    return settings.status() == QSettings::NoError || fail(path + QStringLiteral(": not written"));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 2) {
        std::fprintf(stderr, "usage: write_upgrade_fixtures DIR\n");
        return 2;
    }
    const QDir dir(arguments.at(1));
    const QString audit
        = dir.filePath(QStringLiteral("audit-v%1.sqlite").arg(AuditLog::schemaVersion));
    const QString invox
        = dir.filePath(QStringLiteral("invox-index-v%1.sqlite").arg(InvoxIndex::schemaVersion));
    const QString settings = dir.filePath(
        QStringLiteral("accounts-%1.conf").arg(QStringLiteral(DOCKET_VERSION_STRING)));
    bool ok = true;
    // Each writer closes its database before it returns, folding SQLite's write-ahead log into
    // the file, so the one file is the whole of it.
    if (vacant(audit)) {
        ok = writeAuditTrail(audit) && ok;
        std::printf("%s\n", qPrintable(audit));
    }
    if (vacant(invox)) {
        ok = writeInvoxIndex(invox) && ok;
        std::printf("%s\n", qPrintable(invox));
    }
    if (vacant(settings)) {
        ok = writeAccounts(settings) && ok;
        std::printf("%s\n", qPrintable(settings));
    }
    return ok ? 0 : 1;
}
