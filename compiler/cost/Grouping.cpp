//===- Grouping.cpp - the rows of a report: layers, groups, a tree of blocks ===//
//
// --group-by block|op sums the layers per top-level block or per op;
// --depth N nests the blocks of the layers' hierarchical names. Counts and
// latency add up; the roofline of a row is recomputed from its sums.
//
//===----------------------------------------------------------------------===//
#include "cost/CostModel.h"

#include <llvm/ADT/StringMap.h>

#include <algorithm>
#include <limits>

namespace netc::cost {

namespace {

/// a + b, saturating instead of overflowing (the cost model has already
/// rejected networks whose totals overflow, so this is a guard only).
int64_t addSat(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  return r;
}

llvm::StringRef groupKey(const LayerCost &l, GroupBy by) {
  if (by == GroupBy::Op)
    return l.op;
  if (!l.block.empty())
    return l.block;
  llvm::StringRef first = llvm::StringRef(l.name).split('.').first;
  return first.empty() ? llvm::StringRef(l.op) : first;
}

constexpr const char *kMixed = "(mixed)";

/// Adds layer `l` into the group row `g`: its counts and latency; the op
/// becomes "(mixed)" when they differ.
void addInto(LayerCost &g, const LayerCost &l) {
  if (g.op != l.op)
    g.op = kMixed;
  g.params = addSat(g.params, l.params);
  g.activeParams = addSat(g.activeParams, l.activeParams);
  g.kvHeld = addSat(g.kvHeld, l.kvHeld);
  g.kvRead = addSat(g.kvRead, l.kvRead);
  g.kvWritten = addSat(g.kvWritten, l.kvWritten);
  g.buffers = addSat(g.buffers, l.buffers);
  g.macs = addSat(g.macs, l.macs);
  g.flops = addSat(g.flops, l.flops);
  g.memoryBytes = addSat(g.memoryBytes, l.memoryBytes);
  g.activations = addSat(g.activations, l.activations);
  g.latency += l.latency;
  g.memoryBoundLatency += l.memoryBoundLatency;
  g.calibratedLatency += l.calibratedLatency;
}

/// A row of the tree (treeRows) and its children, in order of first layer.
struct TreeNode {
  LayerCost row;
  std::vector<size_t> children;
};

void preOrder(const std::vector<TreeNode> &nodes, size_t i, std::vector<LayerCost> &out) {
  out.push_back(nodes[i].row);
  for (size_t c : nodes[i].children)
    preOrder(nodes, c, out);
}

} // namespace

std::vector<LayerCost> treeRows(const Report &r, unsigned depth) {
  std::vector<TreeNode> nodes(1); // nodes[0]: the network, not a row
  llvm::StringMap<size_t> index;  // a block's path -> its node
  for (const LayerCost &l : r.layers) {
    llvm::StringRef name = l.name, path;
    size_t parent = 0, end = 0;
    for (unsigned level = 1; level <= depth && end != llvm::StringRef::npos; ++level) {
      end = name.find('.', end == 0 ? 0 : end + 1);
      path = name.take_front(end); // the whole name when there is no dot left
      auto [it, inserted] = index.try_emplace(path, nodes.size());
      if (inserted) {
        TreeNode n;
        n.row.name = path.str();
        n.row.op = l.op;
        n.row.block = l.block;
        n.row.loc = l.loc;
        n.row.depth = level;
        nodes[parent].children.push_back(nodes.size());
        nodes.push_back(std::move(n));
      }
      LayerCost &row = nodes[it->second].row;
      addInto(row, l);
      row.outputShape = l.outputShape; // a block's output is its last layer's
      parent = it->second;
    }
  }
  std::vector<LayerCost> rows;
  rows.reserve(nodes.size() - 1);
  for (size_t c : nodes[0].children)
    preOrder(nodes, c, rows);
  for (LayerCost &row : rows)
    applyRoofline(row, r.hardware, r.options.dtype, /*setLatency=*/false);
  return rows;
}

std::vector<LayerCost> groupLayers(const Report &r, GroupBy by) {
  if (by == GroupBy::Layer)
    return r.layers;
  if (by == GroupBy::Tree)
    return treeRows(r, r.depth);
  std::vector<LayerCost> groups;
  llvm::StringMap<size_t> index; // lookup only; order comes from `groups`
  for (const LayerCost &l : r.layers) {
    llvm::StringRef key = groupKey(l, by);
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) {
      LayerCost g;
      g.name = key.str();
      g.op = l.op;
      g.block = by == GroupBy::Block ? key.str() : l.block;
      g.loc = l.loc;
      groups.push_back(std::move(g));
    }
    LayerCost &g = groups[it->second];
    if (by == GroupBy::Op && g.block != l.block)
      g.block = kMixed;
    // A block's output is its last layer's; ops are spread over the network.
    if (by == GroupBy::Block)
      g.outputShape = l.outputShape;
    addInto(g, l);
  }
  for (LayerCost &g : groups)
    applyRoofline(g, r.hardware, r.options.dtype, /*setLatency=*/false);
  return groups;
}

void groupRows(Report &r, GroupBy by, unsigned depth) {
  r.groupBy = by;
  r.depth = by == GroupBy::Tree ? depth : 0;
  r.groups.clear();
  if (by != GroupBy::Layer)
    r.groups = groupLayers(r, by);
  LayerCost &t = r.totalRow;
  t = LayerCost();
  t.params = r.totals.params;
  t.activeParams = r.totals.activeParams;
  t.kvHeld = r.totals.kvHeld;
  t.kvRead = r.totals.kvRead;
  t.kvWritten = r.totals.kvWritten;
  t.buffers = r.totals.buffers;
  t.macs = r.totals.macs;
  t.flops = r.totals.flops;
  t.memoryBytes = r.totals.memoryBytes;
  t.activations = r.totals.activations;
  t.latency = r.totals.latency;
  t.calibratedLatency = r.totals.calibratedLatency;
  applyRoofline(t, r.hardware, r.options.dtype, /*setLatency=*/false);
}

} // namespace netc::cost
