#include "report/ReportWriter.h"

#include "cost/CostModel.h"
#include "support/Format.h"

#include "JsonReader.h"
#include "TestUtil.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace netc;
using namespace netc::report;
using cost::GroupBy;
using cost::LayerCost;
using cost::groupLayers;
using cost::groupRows;
using cost::Report;
using netc::test::Json;
using netc::test::JsonReader;

namespace {

constexpr double kPeak = 960e9;       // FLOP/s, f32
constexpr double kBandwidth = 76.8e9; // B/s

const char *const kLongName =
    "layer1.0.some.very.deeply.nested.module.path.that.is.far.too.long.for.the.column.relu";
const char *const kOddName = "fc, \"head\"";

LayerCost layer(std::string name, std::string op, std::string block, ir::Shape shape,
                int64_t params, int64_t buffers, int64_t macs, int64_t flops, int64_t bytes,
                int64_t activations) {
  LayerCost l;
  l.name = std::move(name);
  l.op = std::move(op);
  l.block = std::move(block);
  l.outputShape = std::move(shape);
  l.params = params;
  l.buffers = buffers;
  l.macs = macs;
  l.flops = flops;
  l.memoryBytes = bytes;
  l.activations = activations;
  l.intensity = bytes ? double(flops) / double(bytes) : 0;
  l.attainable = std::min(kPeak, l.intensity * kBandwidth);
  double tc = flops / kPeak, tm = bytes / kBandwidth;
  l.memoryBound = tm > tc;
  l.latency = std::max(tc, tm);
  return l;
}

/// A ResNet-like stem, a block of two layers and a classifier (f32, batch 1).
Report sampleReport() {
  Report r;
  r.network = "tiny_resnet";
  r.params = {{"width", "1.0"}, {"res", "224"}};
  r.hardware.name = "xeon_silver_4210";
  r.hardware.description = "2x Intel Xeon Silver 4210, AVX-512 at 1.5 GHz";
  r.hardware.peak[0] = kPeak;
  r.hardware.bandwidth = kBandwidth;
  r.hardware.memory = 128.0 * 1024 * 1024 * 1024;
  r.layers = {
      layer("conv1", "conv2d", "conv1", {1, 64, 112, 112}, 9408, 0, 118013952, 236027904,
            3851008, 802816),
      layer("layer1.0.conv1", "conv2d", "layer1", {1, 64, 56, 56}, 36864, 128, 115605504,
            231211008, 1753088, 200704),
      layer(kLongName, "relu", "layer1", {1, 64, 56, 56}, 0, 0, 0, 200704, 1605632, 200704),
      layer(kOddName, "linear", "fc", {1, 1000}, 513000, 0, 512000, 1024000, 2058048, 1000),
  };
  cost::Totals &t = r.totals;
  for (LayerCost &l : r.layers) {
    l.activeParams = l.params; // no mixture of experts: every param is active
    t.params += l.params;
    t.activeParams += l.activeParams;
    t.buffers += l.buffers;
    t.macs += l.macs;
    t.flops += l.flops;
    t.memoryBytes += l.memoryBytes;
    t.activations += l.activations;
    t.latency += l.latency;
  }
  double memoryBound = 0;
  for (const LayerCost &l : r.layers)
    if (l.memoryBound)
      memoryBound += l.latency;
  t.weightBytes = (t.params + t.buffers) * 4;
  t.peakActivationBytes = 4014080;
  t.modelBytesFp32 = (t.params + t.buffers) * 4;
  t.modelBytesFp16 = (t.params + t.buffers) * 2;
  t.modelBytesInt8 = t.params + t.buffers;
  t.throughput = 1 / t.latency;
  t.memoryBoundShare = memoryBound / t.latency;
  groupRows(r, GroupBy::Layer); // as buildReport does: the rows and the total row
  return r;
}

std::string render(const Report &r, ReportFormat f, ReportStyle style = {}) {
  std::string s;
  llvm::raw_string_ostream os(s);
  writeReport(os, r, f, style);
  return os.str();
}

std::string renderComparison(const Report &a, const Report &b, ReportFormat f) {
  std::string s;
  llvm::raw_string_ostream os(s);
  writeComparison(os, a, b, f);
  return os.str();
}

using test::lines;

bool contains(const std::string &s, const std::string &what) {
  return s.find(what) != std::string::npos;
}


/// RFC 4180 records (fields may be quoted, with "" for a quote).
std::vector<std::vector<std::string>> parseCsv(const std::string &s) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, inQuotes = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (inQuotes) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        inQuotes = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !quoted) {
      inQuotes = quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      quoted = false;
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (rows.back().empty())
    rows.pop_back();
  return rows;
}

} // namespace

