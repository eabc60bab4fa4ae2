// The reference evaluator: every op's eval rule against PyTorch (float64,
// eval mode; the torch call is named above each expected tensor), and whole
// graphs: random weights, determinism, fused epilogues.
//
// Inputs are pat(shape, k, off): element i is ((i*k + 3) % 13 - 6) / 4 + off,
// exact in binary; in Python:
//   torch.tensor([((i*k+3)%13-6)/4+off for i in range(n)]).reshape(shape)
#include "eval/Evaluator.h"
#include "ir/OpTable.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include "TestUtil.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>

using namespace netc;
using namespace netc::ir;
using netc::eval::evaluate;
using netc::eval::maxRelativeError;
using netc::eval::randomInputs;
using netc::eval::randomWeights;

namespace {

using netc::test::Elaborated;

Buffer pat(Shape shape, int64_t k = 7, double off = 0.0) {
  Buffer b(std::move(shape));
  for (size_t i = 0; i < b.size(); ++i)
    b.data[i] = static_cast<double>((static_cast<int64_t>(i) * k + 3) % 13 - 6) / 4 + off;
  return b;
}

Buffer vals(Shape shape, std::vector<double> v) {
  Buffer b(std::move(shape));
  REQUIRE(b.size() == v.size());
  b.data = std::move(v);
  return b;
}

Attrs attrs(std::initializer_list<std::pair<const char *, AttrValue>> kv) {
  Attrs a;
  for (const auto &[k, v] : kv)
    a.set(k, v);
  return a;
}

/// Runs `op`'s eval rule as the evaluator does: binds the attributes, runs
/// the shape rule (which normalizes them and shapes the outputs), checks the
/// weights against the weights rule, then evaluates.
std::vector<Buffer> run(const char *op, std::vector<Buffer> ins, Attrs given = {},
                        std::vector<Buffer> weights = {}, std::vector<DType> dtypes = {}) {
  const OpDef *def = OpTable::get().lookup(op);
  REQUIRE_MESSAGE(def, op);
  REQUIRE_MESSAGE(static_cast<bool>(def->eval), op);
  std::vector<TensorType> types;
  std::vector<const Buffer *> args, ws;
  for (size_t i = 0; i < ins.size(); ++i) { // f32 unless `dtypes` says otherwise
    types.push_back({ins[i].shape, i < dtypes.size() ? dtypes[i] : DType::F32});
    args.push_back(&ins[i]);
  }
  Attrs bound;
  std::vector<TensorType> outTypes;
  std::string e = inferShapes(*def, types, given, bound, outTypes);
  REQUIRE_MESSAGE(e == "", e);
  OpCall call{*def, types, bound};
  std::vector<WeightSpec> specs;
  if (def->weights)
    def->weights(call, specs);
  REQUIRE(specs.size() == weights.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    REQUIRE_MESSAGE(specs[i].shape == weights[i].shape, specs[i].name);
    ws.push_back(&weights[i]);
  }
  std::vector<Buffer> outs;
  for (const TensorType &t : outTypes)
    outs.emplace_back(t.shape);
  def->eval(call, args, ws, outs);
  return outs;
}

/// Checks `b` against a shape and values (within 1e-9).
void check(const Buffer &b, Shape shape, std::vector<double> expected) {
  CHECK(formatShape(b.shape) == formatShape(shape));
  REQUIRE(b.size() == expected.size());
  std::string bad;
  for (size_t i = 0; i < b.size(); ++i)
    if (!(std::fabs(b.data[i] - expected[i]) <= 1e-9) && bad.size() < 400)
      bad += fmt::format("[{}] {} != {}; ", i, b.data[i], expected[i]);
  CHECK_MESSAGE(bad.empty(), bad);
}

/// softmax([s0, s1]) . [v0, v1], written out (attention's and moe's checks).
double mix2(double s0, double s1, double v0, double v1) {
  const double e0 = std::exp(s0), e1 = std::exp(s1);
  return (e0 * v0 + e1 * v1) / (e0 + e1);
}

/// A network from .net text, elaborated.

/// Evaluates `g` with random weights and inputs from `seed`; requires success.
std::vector<Buffer> evalRandom(const Graph &g, uint64_t seed) {
  std::vector<Buffer> outs;
  std::string e = evaluate(g, randomWeights(g, seed), randomInputs(g, seed), outs);
  REQUIRE_MESSAGE(e == "", e);
  return outs;
}

const Node &nodeNamed(const Graph &g, const std::string &name) {
  for (const Node &n : g.nodes)
    if (n.name == name)
      return n;
  FAIL("no node " << name);
  return g.nodes.front();
}

NodeId idOf(const Graph &g, const std::string &name) {
  return static_cast<NodeId>(&nodeNamed(g, name) - g.nodes.data());
}

/// Fuses node `consumer` into node `target` (which produces one of its
/// inputs) as an epilogue, by hand, as a fusion pass would: the consumer's
/// other input (if any) becomes an extra input of the target, the target
/// takes over the consumer's output value, the consumer node and the
/// target's old output value are deleted and all ids renumbered.
void fuseInto(Graph &g, NodeId target, NodeId consumer) {
  REQUIRE(target < consumer);
  const ValueId mid = g.nodes[target].outputs[0];
  Node &c = g.nodes[consumer];
  Epilogue ep;
  ep.op = c.op;
  ep.attrs = c.attrs;
  ep.name = c.name;
  ep.loc = c.loc;
  REQUIRE((c.inputs.size() == 1 || c.inputs.size() == 2));
  if (c.inputs.size() == 2) {
    const bool midFirst = c.inputs[0] == mid;
    REQUIRE((midFirst || c.inputs[1] == mid));
    ep.extraFirst = !midFirst;
    ep.extraInput = static_cast<int32_t>(g.nodes[target].inputs.size());
    g.nodes[target].inputs.push_back(midFirst ? c.inputs[1] : c.inputs[0]);
  } else {
    REQUIRE(c.inputs[0] == mid);
  }
  const ValueId out = c.outputs[0];
  g.nodes[target].epilogue.push_back(std::move(ep));
  g.nodes[target].outputs[0] = out;
  g.values[out].producer = target;
  g.nodes.erase(g.nodes.begin() + consumer);
  for (TensorValue &v : g.values)
    if (v.producer > consumer)
      --v.producer;
  // Nobody reads `mid` any more: delete it and renumber the values after it.
  g.values.erase(g.values.begin() + mid);
  auto renumber = [&](ValueId &v) {
    REQUIRE(v != mid);
    if (v > mid)
      --v;
  };
  for (Node &n : g.nodes) {
    for (ValueId &v : n.inputs)
      renumber(v);
    for (ValueId &v : n.outputs)
      renumber(v);
  }
  for (ValueId &v : g.outputs)
    renumber(v);
}

} // namespace

// ---- the op table ------------------------------------------------------------

TEST_CASE("eval: every op has an eval rule") {
  // OpTable::get() aborts on an incomplete table, so check the check itself
  // on a table built here: validateOpTable must name each gap.
  ShapeRule shape = [](OpCall &c, std::vector<TensorType> &outs) {
    outs.push_back(c.inputs[0]);
    return std::string();
  };
  EvalRule eval = [](const OpCall &, llvm::ArrayRef<const Buffer *>,
                     llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &) {};
  OpTable t;
  t.add({"complete", {{"x", ParamKind::Tensor}}, PatternKind::Elementwise, shape, nullptr, "doc",
         costPerOutput<1>, "1 FLOP per element"})
      .eval = eval;
  t.add({"no_eval", {{"x", ParamKind::Tensor}}, PatternKind::Elementwise, shape, nullptr, "doc",
         costPerOutput<1>, "1 FLOP per element"});
  t.add({"no_cost", {{"x", ParamKind::Tensor}}, PatternKind::Elementwise, shape, nullptr, "doc",
         nullptr, ""})
      .eval = eval;
  t.add({"no_shape", {{"x", ParamKind::Tensor}}, PatternKind::Elementwise, nullptr, nullptr,
         "doc", costPerOutput<1>, "1 FLOP per element"})
      .eval = eval;
  std::vector<std::string> problems = validateOpTable(t);
  // None of them says which oneDNN primitive runs it (netc measure) or why none.
  const std::string noDnnl = " has neither a oneDNN primitive nor a reason why not (dnnl.why)";
  CHECK(problems == std::vector<std::string>{"op 'complete'" + noDnnl,
                                             "op 'no_cost' has no cost rule",
                                             "op 'no_cost' has no cost doc (its FLOP formula)",
                                             "op 'no_cost'" + noDnnl,
                                             "op 'no_eval' has no eval rule",
                                             "op 'no_eval'" + noDnnl,
                                             "op 'no_shape' has no shape rule",
                                             "op 'no_shape'" + noDnnl});
  // And the real table has no gaps.
  for (const std::string &p : validateOpTable(OpTable::get()))
    FAIL_CHECK(p);
  for (const OpDef *op : OpTable::get().all())
    CHECK_MESSAGE(static_cast<bool>(op->eval), op->name);
  const bool shared = OpTable::get().lookup("swish")->eval == OpTable::get().lookup("silu")->eval;
  CHECK(shared);
}

