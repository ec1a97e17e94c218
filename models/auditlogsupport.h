#pragma once

// What the files of AuditLog's implementation share (auditlog.cpp, auditlogreading.cpp, and the
// names in auditentry.cpp and deletionitem.cpp): not part of its interface.

#include "servicekind.h"
#include "sqlitesupport.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace Docket::AuditLogSupport {

// The trail's messages keep the one translation context they have always had.
inline QString tr(const char *text)
{
    return QCoreApplication::translate("Docket::AuditLog", text);
}

// The item's ids as the trail keeps them: a JSON array, outermost container first.
QStringList idsFrom(const QString &text);

// nodeKindId() names are unique only within a service ("document").
NodeKind nodeKindFrom(ServiceKind service, const QString &id);

// Runs `work(db)` with a connection of its own to the trail at `path`, opened with `options`, for
// a worker thread: Qt SQL connections belong to the thread that made them. Returns false, with
// why, when the file cannot be opened.
template<typename Work>
bool withOwnConnection(const QString &path, const QString &purpose, const QString &options,
                       QString *error, Work &&work)
{
    const QString name = purpose + QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool opened = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        opened = db.open();
        if (opened)
            work(db);
        else if (error)
            *error = sqlProblem(db.lastError());
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return opened;
}

} // namespace Docket::AuditLogSupport
