//===- Calibrate.h - measure this machine: `netc calibrate` -----*- C++ -*-===//
//
// Measures the host the way the roofline model sees a device, and writes a
// hardware profile (.net hardware syntax, sema/Hardware.h) that --hw reads:
//
//   - peak FP32 and FP64 FLOP/s: an FMA microkernel (12 independent chains)
//     at the widest SIMD width the CPU has, single-core and on all cores;
//   - memory bandwidth the STREAM way (copy, scale, add, triad) over arrays
//     far larger than the last-level cache, single-core and all-core, plus
//     triad at L1/L2/L3-resident sizes;
//   - the efficiency of each op class (target::OpClass): the roofline time of
//     a microkernel (a blocked dense conv, 3x3 and 1x1; a depthwise 3x3; add
//     and relu; 3x3 max pooling), counted under netc's default conventions
//     (2mac FLOPs, ideal memory) on the single-core peak and triad
//     bandwidth, divided by its measured time;
//   - the fixed cost of one layer: allocating, computing and freeing a tiny
//     output;
//   - kernels: a spread of a few hundred layer configurations (convolutions
//     of every kind, linear layers, memory-bound primitives; KernelSpread.cpp)
//     timed through oneDNN (measure::Runner), one `kernel = ...` line each
//     (target/Kernels.h); the estimate of a layer comes from the nearest.
//
// Every figure is repeated (min/median/max go in comments); the profile uses
// the best repeat, as STREAM does: on a shared machine the fastest run is the
// least disturbed one.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_CALIBRATE_CALIBRATE_H
#define NETC_CALIBRATE_CALIBRATE_H

#include "measure/Runner.h"
#include "target/HardwareProfile.h"

#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>
#include <vector>

namespace netc::calibrate {

/// Repeats of one measurement, as rates (work per second).
struct Stat {
  double min = 0, median = 0, max = 0;
};
/// min/median/max of `samples` (any order; empty gives zeros).
Stat summarize(std::vector<double> samples);

/// What a profile states; ProfileWriter's input and the unit tests' subject.
struct ProfileData {
  std::string name = "host";
  std::string description;
  double peakFp32 = 0;  ///< FLOP/s
  double bandwidth = 0; ///< B/s
  double memory = 0;    ///< bytes; 0 = leave out
  /// Indexed by target::OpClass (written as eff_<opClassName>); 0 = leave out.
  double efficiency[target::kNumOpClasses] = {0, 0, 0, 0};
  double layerOverhead = 0;          ///< seconds; 0 = leave out
  std::vector<target::KernelSample> kernels; ///< one `kernel = ...` line each
  std::vector<std::string> comments; ///< lines above the declaration, without '#'
};

/// The profile in .net hardware syntax: comments, then one declaration whose
/// numbers read back (sema::readHardware) to the same values to 12
/// significant digits.
std::string writeProfile(const ProfileData &p);

struct CalibrateOptions {
  bool quick = false;      ///< a few seconds: fewer repeats, smaller arrays
  bool singleCore = false; ///< the profile's peak and bandwidth are one core's
  std::string output;      ///< "" or "-": stdout
  bool force = false;      ///< -o may replace a file netc calibrate did not write
  std::string name = "host";
  double layerOverhead = -1; ///< seconds; < 0: measured
  /// The layouts kernels are timed in: plain (eager frameworks) by default.
  measure::Layout layout = measure::Layout::Plain;
};

/// Parses `netc calibrate` arguments (argv[0] is "calibrate"); returns an
/// exit code when done (help: 0, usage error: 2), or nothing to go on.
std::optional<int> parseCalibrateArgs(int argc, char **argv, CalibrateOptions &opts,
                                      std::string &message);

/// Whether `head`, the start of an existing file, is a profile netc
/// calibrate wrote (so -o may replace it without --force).
bool looksLikeProfile(llvm::StringRef head);

/// Runs the measurements and returns the profile.
ProfileData measure(const CalibrateOptions &opts);

/// `netc calibrate [--quick] [--single-core] [--name NAME]
/// [--layer-overhead TIME] [-o FILE]`. Exit codes: 0, 1 (cannot write), 2 (usage).
int calibrateMain(int argc, char **argv);

} // namespace netc::calibrate

#endif
