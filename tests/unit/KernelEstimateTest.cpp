// The kernel-level estimate (issue 18): a primitive's family and dims
// (measure::kernelPoint), the interpolation among measured samples
// (target::interpolateKernel), the `kernel = ...` lines of a profile (written
// by calibrate, read by sema), the spread calibrate times, and the cost
// model's use of them. No timing: samples are made up.
#include "TestUtil.h"

#include "calibrate/Calibrate.h"
#include "calibrate/CalibrateImpl.h"
#include "cost/CostModel.h"
#include "measure/PrimitiveSpec.h"
#include "sema/Hardware.h"
#include "target/Kernels.h"

#include <doctest/doctest.h>

#include <cmath>
#include <set>

using namespace netc;
using target::KernelSample;

namespace {

/// The kernel point of the last node of `x = input(SHAPE); return BODY`.
measure::KernelPoint pointOf(const std::string &shape, const std::string &body) {
  test::Elaborated e("network n() {\n x = input(" + shape + ")\n return " + body + "\n}\n");
  const ir::Node &n = e.graph->nodes.back();
  return measure::kernelPoint(measure::mapNode(*e.graph, n, 1));
}

KernelSample conv(int64_t cin, int64_t cout, int64_t h, int64_t k, double us) {
  return {"conv", {cin, cout, 1, h, h, k, k, 1}, us * 1e-6, {}};
}


} // namespace

TEST_CASE("kernels: a layer's family and dims come from its oneDNN primitive") {
  measure::KernelPoint p = pointOf("[1, 32, 56, 56]", "conv2d(x, 64, k=3, stride=2, padding=1)");
  CHECK(p.family == "conv");
  CHECK(p.dims == std::vector<int64_t>{32, 64, 1, 28, 28, 3, 3, 2});
  p = pointOf("[1, 96, 14, 14]", "conv2d(x, 96, k=5, padding=2, groups=96)");
  CHECK(p.dims == std::vector<int64_t>{96, 96, 96, 14, 14, 5, 5, 1}); // depthwise
  p = pointOf("[1, 1280]", "linear(x, 1000)");
  CHECK(p.family == "linear");
  CHECK(p.dims == std::vector<int64_t>{1, 1280, 1000});
  p = pointOf("[1, 16, 8, 8]", "relu6(x)");
  CHECK(p.family == "eltwise_clip");
  CHECK(p.dims == std::vector<int64_t>{1024, 1024});
  p = pointOf("[1, 16, 8, 8]", "x * sigmoid(global_avg_pool(x))");
  CHECK(p.family == "binary_mul");
  CHECK(p.dims == std::vector<int64_t>{1024 + 16, 1024}); // a broadcast operand reads less
  p = pointOf("[1, 16, 8, 8]", "concat([x, x, x])");
  CHECK(p.family == "concat");
  CHECK(p.dims == std::vector<int64_t>{3, 3072, 3072});
  CHECK(pointOf("[1, 16, 8, 8]", "flatten(x)").family.empty()); // a view: no kernel
  CHECK(pointOf("[1, 16, 8, 8]", "groupnorm(x, 4)").family.empty()); // no oneDNN primitive
  // Every family's dims are as many as its keys.
  for (const char *f : {"conv", "deconv", "linear", "matmul", "concat", "eltwise_relu"})
    CHECK(target::kernelFeatures(f, std::vector<int64_t>(target::kernelKeys(f).size(), 2))
              .size() > 0);
}

TEST_CASE("kernels: work and features") {
  // A convolution's work is its MACs: cout x h x w x cin/groups x kh x kw.
  CHECK(target::kernelWork("conv", {32, 64, 1, 28, 28, 3, 3, 2}) == 64.0 * 28 * 28 * 32 * 9);
  CHECK(target::kernelWork("conv", {96, 96, 96, 14, 14, 5, 5, 1}) == 96.0 * 14 * 14 * 25);
  CHECK(target::kernelWork("linear", {1, 1280, 1000}) == 1280.0 * 1000);
  CHECK(target::kernelWork("eltwise_relu", {1024, 1024}) == 2048);
  CHECK(target::kernelWork("concat", {3, 3072, 3072}) == 6144);
  CHECK(target::kernelWork("conv", {1, 2}) == 1); // malformed dims: no work, no crash
  CHECK(target::kernelFeatures("conv", {1, 2}).empty());
  std::vector<double> f = target::kernelFeatures("conv", {96, 96, 96, 14, 14, 5, 5, 1});
  REQUIRE(f.size() == 6);
  CHECK(f[0] == 0);                                     // one channel per group in
  CHECK(f[2] == doctest::Approx(std::log2(96)));        // groups
  CHECK(f[3] == doctest::Approx(std::log2(14 * 14)));   // output pixels
  CHECK(f[4] == doctest::Approx(std::log2(25)));        // kernel area
}

