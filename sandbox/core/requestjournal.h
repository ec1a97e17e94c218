#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <deque>

// What arrived: a count per service and route name (every request, refused or not), and the most
// recent requests in full so tests can see exactly which path an id produced.
class RequestJournal
{
public:
    struct Entry
    {
        QString service;
        QByteArray method;
        QString path; // percent-encoding kept, query included
        QString route; // route name, or "unknown"
        QString outcome; // HTTP status as text, or "hang", "reset", "rate-limited"
        QString fault; // the fault mode applied, if any
        QByteArray requestId;
    };

    void count(const QString &service, const QString &route);
    void record(Entry entry);
    void clear();

    QJsonObject countsJson() const;
    QJsonObject entriesJson(const QString &service) const;

    static constexpr int capacity = 5000;

private:
    QHash<QString, QHash<QString, int>> m_counts;
    std::deque<Entry> m_entries;
};
