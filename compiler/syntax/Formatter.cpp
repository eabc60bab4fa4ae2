//===- Formatter.cpp - netc fmt's front door and its safety checks --------===//
//
// parse (errors are the user's) -> tokens and comments -> layout tree ->
// text -> checks. The checks compare the new text with the old one: the same
// printed tokens, the same comments, and the same AST once locations are
// taken out. Any difference is the formatter's bug, and is reported as one
// instead of returning text that lost something.
//
//===----------------------------------------------------------------------===//
#include "syntax/Formatter.h"

#include "support/SourceLoader.h"
#include "syntax/ASTPrinter.h"
#include "syntax/FormatTree.h"
#include "syntax/Parser.h"

#include <fmt/format.h>

#include <cctype>

namespace netc::syntax {

namespace {

/// The AST dump without locations: equal for two modules of the same meaning.
std::string dumpWithoutLocations(const ast::Module &m) {
  std::string dump;
  llvm::raw_string_ostream os(dump);
  ast::printModule(os, m, /*locations=*/false);
  return os.str();
}

/// "" when `after` has the printed tokens of `before` and all its comments,
/// in the same order; else what differs.
std::string compareTokens(const std::vector<format::Tok> &before,
                          const std::vector<format::Tok> &after) {
  std::vector<const format::Tok *> kept;
  std::vector<const format::Comment *> comments, newComments;
  for (const format::Tok &t : before) {
    if (!t.dropped)
      kept.push_back(&t);
    for (const format::Comment &c : t.comments)
      comments.push_back(&c);
  }
  for (const format::Tok &t : after)
    for (const format::Comment &c : t.comments)
      newComments.push_back(&c);
  if (kept.size() != after.size())
    return fmt::format("{} tokens became {}", kept.size(), after.size());
  for (size_t i = 0; i < kept.size(); ++i)
    if (kept[i]->type != after[i].type || kept[i]->text != after[i].text)
      return fmt::format("token '{}' became '{}'", kept[i]->text.str(), after[i].text.str());
  if (comments.size() != newComments.size())
    return fmt::format("{} comments became {}", comments.size(), newComments.size());
  for (size_t i = 0; i < comments.size(); ++i)
    if (comments[i]->text != newComments[i]->text)
      return fmt::format("comment '{}' changed", comments[i]->text);
  return "";
}

/// "" when `text` parses to the AST of `original` up to locations.
std::string compareAst(const ast::Module &original, llvm::StringRef text) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  SourceLimits limits;
  limits.maxFileBytes = UINT64_MAX;
  unsigned id = loadSourceText(diag, text, original.path, limits);
  std::unique_ptr<ast::Module> again = id ? parseBuffer(diag, id) : nullptr;
  if (!again) {
    std::string errors;
    if (!diag.diagnostics().empty())
      errors = diag.diagnostics().front().message;
    return "the formatted text does not parse: " + errors;
  }
  if (dumpWithoutLocations(original) != dumpWithoutLocations(*again))
    return "the formatted text has a different syntax tree";
  return "";
}

} // namespace

std::optional<std::string> formatBuffer(DiagEngine &diag, unsigned fileId,
                                        const FormatOptions &opts) {
  std::unique_ptr<ast::Module> module = parseBuffer(diag, fileId);
  if (!module)
    return std::nullopt;
  const llvm::MemoryBuffer *buf = diag.sourceMgr().getMemoryBuffer(fileId);
  llvm::StringRef text = buf->getBuffer();
  std::string name = buf->getBufferIdentifier().str();
  auto internalError = [&](const std::string &why) -> std::optional<std::string> {
    diag.fileError(name, fmt::format("cannot format: internal error of the formatter ({}); "
                                     "the file is left as it was",
                                     why));
    return std::nullopt;
  };
  FormatOptions o = opts;
  o.width = std::max(o.width, 1u);
  std::vector<format::Tok> toks;
  format::File file;
  std::string out, why;
  if (!format::lexForFormat(text, toks, why) || !format::buildTree(toks, file, why) ||
      !format::printFile(toks, file, o, out, why))
    return internalError(why);
  std::vector<format::Tok> again;
  if (!format::lexForFormat(out, again, why))
    return internalError(why);
  if (std::string e = compareTokens(toks, again); !e.empty())
    return internalError(e);
  if (std::string e = compareAst(*module, out); !e.empty())
    return internalError(e);
  return out;
}

std::optional<std::string> formatText(llvm::StringRef text, llvm::StringRef name,
                                      std::string &errors, const FormatOptions &opts) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<std::string> out;
  if (unsigned id = loadSourceText(diag, text, name))
    out = formatBuffer(diag, id, opts);
  llvm::raw_string_ostream os(errors);
  diag.print(os);
  return out;
}

} // namespace netc::syntax
