// The memory planner: arenas of hand-made graphs whose optimum is known,
// valid plans for every example network (as written and optimized), and a
// checker that does reject a bad plan.
#include "TestUtil.h"

#include "analysis/Liveness.h"
#include "analysis/MemoryPlanner.h"
#include "passes/Pass.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>

using namespace netc;
using namespace netc::analysis;

namespace {

struct Net : test::Elaborated {
  explicit Net(const std::string &body) : Elaborated("network n() {\n" + body + "\n}\n") {}
  /// The plan, required to exist and to pass verifyPlan.
  MemoryPlan plan() const {
    std::optional<MemoryPlan> p = planMemory(*graph);
    REQUIRE(p);
    CHECK(verifyPlan(*graph, *p) == "");
    CHECK(p->arenaElements >= p->lowerBound);
    CHECK(p->lowerBound == peakLiveElements(*graph).value());
    return *p;
  }
};

/// The examples/*.net files, sorted.
std::vector<std::string> examples() {
  llvm::SmallString<256> dir(NETC_TEST_DIR);
  llvm::sys::path::append(dir, "..", "examples");
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".net")
      files.push_back(it->path());
  REQUIRE(!ec);
  std::sort(files.begin(), files.end());
  return files;
}

/// A chain of `n` relus after an input of `elems` elements, built directly.
ir::Graph relus(uint32_t n, int64_t elems) {
  ir::Graph g;
  const ir::OpDef *input = ir::OpTable::get().lookup("input");
  const ir::OpDef *relu = ir::OpTable::get().lookup("relu");
  REQUIRE(input);
  REQUIRE(relu);
  ir::TensorType t{{1, elems}};
  ir::ValueId x = g.nodes.size();
  g.addNode(input, {}, {}, {t}, "input", {});
  for (uint32_t i = 0; i < n; ++i) {
    ir::NodeId id = g.addNode(relu, {}, {x}, {t}, "relu" + std::to_string(i), {});
    x = g.nodes[id].outputs[0];
  }
  g.outputs.push_back(x);
  return g;
}

/// An input of `n` elements chunked into `n` one-element tensors, all live
/// at the chunk. With `staircase`, a chain of adds then sums them one at a
/// time (chunk i lives until the i-th add, each sum until the next add);
/// without it, the chunks are the graph's outputs.
ir::Graph chunked(uint32_t n, bool staircase) {
  ir::Graph g;
  const ir::OpDef *input = ir::OpTable::get().lookup("input");
  const ir::OpDef *chunk = ir::OpTable::get().lookup("chunk");
  const ir::OpDef *add = ir::OpTable::get().lookup("add");
  REQUIRE(input);
  REQUIRE(chunk);
  REQUIRE(add);
  ir::TensorType one{{1, 1, 1, 1}};
  g.addNode(input, {}, {}, {ir::TensorType{{1, int64_t(n), 1, 1}}}, "input", {});
  ir::NodeId c = g.addNode(chunk, {}, {0}, std::vector<ir::TensorType>(n, one), "chunk", {});
  std::vector<ir::ValueId> parts(g.nodes[c].outputs.begin(), g.nodes[c].outputs.end());
  if (!staircase) {
    g.outputs = parts;
    return g;
  }
  ir::ValueId sum = parts[0];
  for (uint32_t i = 1; i < n; ++i) {
    ir::NodeId a = g.addNode(add, {}, {sum, parts[i]}, {one}, "add" + std::to_string(i), {});
    sum = g.nodes[a].outputs[0];
  }
  g.outputs.push_back(sum);
  return g;
}

/// The most entries the planner's four orders may read for `tensors`
/// tensors: each its budget, plus the one search that crosses it.
uint64_t readBound(uint64_t tensors) {
  return 4 * (GapSearchAllowance + GapSearchPerTensor * tensors + tensors);
}

/// The plan of `g`, whose search for gaps must reach its budget and stay
/// within readBound(tensors); the plan must be valid.
MemoryPlan budgetedPlan(const ir::Graph &g, uint64_t tensors) {
  std::optional<MemoryPlan> p = planMemory(g);
  REQUIRE(p);
  CHECK(verifyPlan(g, *p) == "");
  CHECK(p->arenaElements >= p->lowerBound);
  CHECK(p->gapSearchReads <= readBound(tensors));
  CHECK(p->gapSearchReads > GapSearchAllowance); // the budget was reached
  return *p;
}

} // namespace

