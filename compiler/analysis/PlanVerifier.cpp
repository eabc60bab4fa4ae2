//===- PlanVerifier.cpp - an independent check of a memory plan -------------===//
//
// verifyPlan checks a MemoryPlan against the graph's lifetimes, recomputed
// here rather than taken from the planner: every value uses its storage's
// memory, no two storages whose lifetimes overlap share bytes, everything
// fits in the arena, and the lower bound is the peak of live elements.
//
//===----------------------------------------------------------------------===//
#include "analysis/MemoryPlanner.h"

#include "analysis/Liveness.h"
#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace netc::analysis {

std::string verifyPlan(const ir::Graph &g, const MemoryPlan &p) {
  std::string out;
  const size_t maxProblems = 20;
  size_t problems = 0;
  auto problem = [&](std::string msg) {
    if (problems++ < maxProblems)
      out += msg + "\n";
  };
  const size_t nv = g.values.size();
  if (p.offset.size() != nv || p.storage.size() != nv)
    return fmt::format("the plan has {} offsets and {} storages for {} values\n", p.offset.size(),
                       p.storage.size(), nv);
  std::vector<Lifetime> life = computeLifetimes(g);
  std::optional<int64_t> lower = peakLiveElements(g, life);
  if (!lower || p.lowerBound != *lower)
    problem(fmt::format("the lower bound is {}, the peak of live elements {}", p.lowerBound,
                        lower ? std::to_string(*lower) : "overflows"));
  if (p.arenaElements < p.lowerBound)
    problem(fmt::format("the arena ({} elements) is below the lower bound ({})", p.arenaElements,
                        p.lowerBound));
  // The storage values that own memory, with their sizes.
  std::vector<int64_t> size(nv, 0);
  std::vector<ir::ValueId> owners;
  for (ir::ValueId v = 0; v < nv; ++v) {
    if (p.storage[v] != life[v].storage) {
      problem(fmt::format("{} uses the memory of {}, not of {}", g.valueName(v),
                          p.storage[v] < nv ? g.valueName(p.storage[v]) : "?",
                          g.valueName(life[v].storage)));
      continue;
    }
    if (p.offset[v] != p.offset[p.storage[v]])
      problem(fmt::format("{} is at {}, its storage {} at {}", g.valueName(v), p.offset[v],
                          g.valueName(p.storage[v]), p.offset[p.storage[v]]));
    if (p.storage[v] != v)
      continue;
    std::optional<int64_t> elems = g.values[v].type.numElements();
    if (!elems) {
      problem(fmt::format("{}: its number of elements overflows", g.valueName(v)));
      continue;
    }
    if (*elems == 0)
      continue;
    std::optional<int64_t> end = checkedAdd(p.offset[v], *elems);
    if (p.offset[v] < 0 || !end || *end > p.arenaElements) {
      problem(fmt::format("{} at offset {} ({} elements) does not fit the arena of {} elements",
                          g.valueName(v), p.offset[v], *elems, p.arenaElements));
      continue;
    }
    size[v] = *elems;
    owners.push_back(v);
  }
  // Sweep the nodes, keeping the memory of the live values by offset: they
  // are disjoint, so a newcomer need only be checked against its neighbours.
  std::vector<ir::ValueId> starts = owners, ends = owners;
  std::sort(starts.begin(), starts.end(), [&](ir::ValueId a, ir::ValueId b) {
    return std::make_pair(life[a].first, a) < std::make_pair(life[b].first, b);
  });
  std::sort(ends.begin(), ends.end(), [&](ir::ValueId a, ir::ValueId b) {
    return std::make_pair(life[a].last, a) < std::make_pair(life[b].last, b);
  });
  std::map<int64_t, ir::ValueId> live; // offset -> value
  std::vector<uint8_t> inMap(nv, 0);
  auto nextEnd = ends.begin();
  for (ir::ValueId v : starts) {
    const uint32_t t = life[v].first;
    for (; nextEnd != ends.end() && life[*nextEnd].last < t; ++nextEnd)
      if (inMap[*nextEnd])
        live.erase(p.offset[*nextEnd]);
    const int64_t lo = p.offset[v], hi = lo + size[v];
    auto next = live.lower_bound(lo);
    ir::ValueId clash = ir::ValueId(-1);
    if (next != live.end() && next->first < hi)
      clash = next->second;
    else if (next != live.begin() &&
             p.offset[std::prev(next)->second] + size[std::prev(next)->second] > lo)
      clash = std::prev(next)->second;
    if (clash != ir::ValueId(-1)) {
      problem(fmt::format("{} at [{}, {}) and {} at [{}, {}) share memory while both are live "
                          "at node {} ('{}')",
                          g.valueName(clash), p.offset[clash], p.offset[clash] + size[clash],
                          g.valueName(v), lo, hi, t, g.nodes[t].name));
      continue;
    }
    live.emplace(lo, v);
    inMap[v] = 1;
  }
  if (problems > maxProblems)
    out += fmt::format("({} more problems)\n", problems - maxProblems);
  return out;
}

} // namespace netc::analysis
