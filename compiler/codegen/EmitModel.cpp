//===- EmitModel.cpp - the fused path: kernels.h, model.h, model.cpp ------===//
//
// The optimized graph as a program: a kernel per distinct fused group
// (kernels.h, each with a comment of its cost), prepare_weights() (copies
// weights, folds batchnorm at load time) and run() (every node in order over
// one arena laid out by the memory planner) in model.cpp, and the tables
// that describe them in model.h.
//
//===----------------------------------------------------------------------===//
#include "codegen/EmitterImpl.h"

#include "analysis/MemoryPlanner.h"
#include "codegen/templates/kernels.h.h"
#include "codegen/templates/model.cpp.h"
#include "codegen/templates/model.h.h"
#include "support/Format.h"

namespace netc::codegen::detail {

std::string Emitter::kernelComment(const KernelSet::Entry &k) {
  const Node &n = opt.nodes[k.nodes.front()];
  const cost::LayerCost &l = report.layers[k.nodes.front()];
  std::string c;
  auto line = [&](const std::string &s) { c += "// " + commentText(s) + "\n"; };
  line(k.src.what);
  // A long list (a concat's) shows its first inputs and their number.
  constexpr size_t kShownInputs = 4;
  const std::vector<TensorType> inTypes = opt.inputTypes(n);
  std::string ins, outs;
  for (size_t i = 0; i < inTypes.size() && i < kShownInputs; ++i)
    ins += (ins.empty() ? "" : ", ") + formatType(inTypes[i]);
  if (inTypes.size() > kShownInputs)
    ins += fmt::format(", ... ({} inputs)", inTypes.size());
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

/// prepare_weights() for node `n` (weights at `offsets` in W): copies its
/// weights, or folds batchnorms into them at load time.
bool Emitter::emitPrepare(const Node &n, const std::vector<int64_t> &offsets, CodeWriter &prep) {
  std::vector<WeightSpec> specs = opt.weights(n);
  if (n.folds.empty()) {
    for (size_t j = 0; j < specs.size(); ++j)
      prep.line("load.copy({}, W + {}, {});", cppString(ir::stateDictKey(n.name, specs[j].name)),
                offsets[j], Buffer::count(specs[j].shape));
    return true;
  }
  if (specs.size() != 2 || specs[0].name != "weight" || specs[1].name != "bias")
    return fail(n, "a folded batchnorm needs a layer with a weight and a bias");
  const Shape &ws = specs[0].shape;
  const bool transposed = n.op->weightLayout == ir::WeightLayout::Transposed;
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
              tensor("running_var"), real(f.eps), transposed, ws[0], ws.size() > 1 ? ws[1] : 1,
              ws.size() > 3 ? ws[2] * ws[3] : 1, groups);
  }
  prep.line("store(w, W + {});", offsets[0]);
  prep.line("store(b, W + {});", offsets[1]);
  prep.close();
  return true;
}

/// The arguments of node `n`'s kernel in run(): its inputs (A + offset, or
/// a list table), weights (W + offset), the epilogue's operands, outputs.
std::string Emitter::fusedArgs(const Node &n, const analysis::MemoryPlan &plan,
                               const std::vector<int64_t> &weightOffsets, TensorLists &lists) {
  auto at = [&](ValueId v) { return fmt::format("A + {}", plan.offset[v]); };
  std::vector<std::string> args;
  if (takesTensorList(*n.op)) {
    std::vector<TensorLists::Row> rows;
    for (size_t j = 0; j < n.primaryInputs(); ++j)
      rows.push_back({static_cast<int64_t>(plan.offset[n.inputs[j]]),
                      opt.type(n.inputs[j]).numElements().value_or(0)});
    args = lists.callArgs(rows, "A");
  } else {
    for (size_t j = 0; j < n.primaryInputs(); ++j)
      args.push_back(at(n.inputs[j]));
  }
  for (int64_t off : weightOffsets)
    args.push_back(fmt::format("W + {}", off));
  for (const Epilogue &ep : n.epilogue)
    if (ep.extraInput >= 0)
      args.push_back(at(n.inputs[static_cast<size_t>(ep.extraInput)]));
  for (ValueId v : n.outputs)
    args.push_back(at(v));
  std::string call;
  for (const std::string &a : args)
    call += (call.empty() ? "" : ", ") + a;
  return call;
}

