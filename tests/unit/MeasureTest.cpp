// netc measure: the node -> oneDNN primitive mapping of every op kind, as
// plain data (nothing runs), the dedup keys, the statistics and the totals;
// one small network is also run on oneDNN (structure only, no timings).
#include "TestUtil.h"

#include "driver/Compilation.h"
#include "measure/Measure.h"
#include "measure/PrimitiveSpec.h"

#include <doctest/doctest.h>

using namespace netc;
using measure::Dims;
using measure::PrimitiveSpec;
using measure::SpecStatus;
using ir::DnnlAlg;
using ir::DnnlKind;

namespace {

/// The specs of the nodes of `text`'s network (as written, or optimized),
/// at `batch`.
std::vector<PrimitiveSpec> specs(const std::string &text, bool optimize = false,
                                 int64_t batch = 1) {
  driver::PipelineOptions opts;
  opts.optimize = optimize;
  std::string errs;
  llvm::raw_string_ostream es(errs);
  driver::Compilation c(opts, es);
  REQUIRE(c.loadText(text, "t.net"));
  std::optional<ir::Graph> g = c.elaborate();
  REQUIRE_MESSAGE(g, es.str());
  if (optimize)
    REQUIRE(c.optimize(*g));
  std::vector<PrimitiveSpec> out;
  for (const ir::Node &n : g->nodes)
    out.push_back(measure::mapNode(*g, n, batch));
  return out;
}

/// The spec of the last node of a network `x = input(SHAPE); return BODY`.
PrimitiveSpec last(const std::string &shape, const std::string &body, bool optimize = false) {
  std::vector<PrimitiveSpec> s =
      specs("network n() {\n x = input(" + shape + ")\n return " + body + "\n}\n", optimize);
  return s.back();
}

} // namespace

TEST_CASE("measure: convolutions, dense, grouped, depthwise and transposed") {
  PrimitiveSpec s = last("[1, 8, 10, 10]", "conv2d(x, 16, k=3, stride=2, padding=1)");
  CHECK(s.status == SpecStatus::Run);
  CHECK(s.kind == DnnlKind::Convolution);
  CHECK(s.src[0] == Dims{1, 8, 10, 10});
  CHECK(s.dst == Dims{1, 16, 5, 5});
  CHECK(s.weights == Dims{16, 8, 3, 3});
  CHECK(s.bias == Dims{16});
  CHECK(s.strides == Dims{2, 2});
  CHECK(s.padL == Dims{1, 1});
  CHECK(s.padR == Dims{1, 1});
  CHECK(s.dilation == Dims{0, 0});

  PrimitiveSpec g = last("[1, 8, 10, 10]", "conv2d(x, 8, k=3, groups=4, dilation=2, bias=false)");
  CHECK(g.weights == Dims{4, 2, 2, 3, 3});
  CHECK(g.bias.empty());
  CHECK(g.dilation == Dims{1, 1});

  PrimitiveSpec dw = last("[1, 8, 10, 10]", "conv2d(x, 8, k=3, groups=8, padding=1)");
  CHECK(dw.weights == Dims{8, 1, 1, 3, 3});

  PrimitiveSpec t = last("[1, 8, 5, 5]",
                         "conv_transpose2d(x, 4, k=3, stride=2, padding=1, output_padding=1)");
  CHECK(t.kind == DnnlKind::Deconvolution);
  CHECK(t.dst == Dims{1, 4, 10, 10});
  CHECK(t.weights == Dims{4, 8, 3, 3});
  CHECK(t.padL == Dims{1, 1});
  CHECK(t.padR == Dims{0, 0});
}

