// Unit tests of `netc calibrate`'s pieces: the profile writer (read back by
// the hardware reader), the calibrated estimate's arithmetic, the op-class
// mapping, and the option parser. No timing: the numbers are machine noise.
#include "TestUtil.h"

#include "calibrate/Calibrate.h"
#include "cost/CostModel.h"
#include "sema/Hardware.h"

#include <doctest/doctest.h>

using namespace netc;
using namespace netc::cost;
using namespace netc::target;

namespace {


calibrate::ProfileData sample() {
  calibrate::ProfileData p;
  p.name = "host";
  p.description = "Some \"CPU\" \\ model (2 threads, avx2+fma), all cores";
  p.peakFp32 = 123.456789012e9;
  p.bandwidth = 17.25e9;
  p.memory = 23.5 * 1024 * 1024 * 1024;
  p.efficiency[static_cast<int>(OpClass::Dense)] = 0.6234;
  p.efficiency[static_cast<int>(OpClass::Depthwise)] = 0.1875;
  p.efficiency[static_cast<int>(OpClass::Elementwise)] = 2.5; // above 1: caches beat DRAM
  p.efficiency[static_cast<int>(OpClass::Pool)] = 0.0412;
  p.layerOverhead = 37e-9;
  p.comments = {"Written by a test.", "", "peak fp32: 1 / 2 / 3 GFLOP/s"};
  return p;
}

struct Net : test::Elaborated {
  explicit Net(const std::string &body) : Elaborated("network n() {\n" + body + "\n}\n") {}
  const ir::Node &node(llvm::StringRef op) const {
    for (const ir::Node &n : graph->nodes)
      if (n.op->name == op)
        return n;
    FAIL("no node " << op.str());
    return graph->nodes.front();
  }
};

HardwareProfile device(double peak, double bandwidth) {
  HardwareProfile hw;
  hw.name = "test";
  hw.peak[0] = peak;
  hw.bandwidth = bandwidth;
  return hw;
}

} // namespace

TEST_CASE("calibrate: the written profile reads back to the same numbers") {
  calibrate::ProfileData p = sample();
  std::string text = calibrate::writeProfile(p);
  std::string errors;
  std::optional<HardwareProfile> hw = test::readHardwareText(text, errors);
  REQUIRE_MESSAGE(hw, (errors + text));
  CHECK(errors.empty());
  CHECK(hw->name == "host");
  CHECK(hw->description == "Some  CPU    model (2 threads, avx2+fma), all cores");
  CHECK(hw->peakFor(ir::DType::F32) == doctest::Approx(p.peakFp32).epsilon(1e-11));
  CHECK(hw->bandwidth == doctest::Approx(p.bandwidth).epsilon(1e-11));
  CHECK(hw->memory == doctest::Approx(p.memory).epsilon(1e-11));
  for (int c = 0; c < kNumOpClasses; ++c)
    CHECK(hw->efficiency[c] == doctest::Approx(p.efficiency[c]).epsilon(1e-11));
  CHECK(hw->layerOverhead == doctest::Approx(p.layerOverhead).epsilon(1e-11));
  CHECK(hw->hasCalibration);
  CHECK(text.rfind("# Written by a test.\n#\n# peak fp32", 0) == 0);
  CHECK(text.find("layer_overhead = 37 ns") != std::string::npos);
  CHECK(text.find("peak_fp32 = 123.456789012 GFLOP/s") != std::string::npos);
}

TEST_CASE("calibrate: a profile without efficiencies is not calibrated, tiny and huge values "
          "stay plain decimals") {
  calibrate::ProfileData p;
  p.peakFp32 = 5e15;   // PFLOP/s range, written in TFLOP/s
  p.bandwidth = 0.5;   // half a byte per second
  std::string text = calibrate::writeProfile(p);
  CHECK(text.find("e+") == std::string::npos); // plain decimals, no exponent
  CHECK(text.find("e-") == std::string::npos);
  CHECK(text.find("peak_fp32 = 5000 TFLOP/s") != std::string::npos);
  CHECK(text.find("bandwidth = 0.5 B/s") != std::string::npos);
  std::string errors;
  std::optional<HardwareProfile> hw = test::readHardwareText(text, errors);
  REQUIRE_MESSAGE(hw, (errors + text));
  CHECK_FALSE(hw->hasCalibration);
  CHECK(hw->peakFor(ir::DType::F32) == doctest::Approx(5e15));
  CHECK(hw->bandwidth == doctest::Approx(0.5));
  CHECK(hw->efficiencyFor(OpClass::Dense) == 1.0);
}

