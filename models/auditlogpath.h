#pragma once

#include <QString>

namespace Docket {

// Where the audit trail lives: one file that the window and docket-cli share, so a batch that one
// of them left unfinished can be resumed by either, and `docket-cli audit` shows what the window
// deleted. It is beside the Invox index (GenericDataLocation/Docket). Practice runs
// (`docket --sandbox`) keep their own trail, so sandbox deletes never mix with real ones.
QString auditLogPath(bool practice = false);

} // namespace Docket
