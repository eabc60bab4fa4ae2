//===- KernelSpread.cpp - calibrate: time a spread of kernel configurations -===//
//
// The configurations `netc calibrate` times through oneDNN (target/Kernels.h
// says what a sample records). Each configuration is a tiny .net network,
// elaborated like any program, so a sample is a layer exactly as the cost
// model later sees one (measure::mapNode, measure::kernelPoint): nothing is
// described twice. The spread covers what real convolutional networks use,
// and none of it is taken from a particular network:
//
//   - dense convolutions: 3x3 at stride 1 and 2 with channels doubling,
//     halving or kept, on 112x112 down to 7x7 (the channel range each size
//     sees); 1x1 over a ladder of channel pairs (ratios up to 6) on 112x112
//     down to 1x1 (squeeze-excitation); strided 1x1; stems (3 channels,
//     kernels 3 to 11); 5x5;
//   - grouped 3x3 (32 groups) and depthwise 3x3 and 5x5 at stride 1 and 2;
//   - linear layers from 512 to 25,088 inputs;
//   - memory-bound primitives at eight sizes (25 K to 1.6 M elements): relu,
//     relu6, hardswish, hardsigmoid, sigmoid, silu, tanh, gelu, add, mul, a
//     broadcast multiply,
//     batch norm, max and average pooling, global pooling, concat (of 2 to 32
//     inputs), channel shuffle, softmax.
//
// --quick keeps every family at fewer points.
//
//===----------------------------------------------------------------------===//
#include "calibrate/CalibrateImpl.h"

#include "driver/Backends.h"
#include "measure/PrimitiveSpec.h"
#include "measure/Runner.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include <fmt/format.h>
#include <llvm/Support/SourceMgr.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace netc::calibrate::detail {

namespace {

/// A configuration: the input's shape and the layers applied to it.
struct Config {
  std::string input; ///< "[1, 64, 56, 56]"
  std::string body;  ///< "conv2d(x, 64, k=3, padding=1, bias=false)"
};

std::string shape(int64_t c, int64_t h) { return fmt::format("[1, {}, {}, {}]", c, h, h); }

Config conv(int64_t cin, int64_t cout, int64_t h, int64_t k, int64_t stride, int64_t groups = 1) {
  return {shape(cin, h), fmt::format("conv2d(x, {}, k={}, stride={}, padding={}, groups={}, "
                                     "bias=false)",
                                     cout, k, stride, k / 2, groups)};
}

/// The spatial sizes (input side) real networks run convolutions at, with
/// the channel range each sees.
struct Level {
  int64_t h, cmin, cmax;
};
constexpr Level kLevels[] = {
    {112, 16, 144}, {56, 24, 256}, {28, 32, 512}, {14, 64, 1024}, {7, 128, 2048}};
constexpr int64_t kLadder[] = {16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024,
                               1536, 2048};

void denseConvs(bool quick, std::vector<Config> &out) {
  for (const Level &l : kLevels) {
    int n = 0;
    for (int64_t c : kLadder) {
      if (c < l.cmin || c > l.cmax)
        continue;
      ++n;
      for (int64_t cout : {c / 2, c, 2 * c}) // 3x3, stride 1
        if (cout >= 16 && (!quick || cout == c) && (cout == c || n % 2 == 0))
          out.push_back(conv(c, cout, l.h, 3, 1));
      if (l.h >= 14 && n % 2 == 1)
        out.push_back(conv(c, c, l.h, 3, 2));
    }
    // 1x1 over channel pairs whose ratio is at most 6, every third pair.
    int pair = 0;
    for (int64_t cin : kLadder)
      for (int64_t cout : kLadder) {
        if (cin < l.cmin || cin > l.cmax || cout < l.cmin || cout > l.cmax ||
            std::max(cin, cout) > 6 * std::min(cin, cout))
          continue;
        if (pair++ % (quick ? 9 : 3) == 0)
          out.push_back(conv(cin, cout, l.h, 1, 1));
      }
    if (l.h >= 14) // strided 1x1 (a residual's downsampling)
      out.push_back(conv(l.cmax / 2, l.cmax, l.h, 1, 2));
  }
  for (int64_t c : {8, 16, 32, 64, 128, 256, 512, 1024}) // 1x1 on 1x1: squeeze-excitation
    for (int64_t r : {4, -4})
      if (!quick || r > 0)
        out.push_back(conv(c, r > 0 ? c * r : std::max<int64_t>(c / 4, 8), 1, 1, 1));
  for (auto [cout, k, s] : {std::tuple{16, 3, 2}, {32, 3, 2}, {48, 3, 2}, {64, 3, 1},
                            {64, 7, 2}, {96, 7, 2}, {64, 11, 4}})
    if (!quick || k == 3)
      out.push_back(conv(3, cout, 224, k, s)); // stems
  out.push_back(conv(64, 192, 27, 5, 1));
  out.push_back(conv(48, 128, 28, 5, 1));
}

void groupedConvs(bool quick, std::vector<Config> &out) {
  for (const Level &l : kLevels) {
    for (int64_t c : {16, 32, 64, 96, 144, 192, 240, 384, 576, 960, 1152})
      if (c >= l.cmin && c <= std::max<int64_t>(l.cmax, 1152))
        for (int64_t k : {3, 5})
          for (int64_t s : {1, 2}) {
            if ((quick && (k == 5 || s == 2)) || (s == 2 && l.h < 14))
              continue;
            if ((c + k + s) % 2 == 0 || k == 3) // fewer 5x5
              out.push_back(conv(c, c, l.h, k, s, c));
          }
    if (l.h <= 56 && !quick)
      for (int64_t s : {1, 2})
        out.push_back(conv(l.cmax / 2, l.cmax / 2, l.h, 3, s, 32));
  }
}

void linears(bool quick, std::vector<Config> &out) {
  for (auto [k, n] : {std::pair{512, 1000}, {1024, 1000}, {1280, 1000}, {2048, 1000},
                      {576, 1024}, {960, 1280}, {4096, 1000}, {4096, 4096}, {9216, 4096},
                      {25088, 4096}})
    if (!quick || n == 1000)
      out.push_back({fmt::format("[1, {}]", k), fmt::format("linear(x, {})", n)});
}

/// The memory-bound primitives, each on the same ladder of tensors.
void dataMovement(bool quick, std::vector<Config> &out) {
  static const char *const kBodies[] = {
      "relu(x)",         "relu6(x)",
      "hardswish(x)",    "sigmoid(x)",
      "silu(x)",         "x + relu(x)",
      "x * relu(x)",     "x * sigmoid(global_avg_pool(x))",
      "batchnorm(x)",    "max_pool2d(x, 3, stride=2, padding=1)",
      "avg_pool2d(x, 2)", "concat([x, relu(x)])",
      "channel_shuffle(x, 2)", "hardsigmoid(x)",
      "tanh(x)",         "gelu(x)"};
  constexpr std::pair<int64_t, int64_t> kTensors[] = {{16, 112}, {64, 112}, {64, 56}, {144, 56},
                                                      {256, 28}, {96, 28},  {512, 14}, {512, 7}};
  for (size_t t = 0; t < std::size(kTensors); ++t)
    if (!quick || t % 3 == 0)
      for (const char *body : kBodies)
        out.push_back({shape(kTensors[t].first, kTensors[t].second), body});
  for (int64_t n : {10, 1000, 21841})
    out.push_back({fmt::format("[1, {}]", n), "softmax(x)"});
  // Concats of many inputs (a dense block joins all earlier outputs).
  for (auto [c, h] : {std::pair{32, 56}, {32, 28}, {32, 14}, {32, 7}})
    for (int inputs : {4, 8, 16, 32}) {
      if (quick && inputs != 8)
        continue;
      std::string xs = "x";
      for (int i = 1; i < inputs; ++i)
        xs += ", x";
      out.push_back({shape(c, h), "concat([" + xs + "])"});
    }
}

} // namespace

