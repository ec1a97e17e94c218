#include "itemformat.h"

#include "inerttext.h"

#include <QJsonArray>
#include <QLocale>

QString formatSize(qint64 bytes)
{
    // The window's units (1 kB = 1,000 bytes), with the C locale's digits for scripts.
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString formatDuration(int seconds)
{
    return seconds >= 3600
        ? QStringLiteral("%1:%2:%3")
              .arg(seconds / 3600)
              .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
              .arg(seconds % 60, 2, 10, QLatin1Char('0'))
        : QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString formatMeasure(const Docket::RemoteItem &item)
{
    if (item.sizeBytes >= 0)
        return formatSize(item.sizeBytes);
    if (item.pages >= 0)
        return item.pages == 1 ? QStringLiteral("1 page")
                               : QStringLiteral("%1 pages").arg(item.pages);
    if (item.durationSeconds >= 0)
        return formatDuration(item.durationSeconds);
    return {};
}

QString printable(const QString &text)
{
    return Docket::inertText(text);
}

QJsonObject itemToJson(const Docket::RemoteItem &item, const QString &path)
{
    QJsonObject object { { QStringLiteral("path"), path },
                         { QStringLiteral("id"), item.ref.id() },
                         { QStringLiteral("kind"), Docket::nodeKindId(item.ref.kind) },
                         { QStringLiteral("name"), item.name },
                         { QStringLiteral("container"), Docket::isContainer(item.ref.kind) } };
    if (item.created.isValid())
        object.insert(QStringLiteral("created"), item.created.toUTC().toString(Qt::ISODate));
    if (item.sizeBytes >= 0)
        object.insert(QStringLiteral("sizeBytes"), item.sizeBytes);
    if (item.pages >= 0)
        object.insert(QStringLiteral("pages"), item.pages);
    if (item.durationSeconds >= 0)
        object.insert(QStringLiteral("durationSeconds"), item.durationSeconds);
    if (!item.status.isEmpty())
        object.insert(QStringLiteral("status"), item.status);
    if (!item.details.isEmpty())
        object.insert(QStringLiteral("details"), QJsonObject::fromVariantMap(item.details));
    return object;
}
