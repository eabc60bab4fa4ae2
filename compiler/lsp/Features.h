//===- Features.h - what the server answers, from an Analysis ---*- C++ -*-===//
//
// Each function turns an Analysis (and a place in the document) into the
// JSON result of one LSP request. They read plain data only; the server
// decides which analysis to ask (the current text's, or the last one that
// parsed while the user is typing).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_LSP_FEATURES_H
#define NETC_LSP_FEATURES_H

#include "lsp/Analysis.h"

#include <llvm/Support/JSON.h>

namespace netc::ir {
struct OpDef;
}

namespace netc::lsp {

/// "conv2d(x, out_channels, k, stride=1, ...)" from the op table.
std::string opSignature(const ir::OpDef &op);
/// The op's signature, documentation and cost rule, as Markdown.
std::string opDoc(const ir::OpDef &op);

/// textDocument/publishDiagnostics' `diagnostics`.
llvm::json::Value diagnosticsJSON(const Analysis &a);
/// textDocument/hover at byte `offset`: null when there is nothing to say.
llvm::json::Value hover(const Analysis &a, size_t offset);
/// textDocument/definition: a Location, or null.
llvm::json::Value definition(const Analysis &a, size_t offset);
/// textDocument/documentSymbol: the document's blocks, networks and hardware.
llvm::json::Value documentSymbols(const Analysis &a);
/// textDocument/completion in `text` (the document as it is now, which may
/// not parse) at byte `offset`; blocks come from `a`.
llvm::json::Value completion(const Analysis &a, llvm::StringRef text, size_t offset);
/// textDocument/inlayHint: each binding's value type in [begin, end) bytes.
llvm::json::Value inlayHints(const Analysis &a, size_t begin, size_t end);

} // namespace netc::lsp

#endif
