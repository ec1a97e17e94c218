// The Add account dialog on the sandbox: add an account with the service's own fields, see it in
// the tree and in the saved accounts (its secret only in the credential store), see a service's
// refusal in the dialog with nothing saved, Care360's two steps, validation before anything is
// sent, the keyboard, and every service's form. The Accounts list is in tst_accountsdialog.
#include "accountdialogfixture.h"
#include "accountstore.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Docket;

class TestAccountDialog : public AccountDialogFixture
{
    Q_OBJECT

private Q_SLOTS:
    void scriptixSignInAddsAccountWithoutSecretInSettings();
    void wrongTokenShowsErrorAndSavesNothing();
    void care360AsksForTheCodeInASecondStep();
    void care360UnknownTenantIsExplained();
    void validationBlocksSignIn();
    void worksFromTheKeyboard();
    void everyServiceHasItsForm();
};

void TestAccountDialog::scriptixSignInAddsAccountWithoutSecretInSettings()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    const QString token = m_sandbox.credentials(QStringLiteral("scriptix"))
                              .value(QStringLiteral("token"))
                              .toString();
    QVERIFY(!token.isEmpty());
    fillScriptix(dialog, token);
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    screenshot(dialog, QStringLiteral("accountdialog-scriptix"));

    QVERIFY(signIn(dialog));

    QVERIFY(accountRow(ServiceKind::Scriptix).isValid());
    const QList<Account> saved = m_store->accounts();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().name, QStringLiteral("Clinic"));
    QCOMPARE(saved.first().baseUrl, m_sandbox.baseUrl(QStringLiteral("scriptix")));
    QCOMPARE(m_model->accountIds(), QStringList { saved.first().id });
    QVERIFY(m_secrets->contains(secretKey(saved.first().id, Secret::token)));
    const QByteArray ini = settingsText();
    QVERIFY(ini.contains("Clinic"));
    QVERIFY(!ini.contains(token.toUtf8()));
}

void TestAccountDialog::wrongTokenShowsErrorAndSavesNothing()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    fillScriptix(dialog, QStringLiteral("not-the-token"));
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    waitIdle(dialog);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    qInfo() << "wrong token:" << dialog->problemText();
    QVERIFY(dialog->isVisible());
    QVERIFY(child<QLabel>(dialog, "problemLabel")->isVisible());
    // to correct it
    QCOMPARE(dialog->focusWidget(), child<QLineEdit>(dialog, "scriptixTokenEdit"));
    screenshot(dialog, QStringLiteral("accountdialog-wrong-token"));
    QVERIFY(m_store->accounts().isEmpty());
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_secrets->size(), 0);
    QVERIFY(!settingsText().contains("not-the-token"));
    QTRY_VERIFY(m_accounts->connectors().isEmpty());
}

void TestAccountDialog::care360AsksForTheCodeInASecondStep()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    const QJsonObject credentials = m_sandbox.credentials(QStringLiteral("care360"));
    // The URL is the chosen environment's until the custom one is chosen.
    dialog->setService(ServiceKind::Care360);
    QVERIFY(!child<QLineEdit>(dialog, "care360UrlEdit")->isEnabled());
    fillCare360(dialog, credentials.value(QStringLiteral("tenantKey")).toString(),
                credentials.value(QStringLiteral("email")).toString());
    QVERIFY(child<QLineEdit>(dialog, "care360UrlEdit")->isEnabled());
    screenshot(dialog, QStringLiteral("accountdialog-care360-step1"));

    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isAtCodeStep(), 15000);
    waitIdle(dialog);
    QCOMPARE(dialog->focusWidget(), child<QLineEdit>(dialog, "codeEdit"));
    QVERIFY(child<QLabel>(dialog, "codeIntroLabel")
                ->text()
                .contains(credentials.value(QStringLiteral("email")).toString()));
    screenshot(dialog, QStringLiteral("accountdialog-care360-step2"));

    // A wrong code: said in the dialog, which stays on the code step.
    QTest::keyClicks(child<QLineEdit>(dialog, "codeEdit"), QStringLiteral("000000"));
    QTest::keyClick(child<QLineEdit>(dialog, "codeEdit"), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->problemText().isEmpty()
                                 && child<QPushButton>(dialog, "signInButton")->isEnabled(),
                             15000);
    qInfo() << "wrong code:" << dialog->problemText();
    QVERIFY(dialog->problemText().contains(QStringLiteral("code")));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->isAtCodeStep());
    QVERIFY(m_store->accounts().isEmpty());
    screenshot(dialog, QStringLiteral("accountdialog-care360-wrong-code"));

    // The right code (selected after the error, so typing replaces it).
    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::keyClicks(child<QLineEdit>(dialog, "codeEdit"),
                     credentials.value(QStringLiteral("otpCode")).toString());
    QTest::keyClick(child<QLineEdit>(dialog, "codeEdit"), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 15000);
    QVERIFY(accountRow(ServiceKind::Care360).isValid());
    const QList<Account> saved = m_store->accounts();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().setting(QStringLiteral("login")),
             credentials.value(QStringLiteral("email")).toString());
    QVERIFY(m_secrets->contains(secretKey(saved.first().id, Secret::tenantKey)));
    QVERIFY(m_secrets->contains(secretKey(saved.first().id, Secret::refreshToken)));
    QVERIFY(!settingsText().contains(
        credentials.value(QStringLiteral("tenantKey")).toString().toUtf8()));
}

