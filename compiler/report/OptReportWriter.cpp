#include "report/OptReportWriter.h"

#include "report/HtmlPage.h"
#include "report/HtmlWriter.h"
#include "report/Svg.h"
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

/// {"k": v, ...} on one line; the values are already JSON.
std::string object(const std::vector<std::pair<std::string, std::string>> &members) {
  std::string s = "{";
  for (size_t i = 0; i < members.size(); ++i)
    s += (i ? ", " : "") + jsonString(members[i].first) + ": " + members[i].second;
  return s + "}";
}

std::string snapshotJson(const passes::Snapshot &s) {
  return object({{"nodes", fmt::format("{}", s.nodes)},
                 {"params", fmt::format("{}", s.params)},
                 {"bytes", fmt::format("{}", s.bytes)},
                 {"latency_s", jsonNumber(s.latency)}});
}

std::string quantitiesJson(const std::vector<detail::Quantity> &qs) {
  std::vector<std::pair<std::string, std::string>> m;
  for (const detail::Quantity &q : qs)
    m.emplace_back(q.key, detail::quantityNumber(q));
  return object(m);
}

/// A JSON array, one element per line, indented under a top-level member.
std::string arrayJson(const std::vector<std::string> &items) {
  if (items.empty())
    return "[]";
  std::string s = "[\n";
  for (size_t i = 0; i < items.size(); ++i)
    s += "    " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
  return s + "  ]";
}

void writeOptReportJson(llvm::raw_ostream &os, const cost::Report &r,
                        const std::vector<passes::PassStep> &steps,
                        const std::vector<passes::Rewrite> &rewrites) {
  std::vector<std::string> passList, rewriteList;
  for (const passes::PassStep &s : steps)
    passList.push_back(object({{"pass", jsonString(s.pass)},
                               {"before", snapshotJson(s.before)},
                               {"after", snapshotJson(s.after)}}));
  for (const passes::Rewrite &w : rewrites) {
    std::vector<std::pair<std::string, std::string>> m = {
        {"pass", jsonString(w.pass)},
        {"node", jsonString(w.node)},
        {"applied", w.applied ? "true" : "false"},
        {"message", jsonString(w.message)}};
    if (w.measured) {
      m.emplace_back("before", snapshotJson(w.before));
      m.emplace_back("after", snapshotJson(w.after));
    }
    rewriteList.push_back(object(m));
  }
  std::string totals = "null";
  if (r.unoptimized)
    totals = object({{"as_written", quantitiesJson(detail::unoptimizedQuantities(r))},
                     {"optimized", quantitiesJson(detail::optimizedQuantities(r))}});
  std::vector<std::pair<std::string, std::string>> top = {
      {"netc_opt_report", "1"},
      {"network", jsonString(r.network)},
      {"hardware", jsonString(r.hardware.name)},
      {"conventions",
       object({{"flops", jsonString(cost::flopConventionName(r.options.flops))},
               {"memory", jsonString(cost::memoryModelName(r.options.memory))},
               {"dtype", jsonString(ir::dtypeName(r.options.dtype))},
               {"batch", fmt::format("{}", r.options.batch)},
               {"latency", jsonString(detail::kLatencyNote)}})},
      {"passes", arrayJson(passList)},
      {"rewrites", arrayJson(rewriteList)},
      {"totals", totals}};
  os << "{\n";
  for (size_t i = 0; i < top.size(); ++i)
    os << "  " << jsonString(top[i].first) << ": " << top[i].second
       << (i + 1 < top.size() ? ",\n" : "\n");
  os << "}\n";
}

std::string timeChange(double before, double after) {
  double dt = after - before;
  return dt == 0 ? "=" : (dt > 0 ? "+" : "-") + humanTime(dt < 0 ? -dt : dt);
}

/// The page's "What each pass did" section: the steps, then the rewrites
/// applied and the candidates left alone, each with its measured delta.
void writeOptReportHtml(llvm::raw_ostream &os, const std::vector<passes::PassStep> &steps,
                        const std::vector<passes::Rewrite> &rewrites) {
  html::beginSection(os, "passes-section", "What each pass did");
  html::Table t;
  t.id = "passes";
  t.columns = {{"pass", "pass", false},
               {"nodes", "layers", true},
               {"params", "params", true},
               {"bytes", "memory bytes", true},
               {"latency", "latency", true}};
  for (const passes::PassStep &s : steps)
    t.rows.push_back({{s.pass, "", ""},
                      {change(s.before.nodes, s.after.nodes), "", ""},
                      {change(s.before.params, s.after.params), "", ""},
                      {change(s.before.bytes, s.after.bytes), "", ""},
                      {humanTime(s.before.latency) + " → " + humanTime(s.after.latency), "", ""}});
  html::writeTable(os, t);
  for (bool applied : {true, false}) {
    html::Table w;
    w.id = applied ? "rewrites" : "left-alone";
    w.columns = {{"pass", "pass", false},   {"node", "node", false},
                 {"message", applied ? "rewrite" : "why not", false},
                 {"nodes", "layers", true}, {"params", "params", true},
                 {"bytes", "bytes", true},  {"time", "time", true}};
    for (const passes::Rewrite &r : rewrites) {
      if (r.applied != applied)
        continue;
      std::vector<html::Cell> c = {{r.pass, "", ""}, {r.node, "", "name"}, {r.message, "", ""}};
      if (r.measured)
        c.insert(c.end(), {{change(r.before.nodes, r.after.nodes), "", ""},
                           {change(r.before.params, r.after.params), "", ""},
                           {change(r.before.bytes, r.after.bytes), "", ""},
                           {timeChange(r.before.latency, r.after.latency), "", ""}});
      else
        c.insert(c.end(), 4, html::Cell{"", "", ""});
      w.rows.push_back(std::move(c));
    }
    os << "<h3>" << (applied ? "Rewrites" : "Left alone") << " (" << w.rows.size() << ")</h3>\n";
    if (!w.rows.empty())
      html::writeTable(os, w);
  }
  html::endSection(os);
}

} // namespace

void writeOptReport(llvm::raw_ostream &os, const cost::Report &r,
                    const std::vector<passes::PassStep> &steps,
                    const std::vector<passes::Rewrite> &rewrites, ReportFormat format) {
  if (format == ReportFormat::Json)
    return writeOptReportJson(os, r, steps, rewrites);
  if (format == ReportFormat::Html)
    return detail::writeHtml(os, r, {}, [&](llvm::raw_ostream &o) {
      writeOptReportHtml(o, steps, rewrites);
    });
  os << markers::kOptReport << fmt::format("{} on {} ({}, batch {}, FLOPs {}, memory {})\n\n",
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
        os << fmt::format("  {:<16} layers {}, params {}, bytes {}, time {}\n", "",
                          change(w.before.nodes, w.after.nodes),
                          change(w.before.params, w.after.params),
                          change(w.before.bytes, w.after.bytes),
                          timeChange(w.before.latency, w.after.latency));
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
