// Unit tests of elaboration: evaluation, naming, overrides, builtins, errors.
#include "TestUtil.h"

#include "ir/GraphPrinter.h"
#include "ir/Verifier.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>

using namespace netc;

namespace {

struct Elab : test::Elaborated {
  explicit Elab(const std::string &text, ElabOptions opts = {})
      : Elaborated(text, std::move(opts), /*mustSucceed=*/false) {}
  /// The names of all nodes, space-separated.
  std::string names() const {
    std::string s;
    for (const ir::Node &n : graph->nodes)
      s += (s.empty() ? "" : " ") + n.name;
    return s;
  }
  std::string outShape(size_t i = 0) const {
    return ir::formatType(graph->type(graph->outputs.at(i)));
  }
};

/// A network that returns the int `expr` as the channel count of a conv, so
/// integer results can be read off the graph.
int64_t evalInt(const std::string &expr) {
  Elab e("network n() { return conv2d(input([1, 1, 4, 4]), " + expr + ", 1) }");
  REQUIRE_MESSAGE(e.graph, e.errors());
  return e.graph->type(e.graph->outputs[0]).shape[1];
}

std::string errorOf(const std::string &text, ElabOptions opts = {}) {
  Elab e(text, opts);
  CHECK_FALSE(e.graph);
  return e.errors();
}

/// The value of `expr` as print() writes it (and str() makes it).
std::string shown(const std::string &expr) {
  Elab e("network n() {\n  print(" + expr + ")\n  return input([1])\n}\n");
  REQUIRE_MESSAGE(e.graph, e.errors());
  const std::string prefix = "t.net:2:3: note: print: ";
  const std::string notes = e.errors();
  REQUIRE_MESSAGE(notes.compare(0, prefix.size(), prefix) == 0, notes);
  REQUIRE(notes.back() == '\n');
  return notes.substr(prefix.size(), notes.size() - prefix.size() - 1);
}

/// The first line of the error of a network that evaluates `expr`.
std::string errorLine(const std::string &expr) {
  std::string e = errorOf("network n() {\n  y = " + expr + "\n}\n");
  return e.substr(0, e.find('\n'));
}

} // namespace

TEST_CASE("elaborate: blocks expand, loops unroll, names follow the nesting") {
  Elab e("block cb(x, out: int, stride: int = 1) {\n"
         "  return conv2d(x, out, k=3, stride=stride, padding=1, bias=false)\n"
         "}\n"
         "block stage(x, c: int, n: int) {\n"
         "  for i in range(n) { x = cb(x, c, stride=i == 0 ? 2 : 1) }\n"
         "  return x\n"
         "}\n"
         "network n(res: int = 32) {\n"
         "  x = input([1, 3, res, res])\n"
         "  for (c, k) in [(8, 2), (16, 1)] { x = stage(x, c, k) }\n"
         "  return x\n"
         "}\n");
  REQUIRE_MESSAGE(e.graph, e.errors());
  CHECK(e.names() == "x stage.cb.conv2d stage.cb_1.conv2d stage_1.cb.conv2d");
  CHECK(e.outShape() == "f32[1,16,8,8]");
  CHECK(ir::verifyGraph(*e.graph).empty());
  // Stable across runs.
  Elab again("block cb(x) { return conv2d(x, 4, 1) }\nnetwork n() { return cb(cb(input([1,4,2,2]))) }");
  REQUIRE(again.graph);
  CHECK(again.names() == "input cb.conv2d cb_1.conv2d");
}

