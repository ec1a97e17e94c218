#include "accountdialog.h"

#include "accountmanager.h"
#include "accountstore.h"
#include "connector.h"
#include "connectors/care360/care360connector.h"
#include "credentialstore.h"

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
    for (ServiceKind kind : { ServiceKind::Invox, ServiceKind::Care360, ServiceKind::DocumentPro,
                              ServiceKind::Scriptix })
        m_service->addItem(serviceDisplayName(kind), int(kind));
    form->addRow(tr("Ser&vice:"), m_service);
    m_name = lineEdit(details, QStringLiteral("nameEdit"), tr("Account name"));
    m_name->setPlaceholderText(tr("What you call it, e.g. Front desk"));
    form->addRow(tr("&Name:"), m_name);

    m_servicePages = new QStackedWidget(details);
    m_servicePages->setObjectName(QStringLiteral("servicePages"));
    m_servicePages->addWidget(createInvoxPage());
    m_servicePages->addWidget(createCare360Page());
    m_servicePages->addWidget(createDocumentProPage());
    m_servicePages->addWidget(createScriptixPage());

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

QWidget *AccountDialog::createInvoxPage()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("invoxPage"));
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_invoxUrl = lineEdit(page, QStringLiteral("invoxUrlEdit"), tr("Invox base URL"));
    m_invoxUrl->setPlaceholderText(tr("https://… (your organisation's Invox address)"));
    form->addRow(tr("Base &URL:"), m_invoxUrl);
    m_invoxAppId = lineEdit(page, QStringLiteral("invoxAppIdEdit"), tr("App Id"));
    form->addRow(tr("App &Id:"), m_invoxAppId);
    m_invoxApiKey = lineEdit(page, QStringLiteral("invoxApiKeyEdit"), tr("API Key"), true);
    form->addRow(tr("API &Key:"), m_invoxApiKey);
    m_invoxTokenPath = lineEdit(page, QStringLiteral("invoxTokenPathEdit"), tr("Token path"));
    m_invoxTokenPath->setText(Account().invoxTokenPath);
    form->addRow(tr("&Token path:"), m_invoxTokenPath);
    m_invoxApiVersion = lineEdit(page, QStringLiteral("invoxApiVersionEdit"), tr("API version"));
    m_invoxApiVersion->setPlaceholderText(tr("Optional"));
    form->addRow(tr("API v&ersion:"), m_invoxApiVersion);
    return page;
}

QWidget *AccountDialog::createCare360Page()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("care360Page"));
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_care360Environment
        = comboBox(page, QStringLiteral("care360EnvironmentCombo"), tr("Environment"));
    m_care360Environment->addItem(tr("Production"),
                                  Account::defaultBaseUrl(ServiceKind::Care360).toString());
    m_care360Environment->addItem(tr("Staging"), Account::care360StagingUrl().toString());
    m_care360Environment->addItem(tr("Custom URL"), QString());
    form->addRow(tr("&Environment:"), m_care360Environment);
    m_care360Url = lineEdit(page, QStringLiteral("care360UrlEdit"), tr("Care360 custom URL"));
    form->addRow(tr("Custom &URL:"), m_care360Url);
    m_care360TenantKey
        = lineEdit(page, QStringLiteral("care360TenantKeyEdit"), tr("Tenant key"), true);
    form->addRow(tr("Tenant &key:"), m_care360TenantKey);
    m_care360Login = lineEdit(page, QStringLiteral("care360LoginEdit"), tr("Email or phone"));
    m_care360Login->setPlaceholderText(tr("Where the one-time code is sent"));
    form->addRow(tr("Email or &phone:"), m_care360Login);
    connect(m_care360Environment, &QComboBox::currentIndexChanged, this,
            &AccountDialog::updateUrlFields);
    return page;
}

QWidget *AccountDialog::createDocumentProPage()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("documentProPage"));
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_documentProPreset
        = comboBox(page, QStringLiteral("documentProPresetCombo"), tr("DocumentPro address"));
    const QString url = Account::defaultBaseUrl(ServiceKind::DocumentPro).toString();
    m_documentProPreset->addItem(url, url);
    m_documentProPreset->addItem(tr("Custom URL"), QString());
    form->addRow(tr("&Address:"), m_documentProPreset);
    m_documentProUrl
        = lineEdit(page, QStringLiteral("documentProUrlEdit"), tr("DocumentPro custom URL"));
    form->addRow(tr("Custom &URL:"), m_documentProUrl);
    m_documentProApiKey
        = lineEdit(page, QStringLiteral("documentProApiKeyEdit"), tr("API key"), true);
    form->addRow(tr("API &key:"), m_documentProApiKey);
    connect(m_documentProPreset, &QComboBox::currentIndexChanged, this,
            &AccountDialog::updateUrlFields);
    return page;
}

