//===- Conv.cpp - conv2d, conv_transpose2d ----------------------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

namespace netc::ir {

namespace {

/// Checks shared by both convolutions; returns an error message or "".
std::string checkConvCommon(OpCall &c, int64_t &n, int64_t &cin, int64_t &h, int64_t &w) {
  const TensorType &x = c.inputs[0];
  if (x.rank() != 4)
    return fmt::format("expects a 4-D input [N, C, H, W], got {}", shapeText(x));
  n = x.shape[0];
  cin = x.shape[1];
  h = x.shape[2];
  w = x.shape[3];
  int64_t out = c.attrs.getInt("out");
  int64_t groups = c.attrs.getInt("groups");
  if (out <= 0)
    return fmt::format("output channels must be positive, got {}", out);
  if (groups <= 0)
    return fmt::format("groups must be positive, got {}", groups);
  if (cin % groups != 0)
    return fmt::format("input channels {} are not divisible by groups {}", cin, groups);
  if (out % groups != 0)
    return fmt::format("output channels {} are not divisible by groups {}", out, groups);
  for (const char *name : {"k", "stride", "dilation"})
    for (int64_t v : c.attrs.getInts(name))
      if (v <= 0)
        return fmt::format("{} must be positive, got {}", name,
                           formatAttrValue(*c.attrs.find(name)));
  return "";
}

// conv2d: out = floor((H + pt + pb - d(k-1) - 1)/s + 1) per spatial dim.
std::string conv2dShape(OpCall &c, std::vector<TensorType> &outs) {
  int64_t n, cin, h, w;
  if (std::string e = checkConvCommon(c, n, cin, h, w); !e.empty())
    return e;
  const Ints &k = c.attrs.getInts("k");
  const Ints &s = c.attrs.getInts("stride");
  const Ints &d = c.attrs.getInts("dilation");
  Ints pad;
  if (std::string e = resolvePadding2d(*c.attrs.find("padding"), {h, w}, k, s, d, pad);
      !e.empty())
    return e;
  c.attrs.set("padding", pad);
  int64_t hw[2];
  const int64_t in[2] = {h, w};
  for (int i = 0; i < 2; ++i) {
    auto o = windowOutputSize(in[i], k[i], s[i], pad[2 * i], pad[2 * i + 1], d[i]);
    if (!o)
      return "spatial size overflows 64-bit integers";
    if (*o <= 0)
      return fmt::format("output {} would be {} (input {} {}, kernel {}, stride {}, padding {}, "
                         "dilation {})",
                         i ? "width" : "height", *o, i ? "width" : "height", in[i], k[i], s[i],
                         pad[2 * i] + pad[2 * i + 1], d[i]);
    hw[i] = *o;
  }
  outs.push_back({{n, c.attrs.getInt("out"), hw[0], hw[1]}, c.inputs[0].dtype});
  return "";
}

void conv2dWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  int64_t out = c.attrs.getInt("out");
  const Ints &k = c.attrs.getInts("k");
  ws.push_back({"weight", {out, c.inputs[0].shape[1] / c.attrs.getInt("groups"), k[0], k[1]}, true});
  if (c.attrs.getBool("bias"))
    ws.push_back({"bias", {out}, true});
}

// conv_transpose2d: out = (H-1)s - 2p + d(k-1) + output_padding + 1.
std::string convTranspose2dShape(OpCall &c, std::vector<TensorType> &outs) {
  int64_t n, cin, h, w;
  if (std::string e = checkConvCommon(c, n, cin, h, w); !e.empty())
    return e;
  const Ints &k = c.attrs.getInts("k");
  const Ints &s = c.attrs.getInts("stride");
  const Ints &d = c.attrs.getInts("dilation");
  const Ints &p = c.attrs.getInts("padding");
  const Ints &op = c.attrs.getInts("output_padding");
  const int64_t in[2] = {h, w};
  int64_t hw[2];
  for (int i = 0; i < 2; ++i) {
    if (p[i] < 0)
      return fmt::format("padding must not be negative, got {}", p[i]);
    if (op[i] < 0 || (op[i] >= s[i] && op[i] >= d[i]))
      return fmt::format("output_padding {} must be smaller than stride {} or dilation {}", op[i],
                         s[i], d[i]);
    auto a = checkedMul(in[i] - 1, s[i]);
    auto b = checkedMul(d[i], k[i] - 1);
    auto twoP = checkedMul(2, p[i]);
    std::optional<int64_t> o;
    if (a && b && twoP)
      if (auto t = checkedSub(*a, *twoP))
        if (auto u = checkedAdd(*t, *b))
          o = checkedAdd(*u, op[i] + 1);
    if (!o)
      return "spatial size overflows 64-bit integers";
    if (*o <= 0)
      return fmt::format("output {} would be {}", i ? "width" : "height", *o);
    hw[i] = *o;
  }
  outs.push_back({{n, c.attrs.getInt("out"), hw[0], hw[1]}, c.inputs[0].dtype});
  return "";
}

void convTranspose2dWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  int64_t out = c.attrs.getInt("out");
  const Ints &k = c.attrs.getInts("k");
  ws.push_back({"weight", {c.inputs[0].shape[1], out / c.attrs.getInt("groups"), k[0], k[1]}, true});
  if (c.attrs.getBool("bias"))
    ws.push_back({"bias", {out}, true});
}

