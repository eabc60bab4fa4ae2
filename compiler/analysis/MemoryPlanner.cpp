//===- MemoryPlanner.cpp - offsets of every tensor in one arena -------------===//
//
// Greedy placement: tensors are taken one at a time in some order, and each
// goes in the smallest gap, between the tensors already placed that are live
// at the same time, that holds it (after the last of them if none does).
// Four orders are tried in turn, until one reaches the lower bound; the
// first of the smallest arenas is kept:
//
// 1. by size (TFLite's "greedy by size"): decreasing size, ties by value id;
// 2. by area: decreasing size x lifetime (in nodes), ties by value id;
// 3. by lifetime: the longest-lived first, ties by size then id (a tensor
//    live through many others goes to one end of the arena);
// 4. by breadth (TFLite's "greedy by breadth"): nodes in decreasing breadth
//    (the sum of the sizes live there; ties by node index), and at each the
//    tensors live there in decreasing size.
//
// Finding the placed tensors live at the same time as a new one reads, per
// class of lifetime span (spans of the same bit width), the tensors that
// start in a window as wide as the class's longest span: a chain of a
// million nodes, with skip connections or an output live to the end, plans
// in about n log n. Greedy by breadth lists the tensors live at every node,
// so it only runs when the lifetimes cover a bounded number of node slots.
//
// Many tensors live at once (a node with thousands of outputs) make every
// search read all of them: quadratic. So each order's search for gaps has a
// budget of entries read (GapSearchAllowance + GapSearchPerTensor per
// tensor; the examples use 2 to 25 per tensor); once it is spent, the rest
// of that order goes on top of the placed tensors live at the same time,
// found in log time by a segment tree over the nodes (Skyline). The plan is
// still valid, and no longer aims for the lower bound.
//
//===----------------------------------------------------------------------===//
#include "analysis/MemoryPlanner.h"

#include "analysis/Liveness.h"
#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>

namespace netc::analysis {

namespace {

/// A value that owns memory: a storage value with at least one element.
struct Item {
  ir::ValueId value;
  uint32_t first, last; ///< its lifetime, an inclusive range of nodes
  int64_t size;
};

/// Greedy by breadth lists every (node, live tensor) pair; beyond this many
/// it is skipped (the other orders stay near-linear on any graph).
constexpr uint64_t BreadthSlotLimit = uint64_t(1) << 22;

/// The items by lifetime, with where they are placed: class k holds the
/// items whose span (last - first) has bit width k, sorted by first node. An
/// item of class k that meets [a, b] starts in [a - (2^k - 1), b]. A class
/// with many items has a directory from a node to the first of its items
/// starting there or later; the others are searched.
class LifetimeIndex {
public:
  LifetimeIndex(const std::vector<Item> &items, uint32_t numNodes)
      : nodes(numNodes), where(items.size()) {
    for (uint32_t i = 0; i < items.size(); ++i)
      byClass[spanClass(items[i])].push_back({items[i].first, items[i].last, i, -1, -1});
    for (unsigned k = 0; k < byClass.size(); ++k) {
      std::vector<Entry> &list = byClass[k];
      if (list.empty())
        continue;
      classes.push_back(k);
      auto byFirst = [](const Entry &a, const Entry &b) {
        return std::tie(a.first, a.item) < std::tie(b.first, b.item);
      };
      if (!std::is_sorted(list.begin(), list.end(), byFirst))
        std::sort(list.begin(), list.end(), byFirst);
      for (uint32_t pos = 0; pos < list.size(); ++pos)
        where[list[pos].item] = &list[pos];
      if (list.size() * 8 >= numNodes) {
        std::vector<uint32_t> &dir = directory[k];
        dir.resize(size_t(numNodes) + 1);
        uint32_t pos = 0;
        for (uint32_t t = 0; t <= numNodes; ++t) {
          while (pos < list.size() && list[pos].first < t)
            ++pos;
          dir[t] = pos;
        }
      }
    }
  }
  LifetimeIndex(const LifetimeIndex &) = delete;
  LifetimeIndex &operator=(const LifetimeIndex &) = delete;

