#include "requestjournal.h"

#include <QJsonArray>

namespace {

// A number when the request was answered with an HTTP status, otherwise what happened instead.
QJsonValue statusValue(const QString &outcome)
{
    bool numeric = false;
    const int status = outcome.toInt(&numeric);
    return numeric ? QJsonValue(status) : QJsonValue(outcome);
}

} // namespace

void RequestJournal::count(const QString &service, const QString &route)
{
    ++m_counts[service][route];
}

void RequestJournal::record(Entry entry)
{
    m_entries.push_back(std::move(entry));
    if (m_entries.size() > capacity)
        m_entries.pop_front();
}

void RequestJournal::clear()
{
    m_counts.clear();
    m_entries.clear();
}

QJsonObject RequestJournal::countsJson() const
{
    QJsonObject services;
    for (auto service = m_counts.cbegin(); service != m_counts.cend(); ++service) {
        QJsonObject routes;
        for (auto route = service->cbegin(); route != service->cend(); ++route)
            routes.insert(route.key(), route.value());
        services.insert(service.key(), routes);
    }
    return services;
}

QJsonObject RequestJournal::entriesJson(const QString &service) const
{
    QJsonArray entries;
    for (const Entry &entry : m_entries) {
        if (!service.isEmpty() && entry.service != service)
            continue;
        QJsonObject object { { QStringLiteral("service"), entry.service },
                             { QStringLiteral("method"), QString::fromLatin1(entry.method) },
                             { QStringLiteral("path"), entry.path },
                             { QStringLiteral("route"), entry.route },
                             { QStringLiteral("status"), statusValue(entry.outcome) },
                             { QStringLiteral("requestId"),
                               QString::fromLatin1(entry.requestId) } };
        if (!entry.fault.isEmpty())
            object.insert(QStringLiteral("fault"), entry.fault);
        entries.append(object);
    }
    return { { QStringLiteral("requests"), entries } };
}
