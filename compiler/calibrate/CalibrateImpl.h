//===- CalibrateImpl.h - the parts of netc calibrate (private) --*- C++ -*-===//
//
// What the files of `netc calibrate` share:
//
//   Calibrate.cpp     the command line: options, calibrateMain
//   Measure.cpp       the timing harness (rates, threads, progress) and
//                     measure(): peak FLOP/s, STREAM, the per-layer overhead
//   OpClassFit.cpp    the op-class microkernels and their efficiencies
//   ProfileWriter.cpp the profile in .net hardware syntax, and unit texts
//
//===----------------------------------------------------------------------===//
#ifndef NETC_CALIBRATE_CALIBRATEIMPL_H
#define NETC_CALIBRATE_CALIBRATEIMPL_H

#include "calibrate/Calibrate.h"
#include "measure/Runner.h"
#include "calibrate/Microkernels.h"
#include "target/HardwareProfile.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace netc::calibrate::detail {

// ---- the timing harness (Measure.cpp) ---------------------------------------

/// Seconds on a steady clock.
double now();

/// Keeps results alive so the optimizer cannot drop the kernels.
extern std::atomic<double> gSink;

/// One line per step on stderr (rewritten in place on a terminal).
struct Progress {
  int total;
  int done = 0;
  bool tty;
  double start = now();
  explicit Progress(int total);
  void step(const std::string &what);
  /// Progress within the current step: rewrites its line on a terminal,
  /// prints nothing otherwise.
  void note(const std::string &what);
  void finish();
};

struct Plan {
  int repeats;
  double minSeconds; ///< per repeat
};

/// Rates (work / s) of `repeats` runs of `run(n)`, which does n units of
/// something and returns the work done; n is doubled until one run takes
/// minSeconds.
/// With `fixedN` > 0 that n is used (a multi-threaded run takes the n of its
/// one-thread twin: thread start-up on a busy machine would mislead the
/// search); it is set to the n used.
std::vector<double> rates(const Plan &p, const std::function<double(int64_t)> &run,
                          int64_t *fixedN = nullptr);

/// `n` floats, a little different from each other.
std::vector<float> filled(size_t n, float seed);

// ---- op classes (OpClassFit.cpp) --------------------------------------------

/// The measurement of one op-class microkernel.
struct OpClassSample {
  const char *what;
  target::OpClass opClass;
  double flops; ///< 2mac convention
  double bytes; ///< ideal memory model, fp32
  Stat rate;    ///< runs per second
};

/// Times the microkernels of each op class on one core (a blocked dense
/// conv, 3x3 and 1x1; a depthwise 3x3; add and relu; 3x3 max pooling), one
/// progress step each.
std::vector<OpClassSample> measureOpClasses(const KernelSet &k, const Plan &plan,
                                            Progress &progress, bool quick);

/// Per op class: the roofline time of its kernels on `peak` FLOP/s and
/// `bandwidth` B/s over their best measured time, to 4 decimals.
void fitEfficiencies(const std::vector<OpClassSample> &samples, double peak, double bandwidth,
                     double (&efficiency)[target::kNumOpClasses]);

/// The profile's comment lines on the fit, one per kernel.
std::vector<std::string> describeOpClasses(const std::vector<OpClassSample> &samples,
                                           double peak, double bandwidth);

// ---- units (ProfileWriter.cpp) ----------------------------------------------

/// "64 MiB": the value in the largest binary unit that keeps it at least 1.
std::string bytes(double b);
/// "20 us": the value in the largest time unit that keeps it at least 1.
std::string seconds(double s);

// ---- measured kernels (KernelSpread.cpp) ------------------------------------

/// The configurations timed, each a tiny .net program (network `kernel`).
std::vector<std::string> kernelSpread(bool quick);

/// Elaborates `programs` and times each distinct primitive of their layers
/// through oneDNN (measure::Runner with `run`); the samples are sorted by
/// family. `runtime` gets the runtime's name.
std::vector<target::KernelSample> measureKernels(const std::vector<std::string> &programs,
                                                 const measure::RunOptions &run,
                                                 Progress &progress, std::string &runtime);

} // namespace netc::calibrate::detail

#endif
