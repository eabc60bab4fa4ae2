//===- Hardware.h - hardware declarations into profiles ---------*- C++ -*-===//
//
// A device as the roofline model sees it: peak arithmetic throughput per
// dtype, memory bandwidth and memory capacity. Profiles are written in the
// .net language itself:
//
//   hardware xeon_silver_4210 {
//     description = "2x Intel Xeon Silver 4210, AVX-512 at 1.5 GHz"
//     peak_fp32 = 960 GFLOP/s    # peak_fp16, peak_bf16, peak_int8 (OP/s) too
//     bandwidth = 76.8 GB/s
//     memory = 128 GiB
//   }
//
// The built-in profiles live in stdlib/hardware.net, with their sources.
// Units: FLOP/s and OP/s with k, M, G, T, P prefixes; B/s with k, M, G, T
// (decimal) or Ki, Mi, Gi, Ti (binary) prefixes; bytes likewise (B, KB, MB,
// GB, TB, KiB, MiB, GiB, TiB).
//
// A calibrated profile (written by `netc calibrate`) also has measured
// efficiencies: the fraction of the roofline a well-written kernel of each op
// class attains (eff_dense, eff_depthwise, eff_elementwise, eff_pool; plain
// numbers, no unit; above 1 when caches beat the DRAM bandwidth), and a fixed
// time per layer (layer_overhead = 2 us; units s, ms, us, ns). With any of
// them, reports add a calibrated estimate beside the roofline lower bound.
//
// Semantic analysis of `hardware` declarations: the result is a plain
// target::HardwareProfile, which the cost model and report writers use without
// seeing the syntax.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_HARDWARE_H
#define NETC_SEMA_HARDWARE_H

#include "support/Diagnostics.h"
#include "syntax/AST.h"
#include "syntax/ModuleLoader.h"
#include "target/HardwareProfile.h"

#include <optional>
#include <string>
#include <vector>

namespace netc::sema {

/// Reads one hardware declaration, checking field names, units and values;
/// errors are located at the offending field or unit. peak_fp32 and
/// bandwidth are required.
std::optional<target::HardwareProfile> readHardware(const ast::HardwareDecl &decl, DiagEngine &diag);

/// A unit's scale and what it measures.
enum class UnitKind { FlopRate, ByteRate, Bytes, Seconds, Ratio };
struct Unit {
  double scale;
  UnitKind kind;
};
std::optional<Unit> parseUnit(llvm::StringRef text);

/// Resolves --hw: a path (contains '/' or ends in ".net") is loaded and its
/// last hardware declaration used; otherwise NAME is looked up among the
/// hardware declarations of `program` (the user's file and its imports),
/// then among the built-in profiles (std/hardware.net). Reports an error
/// listing the known names when nothing matches.
std::optional<target::HardwareProfile> findHardware(llvm::StringRef nameOrFile, const Program *program,
                                            DiagEngine &diag, const LoadOptions &load);

/// All built-in profiles, in file order.
std::optional<std::vector<target::HardwareProfile>> builtinHardware(DiagEngine &diag,
                                                            const LoadOptions &load);

} // namespace netc::sema

#endif
