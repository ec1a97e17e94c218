#pragma once

#include "remoteitem.h"

#include <QJsonObject>
#include <QJsonValue>

// Scriptix's answers as rows: a session, a document, a comment, as ScriptixConnector lists and
// looks them up. Every field is read tolerantly (connectorsupport.h); only the ids matter.

namespace Docket::ScriptixItems {

RemoteItem sessionItem(const QJsonObject &object);
// A document of `session`: an object, or a bare id where an object is expected.
RemoteItem documentItem(const NodeRef &session, const QJsonValue &value);
RemoteItem commentItem(const NodeRef &document, const QJsonObject &object);

} // namespace Docket::ScriptixItems