TEST_CASE("eval: conv2d") {
  // torch.nn.functional.conv2d(F.pad(x, (0, 1, 1, 2)), w, b, stride=2, groups=2),
  // x = pat([1,2,5,5]), w = pat([4,1,3,3], 5), b = pat([4], 3, 0.5)
  auto y = run("conv2d", {pat({1, 2, 5, 5})},
               attrs({{"out", int64_t{4}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                      {"padding", Ints{1, 2, 0, 1}}, {"groups", int64_t{2}}}),
               {pat({4, 1, 3, 3}, 5), pat({4}, 3, 0.5)});
  check(y[0], {1, 4, 3, 2}, {2.5625, 2.0, 0.875, 3.125, 3.0, 2.5, -5.1875, -0.25, 3.5625, 1.0625, -4.125, -4.0, 0.9375, -3.25, 2.5625, 1.8125, 0.5625, 0.5, 2.625, 4.75, 0.3125, 5.375, 4.5, 4.25});
  // F.conv2d(x, w, None, padding=2, dilation=2), x = pat([1,2,6,5]), w = pat([3,2,3,3], 11)
  y = run("conv2d", {pat({1, 2, 6, 5})},
          attrs({{"out", int64_t{3}}, {"k", int64_t{3}}, {"padding", int64_t{2}},
                 {"dilation", int64_t{2}}, {"bias", false}}),
          {pat({3, 2, 3, 3}, 11)});
  check(y[0], {1, 3, 6, 5}, {-0.1875, 2.75, -0.25, 2.625, 1.1875, 3.9375, -6.9375, 3.75, -6.1875, -0.3125, -0.0625, 1.8125, -0.625, -1.125, 0.6875, -6.125, 5.5, -5.6875, 4.6875, -0.8125, 2.5, -2.0, 2.0625, 0.4375, -0.3125, -2.125, -0.9375, 2.6875, -6.5625, 3.25, -1.9375, 4.1875, -1.75, 1.625, -3.125, 1.875, -0.9375, -5.125, 3.875, -0.875, 2.9375, -3.0, 3.9375, -6.75, 2.6875, -4.0, 5.5, -4.875, -0.1875, 1.9375, -0.6875, 0.4375, 0.4375, 1.25, 0.4375, 1.6875, -6.9375, 3.4375, -0.375, 1.25, -2.0625, 1.5625, -1.625, -2.625, 0.6875, -5.875, 4.25, -5.0625, 4.1875, 0.1875, 2.6875, -1.3125, 1.1875, 2.25, -1.0, 1.375, -2.625, 6.5, -7.5, 3.0625, -3.875, 2.0625, -4.4375, 0.4375, -0.4375, 1.4375, 3.3125, 0.9375, 4.1875, -2.375});
}

TEST_CASE("eval: conv2d with padding \"same\" and an even kernel (extra pixel after)") {
  // F.conv2d(x, w, None, padding="same"), x = pat([1,2,5,5]), w = pat([2,2,4,4], 5)
  auto y = run("conv2d", {pat({1, 2, 5, 5})},
               attrs({{"out", int64_t{2}}, {"k", int64_t{4}}, {"padding", std::string("same")},
                      {"bias", false}}),
               {pat({2, 2, 4, 4}, 5)});
  check(y[0], {1, 2, 5, 5}, {-2.4375, 8.0, -5.0, 3.875, -3.25, -3.9375, -2.3125, 0.6875, -4.1875, 1.5, 3.6875, -2.75, 5.9375, -1.5, 3.8125, -2.625, 3.4375, -1.8125, 1.0, 0.125, -2.0, 0.125, -5.125, -1.75, -0.1875, -3.5625, -2.5625, 2.0625, 0.75, -0.25, 0.4375, -2.0625, 3.3125, -0.3125, -1.6875, 1.9375, -0.375, 0.125, 2.75, -4.0, 5.75, -7.1875, 3.5625, -5.625, 1.875, 2.1875, 3.1875, 3.1875, 2.1875, -1.125});
}

TEST_CASE("eval: conv_transpose2d") {
  // F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2),
  // x = pat([1,4,3,3]), w = pat([4,2,3,3], 5), b = pat([4], 3, 0.5)
  auto y = run("conv_transpose2d", {pat({1, 4, 3, 3})},
               attrs({{"out", int64_t{4}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                      {"padding", int64_t{1}}, {"output_padding", int64_t{1}},
                      {"groups", int64_t{2}}}),
               {pat({4, 2, 3, 3}, 5), pat({4}, 3, 0.5)});
  check(y[0], {1, 4, 6, 6}, {-1.9375, 1.5625, 1.125, -1.25, -1.5, 1.5, -2.125, 1.5, 1.5625, -4.125, -1.25, 0.0, 1.5625, -2.0, -1.0625, 0.0625, 2.0, -3.0, 2.4375, -2.375, -2.0, 5.0, 3.3125, -2.5, -0.625, 0.125, -0.8125, -0.25, -0.1875, -0.1875, -0.875, -0.25, -0.9375, -0.375, -0.1875, -0.1875, 2.3125, 1.5625, -0.75, -0.5, 1.875, 0.0, -1.375, -2.6875, 1.4375, 2.9375, -2.25, -1.0, -1.1875, 0.25, 1.4375, 3.0625, -1.625, 1.5, 0.5625, 1.1875, 0.9375, -1.3125, -0.3125, 2.8125, 1.0, -0.25, 0.375, 0.125, 0.5625, 0.5625, 0.75, 4.25, 0.25, -0.8125, 0.5625, 0.5625, 2.25, 1.0, 1.125, 0.375, 0.8125, 5.375, 3.5625, -1.875, 0.5, 0.9375, 0.6875, 1.8125, 1.3125, -0.0625, 1.0, 5.0, 1.5, 0.5, 1.6875, -3.1875, 1.0625, 4.5, 2.0625, -1.4375, 0.375, -0.3125, 1.6875, 2.3125, 0.5625, 0.5, -0.875, 3.8125, 2.1875, 1.0, -0.4375, 3.5625, -1.375, 1.5, 2.75, 1.625, 2.0, 1.6875, -0.0625, 2.25, 2.5, 0.875, 2.625, 1.3125, 2.0625, 1.875, 1.3125, 2.0, 1.375, 2.0, -1.3125, 3.8125, 2.875, 1.625, -1.0625, 3.5625, 5.5, 3.0625, 0.6875, 0.75, 4.8125, 2.3125, 4.25, 2.3125, 1.1875, 0.25, 3.8125, 1.3125});
  // F.conv_transpose2d(x, w, None, stride=2, padding=(1, 0), output_padding=(0, 1),
  // dilation=2), x = pat([1,2,3,2]), w = pat([2,3,2,3], 11)
  y = run("conv_transpose2d", {pat({1, 2, 3, 2})},
          attrs({{"out", int64_t{3}}, {"k", Ints{2, 3}}, {"stride", int64_t{2}},
                 {"padding", Ints{1, 0}}, {"output_padding", Ints{0, 1}},
                 {"dilation", int64_t{2}}, {"bias", false}}),
          {pat({2, 3, 2, 3}, 11)});
  check(y[0], {1, 3, 5, 8}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.375, 0.0, 2.4375, 0.0, -3.3125, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.6875, 0.0, 2.125, 0.0, -3.0, 0.0, 2.3125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.625, 0.0, 2.0625, 0.0, -2.0625, 0.0, -2.1875, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.6875, 0.0, 2.25, 0.0, -2.0625, 0.0, -2.4375, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.875, 0.0, 1.6875, 0.0, 2.4375, 0.0, -2.3125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.6875, 0.0, 1.5625, 0.0, 2.125, 0.0, -2.3125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
}

TEST_CASE("eval: linear") {
  // F.linear(pat([2,3,4]), pat([5,4], 5), pat([5], 3))
  auto y = run("linear", {pat({2, 3, 4})}, attrs({{"out", int64_t{5}}}),
               {pat({5, 4}, 5), pat({5}, 3)});
  check(y[0], {2, 3, 5}, {0.75, 0.0, 2.5, -2.3125, 1.0, 0.5625, -4.0, 2.0, 2.3125, 0.1875, -2.0625, 0.125, -0.9375, 4.5, -3.0625, -3.0625, 1.0, -1.4375, 4.25, -3.0625, -4.0625, 1.875, -1.9375, 4.0, -3.0625, 2.25, -1.3125, 3.25, -1.9375, 1.0});
  // F.linear(pat([4]), pat([3,4], 5))
  y = run("linear", {pat({4})}, attrs({{"out", int64_t{3}}, {"bias", false}}), {pat({3, 4}, 5)});
  check(y[0], {3}, {1.5, 0.0, 1.75});
}

// ---- transformer ops: checked against the formulas written out beside them ----

TEST_CASE("eval: attention eval, one head, past=0, with and without causal") {
  // q = k = [[1, 0], [0, 1]], v = [[1, 2], [3, 4]], D = 2, scale 1/sqrt(2):
  // row 0 scores [1/sqrt2, 0], row 1 [0, 1/sqrt2].
  Buffer q = vals({1, 2, 2}, {1, 0, 0, 1}), v = vals({1, 2, 2}, {1, 2, 3, 4});
  const double s = 1 / std::sqrt(2.0);
  auto y = run("attention", {q, q, v}, attrs({{"heads", int64_t{1}}}));
  check(y[0], {1, 2, 2},
        {mix2(s, 0, 1, 3), mix2(s, 0, 2, 4), mix2(0, s, 1, 3), mix2(0, s, 2, 4)});
  // causal: query 0 sees key 0 only (its value), query 1 both.
  y = run("attention", {q, q, v}, attrs({{"heads", int64_t{1}}, {"causal", true}}));
  check(y[0], {1, 2, 2}, {1, 2, mix2(0, s, 1, 3), mix2(0, s, 2, 4)});
  // scale=2 replaces 1/sqrt(D).
  y = run("attention", {q, q, v}, attrs({{"heads", int64_t{1}}, {"scale", 2.0}}));
  check(y[0], {1, 2, 2},
        {mix2(2, 0, 1, 3), mix2(2, 0, 2, 4), mix2(0, 2, 1, 3), mix2(0, 2, 2, 4)});
}

TEST_CASE("eval: attention eval, grouped-query heads share a kv head") {
  // heads 2, kv_heads 1, D = 1 (scale 1): q = [a, b] for one token; keys [1, -1]
  // and values [5, 7] for two tokens; both heads read kv head 0.
  Buffer q = vals({1, 1, 2}, {0.5, 2.0}), k = vals({1, 2, 1}, {1, -1}), v = vals({1, 2, 1}, {5, 7});
  auto y = run("attention", {q, k, v}, attrs({{"heads", int64_t{2}}, {"kv_heads", int64_t{1}}}));
  check(y[0], {1, 1, 2}, {mix2(0.5, -0.5, 5, 7), mix2(2, -2, 5, 7)});
  // heads 2, kv_heads 2: each head its own kv head (k, v [1, 2, 2]).
  Buffer k2 = vals({1, 2, 2}, {1, 3, -1, 0}), v2 = vals({1, 2, 2}, {5, 6, 7, 8});
  y = run("attention", {q, k2, v2}, attrs({{"heads", int64_t{2}}}));
  check(y[0], {1, 1, 2}, {mix2(0.5, -0.5, 5, 7), mix2(6, 0, 6, 8)});
}

TEST_CASE("eval: attention eval with past reads the deterministic cache") {
  // One cached token (past=1) before the new one: its key is sin(0.5), its value
  // cos(0.5) (element 0 of the cache). q = 2, k = 1, v = 3, D = 1, scale 1.
  Buffer q = vals({1, 1, 1}, {2}), k = vals({1, 1, 1}, {1}), v = vals({1, 1, 1}, {3});
  const double expected = mix2(2 * std::sin(0.5), 2, std::cos(0.5), 3);
  for (bool causal : {false, true}) { // the new token at position 1 sees both
    auto y = run("attention", {q, k, v},
                 attrs({{"heads", int64_t{1}}, {"past", int64_t{1}}, {"causal", causal}}));
    check(y[0], {1, 1, 1}, {expected});
  }
}

TEST_CASE("eval: embedding, rmsnorm, rotary and moe eval") {
  // embedding: ids [[2, 0]] of the table [[1, 2], [3, 4], [5, 6]]
  auto y = run("embedding", {vals({1, 2}, {2, 0})}, attrs({{"num", int64_t{3}}, {"dim", int64_t{2}}}),
               {vals({3, 2}, {1, 2, 3, 4, 5, 6})}, {DType::I64});
  check(y[0], {1, 2, 2}, {5, 6, 1, 2});
  // rmsnorm: [3, 4] / sqrt((9 + 16) / 2 + 0) * [1, 2]
  y = run("rmsnorm", {vals({1, 2}, {3, 4})}, attrs({{"eps", 0.0}}), {vals({2}, {1, 2})});
  const double r = std::sqrt(12.5);
  check(y[0], {1, 2}, {3 / r, 8 / r});
  // rotary, D = 2 (f_0 = 1), tokens at positions 1 and 2 (past=1):
  // [x0 cos p - x1 sin p, x1 cos p + x0 sin p]
  y = run("rotary", {vals({1, 2, 2}, {1, 2, 3, 4})}, attrs({{"heads", int64_t{1}}, {"past", int64_t{1}}}));
  check(y[0], {1, 2, 2},
        {std::cos(1) - 2 * std::sin(1), 2 * std::cos(1) + std::sin(1),
         3 * std::cos(2) - 4 * std::sin(2), 4 * std::cos(2) + 3 * std::sin(2)});
  // moe: d = 1, 2 experts, hidden 1, relu; router [1, -1]; expert i: w1, w2, w3.
  // x = 2: logits [2, -2]; top_k=1 picks expert 0 with weight 1:
  // w2_0 * relu(w1_0 * 2) * (w3_0 * 2) = 3 * 1 * 2 = 6 (w1_0 = 0.5, w2_0 = 3, w3_0 = 1).
  std::vector<Buffer> ws = {vals({2, 1}, {1, -1}), vals({1, 1}, {0.5}), vals({1, 1}, {3}),
                            vals({1, 1}, {1}),     vals({1, 1}, {1}),   vals({1, 1}, {10}),
                            vals({1, 1}, {1})};
  y = run("moe", {vals({1, 1}, {2})},
          attrs({{"experts", int64_t{2}}, {"top_k", int64_t{1}}, {"hidden", int64_t{1}},
                 {"act", std::string("relu")}}),
          ws);
  check(y[0], {1, 1}, {6});
  // top_k=2: softmax over [2, -2] weighs expert 1's 10 * relu(2) * 2 = 40.
  y = run("moe", {vals({1, 1}, {2})},
          attrs({{"experts", int64_t{2}}, {"top_k", int64_t{2}}, {"hidden", int64_t{1}},
                 {"act", std::string("relu")}}),
          ws);
  check(y[0], {1, 1}, {mix2(2, -2, 6, 40)});
  // The activation is any elementwise op of the table, evaluated by its own
  // rule: relu6.
  ws[4] = vals({1, 1}, {10});
  ws[5] = vals({1, 1}, {1});
  y = run("moe", {vals({1, 1}, {-2})},
          attrs({{"experts", int64_t{2}}, {"top_k", int64_t{1}}, {"hidden", int64_t{1}},
                 {"act", std::string("relu6")}}),
          ws);
  check(y[0], {1, 1}, {1 * 0.0 * 1}); // x = -2 picks expert 1: relu6(10 * -2) = 0
  ws[1] = vals({1, 1}, {5}); // expert 0's w1 x = 10: clipped at 6 (relu would give 60)
  y = run("moe", {vals({1, 1}, {2})},
          attrs({{"experts", int64_t{2}}, {"top_k", int64_t{1}}, {"hidden", int64_t{1}},
                 {"act", std::string("relu6")}}),
          ws);
  check(y[0], {1, 1}, {3 * 6 * 2}); // x = 2 picks expert 0: 3 * relu6(5 * 2) * 2
}

TEST_CASE("eval: matmul (1-D, 2-D, batched with broadcasting)") {
  // torch.matmul(pat([3]), pat([3], 5)): a 0-d dot product
  check(run("matmul", {pat({3}), pat({3}, 5)})[0], {}, {1.8125});
  // torch.matmul(pat([3]), pat([3,2], 5))
  check(run("matmul", {pat({3}), pat({3, 2}, 5)})[0], {2}, {-1.4375, -0.125});
  // torch.matmul(pat([2,3]), pat([3], 5))
  check(run("matmul", {pat({2, 3}), pat({3}, 5)})[0], {2}, {1.8125, -3.3125});
  // torch.matmul(pat([2,1,2,3]), pat([3,3,2], 5))
  check(run("matmul", {pat({2, 1, 2, 3}), pat({3, 3, 2}, 5)})[0], {2, 3, 2, 2}, {-1.4375, -0.125, 0.9375, -0.8125, -0.0625, -0.375, -1.4375, 1.6875, -0.3125, -1.4375, 1.0625, 0.9375, 2.5, 0.125, -0.8125, 0.25, 0.4375, -1.125, 0.6875, -1.5, -0.8125, 2.5, -1.0625, -0.8125});
  // torch.matmul(pat([2,2,3]), pat([3]))
  check(run("matmul", {pat({2, 2, 3}), pat({3})})[0], {2, 2}, {1.8125, -1.9375, -1.625, 1.9375});
}

TEST_CASE("eval: batchnorm (eval mode, running statistics)") {
  // F.batch_norm(pat([2,3,2,2]), running_mean=pat([3], 11), running_var=pat([3], 2, 2.0),
  //              weight=pat([3], 5, 1.0), bias=pat([3], 3), training=False, eps=1e-5)
  auto y = run("batchnorm", {pat({2, 3, 2, 2})}, {},
               {pat({3}, 5, 1.0), pat({3}, 3), pat({3}, 11), pat({3}, 2, 2.0)});
  check(y[0], {2, 3, 2, 2}, {-0.75, -0.3586896691757296, -0.6940985241679614, -0.30278819334369095, 1.1338901793460832, 3.1181979932017287, 1.417362724182604, -0.28347254483652085, 1.1666657407438272, 1.6666646296364198, 1.0833325925950616, 1.5833314814876542, -0.4145911450077682, -0.75, -0.3586896691757296, -0.6940985241679614, 2.834725448365208, 1.1338901793460832, 3.1181979932017287, 1.417362724182604, 1.7499977777851852, 1.1666657407438272, 1.6666646296364198, 1.0833325925950616});
  // affine=false, a 3-D input (BatchNorm1d): F.batch_norm(pat([2,3,4]), pat([3], 11),
  // pat([3], 2, 2.0), None, None, training=False, eps=1e-3)
  y = run("batchnorm", {pat({2, 3, 4})}, attrs({{"affine", false}, {"eps", 1e-3}}),
          {pat({3}, 11), pat({3}, 2, 2.0)});
  check(y[0], {2, 3, 4}, {-2.7755575615628914e-17, 1.5646218606253086, 0.22351740866075837, 1.7881392692860671, 0.7557130588382647, 2.0782109118052277, 0.9446413235478308, -0.1889282647095662, -0.8331482098536899, -1.8329260616781176, -0.6665185678829519, -1.6662964197073795, 1.3411044519645503, -2.7755575615628914e-17, 1.5646218606253086, 0.22351740866075837, 1.8892826470956616, 0.7557130588382647, 2.0782109118052277, 0.9446413235478308, -1.9995557036488556, -0.8331482098536899, -1.8329260616781176, -0.6665185678829519});
}

TEST_CASE("eval: layernorm") {
  // F.layer_norm(pat([2,3,4]), [3, 4], pat([3,4], 5, 1.0), pat([3,4], 3), eps=1e-5)
  auto y = run("layernorm", {pat({2, 3, 4})}, attrs({{"shape", Ints{3, 4}}}),
               {pat({3, 4}, 5, 1.0), pat({3, 4}, 3)});
  check(y[0], {2, 3, 4}, {-0.931460160135398, 1.682630575800963, 0.9809492947177793, 2.5392718262300065, -1.3959130766590502, -0.25, 0.5824818909706354, -2.5441669846492303, -1.0850362180587292, -2.694018299818903, 0.10153259625285621, 0.010217308352374666, -0.5700325409336029, -1.3497559429979789, 0.2550894875674078, 1.0275854199507073, 1.5195444269295604, -0.25, 2.41215425258047, 1.0250406761670035, -2.1048454305653865, -0.185056946633805, 0.6099349181327944, 1.4499186476659929});
  // the default shape (the last dim), no affine: F.layer_norm(pat([2,3,4]), [4], eps=1e-3)
  y = run("layernorm", {pat({2, 3, 4})}, attrs({{"affine", false}, {"eps", 1e-3}}));
  check(y[0], {2, 3, 4}, {-1.1306474669281654, 0.8479856001961241, -0.8479856001961241, 1.1306474669281654, -0.17578580993275267, 1.4648817494396056, 0.05859526997758423, -1.3476912094844373, 0.8212849429272129, -1.149798920098098, 1.149798920098098, -0.8212849429272129, 0.8212849429272129, -1.149798920098098, 1.149798920098098, -0.8212849429272129, 0.8212849429272129, -1.149798920098098, 1.149798920098098, -0.8212849429272129, -1.1306474669281656, 0.8479856001961239, -0.8479856001961241, 1.1306474669281652});
}

TEST_CASE("eval: layernorm over chosen dims (dims=[1]: the channels of NCHW)") {
  // By hand: the channels of pixel 0, [1, 3], have mean 2 and biased
  // variance 1, so they normalize to [-1, 1] (eps = 0); those of pixel 1,
  // [2, 6], mean 4 and variance 4: [-1, 1] too. Weight [2, 3] and bias
  // [0.5, -0.5] make channel 0 -1 * 2 + 0.5 = -1.5, channel 1 1 * 3 - 0.5 = 2.5.
  auto y = run("layernorm", {vals({1, 2, 1, 2}, {1, 2, 3, 6})},
               attrs({{"dims", Ints{1}}, {"eps", 0.0}}),
               {vals({2}, {2, 3}), vals({2}, {0.5, -0.5})});
  check(y[0], {1, 2, 1, 2}, {-1.5, -1.5, 2.5, 2.5});
  // torchvision's LayerNorm2d: F.layer_norm(pat([2,3,2,2]).permute(0,2,3,1), [3],
  // pat([3], 5, 1.0), pat([3], 3), eps=1e-5).permute(0,3,1,2)
  y = run("layernorm", {pat({2, 3, 2, 2})}, attrs({{"dims", Ints{1}}}),
          {pat({3}, 5, 1.0), pat({3}, 3)});
  check(y[0], {2, 3, 2, 2}, {-1.0561770326746927, -0.6280721486538191, -1.0561770326746927, -0.4016347104394832, 0.0, 1.3586246292860156, 0.0, -1.3586246292860156, 0.13764593465061492, 1.4467305791210336, 0.13764593465061492, 0.9938557026923618, -0.6280721486538191, -1.0561770326746927, -0.6280721486538191, -1.0561770326746927, 1.3586246292860158, 0.0, 1.3586246292860156, 0.0, 1.4467305791210336, 0.13764593465061492, 1.4467305791210336, 0.13764593465061492});
}

TEST_CASE("eval: slice and select (x[:, 1:5:2], x[:, -4:-1, ::2], x[:, -1])") {
  // pat([2,5,3])[:, 1:5:2]
  check(run("slice", {pat({2, 5, 3})},
            attrs({{"dim", int64_t{1}}, {"start", int64_t{1}}, {"end", int64_t{5}},
                   {"step", int64_t{2}}}))[0],
        {2, 2, 3}, {1.25, -0.25, 1.5, -1.25, 0.5, -1.0, 1.5, 0.0, -1.5, -1.0, 0.75, -0.75});
  // pat([2,5,3])[:, -4:-1, ::2]: two slices, the second with open ends
  auto y = run("slice", {pat({2, 5, 3})},
               attrs({{"dim", int64_t{1}}, {"start", int64_t{-4}}, {"end", int64_t{-1}}}));
  y = run("slice", {y[0]}, attrs({{"dim", int64_t{2}}, {"step", int64_t{2}}}));
  check(y[0], {2, 3, 2}, {1.25, 1.5, 0.0, 0.25, -1.25, -1.0, 1.5, -1.5, 0.25, 0.5, -1.0, -0.75});
  // pat([2,3,2])[:, -1]
  check(run("select", {pat({2, 3, 2})}, attrs({{"dim", int64_t{1}}, {"index", int64_t{-1}}}))[0],
        {2, 2}, {-0.25, 1.5, 0.5, -1.0});
}

TEST_CASE("eval: param's output is its weight") {
  const Buffer w = pat({1, 2, 3}, 5);
  auto y = run("param", {}, attrs({{"shape", Ints{1, 2, 3}}}), {w});
  check(y[0], {1, 2, 3}, w.data);
}

TEST_CASE("eval: groupnorm") {
  // F.group_norm(pat([2,4,2,3]), 2, pat([4], 5, 1.0), pat([4], 3), eps=1e-5)
  auto y = run("groupnorm", {pat({2, 4, 2, 3})}, attrs({{"groups", int64_t{2}}}),
               {pat({4}, 5, 1.0), pat({4}, 3)});
  check(y[0], {2, 4, 2, 3}, {-0.931460160135398, -0.4695615706998395, -0.8654746473588897, -0.4035760579233312, -0.7994891345823812, -0.3375905451468228, 0.09897826916476249, -2.2765001907895384, 0.4948913458238126, -1.8805871141304882, 0.8908044224828627, -1.484674037471438, 0.3900650818672057, 1.199918647665993, 0.2550894875674078, 1.064943053366195, 0.1201138932676099, 0.9299674590663972, 2.647292551548282, 1.432512202850101, 0.21773185415191998, 1.6349755942997977, 0.4201952456016168, 1.8374389857494946, -0.9990588012939303, -0.5442557728441444, -0.9340869400868181, -0.47928391163703216, -0.8691150788797058, -0.41431205042991986, -0.3248593060355614, 2.4039588646631542, 0.06497186120711222, -2.2740151422489294, 0.4548030284497859, -1.884183975006256, 0.529666152032906, 1.364615470645052, 0.39050793226421504, 1.2254572508763608, 0.25134971249552407, 1.08629903110767, 2.4567127609097503, 1.2042887829915319, 2.665450090562787, 1.4130261126445682, 0.1606021347263495, 1.6217634422976046});
  // F.group_norm(pat([2,4,2,3]), 4, eps=1e-5)
  y = run("groupnorm", {pat({2, 4, 2, 3})}, attrs({{"groups", int64_t{4}}, {"affine", false}}));
  check(y[0], {2, 4, 2, 3}, {-1.2520872637134166, 0.6956040353963426, -0.9738456495548796, 0.9738456495548796, -0.6956040353963426, 1.2520872637134166, 0.6432621973754856, -1.2865243947509712, 0.9648932960632284, -0.9648932960632284, 1.2865243947509712, -0.6432621973754856, 0.6432621973754856, -1.2865243947509712, 0.9648932960632284, -0.9648932960632284, 1.2865243947509712, -0.6432621973754856, 1.541096200830161, 0.08111032635948218, -1.3788755481111967, 0.32444130543792865, -1.1355445690327504, 0.5677722845163752, -1.2520872637134166, 0.6956040353963426, -0.9738456495548796, 0.9738456495548796, -0.6956040353963426, 1.2520872637134166, -0.04192196862704576, 1.7188007137088754, 0.2096098431352287, -1.299581027438418, 0.46114165489750314, -1.0480492156761436, 0.6432621973754856, -1.2865243947509712, 0.9648932960632284, -0.9648932960632284, 1.2865243947509712, -0.6432621973754856, 1.0480492156761436, -0.4611416548975032, 1.299581027438418, -0.20960984313522874, -1.7188007137088754, 0.04192196862704573});
}

namespace {
/// The activation tests' input.
Buffer activationInput() {
  return vals({11}, {-7.0, -3.5, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 3.5, 7.0});
}
} // namespace

TEST_CASE("eval: relu") {
  // F.relu(a), a = [-7, -3.5, -3, -1, -0.5, 0, 0.5, 1, 3, 3.5, 7] (all activation tests)
  check(run("relu", {activationInput()})[0], {11}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 3.5, 7.0});
}

TEST_CASE("eval: relu6") {
  // F.relu6(a)
  check(run("relu6", {activationInput()})[0], {11}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 3.5, 6.0});
}

TEST_CASE("eval: leaky_relu") {
  // F.leaky_relu(a, 0.2)
  check(run("leaky_relu", {activationInput()}, attrs({{"slope", 0.2}}))[0], {11}, {-1.4000000000000001, -0.7000000000000001, -0.6000000000000001, -0.2, -0.1, 0.0, 0.5, 1.0, 3.0, 3.5, 7.0});
  // F.leaky_relu(a) (negative_slope=0.01)
  check(run("leaky_relu", {activationInput()})[0], {11}, {-0.07, -0.035, -0.03, -0.01, -0.005, 0.0, 0.5, 1.0, 3.0, 3.5, 7.0});
}

TEST_CASE("eval: affine") {
  // a * 0.125 + 1.0
  check(run("affine", {activationInput()}, attrs({{"scale", 0.125}, {"shift", 1.0}}))[0], {11}, {0.125, 0.5625, 0.625, 0.875, 0.9375, 1.0, 1.0625, 1.125, 1.375, 1.4375, 1.875});
  // 1.0 - a: scale -1, shift 1
  check(run("affine", {activationInput()}, attrs({{"scale", -1.0}, {"shift", 1.0}}))[0], {11}, {8.0, 4.5, 4.0, 2.0, 1.5, 1.0, 0.5, 0.0, -2.0, -2.5, -6.0});
}

TEST_CASE("eval: sigmoid") {
  // torch.sigmoid(a)
  check(run("sigmoid", {activationInput()})[0], {11}, {0.0009110511944006454, 0.02931223075135632, 0.04742587317756678, 0.2689414213699951, 0.3775406687981454, 0.5, 0.6224593312018546, 0.7310585786300049, 0.9525741268224334, 0.9706877692486436, 0.9990889488055994});
}

TEST_CASE("eval: hardsigmoid") {
  // F.hardsigmoid(a)
  check(run("hardsigmoid", {activationInput()})[0], {11}, {0.0, 0.0, 0.0, 0.3333333333333333, 0.4166666666666667, 0.5, 0.5833333333333334, 0.6666666666666666, 1.0, 1.0, 1.0});
}

TEST_CASE("eval: tanh") {
  // torch.tanh(a)
  check(run("tanh", {activationInput()})[0], {11}, {-0.9999983369439447, -0.9981778976111987, -0.9950547536867305, -0.7615941559557649, -0.46211715726000974, 0.0, 0.46211715726000974, 0.7615941559557649, 0.9950547536867305, 0.9981778976111987, 0.9999983369439447});
}

TEST_CASE("eval: silu (and its alias swish)") {
  // F.silu(a)
  check(run("silu", {activationInput()})[0], {11}, {-0.006377358360804518, -0.10259280762974712, -0.14227761953270035, -0.2689414213699951, -0.1887703343990727, 0.0, 0.3112296656009273, 0.7310585786300049, 2.8577223804672998, 3.3974071923702525, 6.993622641639196});
  check(run("swish", {activationInput()})[0], {11}, {-0.006377358360804518, -0.10259280762974712, -0.14227761953270035, -0.2689414213699951, -0.1887703343990727, 0.0, 0.3112296656009273, 0.7310585786300049, 2.8577223804672998, 3.3974071923702525, 6.993622641639196});
}

TEST_CASE("eval: hardswish") {
  // F.hardswish(a)
  check(run("hardswish", {activationInput()})[0], {11}, {-0.0, -0.0, -0.0, -0.3333333333333333, -0.20833333333333334, 0.0, 0.2916666666666667, 0.6666666666666666, 3.0, 3.5, 7.0});
}

TEST_CASE("eval: erf") {
  // torch.erf(a)
  check(run("erf", {activationInput()})[0], {11}, {-1.0, -0.9999992569016276, -0.9999779095030014, -0.8427007929497149, -0.5204998778130465, 0.0, 0.5204998778130465, 0.8427007929497149, 0.9999779095030014, 0.9999992569016276, 1.0});
}

TEST_CASE("eval: gelu (erf and tanh forms)") {
  // F.gelu(a)
  check(run("gelu", {activationInput()})[0], {11}, {-8.958667141456544e-12, -0.0008142017766243903, -0.00404969409489031, -0.15865525393145702, -0.15426876936299344, 0.0, 0.34573123063700656, 0.841344746068543, 2.99595030590511, 3.4991857982233756, 6.999999999991041});
  // F.gelu(a, approximate="tanh")
  check(run("gelu", {activationInput()}, attrs({{"approximate", std::string("tanh")}}))[0],
        {11}, {-2.3314683517128287e-15, -0.0006161976553737403, -0.0036373920817729943, -0.1588080093917233, -0.15428599017485606, 0.0, 0.34571400982514394, 0.8411919906082768, 2.996362607918227, 3.499383802344626, 6.999999999999997});
}

TEST_CASE("eval: softmax") {
  // F.softmax(pat([2,3,4]), dim=1)
  check(run("softmax", {pat({2, 3, 4})}, attrs({{"dim", int64_t{1}}}))[0], {2, 3, 4}, {0.1863237232258476, 0.36309231993310903, 0.1863237232258476, 0.855192710551747, 0.3071958857184984, 0.598638031101573, 0.3071958857184984, 0.05467064090514012, 0.506480391055654, 0.038269648965318044, 0.506480391055654, 0.09013664854311303, 0.36309231993310903, 0.1863237232258476, 0.36309231993310903, 0.1863237232258476, 0.598638031101573, 0.3071958857184984, 0.598638031101573, 0.3071958857184984, 0.038269648965318044, 0.506480391055654, 0.038269648965318044, 0.506480391055654});
  // F.softmax(pat([2,3,4]), dim=-1) (the default)
  check(run("softmax", {pat({2, 3, 4})})[0], {2, 3, 4}, {0.06481854227628749, 0.3730049568379145, 0.083228655755402, 0.4789478451303962, 0.12011820270818684, 0.6912325307415308, 0.1542348252841622, 0.034414441266120206, 0.35795331795356183, 0.07987018116064006, 0.4596211582400818, 0.10255534264571627, 0.35795331795356183, 0.07987018116064006, 0.4596211582400818, 0.10255534264571627, 0.35795331795356183, 0.07987018116064006, 0.4596211582400818, 0.10255534264571627, 0.06481854227628749, 0.3730049568379145, 0.083228655755402, 0.4789478451303962});
}

TEST_CASE("eval: max_pool2d (padding is -inf, dilation, ceil_mode)") {
  // every value negative, so a zero padding would show:
  // F.max_pool2d(pat([1,2,6,6], 7, -2.0), 3, stride=2, padding=1, ceil_mode=True)
  check(run("max_pool2d", {pat({1, 2, 6, 6}, 7, -2.0)},
            attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"padding", int64_t{1}},
                   {"ceil_mode", true}}))[0],
        {1, 2, 4, 4}, {-1.0, -0.75, -0.5, -0.5, -0.5, -1.0, -0.75, -1.5, -0.5, -0.5, -0.75, -0.75, -0.5, -0.5, -1.75, -3.25, -0.75, -0.5, -1.0, -1.75, -0.75, -0.5, -0.5, -1.0, -0.75, -0.5, -0.5, -2.0, -1.0, -0.75, -0.5, -2.0});
  // F.max_pool2d(pat([1,2,6,6], 7, -2.0), 2, stride=1, padding=1, dilation=2)
  check(run("max_pool2d", {pat({1, 2, 6, 6}, 7, -2.0)},
            attrs({{"k", int64_t{2}}, {"stride", int64_t{1}}, {"padding", int64_t{1}},
                   {"dilation", int64_t{2}}}))[0],
        {1, 2, 6, 6}, {-3.5, -1.75, -3.25, -1.5, -3.0, -1.5, -1.0, -1.0, -0.75, -0.75, -0.5, -0.75, -2.0, -0.5, -1.75, -1.5, -1.5, -1.5, -1.25, -1.0, -1.0, -0.75, -0.75, -0.75, -0.5, -0.5, -0.5, -1.75, -1.5, -1.75, -1.25, -2.75, -1.0, -2.5, -0.75, -2.5, -2.25, -0.5, -2.0, -0.5, -1.75, -3.5, -1.5, -1.25, -1.25, -1.0, -1.0, -1.0, -0.75, -0.5, -0.5, -0.5, -0.5, -2.0, -1.5, -1.5, -1.25, -1.25, -1.0, -1.25, -0.75, -0.75, -0.5, -0.5, -0.5, -0.5, -3.25, -1.5, -3.0, -1.25, -2.75, -1.25});
}

