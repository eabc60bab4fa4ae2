//===- Norm.cpp - batchnorm, layernorm, groupnorm ---------------------------===//
#include "ir/OpTable.h"
#include "ir/ops/OnnxForms.h"

#include <fmt/format.h>

#include <cmath>

namespace netc::ir {

namespace {

/// eps is added to a variance before its square root: it must be a finite
/// number >= 0 (PyTorch does not check; a negative eps gives NaNs).
std::string checkEps(const OpCall &c) {
  double eps = c.attrs.getFloat("eps");
  if (!std::isfinite(eps) || eps < 0)
    return fmt::format("eps must be a non-negative number, got {}", formatAttrValue(eps));
  return "";
}

/// The channel dim 1 of a rank >= 2 input: [N, C, ...].
std::string checkChannels(const OpCall &c) {
  const TensorType &x = c.inputs[0];
  if (x.rank() < 2)
    return fmt::format("expects an input of at least 2 dimensions [N, C, ...], got {}",
                       shapeText(x));
  return "";
}

// batchnorm: per-channel normalization over dim 1 (torch.nn.BatchNorm1d/2d/3d
// with track_running_stats=True). The shape is kept.
std::string batchnormShape(OpCall &c, std::vector<TensorType> &outs) {
  if (std::string e = checkChannels(c); !e.empty())
    return e;
  if (std::string e = checkEps(c); !e.empty())
    return e;
  double momentum = c.attrs.getFloat("momentum");
  if (!(momentum >= 0 && momentum <= 1))
    return fmt::format("momentum must be between 0 and 1, got {}", formatAttrValue(momentum));
  outs.push_back(c.inputs[0]);
  return "";
}

void batchnormWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  int64_t ch = c.inputs[0].shape[1];
  if (c.attrs.getBool("affine")) {
    ws.push_back({"weight", {ch}, true, /*positive=*/true});
    ws.push_back({"bias", {ch}, true});
  }
  ws.push_back({"running_mean", {ch}, false});
  ws.push_back({"running_var", {ch}, false, /*positive=*/true});
  // Not listed: PyTorch's num_batches_tracked, a 0-d int64 step counter used only
  // in training; it is no tensor of the model's arithmetic, with no element type here.
}

/// layernorm's `dims` (an int or a list): consecutive dims of `x` in
/// increasing order, wrapped into [0, rank); sets `sizes` to their sizes.
std::string layernormDims(OpCall &c, Ints &dims, Ints &sizes) {
  const TensorType &x = c.inputs[0];
  const AttrValue &v = *c.attrs.find("dims");
  Ints given = std::holds_alternative<int64_t>(v) ? Ints{std::get<int64_t>(v)} : std::get<Ints>(v);
  if (given.empty())
    return "dims must name at least one dim, got []";
  for (int64_t d : given) {
    int64_t w;
    if (std::string e = wrapDim("dim", d, x, w); !e.empty())
      return e;
    if (!dims.empty() && w != dims.back() + 1)
      return fmt::format("dims must be consecutive and increasing, e.g. [1] or [1, 2], got {}",
                         formatAttrValue(given));
    dims.push_back(w);
    sizes.push_back(x.shape[static_cast<size_t>(w)]);
  }
  // A `shape` too must be the same (the normalized attributes have both).
  const AttrValue &shape = *c.attrs.find("shape");
  if (!std::holds_alternative<NoneAttr>(shape) && normalizedShape(c) != sizes)
    return fmt::format("shape {} and dims {} (sizes {}) disagree; give one of them",
                       formatAttrValue(shape), formatAttrValue(given), formatShape(sizes));
  return "";
}

/// A layernorm's input seen as [P, M, T]: the M elements of each (p, t)
/// are normalized together, `T` apart (T = 1 for trailing dims).
struct NormSpan {
  int64_t outer, size, stride;
};
NormSpan normSpan(const Attrs &attrs, const Shape &x) {
  const size_t rank = x.size();
  size_t first = rank - attrs.getInts("shape").size(), last = rank - 1;
  if (const auto *dims = std::get_if<Ints>(attrs.find("dims"))) {
    first = static_cast<size_t>(dims->front());
    last = static_cast<size_t>(dims->back());
  }
  int64_t p = 1, m = 1, t = 1;
  for (size_t i = 0; i < rank; ++i)
    (i < first ? p : i <= last ? m : t) *= x[i];
  return {p, m, t};
}

// layernorm: normalizes over the trailing dims given by `shape`
// (torch.nn.LayerNorm(normalized_shape)), or over consecutive `dims`
// anywhere (dims=[1] on [N, C, H, W] is torchvision's LayerNorm2d: channels);
// the shape is kept, `shape` is normalized to the sizes of the normalized
// dims and `dims` (when given) to their wrapped indices.
std::string layernormShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() == 0)
    return fmt::format("expects an input of at least 1 dimension, got {}", shapeText(x));
  if (!std::holds_alternative<NoneAttr>(*c.attrs.find("dims"))) {
    Ints dims, sizes;
    if (std::string e = layernormDims(c, dims, sizes); !e.empty())
      return e;
    if (std::string e = checkEps(c); !e.empty())
      return e;
    c.attrs.set("dims", dims);
    c.attrs.set("shape", sizes);
    outs.push_back(x);
    return "";
  }
  return trailingNormShape(c, outs);
}

void layernormWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  if (!c.attrs.getBool("affine"))
    return;
  Ints norm = normalizedShape(c);
  Shape s(norm.begin(), norm.end());
  ws.push_back({"weight", s, true, /*positive=*/true});
  ws.push_back({"bias", s, true});
}

// groupnorm: normalizes each of `groups` channel groups (torch.nn.GroupNorm);
// the shape is kept.
std::string groupnormShape(OpCall &c, std::vector<TensorType> &outs) {
  if (std::string e = checkChannels(c); !e.empty())
    return e;
  const TensorType &x = c.inputs[0];
  if (std::string e = checkChannelGroups(x, c.attrs.getInt("groups")); !e.empty())
    return e;
  if (std::string e = checkEps(c); !e.empty())
    return e;
  outs.push_back(x);
  return "";
}

void groupnormWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  if (!c.attrs.getBool("affine"))
    return;
  int64_t ch = c.inputs[0].shape[1];
  ws.push_back({"weight", {ch}, true, /*positive=*/true});
  ws.push_back({"bias", {ch}, true});
}

// layernorm, groupnorm: statistics at run time, then normalize (and scale).
std::string normCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  return flopsPerOutputElement(c.attrs.getBool("affine") ? 7 : 5, outs, w);
}

/// Product of the dims of `s` from `from` on.
size_t innerSize(const Shape &s, size_t from) {
  size_t n = 1;
  for (size_t i = from; i < s.size(); ++i)
    n *= static_cast<size_t>(s[i]);
  return n;
}

// batchnorm in eval mode: (x - running_mean) / sqrt(running_var + eps) *
// weight + bias per channel (dim 1); no weight and bias without affine.
void batchnormEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const bool affine = c.attrs.getBool("affine");
  const double eps = c.attrs.getFloat("eps");
  const Buffer *gamma = affine ? ws[0] : nullptr;
  const Buffer *beta = affine ? ws[1] : nullptr;
  const Buffer &mean = *ws[affine ? 2 : 0];
  const Buffer &var = *ws[affine ? 3 : 1];
  const size_t ch = static_cast<size_t>(x.shape[1]);
  const size_t inner = innerSize(x.shape, 2);
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t k = i / inner % ch;
    double v = (x.data[i] - mean.data[k]) / std::sqrt(var.data[k] + eps);
    if (affine)
      v = v * gamma->data[k] + beta->data[k];
    y.data[i] = v;
  }
}

