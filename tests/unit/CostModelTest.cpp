// The cost model against every worked number of the seed notes
// (../shared/seeds), and its conventions.
#include "TestUtil.h"

#include "cost/CostModel.h"
#include "analysis/Liveness.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace netc;
using namespace netc::cost;
using namespace netc::target;
using namespace netc::analysis;

namespace {

struct Net : test::Elaborated {
  explicit Net(const std::string &body) : Elaborated("network n() {\n" + body + "\n}\n") {}
  /// The summed costs of every node but the input, under `opts`.
  NodeCost total(CostOptions opts = {}) const {
    NodeCost sum;
    for (const ir::Node &node : graph->nodes) {
      if (node.op->name == "input")
        continue;
      NodeCost c;
      REQUIRE(costNode(*graph, node, opts, c) == "");
      sum.params += c.params;
      sum.buffers += c.buffers;
      sum.work.macs += c.work.macs;
      sum.inputElems += c.inputElems;
      sum.weightElems += c.weightElems;
      sum.outputElems += c.outputElems;
      sum.flops += c.flops;
      sum.memoryElems += c.memoryElems;
    }
    return sum;
  }
};

HardwareProfile device(double peak, double bandwidth) {
  HardwareProfile hw;
  hw.name = "test";
  hw.peak[0] = peak;
  hw.bandwidth = bandwidth;
  hw.memory = 1e9;
  return hw;
}

CostOptions withMemory(MemoryModel m) {
  CostOptions o;
  o.memory = m;
  return o;
}

CostOptions withFlops(FlopConvention f) {
  CostOptions o;
  o.flops = f;
  return o;
}

} // namespace

TEST_CASE("seed 000: MACs of a regular, depthwise, pointwise and separable conv") {
  // 3x3, 128 filters, 64 channels, 112x112, stride 1, padding "same"
  CHECK(Net("return conv2d(input([1, 64, 112, 112]), 128, 3, padding=\"same\")").total().work.macs ==
        924'844'032);
  CHECK(Net("return conv2d(input([1, 64, 112, 112]), 64, 3, padding=1, groups=64)").total().work.macs ==
        7'225'344);
  CHECK(Net("return conv2d(input([1, 64, 112, 112]), 128, 1)").total().work.macs == 102'760'448);
  CHECK(Net("x = conv2d(input([1, 64, 112, 112]), 64, 3, padding=1, groups=64)\n"
            "return conv2d(x, 128, 1)")
            .total()
            .work.macs == 109'985'792);
}

TEST_CASE("seed 000: the MobileNetV2 expansion block") {
  // (3x3 + 128 + 64) x (64 x 6) x 112 x 112
  Net n("x = input([1, 64, 112, 112])\n"
        "x = conv2d(x, 384, 1)\n"
        "x = conv2d(x, 384, 3, padding=1, groups=384)\n"
        "return conv2d(x, 128, 1)");
  CHECK(n.total().work.macs == 968'196'096);
}

