// The transformer ops (embedding, rmsnorm, rotary, attention, moe), token ids
// (i64) and tied weights (their eval rules are checked in EvalTest.cpp): the
// cost model's conventions for them (MACs of
// attention, KV cache elements, the score matrix's traffic, embedding bytes,
// MoE active params and expert reads, tied weights counted once).
#include "TestUtil.h"

#include "cost/CostModel.h"
#include "eval/Evaluator.h"
#include "ir/OpTable.h"
#include "passes/Pass.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>

using namespace netc;
using namespace netc::ir;

namespace {

const Node &nodeOf(const Graph &g, const std::string &op) {
  for (const Node &n : g.nodes)
    if (n.op->name == op)
      return n;
  FAIL("no node of op " << op);
  return g.nodes.front();
}

cost::NodeCost costOf(const Graph &g, const std::string &op, cost::CostOptions opts = {}) {
  cost::NodeCost c;
  REQUIRE(cost::costNode(g, nodeOf(g, op), opts, c) == "");
  return c;
}

} // namespace

TEST_CASE("transformer: attention's MACs, KV cache and traffic") {
  // q [1, 3, 8] (heads 2, D 4), k and v [1, 3, 4] (kv_heads 1), past 5: Lk = 8.
  test::Elaborated e("network n() {\n"
                     "  q = input([1, 3, 8])\n  k = input([1, 3, 4])\n"
                     "  return attention(q, k, k, 2, kv_heads=1, causal=true, past=5)\n}\n");
  cost::NodeCost c = costOf(*e.graph, "attention");
  CHECK(c.work.macs == 1 * 2 * 3 * 8 * 4 * 2);     // B heads Sq Lk D, QK^T and AV
  CHECK(c.work.elementwiseFlops == 6 * 2 * 3 * 8); // scale + softmax 5 per score
  CHECK(c.kv.held == 2 * 1 * 8 * 1 * 4);
  CHECK(c.kv.read == 2 * 1 * 5 * 1 * 4);
  CHECK(c.kv.written == 2 * 1 * 3 * 1 * 4);
  // The cache read and 4 passes over the scores B heads Sq Lk.
  CHECK(c.extraElems == 40 + 4 * 2 * 3 * 8);
  CHECK(c.memoryElems == 24 + 12 + 12 + 24 + c.extraElems);
  // At batch 3 every count triples.
  cost::CostOptions b3;
  b3.batch = 3;
  cost::NodeCost c3 = costOf(*e.graph, "attention", b3);
  CHECK(c3.kv.held == 3 * c.kv.held);
  CHECK(c3.extraElems == 3 * c.extraElems);
  // fused (FlashAttention): the scores stay on chip.
  test::Elaborated f("network n() {\n"
                     "  q = input([1, 3, 8])\n  k = input([1, 3, 4])\n"
                     "  return attention(q, k, k, 2, kv_heads=1, past=5, fused=true)\n}\n");
  CHECK(costOf(*f.graph, "attention").extraElems == 40);
  // Without past, only causal (decoder) self-attention keeps a cache; an
  // encoder's attention (ViT, BERT) keeps none.
  test::Elaborated enc("network n() {\n  q = input([1, 3, 8])\n"
                       "  return attention(q, q, q, 2), attention(q, q, q, 2, causal=true)\n}\n");
  CHECK(costOf(*enc.graph, "attention").kv.held == 0);
  CHECK(cost::costNode(*enc.graph, enc.graph->nodes.back(), {}, c) == "");
  CHECK(c.kv.held == 2 * 3 * 8);
}

