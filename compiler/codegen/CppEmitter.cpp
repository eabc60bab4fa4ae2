#include "codegen/CppEmitter.h"

#include "analysis/Liveness.h"
#include "analysis/MemoryPlanner.h"
#include "support/Format.h"
#include "eval/Evaluator.h"
#include "ir/Kernel.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace netc::codegen {

namespace {

using namespace ir;

/// "1x32x112x112".
std::string dimsText(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

/// A C++ string literal of `s` (names are ASCII identifiers and dots, but
/// quote anything).
std::string cppString(llvm::StringRef s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\')
      out += {'\\', static_cast<char>(ch)};
    else if (ch < 0x20 || ch >= 0x7f)
      out += fmt::format("\\{:03o}", ch);
    else
      out += static_cast<char>(ch);
  }
  return out + "\"";
}

/// Text for a // comment: no line breaks.
std::string commentText(llvm::StringRef s) {
  std::string out;
  for (char ch : s)
    out += ch == '\n' || ch == '\r' ? ' ' : ch;
  return out;
}

/// A double literal that reads back exactly: 1e-05, 0.5, 1.0.
std::string real(double v) {
  std::string s = fmt::format("{}", v); // shortest round-trip form
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

std::string countOf(const TensorType &t) { return std::to_string(t.numElements().value_or(0)); }

/// The generated source of one node's kernel.
struct KernelSource {
  std::string baseName; ///< before deduplication
  std::string params;   ///< "const T *x0, const T *w0, T *y0"
  std::string body;     ///< indented one level
  std::string what;     ///< "conv2d(k=[3,3], ...) + relu6", for comments
};

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

/// Generates the kernel of node `n` of `g` (with its epilogue). Returns an
/// error message, or "".
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

/// Kernels by content: identical sources share one function; names are made
/// unique in order of first use (deterministic).
class KernelSet {
public:
  struct Entry {
    std::string name;
    KernelSource src;
    std::vector<size_t> nodes; ///< node indices it serves
  };

  /// The function name for `src`, serving node `node`.
  const std::string &add(KernelSource src, size_t node) {
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
  const std::vector<Entry> &all() const { return entries; }
  /// About the size of the distinct kernels' text (without comments).
  uint64_t bytes() const { return textBytes; }

private:
  std::map<std::string, size_t> byKey;
  std::set<std::string> usedNames;
  std::vector<Entry> entries;
  uint64_t textBytes = 0;
};

/// The text of one kernel function: comment lines, signature, body.
std::string kernelFunction(const std::string &comment, const std::string &storage,
                           const KernelSet::Entry &k) {
  return comment + fmt::format("{}void {}({}) {{\n{}}}\n", storage, k.name, k.src.params,
                               k.src.body);
}

/// A weight of the state dict (the graph as written).
struct StateEntry {
  std::string node, tensor;
  Shape shape;
  size_t size = 0;
  eval::WeightDistribution dist;
};

class Emitter {
public:
  Emitter(const Graph &original, const Graph &optimized, const cost::Report &report,
          DiagEngine &diag, const EmitOptions &opts)
      : orig(original), opt(optimized), report(report), diag(diag), opts(opts) {}

  std::optional<std::vector<EmittedFile>> run();

private:
  bool fail(const Node &n, const std::string &msg) {
    diag.error(n.loc, fmt::format("cannot emit C++ for '{}': {}", n.name, msg));
    return false;
  }
  /// False (an error at `n`) once the program so far, `bytes` plus what
  /// earlier parts made, passes the limit: checked after every node, so the
  /// work done is bounded by the limit, not by the graph's edges.
  bool withinLimit(const Node &n, uint64_t bytes) {
    if (doneBytes + bytes <= opts.maxBytes)
      return true;
    return fail(n, tooLarge(""));
  }
  /// The one message of the size limit; `detail` is the exact size if known.
  std::string tooLarge(const std::string &detail) const {
    return fmt::format("the generated program would pass {} bytes{}; raise the limit with "
                       "--max-emit-bytes",
                       opts.maxBytes, detail);
  }
  bool checkTypes(const Graph &g);
  bool collectStateDict();
  std::string kernelComment(const KernelSet::Entry &k);
  bool emitFused(std::string &kernelsH, std::string &runBody, std::string &prepareBody);
  bool emitReference(std::string &text);
  std::string modelHeader();
  std::string checkSource();
  std::string cmakeLists();

  const Graph &orig, &opt;
  const cost::Report &report;
  DiagEngine &diag;
  const EmitOptions &opts;
  uint64_t doneBytes = 0; ///< the size of the parts finished
  std::vector<StateEntry> state;
  int64_t weightFloats = 0;
  int64_t arenaFloats = 0;
};

bool Emitter::checkTypes(const Graph &g) {
  for (const Node &n : g.nodes)
    for (ValueId v : n.outputs) {
      if (g.type(v).dtype != DType::F32)
        return fail(n, fmt::format("its output is {}; the C++ emitter supports f32 tensors only",
                                   formatType(g.type(v))));
      if (g.type(v).rank() > 8)
        return fail(n, fmt::format("its output {} has rank {}; the C++ emitter supports up to 8",
                                   formatType(g.type(v)), g.type(v).rank()));
    }
  return true;
}

bool Emitter::collectStateDict() {
  for (const Node &n : orig.nodes)
    for (const WeightSpec &spec : orig.weights(n))
      state.push_back({n.name, spec.name, spec.shape, Buffer::count(spec.shape),
                       eval::weightDistribution(orig, n, spec)});
  return true;
}

std::string Emitter::kernelComment(const KernelSet::Entry &k) {
  const Node &n = opt.nodes[k.nodes.front()];
  const cost::LayerCost &l = report.layers[k.nodes.front()];
  std::string c;
  auto line = [&](const std::string &s) { c += "// " + commentText(s) + "\n"; };
  line(k.src.what);
  std::string ins, outs;
  for (const TensorType &t : opt.inputTypes(n))
    ins += (ins.empty() ? "" : ", ") + formatType(t);
  for (ValueId v : n.outputs)
    outs += (outs.empty() ? "" : ", ") + formatType(opt.type(v));
  line(fmt::format("  {} -> {}", ins.empty() ? "()" : ins, outs));
  std::string ws;
  for (const WeightSpec &s : opt.weights(n))
    ws += (ws.empty() ? "" : ", ") + s.name + formatShape(s.shape);
  if (!ws.empty())
    line("  weights: " + ws + (n.folds.empty() ? "" : " (batchnorm folded in)"));
  const std::string profile = report.hardware.name;
  line(fmt::format("  per call: {} MACs, {} FLOPs ({}), {} bytes moved ({}), {} FLOP/B",
                   withThousands(l.macs), withThousands(l.flops),
                   flopConventionName(report.options.flops).str(),
                   withThousands(l.memoryBytes), memoryModelName(report.options.memory).str(),
                   sig3(l.intensity)));
  line(fmt::format("  roofline on {}: {}-bound, at least {} (attainable {})", profile,
                   l.memoryBound ? "memory" : "compute", humanTime(l.latency),
                   siRate(l.attainable, "FLOP/s")));
  if (k.nodes.size() == 1) {
    line("  serves: " + n.name);
  } else {
    line(fmt::format("  serves {} layers:", k.nodes.size()));
    for (size_t i : k.nodes)
      line("    " + opt.nodes[i].name);
  }
  return c;
}

/// The fused path: kernels.h, the body of run() and of prepare_weights().
bool Emitter::emitFused(std::string &kernelsH, std::string &runBody, std::string &prepareBody) {
  std::optional<analysis::MemoryPlan> plan = analysis::planMemory(opt);
  if (!plan) {
    diag.globalError(fmt::format("cannot emit C++ for '{}': its tensors overflow 64-bit sizes",
                                 opt.name));
    return false;
  }
  arenaFloats = plan->arenaElements;
  KernelSet kernels;
  CodeWriter run(1), prep(1);
  // Weights, in node order, each node's in the order of its weights rule.
  std::vector<std::vector<int64_t>> weightOffset(opt.nodes.size());
  std::map<std::string, size_t> origByName;
  for (size_t i = 0; i < orig.nodes.size(); ++i)
    origByName[orig.nodes[i].name] = i;
  size_t nextInput = 0;
  for (size_t i = 0; i < opt.nodes.size(); ++i) {
    const Node &n = opt.nodes[i];
    std::vector<WeightSpec> specs = opt.weights(n);
    for (const WeightSpec &s : specs) {
      weightOffset[i].push_back(weightFloats);
      weightFloats += static_cast<int64_t>(Buffer::count(s.shape));
    }
    // prepare_weights: copy, or fold batchnorms at load time.
    if (!specs.empty()) {
      if (!origByName.count(n.name))
        return fail(n, "it has weights but no node of that name in the graph as written");
      if (n.folds.empty()) {
        for (size_t j = 0; j < specs.size(); ++j)
          prep.line("load.copy({}, W + {}, {});", cppString(n.name + "." + specs[j].name),
                    weightOffset[i][j], Buffer::count(specs[j].shape));
      } else {
        if (specs.size() != 2 || specs[0].name != "weight" || specs[1].name != "bias")
          return fail(n, "a folded batchnorm needs a layer with a weight and a bias");
        const Shape &ws = specs[0].shape;
        const bool transposed = n.op->name == "conv_transpose2d";
        const int64_t groups = n.attrs.has("groups") ? n.attrs.getInt("groups") : 1;
        prep.open("");
        prep.line("// {}: {}", commentText(n.name),
                  commentText("batchnorm folded in: W' = W * s, b' = (b - mean) * s + beta, "
                              "s = gamma / sqrt(var + eps)"));
        prep.line("std::vector<double> w = load.get({}, {});", cppString(n.name + ".weight"),
                  Buffer::count(ws));
        if (n.folds.front().hadBias)
          prep.line("std::vector<double> b = load.get({}, {});", cppString(n.name + ".bias"),
                    specs[1].shape[0]);
        else
          prep.line("std::vector<double> b({}, 0.0);", specs[1].shape[0]);
        for (const FoldedNorm &f : n.folds) {
          auto tensor = [&](const char *t) {
            return fmt::format("load.get({}, {})", cppString(f.name + "." + t), specs[1].shape[0]);
          };
          prep.line("fold_batchnorm(w, b, {}, {}, {}, {}, {}, {}, {}, {}, {}, {});",
                    f.affine ? tensor("weight") : "std::vector<double>()",
                    f.affine ? tensor("bias") : "std::vector<double>()", tensor("running_mean"),
                    tensor("running_var"), real(f.eps), transposed, ws[0],
                    ws.size() > 1 ? ws[1] : 1, ws.size() > 3 ? ws[2] * ws[3] : 1, groups);
        }
        prep.line("store(w, W + {});", weightOffset[i][0]);
        prep.line("store(b, W + {});", weightOffset[i][1]);
        prep.close();
      }
    }
    auto at = [&](ValueId v) { return fmt::format("A + {}", plan->offset[v]); };
    if (n.op->name == "input") {
      const ValueId v = n.outputs[0];
      run.line("std::copy(inputs[{0}], inputs[{0}] + {1}, {2}); // {3}", nextInput++,
               countOf(opt.type(v)), at(v), commentText(n.name));
      continue;
    }
    if (n.op->view) {
      run.line("// {} ({}): a view of its input, no kernel", commentText(n.name), n.op->name);
      continue;
    }
    KernelSource src;
    if (std::string e = generateKernel(opt, n, src); !e.empty())
      return fail(n, e);
    const std::string &fn = kernels.add(std::move(src), i);
    std::vector<std::string> args;
    for (size_t j = 0; j < n.primaryInputs(); ++j)
      args.push_back(at(n.inputs[j]));
    for (int64_t off : weightOffset[i])
      args.push_back(fmt::format("W + {}", off));
    for (const Epilogue &ep : n.epilogue)
      if (ep.extraInput >= 0)
        args.push_back(at(n.inputs[static_cast<size_t>(ep.extraInput)]));
    for (ValueId v : n.outputs)
      args.push_back(at(v));
    std::string call;
    for (const std::string &a : args)
      call += (call.empty() ? "" : ", ") + a;
    run.line("k::{}({}); // {}", fn, call, commentText(n.name));
    if (!withinLimit(n, kernels.bytes() + run.str().size() + prep.str().size()))
      return false;
  }
  for (size_t i = 0; i < opt.outputs.size(); ++i) {
    const ValueId v = opt.outputs[i];
    run.line("std::copy({0}, {0} + {1}, outputs[{2}]);",
             fmt::format("A + {}", plan->offset[v]), countOf(opt.type(v)), i);
  }
  runBody = run.str();
  prepareBody = prep.str();

  std::string k = "// Generated by netc --emit=cpp from network '" + commentText(opt.name) +
                  "'. Do not edit; regenerate.\n"
                  "//\n"
                  "// The fused kernels of the optimized graph, one per distinct configuration.\n"
                  "// Naive loop nests over dense row-major (NCHW) float tensors with the\n"
                  "// shapes baked in: a correct starting point for a tuned implementation.\n"
                  "// Costs are per call, under netc's conventions, on hardware '" +
                  commentText(report.hardware.name) + "'.\n"
                  "#pragma once\n\n"
                  "#include <algorithm>\n#include <cmath>\n#include <cstdint>\n#include <limits>\n\n"
                  "namespace netc_kernels {\n\n"
                  "using T = float;\nusing i64 = std::int64_t;\n";
  for (const KernelSet::Entry &e : kernels.all())
    k += "\n" + kernelFunction(kernelComment(e), "inline ", e);
  k += "\n} // namespace netc_kernels\n";
  kernelsH = std::move(k);
  return true;
}

/// reference.cpp: the graph as written, op by op, in double precision.
bool Emitter::emitReference(std::string &text) {
  KernelSet kernels;
  CodeWriter body(1);
  // Free each value after its last reader (outputs stay).
  std::vector<uint32_t> last(orig.values.size(), 0);
  std::vector<bool> isOutput(orig.values.size(), false);
  for (ValueId v : orig.outputs)
    isOutput[v] = true;
  for (uint32_t i = 0; i < orig.nodes.size(); ++i)
    for (ValueId v : orig.nodes[i].inputs)
      last[v] = i;
  body.line("std::vector<std::vector<double>> v({});", orig.values.size());
  size_t nextInput = 0;
  for (uint32_t i = 0; i < orig.nodes.size(); ++i) {
    const Node &n = orig.nodes[i];
    if (!n.epilogue.empty())
      return fail(n, "the graph as written has a fused node");
    body.line("// {}", commentText(n.name));
    if (n.op->name == "input") {
      body.line("v[{0}].assign(inputs[{1}].begin(), inputs[{1}].end());", n.outputs[0],
                nextInput++);
    } else if (n.op->view) {
      body.line("v[{}] = v[{}];", n.outputs[0], n.inputs[0]);
    } else {
      KernelSource src;
      if (std::string e = generateKernel(orig, n, src); !e.empty())
        return fail(n, e);
      const std::string &fn = kernels.add(std::move(src), i);
      std::vector<std::string> args;
      body.open("");
      size_t j = 0;
      for (const WeightSpec &s : orig.weights(n)) {
        body.line("const std::vector<double> w{} = weight(state, {}, {});", j,
                  cppString(n.name + "." + s.name), Buffer::count(s.shape));
        ++j;
      }
      for (ValueId in : n.inputs)
        args.push_back(fmt::format("v[{}].data()", in));
      for (size_t k = 0; k < j; ++k)
        args.push_back(fmt::format("w{}.data()", k));
      for (ValueId out : n.outputs) {
        body.line("v[{}].assign({}, 0.0);", out, countOf(orig.type(out)));
        args.push_back(fmt::format("v[{}].data()", out));
      }
      std::string call;
      for (const std::string &a : args)
        call += (call.empty() ? "" : ", ") + a;
      body.line("{}({});", fn, call);
      body.close();
      if (!withinLimit(n, kernels.bytes() + body.str().size()))
        return false;
    }
    for (ValueId in : n.inputs)
      if (last[in] == i && !isOutput[in])
        body.line("std::vector<double>().swap(v[{}]);", in);
  }
  std::string outs;
  for (ValueId v : orig.outputs)
    outs += (outs.empty() ? "" : ", ") + fmt::format("v[{}]", v);
  body.line("return {{{}}};", outs);

  std::string t = "// Generated by netc --emit=cpp from network '" + commentText(orig.name) +
                  "'. Do not edit; regenerate.\n"
                  "//\n"
                  "// The reference path of the self-check: the network as written, every op\n"
                  "// separately (batchnorm unfolded, nothing fused), in double precision.\n"
                  "#include \"model.h\"\n\n"
                  "#include <algorithm>\n#include <cmath>\n#include <cstdint>\n#include <cstdio>\n"
                  "#include <cstdlib>\n#include <limits>\n\n"
                  "namespace {\n\n"
                  "using T = double;\nusing i64 = std::int64_t;\n\n"
                  "[[maybe_unused]] std::vector<double> weight(const netc_model::StateDict &state,\n"
                  "                                            const char *name, std::size_t size) {\n"
                  "  auto it = state.find(name);\n"
                  "  if (it == state.end() || it->second.size() != size) {\n"
                  "    std::fprintf(stderr, \"reference: state dict entry '%s' is missing or has "
                  "the wrong size\\n\", name);\n"
                  "    std::exit(2);\n"
                  "  }\n"
                  "  return std::vector<double>(it->second.begin(), it->second.end());\n"
                  "}\n";
  for (const KernelSet::Entry &e : kernels.all()) {
    std::string comment = "// " + commentText(e.src.what) + "\n";
    t += "\n" + kernelFunction(comment, "", e);
  }
  t += "\n} // namespace\n\n"
       "namespace netc_model {\n\n"
       "std::vector<std::vector<double>> run_reference(const StateDict &state,\n"
       "                                               const std::vector<std::vector<float>> "
       "&inputs) {\n";
  if (state.empty())
    t += "  (void)state;\n";
  t += body.str() + "}\n\n} // namespace netc_model\n";
  text = std::move(t);
  return true;
}

std::string tensorInfo(const std::string &name, const Shape &shape) {
  std::string dims;
  for (int64_t d : shape)
    dims += (dims.empty() ? "" : ", ") + std::to_string(d);
  return fmt::format("{{{}, {}, {{{}}}, {}}}", cppString(name), shape.size(), dims,
                     Buffer::count(shape));
}

std::string Emitter::modelHeader() {
  std::string params;
  for (const auto &[k, v] : opt.params)
    params += (params.empty() ? "" : ", ") + k + "=" + v;
  std::string h = "// Generated by netc --emit=cpp from network '" + commentText(opt.name) + "'" +
                  (params.empty() ? "" : " (" + commentText(params) + ")") +
                  ". Do not edit; regenerate.\n"
                  "//\n"
                  "// Usage: fill a StateDict as PyTorch's model.state_dict() names and lays out\n"
                  "// the weights (float32, row-major; batchnorm unfolded), call\n"
                  "// prepare_weights() once, then run() per inference with an arena of\n"
                  "// kArenaFloats floats.\n"
                  "#pragma once\n\n"
                  "#include <array>\n#include <cstddef>\n#include <map>\n#include <string>\n"
                  "#include <vector>\n\n"
                  "namespace netc_model {\n\n"
                  "struct TensorInfo {\n"
                  "  const char *name;\n"
                  "  int rank;\n"
                  "  long long shape[8];\n"
                  "  std::size_t size; ///< elements\n"
                  "};\n\n";
  auto table = [&](const char *name, const std::vector<std::string> &rows, const char *doc) {
    h += fmt::format("/// {}\ninline constexpr std::array<TensorInfo, {}> {}{{{{\n", doc,
                     rows.size(), name);
    for (const std::string &r : rows)
      h += "    " + r + ",\n";
    h += "}};\n";
  };
  std::vector<std::string> rows;
  for (const Node &n : opt.nodes)
    if (n.op->name == "input")
      rows.push_back(tensorInfo(n.name, opt.type(n.outputs[0]).shape));
  table("kInputs", rows, "The network's inputs, in order (run()'s `inputs`).");
  rows.clear();
  for (ValueId v : opt.outputs)
    rows.push_back(tensorInfo(llvm::StringRef(opt.valueName(v)).ltrim('%').str(),
                              opt.type(v).shape));
  table("kOutputs", rows, "The network's outputs, in order (run()'s `outputs`).");
  rows.clear();
  for (const StateEntry &e : state)
    rows.push_back(tensorInfo(e.node + "." + e.tensor, e.shape));
  table("kStateDict", rows,
        "Every weight prepare_weights() expects: PyTorch's state dict of the network as "
        "written\n/// (learnable parameters and batchnorm running statistics; no "
        "num_batches_tracked).");
  const int64_t peak = report.totals.peakActivationBytes;
  h += fmt::format(
      "\n/// The activation arena run() works in: the peak activation memory of netc's\n"
      "/// report ({} bytes at f32, batch 1), laid out by its memory planner.\n"
      "inline constexpr std::size_t kArenaFloats = {};\n"
      "/// The prepared (folded) weights.\n"
      "inline constexpr std::size_t kWeightFloats = {};\n\n"
      "using StateDict = std::map<std::string, std::vector<float>>;\n\n"
      "struct Weights {{\n  std::vector<float> data; ///< kWeightFloats values\n}};\n\n"
      "/// Checks `state` (every entry of kStateDict with its size, nothing else) and\n"
      "/// folds each batchnorm into the layer before it. Returns \"\" or an error.\n"
      "std::string prepare_weights(const StateDict &state, Weights &out);\n\n"
      "/// One inference: inputs[i] holds kInputs[i].size floats, outputs[i] receives\n"
      "/// kOutputs[i].size floats, arena holds kArenaFloats floats.\n"
      "void run(const Weights &weights, const float *const *inputs, float *const *outputs,\n"
      "         float *arena);\n\n"
      "/// The self-check's reference: the network as written, op by op, in double.\n"
      "std::vector<std::vector<double>> run_reference(const StateDict &state,\n"
      "                                               const std::vector<std::vector<float>> "
      "&inputs);\n\n"
      "}} // namespace netc_model\n",
      withThousands(peak), arenaFloats, weightFloats);
  return h;
}

std::string Emitter::checkSource() {
  std::string inits;
  for (const StateEntry &e : state)
    inits += fmt::format("    {{{}, {}, {}, {}, {}}},\n", cppString(e.node), cppString(e.tensor),
                         real(e.dist.lo), real(e.dist.hi), real(e.dist.scale));
  std::string inputNames;
  for (const Node &n : orig.nodes)
    if (n.op->name == "input")
      inputNames += "    " + cppString(n.name) + ",\n";
  return fmt::format(
      R"(// Generated by netc --emit=cpp. Do not edit; regenerate.
//
// The self-check: seeded random weights and inputs (the numbers netc's own
// evaluator draws for the same seed), the reference path (reference.cpp:
// every op separately, batchnorm unfolded, double precision) and the fused
// path (model.cpp: folded weights, fused kernels, float, one arena). Exits 0
// only when, for every output, max |fused - reference| <= 1e-4 x max |reference|.
//
// usage: check [--seed N] [--dump FILE]   (--dump writes the reference outputs)
#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {{

struct Init {{
  const char *node, *tensor;
  double lo, hi, scale;
}};

/// How each kStateDict entry is drawn (as netc's eval::randomWeights does).
const Init kInits[] = {{
{}    {{nullptr, nullptr, 0, 0, 0}},
}};

const char *const kInputNodes[] = {{
{}    nullptr,
}};

std::uint64_t splitmix64(std::uint64_t &state) {{
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}}

/// Each tensor's own stream: splitmix64 of the seed xor FNV-1a of "node\0tensor".
std::uint64_t streamState(std::uint64_t seed, const char *node, const char *tensor) {{
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](unsigned char ch) {{
    h ^= ch;
    h *= 0x100000001b3ULL;
  }};
  for (const char *p = node; *p; ++p)
    mix(static_cast<unsigned char>(*p));
  mix(0);
  for (const char *p = tensor; *p; ++p)
    mix(static_cast<unsigned char>(*p));
  std::uint64_t s = seed;
  return splitmix64(s) ^ h;
}}

std::vector<float> draw(std::uint64_t seed, const char *node, const char *tensor, std::size_t n,
                        double lo, double hi, double scale) {{
  std::uint64_t state = streamState(seed, node, tensor);
  std::vector<float> v(n);
  for (float &x : v) {{
    const double u = static_cast<double>(splitmix64(state) >> 11) * 0x1p-53;
    x = static_cast<float>((lo + (hi - lo) * u) * scale);
  }}
  return v;
}}

}} // namespace

int main(int argc, char **argv) {{
  std::uint64_t seed = 1;
  const char *dump = nullptr;
  for (int i = 1; i < argc; ++i) {{
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {{
      seed = std::strtoull(argv[++i], nullptr, 10);
    }} else if (std::strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {{
      dump = argv[++i];
    }} else {{
      std::fprintf(stderr, "usage: %s [--seed N] [--dump FILE]\n", argv[0]);
      return 2;
    }}
  }}
  netc_model::StateDict state;
  for (std::size_t i = 0; i < netc_model::kStateDict.size(); ++i) {{
    const Init &in = kInits[i];
    state[netc_model::kStateDict[i].name] =
        draw(seed, in.node, in.tensor, netc_model::kStateDict[i].size, in.lo, in.hi, in.scale);
  }}
  std::vector<std::vector<float>> inputs;
  for (std::size_t i = 0; i < netc_model::kInputs.size(); ++i)
    inputs.push_back(draw(seed, kInputNodes[i], "<input>", netc_model::kInputs[i].size, -1, 1, 1));

  const std::vector<std::vector<double>> ref = netc_model::run_reference(state, inputs);

  netc_model::Weights weights;
  const std::string error = netc_model::prepare_weights(state, weights);
  if (!error.empty()) {{
    std::fprintf(stderr, "check: prepare_weights: %s\n", error.c_str());
    return 1;
  }}
  std::vector<float> arena(netc_model::kArenaFloats);
  std::vector<std::vector<float>> outputs;
  std::vector<const float *> in;
  std::vector<float *> out;
  for (const auto &x : inputs)
    in.push_back(x.data());
  for (std::size_t i = 0; i < netc_model::kOutputs.size(); ++i)
    outputs.emplace_back(netc_model::kOutputs[i].size);
  for (auto &y : outputs)
    out.push_back(y.data());
  netc_model::run(weights, in.data(), out.data(), arena.data());

  double worst = 0;
  for (std::size_t o = 0; o < outputs.size(); ++o) {{
    double scale = 0, diff = 0;
    for (std::size_t i = 0; i < ref[o].size(); ++i) {{
      scale = std::max(scale, std::fabs(ref[o][i]));
      const double d = std::fabs(static_cast<double>(outputs[o][i]) - ref[o][i]);
      diff = d == d ? std::max(diff, d) : std::numeric_limits<double>::infinity();
    }}
    const double rel = diff == 0 ? 0 : diff / std::max(scale, 1e-30);
    std::printf("output %s: %zu values, max |reference| %.6g, max relative error %.3g\n",
                netc_model::kOutputs[o].name, ref[o].size(), scale, rel);
    worst = std::max(worst, rel == rel ? rel : std::numeric_limits<double>::infinity());
  }}
  if (dump) {{
    std::FILE *f = std::fopen(dump, "w");
    if (!f) {{
      std::fprintf(stderr, "check: cannot write %s\n", dump);
      return 2;
    }}
    for (std::size_t o = 0; o < ref.size(); ++o) {{
      std::fprintf(f, "output %zu %zu\n", o, ref[o].size());
      for (double x : ref[o])
        std::fprintf(f, "%.17g\n", x);
    }}
    std::fclose(f);
  }}
  const bool ok = worst <= 1e-4;
  std::printf("%s: max relative error %.3g (limit 1e-4) over %zu outputs, arena %zu floats\n",
              ok ? "PASS" : "FAIL", worst, outputs.size(), netc_model::kArenaFloats);
  return ok ? 0 : 1;
}}
)",
      inits, inputNames);
}

