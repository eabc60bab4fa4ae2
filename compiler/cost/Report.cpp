#include "cost/Report.h"

namespace netc::cost {

llvm::StringRef flopConventionName(FlopConvention c) {
  switch (c) {
  case FlopConvention::TwoMac: return "2mac";
  case FlopConvention::Exact: return "exact";
  case FlopConvention::Mac: return "mac";
  }
  return "2mac";
}

llvm::StringRef memoryModelName(MemoryModel m) {
  switch (m) {
  case MemoryModel::Ideal: return "ideal";
  case MemoryModel::NoReuse: return "no-reuse";
  case MemoryModel::WeightsOutput: return "weights+output";
  }
  return "ideal";
}

llvm::StringRef flopConventionDoc(FlopConvention c) {
  switch (c) {
  case FlopConvention::TwoMac:
    return "2 FLOPs per multiply-accumulate, plus the elementwise FLOPs of other ops";
  case FlopConvention::Exact:
    return "2n-1 FLOPs per dot product of length n, +1 per bias add, plus the elementwise "
           "FLOPs of other ops";
  case FlopConvention::Mac:
    return "1 FLOP per multiply-accumulate (fvcore's convention); other ops count 0";
  }
  return "";
}

llvm::StringRef memoryModelDoc(MemoryModel m) {
  switch (m) {
  case MemoryModel::Ideal: return "each input, weight and output tensor moved once";
  case MemoryModel::NoReuse:
    return "MAC ops read an input element per multiply-accumulate, weights and outputs once";
  case MemoryModel::WeightsOutput: return "weights and outputs only, inputs not counted";
  }
  return "";
}

llvm::StringRef groupByName(GroupBy by) {
  switch (by) {
  case GroupBy::Layer: return "layer";
  case GroupBy::Block: return "block";
  case GroupBy::Op: return "op";
  case GroupBy::Tree: return "tree";
  }
  return "layer";
}

namespace {
struct NamedStorage {
  const char *alias;
  Storage storage;
};
constexpr NamedStorage kStorages[] = {
    {"fp32", {"fp32", 32}}, {"f32", {"fp32", 32}}, {"fp16", {"fp16", 16}},
    {"f16", {"fp16", 16}},  {"bf16", {"bf16", 16}}, {"fp8", {"fp8", 8}},
    {"int8", {"int8", 8}},  {"i8", {"int8", 8}},    {"int4", {"int4", 4}},
    {"i4", {"int4", 4}},
};
} // namespace

std::optional<Storage> parseStorage(llvm::StringRef s) {
  for (const NamedStorage &n : kStorages)
    if (s == n.alias)
      return n.storage;
  return std::nullopt;
}

Storage storageOf(ir::DType t) {
  std::optional<Storage> s = parseStorage(ir::dtypeName(t));
  return s ? *s : Storage{"fp32", 32};
}

llvm::StringRef phaseName(Phase p) {
  switch (p) {
  case Phase::None: return "none";
  case Phase::Prefill: return "prefill";
  case Phase::Decode: return "decode";
  case Phase::Request: return "request";
  }
  return "none";
}

} // namespace netc::cost
