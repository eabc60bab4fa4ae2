//===- TokenLocator.h - ANTLR token positions to SourceLocs ----*- C++ -*-===//
//
// Private to syntax/. ANTLR indexes its input by code point; SourceMgr and
// diagnostics count bytes. This maps one to the other (the map is only built
// when the file has non-ASCII text, in strings or comments).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_TOKENLOCATOR_H
#define NETC_SYNTAX_TOKENLOCATOR_H

#include "support/SourceLoc.h"

#include <antlr4-runtime.h>
#include <llvm/ADT/StringRef.h>

#include <vector>

namespace netc::syntax {

class TokenLocator {
public:
  TokenLocator(unsigned fileId, llvm::StringRef text) : fileId(fileId), size(text.size()) {
    lineStarts.push_back(0);
    bool ascii = true;
    for (size_t i = 0; i < text.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n')
        lineStarts.push_back(static_cast<uint32_t>(i + 1));
      if (c >= 0x80)
        ascii = false;
    }
    if (ascii)
      return;
    // ANTLRInputStream drops a leading byte-order mark, so its code point 0
    // is the byte after it.
    size_t start = text.startswith("\xEF\xBB\xBF") ? 3 : 0;
    for (size_t i = start; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
        cpToByte.push_back(static_cast<uint32_t>(i));
  }

  uint32_t byteOffset(size_t cpIndex) const {
    if (cpToByte.empty())
      return static_cast<uint32_t>(std::min(cpIndex, size));
    if (cpIndex >= cpToByte.size())
      return static_cast<uint32_t>(size);
    return cpToByte[cpIndex];
  }

  /// Location of the first character of `t` (EOF: the end of the buffer).
  SourceLoc at(const antlr4::Token *t) const {
    uint32_t off = t->getType() == antlr4::Token::EOF ? static_cast<uint32_t>(size)
                                                      : byteOffset(t->getStartIndex());
    return atOffset(off);
  }

  SourceLoc atOffset(uint32_t off) const {
    auto it = std::upper_bound(lineStarts.begin(), lineStarts.end(), off);
    size_t line = static_cast<size_t>(it - lineStarts.begin()); // 1-based
    SourceLoc loc;
    loc.file = fileId;
    loc.line = static_cast<uint32_t>(line);
    loc.col = off - lineStarts[line - 1] + 1;
    loc.offset = off;
    return loc;
  }

  unsigned file() const { return fileId; }

private:
  unsigned fileId;
  size_t size;
  std::vector<uint32_t> lineStarts;
  std::vector<uint32_t> cpToByte;
};

} // namespace netc::syntax

#endif
