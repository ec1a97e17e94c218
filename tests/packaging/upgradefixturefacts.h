#pragma once

// What every file in tests/packaging/upgrade-fixtures holds, whichever release wrote it:
// write_upgrade_fixtures writes these, tst_upgrade_data expects them back from each file.
// Never change a value here (the files already written would no longer match); a new release
// that stores something new adds to it.

#include "account.h"
#include "connectors/invox/invoxindex.h"
#include "servicekind.h"

#include <QDateTime>
#include <QList>
#include <QStringList>
#include <QUrl>

namespace Docket::UpgradeFixture {

inline const QString scriptixAccountId = QStringLiteral("0f4e2c1a-6b7d-4c3e-9a51-2d8f00000001");
inline const QString invoxAccountId = QStringLiteral("0f4e2c1a-6b7d-4c3e-9a51-2d8f00000002");

inline QList<Account> accounts()
{
    Account scriptix;
    scriptix.id = scriptixAccountId;
    scriptix.service = ServiceKind::Scriptix;
    scriptix.name = QStringLiteral("Front desk");
    scriptix.baseUrl = QUrl(QStringLiteral("https://api.scriptix.io/api/v3"));
    scriptix.requestsPerMinute = 30;

    Account invox;
    invox.id = invoxAccountId;
    invox.service = ServiceKind::Invox;
    invox.name = QStringLiteral("Dr Rivera");
    invox.baseUrl = QUrl(QStringLiteral("https://invox.example"));
    invox.setSetting(QStringLiteral("appId"), QStringLiteral("APP-0001"));
    return { scriptix, invox };
}

// The keychain entries PendingRemovalStore had still to remove (QSettings, beside the accounts).
inline constexpr const char *pendingRemovalSettingsKey = "credentials/stillToRemove";
inline QStringList pendingRemovals()
{
    return { invoxAccountId + QStringLiteral("/accessToken") };
}

// An account as the audit trail records it on each of its items.
struct ItemAccount
{
    QString id;
    QString name;
    ServiceKind service;
};

inline ItemAccount scriptixItemAccount()
{
    return { scriptixAccountId, QStringLiteral("Scriptix — Front desk"), ServiceKind::Scriptix };
}

inline ItemAccount invoxItemAccount()
{
    return { invoxAccountId, QStringLiteral("Invox Medical — Dr Rivera"), ServiceKind::Invox };
}

struct ItemFact
{
    ItemAccount account;
    NodeKind kind;
    QStringList ids;
    QString name;
    QString parentName;
    QByteArray requestId;
};

inline constexpr const char *finishedBatchOrigin = "window";
inline constexpr const char *interruptedBatchOrigin = "cli";
inline constexpr const char *refusedReason = "the service refused: this account may not delete it";

inline ItemFact deletedItem()
{
    return { scriptixItemAccount(),
             NodeKind::ScriptixSession,
             { QStringLiteral("sess_morning") },
             QStringLiteral("Morning clinic"),
             QString(),
             "request-0001" };
}

// A letter inside deletedItem()'s session.
inline ItemFact refusedItem()
{
    const ItemFact session = deletedItem();
    return { session.account,
             NodeKind::ScriptixDocument,
             session.ids + QStringList { QStringLiteral("doc_letter") },
             QStringLiteral("Referral letter"),
             session.name,
             "request-0002" };
}

inline QList<InvoxIndex::Document> invoxDocuments()
{
    const QDateTime added(QDate(2026, 11, 2), QTime(9, 30), Qt::UTC);
    return {
        { invoxAccountId, QStringLiteral("cons-17"), QStringLiteral("doc-9"),
          QStringLiteral("discharge.pdf"), QStringLiteral("PDF"), 48213, added,
          QStringLiteral("upload") },
        { invoxAccountId, QStringLiteral("cons-17"), QStringLiteral("doc-10"),
          QStringLiteral("notes.txt"), QStringLiteral("TXT"), 1290, added.addSecs(600),
          QStringLiteral("upload") },
        { invoxAccountId, QStringLiteral("cons-21"), QStringLiteral("doc-31"),
          QStringLiteral("lab results.pdf"), QStringLiteral("PDF"), -1, QDateTime(),
          QStringLiteral("manual") },
    };
}

// The delete that went out unanswered was of the Invox index's first document (the audit trail
// names an Invox document's consultation by its id).
inline ItemFact interruptedItem()
{
    const InvoxIndex::Document document = invoxDocuments().first();
    return { invoxItemAccount(),
             NodeKind::InvoxDocument,
             { document.consultationSessionId, document.documentId },
             document.documentName,
             document.consultationSessionId,
             "request-0003" };
}

} // namespace Docket::UpgradeFixture
