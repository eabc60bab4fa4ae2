//===- Moe.cpp - moe, Mixtral's sparse mixture of experts ----------------------===//
//
// Router and top_k gated-MLP experts on [..., d]; the expert activation is an
// op of the table.
//
//===----------------------------------------------------------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace netc::ir {

namespace {

int64_t elements(const TensorType &t) { return t.numElements().value_or(0); }

// ---- moe -------------------------------------------------------------------

/// moe's expert activation `act`, an op of the table: one that takes one
/// tensor and nothing else required, elementwise, with a scalar rule (silu,
/// gelu, relu, relu6, tanh, ...); null otherwise. Its attributes are its
/// defaults (`attrs`). Its FLOPs, eval and emitted expression are its own.
const OpDef *gateActivation(const std::string &act, Attrs &attrs) {
  const OpDef *op = OpTable::get().lookup(act);
  if (!op || op->pattern != PatternKind::Elementwise || !op->scalar || op->params.empty() ||
      op->params[0].kind != ParamKind::Tensor)
    return nullptr;
  for (size_t i = 1; i < op->params.size(); ++i)
    if (op->params[i].kind == ParamKind::Tensor || op->params[i].required)
      return nullptr;
  return bindAttrs(*op, {}, attrs).empty() ? op : nullptr;
}

/// FLOPs per element of the activation (its op's cost rule on one element).
int64_t actFlops(const std::string &act) {
  Attrs attrs;
  const OpDef *op = gateActivation(act, attrs);
  if (!op)
    return 0;
  const TensorType one{Shape{1}, DType::F32};
  OpCall call{*op, one, attrs};
  OpWork w;
  return op->cost(call, one, w).empty() ? w.elementwiseFlops : 0;
}

// moe: Mixtral's sparse mixture-of-experts block on [..., d]: a router
// (linear d -> experts, no bias) picks each token's top_k experts; each
// expert is a gated MLP w2(act(w1 x) * w3 x) (no biases).
std::string moeShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() == 0)
    return fmt::format("expects an input of at least 1 dimension [..., d], got {}", shapeText(x));
  const int64_t e = c.attrs.getInt("experts"), k = c.attrs.getInt("top_k");
  if (e <= 0)
    return fmt::format("experts must be positive, got {}", e);
  if (k <= 0 || k > e)
    return fmt::format("top_k must be between 1 and experts {}, got {}", e, k);
  if (c.attrs.getInt("hidden") <= 0)
    return fmt::format("hidden must be positive, got {}", c.attrs.getInt("hidden"));
  Attrs actAttrs;
  if (!gateActivation(c.attrs.getStr("act"), actAttrs))
    return fmt::format("act \"{}\" is not an elementwise activation op (silu, gelu, relu, ...)",
                       c.attrs.getStr("act"));
  if (!checkedProduct({x.shape.back(), c.attrs.getInt("hidden"), 3, e}) ||
      !checkedProduct({elements(x), x.shape.back(), e + 3 * k * c.attrs.getInt("hidden")}))
    return "the experts' sizes overflow 64-bit integers";
  outs.push_back(x);
  return "";
}

// Hugging Face's Mixtral names: block_sparse_moe.gate.weight and
// block_sparse_moe.experts.{i}.w1/w2/w3.weight.
void moeWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  const int64_t d = c.inputs[0].shape.back(), hidden = c.attrs.getInt("hidden");
  ws.push_back({"gate.weight", {c.attrs.getInt("experts"), d}, true});
  for (int64_t i = 0; i < c.attrs.getInt("experts"); ++i) {
    ws.push_back({fmt::format("experts.{}.w1.weight", i), {hidden, d}, true});
    ws.push_back({fmt::format("experts.{}.w2.weight", i), {d, hidden}, true});
    ws.push_back({fmt::format("experts.{}.w3.weight", i), {hidden, d}, true});
  }
}

