#include "support/Diagnostics.h"

#include <fmt/format.h>
#include <llvm/Support/Unicode.h>

#include <algorithm>
#include <cstdlib>

namespace netc {

Diagnostic &DiagEngine::add(Diagnostic d) {
  if (d.severity == Severity::Error) {
    if (errorLimit != 0 && numErrors >= errorLimit) {
      if (!overflowed) {
        overflowed = true;
        Diagnostic stop;
        stop.message = fmt::format("too many errors emitted (limit {}), stopping now", errorLimit);
        diags.push_back(std::move(stop));
      }
      scratch = std::move(d);
      return scratch;
    }
    ++numErrors;
  }
  diags.push_back(std::move(d));
  return diags.back();
}

static Diagnostic located(Severity severity, SourceLoc loc, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.loc = loc;
  d.message = std::move(message);
  return d;
}

Diagnostic &DiagEngine::error(SourceLoc loc, std::string message) {
  return add(located(Severity::Error, loc, std::move(message)));
}

Diagnostic &DiagEngine::warning(SourceLoc loc, std::string message) {
  return add(located(Severity::Warning, loc, std::move(message)));
}

Diagnostic &DiagEngine::fileError(llvm::StringRef file, std::string message) {
  Diagnostic d;
  d.file = file.str();
  d.message = std::move(message);
  return add(std::move(d));
}

Diagnostic &DiagEngine::globalError(std::string message) {
  Diagnostic d;
  d.message = std::move(message);
  return add(std::move(d));
}

void DiagEngine::addNote(Diagnostic &d, SourceLoc loc, std::string message) {
  d.notes.push_back(located(Severity::Note, loc, std::move(message)));
}

void DiagEngine::note(SourceLoc loc, std::string message, bool showSource) {
  Diagnostic d = located(Severity::Note, loc, std::move(message));
  d.showSource = showSource;
  if (noteSink)
    noteSink(d);
  else
    add(std::move(d));
}

SourceLoc DiagEngine::locate(unsigned file, uint32_t offset) const {
  SourceLoc loc;
  if (file == 0 || file > sm.getNumBuffers())
    return loc;
  const llvm::MemoryBuffer *buf = sm.getMemoryBuffer(file);
  if (offset > buf->getBufferSize())
    offset = static_cast<uint32_t>(buf->getBufferSize());
  auto [line, col] = sm.getLineAndColumn(
      llvm::SMLoc::getFromPointer(buf->getBufferStart() + offset), file);
  loc.file = file;
  loc.line = line;
  loc.col = col;
  loc.offset = offset;
  return loc;
}

static const char *nameOf(Severity s) {
  switch (s) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

/// The source line of a diagnostic and the caret's display column. This does
/// what SourceMgr::PrintMessage does (tabs expanded to stops of 8), plus one
/// thing it cannot: a very long line (a generated file can hold 100,000
/// columns on one line) is shown as a window around the caret, between "...".
static std::pair<std::string, size_t> sourceSnippet(llvm::StringRef text, uint32_t offset,
                                                    uint32_t col) {
  size_t lineStart = offset - (col - 1);
  size_t lineEnd = text.find_first_of("\r\n", lineStart);
  if (lineEnd == llvm::StringRef::npos)
    lineEnd = text.size();
  llvm::StringRef line = text.slice(lineStart, lineEnd);
  size_t caret = col - 1; // in bytes
  constexpr size_t kWindow = 100;
  size_t from = 0, to = line.size();
  if (line.size() > 2 * kWindow) {
    from = caret > kWindow / 2 ? caret - kWindow / 2 : 0;
    to = std::min(line.size(), from + kWindow);
    // Never cut a UTF-8 sequence in half.
    auto continuation = [&](size_t i) {
      return i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80;
    };
    while (from > 0 && continuation(from))
      --from;
    while (continuation(to))
      ++to;
  }
  std::string shown = from ? "..." : "";
  size_t caretCol = shown.size();
  for (size_t i = from; i < to; ++i) {
    if (i == caret)
      caretCol = llvm::sys::unicode::columnWidthUTF8(shown);
    if (line[i] == '\t')
      shown.append(8 - llvm::sys::unicode::columnWidthUTF8(shown) % 8, ' ');
    else
      shown.push_back(line[i]);
  }
  if (caret >= to)
    caretCol = llvm::sys::unicode::columnWidthUTF8(shown);
  if (to < line.size())
    shown += "...";
  return {shown, caretCol};
}

namespace {
// ANSI escapes, as clang colours its diagnostics.
constexpr const char *kReset = "\033[0m";
constexpr const char *kBold = "\033[1m";
constexpr const char *kCaret = "\033[1;32m"; // bold green
const char *severityColor(Severity s) {
  switch (s) {
  case Severity::Error: return "\033[1;31m";   // bold red
  case Severity::Warning: return "\033[1;35m"; // bold magenta
  case Severity::Note: return "\033[1;30m";    // bold grey
  }
  return kBold;
}
} // namespace

bool DiagEngine::useColor(llvm::raw_ostream &os) {
  const char *noColor = std::getenv("NO_COLOR");
  return os.has_colors() && !(noColor && *noColor);
}

void DiagEngine::printOne(llvm::raw_ostream &os, const Diagnostic &d, bool color) const {
  // "where: severity: message", the parts coloured when asked.
  auto head = [&](const std::string &where) {
    if (!color)
      return fmt::format("{}: {}: {}\n", where, nameOf(d.severity), d.message);
    return fmt::format("{}{}: {}{}: {}{}{}{}\n", kBold, where, severityColor(d.severity),
                       nameOf(d.severity), kReset, kBold, d.message, kReset);
  };
  if (!d.loc.valid()) {
    os << head(d.file.empty() ? std::string("netc") : d.file);
    return;
  }
  const llvm::MemoryBuffer *buf = sm.getMemoryBuffer(d.loc.file);
  os << head(fmt::format("{}:{}:{}", buf->getBufferIdentifier().str(), d.loc.line, d.loc.col));
  if (!d.showSource)
    return;
  auto [line, caret] = sourceSnippet(buf->getBuffer(), d.loc.offset, d.loc.col);
  os << line << '\n' << std::string(caret, ' ') << (color ? kCaret : "") << "^"
     << (color ? kReset : "") << "\n";
}

void DiagEngine::print(llvm::raw_ostream &os) const {
  const bool color = useColor(os);
  for (const Diagnostic &d : diags) {
    printOne(os, d, color);
    for (const Diagnostic &n : d.notes)
      printOne(os, n, color);
  }
  os.flush();
}

std::string DiagEngine::format(const Diagnostic &d, bool color) const {
  std::string out;
  llvm::raw_string_ostream os(out);
  printOne(os, d, color);
  for (const Diagnostic &n : d.notes)
    printOne(os, n, color);
  os.flush();
  return out;
}

} // namespace netc