TEST_CASE("elaborate: -D overrides are type-checked like arguments") {
  const char *src = "network n(width: float = 1.0, res: int = 224) {\n"
                    "  return conv2d(input([1, 3, res, res]), make_divisible(32 * width, 8), 1)\n"
                    "}\n";
  ElabOptions o;
  o.overrides = {{"width", "0.75"}, {"res", "160"}};
  Elab e(src, o);
  REQUIRE_MESSAGE(e.graph, e.errors());
  CHECK(e.outShape() == "f32[1,24,160,160]");
  CHECK(e.graph->params[0].second == "0.75");
  ElabOptions asInt; // an int is accepted for a float parameter
  asInt.overrides = {{"width", "2"}};
  CHECK(Elab(src, asInt).outShape() == "f32[1,64,224,224]");
  ElabOptions bad;
  bad.overrides = {{"res", "1.5"}};
  CHECK(errorOf(src, bad) == "netc: error: -D res: expected int, got 1.5\n");
  ElabOptions unknown;
  unknown.overrides = {{"depth", "2"}};
  CHECK(errorOf(src, unknown) == "netc: error: -D depth: network 'n' has no parameter 'depth'\n");
}

TEST_CASE("elaborate: --network picks a network, else the last one") {
  const char *src = "network a() { return input([1, 1]) }\nnetwork b() { return input([2, 2]) }\n";
  CHECK(Elab(src).graph->name == "b");
  ElabOptions o;
  o.network = "a";
  CHECK(Elab(src, o).outShape() == "f32[1,1]");
  o.network = "c";
  CHECK(errorOf(src, o) == "netc: error: no network named 'c' (networks: a, b)\n");
}

TEST_CASE("elaborate: several outputs and destructuring") {
  Elab e("network n() {\n  x = input([1, 2, 4, 4])\n  a, (b, c) = (x, (x, 3))\n"
         "  return a, conv2d(b, c, 1)\n}\n");
  REQUIRE_MESSAGE(e.graph, e.errors());
  REQUIRE(e.graph->outputs.size() == 2);
  CHECK(e.outShape(1) == "f32[1,3,4,4]");
}

TEST_CASE("builtins: arithmetic and helpers as Python computes them") {
  CHECK(evalInt("7 // 2") == 3);
  CHECK(evalInt("-7 // 2 + 10") == 6); // floor division: -4
  CHECK(evalInt("-7 % 3 + 10") == 12); // Python's modulo: 2
  CHECK(evalInt("2 ** 10") == 1024);
  CHECK(evalInt("round(2.5) + round(3.5)") == 6); // half to even: 2 + 4
  CHECK(evalInt("floor(2.7) + ceil(2.1) + int(-2.7)") == 3);
  CHECK(evalInt("min(5, 3, 9) + max([1, 7])") == 10);
  CHECK(evalInt("len(range(2, 11, 3)) + len([1, 2] + [3])") == 6);
  CHECK(evalInt("range(10)[-1] + [1, 2, 3, 4][1:3][1]") == 12);
  CHECK(evalInt("true && 1 < 2 ? 5 : 6") == 5);
  // torchvision's _make_divisible
  CHECK(evalInt("make_divisible(32 * 1.4, 8)") == 48);
  CHECK(evalInt("make_divisible(24 * 0.75, 8)") == 24); // 16 would lose more than 10%
  CHECK(evalInt("make_divisible(16 * 0.75, 8)") == 16);
  CHECK(evalInt("make_divisible(3, 8)") == 8);
  CHECK(evalInt("make_divisible(100, divisor=16, min_value=4)") == 96);
  CHECK(evalInt("len(enumerate([5, 6])) + zip([1, 2], [3, 4, 5])[1][1]") == 6);
}

