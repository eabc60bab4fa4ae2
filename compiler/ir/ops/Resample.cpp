//===- Resample.cpp - pad, upsample -----------------------------------------===//
#include "ir/OpTable.h"
#include "ir/ops/OnnxForms.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace netc::ir {

namespace {

// pad: torch.nn.functional.pad. `pads` holds (before, after) pairs from the
// last dim backwards: (left, right, top, bottom, ...). Constant padding may be
// negative (it crops). "reflect", "replicate" and "circular" pad the last 1,
// 2 or 3 dims of an input with 1 or 2 more dims, as PyTorch.
std::string padShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  const Ints &pads = c.attrs.getInts("pads");
  const std::string &mode = c.attrs.getStr("mode");
  if (pads.size() % 2 != 0)
    return fmt::format("pads {} must come in (before, after) pairs, from the last dim backwards",
                       formatAttrValue(pads));
  const size_t pairs = pads.size() / 2;
  if (pairs > x.rank())
    return fmt::format("pads {} pad {} dims, but {} has {}", formatAttrValue(pads), pairs,
                       shapeText(x), x.rank());
  if (mode != "constant" && mode != "reflect" && mode != "replicate" && mode != "circular")
    return fmt::format("mode \"{}\" is not \"constant\", \"reflect\", \"replicate\" or "
                       "\"circular\"",
                       mode);
  if (mode != "constant") {
    if (c.attrs.getFloat("value") != 0)
      return fmt::format("mode \"{}\" takes no value, got {}", mode,
                         formatAttrValue(*c.attrs.find("value")));
    if (pairs < 1 || pairs > 3 || (x.rank() != pairs + 1 && x.rank() != pairs + 2))
      return fmt::format("mode \"{}\" pads the last 1, 2 or 3 dims of an input with 1 or 2 more "
                         "dims, not {} of {}",
                         mode, pairs, shapeText(x));
  }
  TensorType y = x;
  for (size_t i = 0; i < pairs; ++i) {
    const size_t d = x.rank() - 1 - i;
    const int64_t before = pads[2 * i], after = pads[2 * i + 1], in = x.shape[d];
    if (mode == "reflect" && (before >= in || after >= in))
      return fmt::format("reflect padding ({}, {}) of dim {} must be smaller than its size {} "
                         "in {}",
                         before, after, d, in, shapeText(x));
    if (mode == "circular" && (before > in || after > in))
      return fmt::format("circular padding ({}, {}) of dim {} must be at most its size {} in {}",
                         before, after, d, in, shapeText(x));
    auto grown = checkedAdd(in, before);
    auto o = grown ? checkedAdd(*grown, after) : std::nullopt;
    if (!o)
      return fmt::format("padding {} overflows 64-bit integers", shapeText(x));
    if (*o <= 0)
      return fmt::format("padding ({}, {}) leaves dim {} of {} with size {}", before, after, d,
                         shapeText(x), *o);
    y.shape[d] = *o;
  }
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

// upsample: torch.nn.functional.interpolate on [N, C, H, W] with either a
// scale (out = floor(H * scale), in double precision as PyTorch) or a size
// (an int or (h, w); normalized to [h, w]).
std::string upsampleShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() != 4)
    return fmt::format("expects a 4-D input [N, C, H, W], got {}", shapeText(x));
  const std::string &mode = c.attrs.getStr("mode");
  if (mode != "nearest" && mode != "bilinear")
    return fmt::format("mode \"{}\" is not \"nearest\" or \"bilinear\"", mode);
  const bool hasScale = !c.attrs.isNone("scale"), hasSize = !c.attrs.isNone("size");
  if (hasScale == hasSize)
    return hasScale ? "takes either scale or size, not both" : "needs either scale or size";
  const int64_t in[2] = {x.shape[2], x.shape[3]};
  int64_t hw[2];
  if (hasScale) {
    const double scale = c.attrs.getFloat("scale");
    if (!std::isfinite(scale) || scale <= 0)
      return fmt::format("scale must be positive, got {}", formatAttrValue(scale));
    for (int i = 0; i < 2; ++i) {
      const double o = std::floor(static_cast<double>(in[i]) * scale);
      // 2^63 is exact in a double; anything from there on does not fit.
      if (o >= 9223372036854775808.0)
        return fmt::format("upsampling {} by {} overflows 64-bit integers", shapeText(x),
                           formatAttrValue(scale));
      if (o < 1)
        return fmt::format("output {} would be 0 (input {} {}, scale {})", i ? "width" : "height",
                           i ? "width" : "height", in[i], formatAttrValue(scale));
      hw[i] = static_cast<int64_t>(o);
    }
  } else {
    const AttrValue &v = *c.attrs.find("size");
    Ints size;
    if (const auto *n = std::get_if<int64_t>(&v))
      size = {*n, *n};
    else
      size = std::get<Ints>(v);
    if (size.size() != 2)
      return fmt::format("size {} must be an int or a pair (h, w)", formatAttrValue(v));
    for (int64_t s : size)
      if (s <= 0)
        return fmt::format("size must be positive, got {}", formatAttrValue(v));
    hw[0] = size[0];
    hw[1] = size[1];
    c.attrs.set("size", size);
  }
  TensorType y{{x.shape[0], x.shape[1], hw[0], hw[1]}, x.dtype};
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

