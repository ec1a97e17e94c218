#include "scriptixitems.h"

#include "connectors/connectorsupport.h"

#include <QJsonArray>

namespace Docket::ScriptixItems {

namespace {

QVariantMap documentRefMap(const QJsonValue &value)
{
    // Tolerate a bare id where an object is expected.
    if (value.isString())
        return { { QStringLiteral("id"), value.toString() } };
    return value.toObject().toVariantMap();
}

} // namespace

RemoteItem sessionItem(const QJsonObject &object)
{
    const QString sessionId = firstStringField(object, { "session_id", "id" });

    RemoteItem item;
    item.ref = { NodeKind::ScriptixSession, { sessionId } };
    item.name = stringField(object, QStringLiteral("filename"));
    if (item.name.isEmpty())
        item.name = sessionId;
    item.created = parseServiceDate(firstField(object, { "created_at", "created" }));
    item.durationSeconds = intValue(object.value(QStringLiteral("duration")));
    item.status = stringField(object, QStringLiteral("status"));

    QVariantMap details;
    details.insert(QStringLiteral("session_id"), sessionId);
    insertPresentFields(&details, object,
                        { "id", "language", "media_type", "created_at", "finished_at" });
    // The list of documents (a [gap] extension of the documented single "document") lets the
    // delete confirmation say how many go with the session.
    const QJsonValue documents = object.value(QStringLiteral("documents"));
    if (documents.isArray()) {
        QVariantList list;
        for (const QJsonValue &document : documents.toArray())
            list.append(documentRefMap(document));
        details.insert(QStringLiteral("documents"), list);
        // What the session's document list will show (listDocuments keeps the same entries).
        item.childCount = 0;
        for (const QJsonValue &document : documents.toArray()) {
            if (document.isObject() || document.isString())
                ++item.childCount;
        }
    }
    // Only the full list counts: the documented single "document" does not say there is no
    // other, so the count stays unknown (-1) and the delete says "all its documents".
    const QJsonValue document = object.value(QStringLiteral("document"));
    if (document.isObject() || document.isString())
        details.insert(QStringLiteral("document"), documentRefMap(document));
    item.details = details;
    return item;
}

RemoteItem documentItem(const NodeRef &session, const QJsonValue &value)
{
    const QJsonObject object = value.isString()
        ? QJsonObject { { QStringLiteral("id"), value.toString() } }
        : value.toObject();
    QString documentId = stringField(object, QStringLiteral("id"));
    if (documentId.isEmpty())
        documentId = stringField(object, QStringLiteral("document_id"));

    RemoteItem item;
    item.ref = session.child(NodeKind::ScriptixDocument, documentId);
    item.name = firstField(object, { "name", "filename" }).toString();
    if (item.name.isEmpty())
        item.name = documentId;
    item.created = parseServiceDate(firstField(object, { "created", "created_at" }));
    QVariantMap details = object.toVariantMap();
    details.insert(QStringLiteral("session_id"), session.id());
    item.details = details;
    return item;
}

RemoteItem commentItem(const NodeRef &document, const QJsonObject &object)
{
    RemoteItem item;
    item.ref = document.child(NodeKind::ScriptixComment, stringField(object, QStringLiteral("id")));
    item.name = firstField(object, { "text", "comment", "body" }).toString().simplified();
    if (item.name.isEmpty())
        item.name = item.ref.id();
    item.created = parseServiceDate(firstField(object, { "created_at", "created" }));
    item.details = object.toVariantMap();
    return item;
}

} // namespace Docket::ScriptixItems