TEST_CASE("builtins: log, log2, exp and sqrt of ints and floats are floats, as Python's math") {
  CHECK(shown("log(1)") == "0.0");
  CHECK(shown("log(10)") == "2.302585092994046");
  CHECK(shown("log(2.5)") == "0.9162907318741551");
  CHECK(shown("log2(8)") == "3.0");
  CHECK(shown("log2(0.5)") == "-1.0");
  CHECK(shown("exp(0)") == "1.0");
  CHECK(shown("exp(1)") == "2.718281828459045");
  CHECK(shown("exp(-1000)") == "0.0"); // underflows to zero: not an error
  CHECK(shown("sqrt(16)") == "4.0");
  CHECK(shown("sqrt(0)") == "0.0");
  CHECK(shown("sqrt(2)") == "1.4142135623730951");
  CHECK(shown("sqrt(x=2.25)") == "1.5");
  CHECK(shown("1 / sqrt(64)") == "0.125"); // attention's scale for a head of 64
  CHECK(evalInt("int(sqrt(64)) + int(log2(1024)) + round(log(exp(3)))") == 21);
  // RegNet's width rule (RegNetY-400MF: w0 = 48, wa = 27.89, wm = 2.09, 16
  // blocks), as torchvision's BlockParams.from_init_params computes it.
  Elab regnet("network n(w0: int = 48, wa: float = 27.89, wm: float = 2.09, depth: int = 16) {\n"
              "  widths = []\n"
              "  for j in range(depth) {\n"
              "    s = round(log((w0 + wa * j) / w0) / log(wm))\n"
              "    widths = widths + [round(w0 * wm ** s / 8) * 8]\n"
              "  }\n"
              "  print(widths)\n"
              "  return input([1])\n"
              "}\n");
  REQUIRE_MESSAGE(regnet.graph, regnet.errors());
  CHECK(regnet.errors() == "t.net:7:3: note: print: [48, 104, 104, 104, 208, 208, 208, 208, 208, "
                           "208, 440, 440, 440, 440, 440, 440]\n");
}

TEST_CASE("builtins: sum and mean of lists and tuples of numbers") {
  CHECK(shown("sum([1, 2, 3])") == "6"); // ints: an int
  CHECK(shown("sum([])") == "0");
  CHECK(shown("sum((1, 2.5))") == "3.5"); // any float: a float
  CHECK(shown("sum([-9223372036854775807, 9223372036854775807, 5])") == "5");
  CHECK(shown("sum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])") == "1.0"); // compensated
  CHECK(shown("sum([1e100, 1.0, -1e100])") == "1.0");
  CHECK(shown("sum(xs=[4])") == "4");
  CHECK(shown("[1, 2] |> sum") == "3");
  CHECK(shown("mean([1, 2, 3, 4])") == "2.5");
  CHECK(shown("mean([2])") == "2.0"); // always a float
  CHECK(shown("mean((0.5, 1.5, 4))") == "2.0");
  CHECK(shown("mean([9223372036854775807, 9223372036854775807])") == "9.223372036854776e+18");
  CHECK(evalInt("sum(range(5)) + int(mean([3, 5]))") == 14);
}

