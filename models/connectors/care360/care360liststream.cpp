#include "care360filelist.h"
#include "care360filerows.h"
#include "connectors/jsonarrayscanner.h"

#include <new>

namespace Docket {

using namespace Care360FileList;

// Care360ListStream: the all-files answer read while it arrives (see care360filelist.h).

// The body is kept twice over, cheaply: `pieces` as they came (shared, not copied), in case it
// must be read whole; and `pending`, the bytes not read yet, in one buffer that is reused. Runs are
// read in place there, each at most maxRunBytes so the parser's buffers stay small and warm.
struct Care360ListStream::Private
{
    Private(bool withFiles, bool withDetails, qsizetype minRunBytes)
        : minRunBytes(qMax<qsizetype>(1, minRunBytes))
        , withFiles(withFiles)
        , withDetails(withDetails)
        , grouper(withFiles, withDetails)
    {
#ifdef DOCKET_HAVE_SIMDJSON
        // A file is two levels deeper in the body than in a run ([ file ]): the same nesting
        // limit as reading the body whole.
        givenUp = givenUp
            || parser.allocate(size_t(this->minRunBytes), simdjson::DEFAULT_MAX_DEPTH - 2)
                != simdjson::SUCCESS;
#endif
    }

    // Reads the whole files that have arrived, once there are enough of them for a run.
    void readRuns();
    // After the last piece: reads the last run, up to the list's ], and checks the envelope.
    bool readLastRun();
    // The files of pending[runBegin + 1, end) (whole elements and the commas between them),
    // wrapped in [ ]; false, having read nothing, when that is not valid JSON (a wrong guess).
    bool readRun(qsizetype end);
    // True when the body with an empty list in place of the one read ("...[" + "]...", the list's
    // ] at pending[listEnd]) is valid and names the list once: then the list read is the one
    // filesOf() takes.
    bool envelopeIsSound(qsizetype listEnd) const;
    QByteArray wholeBody() const;

    // A run is read once this many bytes of whole files are in, and holds at most maxRunBytes:
    // big enough that reading a run costs little beyond its files, small enough to keep pace with
    // the transfer and to keep the parser's buffers in the cache.
    const qsizetype minRunBytes;
    static constexpr qsizetype maxRunBytes = 1024 * 1024;
    // Wrong guesses (a file name holding "},{") before giving up and reading the body whole.
    static constexpr int maxWrongGuesses = 16;