TEST_CASE("report: convention names and docs") {
  CHECK(cost::flopConventionName(cost::FlopConvention::TwoMac) == "2mac");
  CHECK(cost::flopConventionName(cost::FlopConvention::Exact) == "exact");
  CHECK(cost::flopConventionName(cost::FlopConvention::Mac) == "mac");
  CHECK(cost::memoryModelName(cost::MemoryModel::Ideal) == "ideal");
  CHECK(cost::memoryModelName(cost::MemoryModel::NoReuse) == "no-reuse");
  CHECK(cost::memoryModelName(cost::MemoryModel::WeightsOutput) == "weights+output");
  CHECK(cost::flopConventionDoc(cost::FlopConvention::Mac).contains("fvcore"));
  CHECK(cost::flopConventionDoc(cost::FlopConvention::Exact).startswith("2n-1"));
  CHECK(cost::memoryModelDoc(cost::MemoryModel::WeightsOutput).contains("inputs not counted"));
  CHECK(cost::memoryModelDoc(cost::MemoryModel::Ideal) ==
        "each input, weight and output tensor moved once");
}

TEST_CASE("report: format names parse") {
  CHECK(parseReportFormat("table") == ReportFormat::Table);
  CHECK(parseReportFormat("json") == ReportFormat::Json);
  CHECK(parseReportFormat("csv") == ReportFormat::Csv);
  CHECK(parseReportFormat("md") == ReportFormat::Markdown);
  CHECK(!parseReportFormat("markdown"));
  CHECK(!parseReportFormat(""));
}

TEST_CASE("report: exact numbers get thousands separators") {
  CHECK(withThousands(int64_t(0)) == "0");
  CHECK(withThousands(int64_t(999)) == "999");
  CHECK(withThousands(int64_t(1000)) == "1,000");
  CHECK(withThousands(int64_t(1234567)) == "1,234,567");
  CHECK(withThousands(int64_t(-1234567)) == "-1,234,567");
  CHECK(withThousands(std::numeric_limits<int64_t>::max()) == "9,223,372,036,854,775,807");
  CHECK(withThousands(std::numeric_limits<int64_t>::min()) == "-9,223,372,036,854,775,808");
  CHECK(withThousands(12345.678, 1) == "12,345.7");
  CHECK(withThousands(0.04, 1) == "4.00e-02"); // not a silent "0.0"
}

