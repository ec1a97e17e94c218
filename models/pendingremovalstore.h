#pragma once

#include "credentialstore.h"

#include <QSettings>
#include <QStringList>

#include <memory>

namespace Docket {

// A credential store that never reports a secret removed while it is still there. A removal the
// inner store (the keychain) refuses is reported as the error it is, and its key is put on a
// "still to remove" list in the settings, shared by the window and docket-cli (key names only,
// never a value). From then on the key reads as missing, since the user asked for it to be gone;
// retryPending(), called at each start, removes the listed keys again. A successful write or
// removal of a key takes it off the list (a new sign-in's secret is not deleted later).
class PendingRemovalStore : public CredentialStore
{
    Q_OBJECT

public:
    // The list in the INI file `settingsFile` (tests, docket-cli --config), or, when it is empty,
    // in the application's default settings (those AccountStore uses). `inner` must outlive this
    // store.
    explicit PendingRemovalStore(CredentialStore *inner, const QString &settingsFile = {},
                                 QObject *parent = nullptr);
    ~PendingRemovalStore() override;

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               DoneCallback done) override;
    void remove(const QString &key, QObject *context, DoneCallback done) override;
    QString description() const override;

    // The keys still to remove, as another process may have left them.
    QStringList pendingKeys() const;

    struct RetryResult
    {
        int removed = 0; // listed keys removed this time
        int stillPending = 0; // listed keys the store refused again
        QString error; // the first refusal's reason
    };
    // Removes every listed key again; `done` (later, on the event loop) says how it went.
    void retryPending(QObject *context, std::function<void(const RetryResult &)> done);

    static constexpr const char *kSettingsKey = "credentials/stillToRemove";

private:
    void setListed(const QString &key, bool listed);

    CredentialStore *m_inner;
    std::unique_ptr<QSettings> m_settings;
};

} // namespace Docket