/// Normalizes the `n` elements at `at + i * stride` with their own mean and
/// biased variance: (x - mean) / sqrt(var + eps).
void normalizeRun(const Buffer &x, Buffer &y, size_t at, size_t n, double eps,
                  size_t stride = 1) {
  double mean = 0;
  for (size_t i = 0; i < n; ++i)
    mean += x.data[at + i * stride];
  mean /= static_cast<double>(n);
  double var = 0;
  for (size_t i = 0; i < n; ++i)
    var += (x.data[at + i * stride] - mean) * (x.data[at + i * stride] - mean);
  var /= static_cast<double>(n);
  const double denom = std::sqrt(var + eps);
  for (size_t i = 0; i < n; ++i)
    y.data[at + i * stride] = (x.data[at + i * stride] - mean) / denom;
}

// layernorm: the input as [P, M, T] (normSpan): each of the P*T runs of M
// elements normalized, then scaled and shifted by weight and bias [M] at
// the run's index m.
void layernormEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const NormSpan s = normSpan(c.attrs, x.shape);
  const size_t m = static_cast<size_t>(s.size), t = static_cast<size_t>(s.stride);
  const double eps = c.attrs.getFloat("eps");
  for (size_t p = 0; p < static_cast<size_t>(s.outer); ++p)
    for (size_t j = 0; j < t; ++j)
      normalizeRun(x, y, p * m * t + j, m, eps, t);
  if (c.attrs.getBool("affine"))
    for (size_t i = 0; i < y.size(); ++i)
      y.data[i] = y.data[i] * ws[0]->data[i / t % m] + ws[1]->data[i / t % m];
}

// groupnorm: each group of C/groups channels of each sample normalized, then
// scaled and shifted per channel.
void groupnormEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const size_t ch = static_cast<size_t>(x.shape[1]);
  const size_t inner = innerSize(x.shape, 2);
  const size_t run = ch / static_cast<size_t>(c.attrs.getInt("groups")) * inner;
  const double eps = c.attrs.getFloat("eps");
  for (size_t at = 0; at < x.size(); at += run)
    normalizeRun(x, y, at, run, eps);
  if (c.attrs.getBool("affine"))
    for (size_t i = 0; i < y.size(); ++i) {
      const size_t k = i / inner % ch;
      y.data[i] = y.data[i] * ws[0]->data[k] + ws[1]->data[k];
    }
}

/// Product of the dims of `s` from `from` on, as an int64.
int64_t innerCount(const Shape &s, size_t from) {
  int64_t n = 1;
  for (size_t i = from; i < s.size(); ++i)
    n *= s[i];
  return n;
}

/// Emits the two-pass statistics of the `n` elements of `x` at `at + i *
/// stride` (i in [0, n)) into `mean` and `denom` = sqrt(var + eps), as
/// normalizeRun.
void emitRunStats(CodeWriter &w, const std::string &x, const std::string &at, int64_t n,
                  double eps, int64_t stride = 1) {
  const std::string i = stride == 1 ? "i" : fmt::format("i * {}", stride);
  w.line("T mean = T(0);");
  w.forLoop("i", n);
  w.line("mean += {}[{} + {}];", x, at, i);
  w.close();
  w.line("mean /= {};", lit(static_cast<double>(n)));
  w.line("T var = T(0);");
  w.forLoop("i", n);
  w.line("const T dv = {}[{} + {}] - mean;", x, at, i);
  w.line("var += dv * dv;");
  w.close();
  w.line("var /= {};", lit(static_cast<double>(n)));
  w.line("const T denom = std::sqrt(var + {});", lit(eps));
}

