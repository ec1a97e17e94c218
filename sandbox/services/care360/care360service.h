#pragma once

#include "core/service.h"

#include <memory>

// CareValidate Care360, as docs/services.md §2 (from the vendor's delete page) describes it:
// tenants chosen by the `cv-api-key` header, OTP sign-in with rotating refresh-token families, and
// a patient's files with a soft delete that records a DELETE_ATTACHMENT case activity. Demo
// credentials and fixtures: see credentials().
class Care360Service : public SandboxService
{
public:
    Care360Service();
    ~Care360Service() override;

    QList<Route> routes() override;
    SandboxReply errorReply(int status, const QString &code, const QString &message) const override;
    QByteArray rateLimitKey(const SandboxRequest &request) const override;
    void populate(const DataSpec &spec) override;
    QJsonObject credentials() const override;
    QJsonObject summary() const override;
    QJsonObject detail() const override;
    void expireTokens() override;

private:
    struct Data;
    std::unique_ptr<Data> d;
};
