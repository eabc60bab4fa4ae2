#include "report/OptReportWriter.h"

#include "support/Format.h"
#include "report/WriterCommon.h"

#include <fmt/format.h>

namespace netc::report {

namespace {

std::string change(int64_t before, int64_t after) {
  if (before == after)
    return "=";
  return fmt::format("{}{}", after > before ? "+" : "-", withThousands(after > before
                                                                           ? after - before
                                                                           : before - after));
}

} // namespace

void writeOptReport(llvm::raw_ostream &os, const cost::Report &r,
                    const std::vector<passes::PassStep> &steps,
                    const std::vector<passes::Rewrite> &rewrites) {
  os << fmt::format("optimization report: {} on {} ({}, batch {}, FLOPs {}, memory {})\n\n",
                    r.network, r.hardware.name, ir::dtypeName(r.options.dtype).str(),
                    r.options.batch, cost::flopConventionName(r.options.flops).str(),
                    cost::memoryModelName(r.options.memory).str());
  os << fmt::format("{:<18} {:>9} {:>11} {:>14} {:>20}\n", "pass", "layers", "params",
                    "memory bytes", "latency");
  os << std::string(76, '-') << '\n';
  for (const passes::PassStep &s : steps)
    os << fmt::format("{:<18} {:>9} {:>11} {:>14} {:>20}\n", s.pass,
                      change(s.before.nodes, s.after.nodes),
                      change(s.before.params, s.after.params),
                      change(s.before.bytes, s.after.bytes),
                      humanTime(s.before.latency) + " -> " + humanTime(s.after.latency));

  auto list = [&](bool applied, const char *title) {
    size_t n = 0;
    for (const passes::Rewrite &w : rewrites)
      n += w.applied == applied;
    os << fmt::format("\n{} ({})\n", title, n);
    for (const passes::Rewrite &w : rewrites) {
      if (w.applied != applied)
        continue;
      os << fmt::format("  {:<16} {}: {}\n", w.pass, w.node, w.message);
      if (w.measured) {
        double dt = w.after.latency - w.before.latency;
        os << fmt::format("  {:<16} layers {}, params {}, bytes {}, time {}{}\n", "",
                          change(w.before.nodes, w.after.nodes),
                          change(w.before.params, w.after.params),
                          change(w.before.bytes, w.after.bytes), dt > 0 ? "+" : dt < 0 ? "-" : "",
                          dt == 0 ? "=" : humanTime(dt < 0 ? -dt : dt));
      }
    }
  };
  list(true, "rewrites");
  list(false, "left alone");

  if (r.unoptimized) {
    os << '\n';
    detail::writeSideBySide(os, detail::unoptimizedQuantities(r), detail::optimizedQuantities(r),
                            {"totals", "as written", "optimized", "ratio"});
  }
}

} // namespace netc::report
