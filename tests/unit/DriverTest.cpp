// driver::Compilation: the one pipeline every entry point calls.
#include "driver/Compilation.h"

#include "TestUtil.h"

#include "cost/CostModel.h"

#include <doctest/doctest.h>

#include <string>

using namespace netc;
using driver::Compilation;
using driver::Failure;
using driver::PipelineOptions;

namespace {

const char *const kNet = test::kResidualNet;

target::HardwareProfile device() {
  target::HardwareProfile hw;
  hw.name = "test";
  hw.peak[0] = 1e12;
  hw.bandwidth = 1e11;
  hw.memory = 1e9;
  return hw;
}

/// A Compilation of `text`, its diagnostics captured; on device() unless
/// the options name a --hw.
struct Compiled {
  std::string err;
  llvm::raw_string_ostream errs{err};
  Compilation c;
  explicit Compiled(const std::string &text, PipelineOptions opts = {}) : c(opts, errs) {
    if (opts.hardware.empty())
      c.setHardware(device());
    REQUIRE(c.loadText(text, "t.net"));
  }
  std::string errors() {
    c.printDiagnostics();
    return errs.str();
  }
};

} // namespace

TEST_CASE("driver: the report is complete: optimized and as-written totals, passes, total row") {
  Compiled k(kNet);
  std::optional<cost::Report> r = k.c.report();
  REQUIRE_MESSAGE(r, k.errors());
  // As written: input, 2 x (conv2d, batchnorm, add, relu), global_avg_pool, flatten.
  REQUIRE(r->unoptimized);
  CHECK(r->unoptimized->nodes == 11);
  CHECK(r->unoptimized->buffers == 2 * 8); // the batchnorms' running mean and var
  CHECK(r->totals.buffers == 0);           // folded away
  CHECK(r->layers.size() < 11);
  CHECK(r->passes == driver::passNames({}));
  CHECK(r->passes.size() == passes::allPasses().size());
  // The total row is the totals, its roofline recomputed.
  CHECK(r->totalRow.flops == r->totals.flops);
  CHECK(r->totalRow.latency == r->totals.latency);
  CHECK(r->totalRow.intensity > 0);
  CHECK(r->groups.empty());
  CHECK(&r->rows() == &r->layers);
  CHECK(!r->maxBatch);
}

TEST_CASE("driver: -O0 costs the graph as written, with no as-written column") {
  PipelineOptions o;
  o.optimize = false;
  Compiled k(kNet, o);
  std::optional<cost::Report> r = k.c.report();
  REQUIRE(r);
  CHECK(!r->unoptimized);
  CHECK(r->passes.empty());
  CHECK(r->layers.size() == 11);
  CHECK(r->totals.buffers == 16);
}

TEST_CASE("driver: --group-by and --max-batch are part of the report") {
  PipelineOptions o;
  o.groupBy = cost::GroupBy::Op;
  o.maxBatch = true;
  Compiled k(kNet, o);
  std::optional<cost::Report> r = k.c.report();
  REQUIRE(r);
  REQUIRE(!r->groups.empty());
  CHECK(&r->rows() == &r->groups);
  int64_t flops = 0;
  for (const cost::LayerCost &g : r->groups)
    flops += g.flops;
  CHECK(flops == r->totals.flops);
  CHECK(r->groups.front().name == "input");
  REQUIRE(r->maxBatch);
  CHECK(r->maxBatch->batch >= 1);
}

TEST_CASE("driver: --passes selects the passes the report lists") {
  PipelineOptions o;
  o.passes = {"fold-batchnorm"};
  Compiled k(kNet, o);
  std::optional<cost::Report> r = k.c.report();
  REQUIRE(r);
  CHECK(r->passes == std::vector<std::string>{"fold-batchnorm"});
  CHECK(r->totals.buffers == 0);
}

TEST_CASE("driver: the hardware is resolved once, from --hw or the program") {
  const std::string text = std::string(kNet) + R"(
hardware my_box {
  peak_fp32 = 2 TFLOP/s
  bandwidth = 50 GB/s
}
)";
  PipelineOptions o;
  o.hardware = "my_box";
  Compiled k(text, o);
  Compilation &c = k.c;
  const target::HardwareProfile *hw = c.hardware();
  REQUIRE(hw);
  CHECK(hw->name == "my_box");
  CHECK(hw->peakFor(ir::DType::F32) == 2e12);
  CHECK(c.hardware() == hw); // the same profile, not looked up again
  std::optional<cost::Report> r = c.report();
  REQUIRE(r);
  CHECK(r->hardware.name == "my_box");
}

TEST_CASE("driver: an unknown --hw is an input error, reported once") {
  PipelineOptions o;
  o.hardware = "no_such_device";
  Compiled k(kNet, o);
  Compilation &c = k.c;
  CHECK(c.hardware() == nullptr);
  CHECK(c.hardware() == nullptr);
  CHECK(!c.report());
  CHECK(c.failure() == Failure::Input);
  CHECK(c.exitCode() == 1);
  c.printDiagnostics();
  c.printDiagnostics(); // nothing twice
  const std::string out = k.errs.str();
  CHECK(out.find("unknown hardware 'no_such_device'") != std::string::npos);
  CHECK(out.find("unknown hardware", out.find("unknown hardware") + 1) == std::string::npos);
}

