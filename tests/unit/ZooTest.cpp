// The seeds' comparisons, asserted on netc's own numbers where netc agrees
// with them (README, "Accuracy: the seeds' comparisons", says where and why
// it does not).
#include "cost/CostModel.h"
#include "driver/Compilation.h"

#include <doctest/doctest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>

using namespace netc;

namespace {

std::string example(const char *name) {
  llvm::SmallString<256> p(NETC_TEST_DIR);
  llvm::sys::path::append(p, "..", "examples", name);
  return std::string(p.str());
}

/// Costs a network as --report does by default (optimized), on a built-in profile.
cost::Report costed(const char *file, ElabOptions elab, const char *hwName,
                    cost::CostOptions opts = {}) {
  driver::PipelineOptions po;
  po.elab = std::move(elab);
  po.hardware = hwName;
  po.cost = opts;
  driver::Compilation c(po);
  REQUIRE(c.load(example(file)));
  std::optional<cost::Report> r = c.report();
  REQUIRE_MESSAGE(r, c.diag().errorCount());
  return *r;
}

ElabOptions network(const char *name, std::vector<std::pair<std::string, std::string>> d = {}) {
  ElabOptions e;
  e.network = name;
  e.overrides = std::move(d);
  return e;
}

} // namespace

TEST_CASE("zoo: seed 000, MobileNetV2 x1.4 has fewer params and MACs than V1 but moves as much") {
  cost::Report v1 = costed("mobilenet_features.net", network("mobilenet_v1_features"),
                           "xeon_silver_4210");
  cost::Report v2 = costed("mobilenet_features.net",
                           network("mobilenet_v2_features", {{"width", "1.4"}}),
                           "xeon_silver_4210");
  // The seed's params (1.6M vs 1.0M) and MACs (255M vs 214M with its V2 geometry).
  CHECK(v1.totals.params == 1'605'760);
  CHECK(v1.totals.macs == 254'761'472);
  CHECK(v2.totals.params < v1.totals.params);
  CHECK(v2.totals.macs < v1.totals.macs);
  // "About as many memory accesses": at least as many bytes moved.
  CHECK(v2.totals.memoryBytes >= v1.totals.memoryBytes);
  // The client's experience: V2 x1.4 is not faster.
  CHECK(v2.totals.latency >= v1.totals.latency);
  cost::Report v2floor = costed("mobilenet_features.net",
                                network("mobilenet_v2_features",
                                        {{"width", "1.4"}, {"floor_pad", "true"}}),
                                "xeon_silver_4210");
  CHECK(v2floor.totals.macs == 214'212'096); // the seed's 214M exactly
}

TEST_CASE("zoo: seed 001, EfficientNet-B3 (300) has fewer FLOPs than ResNet-50 but more traffic "
          "and a higher time on a GPU") {
  cost::Report b3 = costed("efficientnet_b3.net", {}, "rtx_3090");
  cost::Report r50 = costed("resnet50.net", {}, "rtx_3090");
  CHECK(b3.totals.flops * 2 < r50.totals.flops); // under half
  CHECK(b3.totals.memoryBytes > r50.totals.memoryBytes);
  CHECK(b3.totals.latency > r50.totals.latency);
  CHECK(b3.totals.memoryBoundShare > r50.totals.memoryBoundShare);
}

// README, "Serving Llama-2-7B": a decode step is memory-bound on every GPU
// profile and costs about its bytes over the bandwidth, the bytes being the
// weights and the KV cache (the embedding reads one row of its table, and the
// step's activations and scores are small beside them); the prefill of 512
// tokens is compute-bound. Mixtral's decode reads its active params only.
TEST_CASE("zoo: LLM decode is memory-bound, at the bandwidth bound of weights and KV cache") {
  cost::CostOptions fp16;
  fp16.dtype = ir::DType::F16;
  const std::pair<const char *, double> gpus[] = {
      {"h100_sxm5", 3.35e12}, {"a100_sxm4_80gb", 2.039e12}, {"rtx_3090", 936e9}};
  for (const auto &gpu : gpus) {
    // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
    const char *hw = gpu.first;
    const double bandwidth = gpu.second;
    CAPTURE(hw);
    cost::Report decode = costed("llama2_7b.net", network("llama2_7b", {{"seq", "1"},
                                                                       {"past", "4096"}}),
                                 hw, fp16);
    const cost::Totals &t = decode.totals;
    CHECK(t.memoryBoundShare == 1.0);
    CHECK(t.kvRead == 2LL * 32 * 4096 * 4096); // elements: k and v of 32 layers, 4096 tokens
    const int64_t embeddingTable = 32000LL * 4096 * 2;
    const double bound = static_cast<double>(t.weightBytes - embeddingTable + 2 * t.kvRead) /
                         bandwidth;
    CHECK(t.latency >= bound);
    CHECK(t.latency < bound * 1.005); // within 0.5%: activations and scores
    cost::Report prefill = costed("llama2_7b.net", network("llama2_7b", {{"seq", "512"},
                                                                        {"past", "0"}}),
                                  hw, fp16);
    CHECK(prefill.totals.memoryBoundShare < 0.25);
  }
  cost::Report mixtral = costed("mixtral_8x7b.net",
                                network("mixtral_8x7b", {{"seq", "1"}, {"past", "4096"}}),
                                "h100_sxm5", fp16);
  CHECK(mixtral.totals.activeParams == 12'879'925'248);
  CHECK(mixtral.totals.memoryBoundShare == 1.0);
  // Bytes: the active params' (less the embedding table but one row) and the cache.
  const int64_t active = (mixtral.totals.activeParams - 32000LL * 4096) * 2;
  CHECK(mixtral.totals.memoryBytes >= active + 2 * mixtral.totals.kvRead);
  CHECK(mixtral.totals.memoryBytes < (active + 2 * mixtral.totals.kvRead) * 1.005);
}
