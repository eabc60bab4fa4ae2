// Every pass: the structure of the graph after it, and numeric equivalence —
// random weights and input on small shapes, the graph evaluated before and
// after, outputs equal within 1e-5 relative — for every fusion pattern and
// for the zoo's blocks (inverted residual, bottleneck, SE, shuffle unit).
#include "TestUtil.h"

#include "cost/CostModel.h"
#include "eval/Evaluator.h"
#include "ir/GraphPrinter.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>

using namespace netc;

namespace {

using Case = netc::test::Elaborated;

/// The op names of the graph's nodes with their epilogues: "conv2d+relu".
std::string ops(const ir::Graph &g) {
  std::string s;
  for (const ir::Node &n : g.nodes) {
    s += s.empty() ? "" : " ";
    s += n.op->name;
    for (const ir::Epilogue &e : n.epilogue)
      s += "+" + e.op->name;
  }
  return s;
}

struct Result {
  ir::Graph after;
  std::vector<passes::Rewrite> rewrites;
  double error = 0;
};

/// Runs `passNames` (empty: all) on a copy of `g` with random weights kept in
/// step, checks the verifier, and measures the numeric difference.
Result runAndCompare(const ir::Graph &g, std::vector<std::string> passNames, uint64_t seed = 7) {
  Result r{g, {}, 0};
  ir::WeightStore weights = eval::randomWeights(g, seed);
  std::vector<ir::Buffer> inputs = eval::randomInputs(g, seed + 1);
  std::vector<ir::Buffer> before, after;
  REQUIRE(eval::evaluate(g, weights, inputs, before) == "");

  passes::PassContext ctx{r.after, &weights, "", {}};
  passes::PassOptions opts;
  opts.passes = std::move(passNames);
  opts.verifyEach = true;
  REQUIRE(passes::runPasses(ctx, opts, nullptr) == "");
  CHECK(ir::verifyGraph(r.after).empty());
  REQUIRE(eval::evaluate(r.after, weights, inputs, after) == "");
  r.error = eval::maxRelativeError(before, after);
  r.rewrites = ctx.rewrites;
  return r;
}

size_t applied(const Result &r) {
  size_t n = 0;
  for (const passes::Rewrite &w : r.rewrites)
    n += w.applied;
  return n;
}

constexpr double kTolerance = 1e-5;

} // namespace

TEST_CASE("passes: the pass list is declared once, in order") {
  std::vector<std::string> names;
  for (const passes::PassInfo &p : passes::allPasses())
    names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"remove-dead", "remove-identity", "collapse-reshape", "fold-pad",
                                          "fold-batchnorm", "fuse-attention", "fuse-residual",
                                          "fuse-activation"});
  CHECK(passes::findPass("fold-batchnorm"));
  CHECK_FALSE(passes::findPass("nope"));
  Case c("network n() { return relu(input([1, 2, 2, 2])) }");
  passes::PassContext ctx{*c.graph, nullptr, "", {}};
  passes::PassOptions o;
  o.passes = {"fold-everything"};
  CHECK(passes::runPasses(ctx, o, nullptr).rfind("unknown pass 'fold-everything'", 0) == 0);
}

TEST_CASE("remove-dead: an unread layer and the chain feeding only it disappear") {
  // b and its producer a are read by nobody; y is read by both the live relu
  // and the dead a. The unread second input stays: it is the interface.
  Case c("network n() { x = input([1, 4, 3, 3])\n u = input([1, 4, 3, 3])\n"
         "y = conv2d(x, 4, 1)\n a = conv2d(y, 4, 1)\n b = sigmoid(a)\n return relu(y) }");
  Result r = runAndCompare(*c.graph, {"remove-dead"});
  CHECK(ops(r.after) == "input input conv2d relu");
  REQUIRE(applied(r) == 2);
  CHECK(r.rewrites[0].node == "sigmoid");
  CHECK(r.rewrites[0].message == "removed: its output is never used");
  CHECK(r.rewrites[1].node == "conv2d_1");
  CHECK(r.error < kTolerance);
}

TEST_CASE("remove-dead: a dead reader no longer blocks a fusion") {
  Case c("network n() { x = input([1, 4, 3, 3])\n y = conv2d(x, 4, 1)\n"
         "unused = sigmoid(y)\n return relu(y) }");
  Result r = runAndCompare(*c.graph, {});
  CHECK(ops(r.after) == "input conv2d+relu");
  CHECK(r.error < kTolerance);
}

