#pragma once

// A keychain stand-in: works like memory, answering on the next event-loop turn, until told to
// fail. Header-only: it needs docket_models, which docket_test_support does not link.

#include "credentialstore.h"

#include <QHash>
#include <QTimer>

class FakeKeychain : public Docket::CredentialStore
{
public:
    using CredentialStore::CredentialStore;

    QString failure; // non-empty: every call fails with it
    QString removalRefusal; // non-empty (and no failure): every removal fails with it
    int calls = 0;
    int reads = 0;
    QHash<QString, QString> secrets;

    // While working, a missing key reads as not found, with no error.
    void read(const QString &key, QObject *context, ReadCallback done) override
    {
        ++calls;
        ++reads;
        ReadResult result;
        if (!failure.isEmpty())
            result.error = failure;
        else if (secrets.contains(key))
            result.value = secrets.value(key);
        QTimer::singleShot(0, context, [done, result] { done(result); });
    }
    void write(const QString &key, const QString &secret, QObject *context,
               DoneCallback done) override
    {
        ++calls;
        if (failure.isEmpty())
            secrets.insert(key, secret);
        QTimer::singleShot(0, context, [done, error = failure] { done(error); });
    }
    void remove(const QString &key, QObject *context, DoneCallback done) override
    {
        ++calls;
        const QString error = failure.isEmpty() ? removalRefusal : failure;
        if (error.isEmpty())
            secrets.remove(key);
        QTimer::singleShot(0, context, [done, error] { done(error); });
    }
    QString description() const override { return QStringLiteral("the fake keychain"); }
};