TEST_CASE("calibrate: efficiency and overhead fields are checked like the others") {
  std::string errors;
  CHECK_FALSE(test::readHardwareText("hardware h {\n  peak_fp32 = 1 TFLOP/s\n  bandwidth = 1 GB/s\n"
                       "  eff_dense = 0.5 GB\n}\n",
                       errors));
  CHECK(errors.find("eff_dense is a plain number") != std::string::npos);
  errors.clear();
  CHECK_FALSE(test::readHardwareText("hardware h {\n  peak_fp32 = 1 TFLOP/s\n  bandwidth = 1 GB/s\n"
                       "  layer_overhead = 2 GB\n}\n",
                       errors));
  CHECK(errors.find("layer_overhead is a time; 'GB' is a size in bytes") != std::string::npos);
  errors.clear();
  CHECK_FALSE(test::readHardwareText("hardware h {\n  peak_fp32 = 1 TFLOP/s\n  bandwidth = 1 GB/s\n"
                       "  eff_pool = -0.5\n}\n",
                       errors));
  CHECK(errors.find("eff_pool must be positive") != std::string::npos);
  errors.clear();
  CHECK_FALSE(test::readHardwareText("hardware h {\n  peak_fp32 = 1 TFLOP/s\n  bandwidth = 1 GB/s\n"
                       "  eff_dens = 0.5\n}\n",
                       errors));
  CHECK(errors.find("did you mean 'eff_dense'?") != std::string::npos);
  errors.clear();
  std::optional<HardwareProfile> hw =
      test::readHardwareText("hardware h {\n  peak_fp32 = 1 TFLOP/s\n  bandwidth = 1 GB/s\n"
               "  layer_overhead = 2.5 ms\n}\n",
               errors);
  REQUIRE_MESSAGE(hw, errors);
  CHECK(hw->hasCalibration);
  CHECK(hw->layerOverhead == doctest::Approx(2.5e-3));
  CHECK(hw->efficiencyFor(OpClass::Depthwise) == 1.0); // not given: the roofline itself
}

TEST_CASE("calibrate: op classes come from the op table") {
  Net n("x = input([1, 8, 16, 16])\n"
        "x = conv2d(x, 8, 3, padding=1)\n"
        "x = conv2d(x, 8, 3, padding=1, groups=8)\n"
        "x = conv2d(x, 16, 1, groups=2)\n"
        "x = batchnorm(x) |> relu |> max_pool2d(2)\n"
        "y = reshape(x, [1, 1024])\n"
        "return y |> linear(10) |> softmax");
  auto classOf = [&](int i) { return opClass(*n.graph, n.graph->nodes[i]); };
  std::vector<OpClass> got;
  for (size_t i = 0; i < n.graph->nodes.size(); ++i)
    got.push_back(classOf(static_cast<int>(i)));
  std::vector<std::string> names;
  for (size_t i = 0; i < got.size(); ++i)
    names.push_back(n.graph->nodes[i].op->name + ":" + opClassName(got[i]));
  std::string all;
  for (const std::string &s : names)
    all += s + " ";
  CHECK(all == "input:none conv2d:dense conv2d:depthwise conv2d:dense batchnorm:elementwise "
               "relu:elementwise max_pool2d:pool reshape:none linear:dense softmax:pool ");
}