TEST_CASE("graph editor: a value read twice by one node is replaced in both places") {
  // concat reads relu's output twice and the conv's once: fusing relu into
  // the conv must redirect every one of those reads (the editor keeps each
  // read, node and input slot, so as not to rescan the readers' inputs).
  Case c("network n() { x = input([1, 2, 3, 3])\n y = relu(conv2d(x, 2, 1))\n"
         "return concat([y, x, y, conv2d(y, 2, 1)]) |> relu }");
  Result r = runAndCompare(*c.graph, {});
  CHECK(ops(r.after) == "input conv2d+relu conv2d concat relu");
  const ir::Node &cat = r.after.nodes[3];
  REQUIRE(cat.inputs.size() == 4);
  CHECK(cat.inputs[0] == r.after.nodes[1].outputs[0]);
  CHECK(cat.inputs[2] == r.after.nodes[1].outputs[0]);
  CHECK(r.error < kTolerance);
}

TEST_CASE("remove-identity: dropout and identity disappear") {
  Case c("network n() { x = input([1, 4, 3, 3]) |> conv2d(4, 1) |> dropout(p=0.5)\n"
         "return identity(x) |> relu }");
  Result r = runAndCompare(*c.graph, {"remove-identity"});
  CHECK(ops(r.after) == "input conv2d relu");
  CHECK(applied(r) == 2);
  CHECK(r.error < kTolerance);
}

TEST_CASE("collapse-reshape: a chain of views becomes one reshape") {
  Case c("network n() { x = input([2, 4, 3, 3]) |> flatten |> reshape([2, 6, 6])\n"
         "return linear(x, 5) }");
  Result r = runAndCompare(*c.graph, {"collapse-reshape"});
  CHECK(ops(r.after) == "input reshape linear");
  CHECK(r.after.nodes[1].attrs.getInts("shape") == ir::Ints{2, 6, 6});
  CHECK(r.error < kTolerance);
}

TEST_CASE("fold-pad: a zero pad becomes the conv's padding") {
  Case c("network n() { x = input([1, 3, 6, 6]) |> pad([1, 2, 0, 1]) |> conv2d(4, 3)\n"
         "return x }");
  Result r = runAndCompare(*c.graph, {"fold-pad"});
  CHECK(ops(r.after) == "input conv2d");
  CHECK(r.after.nodes[1].attrs.getInts("padding") == ir::Ints{0, 1, 1, 2});
  CHECK(r.error < kTolerance);
  // A reflect pad does not fold, and the report says why.
  Case reflect("network n() { return input([1, 3, 6, 6]) |> pad([1, 1, 1, 1], mode=\"reflect\") "
               "|> conv2d(4, 3) }");
  Result left = runAndCompare(*reflect.graph, {"fold-pad"});
  CHECK(ops(left.after) == "input pad conv2d");
  REQUIRE(left.rewrites.size() == 1);
  CHECK_FALSE(left.rewrites[0].applied);
}

TEST_CASE("fold-batchnorm: into conv2d, conv_transpose2d and linear, exactly") {
  Case conv("network n() { return input([2, 4, 5, 5]) |> conv2d(6, 3, padding=1, bias=false) "
            "|> batchnorm }");
  Result r = runAndCompare(*conv.graph, {"fold-batchnorm"});
  CHECK(ops(r.after) == "input conv2d");
  CHECK(r.after.nodes[1].attrs.getBool("bias")); // it gains a bias
  CHECK(r.error < kTolerance);

  Case grouped("network n() { return input([1, 8, 5, 5]) |> conv2d(8, 3, groups=4) |> "
               "batchnorm(eps=0.001) }");
  CHECK(runAndCompare(*grouped.graph, {"fold-batchnorm"}).error < kTolerance);
  Case transposed("network n() { return input([1, 4, 3, 3]) |> conv_transpose2d(6, 3, stride=2, "
                  "groups=2) |> batchnorm }");
  CHECK(runAndCompare(*transposed.graph, {"fold-batchnorm"}).error < kTolerance);
  Case fc("network n() { return input([3, 10]) |> linear(7) |> batchnorm(affine=false) }");
  Result l = runAndCompare(*fc.graph, {"fold-batchnorm"});
  CHECK(ops(l.after) == "input linear");
  CHECK(l.error < kTolerance);
}

