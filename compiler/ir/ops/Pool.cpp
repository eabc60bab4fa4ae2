//===- Pool.cpp - max_pool2d, avg_pool2d, adaptive and global pooling -------===//
#include "ir/OpTable.h"
#include "ir/ops/OnnxForms.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

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
/// [floor(i*in/out), ceil((i+1)*in/out)). In closed form, so a huge output
/// costs no time: with F(i) = floor(i*in/out), ceil((i+1)*in/out) is
/// F(i+1) + 1 unless out divides (i+1)*in, so the sum telescopes to
/// F(out) - F(0) = in, plus out, minus the gcd(in, out) values of i+1 in
/// [1, out] whose (i+1)*in out divides. Nullopt on overflow.
std::optional<int64_t> adaptiveSpan(int64_t in, int64_t out) {
  auto sum = checkedAdd(in, out);
  if (!sum)
    return std::nullopt;
  return *sum - std::gcd(in, out);
}

// adaptive_avg_pool2d: each output averages its window: window-size FLOPs.
std::string adaptiveAvgPoolCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  const TensorType &x = c.inputs[0];
  const Ints &size = c.attrs.getInts("size");
  const std::optional<int64_t> spanH = adaptiveSpan(x.shape[2], size[0]),
                               spanW = adaptiveSpan(x.shape[3], size[1]);
  auto f = spanH && spanW ? checkedProduct({x.shape[0], x.shape[1], *spanH, *spanW})
                          : std::nullopt;
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

// max_pool2d: the max of each window's elements inside the input (padding
// is -inf), with dilation; NaN wins, as in PyTorch.
void maxPoolEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                 llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const Ints &k = c.attrs.getInts("k");
  const Ints &s = c.attrs.getInts("stride");
  const Ints &p = c.attrs.getInts("padding");
  const Ints &d = c.attrs.getInts("dilation");
  const int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  const int64_t oh = y.shape[2], ow = y.shape[3];
  size_t at = 0;
  for (int64_t pl = 0; pl < planes; ++pl)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t u = 0; u < k[0]; ++u) {
          const int64_t ih = i * s[0] - p[0] + u * d[0];
          if (ih < 0 || ih >= h)
            continue;
          for (int64_t v = 0; v < k[1]; ++v) {
            const int64_t iw = j * s[1] - p[1] + v * d[1];
            if (iw < 0 || iw >= w)
              continue;
            const double e = x.data[(pl * h + ih) * w + iw];
            if (e > mx || std::isnan(e))
              mx = e;
          }
        }
        y.data[at++] = mx;
      }
}

// avg_pool2d as PyTorch's kernel: the window [start, start + k) is clipped to
// the padded input [-p, in + p) (ceil_mode windows can run past it), its size
// then is the divisor with count_include_pad; without, the divisor is the
// number of elements inside the input.
void avgPoolEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                 llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const Ints &k = c.attrs.getInts("k");
  const Ints &s = c.attrs.getInts("stride");
  const Ints &p = c.attrs.getInts("padding");
  const bool includePad = c.attrs.getBool("count_include_pad");
  const int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  const int64_t oh = y.shape[2], ow = y.shape[3];
  size_t at = 0;
  for (int64_t pl = 0; pl < planes; ++pl)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        int64_t h0 = i * s[0] - p[0], w0 = j * s[1] - p[1];
        int64_t h1 = std::min(h0 + k[0], h + p[0]), w1 = std::min(w0 + k[1], w + p[1]);
        const int64_t padded = (h1 - h0) * (w1 - w0);
        h0 = std::max<int64_t>(h0, 0);
        w0 = std::max<int64_t>(w0, 0);
        h1 = std::min(h1, h);
        w1 = std::min(w1, w);
        double sum = 0;
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw)
            sum += x.data[(pl * h + ih) * w + iw];
        const int64_t count = includePad ? padded : (h1 - h0) * (w1 - w0);
        y.data[at++] = sum / static_cast<double>(count);
      }
}

// adaptive_avg_pool2d: output (i, j) averages rows [floor(i*H/oh),
// ceil((i+1)*H/oh)) and columns likewise (PyTorch's windows).
void adaptiveAvgPoolEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins,
                         llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  const int64_t oh = y.shape[2], ow = y.shape[3];
  size_t at = 0;
  for (int64_t pl = 0; pl < planes; ++pl)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        const int64_t h0 = floorDiv(i * h, oh), h1 = ceilDiv((i + 1) * h, oh);
        const int64_t w0 = floorDiv(j * w, ow), w1 = ceilDiv((j + 1) * w, ow);
        double sum = 0;
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw)
            sum += x.data[(pl * h + ih) * w + iw];
        y.data[at++] = sum / static_cast<double>((h1 - h0) * (w1 - w0));
      }
}

