#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

namespace Docket {

// Where secrets live. Every call is asynchronous (the OS keychain may prompt or talk D-Bus) and
// completes later on the event loop, never inside the call. The callback is dropped if `context`
// is destroyed first.
class CredentialStore : public QObject
{
    Q_OBJECT

public:
    struct ReadResult
    {
        std::optional<QString> value; // empty optional: no such secret
        QString error; // non-empty: the store failed (then value is empty)
    };
    using ReadCallback = std::function<void(const ReadResult &)>;
    using DoneCallback = std::function<void(const QString &error)>; // empty error: success

    using QObject::QObject;

    virtual void read(const QString &key, QObject *context, ReadCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context,
                       DoneCallback done)
        = 0;
    virtual void remove(const QString &key, QObject *context, DoneCallback done) = 0;
    // "the OS keychain", "memory (this run only)": for messages.
    virtual QString description() const = 0;
};

// Secrets in this process's memory only: for tests, for `docket --sandbox`, and for a run where the
// keychain is unavailable. Nothing is ever written to disk.
class MemoryCredentialStore : public CredentialStore
{
    Q_OBJECT

public:
    using CredentialStore::CredentialStore;

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               DoneCallback done) override;
    void remove(const QString &key, QObject *context, DoneCallback done) override;
    QString description() const override;

    int size() const { return int(m_secrets.size()); }
    bool contains(const QString &key) const { return m_secrets.contains(key); }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace Docket
