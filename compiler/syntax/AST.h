//===- AST.h - netc's own syntax tree ---------------------------*- C++ -*-===//
//
// Typed nodes, owned by unique_ptr, each with a SourceLoc. Nothing here knows
// about ANTLR: the ASTBuilder is the only code that sees the parse tree. Node
// kinds use LLVM-style RTTI (isa<>/dyn_cast<> through a `kind` and classof), as
// in MLIR's Toy tutorial.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_AST_H
#define NETC_SYNTAX_AST_H

#include "support/SourceLoc.h"

#include <llvm/Support/Casting.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netc::ast {

// ------------------------------------------------------------- expressions

enum class ExprKind : uint8_t {
  Int, Float, String, Bool, None, Name, List, Tuple,
  Unary, Binary, Cond, Call, Index, Pipe,
};

struct Expr {
  const ExprKind kind;
  SourceLoc loc;
  Expr(ExprKind k, SourceLoc l) : kind(k), loc(l) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

template <ExprKind K> struct ExprOf : Expr {
  explicit ExprOf(SourceLoc l) : Expr(K, l) {}
  static bool classof(const Expr *e) { return e->kind == K; }
};

struct IntLit : ExprOf<ExprKind::Int> {
  int64_t value;
  IntLit(SourceLoc l, int64_t v) : ExprOf(l), value(v) {}
};
struct FloatLit : ExprOf<ExprKind::Float> {
  double value;
  FloatLit(SourceLoc l, double v) : ExprOf(l), value(v) {}
};
struct StringLit : ExprOf<ExprKind::String> {
  std::string value; ///< escapes already decoded
  StringLit(SourceLoc l, std::string v) : ExprOf(l), value(std::move(v)) {}
};
struct BoolLit : ExprOf<ExprKind::Bool> {
  bool value;
  BoolLit(SourceLoc l, bool v) : ExprOf(l), value(v) {}
};
struct NoneLit : ExprOf<ExprKind::None> {
  explicit NoneLit(SourceLoc l) : ExprOf(l) {}
};
struct NameExpr : ExprOf<ExprKind::Name> {
  std::string name;
  NameExpr(SourceLoc l, std::string n) : ExprOf(l), name(std::move(n)) {}
};
struct ListExpr : ExprOf<ExprKind::List> {
  std::vector<ExprPtr> elems;
  using ExprOf::ExprOf;
};
struct TupleExpr : ExprOf<ExprKind::Tuple> {
  std::vector<ExprPtr> elems;
  using ExprOf::ExprOf;
};

enum class UnaryOp : uint8_t { Neg, Plus, Not };
struct UnaryExpr : ExprOf<ExprKind::Unary> {
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(SourceLoc l, UnaryOp o, ExprPtr e) : ExprOf(l), op(o), operand(std::move(e)) {}
};

enum class BinaryOp : uint8_t {
  Pow, Mul, Div, FloorDiv, Mod, Add, Sub, Concat, Lt, Le, Gt, Ge, Eq, Ne, And, Or,
};
/// The operator's spelling in source, e.g. "//" for FloorDiv.
const char *spelling(BinaryOp op);
const char *spelling(UnaryOp op);

/// `loc` is the operator's location (where shape errors of `a + b` point).
struct BinaryExpr : ExprOf<ExprKind::Binary> {
  BinaryOp op;
  ExprPtr lhs, rhs;
  BinaryExpr(SourceLoc l, BinaryOp o, ExprPtr a, ExprPtr b)
      : ExprOf(l), op(o), lhs(std::move(a)), rhs(std::move(b)) {}
};
/// `cond ? thenExpr : elseExpr`; `loc` is the '?'.
struct CondExpr : ExprOf<ExprKind::Cond> {
  ExprPtr cond, thenExpr, elseExpr;
  using ExprOf::ExprOf;
};

struct Arg {
  SourceLoc loc;
  std::string name; ///< empty for a positional argument
  ExprPtr value;
};
/// `callee(args)`; `loc` is where the callee starts.
struct CallExpr : ExprOf<ExprKind::Call> {
  ExprPtr callee;
  std::vector<Arg> args;
  using ExprOf::ExprOf;
};
/// One position of a subscript: an index (`index`), or a range `lo:hi` or
/// `lo:hi:step` (`isRange`; each part null when omitted, `:` alone keeps a
/// whole dim). `loc` is where the position starts.
struct Subscript {
  SourceLoc loc;
  bool isRange = false;
  ExprPtr index;        ///< set when !isRange
  ExprPtr lo, hi, step; ///< parts of a range, each optional
};
/// `base[s, ...]`: a list, tuple or string takes one position, a tensor one
/// per dim (`x[:, 0]`); `loc` is the '['.
struct IndexExpr : ExprOf<ExprKind::Index> {
  ExprPtr base;
  std::vector<Subscript> subs; ///< at least one
  using ExprOf::ExprOf;
};
/// `lhs |> rhs`: rhs is a callee (`relu`) or a call missing its first
/// argument (`conv2d(16, k=3)`); `loc` is the '|>'.
struct PipeExpr : ExprOf<ExprKind::Pipe> {
  ExprPtr lhs, rhs;
  using ExprOf::ExprOf;
};

// ------------------------------------------------------------- statements

/// A name, or a parenthesised tuple of patterns: `i`, `(t, c, n, s)`.
struct Pattern {
  SourceLoc loc;
  std::string name;            ///< set for a name pattern
  std::vector<Pattern> elems;  ///< set for a tuple pattern
  bool isTuple = false;
};

enum class StmtKind : uint8_t { Assign, Expr, For, If, Return };

struct Stmt {
  const StmtKind kind;
  SourceLoc loc;
  Stmt(StmtKind k, SourceLoc l) : kind(k), loc(l) {}
  virtual ~Stmt() = default;
};
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

template <StmtKind K> struct StmtOf : Stmt {
  explicit StmtOf(SourceLoc l) : Stmt(K, l) {}
  static bool classof(const Stmt *s) { return s->kind == K; }
};

/// `a = e` or `a, (b, c) = e` (more than one target destructures).
struct AssignStmt : StmtOf<StmtKind::Assign> {
  std::vector<Pattern> targets;
  ExprPtr value;
  using StmtOf::StmtOf;
};
struct ExprStmt : StmtOf<StmtKind::Expr> {
  ExprPtr expr;
  using StmtOf::StmtOf;
};
/// `for a, (b, c) in iterable { body }`.
struct ForStmt : StmtOf<StmtKind::For> {
  std::vector<Pattern> vars;
  ExprPtr iterable;
  StmtList body;
  using StmtOf::StmtOf;
};
/// `if c { } else { }`; `else if` is an else-body holding one IfStmt.
struct IfStmt : StmtOf<StmtKind::If> {
  ExprPtr cond;
  StmtList thenBody;
  StmtList elseBody;
  bool hasElse = false;
  using StmtOf::StmtOf;
};
/// `return a` or `return a, b` (several values: several outputs).
struct ReturnStmt : StmtOf<StmtKind::Return> {
  std::vector<ExprPtr> values;
  using StmtOf::StmtOf;
};

// ------------------------------------------------------------- declarations

struct TypeRef {
  SourceLoc loc;
  std::string name;
};

struct Param {
  SourceLoc loc;
  std::string name;
  bool hasType = false;
  TypeRef type;
  ExprPtr defaultValue; ///< null when required
};

enum class DeclKind : uint8_t { Import, Block, Network, Hardware };

struct Decl {
  const DeclKind kind;
  SourceLoc loc;
  std::string name; ///< the import path for an ImportDecl
  Decl(DeclKind k, SourceLoc l, std::string n) : kind(k), loc(l), name(std::move(n)) {}
  virtual ~Decl() = default;
};
using DeclPtr = std::unique_ptr<Decl>;

template <DeclKind K> struct DeclOf : Decl {
  DeclOf(SourceLoc l, std::string n) : Decl(K, l, std::move(n)) {}
  static bool classof(const Decl *d) { return d->kind == K; }
};

/// `import "path"`; `name` holds the path as written.
struct ImportDecl : DeclOf<DeclKind::Import> {
  using DeclOf::DeclOf;
};

/// Blocks and networks share their form: a name, parameters and a body.
struct FuncDecl : Decl {
  std::vector<Param> params;
  StmtList body;
  using Decl::Decl;
  static bool classof(const Decl *d) {
    return d->kind == DeclKind::Block || d->kind == DeclKind::Network;
  }
};
struct BlockDecl : FuncDecl {
  BlockDecl(SourceLoc l, std::string n) : FuncDecl(DeclKind::Block, l, std::move(n)) {}
  static bool classof(const Decl *d) { return d->kind == DeclKind::Block; }
};
struct NetworkDecl : FuncDecl {
  NetworkDecl(SourceLoc l, std::string n) : FuncDecl(DeclKind::Network, l, std::move(n)) {}
  static bool classof(const Decl *d) { return d->kind == DeclKind::Network; }
};

/// `name = value unit`, e.g. `bandwidth = 76.8 GB/s`; the unit is checked by
/// the hardware stage, not the parser.
struct HwField {
  SourceLoc loc;
  std::string name;
  ExprPtr value;
  std::string unit; ///< empty when none, else e.g. "GFLOP/s"
  SourceLoc unitLoc;
};
struct HardwareDecl : DeclOf<DeclKind::Hardware> {
  std::vector<HwField> fields;
  using DeclOf::DeclOf;
};

/// One parsed file.
struct Module {
  std::string path; ///< the display name diagnostics use
  unsigned fileId = 0;
  std::vector<DeclPtr> decls; ///< in source order, imports included
};

} // namespace netc::ast

#endif