TEST_CASE("eval: avg_pool2d (count_include_pad, ceil_mode windows clipped as PyTorch)") {
  // the last ceil_mode window [5, 8) runs past the padded input [-1, 7): clipped to 2
  // F.avg_pool2d(pat([1,1,6,6]), 3, stride=2, padding=1, ceil_mode=True, count_include_pad=True)
  check(run("avg_pool2d", {pat({1, 1, 6, 6})},
            attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"padding", int64_t{1}},
                   {"ceil_mode", true}}))[0],
        {1, 1, 4, 4}, {-0.1388888888888889, -0.08333333333333333, 0.08333333333333333, 0.08333333333333333, 0.0, -0.4444444444444444, -0.19444444444444445, -0.125, 0.2777777777777778, -0.027777777777777776, -0.1388888888888889, 0.08333333333333333, 0.20833333333333334, 0.0, -0.4166666666666667, -0.3125});
  // ... count_include_pad=False
  check(run("avg_pool2d", {pat({1, 1, 6, 6})},
            attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"padding", int64_t{1}},
                   {"ceil_mode", true}, {"count_include_pad", false}}))[0],
        {1, 1, 4, 4}, {-0.3125, -0.125, 0.125, 0.25, 0.0, -0.4444444444444444, -0.19444444444444445, -0.25, 0.4166666666666667, -0.027777777777777776, -0.1388888888888889, 0.16666666666666666, 0.625, 0.0, -0.8333333333333334, -1.25});
  // F.avg_pool2d(pat([1,1,5,5]), 2, ceil_mode=True): the last window holds one row/column
  check(run("avg_pool2d", {pat({1, 1, 5, 5})}, attrs({{"k", int64_t{2}}, {"ceil_mode", true}}))[0],
        {1, 1, 3, 3}, {0.4375, -0.125, -0.75, 0.0625, 0.3125, 0.5, -0.625, -0.375, -1.0});
  // F.avg_pool2d(pat([1,1,5,5]), 3, padding=1, count_include_pad=False)
  check(run("avg_pool2d", {pat({1, 1, 5, 5})},
            attrs({{"k", int64_t{3}}, {"padding", int64_t{1}}, {"count_include_pad", false}}))[0],
        {1, 1, 2, 2}, {0.4375, -0.3333333333333333, -0.16666666666666666, 0.05555555555555555});
  // F.avg_pool2d(pat([1,1,5,5]), (3, 2), stride=(1, 2), padding=(1, 0))
  check(run("avg_pool2d", {pat({1, 1, 5, 5})},
            attrs({{"k", Ints{3, 2}}, {"stride", Ints{1, 2}}, {"padding", Ints{1, 0}}}))[0],
        {1, 1, 5, 2}, {0.2916666666666667, -0.08333333333333333, 0.20833333333333334, -0.08333333333333333, 0.2916666666666667, 0.0, -0.16666666666666666, 0.08333333333333333, -0.08333333333333333, 0.08333333333333333});
}