TEST_CASE("report: human numbers have 3 significant digits") {
  CHECK(sig3(0) == "0");
  CHECK(sig3(12.345) == "12.3");
  CHECK(sig3(0.25) == "0.250");
  CHECK(sig3(99.96) == "100");
  CHECK(sig3(9.996) == "10.0");
  CHECK(sig3(0.012345) == "0.0123");
  CHECK(sig3(1234.5) == "1234");

  CHECK(siCount(0) == "0");
  CHECK(siCount(999) == "999");
  CHECK(siCount(1000) == "1.00k");
  CHECK(siCount(1234) == "1.23k");
  CHECK(siCount(12345) == "12.3k");
  CHECK(siCount(999499) == "999k");
  CHECK(siCount(999500) == "1.00M"); // rounding carries into the next prefix
  CHECK(siCount(118013952) == "118M");
  CHECK(siCount(3.6e9) == "3.60G");
  CHECK(siCount(4.2e12) == "4.20T");

  CHECK(siBytes(999) == "999 B");
  CHECK(siBytes(1000) == "1.00 kB");
  CHECK(siBytes(3851008) == "3.85 MB");
  CHECK(siBytes(1e9) == "1.00 GB");
  CHECK(binaryBytes(128.0 * 1024 * 1024 * 1024) == "128 GiB");
  CHECK(binaryBytes(1536) == "1.50 KiB");

  CHECK(siRate(960e9, "FLOP/s") == "960 GFLOP/s");
  CHECK(siRate(1.25e14, "FLOP/s") == "125 TFLOP/s");
  CHECK(siRate(76.8e9, "B/s") == "76.8 GB/s");

  CHECK(humanTime(0) == "0 s");
  CHECK(humanTime(4.2e-10) == "0.420 ns");
  CHECK(humanTime(5e-9) == "5.00 ns");
  CHECK(humanTime(245.9e-6) == "246 us");
  CHECK(humanTime(1.234e-3) == "1.23 ms");
  CHECK(humanTime(999.9e-6) == "1.00 ms");
  CHECK(humanTime(2.5) == "2.50 s");

  CHECK(ratioText(10, 14) == "1.40x");
  CHECK(ratioText(4, 1) == "0.250x");
  CHECK(ratioText(1000, 137) == "0.137x");
  CHECK(ratioText(1, 41.93) == "41.9x");
  CHECK(ratioText(1e6, 1) == "1.00e-06x");
  CHECK(ratioText(0, 5) == "-");

  // Extreme values (a profile of 1e-300 FLOP/s) in bounded width, not
  // hundreds of digits: scientific notation with 3 significant digits.
  CHECK(sig3(1e-300) == "1.00e-300");
  CHECK(sig3(999999) == "999999");
  CHECK(sig3(1e6) == "1.00e+06");
  CHECK(siRate(1e-300, "FLOP/s") == "1.00e-300 FLOP/s");
  CHECK(siRate(1e300, "FLOP/s") == "1.00e+300 FLOP/s");
  CHECK(siRate(999e18, "FLOP/s") == "999 EFLOP/s");
  CHECK(siBytes(1e300) == "1.00e+300 B");
  CHECK(binaryBytes(1e300) == "1.00e+300 B");
  CHECK(siCount(1e300) == "1.00e+300");
  CHECK(humanTime(7.776e303) == "7.78e+303 s");
  CHECK(humanTime(1e-300) == "1.00e-291 ns");
  CHECK(withThousands(1e300, 1) == "1.00e+300");
  CHECK(withThousands(123456789012.25, 1) == "123,456,789,012.2");
  CHECK(withThousands(1.26e-304, 1) == "1.26e-304"); // not a silent 0.0
  CHECK(withThousands(0.05, 1) == "0.1");
  CHECK(withThousands(0.0, 1) == "0.0");
  for (double v : {1e-308, 1e-30, 1e30, 1e308})
    for (const std::string &s : {sig3(v), siCount(v), siBytes(v), binaryBytes(v),
                                 siRate(v, "B/s"), humanTime(v), withThousands(v, 1)})
      CHECK_MESSAGE(s.size() <= 16, s);
}

TEST_CASE("report: shortenRight cuts the end") {
  CHECK(shortenRight("[256,64,112,112]", 10) == "[256,64...");
}

