#pragma once

// For suites that run with no keychain reachable: they start with no session bus and a private
// home, then check that no secret fell back to a plain-text file there.

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

// No file under the (test) home holds `secret`.
inline void verifyNoFileUnderHomeHolds(const QByteArray &secret)
{
    QDirIterator files(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (file.size() < 1'000'000 && file.open(QIODevice::ReadOnly))
            QVERIFY2(!file.readAll().contains(secret), qPrintable(file.fileName()));
    }
}

// A suite's main(): runs `Suite` with no session bus and an empty temporary home.
template<typename Suite> int runWithoutKeychain(int argc, char *argv[])
{
    // Before anything touches D-Bus: this process must see no session bus at all.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    QTemporaryDir home;
    qputenv("HOME", home.path().toLocal8Bit());
    QCoreApplication app(argc, argv);
    Suite test;
    return QTest::qExec(&test, argc, argv);
}