TEST_CASE("eval: adaptive_avg_pool2d") {
  // F.adaptive_avg_pool2d(pat([1,2,5,7]), (3, 4))
  check(run("adaptive_avg_pool2d", {pat({1, 2, 5, 7})}, attrs({{"size", Ints{3, 4}}}))[0],
        {1, 2, 3, 4}, {-0.25, 0.20833333333333334, 0.4583333333333333, 0.375, -0.2916666666666667, -0.19444444444444445, 0.05555555555555555, -0.20833333333333334, -0.0625, 0.125, -0.16666666666666666, -0.25, 0.0625, 0.25, -0.041666666666666664, -0.125, 0.2916666666666667, 0.027777777777777776, -0.4444444444444444, -0.16666666666666666, 0.25, 0.16666666666666666, -0.125, 0.0625});
  // larger than the input (overlapping windows): F.adaptive_avg_pool2d(pat([1,1,3,4]), (5, 9))
  check(run("adaptive_avg_pool2d", {pat({1, 1, 3, 4})}, attrs({{"size", Ints{5, 9}}}))[0],
        {1, 1, 5, 9}, {-0.75, -0.75, 0.125, 1.0, 0.25, -0.5, 0.375, 1.25, 1.25, -0.5, -0.5, 0.375, 1.25, 0.5, -0.25, -0.1875, -0.125, -0.125, -0.25, -0.25, 0.625, 1.5, 0.75, 0.0, -0.75, -1.5, -1.5, 0.0, 0.0, 0.0625, 0.125, 0.1875, 0.25, -0.5, -1.25, -1.25, 0.25, 0.25, -0.5, -1.25, -0.375, 0.5, -0.25, -1.0, -1.0});
}

