//===- SourceLoader.h - read a source file into the SourceMgr --*- C++ -*-===//
//
// Reads a file with every check a compiler owes its users before lexing: it
// exists, is a regular file, is not too large, is not binary and is valid
// UTF-8. Failures are reported to the DiagEngine (at `from`, the import that
// asked for the file, when there is one) and 0 is returned.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_SOURCELOADER_H
#define NETC_SUPPORT_SOURCELOADER_H

#include "support/Diagnostics.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>

namespace netc {

struct SourceLimits {
  uint64_t maxFileBytes = 8ull << 20; ///< 8 MiB: about 200 bytes of memory per byte at worst
};

/// Loads `path`, registering it under `displayName` (the name diagnostics
/// print). Returns the SourceMgr buffer id, or 0 after reporting an error.
unsigned loadSourceFile(DiagEngine &diag, llvm::StringRef path, llvm::StringRef displayName,
                        SourceLoc from = {}, const SourceLimits &limits = {});

/// Registers in-memory text (tests, fuzzers). Performs the same content
/// checks (binary, UTF-8, size) as loadSourceFile.
unsigned loadSourceText(DiagEngine &diag, llvm::StringRef text, llvm::StringRef displayName,
                        const SourceLimits &limits = {});

/// Offset of the first byte that is not part of valid UTF-8, if any.
std::optional<size_t> findInvalidUTF8(llvm::StringRef text);

} // namespace netc

#endif
