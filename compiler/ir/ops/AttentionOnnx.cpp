//===- AttentionOnnx.cpp - rotary and attention in ONNX ---------------------===//
//
// Opset 17 has neither op; both are written out as the eval rules compute
// them:
//  - rotary: x as [B, S, H, D], x * cos + rotate_half(x) * sin with
//    rotate_half(x) = concat(-x[D/2:], x[:D/2]) and constant tables cos,
//    sin [S, 1, D] of angle (past + s) * base^(-2i/D), i = d mod D/2;
//  - attention: q, k, v to [B, heads, S, D] (kv heads repeated for grouped
//    queries: Expand), softmax(q k^T * scale + mask) v, the causal mask a
//    constant 0 / -inf [Sq, Skv]; back to [B, Sq, heads * D]. Cached tokens
//    (past > 0) live in a KV cache that is not a tensor of the graph: no form.
//
//===----------------------------------------------------------------------===//
#include "ir/ops/OnnxForms.h"

#include <cmath>
#include <limits>

namespace netc::ir {

std::string rotaryOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  OnnxBuilder &b = c.b;
  const Shape &x = c.inputs[0].shape;
  const int64_t heads = c.attrs.getInt("heads"), d = x[2] / heads, half = d / 2, s = x[1];
  const double base = c.attrs.getFloat("base"), past = double(c.attrs.getInt("past"));
  std::vector<double> cosT, sinT;
  for (int64_t p = 0; p < s; ++p)
    for (int64_t i = 0; i < d; ++i) {
      const double angle = (past + double(p)) * std::pow(base, -2.0 * double(i % half) / double(d));
      cosT.push_back(std::cos(angle));
      sinT.push_back(std::sin(angle));
    }
  std::string x4 = onnxReshape(b, c.in[0], {x[0], s, heads, d});
  std::vector<std::string> halves =
      b.nodes("Split", {x4, b.ints({half, half})}, {{"axis", int64_t{-1}}}, 2);
  std::string rot =
      b.node("Concat", {b.node("Neg", {halves[1]}), halves[0]}, {{"axis", int64_t{-1}}});
  std::string y = b.node("Add", {b.node("Mul", {x4, b.floats({s, 1, d}, cosT)}),
                                 b.node("Mul", {rot, b.floats({s, 1, d}, sinT)})});
  out = {onnxReshape(b, y, x)};
  return "";
}

namespace {

/// [B, S, n * D] -> [B, n, S, D] (or [B, n, D, S] with `keys`), each of the
/// n heads repeated `group` times.
std::string heads(OnnxBuilder &b, const std::string &t, const Shape &shape, int64_t n, int64_t d,
                  int64_t group, bool keys) {
  const int64_t batch = shape[0], s = shape[1];
  std::string y = onnxReshape(b, t, {batch, s, n, d});
  y = b.node("Transpose", {y}, {{"perm", keys ? Ints{0, 2, 3, 1} : Ints{0, 2, 1, 3}}});
  if (group == 1)
    return y;
  const Ints last = keys ? Ints{d, s} : Ints{s, d};
  y = onnxReshape(b, y, {batch, n, 1, last[0], last[1]});
  y = b.node("Expand", {y, b.ints({batch, n, group, last[0], last[1]})});
  return onnxReshape(b, y, {batch, n * group, last[0], last[1]});
}

} // namespace

std::string attentionOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  if (c.attrs.getInt("past") > 0)
    return "a KV cache of past tokens, which is not a tensor of the graph";
  OnnxBuilder &b = c.b;
  const Shape &q = c.inputs[0].shape, &k = c.inputs[1].shape;
  const int64_t h = c.attrs.getInt("heads");
  const int64_t kvh = c.attrs.isNone("kv_heads") ? h : c.attrs.getInt("kv_heads");
  const int64_t d = q[2] / h, sq = q[1], skv = k[1];
  const double scale =
      c.attrs.isNone("scale") ? 1.0 / std::sqrt(double(d)) : c.attrs.getFloat("scale");
  std::string qh = heads(b, c.in[0], q, h, d, 1, false);
  std::string kh = heads(b, c.in[1], k, kvh, d, h / kvh, true);
  std::string vh = heads(b, c.in[2], c.inputs[2].shape, kvh, d, h / kvh, false);
  std::string scores = b.node("Mul", {b.node("MatMul", {qh, kh}), b.scalar(scale)});
  if (c.attrs.getBool("causal")) {
    std::vector<double> mask;
    for (int64_t i = 0; i < sq; ++i)
      for (int64_t j = 0; j < skv; ++j)
        mask.push_back(j > i ? -std::numeric_limits<double>::infinity() : 0.0);
    scores = b.node("Add", {scores, b.floats({sq, skv}, mask)});
  }
  std::string p = b.node("Softmax", {scores}, {{"axis", int64_t{-1}}});
  std::string y = b.node("Transpose", {b.node("MatMul", {p, vh})}, {{"perm", Ints{0, 2, 1, 3}}});
  out = {onnxReshape(b, y, c.outputs[0].shape)};
  return "";
}

} // namespace netc::ir