  /// Unplaces every item.
  void clear() {
    for (unsigned k : classes)
      for (Entry &e : byClass[k])
        e.offset = e.end = -1;
  }
  bool placed(uint32_t item) const { return where[item]->offset >= 0; }
  int64_t offset(uint32_t item) const { return where[item]->offset; }
  int64_t end(uint32_t item) const { return where[item]->end; }
  uint32_t numNodes() const { return nodes; }
  void place(uint32_t item, int64_t offset, int64_t end) {
    where[item]->offset = offset;
    where[item]->end = end;
  }

  /// Calls f(offset, end) for every placed item whose lifetime meets q's;
  /// returns the number of entries it read (placed or not, meeting q or not).
  template <typename F> uint64_t forPlacedOverlapping(const Item &q, F f) const {
    uint64_t read = 0;
    for (unsigned k : classes) {
      const std::vector<Entry> &list = byClass[k];
      const uint64_t longest = (uint64_t(1) << k) - 1;
      const uint32_t from = q.first > longest ? static_cast<uint32_t>(q.first - longest) : 0;
      size_t pos = !directory[k].empty()
                       ? directory[k][from]
                       : std::partition_point(list.begin(), list.end(), [&](const Entry &e) {
                           return e.first < from;
                         }) - list.begin();
      const size_t begin = pos;
      for (; pos < list.size() && list[pos].first <= q.last; ++pos)
        if (list[pos].last >= q.first && list[pos].offset >= 0)
          f(list[pos].offset, list[pos].end);
      read += pos - begin;
    }
    return read;
  }

private:
  struct Entry {
    uint32_t first, last, item;
    int64_t offset, end; ///< where the item is placed; -1 while it is not
  };

  static unsigned spanClass(const Item &it) {
    uint32_t span = it.last - it.first;
    return span == 0 ? 0 : 32 - static_cast<unsigned>(__builtin_clz(span));
  }

  uint32_t nodes;
  std::array<std::vector<Entry>, 33> byClass;
  std::array<std::vector<uint32_t>, 33> directory; ///< empty: search the class
  std::vector<unsigned> classes;                   ///< the classes that hold items
  std::vector<Entry *> where;                      ///< per item, its entry
};

/// The highest end of the items placed so far at each node: a segment tree
/// over the nodes whose update raises every node of a range to at least a
/// value (no update lowers one, so a node's own bound holds for its whole
/// range and needs no pushing down).
class Skyline {
public:
  explicit Skyline(uint32_t numNodes) {
    while (width < numNodes)
      width <<= 1;
    whole.assign(2 * size_t(width), 0);
    highest.assign(2 * size_t(width), 0);
  }
  /// Raises every node of [a, b] to at least v.
  void raise(uint32_t a, uint32_t b, int64_t v) { raise(1, 0, width - 1, a, b, v); }
  /// The highest value at a node of [a, b].
  int64_t top(uint32_t a, uint32_t b) const { return top(1, 0, width - 1, a, b); }

private:
  void raise(size_t n, uint32_t lo, uint32_t hi, uint32_t a, uint32_t b, int64_t v) {
    if (b < lo || hi < a)
      return;
    highest[n] = std::max(highest[n], v);
    if (a <= lo && hi <= b) {
      whole[n] = std::max(whole[n], v);
      return;
    }
    const uint32_t mid = lo + (hi - lo) / 2;
    raise(2 * n, lo, mid, a, b, v);
    raise(2 * n + 1, mid + 1, hi, a, b, v);
  }
  int64_t top(size_t n, uint32_t lo, uint32_t hi, uint32_t a, uint32_t b) const {
    if (b < lo || hi < a)
      return 0;
    if (a <= lo && hi <= b)
      return highest[n];
    const uint32_t mid = lo + (hi - lo) / 2;
    return std::max({whole[n], top(2 * n, lo, mid, a, b), top(2 * n + 1, mid + 1, hi, a, b)});
  }