TEST_CASE("fold-batchnorm: what cannot fold is left, with the reason") {
  // BN first, BN with a shared input, BN after an add.
  Case c("network n() {\n  x = input([1, 4, 5, 5]) |> batchnorm\n"
         "  y = conv2d(x, 4, 1)\n  a = batchnorm(y)\n  b = relu(y)\n"
         "  return batchnorm(a + b)\n}\n");
  Result r = runAndCompare(*c.graph, {"fold-batchnorm"});
  CHECK(applied(r) == 0);
  REQUIRE(r.rewrites.size() == 3);
  CHECK(r.rewrites[0].message.find("not a conv or linear") != std::string::npos);
  CHECK(r.rewrites[1].message.find("other readers") != std::string::npos);
  CHECK(r.rewrites[2].message.find("from add") != std::string::npos);
  CHECK(r.error < kTolerance);
}

TEST_CASE("fuse-activation: every activation into conv, linear and add") {
  for (const char *act : {"relu", "relu6", "leaky_relu", "hardswish", "silu", "sigmoid", "gelu",
                          "tanh", "hardsigmoid"}) {
    CAPTURE(act);
    Case c(std::string("network n() { x = input([1, 3, 4, 4])\n"
                       "y = conv2d(x, 3, 3, padding=1) |> ") + act + "\n" +
           "z = linear(flatten(y), 5) |> " + act + "\nreturn z, " + act + "(y + x) }");
    Result r = runAndCompare(*c.graph, {"fuse-activation"});
    CHECK(ops(r.after) == std::string("input conv2d+") + act + " flatten linear+" + act +
                              " add+" + act);
    CHECK(r.error < kTolerance);
  }
}

TEST_CASE("fuse-activation: a shared output is not fused") {
  Case c("network n() { y = input([1, 3, 4, 4]) |> conv2d(3, 1)\nreturn relu(y), y }");
  Result r = runAndCompare(*c.graph, {"fuse-activation"});
  CHECK(ops(r.after) == "input conv2d relu");
  CHECK(r.error < kTolerance);
}

TEST_CASE("fuse-residual: conv + add (+ relu) as one group") {
  Case c("network n() { x = input([1, 4, 5, 5])\n"
         "y = conv2d(x, 4, 3, padding=1) |> batchnorm\nreturn relu(x + y) }");
  Result r = runAndCompare(*c.graph, {"fold-batchnorm", "fuse-residual", "fuse-activation"});
  CHECK(ops(r.after) == "input conv2d+add+relu");
  const ir::Node &conv = r.after.nodes[1];
  REQUIRE(conv.epilogue.size() == 2);
  CHECK(conv.epilogue[0].extraInput == 1);
  CHECK(conv.epilogue[0].extraFirst); // x + y: the residual is the first operand
  CHECK(r.error < kTolerance);
  // sub keeps its operand order
  Case s("network n() { x = input([1, 4, 5, 5])\nreturn x - conv2d(x, 4, 1) }");
  Result rs = runAndCompare(*s.graph, {"fuse-residual"});
  CHECK(ops(rs.after) == "input conv2d+sub");
  CHECK(rs.error < kTolerance);
}

TEST_CASE("fuse-attention: the score matrix leaves memory traffic, the outputs stay") {
  // B 1, heads 4 (kv_heads 2), Sq 3 new tokens after past 5 cached: Lk 8.
  Case c("network n() { q = input([1, 3, 16])\nkv = input([1, 3, 8])\n"
         "return attention(q, kv, kv, 4, kv_heads=2, causal=true, past=5) }");
  auto traffic = [](const ir::Graph &g) {
    cost::NodeCost nc;
    REQUIRE(cost::costNode(g, g.nodes.back(), cost::CostOptions{}, nc) == "");
    return nc.extraElems;
  };
  const int64_t kvRead = 2 * 5 * 2 * 4, scores = 4 * 3 * 8; // 2 x past x kv_heads x D; heads Sq Lk
  CHECK(traffic(*c.graph) == kvRead + 4 * scores);
  Result r = runAndCompare(*c.graph, {"fuse-attention"});
  CHECK(applied(r) == 1);
  CHECK(r.after.nodes.back().attrs.getBool("fused"));
  CHECK(traffic(r.after) == kvRead); // only the KV cache is still read
  CHECK(r.error < kTolerance);
  // Already fused: left as it is, no rewrite.
  Result again = runAndCompare(r.after, {"fuse-attention"});
  CHECK(applied(again) == 0);
}

