//===- Liveness.h - tensor lifetimes along the execution order -*- C++ -*-===//
//
// A value is live from the node that produces it to its last reader (graph
// outputs to the end). A view's outputs alias its input, so they extend the
// input's lifetime instead of taking memory of their own. The peak is the
// largest sum of live tensor sizes at any node, counting the node's inputs
// and outputs together (an op reads and writes at once).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_ANALYSIS_LIVENESS_H
#define NETC_ANALYSIS_LIVENESS_H

#include "ir/Graph.h"

#include <optional>
#include <vector>

namespace netc::analysis {

struct Lifetime {
  ir::ValueId storage;  ///< the value whose memory this one uses (itself, or a view's source)
  uint32_t first = 0;   ///< producing node
  uint32_t last = 0;    ///< last node that reads it (or the last node, for outputs)
};

/// Lifetimes of every value, indexed by ValueId.
std::vector<Lifetime> computeLifetimes(const ir::Graph &g);

/// Peak live elements at the graph's shapes, or nullopt on overflow.
std::optional<int64_t> peakLiveElements(const ir::Graph &g);
/// The same, from lifetimes computeLifetimes(g) already returned.
std::optional<int64_t> peakLiveElements(const ir::Graph &g, const std::vector<Lifetime> &life);

} // namespace netc::analysis

#endif