// upsample: nearest copies; bilinear interpolates 4 neighbours.
std::string upsampleCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  return flopsPerOutputElement(c.attrs.getStr("mode") == "bilinear" ? 7 : 0, outs, w);
}

// pad: each padded dim maps an output coordinate o to an input coordinate
// (or to the constant) on its own, as torch.nn.functional.pad does:
// constant, reflect and replicate take u = o - before in the input's frame
// (negative pads crop); circular wraps around the input cropped first, as
// PyTorch's circular pad copies from the cropped output.
void padEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
             llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const Ints &pads = c.attrs.getInts("pads");
  const std::string &mode = c.attrs.getStr("mode");
  const double value = c.attrs.getFloat("value");
  const size_t rank = x.shape.size();
  // maps[d][o]: the input coordinate of output coordinate o of dim d, or -1.
  std::vector<std::vector<int64_t>> maps(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = x.shape[d], out = y.shape[d];
    const size_t pair = rank - 1 - d;
    const int64_t before = 2 * pair < pads.size() ? pads[2 * pair] : 0;
    const int64_t after = 2 * pair < pads.size() ? pads[2 * pair + 1] : 0;
    for (int64_t o = 0; o < out; ++o) {
      int64_t u = o - before;
      if (mode == "reflect") {
        if (u < 0)
          u = -u;
        if (u >= in)
          u = 2 * (in - 1) - u;
      } else if (mode == "replicate") {
        u = std::clamp<int64_t>(u, 0, in - 1);
      } else if (mode == "circular") {
        const int64_t start = std::max<int64_t>(-before, 0);
        const int64_t kept = in - start - std::max<int64_t>(-after, 0);
        u = start + floorMod(o - std::max<int64_t>(before, 0), kept);
      } else if (u < 0 || u >= in) {
        u = -1;
      }
      maps[d].push_back(u);
    }
  }
  for (size_t i = 0; i < y.size(); ++i) {
    size_t rest = i, offset = 0, stride = 1;
    bool inside = true;
    for (size_t d = rank; d-- > 0;) {
      const int64_t u = maps[d][rest % static_cast<size_t>(y.shape[d])];
      rest /= static_cast<size_t>(y.shape[d]);
      inside &= u >= 0;
      offset += static_cast<size_t>(std::max<int64_t>(u, 0)) * stride;
      stride *= static_cast<size_t>(x.shape[d]);
    }
    y.data[i] = inside ? x.data[offset] : value;
  }
}

/// PyTorch's compute_scales_value: 1/scale when a scale was given, else
/// in/out (in `T`: float for nearest, the tensor's type for bilinear).
template <typename T> T sourceScale(const OpCall &c, int64_t in, int64_t out) {
  if (!c.attrs.isNone("scale") && c.attrs.getFloat("scale") > 0)
    return static_cast<T>(1.0 / c.attrs.getFloat("scale"));
  return static_cast<T>(in) / static_cast<T>(out);
}

