// A fifth service needs one connector folder and one ServiceInfo, nothing else: Field Notes
// (this folder) is linked into this suite and into a docket-cli built for it, and the real
// account dialog, window, tree, confirmation and docket-cli offer it, sign in to it, list it and
// delete from it, each outcome proven by the server's own answer.
#include "accountdialog.h"
#include "accountstore.h"
#include "clirun.h"
#include "confirmdeletedialog.h"
#include "credentialstore.h"
#include "fieldnotesserver.h"
#include "fieldnotesservice.h"
#include "screenshot.h"
#include "windowservices.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Docket;

namespace {

template<typename T> T *child(QWidget *parent, const QString &name)
{
    return parent->findChild<T *>(name);
}

} // namespace

class TestFifthService : public WindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void registryDescribesIt();
    void windowSignsInListsAndDeletesANote();
    void windowShowsTheServicesRefusal();
    void cliAddsListsAndRemoves();
    void cliRefusedKeySavesNothing();
    void aBuildWithoutTheServiceKeepsItsAccount();

private:
    QString config() const { return m_dir->filePath(QStringLiteral("docket.ini")); }
    CliRun cli(const QStringList &arguments, const QByteArray &input = {}) const;
    AccountDialog *fillDialog(const QByteArray &key);

    std::unique_ptr<FieldNotesServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestFifthService::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestFifthService::init()
{
    m_server = std::make_unique<FieldNotesServer>();
    QVERIFY(m_server->listen());
    QVERIFY(createServices());
}

void TestFifthService::cleanup()
{
    m_window.reset();
    releaseServices();
    m_server.reset();
}

CliRun TestFifthService::cli(const QStringList &arguments, const QByteArray &input) const
{
    return runDocketCli(config(), arguments, {}, input);
}

void TestFifthService::registryDescribesIt()
{
    const ServiceInfo *info = ServiceRegistry::find(QStringLiteral("fieldnotes"));
    QVERIFY(info);
    QCOMPARE(info->kind, FieldNotes::serviceKind());
    QCOMPARE(serviceFromId(QStringLiteral("fieldnotes")), FieldNotes::serviceKind());
    QCOMPARE(serviceDisplayName(FieldNotes::serviceKind()), QStringLiteral("Field Notes"));
    QCOMPARE(nodeKindsByDepth(FieldNotes::serviceKind()),
             (QList<NodeKind> { FieldNotes::folderKind(), FieldNotes::noteKind() }));
    QCOMPARE(nodeKindName(FieldNotes::noteKind()), QStringLiteral("Note"));
    QCOMPARE(nodeKindId(FieldNotes::folderKind()), QStringLiteral("folder"));
    QVERIFY(isContainer(FieldNotes::folderKind()));
    QVERIFY(!isContainer(FieldNotes::noteKind()));
    // The built-in four are still there, in the window's order, with Field Notes after them.
    QStringList ids;
    for (const ServiceInfo *service : ServiceRegistry::all())
        ids << service->id;
    QCOMPARE(ids,
             (QStringList { QStringLiteral("invox"), QStringLiteral("care360"),
                            QStringLiteral("documentpro"), QStringLiteral("scriptix"),
                            QStringLiteral("fieldnotes") }));
}

AccountDialog *TestFifthService::fillDialog(const QByteArray &key)
{
    auto *dialog = new AccountDialog(m_accounts, m_store.get(), m_secrets.get(), m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    if (!QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    auto *service = child<QComboBox>(dialog, QStringLiteral("serviceCombo"));
    const int index = service->findText(QStringLiteral("Field Notes"));
    if (index < 0)
        return nullptr;
    service->setCurrentIndex(index);
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("nameEdit")), QStringLiteral("Ward"));
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("fieldNotesUrlEdit")),
                     m_server->url().toString());
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("fieldNotesApiKeyEdit")),
                     QString::fromLatin1(key));
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("fieldNotesWardEdit")),
                     QStringLiteral("3"));
    return dialog;
}

