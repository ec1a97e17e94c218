// docket: the desktop window.

#include "applicationinfo.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Docket::setApplicationInfo(QStringLiteral("docket"));
    QApplication::setApplicationDisplayName(QStringLiteral("Docket"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main",
                                "Review and delete documents held by Invox Medical, "
                                "CareValidate Care360, DocumentPro and Scriptix."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    MainWindow window;
    window.show();
    return app.exec();
}