// conv2d: each output element is a dot product of length C/groups * kh * kw.
std::string conv2dCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  const Ints &k = c.attrs.getInts("k");
  auto outputs = outs[0].numElements();
  auto macs = outputs ? checkedProduct({*outputs, c.inputs[0].shape[1] / c.attrs.getInt("groups"),
                                        k[0], k[1]})
                      : std::nullopt;
  if (!macs)
    return "MAC count overflows 64-bit integers";
  w.macs = *macs;
  w.dotProducts = *outputs;
  w.biasAdds = c.attrs.getBool("bias") ? *outputs : 0;
  return "";
}

// conv_transpose2d: each input element is scattered through out/groups * kh *
// kw weights. Counted in this scatter form, so there is no dot-product
// length to subtract: exact = 2 per MAC (+1 per output with bias).
std::string convTranspose2dCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  const Ints &k = c.attrs.getInts("k");
  auto inputs = c.inputs[0].numElements();
  auto outputs = outs[0].numElements();
  auto macs = inputs ? checkedProduct({*inputs, c.attrs.getInt("out") / c.attrs.getInt("groups"),
                                       k[0], k[1]})
                     : std::nullopt;
  if (!macs || !outputs)
    return "MAC count overflows 64-bit integers";
  w.macs = *macs;
  w.biasAdds = c.attrs.getBool("bias") ? *outputs : 0;
  return "";
}

// conv2d, naively: every output is its bias plus the dot product of its
// window (zero padding [top, bottom, left, right] as normalized by the shape
// rule, dilation) with the weights of its group.
void conv2dEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const Buffer &w = *ws[0];
  const Buffer *b = ws.size() > 1 ? ws[1] : nullptr;
  Buffer &y = outs[0];
  const Ints &s = c.attrs.getInts("stride");
  const Ints &d = c.attrs.getInts("dilation");
  const Ints &p = c.attrs.getInts("padding");
  const int64_t groups = c.attrs.getInt("groups");
  const int64_t n = x.shape[0], cin = x.shape[1], h = x.shape[2], wd = x.shape[3];
  const int64_t cout = y.shape[1], oh = y.shape[2], ow = y.shape[3];
  const int64_t kh = w.shape[2], kw = w.shape[3];
  const int64_t cpg = cin / groups, opg = cout / groups;
  size_t at = 0;
  for (int64_t in = 0; in < n; ++in)
    for (int64_t o = 0; o < cout; ++o) {
      const int64_t g = o / opg;
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double acc = b ? b->data[o] : 0.0;
          for (int64_t ci = 0; ci < cpg; ++ci)
            for (int64_t u = 0; u < kh; ++u) {
              const int64_t ih = i * s[0] - p[0] + u * d[0];
              if (ih < 0 || ih >= h)
                continue;
              for (int64_t v = 0; v < kw; ++v) {
                const int64_t iw = j * s[1] - p[2] + v * d[1];
                if (iw < 0 || iw >= wd)
                  continue;
                acc += x.data[((in * cin + g * cpg + ci) * h + ih) * wd + iw] *
                       w.data[((o * cpg + ci) * kh + u) * kw + v];
              }
            }
          y.data[at++] = acc;
        }
    }
}

