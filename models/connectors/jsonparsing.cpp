#include "jsonparsing.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QThread>

namespace Docket {

bool simdjsonAvailable()
{
#ifdef DOCKET_HAVE_SIMDJSON
    return true;
#else
    return false;
#endif
}

JsonParser defaultJsonParser()
{
    return simdjsonAvailable() ? JsonParser::Simdjson : JsonParser::Qt;
}

namespace {

class JsonThreadPool : public QThreadPool
{
public:
    JsonThreadPool()
    {
        setObjectName(QStringLiteral("Docket JSON"));
        setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
    }
};

Q_GLOBAL_STATIC(JsonThreadPool, threadPool)

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (as QDate counts them).
constexpr qint64 daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return qint64(era) * 146097 + dayOfEra - 719468;
}

constexpr bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// The one shape read directly: YYYY-MM-DDTHH:MM:SS, optionally .mmm (exactly three digits),
// then Z or ±HH:MM. Values out of the plain ranges (Feb 30, 24:00, second 60, offsets past 14
// hours, year 0) are left to QDateTime, which decides what they mean. False: not this shape.
template<typename Char> bool fastIsoMSecs(const Char *text, qsizetype size, qint64 *msecs)
{
    if (size != 20 && size != 24 && size != 25 && size != 29)
        return false;
    const auto digits = [text](qsizetype at, qsizetype count, int *value) {
        int result = 0;
        for (qsizetype i = at; i < at + count; ++i) {
            const auto c = text[i];
            if (c < Char('0') || c > Char('9'))
                return false;
            result = result * 10 + int(c - Char('0'));
        }
        *value = result;
        return true;
    };
    int year, month, day, hour, minute, second;
    if (!digits(0, 4, &year) || text[4] != Char('-') || !digits(5, 2, &month)
        || text[7] != Char('-') || !digits(8, 2, &day) || text[10] != Char('T')
        || !digits(11, 2, &hour) || text[13] != Char(':') || !digits(14, 2, &minute)
        || text[16] != Char(':') || !digits(17, 2, &second))
        return false;
    qsizetype at = 19;
    int millis = 0;
    if (text[at] == Char('.')) {
        if (size != 24 && size != 29)
            return false;
        if (!digits(at + 1, 3, &millis))
            return false;
        at += 4;
    }
    int offsetSeconds = 0;
    if (text[at] == Char('Z')) {
        if (at + 1 != size)
            return false;
    } else if (text[at] == Char('+') || text[at] == Char('-')) {
        int offsetHours, offsetMinutes;
        if (at + 6 != size || !digits(at + 1, 2, &offsetHours) || text[at + 3] != Char(':')
            || !digits(at + 4, 2, &offsetMinutes) || offsetMinutes > 59
            || offsetHours * 60 + offsetMinutes > 14 * 60)
            return false;
        offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60;
        if (text[at] == Char('-'))
            offsetSeconds = -offsetSeconds;
    } else {
        return false; // no zone: local time, which QDateTime knows about
    }
    static constexpr int daysIn[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        return false;
    if (day > daysIn[month - 1] + (month == 2 && isLeapYear(year) ? 1 : 0))
        return false;
    const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60
        + second - offsetSeconds;
    *msecs = seconds * 1000 + millis;
    return true;
}

QDateTime fromMSecs(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
}

} // namespace

QDateTime parseServiceDate(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QDateTime dateTime = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!dateTime.isValid())
        dateTime = QDateTime::fromString(value.toString(), Qt::ISODate);
    return dateTime.isValid() ? dateTime.toUTC() : QDateTime();
}

QJsonObject jsonObjectOf(const QByteArray &body, QString *problem)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("invalid JSON at byte %1: %2")
                       .arg(parseError.offset)
                       .arg(parseError.errorString());
        return {};
    }
    if (!document.isObject()) {
        *problem = QStringLiteral("expected a JSON object");
        return {};
    }
    return document.object();
}

QThreadPool *jsonThreadPool()
{
    return threadPool();
}

bool serviceDateMSecs(QByteArrayView utf8, qint64 *msecs)
{
    if (fastIsoMSecs(utf8.data(), utf8.size(), msecs))
        return true;
    const QDateTime dateTime = parseServiceDate(QJsonValue(QString::fromUtf8(utf8)));
    if (!dateTime.isValid())
        return false;
    *msecs = dateTime.toMSecsSinceEpoch();
    return true;
}

bool serviceDateMSecs(QStringView text, qint64 *msecs)
{
    if (fastIsoMSecs(text.utf16(), text.size(), msecs))
        return true;
    const QDateTime dateTime = parseServiceDate(QJsonValue(text.toString()));
    if (!dateTime.isValid())
        return false;
    *msecs = dateTime.toMSecsSinceEpoch();
    return true;
}

QDateTime parseServiceDateText(QStringView text)
{
    qint64 msecs = 0;
    if (fastIsoMSecs(text.utf16(), text.size(), &msecs))
        return fromMSecs(msecs);
    return parseServiceDate(QJsonValue(text.toString()));
}

QDateTime parseServiceDateUtf8(QByteArrayView utf8)
{
    qint64 msecs = 0;
    if (fastIsoMSecs(utf8.data(), utf8.size(), &msecs))
        return fromMSecs(msecs);
    return parseServiceDate(QJsonValue(QString::fromUtf8(utf8)));
}

} // namespace Docket
