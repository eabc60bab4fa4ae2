// The C++ emitter (codegen/CppEmitter) and the kernel helpers (ir/Kernel.h).
// Building and running the emitted programs is tested by tests/emit/*.sh.
#include "TestUtil.h"

#include "cost/CostModel.h"
#include "analysis/MemoryPlanner.h"
#include "codegen/CppEmitter.h"
#include "driver/Compilation.h"
#include "ir/Kernel.h"
#include "ir/OpTable.h"
#include "passes/Pass.h"

#include <fmt/format.h>

#include <map>

using namespace netc;

namespace {

target::HardwareProfile testHardware() {
  target::HardwareProfile hw;
  hw.name = "test";
  hw.peak[0] = 1e12;
  hw.bandwidth = 1e11;
  return hw;
}

/// Elaborates `text`, optimizes a copy and emits it; returns the files by
/// name, or nothing (with the errors in `errors`).
std::optional<std::map<std::string, std::string>> emitFiles(const std::string &text,
                                                            std::string *errors = nullptr,
                                                       const ir::OpDef *replaceOps = nullptr,
                                                       codegen::EmitOptions opts = {}) {
  std::string diagnostics;
  llvm::raw_string_ostream err(diagnostics);
  driver::Compilation c({}, err);
  c.setHardware(testHardware());
  REQUIRE(c.loadText(text, "t.net"));
  std::optional<ir::Graph> original = c.elaborate();
  REQUIRE(original);
  if (replaceOps)
    for (ir::Node &n : original->nodes)
      if (n.op->name == replaceOps->name.substr(1))
        n.op = replaceOps;
  ir::Graph optimized = *original;
  std::optional<cost::Report> report = c.report(optimized);
  REQUIRE(report);
  auto files = codegen::emitCpp(*original, optimized, *report, c.diag(), opts);
  c.printDiagnostics();
  if (errors)
    *errors = err.str();
  if (!files)
    return std::nullopt;
  std::map<std::string, std::string> out;
  for (const codegen::EmittedFile &f : *files)
    out[f.name] = f.text;
  return out;
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

const char *const kBlocks = test::kResidualNet;

} // namespace

TEST_CASE("kernel helpers: broadcast and flat indices") {
  CHECK(ir::broadcastIndex({1, 8, 4, 4}, {1, 8, 4, 4}, "i") == "i");
  // A per-channel operand of [1,8,4,4]: channel = (i / 16) % 8 (no modulo for
  // the leading dim of size 1 ahead of it... the batch is 1, so C leads).
  CHECK(ir::broadcastIndex({1, 8, 1, 1}, {1, 8, 4, 4}, "i") == "(i / 16)");
  CHECK(ir::broadcastIndex({8, 1, 1}, {2, 8, 4, 4}, "i") == "(i / 16) % 8");
  CHECK(ir::broadcastIndex({4}, {2, 3, 4}, "i") == "i % 4");
  CHECK(ir::broadcastIndex({1}, {2, 3, 4}, "i") == "0");
  CHECK(ir::broadcastIndex({2, 1, 4}, {2, 3, 4}, "i") == "((i / 12) * 4 + i % 4)");
  CHECK(ir::broadcastIndex({3, 1}, {2, 3, 4}, "i") == "(i / 4) % 3");
  CHECK(ir::broadcastIndex({2, 3, 1}, {2, 3, 4}, "i") == "((i / 12) * 3 + (i / 4) % 3)");
  CHECK(ir::broadcastIndex({3, 4}, {2, 3, 4}, "i") == "(((i / 4) % 3) * 4 + i % 4)");
  CHECK(ir::flatIndex({2, 3, 4}, {"a", "b", "c"}) == "((a) * 3 + b) * 4 + c");
  CHECK(ir::flatIndex({1, 3}, {"0", "b"}) == "b");
  CHECK(ir::lit(6) == "T(6)");
  CHECK(ir::lit(0.5) == "T(0.5)");
  CHECK(ir::lit(1e-5) == "T(1.0000000000000001e-05)");
  ir::CodeWriter w;
  w.forLoop("i", 3);
  w.line("y[i] = {};", 1);
  w.close();
  CHECK(w.str() == "for (i64 i = 0; i < 3; ++i) {\n  y[i] = 1;\n}\n");
}

TEST_CASE("every op the table has can be emitted: a scalar rule, a kernel rule or a view") {
  for (const ir::OpDef *op : ir::OpTable::get().all()) {
    INFO(op->name);
    const bool emittable = op->view || op->scalar != nullptr || op->kernel != nullptr;
    CHECK(emittable);
    // Elementwise and broadcast ops are the ones fusion puts in epilogues.
    const bool fusable =
        op->pattern == ir::PatternKind::Elementwise || op->pattern == ir::PatternKind::Broadcast;
    const bool hasScalar = op->scalar != nullptr;
    if (fusable && !op->view && !op->weights)
      CHECK(hasScalar);
  }
}

TEST_CASE("emitter: one function per distinct fused group, shared by identical layers") {
  auto files = emitFiles(kBlocks);
  REQUIRE(files);
  const std::string &k = files->at("kernels.h");
  // Each unit is one conv with folded batchnorm + residual add + relu; both
  // units have the same configuration, so one function serves both.
  CHECK(count(k, "\ninline void ") == 2); // the conv group and global_avg_pool
  CHECK(count(k, "inline void conv3x3_s1_o4_add_relu_1x4x8x8(") == 1);
  CHECK(k.find("//   serves 2 layers:") != std::string::npos);
  const std::string &m = files->at("model.cpp");
  CHECK(count(m, "k::conv3x3_s1_o4_add_relu_1x4x8x8(") == 2);
  // The batchnorm is folded at load time from the unfolded state dict.
  CHECK(count(m, "fold_batchnorm(w, b, load.get(\"unit.batchnorm.weight\"") == 1);
  CHECK(files->at("model.h").find("{\"unit.batchnorm.running_var\", 1, {4}, 4}") !=
        std::string::npos);
  // The reference path runs every op of the graph as written.
  CHECK(files->at("reference.cpp").find("batchnorm_1x4x8x8(") != std::string::npos);
}

TEST_CASE("emitter: the arena is the report's peak activation memory") {
  test::Elaborated e(kBlocks);
  std::optional<cost::Report> report = cost::buildReport(*e.graph, testHardware(), {}, e.diag);
  REQUIRE(report);
  auto files = emitFiles(kBlocks);
  REQUIRE(files);
  const std::string floats = std::to_string(report->totals.peakActivationBytes / 4);
  INFO(files->at("model.h"));
  // The arena at -O0 equals the unoptimized report's peak; check the optimized one below.
  std::optional<analysis::MemoryPlan> plan = analysis::planMemory(*e.graph);
  REQUIRE(plan);
  CHECK(plan->arenaElements * 4 == report->totals.peakActivationBytes);

  ir::Graph optimized = *e.graph;
  passes::PassContext ctx{optimized, nullptr, "", {}};
  REQUIRE(passes::runPasses(ctx, {}, nullptr) == "");
  std::optional<cost::Report> after = cost::buildReport(optimized, testHardware(), {}, e.diag);
  REQUIRE(after);
  CHECK(files->at("model.h").find(fmt::format("kArenaFloats = {};",
                                              after->totals.peakActivationBytes / 4)) !=
        std::string::npos);
}

TEST_CASE("emitter: the same input gives the same files") {
  auto a = emitFiles(kBlocks), b = emitFiles(kBlocks);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);
}