// batchnorm (eval mode): a per-channel scale and shift from the running
// statistics, elementwise over [N, C, inner].
std::string batchnormKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  const bool affine = c.attrs.getBool("affine");
  const std::string eps = lit(c.attrs.getFloat("eps"));
  const std::string &mean = c.w[affine ? 2 : 0], &var = c.w[affine ? 3 : 1];
  const int64_t inner = innerCount(x, 2);
  c.name = "batchnorm";
  w.forLoop("n", x[0]);
  w.forLoop("c", x[1]);
  w.forLoop("i", inner);
  w.line("const i64 at = (n * {} + c) * {} + i;", x[1], inner);
  std::string v = fmt::format("({}[at] - {}[c]) / std::sqrt({}[c] + {})", c.in[0], mean, var, eps);
  if (affine)
    v = fmt::format("{} * {}[c] + {}[c]", v, c.w[0], c.w[1]);
  c.store(w, 0, "at", v);
  w.close();
  w.close();
  w.close();
  return "";
}

// layernorm: the input as [P, M, T] (normSpan); each run of M elements, T
// apart, normalized with its own mean and biased variance, then scaled and
// shifted by the weight and bias at its index.
std::string layernormKernel(KernelCall &c, CodeWriter &w) {
  const NormSpan s = normSpan(c.attrs, c.inputs[0].shape);
  const bool affine = c.attrs.getBool("affine");
  const std::string i = s.stride == 1 ? "i" : fmt::format("i * {}", s.stride);
  c.name = s.stride == 1 ? "layernorm" : fmt::format("layernorm_strided{}", s.stride);
  w.forLoop("r", s.outer);
  if (s.stride > 1)
    w.forLoop("t", s.stride);
  w.line(s.stride == 1 ? "const i64 at = r * {};" : "const i64 at = r * {} + t;",
         s.size * s.stride);
  emitRunStats(w, c.in[0], "at", s.size, c.attrs.getFloat("eps"), s.stride);
  w.forLoop("i", s.size);
  std::string v = fmt::format("({}[at + {}] - mean) / denom", c.in[0], i);
  if (affine)
    v = fmt::format("{} * {}[i] + {}[i]", v, c.w[0], c.w[1]);
  c.store(w, 0, "at + " + i, v);
  w.close();
  if (s.stride > 1)
    w.close();
  w.close();
  return "";
}

// groupnorm: each group of C/groups channels of each sample normalized,
// then scaled and shifted per channel.
std::string groupnormKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  const int64_t groups = c.attrs.getInt("groups"), cpg = x[1] / groups;
  const int64_t inner = innerCount(x, 2), run = cpg * inner;
  const bool affine = c.attrs.getBool("affine");
  c.name = fmt::format("groupnorm_g{}", groups);
  w.forLoop("n", x[0]);
  w.forLoop("g", groups);
  w.line("const i64 at = (n * {} + g) * {};", groups, run);
  emitRunStats(w, c.in[0], "at", run, c.attrs.getFloat("eps"));
  w.forLoop("cg", cpg);
  if (affine)
    w.line("const i64 c = g * {} + cg;", cpg);
  w.forLoop("i", inner);
  w.line("const i64 e = at + cg * {} + i;", inner);
  std::string v = fmt::format("({}[e] - mean) / denom", c.in[0]);
  if (affine)
    v = fmt::format("{} * {}[c] + {}[c]", v, c.w[0], c.w[1]);
  c.store(w, 0, "e", v);
  w.close();
  w.close();
  w.close();
  w.close();
  return "";
}

} // namespace