void TestFifthService::windowSignsInListsAndDeletesANote()
{
    m_window = std::make_unique<MainWindow>(m_model);
    m_window->resize(1000, 600);
    m_window->show();
    // Shortcuts (Delete) need the window active.
    QVERIFY(waitActive(m_window.get()));

    QPointer<AccountDialog> dialog = fillDialog(m_server->key);
    QVERIFY(dialog);
    QVERIFY2(saveScreenshot(dialog, QStringLiteral("fifth-service-account-dialog")), "screenshot");
    QSignalSpy added(dialog.data(), &AccountDialog::accountAdded);
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("signInButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, 10000);
    const Account account = added.first().first().value<Account>();
    QCOMPARE(account.service, FieldNotes::serviceKind());
    QCOMPARE(account.setting(QStringLiteral("ward")), QStringLiteral("3"));
    QVERIFY(m_server->requests.contains(QStringLiteral("GET /whoami")));
    // Saved without its key; the key is in the credential store.
    QCOMPARE(m_store->accounts().size(), 1);
    QVERIFY(!m_store->accounts().first().toVariantMap().values().contains(
        QString::fromLatin1(m_server->key)));

    // The tree lists its folders and their notes, with the service's own names for them.
    QTRY_VERIFY_WITH_TIMEOUT(m_services->accountRow(FieldNotes::serviceKind()).isValid(), 10000);
    const QModelIndex accountRow = m_services->accountRow(FieldNotes::serviceKind());
    DocumentTreeModel *model = m_model;
    const QModelIndex folder = expandAndWaitForRow(*m_window, accountRow);
    QVERIFY(folder.isValid());
    QCOMPARE(model->item(folder).name, QStringLiteral("Ward 3"));
    QCOMPARE(model->data(folder.siblingAtColumn(DocumentTreeModel::KindColumn)).toString(),
             QStringLiteral("Folder"));
    const QModelIndex note = expandAndWaitForRow(*m_window, folder);
    QVERIFY(note.isValid());
    const RemoteItem item = model->item(note);
    QCOMPARE(item.ref.kind, FieldNotes::noteKind());
    QVERIFY2(saveScreenshot(m_window.get(), QStringLiteral("fifth-service-window")), "screenshot");

    // Delete it as a user does: select, press Delete, read the confirmation, confirm.
    selectOnly(*m_window, note);
    QVERIFY(waitActive(m_window.get())); // again: the account dialog had the focus
    m_window->treeView()->setFocus();
    QAction *deleteAction = m_window->findChild<QAction *>(QStringLiteral("actionDelete"));
    QVERIFY(deleteAction);
    QTRY_VERIFY(deleteAction->isEnabled());
    QTest::keyClick(m_window->treeView(), Qt::Key_Delete);
    ConfirmDeleteDialog *confirm = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        confirm = m_window->findChild<ConfirmDeleteDialog *>();
        return confirm && confirm->isVisible();
    }));
    QVERIFY(confirm->messageText().contains(item.name));
    QVERIFY(confirm->detailText().contains(QStringLiteral("cannot be undone")));
    QTest::mouseClick(confirm->confirmButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!m_server->holds(item.ref.id()), 10000);
    QVERIFY(m_server->requests.contains(QStringLiteral("DELETE /notes/") + item.ref.id()));
    // The row leaves once the service's answer named the note, and the folder is listed again.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < model->rowCount(folder); ++row) {
                if (model->item(model->index(row, 0, folder)).ref.id() == item.ref.id())
                    return false;
            }
            return model->rowCount(folder) == 1;
        }(),
        10000);
}

void TestFifthService::windowShowsTheServicesRefusal()
{
    QPointer<AccountDialog> dialog = fillDialog("not-the-key");
    QVERIFY(dialog);
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("signInButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        !dialog->problemText().isEmpty()
            && child<QPushButton>(dialog, QStringLiteral("signInButton"))->isEnabled(),
        10000);
    QVERIFY(dialog->isVisible());
    QVERIFY(m_store->accounts().isEmpty());
    QVERIFY(!m_services->accountRow(FieldNotes::serviceKind()).isValid());
    dialog->reject();
}