TEST_CASE("eval: global_avg_pool") {
  // F.adaptive_avg_pool2d(pat([2,3,2,3]), 1)
  check(run("global_avg_pool", {pat({2, 3, 2, 3})})[0], {2, 3, 1, 1}, {0.375, -0.5, 0.25, -0.08333333333333333, 0.125, -0.20833333333333334});
}

TEST_CASE("eval: add, sub, mul, div with broadcasting") {
  // a = pat([2,1,3]), b = pat([4,1], 5, 2.0): a + b, a - b, a * b, a / b
  const Buffer a = pat({2, 1, 3}), b = pat({4, 1}, 5, 2.0);
  check(run("add", {a, b})[0], {2, 4, 3}, {0.5, 2.25, 0.75, 1.75, 3.5, 2.0, -0.25, 1.5, 0.0, 1.0, 2.75, 1.25, 2.5, 1.0, 2.75, 3.75, 2.25, 4.0, 1.75, 0.25, 2.0, 3.0, 1.5, 3.25});
  check(run("sub", {a, b})[0], {2, 4, 3}, {-2.0, -0.25, -1.75, -3.25, -1.5, -3.0, -1.25, 0.5, -1.0, -2.5, -0.75, -2.25, 0.0, -1.5, 0.25, -1.25, -2.75, -1.0, 0.75, -0.75, 1.0, -0.5, -2.0, -0.25});
  check(run("mul", {a, b})[0], {2, 4, 3}, {-0.9375, 1.25, -0.625, -1.875, 2.5, -1.25, -0.375, 0.5, -0.25, -1.3125, 1.75, -0.875, 1.5625, -0.3125, 1.875, 3.125, -0.625, 3.75, 0.625, -0.125, 0.75, 2.1875, -0.4375, 2.625});
  check(run("div", {a, b})[0], {2, 4, 3}, {-0.6, 0.8, -0.4, -0.3, 0.4, -0.2, -1.5, 2.0, -1.0, -0.42857142857142855, 0.5714285714285714, -0.2857142857142857, 1.0, -0.2, 1.2, 0.5, -0.1, 0.6, 2.5, -0.5, 3.0, 0.7142857142857143, -0.14285714285714285, 0.8571428571428571});
  // the broadcast operand first: pat([3], 5) - pat([2,3])
  check(run("sub", {pat({3}, 5), pat({2, 3})})[0], {2, 3}, {0.0, -0.5, -1.0, -2.0, 0.75, -3.0});
}

