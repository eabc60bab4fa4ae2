//===- OnnxModule.cpp - libnetc_onnx.so's entry point ------------------------===//
//
// The table driver/Backends.h loads: netc import and --emit=onnx. Built into
// the module (with its own copy of the netc code it uses, hidden) and into
// netc_onnx for the programs that link it (the tests hand it to provide()).
//
//===----------------------------------------------------------------------===//
#include "driver/Backends.h"

extern "C" __attribute__((visibility("default"))) const netc::backend::Onnx *
netc_onnx_backend() {
  static const netc::backend::Onnx table = {netc::onnximport::importFile,
                                           netc::onnxgen::writeOnnx};
  return &table;
}
