// The whole pipeline on real networks: every example (and the golden
// networks) is reported in every format; the JSON report is parsed back and
// its totals must be the sums of its layers.
#include "JsonReader.h"

#include "cost/CostModel.h"
#include "report/ReportWriter.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>

using namespace netc;
using netc::test::Json;
using netc::test::JsonReader;

namespace {

std::string repoPath(llvm::StringRef rel) {
  llvm::SmallString<256> p(NETC_TEST_DIR);
  llvm::sys::path::append(p, "..", rel);
  return std::string(p.str());
}

/// Every examples/*.net, sorted, plus networks from the golden suites.
std::vector<std::string> networks() {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(repoPath("examples"), ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::StringRef(it->path()).endswith(".net"))
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  files.push_back(repoPath("tests/golden/graph/every_op.net"));
  files.push_back(repoPath("tests/golden/graph/blocks_loops.net"));
  return files;
}

int64_t integer(const Json &j) {
  REQUIRE(j.kind == Json::Number);
  return std::stoll(j.text);
}

} // namespace

TEST_CASE("pipeline: every example reports in every format; JSON totals are the layer sums") {
  const std::vector<std::string> files = networks();
  REQUIRE(files.size() >= 3);
  for (const std::string &file : files) {
    CAPTURE(file);
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    std::optional<Program> program = loadProgram(diag, file);
    REQUIRE(program);
    std::optional<ir::Graph> graph = elaborate(*program, diag);
    REQUIRE(graph);
    target::HardwareProfile hw;
    hw.name = "test";
    hw.peak[0] = 1e12;
    hw.bandwidth = 1e11;
    hw.memory = 1e10;
    std::optional<cost::Report> report = cost::buildReport(*graph, hw, {}, diag);
    REQUIRE(report);
    for (report::ReportFormat f : {report::ReportFormat::Table, report::ReportFormat::Csv,
                                 report::ReportFormat::Markdown}) {
      std::string out;
      llvm::raw_string_ostream os(out);
      report::writeReport(os, *report, f);
      CHECK(os.str().size() > 100);
    }
    std::string json;
    llvm::raw_string_ostream os(json);
    report::writeReport(os, *report, report::ReportFormat::Json);
    std::unique_ptr<Json> doc = JsonReader(os.str()).parse();
    REQUIRE(doc);
    const Json &totals = (*doc)["totals"];
    const Json &layers = (*doc)["layers"];
    REQUIRE(layers.kind == Json::Array);
    CHECK(layers.items.size() == graph->nodes.size());
    for (const char *key : {"params", "buffers", "macs", "flops", "memory_bytes"}) {
      CAPTURE(key);
      int64_t sum = 0;
      for (const Json &l : layers.items)
        sum += integer(l[key]);
      CHECK(integer(totals[key]) == sum);
    }
    // Latency is the sum of layer latencies (doubles, so within rounding).
    double latency = 0;
    for (const Json &l : layers.items)
      latency += l["latency_s"].number;
    CHECK(totals["latency_s"].number == doctest::Approx(latency).epsilon(1e-12));
  }
}
