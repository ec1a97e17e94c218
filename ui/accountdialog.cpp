#include "accountdialog.h"

#include "accountmanager.h"
#include "accountstore.h"
#include "connector.h"
#include "credentialstore.h"
#include "serviceinfo.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QUuid>
#include <QVBoxLayout>

using namespace Docket;

namespace {

QLineEdit *lineEdit(QWidget *parent, const QString &objectName, const QString &accessibleName,
                    bool secret = false)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    if (secret) {
        edit->setEchoMode(QLineEdit::Password);
        edit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText
                                  | Qt::ImhSensitiveData);
    }
    return edit;
}

QComboBox *comboBox(QWidget *parent, const QString &objectName, const QString &accessibleName)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setAccessibleName(accessibleName);
    return combo;
}

// The URL a preset combo and its custom field give: the preset's, or the typed one.
QUrl presetUrl(const QComboBox *preset, const QLineEdit *custom)
{
    const QString url = preset->currentData().toString();
    return QUrl(url.isEmpty() ? custom->text().trimmed() : url);
}

// The reverse: the preset whose URL this is, otherwise "Custom URL" with the URL typed in.
void selectPreset(QComboBox *preset, QLineEdit *custom, const QUrl &url)
{
    int index = url.isEmpty() ? -1 : preset->findData(url.toString());
    if (index < 0) {
        index = preset->findData(QString());
        custom->setText(url.toString());
    }
    preset->setCurrentIndex(index);
}

// "&Token path" -> "Token path": a label's words for accessible names.
QString withoutMnemonic(QString label)
{
    return label.remove(u'&');
}

// "tokenPath" -> "TokenPath", for widget names: invoxTokenPathEdit.
QString capitalised(const QString &id)
{
    return id.isEmpty() ? id : id.at(0).toUpper() + id.mid(1);
}

} // namespace

AccountDialog::AccountDialog(AccountManager *manager, AccountStore *store,
                             CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_manager(manager)
    , m_store(store)
    , m_credentials(credentials)
{
    setObjectName(QStringLiteral("accountDialog"));
    setWindowTitle(tr("Add Account"));
    setAccessibleName(tr("Add account"));

    m_steps = new QStackedWidget(this);
    m_steps->setObjectName(QStringLiteral("accountSteps"));

    auto *details = new QWidget(m_steps);
    details->setObjectName(QStringLiteral("detailsStep"));
    auto *form = new QFormLayout;
    m_service = comboBox(details, QStringLiteral("serviceCombo"), tr("Service"));
    for (const ServiceInfo *info : ServiceRegistry::all())
        m_service->addItem(info->displayName, int(info->kind));
    form->addRow(tr("Ser&vice:"), m_service);
    m_name = lineEdit(details, QStringLiteral("nameEdit"), tr("Account name"));
    m_name->setPlaceholderText(tr("What you call it, e.g. Front desk"));
    form->addRow(tr("&Name:"), m_name);

    m_servicePages = new QStackedWidget(details);
    m_servicePages->setObjectName(QStringLiteral("servicePages"));
    for (const ServiceInfo *info : ServiceRegistry::all())
        m_servicePages->addWidget(createServicePage(*info));

    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addLayout(form);
    detailsLayout->addWidget(m_servicePages);
    detailsLayout->addStretch();
    // One label column across the common fields and every service's page.
    int labelWidth = 0;
    const QList<QLabel *> labels = details->findChildren<QLabel *>();
    for (const QLabel *label : labels)
        labelWidth = qMax(labelWidth, label->sizeHint().width());
    for (QLabel *label : labels)
        label->setMinimumWidth(labelWidth);
    m_steps->addWidget(details);
    m_steps->addWidget(createCodePage());

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setAccessibleName(tr("Problem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("accountButtons"));
    m_signInButton = m_buttons->addButton(tr("&Sign in"), QDialogButtonBox::AcceptRole);
    m_signInButton->setObjectName(QStringLiteral("signInButton"));
    m_signInButton->setAccessibleName(tr("Sign in"));
    m_signInButton->setDefault(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    m_buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    connect(m_signInButton, &QPushButton::clicked, this, &AccountDialog::signIn);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::rejected, this, &AccountDialog::abandon);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_steps);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_service, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_servicePages->setCurrentIndex(index);
        m_problem->hide();
    });
    setService(ServiceKind::Scriptix);
    updateUrlFields();
    setMinimumWidth(520);
    m_name->setFocus();
}

