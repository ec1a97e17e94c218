#pragma once

#include <QLabel>
#include <QWidget>

// A centred title and hint shown over an empty view, so an empty tree is never a silent blank.
class EmptyStateWidget : public QWidget
{
    Q_OBJECT

public:
    explicit EmptyStateWidget(QWidget *parent = nullptr);

    void setText(const QString &title, const QString &hint);
    QString title() const { return m_title->text(); }
    QString hint() const { return m_hint->text(); }

private:
    QLabel *m_title;
    QLabel *m_hint;
};