TEST_CASE("eval: concat") {
  // torch.cat([pat([2,1,3]), pat([2,2,3], 5), pat([2,3,3], 11)], dim=1)
  check(run("concat", {pat({2, 1, 3}), pat({2, 2, 3}, 5), pat({2, 3, 3}, 11)})[0], {2, 6, 3}, {-0.75, 1.0, -0.5, -0.75, 0.5, -1.5, -0.25, 1.0, -1.0, -0.75, -1.25, 1.5, 1.0, 0.5, 0.0, -0.5, -1.0, -1.5, 1.25, -0.25, 1.5, 0.25, 1.5, -0.5, 0.75, -1.25, 0.0, 1.25, 0.75, 0.25, -0.25, -0.75, -1.25, 1.5, 1.0, 0.5});
  // torch.cat([pat([2,2]), pat([2,1], 5)], dim=-1)
  check(run("concat", {pat({2, 2}), pat({2, 1}, 5)}, attrs({{"dim", int64_t{-1}}}))[0],
        {2, 3}, {-0.75, 1.0, -0.75, -0.5, 1.25, 0.5});
}

TEST_CASE("eval: split") {
  // torch.split(pat([2,5,2]), [2, 3], dim=1)
  auto y = run("split", {pat({2, 5, 2})}, attrs({{"sizes", Ints{2, 3}}}));
  REQUIRE(y.size() == 2);
  check(y[0], {2, 2, 2}, {-0.75, 1.0, -0.5, 1.25, 0.5, -1.0, 0.75, -0.75});
  check(y[1], {2, 3, 2}, {-0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0});
}

TEST_CASE("eval: chunk") {
  // torch.chunk(pat([2,5]), 3, dim=1): sizes 2, 2, 1
  auto y = run("chunk", {pat({2, 5})}, attrs({{"chunks", int64_t{3}}}));
  REQUIRE(y.size() == 3);
  check(y[0], {2, 2}, {-0.75, 1.0, 1.5, 0.0});
  check(y[1], {2, 2}, {-0.5, 1.25, -1.5, 0.25});
  check(y[2], {2, 1}, {-0.25, -1.25});
  // torch.chunk(pat([3,2]), 2, dim=0)
  y = run("chunk", {pat({3, 2})}, attrs({{"chunks", int64_t{2}}, {"dim", int64_t{0}}}));
  REQUIRE(y.size() == 2);
  check(y[0], {2, 2}, {-0.75, 1.0, -0.5, 1.25});
  check(y[1], {1, 2}, {-0.25, 1.5});
}

TEST_CASE("eval: channel_shuffle") {
  // torch.nn.ChannelShuffle(2)(pat([1,6,1,2]))
  check(run("channel_shuffle", {pat({1, 6, 1, 2})}, attrs({{"groups", int64_t{2}}}))[0],
        {1, 6, 1, 2}, {-0.75, 1.0, 0.0, -1.5, -0.5, 1.25, 0.25, -1.25, -0.25, 1.5, 0.5, -1.0});
  // torch.nn.ChannelShuffle(3)(pat([2,6,2]))
  check(run("channel_shuffle", {pat({2, 6, 2})}, attrs({{"groups", int64_t{3}}}))[0],
        {2, 6, 2}, {-0.75, 1.0, -0.25, 1.5, 0.25, -1.25, -0.5, 1.25, 0.0, -1.5, 0.5, -1.0, 0.75, -0.75, 1.25, -0.25, -1.5, 0.25, 1.0, -0.5, 1.5, 0.0, -1.25, 0.5});
}

TEST_CASE("eval: flatten and reshape keep the elements in order") {
  const Buffer x = pat({2, 3, 2, 2});
  auto y = run("flatten", {x});
  CHECK(formatShape(y[0].shape) == "[2,12]");
  CHECK(y[0].data == x.data);
  y = run("reshape", {x}, attrs({{"shape", Ints{3, -1}}}));
  CHECK(formatShape(y[0].shape) == "[3,8]");
  CHECK(y[0].data == x.data);
}

TEST_CASE("eval: transpose") {
  // torch.transpose(pat([2,3,4]), 0, -1)
  check(run("transpose", {pat({2, 3, 4})}, attrs({{"dim0", int64_t{0}}, {"dim1", int64_t{-1}}}))[0],
        {4, 3, 2}, {-0.75, 0.75, -0.25, 1.25, 0.25, -1.5, 1.0, -0.75, 1.5, -0.25, -1.25, 0.25, -0.5, 1.0, 0.0, 1.5, 0.5, -1.25, 1.25, -0.5, -1.5, 0.0, -1.0, 0.5});
}

TEST_CASE("eval: permute") {
  // pat([2,3,4]).permute(1, 2, 0)
  check(run("permute", {pat({2, 3, 4})}, attrs({{"dims", Ints{1, 2, 0}}}))[0], {3, 4, 2}, {-0.75, 0.75, 1.0, -0.75, -0.5, 1.0, 1.25, -0.5, -0.25, 1.25, 1.5, -0.25, 0.0, 1.5, -1.5, 0.0, 0.25, -1.5, -1.25, 0.25, 0.5, -1.25, -1.0, 0.5});
  // pat([2,3,4]).permute(-1, 0, 1)
  check(run("permute", {pat({2, 3, 4})}, attrs({{"dims", Ints{-1, 0, 1}}}))[0], {4, 2, 3}, {-0.75, -0.25, 0.25, 0.75, 1.25, -1.5, 1.0, 1.5, -1.25, -0.75, -0.25, 0.25, -0.5, 0.0, 0.5, 1.0, 1.5, -1.25, 1.25, -1.5, -1.0, -0.5, 0.0, 0.5});
}

TEST_CASE("eval: pad (constant, reflect, replicate, circular, negative pads crop)") {
  // F.pad(pat([1,1,3,3]), (1, -1, 2, 0), value=1.5)
  check(run("pad", {pat({1, 1, 3, 3})}, attrs({{"pads", Ints{1, -1, 2, 0}}, {"value", 1.5}}))[0],
        {1, 1, 5, 3}, {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, -0.75, 1.0, 1.5, 1.25, -0.25, 1.5, 0.0, -1.5});
  // F.pad(pat([2,3]), (-1, 2))
  check(run("pad", {pat({2, 3})}, attrs({{"pads", Ints{-1, 2}}}))[0], {2, 4}, {1.0, -0.5, 0.0, 0.0, -0.25, 1.5, 0.0, 0.0});
  // F.pad(pat([1,1,3,4]), (2, -1, 1, 1), mode="reflect")
  check(run("pad", {pat({1, 1, 3, 4})},
            attrs({{"pads", Ints{2, -1, 1, 1}}, {"mode", std::string("reflect")}}))[0],
        {1, 1, 5, 5}, {0.0, 1.5, -0.25, 1.5, 0.0, -0.5, 1.0, -0.75, 1.0, -0.5, 0.0, 1.5, -0.25, 1.5, 0.0, 0.5, -1.25, 0.25, -1.25, 0.5, 0.0, 1.5, -0.25, 1.5, 0.0});
  // F.pad(pat([1,1,3,4]), (2, 1, -1, 3), mode="replicate")
  check(run("pad", {pat({1, 1, 3, 4})},
            attrs({{"pads", Ints{2, 1, -1, 3}}, {"mode", std::string("replicate")}}))[0],
        {1, 1, 5, 7}, {-0.25, -0.25, -0.25, 1.5, 0.0, -1.5, -1.5, 0.25, 0.25, 0.25, -1.25, 0.5, -1.0, -1.0, 0.25, 0.25, 0.25, -1.25, 0.5, -1.0, -1.0, 0.25, 0.25, 0.25, -1.25, 0.5, -1.0, -1.0, 0.25, 0.25, 0.25, -1.25, 0.5, -1.0, -1.0});
  // circular wraps around the cropped input, as PyTorch:
  // F.pad(pat([1,1,3,4]), (2, -1, 1, 3), mode="circular")
  check(run("pad", {pat({1, 1, 3, 4})},
            attrs({{"pads", Ints{2, -1, 1, 3}}, {"mode", std::string("circular")}}))[0],
        {1, 1, 7, 5}, {-1.25, 0.5, 0.25, -1.25, 0.5, 1.0, -0.5, -0.75, 1.0, -0.5, 1.5, 0.0, -0.25, 1.5, 0.0, -1.25, 0.5, 0.25, -1.25, 0.5, 1.0, -0.5, -0.75, 1.0, -0.5, 1.5, 0.0, -0.25, 1.5, 0.0, -1.25, 0.5, 0.25, -1.25, 0.5});
  // F.pad(pat([1,2,4]), (-2, 1), mode="circular")
  check(run("pad", {pat({1, 2, 4})},
            attrs({{"pads", Ints{-2, 1}}, {"mode", std::string("circular")}}))[0],
        {1, 2, 3}, {-0.5, 1.25, -0.5, 0.0, -1.5, 0.0});
}

TEST_CASE("eval: upsample nearest (PyTorch's source index: 1/scale when a scale is given)") {
  // F.interpolate(pat([1,1,2,3]), scale_factor=2, mode="nearest")
  check(run("upsample", {pat({1, 1, 2, 3})}, attrs({{"scale", 2.0}}))[0], {1, 1, 4, 6}, {-0.75, -0.75, 1.0, 1.0, -0.5, -0.5, -0.75, -0.75, 1.0, 1.0, -0.5, -0.5, 1.25, 1.25, -0.25, -0.25, 1.5, 1.5, 1.25, 1.25, -0.25, -0.25, 1.5, 1.5});
  // floor(dst / 1.25), not floor(dst * 10 / 12): output 11 reads input 8, not 9
  // F.interpolate(pat([1,1,3,10]), scale_factor=1.25, mode="nearest")
  check(run("upsample", {pat({1, 1, 3, 10})}, attrs({{"scale", 1.25}}))[0], {1, 1, 3, 12}, {-0.75, -0.75, 1.0, -0.5, 1.25, -0.25, -0.25, 1.5, 0.0, -1.5, 0.25, 0.25, 0.5, 0.5, -1.0, 0.75, -0.75, 1.0, 1.0, -0.5, 1.25, -0.25, 1.5, 1.5, -1.5, -1.5, 0.25, -1.25, 0.5, -1.0, -1.0, 0.75, -0.75, 1.0, -0.5, -0.5});
  // F.interpolate(pat([1,1,3,4]), size=(5, 7), mode="nearest")
  check(run("upsample", {pat({1, 1, 3, 4})}, attrs({{"size", Ints{5, 7}}}))[0], {1, 1, 5, 7}, {-0.75, -0.75, 1.0, 1.0, -0.5, -0.5, 1.25, -0.75, -0.75, 1.0, 1.0, -0.5, -0.5, 1.25, -0.25, -0.25, 1.5, 1.5, 0.0, 0.0, -1.5, -0.25, -0.25, 1.5, 1.5, 0.0, 0.0, -1.5, 0.25, 0.25, -1.25, -1.25, 0.5, 0.5, -1.0});
  // F.interpolate(pat([1,1,5,6]), scale_factor=0.5, mode="nearest")
  check(run("upsample", {pat({1, 1, 5, 6})}, attrs({{"scale", 0.5}}))[0], {1, 1, 2, 3}, {-0.75, -0.5, -0.25, 0.75, 1.0, 1.25});
}