  uint32_t width = 1;
  std::vector<int64_t> whole;   ///< per tree node, a bound every node of its range reaches
  std::vector<int64_t> highest; ///< per tree node, the highest bound in its range
};

/// Offsets of the items and the arena they need.
struct Layout {
  std::vector<int64_t> offset;
  int64_t arena = 0;
  uint64_t read = 0; ///< index entries the search for gaps read
};

/// Places the items in `order`, each in the best-fitting gap among the placed
/// items live at the same time (an item listed again stays where it is).
/// Once the search for gaps has read more entries than its budget, the
/// remaining items go on top of the placed items live at the same time
/// instead (a segment tree finds that height in log time), so any graph
/// plans in about n log n. Nullopt on overflow.
std::optional<Layout> placeInOrder(const std::vector<Item> &items, LifetimeIndex &index,
                                   const std::vector<uint32_t> &order) {
  index.clear();
  std::vector<std::pair<int64_t, int64_t>> busy; // (offset, end) of the placed overlapping
  int64_t arena = 0;
  const uint64_t budget = GapSearchAllowance + GapSearchPerTensor * items.size();
  uint64_t read = 0;
  std::optional<Skyline> skyline; // once the budget is spent
  for (uint32_t i : order) {
    if (index.placed(i))
      continue;
    const Item &it = items[i];
    int64_t best = -1;
    if (skyline) {
      best = skyline->top(it.first, it.last);
    } else {
      busy.clear();
      read += index.forPlacedOverlapping(it,
                                         [&](int64_t lo, int64_t hi) { busy.emplace_back(lo, hi); });
      std::sort(busy.begin(), busy.end());
      int64_t end = 0, bestGap = 0;
      for (auto [lo, hi] : busy) {
        if (lo - end >= it.size && (best < 0 || lo - end < bestGap)) {
          best = end;
          bestGap = lo - end;
        }
        end = std::max(end, hi); // every end is within the arena: no overflow
      }
      if (best < 0)
        best = end;
    }
    std::optional<int64_t> top = checkedAdd(best, it.size);
    if (!top)
      return std::nullopt;
    index.place(i, best, *top);
    arena = std::max(arena, *top);
    if (skyline) {
      skyline->raise(it.first, it.last, *top);
    } else if (read > budget) {
      skyline.emplace(index.numNodes());
      for (uint32_t j = 0; j < items.size(); ++j)
        if (index.placed(j))
          skyline->raise(items[j].first, items[j].last, index.end(j));
    }
  }
  Layout l;
  l.arena = arena;
  l.read = read;
  l.offset.resize(items.size());
  for (uint32_t i = 0; i < items.size(); ++i)
    l.offset[i] = index.offset(i);
  return l;
}

/// The items in increasing order of `key(item)`, ties by item index.
template <typename Key> std::vector<uint32_t> sortedBy(size_t n, Key key) {
  using K = decltype(key(uint32_t(0)));
  std::vector<std::pair<K, uint32_t>> keyed(n);
  for (uint32_t i = 0; i < n; ++i)
    keyed[i] = {key(i), i};
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i)
    order[i] = keyed[i].second;
  return order;
}

/// By decreasing size, ties by item index.
std::vector<uint32_t> bySize(const std::vector<Item> &items) {
  const bool small =
      std::all_of(items.begin(), items.end(), [](const Item &it) { return it.size <= UINT32_MAX; });
  if (!small)
    return sortedBy(items.size(), [&](uint32_t i) { return -items[i].size; });
  // The same order, sorting one 64-bit word per item (faster).
  std::vector<uint64_t> keyed(items.size());
  for (uint32_t i = 0; i < items.size(); ++i)
    keyed[i] = (uint64_t(UINT32_MAX - items[i].size) << 32) | i;
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> order(items.size());
  for (size_t i = 0; i < items.size(); ++i)
    order[i] = static_cast<uint32_t>(keyed[i]);
  return order;
}

std::optional<Layout> greedyBySize(const std::vector<Item> &items, LifetimeIndex &index) {
  return placeInOrder(items, index, bySize(items));
}

std::optional<Layout> greedyByLifetime(const std::vector<Item> &items, LifetimeIndex &index) {
  return placeInOrder(items, index, sortedBy(items.size(), [&](uint32_t i) {
                        return std::make_pair(-int64_t(items[i].last - items[i].first),
                                              -items[i].size);
                      }));
}

std::optional<Layout> greedyByArea(const std::vector<Item> &items, LifetimeIndex &index) {
  return placeInOrder(items, index, sortedBy(items.size(), [&](uint32_t i) {
                        int64_t area =
                            checkedMul(items[i].size, int64_t(items[i].last) - items[i].first + 1)
                                .value_or(INT64_MAX);
                        return -area;
                      }));
}

std::optional<Layout> greedyByBreadth(const std::vector<Item> &items, LifetimeIndex &index,
                                      uint32_t numNodes) {
  // The items live at each node (CSR, by decreasing size), and each node's
  // breadth (at most the peak of live elements: no overflow).
  std::vector<uint32_t> start(size_t(numNodes) + 1, 0);
  std::vector<int64_t> breadth(numNodes, 0);
  for (const Item &it : items)
    for (uint32_t t = it.first; t <= it.last; ++t) {
      ++start[t + 1];
      breadth[t] += it.size;
    }
  for (uint32_t t = 0; t < numNodes; ++t)
    start[t + 1] += start[t];
  std::vector<uint32_t> live(start[numNodes]);
  std::vector<uint32_t> fill(start.begin(), start.end() - 1);
  for (uint32_t i : bySize(items))
    for (uint32_t t = items[i].first; t <= items[i].last; ++t)
      live[fill[t]++] = i;
  std::vector<uint32_t> order;
  order.reserve(live.size());
  for (uint32_t t : sortedBy(numNodes, [&](uint32_t t) { return -breadth[t]; }))
    order.insert(order.end(), live.begin() + start[t], live.begin() + start[t + 1]);
  return placeInOrder(items, index, order);
}

} // namespace

