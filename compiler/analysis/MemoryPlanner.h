//===- MemoryPlanner.h - offsets of every tensor in one arena ---*- C++ -*-===//
//
// Lays out every activation tensor of a graph in one arena: a value gets an
// element offset, and two values whose lifetimes (Liveness.h: inclusive node
// ranges, a node's inputs and outputs live together, graph outputs to the
// end) intersect never share memory. A view's values use their source's
// memory. No plan can be smaller than the largest sum of live tensor sizes
// (peakLiveElements), and the planner aims for it: the report's peak
// activation memory is the arena it lays out. Its work is bounded: see
// GapSearchAllowance.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_ANALYSIS_MEMORYPLANNER_H
#define NETC_ANALYSIS_MEMORYPLANNER_H

#include "ir/Graph.h"

#include <optional>
#include <string>
#include <vector>

namespace netc::analysis {

/// The budget of each greedy order's search for gaps, in index entries read:
/// a fixed allowance plus a number per tensor that owns memory. The examples
/// read 2 to 25 entries per tensor, far below it.
constexpr uint64_t GapSearchAllowance = uint64_t(1) << 18;
constexpr uint64_t GapSearchPerTensor = 32;

struct MemoryPlan {
  /// Per ValueId, the element offset in the arena; a view's value has its
  /// storage's offset; a tensor with no elements has offset 0.
  std::vector<int64_t> offset;
  /// Per ValueId, the value whose memory it uses (from computeLifetimes).
  std::vector<ir::ValueId> storage;
  int64_t arenaElements = 0; ///< size of the arena in elements (at the graph's shapes)
  int64_t lowerBound = 0;    ///< peakLiveElements: no plan can be smaller
  /// The planner's work: the index entries its search for gaps read, over
  /// every order it tried (each order reads at most a fixed allowance plus a
  /// number per tensor, then places the rest on top: MemoryPlanner.cpp).
  uint64_t gapSearchReads = 0;
};

/// Plans the arena of `g` (deterministic). Returns nullopt on int64 overflow.
std::optional<MemoryPlan> planMemory(const ir::Graph &g);

/// Checks that no two values whose lifetimes overlap share memory and all fit
/// in the arena; returns the problems, one a line ("" if the plan is valid).
std::string verifyPlan(const ir::Graph &g, const MemoryPlan &p);

} // namespace netc::analysis

#endif
