// The whole pipeline on real networks: every example (and the golden
// networks) is reported in every format, and each format's content is
// checked against the report: the network's name, one row per layer, the
// totals; the JSON report is parsed back and its totals must be the sums of
// its layers.
#include "JsonReader.h"
#include "TestUtil.h"

#include "cost/CostModel.h"
#include "driver/Compilation.h"
#include "report/ReportWriter.h"
#include "support/Format.h"

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

using test::lines;

bool startsWith(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

/// 1234567 -> "1,234,567", as the table and Markdown formats print counts.
std::string thousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

/// Markdown escapes the underscores of names.
std::string mdEscape(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '_')
      out += '\\';
    out += c;
  }
  return out;
}

/// The fields of one CSV record (RFC 4180 quoting; no newlines in fields).
std::vector<std::string> csvFields(const std::string &line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string render(const cost::Report &r, report::ReportFormat f) {
  std::string out;
  llvm::raw_string_ostream os(out);
  report::writeReport(os, r, f);
  return os.str();
}

target::HardwareProfile testHardware() {
  target::HardwareProfile hw;
  hw.name = "test";
  hw.peak[static_cast<int>(ir::DType::F32)] = 1e12;
  hw.peak[static_cast<int>(ir::DType::F16)] = 2e12;
  hw.bandwidth = 1e11;
  hw.memory = 1e10;
  return hw;
}

/// The report of FILE's network (the graph as elaborated, or optimized).
std::optional<cost::Report> reportOf(const std::string &file, const cost::CostOptions &options,
                                     size_t *nodes = nullptr, bool optimize = false) {
  driver::PipelineOptions po;
  po.cost = options;
  po.optimize = optimize;
  driver::Compilation c(po);
  c.setHardware(testHardware());
  REQUIRE(c.load(file));
  std::optional<ir::Graph> graph = c.elaborate();
  REQUIRE(graph);
  if (nodes)
    *nodes = graph->nodes.size();
  return c.report(*graph);
}

/// Table: the header names the network, the hardware and the conventions;
/// one row per layer between the rules; the total row and the totals
/// section show the report's params.
void checkTable(const cost::Report &r, const std::string &text) {
  std::vector<std::string> ls = lines(text);
  REQUIRE(ls.size() > 5);
  CHECK(startsWith(ls[0], "netc report: " + r.network)); // the marker (support/OutputMarkers.h)
  CHECK(startsWith(ls[1], "network      " + r.network));
  CHECK(std::any_of(ls.begin(), ls.end(),
                    [](const std::string &l) { return startsWith(l, "hardware     test"); }));
  CHECK(std::any_of(ls.begin(), ls.end(), [](const std::string &l) {
    return startsWith(l, "conventions  FLOPs 2mac, memory ideal, dtype f32, batch 1");
  }));
  auto heading = std::find_if(ls.begin(), ls.end(),
                              [](const std::string &l) { return startsWith(l, "layer "); });
  REQUIRE(heading != ls.end());
  REQUIRE(heading + 1 != ls.end());
  CHECK(startsWith(heading[1], "-----"));
  auto rule = std::find_if(heading + 2, ls.end(),
                           [](const std::string &l) { return startsWith(l, "-----"); });
  REQUIRE(rule != ls.end());
  CHECK(size_t(rule - (heading + 2)) == r.layers.size());
  REQUIRE(rule + 1 != ls.end());
  CHECK(startsWith(rule[1], "total "));
  CHECK(rule[1].find(" " + thousands(r.totals.params) + " ") != std::string::npos);
  auto params = std::find_if(ls.begin(), ls.end(),
                             [](const std::string &l) { return startsWith(l, "  params "); });
  REQUIRE(params != ls.end());
  CHECK(params->find(" " + thousands(r.totals.params) + " ") != std::string::npos);
}

/// CSV: the column header, one row per layer in order, a (total) row with
/// the report's totals; every row as wide as the header.
void checkCsv(const cost::Report &r, const std::string &text) {
  std::vector<std::string> ls = lines(text);
  REQUIRE(ls.size() == 1 + r.layers.size() + 1);
  std::vector<std::string> header = csvFields(ls[0]);
  REQUIRE(header.size() > 5);
  CHECK(header[0] == "name");
  CHECK(header[4] == "params");
  CHECK(header[6] == "macs");
  CHECK(header.back() == "latency_model");
  for (size_t i = 0; i < r.layers.size(); ++i) {
    std::vector<std::string> row = csvFields(ls[1 + i]);
    REQUIRE(row.size() == header.size());
    CHECK(row[0] == r.layers[i].name);
    CHECK(row[4] == std::to_string(r.layers[i].params));
  }
  std::vector<std::string> total = csvFields(ls.back());
  REQUIRE(total.size() == header.size());
  CHECK(total[0] == "(total)");
  CHECK(total[4] == std::to_string(r.totals.params));
  CHECK(total[6] == std::to_string(r.totals.macs));
}

/// Markdown: the title names the network; the layer table has its heading
/// row, the alignment row and one row per layer; the totals show params.
void checkMarkdown(const cost::Report &r, const std::string &text) {
  std::vector<std::string> ls = lines(text);
  REQUIRE(!ls.empty());
  CHECK(ls[0] == "# netc report: " + mdEscape(r.network));
  auto heading = std::find(ls.begin(), ls.end(), "## Layers");
  REQUIRE(heading != ls.end());
  auto table = std::find_if(heading, ls.end(),
                            [](const std::string &l) { return startsWith(l, "| "); });
  REQUIRE(table != ls.end());
  CHECK(startsWith(*table, "| layer | op | output shape | params | MACs | FLOPs |"));
  auto end = std::find_if(table, ls.end(), [](const std::string &l) { return !startsWith(l, "|"); });
  CHECK(size_t(end - table) == 2 + r.layers.size());
  CHECK(std::find(ls.begin(), ls.end(), "## Totals") != ls.end());
  CHECK(text.find("| params | " + thousands(r.totals.params) + " |") != std::string::npos);
}

/// JSON: parses, has the documented top-level and per-layer keys, names the
/// network, and its totals are the report's and the sums of its layers.
void checkJson(const cost::Report &r, const std::string &text, size_t nodes) {
  std::unique_ptr<Json> doc = JsonReader(text).parse();
  REQUIRE(doc);
  CHECK(doc->keys() == std::vector<std::string>{"netc_report", "network", "params", "hardware",
                                                "conventions", "totals", "max_batch",
                                                "optimization", "layers"});
  CHECK((*doc)["network"].text == r.network);
  CHECK((*doc)["hardware"]["name"].text == "test");
  const Json &totals = (*doc)["totals"];
  CHECK(integer(totals["params"]) == r.totals.params);
  CHECK(integer(totals["macs"]) == r.totals.macs);
  CHECK(integer(totals["flops"]) == r.totals.flops);
  const Json &layers = (*doc)["layers"];
  REQUIRE(layers.kind == Json::Array);
  CHECK(layers.items.size() == nodes);
  REQUIRE(layers.items.size() == r.layers.size());
  for (size_t i = 0; i < r.layers.size(); ++i) {
    std::vector<std::string> keys{"name", "op", "block", "output_shape", "params", "buffers",
                                  "macs", "flops", "memory_bytes", "activations", "intensity",
                                  "attainable_flops", "bound", "latency_s"};
    // Members only where they say something: a mixture of experts' active
    // params, an attention layer's KV cache.
    if (r.layers[i].activeParams != r.layers[i].params)
      keys.insert(keys.begin() + 5, "active_params");
    if (r.layers[i].kvHeld != 0)
      keys.insert(keys.end(), {"kv_cache_held", "kv_cache_read", "kv_cache_written"});
    CHECK(layers.items[i].keys() == keys);
    CHECK(layers.items[i]["name"].text == r.layers[i].name);
  }
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

} // namespace

TEST_CASE("pipeline: every example reports in every format, JSON totals are the layer sums") {
  const std::vector<std::string> files = networks();
  REQUIRE(files.size() >= 3);
  for (const std::string &file : files) {
    CAPTURE(file);
    size_t nodes = 0;
    std::optional<cost::Report> report = reportOf(file, {}, &nodes);
    REQUIRE(report);
    REQUIRE(!report->network.empty());
    REQUIRE(!report->layers.empty());
    checkTable(*report, render(*report, report::ReportFormat::Table));
    checkCsv(*report, render(*report, report::ReportFormat::Csv));
    checkMarkdown(*report, render(*report, report::ReportFormat::Markdown));
    checkJson(*report, render(*report, report::ReportFormat::Json), nodes);
  }
}

// The report goldens leave the header out (tests/golden/golden-output.sh), so
// the labels of non-default conventions are checked here, in every format.
TEST_CASE("pipeline: every format labels the conventions it was given") {
  cost::CostOptions options;
  options.flops = cost::FlopConvention::Exact;
  options.memory = cost::MemoryModel::NoReuse;
  options.dtype = ir::DType::F16;
  options.batch = 8;
  std::optional<cost::Report> report =
      reportOf(repoPath("tests/golden/graph/blocks_loops.net"), options);
  REQUIRE(report);
  std::string table = render(*report, report::ReportFormat::Table);
  CHECK(table.find("conventions  FLOPs exact, memory no-reuse, dtype f16, batch 8") !=
        std::string::npos);
  CHECK(table.find("peak 2.00 TFLOP/s (f16)") != std::string::npos);
  std::string md = render(*report, report::ReportFormat::Markdown);
  CHECK(md.find("FLOPs `exact`, memory model `no-reuse`, dtype `f16`, batch 8") !=
        std::string::npos);
  std::vector<std::string> csv = lines(render(*report, report::ReportFormat::Csv));
  REQUIRE(csv.size() > 1);
  for (size_t i = 1; i < csv.size(); ++i) {
    std::vector<std::string> row = csvFields(csv[i]);
    REQUIRE(row.size() >= 5);
    CHECK(std::vector<std::string>(row.end() - 5, row.end()) ==
          std::vector<std::string>{"exact", "no-reuse", "f16", "8", "roofline lower bound"});
  }
  std::unique_ptr<Json> doc = JsonReader(render(*report, report::ReportFormat::Json)).parse();
  REQUIRE(doc);
  const Json &conventions = (*doc)["conventions"];
  CHECK(conventions["flops"].text == "exact");
  CHECK(conventions["memory"].text == "no-reuse");
  CHECK(conventions["dtype"].text == "f16");
  CHECK(conventions["batch"].text == "8");
}

namespace {

/// The name cells of a table's body rows (the first word of each line
/// between the two rules after the heading).
std::vector<std::string> tableNames(const std::string &text) {
  std::vector<std::string> ls = lines(text), names;
  auto heading = std::find_if(ls.begin(), ls.end(),
                              [](const std::string &l) { return startsWith(l, "layer "); });
  REQUIRE(heading != ls.end());
  for (auto it = heading + 2; it != ls.end() && !startsWith(*it, "-----"); ++it)
    names.push_back(it->substr(0, it->find(' ')));
  return names;
}

/// Every example's report, as elaborated and optimized.
std::vector<cost::Report> exampleReports() {
  std::vector<cost::Report> reports;
  for (const std::string &file : networks()) {
    for (bool optimize : {false, true}) {
      std::optional<cost::Report> r = reportOf(file, {}, nullptr, optimize);
      REQUIRE(r);
      reports.push_back(std::move(*r));
    }
  }
  return reports;
}

} // namespace

TEST_CASE("pipeline: shortened layer names stay unique on every example") {
  for (const cost::Report &r : exampleReports()) {
    CAPTURE(r.network);
    std::vector<std::string> names;
    for (const cost::LayerCost &l : r.layers)
      names.push_back(l.name);
    for (size_t width : {4, 10, 16, 20, 24, 30, 34, 40, 48, 60}) {
      CAPTURE(width);
      ShortNames shown = shortenNames(names, width);
      CHECK(shown.width >= width);
      REQUIRE(shown.texts.size() == names.size());
      std::vector<std::string> sorted = shown.texts;
      std::sort(sorted.begin(), sorted.end());
      CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
      for (size_t i = 0; i < names.size(); ++i) {
        CHECK(shown.texts[i].size() <= shown.width);
        if (names[i].size() <= shown.width)
          CHECK(shown.texts[i] == names[i]); // only what does not fit is shortened
      }
    }
    // The table on a terminal of 100 columns shows every row's name once.
    report::ReportStyle style;
    style.width = 100;
    std::string out;
    llvm::raw_string_ostream os(out);
    report::writeReport(os, r, report::ReportFormat::Table, style);
    std::vector<std::string> shown = tableNames(os.str());
    CHECK(shown.size() == r.layers.size());
    std::sort(shown.begin(), shown.end());
    CHECK(std::adjacent_find(shown.begin(), shown.end()) == shown.end());
  }
}

TEST_CASE("pipeline: ResNet-50's table is unique at 100 columns and keeps its blocks") {
  std::optional<cost::Report> r = reportOf(repoPath("examples/resnet50.net"), {}, nullptr, true);
  REQUIRE(r);
  std::vector<std::string> names;
  for (const cost::LayerCost &l : r->layers)
    names.push_back(l.name);
  // The case: cut in the middle to 34 characters, 52 of 58 rows
  // showed a text another row showed.
  ShortNames shown = shortenNames(names, 34);
  std::vector<std::string> sorted = shown.texts;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  CHECK(shown.width < 48); // shorter than the longest name: something was shortened
  // A shortened name keeps its first segment or starts with "...", and
  // ends with the end of the name.
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string &t = shown.texts[i];
    if (t == names[i])
      continue;
    CHECK(t.find("...") != std::string::npos);
    std::string end = t.substr(t.find("...") + 3);
    CHECK(names[i].compare(names[i].size() - end.size(), end.size(), end) == 0);
  }
}