TEST_CASE("eval: upsample bilinear (align_corners=False)") {
  const Attrs bilinear = attrs({{"mode", std::string("bilinear")}});
  auto with = [&](const char *name, AttrValue v) {
    Attrs a = bilinear;
    a.set(name, std::move(v));
    return a;
  };
  // F.interpolate(pat([1,1,2,3]), scale_factor=2, mode="bilinear", align_corners=False)
  check(run("upsample", {pat({1, 1, 2, 3})}, with("scale", 2.0))[0], {1, 1, 4, 6}, {-0.75, -0.3125, 0.5625, 0.625, -0.125, -0.5, -0.25, -0.015625, 0.453125, 0.515625, 0.171875, 0.0, 0.75, 0.578125, 0.234375, 0.296875, 0.765625, 1.0, 1.25, 0.875, 0.125, 0.1875, 1.0625, 1.5});
  // F.interpolate(pat([1,1,3,4]), size=(5, 3), mode="bilinear", align_corners=False)
  check(run("upsample", {pat({1, 1, 3, 4})}, with("size", Ints{5, 3}))[0], {1, 1, 5, 3}, {-0.45833333333333337, 0.25, 0.9583333333333328, -0.2583333333333334, 0.45, 0.07500000000000004, 0.0416666666666666, 0.75, -1.2499999999999996, 0.01666666666666667, 0.07500000000000015, -0.9499999999999996, 6.591949208711867e-17, -0.375, -0.7499999999999996});
  // F.interpolate(pat([1,1,3,4]), scale_factor=1.5, mode="bilinear", align_corners=False)
  check(run("upsample", {pat({1, 1, 3, 4})}, with("scale", 1.5))[0], {1, 1, 4, 6}, {-0.75, 0.12499999999999994, 0.7500000000000002, -0.2499999999999999, 0.375, 1.25, -0.5, 0.3749999999999999, 1.0000000000000002, 9.020562075079397e-17, -0.18749999999999994, -0.12499999999999989, -0.16666666666666674, 0.43749999999999994, 0.8819444444444449, 0.24305555555555564, -0.6666666666666667, -1.4166666666666667, 0.16666666666666663, -0.3124999999999999, -0.5902777777777778, 0.21527777777777768, -0.33333333333333337, -1.0833333333333335});
  // F.interpolate(pat([1,1,3,10]), scale_factor=1.25, mode="bilinear", align_corners=False)
  check(run("upsample", {pat({1, 1, 3, 10})}, with("scale", 1.25))[0], {1, 1, 3, 12}, {-0.75, 0.4750000000000001, 0.25, 0.025000000000000466, 1.0999999999999999, -0.10000000000000053, 0.9750000000000003, 0.75, -0.45000000000000107, -1.324999999999999, 0.07500000000000062, -0.8000000000000016, 0.5, -0.55, -0.125, 0.2999999999999996, -0.5749999999999998, 0.8250000000000006, -0.050000000000000266, 0.375, 0.7999999999999989, -0.07499999999999907, 1.3250000000000006, 0.4499999999999984, -1.5, -0.2749999999999999, -0.5, -0.7249999999999995, 0.34999999999999987, -0.8500000000000005, 0.2250000000000003, 0.0, -0.22499999999999876, 0.8499999999999992, -0.35000000000000053, 0.7250000000000019});
}

TEST_CASE("eval: dropout and identity return their input") {
  const Buffer x = pat({2, 3});
  CHECK(run("dropout", {x}, attrs({{"p", 0.3}}))[0].data == x.data);
  CHECK(run("identity", {x})[0].data == x.data);
}

TEST_CASE("eval: input takes the buffer the evaluator is given") {
  Elaborated n("network n() { return input([2, 3]) }");
  const Buffer x = pat({2, 3});
  std::vector<Buffer> outs;
  REQUIRE(evaluate(*n.graph, {}, {x}, outs) == "");
  REQUIRE(outs.size() == 1);
  CHECK(outs[0].shape == x.shape);
  CHECK(outs[0].data == x.data);
}

// ---- random weights and inputs -------------------------------------------------

TEST_CASE("eval: random weights are deterministic, named by node and in range") {
  Elaborated n("network n() {\n"
        "  x = input([1, 3, 4, 4]) |> conv2d(8, k=3, padding=1) |> batchnorm |> relu\n"
        "  return x |> global_avg_pool |> flatten |> linear(5)\n"
        "}");
  const Graph &g = *n.graph;
  WeightStore a = randomWeights(g, 42), b = randomWeights(g, 42), c = randomWeights(g, 43);
  auto same = [](const WeightStore &x, const WeightStore &y) {
    if (x.size() != y.size())
      return false;
    for (const auto &[key, buf] : x)
      if (!y.count(key) || y.at(key).shape != buf.shape || y.at(key).data != buf.data)
        return false;
    return true;
  };
  CHECK(same(a, b));
  CHECK_FALSE(same(a, c));
  CHECK(a.size() == 8); // conv weight, bias; bn 4; linear weight, bias
  for (const auto &entry : a) {
    // Named copies: clang 14 cannot capture structured bindings in doctest's lambdas.
    const auto &key = entry.first;
    const Buffer &buf = entry.second;
    CHECK_MESSAGE(buf.data != c.at(key).data, key.first, ".", key.second);
    CHECK(buf.size() == Buffer::count(buf.shape));
  }
  auto within = [](const Buffer &buf, double lo, double hi) {
    for (double v : buf.data)
      if (!(v >= lo && v < hi))
        return false;
    return true;
  };
  const double convBound = 1 / std::sqrt(27.0), linearBound = 1 / std::sqrt(8.0);
  CHECK(within(a.at({"conv2d", "weight"}), -convBound, convBound));
  CHECK(within(a.at({"conv2d", "bias"}), -convBound, convBound));
  CHECK(within(a.at({"linear", "weight"}), -linearBound, linearBound));
  CHECK(within(a.at({"batchnorm", "weight"}), 0.5, 1.5));
  CHECK(within(a.at({"batchnorm", "running_var"}), 0.5, 1.5));
  CHECK(within(a.at({"batchnorm", "bias"}), -1, 1));
  CHECK(within(a.at({"batchnorm", "running_mean"}), -1, 1));
  // inputs: one per input node, uniform in [-1, 1), deterministic
  std::vector<Buffer> x = randomInputs(g, 7);
  REQUIRE(x.size() == 1);
  CHECK(formatShape(x[0].shape) == "[1,3,4,4]");
  CHECK(within(x[0], -1, 1));
  CHECK(randomInputs(g, 7)[0].data == x[0].data);
  CHECK(randomInputs(g, 8)[0].data != x[0].data);
}

TEST_CASE("eval: random values are pinned (the same on every platform)") {
  // splitmix64 seeded with splitmix64(seed) ^ fnv1a64(node + '\0' + tensor);
  // u = (next >> 11) * 2^-53; a weight is (-1 + 2u) / sqrt(fan-in). Computed
  // independently in Python.
  Elaborated n("network n() { return input([1, 2, 3, 3]) |> conv2d(1, k=1) }");
  WeightStore w = randomWeights(*n.graph, 1);
  const Buffer &conv = w.at({"conv2d", "weight"});
  CHECK(conv.data[0] == doctest::Approx(0.6786686907128442).epsilon(1e-15));
  CHECK(conv.data[1] == doctest::Approx(0.0006796607858980254).epsilon(1e-15));
  std::vector<Buffer> x = randomInputs(*n.graph, 1);
  CHECK(x[0].data[0] == doctest::Approx(0.09982759236341132).epsilon(1e-15));
}

// ---- whole graphs ----------------------------------------------------------------

