#pragma once

#include "core/sandboxreply.h"
#include "core/sandboxrequest.h"

#include <QJsonObject>
#include <QString>

// How Care360 answers ({"status","success","error","code"} or {"status","success","data"}) and
// reads a request body, for every handler alike.
namespace Care360 {

SandboxReply failure(int status, const QString &error, const QString &code);
SandboxReply validationFailed(const QString &error = QStringLiteral("Validation failed"));
SandboxReply invalidToken();
// Seed 001: one answer for missing, deleted, another patient's, another tenant's, not the
// uploader.
SandboxReply fileNotFound();
SandboxReply caseForbidden();
SandboxReply refreshInvalid();
SandboxReply success(int status, const QJsonObject &data);
SandboxReply successMessage(const QString &message);

// As the vendor's JSON body parser: a body not declared application/json is not read at all.
QJsonObject jsonBody(const SandboxRequest &request, bool *ok);

} // namespace Care360
