#pragma once

#include <QString>

namespace Docket {

// Sets the application, organisation and version names every executable shares, so QSettings,
// QStandardPaths and --version agree across docket, docket-cli and the tests.
void setApplicationInfo(const QString &executableName);

QString version();

} // namespace Docket