TEST_CASE("seed 000: memory accesses under no-reuse (input read K*K*Cout times)") {
  // regular 3x3 conv, 256 -> 512 at 28x28, with bias: input 924,844,032 +
  // output 401,408 + weights 1,180,160
  Net regular("return conv2d(input([1, 256, 28, 28]), 512, 3, padding=1)");
  NodeCost r = regular.total(withMemory(MemoryModel::NoReuse));
  CHECK(r.outputElems == 401'408);
  CHECK(r.weightElems == 1'180'160);
  CHECK(r.memoryElems == 926'425'600);
  // depthwise 2,009,600 + pointwise 103,293,440
  Net separable("x = conv2d(input([1, 256, 28, 28]), 256, 3, padding=1, groups=256)\n"
                "return conv2d(x, 512, 1)");
  CHECK(separable.total(withMemory(MemoryModel::NoReuse)).memoryElems == 105'303'040);
  // fp32 bytes are 4 per element
  Net small("return conv2d(input([1, 256, 28, 28]), 512, 3, padding=1)");
  CostOptions bytes = withMemory(MemoryModel::NoReuse);
  std::optional<Report> rep = buildReport(*small.graph, device(1e12, 1e11), bytes, small.diag);
  REQUIRE(rep);
  CHECK(rep->layers[1].memoryBytes == 4 * 926'425'600LL);
}

TEST_CASE("seed 000: a fused-away relu would move 802,816 elements") {
  Net n("return relu(input([1, 512, 28, 28]))");
  CHECK(n.total().memoryElems == 802'816);
}

TEST_CASE("seed 001: same FLOPs, 4.0e5 vs 3.1e7 data read") {
  // Inputs plus weights (the feature read and the kernel read).
  Net regular("return conv2d(input([1, 100, 56, 56]), 100, 3, padding=1, bias=false)");
  Net depthwise("return conv2d(input([1, 10000, 56, 56]), 10000, 3, padding=1, groups=10000, "
                "bias=false)");
  NodeCost a = regular.total(), b = depthwise.total();
  CHECK(a.work.macs == b.work.macs); // 3*3*100*100*56*56 multiplies each
  CHECK(a.inputElems + a.weightElems == 100 * 56 * 56 + 3 * 3 * 100 * 100); // 4.0e5
  CHECK(b.inputElems + b.weightElems == 56 * 56 * 10000 + 3 * 3 * 10000);   // 3.1e7
  // As the seed prints them, to two significant digits: 4.0e5 and 3.1e7.
  CHECK(fmt::format("{:.1e}", static_cast<double>(a.inputElems + a.weightElems)) == "4.0e+05");
  CHECK(fmt::format("{:.1e}", static_cast<double>(b.inputElems + b.weightElems)) == "3.1e+07");
}

TEST_CASE("seed 002: ridge points and the roofline time") {
  HardwareProfile xeon = device(960e9, 76.8e9);
  CHECK(xeon.ridge(ir::DType::F32) == doctest::Approx(12.5));
  HardwareProfile rtx = device(35686.4e9, 936e9);
  CHECK(rtx.ridge(ir::DType::F32) == doctest::Approx(38.13).epsilon(0.001));
  // time = max(FLOPs / peak, bytes / bandwidth); the bound follows the ridge.
  LayerCost l;
  l.flops = 960'000'000; // 1 ms of compute
  l.memoryBytes = 7'680'000; // 0.1 ms of traffic: intensity 125 > 12.5
  applyRoofline(l, xeon, ir::DType::F32);
  CHECK_FALSE(l.memoryBound);
  CHECK(l.latency == doctest::Approx(1e-3));
  CHECK(l.intensity == doctest::Approx(125));
  CHECK(l.attainable == doctest::Approx(960e9));
  l.memoryBytes = 768'000'000; // 10 ms of traffic: intensity 1.25
  applyRoofline(l, xeon, ir::DType::F32);
  CHECK(l.memoryBound);
  CHECK(l.latency == doctest::Approx(10e-3));
  CHECK(l.attainable == doctest::Approx(1.25 * 76.8e9));
}

TEST_CASE("seed 004: FLOPs of conv and linear, with and without bias, per convention") {
  // conv: Ci=3, K=5, Co=16 on 96x96 -> 92x92 (valid)
  const int64_t macs = 3 * 5 * 5 * 92 * 92 * 16;
  const int64_t outs = 92 * 92 * 16;
  Net noBias("return conv2d(input([1, 3, 96, 96]), 16, 5, bias=false)");
  Net bias("return conv2d(input([1, 3, 96, 96]), 16, 5)");
  CHECK(noBias.total(withFlops(FlopConvention::Exact)).flops == (2 * 3 * 25 - 1) * outs);
  CHECK(bias.total(withFlops(FlopConvention::Exact)).flops == 2 * 3 * 25 * outs);
  CHECK(bias.total(withFlops(FlopConvention::TwoMac)).flops == 2 * macs);
  CHECK(bias.total(withFlops(FlopConvention::Mac)).flops == macs);
  CHECK(bias.total().params == 5 * 5 * 3 * 16 + 16); // seed 004: 1216
  // fully connected: (2I - 1) O without bias
  Net fc("return linear(input([1, 512]), 10, bias=false)");
  CHECK(fc.total(withFlops(FlopConvention::Exact)).flops == (2 * 512 - 1) * 10);
  CHECK(fc.total().params == 512 * 10);
  Net fcBias("return linear(input([1, 512]), 10)");
  CHECK(fcBias.total().params == 512 * 10 + 10);
  CHECK(fcBias.total(withFlops(FlopConvention::Exact)).flops == 2 * 512 * 10);
}

TEST_CASE("cost: batchnorm has 2C params and 2C buffers, elementwise FLOPs follow the table") {
  Net n("return relu(batchnorm(input([1, 32, 8, 8])))");
  NodeCost c = n.total();
  CHECK(c.params == 64);
  CHECK(c.buffers == 64);
  CHECK(c.flops == 2 * 32 * 64 + 1 * 32 * 64); // 2 per element (scale, shift) + 1 (max)
  CHECK(n.total(withFlops(FlopConvention::Mac)).flops == 0);
}

TEST_CASE("cost: views move nothing, data movement moves bytes but no FLOPs") {
  Net v("x = input([1, 8, 4, 4])\nreturn concat([flatten(x), reshape(x, [1, 128])])");
  const auto &g = *v.graph;
  NodeCost flat, cat;
  REQUIRE(costNode(g, g.nodes[1], {}, flat) == "");
  REQUIRE(costNode(g, g.nodes[3], {}, cat) == "");
  CHECK(flat.memoryElems == 0);
  CHECK(flat.flops == 0);
  CHECK(cat.flops == 0);
  CHECK(cat.memoryElems == 128 + 128 + 256);
}

TEST_CASE("cost: --batch scales everything but the weights") {
  Net n("return conv2d(input([1, 3, 8, 8]), 4, 3, padding=1)");
  CostOptions b4;
  b4.batch = 4;
  NodeCost one = n.total(), four = n.total(b4);
  CHECK(four.work.macs == 4 * one.work.macs);
  CHECK(four.outputElems == 4 * one.outputElems);
  CHECK(four.weightElems == one.weightElems);
  CHECK(four.memoryElems == 4 * (one.inputElems + one.outputElems) + one.weightElems);
}

TEST_CASE("liveness: the peak counts what is live at once, views alias") {
  // x 48 elements, a 16, b 16, c = a + b 16. Live at each node: x + a = 64
  // (the peak), then a + b = 32 (x is dead), then a + b + c = 48.
  Net n("x = input([1, 3, 4, 4])\na = conv2d(x, 1, 1)\nb = conv2d(a, 1, 1)\nreturn a + b");
  CHECK(peakLiveElements(*n.graph).value() == 64);
  std::vector<Lifetime> life = computeLifetimes(*n.graph);
  CHECK(life[1].first == 1); // a: from its conv to the add
  CHECK(life[1].last == 3);
  CHECK(life[0].last == 1);  // x: dead after the first conv
  // A wider residual makes the add the peak: x 48, a 64, b 64, c 64.
  Net wide("x = input([1, 3, 4, 4])\na = conv2d(x, 4, 1)\nb = conv2d(a, 4, 1)\nreturn a + b");
  CHECK(peakLiveElements(*wide.graph).value() == 3 * 64);
  Net chain("x = input([1, 4, 4, 4])\nreturn conv2d(flatten(x) |> reshape([1, 4, 4, 4]), 2, 1)");
  // The views add nothing: input 64 + conv output 32.
  CHECK(peakLiveElements(*chain.graph).value() == 64 + 32);
}

TEST_CASE("report: totals are the sums of the layers, latency is the sum of layer times") {
  Net n("x = input([1, 3, 32, 32])\nx = conv2d(x, 16, 3, padding=1) |> batchnorm |> relu\n"
        "return x |> global_avg_pool |> flatten |> linear(10)");
  std::optional<Report> r = buildReport(*n.graph, device(1e12, 1e11), {}, n.diag);
  REQUIRE(r);
  int64_t params = 0, macs = 0, flops = 0, bytes = 0;
  double latency = 0;
  for (const LayerCost &l : r->layers) {
    params += l.params;
    macs += l.macs;
    flops += l.flops;
    bytes += l.memoryBytes;
    latency += l.latency;
  }
  CHECK(r->totals.params == params);
  CHECK(r->totals.macs == macs);
  CHECK(r->totals.flops == flops);
  CHECK(r->totals.memoryBytes == bytes);
  CHECK(r->totals.latency == doctest::Approx(latency));
  CHECK(r->totals.params == 3 * 9 * 16 + 16 + 32 + 16 * 10 + 10);
  CHECK(r->totals.modelBytesFp32 == 4 * (r->totals.params + r->totals.buffers));
  CHECK(r->totals.throughput == doctest::Approx(1 / latency));
}

TEST_CASE("report: a dtype without a peak is an error, never a zero") {
  Net n("return relu(input([1, 4]))");
  HardwareProfile hw = device(1e12, 1e11); // only fp32
  CostOptions half;
  half.dtype = ir::DType::F16;
  CHECK_FALSE(buildReport(*n.graph, hw, half, n.diag));
  CHECK(n.errors() == "netc: error: hardware 'test' has no peak for f16; add peak_fp16 to its "
                      "profile or choose another --dtype\n");
}

TEST_CASE("report: max batch fits weights plus batch x peak activations") {
  Net n("return conv2d(input([1, 4, 8, 8]), 4, 3, padding=1)");
  HardwareProfile hw = device(1e12, 1e11);
  std::optional<Report> r = buildReport(*n.graph, hw, {}, n.diag);
  REQUIRE(r);
  // weights (4*4*9 + 4) * 4 bytes; peak: input 256 + output 256 elements * 4 bytes
  hw.memory = static_cast<double>(r->totals.weightBytes + 10 * r->totals.peakActivationBytes + 5);
  std::optional<MaxBatch> mb = findMaxBatch(*n.graph, hw, {}, n.diag);
  REQUIRE(mb);
  CHECK(mb->batch == 10);
  CHECK(mb->qps > 0);
}

TEST_CASE("adaptive_avg_pool2d FLOPs: the window sizes summed in closed form") {
  // in 7 -> out 3: windows [0,3) [2,5) [4,7), 3 each; in 2 -> out 4: 1 each.
  CHECK(Net("  return adaptive_avg_pool2d(input([1, 1, 7, 2]), (3, 4))").total().flops ==
        9 * 4);
  // Identity and global windows.
  CHECK(Net("  return adaptive_avg_pool2d(input([1, 2, 7, 10]), (7, 10))").total().flops ==
        2 * 7 * 10);
  CHECK(Net("  return adaptive_avg_pool2d(input([1, 2, 7, 10]), 1)").total().flops == 2 * 7 * 10);
  // A fuzzer found that summing window by window took minutes for a huge
  // output (2^32 rows); the closed form is instant: in + out - gcd(in, out).
  CHECK(Net("  return adaptive_avg_pool2d(input([2, 3, 7, 10]), (4294967296, 3))").total().flops ==
        2 * 3 * (7 + 4294967296 - 1) * (10 + 3 - 1));
}
