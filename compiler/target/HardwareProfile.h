//===- HardwareProfile.h - a device as plain data ---------------*- C++ -*-===//
//
// A device as the roofline model sees it: peak arithmetic throughput per
// dtype, memory bandwidth and memory capacity, and, for a calibrated profile
// (written by `netc calibrate`), the measured efficiency of each op class and
// a fixed time per layer.
//
// Plain data with no knowledge of the .net syntax: sema turns a `hardware`
// declaration into one (sema/Hardware.h), and the cost model and the report
// writers only read it.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_TARGET_HARDWAREPROFILE_H
#define NETC_TARGET_HARDWAREPROFILE_H

#include "ir/Types.h"
#include "target/Kernels.h"
#include "support/SourceLoc.h"

#include <string>

namespace netc::target {

/// The op classes a calibrated profile has efficiencies for (cost::opClass
/// maps a node to one). None: views and inputs, which take no time.
enum class OpClass { Dense, Depthwise, Elementwise, Pool, None };
inline constexpr int kNumOpClasses = 4; ///< the classes with an efficiency
/// "dense", "depthwise", "elementwise", "pool", "none".
const char *opClassName(OpClass c);

struct HardwareProfile {
  std::string name;
  std::string description;
  double peak[4] = {0, 0, 0, 0}; ///< FLOP/s (OP/s for int8), indexed by ir::DType; 0 = unknown
  double bandwidth = 0;          ///< bytes per second
  double memory = 0;             ///< bytes of device memory; 0 = unknown
  /// Measured fraction of the roofline per op class (indexed by OpClass);
  /// 0 = not given (the estimate then uses 1, the roofline itself).
  double efficiency[kNumOpClasses] = {0, 0, 0, 0};
  double layerOverhead = 0; ///< seconds added per layer that does work
  /// Measured kernel configurations (`kernel = ...` lines): the estimate of
  /// a layer whose family has samples comes from its nearest ones.
  std::vector<KernelSample> kernels;
  bool hasCalibration = false; ///< any efficiency, layer_overhead or kernel given
  SourceLoc loc; ///< where the profile was declared

  /// The efficiency the estimate uses for `c` (1 when not given).
  double efficiencyFor(OpClass c) const {
    int i = static_cast<int>(c);
    return i < kNumOpClasses && efficiency[i] > 0 ? efficiency[i] : 1.0;
  }

  /// 0 for index types (I64): ids are gathered, never computed on.
  double peakFor(ir::DType t) const {
    return static_cast<size_t>(t) < sizeof(peak) / sizeof(peak[0]) ? peak[static_cast<int>(t)] : 0;
  }
  /// The ridge point I_max = peak / bandwidth in FLOP per byte.
  double ridge(ir::DType t) const { return peakFor(t) / bandwidth; }
};

/// The default profile when --hw is not given.
inline constexpr const char *kDefaultHardware = "xeon_silver_4210";

} // namespace netc::target

#endif