QWidget *AccountDialog::createScriptixPage()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("scriptixPage"));
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_scriptixPreset
        = comboBox(page, QStringLiteral("scriptixPresetCombo"), tr("Scriptix address"));
    const QString url = Account::defaultBaseUrl(ServiceKind::Scriptix).toString();
    m_scriptixPreset->addItem(url, url);
    m_scriptixPreset->addItem(tr("Custom URL"), QString());
    form->addRow(tr("&Address:"), m_scriptixPreset);
    m_scriptixUrl = lineEdit(page, QStringLiteral("scriptixUrlEdit"), tr("Scriptix custom URL"));
    form->addRow(tr("Custom &URL:"), m_scriptixUrl);
    m_scriptixToken = lineEdit(page, QStringLiteral("scriptixTokenEdit"), tr("API token"), true);
    form->addRow(tr("API &token:"), m_scriptixToken);
    m_scriptixHeader = comboBox(page, QStringLiteral("scriptixHeaderCombo"), tr("Header style"));
    m_scriptixHeader->addItem(tr("Authorization: Bearer"), int(Account::ScriptixHeader::Bearer));
    m_scriptixHeader->addItem(tr("x-zoom-s2t-key"), int(Account::ScriptixHeader::ZoomKey));
    form->addRow(tr("&Header:"), m_scriptixHeader);
    connect(m_scriptixPreset, &QComboBox::currentIndexChanged, this,
            &AccountDialog::updateUrlFields);
    return page;
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
    m_care360Url->setEnabled(m_care360Environment->currentData().toString().isEmpty());
    m_documentProUrl->setEnabled(m_documentProPreset->currentData().toString().isEmpty());
    m_scriptixUrl->setEnabled(m_scriptixPreset->currentData().toString().isEmpty());
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
    switch (account.service) {
    case ServiceKind::Invox:
        m_invoxUrl->setText(account.baseUrl.toString());
        m_invoxAppId->setText(account.invoxAppId);
        m_invoxTokenPath->setText(account.invoxTokenPath);
        m_invoxApiVersion->setText(account.invoxApiVersion);
        break;
    case ServiceKind::Care360:
        selectPreset(m_care360Environment, m_care360Url, account.baseUrl);
        m_care360Login->setText(account.care360Login);
        break;
    case ServiceKind::DocumentPro:
        selectPreset(m_documentProPreset, m_documentProUrl, account.baseUrl);
        break;
    case ServiceKind::Scriptix:
        selectPreset(m_scriptixPreset, m_scriptixUrl, account.baseUrl);
        m_scriptixHeader->setCurrentIndex(m_scriptixHeader->findData(int(account.scriptixHeader)));
        break;
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
    return { m_invoxApiKey, m_care360TenantKey, m_documentProApiKey, m_scriptixToken };
}

Account AccountDialog::account() const
{
    Account account = m_account;
    account.service = ServiceKind(m_service->currentData().toInt());
    account.name = m_name->text().trimmed();
    switch (account.service) {
    case ServiceKind::Invox:
        account.baseUrl = QUrl(m_invoxUrl->text().trimmed());
        account.invoxAppId = m_invoxAppId->text().trimmed();
        account.invoxTokenPath = m_invoxTokenPath->text().trimmed();
        account.invoxApiVersion = m_invoxApiVersion->text().trimmed();
        break;
    case ServiceKind::Care360:
        account.baseUrl = presetUrl(m_care360Environment, m_care360Url);
        account.care360Login = m_care360Login->text().trimmed();
        break;
    case ServiceKind::DocumentPro:
        account.baseUrl = presetUrl(m_documentProPreset, m_documentProUrl);
        break;
    case ServiceKind::Scriptix:
        account.baseUrl = presetUrl(m_scriptixPreset, m_scriptixUrl);
        account.scriptixHeader = Account::ScriptixHeader(m_scriptixHeader->currentData().toInt());
        break;
    }
    return account;
}

