#include "syntax/Parser.h"

#include "syntax/ASTBuilder.h"
#include "syntax/TokenBuffer.h"
#include "syntax/TokenCheck.h"
#include "syntax/TokenLocator.h"

#include "NetLexer.h"
#include "NetParser.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc {

using namespace netc::syntax;
using L = grammar::NetLexer;

namespace {

/// Thrown (and caught in parseBuffer) once the error limit is reached.
struct StopParsing {};

/// ANTLR's default recovery (single-token insertion/deletion, then resync),
/// with messages a person can read instead of token-set dumps.
class ReadableErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  ReadableErrorStrategy(DiagEngine &diag, const TokenLocator &where, const TokenBuffer &tokens,
                        const std::vector<int32_t> &openerOf)
      : diag(diag), where(where), tokens(tokens), openerOf(openerOf) {}

protected:
  // ANTLR reports "no viable alternative" at a decision that may have started
  // many tokens earlier, so its expected set describes the wrong place. Say
  // what is unexpected, and name the likely fix for the commonest case: two
  // operands in a row inside brackets, i.e. a missing ','.
  void reportNoViableAlternative(antlr4::Parser *, const antlr4::NoViableAltException &e) override {
    antlr4::Token *t = e.getOffendingToken();
    if (std::string msg = missingComma(t, nullptr); !msg.empty())
      return emit(t, std::move(msg));
    emit(t, fmt::format("unexpected {}", describeToken(t)));
  }
  void reportInputMismatch(antlr4::Parser *p, const antlr4::InputMismatchException &e) override {
    emit(e.getOffendingToken(), e.getExpectedTokens());
    (void)p;
  }
  void reportFailedPredicate(antlr4::Parser *, const antlr4::FailedPredicateException &e) override {
    emit(e.getOffendingToken(), antlr4::misc::IntervalSet());
  }
  void reportUnwantedToken(antlr4::Parser *p) override {
    if (inErrorRecoveryMode(p))
      return;
    beginErrorCondition(p);
    emit(p->getCurrentToken(), getExpectedTokens(p));
  }
  void reportMissingToken(antlr4::Parser *p) override {
    if (inErrorRecoveryMode(p))
      return;
    beginErrorCondition(p);
    emit(p->getCurrentToken(), getExpectedTokens(p));
  }

private:
  void emit(antlr4::Token *t, const antlr4::misc::IntervalSet &expected) {
    // Wherever the parser notices it (a decision or a match of the closer),
    // an operand right after an operand inside brackets is a missing ','.
    if (std::string msg = missingComma(t, &expected); !msg.empty())
      return emit(t, std::move(msg));
    emit(t, message(t, expected));
  }

  /// "expected ',' or ')' to close '(' at L:C, found X" when `t` starts an
  /// operand right after one ended, inside brackets; else "". With
  /// `expected`, only if the bracket's closer is among the expected tokens.
  std::string missingComma(antlr4::Token *t, const antlr4::misc::IntervalSet *expected) const {
    size_t idx = t->getTokenIndex();
    if (idx == 0 || idx >= openerOf.size() || openerOf[idx] < 0 ||
        !endsOperand(tokens[idx - 1].getType()) || !startsOperand(t->getType()))
      return "";
    const antlr4::Token *open = &tokens[static_cast<size_t>(openerOf[idx])];
    size_t closer = closerFor(open->getType());
    if (open->getType() == L::LBRACE || (expected && !expected->contains(closer)))
      return "";
    SourceLoc o = where.at(open);
    return fmt::format("expected ',' or {} to close {} at {}:{}, found {}",
                       describeTokenType(closer), describeToken(open), o.line, o.col,
                       describeToken(t));
  }

  void emit(antlr4::Token *t, std::string msg) {
    // Errors within a few tokens of the last one are nearly always a cascade
    // of the same mistake while the parser resynchronizes.
    size_t idx = t->getTokenIndex();
    if (reported && idx <= lastIndex + kCascadeTokens)
      return;
    reported = true;
    lastIndex = idx;
    diag.error(where.at(t), std::move(msg));
    if (diag.limitReached())
      throw StopParsing{};
  }

