//===- netc_bench.cpp - benchmarks of netc's pipeline, stage by stage ------===//
//
// For every network in examples/ and for synthetic chains of conv2d/relu
// layers (built at run time, the `chain-loop` and `chain-literal` kinds of
// scripts/gen-synthetic.py), each stage of `netc --report` on its own:
//
//   load/NAME       read, lex and parse the file and its imports
//   elaborate/NAME  the AST to a shaped, verified graph
//   passes/NAME     the optimization passes (on a fresh copy of the graph)
//   cost/NAME       the cost model (buildReport) of the optimized graph
//   table/NAME      writing the report as a table; json/NAME as JSON
//   pipeline/NAME   all of it, as `netc --report` does (driver::Compilation):
//                   the default hardware profile, the report of the graph as
//                   written, the passes, the optimized report and the table
//
// Synthetic inputs, the kinds of scripts/gen-synthetic.py: chain_loop_N and
// chain_literal_N (N layers), wide_concat_N (one concat of N branches),
// nested_190 (blocks 190 deep: the call-depth limit is 200), long_loop_N (N
// loop iterations, a layer every 100), dense_chain_N (DenseNet-like: layer k
// reads the concat of the k before it).
//
// Counters: layers (graph nodes after elaboration) and time_per_layer (CPU
// time per layer: compare it across chain_loop_1000 ... chain_loop_1000000).
// Filter with --benchmark_filter, e.g. 'pipeline/' or '/resnet50$'.
//
//   emit_cpp/NAME   the C++ kernel emitter (--emit=cpp) on the optimized
//                   graph, in memory (the files are not written)
//
//===----------------------------------------------------------------------===//
#include "codegen/CppEmitter.h"
#include "cost/CostModel.h"
#include "driver/Compilation.h"
#include "report/ReportWriter.h"
#include "sema/Elaborator.h"

#include <benchmark/benchmark.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace netc;

