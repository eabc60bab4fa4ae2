//===- netc-evaldump.cpp - netc's evaluator on seeded inputs, as text -------===//
//
// usage: netc-evaldump FILE.net DUMP [-O0] [-D name=value]...
//
// Compiles FILE as `netc --emit=onnx --weights random` does (optimized unless
// -O0), draws the same numbers (eval::randomWeights and randomInputs, seed 1,
// rounded to float as the ONNX initializers hold them), runs netc's
// evaluator and writes, one a line, "input I N" then its N values for every
// input and "output I N" then its N values for every output, in the graph's
// order. tests/cli/onnx-numpy.py runs the ONNX model on those inputs with
// numpy and compares with these outputs.
//
//===----------------------------------------------------------------------===//
#include "driver/Compilation.h"
#include "eval/Evaluator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

using namespace netc;

static void dump(std::FILE *f, const char *what, const std::vector<ir::Buffer> &bs) {
  for (size_t i = 0; i < bs.size(); ++i) {
    std::fprintf(f, "%s %zu %zu\n", what, i, bs[i].size());
    for (double v : bs[i].data)
      std::fprintf(f, "%.17g\n", v);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE.net DUMP [-O0] [-D name=value]...\n", argv[0]);
    return 2;
  }
  driver::PipelineOptions po;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    size_t eq = i + 1 < argc ? std::string(argv[i + 1]).find('=') : std::string::npos;
    if (a == "-O0") {
      po.optimize = false;
    } else if (a == "-D" && eq != std::string::npos) {
      std::string d = argv[++i];
      po.elab.overrides.emplace_back(d.substr(0, eq), d.substr(eq + 1));
    } else {
      std::fprintf(stderr, "unknown argument '%s'\n", a.c_str());
      return 2;
    }
  }
  driver::Compilation c(po);
  std::optional<ir::Graph> g = c.load(argv[1]) ? c.elaborate() : std::nullopt;
  if (!g || !c.optimize(*g)) {
    c.printDiagnostics();
    return 1;
  }
  ir::WeightStore weights = eval::randomWeights(*g, 1);
  std::vector<ir::Buffer> inputs = eval::randomInputs(*g, 1), outputs;
  eval::roundToFloat(weights, inputs);
  // Token ids index a table in ONNX (Gather), so they must be valid rows:
  // taken modulo the smallest table of an op that takes indices (the
  // evaluator takes them modulo its table, so it computes the same).
  int64_t rows = 0;
  for (const ir::Node &n : g->nodes)
    if (n.op->takesIndices) {
      const int64_t r = g->weights(n).front().shape.front();
      rows = rows == 0 ? r : std::min(rows, r);
    }
  const std::vector<ir::ValueId> in = g->inputs();
  for (size_t i = 0; i < in.size(); ++i)
    if (ir::isIndexDType(g->type(in[i]).dtype) && rows > 0)
      for (double &v : inputs[i].data)
        v = std::fmod(v, static_cast<double>(rows));
  if (std::string e = eval::evaluate(*g, weights, inputs, outputs); !e.empty()) {
    std::fprintf(stderr, "evaluate: %s\n", e.c_str());
    return 1;
  }
  std::FILE *f = std::fopen(argv[2], "w");
  if (!f)
    return 1;
  dump(f, "input", inputs);
  dump(f, "output", outputs);
  return std::fclose(f) == 0 ? 0 : 1;
}