  std::string message(antlr4::Token *t, const antlr4::misc::IntervalSet &expected) const {
    std::string found = describeToken(t);
    if (t->getType() == L::ELSE)
      return "'else' without a matching 'if'";
    if (isKeyword(t->getType()) &&
        (expected.contains(static_cast<size_t>(L::IDENT)) || nextType(t) == L::ASSIGN || nextType(t) == L::COLON))
      return fmt::format("'{}' is a keyword and cannot be used as a name", t->getText());
    std::vector<size_t> want;
    for (ssize_t v : expected.toList())
      if (v >= 0 || v == static_cast<ssize_t>(antlr4::Token::EOF))
        want.push_back(static_cast<size_t>(v));
    if (want.empty())
      return fmt::format("unexpected {}", found);

    auto has = [&](size_t ty) { return std::find(want.begin(), want.end(), ty) != want.end(); };
    auto drop = [&](std::initializer_list<size_t> tys) {
      want.erase(std::remove_if(want.begin(), want.end(),
                                [&](size_t ty) { return std::count(tys.begin(), tys.end(), ty); }),
                 want.end());
    };
    std::vector<std::string> parts;
    // Collapse the big sets into what a person would call them.
    if (has(L::IDENT) && has(L::FOR) && has(L::IF) && has(L::RETURN)) {
      drop({L::IDENT, L::FOR, L::IF, L::RETURN, L::INT, L::FLOAT, L::STRING, L::TRUE, L::FALSE,
            L::NONE, L::LPAREN, L::LBRACK, L::MINUS, L::PLUS, L::NOT, L::SEMI});
      parts.push_back("a statement");
    } else if (has(L::IMPORT) && has(L::BLOCK) && has(L::NETWORK)) {
      drop({L::IMPORT, L::BLOCK, L::NETWORK, L::HARDWARE, L::SEMI});
      parts.push_back("a definition (import, block, network or hardware)");
    } else if (has(L::INT) && has(L::IDENT) && has(L::LPAREN)) {
      drop({L::IDENT, L::INT, L::FLOAT, L::STRING, L::TRUE, L::FALSE, L::NONE, L::LPAREN,
            L::LBRACK, L::MINUS, L::PLUS, L::NOT});
      parts.push_back("an expression");
    }
    // Operators that could continue an expression are never what is missing.
    if (has(L::STAR) && has(L::PLUS))
      drop({L::QUESTION, L::PIPE, L::POW, L::STAR, L::SLASH, L::DSLASH, L::PERCENT, L::PLUS,
            L::MINUS, L::CONCAT, L::LT, L::LE, L::GT, L::GE, L::EQ, L::NE, L::AND, L::OR,
            L::LPAREN, L::LBRACK});
    // The closer of the innermost open bracket goes last, with its opener.
    std::string closing;
    size_t idx = t->getTokenIndex();
    if (idx < openerOf.size() && openerOf[idx] >= 0) {
      const antlr4::Token *open = &tokens[static_cast<size_t>(openerOf[idx])];
      size_t closer = closerFor(open->getType());
      if (has(closer)) {
        drop({closer});
        SourceLoc o = where.at(open);
        closing = fmt::format("{} to close {} at {}:{}", describeTokenType(closer),
                              describeToken(open), o.line, o.col);
      }
    }
    for (size_t ty : want)
      parts.push_back(describeTokenType(ty));
    if (!closing.empty())
      parts.push_back(closing);
    if (parts.empty() || parts.size() > 6)
      return fmt::format("unexpected {}", found);
    std::string list = parts[0];
    for (size_t i = 1; i < parts.size(); ++i)
      list += (i + 1 == parts.size() ? " or " : ", ") + parts[i];
    return fmt::format("expected {}, found {}", list, found);
  }

  static bool isKeyword(size_t type) { return type >= L::IMPORT && type <= L::NONE; }
  size_t nextType(const antlr4::Token *t) const {
    size_t i = t->getTokenIndex() + 1;
    return i < tokens.count() ? tokens[i].getType() : antlr4::Token::EOF;
  }

  DiagEngine &diag;
  const TokenLocator &where;
  const TokenBuffer &tokens;
  const std::vector<int32_t> &openerOf;
  static constexpr size_t kCascadeTokens = 3;
  bool reported = false;
  size_t lastIndex = 0;
};