TEST_CASE("measure: inner product and matmul") {
  PrimitiveSpec ip = last("[2, 5, 16]", "linear(x, 32)");
  CHECK(ip.kind == DnnlKind::InnerProduct);
  CHECK(ip.src[0] == Dims{10, 16});
  CHECK(ip.weights == Dims{32, 16});
  CHECK(ip.dst == Dims{10, 32});
  PrimitiveSpec mm = last("[2, 4, 8]", "matmul(x, transpose(x, 1, 2))");
  CHECK(mm.kind == DnnlKind::MatMul);
  CHECK(mm.src[0] == Dims{2, 4, 8});
  CHECK(mm.src[1] == Dims{2, 8, 4});
  CHECK(mm.dst == Dims{2, 4, 4});
}

TEST_CASE("measure: pooling, including ceil mode and global pooling") {
  PrimitiveSpec mp = last("[1, 4, 7, 7]", "max_pool2d(x, 3, stride=2, ceil_mode=true)");
  CHECK(mp.kind == DnnlKind::Pooling);
  CHECK(mp.alg == DnnlAlg::PoolMax);
  CHECK(mp.dst == Dims{1, 4, 3, 3});
  CHECK(mp.kernel == Dims{3, 3});
  CHECK(mp.padR == Dims{0, 0});
  PrimitiveSpec ceil = last("[1, 4, 8, 8]", "max_pool2d(x, 3, stride=2, ceil_mode=true)");
  CHECK(ceil.dst == Dims{1, 4, 4, 4});
  CHECK(ceil.padR == Dims{1, 1}); // the last window starts inside and runs over
  PrimitiveSpec avg = last("[1, 4, 8, 8]", "avg_pool2d(x, 2, count_include_pad=false)");
  CHECK(avg.alg == DnnlAlg::PoolAvgExcludePad);
  PrimitiveSpec gap = last("[1, 4, 7, 7]", "global_avg_pool(x)");
  CHECK(gap.kernel == Dims{7, 7});
  CHECK(gap.dst == Dims{1, 4, 1, 1});
  PrimitiveSpec ad = last("[1, 4, 8, 8]", "adaptive_avg_pool2d(x, 2)");
  CHECK(ad.kernel == Dims{4, 4});
  CHECK(ad.strides == Dims{4, 4});
  PrimitiveSpec uneven = last("[1, 4, 7, 7]", "adaptive_avg_pool2d(x, 2)");
  CHECK(uneven.status == SpecStatus::Unsupported);
  CHECK(uneven.why.find("adaptive_avg_pool2d") != std::string::npos);
}

TEST_CASE("measure: eltwise algorithms and their parameters") {
  CHECK(last("[1, 4]", "relu(x)").alg == DnnlAlg::Relu);
  PrimitiveSpec r6 = last("[1, 4]", "relu6(x)");
  CHECK(r6.alg == DnnlAlg::Clip);
  CHECK(r6.beta == 6);
  PrimitiveSpec leaky = last("[1, 4]", "leaky_relu(x, slope=0.2)");
  CHECK(leaky.alg == DnnlAlg::Relu);
  CHECK(leaky.alpha == doctest::Approx(0.2));
  CHECK(last("[1, 4]", "gelu(x)").alg == DnnlAlg::GeluErf);
  CHECK(last("[1, 4]", "gelu(x, approximate=\"tanh\")").alg == DnnlAlg::GeluTanh);
  CHECK(last("[1, 4]", "silu(x)").alg == DnnlAlg::Swish);
  CHECK(last("[1, 4]", "sigmoid(x)").alg == DnnlAlg::Logistic);
  PrimitiveSpec hs = last("[1, 4]", "hardsigmoid(x)"); // affine then clip
  CHECK(hs.kind == DnnlKind::Eltwise);
  CHECK(hs.alg == DnnlAlg::Affine);
  REQUIRE(hs.postOps.size() == 1);
  CHECK(hs.postOps[0].alg == DnnlAlg::Clip);
  PrimitiveSpec sub = last("[1, 4]", "1.0 - x"); // a tensor and a number: affine
  CHECK(sub.kind == DnnlKind::Eltwise);
  CHECK(sub.alg == DnnlAlg::Affine);
  CHECK(sub.alpha == -1);
  CHECK(sub.beta == 1);
  CHECK(last("[1, 4]", "x / 8.0").alpha == doctest::Approx(0.125));
}