QString AccountDialog::secretName() const
{
    switch (ServiceKind(m_service->currentData().toInt())) {
    case ServiceKind::Invox:
    case ServiceKind::DocumentPro:
        return Secret::apiKey;
    case ServiceKind::Care360:
        return Secret::tenantKey;
    case ServiceKind::Scriptix:
        return Secret::token;
    }
    return {};
}

QString AccountDialog::secretValue() const
{
    switch (ServiceKind(m_service->currentData().toInt())) {
    case ServiceKind::Invox:
        return m_invoxApiKey->text().trimmed();
    case ServiceKind::DocumentPro:
        return m_documentProApiKey->text().trimmed();
    case ServiceKind::Care360:
        return m_care360TenantKey->text().trimmed();
    case ServiceKind::Scriptix:
        return m_scriptixToken->text().trimmed();
    }
    return {};
}

void AccountDialog::focusSecret()
{
    QLineEdit *edit = nullptr;
    switch (ServiceKind(m_service->currentData().toInt())) {
    case ServiceKind::Invox:
        edit = m_invoxApiKey;
        break;
    case ServiceKind::DocumentPro:
        edit = m_documentProApiKey;
        break;
    case ServiceKind::Care360:
        edit = m_care360TenantKey;
        break;
    case ServiceKind::Scriptix:
        edit = m_scriptixToken;
        break;
    }
    edit->selectAll();
    edit->setFocus(Qt::OtherFocusReason);
}

QString AccountDialog::problem() const
{
    const Account candidate = account();
    if (const QString problem = candidate.validationProblem(); !problem.isEmpty())
        return problem;
    if (secretValue().isEmpty() && !m_editing) {
        switch (candidate.service) {
        case ServiceKind::Invox:
            return tr("Enter the Invox API Key.");
        case ServiceKind::Care360:
            return tr("Enter the Care360 tenant key.");
        case ServiceKind::DocumentPro:
            return tr("Enter the DocumentPro API key.");
        case ServiceKind::Scriptix:
            return tr("Enter the Scriptix API token.");
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
    if (m_editing && secretValue().isEmpty())
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
    m_connector = m_manager->prepare(m_account, m_credentials);
    // In memory only until the service accepts it: a refused secret is never stored.
    m_connector->session()->setSecret(secretName(), secretValue());
    setBusy(true, tr("Signing in to %1…").arg(serviceDisplayName(m_account.service)));

    if (auto *care360 = qobject_cast<Care360Connector *>(m_connector.data())) {
        connect(care360->requestCode(), &ConnectorJob::finished, this, [this](ConnectorJob *job) {
            setBusy(false);
            if (job->failed()) {
                abandon();
                showProblem(job->error().userMessage);
                focusSecret();
                return;
            }
            m_codeIntro->setText(
                tr("Care360 sent a one-time code to %1. Enter it to finish signing in.")
                    .arg(m_account.care360Login));
            m_steps->setCurrentIndex(1);
            m_signInButton->setText(tr("&Verify code"));
            showProblem({});
            m_code->setFocus();
        });
        return;
    }
    connect(m_connector->signIn(), &ConnectorJob::finished, this, [this](ConnectorJob *job) {
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

void AccountDialog::verifyCode()
{
    const QString code = m_code->text().trimmed();
    if (code.isEmpty()) {
        showProblem(tr("Enter the one-time code Care360 sent."));
        return;
    }
    auto *care360 = qobject_cast<Care360Connector *>(m_connector.data());
    if (!care360)
        return;
    setBusy(true, tr("Checking the code…"));
    connect(care360->verifyCode(code), &ConnectorJob::finished, this, [this](ConnectorJob *job) {
        if (job->failed()) {
            setBusy(false);
            showProblem(job->error().userMessage);
            m_code->selectAll();
            m_code->setFocus();
            return;
        }
        persistAndFinish();
    });
}

void AccountDialog::persistAndFinish()
{
    const QString name = secretName();
    m_connector->session()->storeSecret(name, secretValue(), this, [this](const QString &error) {
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
    });
}

void AccountDialog::abandon()
{
    if (!m_connector)
        return;
    Connector *connector = m_connector;
    m_connector = nullptr;
    m_manager->closeConnector(connector);
    m_steps->setCurrentIndex(0);
    m_signInButton->setText(tr("&Sign in"));
}
