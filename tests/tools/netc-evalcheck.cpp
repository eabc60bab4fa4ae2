//===- netc-evalcheck.cpp - emitted kernels against netc's evaluator --------===//
//
// usage: netc-evalcheck FILE.net DUMP [--seed N] [--network NAME] [-D name=value]...
//
// DUMP is what the emitted program's `check --dump` writes: the outputs of its
// reference path (every op separately, double precision) for seeded random
// weights and inputs. This tool elaborates FILE the same way, draws the same
// numbers (eval::randomWeights / randomInputs, rounded to float as the
// emitted state dict holds them) and runs netc's own evaluator, whose eval
// rules follow PyTorch. It exits 0 when every output agrees within 1e-9
// relative to the output's largest magnitude: the emitted kernels compute
// what the op table says, not just what the fused path says.
//
//===----------------------------------------------------------------------===//
#include "driver/Compilation.h"
#include "eval/Evaluator.h"

#include <llvm/Support/raw_ostream.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

using namespace netc;

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: %s FILE.net DUMP [--seed N] [--network NAME] [-D name=value]...\n",
                 argv[0]);
    return 2;
  }
  uint64_t seed = 1;
  ElabOptions elab;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--network" && i + 1 < argc) {
      elab.network = argv[++i];
    } else if (a == "-D" && i + 1 < argc) {
      std::string d = argv[++i];
      size_t eq = d.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "-D expects name=value\n");
        return 2;
      }
      elab.overrides.emplace_back(d.substr(0, eq), d.substr(eq + 1));
    } else {
      std::fprintf(stderr, "unknown argument '%s'\n", a.c_str());
      return 2;
    }
  }
  driver::PipelineOptions po;
  po.elab = elab;
  driver::Compilation c(po);
  std::optional<ir::Graph> g = c.load(argv[1]) ? c.elaborate() : std::nullopt;
  if (!g) {
    c.printDiagnostics();
    return c.exitCode();
  }
  ir::WeightStore weights = eval::randomWeights(*g, seed);
  std::vector<ir::Buffer> inputs = eval::randomInputs(*g, seed);
  eval::roundToFloat(weights, inputs);
  std::vector<ir::Buffer> outputs;
  if (std::string e = eval::evaluate(*g, weights, inputs, outputs); !e.empty()) {
    std::fprintf(stderr, "evaluate: %s\n", e.c_str());
    return 1;
  }

  std::ifstream in(argv[2]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  double worst = 0;
  for (size_t o = 0; o < outputs.size(); ++o) {
    std::string word;
    size_t index = 0, count = 0;
    if (!(in >> word >> index >> count) || word != "output" || index != o ||
        count != outputs[o].size()) {
      std::fprintf(stderr, "output %zu: the dump does not match (%zu values expected)\n", o,
                   outputs[o].size());
      return 1;
    }
    double scale = 0, diff = 0;
    for (size_t i = 0; i < count; ++i) {
      double x;
      if (!(in >> x)) {
        std::fprintf(stderr, "output %zu: the dump ends early\n", o);
        return 1;
      }
      const double y = outputs[o].data[i];
      scale = std::max(scale, std::fabs(y));
      const double d = std::fabs(x - y);
      diff = (d == d) ? std::max(diff, d) : INFINITY;
    }
    const double rel = diff == 0 ? 0 : diff / std::max(scale, 1e-30);
    std::printf("output %zu: %zu values, max |evaluator| %.6g, relative difference %.3g\n", o,
                count, scale, rel);
    worst = std::max(worst, rel == rel ? rel : INFINITY);
  }
  std::string extra;
  if (in >> extra) {
    std::fprintf(stderr, "the dump has more outputs than the network (%zu)\n", outputs.size());
    return 1;
  }
  const bool ok = worst <= 1e-9;
  std::printf("%s: emitted reference vs netc's evaluator, max relative difference %.3g (limit "
              "1e-9)\n",
              ok ? "PASS" : "FAIL", worst);
  return ok ? 0 : 1;
}