void TestAccountDialog::care360UnknownTenantIsExplained()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    fillCare360(dialog, QStringLiteral("nobody"), QStringLiteral("patient@example.org"));
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    waitIdle(dialog);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    qInfo() << "unknown tenant:" << dialog->problemText();
    QVERIFY(dialog->problemText().contains(QStringLiteral("tenant key")));
    QVERIFY(!dialog->isAtCodeStep());
    QVERIFY(m_store->accounts().isEmpty());
    QCOMPARE(m_secrets->size(), 0);
}

void TestAccountDialog::validationBlocksSignIn()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    fillScriptix(dialog, QStringLiteral("abc"),
                 QUrl(QStringLiteral("http://scriptix.example.org/api/v3")));
    const int before = m_sandbox.requestLog().value(QStringLiteral("requests")).toArray().size();
    QTest::keyClick(child<QLineEdit>(dialog, "scriptixTokenEdit"), Qt::Key_Return);
    QVERIFY(dialog->problemText().contains(QStringLiteral("https://")));
    QVERIFY(dialog->isVisible());
    QVERIFY(m_accounts->connectors().isEmpty()); // nothing was started
    screenshot(dialog, QStringLiteral("accountdialog-validation"));

    // An empty secret is caught too.
    child<QLineEdit>(dialog, "scriptixUrlEdit")->clear();
    QTest::keyClicks(child<QLineEdit>(dialog, "scriptixUrlEdit"),
                     QStringLiteral("https://scriptix.example.org/api/v3"));
    child<QLineEdit>(dialog, "scriptixTokenEdit")->clear();
    QTest::mouseClick(child<QPushButton>(dialog, "signInButton"), Qt::LeftButton);
    QVERIFY(dialog->problemText().contains(QStringLiteral("token")));
    QVERIFY(m_accounts->connectors().isEmpty());
    QCOMPARE(m_sandbox.requestLog().value(QStringLiteral("requests")).toArray().size(), before);
}

void TestAccountDialog::worksFromTheKeyboard()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(child<QPushButton>(dialog, "signInButton")->isDefault());
    // Every field has a label with a mnemonic that gives it focus, on every service page.
    for (const char *page : { "invoxPage", "care360Page", "documentProPage", "scriptixPage",
                              "detailsStep", "codeStep" }) {
        for (QLabel *label : child<QWidget>(dialog, page)->findChildren<QLabel *>()) {
            if (label->objectName() == QLatin1String("codeIntroLabel"))
                continue;
            QVERIFY2(label->text().contains(u'&'), qPrintable(label->text()));
            QVERIFY2(label->buddy(), qPrintable(label->text()));
            QVERIFY(!label->buddy()->accessibleName().isEmpty());
        }
    }
    // Tab goes from the service through the name into the service's fields, in order.
    auto *service = child<QComboBox>(dialog, "serviceCombo");
    service->setFocus();
    dialog->setService(ServiceKind::DocumentPro);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "nameEdit"));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Parsing"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "documentProPresetCombo"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    // The custom URL field is disabled with the default preset, so the key comes next.
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "documentProApiKeyEdit"));
    QCOMPARE(child<QLineEdit>(dialog, "documentProApiKeyEdit")->echoMode(), QLineEdit::Password);
    // Alt+N goes back to the name.
    QTest::keyClick(dialog, Qt::Key_N, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(dialog, "nameEdit"));
    // Escape cancels.
    QSignalSpy rejected(dialog, &QDialog::rejected);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(rejected.count(), 1);
}

void TestAccountDialog::everyServiceHasItsForm()
{
    AccountDialog *dialog = openDialog();
    QVERIFY(dialog);
    // One page per service, built from its ServiceInfo: a screenshot of each, empty.
    for (ServiceKind service : { ServiceKind::Invox, ServiceKind::Care360, ServiceKind::DocumentPro,
                                 ServiceKind::Scriptix }) {
        dialog->setService(service);
        waitIdle(dialog);
        screenshot(dialog, QStringLiteral("accountdialog-form-") + serviceId(service));
    }
}

QTEST_MAIN(TestAccountDialog)

#include "tst_accountdialog.moc"
