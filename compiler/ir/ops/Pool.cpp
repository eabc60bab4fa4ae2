//===- Pool.cpp - max_pool2d, avg_pool2d, adaptive and global pooling -------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

namespace netc::ir {

namespace {

std::string checkNCHW(const OpCall &c) {
  const TensorType &x = c.inputs[0];
  if (x.rank() != 4)
    return fmt::format("expects a 4-D input [N, C, H, W], got {}", shapeText(x));
  return "";
}

/// Resolves a pool's stride (none: the kernel; n or [n]: [n, n]; [sh, sw])
/// into `out`. Returns an error message or "".
std::string resolveStride(const AttrValue &v, const Ints &k, Ints &out) {
  if (std::holds_alternative<NoneAttr>(v)) {
    out = k;
    return "";
  }
  if (const auto *i = std::get_if<int64_t>(&v)) {
    out = {*i, *i};
    return "";
  }
  const Ints &s = std::get<Ints>(v);
  if (s.size() == 1)
    out = {s[0], s[0]};
  else if (s.size() == 2)
    out = s;
  else
    return fmt::format("stride {} must be none, an int or a pair of ints", formatAttrValue(v));
  return "";
}

// max_pool2d and avg_pool2d: PyTorch's window size with its ceil_mode rule
// (windowOutputSize); padding is at most half the kernel (PyTorch's
// pool2d_shape_check, whatever the dilation). Normalizes stride to [sh, sw].
std::string windowPoolShape(OpCall &c, std::vector<TensorType> &outs) {
  if (std::string e = checkNCHW(c); !e.empty())
    return e;
  const TensorType &x = c.inputs[0];
  const bool hasDilation = c.attrs.has("dilation");
  const Ints &k = c.attrs.getInts("k");
  const Ints &p = c.attrs.getInts("padding");
  const Ints d = hasDilation ? c.attrs.getInts("dilation") : Ints{1, 1};
  Ints s;
  if (std::string e = resolveStride(*c.attrs.find("stride"), k, s); !e.empty())
    return e;
  const std::pair<const char *, const Ints *> positive[] = {
      {"k", &k}, {"stride", &s}, {"dilation", &d}};
  for (const auto &[name, vals] : positive)
    for (int64_t v : *vals)
      if (v <= 0)
        return fmt::format("{} must be positive, got {}", name, formatAttrValue(*vals));
  for (int i = 0; i < 2; ++i) {
    if (p[i] < 0)
      return fmt::format("padding must not be negative, got {}", formatAttrValue(p));
    if (p[i] > k[i] / 2)
      return fmt::format("pad should be at most half of kernel size, but got padding {} and "
                         "kernel {}",
                         formatAttrValue(p), formatAttrValue(k));
  }
  const bool ceilMode = c.attrs.getBool("ceil_mode");
  const int64_t in[2] = {x.shape[2], x.shape[3]};
  int64_t hw[2];
  for (int i = 0; i < 2; ++i) {
    auto o = windowOutputSize(in[i], k[i], s[i], p[i], p[i], d[i], ceilMode);
    if (!o)
      return "spatial size overflows 64-bit integers";
    if (*o <= 0)
      return fmt::format("output {} would be {} (input {} {}, kernel {}, stride {}, padding {}{})",
                         i ? "width" : "height", *o, i ? "width" : "height", in[i], k[i], s[i],
                         p[i], hasDilation ? fmt::format(", dilation {}", d[i]) : "");
    hw[i] = *o;
  }
  c.attrs.set("stride", s);
  outs.push_back({{x.shape[0], x.shape[1], hw[0], hw[1]}, x.dtype});
  return "";
}

// adaptive_avg_pool2d: [N, C, H, W] -> [N, C, size]; an output larger than
// the input is allowed (windows overlap), as in PyTorch.
std::string adaptiveAvgPool2dShape(OpCall &c, std::vector<TensorType> &outs) {
  if (std::string e = checkNCHW(c); !e.empty())
    return e;
  const TensorType &x = c.inputs[0];
  const Ints &size = c.attrs.getInts("size");
  for (int64_t v : size)
    if (v <= 0)
      return fmt::format("output size must be positive, got {}", formatAttrValue(size));
  TensorType y{{x.shape[0], x.shape[1], size[0], size[1]}, x.dtype};
  if (!y.numElements())
    return fmt::format("the output {} has more elements than 64-bit integers can count",
                       shapeText(y));
  outs.push_back(std::move(y));
  return "";
}

// global_avg_pool: [N, C, H, W] -> [N, C, 1, 1] (torch.nn.AdaptiveAvgPool2d(1)).
std::string globalAvgPoolShape(OpCall &c, std::vector<TensorType> &outs) {
  if (std::string e = checkNCHW(c); !e.empty())
    return e;
  const TensorType &x = c.inputs[0];
  outs.push_back({{x.shape[0], x.shape[1], 1, 1}, x.dtype});
  return "";
}

} // namespace

void registerPoolOps(OpTable &t) {
  t.add({"max_pool2d",
         {{"x", ParamKind::Tensor},
          {"k", ParamKind::IntPair},
          {"stride", ParamKind::OptInts, false, NoneAttr{}},
          {"padding", ParamKind::IntPair, false, int64_t{0}},
          {"dilation", ParamKind::IntPair, false, int64_t{1}},
          {"ceil_mode", ParamKind::Bool, false, false}},
         PatternKind::Reduce,
         windowPoolShape,
         nullptr,
         "2-D max pooling (torch.nn.MaxPool2d); stride defaults to the kernel"});
  t.add({"avg_pool2d",
         {{"x", ParamKind::Tensor},
          {"k", ParamKind::IntPair},
          {"stride", ParamKind::OptInts, false, NoneAttr{}},
          {"padding", ParamKind::IntPair, false, int64_t{0}},
          {"ceil_mode", ParamKind::Bool, false, false},
          {"count_include_pad", ParamKind::Bool, false, true}},
         PatternKind::Reduce,
         windowPoolShape,
         nullptr,
         "2-D average pooling (torch.nn.AvgPool2d); stride defaults to the kernel"});
  t.add({"adaptive_avg_pool2d",
         {{"x", ParamKind::Tensor}, {"size", ParamKind::IntPair}},
         PatternKind::Reduce,
         adaptiveAvgPool2dShape,
         nullptr,
         "average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d)"});
  t.add({"global_avg_pool",
         {{"x", ParamKind::Tensor}},
         PatternKind::Reduce,
         globalAvgPoolShape,
         nullptr,
         "mean over H and W, keeping them as 1: [N, C, 1, 1] (torch.nn.AdaptiveAvgPool2d(1))"});
}

} // namespace netc::ir