/// The fused path: kernels.h, the body of run() and of prepare_weights(),
/// and the tensor lists run() passes.
bool Emitter::emitFused(FusedParts &out) {
  std::optional<analysis::MemoryPlan> plan = analysis::planMemory(opt);
  if (!plan) {
    diag.globalError(fmt::format("cannot emit C++ for '{}': its tensors overflow 64-bit sizes",
                                 opt.name));
    return false;
  }
  arenaFloats = plan->arenaElements;
  KernelSet kernels;
  TensorLists lists;
  CodeWriter run(1), prep(1);
  std::set<std::string> origNames;
  for (const Node &n : orig.nodes)
    origNames.insert(n.name);
  size_t nextInput = 0;
  for (size_t i = 0; i < opt.nodes.size(); ++i) {
    const Node &n = opt.nodes[i];
    // Weights, in node order, each node's in the order of its weights rule.
    std::vector<int64_t> weightOffsets;
    for (const WeightSpec &s : opt.weights(n)) {
      weightOffsets.push_back(weightFloats);
      weightFloats += static_cast<int64_t>(Buffer::count(s.shape));
    }
    if (!weightOffsets.empty() && !origNames.count(n.name))
      return fail(n, "it has weights but no node of that name in the graph as written");
    if (!weightOffsets.empty() && !emitPrepare(n, weightOffsets, prep))
      return false;
    if (n.op->isInput) {
      const ValueId v = n.outputs[0];
      run.line("std::copy(inputs[{0}], inputs[{0}] + {1}, A + {2}); // {3}", nextInput++,
               countOf(opt.type(v)), plan->offset[v], commentText(n.name));
      continue;
    }
    if (n.op->outputIsWeight) { // a param: its weight, in the arena like an input
      const ValueId v = n.outputs[0];
      run.line("std::copy(W + {0}, W + {0} + {1}, A + {2}); // {3}", weightOffsets[0],
               countOf(opt.type(v)), plan->offset[v], commentText(n.name));
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
    run.line("k::{}({}); // {}", fn, fusedArgs(n, *plan, weightOffsets, lists),
             commentText(n.name));
    if (!withinLimit(n, kernels.bytes() + lists.bytes() + run.str().size() + prep.str().size()))
      return false;
  }
  for (size_t i = 0; i < opt.outputs.size(); ++i) {
    const ValueId v = opt.outputs[i];
    run.line("std::copy({0}, {0} + {1}, outputs[{2}]);",
             fmt::format("A + {}", plan->offset[v]), countOf(opt.type(v)), i);
  }
  out.runBody = run.str();
  out.prepareBody = prep.str();
  out.lists = lists.text("offset in the arena A");
  out.kernelsH = kernelsHeader(kernels);
  return true;
}

std::string Emitter::kernelsHeader(const KernelSet &kernels) {
  std::string kernelText;
  for (const KernelSet::Entry &e : kernels.all())
    kernelText += "\n" + kernelFunction(kernelComment(e), "inline ", e);
  return fillTemplate(templates::kernels_h, {{"NETWORK", commentText(opt.name)},
                                             {"HARDWARE", commentText(report.hardware.name)},
                                             {"KERNELS", kernelText}});
}

std::string Emitter::modelSource(const FusedParts &parts) {
  return fillTemplate(templates::model_cpp, {{"NETWORK", commentText(opt.name)},
                                             {"LISTS", parts.lists},
                                             {"PREPARE_BODY", parts.prepareBody},
                                             {"RUN_BODY", parts.runBody}});
}

namespace {

std::string tensorInfo(const std::string &name, const Shape &shape) {
  std::string dims;
  for (int64_t d : shape)
    dims += (dims.empty() ? "" : ", ") + std::to_string(d);
  return fmt::format("{{{}, {}, {{{}}}, {}}}", cppString(name), shape.size(), dims,
                     Buffer::count(shape));
}

/// The rows of a TensorInfo table, one line each.
std::string tableRows(const std::vector<std::string> &rows) {
  std::string text;
  for (const std::string &r : rows)
    text += "    " + r + ",\n";
  return text;
}

} // namespace

std::string Emitter::modelHeader() {
  std::string params;
  for (const auto &[k, v] : opt.params)
    params += (params.empty() ? "" : ", ") + k + "=" + v;
  std::vector<std::string> inputs, outputs, weights;
  for (const Node &n : opt.nodes)
    if (n.op->isInput)
      inputs.push_back(tensorInfo(n.name, opt.type(n.outputs[0]).shape));
  for (ValueId v : opt.outputs)
    outputs.push_back(tensorInfo(llvm::StringRef(opt.valueName(v)).ltrim('%').str(),
                                 opt.type(v).shape));
  for (const StateEntry &e : state)
    weights.push_back(tensorInfo(ir::stateDictKey(e.node, e.tensor), e.shape));
  const int64_t peak = report.totals.peakActivationBytes;
  return fillTemplate(
      templates::model_h,
      {{"NETWORK", commentText(opt.name)},
       {"PARAMS", params.empty() ? "" : " (" + commentText(params) + ")"},
       {"NUM_INPUTS", std::to_string(inputs.size())},
       {"INPUT_ROWS", tableRows(inputs)},
       {"NUM_OUTPUTS", std::to_string(outputs.size())},
       {"OUTPUT_ROWS", tableRows(outputs)},
       {"NUM_STATE", std::to_string(weights.size())},
       {"STATE_ROWS", tableRows(weights)},
       {"PEAK_BYTES", withThousands(peak)},
       {"ARENA_FLOATS", std::to_string(arenaFloats)},
       {"WEIGHT_FLOATS", std::to_string(weightFloats)}});
}

} // namespace netc::codegen::detail
