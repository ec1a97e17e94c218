#include "care360content.h"

#include "core/datagenerator.h"

#include <QRandomGenerator>

namespace Care360 {

namespace {

QByteArray textFiller(quint32 seed, qsizetype size, const QByteArray &linePrefix)
{
    DataGenerator words(seed);
    QByteArray text;
    text.reserve(size + 128);
    while (text.size() < size)
        text += linePrefix + words.sentence(6, 14).toUtf8() + '\n';
    text.truncate(size);
    return text;
}

QByteArray csvFiller(quint32 seed, qsizetype size)
{
    DataGenerator values(seed);
    QByteArray text;
    text.reserve(size + 64);
    QDate day = DataGenerator::epoch().date().addDays(-400);
    while (text.size() < size) {
        day = day.addDays(1);
        text += day.toString(Qt::ISODate).toLatin1() + ','
            + QByteArray::number(values.between(105, 150)) + ','
            + QByteArray::number(values.between(65, 95)) + ','
            + QByteArray::number(values.between(55, 90)) + '\n';
    }
    text.truncate(size);
    return text;
}

QByteArray binaryFiller(quint32 seed, qsizetype size)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(random.bounded(256));
    return bytes;
}

} // namespace

QByteArray generatedContent(const QString &mimeType, quint32 seed, qsizetype size)
{
    QByteArray head;
    QByteArray tail;
    enum { Text, Csv, Binary } filler = Binary;
    QByteArray linePrefix;
    if (mimeType == QLatin1String("application/pdf")) {
        head = QByteArrayLiteral("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
        tail = QByteArrayLiteral("\n%%EOF\n");
        filler = Text;
        linePrefix = "% ";
    } else if (mimeType == QLatin1String("image/png")) {
        head = QByteArrayLiteral("\x89PNG\r\n\x1A\n");
        tail = QByteArrayLiteral("\0\0\0\0IEND\xAE\x42\x60\x82");
    } else if (mimeType == QLatin1String("image/jpeg")) {
        head = QByteArrayLiteral("\xFF\xD8\xFF\xE0");
        tail = QByteArrayLiteral("\xFF\xD9");
    } else if (mimeType == QLatin1String("image/tiff")) {
        head = QByteArrayLiteral("II*\0");
    } else if (mimeType == QLatin1String("image/webp")) {
        head = QByteArrayLiteral("RIFF\0\0\0\0WEBPVP8 ");
    } else if (mimeType == QLatin1String("application/msword")) {
        head = QByteArrayLiteral("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    } else if (mimeType == QLatin1String("image/svg+xml")) {
        head = QByteArrayLiteral(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\">\n"
            "<circle cx=\"32\" cy=\"32\" r=\"24\" fill=\"#c33\"/>\n<!--\n");
        tail = QByteArrayLiteral("-->\n</svg>\n");
        filler = Text;
    } else if (mimeType == QLatin1String("text/csv")) {
        head = QByteArrayLiteral("date,systolic,diastolic,pulse\n");
        filler = Csv;
    } else {
        filler = Text;
    }
    const qsizetype middle = qMax<qsizetype>(0, size - head.size() - tail.size());
    QByteArray body;
    switch (filler) {
    case Text:
        body = textFiller(seed, middle, linePrefix);
        break;
    case Csv:
        body = csvFiller(seed, middle);
        break;
    case Binary:
        body = binaryFiller(seed, middle);
        break;
    }
    return head + body + tail;
}

} // namespace Care360
