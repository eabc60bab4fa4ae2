//===- Backends.h - ONNX and oneDNN, loaded when a command needs them -*- C++ -*-===//
//
// Loading a shared library costs at start-up whether or not it is used: its
// relocations, its static constructors. Debian's libonnx and libprotobuf
// take about 3.5 ms of every start of netc, libdnnl with OpenMP and OpenCL
// about 2 ms more: more than the whole report of ResNet-50 (issue 22). So
// the netc executable links neither. The code that needs them lives in two
// modules built beside the executable, loaded (dlopen) on first use:
//   - libnetc_onnx.so: netc import, FILE.onnx in every mode, --emit=onnx
//     (onnx/, with its own copy of what it uses of netc);
//   - libnetc_dnnl.so: what netc measure and netc calibrate run on oneDNN
//     (measure/Runner.cpp, measure/Measure.cpp).
// Each exports one C function returning its table of entry points. A
// program that links that code itself (the unit tests, the fuzzers) hands
// the table over with provide(); nothing is loaded then.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_BACKENDS_H
#define NETC_DRIVER_BACKENDS_H

#include "cost/Report.h"
#include "ir/Graph.h"
#include "measure/Runner.h"
#include "onnx/OnnxImport.h"
#include "onnx/OnnxWriter.h"
#include "support/Diagnostics.h"

#include <llvm/Support/raw_ostream.h>

#include <optional>
#include <string>

namespace netc::backend {

/// libnetc_onnx.so's entry points (onnx/OnnxImport.h, onnx/OnnxWriter.h).
struct Onnx {
  std::optional<std::string> (*importFile)(DiagEngine &diag, llvm::StringRef path,
                                           const onnximport::ImportOptions &opts);
  std::string (*writeOnnx)(const ir::Graph &g, const onnxgen::OnnxOptions &opts,
                           std::string &bytes);
};

/// libnetc_dnnl.so's entry points (measure/Measure.h; measure::Runner for
/// netc calibrate, as an opaque handle).
struct Dnnl {
  void (*measureGraph)(const ir::Graph &g, cost::Report &r, const measure::RunOptions &opts,
                       llvm::raw_ostream &progress);
  measure::Runner *(*newRunner)(const measure::RunOptions &opts);
  measure::Timing (*time)(measure::Runner &runner, const measure::PrimitiveSpec &spec);
  void (*deleteRunner)(measure::Runner *runner);
  std::string (*runtimeName)();
};

/// The ONNX entry points, loading the module on first use; nullptr with
/// `error` set ("libnetc_onnx.so: cannot open ...") when it cannot be.
const Onnx *onnx(std::string &error);
/// The oneDNN entry points, likewise.
const Dnnl *dnnl(std::string &error);

/// For programs that link the code: use these tables, load nothing.
void provide(const Onnx *table);
void provide(const Dnnl *table);

} // namespace netc::backend

/// Each module's one exported function (onnx/OnnxModule.cpp,
/// measure/DnnlModule.cpp), also linked into the tests.
extern "C" const netc::backend::Onnx *netc_onnx_backend();
extern "C" const netc::backend::Dnnl *netc_dnnl_backend();

#endif
