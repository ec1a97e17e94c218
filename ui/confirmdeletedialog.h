#pragma once

#include "remoteitem.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

// Asks before an irreversible delete. It names the item (or the count), says what goes with it and,
// in plain words, whether the delete is permanent or Care360's soft delete. Cancel has the focus
// and is the default; the confirm button carries the verb. Cascades and large batches must be
// confirmed by typing a word.
class ConfirmDeleteDialog : public QDialog
{
    Q_OBJECT

public:
    struct Entry
    {
        Docket::RemoteItem item;
        Docket::DeletePlan plan;
        QString accountLabel;
    };

    // More items than this need typed confirmation.
    static constexpr int typedConfirmationThreshold = 10;

    // `leftOut`: chosen items the service is known to refuse (DeletePlan::refusal); they are not
    // sent, and the dialog says which and why.
    explicit ConfirmDeleteDialog(const QList<Entry> &entries, QWidget *parent = nullptr,
                                 const QList<Entry> &leftOut = {});

    QString messageText() const; // the main sentence, as HTML
    QString detailText() const; // the consequences
    bool requiresTypedConfirmation() const { return !m_confirmWord.isEmpty(); }
    QString confirmWord() const { return m_confirmWord; }
    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLineEdit *typedConfirmation() const { return m_typed; }

protected:
    // Showing moves the focus to the first field: give it back to Cancel.
    void showEvent(QShowEvent *event) override;

private:
    void updateConfirmEnabled();

    QLabel *m_message;
    QLabel *m_detail;
    QLineEdit *m_typed = nullptr;
    QPushButton *m_confirm;
    QPushButton *m_cancel;
    QString m_confirmWord;
};
