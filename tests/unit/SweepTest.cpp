#include "cost/CostModel.h"
#include "sema/Elaborator.h"
#include "driver/Options.h"
#include "driver/Sweep.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace netc;
using namespace netc::sweep;

namespace {

std::vector<std::string> values(const SweepSpec &s, bool asFloat) {
  std::vector<std::string> v;
  for (uint64_t i = 0; i < s.size(); ++i)
    v.push_back(s.value(i, asFloat));
  return v;
}

SweepSpec spec(const char *text) {
  SweepSpec s;
  std::optional<std::string> problem = parseSweepSpec(text, s);
  INFO(text);
  REQUIRE_FALSE(problem);
  return s;
}

report::SweepRow row(int64_t macs, double latency, bool ok = true) {
  report::SweepRow r;
  r.ok = ok;
  r.totals.macs = macs;
  r.totals.latency = latency;
  return r;
}

std::optional<int> parse(std::vector<const char *> args, Options &opts, std::string &err) {
  args.insert(args.begin(), "netc");
  std::string out;
  llvm::raw_string_ostream o(out), e(err);
  std::optional<int> rc = parseOptions(static_cast<int>(args.size()), args.data(), opts, o, e);
  e.flush();
  return rc;
}

} // namespace

TEST_CASE("sweep: exact decimal ranges include the stop") {
  SweepSpec w = spec("width=0.25:1.5:0.25");
  CHECK(w.name == "width");
  CHECK(w.isRange);
  CHECK(w.floatText);
  CHECK_FALSE(w.integral);
  CHECK(values(w, true) ==
        std::vector<std::string>{"0.25", "0.5", "0.75", "1.0", "1.25", "1.5"});
  // 0.1 steps accumulate no error: 30 steps land exactly on 3.
  SweepSpec t = spec("x=0:3:0.1");
  CHECK(t.size() == 31);
  CHECK(t.value(30, true) == "3.0");
  CHECK(t.value(3, true) == "0.3");
  // The stop is included only when a step lands on it.
  CHECK(values(spec("x=0:1:0.3"), true) == std::vector<std::string>{"0.0", "0.3", "0.6", "0.9"});
  // Integers.
  SweepSpec r = spec("res=128:224:32");
  CHECK(r.integral);
  CHECK_FALSE(r.floatText);
  CHECK(values(r, false) == std::vector<std::string>{"128", "160", "192", "224"});
  // An integral range written with decimals is still integral.
  CHECK(spec("res=128.0:224:32.0").integral);
  // Exponents, negatives and a one-value range.
  CHECK(values(spec("lr=1e-3:3e-3:1e-3"), true) ==
        std::vector<std::string>{"0.001", "0.002", "0.003"});
  CHECK(values(spec("b=-1:1:1"), false) == std::vector<std::string>{"-1", "0", "1"});
  CHECK(values(spec("b=-0.5:0.5:0.5"), true) == std::vector<std::string>{"-0.5", "0.0", "0.5"});
  CHECK(values(spec("w=2:2:1"), false) == std::vector<std::string>{"2"});
  CHECK(spec("w=0.5:0.5:0.1").integral == false);
  CHECK(spec("w=3:3:0.5").integral); // one value, 3
  CHECK(spec("x=0.25:2.0:0.0025").size() == 701);
}

TEST_CASE("sweep: the list form keeps its values as written") {
  SweepSpec s = spec("act=relu, relu6 ,silu");
  CHECK_FALSE(s.isRange);
  CHECK(values(s, false) == std::vector<std::string>{"relu", "relu6", "silu"});
  CHECK(values(spec("res=96"), false) == std::vector<std::string>{"96"});
}

TEST_CASE("sweep: malformed specs") {
  for (const char *bad : {"width", "=1:2:1", "width=", "width=1:2", "width=1:2:3:4",
                          "width=a:2:1", "width=1:2:0", "width=1:2:-1", "width=2:1:1",
                          "width=1:2:0.0", "width=1,,2", "width=1:2:1x",
                          "width=0.1234567890123456789:1:1"}) {
    SweepSpec s;
    INFO(bad);
    CHECK(parseSweepSpec(bad, s));
  }
  SweepSpec s;
  CHECK(parseSweepSpec("x=1:1000:1", s, 999));
  CHECK_FALSE(parseSweepSpec("x=1:1000:1", s, 1000));
}

TEST_CASE("sweep: decimals") {
  auto d = parseDecimal("1.50");
  REQUIRE(d);
  CHECK(d->mantissa == 15);
  CHECK(d->scale == 1);
  d = parseDecimal("2.5e2");
  REQUIRE(d);
  CHECK(d->mantissa == 250);
  CHECK(d->scale == 0);
  CHECK_FALSE(parseDecimal(""));
  CHECK_FALSE(parseDecimal("."));
  CHECK_FALSE(parseDecimal("1e"));
  CHECK_FALSE(parseDecimal("1.2.3"));
  CHECK(parseDecimal(".5"));
}

TEST_CASE("sweep: odometer order, the last sweep fastest") {
  std::vector<SweepSpec> specs = {spec("a=1,2"), spec("b=10:30:10")};
  CHECK(variantCount(specs) == 6);
  std::vector<std::vector<uint64_t>> got;
  for (uint64_t k = 0; k < 6; ++k)
    got.push_back(variantIndices(specs, k));
  CHECK(got == std::vector<std::vector<uint64_t>>{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}});
  std::vector<SweepSpec> huge(2);
  CHECK_FALSE(parseSweepSpec("a=0:1e15:1", huge[0], UINT64_MAX));
  CHECK_FALSE(parseSweepSpec("b=0:1e15:1", huge[1], UINT64_MAX));
  CHECK(huge[0].size() == 1'000'000'000'000'001ULL);
  CHECK(variantCount(huge) == UINT64_MAX);
}

