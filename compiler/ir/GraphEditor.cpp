#include "ir/GraphEditor.h"

#include <algorithm>
#include <cassert>

namespace netc::ir {

GraphEditor::GraphEditor(Graph &g) : g(g), dead(g.nodes.size(), false) { rebuildUsers(); }

void GraphEditor::rebuildUsers() {
  userLists.assign(g.values.size(), {});
  useLists.assign(g.values.size(), {});
  for (NodeId n = 0; n < g.nodes.size(); ++n) {
    if (dead[n])
      continue;
    const auto &inputs = g.nodes[n].inputs;
    for (uint32_t slot = 0; slot < inputs.size(); ++slot) {
      ValueId v = inputs[slot];
      useLists[v].push_back({n, slot});
      if (userLists[v].empty() || userLists[v].back() != n)
        userLists[v].push_back(n);
    }
  }
  // Nodes are visited in order, and a node is added once: each list is
  // sorted and without repeats already.
}

bool GraphEditor::isOutput(ValueId v) const {
  return std::find(g.outputs.begin(), g.outputs.end(), v) != g.outputs.end();
}

void GraphEditor::replaceUses(ValueId from, ValueId to) {
  if (from == to)
    return;
  for (Use u : useLists[from])
    g.nodes[u.node].inputs[u.slot] = to;
  for (ValueId &out : g.outputs)
    if (out == from)
      out = to;
  std::vector<Use> &uses = useLists[to];
  uses.insert(uses.end(), useLists[from].begin(), useLists[from].end());
  useLists[from].clear();
  // Both user lists are sorted: merge them in linear time.
  std::vector<NodeId> &dst = userLists[to];
  auto mid = static_cast<ptrdiff_t>(dst.size());
  dst.insert(dst.end(), userLists[from].begin(), userLists[from].end());
  userLists[from].clear();
  std::inplace_merge(dst.begin(), dst.begin() + mid, dst.end());
  dst.erase(std::unique(dst.begin(), dst.end()), dst.end());
}

int32_t GraphEditor::addInput(NodeId n, ValueId v) {
  g.nodes[n].inputs.push_back(v);
  useLists[v].push_back({n, static_cast<uint32_t>(g.nodes[n].inputs.size() - 1)});
  auto &u = userLists[v];
  if (std::find(u.begin(), u.end(), n) == u.end()) {
    u.push_back(n);
    std::sort(u.begin(), u.end());
  }
  return static_cast<int32_t>(g.nodes[n].inputs.size() - 1);
}

void GraphEditor::erase(NodeId n) {
#ifndef NDEBUG
  for (ValueId out : g.nodes[n].outputs)
    assert(userLists[out].empty() && !isOutput(out) && "erasing a node whose outputs are used");
#endif
  for (ValueId in : g.nodes[n].inputs) {
    auto &u = userLists[in];
    u.erase(std::remove(u.begin(), u.end(), n), u.end());
    auto &uses = useLists[in];
    uses.erase(std::remove_if(uses.begin(), uses.end(), [n](Use x) { return x.node == n; }),
               uses.end());
  }
  dead[n] = true;
}

void GraphEditor::commit() {
  // Nothing erased: ids are unchanged, and so are the users (kept up to date
  // by replaceUses and addInput).
  if (std::find(dead.begin(), dead.end(), true) == dead.end())
    return;
  std::vector<ValueId> newValue(g.values.size(), UINT32_MAX);
  Graph out;
  out.name = std::move(g.name);
  out.params = std::move(g.params);
  out.nodes.reserve(g.nodes.size());
  out.values.reserve(g.values.size());
  out.outputs.reserve(g.outputs.size());
  for (NodeId n = 0; n < g.nodes.size(); ++n) {
    if (dead[n])
      continue;
    Node node = std::move(g.nodes[n]);
    NodeId id = static_cast<NodeId>(out.nodes.size());
    for (ValueId &in : node.inputs)
      in = newValue[in];
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      ValueId old = node.outputs[i];
      newValue[old] = static_cast<ValueId>(out.values.size());
      out.values.push_back({std::move(g.values[old].type), id, static_cast<uint32_t>(i)});
      node.outputs[i] = newValue[old];
    }
    out.nodes.push_back(std::move(node));
  }
  for (ValueId v : g.outputs)
    out.outputs.push_back(newValue[v]);
  g = std::move(out);
  dead.assign(g.nodes.size(), false);
  rebuildUsers();
}

} // namespace netc::ir
