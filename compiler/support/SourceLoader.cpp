#include "support/SourceLoader.h"

#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cctype>

namespace netc {

std::optional<size_t> findInvalidUTF8(llvm::StringRef text) {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n)
      return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80)
        return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static const uint32_t minForLen[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minForLen[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::nullopt;
}

static std::string lowerFirst(std::string s) {
  if (!s.empty())
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

static Diagnostic &reportAt(DiagEngine &diag, SourceLoc from, llvm::StringRef file,
                            std::string msg) {
  if (from.valid())
    return diag.error(from, std::move(msg));
  return diag.fileError(file, std::move(msg));
}

/// Registers a copy of `text` named `name`. A lone CR (old Mac line ends) is
/// stored as LF, so that lines, columns and the source line under a caret
/// come out right: the grammar treats both as white space, and the byte
/// offsets do not change. CRLF is left alone (SourceMgr handles it).
static unsigned addBuffer(DiagEngine &diag, llvm::StringRef text, llvm::StringRef name) {
  std::unique_ptr<llvm::MemoryBuffer> buf;
  if (text.contains('\r')) {
    std::string copy = text.str();
    for (size_t i = 0; i < copy.size(); ++i)
      if (copy[i] == '\r' && (i + 1 == copy.size() || copy[i + 1] != '\n'))
        copy[i] = '\n';
    buf = llvm::MemoryBuffer::getMemBufferCopy(copy, name);
  } else {
    buf = llvm::MemoryBuffer::getMemBufferCopy(text, name);
  }
  return diag.sourceMgr().AddNewSourceBuffer(std::move(buf), llvm::SMLoc());
}

/// Content checks shared by files and in-memory text; `id` is registered.
static bool checkContents(DiagEngine &diag, unsigned id) {
  llvm::StringRef text = diag.sourceMgr().getMemoryBuffer(id)->getBuffer();
  size_t nul = text.find('\0');
  if (nul != llvm::StringRef::npos) {
    Diagnostic &d = diag.error(diag.locate(id, static_cast<uint32_t>(nul)),
                               "this is a binary file, not .net source (NUL byte)");
    d.showSource = false;
    return false;
  }
  if (auto bad = findInvalidUTF8(text)) {
    Diagnostic &d = diag.error(
        diag.locate(id, static_cast<uint32_t>(*bad)),
        fmt::format("invalid UTF-8 (byte 0x{:02x}); .net source must be UTF-8 text",
                    static_cast<unsigned char>(text[*bad])));
    d.showSource = false;
    return false;
  }
  return true;
}

unsigned loadSourceText(DiagEngine &diag, llvm::StringRef text, llvm::StringRef displayName,
                        const SourceLimits &limits) {
  if (text.size() > limits.maxFileBytes || text.size() >= UINT32_MAX) {
    diag.fileError(displayName, fmt::format("input is too large ({} bytes; the limit is {}, "
                                                        "raise it with --max-file-size)",
                                            text.size(), limits.maxFileBytes));
    return 0;
  }
  unsigned id = addBuffer(diag, text, displayName);
  return checkContents(diag, id) ? id : 0;
}

unsigned loadSourceFile(DiagEngine &diag, llvm::StringRef path, llvm::StringRef displayName,
                        SourceLoc from, const SourceLimits &limits) {
  llvm::sys::fs::file_status st;
  if (std::error_code ec = llvm::sys::fs::status(path, st)) {
    reportAt(diag, from, displayName,
             ec == std::errc::too_many_symbolic_link_levels
                 ? fmt::format("cannot open '{}': it is a loop of symbolic links",
                               displayName.str())
                 : fmt::format("cannot open '{}': {}", displayName.str(),
                               lowerFirst(ec.message())));
    return 0;
  }
  if (llvm::sys::fs::is_directory(st)) {
    reportAt(diag, from, displayName,
             fmt::format("'{}' is a directory, not a .net file", displayName.str()));
    return 0;
  }
  if (!llvm::sys::fs::is_regular_file(st) && st.type() != llvm::sys::fs::file_type::symlink_file) {
    reportAt(diag, from, displayName,
             fmt::format("'{}' is not a regular file", displayName.str()));
    return 0;
  }
  if (st.getSize() > limits.maxFileBytes) {
    reportAt(diag, from, displayName,
             fmt::format("'{}' is too large ({} bytes; the limit is {}, raise it with "
                         "--max-file-size)",
                         displayName.str(),
                         st.getSize(), limits.maxFileBytes));
    return 0;
  }
  auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/true);
  if (!bufOr) {
    reportAt(diag, from, displayName,
             fmt::format("cannot read '{}': {}", displayName.str(),
                         lowerFirst(bufOr.getError().message())));
    return 0;
  }
  unsigned id = addBuffer(diag, (*bufOr)->getBuffer(), displayName);
  return checkContents(diag, id) ? id : 0;
}

} // namespace netc
