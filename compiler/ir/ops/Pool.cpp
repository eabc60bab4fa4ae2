//===- Pool.cpp - max_pool2d, avg_pool2d, adaptive and global pooling -------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

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

/// `n` FLOPs for each output element, n = f(kernel area).
std::string windowCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w, bool isMax) {
  const Ints &k = c.attrs.getInts("k");
  auto area = checkedMul(k[0], k[1]);
  if (!area)
    return "FLOP count overflows 64-bit integers";
  return flopsPerOutputElement(isMax ? *area - 1 : *area, outs, w);
}

// max_pool2d: kh*kw - 1 comparisons per output element.
std::string maxPoolCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  return windowCost(c, outs, w, true);
}

// avg_pool2d: kh*kw - 1 adds and 1 divide per output element.
std::string avgPoolCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  return windowCost(c, outs, w, false);
}

/// Sum of PyTorch's adaptive window lengths along one dim: output i covers
/// [floor(i*in/out), ceil((i+1)*in/out)).
int64_t adaptiveSpan(int64_t in, int64_t out) {
  int64_t sum = 0;
  for (int64_t i = 0; i < out; ++i)
    sum += ceilDiv((i + 1) * in, out) - floorDiv(i * in, out);
  return sum;
}

// adaptive_avg_pool2d: each output averages its window: window-size FLOPs.
std::string adaptiveAvgPoolCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  const TensorType &x = c.inputs[0];
  const Ints &size = c.attrs.getInts("size");
  auto f = checkedProduct({x.shape[0], x.shape[1], adaptiveSpan(x.shape[2], size[0]),
                           adaptiveSpan(x.shape[3], size[1])});
  if (!f)
    return "FLOP count overflows 64-bit integers";
  w.elementwiseFlops = *f;
  (void)outs;
  return "";
}

// global_avg_pool: H*W - 1 adds and 1 divide per output: one FLOP per input.
std::string globalAvgPoolCost(const OpCall &c, llvm::ArrayRef<TensorType>, OpWork &w) {
  auto f = c.inputs[0].numElements();
  if (!f)
    return "FLOP count overflows 64-bit integers";
  w.elementwiseFlops = *f;
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
         "2-D max pooling (torch.nn.MaxPool2d); stride defaults to the kernel",
         maxPoolCost,
         "kh*kw - 1 FLOPs (comparisons) per output element"});
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
         "2-D average pooling (torch.nn.AvgPool2d); stride defaults to the kernel",
         avgPoolCost,
         "kh*kw FLOPs per output element (adds and a divide)"});
  t.add({"adaptive_avg_pool2d",
         {{"x", ParamKind::Tensor}, {"size", ParamKind::IntPair}},
         PatternKind::Reduce,
         adaptiveAvgPool2dShape,
         nullptr,
         "average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d)",
         adaptiveAvgPoolCost,
         "window-size FLOPs per output element (PyTorch's adaptive windows, summed exactly)"});
  t.add({"global_avg_pool",
         {{"x", ParamKind::Tensor}},
         PatternKind::Reduce,
         globalAvgPoolShape,
         nullptr,
         "mean over H and W, keeping them as 1: [N, C, 1, 1] (torch.nn.AdaptiveAvgPool2d(1))",
         globalAvgPoolCost,
         "1 FLOP per input element (H*W - 1 adds and a divide per output)"});
}

} // namespace netc::ir
