// libFuzzer target: any bytes as an ONNX model, through netc import and, when
// that gives a program, through the whole pipeline (its report).
#include "FuzzPipeline.h"

#include "onnx/OnnxImport.h"

#include <llvm/Support/SourceMgr.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::SourceMgr sm;
  netc::DiagEngine diag(sm);
  netc::onnximport::ImportOptions opts;
  opts.maxNodes = 20000;
  std::optional<std::string> text = netc::onnximport::importBytes(
      diag, llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx", "", opts);
  if (text)
    netc::fuzz::runPipeline(reinterpret_cast<const uint8_t *>(text->data()), text->size());
  return 0;
}
