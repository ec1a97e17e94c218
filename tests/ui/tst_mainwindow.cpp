#include "documenttreeview.h"
#include "emptystatewidget.h"
#include "mainwindow.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensWithColumnsAndEmptyState()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QCOMPARE(window.windowTitle(), QStringLiteral("Docket"));
        QAbstractItemModel *model = window.treeView()->model();
        QCOMPARE(model->columnCount(), 5);
        QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Name"));
        QCOMPARE(model->headerData(4, Qt::Horizontal).toString(), QStringLiteral("Status"));

        // No accounts: the user sees a message, not a blank tree.
        auto *empty = window.findChild<EmptyStateWidget *>(QStringLiteral("emptyState"));
        QVERIFY(empty);
        QVERIFY(empty->isVisible());
        // It lies over the tree, so the column header stays readable.
        QVERIFY(window.treeView()->isVisible());
        QCOMPARE(empty->parentWidget(), window.treeView());
        QTRY_COMPARE(empty->geometry(), window.treeView()->viewport()->geometry());
        QCOMPARE(empty->title(), QStringLiteral("No accounts yet"));
        QVERIFY(!empty->accessibleName().isEmpty());
    }

    void menusHaveMnemonicsAndNames()
    {
        MainWindow window;
        const QList<QAction *> menus = window.menuBar()->actions();
        QVERIFY(menus.size() >= 2);
        for (QAction *menu : menus)
            QVERIFY2(menu->text().contains(u'&'), qPrintable(menu->text()));
        QVERIFY(window.findChild<QAction *>(QStringLiteral("actionQuit")));
        QCOMPARE(window.findChild<QAction *>(QStringLiteral("actionQuit"))->shortcut(),
                 QKeySequence(QKeySequence::Quit));
    }

    void screenshot()
    {
        MainWindow window;
        window.resize(1000, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(QDir().mkpath(QStringLiteral(DOCKET_SCREENSHOT_DIR)));
        const QString path = QStringLiteral(DOCKET_SCREENSHOT_DIR "/mainwindow-empty.png");
        QVERIFY(window.grab().save(path));
        QVERIFY(QFileInfo(path).size() > 1000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
