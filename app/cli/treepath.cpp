#include "treepath.h"

#include <QCoreApplication>
#include <QUrl>

TreePath TreePath::parse(const QString &text)
{
    TreePath path;
    const QStringList parts = text.split(u'/', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return path;
    path.accountName = QUrl::fromPercentEncoding(parts.first().toUtf8());
    for (qsizetype i = 1; i < parts.size(); ++i)
        path.ids.append(QUrl::fromPercentEncoding(parts.at(i).toUtf8()));
    return path;
}

bool TreePath::toNodeRef(Docket::ServiceKind service, Docket::NodeRef *ref, QString *error) const
{
    const QList<Docket::NodeKind> kinds = Docket::nodeKindsByDepth(service);
    if (ids.size() > kinds.size()) {
        *error
            = QCoreApplication::translate("docket-cli", "%1 has only %2 levels below an account.")
                  .arg(Docket::serviceDisplayName(service))
                  .arg(kinds.size());
        return false;
    }
    ref->ids = ids;
    ref->kind = ids.isEmpty() ? Docket::NodeKind::Account : kinds.at(ids.size() - 1);
    return true;
}

QString TreePath::format(const QString &accountName, const QStringList &ids)
{
    // Only what would break the path is encoded, so ordinary ids stay readable: "%", "/", and
    // control and format characters (a service's id may hold an escape sequence or a tab, which
    // would garble the terminal or the columns; encoded, the path still reads back the same).
    const auto encode = [](const QString &part) {
        QString text;
        text.reserve(part.size());
        for (const QChar c : part) {
            if (c == u'%' || c == u'/' || c.category() == QChar::Other_Control
                || c.category() == QChar::Other_Format) {
                text += QString::fromLatin1(QUrl::toPercentEncoding(QString(c)));
            } else {
                text += c;
            }
        }
        return text;
    };
    QString text = u'/' + encode(accountName);
    for (const QString &id : ids)
        text += u'/' + encode(id);
    return text;
}