void registerNormOps(OpTable &t) {
  // At inference a batchnorm is a per-channel scale and shift: a broadcast.
  OpDef &bn = t.add({"batchnorm",
         {{"x", ParamKind::Tensor},
          {"eps", ParamKind::Float, false, 1e-5},
          {"momentum", ParamKind::Float, false, 0.1},
          {"affine", ParamKind::Bool, false, true}},
         PatternKind::Broadcast,
         batchnormShape,
         batchnormWeights,
         "batch normalization over dim 1 (torch.nn.BatchNorm2d): weight, bias, running_mean, "
         "running_var [C]",
         costPerOutput<2>,
         "2 FLOPs per element (the inference-time scale and shift)"});
  bn.eval = batchnormEval;
  bn.kernel = batchnormKernel;
  bn.onnx = batchnormOnnx;
  bn.foldsIntoLayer = true;
  bn.dnnl.kind = DnnlKind::BatchNorm;
  // layernorm and groupnorm compute statistics at run time: reductions.
  OpDef &ln = t.add({"layernorm",
         {{"x", ParamKind::Tensor},
          {"shape", ParamKind::OptInts, false, NoneAttr{}},
          {"eps", ParamKind::Float, false, 1e-5},
          {"affine", ParamKind::Bool, false, true},
          {"dims", ParamKind::OptInts, false, NoneAttr{}}},
         PatternKind::Reduce,
         layernormShape,
         layernormWeights,
         "layer normalization over the trailing dims `shape`, default the last one "
         "(torch.nn.LayerNorm), or over consecutive `dims` (dims=[1] on NCHW: channels, "
         "torchvision's LayerNorm2d): weight, bias [sizes of those dims]",
         normCost,
         "5 FLOPs per element (mean, subtract, variance 2, normalize), +2 with affine"});
  ln.eval = layernormEval;
  ln.kernel = layernormKernel;
  ln.onnx = layernormOnnx;
  ln.dnnl.kind = DnnlKind::LayerNorm;
  ln.trailingDim = [](const Attrs &a) {
    const AttrValue *dims = a.find("dims");
    if ((dims && !std::holds_alternative<NoneAttr>(*dims)) || a.getInts("shape").size() != 1)
      return TrailingDimUse{};
    return TrailingDimUse{"normalizes over", "for channels use layernorm(x, dims=[1])"};
  };
  OpDef &gn = t.add({"groupnorm",
         {{"x", ParamKind::Tensor},
          {"groups", ParamKind::Int},
          {"eps", ParamKind::Float, false, 1e-5},
          {"affine", ParamKind::Bool, false, true}},
         PatternKind::Reduce,
         groupnormShape,
         groupnormWeights,
         "group normalization of dim 1 in `groups` groups (torch.nn.GroupNorm): weight, bias [C]",
         normCost,
         "5 FLOPs per element (mean, subtract, variance 2, normalize), +2 with affine"});
  gn.eval = groupnormEval;
  gn.kernel = groupnormKernel;
  gn.onnx = groupnormOnnx;
  gn.dnnl.why = "oneDNN 2.6 has no group normalization primitive (it came in 3.3)";
}

Ints normalizedShape(const OpCall &c) {
  const AttrValue &v = *c.attrs.find("shape");
  if (const auto *i = std::get_if<int64_t>(&v))
    return {*i};
  if (const auto *is = std::get_if<Ints>(&v))
    return *is;
  const Shape &s = c.inputs[0].shape;
  return s.empty() ? Ints{} : Ints{s.back()};
}

std::string trailingNormShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() == 0)
    return fmt::format("expects an input of at least 1 dimension, got {}", shapeText(x));
  Ints norm = normalizedShape(c);
  if (norm.empty())
    return "normalized shape must have at least one dimension, got []";
  for (int64_t d : norm)
    if (d <= 0)
      return fmt::format("normalized shape must be positive, got {}", formatShape(norm));
  bool matches = norm.size() <= x.rank();
  for (size_t i = 0; matches && i < norm.size(); ++i)
    matches = x.shape[x.rank() - norm.size() + i] == norm[i];
  if (!matches) {
    std::string expected = formatShape(norm);
    return fmt::format("normalized shape {} does not match the trailing dimensions of {} "
                       "(expected [*,{}])",
                       expected, shapeText(x), expected.substr(1, expected.size() - 2));
  }
  if (std::string e = checkEps(c); !e.empty())
    return e;
  c.attrs.set("shape", norm);
  outs.push_back(x);
  return "";
}

} // namespace netc::ir