// upsample, as PyTorch's CPU kernels (upsample_nearest2d, and
// upsample_bilinear2d with align_corners=False) compute their source indices:
// nearest: o if out == in, o/2 if out == 2 in, else min(floor(o * scale),
//   in - 1) in float, scale = 1/scale_factor or in/out;
// bilinear: o if out == in, else src = max(scale * (o + 0.5) - 0.5, 0),
//   between floor(src) and the next index (clamped), weighted linearly.
void upsampleEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                  llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const bool bilinear = c.attrs.getStr("mode") == "bilinear";
  struct Tap {
    int64_t i0, i1;
    double l0, l1;
  };
  std::vector<Tap> taps[2];
  for (int d = 0; d < 2; ++d) {
    const int64_t in = x.shape[2 + d], out = y.shape[2 + d];
    for (int64_t o = 0; o < out; ++o) {
      if (out == in) {
        taps[d].push_back({o, o, 1.0, 0.0});
      } else if (!bilinear) {
        int64_t i = o >> 1;
        if (out != 2 * in)
          i = std::min(static_cast<int64_t>(std::floor(static_cast<float>(o) *
                                                       sourceScale<float>(c, in, out))),
                       in - 1);
        taps[d].push_back({i, i, 1.0, 0.0});
      } else {
        double src = sourceScale<double>(c, in, out) * (static_cast<double>(o) + 0.5) - 0.5;
        src = std::max(src, 0.0);
        const int64_t i0 = static_cast<int64_t>(src);
        const int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
        const double l1 = std::min(std::max(src - static_cast<double>(i0), 0.0), 1.0);
        taps[d].push_back({i0, i1, 1.0 - l1, l1});
      }
    }
  }
  const int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  size_t at = 0;
  for (int64_t pl = 0; pl < planes; ++pl) {
    const double *p = x.data.data() + pl * h * w;
    for (const Tap &th : taps[0])
      for (const Tap &tw : taps[1])
        y.data[at++] = th.l0 * (tw.l0 * p[th.i0 * w + tw.i0] + tw.l1 * p[th.i0 * w + tw.i1]) +
                       th.l1 * (tw.l0 * p[th.i1 * w + tw.i0] + tw.l1 * p[th.i1 * w + tw.i1]);
  }
}

/// A double literal that round-trips (the index math of upsample is in
/// double or float, whatever T is).
std::string doubleLit(double v) {
  std::string t = fmt::format("{}", v);
  if (t.find_first_of(".en") == std::string::npos)
    t += ".0";
  return t;
}

/// A float literal that round-trips: 0.333333343f.
std::string floatLit(float v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string t = buf;
  if (t.find_first_of(".en") == std::string::npos)
    t += ".0";
  return t + "f";
}

