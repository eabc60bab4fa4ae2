//===- PrimitiveSpec.cpp - the oneDNN primitive of a layer, as data -------===//
#include "measure/PrimitiveSpec.h"

#include "target/Kernels.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <numeric>

namespace netc::measure {

using ir::DnnlAlg;
using ir::DnnlKind;

namespace {

/// A tensor's dims at the report's batch (dim 0 scaled).
Dims dimsOf(const ir::TensorType &t, int64_t batch) {
  Dims d(t.shape.begin(), t.shape.end());
  if (!d.empty())
    d[0] *= batch;
  return d;
}

/// `d` with leading 1s up to `rank` dims (broadcasting's alignment).
Dims padRank(Dims d, size_t rank) {
  while (d.size() < rank)
    d.insert(d.begin(), 1);
  return d;
}

int64_t product(const Dims &d, size_t from, size_t to) {
  return std::accumulate(d.begin() + static_cast<ptrdiff_t>(from),
                         d.begin() + static_cast<ptrdiff_t>(to), int64_t{1},
                         std::multiplies<>());
}

PrimitiveSpec unsupported(std::string why) {
  PrimitiveSpec s;
  s.status = SpecStatus::Unsupported;
  s.why = std::move(why);
  return s;
}

/// The op's DnnlOp for a call with `attrs` (its refine rule applied).
ir::DnnlOp dnnlOf(const ir::OpDef &op, const ir::Attrs &attrs) {
  ir::DnnlOp d = op.dnnl;
  if (d.refine)
    d.refine(attrs, d);
  return d;
}

/// An eltwise algorithm as oneDNN 2.6 runs it: hardsigmoid has no algorithm
/// of its own, so it is an affine map then a clip.
std::vector<PostOp> eltwiseSteps(const ir::DnnlOp &d) {
  if (d.alg == DnnlAlg::HardSigmoid)
    return {{DnnlAlg::Affine, 1.0f / 6, 0.5f, {}}, {DnnlAlg::Clip, 0, 1, {}}};
  return {{d.alg, d.alpha, d.beta, {}}};
}

/// Convolution and deconvolution: weights, bias, window, padding.
void mapConvolution(const ir::Node &n, bool transposed, PrimitiveSpec &s) {
  const ir::Attrs &a = n.attrs;
  const int64_t c = s.src[0][1], o = s.dst[1], g = a.getInt("groups");
  const ir::Ints &k = a.getInts("k"), &st = a.getInts("stride"), &dil = a.getInts("dilation");
  const Dims w = {o / g, c / g, k[0], k[1]};
  s.weights = g == 1 ? w : Dims{g, w[0], w[1], w[2], w[3]};
  if (a.getBool("bias"))
    s.bias = {o};
  s.kernel = {k[0], k[1]};
  s.strides = {st[0], st[1]};
  s.dilation = {dil[0] - 1, dil[1] - 1};
  const ir::Ints &p = a.getInts("padding");
  if (!transposed) { // [top, bottom, left, right]
    s.padL = {p[0], p[2]};
    s.padR = {p[1], p[3]};
    return;
  }
  // Transposed: output = (in - 1) s - padL - padR + (k - 1) d + 1, so
  // output_padding comes off the right padding.
  const ir::Ints &op = a.getInts("output_padding");
  s.padL = {p[0], p[1]};
  s.padR = {p[0] - op[0], p[1] - op[1]};
}

/// Pooling windows; ceil mode shows as extra right padding (what oneDNN
/// needs to produce the output size PyTorch's rule gave).
std::string mapPooling(const ir::Node &n, PrimitiveSpec &s) {
  const Dims &in = s.src[0];
  const int64_t h = in[2], w = in[3], oh = s.dst[2], ow = s.dst[3];
  s.dilation = {0, 0};
  s.padL = s.padR = {0, 0};
  if (!n.attrs.has("k")) { // adaptive and global average pooling
    const bool fixed = n.attrs.has("size");
    if (fixed && (h % oh != 0 || w % ow != 0))
      return fmt::format("adaptive pooling of {}x{} to {}x{} has windows of unequal sizes, "
                         "which oneDNN's pooling cannot express",
                         h, w, oh, ow);
    s.kernel = s.strides = {h / oh, w / ow};
    return "";
  }
  const ir::Ints &k = n.attrs.getInts("k"), &st = n.attrs.getInts("stride"),
                 &p = n.attrs.getInts("padding");
  s.kernel = {k[0], k[1]};
  s.strides = {st[0], st[1]};
  if (n.attrs.has("dilation"))
    s.dilation = {n.attrs.getInts("dilation")[0] - 1, n.attrs.getInts("dilation")[1] - 1};
  s.padL = {p[0], p[1]};
  const Dims size = {h, w}, out = {oh, ow};
  s.padR.resize(2);
  for (size_t i = 0; i < 2; ++i) {
    const int64_t extent = (s.kernel[i] - 1) * (s.dilation[i] + 1) + 1;
    s.padR[i] = std::max(p[i], (out[i] - 1) * s.strides[i] + extent - size[i] - p[i]);
  }
  return "";
}

/// Binary ops broadcast their second operand only: a first operand that
/// broadcasts swaps with the second (the same work; sub and div then compute
/// b - a, b / a, which time the same).
std::string mapBinary(PrimitiveSpec &s) {
  const size_t rank = s.dst.size();
  s.src[0] = padRank(s.src[0], rank);
  s.src[1] = padRank(s.src[1], rank);
  if (s.src[0] != s.dst)
    std::swap(s.src[0], s.src[1]);
  if (s.src[0] != s.dst)
    return "both operands of a binary op broadcast, which oneDNN's binary primitive cannot "
           "express";
  return "";
}

/// matmul: 1-D operands become matrices, then both get the same rank.
void mapMatMul(PrimitiveSpec &s) {
  if (s.src[0].size() == 1)
    s.src[0].insert(s.src[0].begin(), 1);
  if (s.src[1].size() == 1)
    s.src[1].push_back(1);
  const size_t rank = std::max(s.src[0].size(), s.src[1].size());
  s.src[0] = padRank(s.src[0], rank);
  s.src[1] = padRank(s.src[1], rank);
  s.dst = s.src[0];
  s.dst.back() = s.src[1].back();
  for (size_t i = 0; i + 2 < rank; ++i)
    s.dst[i] = std::max(s.src[0][i], s.src[1][i]);
}

/// linear over the last dim: an inner product over a [rows, in] matrix.
void mapInnerProduct(const ir::Node &n, PrimitiveSpec &s) {
  const int64_t in = s.src[0].back(), out = s.dst.back();
  const int64_t rows = product(s.src[0], 0, s.src[0].size() - 1);
  s.src[0] = {rows, in};
  s.dst = {rows, out};
  s.weights = {out, in};
  if (n.attrs.getBool("bias"))
    s.bias = {out};
}

/// layernorm over its trailing `shape` dims: oneDNN normalizes the last dim,
/// so the tensor is viewed as [rows, normalized elements].
void mapLayerNorm(const ir::Node &n, PrimitiveSpec &s) {
  const size_t normalized = n.attrs.getInts("shape").size(), rank = s.src[0].size();
  Dims flat = {product(s.src[0], 0, rank - normalized), product(s.src[0], rank - normalized, rank)};
  // Normalized dims in the middle (layernorm(x, dims=[1])): oneDNN
  // normalizes the last dim, so the same problem is timed densely as
  // [rows, normalized]; the strided access of NCHW is not modelled.
  if (const auto *dims = std::get_if<ir::Ints>(n.attrs.find("dims"))) {
    const size_t first = static_cast<size_t>(dims->front()), last = static_cast<size_t>(dims->back()) + 1;
    const int64_t m = product(s.src[0], first, last);
    flat = {product(s.src[0], 0, rank) / m, m};
  }
  s.src[0] = s.dst = flat;
}

/// The fields of each kind beyond src and dst; an error or "".
std::string mapKind(const ir::Graph &g, const ir::Node &n, PrimitiveSpec &s) {
  auto wrap = [&](int64_t d) { return d < 0 ? d + static_cast<int64_t>(s.dst.size()) : d; };
  switch (s.kind) {
  case DnnlKind::Convolution: mapConvolution(n, false, s); return "";
  case DnnlKind::Deconvolution: mapConvolution(n, true, s); return "";
  case DnnlKind::InnerProduct: mapInnerProduct(n, s); return "";
  case DnnlKind::MatMul: mapMatMul(s); return "";
  case DnnlKind::Pooling: return mapPooling(n, s);
  case DnnlKind::Binary: return mapBinary(s);
  case DnnlKind::BatchNorm:
  case DnnlKind::LayerNorm:
    s.eps = static_cast<float>(n.attrs.getFloat("eps"));
    s.scaleShift = n.attrs.getBool("affine");
    if (s.kind == DnnlKind::LayerNorm)
      mapLayerNorm(n, s);
    return "";
  case DnnlKind::Softmax: s.axis = wrap(n.attrs.getInt("dim")); return "";
  case DnnlKind::Concat: s.axis = wrap(n.attrs.getInt("dim")); return "";
  case DnnlKind::Shuffle:
    s.axis = 1;
    s.groupSize = n.attrs.getInt("groups");
    return "";
  case DnnlKind::Reorder:
    s.perm = n.op->dnnl.permutation(n.attrs, g.type(n.inputs[0]).rank());
    return "";
  default: return "";
  }
}

/// The epilogues as post-ops; an error naming the one oneDNN cannot fuse.
std::string mapEpilogue(const ir::Graph &g, const ir::Node &n, int64_t batch,
                        PrimitiveSpec &s) {
  for (const ir::Epilogue &e : n.epilogue) {
    const ir::DnnlOp d = dnnlOf(*e.op, e.attrs);
    if (d.kind == DnnlKind::Eltwise) {
      for (const PostOp &p : eltwiseSteps(d))
        s.postOps.push_back(p);
      continue;
    }
    if (d.kind != DnnlKind::Binary || e.extraInput < 0)
      return fmt::format("fused '{}' ({}) is not a oneDNN post-op", e.name, e.op->name);
    Dims other = padRank(dimsOf(g.type(n.inputs[static_cast<size_t>(e.extraInput)]), batch),
                         s.dst.size());
    if (d.alg == DnnlAlg::Add && other == s.dst) {
      s.postOps.push_back({d.alg, 0, 0, {}, /*sum=*/true});
      continue;
    }
    s.postOps.push_back({d.alg, 0, 0, std::move(other)});
  }
  return "";
}

} // namespace

PrimitiveSpec mapNode(const ir::Graph &g, const ir::Node &n, int64_t batch) {
  const ir::OpDef &op = *n.op;
  if (op.view || op.isInput) {
    PrimitiveSpec s;
    s.status = SpecStatus::View;
    return s;
  }
  const ir::DnnlOp d = dnnlOf(op, n.attrs);
  if (d.kind == DnnlKind::None)
    return unsupported(fmt::format("'{}': {}", op.name, d.why ? d.why : "no oneDNN primitive"));
  PrimitiveSpec s;
  s.kind = d.kind;
  s.alg = d.alg;
  s.alpha = d.alpha;
  s.beta = d.beta;
  for (size_t i = 0; i < n.primaryInputs(); ++i)
    s.src.push_back(dimsOf(g.type(n.inputs[i]), batch));
  s.dst = dimsOf(g.type(n.outputs[0]), batch);
  if (s.kind == DnnlKind::Eltwise) {
    std::vector<PostOp> steps = eltwiseSteps(d);
    s.alg = steps[0].alg, s.alpha = steps[0].alpha, s.beta = steps[0].beta;
    s.postOps.assign(steps.begin() + 1, steps.end());
  }
  std::string e = mapKind(g, n, s);
  if (e.empty())
    e = mapEpilogue(g, n, batch, s);
  if (!e.empty())
    return unsupported(fmt::format("'{}': {}", op.name, e));
  return s;
}

const char *kindName(DnnlKind k) {
  switch (k) {
  case DnnlKind::None: return "none";
  case DnnlKind::Convolution: return "convolution";
  case DnnlKind::Deconvolution: return "deconvolution";
  case DnnlKind::InnerProduct: return "inner_product";
  case DnnlKind::MatMul: return "matmul";
  case DnnlKind::Pooling: return "pooling";
  case DnnlKind::Eltwise: return "eltwise";
  case DnnlKind::Binary: return "binary";
  case DnnlKind::BatchNorm: return "batch_normalization";
  case DnnlKind::LayerNorm: return "layer_normalization";
  case DnnlKind::Softmax: return "softmax";
  case DnnlKind::Concat: return "concat";
  case DnnlKind::Resampling: return "resampling";
  case DnnlKind::Shuffle: return "shuffle";
  case DnnlKind::Reorder: return "reorder";
  }
  return "?";
}

const char *algName(DnnlAlg a) {
  static const char *const names[] = {
      "none",     "relu",       "clip",       "logistic",   "tanh",
      "swish",    "hardswish",  "gelu_erf",   "gelu_tanh",  "hardsigmoid",
      "linear",   "binary_add", "binary_sub", "binary_mul", "binary_div",
      "max",      "avg_include_padding", "avg_exclude_padding", "nearest", "linear"};
  static_assert(sizeof names / sizeof names[0] == static_cast<size_t>(DnnlAlg::Bilinear) + 1);
  return names[static_cast<size_t>(a)];
}

namespace {
int64_t elements(const Dims &d) { return product(d, 0, d.size()); }
} // namespace

KernelPoint kernelPoint(const PrimitiveSpec &s) {
  KernelPoint p;
  if (s.status != SpecStatus::Run || s.src.empty())
    return p;
  switch (s.kind) {
  case DnnlKind::Convolution:
  case DnnlKind::Deconvolution: {
    if (s.src[0].size() != 4 || s.dst.size() != 4 || s.weights.size() < 4)
      break; // a 1-D or 3-D convolution: no family of its own
    const bool grouped = s.weights.size() == 5;
    const int64_t groups = grouped ? s.weights[0] : 1;
    const size_t kh = s.weights.size() - 2;
    p.family = s.kind == DnnlKind::Convolution ? target::kFamilyConv : target::kFamilyDeconv;
    p.dims = {s.src[0][1], s.dst[1],    groups, s.dst[0] * s.dst[2], s.dst[3],
              s.weights[kh], s.weights[kh + 1], s.strides.empty() ? 1 : s.strides[0]};
    return p;
  }
  case DnnlKind::InnerProduct:
    p.family = target::kFamilyLinear;
    p.dims = {s.src[0][0], elements(s.src[0]) / std::max<int64_t>(s.src[0][0], 1),
              s.dst.size() > 1 ? s.dst[1] : 1};
    return p;
  case DnnlKind::MatMul: {
    if (s.src.size() < 2 || s.src[0].size() < 2 || s.dst.size() < 2)
      break;
    const size_t r = s.dst.size();
    p.family = target::kFamilyMatmul;
    p.dims = {elements(s.dst) / (s.dst[r - 2] * s.dst[r - 1]), s.dst[r - 2],
              s.src[0][s.src[0].size() - 1], s.dst[r - 1]};
    return p;
  }
  default: {
    int64_t in = 0;
    for (const Dims &d : s.src)
      in += elements(d);
    p.family = s.kind == DnnlKind::Concat   ? target::kFamilyConcat
               : s.kind == DnnlKind::Binary ? algName(s.alg)
               : s.alg == DnnlAlg::None     ? kindName(s.kind)
                                            : std::string(kindName(s.kind)) + "_" + algName(s.alg);
    p.dims = {in, elements(s.dst)};
    if (s.kind == DnnlKind::Concat)
      p.dims.insert(p.dims.begin(), static_cast<int64_t>(s.src.size()));
    return p;
  }
  }
  p.family.clear();
  return p;
}

std::string primitiveName(const PrimitiveSpec &s) {
  if (s.status == SpecStatus::View)
    return "view";
  if (s.status == SpecStatus::Unsupported)
    return "-";
  std::string name = kindName(s.kind);
  for (const PostOp &p : s.postOps)
    name += std::string("+") + (p.sum ? "sum" : algName(p.alg));
  return name;
}

std::string configKey(const PrimitiveSpec &s) {
  if (s.status != SpecStatus::Run)
    return "";
  std::string k = fmt::format("{} {} a{} b{}", kindName(s.kind), algName(s.alg), s.alpha, s.beta);
  for (const Dims &d : s.src)
    k += fmt::format(" src[{}]", fmt::join(d, ","));
  k += fmt::format(" dst[{}] wei[{}] bia[{}]", fmt::join(s.dst, ","), fmt::join(s.weights, ","),
                   fmt::join(s.bias, ","));
  k += fmt::format(" k[{}] s[{}] d[{}] pl[{}] pr[{}]", fmt::join(s.kernel, ","),
                   fmt::join(s.strides, ","), fmt::join(s.dilation, ","),
                   fmt::join(s.padL, ","), fmt::join(s.padR, ","));
  k += fmt::format(" axis{} g{} perm[{}] eps{} ss{}", s.axis, s.groupSize,
                   fmt::join(s.perm, ","), s.eps, s.scaleShift);
  for (const PostOp &p : s.postOps)
    k += fmt::format(" +{}({},{})[{}]", p.sum ? "sum" : algName(p.alg), p.alpha, p.beta,
                     fmt::join(p.src1, ","));
  return k;
}

} // namespace netc::measure