std::vector<std::string> kernelSpread(bool quick) {
  std::vector<Config> configs;
  denseConvs(quick, configs);
  groupedConvs(quick, configs);
  linears(quick, configs);
  dataMovement(quick, configs);
  std::vector<std::string> programs;
  for (const Config &c : configs)
    programs.push_back(fmt::format("network kernel() {{\n  x = input({})\n  return {}\n}}\n",
                                   c.input, c.body));
  return programs;
}

std::vector<target::KernelSample> measureKernels(const std::vector<std::string> &programs,
                                                 const measure::RunOptions &run,
                                                 Progress &progress, std::string &runtime) {
  std::string why;
  const backend::Dnnl *dnnl = backend::dnnl(why);
  if (!dnnl) {
    progress.note("cannot time kernels: " + why);
    return {};
  }
  std::unique_ptr<measure::Runner, void (*)(measure::Runner *)> runner(dnnl->newRunner(run),
                                                                      dnnl->deleteRunner);
  runtime = dnnl->runtimeName();
  std::vector<target::KernelSample> samples;
  std::set<std::string> timed; // configKey: a primitive is timed once
  for (size_t i = 0; i < programs.size(); ++i) {
    if (i % 16 == 0)
      progress.note(fmt::format("kernels {}/{} ({} timed)", i, programs.size(), samples.size()));
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    std::optional<Program> program = loadProgramFromText(diag, programs[i], "<kernel>");
    std::optional<ir::Graph> g = program ? elaborate(*program, diag) : std::nullopt;
    if (!g)
      continue; // cannot happen for the spread above (a unit test elaborates it)
    for (const ir::Node &n : g->nodes) {
      const measure::PrimitiveSpec spec = measure::mapNode(*g, n, 1);
      const measure::KernelPoint point = measure::kernelPoint(spec);
      if (point.family.empty() || !timed.insert(measure::configKey(spec)).second)
        continue;
      measure::Timing t = dnnl->time(*runner, spec);
      if (!t.error.empty())
        continue;
      samples.push_back({point.family, point.dims, t.seconds.median, {}});
    }
  }
  // Grouped by family, then in the order measured: a readable profile.
  std::stable_sort(samples.begin(), samples.end(),
                   [](const target::KernelSample &a, const target::KernelSample &b) {
                     return a.family < b.family;
                   });
  return samples;
}

} // namespace netc::calibrate::detail