TEST_CASE("builtins: errors of log, log2, exp, sqrt, sum and mean point at the argument") {
  CHECK(errorOf("network n() {\n  y = log(0)\n}\n") ==
        "t.net:2:11: error: log: needs a number > 0, got 0\n"
        "  y = log(0)\n"
        "          ^\n");
  CHECK(errorLine("log(-0.5)") == "t.net:2:11: error: log: needs a number > 0, got -0.5");
  CHECK(errorLine("log2(0.0)") == "t.net:2:12: error: log2: needs a number > 0, got 0.0");
  CHECK(errorLine("log2(-8)") == "t.net:2:12: error: log2: needs a number > 0, got -8");
  CHECK(errorLine("sqrt(-1)") == "t.net:2:12: error: sqrt: needs a number >= 0, got -1");
  CHECK(errorLine("sqrt(x=-2.5)") == "t.net:2:12: error: sqrt: needs a number >= 0, got -2.5");
  CHECK(errorLine("exp(710)") == "t.net:2:11: error: exp: exp(710) overflows a float");
  CHECK(errorLine("exp(1e300)") == "t.net:2:11: error: exp: exp(1e+300) overflows a float");
  CHECK(errorLine("log(\"e\")") == "t.net:2:11: error: log: expects a number, got a string");
  CHECK(errorLine("log2(true)") == "t.net:2:12: error: log2: expects a number, got a bool");
  CHECK(errorLine("exp([1])") == "t.net:2:11: error: exp: expects a number, got a list");
  CHECK(errorLine("sqrt(none)") == "t.net:2:12: error: sqrt: expects a number, got none");
  CHECK(errorLine("sum(3)") ==
        "t.net:2:11: error: sum: expects a list or tuple of numbers, got an int");
  CHECK(errorLine("mean(\"ab\")") ==
        "t.net:2:12: error: mean: expects a list or tuple of numbers, got a string");
  CHECK(errorLine("sum([1, 2, \"3\"])") ==
        "t.net:2:11: error: sum: element 2 is a string, not a number");
  CHECK(errorLine("mean((1.5, [2]))") ==
        "t.net:2:12: error: mean: element 1 is a list, not a number");
  CHECK(errorLine("sum([9223372036854775807, 0, 1])") ==
        "t.net:2:11: error: sum: integer overflow at element 2 (9223372036854775807 + 1)");
  CHECK(errorLine("mean([])") == "t.net:2:12: error: mean: needs at least one value");
  CHECK(errorLine("mean(())") == "t.net:2:12: error: mean: needs at least one value");
  // Binding errors are the usual ones.
  CHECK(errorLine("sqrt()") == "t.net:2:7: error: sqrt needs at least 1 argument");
  CHECK(errorLine("log(1, 2)") == "t.net:2:14: error: log takes at most 1 arguments, got 2");
  CHECK(errorLine("sum(values=[1])") == "t.net:2:11: error: sum has no parameter 'values'");
}

TEST_CASE("builtins: print writes a note at the call each time it runs, and returns none") {
  Elab e("block b(x) {\n  print(\"in b:\", shape(x))\n  return x\n}\n"
         "network n() {\n"
         "  for i in range(2) { print(i, i / 4, [1, \"a\"], (1,), none, true, \"s\") }\n"
         "  y = print()\n"
         "  assert(y == none, \"print returns none\")\n"
         "  print(relu, \"\", \"\")\n"
         "  return b(b(input([1, 3, 4, 4])))\n"
         "}\n");
  REQUIRE_MESSAGE(e.graph, e.errors());
  CHECK(e.errors() == "t.net:6:23: note: print: 0 0.0 [1, \"a\"] (1,) none true s\n"
                      "t.net:6:23: note: print: 1 0.25 [1, \"a\"] (1,) none true s\n"
                      "t.net:7:7: note: print:\n"
                      "t.net:9:3: note: print: relu  \n"
                      "t.net:2:3: note: print: in b: [1, 3, 4, 4]\n"
                      "t.net:2:3: note: print: in b: [1, 3, 4, 4]\n");
  CHECK_FALSE(e.diag.hasErrors());
  // The notes so far come before the error that stops elaboration.
  CHECK(errorOf("network n() {\n  print(1)\n  print(2 // 0)\n}\n") ==
        "t.net:2:3: note: print: 1\n"
        "t.net:3:11: error: division by zero\n"
        "  print(2 // 0)\n"
        "          ^\n");
  CHECK(errorLine("print(x=1)") == "t.net:2:13: error: print takes no keyword arguments");
}

TEST_CASE("builtins: channels and shape read the graph") {
  Elab e("network n() {\n  x = input([2, 5, 7, 9])\n"
         "  return conv2d(x, channels(x) + shape(x)[3], 1)\n}\n");
  REQUIRE(e.graph);
  CHECK(e.outShape() == "f32[2,14,7,9]");
}