// global_avg_pool: the mean of each H x W plane.
void globalAvgPoolEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins,
                       llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t plane = static_cast<size_t>(x.shape[2] * x.shape[3]);
  for (size_t pl = 0; pl < outs[0].size(); ++pl) {
    double sum = 0;
    for (size_t i = 0; i < plane; ++i)
      sum += x.data[pl * plane + i];
    outs[0].data[pl] = sum / static_cast<double>(plane);
  }
}

/// "3x3", or "1x7" for a non-square pair.
std::string pairText(const Ints &v) {
  return v[0] == v[1] ? fmt::format("{}", v[0]) : fmt::format("{}x{}", v[0], v[1]);
}

/// Opens the loops over the output planes (n * c fused) and positions.
void openPoolLoops(CodeWriter &w, const Shape &y) {
  w.forLoop("pl", y[0] * y[1]);
  w.forLoop("oh", y[2]);
  w.forLoop("ow", y[3]);
}

std::string poolOutIndex(const Shape &y) {
  return fmt::format("(pl * {} + oh) * {} + ow", y[2], y[3]);
}

// max_pool2d: the max of the window's taps inside the input (padding counts
// as -inf), with dilation; a NaN wins, as in PyTorch.
std::string maxPoolKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const Ints &k = c.attrs.getInts("k"), &s = c.attrs.getInts("stride"),
             &p = c.attrs.getInts("padding"), &d = c.attrs.getInts("dilation");
  c.name = fmt::format("max_pool{}x{}_s{}", k[0], k[1], pairText(s));
  if (d[0] != 1 || d[1] != 1)
    c.name += "_d" + pairText(d);
  openPoolLoops(w, y);
  w.line("T mx = -std::numeric_limits<T>::infinity();");
  w.forLoop("u", k[0]);
  w.line("const i64 ih = oh * {} - {} + u * {};", s[0], p[0], d[0]);
  w.line("if (ih < 0 || ih >= {}) continue;", x[2]);
  w.forLoop("v", k[1]);
  w.line("const i64 iw = ow * {} - {} + v * {};", s[1], p[1], d[1]);
  w.line("if (iw < 0 || iw >= {}) continue;", x[3]);
  w.line("const T e = {}[(pl * {} + ih) * {} + iw];", c.in[0], x[2], x[3]);
  w.line("if (e > mx || std::isnan(e)) mx = e;");
  w.close();
  w.close();
  c.store(w, 0, poolOutIndex(y), "mx");
  w.close();
  w.close();
  w.close();
  return "";
}

// avg_pool2d as PyTorch: the window [start, start + k) clipped to the padded
// input [-p, in + p) gives the divisor with count_include_pad; the sum runs
// over its part inside the input (the divisor without count_include_pad).
std::string avgPoolKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const Ints &k = c.attrs.getInts("k"), &s = c.attrs.getInts("stride"),
             &p = c.attrs.getInts("padding");
  const bool includePad = c.attrs.getBool("count_include_pad");
  c.name = fmt::format("avg_pool{}x{}_s{}", k[0], k[1], pairText(s));
  openPoolLoops(w, y);
  w.line("const i64 hs = oh * {} - {}, he = std::min<i64>(hs + {}, {});", s[0], p[0], k[0],
         x[2] + p[0]);
  w.line("const i64 ws = ow * {} - {}, we = std::min<i64>(ws + {}, {});", s[1], p[1], k[1],
         x[3] + p[1]);
  if (includePad)
    w.line("const i64 count = (he - hs) * (we - ws);");
  w.line("const i64 ih0 = std::max<i64>(hs, 0), ih1 = std::min<i64>(he, {});", x[2]);
  w.line("const i64 iw0 = std::max<i64>(ws, 0), iw1 = std::min<i64>(we, {});", x[3]);
  if (!includePad)
    w.line("const i64 count = (ih1 - ih0) * (iw1 - iw0);");
  w.line("T sum = T(0);");
  w.open("for (i64 ih = ih0; ih < ih1; ++ih)");
  w.open("for (i64 iw = iw0; iw < iw1; ++iw)");
  w.line("sum += {}[(pl * {} + ih) * {} + iw];", c.in[0], x[2], x[3]);
  w.close();
  w.close();
  c.store(w, 0, poolOutIndex(y), "sum / static_cast<T>(count)");
  w.close();
  w.close();
  w.close();
  return "";
}