    const bool withFiles;
    const bool withDetails;
    QList<QByteArray> pieces;
    JsonArrayScanner scanner { "data", "files" };
    QByteArray prefix; // the body up to and including the list's [, once found
    // From the list's [ (or the comma after the last run read) to what has arrived; before the
    // list is found, the body so far.
    QByteArray pending;
    qsizetype runBegin = 0; // in `pending`: the [ or comma before the files not read yet
    CaseGrouper grouper;
    bool tookRun = false;
    int wrongGuesses = 0;
    // Reading in runs gave up: finish() reads the whole body.
    bool givenUp = !simdjsonAvailable();
    qint64 bytesRead = 0;
    qint64 bytesReadEarly = 0; // before finish()
    bool outOfMemory = false;
#ifdef DOCKET_HAVE_SIMDJSON
    simdjson::dom::parser parser; // reused: its buffers grow to the biggest run once
    FileFields fields;
#endif
};

void Care360ListStream::Private::readRuns()
{
    if (prefix.isEmpty()) {
        scanner.scan(pending);
        if (!scanner.foundArray())
            return;
        prefix = pending.first(scanner.arrayBegin() + 1);
        pending.remove(0, scanner.arrayBegin());
        runBegin = 0;
    }
    while (!givenUp && pending.size() - runBegin > minRunBytes) {
        // The last end of a file in reach of a run; past it only when a file is bigger than that.
        qsizetype before = qMin(pending.size(), runBegin + maxRunBytes);
        qsizetype end = JsonArrayScanner::lastObjectBoundary(pending, runBegin, before);
        if (end < 0 && before < pending.size())
            end = JsonArrayScanner::lastObjectBoundary(pending, runBegin, pending.size());
        // A wrong guess (inside a string) is refused: the one before it is tried.
        while (end >= 0 && !readRun(end)) {
            if (++wrongGuesses > maxWrongGuesses) {
                givenUp = true;
                return;
            }
            end = JsonArrayScanner::lastObjectBoundary(pending, runBegin, end);
        }
        if (end < 0)
            break; // no whole file yet (a huge one, or not objects): wait for more
        runBegin = end;
    }
    // What was read is let go of: the buffer keeps its size, not the whole body.
    pending.remove(0, runBegin);
    runBegin = 0;
}

bool Care360ListStream::Private::readLastRun()
{
    if (prefix.isEmpty())
        return false;
    // Most likely the last ] of the body ("...]}}"); where the envelope holds more, the right one
    // is the last for which both the envelope and the files read.
    qsizetype before = pending.size();
    for (int guess = 0; guess < maxWrongGuesses; ++guess) {
        const qsizetype end = JsonArrayScanner::lastClosingBracket(pending, runBegin + 1, before);
        if (end < 0)
            return false;
        if (envelopeIsSound(end) && readRun(end))
            return true;
        before = end;
    }
    return false;
}

bool Care360ListStream::Private::readRun(qsizetype end)
{
#ifdef DOCKET_HAVE_SIMDJSON
    const qsizetype size = end - runBegin + 1; // with the [ or comma before, and the end
    // A blank run is an empty list, or a stray comma (which the ordinary reading refuses).
    if (JsonArrayScanner::isBlank(QByteArrayView(pending).sliced(runBegin + 1, size - 2)))
        return !tookRun && pending.at(end) == ']';
    // Read in place, as [ files ]: the separator before the run becomes [ (it is not needed
    // again), the one after it ] for as long as the run is read. simdjson may read up to
    // SIMDJSON_PADDING bytes past the end, whatever they hold.
    pending.reserve(end + 1 + qsizetype(simdjson::SIMDJSON_PADDING)); // counts from the data

    char *text = pending.data();
    const char after = text[end];
    text[runBegin] = '[';
    text[end] = ']';
    simdjson::dom::element root;
    simdjson::dom::array files;
    const bool read
        = parser.parse(text + runBegin, size_t(size), false).get(root) == simdjson::SUCCESS
        && root.get(files) == simdjson::SUCCESS;
    if (read) {
        for (const simdjson::dom::element entry : files) {
            simdjson::dom::object file;
            if (entry.get(file) != simdjson::SUCCESS)
                continue; // not an object: no id, no row (as forEachFile)
            readFileFields(file, &fields, grouper.withUploader());
            grouper.add(std::as_const(fields));
        }
        tookRun = true;
        bytesRead += size - 2;
    }
    text[end] = after;
    return read;
#else
    Q_UNUSED(end);
    return false;
#endif
}

bool Care360ListStream::Private::envelopeIsSound(qsizetype listEnd) const
{
#ifdef DOCKET_HAVE_SIMDJSON
    QByteArray envelope;
    envelope.reserve(prefix.size() + pending.size() - listEnd
                     + qsizetype(simdjson::SIMDJSON_PADDING));
    envelope.append(prefix);
    envelope.append(QByteArrayView(pending).sliced(listEnd));
    simdjson::dom::parser envelopeParser;
    simdjson::dom::element root;
    simdjson::dom::object object;
    if (envelopeParser.parse(envelope.constData(), size_t(envelope.size()), false).get(root)
            != simdjson::SUCCESS
        || root.get(object) != simdjson::SUCCESS)
        return false;
    const auto countKey
        = [](simdjson::dom::object in, std::string_view key, simdjson::dom::element *value) {
              int count = 0;
              for (const simdjson::dom::key_value_pair member : in) {
                  if (member.key == key) {
                      ++count;
                      *value = member.value;
                  }
              }
              return count;
          };
    simdjson::dom::element data;
    simdjson::dom::object dataObject;
    simdjson::dom::element files;
    return countKey(object, "data", &data) == 1 && data.get(dataObject) == simdjson::SUCCESS
        && countKey(dataObject, "files", &files) == 1 && files.is_array();
#else
    Q_UNUSED(listEnd);
    return false;
#endif
}

QByteArray Care360ListStream::Private::wholeBody() const
{
    qsizetype size = 0;
    for (const QByteArray &piece : pieces)
        size += piece.size();
    QByteArray body;
    body.reserve(size);
    for (const QByteArray &piece : pieces)
        body.append(piece);
    return body;
}

Care360ListStream::Care360ListStream(bool withFiles, bool withDetails, qsizetype minRunBytes)
    : d(std::make_unique<Private>(withFiles, withDetails, minRunBytes))
{ }

Care360ListStream::~Care360ListStream() = default;

void Care360ListStream::append(const QByteArray &piece)
{
    // Out of memory is an answer too big to read, not a reason to stop the program (this runs on
    // a worker, in a chain of continuations that would carry the exception to the event loop).
    try {
        d->pieces.append(piece);
        if (d->givenUp)
            return;
        d->pending.append(piece);
        d->readRuns();
        if (d->givenUp)
            d->pending = QByteArray(); // read whole at the end, from `pieces`
    } catch (const std::bad_alloc &) {
        d->outOfMemory = true;
        d->givenUp = true;
        d->pending = QByteArray();
        d->pieces.clear();
    }
}

Care360FileList::ParsedAccount Care360ListStream::finish()
{
    Care360FileList::ParsedAccount parsed;
    d->bytesReadEarly = d->bytesRead;
    try {
        if (!d->outOfMemory && !d->givenUp && d->readLastRun()) {
            d->grouper.finish(&parsed.cases.page, &parsed.filesByCase);
            return parsed;
        }
        // Read whole, the ordinary way: the same rows, or the ordinary reading's words for what
        // is wrong with the body.
        d->bytesReadEarly = 0;
        if (!d->outOfMemory) {
            parsed.cases.problem
                = readCases(d->wholeBody(), defaultJsonParser(), &parsed.cases.page,
                            d->withFiles ? &parsed.filesByCase : nullptr, d->withDetails);
        }
    } catch (const std::bad_alloc &) {
        d->outOfMemory = true;
    }
    if (d->outOfMemory) {
        parsed = Care360FileList::ParsedAccount();
        parsed.cases.problem = tr("the answer is too big to read in the memory available");
    }
    if (!parsed.cases.problem.isEmpty()) {
        parsed.cases.page = ListPage();
        parsed.filesByCase.clear();
    }
    return parsed;
}

qint64 Care360ListStream::bytesReadEarly() const
{
    return d->bytesReadEarly;
}

} // namespace Docket
