#pragma once

#include <QLoggingCategory>

// Docket's log categories. Enable them with QT_LOGGING_RULES ("docket.*.info=true") or
// --log-file/DOCKET_LOG (see logsink.h). Never log a header value, a body or a secret: a line
// names a method, a path with ids, a status, a duration and the X-Request-ID.
Q_DECLARE_LOGGING_CATEGORY(lcNet) // docket.net: one line per request
Q_DECLARE_LOGGING_CATEGORY(lcAuth) // docket.auth: sign-in, renewal, sign-out
Q_DECLARE_LOGGING_CATEGORY(lcModel) // docket.model: listing, paging, re-listing after deletes
Q_DECLARE_LOGGING_CATEGORY(lcQueue) // docket.queue: deletion batches, retries, outcomes
Q_DECLARE_LOGGING_CATEGORY(lcAudit) // docket.audit: the trail's records and their storage

namespace Docket {

struct ApiError;
struct DeletionItem;

// "timeout", "connection", "redirect-not-followed", ...: a failure's kind in a log line.
QLatin1String loggedErrorKind(const ApiError &error);

// "item 42 of batch 7 (scriptix session ID) state=deleted attempts=1 status=204
// X-Request-ID=...": an item as docket.queue and docket.audit lines name it. Never its name or its
// parent's: a document's name may be a patient's.
QString loggedItem(const DeletionItem &item);

} // namespace Docket
