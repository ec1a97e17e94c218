#pragma once

#include <QString>

namespace Docket {

// Sets the application, organisation and version names every executable shares, so QSettings,
// QStandardPaths and --version agree across docket, docket-cli and the tests.
void setApplicationInfo(const QString &executableName);
// Loads Docket's messages for the user's language, falling back to English. English needs a
// translation too: it gives the singular and plural of every message that counts ("1 item",
// "2 items"). Call once the QCoreApplication exists; true when a translation was installed.
bool installTranslations();

QString version();

} // namespace Docket