TEST_CASE("driver: errors in the input fail with exit code 1 and are located") {
  std::string err;
  llvm::raw_string_ostream errs(err);
  Compilation c({}, errs);
  CHECK(!c.loadText("network n() {\n  return relu(\n}\n", "bad.net"));
  CHECK(c.exitCode() == 1);
  c.printDiagnostics();
  CHECK(errs.str().rfind("bad.net:3:1: error:", 0) == 0);

  Compiled k("network n() {\n  x = input([1, 3, 8, 8])\n  return conv2d(x, 4, k=9)\n}\n");
  CHECK(!k.c.elaborate());
  CHECK(k.c.failure() == Failure::Input);
  CHECK(k.errors().find("t.net:3:10: error:") != std::string::npos);
}

TEST_CASE("driver: print() lines show as elaboration runs, before its warnings, and are not kept") {
  Compiled k("network n() {\n  for i in range(3) { print(\"i =\", i) }\n  x = input([1, 2])\n"
             "  y = relu(x)\n  return x\n}\n");
  REQUIRE(k.c.elaborate());
  CHECK(k.c.failure() == Failure::None);
  CHECK(k.c.diag().diagnostics().size() == 1); // the warning; the notes went out at once
  CHECK(k.errors() == "t.net:2:23: note: print: i = 0\n"
                      "t.net:2:23: note: print: i = 1\n"
                      "t.net:2:23: note: print: i = 2\n"
                      "t.net:4:7: warning: the output of 'relu' is never used\n"
                      "  y = relu(x)\n"
                      "      ^\n");
  // Each elaboration prints again; the DiagEngine keeps later notes as before.
  REQUIRE(k.c.elaborate());
  CHECK(k.errors().find("print: i = 2", k.errors().find("never used")) != std::string::npos);
  k.c.diag().note(SourceLoc{}, "kept");
  CHECK(k.c.diag().diagnostics().size() == 3);
}

TEST_CASE("driver: a file of blocks has no network, -D or --network asks for one") {
  Compiled blocks("block b(x) {\n  return relu(x)\n}\n");
  CHECK(!blocks.c.hasNetwork());
  Compiled net(kNet);
  CHECK(net.c.hasNetwork());
  PipelineOptions o;
  o.elab.network = "other";
  Compiled named("block b(x) {\n  return relu(x)\n}\n", o);
  CHECK(named.c.hasNetwork());
}

TEST_CASE("driver: the opt report's trace measures each rewrite") {
  Compiled k(kNet);
  std::optional<ir::Graph> g = k.c.elaborate();
  REQUIRE(g);
  driver::PassTrace trace;
  trace.measureEach = true;
  std::optional<cost::Report> r = k.c.report(*g, &trace);
  REQUIRE(r);
  CHECK(trace.steps.size() == passes::allPasses().size());
  size_t applied = 0;
  for (const passes::Rewrite &w : trace.rewrites)
    if (w.applied) {
      ++applied;
      CHECK(w.measured);
      CHECK(w.after.nodes <= w.before.nodes);
    }
  CHECK(applied >= 2); // both batchnorms fold
  CHECK(g->nodes.size() == r->layers.size());
}

TEST_CASE("driver: emitCpp writes the program of the optimized graph") {
  Compiled k(kNet);
  auto files = k.c.emitCpp({});
  REQUIRE_MESSAGE(files, k.errors());
  bool model = false;
  for (const codegen::EmittedFile &f : *files)
    model |= f.name == "model.cpp" && f.text.find("fold_batchnorm") != std::string::npos;
  CHECK(model);
  codegen::EmitOptions tiny;
  tiny.maxBytes = 100;
  Compiled small(kNet);
  CHECK(!small.c.emitCpp(tiny));
  CHECK(small.c.exitCode() == 1);
}

namespace {

// A decoder-like network costed by phase: seq new tokens after past cached.
const char *const kDecoder = "network n(seq: int = 4, past: int = 0) {\n"
                             "  x = input([1, seq, 16])\n"
                             "  a = attention(linear(x, 16), x, x, 4, causal=true, past=past)\n"
                             "  y = linear(a, 16)\n"
                             "  if past > 8 { y = relu(y) }\n" // a layer more late in a request
                             "  return y\n"
                             "}\n";

/// The options netc's --phase/--generate give (options::applyPhase).
PipelineOptions phased(cost::Phase p, int64_t prompt, int64_t context, int64_t generate) {
  PipelineOptions o;
  o.phase = {p, prompt, context, generate};
  o.elab.phaseArgs = {{"seq", std::to_string(o.phase.seq())},
                      {"past", std::to_string(o.phase.past())}};
  o.elab.phaseFlag = "--phase";
  return o;
}

/// The roofline latency of one decode step at `past`, from its own Compilation.
double decodeLatency(const std::string &text, int64_t past) {
  Compiled k(text, phased(cost::Phase::Decode, 0, past, 0));
  std::optional<cost::Report> r = k.c.report();
  REQUIRE_MESSAGE(r, k.errors());
  REQUIRE(r->serving);
  CHECK(r->serving->decodeStep.roofline == r->totals.latency);
  return r->totals.latency;
}

} // namespace