std::string Emitter::cmakeLists() {
  return "# Generated by netc --emit=cpp. Do not edit; regenerate.\n"
         "# Build and run the self-check:\n"
         "#   cmake -S . -B build && cmake --build build && build/check\n"
         "cmake_minimum_required(VERSION 3.13)\n"
         "project(netc_model CXX)\n\n"
         "set(CMAKE_CXX_STANDARD 17)\n"
         "set(CMAKE_CXX_STANDARD_REQUIRED ON)\n"
         "set(CMAKE_CXX_EXTENSIONS OFF)\n\n"
         "add_library(netc_model STATIC model.cpp)\n"
         "add_executable(check check.cpp reference.cpp)\n"
         "target_link_libraries(check PRIVATE netc_model)\n"
         "foreach(target netc_model check)\n"
         "  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -O2)\n"
         "endforeach()\n";
}

std::optional<std::vector<EmittedFile>> Emitter::run() {
  if (!checkTypes(orig) || !checkTypes(opt) || !collectStateDict())
    return std::nullopt;
  if (report.layers.size() != opt.nodes.size()) {
    diag.globalError("internal error: the report does not match the optimized graph");
    return std::nullopt;
  }
  std::string kernelsH, runBody, prepareBody, referenceCpp;
  if (!emitFused(kernelsH, runBody, prepareBody))
    return std::nullopt;
  doneBytes = kernelsH.size() + runBody.size() + prepareBody.size();
  if (!emitReference(referenceCpp))
    return std::nullopt;

  std::string model =
      "// Generated by netc --emit=cpp from network '" + commentText(opt.name) +
      "'. Do not edit; regenerate.\n"
      "//\n"
      "// prepare_weights() folds batchnorm into the layer before it at load time;\n"
      "// run() executes the optimized graph in order over one activation arena\n"
      "// whose offsets come from netc's memory planner.\n"
      "#include \"model.h\"\n\n"
      "#include \"kernels.h\"\n\n"
      "#include <algorithm>\n#include <cmath>\n#include <cstdint>\n#include <set>\n\n"
      "namespace netc_model {\n\n"
      "namespace {\n\n"
      "namespace k = netc_kernels;\n\n"
      "/// Reads state dict entries, remembering the first problem.\n"
      "struct Loader {\n"
      "  const StateDict &state;\n"
      "  std::string error;\n\n"
      "  const std::vector<float> *find(const char *name, std::size_t size) {\n"
      "    auto it = state.find(name);\n"
      "    if (it == state.end()) {\n"
      "      if (error.empty())\n"
      "        error = std::string(\"missing state dict entry '\") + name + \"'\";\n"
      "      return nullptr;\n"
      "    }\n"
      "    if (it->second.size() != size) {\n"
      "      if (error.empty())\n"
      "        error = std::string(\"state dict entry '\") + name + \"' has \" +\n"
      "                std::to_string(it->second.size()) + \" values, expected \" +\n"
      "                std::to_string(size);\n"
      "      return nullptr;\n"
      "    }\n"
      "    return &it->second;\n"
      "  }\n"
      "  void copy(const char *name, float *dst, std::size_t size) {\n"
      "    if (const std::vector<float> *v = find(name, size))\n"
      "      std::copy(v->begin(), v->end(), dst);\n"
      "  }\n"
      "  std::vector<double> get(const char *name, std::size_t size) {\n"
      "    const std::vector<float> *v = find(name, size);\n"
      "    return v ? std::vector<double>(v->begin(), v->end()) : std::vector<double>(size, 1.0);\n"
      "  }\n"
      "};\n\n"
      "[[maybe_unused]] void store(const std::vector<double> &v, float *dst) {\n"
      "  for (std::size_t i = 0; i < v.size(); ++i)\n"
      "    dst[i] = static_cast<float>(v[i]);\n"
      "}\n\n"
      "/// W' = W * s, b' = (b - mean) * s + beta per output channel, s = gamma /\n"
      "/// sqrt(var + eps) (gamma = 1, beta = 0 without affine). The output channel of\n"
      "/// weight element i: i / (size / d0) for conv2d [out, C/g, kh, kw] and linear\n"
      "/// [out, in]; for conv_transpose2d [C, out/g, kh, kw] channel group\n"
      "/// (i / (d1 * khw)) / (d0 / groups) times d1, plus (i / khw) % d1.\n"
      "[[maybe_unused]] void fold_batchnorm(std::vector<double> &w, std::vector<double> &b,\n"
      "                    const std::vector<double> &gamma, const std::vector<double> &beta,\n"
      "                    const std::vector<double> &mean, const std::vector<double> &var,\n"
      "                    double eps, bool transposed, long long d0, long long d1,\n"
      "                    long long khw, long long groups) {\n"
      "  const std::size_t channels = b.size();\n"
      "  std::vector<double> s(channels), shift(channels);\n"
      "  for (std::size_t c = 0; c < channels; ++c) {\n"
      "    s[c] = (gamma.empty() ? 1.0 : gamma[c]) / std::sqrt(var[c] + eps);\n"
      "    shift[c] = (beta.empty() ? 0.0 : beta[c]) - mean[c] * s[c];\n"
      "  }\n"
      "  const long long size = static_cast<long long>(w.size());\n"
      "  for (long long i = 0; i < size; ++i) {\n"
      "    // conv_transpose2d: input channel ci, in group ci / (d0 / groups).\n"
      "    const long long oc =\n"
      "        transposed ? (i / (d1 * khw)) / (d0 / groups) * d1 + (i / khw) % d1 : i / (size / d0);\n"
      "    w[static_cast<std::size_t>(i)] *= s[static_cast<std::size_t>(oc)];\n"
      "  }\n"
      "  for (std::size_t c = 0; c < channels; ++c)\n"
      "    b[c] = b[c] * s[c] + shift[c];\n"
      "}\n\n"
      "} // namespace\n\n"
      "std::string prepare_weights(const StateDict &state, Weights &out) {\n"
      "  Loader load{state, {}};\n"
      "  std::set<std::string> expected;\n"
      "  for (const TensorInfo &t : kStateDict) {\n"
      "    expected.insert(t.name);\n"
      "    load.find(t.name, t.size);\n"
      "  }\n"
      "  for (const auto &entry : state)\n"
      "    if (!expected.count(entry.first) && load.error.empty())\n"
      "      load.error = \"unexpected state dict entry '\" + entry.first + \"'\";\n"
      "  if (!load.error.empty())\n"
      "    return load.error;\n"
      "  out.data.assign(kWeightFloats, 0.0f);\n"
      "  float *W = out.data.data();\n"
      "  (void)W;\n" +
      prepareBody +
      "  return load.error;\n"
      "}\n\n"
      "void run(const Weights &weights, const float *const *inputs, float *const *outputs,\n"
      "         float *arena) {\n"
      "  const float *W = weights.data.data();\n"
      "  float *A = arena;\n"
      "  (void)W;\n"
      "  (void)inputs;\n" +
      runBody + "}\n\n} // namespace netc_model\n";

  std::vector<EmittedFile> files;
  files.push_back({kEmitMarker, "This directory was written by netc --emit=cpp; netc may "
                                "replace it.\n"});
  files.push_back({"CMakeLists.txt", cmakeLists()});
  files.push_back({"check.cpp", checkSource()});
  files.push_back({"kernels.h", std::move(kernelsH)});
  files.push_back({"model.cpp", std::move(model)});
  files.push_back({"model.h", modelHeader()});
  files.push_back({"reference.cpp", std::move(referenceCpp)});
  uint64_t total = 0;
  for (const EmittedFile &f : files)
    total += f.text.size();
  if (total > opts.maxBytes) {
    diag.globalError(tooLarge(fmt::format(" ({} bytes)", total)));
    return std::nullopt;
  }
  return files;
}

} // namespace

std::optional<std::vector<EmittedFile>> emitCpp(const ir::Graph &original,
                                                const ir::Graph &optimized,
                                                const cost::Report &report, DiagEngine &diag,
                                                const EmitOptions &opts) {
  return Emitter(original, optimized, report, diag, opts).run();
}

} // namespace netc::codegen