AccountDialog::~AccountDialog()
{
    abandon();
}

QWidget *AccountDialog::createServicePage(const ServiceInfo &info)
{
    ServicePage entry;
    entry.info = &info;
    auto *page = new QWidget;
    page->setObjectName(info.formName + QStringLiteral("Page"));
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    if (info.addresses.isEmpty()) {
        // No documented address: each account types its own.
        entry.url = lineEdit(page, info.formName + QStringLiteral("UrlEdit"),
                             tr("%1 base URL").arg(info.shortName));
        entry.url->setPlaceholderText(info.urlPlaceholder);
        form->addRow(tr("Base &URL:"), entry.url);
    } else {
        entry.preset = comboBox(
            page, info.formName + info.addressComboName + QStringLiteral("Combo"),
            tr("%1 %2").arg(info.shortName, withoutMnemonic(info.addressLabel).toLower()));
        for (const ServiceAddress &address : info.addresses) {
            const QString url = address.url.toString();
            entry.preset->addItem(address.label.isEmpty() ? url : address.label, url);
        }
        entry.preset->addItem(tr("Custom URL"), QString());
        form->addRow(info.addressLabel + u':', entry.preset);
        entry.url = lineEdit(page, info.formName + QStringLiteral("UrlEdit"),
                             tr("%1 custom URL").arg(info.shortName));
        entry.url->setPlaceholderText(info.urlPlaceholder);
        form->addRow(tr("Custom &URL:"), entry.url);
        connect(entry.preset, &QComboBox::currentIndexChanged, this,
                &AccountDialog::updateUrlFields);
    }
    for (const AccountField &field : info.fields) {
        QWidget *widget = createFieldWidget(page, info, field);
        entry.fields.insert(field.id, widget);
        form->addRow(field.label + u':', widget);
    }
    m_pages.push_back(entry);
    return page;
}

QWidget *AccountDialog::createFieldWidget(QWidget *page, const ServiceInfo &info,
                                          const AccountField &field)
{
    const QString name = info.formName + capitalised(field.id);
    const QString accessibleName = withoutMnemonic(field.label);
    if (field.kind == AccountField::Kind::Choice) {
        QComboBox *combo = comboBox(page, name + QStringLiteral("Combo"), accessibleName);
        for (const FieldChoice &choice : field.choices)
            combo->addItem(choice.label, choice.value);
        const int chosen = combo->findData(field.defaultValue);
        combo->setCurrentIndex(chosen < 0 ? 0 : chosen);
        return combo;
    }
    QLineEdit *edit
        = lineEdit(page, name + QStringLiteral("Edit"), accessibleName, field.isSecret());
    edit->setPlaceholderText(field.placeholder);
    edit->setText(field.defaultValue);
    return edit;
}

QWidget *AccountDialog::createCodePage()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("codeStep"));
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    m_codeIntro = new QLabel(page);
    m_codeIntro->setObjectName(QStringLiteral("codeIntroLabel"));
    m_codeIntro->setWordWrap(true);
    layout->addWidget(m_codeIntro);
    auto *form = new QFormLayout;
    m_code = lineEdit(page, QStringLiteral("codeEdit"), tr("One-time code"));
    m_code->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhNoPredictiveText);
    form->addRow(tr("One-time &code:"), m_code);
    layout->addLayout(form);
    layout->addStretch();
    return page;
}

void AccountDialog::updateUrlFields()
{
    for (const ServicePage &page : m_pages) {
        if (page.preset)
            page.url->setEnabled(page.preset->currentData().toString().isEmpty());
    }
}

void AccountDialog::setService(ServiceKind service)
{
    m_service->setCurrentIndex(m_service->findData(int(service)));
}

void AccountDialog::setEditing(const Account &account, bool persist)
{
    m_editing = true;
    m_persist = persist;
    m_account = account;
    setWindowTitle(tr("Edit Account"));
    setAccessibleName(tr("Edit account"));
    setService(account.service);
    m_service->setEnabled(false); // another service is another account
    m_name->setText(account.name);
    const ServicePage &page = currentPage();
    if (page.preset)
        selectPreset(page.preset, page.url, account.baseUrl);
    else
        page.url->setText(account.baseUrl.toString());
    for (const AccountField *field : page.info->settingFields()) {
        QWidget *widget = page.fields.value(field->id);
        const QString value = account.setting(field->id);
        if (auto *combo = qobject_cast<QComboBox *>(widget))
            combo->setCurrentIndex(qMax(0, combo->findData(value)));
        else if (auto *edit = qobject_cast<QLineEdit *>(widget))
            edit->setText(value);
    }
    for (QLineEdit *edit : secretEdits()) {
        edit->clear();
        edit->setPlaceholderText(tr("unchanged — leave empty to keep"));
    }
    m_signInButton->setText(tr("&Save"));
    m_signInButton->setAccessibleName(tr("Save"));
    updateUrlFields();
    m_name->setFocus();
}