namespace {

/// A network to benchmark: a file of examples/, or synthetic text.
struct Input {
  std::string name;
  std::string path; ///< a file, or empty
  std::string text; ///< in-memory source when path is empty
};

[[noreturn]] void die(const std::string &what, driver::Compilation &c) {
  c.printDiagnostics();
  llvm::errs() << "netc_bench: " << what << " failed\n";
  std::exit(1);
}

bool load(driver::Compilation &c, const Input &in) {
  return in.path.empty() ? c.loadText(in.text, in.name + ".net") : c.load(in.path);
}

/// Everything a later stage needs, computed once per benchmark through the
/// driver, as netc does.
struct Prepared {
  driver::Compilation c{{}};
  std::optional<ir::Graph> graph;     ///< as elaborated
  std::optional<ir::Graph> optimized; ///< after the passes
  std::optional<cost::Report> report; ///< of the optimized graph
};

std::unique_ptr<Prepared> prepare(const Input &in) {
  auto p = std::make_unique<Prepared>();
  if (!load(p->c, in))
    die("loading " + in.name, p->c);
  if (!p->c.hardware())
    die("the default hardware profile", p->c);
  if (!(p->graph = p->c.elaborate()))
    die("elaborating " + in.name, p->c);
  p->optimized = *p->graph;
  if (!(p->report = p->c.report(*p->optimized)))
    die("costing " + in.name, p->c);
  return p;
}

void setCounters(benchmark::State &state, size_t layers) {
  state.counters["layers"] = static_cast<double>(layers);
  // The inverted rate of layers: CPU seconds per layer, which the console
  // shows with a unit ("2.7us"); the JSON output has it in seconds.
  state.counters["time_per_layer"] =
      benchmark::Counter(static_cast<double>(layers), benchmark::Counter::kIsIterationInvariantRate |
                                                          benchmark::Counter::kInvert);
}

/// netc --report: what main() does for it, output to a string.
size_t pipeline(const Input &in) {
  driver::Compilation c({});
  if (!load(c, in))
    die("loading " + in.name, c);
  std::optional<cost::Report> report = c.hardware() ? c.report() : std::nullopt;
  if (!report)
    die("the report of " + in.name, c);
  std::string text;
  llvm::raw_string_ostream os(text);
  report::writeReport(os, *report, report::ReportFormat::Table);
  os.flush();
  return text.size();
}

void registerAll(const Input &in) {
  // Prepared lazily (and once): a 1M-layer network is not elaborated unless
  // one of its benchmarks is selected.
  auto shared = std::make_shared<std::unique_ptr<Prepared>>();
  auto get = [shared, in]() -> Prepared & {
    if (!*shared)
      *shared = prepare(in);
    return **shared;
  };
  auto reg = [&](const char *stage, std::function<void(benchmark::State &)> fn) {
    benchmark::RegisterBenchmark((std::string(stage) + "/" + in.name).c_str(), fn)
        ->Unit(benchmark::kMicrosecond);
  };
  reg("load", [in, get](benchmark::State &state) {
    size_t layers = get().graph->nodes.size();
    for (auto _ : state) {
      driver::Compilation c({});
      bool ok = load(c, in);
      benchmark::DoNotOptimize(ok);
    }
    setCounters(state, layers);
  });
  reg("elaborate", [get](benchmark::State &state) {
    Prepared &p = get();
    for (auto _ : state) {
      std::optional<ir::Graph> g = p.c.elaborate();
      benchmark::DoNotOptimize(g);
    }
    setCounters(state, p.graph->nodes.size());
  });
  reg("passes", [get](benchmark::State &state) {
    Prepared &p = get();
    for (auto _ : state) {
      state.PauseTiming();
      ir::Graph g = *p.graph;
      state.ResumeTiming();
      bool ok = p.c.optimize(g);
      benchmark::DoNotOptimize(ok);
      state.PauseTiming();
      { ir::Graph dead = std::move(g); } // its destruction is not the passes' time
      state.ResumeTiming();
    }
    setCounters(state, p.graph->nodes.size());
  });
  reg("cost", [get](benchmark::State &state) {
    Prepared &p = get();
    for (auto _ : state) {
      std::optional<cost::Report> r =
          cost::buildReport(*p.optimized, *p.c.hardware(), {}, p.c.diag());
      benchmark::DoNotOptimize(r);
    }
    setCounters(state, p.graph->nodes.size());
  });
  for (auto [stage, format] : {std::pair{"table", report::ReportFormat::Table},
                               std::pair{"json", report::ReportFormat::Json}}) {
    report::ReportFormat f = format;
    reg(stage, [get, f](benchmark::State &state) {
      Prepared &p = get();
      for (auto _ : state) {
        std::string text;
        llvm::raw_string_ostream os(text);
        report::writeReport(os, *p.report, f);
        os.flush();
        benchmark::DoNotOptimize(text);
      }
      setCounters(state, p.graph->nodes.size());
    });
  }
  reg("emit_cpp", [get](benchmark::State &state) {
    Prepared &p = get();
    for (auto _ : state) {
      auto files = codegen::emitCpp(*p.graph, *p.optimized, *p.report, p.c.diag());
      benchmark::DoNotOptimize(files);
    }
    setCounters(state, p.graph->nodes.size());
  });
  reg("pipeline", [in, get](benchmark::State &state) {
    size_t layers = get().graph->nodes.size();
    for (auto _ : state)
      benchmark::DoNotOptimize(pipeline(in));
    setCounters(state, layers);
  });
}

/// The `chain-loop` network of scripts/gen-synthetic.py: n layers, conv2d
/// and relu alternating, built by a `for` loop.
std::string chainLoop(size_t n) {
  std::string s = "network synthetic() {\n  x = input([1, 8, 8, 8])\n";
  if (n / 2)
    s += "  for i in range(" + std::to_string(n / 2) +
         ") {\n    x = relu(conv2d(x, 8, k=3, padding=1))\n  }\n";
  if (n % 2)
    s += "  x = conv2d(x, 8, k=3, padding=1)\n";
  return s + "  return x\n}\n";
}

/// The `chain-literal` kind: the same chain as n literal statements.
std::string chainLiteral(size_t n) {
  std::string s = "network synthetic() {\n  x = input([1, 8, 8, 8])\n";
  for (size_t i = 0; i < n; ++i)
    s += i % 2 == 0 ? "  x = conv2d(x, 8, k=3, padding=1)\n" : "  x = relu(x)\n";
  return s + "  return x\n}\n";
}

/// The `wide-concat` kind: one concat of n 1x1-conv branches of one input.
std::string wideConcat(size_t n) {
  return "network synthetic() {\n  x = input([1, 8, 8, 8])\n  branches = []\n  for i in range(" +
         std::to_string(n) +
         ") {\n    branches = branches + [conv2d(x, 1, k=1)]\n  }\n  return concat(branches)\n}\n";
}

/// The `dense-chain` kind: DenseNet-like, each layer reads the concat of all
/// before it (n²/2 edges). The passes once scanned every input of every
/// reader for each rewrite (cubic: 6,000 layers took 55 s); compare
/// passes/dense_chain_N across N for the quadratic the edges imply.
std::string denseChain(size_t n) {
  return "network synthetic() {\n  x = input([1, 2, 4, 4])\n  feats = [x]\n  for i in range(" +
         std::to_string(n) +
         ") {\n    feats = feats + [relu(conv2d(concat(feats), 1, k=1))]\n  }\n"
         "  return concat(feats)\n}\n";
}

/// The `nested` kind: blocks calling blocks, n deep.
std::string nested(size_t n) {
  std::string s = "block level_0(x: tensor) { return relu(conv2d(x, 8, k=3, padding=1)) }\n";
  for (size_t d = 1; d < n; ++d)
    s += "block level_" + std::to_string(d) + "(x: tensor) { return level_" +
         std::to_string(d - 1) + "(relu(conv2d(x, 8, k=3, padding=1))) }\n";
  return s + "network synthetic() {\n  return input([1, 8, 8, 8]) |> level_" +
         std::to_string(n - 1) + "\n}\n";
}

/// The `long-loop` kind: n iterations of arithmetic, a layer every 100.
std::string longLoop(size_t n) {
  return "network synthetic() {\n  x = input([1, 8, 8, 8])\n  acc = 0\n  for i in range(" +
         std::to_string(n) +
         ") {\n    acc = (acc + i * 3) % 1000003\n    if i % 100 == 0 { x = relu(x) }\n  }\n"
         "  assert(acc >= 0, \"acc\")\n  return x\n}\n";
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(NETC_EXAMPLES_DIR, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".net")
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const std::string &f : files)
    registerAll({llvm::sys::path::stem(f).str(), f, ""});
  for (size_t n : {1'000, 10'000, 100'000, 1'000'000})
    registerAll({"chain_loop_" + std::to_string(n), "", chainLoop(n)});
  for (size_t n : {1'000, 10'000, 100'000})
    registerAll({"chain_literal_" + std::to_string(n), "", chainLiteral(n)});
  for (size_t n : {100, 1'000, 10'000})
    registerAll({"wide_concat_" + std::to_string(n), "", wideConcat(n)});
  for (size_t n : {500, 1'000, 2'000})
    registerAll({"dense_chain_" + std::to_string(n), "", denseChain(n)});
  registerAll({"nested_190", "", nested(190)});
  for (size_t n : {10'000, 1'000'000})
    registerAll({"long_loop_" + std::to_string(n), "", longLoop(n)});

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
