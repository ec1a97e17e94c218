#pragma once

#include "connector.h"

#include <functional>

namespace FieldNotes {

// "Field Notes", a made-up fifth service that exists only in the tests, to show that adding a
// service takes one connector folder and one ServiceInfo (fieldnotesserviceinfo.cpp) and no edit
// anywhere else: the window's account dialog, docket-cli and the tree pick it up from the
// registry. Its API (fieldnotesserver.h plays it):
// - GET /folders -> {"folders": [{"id", "title", "notes"}]}
// - GET /folders/{id}/notes -> {"notes": [{"id", "title", "created"}]}
// - DELETE /notes/{id} -> 200 {"deleted": "<id>"}; 404 {"error": "no_such_note"} when absent
// - every request carries the account's key in "X-Notes-Key"; GET /whoami checks it.
class FieldNotesConnector : public Docket::Connector
{
    Q_OBJECT

public:
    using Connector::Connector;

    Docket::ServiceKind service() const override;
    Docket::ListJob *list(const Docket::NodeRef &parent, const Docket::PageRequest &page) override;
    bool canDelete(Docket::NodeKind kind) const override;
    Docket::DeletePlan describeDelete(const Docket::RemoteItem &item) const override;
    Docket::SignInJob *signIn(Docket::SignInMode mode) override;

protected:
    Docket::DeleteJob *startRemove(const Docket::RemoteItem &item,
                                   const QByteArray &requestId) override;
    QString deleteAnswerProblem(const Docket::RemoteItem &item,
                                const Docket::ApiResult &result) const override;
    bool isNotFoundAnswer(const Docket::ApiResult &result) const override;

private:
    // GET `path` through the session; `done` gets the answer's JSON object, or the job fails.
    void get(Docket::ConnectorJob *job, const QStringList &path,
             std::function<void(const QJsonObject &)> done);
};

} // namespace FieldNotes