TEST_CASE("measure: binary ops broadcast their second operand") {
  PrimitiveSpec add = last("[1, 4, 3, 3]", "x + x");
  CHECK(add.kind == DnnlKind::Binary);
  CHECK(add.alg == DnnlAlg::Add);
  PrimitiveSpec mul = last("[1, 4, 3, 3]", "global_avg_pool(x) * x");
  CHECK(mul.alg == DnnlAlg::Mul);
  CHECK(mul.src[0] == Dims{1, 4, 3, 3}); // swapped: oneDNN broadcasts src1 only
  CHECK(mul.src[1] == Dims{1, 4, 1, 1});
}

TEST_CASE("measure: normalization, softmax, concat, resampling, shuffle, reorder") {
  PrimitiveSpec bn = last("[1, 4, 3, 3]", "batchnorm(x)");
  CHECK(bn.kind == DnnlKind::BatchNorm);
  CHECK(bn.scaleShift);
  CHECK(bn.eps == doctest::Approx(1e-5));
  PrimitiveSpec ln = last("[2, 3, 8]", "layernorm(x, shape=[3, 8])");
  CHECK(ln.kind == DnnlKind::LayerNorm);
  CHECK(ln.src[0] == Dims{2, 24});
  PrimitiveSpec sm = last("[2, 10]", "softmax(x)");
  CHECK(sm.kind == DnnlKind::Softmax);
  CHECK(sm.axis == 1);
  PrimitiveSpec cat = last("[1, 4, 3, 3]", "x ++ x");
  CHECK(cat.kind == DnnlKind::Concat);
  CHECK(cat.src.size() == 2);
  CHECK(cat.dst == Dims{1, 8, 3, 3});
  PrimitiveSpec up = last("[1, 4, 3, 3]", "upsample(x, scale=2, mode=\"bilinear\")");
  CHECK(up.kind == DnnlKind::Resampling);
  CHECK(up.alg == DnnlAlg::Bilinear);
  CHECK(up.dst == Dims{1, 4, 6, 6});
  PrimitiveSpec sh = last("[1, 8, 3, 3]", "channel_shuffle(x, 2)");
  CHECK(sh.kind == DnnlKind::Shuffle);
  CHECK(sh.groupSize == 2);
  PrimitiveSpec p = last("[1, 2, 3, 4]", "permute(x, [0, 2, 3, 1])");
  CHECK(p.kind == DnnlKind::Reorder);
  CHECK(p.perm == Dims{0, 2, 3, 1});
  CHECK(last("[1, 2, 3, 4]", "transpose(x, 1, -1)").perm == Dims{0, 3, 2, 1});
}

TEST_CASE("measure: views take no time, ops without a primitive are named") {
  std::vector<PrimitiveSpec> s =
      specs("network n() {\n x = input([1, 4, 3, 3])\n return flatten(x)\n}\n");
  CHECK(s[0].status == SpecStatus::View);
  CHECK(s[1].status == SpecStatus::View);
  PrimitiveSpec gn = last("[1, 4, 3, 3]", "groupnorm(x, 2)");
  CHECK(gn.status == SpecStatus::Unsupported);
  CHECK(gn.why.find("'groupnorm'") != std::string::npos);
  CHECK(gn.why.find("group normalization") != std::string::npos);
  CHECK(measure::configKey(gn).empty());
  CHECK(last("[1, 4, 3, 3]", "pad(x, [1, 1])").status == SpecStatus::Unsupported);
  // Every op of the table has a primitive, is a view, or says why not.
  for (const ir::OpDef *op : ir::OpTable::get().all())
    CHECK_MESSAGE((op->view || op->isInput || op->dnnl.kind != DnnlKind::None || op->dnnl.why),
                  op->name);
}

