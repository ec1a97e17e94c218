#include "confirmdeletedialog.h"

#include <QDialogButtonBox>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Docket;

namespace {

bool anyPermanent(const QList<ConfirmDeleteDialog::Entry> &entries)
{
    return std::any_of(entries.cbegin(), entries.cend(), [](const auto &entry) {
        return entry.plan.permanence == DeletePlan::Permanence::Permanent;
    });
}

bool anyCascade(const QList<ConfirmDeleteDialog::Entry> &entries)
{
    // A cascade takes other items with it: a container with children, or whose count is unknown.
    return std::any_of(entries.cbegin(), entries.cend(), [](const auto &entry) {
        return isContainer(entry.item.ref.kind) && entry.item.childCount != 0;
    });
}

} // namespace

ConfirmDeleteDialog::ConfirmDeleteDialog(const QList<Entry> &entries, QWidget *parent,
                                         const QList<Entry> &leftOut)
    : QDialog(parent)
    , m_message(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setObjectName(QStringLiteral("confirmDeleteDialog"));
    const bool permanent = anyPermanent(entries);
    const bool single = entries.size() == 1;
    setWindowTitle(permanent ? tr("Delete permanently?") : tr("Delete from Care360?"));

    // The sentence that names what goes. Names come from the services: escape them.
    if (single) {
        const Entry &entry = entries.constFirst();
        m_message->setText(tr("Delete the %1 <b>“%2”</b> from %3?")
                               .arg(nodeKindName(entry.item.ref.kind).toLower(),
                                    entry.item.name.toHtmlEscaped(),
                                    entry.accountLabel.toHtmlEscaped()));
    } else {
        m_message->setText(tr("Delete <b>%n items</b>?", nullptr, int(entries.size())));
    }
    m_message->setTextFormat(Qt::RichText);
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("confirmMessage"));

    QStringList consequences;
    for (const Entry &entry : entries) {
        if (!entry.plan.explanation.isEmpty() && !consequences.contains(entry.plan.explanation))
            consequences << entry.plan.explanation;
        if (consequences.size() >= 5)
            break;
    }
    if (!single) {
        int permanentCount = 0;
        for (const Entry &entry : entries)
            permanentCount += entry.plan.permanence == DeletePlan::Permanence::Permanent;
        if (permanentCount > 0)
            consequences.prepend(
                tr("%n of them will be deleted permanently: this cannot be undone.", nullptr,
                   permanentCount));
        if (permanentCount < entries.size())
            consequences.prepend(tr("%n Care360 file(s) will be soft-deleted: hidden from the "
                                    "patient, kept by the provider.",
                                    nullptr, int(entries.size()) - permanentCount));
    }
    if (!leftOut.isEmpty()) {
        QStringList lines { tr("Left out, not sent (%n):", nullptr, int(leftOut.size())) };
        for (const Entry &entry : leftOut)
            lines << QStringLiteral("• “%1”: %2").arg(entry.item.name, entry.plan.refusal);
        consequences << lines.join(u'\n');
    }
    m_detail->setText(consequences.join(QStringLiteral("\n\n")));
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setWordWrap(true);
    m_detail->setObjectName(QStringLiteral("confirmDetail"));

    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);

    auto *text = new QVBoxLayout;
    text->addWidget(m_message);
    text->addWidget(m_detail);

    if (anyCascade(entries) || entries.size() > typedConfirmationThreshold) {
        m_confirmWord = tr("delete");
        auto *prompt = new QLabel(tr("To confirm, type <b>%1</b>:").arg(m_confirmWord), this);
        m_typed = new QLineEdit(this);
        m_typed->setObjectName(QStringLiteral("typedConfirmation"));
        m_typed->setAccessibleName(tr("Type %1 to confirm").arg(m_confirmWord));
        prompt->setBuddy(m_typed);
        text->addWidget(prompt);
        text->addWidget(m_typed);
        connect(m_typed, &QLineEdit::textChanged, this, &ConfirmDeleteDialog::updateConfirmEnabled);
    }

    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_confirm = buttons->addButton(permanent ? tr("&Delete permanently") : tr("&Delete (soft)"),
                                   QDialogButtonBox::DestructiveRole);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setAccessibleName(m_confirm->text().remove(u'&'));
    // Enter must never delete by accident: Cancel is the default.
    m_confirm->setAutoDefault(false);
    m_cancel->setDefault(true);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_confirm, &QPushButton::clicked, this, &QDialog::accept);

    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addLayout(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    setMinimumWidth(460);

    updateConfirmEnabled();
}

void ConfirmDeleteDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    // Cancel has the focus even when a word must be typed: nothing is deleted by a stray key.
    m_cancel->setFocus(Qt::OtherFocusReason);
}

QString ConfirmDeleteDialog::messageText() const
{
    return m_message->text();
}

QString ConfirmDeleteDialog::detailText() const
{
    return m_detail->text();
}

void ConfirmDeleteDialog::updateConfirmEnabled()
{
    m_confirm->setEnabled(!m_typed || m_typed->text().trimmed() == m_confirmWord);
}
