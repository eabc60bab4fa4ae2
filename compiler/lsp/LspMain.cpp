//===- LspMain.cpp - `netc lsp` and its formatting request ----------------===//
#include "lsp/Server.h"

#include "support/Diagnostics.h"
#include "support/SourceLoader.h"
#include "syntax/Formatter.h"

#include <llvm/Support/raw_ostream.h>

#include <cstring>
#include <unistd.h>

namespace netc::lsp {

namespace json = llvm::json;

/// textDocument/formatting: one edit replacing the whole text with what
/// `netc fmt` makes of it (none when it is formatted already). A text that
/// does not parse is an error: the editor keeps it as it is.
json::Value Server::format(Document &d, const json::Value &id, bool &failed) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned file = loadSourceText(diag, d.text, d.path, {});
  std::optional<std::string> text = file ? syntax::formatBuffer(diag, file) : std::nullopt;
  if (!text) {
    std::string why = "the document does not parse";
    if (!diag.diagnostics().empty())
      why += ": " + diag.diagnostics().front().message;
    t.replyError(id, RequestFailed, why);
    failed = true;
    return nullptr;
  }
  if (*text == d.text)
    return json::Array{};
  Range all{Position{}, positionAt(d.text, d.text.size())};
  return json::Array{json::Object{{"range", toJSON(all)}, {"newText", *text}}};
}

static const char kUsage[] = "usage: netc lsp [--hw NAME|FILE] [--stdlib DIR]\n";

int lspMain(int argc, char **argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef a = argv[i];
    if (a == "--help" || a == "-h") {
      llvm::outs() << kUsage
                   << "\nA Language Server Protocol server for .net files over standard input "
                      "and output.\n"
                      "  --hw NAME|FILE  the profile hovers cost layers on (default: netc's; "
                      "the client's\n"
                      "                  'hardware' setting overrides it)\n"
                      "  --stdlib DIR    the standard library directory\n";
      return 0;
    }
    if ((a == "--hw" || a == "--stdlib") && i + 1 < argc) {
      (a == "--hw" ? settings.hardware : settings.stdlibDir) = argv[++i];
      continue;
    }
    llvm::errs() << "netc lsp: error: "
                 << (a == "--hw" || a == "--stdlib" ? a.str() + " needs a value"
                                                    : "unknown argument '" + a.str() + "'")
                 << "\n"
                 << kUsage;
    return 2;
  }
  Transport t(STDIN_FILENO, llvm::outs());
  Server server(t, settings);
  return server.run(llvm::errs());
}

} // namespace netc::lsp
