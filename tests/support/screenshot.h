#pragma once

#include <QDir>
#include <QString>
#include <QWidget>

// Where a GUI suite writes what it shows, for people to look at: build/…/screenshots, or
// DOCKET_SCREENSHOT_DIR from the environment (the Xvfb runs write their own set). The suite's
// target defines DOCKET_SCREENSHOT_DIR. Header-only: the support library does not link Widgets.
// Returns false when the picture could not be written.
inline bool saveScreenshot(QWidget *widget, const QString &name)
{
    const QString directory
        = qEnvironmentVariable("DOCKET_SCREENSHOT_DIR", QStringLiteral(DOCKET_SCREENSHOT_DIR));
    return QDir().mkpath(directory)
        && widget->grab().save(directory + u'/' + name + QStringLiteral(".png"));
}