// Per token: the router (d x experts MACs) and top_k experts (3 d hidden
// MACs each); elementwise: the softmax of the top_k logits (5 each), per
// active expert the activation and the gate product over hidden, and the
// routing weight's scale and the sum over d.
std::string moeCost(const OpCall &c, llvm::ArrayRef<TensorType>, OpWork &w) {
  const int64_t d = c.inputs[0].shape.back(), tokens = elements(c.inputs[0]) / d;
  const int64_t e = c.attrs.getInt("experts"), k = c.attrs.getInt("top_k");
  const int64_t hidden = c.attrs.getInt("hidden");
  auto macs = checkedProduct({tokens, d * e + k * 3 * d * hidden});
  auto flops = checkedProduct({tokens, 5 * k + k * (hidden * (actFlops(c.attrs.getStr("act")) + 1) + 2 * d)});
  auto dots = checkedProduct({tokens, e + k * (2 * hidden + d)});
  if (!macs || !flops || !dots)
    return "MAC count overflows 64-bit integers";
  w.macs = *macs;
  w.elementwiseFlops = *flops;
  w.dotProducts = *dots;
  return "";
}

std::optional<int64_t> moeActive(const OpCall &c) {
  const int64_t d = c.inputs[0].shape.back(), hidden = c.attrs.getInt("hidden");
  return checkedProduct({d, c.attrs.getInt("experts") + 3 * c.attrs.getInt("top_k") * hidden});
}

// The router, and the experts the tokens are routed to: top_k per token,
// at most all of them (decode of one token reads top_k experts; a prompt of
// many tokens touches all of them).
std::optional<int64_t> moeReads(const OpCall &c, int64_t batch) {
  const int64_t d = c.inputs[0].shape.back(), e = c.attrs.getInt("experts");
  auto tokens = checkedProduct({elements(c.inputs[0]) / d, batch, c.attrs.getInt("top_k")});
  if (!tokens)
    return std::nullopt;
  auto experts = checkedProduct({std::min(*tokens, e), 3, d, c.attrs.getInt("hidden")});
  return experts ? checkedAdd(*experts, d * e) : std::nullopt;
}

// Mixtral's routing: softmax over the experts, the top_k kept and their
// weights renormalized, which equals a softmax over the top_k logits. Ties
// pick the lower expert index.
void moeEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
             llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t d = static_cast<size_t>(x.shape.back());
  const size_t e = static_cast<size_t>(c.attrs.getInt("experts"));
  const size_t k = static_cast<size_t>(c.attrs.getInt("top_k"));
  const size_t hidden = static_cast<size_t>(c.attrs.getInt("hidden"));
  Attrs actAttrs;
  const OpDef &act = *gateActivation(c.attrs.getStr("act"), actAttrs); // checked by the shape rule
  const TensorType hiddenType{Shape{static_cast<int64_t>(hidden)}, DType::F32};
  const OpCall actCall{act, hiddenType, actAttrs};
  const Buffer &gate = *ws[0];
  std::vector<double> logits(e), b(hidden);
  Buffer pre(Shape{static_cast<int64_t>(hidden)});
  std::vector<Buffer> post{Buffer(pre.shape)};
  std::vector<size_t> order(e);
  for (size_t t = 0; t < x.size() / d; ++t) {
    const double *xt = x.data.data() + t * d;
    double *yt = outs[0].data.data() + t * d;
    for (size_t j = 0; j < e; ++j) {
      logits[j] = 0;
      for (size_t i = 0; i < d; ++i)
        logits[j] += xt[i] * gate.data[j * d + i];
    }
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return logits[a] > logits[b]; });
    double sum = 0;
    for (size_t r = 0; r < k; ++r)
      sum += std::exp(logits[order[r]] - logits[order[0]]);
    std::fill(yt, yt + d, 0.0);
    for (size_t r = 0; r < k; ++r) {
      const size_t j = order[r];
      const double weight = std::exp(logits[j] - logits[order[0]]) / sum;
      const Buffer &w1 = *ws[1 + 3 * j], &w2 = *ws[2 + 3 * j], &w3 = *ws[3 + 3 * j];
      for (size_t o = 0; o < hidden; ++o) {
        pre.data[o] = b[o] = 0;
        for (size_t i = 0; i < d; ++i) {
          pre.data[o] += xt[i] * w1.data[o * d + i];
          b[o] += xt[i] * w3.data[o * d + i];
        }
      }
      act.eval(actCall, {&pre}, {}, post); // the activation's own eval rule
      for (size_t i = 0; i < d; ++i) {
        double acc = 0;
        for (size_t o = 0; o < hidden; ++o)
          acc += w2.data[i * hidden + o] * post[0].data[o] * b[o];
        yt[i] += weight * acc;
      }
    }
  }
}

