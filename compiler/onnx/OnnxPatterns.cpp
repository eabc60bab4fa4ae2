//===- OnnxPatterns.cpp - what exporters write as several nodes --------------===//
//
// - MatMul by a constant [in, out], then Add of a constant [out]: torch's
//   Linear on more than 2 dims -> linear(x, out);
// - x * 0.5 * (1 + erf(x / sqrt(2))) in any order of its two products:
//   torch's GELU before opset 20 -> gelu(x);
// - Relu then Clip(0, 6), x * HardSigmoid(x), x * Sigmoid(x): relu6,
//   hardswish, silu;
// - mean, x - mean, (x - mean)^2, its mean, + eps, sqrt, divide, then * w
//   and + b over the last dims: torch's LayerNorm before opset 17 ->
//   layernorm(x, shape=[...]).
// A pattern matches only when its inner tensors are read by nothing else.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxConvert.h"

#include <algorithm>
#include <cmath>

namespace netc::onnximport::detail {

namespace {

using Node = ::onnx::NodeProto;

/// The one node reading `t` (and not a graph output: -1 then), or -1.
int only(Converter &c, const std::string &t, const char *op) {
  const std::vector<int> &r = c.consumers(t);
  if (r.size() != 1 || c.node(r[0]).op_type() != op)
    return -1;
  return r[0];
}

/// The scalar constant among `n`'s two inputs and the other input.
bool scalarAnd(Converter &c, const Node &n, double &value, std::string &other) {
  for (int k : {0, 1}) {
    const Const *v = c.constant(c.input(n, k));
    if (v && v->hasValues && v->values.size() == 1) {
      value = v->values[0];
      other = c.input(n, 1 - k);
      return true;
    }
  }
  return false;
}

bool near(double a, double b) { return std::abs(a - b) <= 1e-4 * std::abs(b); }

bool linearBias(Converter &c, const Node &n) {
  const Const *w = c.constant(c.input(n, 1));
  if (!w || w->dims.size() != 2 || c.constant(c.input(n, 0)))
    return false;
  int add = only(c, n.output(0), "Add");
  if (add < 0)
    return false;
  const Node &a = c.node(add);
  std::string other = c.input(a, 0) == n.output(0) ? c.input(a, 1) : c.input(a, 0);
  const Const *b = c.constant(other);
  if (!b || b->elements() != static_cast<size_t>(w->dims[1]) || b->dims.empty() ||
      b->dims.back() != w->dims[1])
    return false;
  c.consume(add);
  c.emit(n, {a.output(0)}, Expr().t("linear(").x(c.input(n, 0)).t(", ").num(w->dims[1], "out").t(")"));
  return true;
}

/// From the Erf node's input side: Div(x, sqrt 2) or Mul(x, 1/sqrt 2).
bool gelu(Converter &c, const Node &n) {
  double k;
  std::string x;
  if (!scalarAnd(c, n, k, x) || c.constant(x))
    return false;
  if (!(n.op_type() == "Div" && near(k, std::sqrt(2.0))) &&
      !(n.op_type() == "Mul" && near(k, 1 / std::sqrt(2.0))))
    return false;
  int erf = only(c, n.output(0), "Erf");
  if (erf < 0)
    return false;
  int add = only(c, c.node(erf).output(0), "Add");
  double one;
  std::string e;
  if (add < 0 || !scalarAnd(c, c.node(add), one, e) || one != 1)
    return false;
  // (1 + erf) * x, then * 0.5; or (1 + erf) * (x * 0.5); or ((1 + erf) * 0.5) * x.
  int m1 = only(c, c.node(add).output(0), "Mul");
  if (m1 < 0)
    return false;
  const Node &p = c.node(m1);
  std::string left = c.input(p, 0) == c.node(add).output(0) ? c.input(p, 1) : c.input(p, 0);
  std::vector<int> used = {erf, add, m1};
  std::string out;
  double half;
  std::string y;
  if (left == x) { // then * 0.5
    int m2 = only(c, p.output(0), "Mul");
    if (m2 < 0 || !scalarAnd(c, c.node(m2), half, y) || half != 0.5)
      return false;
    used.push_back(m2);
    out = c.node(m2).output(0);
  } else { // left = x * 0.5, made before: not matched here (it would already be an affine)
    return false;
  }
  for (int u : used)
    c.consume(u);
  c.emit(n, {out}, Expr().t("gelu(").x(x).t(")"));
  return true;
}

/// Consecutive normalized dims of `n` (a ReduceMean) over `x`, or empty.
std::vector<int64_t> reducedDims(Converter &c, const Node &n, int64_t rank) {
  std::vector<int64_t> axes = attrInts(n, "axes");
  if (axes.empty()) {
    const Const *a = c.constant(c.input(n, 1));
    if (a && a->hasValues)
      for (double v : a->values)
        axes.push_back(toInt(v));
  }
  for (int64_t &a : axes)
    a = a < 0 ? a + rank : a;
  std::sort(axes.begin(), axes.end());
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return {};
  if (!attrInt(n, "keepdims", 1))
    return {};
  return axes;
}

/// `shape=[...]` for trailing dims, else `dims=[...]` (LayerNorm2d).
void normDims(Expr &e, const std::vector<int64_t> &axes, const std::vector<int64_t> &shape) {
  if (axes.back() == static_cast<int64_t>(shape.size()) - 1)
    e.t(", shape=").num(listText({shape.begin() + axes.front(), shape.end()}), "shape");
  else
    e.t(", dims=").num(listText(axes), "dims");
}

/// Mul by a constant, then Add of a constant, after `out`: the affine part.
bool affineTail(Converter &c, std::string &out, std::vector<int> &used, bool withBias) {
  int mul = only(c, out, "Mul");
  if (mul < 0)
    return false;
  const Node &m = c.node(mul);
  if (!c.constant(c.input(m, c.input(m, 0) == out ? 1 : 0)))
    return false;
  if (!withBias) {
    used.push_back(mul);
    out = m.output(0);
    return true;
  }
  int add = only(c, m.output(0), "Add");
  if (add < 0)
    return false;
  const Node &a = c.node(add);
  if (!c.constant(c.input(a, c.input(a, 0) == m.output(0) ? 1 : 0)))
    return false;
  used.insert(used.end(), {mul, add});
  out = a.output(0);
  return true;
}

/// mean + eps, then Sqrt: the eps and the two nodes.
bool epsSqrt(Converter &c, const std::string &mean, double &eps, int &add, int &sqrt) {
  add = only(c, mean, "Add");
  std::string v;
  if (add < 0 || !scalarAnd(c, c.node(add), eps, v))
    return false;
  sqrt = only(c, c.node(add).output(0), "Sqrt");
  return sqrt >= 0;
}

/// Consumes `used` and emits `op(x, shape or dims, eps, affine)` as `out`.
void emitNorm(Converter &c, const Node &n, const char *op, const std::string &x,
              const std::vector<int64_t> &axes, const std::vector<int64_t> &shape, double eps,
              bool affine, const std::string &out,
              const std::vector<int> &used) {
  for (int u : used)
    c.consume(u);
  Expr e;
  e.t(std::string(op) + "(").x(x);
  normDims(e, axes, shape);
  epsArg(e, op, eps);
  if (!affine)
    e.t(", affine=false");
  c.emit(n, {out}, e.t(")"));
}

/// From the first ReduceMean: mean, d = x - mean, mean of d^2 (Pow or
/// Mul(d, d)), + eps, sqrt, d / it, then * w + b.
bool layernorm(Converter &c, const Node &n) {
  std::string x = c.input(n, 0);
  const std::vector<int64_t> *s = c.shape(x);
  if (!s || c.constant(x))
    return false;
  std::vector<int64_t> axes = reducedDims(c, n, static_cast<int64_t>(s->size()));
  if (axes.empty())
    return false;
  int sub = only(c, n.output(0), "Sub");
  if (sub < 0 || c.input(c.node(sub), 0) != x)
    return false;
  const std::string &d = c.node(sub).output(0);
  std::vector<int> r = c.consumers(d);
  r.erase(std::unique(r.begin(), r.end()), r.end());
  if (r.size() != 2)
    return false;
  auto isSquare = [&](int k) {
    const Node &q = c.node(k);
    return (q.op_type() == "Pow") || (q.op_type() == "Mul" && c.input(q, 0) == d && c.input(q, 1) == d);
  };
  int sq = isSquare(r[0]) ? r[0] : r[1];
  int div = sq == r[0] ? r[1] : r[0];
  if (!isSquare(sq) || c.node(div).op_type() != "Div")
    return false;
  int mean2 = only(c, c.node(sq).output(0), "ReduceMean");
  if (mean2 < 0)
    return false;
  double eps;
  int addEps, sqrt;
  if (!epsSqrt(c, c.node(mean2).output(0), eps, addEps, sqrt) ||
      c.input(c.node(div), 1) != c.node(sqrt).output(0))
    return false;
  std::vector<int> used = {sub, sq, mean2, addEps, sqrt, div};
  std::string out = c.node(div).output(0);
  bool affine = affineTail(c, out, used, true);
  emitNorm(c, n, "layernorm", x, axes, *s, eps, affine, out, used);
  return true;
}

/// From Mul(x, x): mean over the last dims, + eps, sqrt, x / it, * w.
bool rmsnorm(Converter &c, const Node &n) {
  std::string x = c.input(n, 0);
  const std::vector<int64_t> *s = c.shape(x);
  if (!s || c.constant(x) || c.input(n, 1) != x)
    return false;
  int mean = only(c, n.output(0), "ReduceMean");
  if (mean < 0)
    return false;
  std::vector<int64_t> axes = reducedDims(c, c.node(mean), static_cast<int64_t>(s->size()));
  if (axes.empty() || axes.back() != static_cast<int64_t>(s->size()) - 1)
    return false;
  double eps;
  int addEps, sqrt;
  if (!epsSqrt(c, c.node(mean).output(0), eps, addEps, sqrt))
    return false;
  int div = only(c, c.node(sqrt).output(0), "Div");
  if (div < 0 || c.input(c.node(div), 0) != x)
    return false;
  std::vector<int> used = {mean, addEps, sqrt, div};
  std::string out = c.node(div).output(0);
  bool affine = affineTail(c, out, used, false);
  emitNorm(c, n, "rmsnorm", x, axes, *s, eps, affine, out, used);
  return true;
}

/// Relu then Clip(0, 6): torch's ReLU6 -> relu6(x); x * hardsigmoid(x):
/// torch's Hardswish -> hardswish(x); x * sigmoid(x): SiLU -> silu(x).
bool activationPair(Converter &c, const Node &n) {
  std::string x = c.input(n, 0);
  if (c.constant(x))
    return false;
  if (n.op_type() == "Relu") {
    int clip = only(c, n.output(0), "Clip");
    if (clip < 0)
      return false;
    const Node &k = c.node(clip);
    const Const *lo = c.constant(c.input(k, 1)), *hi = c.constant(c.input(k, 2));
    if (!lo || !hi || !lo->hasValues || !hi->hasValues || lo->values.size() != 1 ||
        hi->values.size() != 1 || lo->values[0] != 0 || hi->values[0] != 6)
      return false;
    c.consume(clip);
    c.emit(n, {k.output(0)}, Expr().t("relu6(").x(x).t(")"));
    return true;
  }
  int mul = only(c, n.output(0), "Mul");
  const bool silu = n.op_type() == "Sigmoid";
  if (mul < 0 || (!silu && (std::abs(attrFloat(n, "alpha", 0.2) - 1.0 / 6) > 1e-6 ||
                            attrFloat(n, "beta", 0.5) != 0.5)))
    return false;
  const Node &m = c.node(mul);
  if ((c.input(m, 0) == x ? c.input(m, 1) : c.input(m, 1) == x ? c.input(m, 0) : "") !=
      n.output(0))
    return false;
  c.consume(mul);
  c.emit(n, {m.output(0)}, Expr().t(silu ? "silu(" : "hardswish(").x(x).t(")"));
  return true;
}

} // namespace

bool matchPattern(Converter &c, const ::onnx::NodeProto &n, int) {
  const std::string &op = n.op_type();
  if (op == "MatMul")
    return linearBias(c, n);
  if (op == "Mul" && rmsnorm(c, n))
    return true;
  if (op == "Div" || op == "Mul")
    return gelu(c, n);
  if (op == "ReduceMean")
    return layernorm(c, n);
  if (op == "Relu" || op == "HardSigmoid" || op == "Sigmoid")
    return activationPair(c, n);
  return false;
}

} // namespace netc::onnximport::detail
