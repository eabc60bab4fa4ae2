#include "passes/Pass.h"

#include "ir/GraphPrinter.h"
#include "ir/Verifier.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::passes {

const std::vector<PassInfo> &allPasses() {
  static const std::vector<PassInfo> list = {
#define NETC_PASS(NAME, FN, DESC) {NAME, FN, DESC},
#include "passes/Passes.def"
#undef NETC_PASS
  };
  return list;
}

const PassInfo *findPass(llvm::StringRef name) {
  for (const PassInfo &p : allPasses())
    if (name == p.name)
      return &p;
  return nullptr;
}

/// Applies one rewrite per run of the pass, measuring around each, until a
/// run applies nothing; that last run's "left alone" records are kept.
static void runMeasured(PassContext &ctx, const PassInfo &p, const PassOptions &opts) {
  while (true) {
    size_t mark = ctx.rewrites.size();
    Snapshot before = opts.measure(ctx.graph);
    ctx.budget = 1;
    p.run(ctx);
    ctx.budget = SIZE_MAX;
    auto firstApplied = std::find_if(ctx.rewrites.begin() + static_cast<ptrdiff_t>(mark),
                                     ctx.rewrites.end(), [](const Rewrite &w) { return w.applied; });
    if (firstApplied == ctx.rewrites.end())
      return; // keep this run's "left alone" records
    Rewrite done = *firstApplied;
    done.measured = true;
    done.before = before;
    done.after = opts.measure(ctx.graph);
    ctx.rewrites.resize(mark); // earlier runs' "left alone" records repeat; drop them
    ctx.rewrites.push_back(std::move(done));
  }
}

std::string runPasses(PassContext &ctx, const PassOptions &opts, std::vector<PassStep> *steps) {
  for (const std::string &name : opts.passes)
    if (!findPass(name)) {
      std::string known;
      for (const PassInfo &p : allPasses())
        known += (known.empty() ? "" : ", ") + std::string(p.name);
      return fmt::format("unknown pass '{}' (passes: {})", name, known);
    }
  for (const PassInfo &p : allPasses()) {
    if (!opts.passes.empty() &&
        std::find(opts.passes.begin(), opts.passes.end(), p.name) == opts.passes.end())
      continue;
    PassStep step;
    step.pass = p.name;
    ctx.currentPass = p.name;
    if (opts.measure) {
      step.before = opts.measure(ctx.graph);
      runMeasured(ctx, p, opts);
      step.after = opts.measure(ctx.graph);
    } else {
      p.run(ctx);
    }
    if (steps)
      steps->push_back(step);
    if (opts.printAfterAll) {
      *opts.printAfterAll << "// after " << p.name << "\n";
      ir::printGraph(*opts.printAfterAll, ctx.graph);
    }
    if (opts.verifyEach) {
      std::vector<std::string> problems = ir::verifyGraph(ctx.graph);
      if (!problems.empty())
        return fmt::format("the graph is invalid after pass '{}': {}", p.name, problems.front());
    }
  }
  return "";
}

} // namespace netc::passes
