//===- Runner.cpp - build and time oneDNN primitives ----------------------===//
#include "measure/Runner.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_map>

namespace netc::measure {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using ir::DnnlAlg;
using ir::DnnlKind;
using Tag = memory::format_tag;

Stats summarize(std::vector<double> samples) {
  if (samples.empty())
    return {};
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  const double median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  return {samples.front(), median, samples.back()};
}

namespace {

constexpr auto kFwd = prop_kind::forward_inference;
constexpr size_t kFlushBytes = 4 << 20;

algorithm dnnlAlgorithm(DnnlAlg a) {
  switch (a) {
  case DnnlAlg::Relu: return algorithm::eltwise_relu;
  case DnnlAlg::Clip: return algorithm::eltwise_clip;
  case DnnlAlg::Logistic: return algorithm::eltwise_logistic;
  case DnnlAlg::Tanh: return algorithm::eltwise_tanh;
  case DnnlAlg::Swish: return algorithm::eltwise_swish;
  case DnnlAlg::HardSwish: return algorithm::eltwise_hardswish;
  case DnnlAlg::GeluErf: return algorithm::eltwise_gelu_erf;
  case DnnlAlg::GeluTanh: return algorithm::eltwise_gelu_tanh;
  case DnnlAlg::Affine: return algorithm::eltwise_linear;
  case DnnlAlg::Add: return algorithm::binary_add;
  case DnnlAlg::Sub: return algorithm::binary_sub;
  case DnnlAlg::Mul: return algorithm::binary_mul;
  case DnnlAlg::Div: return algorithm::binary_div;
  case DnnlAlg::PoolMax: return algorithm::pooling_max;
  case DnnlAlg::PoolAvgIncludePad: return algorithm::pooling_avg_include_padding;
  case DnnlAlg::PoolAvgExcludePad: return algorithm::pooling_avg_exclude_padding;
  case DnnlAlg::Nearest: return algorithm::resampling_nearest;
  case DnnlAlg::Bilinear: return algorithm::resampling_linear;
  default: return algorithm::undef; // HardSigmoid is expanded by mapNode
  }
}

Tag plainTag(size_t rank) {
  static const Tag tags[] = {Tag::undef, Tag::a, Tag::ab, Tag::abc, Tag::abcd, Tag::abcde,
                             Tag::abcdef};
  return rank < std::size(tags) ? tags[rank] : Tag::undef;
}

memory::desc plain(const Dims &d) { return {d, memory::data_type::f32, plainTag(d.size())}; }
memory::desc any(const Dims &d) { return {d, memory::data_type::f32, Tag::any}; }

/// The post-ops of `s`: a binary operand (a broadcast one: an SE multiply)
/// is plain row-major.
dnnl::primitive_attr postOps(const PrimitiveSpec &s) {
  dnnl::post_ops po;
  for (const PostOp &p : s.postOps) {
    if (p.sum)
      po.append_sum(1.0f);
    else if (p.src1.empty())
      po.append_eltwise(1.0f, dnnlAlgorithm(p.alg), p.alpha, p.beta);
    else
      po.append_binary(dnnlAlgorithm(p.alg), plain(p.src1));
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  return attr;
}

dnnl::primitive_desc_base convolutionPd(const PrimitiveSpec &s, const dnnl::primitive_attr &attr,
                                   const dnnl::engine &eng) {
  const memory::desc bias = s.bias.empty() ? memory::desc() : any(s.bias);
  if (s.kind == DnnlKind::Deconvolution) {
    dnnl::deconvolution_forward::desc d(kFwd, algorithm::deconvolution_direct, any(s.src[0]),
                                        any(s.weights), bias, any(s.dst), s.strides,
                                        s.dilation, s.padL, s.padR);
    return dnnl::deconvolution_forward::primitive_desc(d, attr, eng);
  }
  dnnl::convolution_forward::desc d(kFwd, algorithm::convolution_direct, any(s.src[0]),
                                    any(s.weights), bias, any(s.dst), s.strides, s.dilation,
                                    s.padL, s.padR);
  return dnnl::convolution_forward::primitive_desc(d, attr, eng);
}

/// With Layout::Plain an inner product runs on the plain weights and
/// activations, as a framework's linear layer calls a GEMM on them
/// (PyTorch: addmm through BLAS), without reordering 100 MB of weights on
/// every call.
dnnl::primitive_desc_base matrixPd(const PrimitiveSpec &s, const dnnl::primitive_attr &attr,
                              const dnnl::engine &eng, Layout layout) {
  if (s.kind == DnnlKind::MatMul) {
    dnnl::matmul::desc d(plain(s.src[0]), plain(s.src[1]), plain(s.dst));
    return dnnl::matmul::primitive_desc(d, attr, eng);
  }
  auto md = layout == Layout::Plain ? plain : any;
  const memory::desc bias = s.bias.empty() ? memory::desc() : md(s.bias);
  dnnl::inner_product_forward::desc d(kFwd, md(s.src[0]), md(s.weights), bias, md(s.dst));
  return dnnl::inner_product_forward::primitive_desc(d, attr, eng);
}

dnnl::primitive_desc_base normPd(const PrimitiveSpec &s, const dnnl::primitive_attr &attr,
                            const dnnl::engine &eng) {
  using F = dnnl::normalization_flags;
  F flags = s.scaleShift ? F::use_scale | F::use_shift : F::none;
  if (s.kind == DnnlKind::BatchNorm && s.src[0].size() >= 2) {
    // Inference batch norm is a per-channel affine, x * scale + shift, and
    // frameworks run it as one (PyTorch's native kernel): a binary multiply
    // by [1, C, 1, ...] with the shift as a first binary-add post-op. oneDNN
    // 2.6's batch_normalization on plain layouts is its generic ncsp kernel,
    // about 5x slower.
    Dims channel(s.src[0].size(), 1);
    channel[1] = s.src[0][1];
    dnnl::post_ops po;
    po.append_binary(algorithm::binary_add, plain(channel));
    const dnnl::post_ops given = attr.get_post_ops();
    for (int i = 0; i < given.len(); ++i) {
      if (given.kind(i) == dnnl::primitive::kind::eltwise) {
        float scale, alpha, beta;
        algorithm alg;
        given.get_params_eltwise(i, scale, alg, alpha, beta);
        po.append_eltwise(scale, alg, alpha, beta);
      } else if (given.kind(i) == dnnl::primitive::kind::binary) {
        algorithm alg;
        memory::desc src1;
        given.get_params_binary(i, alg, src1);
        po.append_binary(alg, src1);
      } else {
        po.append_sum(1.0f);
      }
    }
    dnnl::primitive_attr affine;
    affine.set_post_ops(po);
    dnnl::binary::desc d(algorithm::binary_mul, plain(s.src[0]), plain(channel), plain(s.src[0]));
    return dnnl::binary::primitive_desc(d, affine, eng);
  }
  dnnl::layer_normalization_forward::desc d(kFwd, plain(s.src[0]), s.eps, flags);
  return dnnl::layer_normalization_forward::primitive_desc(d, attr, eng);
}

/// Concat and reorder have no op descriptor: their primitive_desc directly.
dnnl::primitive_desc_base dataMovementPd(const PrimitiveSpec &s, const dnnl::primitive_attr &attr,
                                    const dnnl::engine &eng) {
  if (s.kind == DnnlKind::Concat) {
    std::vector<memory::desc> srcs;
    for (const Dims &d : s.src)
      srcs.push_back(plain(d));
    return dnnl::concat::primitive_desc(static_cast<int>(s.axis), srcs, eng, attr);
  }
  // The output, in the input's dims order: input dim perm[i] steps by the
  // output's row-major stride of dim i.
  const Dims &in = s.src[0];
  Dims strides(in.size());
  int64_t step = 1;
  for (size_t i = s.perm.size(); i-- > 0;) {
    strides[static_cast<size_t>(s.perm[i])] = step;
    step *= in[static_cast<size_t>(s.perm[i])];
  }
  memory::desc dst(in, memory::data_type::f32, strides);
  return dnnl::reorder::primitive_desc(eng, plain(in), eng, dst, attr);
}

dnnl::primitive_desc_base otherPd(const PrimitiveSpec &s, const dnnl::primitive_attr &attr,
                             const dnnl::engine &eng) {
  const algorithm alg = dnnlAlgorithm(s.alg);
  switch (s.kind) {
  case DnnlKind::Pooling: {
    dnnl::pooling_v2_forward::desc d(kFwd, alg, plain(s.src[0]), plain(s.dst), s.strides,
                                     s.kernel, s.dilation, s.padL, s.padR);
    return dnnl::pooling_v2_forward::primitive_desc(d, attr, eng);
  }
  case DnnlKind::Eltwise: {
    dnnl::eltwise_forward::desc d(kFwd, alg, plain(s.src[0]), s.alpha, s.beta);
    return dnnl::eltwise_forward::primitive_desc(d, attr, eng);
  }
  case DnnlKind::Binary: {
    dnnl::binary::desc d(alg, plain(s.src[0]), plain(s.src[1]), plain(s.dst));
    return dnnl::binary::primitive_desc(d, attr, eng);
  }
  case DnnlKind::Softmax: {
    dnnl::softmax_forward::desc d(kFwd, plain(s.src[0]), static_cast<int>(s.axis));
    return dnnl::softmax_forward::primitive_desc(d, attr, eng);
  }
  case DnnlKind::Resampling: {
    dnnl::resampling_forward::desc d(kFwd, alg, plain(s.src[0]), plain(s.dst));
    return dnnl::resampling_forward::primitive_desc(d, attr, eng);
  }
  case DnnlKind::Shuffle: {
    dnnl::shuffle_forward::desc d(kFwd, plain(s.src[0]), static_cast<int>(s.axis),
                                  s.groupSize);
    return dnnl::shuffle_forward::primitive_desc(d, eng, attr);
  }
  default: return dataMovementPd(s, attr, eng);
  }
}

dnnl::primitive_desc_base makePd(const PrimitiveSpec &s, const dnnl::primitive_attr &attr,
                            const dnnl::engine &eng, Layout layout) {
  switch (s.kind) {
  case DnnlKind::Convolution:
  case DnnlKind::Deconvolution: return convolutionPd(s, attr, eng);
  case DnnlKind::InnerProduct:
  case DnnlKind::MatMul: return matrixPd(s, attr, eng, layout);
  case DnnlKind::BatchNorm:
  case DnnlKind::LayerNorm: return normPd(s, attr, eng);
  default: return otherPd(s, attr, eng);
  }
}


/// Small positive values: no denormals, no NaN (a variance must be >= 0).
void fill(dnnl::memory &m) {
  const size_t n = m.get_desc().get_size() / sizeof(float);
  float *p = static_cast<float *>(m.get_data_handle());
  for (size_t i = 0; i < n; ++i)
    p[i] = 0.5f + 0.03125f * static_cast<float>(i % 16);
}

/// A memory for every argument the primitive takes, and each binary
/// post-op's operand.
std::unordered_map<int, dnnl::memory> arguments(const PrimitiveSpec &s,
                                                const dnnl::primitive_desc_base &pd,
                                                const dnnl::engine &eng) {
  std::vector<int> args = {DNNL_ARG_SRC, DNNL_ARG_SRC_1,    DNNL_ARG_WEIGHTS,
                           DNNL_ARG_BIAS, DNNL_ARG_DST,     DNNL_ARG_MEAN,
                           DNNL_ARG_VARIANCE, DNNL_ARG_SCALE, DNNL_ARG_SHIFT,
                           DNNL_ARG_WORKSPACE};
  for (size_t i = 0; i < s.src.size() && s.kind == DnnlKind::Concat; ++i)
    args.push_back(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i));
  const dnnl::primitive_attr attr = pd.get_primitive_attr(); // as built, not as specified
  const dnnl::post_ops po = attr.get_post_ops();                // (owned by attr)
  for (int i = 0; i < po.len(); ++i)
    if (po.kind(i) == dnnl::primitive::kind::binary)
      args.push_back(DNNL_ARG_ATTR_MULTIPLE_POST_OP(i) | DNNL_ARG_SRC_1);
  std::unordered_map<int, dnnl::memory> mems;
  for (int arg : args) {
    memory::desc md = pd.query_md(dnnl::query::exec_arg_md, arg);
    if (md.is_zero())
      continue;
    dnnl::memory m(md, eng);
    fill(m);
    mems.emplace(arg, std::move(m));
  }
  return mems;
}

/// Whether `k` picks its own layouts (format_tag::any) under Layout::Plain:
/// the primitives whose tensors are reordered on every call.
bool picksLayouts(DnnlKind k) {
  return k == DnnlKind::Convolution || k == DnnlKind::Deconvolution;
}

/// One reorder between a plain tensor and a primitive's own layout of it.
struct Reorder {
  dnnl::reorder prim;
  dnnl::memory from, to;
};

/// Layout::Plain: the reorders of argument `arg` between a plain tensor and
/// its memory in `args` (in when `toPrimitive`, else out); none when the
/// primitive's layout is plain already.
void plainReorder(int arg, bool toPrimitive, std::unordered_map<int, dnnl::memory> &args,
                  const dnnl::engine &eng, std::vector<Reorder> &out) {
  auto it = args.find(arg);
  if (it == args.end())
    return;
  const memory::desc md = it->second.get_desc();
  const memory::desc userMd(md.dims(), memory::data_type::f32, plainTag(md.dims().size()));
  if (userMd == md)
    return;
  dnnl::memory user(userMd, eng);
  fill(user);
  dnnl::memory from = toPrimitive ? user : it->second, to = toPrimitive ? it->second : user;
  out.push_back({dnnl::reorder(from, to), from, to});
}

} // namespace

struct Runner::Impl {
  RunOptions opts;
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  std::vector<char> flush = std::vector<char>(kFlushBytes);
  unsigned flushes = 0;