TEST_CASE("elaborate: errors are located, with the chain of block calls") {
  std::string e = errorOf("block inner(x) { return conv2d(x, 8, 3, groups=4) }\n"
                          "block outer(x) { return inner(x) }\n"
                          "network n() { return outer(input([1, 30, 8, 8])) }\n");
  CHECK(e == "t.net:1:25: error: conv2d: input channels 30 are not divisible by groups 4\n"
             "block inner(x) { return conv2d(x, 8, 3, groups=4) }\n"
             "                        ^\n"
             "t.net:2:25: note: in block 'inner' called here\n"
             "block outer(x) { return inner(x) }\n"
             "                        ^\n"
             "t.net:3:22: note: in block 'outer' called here\n"
             "network n() { return outer(input([1, 30, 8, 8])) }\n"
             "                     ^\n");
}

TEST_CASE("elaborate: error messages for common mistakes") {
  auto first = [](const std::string &s) { return s.substr(0, s.find('\n')); };
  CHECK(first(errorOf("network n() { return conv2 }")) ==
        "t.net:1:22: error: unknown name 'conv2'; did you mean 'conv2d'?");
  CHECK(first(errorOf("network n() { return conv2d(input([1,3,8,8]), 8, 3, strid=2) }")) ==
        "t.net:1:53: error: conv2d has no parameter 'strid'; did you mean 'stride'?");
  // Keyword arguments of blocks get the same suggestion; a far-off name none.
  CHECK(first(errorOf("block b(x, width: int = 2) { return x }\n"
                      "network n() { return b(input([1]), widht=3) }")) ==
        "t.net:2:36: error: b has no parameter 'widht'; did you mean 'width'?");
  CHECK(first(errorOf("block b(x, width: int = 2) { return x }\n"
                      "network n() { return b(input([1]), depth=3) }")) ==
        "t.net:2:36: error: b has no parameter 'depth'");
  CHECK(first(errorOf("network n() { return conv2d(input([1,3,8,8]), 8) }")) ==
        "t.net:1:22: error: conv2d needs the argument 'k'");
  CHECK(first(errorOf("network n() { return conv2d(input([1,3,8,8]), 8.5, 3) }")) ==
        "t.net:1:47: error: argument 'out' of conv2d: expected an int, got 8.5");
  CHECK(first(errorOf("network n() { x = 2 ** 70 }")) ==
        "t.net:1:21: error: integer overflow in '**' (2 ** 70)");
  CHECK(first(errorOf("network n() { x = 1 // 0 }")) == "t.net:1:21: error: division by zero");
  CHECK(first(errorOf("network n() { a, b = [1, 2, 3] }")) ==
        "t.net:1:15: error: cannot unpack 3 values into 2 names");
  CHECK(first(errorOf("block b(x) { x = 1 }\nnetwork n() { return b(1) }")) ==
        "t.net:1:7: error: block 'b' ends without 'return'");
  CHECK(first(errorOf("block b(x) { return b(x) }\nnetwork n() { return b(1) }")) ==
        "t.net:1:21: error: block calls nested more than 200 deep; does 'b' call itself without "
        "end?");
  CHECK(first(errorOf("block relu(x) { return x }\nnetwork n() { return 1 }")) ==
        "t.net:1:7: error: block 'relu' has the name of a built-in op or function; choose another "
        "name");
  CHECK(first(errorOf("network n() { assert(1 > 2, \"too small\") }")) ==
        "t.net:1:15: error: assertion failed: too small");
}