TEST_CASE("emitter: an op without kernel or scalar rule is an error naming it") {
  // A copy of relu under another name, with its emitter rules removed.
  static ir::OpDef mystery = *ir::OpTable::get().lookup("relu");
  mystery.name = "_relu";
  mystery.scalar = nullptr;
  std::string errors;
  auto files = emitFiles("network n() {\n  x = input([1, 2, 3, 3])\n  return relu(x)\n}\n", &errors,
                    &mystery);
  CHECK_FALSE(files);
  CHECK(errors.find("t.net:3:10: error: cannot emit C++ for 'relu': the C++ emitter has no "
                    "kernel for op '_relu'") != std::string::npos);
}

TEST_CASE("emitter: tensors other than f32 are an error") {
  std::string errors;
  auto files = emitFiles("network n() {\n  x = input([1, 2, 3, 3], dtype=\"f16\")\n  return relu(x)\n}\n",
                    &errors);
  CHECK_FALSE(files);
  CHECK(errors.find("supports f32 tensors only") != std::string::npos);
}

TEST_CASE("emitter: token ids (i64) and tied weights are errors naming the layer") {
  std::string errors;
  auto files = emitFiles("network n() {\n  x = input([1, 4], dtype=\"i64\")\n"
                         "  return embedding(x, 10, 4)\n}\n",
                         &errors);
  CHECK_FALSE(files);
  CHECK(errors.find("its output is i64[1,4]; the C++ emitter supports f32 tensors only") !=
        std::string::npos);
  errors.clear();
  files = emitFiles("network n() {\n  x = input([1, 4])\n  y = linear(x, 4)\n"
                    "  return linear(y, 4, tied=y)\n}\n",
                    &errors);
  CHECK_FALSE(files);
  CHECK(errors.find("its weight 'weight' is tied to 'linear'; the C++ emitter does not share "
                    "weights yet") != std::string::npos);
}

