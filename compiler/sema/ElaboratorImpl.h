//===- ElaboratorImpl.h - the elaborator's state (private to sema/) -*- C++ -*-===//
//
// The Elaborator class: globals and network binding (Elaborator.cpp),
// statements (ElaboratorStmt.cpp), expressions (ElaboratorExpr.cpp) and calls
// (ElaboratorCall.cpp). See Elaborator.h for the rules.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_ELABORATORIMPL_H
#define NETC_SEMA_ELABORATORIMPL_H

#include "sema/Builtins.h"
#include "sema/Elaborator.h"
#include "sema/Value.h"

#include <fmt/format.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringSet.h>

#include <cmath>
#include <memory>

namespace netc::sema {

using namespace netc::ast;
using K = Value::Kind;

/// Thrown after an error has been reported; caught in elaborate().
struct ElabFailure {};

struct CallArg {
  std::string name; ///< empty: positional
  Value value;
  SourceLoc loc;
};

struct Frame {
  const FuncDecl *fn = nullptr;
  SourceLoc callLoc;
  std::string prefix; ///< name prefix of nodes created in this frame
  llvm::StringMap<Value> vars;
  llvm::StringMap<unsigned> nameCounts;
  llvm::StringSet<> issued; ///< node names given in this frame (uniqueName)
  Value result;
  bool returned = false;
};

class Elaborator {
public:
  Elaborator(const Program &p, DiagEngine &diag, const ElabOptions &opts)
      : program(p), diag(diag), opts(opts) {}

  std::optional<ir::Graph> run();

private:
  // ---- errors, globals, the network (Elaborator.cpp)

  [[noreturn]] void fail(SourceLoc loc, std::string msg);
  /// The same with a note at `noteLoc` before the chain of block calls.
  [[noreturn]] void fail(SourceLoc loc, std::string msg, SourceLoc noteLoc, std::string note);
  [[noreturn]] void failGlobal(std::string msg);
  /// Warns about each layer whose outputs nobody reads or returns.
  void warnUnused();
  /// Fails with a note when `callee`, not callable, is a local name hiding a
  /// block, op or built-in of the same name (ElaboratorExpr.cpp).
  void checkCallable(const ast::Expr &calleeExpr, const Value &callee, SourceLoc loc);
  void collectGlobals();
  const NetworkDecl &pickNetwork();
  std::string networkList() const;
  void elaborateNetwork(const NetworkDecl &net);
  /// A -D value: int, float, true/false, none, "string", or a bare word.
  static Value parseOverride(const std::string &text);
  /// Checks (and converts int -> float for) a typed parameter.
  bool checkType(const Param &p, Value &v, std::string &err);

  // ---- statements (ElaboratorStmt.cpp)

  void step(SourceLoc loc) {
    if (++steps > opts.maxSteps)
      fail(loc, fmt::format("elaboration takes more than {} steps; is a loop too long?",
                            opts.maxSteps));
    if ((steps & 0xFFFF) == 0 && opts.progress)
      opts.progress(graph.nodes.size());
  }
  void execBody(const StmtList &body);
  void bind(const Pattern &p, const Value &v);
  /// Tells opts.observer (if any) that the name at `loc` has the value `v`.
  void observe(SourceLoc loc, const Value &v) {
    if (opts.observer)
      opts.observer->name(loc, formatValue(v, &graph));
  }
  void bindAll(const std::vector<Pattern> &ps, const Value &v, SourceLoc loc);
  void exec(const Stmt &s);
  /// Names a node of an op namedAfterVariable (input, param) after the
  /// variable `p` binds its output to, when the node was created by the
  /// statement (ids from `firstNew`) in this frame.
  void nameAfterVariable(const Pattern &p, const Value &v, size_t firstNew);

  // ---- expressions (ElaboratorExpr.cpp)

  Value eval(const Expr &e);
  Value evalName(const NameExpr &n);
  Value evalBinary(const BinaryExpr &b);
  Value arith(BinaryOp op, const Value &a, const Value &b, SourceLoc loc);
  Value evalIndex(const IndexExpr &e);
  /// `x[...]` on a tensor: select and slice ops, one per indexed dim.
  Value indexTensor(Value x, const IndexExpr &e);
  /// An int-valued expression of a subscript, or an error naming `what`.
  int64_t evalIndexInt(const Expr &x, const char *what);

  // ---- calls (ElaboratorCall.cpp)

  std::vector<CallArg> evalArgs(const std::vector<Arg> &args);
  Value callValue(const Value &callee, std::vector<CallArg> args, SourceLoc loc);
  Value callBlock(const FuncDecl &fn, std::vector<CallArg> &args, SourceLoc loc);
  Value callOp(const Func &fn, std::vector<CallArg> &args, SourceLoc loc);
  Value callBuiltinFn(const BuiltinSpec &spec, std::vector<CallArg> &args, SourceLoc loc);
  Value tensorOp(const char *op, std::vector<CallArg> args, SourceLoc loc);
  /// An error unless each tied weight of the call (WeightSpec::tiedTo) names
  /// a node with a learnable weight of that name and shape.
  std::string checkTiedWeights(const ir::OpDef &op, llvm::ArrayRef<ir::TensorType> inTypes,
                               const ir::Attrs &bound);
  Value tensorScalar(BinaryOp op, const Value &a, const Value &b, SourceLoc loc);
  std::string uniqueName(llvm::StringRef base);
  /// Warns when `op` acts on the last dim (OpDef::trailingDim) of a 4-d
  /// input `x` laid out by a spatial op (OpDef::spatialOutput): that is W.
  void warnTrailingDim(const ir::OpDef &op, const ir::Attrs &attrs, ir::ValueId x, SourceLoc loc);

  const Program &program;
  DiagEngine &diag;
  const ElabOptions &opts;
  llvm::StringMap<const Decl *> globals;
  std::vector<std::unique_ptr<Frame>> frames;
  ir::Graph graph;
  uint64_t edges = 0; ///< node inputs so far (opts.maxEdges)
  uint64_t steps = 0;
  SourceLoc returnLoc;
};

} // namespace netc::sema

#endif
