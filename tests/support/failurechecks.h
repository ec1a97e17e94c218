#pragma once

// How a connector job failed, checked alike for any record of a finished job that has `finished`
// and `error` (jobresults.h's results, or a suite's own outcome).

#include "apierror.h"

#include <QTest>

template<typename Finished>
void verifyFailed(const Finished &result, Docket::ApiError::Kind kind, int httpStatus)
{
    QVERIFY(result.finished);
    QCOMPARE(result.error.kind, kind);
    QCOMPARE(result.error.httpStatus, httpStatus);
}
