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

/// The parameters of one kernel, in order: its inputs (or their table), its
/// weights, the other operands of its epilogue, its outputs.
struct KernelParams {
  std::vector<std::string> in, w, extra, y;
  std::vector<TensorType> extraTypes; ///< of `extra`
  TensorListParams list;              ///< used when the op takes a list
  std::vector<std::string> decls;     ///< "const T *x0", ...
};

/// Names the parameters of node `n`'s kernel and describes the call in
/// `what`; returns an error message or "".
std::string nameParams(const Graph &g, const Node &n, size_t inputs, size_t weights,
                       const TensorType &out, KernelParams &p, std::string &what) {
  if (takesTensorList(*n.op))
    p.decls = {"const T *const *" + p.list.data, "const i64 *" + p.list.size,
               "i64 " + p.list.count};
  else
    for (size_t i = 0; i < inputs; ++i) {
      p.in.push_back(fmt::format("x{}", i));
      p.decls.push_back("const T *" + p.in.back());
    }
  for (size_t i = 0; i < weights; ++i) {
    p.w.push_back(fmt::format("w{}", i));
    p.decls.push_back("const T *" + p.w.back());
  }
  for (const Epilogue &ep : n.epilogue) {
    if (!ep.op->scalar)
      return fmt::format("op '{}' cannot be fused into a kernel: it is not elementwise",
                         ep.op->name);
    what += " + " + ep.op->name;
    if (ep.extraInput < 0)
      continue;
    const TensorType &t = g.type(n.inputs[static_cast<size_t>(ep.extraInput)]);
    if (!broadcastsTo(t.shape, out.shape))
      return fmt::format("epilogue '{}' reads {}, which does not broadcast to the output {}",
                         ep.op->name, formatType(t), formatType(out));
    p.extra.push_back(fmt::format("r{}", p.extra.size()));
    p.extraTypes.push_back(t);
    p.decls.push_back("const T *" + p.extra.back());
  }
  return "";
}

/// Emits the statements that store `value` as element `index` of output `o`,
/// with node `n`'s epilogue applied (KernelCall::store).
void storeWithEpilogue(const Node &n, const KernelParams &p, const TensorType &out,
                       CodeWriter &cw, size_t o, const std::string &index,
                       const std::string &value) {
  if (n.epilogue.empty()) {
    cw.line("{}[{}] = {};", p.y[o], index, value);
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
      cw.line("const T {}_ = {}[{}];", p.extra[e], p.extra[e],
              broadcastIndex(p.extraTypes[e].shape, out.shape, "at_"));
      operands.insert(ep.extraFirst ? operands.begin() : operands.end(), p.extra[e] + "_");
      ++e;
    }
    cw.line("val_ = {};", ep.op->scalar(ep.attrs, operands));
  }
  cw.line("{}[at_] = val_;", p.y[o]);
  cw.close();
}

/// An elementwise or broadcast op: one loop over the output.
void scalarLoop(const OpDef &op, const Attrs &attrs, llvm::ArrayRef<TensorType> inTypes,
                const TensorType &t, const KernelCall &kc, CodeWriter &body) {
  body.forLoop("i", t.numElements().value_or(0));
  std::vector<std::string> operands;
  for (size_t i = 0; i < inTypes.size(); ++i) {
    body.line("const T a{} = {}[{}];", i, kc.in[i], broadcastIndex(inTypes[i].shape, t.shape, "i"));
    operands.push_back(fmt::format("a{}", i));
  }
  kc.store(body, 0, "i", op.scalar(attrs, operands));
  body.close();
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
  const bool list = takesTensorList(op);
  if (!op.kernel && (!op.scalar || list))
    return fmt::format("the C++ emitter has no kernel for op '{}'", op.name);
  if (!n.epilogue.empty() && outTypes.size() != 1)
    return fmt::format("op '{}' has {} outputs and a fused epilogue", op.name, outTypes.size());

  KernelParams p;
  out.what = describeCall(op, attrs);
  if (std::string e = nameParams(g, n, inTypes.size(), weights.size(), outTypes[0], p, out.what);
      !e.empty())
    return e;
  for (size_t i = 0; i < outTypes.size(); ++i) {
    p.y.push_back(fmt::format("y{}", i));
    p.decls.push_back("T *" + p.y.back());
  }
  auto store = [&](CodeWriter &cw, size_t o, const std::string &index, const std::string &value) {
    storeWithEpilogue(n, p, outTypes[0], cw, o, index, value);
  };
  CodeWriter body(1);
  KernelCall kc{op, attrs, inTypes, outTypes, weights, p.in, p.w, list ? &p.list : nullptr,
                store, op.name};
  if (op.scalar && !list)
    scalarLoop(op, attrs, inTypes, outTypes[0], kc, body);
  else if (std::string e = op.kernel(kc, body); !e.empty())
    return fmt::format("the C++ emitter cannot emit this {}: {}", op.name, e);
  if (body.str().empty())
    return fmt::format("the kernel rule of op '{}' emitted nothing", op.name);

  // Named after its first input's shape; a list kernel after its output's.
  out.baseName = kc.name.empty() ? op.name : kc.name;
  for (const Epilogue &ep : n.epilogue)
    out.baseName += "_" + ep.op->name;
  out.baseName += "_" + dimsText(inTypes.empty() || list ? outTypes[0].shape : inTypes[0].shape);
  for (const std::string &d : p.decls)
    out.params += (out.params.empty() ? "" : ", ") + d;
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