/// The prediction of the error-reporting pass. When no alternative of a
/// decision fits the input, ANTLR picks one that reached the end of the
/// decision's rule, if any. Right after an operand that would end the
/// expression at a '(' or '[' (a statement may begin with one), which reads
/// `f(a b)` as `f` and a malformed tuple-pattern statement `(a b)`. A call or
/// index is nearly always what was meant, so report the error inside it.
class RecoveringSimulator : public antlr4::atn::ParserATNSimulator {
public:
  RecoveringSimulator(antlr4::Parser *p, std::vector<antlr4::dfa::DFA> &dfa,
                      antlr4::atn::PredictionContextCache &cache)
      : ParserATNSimulator(p, p->getATN(), dfa, cache) {}

  size_t adaptivePredict(antlr4::TokenStream *input, size_t decision,
                         antlr4::ParserRuleContext *outer) override {
    size_t rule = atn.getDecisionState(decision)->ruleIndex;
    size_t la = input->LA(1);
    postfixLoop = (rule == grammar::NetParser::RulePostfixExpr ||
                   rule == grammar::NetParser::RuleStmtExpr ||
                   rule == grammar::NetParser::RuleLeadExpr) &&
                  (la == L::LPAREN || la == L::LBRACK);
    return ParserATNSimulator::adaptivePredict(input, decision, outer);
  }

protected:
  size_t getAltThatFinishedDecisionEntryRule(antlr4::atn::ATNConfigSet *configs) override {
    if (postfixLoop)
      return 1; // into the loop: a call or an index
    return ParserATNSimulator::getAltThatFinishedDecisionEntryRule(configs);
  }

private:
  bool postfixLoop = false;
};

} // namespace

std::unique_ptr<ast::Module> parseBuffer(DiagEngine &diag, unsigned fileId,
                                         const ParseOptions &opts) {
  const llvm::MemoryBuffer *buf = diag.sourceMgr().getMemoryBuffer(fileId);
  llvm::StringRef text = buf->getBuffer();
  unsigned errorsBefore = diag.errorCount();

  TokenLocator where(fileId, text);
  // Every token, 40 bytes each: both passes and the token checks need them.
  // syntax::Lexer gives the generated lexer's tokens without its start-up.
  TokenBuffer tokens(text, where);

  if (tokens.count() == 1) { // only EOF
    bool blank = text.find_first_not_of(" \t\r\n\f") == llvm::StringRef::npos;
    diag.error(where.atOffset(0), blank ? "empty file: expected an import, block, network or "
                                          "hardware definition"
                                        : "no definitions: the file holds only comments");
    return nullptr;
  }
  TokenCheckResult checked = checkTokens(tokens, where, diag, opts.maxNesting);
  if (!checked.ok)
    return nullptr;

  // For the error-reporting pass; they outlive the parser, which owns the
  // simulator that uses them.
  std::vector<antlr4::dfa::DFA> recoveryDfa;
  antlr4::atn::PredictionContextCache recoveryCache;
  grammar::NetParser parser(&tokens);
  parser.removeErrorListeners();
  // Builds the AST as the parser goes, freeing each item's parse tree.
  ASTBuilder builder(parser, where, diag);
  parser.addParseListener(&builder);
  grammar::NetParser::File_Context *tree = nullptr;
  // Stage 1: SLL prediction, bail out at the first error. Nearly all input
  // parses here, several times faster than full LL.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    tree = parser.file_();
  } catch (antlr4::ParseCancellationException &) {
    tree = nullptr;
  }
  // Stage 2: full LL with recovery, to report every error readably.
  if (!tree) {
    builder.discard();
    tokens.seek(0);
    parser.reset();
    parser.setErrorHandler(
        std::make_shared<ReadableErrorStrategy>(diag, where, tokens, checked.openerOf));
    // A recovering simulator with its own DFA cache (this pass runs only on
    // input with errors); the parser deletes the simulator it replaces.
    const antlr4::atn::ATN &atn = parser.getATN();
    recoveryDfa.reserve(atn.getNumberOfDecisions());
    for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i)
      recoveryDfa.emplace_back(atn.getDecisionState(i), i);
    auto *recovering = new RecoveringSimulator(&parser, recoveryDfa, recoveryCache);
    recovering->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setInterpreter(recovering);
    try {
      tree = parser.file_();
    } catch (StopParsing &) {
      return nullptr;
    }
    if (diag.errorCount() != errorsBefore)
      return nullptr;
  }
  auto module = builder.finish(diag);
  if (!module || diag.errorCount() != errorsBefore)
    return nullptr;
  module->path = buf->getBufferIdentifier().str();
  module->fileId = fileId;
  return module;
}

} // namespace netc