TEST_CASE("driver: a request is its prefill plus every decode step, summed exactly") {
  // Steps at past 5..8 are affine in past (the sum of two costed steps'
  // lines, checked at the last); up to past 10 a relu appears at past 9, so
  // the steps are costed one by one. Both equal the steps costed alone.
  for (int64_t generate : {5, 7}) {
    CAPTURE(generate);
    Compiled k(kDecoder, phased(cost::Phase::Request, 5, 0, generate));
    std::optional<cost::Report> r = k.c.report();
    REQUIRE_MESSAGE(r, k.errors());
    REQUIRE(r->serving);
    const cost::Serving &s = *r->serving;
    CHECK(s.method == (generate == 5 ? "affine in past, checked at the last step"
                                     : "exact per step"));
    CHECK(s.decodeSteps == generate - 1);
    CHECK(s.prefill.roofline == r->totals.latency);
    double sum = 0;
    for (int64_t past = 5; past < 5 + generate - 1; ++past)
      sum += decodeLatency(kDecoder, past);
    CHECK(s.total.roofline == doctest::Approx(r->totals.latency + sum).epsilon(1e-12));
    CHECK(s.decodeStep.roofline == doctest::Approx(sum / (generate - 1)).epsilon(1e-12));
    CHECK(s.firstStep.roofline == doctest::Approx(decodeLatency(kDecoder, 5)).epsilon(1e-12));
    CHECK(s.lastStep.roofline ==
          doctest::Approx(decodeLatency(kDecoder, 5 + generate - 2)).epsilon(1e-12));
    CHECK(s.tokensPerSecond.roofline == doctest::Approx(generate / s.total.roofline));
    // The cache ends holding prompt + generate - 1 tokens: 2 (K, V) x 16 f32 each.
    CHECK(s.kvCacheBytes == 2 * (5 + generate - 1) * 16 * 4);
  }
}

TEST_CASE("driver: prefill and decode phases set seq and past and give tokens per second") {
  Compiled p(kDecoder, phased(cost::Phase::Prefill, 12, 0, 0));
  std::optional<cost::Report> r = p.c.report();
  REQUIRE_MESSAGE(r, p.errors());
  CHECK(r->params == std::vector<std::pair<std::string, std::string>>{{"seq", "12"},
                                                                       {"past", "0"}});
  REQUIRE(r->serving);
  CHECK(r->serving->prefill.roofline == r->totals.latency);
  CHECK(r->serving->tokensPerSecond.roofline == doctest::Approx(12 / r->totals.latency));
  CHECK(r->totals.kvHeld == 2 * 12 * 16);

  Compiled d(kDecoder, phased(cost::Phase::Decode, 0, 30, 0));
  r = d.c.report();
  REQUIRE_MESSAGE(r, d.errors());
  CHECK(r->params == std::vector<std::pair<std::string, std::string>>{{"seq", "1"},
                                                                       {"past", "30"}});
  CHECK(r->totals.kvRead == 2 * 30 * 16);
  CHECK(r->serving->tokensPerSecond.roofline == doctest::Approx(1 / r->totals.latency));

  // A network without seq and past cannot be costed by phase.
  Compiled n(kNet, phased(cost::Phase::Decode, 0, 30, 0));
  CHECK(!n.c.report());
  CHECK(n.errors().find("has no parameter 'seq'") != std::string::npos);
}

TEST_CASE("driver: weights and the KV cache take their own storage types") {
  PipelineOptions o = phased(cost::Phase::Decode, 0, 100, 0);
  Compiled plain(kDecoder, o);
  std::optional<cost::Report> a = plain.c.report();
  REQUIRE(a);
  o.cost.weightStorage = cost::parseStorage("int4");
  o.cost.kvStorage = cost::parseStorage("int8");
  Compiled packed(kDecoder, o);
  std::optional<cost::Report> b = packed.c.report();
  REQUIRE(b);
  // Two linears of 16 x 16 + 16: 544 params, 4 bits each.
  CHECK(a->totals.weightBytes == 544 * 4);
  CHECK(b->totals.weightBytes == 544 / 2);
  // Bytes moved: the weights shrink 8x, the KV cache read 4x, the rest stays.
  const int64_t kvRead = 2 * 100 * 16;
  CHECK(a->totals.memoryBytes - b->totals.memoryBytes ==
        (544 * 4 - 544 / 2) + (kvRead * 4 - kvRead));
  CHECK(cost::storageBytes(3, 4) == 2); // two 4-bit elements to a byte, rounded up
  CHECK(cost::storageBytes(INT64_MAX, 32) == std::nullopt);
}