TEST_CASE("report: shortenNames drops middle segments and keeps every row distinct") {
  using V = std::vector<std::string>;
  // Names that fit stay whole; the column keeps its width.
  ShortNames s = shortenNames({"conv1", "fc"}, 10);
  CHECK(s.width == 10);
  CHECK(s.texts == V{"conv1", "fc"});
  // Middle segments go first, the block stays.
  s = shortenNames({"stage1.block.conv_bn_act.conv2d", "stage2.block.conv_bn_act.conv2d"}, 20);
  CHECK(s.width == 20);
  CHECK(s.texts == V{"stage1...conv2d", "stage2...conv2d"});
  // Siblings that differ in the middle: a form that tells them apart.
  s = shortenNames({"stage.block.act.conv2d", "stage.block_1.act.conv2d"}, 20);
  CHECK(s.width == 20);
  CHECK(s.texts == V{"stage.block...conv2d", "stage...act.conv2d"});
  // Siblings that differ at the end keep their ends.
  s = shortenNames({"stage.block.conv_bn_act_1.conv2d", "stage.block.conv_bn_act_2.conv2d"}, 24);
  CHECK(s.texts[0] != s.texts[1]);
  CHECK(s.texts[0].size() <= 24);
  // When no form within the width tells two rows apart, the column widens.
  s = shortenNames({"x.aaaaaaaaaa.y", "x.bbbbbbbbbb.y"}, 5);
  CHECK(s.width == 6);
  CHECK(s.texts == V{"...a.y", "...b.y"});
  CHECK(s.texts[0].size() <= s.width);
}

TEST_CASE("report: table states the conventions and fits 100 columns") {
  Report r = sampleReport();
  ReportStyle style;
  style.top = 3;
  style.width = 100; // a terminal of 100 columns
  std::string t = render(r, ReportFormat::Table, style);
  for (const std::string &l : lines(t))
    CHECK_MESSAGE(l.size() <= 100, l);
  CHECK(contains(t, "tiny_resnet(width=1.0, res=224)"));
  CHECK(contains(t, "peak 960 GFLOP/s (f32)"));
  CHECK(contains(t, "bandwidth 76.8 GB/s"));
  CHECK(contains(t, "memory 128 GiB"));
  CHECK(contains(t, "ridge I_max = 12.50 FLOP/B"));
  CHECK(contains(t, "FLOPs 2mac, memory ideal, dtype f32, batch 1"));
  CHECK(contains(t, "latency is a roofline lower bound"));
  // The long name keeps its block and its end; the exact totals are there.
  CHECK(contains(t, "layer1.0...column.relu "));
  CHECK(!contains(t, kLongName));
  CHECK(contains(t, "468,463,616"));  // FLOPs
  CHECK(contains(t, "234,131,456"));  // MACs
  CHECK(contains(t, "559,272"));      // params
  CHECK(contains(t, "9,267,776 B"));  // memory access
  CHECK(contains(t, "2,237,600 B"));  // weight bytes
  CHECK(contains(t, "roofline lower bound"));
  CHECK(contains(t, "top 3 layers by time"));
  CHECK(!contains(t, "max batch"));
  // conv1 is compute-bound (I = 61.3 > 12.5); the relu is memory-bound.
  for (const std::string &l : lines(t)) {
    if (l.rfind("conv1 ", 0) == 0) {
      CHECK(contains(l, "[1,64,112,112]"));
      CHECK(contains(l, "9,408"));
      CHECK(contains(l, "118M"));
      CHECK(contains(l, "3.85 MB"));
      CHECK(contains(l, "61.3"));
      CHECK(contains(l, "cmp"));
      CHECK(contains(l, "246 us"));
    }
    if (contains(l, "column.relu") && contains(l, "[1,64,56,56]"))
      CHECK(contains(l, "mem"));
  }

  // No top list when N = 0; max batch shown when known.
  style.top = 0;
  r.maxBatch = cost::MaxBatch{4096, 1.5, 2730.67};
  t = render(r, ReportFormat::Table, style);
  CHECK(!contains(t, "by time"));
  CHECK(contains(t, "4,096"));
  CHECK(contains(t, "2,730.7 samples/s"));
  CHECK(contains(t, "largest batch fitting in 128 GiB"));
}