// conv_transpose2d, naively in scatter form: each input element adds
// x * weight[ci, oc, u, v] to output (ih*s - p + u*d, iw*s - p + v*d) of
// channel group*out/groups + oc; outputs start at their bias.
void convTranspose2dEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                         llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const Buffer &w = *ws[0];
  const Buffer *b = ws.size() > 1 ? ws[1] : nullptr;
  Buffer &y = outs[0];
  const Ints &s = c.attrs.getInts("stride");
  const Ints &d = c.attrs.getInts("dilation");
  const Ints &p = c.attrs.getInts("padding");
  const int64_t groups = c.attrs.getInt("groups");
  const int64_t n = x.shape[0], cin = x.shape[1], h = x.shape[2], wd = x.shape[3];
  const int64_t cout = y.shape[1], oh = y.shape[2], ow = y.shape[3];
  const int64_t kh = w.shape[2], kw = w.shape[3];
  const int64_t cpg = cin / groups, opg = cout / groups;
  const int64_t plane = oh * ow;
  for (int64_t in = 0; in < n; ++in)
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t k = 0; k < plane; ++k)
        y.data[(in * cout + o) * plane + k] = b ? b->data[o] : 0.0;
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ci = 0; ci < cin; ++ci) {
      const int64_t g = ci / cpg;
      for (int64_t i = 0; i < h; ++i)
        for (int64_t j = 0; j < wd; ++j) {
          const double xv = x.data[((in * cin + ci) * h + i) * wd + j];
          for (int64_t oc = 0; oc < opg; ++oc)
            for (int64_t u = 0; u < kh; ++u) {
              const int64_t yh = i * s[0] - p[0] + u * d[0];
              if (yh < 0 || yh >= oh)
                continue;
              for (int64_t v = 0; v < kw; ++v) {
                const int64_t yw = j * s[1] - p[1] + v * d[1];
                if (yw < 0 || yw >= ow)
                  continue;
                y.data[((in * cout + g * opg + oc) * oh + yh) * ow + yw] +=
                    xv * w.data[((ci * opg + oc) * kh + u) * kw + v];
              }
            }
        }
    }
}

/// "3x3", or "1x7" for a non-square pair.
std::string pairText(const Ints &v) {
  return v[0] == v[1] ? fmt::format("{}", v[0]) : fmt::format("{}x{}", v[0], v[1]);
}

// conv2d as a direct loop nest: one dot product per output element, padding
// by skipping taps outside the input.
std::string conv2dKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const Ints &k = c.attrs.getInts("k"), &s = c.attrs.getInts("stride"),
             &d = c.attrs.getInts("dilation"), &p = c.attrs.getInts("padding");
  const int64_t groups = c.attrs.getInt("groups"), cpg = x[1] / groups, opg = y[1] / groups;
  const bool bias = c.attrs.getBool("bias");
  c.name = fmt::format("conv{}x{}", k[0], k[1]);
  if (groups > 1)
    c.name += groups == x[1] && groups == y[1] ? "_dw" : fmt::format("_g{}", groups);
  c.name += "_s" + pairText(s);
  if (d[0] != 1 || d[1] != 1)
    c.name += "_d" + pairText(d);
  c.name += fmt::format("_o{}", y[1]);
  w.forLoop("n", y[0]);
  w.forLoop("oc", y[1]);
  w.line("const i64 g = oc / {};", opg);
  w.forLoop("oh", y[2]);
  w.forLoop("ow", y[3]);
  w.line("T acc = {};", bias ? c.w[1] + "[oc]" : "T(0)");
  w.forLoop("ci", cpg);
  w.forLoop("u", k[0]);
  w.line("const i64 ih = oh * {} - {} + u * {};", s[0], p[0], d[0]);
  w.line("if (ih < 0 || ih >= {}) continue;", x[2]);
  w.forLoop("v", k[1]);
  w.line("const i64 iw = ow * {} - {} + v * {};", s[1], p[2], d[1]);
  w.line("if (iw < 0 || iw >= {}) continue;", x[3]);
  w.line("acc += {}[((n * {} + g * {} + ci) * {} + ih) * {} + iw] * {}[((oc * {} + ci) * {} + u) * {} + v];",
         c.in[0], x[1], cpg, x[2], x[3], c.w[0], cpg, k[0], k[1]);
  w.close();
  w.close();
  w.close();
  c.store(w, 0, fmt::format("((n * {} + oc) * {} + oh) * {} + ow", y[1], y[2], y[3]), "acc");
  w.close();
  w.close();
  w.close();
  w.close();
  return "";
}