TEST_CASE("emitter: the program's size is limited (--max-emit-bytes)") {
  auto all = emitFiles(kBlocks);
  REQUIRE(all);
  uint64_t total = 0;
  for (const auto &[name, text] : *all)
    total += text.size();
  codegen::EmitOptions opts;
  opts.maxBytes = total; // exactly enough
  CHECK(emitFiles(kBlocks, nullptr, nullptr, opts));
  opts.maxBytes = total - 1;
  std::string errors;
  CHECK_FALSE(emitFiles(kBlocks, &errors, nullptr, opts));
  CHECK(errors.find(fmt::format("error: the generated program would pass {} bytes ({} bytes); "
                                "raise the limit with --max-emit-bytes",
                                total - 1, total)) != std::string::npos);

  // A dense chain: concat k takes every tensor before it, so the program
  // grows with the square of the layers. The limit stops the emitter at the
  // node that passes it, after work bounded by the limit.
  const char *dense = R"(
network n(layers: int = 200) {
  x = input([1, 1, 2, 2])
  feats = [x]
  for i in range(layers) {
    feats = feats + [conv2d(concat(feats), 1, k=1)]
  }
  return concat(feats)
}
)";
  errors.clear();
  opts.maxBytes = 100000;
  CHECK_FALSE(emitFiles(dense, &errors, nullptr, opts));
  CHECK(errors.find("error: cannot emit C++ for 'concat_") != std::string::npos);
  CHECK(errors.find("the generated program would pass 100000 bytes; raise the limit with "
                    "--max-emit-bytes") != std::string::npos);
}

TEST_CASE("emitter: a DenseNet-like chain's program grows with its layers, not its edges") {
  // Concat k takes every tensor before it: the graph has the square of the
  // layers in edges, but each concat's inputs are the first rows of one
  // shared table, and concats of one configuration share a kernel.
  auto dense = [](int layers) {
    return fmt::format(R"(
network n() {{
  x = input([1, 2, 2, 2])
  feats = [x]
  for i in range({}) {{
    feats = feats + [conv2d(concat(feats), 1, k=1)]
  }}
  return concat(feats)
}}
)",
                       layers);
  };
  auto bytes = [](const std::map<std::string, std::string> &files) {
    uint64_t total = 0;
    for (const auto &[name, text] : files)
      total += text.size();
    return total;
  };
  auto small = emitFiles(dense(100)), big = emitFiles(dense(400));
  REQUIRE(small);
  REQUIRE(big);
  INFO("100 layers: " << bytes(*small) << " bytes, 400 layers: " << bytes(*big));
  CHECK(bytes(*big) <= 4.5 * static_cast<double>(bytes(*small)));
  for (const char *file : {"model.cpp", "reference.cpp"}) {
    INFO(file);
    const std::string &text = big->at(file);
    CHECK(count(text, "constexpr std::int64_t kList0_at[]") == 1);
    CHECK(count(text, "kList1_at") == 0); // one table serves all 401 concats
    CHECK(count(text, "tensors(") == 401 + 1); // + the helper's definition
  }
  const std::string &k = big->at("kernels.h");
  CHECK(count(k, "inline void concat_dim1_1x3x2x2(const T *const *xs, const i64 *xn, i64 nx, "
                 "T *y0)") == 1);
}
