//===- OnnxForms.h - ONNX rules kept beside their op's file -----*- C++ -*-===//
//
// The ONNX rules (ir/Onnx.h) of ops whose file has no room for them (a file
// stays under 450 lines): each family's rules are in ir/ops/FAMILYOnnx.cpp
// and set in the op's entry, like every other rule (`bn.onnx = batchnormOnnx`).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_OPS_ONNXFORMS_H
#define NETC_IR_OPS_ONNXFORMS_H

#include "ir/OpTable.h"

namespace netc::ir {

// NormOnnx.cpp
std::string batchnormOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string layernormOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string groupnormOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string rmsnormOnnx(const OnnxCall &c, std::vector<std::string> &out);
// PoolOnnx.cpp
std::string maxPoolOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string avgPoolOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string adaptiveAvgPoolOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string globalAvgPoolOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string padOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string upsampleOnnx(const OnnxCall &c, std::vector<std::string> &out);
// AttentionOnnx.cpp
std::string rotaryOnnx(const OnnxCall &c, std::vector<std::string> &out);
std::string attentionOnnx(const OnnxCall &c, std::vector<std::string> &out);

} // namespace netc::ir

#endif