// conv_transpose2d as a gather: output (oh, ow) takes input (ih, iw) through
// tap (u, v) when oh = ih * s - p + u * d (the scatter of the eval rule, read
// backwards), so each output is one accumulator.
std::string convTranspose2dKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const Ints &k = c.attrs.getInts("k"), &s = c.attrs.getInts("stride"),
             &d = c.attrs.getInts("dilation"), &p = c.attrs.getInts("padding");
  const int64_t groups = c.attrs.getInt("groups"), cpg = x[1] / groups, opg = y[1] / groups;
  const bool bias = c.attrs.getBool("bias");
  c.name = fmt::format("conv_transpose{}x{}", k[0], k[1]);
  if (groups > 1)
    c.name += fmt::format("_g{}", groups);
  c.name += "_s" + pairText(s);
  if (d[0] != 1 || d[1] != 1)
    c.name += "_d" + pairText(d);
  c.name += fmt::format("_o{}", y[1]);
  // One spatial dim: `o` (output coordinate) reaches input coordinate `i`
  // through tap `t` when o + p - t * d is a multiple of the stride.
  auto tap = [&](const char *i, const char *o, const char *t, int dim, int64_t in) {
    w.line("const i64 {0}s = {1} + {2} - {3} * {4};", i, o, p[dim], t, d[dim]);
    if (s[dim] == 1) {
      w.line("if ({0}s < 0 || {0}s >= {1}) continue;", i, in);
      w.line("const i64 {0} = {0}s;", i);
    } else {
      w.line("if ({0}s < 0 || {0}s % {1} != 0 || {0}s / {1} >= {2}) continue;", i, s[dim], in);
      w.line("const i64 {0} = {0}s / {1};", i, s[dim]);
    }
  };
  w.forLoop("n", y[0]);
  w.forLoop("oc", y[1]);
  w.line("const i64 g = oc / {}, og = oc % {};", opg, opg);
  w.forLoop("oh", y[2]);
  w.forLoop("ow", y[3]);
  w.line("T acc = {};", bias ? c.w[1] + "[oc]" : "T(0)");
  w.forLoop("ci", cpg);
  w.line("const i64 ic = g * {} + ci;", cpg);
  w.forLoop("u", k[0]);
  tap("ih", "oh", "u", 0, x[2]);
  w.forLoop("v", k[1]);
  tap("iw", "ow", "v", 1, x[3]);
  w.line("acc += {}[((n * {} + ic) * {} + ih) * {} + iw] * {}[((ic * {} + og) * {} + u) * {} + v];",
         c.in[0], x[1], x[2], x[3], c.w[0], opg, k[0], k[1]);
  w.close();
  w.close();
  w.close();
  c.store(w, 0, fmt::format("((n * {} + oc) * {} + oh) * {} + ow", y[1], y[2], y[3]), "acc");
  w.close();
  w.close();
  w.close();
  w.close();
  return "";
}

// conv2d(pad(x)) with a zero pad reads the zeros its own padding would:
// padding [top, bottom, left, right] grows by the pad, asymmetric or not.
bool conv2dAbsorbPad(Attrs &attrs, const Ints &pad, std::string &) {
  const Ints p = attrs.getInts("padding");
  attrs.set("padding", Ints{p[0] + pad[0], p[1] + pad[1], p[2] + pad[2], p[3] + pad[3]});
  return true;
}

