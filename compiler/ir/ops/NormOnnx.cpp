//===- NormOnnx.cpp - batchnorm, layernorm, groupnorm, rmsnorm in ONNX ------===//
//
// batchnorm is BatchNormalization and a layernorm over trailing dims
// LayerNormalization (opset 17); the others are decomposed into
// ReduceMean, Sub, Mul, Add, Sqrt and Div, exactly as the eval rules
// compute them: (x - mean) / sqrt(var + eps), var the biased variance.
//
//===----------------------------------------------------------------------===//
#include "ir/ops/OnnxForms.h"

namespace netc::ir {

namespace {

/// (x - mean) / sqrt(var + eps) over `axes` (kept as 1).
std::string normalize(OnnxBuilder &b, const std::string &x, const Ints &axes, double eps) {
  std::vector<OnnxAttr> reduce = {{"axes", axes}, {"keepdims", int64_t{1}}};
  std::string d = b.node("Sub", {x, b.node("ReduceMean", {x}, reduce)});
  std::string var = b.node("ReduceMean", {b.node("Mul", {d, d})}, reduce);
  return b.node("Div", {d, b.node("Sqrt", {b.node("Add", {var, b.scalar(eps)})})});
}

/// y * weight + bias, the weights (of `wshape`) reshaped to broadcast over
/// an input whose dims after them number `trailing`.
std::string scaleShift(const OnnxCall &c, std::string y, const Shape &wshape, size_t trailing) {
  if (c.w.empty())
    return y;
  Ints shape(wshape.begin(), wshape.end());
  shape.insert(shape.end(), trailing, 1);
  auto shaped = [&](const std::string &w) {
    return trailing == 0 ? w : onnxReshape(c.b, w, shape);
  };
  y = c.b.node("Mul", {y, shaped(c.w[0])});
  return c.b.node("Add", {y, shaped(c.w[1])});
}

Ints range(int64_t from, int64_t to) {
  Ints r;
  for (int64_t i = from; i < to; ++i)
    r.push_back(i);
  return r;
}

std::vector<double> filled(int64_t n, double v) { return std::vector<double>(size_t(n), v); }

} // namespace

// BatchNormalization(x, scale, B, mean, var); without affine, scale 1, B 0.
std::string batchnormOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  std::vector<std::string> ins = {c.in[0]};
  if (c.w.size() == 2) {
    const int64_t ch = c.inputs[0].shape[1];
    ins.push_back(c.b.floats({ch}, filled(ch, 1)));
    ins.push_back(c.b.floats({ch}, filled(ch, 0)));
  }
  ins.insert(ins.end(), c.w.begin(), c.w.end());
  out = {c.b.node("BatchNormalization", ins, {{"epsilon", c.attrs.getFloat("eps")}})};
  return "";
}

// Over trailing dims: LayerNormalization(x, scale[, B]), axis = the first
// normalized dim; over `dims` elsewhere (LayerNorm2d): decomposed.
std::string layernormOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const int64_t rank = static_cast<int64_t>(c.inputs[0].rank());
  const Ints &shape = c.attrs.getInts("shape");
  const double eps = c.attrs.getFloat("eps");
  if (const auto *dims = std::get_if<Ints>(c.attrs.find("dims")); dims && dims->back() != rank - 1) {
    std::string y = normalize(c.b, c.in[0], *dims, eps);
    Shape wshape(shape.begin(), shape.end());
    out = {scaleShift(c, y, wshape, size_t(rank - 1 - dims->back()))};
    return "";
  }
  std::vector<std::string> ins = {c.in[0]};
  if (c.w.empty()) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    ins.push_back(c.b.floats(shape, filled(n, 1)));
  }
  ins.insert(ins.end(), c.w.begin(), c.w.end());
  out = {c.b.node("LayerNormalization", ins,
                  {{"axis", rank - int64_t(shape.size())}, {"epsilon", eps}})};
  return "";
}

// GroupNorm: x as [N, G, rest], normalized over rest, back to x's shape,
// then the per-channel weight and bias.
std::string groupnormOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const Shape &x = c.inputs[0].shape;
  const int64_t groups = c.attrs.getInt("groups");
  int64_t rest = 1;
  for (size_t i = 1; i < x.size(); ++i)
    rest *= x[i];
  std::string g = onnxReshape(c.b, c.in[0], {x[0], groups, rest / groups});
  std::string y = normalize(c.b, g, {2}, c.attrs.getFloat("eps"));
  y = onnxReshape(c.b, y, x);
  out = {scaleShift(c, y, {x[1]}, x.size() - 2)};
  return "";
}

// x / sqrt(mean(x^2) + eps) * weight over the trailing dims `shape`.
std::string rmsnormOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  OnnxBuilder &b = c.b;
  const std::string &x = c.in[0];
  const int64_t rank = static_cast<int64_t>(c.inputs[0].rank());
  const int64_t k = static_cast<int64_t>(c.attrs.getInts("shape").size());
  std::string ms = b.node("ReduceMean", {b.node("Mul", {x, x})},
                          {{"axes", range(rank - k, rank)}, {"keepdims", int64_t{1}}});
  std::string rms = b.node("Sqrt", {b.node("Add", {ms, b.scalar(c.attrs.getFloat("eps"))})});
  std::string y = b.node("Div", {x, rms});
  out = {c.w.empty() ? y : b.node("Mul", {y, c.w[0]})};
  return "";
}

} // namespace netc::ir