void TestFifthService::cliAddsListsAndRemoves()
{
    const CliRun help = cli({ QStringLiteral("--help") });
    QVERIFY2(help.out.contains(QStringLiteral("fieldnotes")), qPrintable(help.out));
    QVERIFY2(help.out.contains(QStringLiteral("--ward")), qPrintable(help.out));

    const CliRun add
        = cli({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("fieldnotes"),
                QStringLiteral("Ward"), QStringLiteral("--base-url"), m_server->url().toString(),
                QStringLiteral("--ward"), QStringLiteral("5") });
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const CliRun listed = cli({ QStringLiteral("accounts"), QStringLiteral("--json") });
    QCOMPARE(listed.resultList().at(0).toObject().value(QStringLiteral("ward")).toString(),
             QStringLiteral("5"));
    const CliRun signIn = cli(
        { QStringLiteral("signin"), QStringLiteral("Ward"), QStringLiteral("--secret-stdin") },
        m_server->key + '\n');
    QVERIFY2(signIn.exitCode == 0, qPrintable(signIn.err));
    QVERIFY(m_server->requests.contains(QStringLiteral("GET /whoami")));

    const CliRun top = cli({ QStringLiteral("ls"), QStringLiteral("Ward") });
    QVERIFY2(top.exitCode == 0, qPrintable(top.err));
    QVERIFY2(top.out.contains(QStringLiteral("Ward 3"))
                 && top.out.contains(QStringLiteral("Ward 5")),
             qPrintable(top.out));
    const CliRun notes = cli({ QStringLiteral("ls"), QStringLiteral("Ward/ward-5") });
    QVERIFY2(notes.out.contains(QStringLiteral("Discharge")), qPrintable(notes.out));

    const CliRun removed = cli({ QStringLiteral("rm"), QStringLiteral("Ward/ward-5/note-3"),
                                 QStringLiteral("--yes"), QStringLiteral("--json") });
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err + removed.out));
    QCOMPARE(removed.firstRemoved().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("deleted"));
    QVERIFY(!m_server->holds(QStringLiteral("note-3")));

    // Again: the service's own 404 says it is gone, and nothing else is claimed.
    const CliRun again = cli({ QStringLiteral("rm"), QStringLiteral("Ward/ward-5/note-3"),
                               QStringLiteral("--yes"), QStringLiteral("--json") });
    QVERIFY(again.exitCode != 0
            || again.firstRemoved().value(QStringLiteral("outcome")).toString()
                != QStringLiteral("deleted"));
    QVERIFY(m_server->requests.count(QStringLiteral("DELETE /notes/note-3")) == 1);

    const CliRun gone
        = cli({ QStringLiteral("account"), QStringLiteral("remove"), QStringLiteral("Ward") });
    QVERIFY2(gone.exitCode == 0, qPrintable(gone.err));
}

void TestFifthService::cliRefusedKeySavesNothing()
{
    const CliRun add
        = cli({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("fieldnotes"),
                QStringLiteral("Ward"), QStringLiteral("--base-url"), m_server->url().toString() });
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const CliRun signIn = cli(
        { QStringLiteral("signin"), QStringLiteral("Ward"), QStringLiteral("--secret-stdin") },
        "wrong-key\n");
    QVERIFY(signIn.exitCode != 0);
    QVERIFY2(signIn.err.contains(QStringLiteral("Sign-in failed")), qPrintable(signIn.err));
    // The refused key was not kept: listing asks for a sign-in instead of sending it.
    const CliRun listed = cli({ QStringLiteral("ls"), QStringLiteral("Ward") });
    QVERIFY(listed.exitCode != 0);
    QCOMPARE(m_server->requests.count(QStringLiteral("GET /folders")), 0);
}

// The same settings read by the plain docket-cli, which has no Field Notes: it does not offer the
// account (read as another service, its key would go to the wrong API), and saving another
// account keeps it for the build that has the service.
void TestFifthService::aBuildWithoutTheServiceKeepsItsAccount()
{
    QVERIFY(
        cli({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("fieldnotes"),
              QStringLiteral("Ward"), QStringLiteral("--base-url"), m_server->url().toString() })
            .exitCode
        == 0);
    const auto plain = [this](const QStringList &arguments) {
        QProcess process;
        process.start(QStringLiteral(DOCKET_PLAIN_CLI_PATH),
                      QStringList { QStringLiteral("--config"), config() } + arguments);
        process.waitForFinished(60000);
        return std::make_pair(process.exitCode(),
                              QString::fromUtf8(process.readAllStandardOutput()));
    };
    const auto [listedCode, listed] = plain({ QStringLiteral("accounts") });
    QCOMPARE(listedCode, 0);
    QVERIFY2(!listed.contains(QStringLiteral("Ward")), qPrintable(listed));
    const auto [addedCode, added]
        = plain({ QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("scriptix"),
                  QStringLiteral("Clinic"), QStringLiteral("--base-url"),
                  QStringLiteral("http://127.0.0.1:9/api/v3") });
    QVERIFY2(addedCode == 0, qPrintable(added));
    const CliRun both = cli({ QStringLiteral("accounts") });
    QVERIFY2(both.out.contains(QStringLiteral("Ward\tfieldnotes"))
                 && both.out.contains(QStringLiteral("Clinic\tscriptix")),
             qPrintable(both.out));
}

QTEST_MAIN(TestFifthService)
#include "tst_fifth_service.moc"