TEST_CASE("memory plan: a chain reuses memory two tensors back") {
  // x 64, a 32, b 128, c 16: x + a, a + b = 160 (the peak), b + c live in turn.
  Net n("x = input([1, 4, 4, 4])\na = conv2d(x, 2, 1)\nb = conv2d(a, 8, 1)\n"
        "return conv2d(b, 1, 1)");
  MemoryPlan p = n.plan();
  CHECK(p.lowerBound == 160);
  CHECK(p.arenaElements == 160);
  // b and x may share memory: x is dead once a is written.
  CHECK(p.offset[0] < p.offset[2] + 128);
  CHECK(p.offset[2] < p.offset[0] + 64);
}

TEST_CASE("memory plan: a residual keeps its skip tensor live across the block") {
  // x 48, a 64, b 64, c = a + b 64: a, b and c are live at the add.
  Net n("x = input([1, 3, 4, 4])\na = conv2d(x, 4, 1)\nb = conv2d(a, 4, 1)\nreturn a + b");
  MemoryPlan p = n.plan();
  CHECK(p.lowerBound == 3 * 64);
  CHECK(p.arenaElements == 3 * 64);
}

TEST_CASE("memory plan: a concat reads both parts while writing the whole") {
  // x 8, a 4, b 12, c = a ++ b 16, d = relu(c) 16; the peak is a + b + c or c + d.
  Net n("x = input([1, 2, 2, 2])\na = conv2d(x, 1, 1)\nb = conv2d(x, 3, 1)\n"
        "return relu(a ++ b)");
  MemoryPlan p = n.plan();
  CHECK(p.lowerBound == 32);
  CHECK(p.arenaElements == 32);
}

TEST_CASE("memory plan: views alias their source") {
  Net n("x = input([1, 4, 4, 4])\nreturn conv2d(flatten(x) |> reshape([1, 4, 4, 4]), 2, 1)");
  MemoryPlan p = n.plan();
  CHECK(p.lowerBound == 64 + 32);
  CHECK(p.arenaElements == 64 + 32);
  const ir::Graph &g = *n.graph;
  REQUIRE(g.nodes[1].op->name == "flatten");
  REQUIRE(g.nodes[2].op->name == "reshape");
  for (ir::ValueId v : {g.nodes[1].outputs[0], g.nodes[2].outputs[0]}) {
    CHECK(p.storage[v] == 0);
    CHECK(p.offset[v] == p.offset[0]);
  }
  // The conv's output may not overlap the input it reads through the views.
  ir::ValueId out = g.nodes[3].outputs[0];
  CHECK((p.offset[out] >= p.offset[0] + 64 || p.offset[out] + 32 <= p.offset[0]));
}

TEST_CASE("memory plan: the outputs of a split live on their own") {
  // x 6 splits into a 2 and b 4; c = conv(a) 4; d = b + c 4. x, a, b are live
  // at the split and b, c, d at the add: 12 each, and 12 is reachable (b at
  // one end of the arena), though greedy by size alone needs 14.
  Net n("x = input([1, 6, 1, 1])\na, b = split(x, [2, 4])\nreturn b + conv2d(a, 4, 1)");
  MemoryPlan p = n.plan();
  CHECK(p.lowerBound == 12);
  CHECK(p.arenaElements == 12);
  const ir::Node &split = n.graph->nodes[1];
  REQUIRE(split.outputs.size() == 2);
  CHECK(p.storage[split.outputs[0]] == split.outputs[0]);
  CHECK(p.storage[split.outputs[1]] == split.outputs[1]);
}

TEST_CASE("memory plan: a graph output lives to the end") {
  // x 8, a 8 (an output), b 2, c 2: a stays live at b and c, so they may take
  // x's memory but never a's.
  Net n("x = input([1, 8, 1, 1])\na = conv2d(x, 8, 1)\nb = conv2d(a, 2, 1)\n"
        "return a, conv2d(b, 2, 1)");
  MemoryPlan p = n.plan();
  CHECK(p.lowerBound == 16);
  CHECK(p.arenaElements == 16);
  ir::ValueId a = 1, c = 3;
  CHECK((p.offset[c] >= p.offset[a] + 8 || p.offset[c] + 2 <= p.offset[a]));
}

