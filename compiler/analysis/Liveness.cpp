#include "analysis/Liveness.h"

#include "support/Checked.h"

#include <algorithm>

namespace netc::analysis {

std::vector<Lifetime> computeLifetimes(const ir::Graph &g) {
  std::vector<Lifetime> life(g.values.size());
  for (ir::ValueId v = 0; v < g.values.size(); ++v)
    life[v] = {v, g.values[v].producer, g.values[v].producer};
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node &n = g.nodes[i];
    for (ir::ValueId in : n.inputs)
      life[life[in].storage].last = std::max(life[life[in].storage].last, i);
    if (n.op->view && !n.inputs.empty())
      for (ir::ValueId out : n.outputs)
        life[out].storage = life[n.inputs[0]].storage;
  }
  const uint32_t end = g.nodes.empty() ? 0 : static_cast<uint32_t>(g.nodes.size() - 1);
  for (ir::ValueId out : g.outputs)
    life[life[out].storage].last = end;
  return life;
}

std::optional<int64_t> peakLiveElements(const ir::Graph &g) {
  return peakLiveElements(g, computeLifetimes(g));
}

std::optional<int64_t> peakLiveElements(const ir::Graph &g, const std::vector<Lifetime> &life) {
  // Sweep: +size at the producer, -size after the last reader.
  std::vector<int64_t> delta(g.nodes.size() + 1, 0);
  for (ir::ValueId v = 0; v < g.values.size(); ++v) {
    if (life[v].storage != v)
      continue; // a view: its storage is counted once, at its source
    auto elems = g.values[v].type.numElements();
    if (!elems)
      return std::nullopt;
    auto a = checkedAdd(delta[life[v].first], *elems);
    auto b = checkedSub(delta[life[v].last + 1], *elems);
    if (!a || !b)
      return std::nullopt;
    delta[life[v].first] = *a;
    delta[life[v].last + 1] = *b;
  }
  int64_t live = 0, peak = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto next = checkedAdd(live, delta[i]);
    if (!next)
      return std::nullopt;
    live = *next;
    peak = std::max(peak, live);
  }
  return peak;
}

} // namespace netc::analysis