TEST_CASE("eval: conv -> batchnorm -> relu equals its ops run one by one") {
  Elaborated n("network n() { return input([2, 3, 5, 5]) |> conv2d(4, k=3, stride=2, padding=1, "
        "bias=false) |> batchnorm(eps=0.001) |> relu }");
  const Graph &g = *n.graph;
  WeightStore w = randomWeights(g, 5);
  std::vector<Buffer> x = randomInputs(g, 5), outs;
  REQUIRE(evaluate(g, w, x, outs) == "");
  REQUIRE(outs.size() == 1);
  CHECK(formatShape(outs[0].shape) == "[2,4,3,3]");
  auto conv = run("conv2d", {x[0]},
                  attrs({{"out", int64_t{4}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                         {"padding", int64_t{1}}, {"bias", false}}),
                  {w.at({"conv2d", "weight"})});
  auto bn = run("batchnorm", {conv[0]}, attrs({{"eps", 0.001}}),
                {w.at({"batchnorm", "weight"}), w.at({"batchnorm", "bias"}),
                 w.at({"batchnorm", "running_mean"}), w.at({"batchnorm", "running_var"})});
  auto relu = run("relu", {bn[0]});
  CHECK(maxRelativeError(outs, relu) == 0);
  size_t zeros = 0, positive = 0;
  for (double v : outs[0].data) {
    zeros += v == 0;
    positive += v > 0;
  }
  CHECK(zeros > 0);
  CHECK(positive > 0);
  CHECK(zeros + positive == outs[0].size());
}

TEST_CASE("eval: a residual add adds the input to the branch") {
  // Node names follow the calls, so both graphs draw the same conv and
  // batchnorm weights: residual - x == branch.
  const std::string body = "x = input([1, 4, 3, 3])\n"
                           "y = x |> conv2d(4, k=3, padding=1, bias=false) |> batchnorm |> relu\n";
  Elaborated branch("network n() {\n" + body + "return y\n}");
  Elaborated residual("network n() {\n" + body + "return x + y\n}");
  std::vector<Buffer> b = evalRandom(*branch.graph, 9), r = evalRandom(*residual.graph, 9);
  std::vector<Buffer> x = randomInputs(*residual.graph, 9);
  REQUIRE(r.size() == 1);
  for (size_t i = 0; i < r[0].size(); ++i)
    r[0].data[i] -= x[0].data[i];
  CHECK(maxRelativeError(r, b) < 1e-12);
}

TEST_CASE("eval: a squeeze-excitation block scales each channel by a gate in (0, 1)") {
  Elaborated n("import \"std/blocks.net\"\n"
        "network n() { return input([2, 8, 4, 4]) |> squeeze_excitation(2) }");
  const Graph &g = *n.graph;
  std::vector<Buffer> y = evalRandom(g, 3), x = randomInputs(g, 3);
  REQUIRE(y.size() == 1);
  REQUIRE(y[0].shape == x[0].shape);
  for (size_t plane = 0; plane < 2 * 8; ++plane) {
    const double gate = y[0].data[plane * 16] / x[0].data[plane * 16];
    CHECK(gate > 0);
    CHECK(gate < 1);
    for (size_t i = 0; i < 16; ++i)
      CHECK(y[0].data[plane * 16 + i] == doctest::Approx(gate * x[0].data[plane * 16 + i]));
  }
}

TEST_CASE("eval: the same seed gives identical outputs, another seed others") {
  Elaborated n("import \"std/blocks.net\"\n"
        "network n() {\n"
        "  x = input([1, 3, 8, 8]) |> conv_bn_act(8, stride=2)\n"
        "  y = x |> conv_bn_act(8) |> squeeze_excitation(4)\n"
        "  return (x + y) |> global_avg_pool |> flatten |> linear(3) |> softmax\n"
        "}");
  std::vector<Buffer> a = evalRandom(*n.graph, 11), b = evalRandom(*n.graph, 11);
  std::vector<Buffer> c = evalRandom(*n.graph, 12);
  REQUIRE(a.size() == 1);
  CHECK(formatShape(a[0].shape) == "[1,3]");
  CHECK(a[0].data == b[0].data);
  CHECK(maxRelativeError(a, c) > 1e-3);
  CHECK(a[0].data[0] + a[0].data[1] + a[0].data[2] == doctest::Approx(1.0));
}

TEST_CASE("eval: a fused epilogue computes what the unfused graph does") {
  SUBCASE("conv + relu") {
    Elaborated n("network n() { return input([1, 3, 6, 6]) |> conv2d(4, k=3, padding=1) |> relu }");
    Graph fused = *n.graph;
    fuseInto(fused, idOf(fused, "conv2d"), idOf(fused, "relu"));
    REQUIRE(fused.nodes.size() == 2);
    REQUIRE(fused.nodes[1].epilogue.size() == 1);
    CHECK(fused.nodes[1].primaryInputs() == 1);
    CHECK(maxRelativeError(evalRandom(*n.graph, 1), evalRandom(fused, 1)) == 0);
  }
  SUBCASE("conv + residual add + relu6 (a binary epilogue, then a unary one)") {
    Elaborated n("network n() {\n"
          "  x = input([1, 4, 5, 5])\n"
          "  return relu6(conv2d(x, 4, k=3, padding=1) + x)\n"
          "}");
    Graph fused = *n.graph;
    fuseInto(fused, idOf(fused, "conv2d"), idOf(fused, "add"));
    fuseInto(fused, idOf(fused, "conv2d"), idOf(fused, "relu6"));
    const Node &conv = nodeNamed(fused, "conv2d");
    REQUIRE(conv.epilogue.size() == 2);
    CHECK(conv.inputs.size() == 2);
    CHECK(conv.primaryInputs() == 1);
    CHECK(conv.epilogue[0].extraInput == 1);
    CHECK_FALSE(conv.epilogue[0].extraFirst);
    CHECK(maxRelativeError(evalRandom(*n.graph, 2), evalRandom(fused, 2)) == 0);
  }
  SUBCASE("the other operand first (x - conv, x / sigmoid)") {
    Elaborated n("network n() {\n"
          "  x = input([1, 2, 4, 4])\n"
          "  y = x - conv2d(x, 2, k=1)\n"
          "  return x / sigmoid(linear(y, 4))\n"
          "}");
    Graph fused = *n.graph;
    fuseInto(fused, idOf(fused, "conv2d"), idOf(fused, "sub"));
    fuseInto(fused, idOf(fused, "linear"), idOf(fused, "sigmoid"));
    fuseInto(fused, idOf(fused, "linear"), idOf(fused, "div"));
    CHECK(nodeNamed(fused, "conv2d").epilogue[0].extraFirst);
    CHECK(nodeNamed(fused, "linear").epilogue[1].extraFirst);
    CHECK(fused.nodes.size() == 3);
    std::vector<Buffer> a = evalRandom(*n.graph, 3), b = evalRandom(fused, 3);
    CHECK(maxRelativeError(a, b) == 0);
  }
  SUBCASE("an SE gate: conv + sigmoid + a broadcasting multiply") {
    Elaborated n("import \"std/blocks.net\"\n"
          "network n() { return input([1, 4, 3, 3]) |> conv2d(8, k=1) |> "
          "squeeze_excitation(2) }");
    Graph fused = *n.graph;
    fuseInto(fused, idOf(fused, "squeeze_excitation.conv2d"), idOf(fused, "squeeze_excitation.relu"));
    const std::string excite = "squeeze_excitation.conv2d_1";
    fuseInto(fused, idOf(fused, excite), idOf(fused, "squeeze_excitation.sigmoid"));
    // mul(x, gate): the gate [1,8,1,1] scales the block's input [1,8,3,3]
    fuseInto(fused, idOf(fused, excite), idOf(fused, "squeeze_excitation.mul"));
    const Node &conv = nodeNamed(fused, excite);
    REQUIRE(conv.epilogue.size() == 2);
    CHECK(conv.epilogue[1].extraFirst);
    CHECK(formatShape(fused.type(conv.outputs[0]).shape) == "[1,8,3,3]");
    CHECK(fused.nodes.size() == 5);
    CHECK(maxRelativeError(evalRandom(*n.graph, 4), evalRandom(fused, 4)) == 0);
  }
}

TEST_CASE("eval: example networks run at small sizes (finite outputs)") {
  const std::pair<const char *, std::vector<std::pair<std::string, std::string>>> cases[] = {
      {"custom.net", {{"res", "64"}, {"width", "0.25"}}},
      {"shufflenet_v2_x1_0.net", {{"res", "32"}, {"width", "0.5"}, {"classes", "10"}}},
      {"mobilenet_v3_small.net", {{"res", "32"}, {"width", "0.25"}, {"classes", "10"}}},
      {"squeezenet1_0.net", {{"res", "48"}, {"classes", "10"}}},
      {"vit_b_16.net",
       {{"res", "32"}, {"layers", "2"}, {"d", "32"}, {"heads", "4"}, {"mlp_dim", "64"},
        {"classes", "10"}}},
      // The language models, small (2 layers of width 32, 8 tokens after 3 cached).
      {"bert_base.net", *test::smallLanguageModel("bert_base.net")},
      {"gpt2.net", *test::smallLanguageModel("gpt2.net")},
      {"llama2_7b.net", *test::smallLanguageModel("llama2_7b.net")},
      {"llama3_8b.net", *test::smallLanguageModel("llama3_8b.net")},
      {"mixtral_8x7b.net", *test::smallLanguageModel("mixtral_8x7b.net")},
  };
  for (const auto &testCase : cases) {
    const char *file = testCase.first;
    const auto &overrides = testCase.second;
    CAPTURE(file);
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    LoadOptions lo;
    lo.stdlibDir = NETC_TEST_DIR "/../stdlib";
    std::optional<Program> program =
        loadProgram(diag, std::string(NETC_TEST_DIR "/../examples/") + file, lo);
    REQUIRE(program);
    ElabOptions eo;
    eo.overrides = overrides;
    std::optional<Graph> g = elaborate(*program, diag, eo);
    REQUIRE(g);
    std::vector<Buffer> outs = evalRandom(*g, 1);
    REQUIRE(outs.size() == g->outputs.size());
    bool finite = true;
    for (const Buffer &b : outs)
      for (double v : b.data)
        finite &= std::isfinite(v);
    CHECK(finite);
  }
}

TEST_CASE("eval: errors name the node and the weight") {
  Elaborated n("network n() { return input([1, 2, 3, 3]) |> conv2d(2, k=1) |> batchnorm }");
  const Graph &g = *n.graph;
  WeightStore w = randomWeights(g, 1);
  std::vector<Buffer> x = randomInputs(g, 1), outs;
  WeightStore missing = w;
  missing.erase({"batchnorm", "running_var"});
  CHECK(evaluate(g, missing, x, outs) == "missing weight 'running_var' of node 'batchnorm'");
  WeightStore wrong = w;
  wrong[{"conv2d", "weight"}] = Buffer({2, 2});
  CHECK(evaluate(g, wrong, x, outs) ==
        "weight 'weight' of node 'conv2d' has shape [2,2] (4 values), expected [2,2,1,1]");
  CHECK(evaluate(g, w, {}, outs) == "the graph has 1 inputs, got 0 buffers");
  CHECK(evaluate(g, w, {Buffer({1, 2, 3, 4})}, outs) ==
        "input 'input' has shape [1,2,3,4] (24 values), expected [1,2,3,3]");
  CHECK(outs.empty());
  CHECK(evaluate(g, w, x, outs) == "");
  CHECK(outs.size() == 1);
}

TEST_CASE("eval: maxRelativeError") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto one = [](std::vector<double> v) {
    const int64_t n = static_cast<int64_t>(v.size());
    return std::vector<Buffer>{vals({n}, std::move(v))};
  };
  CHECK(maxRelativeError(one({1, 2}), one({1, 2})) == 0);
  CHECK(maxRelativeError(one({100, 2}), one({101, 2})) == doctest::Approx(1.0 / 101));
  // near zero the denominator is 1e-3: an absolute error of 1e-6 is 1e-3
  CHECK(maxRelativeError(one({0, 1}), one({1e-6, 1})) == doctest::Approx(1e-3));
  CHECK(maxRelativeError(one({inf, nan}), one({inf, nan})) == 0);
  CHECK(maxRelativeError(one({1}), one({nan})) == inf);
  CHECK(maxRelativeError(one({1, 2}), one({1, 2, 3})) == inf);
  CHECK(maxRelativeError(one({1, 2}), {}) == inf);
  CHECK(maxRelativeError({vals({2, 1}, {1, 2})}, {vals({1, 2}, {1, 2})}) == inf);
}