TEST_CASE("fused groups move only their external inputs, weights and final output") {
  Case c("network n() { x = input([1, 8, 8, 8])\n"
         "return relu(x + (conv2d(x, 8, 3, padding=1, bias=false) |> batchnorm)) }");
  Result r = runAndCompare(*c.graph, {});
  REQUIRE(r.after.nodes.size() == 2);
  // One node: reads x twice (conv input, residual), writes one output.
  CHECK(r.after.nodes[1].inputs.size() == 2);
  CHECK(r.error < kTolerance);
}

TEST_CASE("passes on the zoo's blocks: exact within 1e-5") {
  const char *blocks[] = {
      // inverted residual (MobileNetV2)
      "import \"std/mobilenet.net\"\nnetwork n() { x = input([1, 8, 8, 8])\n"
      "return inverted_residual(inverted_residual(x, 8, 1, 6), 16, 2, 6) }",
      // bottleneck (ResNet-50)
      "import \"std/resnet.net\"\nnetwork n() { x = input([1, 16, 8, 8])\n"
      "return bottleneck(x, 8, 2) }",
      // squeeze-excitation
      "import \"std/blocks.net\"\nnetwork n() { x = input([1, 16, 6, 6]) |> conv2d(16, 1)\n"
      "return squeeze_excitation(x, 4) }",
      // ShuffleNetV2 unit
      "import \"std/shufflenet.net\"\nnetwork n() { x = input([1, 16, 6, 6])\n"
      "return shufflenet_v2_unit(x, 16, 1) }",
  };
  for (const char *src : blocks) {
    CAPTURE(src);
    Case c(src);
    Result r = runAndCompare(*c.graph, {});
    CHECK(applied(r) > 0);
    CHECK(r.after.nodes.size() < c.graph->nodes.size());
    CHECK(r.error < kTolerance);
  }
}

// About a minute: in the doctest suite `slow` (so the ctest label slow, which
// scripts/test.sh --fast skips).
TEST_CASE("passes on every example at 64x64 (the language models small): verified after each "
          "pass and exact within 1e-5" *
          doctest::test_suite("slow")) {
  std::vector<std::string> files;
  std::error_code ec;
  llvm::SmallString<256> dir(NETC_TEST_DIR);
  llvm::sys::path::append(dir, "..", "examples");
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::StringRef(it->path()).endswith(".net") &&
        !llvm::StringRef(it->path()).endswith("mobilenet_features.net"))
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 16);
  for (const std::string &file : files) {
    CAPTURE(file);
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    std::optional<Program> program = loadProgram(diag, file);
    REQUIRE(program);
    ElabOptions opts;
    // The language models at a small configuration (test::smallLanguageModel).
    opts.overrides = test::smallLanguageModel(file).value_or(
        std::vector<std::pair<std::string, std::string>>{{"res", "64"}});
    std::optional<ir::Graph> graph = elaborate(*program, diag, opts);
    REQUIRE(graph);
    Result r = runAndCompare(*graph, {});
    CHECK(applied(r) > 0);
    CHECK(r.error < kTolerance);
  }
}

TEST_CASE("pass manager: with a measure, each rewrite carries its own delta") {
  Case c("network n() { x = input([1, 4, 5, 5])\n"
         "y = conv2d(x, 4, 3, padding=1) |> batchnorm |> relu\n"
         "return conv2d(y, 4, 1) |> batchnorm |> relu6 |> dropout }");
  ir::Graph g = *c.graph;
  passes::PassContext ctx{g, nullptr, "", {}};
  passes::PassOptions o;
  o.measure = [](const ir::Graph &graph) {
    passes::Snapshot s;
    s.nodes = static_cast<int64_t>(graph.nodes.size());
    return s;
  };
  std::vector<passes::PassStep> steps;
  REQUIRE(passes::runPasses(ctx, o, &steps) == "");
  CHECK(ops(g) == "input conv2d+relu conv2d+relu6");
  size_t appliedCount = 0;
  for (const passes::Rewrite &w : ctx.rewrites) {
    CAPTURE(w.node);
    if (!w.applied)
      continue;
    ++appliedCount;
    CHECK(w.measured);
    CHECK(w.after.nodes == w.before.nodes - 1); // each rewrite removes one node
  }
  CHECK(appliedCount == 5); // dropout, 2 batchnorms, relu, relu6
  REQUIRE(steps.size() == passes::allPasses().size());
  CHECK(steps[4].pass == "fold-batchnorm");
  CHECK(steps[4].after.nodes == steps[4].before.nodes - 2);
}
