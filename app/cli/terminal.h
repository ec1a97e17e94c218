#pragma once

#include <QObject>
#include <QString>

#include <functional>

// Asks the person at the terminal for a line without blocking the event loop (the read runs on a
// worker thread). Secrets are read with echo off where the terminal allows it.
class Terminal : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    static bool isInteractive(); // stdin is a terminal
    static bool showsErrors(); // stderr is a terminal: progress lines are for a person
    // Prints `prompt` to stderr and calls `done` with the line (without the newline); `done` gets
    // an empty optional at end of input.
    void ask(const QString &prompt, bool secret, std::function<void(std::optional<QString>)> done);
};