TEST_CASE("memory plan: zero-element tensors take no memory") {
  ir::Graph g = relus(3, 0);
  std::optional<MemoryPlan> p = planMemory(g);
  REQUIRE(p);
  CHECK(verifyPlan(g, *p) == "");
  CHECK(p->arenaElements == 0);
  CHECK(p->lowerBound == 0);
  for (int64_t o : p->offset)
    CHECK(o == 0);
}

TEST_CASE("memory plan: verifyPlan rejects memory shared by live tensors") {
  Net n("x = input([1, 3, 4, 4])\na = conv2d(x, 4, 1)\nb = conv2d(a, 4, 1)\nreturn a + b");
  MemoryPlan p = n.plan();
  MemoryPlan bad = p;
  std::fill(bad.offset.begin(), bad.offset.end(), 0);
  std::string problems = verifyPlan(*n.graph, bad);
  CHECK(problems.find("share memory") != std::string::npos);
  bad = p;
  bad.arenaElements = p.lowerBound - 1;
  problems = verifyPlan(*n.graph, bad);
  CHECK(problems.find("below the lower bound") != std::string::npos);
  CHECK(problems.find("does not fit the arena") != std::string::npos);
  bad = p;
  bad.offset.pop_back();
  CHECK(verifyPlan(*n.graph, bad) != "");
}

TEST_CASE("memory plan: every example network, as written and optimized") {
  for (const std::string &file : examples()) {
    CAPTURE(file);
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    std::optional<Program> program = loadProgram(diag, file);
    REQUIRE(program);
    std::optional<ir::Graph> g = elaborate(*program, diag, {});
    REQUIRE(g);
    for (bool optimized : {false, true}) {
      CAPTURE(optimized);
      if (optimized) {
        passes::PassContext ctx{*g, nullptr, "", {}};
        REQUIRE(passes::runPasses(ctx, {}, nullptr) == "");
      }
      std::optional<MemoryPlan> p = planMemory(*g);
      REQUIRE(p);
      CHECK(verifyPlan(*g, *p) == "");
      // Every example reaches the lower bound, and its search for gaps stays
      // far below the budget (GapSearchAllowance), so the budget never
      // changes an ordinary network's plan. One exception, found when it was
      // added: ConvNeXt-Tiny as written (its blocks' NHWC detours: permute,
      // layernorm, linear 4C, gelu, linear, permute back, layer scale, add)
      // gets an arena one [1,96,56,56] tensor above the bound (11%) from
      // every greedy order; after the passes it
      // reaches it. A planner improvement should make it exact.
      const bool knownGap =
          !optimized && llvm::sys::path::filename(file) == "convnext_tiny.net";
      if (knownGap)
        CHECK(p->arenaElements * 100 <= p->lowerBound * 112);
      else
        CHECK(p->arenaElements == p->lowerBound);
      CHECK(p->gapSearchReads < GapSearchAllowance / 8);
      MESSAGE(llvm::sys::path::filename(file).str()
              << std::string(optimized ? " optimized" : " as written") << ": arena "
              << p->arenaElements << ", lower bound " << p->lowerBound);
    }
  }
}

TEST_CASE("memory plan: a chain of 100k nodes") {
  ir::Graph g = relus(100'000, 16);
  std::optional<MemoryPlan> p = planMemory(g);
  REQUIRE(p);
  CHECK(p->lowerBound == 32);
  CHECK(p->arenaElements == 32);
  CHECK(verifyPlan(g, *p) == "");
}

TEST_CASE("memory plan: 20,000 tensors live at once plan in linear work") {
  // Every search for a gap would read every tensor placed before: 4 orders x
  // 2e8 entries. The budget caps the search and stacks the rest, which here
  // is optimal: the input and the chunks are all live at the chunk.
  const uint32_t n = 20'000;
  MemoryPlan p = budgetedPlan(chunked(n, false), n + 1);
  CHECK(p.lowerBound == 2 * n);
  CHECK(p.arenaElements == 2 * n);
}

TEST_CASE("memory plan: stacking after the budget keeps the plan valid") {
  // 3,000 chunks that die one at a time while sums come and go: once the
  // budget is spent, each tensor goes above every placed tensor that is live
  // at the same time, never into memory they use.
  const uint32_t n = 3'000;
  MemoryPlan p = budgetedPlan(chunked(n, true), 2 * n);
  CHECK(p.lowerBound == 2 * n);
}