TEST_CASE("transformer: embedding bytes are the rows read, ids are 8 bytes") {
  test::Elaborated e("network n() {\n"
                     "  return input([1, 6], dtype=\"i64\") |> embedding(100, 4)\n}\n");
  cost::NodeCost c = costOf(*e.graph, "embedding");
  CHECK(c.params == 400);
  CHECK(c.work.elementwiseFlops == 0);
  CHECK(c.weightReadElems == 6 * 4);
  CHECK(c.indexElems == 6);
  CHECK(c.memoryElems == 6 + 24 + 24);
  cost::CostOptions big;
  big.batch = 50; // 300 tokens read at most the whole table of 100 rows
  CHECK(costOf(*e.graph, "embedding", big).weightReadElems == 400);
  // The report: (24 + 24) x 4 B + 6 ids x 8 B.
  DiagEngine &diag = e.diag;
  target::HardwareProfile hw;
  hw.name = "t";
  hw.peak[0] = 1e12;
  hw.bandwidth = 1e11;
  std::optional<cost::Report> r = cost::buildReport(*e.graph, hw, {}, diag);
  REQUIRE(r);
  CHECK(r->totals.memoryBytes == 48 * 4 + 6 * 8);
}

TEST_CASE("transformer: moe counts total and active params, active MACs and experts read") {
  // d 4, 8 experts, top 2, hidden 6: params 8*4 + 8*3*4*6; active 8*4 + 2*3*4*6.
  test::Elaborated e("network n() {\n  return input([1, 5, 4]) |> moe(8, 2, 6)\n}\n");
  cost::NodeCost c = costOf(*e.graph, "moe");
  CHECK(c.params == 32 + 576);
  CHECK(c.activeParams == 32 + 144);
  CHECK(c.work.macs == 5 * (4 * 8 + 2 * 3 * 4 * 6));
  CHECK(c.weightReadElems == 32 + 8 * 72); // 10 routed tokens touch all 8 experts
  test::Elaborated one("network n() {\n  return input([1, 1, 4]) |> moe(8, 2, 6)\n}\n");
  CHECK(costOf(*one.graph, "moe").weightReadElems == 32 + 2 * 72); // decode: top_k experts
}

TEST_CASE("transformer: a tied lm_head is counted once and evaluates with the shared weight") {
  // torch: nn.Embedding(7, 3) + nn.Linear(3, 7, bias=False) with lm_head.weight =
  // wte.weight: sum(p.numel() for p in model.parameters()) = 7 * 3 = 21.
  test::Elaborated e("network n() {\n"
                     "  tok = input([1, 4], dtype=\"i64\") |> embedding(7, 3)\n"
                     "  return linear(tok, 7, bias=false, tied=tok)\n}\n");
  const Graph &g = *e.graph;
  cost::NodeCost lin = costOf(g, "linear");
  CHECK(lin.params == 0);
  CHECK(lin.weightReadElems == 21); // its bytes are still read
  CHECK(costOf(g, "embedding").params == 21);
  // eval: logits[t, o] = sum_i E[id_t, i] E[o, i] with E the embedding's table.
  const WeightStore ws = eval::randomWeights(g, 5);
  CHECK(ws.count({nodeOf(g, "linear").name, "weight"}) == 0);
  const std::vector<Buffer> ins = eval::randomInputs(g, 5);
  std::vector<Buffer> outs;
  REQUIRE(eval::evaluate(g, ws, ins, outs) == "");
  const Buffer &E = ws.at({nodeOf(g, "embedding").name, "weight"});
  for (size_t t = 0; t < 4; ++t) {
    const double id = ins[0].data[t];
    CHECK(id == std::floor(id));
    const size_t row = static_cast<size_t>(id) % 7;
    for (size_t o = 0; o < 7; ++o) {
      double expected = 0;
      for (size_t i = 0; i < 3; ++i)
        expected += E.data[row * 3 + i] * E.data[o * 3 + i];
      CHECK(outs[0].data[t * 7 + o] == doctest::Approx(expected).epsilon(1e-12));
    }
  }
}