TEST_CASE("report: table wraps long header facts and narrow columns still fit") {
  Report r = sampleReport();
  for (int i = 0; i < 12; ++i)
    r.params.emplace_back("parameter_" + std::to_string(i), std::to_string(1000 + i));
  r.hardware.description = std::string(150, 'x') + " and a long description of the device";
  r.options.batch = 256;
  for (LayerCost &l : r.layers) {
    l.outputShape[0] = 256;
    l.name = "a.rather.long.prefix.of.module.names." + l.name;
  }
  ReportStyle style;
  style.width = 100;
  std::string t = render(r, ReportFormat::Table, style);
  // A word longer than a line keeps a line of its own, whole.
  const std::string longWord(150, 'x');
  for (const std::string &l : lines(t))
    CHECK_MESSAGE((l.size() <= 100 || l == std::string(13, ' ') + longWord), l);
  CHECK(contains(t, longWord));
  CHECK(contains(t, "parameter_11=1011)"));
  CHECK(contains(t, "batch 256"));
}

TEST_CASE("report: json is one object with exact numbers") {
  Report r = sampleReport();
  r.hardware.description = "tab\there, quote \" and \x01";
  std::string text = render(r, ReportFormat::Json);
  CHECK(contains(text, "\\u0001"));
  CHECK(contains(text, "\\\"head\\\""));
  auto doc = JsonReader(text).parse();
  REQUIRE(doc);
  const Json &j = *doc;
  CHECK(j.keys() == std::vector<std::string>{"netc_report", "network", "params", "hardware",
                                             "conventions", "totals", "max_batch",
                                             "optimization", "layers"});
  CHECK(j["optimization"].kind == Json::Null); // the sample report is not optimized
  CHECK(j["netc_report"].text == "1");
  CHECK(j["network"].text == "tiny_resnet");
  CHECK(j["params"]["width"].text == "1.0");
  CHECK(j["hardware"]["description"].text == r.hardware.description);
  CHECK(j["hardware"]["peak_flops"].number == kPeak);
  CHECK(j["hardware"]["ridge"].number == 12.5);
  CHECK(j["conventions"]["flops"].text == "2mac");
  CHECK(j["conventions"]["memory"].text == "ideal");
  CHECK(j["conventions"]["dtype"].text == "f32");
  CHECK(j["conventions"]["batch"].text == "1");
  CHECK(j["conventions"]["latency"].text == "roofline lower bound");
  const Json &t = j["totals"];
  CHECK(t.keys() == std::vector<std::string>{"params", "buffers", "macs", "flops",
                                             "memory_bytes", "activations", "weight_bytes",
                                             "peak_activation_bytes", "model_bytes",
                                             "latency_s", "throughput", "memory_bound_share"});
  CHECK(t["flops"].text == "468463616");
  CHECK(t["macs"].text == "234131456");
  CHECK(t["model_bytes"]["int8"].text == "559400");
  CHECK(t["latency_s"].number == r.totals.latency); // round-trips exactly
  CHECK(t["throughput"].number == r.totals.throughput);
  CHECK(j["max_batch"].kind == Json::Null);
  const Json &layers = j["layers"];
  REQUIRE(layers.items.size() == 4);
  const Json &fc = layers.items[3];
  CHECK(fc["name"].text == kOddName);
  CHECK(fc["bound"].text == "memory");
  CHECK(fc["output_shape"].items.size() == 2);
  CHECK(fc["output_shape"].items[1].text == "1000");
  CHECK(fc["latency_s"].number == r.layers[3].latency);
  CHECK(layers.items[0]["bound"].text == "compute");
  CHECK(layers.items[0]["intensity"].number == r.layers[0].intensity);

  // Grouping adds "groups" and keeps the layers; max_batch becomes an object.
  r.maxBatch = cost::MaxBatch{4096, 1.5, 2730.67};
  groupRows(r, GroupBy::Block);
  text = render(r, ReportFormat::Json);
  doc = JsonReader(text).parse();
  REQUIRE(doc);
  CHECK((*doc)["layers"].items.size() == 4);
  CHECK((*doc)["group_by"].text == "block");
  REQUIRE((*doc)["groups"].items.size() == 3);
  CHECK((*doc)["groups"].items[1]["name"].text == "layer1");
  CHECK((*doc)["groups"].items[1]["flops"].text == "231411712");
  CHECK((*doc)["max_batch"]["batch"].text == "4096");
  CHECK((*doc)["max_batch"]["qps"].number == 2730.67);
}

