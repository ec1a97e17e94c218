#include "datagenerator.h"

#include <QTimeZone>

namespace {

const QStringList &firstNames()
{
    static const QStringList names = {
        QStringLiteral("Amara"),  QStringLiteral("Ben"),    QStringLiteral("Carmen"),
        QStringLiteral("Daniel"), QStringLiteral("Eva"),    QStringLiteral("Farid"),
        QStringLiteral("Grace"),  QStringLiteral("Hugo"),   QStringLiteral("Ines"),
        QStringLiteral("Jonas"),  QStringLiteral("Keiko"),  QStringLiteral("Liam"),
        QStringLiteral("Maya"),   QStringLiteral("Noah"),   QStringLiteral("Olga"),
        QStringLiteral("Pieter"), QStringLiteral("Priya"),  QStringLiteral("Rafael"),
        QStringLiteral("Sofia"),  QStringLiteral("Tomás"),  QStringLiteral("Uma"),
        QStringLiteral("Victor"), QStringLiteral("Wen"),    QStringLiteral("Yusuf"),
        QStringLiteral("Zoë"),    QStringLiteral("Anouk"),  QStringLiteral("Marcus"),
        QStringLiteral("Leila"),  QStringLiteral("Stefan"), QStringLiteral("Chloe"),
    };
    return names;
}

const QStringList &lastNames()
{
    static const QStringList names = {
        QStringLiteral("Okafor"),   QStringLiteral("Rivera"),  QStringLiteral("de Vries"),
        QStringLiteral("Nguyen"),   QStringLiteral("Schmidt"), QStringLiteral("Haddad"),
        QStringLiteral("Kowalski"), QStringLiteral("Tanaka"),  QStringLiteral("O'Brien"),
        QStringLiteral("Jansen"),   QStringLiteral("Silva"),   QStringLiteral("Müller"),
        QStringLiteral("Patel"),    QStringLiteral("Rossi"),   QStringLiteral("Larsen"),
        QStringLiteral("Dubois"),   QStringLiteral("Mensah"),  QStringLiteral("Novak"),
        QStringLiteral("García"),   QStringLiteral("Bakker"),  QStringLiteral("Andersson"),
        QStringLiteral("Kim"),      QStringLiteral("Hughes"),  QStringLiteral("Yilmaz"),
    };
    return names;
}

const QStringList &words()
{
    static const QStringList list = {
        QStringLiteral("patient"),    QStringLiteral("reports"),   QStringLiteral("mild"),
        QStringLiteral("pain"),       QStringLiteral("since"),     QStringLiteral("last"),
        QStringLiteral("week"),       QStringLiteral("blood"),     QStringLiteral("pressure"),
        QStringLiteral("stable"),     QStringLiteral("follow-up"), QStringLiteral("in"),
        QStringLiteral("two"),        QStringLiteral("weeks"),     QStringLiteral("the"),
        QStringLiteral("medication"), QStringLiteral("dose"),      QStringLiteral("was"),
        QStringLiteral("adjusted"),   QStringLiteral("no"),        QStringLiteral("allergies"),
        QStringLiteral("known"),      QStringLiteral("sleep"),     QStringLiteral("improved"),
        QStringLiteral("discussed"),  QStringLiteral("results"),   QStringLiteral("with"),
        QStringLiteral("referral"),   QStringLiteral("to"),        QStringLiteral("physiotherapy"),
        QStringLiteral("headache"),   QStringLiteral("resolved"),  QStringLiteral("review"),
        QStringLiteral("lab"),        QStringLiteral("values"),    QStringLiteral("normal"),
    };
    return list;
}

} // namespace

DataGenerator::DataGenerator(quint32 seed)
    : m_random(seed)
{ }

int DataGenerator::between(int low, int highInclusive)
{
    if (highInclusive <= low)
        return low;
    // Computed in 64 bits: the span of [0, INT_MAX] does not fit in an int. It always fits in 32
    // unsigned bits, which keeps the sequence (and so every seed's data) as it was.
    const quint32 span = quint32(qint64(highInclusive) - low + 1);
    return int(low + qint64(m_random.bounded(span)));
}

bool DataGenerator::chance(double probability)
{
    return m_random.generateDouble() < probability;
}

QString DataGenerator::firstName()
{
    return pick(firstNames());
}

QString DataGenerator::lastName()
{
    return pick(lastNames());
}

QString DataGenerator::clinicianName()
{
    return QStringLiteral("Dr ") + fullName();
}

QString DataGenerator::uuid()
{
    QString hex = hexToken(32);
    hex[12] = u'4'; // version 4
    hex[16] = QLatin1Char("89ab"[m_random.bounded(4)]); // RFC 4122 variant
    return hex.left(8) + u'-' + hex.mid(8, 4) + u'-' + hex.mid(12, 4) + u'-' + hex.mid(16, 4) + u'-'
        + hex.mid(20);
}

QString DataGenerator::token(int length)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString result;
    result.reserve(length);
    for (int i = 0; i < length; ++i)
        result.append(QLatin1Char(alphabet[m_random.bounded(36)]));
    return result;
}

QString DataGenerator::hexToken(int length)
{
    static const char alphabet[] = "0123456789abcdef";
    QString result;
    result.reserve(length);
    for (int i = 0; i < length; ++i)
        result.append(QLatin1Char(alphabet[m_random.bounded(16)]));
    return result;
}

QDateTime DataGenerator::recentDateTime(int daysBack)
{
    const qint64 seconds = qint64(m_random.bounded(quint32(qMax(1, daysBack) * 86400)));
    return epoch().addSecs(-seconds);
}

QString DataGenerator::sentence(int minWords, int maxWords)
{
    const int count = between(minWords, maxWords);
    QStringList parts;
    for (int i = 0; i < count; ++i)
        parts.append(pick(words()));
    QString text = parts.join(u' ');
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text + u'.';
}

QString DataGenerator::language()
{
    static const QStringList languages
        = { QStringLiteral("en-GB"), QStringLiteral("en-US"), QStringLiteral("nl-NL"),
            QStringLiteral("de-DE"), QStringLiteral("fr-FR") };
    return pick(languages);
}

QDateTime DataGenerator::epoch()
{
    return QDateTime(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
}

QString DataGenerator::isoUtc(const QDateTime &dateTime)
{
    return dateTime.toUTC().toString(Qt::ISODate);
}

QString DataGenerator::isoUtcFromSecs(qint64 secsSinceEpoch)
{
    return isoUtc(QDateTime::fromSecsSinceEpoch(secsSinceEpoch, QTimeZone::utc()));
}
