//===- Protocol.cpp - LSP positions, ranges and URIs ----------------------===//
#include "lsp/Protocol.h"

#include <llvm/ADT/StringExtras.h>

namespace netc::lsp {

llvm::json::Value toJSON(const Position &p) {
  return llvm::json::Object{{"line", p.line}, {"character", p.character}};
}

llvm::json::Value toJSON(const Range &r) {
  return llvm::json::Object{{"start", toJSON(r.start)}, {"end", toJSON(r.end)}};
}

std::optional<Position> positionFrom(const llvm::json::Value *v) {
  const llvm::json::Object *o = v ? v->getAsObject() : nullptr;
  if (!o)
    return std::nullopt;
  auto line = o->getInteger("line");
  auto character = o->getInteger("character");
  if (!line || !character || *line < 0 || *character < 0)
    return std::nullopt;
  return Position{*line, *character};
}

/// UTF-16 code units of one UTF-8 sequence starting with byte `c`: 2 for a
/// 4-byte sequence (a surrogate pair), else 1; continuation bytes count 0.
static int utf16Units(unsigned char c) {
  if ((c & 0xC0) == 0x80)
    return 0;
  return c >= 0xF0 ? 2 : 1;
}

Position positionAt(llvm::StringRef text, size_t offset) {
  offset = std::min(offset, text.size());
  Position p;
  size_t lineStart = 0;
  for (size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++p.line;
      lineStart = i + 1;
    }
  for (size_t i = lineStart; i < offset; ++i)
    p.character += utf16Units(static_cast<unsigned char>(text[i]));
  return p;
}

size_t offsetAt(llvm::StringRef text, const Position &p) {
  size_t i = 0;
  for (int64_t line = 0; line < p.line; ++line) {
    size_t nl = text.find('\n', i);
    if (nl == llvm::StringRef::npos)
      return text.size();
    i = nl + 1;
  }
  for (int64_t units = 0; i < text.size() && text[i] != '\n' && text[i] != '\r';) {
    int u = utf16Units(static_cast<unsigned char>(text[i]));
    if (u && units + u > p.character)
      break;
    units += u;
    ++i;
  }
  // Never stop inside a UTF-8 sequence.
  while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
    ++i;
  return i;
}

static bool isWordChar(char c) { return llvm::isAlnum(c) || c == '_'; }

std::pair<size_t, size_t> wordAt(llvm::StringRef text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t b = offset, e = offset;
  while (b > 0 && isWordChar(text[b - 1]))
    --b;
  while (e < text.size() && isWordChar(text[e]))
    ++e;
  return {b, e};
}

Range tokenRange(llvm::StringRef text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t end = offset;
  if (end < text.size() && text[end] == '"') {
    for (++end; end < text.size() && text[end] != '"' && text[end] != '\n'; ++end)
      if (text[end] == '\\' && end + 1 < text.size() && text[end + 1] != '\n')
        ++end;
    if (end < text.size() && text[end] == '"')
      ++end;
  } else if (end < text.size() && (isWordChar(text[end]) || text[end] == '.')) {
    while (end < text.size() && (isWordChar(text[end]) || text[end] == '.'))
      ++end;
  } else if (end < text.size() && text[end] != '\n' && text[end] != '\r') {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      ++end;
  }
  return Range{positionAt(text, offset), positionAt(text, end)};
}

std::optional<std::string> pathFromUri(llvm::StringRef uri) {
  if (!uri.consume_front("file://"))
    return std::nullopt;
  // file://host/path: only the local host is ours.
  if (!uri.startswith("/")) {
    if (!uri.consume_front("localhost"))
      return std::nullopt;
  }
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && llvm::isHexDigit(uri[i + 1]) &&
        llvm::isHexDigit(uri[i + 2])) {
      path += static_cast<char>(llvm::hexFromNibbles(uri[i + 1], uri[i + 2]));
      i += 2;
    } else
      path += uri[i];
  }
  return path;
}

std::string uriFromPath(llvm::StringRef path) {
  std::string uri = "file://";
  for (char c : path) {
    if (llvm::isAlnum(c) || llvm::StringRef("/-._~").contains(c))
      uri += c;
    else {
      uri += '%';
      uri += llvm::hexdigit((static_cast<unsigned char>(c) >> 4) & 0xF, false);
      uri += llvm::hexdigit(static_cast<unsigned char>(c) & 0xF, false);
    }
  }
  return uri;
}

} // namespace netc::lsp
