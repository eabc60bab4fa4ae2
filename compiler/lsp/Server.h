//===- Server.h - netc lsp: a language server for .net files ----*- C++ -*-===//
//
// `netc lsp` speaks the Language Server Protocol over standard input and
// output (lsp/Transport.h). It keeps the open documents' text (full or
// incremental sync) and analyses a document (lsp/Analysis.h: netc's whole
// pipeline, as `netc --report` runs it) when it changed and no further
// message is waiting, then publishes its diagnostics. Requests are answered
// from the analysis of the text as it is; while the text does not parse
// (the user is typing), completion takes its blocks from the last analysis
// that did.
//
// Answers: hover, go to definition, document symbols, completion,
// formatting (netc fmt), inlay hints (off unless the `inlayHints` setting is
// true). Settings come as initializationOptions or, later, in
// workspace/didChangeConfiguration under `netc`: `hardware` (a profile name
// or file, as --hw; default netc's), `inlayHints`, `stdlib`.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_LSP_SERVER_H
#define NETC_LSP_SERVER_H

#include "lsp/Analysis.h"
#include "lsp/Transport.h"

#include <map>
#include <optional>
#include <string>

namespace netc::lsp {

class Server {
public:
  Server(Transport &t, Settings defaults) : t(t), settings(std::move(defaults)) {}
  /// Serves until `exit` (0 after a shutdown request, else 1) or the end of
  /// the input (1), or a broken stream (1, with a message on `log`).
  int run(llvm::raw_ostream &log);

private:
  struct Document {
    std::string uri, path, text;
    int64_t version = 0;
    bool dirty = true;
    std::optional<Analysis> analysis;
    std::optional<Analysis> lastParsed; ///< the last analysis whose text parsed
  };

  void handle(const llvm::json::Object &msg);
  void request(llvm::StringRef method, const llvm::json::Value &id,
               const llvm::json::Object *params);
  void notification(llvm::StringRef method, const llvm::json::Object *params);
  llvm::json::Value initialize(const llvm::json::Object *params);
  void configure(const llvm::json::Object &o);
  /// The open document a request's textDocument.uri names, analysed.
  Document *document(const llvm::json::Object *params);
  void analyse(Document &d);
  void analyseDirty();
  llvm::json::Value format(Document &d, const llvm::json::Value &id, bool &failed);

  Transport &t;
  Settings settings;
  bool initialized = false, shuttingDown = false;
  std::optional<int> exitCode;
  std::map<std::string, Document> docs;
};

/// `netc lsp [--hw NAME] [--stdlib DIR]`: argv[0] is "lsp".
int lspMain(int argc, char **argv);

} // namespace netc::lsp

#endif
