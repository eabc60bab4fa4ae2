//===- OnnxOps.cpp - one handler per ONNX op type -----------------------------===//
//
// Each handler writes the netc layer the ONNX node is: its arguments from
// the node's attributes and from its weights' shapes. What netc's layer
// cannot express exactly (asymmetric pooling pads, a Gemm with alpha != 1,
// a Clip that is not ReLU or ReLU6, ...) is an error naming the node, not
// an approximation.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxConvert.h"

#include "ir/OpTable.h"

#include <fmt/format.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringExtras.h>

#include <cmath>

namespace netc::onnximport::detail {

namespace {

using Node = ::onnx::NodeProto;

/// The node's tensor input `k`, which must not be a constant.
bool activation(Converter &c, const Node &n, int k, std::string &out) {
  out = c.input(n, k);
  if (out.empty())
    return c.fail(n, fmt::format("input {} is missing", k + 1));
  if (c.constant(out))
    return c.fail(n, fmt::format("input {} ('{}') is a constant where netc's layer takes a "
                                 "tensor computed by the network",
                                 k + 1, out));
  return true;
}

/// The node's weight input `k`: a constant of `rank` dims (0: any).
const Const *weight(Converter &c, const Node &n, int k, size_t rank) {
  std::string name = c.input(n, k);
  const Const *w = name.empty() ? nullptr : c.constant(name);
  if (!w) {
    c.fail(n, fmt::format("input {} ('{}') must be a constant (an initializer): netc's "
                          "layer owns its weights",
                          k + 1, name));
    return nullptr;
  }
  if (rank && w->dims.size() != rank) {
    c.fail(n, fmt::format("input {} has {} dims, netc's layer takes {}", k + 1,
                          w->dims.size(), rank));
    return nullptr;
  }
  return w;
}

std::string pairText(int64_t a, int64_t b) {
  return a == b ? std::to_string(a) : listText({a, b}, true);
}

/// Pads [top, left, bottom, right] (explicit or from auto_pad) of a 2-D window;
/// checks that the window, strides and dilations have 2 values each.
bool pads2d(Converter &c, const Node &n, const std::vector<int64_t> &in,
            const std::vector<int64_t> &k, const std::vector<int64_t> &s,
            const std::vector<int64_t> &d, std::vector<int64_t> &p) {
  if (k.size() != 2 || s.size() != 2 || d.size() != 2)
    return c.fail(n, "kernel_shape, strides and dilations need 2 values for a 2-D window");
  std::string autoPad = attrString(n, "auto_pad", "NOTSET");
  p = attrInts(n, "pads", {0, 0, 0, 0});
  if (p.size() != 4)
    return c.fail(n, "pads must have 4 values for a 2-D window");
  if (autoPad == "VALID")
    p = {0, 0, 0, 0};
  else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    if (in.size() != 4)
      return c.fail(n, "auto_pad needs the input's shape");
    for (int i = 0; i < 2; ++i) {
      int64_t size = in[2 + i], out = (size + s[i] - 1) / s[i];
      int64_t total = std::max<int64_t>(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - size);
      int64_t small = total / 2, big = total - small;
      p[i] = autoPad == "SAME_UPPER" ? small : big;
      p[i + 2] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad != "NOTSET")
    return c.fail(n, "unknown auto_pad '" + autoPad + "'");
  return true;
}

/// padding=... for netc: an int, (h, w), or (top, bottom, left, right).
std::string paddingText(const std::vector<int64_t> &p) {
  if (p[0] == p[2] && p[1] == p[3])
    return pairText(p[0], p[1]);
  return listText({p[0], p[2], p[1], p[3]}, true);
}

bool conv(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  const Const *w = weight(c, n, 1, 0);
  if (!w)
    return false;
  if (w->dims.size() != 4)
    return c.fail(n, fmt::format("a convolution over {} spatial dims: netc has 2-D "
                                 "convolutions only",
                                 static_cast<int>(w->dims.size()) - 2));
  const bool bias = !c.input(n, 2).empty();
  if (bias && !weight(c, n, 2, 1))
    return false;
  const bool transposed = n.op_type() == "ConvTranspose";
  int64_t groups = attrInt(n, "group", 1);
  std::vector<int64_t> k = {w->dims[2], w->dims[3]};
  std::vector<int64_t> s = attrInts(n, "strides", {1, 1}), d = attrInts(n, "dilations", {1, 1});
  const std::vector<int64_t> *in = c.shape(x);
  std::vector<int64_t> p;
  if (!pads2d(c, n, in ? *in : std::vector<int64_t>{}, k, s, d, p))
    return false;
  Expr e;
  int64_t out = transposed ? w->dims[1] * groups : w->dims[0];
  e.t(transposed ? "conv_transpose2d(" : "conv2d(").x(x).t(", ").num(out, "out");
  e.t(", k=").num(pairText(k[0], k[1]), "k");
  if (s != std::vector<int64_t>{1, 1})
    e.t(", stride=").num(pairText(s[0], s[1]), "stride");
  if (p != std::vector<int64_t>{0, 0, 0, 0}) {
    if (transposed && (p[0] != p[2] || p[1] != p[3]))
      return c.fail(n, "asymmetric pads of a transposed convolution");
    e.t(", padding=").num(paddingText(p), "padding");
  }
  if (transposed) {
    std::vector<int64_t> op = attrInts(n, "output_padding", {0, 0});
    if (!attrInts(n, "output_shape").empty())
      return c.fail(n, "output_shape is not read; export with output_padding");
    if (op.size() == 2 && (op[0] || op[1]))
      e.t(", output_padding=").num(pairText(op[0], op[1]), "output_padding");
  }
  if (d != std::vector<int64_t>{1, 1})
    e.t(", dilation=").num(pairText(d[0], d[1]), "dilation");
  if (groups != 1)
    e.t(", groups=").num(groups, "groups");
  if (!bias)
    e.t(", bias=false");
  c.emit(n, {n.output(0)}, e.t(")"));
  return true;
}

bool batchnorm(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  for (int k = 1; k <= 4; ++k)
    if (!weight(c, n, k, 1))
      return false;
  for (int k = 1; k < n.output_size(); ++k)
    if (!n.output(k).empty() && !c.consumers(n.output(k)).empty())
      return c.fail(n, "its running statistics are read: a training graph");
  Expr e;
  e.t("batchnorm(").x(x);
  epsArg(e, "batchnorm", attrFloat(n, "epsilon", 1e-5));
  c.emit(n, {n.output(0)}, e.t(")"));
  return true;
}

bool gemm(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  const Const *w = weight(c, n, 1, 2);
  if (!w)
    return false;
  if (attrInt(n, "transA", 0))
    return c.fail(n, "transA = 1: netc's linear reads [batch, in]");
  if (attrFloat(n, "alpha", 1) != 1 || (!c.input(n, 2).empty() && attrFloat(n, "beta", 1) != 1))
    return c.fail(n, "alpha or beta is not 1: netc's linear has no such scale");
  const bool bias = !c.input(n, 2).empty();
  if (bias && !weight(c, n, 2, 0))
    return false;
  int64_t out = attrInt(n, "transB", 0) ? w->dims[0] : w->dims[1];
  Expr e;
  e.t("linear(").x(x).t(", ").num(out, "out");
  if (!bias)
    e.t(", bias=false");
  if (std::string t = c.tiedTo(c.input(n, 1), n.output(0)); !t.empty())
    e.t(", tied=").x(t);
  c.emit(n, {n.output(0)}, e.t(")"));
  return true;
}

/// MatMul by a constant [in, out]: linear without bias (with one when an
/// Add of a constant [out] follows: OnnxPatterns.cpp); of two tensors: matmul.
bool matmul(Converter &c, const Node &n) {
  std::string a;
  if (!activation(c, n, 0, a))
    return false;
  std::string b = c.input(n, 1);
  Expr e;
  if (const Const *w = c.constant(b)) {
    if (w->dims.size() != 2)
      return c.fail(n, "a constant right operand of more than 2 dims");
    e.t("linear(").x(a).t(", ").num(w->dims[1], "out").t(", bias=false");
    if (std::string t = c.tiedTo(b, n.output(0)); !t.empty())
      e.t(", tied=").x(t);
    e.t(")");
  } else
    e.t("matmul(").x(a).t(", ").x(b).t(")");
  c.emit(n, {n.output(0)}, e);
  return true;
}

bool unary(Converter &c, const Node &n) {
  static const std::pair<const char *, const char *> kOps[] = {
      {"Relu", "relu"},     {"Sigmoid", "sigmoid"}, {"Tanh", "tanh"},
      {"HardSwish", "hardswish"}, {"Erf", "erf"}};
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  for (const auto &[onnx, net] : kOps)
    if (n.op_type() == onnx) {
      c.emit(n, {n.output(0)}, Expr().t(std::string(net) + "(").x(x).t(")"));
      return true;
    }
  return c.fail(n, "netc has no such activation");
}

bool hardSigmoid(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  if (std::abs(attrFloat(n, "alpha", 0.2) - 1.0 / 6) > 1e-6 || attrFloat(n, "beta", 0.5) != 0.5)
    return c.fail(n, "alpha and beta are not 1/6 and 0.5 (torch's Hardsigmoid)");
  c.emit(n, {n.output(0)}, Expr().t("hardsigmoid(").x(x).t(")"));
  return true;
}

bool leakyRelu(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  c.emit(n, {n.output(0)},
         Expr().t("leaky_relu(").x(x).t(", slope=").num(numberText(attrFloat(n, "alpha", 0.01)),
                                                       "slope").t(")"));
  return true;
}

bool clip(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  double lo = attrFloat(n, "min", -INFINITY), hi = attrFloat(n, "max", INFINITY);
  for (int k : {1, 2}) {
    std::string in = c.input(n, k);
    if (in.empty())
      continue;
    const Const *v = c.constant(in);
    if (!v || !v->hasValues || v->values.size() != 1)
      return c.fail(n, "its bounds are not constant numbers");
    (k == 1 ? lo : hi) = v->values[0];
  }
  if (lo == 0 && hi == 6)
    c.emit(n, {n.output(0)}, Expr().t("relu6(").x(x).t(")"));
  else if (lo == 0 && std::isinf(hi))
    c.emit(n, {n.output(0)}, Expr().t("relu(").x(x).t(")"));
  else
    return c.fail(n, fmt::format("a Clip to [{}, {}]: netc has ReLU (0, inf) and ReLU6 (0, 6)",
                                 lo, hi));
  return true;
}

bool softmax(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  const std::vector<int64_t> *s = c.shape(x);
  int64_t axis = attrInt(n, "axis", c.opset >= 13 ? -1 : 1);
  int64_t rank = s ? static_cast<int64_t>(s->size()) : 0;
  if (c.opset < 13 && axis != -1 && axis != rank - 1)
    return c.fail(n, "a Softmax of opset < 13 over more than the last dim");
  c.emit(n, {n.output(0)}, Expr().t("softmax(").x(x).t(", dim=").num(axis, "dim").t(")"));
  return true;
}

/// Add, Sub, Mul, Div: of two tensors (broadcasting), or a tensor and a
/// number (netc's affine), or a tensor and a constant tensor (a param).
bool binary(Converter &c, const Node &n) {
  static const char *const kSym[] = {" + ", " - ", " * ", " / "};
  const std::string &op = n.op_type();
  const char *sym = kSym[op == "Add" ? 0 : op == "Sub" ? 1 : op == "Mul" ? 2 : 3];
  std::string a = c.input(n, 0), b = c.input(n, 1);
  const Const *ca = c.constant(a), *cb = c.constant(b);
  auto scalar = [](const Const *k) { return k && k->hasValues && k->values.size() == 1; };
  Expr e;
  if (scalar(cb))
    e.x(a).t(sym).num(numberText(cb->values[0]), "scale");
  else if (scalar(ca)) {
    if (op == "Div")
      return c.fail(n, "a number divided by a tensor: netc has no reciprocal layer");
    e.num(numberText(ca->values[0]), "scale").t(sym).x(b);
  } else {
    if (ca)
      a = c.paramOf(n, a);
    if (cb)
      b = c.paramOf(n, b);
    e.x(a).t(sym).x(b);
  }
  c.emit(n, {n.output(0)}, e);
  return true;
}

bool pool(Converter &c, const Node &n) {
  std::string x;
  if (!activation(c, n, 0, x))
    return false;
  if (n.op_type() == "GlobalAveragePool") {
    c.emit(n, {n.output(0)}, Expr().t("global_avg_pool(").x(x).t(")"));
    return true;
  }
  const bool avg = n.op_type() == "AveragePool";
  std::vector<int64_t> k = attrInts(n, "kernel_shape");
  if (k.size() != 2)
    return c.fail(n, "a pooling window over other than 2 dims");
  std::vector<int64_t> s = attrInts(n, "strides", {1, 1}), d = attrInts(n, "dilations", {1, 1});
  const std::vector<int64_t> *in = c.shape(x);
  std::vector<int64_t> p;
  if (!pads2d(c, n, in ? *in : std::vector<int64_t>{}, k, s, d, p))
    return false;
  if (p[0] != p[2] || p[1] != p[3])
    return c.fail(n, "asymmetric pads: netc's pooling pads both sides alike");
  if (!avg && n.output_size() > 1 && !c.consumers(n.output(1)).empty())
    return c.fail(n, "its indices are read: netc's max_pool2d has no such output");
  Expr e;
  e.t(avg ? "avg_pool2d(" : "max_pool2d(").x(x).t(", ").num(pairText(k[0], k[1]), "k");
  e.t(", stride=").num(pairText(s[0], s[1]), "stride");
  if (p[0] || p[1])
    e.t(", padding=").num(pairText(p[0], p[1]), "padding");
  if (!avg && d != std::vector<int64_t>{1, 1})
    e.t(", dilation=").num(pairText(d[0], d[1]), "dilation");
  if (attrInt(n, "ceil_mode", 0))
    e.t(", ceil_mode=true");
  if (avg && (p[0] || p[1]) && !attrInt(n, "count_include_pad", 0))
    e.t(", count_include_pad=false");
  c.emit(n, {n.output(0)}, e.t(")"));
  return true;
}

/// Attribute `a` of a node of netc's domain as the argument `, name=value`
/// of netc's parameter `p`, or false (after reporting) when its type does
/// not fit the parameter.
bool netcArgument(Converter &c, const Node &n, const ::onnx::AttributeProto &a,
                  const ir::ParamSpec &p, Expr &e) {
  using ir::ParamKind;
  using A = ::onnx::AttributeProto;
  const ParamKind k = p.kind;
  const bool isInt = a.type() == A::INT, number = isInt || a.type() == A::FLOAT;
  e.t(fmt::format(", {}=", p.name));
  if ((k == ParamKind::Int || k == ParamKind::OptInt) && isInt)
    e.num(a.i(), p.name);
  else if ((k == ParamKind::Float || k == ParamKind::OptFloat || k == ParamKind::Scalar) && number)
    e.num(isInt ? std::to_string(a.i()) : numberText(a.f()), p.name);
  else if (k == ParamKind::Bool && isInt)
    e.t(a.i() ? "true" : "false");
  else if (k == ParamKind::Str && a.type() == A::STRING && !a.s().empty() &&
           llvm::all_of(a.s(), [](char ch) { return llvm::isAlnum(ch) || ch == '_'; }))
    e.t("\"" + a.s() + "\"");
  else if ((k == ParamKind::IntPair || k == ParamKind::Ints || k == ParamKind::OptInts ||
            k == ParamKind::Padding) &&
           a.type() == A::INTS)
    e.num(listText({a.ints().begin(), a.ints().end()}, true), p.name);
  else
    return c.fail(n, fmt::format("attribute '{}' (ONNX type {}) does not fit netc's parameter "
                                 "'{}' ({})",
                                 a.name(), static_cast<int>(a.type()), p.name,
                                 ir::describeKind(k)));
  return true;
}

} // namespace

bool netcOp(Converter &c, const Node &n) {
  // "OP_K": the K-th function --emit=onnx wrote for netc's op OP.
  const auto [base, k] = llvm::StringRef(n.op_type()).rsplit('_');
  const ir::OpDef *op = !k.empty() && llvm::all_of(k, llvm::isDigit)
                            ? ir::OpTable::get().lookup(base)
                            : nullptr;
  if (!op)
    return c.fail(n, fmt::format("'{}' of domain {} is not netc's: the functions --emit=onnx "
                                 "writes are named OP_K after a netc op (attention_0)",
                                 n.op_type(), kNetcDomain));
  Expr e;
  e.t(op->name + "(");
  int tensors = 0;
  for (const ir::ParamSpec &p : op->params) {
    if (p.kind == ir::ParamKind::Tensors || p.kind == ir::ParamKind::Tied)
      return c.fail(n, fmt::format("netc's op {} takes a list of tensors or a tied weight, "
                                   "which its function call cannot carry",
                                   op->name));
    if (p.kind != ir::ParamKind::Tensor)
      continue;
    std::string x;
    if (!activation(c, n, tensors, x))
      return false;
    e.t(tensors++ ? ", " : "").x(x);
  }
  for (int i = tensors; i < n.input_size(); ++i) // the op's weights: netc's layer owns them
    if (!weight(c, n, i, 0))
      return false;
  for (const auto &a : n.attribute()) {
    auto p = llvm::find_if(op->params, [&](const ir::ParamSpec &s) { return s.name == a.name(); });
    if (p == op->params.end() || p->kind == ir::ParamKind::Tensor)
      return c.fail(n, fmt::format("attribute '{}' is not a parameter of netc's op {}", a.name(),
                                   op->name));
    if (!netcArgument(c, n, a, *p, e))
      return false;
  }
  c.emit(n, {n.output().begin(), n.output().end()}, e.t(")"));
  return true;
}

bool shapeOps(Converter &c, const Node &n);   // OnnxShapeOps.cpp
bool identity(Converter &c, const Node &n);   // OnnxShapeOps.cpp

Handler handlerFor(llvm::StringRef op) {
  static const llvm::StringMap<Handler> kHandlers = {
      {"Conv", conv},           {"ConvTranspose", conv},   {"BatchNormalization", batchnorm},
      {"Gemm", gemm},           {"MatMul", matmul},        {"Relu", unary},
      {"Sigmoid", unary},       {"Tanh", unary},           {"HardSwish", unary},       {"Erf", unary},
      {"HardSigmoid", hardSigmoid}, {"LeakyRelu", leakyRelu}, {"Clip", clip},
      {"Softmax", softmax},     {"Add", binary},           {"Sub", binary},
      {"Mul", binary},          {"Div", binary},           {"GlobalAveragePool", pool},
      {"AveragePool", pool},    {"MaxPool", pool},         {"Identity", identity},
      {"Dropout", identity},    {"Cast", identity},        {"Concat", shapeOps},
      {"Split", shapeOps},      {"Flatten", shapeOps},     {"Reshape", shapeOps},
      {"Squeeze", shapeOps},    {"Unsqueeze", shapeOps},   {"Transpose", shapeOps},
      {"Pad", shapeOps},        {"Resize", shapeOps},      {"Upsample", shapeOps},
      {"Gather", shapeOps},     {"Slice", shapeOps},       {"ReduceMean", shapeOps},
      {"LayerNormalization", shapeOps}};
  auto it = kHandlers.find(op);
  return it == kHandlers.end() ? nullptr : it->second;
}

} // namespace netc::onnximport::detail