TEST_CASE("sweep: the Pareto front of latency and MACs") {
  std::vector<report::SweepRow> rows = {
      row(100, 5.0),        // 0: on (fewest MACs)
      row(200, 3.0),        // 1: on
      row(200, 4.0),        // 2: off (1 has the same MACs, less latency)
      row(300, 3.0),        // 3: off (1 is <= in both, < in MACs)
      row(400, 1.0),        // 4: on
      row(400, 1.0),        // 5: on (equal to 4: neither dominates)
      row(50, 0.5, false),  // 6: failed, never on
      row(500, 0.5),        // 7: on
      row(100, 5.0),        // 8: on (equal to 0)
  };
  markPareto(rows);
  std::vector<bool> on;
  for (const auto &r : rows)
    on.push_back(r.pareto);
  CHECK(on == std::vector<bool>{true, true, false, false, true, true, false, true, true});
  // Brute force agrees on a grid.
  std::vector<report::SweepRow> grid;
  for (int i = 0; i < 40; ++i)
    grid.push_back(row((i * 37) % 11, static_cast<double>((i * 13) % 7)));
  markPareto(grid);
  for (size_t i = 0; i < grid.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < grid.size(); ++j) {
      const auto &a = grid[j].totals, &b = grid[i].totals;
      dominated |= a.macs <= b.macs && a.latency <= b.latency &&
                   (a.macs < b.macs || a.latency < b.latency);
    }
    CHECK(grid[i].pareto == !dominated);
  }
}

TEST_CASE("sweep: options") {
  {
    Options o;
    std::string err;
    CHECK_FALSE(parse({"--report", "--sweep", "width=0.5:1:0.25", "--sweep=res=96,128",
                       "--pareto", "-D", "classes=10", "m.net"},
                      o, err));
    REQUIRE(o.sweep.sweeps.size() == 2);
    CHECK(o.sweep.sweeps[1].list == std::vector<std::string>{"96", "128"});
    CHECK(o.sweep.pareto);
  }
  for (auto args : std::vector<std::vector<const char *>>{
           {"--sweep", "w=1:2:1", "m.net"},                           // needs --report
           {"--emit=graph", "--sweep", "w=1:2:1", "m.net"},           // needs --report
           {"--report", "--sweep", "w=1:2:0", "m.net"},               // zero step
           {"--report", "--sweep", "w", "m.net"},                     // malformed
           {"--report", "--sweep", "w=1,2", "--sweep", "w=3", "m.net"}, // twice
           {"--report", "--sweep", "w=1,2", "-D", "w=3", "m.net"},    // -D and --sweep
           {"--report", "--sweep", "w=1,2", "--compare", "b.net", "m.net"},
           {"--report", "--sweep", "w=1,2", "--max-batch", "m.net"},
           {"--report", "--sweep", "w=1,2", "--group-by", "op", "m.net"},
           {"--report", "--sweep", "w=1,2", "--top", "3", "m.net"},
           {"--report", "--pareto", "m.net"},                         // needs --sweep
           {"--report", "--sweep", "w=1:10:1", "--max-variants", "9", "m.net"},
           {"--report", "--sweep", "w=1:1e9:1", "--sweep", "v=1:1e9:1", "m.net"},
       }) {
    Options o;
    std::string err;
    std::optional<int> rc = parse(args, o, err);
    INFO(err);
    REQUIRE(rc);
    CHECK(*rc == 2);
  }
  Options o;
  std::string err;
  CHECK_FALSE(parse({"--report", "--sweep", "w=1:10:1", "--max-variants", "10", "m.net"}, o, err));
}

TEST_CASE("sweep: buildTotals gives buildReport's totals on every example") {
  llvm::SmallString<256> dir(NETC_TEST_DIR);
  llvm::sys::path::append(dir, "..", "examples");
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::StringRef(it->path()).endswith(".net"))
      files.push_back(it->path());
  REQUIRE(files.size() >= 3);
  target::HardwareProfile hw;
  hw.name = "test";
  hw.peak[0] = 1e12;
  hw.bandwidth = 1e11;
  hw.memory = 1e10;
  cost::CostOptions other;
  other.batch = 3;
  other.memory = cost::MemoryModel::NoReuse;
  other.flops = cost::FlopConvention::Exact;
  for (const std::string &file : files) {
    CAPTURE(file);
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    std::optional<Program> program = loadProgram(diag, file);
    REQUIRE(program);
    std::optional<ir::Graph> graph = elaborate(*program, diag);
    REQUIRE(graph);
    for (const cost::CostOptions &opts : {cost::CostOptions{}, other}) {
      std::optional<cost::Report> r = cost::buildReport(*graph, hw, opts, diag);
      std::optional<cost::Totals> t = cost::buildTotals(*graph, hw, opts, diag);
      REQUIRE(r);
      REQUIRE(t);
      CHECK(t->params == r->totals.params);
      CHECK(t->buffers == r->totals.buffers);
      CHECK(t->macs == r->totals.macs);
      CHECK(t->flops == r->totals.flops);
      CHECK(t->memoryBytes == r->totals.memoryBytes);
      CHECK(t->activations == r->totals.activations);
      CHECK(t->weightBytes == r->totals.weightBytes);
      CHECK(t->peakActivationBytes == r->totals.peakActivationBytes);
      CHECK(t->latency == r->totals.latency);
      CHECK(t->memoryBoundShare == r->totals.memoryBoundShare);
    }
  }
}