QList<QLineEdit *> AccountDialog::secretEdits() const
{
    QList<QLineEdit *> edits;
    for (const ServicePage &page : m_pages) {
        for (const AccountField *field : page.info->secretFields())
            edits.append(qobject_cast<QLineEdit *>(page.fields.value(field->id)));
    }
    return edits;
}

const AccountDialog::ServicePage &AccountDialog::currentPage() const
{
    return m_pages.at(size_t(qMax(0, m_service->currentIndex())));
}

QString AccountDialog::fieldValue(const ServicePage &page, const AccountField &field) const
{
    QWidget *widget = page.fields.value(field.id);
    if (auto *combo = qobject_cast<QComboBox *>(widget))
        return combo->currentData().toString();
    if (auto *edit = qobject_cast<QLineEdit *>(widget))
        return edit->text().trimmed();
    return {};
}

Account AccountDialog::account() const
{
    const ServicePage &page = currentPage();
    Account account = m_account;
    account.service = page.info->kind;
    account.name = m_name->text().trimmed();
    account.baseUrl
        = page.preset ? presetUrl(page.preset, page.url) : QUrl(page.url->text().trimmed());
    for (const AccountField *field : page.info->settingFields())
        account.setSetting(field->id, fieldValue(page, *field));
    return account;
}

QHash<QString, QString> AccountDialog::typedSecrets() const
{
    const ServicePage &page = currentPage();
    QHash<QString, QString> secrets;
    for (const AccountField *field : page.info->secretFields()) {
        if (const QString value = fieldValue(page, *field); !value.isEmpty())
            secrets.insert(field->id, value);
    }
    return secrets;
}

void AccountDialog::focusSecret()
{
    const ServicePage &page = currentPage();
    const AccountField *secret = page.info->signInSecret();
    if (!secret)
        return;
    auto *edit = qobject_cast<QLineEdit *>(page.fields.value(secret->id));
    edit->selectAll();
    edit->setFocus(Qt::OtherFocusReason);
}

QString AccountDialog::problem() const
{
    const Account candidate = account();
    if (const QString problem = candidate.validationProblem(); !problem.isEmpty())
        return problem;
    // Editing: an empty secret keeps the one stored.
    if (!m_editing) {
        const ServicePage &page = currentPage();
        for (const AccountField *field : page.info->secretFields()) {
            if (const QString problem = field->problem(fieldValue(page, *field));
                !problem.isEmpty())
                return problem;
        }
    }
    if (m_store) {
        if (const auto existing = m_store->find(candidate.name);
            existing && existing->id != candidate.id)
            return tr("An account named “%1” already exists: choose another name.")
                .arg(candidate.name);
    }
    return {};
}

QString AccountDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

bool AccountDialog::isAtCodeStep() const
{
    return m_steps->currentIndex() == 1;
}

void AccountDialog::showProblem(const QString &text)
{
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_problem->setText(text);
    m_problem->setAccessibleDescription(text);
    m_problem->setVisible(!text.isEmpty());
}

void AccountDialog::setBusy(bool busy, const QString &message)
{
    m_steps->setEnabled(!busy);
    m_signInButton->setEnabled(!busy);
    if (busy) {
        m_problem->setStyleSheet(QString());
        m_problem->setText(message);
        m_problem->setAccessibleDescription(message);
        m_problem->show();
    }
}