// Per token: the router's logits, the top_k picked by repeated arg-max (the
// lower index on ties, as moeEval), their softmax, and each picked expert's
// gated MLP accumulated into the d outputs.
std::string moeKernel(KernelCall &c, CodeWriter &w) {
  const int64_t d = c.inputs[0].shape.back(), e = c.attrs.getInt("experts");
  const int64_t k = c.attrs.getInt("top_k"), hidden = c.attrs.getInt("hidden");
  int64_t tokens = 1;
  for (int64_t x : c.inputs[0].shape)
    tokens *= x;
  tokens /= d;
  // The weights of expert j: w[1 + 3j] (w1), w[2 + 3j] (w2), w[3 + 3j] (w3).
  auto table = [&](int offset) {
    std::string t = "{";
    for (int64_t j = 0; j < e; ++j)
      t += (j ? ", " : "") + c.w[static_cast<size_t>(offset + 3 * j)];
    return t + "}";
  };
  c.name = fmt::format("moe_e{}_k{}_h{}", e, k, hidden);
  w.line("const T *const w1s[{}] = {};", e, table(1));
  w.line("const T *const w2s[{}] = {};", e, table(2));
  w.line("const T *const w3s[{}] = {};", e, table(3));
  w.forLoop("t", tokens);
  w.line("const T *xt = {} + t * {};", c.in[0], d);
  w.line("T logit[{}];", e);
  w.forLoop("j", e);
  w.line("T s = T(0);");
  w.forLoop("i", d);
  w.line("s += xt[i] * {}[j * {} + i];", c.w[0], d);
  w.close();
  w.line("logit[j] = s;");
  w.close();
  w.line("bool used[{}] = {{}};", e);
  w.line("i64 pick[{}];", k);
  w.forLoop("r", k);
  w.line("i64 best = -1;");
  w.forLoop("j", e);
  w.line("if (!used[j] && (best < 0 || logit[j] > logit[best])) best = j;");
  w.close();
  w.line("used[best] = true;");
  w.line("pick[r] = best;");
  w.close();
  w.line("T sum = T(0);");
  w.forLoop("r", k);
  w.line("sum += std::exp(logit[pick[r]] - logit[pick[0]]);");
  w.close();
  w.line("T acc[{}] = {{}};", d);
  w.line("T h[{}];", hidden);
  w.forLoop("r", k);
  w.line("const i64 j = pick[r];");
  w.line("const T weight = std::exp(logit[j] - logit[pick[0]]) / sum;");
  w.forLoop("o", hidden);
  w.line("T a = T(0), b = T(0);");
  w.forLoop("i", d);
  w.line("a += xt[i] * w1s[j][o * {0} + i];", d);
  w.line("b += xt[i] * w3s[j][o * {0} + i];", d);
  w.close();
  Attrs actAttrs;
  const OpDef &act = *gateActivation(c.attrs.getStr("act"), actAttrs); // checked by the shape rule
  w.line("h[o] = ({}) * b;", act.scalar(actAttrs, {std::string("a")}));
  w.close();
  w.forLoop("i", d);
  w.line("T s = T(0);");
  w.forLoop("o", hidden);
  w.line("s += w2s[j][i * {} + o] * h[o];", hidden);
  w.close();
  w.line("acc[i] += weight * s;");
  w.close();
  w.close();
  w.forLoop("i", d);
  c.store(w, 0, fmt::format("t * {} + i", d), "acc[i]");
  w.close();
  w.close();
  return "";
}