// ONNX: Conv and ConvTranspose (X, W[, B]); netc's padding [t, b, l, r]
// becomes pads [t, l, b, r].
std::string conv2dOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  std::vector<std::string> ins = {c.in[0]};
  ins.insert(ins.end(), c.w.begin(), c.w.end());
  const Ints &k = c.attrs.getInts("k");
  out = {c.b.node("Conv", ins,
                  {{"kernel_shape", k},
                   {"strides", c.attrs.getInts("stride")},
                   {"pads", onnxPads2d(c.attrs.getInts("padding"))},
                   {"dilations", c.attrs.getInts("dilation")},
                   {"group", c.attrs.getInt("groups")}})};
  return "";
}

std::string convTranspose2dOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  std::vector<std::string> ins = {c.in[0]};
  ins.insert(ins.end(), c.w.begin(), c.w.end());
  const Ints &p = c.attrs.getInts("padding");
  out = {c.b.node("ConvTranspose", ins,
                  {{"kernel_shape", c.attrs.getInts("k")},
                   {"strides", c.attrs.getInts("stride")},
                   {"pads", Ints{p[0], p[1], p[0], p[1]}},
                   {"output_padding", c.attrs.getInts("output_padding")},
                   {"dilations", c.attrs.getInts("dilation")},
                   {"group", c.attrs.getInt("groups")}})};
  return "";
}

} // namespace

void registerConvOps(OpTable &t) {
  OpDef &conv = t.add({"conv2d",
         {{"x", ParamKind::Tensor},
          {"out", ParamKind::Int},
          {"k", ParamKind::IntPair},
          {"stride", ParamKind::IntPair, false, int64_t{1}},
          {"padding", ParamKind::Padding, false, int64_t{0}},
          {"dilation", ParamKind::IntPair, false, int64_t{1}},
          {"groups", ParamKind::Int, false, int64_t{1}},
          {"bias", ParamKind::Bool, false, true}},
         PatternKind::OutElementwiseFusable,
         conv2dShape,
         conv2dWeights,
         "2-D convolution (torch.nn.Conv2d): weight [out, C/groups, kh, kw], bias [out]",
         conv2dCost,
         "MACs = outputs x C/groups x kh x kw; exact: 2n - 1 per output (n = C/groups x kh x kw), "
         "+1 with bias"});
  conv.eval = conv2dEval;
  conv.kernel = conv2dKernel;
  conv.onnx = conv2dOnnx;
  conv.weightLayout = WeightLayout::OutFirst;
  conv.absorbPad = conv2dAbsorbPad;
  conv.dnnl.kind = DnnlKind::Convolution;
  OpDef &convT = t.add({"conv_transpose2d",
         {{"x", ParamKind::Tensor},
          {"out", ParamKind::Int},
          {"k", ParamKind::IntPair},
          {"stride", ParamKind::IntPair, false, int64_t{1}},
          {"padding", ParamKind::IntPair, false, int64_t{0}},
          {"output_padding", ParamKind::IntPair, false, int64_t{0}},
          {"groups", ParamKind::Int, false, int64_t{1}},
          {"bias", ParamKind::Bool, false, true},
          {"dilation", ParamKind::IntPair, false, int64_t{1}}},
         PatternKind::OutElementwiseFusable,
         convTranspose2dShape,
         convTranspose2dWeights,
         "transposed 2-D convolution (torch.nn.ConvTranspose2d): weight [C, out/groups, kh, kw]",
         convTranspose2dCost,
         "MACs = inputs x out/groups x kh x kw; exact: 2 per MAC (scatter form), +1 per output "
         "with bias"});
  convT.eval = convTranspose2dEval;
  convT.kernel = convTranspose2dKernel;
  convT.onnx = convTranspose2dOnnx;
  convT.weightLayout = WeightLayout::Transposed;
  convT.dnnl.kind = DnnlKind::Deconvolution;
  // [N, C, H, W] out: a norm or linear over its last dim acts on W (sema warns).
  conv.spatialOutput = true;
  convT.spatialOutput = true;
}

} // namespace netc::ir