// pad: one loop per output dim (o0, o1, ...); each padded dim maps its
// output coordinate to an input coordinate u<d> on its own, as padEval:
// constant checks that every u<d> is inside the input (else the value),
// reflect mirrors around the edges, replicate clamps, circular wraps around
// the input cropped by negative pads.
std::string padKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const Ints &pads = c.attrs.getInts("pads");
  const std::string &mode = c.attrs.getStr("mode");
  const size_t rank = x.size();
  c.name = "pad_" + mode;
  std::vector<std::string> outCoords(rank), inCoords(rank);
  std::vector<std::string> checks; // constant mode: conditions of being inside
  for (size_t d = 0; d < rank; ++d) {
    outCoords[d] = fmt::format("o{}", d);
    w.forLoop(outCoords[d], y[d]);
    const size_t pair = rank - 1 - d;
    const int64_t before = 2 * pair < pads.size() ? pads[2 * pair] : 0;
    const int64_t after = 2 * pair < pads.size() ? pads[2 * pair + 1] : 0;
    const int64_t in = x[d];
    if (before == 0 && after == 0) {
      inCoords[d] = outCoords[d];
      continue;
    }
    const std::string u = fmt::format("u{}", d), o = outCoords[d];
    inCoords[d] = u;
    if (mode == "constant") {
      w.line("const i64 {} = {} - {};", u, o, before);
      if (before > 0)
        checks.push_back(fmt::format("{} >= 0", u));
      if (after > 0)
        checks.push_back(fmt::format("{} < {}", u, in));
    } else if (mode == "reflect") {
      w.line("i64 {} = {} - {};", u, o, before);
      w.line("if ({0} < 0) {0} = -{0};", u);
      w.line("if ({0} >= {1}) {0} = {2} - {0};", u, in, 2 * (in - 1));
    } else if (mode == "replicate") {
      w.line("const i64 {} = std::min<i64>(std::max<i64>({} - {}, 0), {});", u, o, before, in - 1);
    } else if (mode == "circular") {
      const int64_t start = std::max<int64_t>(-before, 0);
      const int64_t kept = in - start - std::max<int64_t>(-after, 0);
      w.line("const i64 {} = {} + (({} - {}) % {} + {}) % {};", u, start, o,
             std::max<int64_t>(before, 0), kept, kept, kept);
    } else {
      return fmt::format("mode \"{}\" has no kernel", mode);
    }
  }
  std::string value = fmt::format("{}[{}]", c.in[0], flatIndex(x, inCoords));
  if (!checks.empty()) {
    std::string cond;
    for (const std::string &e : checks)
      cond += (cond.empty() ? "" : " && ") + e;
    value = fmt::format("({}) ? {} : {}", cond, value, lit(c.attrs.getFloat("value")));
  }
  c.store(w, 0, flatIndex(y, outCoords), value);
  for (size_t d = 0; d < rank; ++d)
    w.close();
  return "";
}

// upsample, with the source indices of PyTorch's CPU kernels as upsampleEval:
// nearest: o if out == in, o / 2 if out == 2 in, else min(floor(o * scale),
// in - 1) in float; bilinear (align_corners=False): o if out == in, else
// src = max(scale * (o + 0.5) - 0.5, 0) in double, between floor(src) and the
// next index (clamped), weighted linearly.
std::string upsampleKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const bool bilinear = c.attrs.getStr("mode") == "bilinear";
  c.name = fmt::format("upsample_{}_{}x{}", c.attrs.getStr("mode"), y[2], y[3]);
  const bool hasScale = !c.attrs.isNone("scale") && c.attrs.getFloat("scale") > 0;
  // One dim: `o` is the output coordinate, `i` the source index (nearest),
  // or `i`0, `i`1 with weights `l`0, `l`1 (bilinear).
  auto source = [&](const std::string &o, const std::string &i, const std::string &l,
                    int64_t in, int64_t out) {
    if (!bilinear) {
      if (out == in)
        w.line("const i64 {} = {};", i, o);
      else if (out == 2 * in)
        w.line("const i64 {} = {} / 2;", i, o);
      else {
        const float scale = hasScale ? static_cast<float>(1.0 / c.attrs.getFloat("scale"))
                                     : static_cast<float>(in) / static_cast<float>(out);
        w.line("const i64 {} = std::min<i64>(static_cast<i64>(std::floor(static_cast<float>({}) "
               "* {})), {});",
               i, o, floatLit(scale), in - 1);
      }
      return;
    }
    if (out == in) {
      w.line("const i64 {0}0 = {1}, {0}1 = {1};", i, o);
      w.line("const T {0}0 = T(1), {0}1 = T(0);", l);
      return;
    }
    const double scale = hasScale ? 1.0 / c.attrs.getFloat("scale")
                                  : static_cast<double>(in) / static_cast<double>(out);
    w.line("const double {}s = std::max({} * (static_cast<double>({}) + 0.5) - 0.5, 0.0);", i,
           doubleLit(scale), o);
    w.line("const i64 {0}0 = static_cast<i64>({0}s);", i);
    w.line("const i64 {0}1 = {0}0 + ({0}0 < {1} ? 1 : 0);", i, in - 1);
    w.line("const T {0}1 = static_cast<T>(std::min(std::max({1}s - static_cast<double>({1}0), "
           "0.0), 1.0));",
           l, i);
    w.line("const T {0}0 = T(1) - {0}1;", l);
  };
  w.forLoop("pl", x[0] * x[1]);
  w.line("const T *p = {} + pl * {};", c.in[0], x[2] * x[3]);
  w.forLoop("oh", y[2]);
  source("oh", "ih", "lh", x[2], y[2]);
  w.forLoop("ow", y[3]);
  source("ow", "iw", "lw", x[3], y[3]);
  const std::string at = fmt::format("(pl * {} + oh) * {} + ow", y[2], y[3]);
  if (!bilinear)
    c.store(w, 0, at, fmt::format("p[ih * {} + iw]", x[3]));
  else
    c.store(w, 0, at,
            fmt::format("lh0 * (lw0 * p[ih0 * {0} + iw0] + lw1 * p[ih0 * {0} + iw1]) + "
                        "lh1 * (lw0 * p[ih1 * {0} + iw0] + lw1 * p[ih1 * {0} + iw1])",
                        x[3]));
  w.close();
  w.close();
  w.close();
  return "";
}

