//===- PoolOnnx.cpp - pooling, pad and upsample in ONNX ---------------------===//
//
// max_pool2d, avg_pool2d: MaxPool, AveragePool (pads [ph, pw, ph, pw]);
// global_avg_pool: GlobalAveragePool; adaptive_avg_pool2d where its windows
// are even (the input a multiple of the output): AveragePool, else no form.
// pad: Pad (constant, reflect; replicate is "edge"; circular needs opset 19).
// upsample: Resize as torch.nn.functional.interpolate computes it (nearest:
// asymmetric coordinates, floor; bilinear: pytorch_half_pixel), by the
// scale when one was given (PyTorch then uses 1/scale), else by the size.
//
//===----------------------------------------------------------------------===//
#include "ir/ops/OnnxForms.h"

#include <fmt/format.h>

namespace netc::ir {

namespace {

/// The window attributes of a max or average pool, or why ONNX cannot
/// have it: ONNX's ceil mode lacks PyTorch's rule that the last window
/// starts inside the input or the left padding.
std::string windowAttrs(const OnnxCall &c, std::vector<OnnxAttr> &attrs) {
  const Ints &k = c.attrs.getInts("k"), &s = c.attrs.getInts("stride"),
             &p = c.attrs.getInts("padding");
  const bool ceil = c.attrs.getBool("ceil_mode");
  const Ints d = c.attrs.has("dilation") ? c.attrs.getInts("dilation") : Ints{1, 1};
  for (int i = 0; i < 2; ++i) {
    const int64_t span = c.inputs[0].shape[size_t(2 + i)] + 2 * p[size_t(i)] -
                         d[size_t(i)] * (k[size_t(i)] - 1) - 1;
    const int64_t onnx = (ceil ? (span + s[size_t(i)] - 1) / s[size_t(i)] : span / s[size_t(i)]) + 1;
    if (onnx != c.outputs[0].shape[size_t(2 + i)])
      return "ceil_mode with a last window starting in the padding (PyTorch drops it, ONNX "
             "does not)";
  }
  attrs = {{"kernel_shape", k}, {"strides", s}, {"pads", Ints{p[0], p[1], p[0], p[1]}}};
  if (ceil)
    attrs.push_back({"ceil_mode", int64_t{1}});
  if (c.attrs.has("dilation"))
    attrs.push_back({"dilations", d});
  return "";
}

} // namespace

std::string maxPoolOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  std::vector<OnnxAttr> attrs;
  if (std::string why = windowAttrs(c, attrs); !why.empty())
    return why;
  out = {c.b.node("MaxPool", {c.in[0]}, std::move(attrs))};
  return "";
}

std::string avgPoolOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  std::vector<OnnxAttr> attrs;
  if (std::string why = windowAttrs(c, attrs); !why.empty())
    return why;
  attrs.push_back({"count_include_pad", int64_t{c.attrs.getBool("count_include_pad")}});
  out = {c.b.node("AveragePool", {c.in[0]}, std::move(attrs))};
  return "";
}

std::string globalAvgPoolOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("GlobalAveragePool", {c.in[0]})};
  return "";
}

std::string adaptiveAvgPoolOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  if (y[2] == 1 && y[3] == 1)
    return globalAvgPoolOnnx(c, out);
  if (x[2] % y[2] != 0 || x[3] % y[3] != 0)
    return fmt::format("output {}x{} does not divide input {}x{} (uneven adaptive windows)", y[2],
                       y[3], x[2], x[3]);
  const Ints k = {x[2] / y[2], x[3] / y[3]};
  out = {c.b.node("AveragePool", {c.in[0]}, {{"kernel_shape", k}, {"strides", k}})};
  return "";
}

std::string padOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const std::string &mode = c.attrs.getStr("mode");
  if (mode == "circular")
    return "circular padding (ONNX's \"wrap\" needs opset 19)";
  const Ints &pads = c.attrs.getInts("pads");
  const size_t rank = c.inputs[0].rank();
  Ints onnx(2 * rank, 0);
  for (size_t i = 0; i < pads.size() / 2; ++i) {
    const size_t d = rank - 1 - i;
    onnx[d] = pads[2 * i];
    onnx[rank + d] = pads[2 * i + 1];
  }
  std::vector<std::string> ins = {c.in[0], c.b.ints(onnx)};
  if (mode == "constant")
    ins.push_back(c.b.scalar(c.attrs.getFloat("value")));
  out = {c.b.node("Pad", ins, {{"mode", mode == "replicate" ? std::string("edge") : mode}})};
  return "";
}

std::string upsampleOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  OnnxBuilder &b = c.b;
  std::vector<OnnxAttr> attrs;
  if (c.attrs.getStr("mode") == "bilinear") {
    attrs = {{"mode", std::string("linear")},
             {"coordinate_transformation_mode", std::string("pytorch_half_pixel")}};
  } else {
    attrs = {{"mode", std::string("nearest")},
             {"coordinate_transformation_mode", std::string("asymmetric")},
             {"nearest_mode", std::string("floor")}};
  }
  std::vector<std::string> ins = {c.in[0], ""};
  if (!c.attrs.isNone("scale")) {
    const double s = c.attrs.getFloat("scale");
    ins.push_back(b.floats({4}, {1, 1, s, s}));
  } else {
    ins.push_back("");
    ins.push_back(b.ints(c.outputs[0].shape));
  }
  out = {b.node("Resize", ins, std::move(attrs))};
  return "";
}

} // namespace netc::ir