// ONNX: every expert on every token, weighted by a gate that is zero but for
// the token's top_k (the same outputs as routing; ties may pick another
// expert than the stable sort). x as [T, d]; logits = x gate^T; TopK, then
// Softmax of the top logits scattered into zeros [T, experts]; the sum over
// experts j of gate[:, j] * (act(x w1^T) * x w3^T) w2^T; back to x's shape.
std::string moeOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  OnnxBuilder &b = c.b;
  const Shape &shape = c.inputs[0].shape;
  const int64_t d = shape.back(), experts = c.attrs.getInt("experts");
  const int64_t tokens = dimsProduct(shape, 0, shape.size()) / d;
  auto times = [&](const std::string &x, const std::string &w) {
    return b.node("MatMul", {x, b.node("Transpose", {w}, {{"perm", Ints{1, 0}}})});
  };
  std::string x = onnxReshape(b, c.in[0], {tokens, d});
  std::vector<std::string> top = b.nodes("TopK", {times(x, c.w[0]), b.ints({c.attrs.getInt("top_k")})},
                                         {{"axis", int64_t{-1}}}, 2);
  std::string p = b.node("Softmax", {top[0]}, {{"axis", int64_t{-1}}});
  std::string zeros = b.floats({tokens, experts}, std::vector<double>(size_t(tokens * experts), 0.0));
  std::string gates = b.node("ScatterElements", {zeros, top[1], p}, {{"axis", int64_t{1}}});
  Attrs actAttrs;
  const OpDef &act = *gateActivation(c.attrs.getStr("act"), actAttrs);
  const TensorType hiddenType{Shape{tokens, c.attrs.getInt("hidden")}, c.inputs[0].dtype};
  std::string sum;
  for (int64_t j = 0; j < experts; ++j) {
    std::vector<std::string> a;
    if (!act.onnx)
      return "its activation '" + act.name + "' has no ONNX form";
    std::string pre = times(x, c.w[size_t(1 + 3 * j)]);
    if (std::string why = act.onnx({act, actAttrs, hiddenType, hiddenType, {}, {pre}, {}, b}, a);
        !why.empty())
      return why;
    std::string y = times(b.node("Mul", {a[0], times(x, c.w[size_t(3 + 3 * j)])}), c.w[size_t(2 + 3 * j)]);
    std::string g = b.node("Slice", {gates, b.ints({j}), b.ints({j + 1}), b.ints({1})});
    y = b.node("Mul", {y, g});
    sum = sum.empty() ? y : b.node("Add", {sum, y});
  }
  out = {onnxReshape(b, sum, shape)};
  return "";
}

} // namespace

void registerMoeOps(OpTable &t) {
  OpDef &moe = t.add({"moe",
                      {{"x", ParamKind::Tensor},
                       {"experts", ParamKind::Int},
                       {"top_k", ParamKind::Int},
                       {"hidden", ParamKind::Int},
                       {"act", ParamKind::Str, false, std::string("silu")}},
                      PatternKind::OutElementwiseFusable,
                      moeShape,
                      moeWeights,
                      "sparse mixture of experts (Mixtral): router d -> experts, top_k gated "
                      "MLPs w2(act(w1 x) * w3 x) per token",
                      moeCost,
                      "MACs = tokens x (d x experts + top_k x 3 x d x hidden) (active experts "
                      "only); + per token 5 top_k + top_k x (hidden x (act + 1) + 2 d)"});
  moe.eval = moeEval;
  moe.kernel = moeKernel;
  moe.onnx = moeOnnx;
  moe.onnxFunction = true;
  moe.weightReads = moeReads;
  moe.activeParams = moeActive;
  moe.dnnl.why = "oneDNN 2.6 has no mixture-of-experts primitive";
}

} // namespace netc::ir
