#pragma once

#include <QDialog>
#include <QIcon>

class QLabel;

namespace Docket {

// Docket's icon, rendered from resources/icons/docket.svg, for the window and the dialogs.
QIcon applicationIcon();

// About Docket: the name, the version (the CMake project() version, as --version prints it),
// what Docket does, the Qt it was built with and runs on, the copyright, license and homepage.
// Open it with open(), never exec(); it does not delete itself (set Qt::WA_DeleteOnClose when
// creating one per use).
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    QLabel *versionLabel() const { return m_version; }
    QLabel *qtVersionLabel() const { return m_qtVersion; }

private:
    QLabel *m_version;
    QLabel *m_qtVersion;
};

} // namespace Docket