TEST_CASE("report: csv quotes per RFC 4180 and ends with a total row") {
  Report r = sampleReport();
  std::string text = render(r, ReportFormat::Csv);
  CHECK(contains(text, "\"fc, \"\"head\"\"\",linear,fc,\"[1,1000]\","));
  std::vector<std::vector<std::string>> rows = parseCsv(text);
  REQUIRE(rows.size() == 6);
  for (const auto &row : rows)
    CHECK(row.size() == rows[0].size());
  CHECK(rows[0][0] == "name");
  CHECK(std::find(rows[0].begin(), rows[0].end(), "flops_convention") != rows[0].end());
  CHECK(rows[4][0] == kOddName);
  CHECK(rows[4][3] == "[1,1000]");
  CHECK(rows[5][0] == "(total)");
  CHECK(rows[5][7] == "468463616");
  size_t last = rows[0].size();
  CHECK(rows[1][last - 5] == "2mac");
  CHECK(rows[1][last - 4] == "ideal");
  CHECK(rows[1][last - 3] == "f32");
  CHECK(rows[1][last - 2] == "1");
  CHECK(rows[1][last - 1] == "roofline lower bound");
  CHECK(std::strtod(rows[5][13].c_str(), nullptr) == r.totals.latency);

  groupRows(r, GroupBy::Op);
  rows = parseCsv(render(r, ReportFormat::Csv));
  REQUIRE(rows.size() == 1 + 3 + 1); // conv2d, relu, linear
  CHECK(rows[1][0] == "conv2d");
  CHECK(rows[1][4] == "46272");
}

TEST_CASE("report: markdown has the facts, one table row per layer and the totals") {
  Report r = sampleReport();
  ReportStyle style;
  style.top = 2;
  std::string text = render(r, ReportFormat::Markdown, style);
  CHECK(contains(text, "# netc report: tiny\\_resnet"));
  CHECK(contains(text, "latency is a roofline lower bound"));
  CHECK(contains(text, "ridge I\\_max = 12.50 FLOP/B"));
  // Count the rows of each table (header and alignment rows included).
  std::vector<int> tableRows;
  bool inTable = false;
  for (const std::string &l : lines(text)) {
    bool row = !l.empty() && l[0] == '|';
    if (row && !inTable)
      tableRows.push_back(0);
    if (row)
      ++tableRows.back();
    inTable = row;
  }
  REQUIRE(tableRows.size() == 3);
  CHECK(tableRows[0] == 2 + 4);
  CHECK(tableRows[1] == 2 + 14); // the totals
  CHECK(tableRows[2] == 2 + 2);  // top 2
  CHECK(contains(text, "| params | 559,272 |"));
  CHECK(contains(text, "| FLOPs | 468,463,616 | 2mac |"));
  CHECK(contains(text, "fc, \"head\""));
}