TEST_CASE("calibrate: the estimate is roofline / efficiency + overhead, per layer and summed") {
  Net n("x = input([1, 16, 8, 8])\n"
        "x = conv2d(x, 16, 3, padding=1, bias=false)\n"
        "x = relu(x)\n"
        "return conv2d(x, 16, 3, padding=1, groups=16, bias=false)");
  HardwareProfile hw = device(1e9, 1e8);
  // Uncalibrated: no estimate anywhere.
  std::optional<Report> plain = buildReport(*n.graph, hw, {}, n.diag);
  REQUIRE(plain);
  CHECK(plain->totals.calibratedLatency == 0);
  for (const LayerCost &l : plain->layers)
    CHECK(l.calibratedLatency == 0);

  hw.efficiency[static_cast<int>(OpClass::Dense)] = 0.5;
  hw.efficiency[static_cast<int>(OpClass::Depthwise)] = 0.25;
  hw.efficiency[static_cast<int>(OpClass::Elementwise)] = 2; // cache-resident
  hw.layerOverhead = 1e-6;
  hw.hasCalibration = true;
  std::optional<Report> r = buildReport(*n.graph, hw, {}, n.diag);
  REQUIRE(r);
  REQUIRE(r->layers.size() == 4);
  // conv 16->16 3x3 on 8x8: 2 x 16*16*9*64 = 294,912 FLOPs; bytes 4 x (1024 + 2304 + 1024)
  // = 17,400 -> compute 294.912 us vs memory 174 us: compute-bound.
  const LayerCost &conv = r->layers[1];
  CHECK(conv.flops == 294912);
  CHECK(conv.memoryBytes == 17408);
  CHECK(conv.latency == doctest::Approx(294.912e-6));
  CHECK(conv.calibratedLatency == doctest::Approx(294.912e-6 / 0.5 + 1e-6));
  // relu: 1024 FLOPs, 8192 bytes -> 81.92 us memory-bound; efficiency 2.
  const LayerCost &relu = r->layers[2];
  CHECK(relu.calibratedLatency == doctest::Approx(81.92e-6 / 2 + 1e-6));
  // depthwise: 2 x 16*9*64 = 18,432 FLOPs; bytes 4 x (1024 + 144 + 1024) = 8,768.
  const LayerCost &dw = r->layers[3];
  CHECK(dw.latency == doctest::Approx(87.68e-6));
  CHECK(dw.calibratedLatency == doctest::Approx(87.68e-6 / 0.25 + 1e-6));
  // The input takes no time; the total is the sum; the lower bound is unchanged.
  CHECK(r->layers[0].calibratedLatency == 0);
  CHECK(r->totals.calibratedLatency ==
        doctest::Approx(conv.calibratedLatency + relu.calibratedLatency + dw.calibratedLatency));
  CHECK(r->totals.latency == doctest::Approx(plain->totals.latency));
  CHECK(calibratedTime(conv, OpClass::None, hw) == 0);
}

TEST_CASE("calibrate: options") {
  auto parse = [](std::vector<const char *> args, calibrate::CalibrateOptions &o,
                  std::string &msg) {
    args.insert(args.begin(), "calibrate");
    return calibrate::parseCalibrateArgs(static_cast<int>(args.size()),
                                         const_cast<char **>(args.data()), o, msg);
  };
  calibrate::CalibrateOptions o;
  std::string msg;
  CHECK_FALSE(parse({"--quick", "-o", "h.net", "--layer-overhead=20us", "--name", "box"}, o, msg));
  CHECK(o.quick);
  CHECK(o.output == "h.net");
  CHECK(o.name == "box");
  CHECK(o.layerOverhead == doctest::Approx(20e-6));
  calibrate::CalibrateOptions bad;
  CHECK(parse({"--fast"}, bad, msg) == 2);
  CHECK(msg.find("unknown argument '--fast'") != std::string::npos);
  CHECK(parse({"-o"}, bad, msg) == 2);
  CHECK(parse({"--layer-overhead", "20"}, bad, msg) == 2);
  CHECK(parse({"--name", "1x"}, bad, msg) == 2);
  CHECK(parse({"--help"}, bad, msg) == 0);
}

TEST_CASE("calibrate: summaries") {
  calibrate::Stat s = calibrate::summarize({3, 1, 2, 10});
  CHECK(s.min == 1);
  CHECK(s.median == 2.5);
  CHECK(s.max == 10);
  CHECK(calibrate::summarize({}).max == 0);
}
