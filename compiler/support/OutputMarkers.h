//===- OutputMarkers.h - how every output of netc begins --------*- C++ -*-===//
//
// netc replaces an existing -o file without --force only when it wrote that
// file itself, which it tells by a marker it writes on purpose at the start
// of every output (support/FileOutput.cpp, looksLikeNetcOutput):
//
//   table report, comparison, sweep   "netc report: NAME", "netc comparison:
//                                     A vs B", "netc sweep: NAME"
//   Markdown                          the same after "# "
//   graph dumps (--emit=graph, ...)   "netc graph: NAME (as written)"
//   --emit=dot                        "// netc graph: NAME (optimized)" (a DOT
//                                     comment)
//   opt report table                  "optimization report: NAME on HW"
//   JSON                              a first member "netc_report" (or
//                                     netc_comparison, netc_sweep,
//                                     netc_opt_report)
//   CSV                               netc's header row ("name,op,block,",
//                                     "quantity,a,b,", "variant,")
//   --emit=ast                        the AST printer's root `Module "FILE"`
//   --emit=onnx                       the model's first fields: ir_version 8,
//                                     producer_name "netc" (protobuf bytes
//                                     08 08 12 04 "netc")
//   --emit=cpp                        a marker file in the directory
//
// None of these can begin a .net program, so no source is taken for an
// output (and the inputs of a run are never written over in any case).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_OUTPUTMARKERS_H
#define NETC_SUPPORT_OUTPUTMARKERS_H

#include <llvm/ADT/StringRef.h>

namespace netc::markers {

inline constexpr llvm::StringLiteral kReport("netc report: ");
inline constexpr llvm::StringLiteral kComparison("netc comparison: ");
inline constexpr llvm::StringLiteral kSweep("netc sweep: ");
inline constexpr llvm::StringLiteral kGraph("netc graph: ");
inline constexpr llvm::StringLiteral kDotGraph("// netc graph: ");
inline constexpr llvm::StringLiteral kOptReport("optimization report: ");
/// An ONNX model: field 1 (ir_version) = 8, field 2 (producer_name) = "netc".
inline constexpr llvm::StringLiteral kOnnx("\x08\x08\x12\x04netc");

} // namespace netc::markers

#endif