TEST_CASE("report: groupLayers sums counts and recomputes the roofline") {
  Report r = sampleReport();
  std::vector<LayerCost> same = groupLayers(r, GroupBy::Layer);
  REQUIRE(same.size() == 4);
  CHECK(same[2].name == kLongName);

  std::vector<LayerCost> blocks = groupLayers(r, GroupBy::Block);
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].name == "conv1");
  CHECK(blocks[1].name == "layer1");
  CHECK(blocks[2].name == "fc");
  const LayerCost &b = blocks[1];
  CHECK(b.op == "(mixed)");
  CHECK(b.block == "layer1");
  CHECK(b.params == 36864);
  CHECK(b.buffers == 128);
  CHECK(b.macs == 115605504);
  CHECK(b.flops == 231211008 + 200704);
  CHECK(b.memoryBytes == 1753088 + 1605632);
  CHECK(b.activations == 200704 * 2);
  CHECK(b.latency == doctest::Approx(r.layers[1].latency + r.layers[2].latency));
  CHECK(b.intensity == doctest::Approx(double(b.flops) / double(b.memoryBytes)));
  CHECK(b.intensity == doctest::Approx(68.898).epsilon(1e-4)); // above the ridge (12.5)
  CHECK(b.attainable == kPeak);
  CHECK(!b.memoryBound);
  CHECK(b.outputShape == ir::Shape{1, 64, 56, 56});

  std::vector<LayerCost> ops = groupLayers(r, GroupBy::Op);
  REQUIRE(ops.size() == 3);
  CHECK(ops[0].name == "conv2d");
  CHECK(ops[0].op == "conv2d");
  CHECK(ops[0].block == "(mixed)");
  CHECK(ops[0].params == 9408 + 36864);
  CHECK(ops[0].flops == 236027904 + 231211008);
  CHECK(!ops[0].memoryBound);
  CHECK(ops[1].name == "relu");
  CHECK(ops[1].memoryBound);
  CHECK(ops[1].block == "layer1");
  CHECK(ops[2].name == "linear");

  int64_t flops = 0;
  double latency = 0;
  for (const LayerCost &g : ops) {
    flops += g.flops;
    latency += g.latency;
  }
  CHECK(flops == r.totals.flops);
  CHECK(latency == doctest::Approx(r.totals.latency));
}

TEST_CASE("report: comparison shows both totals and the ratio b/a") {
  Report a = sampleReport();
  Report b = sampleReport();
  b.network = "bigger";
  b.totals.params *= 2;
  b.totals.flops = b.totals.flops * 7 / 5;
  b.totals.latency *= 3;

  std::string t = renderComparison(a, b, ReportFormat::Table);
  for (const std::string &l : lines(t))
    CHECK_MESSAGE(l.size() <= 100, l);
  CHECK(contains(t, "latency is a roofline lower bound"));
  bool params = false, flops = false, macs = false;
  for (const std::string &l : lines(t)) {
    if (l.rfind("params ", 0) == 0)
      params = contains(l, "559,272") && contains(l, "1,118,544") && contains(l, "2.00x");
    if (l.rfind("FLOPs ", 0) == 0)
      flops = contains(l, "1.40x");
    if (l.rfind("MACs ", 0) == 0)
      macs = contains(l, "1.00x");
  }
  CHECK(params);
  CHECK(flops);
  CHECK(macs);

  auto doc = JsonReader(renderComparison(a, b, ReportFormat::Json)).parse();
  REQUIRE(doc);
  CHECK((*doc)["a"]["network"].text == "tiny_resnet");
  CHECK((*doc)["b"]["totals"]["params"].text == "1118544");
  CHECK((*doc)["ratio"]["params"].number == 2);
  CHECK((*doc)["ratio"]["latency_s"].number == doctest::Approx(3));
  CHECK((*doc)["ratio"]["model_bytes"]["fp32"].number == 1);
  CHECK((*doc)["ratio"]["max_batch"].kind == Json::Null);

  std::vector<std::vector<std::string>> rows =
      parseCsv(renderComparison(a, b, ReportFormat::Csv));
  bool csvParams = false;
  for (const auto &row : rows) {
    REQUIRE(row.size() == 4);
    if (row[0] == "params")
      csvParams = row[1] == "559272" && row[2] == "1118544" && row[3] == "2";
  }
  CHECK(csvParams);

  std::string md = renderComparison(a, b, ReportFormat::Markdown);
  CHECK(contains(md, "| params | 559,272 | 1,118,544 | 2.00x |"));
  CHECK(contains(md, "roofline lower bound"));
}