TEST_CASE("transformer: blocks count params as PyTorch") {
  // torch.nn.MultiheadAttention(16, 4): 4 d^2 + 4 d = 1088.
  auto params = [](const std::string &body) {
    test::Elaborated e("import \"std/transformer.net\"\nnetwork n() {\n  x = input([2, 5, 16])\n" +
                       body + "\n}\n");
    int64_t p = 0;
    for (const Node &n : e.graph->nodes) {
      cost::NodeCost c;
      REQUIRE(cost::costNode(*e.graph, n, {}, c) == "");
      p += c.params;
    }
    return p;
  };
  CHECK(params("  return mha(x, 4)") == 4 * 16 * 16 + 4 * 16);
  // nn.TransformerEncoderLayer(16, 4, dim_feedforward=32): mha + 2 linears + 2 norms.
  const int64_t enc = 1088 + (16 * 32 + 32) + (32 * 16 + 16) + 4 * 16;
  CHECK(params("  return encoder_layer(x, 4, ff=32)") == enc);
  CHECK(params("  return encoder_layer(x, 4, ff=32, norm_first=true)") == enc);
  // nn.TransformerDecoderLayer(16, 4, dim_feedforward=32): + cross-attention + a norm.
  CHECK(params("  return decoder_layer(x, x, 4, ff=32)") == enc + 1088 + 2 * 16);
  // SwiGLU without bias: 3 d hidden; GPT-2 block: 12 d^2 + 13 d.
  CHECK(params("  return swiglu_mlp(x, 24)") == 3 * 16 * 24);
  CHECK(params("  return geglu_mlp(x, 24, bias=true)") == 3 * 16 * 24 + 2 * 24 + 16);
  CHECK(params("  return gpt2_block(x, 4)") == 12 * 16 * 16 + 13 * 16);
  // Llama block, kv_heads 2 of 4 (head_dim 4): 2 d^2 + 2 d 8 + 3 d hidden + 2 d.
  CHECK(params("  return llama_block(x, 4, 24, kv_heads=2)") ==
        2 * 256 + 2 * 16 * 8 + 3 * 16 * 24 + 2 * 16);
}

TEST_CASE("transformer: a network parameter past flows into the KV cache") {
  test::Elaborated e("import \"std/transformer.net\"\n"
                     "network n(past: int = 9) {\n  x = input([1, 1, 16])\n"
                     "  return llama_block(x, 4, 24, kv_heads=2, past=past)\n}\n");
  const Node &a = nodeOf(*e.graph, "attention");
  CHECK(a.attrs.getInt("past") == 9);
  CHECK(nodeOf(*e.graph, "rotary").attrs.getInt("past") == 9);
  CHECK(costOf(*e.graph, "attention").kv.read == 2 * 9 * 2 * 4);
}

TEST_CASE("transformer: token ids only go into ops that take indices") {
  test::Elaborated e("network n() {\n  return input([1, 8], dtype=\"i64\") |> relu\n}\n", {},
                     /*mustSucceed=*/false);
  CHECK_FALSE(e.graph);
  CHECK(e.errors().find("relu: expects floating-point tensors, got i64[1,8]") !=
        std::string::npos);
  CHECK(parseDType("i64") == DType::I64);
  CHECK(dtypeBytes(DType::I64) == 8);
  target::HardwareProfile hw;
  CHECK(hw.peakFor(DType::I64) == 0); // ids are never computed on
}

TEST_CASE("transformer: remove-dead keeps the owner of a tied weight") {
  // The embedding's output is read by nobody but it owns the lm_head's weight.
  test::Elaborated e("network n() {\n  ids = input([1, 4], dtype=\"i64\")\n"
                     "  tok = embedding(ids, 7, 3)\n  x = input([1, 4, 3])\n"
                     "  return linear(x, 7, bias=false, tied=tok)\n}\n");
  Graph g = *e.graph;
  passes::PassContext ctx{g, nullptr, "", {}};
  REQUIRE(passes::runPasses(ctx, {}, nullptr) == "");
  bool kept = false;
  for (const Node &n : g.nodes)
    kept |= n.op->name == "embedding";
  CHECK(kept);
  int64_t params = 0;
  for (const Node &n : g.nodes)
    params += costOf(g, n.op->name).params * (n.op->name == "embedding");
  CHECK(params == 21);
}