// adaptive_avg_pool2d: output (oh, ow) averages rows [floor(oh*H/OH),
// ceil((oh+1)*H/OH)) and columns likewise (PyTorch's windows).
std::string adaptiveAvgPoolKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  c.name = fmt::format("adaptive_avg_pool_{}x{}", y[2], y[3]);
  openPoolLoops(w, y);
  w.line("const i64 ih0 = oh * {0} / {1}, ih1 = ((oh + 1) * {0} + {1} - 1) / {1};", x[2], y[2]);
  w.line("const i64 iw0 = ow * {0} / {1}, iw1 = ((ow + 1) * {0} + {1} - 1) / {1};", x[3], y[3]);
  w.line("T sum = T(0);");
  w.open("for (i64 ih = ih0; ih < ih1; ++ih)");
  w.open("for (i64 iw = iw0; iw < iw1; ++iw)");
  w.line("sum += {}[(pl * {} + ih) * {} + iw];", c.in[0], x[2], x[3]);
  w.close();
  w.close();
  c.store(w, 0, poolOutIndex(y), "sum / static_cast<T>((ih1 - ih0) * (iw1 - iw0))");
  w.close();
  w.close();
  w.close();
  return "";
}

// global_avg_pool: the mean of each H x W plane.
std::string globalAvgPoolKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  const int64_t plane = x[2] * x[3];
  c.name = "global_avg_pool";
  w.forLoop("pl", x[0] * x[1]);
  w.line("T sum = T(0);");
  w.forLoop("i", plane);
  w.line("sum += {}[pl * {} + i];", c.in[0], plane);
  w.close();
  c.store(w, 0, "pl", fmt::format("sum / {}", lit(static_cast<double>(plane))));
  w.close();
  return "";
}

// avg_pool2d counting padded zeros (count_include_pad) takes a symmetric
// zero pad into its padding (ph, pw), up to PyTorch's limit of half the kernel.
bool avgPoolAbsorbPad(Attrs &attrs, const Ints &pad, std::string &why) {
  if (!attrs.getBool("count_include_pad") || pad[0] != pad[1] || pad[2] != pad[3])
    return false;
  const Ints p = attrs.getInts("padding");
  const Ints &k = attrs.getInts("k");
  if (2 * (p[0] + pad[0]) > k[0] || 2 * (p[1] + pad[2]) > k[1]) {
    why = "the pool's padding would exceed half its kernel";
    return false;
  }
  attrs.set("padding", Ints{p[0] + pad[0], p[1] + pad[2]});
  return true;
}

} // namespace

void registerPoolOps(OpTable &t) {
  OpDef &maxPool = t.add({"max_pool2d",
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
  maxPool.eval = maxPoolEval;
  maxPool.kernel = maxPoolKernel;
  maxPool.onnx = maxPoolOnnx;
  maxPool.dnnl = {DnnlKind::Pooling, DnnlAlg::PoolMax};
  OpDef &avgPool = t.add({"avg_pool2d",
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
  avgPool.eval = avgPoolEval;
  avgPool.kernel = avgPoolKernel;
  avgPool.onnx = avgPoolOnnx;
  avgPool.absorbPad = avgPoolAbsorbPad;
  avgPool.dnnl = {DnnlKind::Pooling, DnnlAlg::PoolAvgIncludePad};
  avgPool.dnnl.refine = [](const Attrs &a, DnnlOp &d) {
    d.alg = a.getBool("count_include_pad") ? DnnlAlg::PoolAvgIncludePad
                                           : DnnlAlg::PoolAvgExcludePad;
  };
  OpDef &adaptive = t.add({"adaptive_avg_pool2d",
         {{"x", ParamKind::Tensor}, {"size", ParamKind::IntPair}},
         PatternKind::Reduce,
         adaptiveAvgPool2dShape,
         nullptr,
         "average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d)",
         adaptiveAvgPoolCost,
         "window-size FLOPs per output element (PyTorch's adaptive windows, summed exactly)"});
  adaptive.eval = adaptiveAvgPoolEval;
  adaptive.kernel = adaptiveAvgPoolKernel;
  adaptive.onnx = adaptiveAvgPoolOnnx;
  adaptive.dnnl = {DnnlKind::Pooling, DnnlAlg::PoolAvgExcludePad};
  OpDef &global = t.add({"global_avg_pool",
         {{"x", ParamKind::Tensor}},
         PatternKind::Reduce,
         globalAvgPoolShape,
         nullptr,
         "mean over H and W, keeping them as 1: [N, C, 1, 1] (torch.nn.AdaptiveAvgPool2d(1))",
         globalAvgPoolCost,
         "1 FLOP per input element (H*W - 1 adds and a divide per output)"});
  global.eval = globalAvgPoolEval;
  global.kernel = globalAvgPoolKernel;
  global.onnx = globalAvgPoolOnnx;
  global.dnnl = {DnnlKind::Pooling, DnnlAlg::PoolAvgExcludePad};
  // [N, C, H, W] out: a norm or linear over its last dim acts on W (sema warns).
  maxPool.spatialOutput = true;
  avgPool.spatialOutput = true;
  adaptive.spatialOutput = true;
  global.spatialOutput = true;
}

} // namespace netc::ir
