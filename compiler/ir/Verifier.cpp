#include "ir/Verifier.h"

#include <fmt/format.h>
#include <llvm/ADT/StringSet.h>

namespace netc::ir {

std::vector<std::string> verifyGraph(const Graph &g) {
  std::vector<std::string> problems;
  auto bad = [&](const Node &n, const std::string &msg) {
    problems.push_back(fmt::format("node '{}': {}", n.name, msg));
  };
  llvm::StringSet<> names;
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const Node &n = g.nodes[id];
    if (!n.op) {
      bad(n, "has no op");
      continue;
    }
    if (!names.insert(n.name).second)
      bad(n, "name is not unique");
    bool inputsOk = true;
    for (ValueId v : n.inputs) {
      if (v >= g.values.size() || g.values[v].producer >= id) {
        bad(n, fmt::format("reads value {} that is not produced before it", v));
        inputsOk = false;
      }
    }
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      ValueId v = n.outputs[i];
      if (v >= g.values.size() || g.values[v].producer != id || g.values[v].index != i)
        bad(n, fmt::format("output {} is not linked back to the node", i));
    }
    if (!inputsOk)
      continue;
    // Re-infer: the stored types must be what the op's rule says.
    std::vector<TensorType> ins = g.inputTypes(n);
    Attrs rebound;
    std::vector<TensorType> outs;
    std::string e = inferShapes(*n.op, ins, n.attrs, rebound, outs);
    if (!e.empty()) {
      bad(n, "its op rejects it: " + e);
      continue;
    }
    if (outs.size() != n.outputs.size()) {
      bad(n, fmt::format("has {} outputs, its op infers {}", n.outputs.size(), outs.size()));
      continue;
    }
    for (size_t i = 0; i < outs.size(); ++i)
      if (outs[i] != g.type(n.outputs[i]))
        bad(n, fmt::format("output {} is {}, its op infers {}", i, formatType(g.type(n.outputs[i])),
                           formatType(outs[i])));
    // Fused ops: elementwise or broadcast, no weights, keeping the output's type.
    for (const Epilogue &e : n.epilogue) {
      if (n.outputs.size() != 1 || e.op->pattern > PatternKind::Broadcast || e.op->weights) {
        bad(n, fmt::format("cannot carry '{}' ({}) as an epilogue", e.name, e.op->name));
        continue;
      }
      std::vector<TensorType> eins{g.type(n.outputs[0])};
      if (e.extraInput >= 0) {
        if (static_cast<size_t>(e.extraInput) >= n.inputs.size()) {
          bad(n, fmt::format("epilogue '{}' reads a missing input", e.name));
          continue;
        }
        eins.insert(e.extraFirst ? eins.begin() : eins.end(), g.type(n.inputs[e.extraInput]));
      }
      Attrs eb;
      std::vector<TensorType> eouts;
      std::string ee = inferShapes(*e.op, eins, e.attrs, eb, eouts);
      if (!ee.empty() || eouts.size() != 1 || eouts[0] != g.type(n.outputs[0]))
        bad(n, fmt::format("epilogue '{}' does not keep the output type{}", e.name,
                           ee.empty() ? "" : ": " + ee));
    }
  }
  if (g.outputs.empty())
    problems.push_back("the graph has no outputs");
  for (ValueId v : g.outputs)
    if (v >= g.values.size())
      problems.push_back(fmt::format("graph output {} does not exist", v));
  return problems;
}

} // namespace netc::ir