  /// Writes the flush buffer: what the primitive touched leaves the caches.
  void flushCaches() {
    std::memset(flush.data(), static_cast<int>(++flushes & 0xff), flush.size());
  }

  Timing run(const PrimitiveSpec &s) {
    Timing t;
    dnnl::primitive_desc_base pd = makePd(s, postOps(s), eng, opts.layout);
    t.impl = pd.impl_info_str();
    dnnl::primitive prim(pd.get());
    std::unordered_map<int, dnnl::memory> args = arguments(s, pd, eng);
    std::vector<Reorder> before, after; // Layout::Plain: timed with the primitive
    if (opts.layout == Layout::Plain && picksLayouts(s.kind)) {
      plainReorder(DNNL_ARG_SRC, true, args, eng, before);
      plainReorder(DNNL_ARG_WEIGHTS, true, args, eng, before);
      plainReorder(DNNL_ARG_DST, false, args, eng, after);
    }
    auto once = [&] {
      for (Reorder &r : before)
        r.prim.execute(strm, r.from, r.to);
      prim.execute(strm, args);
      for (Reorder &r : after)
        r.prim.execute(strm, r.from, r.to);
    };
    for (unsigned i = 0; i < opts.warmup; ++i)
      once();
    strm.wait();
    std::vector<double> samples;
    for (unsigned i = 0; i < opts.repeats; ++i) {
      flushCaches();
      auto start = std::chrono::steady_clock::now();
      once();
      strm.wait();
      samples.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    t.seconds = summarize(std::move(samples));
    return t;
  }
};

Runner::Runner(const RunOptions &opts) : impl(std::make_unique<Impl>()) {
  impl->opts = opts;
  omp_set_num_threads(static_cast<int>(opts.threads));
}

Runner::~Runner() = default;

Timing Runner::time(const PrimitiveSpec &spec) {
  try {
    return impl->run(spec);
  } catch (const dnnl::error &e) {
    Timing t;
    t.error = e.status == dnnl_unimplemented
                  ? fmt::format("oneDNN has no implementation of {}", primitiveName(spec))
                  : fmt::format("oneDNN could not run {}: {}", primitiveName(spec), e.what());
    return t;
  }
}

std::string Runner::runtimeName() {
  const dnnl_version_t *v = dnnl_version();
  const char *rt = v->cpu_runtime == DNNL_RUNTIME_OMP   ? "OpenMP"
                   : v->cpu_runtime == DNNL_RUNTIME_SEQ ? "sequential"
                                                        : "other";
  return fmt::format("oneDNN {}.{}.{} (cpu runtime {})", v->major, v->minor, v->patch, rt);
}

} // namespace netc::measure
