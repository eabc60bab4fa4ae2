//===- OpClassFit.cpp - op-class microkernels and their efficiencies ------===//
//
// The efficiency of an op class (target::OpClass) is the roofline time of its
// microkernels, counted under netc's default conventions (2mac FLOPs, ideal
// memory) on the single-core peak and triad bandwidth, over their measured
// time.
//
//===----------------------------------------------------------------------===//
#include "calibrate/CalibrateImpl.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace netc::calibrate::detail {

using target::OpClass;

std::vector<OpClassSample> measureOpClasses(const KernelSet &k, const Plan &plan,
                                            Progress &progress, bool quick) {
  std::vector<OpClassSample> ks;
  std::vector<std::function<void()>> runs; ///< one per sample
  auto add = [&](const char *what, OpClass opClass, double flops, double bytes,
                 std::function<void()> run) {
    ks.push_back({what, opClass, flops, bytes, {}});
    runs.push_back(std::move(run));
  };
  const int hw = quick ? 28 : 56;
  // Dense 3x3, 64 -> 64 (ResNet's stage 1), and 1x1, 256 -> 256 at half the size.
  auto in3 = std::make_shared<std::vector<float>>(filled(size_t(hw + 2) * (hw + 2) * 64, 0.5f));
  auto w3 = std::make_shared<std::vector<float>>(filled(9 * 64 * 64, 0.01f));
  auto o3 = std::make_shared<std::vector<float>>(size_t(hw) * hw * 64);
  add("dense conv 3x3 64->64", OpClass::Dense, 2.0 * hw * hw * 64 * 64 * 9,
      4.0 * (hw * hw * 64 * 2 + 9 * 64 * 64),
      [&, in3, w3, o3] { k.conv(in3->data(), w3->data(), o3->data(), hw, hw, 64, 64, 3); });
  const int h1 = hw / 2;
  auto in1 = std::make_shared<std::vector<float>>(filled(size_t(h1) * h1 * 256, 0.5f));
  auto w1 = std::make_shared<std::vector<float>>(filled(256 * 256, 0.01f));
  auto o1 = std::make_shared<std::vector<float>>(size_t(h1) * h1 * 256);
  add("dense conv 1x1 256->256", OpClass::Dense, 2.0 * h1 * h1 * 256 * 256,
      4.0 * (h1 * h1 * 256 * 2 + 256 * 256),
      [&, in1, w1, o1] { k.conv(in1->data(), w1->data(), o1->data(), h1, h1, 256, 256, 1); });
  // Depthwise 3x3 over 128 channels (MobileNet's early layers).
  auto ind = std::make_shared<std::vector<float>>(filled(size_t(hw + 2) * (hw + 2) * 128, 0.5f));
  auto wd = std::make_shared<std::vector<float>>(filled(9 * 128, 0.1f));
  auto od = std::make_shared<std::vector<float>>(size_t(hw) * hw * 128);
  add("depthwise 3x3 x128", OpClass::Depthwise, 2.0 * hw * hw * 128 * 9,
      4.0 * (hw * hw * 128 * 2 + 9 * 128),
      [&, ind, wd, od] { k.depthwise3x3(ind->data(), wd->data(), od->data(), hw, hw, 128); });
  // Elementwise: a residual add and a relu over a 64 x hw x hw tensor.
  const int64_t ne = int64_t(64) * hw * hw;
  auto ea = std::make_shared<std::vector<float>>(filled(ne, -0.5f));
  auto eb = std::make_shared<std::vector<float>>(filled(ne, 0.25f));
  auto eo = std::make_shared<std::vector<float>>(ne);
  add("elementwise add", OpClass::Elementwise, double(ne), 12.0 * ne,
      [&, ea, eb, eo] { k.add(ea->data(), eb->data(), eo->data(), ne); });
  add("elementwise relu", OpClass::Elementwise, double(ne), 8.0 * ne,
      [&, ea, eo] { k.relu(ea->data(), eo->data(), ne); });
  // 3x3/2 max pooling, 2hw x 2hw x 64 -> hw x hw x 64 (ResNet's stem).
  auto ip =
      std::make_shared<std::vector<float>>(filled(size_t(2 * hw + 1) * (2 * hw + 1) * 64, 0.5f));
  auto op = std::make_shared<std::vector<float>>(size_t(hw) * hw * 64);
  add("max pool 3x3/2", OpClass::Pool, 8.0 * hw * hw * 64,
      4.0 * (4.0 * hw * hw * 64 + hw * hw * 64),
      [&, ip, op] { k.maxPool3x3s2(ip->data(), op->data(), hw, hw, 64); });
  for (size_t i = 0; i < ks.size(); ++i) {
    progress.step(ks[i].what);
    ks[i].rate = summarize(rates(plan, [&](int64_t reps) {
      for (int64_t r = 0; r < reps; ++r)
        runs[i]();
      return static_cast<double>(reps);
    }));
  }
  gSink = gSink + (*o3)[7] + (*o1)[7] + (*od)[7] + (*eo)[7] + (*op)[7];
  return ks;
}

void fitEfficiencies(const std::vector<OpClassSample> &samples, double peak, double bandwidth,
                     double (&efficiency)[target::kNumOpClasses]) {
  double roof[target::kNumOpClasses] = {}, measured[target::kNumOpClasses] = {};
  for (const OpClassSample &s : samples) {
    const int c = static_cast<int>(s.opClass);
    roof[c] += std::max(s.flops / peak, s.bytes / bandwidth);
    measured[c] += 1 / s.rate.max;
  }
  for (int c = 0; c < target::kNumOpClasses; ++c)
    efficiency[c] = std::round(roof[c] / measured[c] * 1e4) / 1e4;
}

std::vector<std::string> describeOpClasses(const std::vector<OpClassSample> &samples,
                                           double peak, double bandwidth) {
  std::vector<std::string> c;
  c.push_back("Op-class efficiency = roofline time / measured time of a microkernel, one core,");
  c.push_back(fmt::format("on the best one-core peak ({:.2f} GFLOP/s) and triad ({:.2f} GB/s); "
                          "FLOPs 2mac,", peak / 1e9, bandwidth / 1e9));
  c.push_back("bytes ideal (inputs + weights + outputs once), fp32. Per kernel (min/median/max):");
  for (const OpClassSample &s : samples) {
    double rt = std::max(s.flops / peak, s.bytes / bandwidth);
    c.push_back(fmt::format("  {:<24} {:8.1f} us best, efficiency {:.3f} / {:.3f} / {:.3f}",
                            s.what, 1e6 / s.rate.max, rt * s.rate.min, rt * s.rate.median,
                            rt * s.rate.max));
  }
  return c;
}

} // namespace netc::calibrate::detail
