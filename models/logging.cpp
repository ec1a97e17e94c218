#include "logging.h"

// Info and above by default: a line per request and per outcome, no debug chatter.
Q_LOGGING_CATEGORY(lcNet, "docket.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "docket.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModel, "docket.model", QtInfoMsg)
Q_LOGGING_CATEGORY(lcQueue, "docket.queue", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAudit, "docket.audit", QtInfoMsg)
