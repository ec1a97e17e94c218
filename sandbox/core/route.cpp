#include "route.h"

namespace {

QStringList patternSegments(const QString &pattern)
{
    return pattern.split(u'/', Qt::SkipEmptyParts);
}

bool isPlaceholder(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

} // namespace

std::optional<RouteParams> Route::match(const QByteArray &requestMethod,
                                        const QStringList &segments) const
{
    if (requestMethod != method)
        return std::nullopt;
    const QStringList expected = patternSegments(pattern);
    if (expected.size() != segments.size())
        return std::nullopt;
    RouteParams params;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (isPlaceholder(expected.at(i))) {
            // An empty segment ("/session//document") is not an id.
            if (segments.at(i).isEmpty())
                return std::nullopt;
            params.insert(expected.at(i).mid(1, expected.at(i).size() - 2), segments.at(i));
        } else if (expected.at(i) != segments.at(i)) {
            return std::nullopt;
        }
    }
    return params;
}

bool Route::matchesPath(const QStringList &segments) const
{
    const QStringList expected = patternSegments(pattern);
    if (expected.size() != segments.size())
        return false;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (!isPlaceholder(expected.at(i)) && expected.at(i) != segments.at(i))
            return false;
    }
    return true;
}
