#include "mainwindow.h"

#include "applicationinfo.h"
#include "documenttreeview.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardItemModel>
#include <QStatusBar>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tree(new DocumentTreeView(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Docket"));
    resize(1000, 640);

    // The columns an administrator decides by; the live model arrives with the connectors.
    auto *model = new QStandardItemModel(0, 5, this);
    model->setHorizontalHeaderLabels(
        { tr("Name"), tr("Kind"), tr("Created"), tr("Size"), tr("Status") });
    model->setHeaderData(3, Qt::Horizontal, tr("File size, page count or recording length"),
                         Qt::ToolTipRole);
    m_tree->setModel(model);
    m_tree->setObjectName(QStringLiteral("documentTree"));
    m_tree->setAccessibleName(tr("Accounts and documents"));
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);

    m_tree->setEmptyStateText(tr("No accounts yet"),
                              tr("Docket shows the documents of the services you sign in to. "
                                 "Signing in to accounts is not available in this version."));
    setCentralWidget(m_tree);

    createMenus();
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("actionQuit"));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Docket"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("About Docket"),
                                tr("<b>Docket %1</b><p>Review and delete documents held by the "
                                   "document services your organisation uses.</p>")
                                    .arg(Docket::version().toHtmlEscaped()),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}