void AccountDialog::signIn()
{
    if (m_connector) {
        if (isAtCodeStep())
            verifyCode();
        return;
    }
    if (const QString problem = this->problem(); !problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    if (m_editing && typedSecrets().isEmpty())
        saveSettingsOnly();
    else
        startSignIn();
}

void AccountDialog::saveSettingsOnly()
{
    Account edited = account();
    if (m_store && m_persist) {
        if (const QString problem = m_store->save(edited); !problem.isEmpty()) {
            showProblem(problem);
            return;
        }
    }
    m_account = edited;
    // Open it again with the new settings and the secrets it already has.
    Q_EMIT accountReplacing(edited.id);
    m_manager->close(edited.id);
    m_manager->open(edited, m_credentials);
    Q_EMIT accountEdited(edited);
    accept();
}

void AccountDialog::startSignIn()
{
    m_account = account();
    if (!m_editing)
        m_account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_secrets = typedSecrets();
    m_connector = m_manager->prepare(m_account, m_credentials);
    // In memory only until the service accepts them: a refused secret is never stored.
    for (auto it = m_secrets.cbegin(); it != m_secrets.cend(); ++it)
        m_connector->session()->setSecret(it.key(), it.value());
    setBusy(true, tr("Signing in to %1…").arg(serviceDisplayName(m_account.service)));

    m_signIn = m_connector->signIn(SignInMode::NewSecrets);
    connect(m_signIn, &SignInJob::codeRequested, this, &AccountDialog::showCodeStep);
    connect(m_signIn, &SignInJob::codeRejected, this, [this](const QString &message) {
        // A wrong or expired code: said here, and another may be typed.
        setBusy(false);
        showProblem(message);
        m_code->selectAll();
        m_code->setFocus();
    });
    connect(m_signIn, &ConnectorJob::finished, this, [this](ConnectorJob *job) {
        if (job->failed()) {
            setBusy(false);
            abandon();
            showProblem(job->error().userMessage);
            focusSecret();
            return;
        }
        persistAndFinish();
    });
}

void AccountDialog::showCodeStep(const QString &destination)
{
    setBusy(false);
    m_codeIntro->setText(tr("%1 sent a one-time code to %2. Enter it to finish signing in.")
                             .arg(currentPage().info->shortName, destination));
    m_steps->setCurrentIndex(1);
    m_signInButton->setText(tr("&Verify code"));
    showProblem({});
    m_code->setFocus();
}

void AccountDialog::verifyCode()
{
    const QString code = m_code->text().trimmed();
    if (code.isEmpty()) {
        showProblem(tr("Enter the one-time code %1 sent.").arg(currentPage().info->shortName));
        return;
    }
    if (!m_signIn || !m_signIn->isWaitingForCode())
        return;
    setBusy(true, tr("Checking the code…"));
    m_signIn->provideCode(code);
}

void AccountDialog::persistAndFinish()
{
    m_signIn = nullptr;
    storeSecrets(m_secrets.keys(), m_secrets);
}

// Stores the typed secrets one after the other, then goes on with secretsStored().
void AccountDialog::storeSecrets(QStringList names, const QHash<QString, QString> &secrets)
{
    if (!m_connector)
        return;
    if (names.isEmpty()) {
        secretsStored({});
        return;
    }
    const QString name = names.takeFirst();
    m_connector->session()->storeSecret(name, secrets.value(name), this,
                                        [this, names, secrets](const QString &error) {
                                            if (!error.isEmpty())
                                                secretsStored(error);
                                            else
                                                storeSecrets(names, secrets);
                                        });
}

void AccountDialog::secretsStored(const QString &error)
{
    if (!m_connector)
        return;
    QString problem = error;
    if (problem.isEmpty())
        problem = m_store && m_persist ? m_store->save(m_account) : QString();
    if (!problem.isEmpty()) {
        setBusy(false);
        // Nothing half-kept: forget every secret this sign-in stored (editing: they are the
        // account's own, which stays).
        if (!m_editing)
            m_connector->session()->clearSecrets(m_manager, [](const QString &) {});
        abandon();
        showProblem(problem);
        return;
    }
    Connector *connector = m_connector;
    m_connector = nullptr;
    m_secrets.clear();
    if (m_editing) {
        Q_EMIT accountReplacing(m_account.id);
        // The old connector, listed before the one just signed in under the same id.
        if (Connector *old = m_manager->connector(m_account.id); old && old != connector)
            m_manager->close(m_account.id);
    }
    m_manager->adopt(connector);
    if (m_editing)
        Q_EMIT accountEdited(m_account);
    else
        Q_EMIT accountAdded(m_account);
    accept();
}

void AccountDialog::abandon()
{
    if (!m_connector)
        return;
    Connector *connector = m_connector;
    m_connector = nullptr;
    m_signIn = nullptr;
    m_secrets.clear();
    m_manager->closeConnector(connector);
    m_steps->setCurrentIndex(0);
    m_signInButton->setText(tr("&Sign in"));
}