TEST_CASE("kernels: the estimate interpolates the nearest samples of the family") {
  std::vector<KernelSample> s = {conv(64, 64, 56, 3, 2000), conv(128, 128, 28, 3, 1900),
                                 conv(256, 256, 14, 3, 2100), conv(64, 256, 56, 1, 1000),
                                 {"eltwise_relu", {100000, 100000}, 20e-6, {}}};
  const double work64 = target::kernelWork("conv", s[0].dims);
  // A measured configuration gives its own time.
  CHECK(target::interpolateKernel(s, "conv", s[0].dims) == doctest::Approx(2000e-6));
  // The same configuration at twice the output size (not measured): twice the
  // work at the rate of its neighbours, so between 2x the nearest's time and
  // the others'.
  std::vector<int64_t> big = {64, 64, 1, 112, 112, 3, 3, 1};
  double t = target::interpolateKernel(s, "conv", big);
  double work = target::kernelWork("conv", big);
  CHECK(work == 4 * work64);
  double lo = work * std::min({2000e-6 / work64, 1900e-6 / target::kernelWork("conv", s[1].dims),
                               2100e-6 / target::kernelWork("conv", s[2].dims),
                               1000e-6 / target::kernelWork("conv", s[3].dims)});
  double hi = work * std::max({2000e-6 / work64, 1900e-6 / target::kernelWork("conv", s[1].dims),
                               2100e-6 / target::kernelWork("conv", s[2].dims),
                               1000e-6 / target::kernelWork("conv", s[3].dims)});
  CHECK(t >= lo);
  CHECK(t <= hi);
  // The nearest sample weighs most: halfway (in log space) between two
  // samples of different rates, the estimate's rate is their geometric mean.
  std::vector<KernelSample> two = {{"eltwise_relu", {1000, 1000}, 2e-6, {}},
                                   {"eltwise_relu", {4000, 4000}, 32e-6, {}}};
  double mid = target::interpolateKernel(two, "eltwise_relu", {2000, 2000});
  CHECK(mid / 4000 == doctest::Approx(std::sqrt((2e-6 / 2000) * (32e-6 / 8000))));
  // Another family's samples never count; no sample of the family: -1.
  CHECK(target::interpolateKernel(s, "eltwise_relu", {1000, 1000}) ==
        doctest::Approx(20e-6 / 200000 * 2000));
  CHECK(target::interpolateKernel(s, "pooling_max", {1000, 250}) < 0);
  CHECK(target::interpolateKernel({}, "conv", big) < 0);
}

TEST_CASE("kernels: kernel lines are written and read back") {
  calibrate::ProfileData p;
  p.name = "pi";
  p.peakFp32 = 20e9;
  p.bandwidth = 4e9;
  p.kernels = {conv(64, 64, 56, 3, 2120.5), {"linear", {1, 1280, 1000}, 95.25e-6, {}},
               {"concat", {4, 4096, 4096}, 3.125e-6, {}}};
  const std::string text = calibrate::writeProfile(p);
  CHECK(text.find("  kernel = conv(cin=64, cout=64, groups=1, h=56, w=56, kh=3, kw=3, "
                  "stride=1, us=2120.500)\n") != std::string::npos);
  CHECK(text.find("  kernel = concat(inputs=4, src=4096, dst=4096, us=3.125)\n") !=
        std::string::npos);
  std::string errors;
  std::optional<target::HardwareProfile> hw = test::readHardwareText(text, errors);
  REQUIRE_MESSAGE(hw, (errors + text));
  CHECK(hw->hasCalibration);
  REQUIRE(hw->kernels.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(hw->kernels[i].family == p.kernels[i].family);
    CHECK(hw->kernels[i].dims == p.kernels[i].dims);
    CHECK(hw->kernels[i].seconds == doctest::Approx(p.kernels[i].seconds).epsilon(1e-9));
  }
}

