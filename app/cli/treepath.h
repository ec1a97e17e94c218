#pragma once

#include "remoteitem.h"

#include <QString>
#include <QStringList>

// A place in Docket's tree as the CLI names it: "/<account name>/<id>/<id>...". Ids that contain
// '/' or '%' are written percent-encoded ("a%2Fb"). "/" is the list of accounts.
struct TreePath
{
    QString accountName; // empty for "/"
    QStringList ids; // decoded, outermost first

    static TreePath parse(const QString &text);
    bool isRoot() const { return accountName.isEmpty(); }
    // The NodeRef under an account of `service`; false (with *error) when deeper than the service's
    // tree.
    bool toNodeRef(Docket::ServiceKind service, Docket::NodeRef *ref, QString *error) const;
    static QString format(const QString &accountName, const QStringList &ids);
};