TEST_CASE("measure: a fused layer is one primitive with post-ops") {
  std::vector<PrimitiveSpec> s = specs(netc::test::kResidualNet, /*optimize=*/true);
  bool sawResidual = false;
  for (const PrimitiveSpec &p : s) {
    if (p.kind != DnnlKind::Convolution || p.postOps.size() != 2)
      continue;
    CHECK(p.postOps[0].alg == DnnlAlg::Add); // the residual add, as a sum, then relu
    CHECK(p.postOps[0].sum);
    CHECK(p.postOps[1].alg == DnnlAlg::Relu);
    CHECK(p.postOps[1].src1.empty());
    CHECK(p.bias.size() == 1); // the folded batchnorm's shift
    CHECK(measure::primitiveName(p) == "convolution+sum+relu");
    sawResidual = true;
  }
  CHECK(sawResidual);
}

TEST_CASE("measure: same configurations share a key, the batch scales activations") {
  std::vector<PrimitiveSpec> s = specs("network n() {\n x = input([1, 4, 8, 8])\n"
                                       " a = conv2d(x, 4, 3, padding=1)\n"
                                       " b = conv2d(a, 4, 3, padding=1)\n"
                                       " c = conv2d(b, 4, 3, stride=2, padding=1)\n"
                                       " return c\n}\n");
  CHECK(measure::configKey(s[1]) == measure::configKey(s[2]));
  CHECK(measure::configKey(s[1]) != measure::configKey(s[3]));
  std::vector<PrimitiveSpec> b4 =
      specs("network n() {\n x = input([1, 4, 8, 8])\n return conv2d(x, 4, 3)\n}\n", false, 4);
  CHECK(b4[1].src[0] == Dims{4, 4, 8, 8});
  CHECK(b4[1].weights == Dims{4, 4, 3, 3}); // weights do not scale
}

TEST_CASE("measure: median, min and max of repeats") {
  measure::Stats odd = measure::summarize({3, 1, 2});
  CHECK(odd.min == 1);
  CHECK(odd.median == 2);
  CHECK(odd.max == 3);
  CHECK(measure::summarize({4, 1, 2, 3}).median == 2.5);
  CHECK(measure::summarize({}).median == 0);
}

TEST_CASE("measure: totals count measured layers only") {
  cost::Report r;
  r.layers.resize(3);
  r.layers[1].latency = 1e-6;
  r.layers[2].latency = 5e-6;
  cost::Measurement m;
  m.layers.resize(3);
  m.layers[0].status = cost::LayerMeasurement::Status::View;
  m.layers[1].status = cost::LayerMeasurement::Status::Measured;
  m.layers[1].min = 1e-6, m.layers[1].median = 2e-6, m.layers[1].max = 4e-6;
  m.layers[2].status = cost::LayerMeasurement::Status::Unmeasured;
  measure::sumMeasurement(r, m);
  CHECK(m.total == 2e-6);
  CHECK(m.totalMin == 1e-6);
  CHECK(m.totalMax == 4e-6);
  CHECK(m.rooflineOfMeasured == 1e-6); // not the unmeasured layer's 5 us
  CHECK(m.measured == 1);
  CHECK(m.unmeasured == 1);
}

TEST_CASE("measure: a small network runs on oneDNN, every layer accounted for") {
  driver::PipelineOptions opts;
  std::string errs;
  llvm::raw_string_ostream es(errs);
  driver::Compilation c(opts, es);
  REQUIRE(c.loadText(netc::test::kResidualNet, "t.net"));
  measure::RunOptions run;
  run.repeats = 3;
  std::optional<cost::Report> r = c.measure(run);
  REQUIRE_MESSAGE(r, es.str());
  REQUIRE(r->measured);
  REQUIRE(r->measured->layers.size() == r->layers.size());
  for (const cost::LayerMeasurement &l : r->measured->layers) {
    CHECK_MESSAGE(l.why.empty(), l.why);
    if (l.status == cost::LayerMeasurement::Status::Measured)
      CHECK((l.min <= l.median && l.median <= l.max && l.min > 0));
  }
  CHECK(r->measured->total > 0);
  CHECK(r->measured->unmeasured == 0);
}