std::optional<MemoryPlan> planMemory(const ir::Graph &g) {
  std::vector<Lifetime> life = computeLifetimes(g);
  std::optional<int64_t> lower = peakLiveElements(g, life);
  if (!lower)
    return std::nullopt;
  MemoryPlan plan;
  plan.lowerBound = *lower;
  plan.offset.assign(g.values.size(), 0);
  plan.storage.resize(g.values.size());
  std::vector<Item> items;
  uint64_t slots = 0;
  for (ir::ValueId v = 0; v < g.values.size(); ++v) {
    plan.storage[v] = life[v].storage;
    if (life[v].storage != v)
      continue;
    std::optional<int64_t> elems = g.values[v].type.numElements();
    if (!elems)
      return std::nullopt;
    if (*elems > 0) {
      items.push_back({v, life[v].first, life[v].last, *elems});
      slots += life[v].last - life[v].first + 1;
    }
  }
  LifetimeIndex index(items, static_cast<uint32_t>(g.nodes.size()));
  std::optional<Layout> best;
  for (int strategy = 0; strategy < 4; ++strategy) {
    if (best && best->arena <= plan.lowerBound)
      break;
    std::optional<Layout> l;
    if (strategy == 0)
      l = greedyBySize(items, index);
    else if (strategy == 1)
      l = greedyByArea(items, index);
    else if (strategy == 2)
      l = greedyByLifetime(items, index);
    else if (slots <= BreadthSlotLimit)
      l = greedyByBreadth(items, index, static_cast<uint32_t>(g.nodes.size()));
    else
      continue;
    if (!l)
      return std::nullopt;
    plan.gapSearchReads += l->read;
    if (!best || l->arena < best->arena)
      best = std::move(l);
  }
  plan.arenaElements = best->arena;
  for (size_t i = 0; i < items.size(); ++i)
    plan.offset[items[i].value] = best->offset[i];
  // A view's values use their storage's memory.
  for (ir::ValueId v = 0; v < g.values.size(); ++v)
    plan.offset[v] = plan.offset[plan.storage[v]];
  return plan;
}

} // namespace netc::analysis