TEST_CASE("report: --depth builds a tree of blocks with subtotals at every level") {
  Report r = sampleReport();
  auto names = [](const std::vector<LayerCost> &rows) {
    std::vector<std::string> n;
    for (const LayerCost &l : rows)
      n.push_back(l.name + "@" + std::to_string(l.depth));
    return n;
  };
  CHECK(cost::treeRows(r, 0).empty()); // the total alone
  CHECK(names(cost::treeRows(r, 1)) ==
        std::vector<std::string>{"conv1@1", "layer1@1", std::string(kOddName) + "@1"});
  CHECK(names(cost::treeRows(r, 2)) ==
        std::vector<std::string>{"conv1@1", "layer1@1", "layer1.0@2",
                                 std::string(kOddName) + "@1"});
  CHECK(names(cost::treeRows(r, 4)) ==
        std::vector<std::string>{"conv1@1", "layer1@1", "layer1.0@2", "layer1.0.conv1@3",
                                 "layer1.0.some@3", "layer1.0.some.very@4",
                                 std::string(kOddName) + "@1"});
  // A block's row is the sum of its layers at every level; the op is mixed.
  for (unsigned depth : {1u, 2u, 3u}) {
    std::vector<LayerCost> rows = cost::treeRows(r, depth);
    const LayerCost &block = rows[1];
    CHECK(block.name == "layer1");
    CHECK(block.params == r.layers[1].params + r.layers[2].params);
    CHECK(block.flops == r.layers[1].flops + r.layers[2].flops);
    CHECK(block.memoryBytes == r.layers[1].memoryBytes + r.layers[2].memoryBytes);
    CHECK(block.latency == doctest::Approx(r.layers[1].latency + r.layers[2].latency));
    CHECK(block.op == "(mixed)");
    CHECK(block.outputShape == r.layers[2].outputShape); // its last layer's
    CHECK(rows[0].params == r.layers[0].params);         // a layer of its own
    CHECK(rows[0].op == "conv2d");
  }
  // The roofline of a block is recomputed from its sums.
  LayerCost block = cost::treeRows(r, 1)[1];
  CHECK(block.intensity ==
        doctest::Approx(double(block.flops) / double(block.memoryBytes)));
}

TEST_CASE("report: the tree in every format") {
  Report r = sampleReport();
  groupRows(r, GroupBy::Tree, 2);
  REQUIRE(r.rows().size() == 4);
  ReportStyle style;
  style.top = 2;
  std::string t = render(r, ReportFormat::Table, style);
  CHECK(contains(t, "\nlayer1 "));
  CHECK(contains(t, "\n  0 ")); // "layer1.0", indented under layer1
  CHECK(contains(t, "top 2 layers by time")); // the top list ranks layers
  std::string csv = render(r, ReportFormat::Csv);
  CHECK(contains(csv, ",latency_model,depth\n"));
  CHECK(contains(csv, "\nlayer1.0,"));
  std::string md = render(r, ReportFormat::Markdown);
  CHECK(contains(md, "## Blocks to depth 2"));
  CHECK(contains(md, "| depth | path | op |"));
  std::string json = render(r, ReportFormat::Json);
  CHECK(contains(json, "\"group_by\": \"tree\""));
  CHECK(contains(json, "\"depth\": 2"));
}

TEST_CASE("report: the table has the op and the share of time, --wide cuts nothing") {
  Report r = sampleReport();
  r.layers[0].op = "conv2d+add+relu"; // a fused layer
  groupRows(r, GroupBy::Layer);
  std::string wide = render(r, ReportFormat::Table);
  CHECK(contains(wide, " conv2d+add+relu "));
  CHECK(contains(wide, kLongName)); // no width: nothing shortened
  CHECK(contains(wide, " %time"));
  for (const std::string &l : lines(wide))
    if (l.rfind("total ", 0) == 0)
      CHECK(contains(l, "100.0%"));
  std::string share = fmt::format("{:.1f}%", 100 * r.layers[0].latency / r.totals.latency);
  CHECK(contains(wide, " " + share));
  ReportStyle style;
  style.width = 100;
  std::string narrow = render(r, ReportFormat::Table, style);
  CHECK(!contains(narrow, kLongName));
  std::string md = render(r, ReportFormat::Markdown);
  CHECK(contains(md, "| conv2d+add+relu |"));
  CHECK(contains(md, "| " + share + " |"));
  CHECK(contains(render(r, ReportFormat::Csv), ",latency_s,latency_share,"));
}
