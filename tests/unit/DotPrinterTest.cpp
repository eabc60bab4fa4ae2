// The DOT printer (--emit=dot): one node per layer, one edge per tensor use,
// a cluster per fused group, labels escaped, colours only when asked.
#include "TestUtil.h"

#include "ir/DotPrinter.h"
#include "passes/Pass.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace netc;

namespace {

std::string dot(const ir::Graph &g, const ir::DotStyle &style = {}) {
  std::string s;
  llvm::raw_string_ostream os(s);
  ir::printDot(os, g, style);
  return os.str();
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

/// Lines that declare a graph node ("  n3 [label=..."), not the edges.
size_t nodeLines(const std::string &text) {
  size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t i = line.find_first_not_of(' ');
    if (i != std::string::npos && line[i] == 'n' && line.find(" [label=") != std::string::npos &&
        line.find(" -> ") == std::string::npos)
      ++n;
  }
  return n;
}

size_t tensorUses(const ir::Graph &g) {
  size_t n = 0;
  for (const ir::Node &node : g.nodes)
    n += node.inputs.size();
  return n;
}

void optimize(ir::Graph &g) {
  passes::PassContext ctx{g, nullptr, "", {}};
  REQUIRE(passes::runPasses(ctx, {}, nullptr) == "");
}

const char *kResidual = R"(
network res() {
  x = input([1, 8, 16, 16])
  y = conv2d(x, 8, 3, padding=1, bias=false) |> batchnorm |> relu
  y = conv2d(y, 8, 3, padding=1, bias=false) |> batchnorm
  a, b = chunk(relu(x + y), 2)
  return conv2d(a, 4, 1) + conv2d(b, 4, 1)
}
)";

} // namespace

TEST_CASE("dot: escaping for quoted labels") {
  CHECK(ir::escapeDot("plain") == "plain");
  CHECK(ir::escapeDot("a\"b") == "a\\\"b");
  CHECK(ir::escapeDot("a\\b") == "a\\\\b");
  CHECK(ir::escapeDot("two\nlines") == "two\\nlines");
  CHECK(ir::escapeDot("tab\there") == "tab here");
  // Record-label characters are ordinary in a quoted label.
  CHECK(ir::escapeDot("<a>{b}|c") == "<a>{b}|c");
}

TEST_CASE("dot: one node per layer, one edge per tensor use, no clusters as written") {
  test::Elaborated e(kResidual);
  const ir::Graph &g = *e.graph;
  std::string text = dot(g);
  CHECK(text.rfind("// netc graph: res (as written)\ndigraph \"res\" {\n", 0) == 0);
  CHECK(nodeLines(text) == g.nodes.size());
  CHECK(count(text, " -> ") == tensorUses(g));
  CHECK(count(text, "subgraph cluster_") == 0);
  CHECK(count(text, "fillcolor") == 0);
  CHECK(count(text, "shape=ellipse") == 1); // the input
  // chunk's two outputs: both in its label, and each edge says which it carries.
  CHECK(text.find("#0 f32[1,4,16,16]\\n#1 f32[1,4,16,16]") != std::string::npos);
  CHECK(text.find("[label=\"#0 [1,4,16,16]\"]") != std::string::npos);
  CHECK(text.find("[label=\"#1 [1,4,16,16]\"]") != std::string::npos);
  CHECK(text.back() == '\n');
  CHECK(dot(g) == text); // deterministic
}

TEST_CASE("dot: a cluster per fused group in the optimized graph") {
  test::Elaborated e(kResidual);
  ir::Graph g = *e.graph;
  optimize(g);
  size_t fused = 0;
  for (const ir::Node &n : g.nodes)
    fused += !n.epilogue.empty() || !n.folds.empty();
  REQUIRE(fused >= 3);
  std::string text = dot(g, {"optimized", {}, ""});
  CHECK(text.rfind("// netc graph: res (optimized)\n", 0) == 0);
  CHECK(count(text, "subgraph cluster_") == fused);
  CHECK(nodeLines(text) == g.nodes.size());
  CHECK(count(text, " -> ") == tensorUses(g));
  CHECK(text.find("label=\"fused: conv2d + batchnorm (folded) + relu\"") != std::string::npos);
  CHECK(text.find("label=\"fused: conv2d + batchnorm (folded) + add + relu\"") !=
        std::string::npos);
  CHECK(text.find("conv2d+add+relu\\n") != std::string::npos);
  // The residual operand feeds the add epilogue.
  CHECK(text.find("[1,8,16,16] (add)") != std::string::npos);
}

TEST_CASE("dot: colours by bound, with a legend") {
  test::Elaborated e(kResidual);
  const ir::Graph &g = *e.graph;
  ir::DotStyle style;
  style.bounds.assign(g.nodes.size(), ir::DotBound::Compute);
  style.bounds[0] = ir::DotBound::None;
  style.bounds[1] = ir::DotBound::Memory;
  style.legend = "roofline bound on \"hw\"";
  std::string text = dot(g, style);
  CHECK(count(text, "fillcolor=\"#9ecae1\"") == 2); // a node and the legend
  CHECK(count(text, "fillcolor=\"#fdae6b\"") == g.nodes.size() - 2 + 1);
  CHECK(text.find("subgraph cluster_legend") != std::string::npos);
  CHECK(text.find("label=\"roofline bound on \\\"hw\\\"\"") != std::string::npos);
  CHECK(nodeLines(text) == g.nodes.size()); // legend nodes are not layers
}