TEST_CASE("kernels: malformed kernel lines are errors at their place") {
  auto errorsOf = [](const std::string &line) {
    std::string errors;
    test::readHardwareText("hardware h {\n  peak_fp32 = 1 TFLOP/s\n  bandwidth = 1 GB/s\n  " + line + "\n}\n",
             errors);
    return errors;
  };
  CHECK(errorsOf("kernel = 3").find("host.net:4:12: error: kernel must be a measured "
                                    "configuration, like kernel = conv(") != std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1, k=2, n=3)").find("kernel 'linear' has no time (us)") !=
        std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1, k=2, us=3)").find("kernel 'linear' has no n") !=
        std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1, k=2, n=3, q=4, us=3)")
            .find("4:34: error: kernel 'linear' takes m, k, n, us (each by name)") !=
        std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1, m=1, k=2, n=3, us=3)").find("duplicate 'm'") !=
        std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1.5, k=2, n=3, us=3)")
            .find("m must be a positive integer") != std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1, k=2, n=3, us=0)")
            .find("us must be a positive number (microseconds)") != std::string::npos);
  CHECK(errorsOf("kernel = linear(m=1, k=2, n=3, us=3) ms").find("kernel takes no unit") !=
        std::string::npos);
  CHECK(errorsOf("kernel = relu(src=1, dst=1, us=0.5)").empty()); // any family reads
}

TEST_CASE("kernels: every configuration of the spread elaborates into measurable layers") {
  for (bool quick : {true, false}) {
    const std::vector<std::string> programs = calibrate::detail::kernelSpread(quick);
    CHECK(programs.size() > (quick ? 100u : 300u));
    std::set<std::string> families;
    for (const std::string &text : programs) {
      test::Elaborated e(text);
      bool any = false;
      for (const ir::Node &n : e.graph->nodes) {
        measure::KernelPoint p = measure::kernelPoint(measure::mapNode(*e.graph, n, 1));
        if (!p.family.empty()) {
          any = true;
          families.insert(p.family);
        }
      }
      CHECK_MESSAGE(any, text);
    }
    for (const char *f : {"conv", "linear", "eltwise_relu", "eltwise_clip", "eltwise_hardswish",
                          "eltwise_logistic", "eltwise_swish", "binary_add", "binary_mul",
                          "batch_normalization", "pooling_max", "pooling_avg_include_padding",
                          "pooling_avg_exclude_padding", "concat", "shuffle", "softmax"})
      CHECK_MESSAGE(families.count(f), f);
  }
}

TEST_CASE("kernels: the cost model's estimate uses the samples, else the op class") {
  test::Elaborated e("network n() {\n x = input([1, 64, 56, 56])\n"
                     " return x |> conv2d(64, k=3, padding=1, bias=false) |> relu |> "
                     "groupnorm(4)\n}\n");
  target::HardwareProfile hw;
  hw.name = "t";
  hw.peak[0] = 100e9;
  hw.bandwidth = 10e9;
  hw.efficiency[static_cast<int>(target::OpClass::Pool)] = 0.5; // groupnorm reduces
  hw.layerOverhead = 1e-6;
  hw.kernels = {conv(64, 64, 56, 3, 2000), {"eltwise_relu", {200704, 200704}, 50e-6, {}}};
  hw.hasCalibration = true;
  llvm::SourceMgr sm;
  DiagEngine diag{sm};
  std::optional<cost::Report> r = cost::buildReport(*e.graph, hw, {}, diag);
  REQUIRE(r);
  REQUIRE(r->layers.size() == 4);
  CHECK(r->layers[1].calibratedLatency == doctest::Approx(2000e-6 + 1e-6)); // measured conv
  CHECK(r->layers[2].calibratedLatency == doctest::Approx(50e-6 + 1e-6));   // measured relu
  // groupnorm has no oneDNN primitive: its op class's (pool) efficiency.
  CHECK(r->layers[3].calibratedLatency ==
        doctest::Approx(r->layers[3].latency / 0.5 + 1e-6));
  // Another dtype does not use fp32 samples.
  hw.peak[static_cast<int>(ir::DType::F16)] = 200e9;
  cost::CostOptions f16;
  f16.dtype = ir::DType::F16;
  std::optional<cost::Report> h = cost::buildReport(*e.graph, hw, f16, diag);
  REQUIRE(h);
  CHECK(h->layers[1].calibratedLatency == doctest::Approx(h->layers[1].latency + 1e-6));
}