TEST_CASE("elaborate: limits on nodes and steps") {
  ElabOptions o;
  o.maxNodes = 10;
  CHECK(errorOf("network n() {\n  x = input([1, 1, 1, 1])\n"
                "  for i in range(100) { x = conv2d(x, 1, 1) }\n  return x\n}\n",
                o)
            .find("error: the network has more than 10 nodes") != std::string::npos);
  // Edges: 1 + 2 + ... + 10 concat inputs and 10 relu inputs, 65 in all; the
  // 9th concat passes 50 (44 before it, 9 of its own).
  ElabOptions e;
  e.maxEdges = 50;
  const char *dense = "network n() {\n  f = [input([1, 1, 1, 1])]\n"
                      "  for i in range(10) { f = f + [relu(concat(f))] }\n  return f[0]\n}\n";
  const std::string tooMany = errorOf(dense, e);
  CHECK(tooMany.substr(0, tooMany.find('\n')) ==
        "t.net:3:38: error: the network's nodes have more than 50 inputs together (raise the "
        "limit with --max-edges)");
  e.maxEdges = 55 + 10; // exactly enough
  Elab fits(dense, e);
  CHECK_MESSAGE(fits.graph, fits.errors());
  ElabOptions s;
  s.maxSteps = 1000;
  CHECK(errorOf("network n() { for i in range(5000) { y = i } }", s)
            .find("error: elaboration takes more than 1000 steps") != std::string::npos);
}

TEST_CASE("verifier: a consistent graph passes, a wrong type is caught") {
  Elab e("network n() { return conv2d(input([1, 3, 8, 8]), 4, 3) }");
  REQUIRE(e.graph);
  CHECK(ir::verifyGraph(*e.graph).empty());
  ir::Graph g = *e.graph;
  g.values[g.outputs[0]].type.shape[1] = 5;
  std::vector<std::string> problems = ir::verifyGraph(g);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "node 'conv2d': output 0 is f32[1,5,6,6], its op infers f32[1,4,6,6]");
  ir::Graph h = *e.graph;
  h.nodes[1].inputs[0] = 1; // reads its own output
  CHECK(ir::verifyGraph(h).at(0) == "node 'conv2d': reads value 1 that is not produced before it");
}

TEST_CASE("elaborate: inputs and params are named after their variables") {
  Elab e("block b(x) { scale = param([4, 1, 1])\n return x * scale }\n"
         "network n() {\n"
         "  img = input([1, 4, 2, 2])\n"
         "  y = input([1, 4, 2, 2]) |> relu\n"  // the input is not y's: it keeps its name
         "  img = input([1, 4, 2, 2])\n"        // a second img: the usual suffix
         "  input_1 = input([1, 4, 2, 2])\n"    // a variable named like a default name
         "  z = input([1, 4, 2, 2])\n"
         "  w = b(z)\n"                          // made in the block: named there
         "  return y, img, input_1, w, input([1]) |> relu\n"
         "}\n");
  REQUIRE_MESSAGE(e.graph, e.errors());
  CHECK(e.names() == "img input relu img_1 input_1 z b.scale b.mul input_2 relu_1");
  // Every name is unique; the first img, overwritten, is unused.
  CHECK(e.errors().find("warning: the output of 'img' is never used") != std::string::npos);
  CHECK(ir::verifyGraph(*e.graph).empty());
  // The param's one weight has no name of its own: its state-dict key is the node's path.
  const ir::Node &scale = e.graph->nodes[6];
  REQUIRE(e.graph->weights(scale).size() == 1);
  CHECK(ir::stateDictKey(scale.name, e.graph->weights(scale)[0].name) == "b.scale");
  CHECK(ir::stateDictKey("b.conv2d", "weight") == "b.conv2d.weight");
}

TEST_CASE("elaborate: tensor subscripts become select and slice nodes") {
  Elab e("network n() {\n  x = input([2, 6, 5])\n  return x[:, -1], x[1, 1:5:2], x[:, :, :]\n}\n");
  REQUIRE_MESSAGE(e.graph, e.errors());
  CHECK(e.names() == "x select select_1 slice");
  CHECK(e.outShape(0) == "f32[2,5]");
  CHECK(e.outShape(1) == "f32[2,5]");
  CHECK(e.outShape(2) == "f32[2,6,5]"); // all ':': no node
  CHECK(errorLine("input([1, 8])[0, 0, 0]") ==
        "t.net:2:27: error: too many indices for a tensor of 2 dims f32[1,8]: 3 given");
}
