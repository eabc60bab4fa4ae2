//===- EmitKernels.cpp - one C++ kernel function per fused group ----------===//
//
// generateKernel() writes the loop nest of one node (its op's kernel rule, or
// one loop over the output for an elementwise op) with the node's epilogue
// fused into the store; KernelSet gives identical kernels one function.
//
//===----------------------------------------------------------------------===//
#include "codegen/EmitterImpl.h"

namespace netc::codegen::detail {

namespace {

/// `op(attr=value, ...)` with the normalized attributes.
std::string describeCall(const OpDef &op, const Attrs &attrs) {
  std::string s = op.name + "(";
  bool first = true;
  for (const Attr &a : attrs.all()) {
    s += (first ? "" : ", ") + a.name + "=" + formatAttrValue(a.value);
    first = false;
  }
  return s + ")";
}

/// True when `in` broadcasts to exactly `out` (numpy rules, `out` unchanged).
bool broadcastsTo(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> out) {
  if (in.size() > out.size())
    return false;
  const size_t offset = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d)
    if (in[d] != 1 && in[d] != out[d + offset])
      return false;
  return true;
}

} // namespace

std::string generateKernel(const Graph &g, const Node &n, KernelSource &out) {
  const OpDef &op = *n.op;
  std::vector<TensorType> inTypes = g.inputTypes(n);
  Attrs attrs = n.attrs;
  OpCall call{op, inTypes, attrs};
  std::vector<TensorType> outTypes;
  if (std::string e = op.shape(call, outTypes); !e.empty())
    return e;
  std::vector<WeightSpec> weights = g.weights(n);
  if (!op.scalar && !op.kernel)
    return fmt::format("the C++ emitter has no kernel for op '{}'", op.name);
  if (!n.epilogue.empty() && outTypes.size() != 1)
    return fmt::format("op '{}' has {} outputs and a fused epilogue", op.name, outTypes.size());

  std::vector<std::string> in, w, extra, y, params;
  for (size_t i = 0; i < inTypes.size(); ++i) {
    in.push_back(fmt::format("x{}", i));
    params.push_back("const T *" + in.back());
  }
  for (size_t i = 0; i < weights.size(); ++i) {
    w.push_back(fmt::format("w{}", i));
    params.push_back("const T *" + w.back());
  }
  // The epilogue's other operands, in the order of the epilogue.
  std::vector<TensorType> extraTypes;
  out.what = describeCall(op, attrs);
  for (const Epilogue &ep : n.epilogue) {
    if (!ep.op->scalar)
      return fmt::format("op '{}' cannot be fused into a kernel: it is not elementwise",
                         ep.op->name);
    out.what += " + " + ep.op->name;
    if (ep.extraInput >= 0) {
      const TensorType &t = g.type(n.inputs[static_cast<size_t>(ep.extraInput)]);
      if (!broadcastsTo(t.shape, outTypes[0].shape))
        return fmt::format("epilogue '{}' reads {}, which does not broadcast to the output {}",
                           ep.op->name, formatType(t), formatType(outTypes[0]));
      extra.push_back(fmt::format("r{}", extra.size()));
      extraTypes.push_back(t);
      params.push_back("const T *" + extra.back());
    }
  }
  for (size_t i = 0; i < outTypes.size(); ++i) {
    y.push_back(fmt::format("y{}", i));
    params.push_back("T *" + y.back());
  }

  // store(): the epilogue, applied to each element before it is written.
  auto store = [&](CodeWriter &cw, size_t o, const std::string &index, const std::string &value) {
    if (n.epilogue.empty()) {
      cw.line("{}[{}] = {};", y[o], index, value);
      return;
    }
    // Names with a trailing underscore cannot clash with the rule's own.
    cw.open("");
    cw.line("const i64 at_ = {};", index);
    cw.line("T val_ = {};", value);
    size_t e = 0;
    for (const Epilogue &ep : n.epilogue) {
      std::vector<std::string> operands = {"val_"};
      if (ep.extraInput >= 0) {
        cw.line("const T {}_ = {}[{}];", extra[e], extra[e],
                broadcastIndex(extraTypes[e].shape, outTypes[0].shape, "at_"));
        operands.insert(ep.extraFirst ? operands.begin() : operands.end(), extra[e] + "_");
        ++e;
      }
      cw.line("val_ = {};", ep.op->scalar(ep.attrs, operands));
    }
    cw.line("{}[at_] = val_;", y[o]);
    cw.close();
  };

  CodeWriter body(1);
  KernelCall kc{op, attrs, inTypes, outTypes, weights, in, w, store, op.name};
  if (op.scalar) {
    // An elementwise or broadcast op: one loop over the output.
    const TensorType &t = outTypes[0];
    body.forLoop("i", t.numElements().value_or(0));
    std::vector<std::string> operands;
    for (size_t i = 0; i < inTypes.size(); ++i) {
      body.line("const T a{} = {}[{}];", i, in[i], broadcastIndex(inTypes[i].shape, t.shape, "i"));
      operands.push_back(fmt::format("a{}", i));
    }
    store(body, 0, "i", op.scalar(attrs, operands));
    body.close();
  } else if (std::string e = op.kernel(kc, body); !e.empty()) {
    return fmt::format("the C++ emitter cannot emit this {}: {}", op.name, e);
  }
  if (body.str().empty())
    return fmt::format("the kernel rule of op '{}' emitted nothing", op.name);

  out.baseName = kc.name.empty() ? op.name : kc.name;
  for (const Epilogue &ep : n.epilogue)
    out.baseName += "_" + ep.op->name;
  out.baseName += "_" + dimsText(inTypes.empty() ? outTypes[0].shape : inTypes[0].shape);
  for (const std::string &p : params)
    out.params += (out.params.empty() ? "" : ", ") + p;
  out.body = body.str();
  return "";
}

const std::string &KernelSet::add(KernelSource src, size_t node) {
  const std::string key = src.params + "\n" + src.body;
  auto it = byKey.find(key);
  if (it != byKey.end()) {
    entries[it->second].nodes.push_back(node);
    return entries[it->second].name;
  }
  std::string name = src.baseName;
  for (int k = 2; usedNames.count(name); ++k)
    name = fmt::format("{}_v{}", src.baseName, k);
  usedNames.insert(name);
  byKey[key] = entries.size();
  textBytes += key.size() + src.what.size();
  entries.push_back({name, std::move(src), {node}});
  return entries.back().name;
}

std::string kernelFunction(const std::string &comment, const std::string &storage,
                           const KernelSet::Entry &k) {
  return comment + fmt::format("{}void {}({}) {{\n{}}}\n", storage, k.name, k.src.params,
                               k.src.body);
}

} // namespace netc::codegen::detail
