// docket-cli invox upload ACCOUNT CONSULTATION FILE | invox add ACCOUNT CONSULTATION DOCUMENT_ID

#include "clicontext.h"
#include "commands.h"
#include "itemformat.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

using namespace Docket;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("docket-cli", text);
}

constexpr qint64 maxUploadBytes = 100 * 1024 * 1024;

QString typeFor(const QString &requested, const QString &fileName)
{
    if (!requested.isEmpty())
        return requested.toUpper();
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    return suffix == QLatin1String("pdf") ? QStringLiteral("PDF")
        : suffix == QLatin1String("txt")  ? QStringLiteral("TXT")
                                          : QString();
}

// The consultation `consultationId` of an account whose connector takes uploads into
// consultations (Invox Medical's).
void withConsultation(CliContext *context, const QString &accountName,
                      const QString &consultationId,
                      std::function<void(Connector *, const NodeRef &)> use)
{
    context->openConnector(
        accountName, [context, consultationId, use](Connector *connector, const QString &error) {
            if (!connector)
                context->finish(CliContext::Failure, error);
            else if (!connector->canUpload(NodeKind::InvoxConsultation))
                context->finish(CliContext::Usage, tr("That is not an Invox Medical account."));
            else
                use(connector, NodeRef { NodeKind::InvoxConsultation, { consultationId } });
        });
}

} // namespace

void runInvoxCommand(CliContext *context, const CliRequest &request)
{
    const QString action = request.arguments.value(0);
    if (action == QLatin1String("upload") && request.arguments.size() == 4) {
        const QString consultation = request.arguments.at(2);
        const QString fileName = request.arguments.at(3);
        const QString type = typeFor(request.documentType, fileName);
        if (type != QLatin1String("PDF") && type != QLatin1String("TXT")) {
            context->finish(CliContext::Usage,
                            tr("Invox accepts PDF and TXT documents: use a .pdf or "
                               ".txt file, or --type PDF|TXT."));
            return;
        }
        QFile file(fileName);
        if (!file.open(QIODevice::ReadOnly)) {
            context->finish(CliContext::Failure,
                            tr("Cannot read %1: %2").arg(fileName, file.errorString()));
            return;
        }
        if (file.size() > maxUploadBytes) {
            context->finish(CliContext::Usage, tr("%1 is larger than 100 MB.").arg(fileName));
            return;
        }
        const QByteArray content = file.readAll();
        const QString name = request.documentName.isEmpty() ? QFileInfo(fileName).fileName()
                                                            : request.documentName;
        withConsultation(
            context, request.arguments.at(1), consultation,
            [=](Connector *connector, const NodeRef &parent) {
                SimpleJob *job = connector->upload(parent, name, type, content);
                QObject::connect(
                    job, &ConnectorJob::finished, context, [context, job](ConnectorJob *) {
                        if (job->failed()) {
                            context->finish(CliContext::Failure,
                                            printable(job->error().userMessage));
                            return;
                        }
                        const QString id
                            = job->data().value(QStringLiteral("documentId")).toString();
                        context->print(tr("Uploaded; document id %1").arg(printable(id)));
                        context->setJsonResult(QJsonObject::fromVariantMap(job->data()));
                        context->finish(CliContext::Success);
                    });
            });
        return;
    }
    if (action == QLatin1String("add") && request.arguments.size() == 4) {
        withConsultation(context, request.arguments.at(1), request.arguments.at(2),
                         [=](Connector *connector, const NodeRef &parent) {
                             const QString documentId = request.arguments.at(3);
                             const QString problem = connector->addKnownItem(
                                 parent, documentId,
                                 request.documentName.isEmpty() ? documentId : request.documentName,
                                 request.documentType.isEmpty() ? QStringLiteral("PDF")
                                                                : request.documentType.toUpper());
                             if (!problem.isEmpty()) {
                                 context->finish(CliContext::Usage, problem);
                                 return;
                             }
                             context->print(tr("Added %1 to the Invox index.").arg(documentId));
                             context->finish(CliContext::Success);
                         });
        return;
    }
    context->finish(
        CliContext::Usage,
        tr("usage: invox upload ACCOUNT CONSULTATION FILE [--name N] [--type PDF|TXT]\n"
           "       invox add ACCOUNT CONSULTATION DOCUMENT_ID [--name N] [--type PDF|TXT]"));
}