/// pad's pads run from the last dim: [l, r] or [l, r, t, b].
bool padIsZeroPad(const Attrs &attrs, const TensorType &in, Ints &tblr, std::string &why) {
  const Ints &pads = attrs.getInts("pads");
  if (attrs.getStr("mode") != "constant" || attrs.getFloat("value") != 0.0 ||
      (pads.size() != 2 && pads.size() != 4) || in.rank() != 4) {
    why = "only a zero pad of the last two dims folds";
    return false;
  }
  if (std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p < 0; })) {
    why = "a negative pad crops";
    return false;
  }
  tblr = {pads.size() == 4 ? pads[2] : 0, pads.size() == 4 ? pads[3] : 0, pads[0], pads[1]};
  return true;
}

} // namespace

void registerResampleOps(OpTable &t) {
  OpDef &pad = t.add({"pad",
         {{"x", ParamKind::Tensor},
          {"pads", ParamKind::Ints},
          {"mode", ParamKind::Str, false, std::string("constant")},
          {"value", ParamKind::Float, false, 0.0}},
         PatternKind::Injective,
         padShape,
         nullptr,
         "pads (before, after) pairs from the last dim backwards (torch.nn.functional.pad)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  pad.eval = padEval;
  pad.kernel = padKernel;
  pad.onnx = padOnnx;
  pad.zeroPad = padIsZeroPad;
  pad.dnnl.why = "oneDNN has no padding primitive";
  OpDef &upsample = t.add({"upsample",
         {{"x", ParamKind::Tensor},
          {"scale", ParamKind::OptFloat, false, NoneAttr{}},
          {"size", ParamKind::OptInts, false, NoneAttr{}},
          {"mode", ParamKind::Str, false, std::string("nearest")}},
         PatternKind::Injective,
         upsampleShape,
         nullptr,
         "resizes H and W by a scale or to a size, \"nearest\" or \"bilinear\" "
         "(torch.nn.functional.interpolate)",
         upsampleCost,
         "nearest: 0 FLOPs; bilinear: 7 FLOPs per output element (4 weights, 3 adds)"});
  upsample.eval = upsampleEval;
  upsample.kernel = upsampleKernel;
  upsample.onnx = upsampleOnnx;
  upsample.dnnl = {DnnlKind::Resampling, DnnlAlg::Nearest};
  upsample.dnnl.refine = [](const Attrs &a, DnnlOp &d) {
    d.alg = a.getStr("mode") == "bilinear" ? DnnlAlg::Bilinear : DnnlAlg::Nearest;
  };
  // [N, C, H, W] out: a norm or linear over its last dim acts on W (sema warns).
  upsample.spatialOutput = true;
}

} // namespace netc::ir
