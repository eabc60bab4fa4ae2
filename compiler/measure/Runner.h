//===- Runner.h - build and time oneDNN primitives --------------*- C++ -*-===//
//
// Builds the oneDNN 2.6 primitive a PrimitiveSpec describes and times it on
// this machine's CPU:
//
//   - layouts: convolution, deconvolution, inner product and matmul weights,
//     and the activations of convolutions, deconvolutions and inner products,
//     are created with format_tag::any, so oneDNN picks its preferred
//     (blocked) layouts. With Layout::Blocked, as a tuned runtime keeps them
//     end to end, reorders into them happen once, before timing, and are not
//     timed; with Layout::Plain, as eager frameworks run, the tensors are
//     plain between layers and each call's reorders (input and weights in,
//     output back) are timed with the primitive. Every other
//     primitive runs on plain row-major tensors; a residual add is a sum
//     post-op (PostOp::sum), a broadcast binary operand is plain;
//   - prop kind forward_inference; f32; one stream;
//   - inputs are filled once with small positive values (no denormals);
//   - `warmup` executions, then `repeats` timed ones; before each timed one
//     the caches are flushed (a 4 MiB buffer is written), since in a
//     network a layer reads what the previous one wrote and its own weights
//     cold (/work/shared/MEASURING.md: layers timed alone on repeat, with hot
//     caches, run 14-50% faster than in the network).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_MEASURE_RUNNER_H
#define NETC_MEASURE_RUNNER_H

#include "measure/PrimitiveSpec.h"

#include <memory>
#include <string>
#include <vector>

namespace netc::measure {

/// How activations and weights are laid out between layers.
enum class Layout {
  /// oneDNN's preferred (blocked) layouts end to end, as a tuned runtime
  /// keeps them: reorders happen once, before timing.
  Blocked,
  /// Plain row-major (NCHW) tensors between layers, as eager frameworks keep
  /// them (PyTorch): a convolution or deconvolution reorders its input and
  /// weights into its blocked layouts and its output back on every call,
  /// and those reorders are timed with it; an inner product runs on plain
  /// tensors (a framework's linear layer is a GEMM on them); batch norm is
  /// its per-channel affine in either layout.
  Plain,
  /// netc measure's default: Plain for the graph as written (-O0, what eager
  /// frameworks run), Blocked for the optimized graph (a tuned runtime).
  /// Resolved by the driver; a Runner takes it as Blocked.
  Auto,
};
/// "blocked", "plain", "auto".
inline const char *layoutName(Layout l) {
  return l == Layout::Plain ? "plain" : l == Layout::Auto ? "auto" : "blocked";
}

struct RunOptions {
  unsigned threads = 1; ///< OpenMP threads oneDNN runs on
  Layout layout = Layout::Auto;
  unsigned warmup = 2;
  unsigned repeats = 11;
};

/// min, median and max of `samples` (any order; empty gives zeros). An even
/// count's median is the mean of the middle two.
struct Stats {
  double min = 0, median = 0, max = 0;
};
Stats summarize(std::vector<double> samples);

/// The times of one primitive, or why it could not run.
struct Timing {
  std::string error; ///< "" on success
  Stats seconds;
  std::string impl;  ///< oneDNN's implementation name ("brg:avx512_core")
};

class Runner {
public:
  explicit Runner(const RunOptions &opts);
  ~Runner();
  Runner(const Runner &) = delete;
  Runner &operator=(const Runner &) = delete;

  /// Builds and times `spec` (status Run).
  Timing time(const PrimitiveSpec &spec);
  /// "oneDNN 2.6.3 (cpu runtime OpenMP)".
  static std::string runtimeName();

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace netc::measure

#endif
