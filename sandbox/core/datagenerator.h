#pragma once

#include <QDateTime>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

// Deterministic, plausible-looking fake data: the same seed gives the same names, ids and dates on
// every machine. Dates are relative to a fixed epoch, never to the current time.
class DataGenerator
{
public:
    explicit DataGenerator(quint32 seed);

    int between(int low, int highInclusive);
    bool chance(double probability);
    template<typename T> const T &pick(const QList<T> &items)
    {
        return items.at(between(0, int(items.size()) - 1));
    }

    QString firstName();
    QString lastName();
    QString fullName() { return firstName() + u' ' + lastName(); }
    QString clinicianName(); // "Dr Amara Okafor"
    QString uuid(); // RFC 4122 version 4 layout
    QString token(int length); // [a-z0-9]
    QString hexToken(int length);
    // A moment between `daysBack` days before the epoch and the epoch, UTC, whole seconds.
    QDateTime recentDateTime(int daysBack = 365);
    QString sentence(int minWords, int maxWords);
    QString language(); // "en-GB", "nl-NL", ...

    // 2026-11-01T09:00:00Z: "now" for generated data, so output does not depend on the clock.
    static QDateTime epoch();
    static QString isoUtc(const QDateTime &dateTime); // "2026-03-14T10:22:05Z"
    static QString isoUtcFromSecs(qint64 secsSinceEpoch); // the same from seconds since 1970

private:
    QRandomGenerator m_random;
};
