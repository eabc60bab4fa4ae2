//===- HtmlSweep.cpp - a parameter sweep as one HTML page -------------------===//
//
// The sweep's header facts, latency against MACs with the Pareto front drawn
// (the variants no other variant beats on both), latency against params, and
// the variants as a sortable table. A variant that failed has no mark; its
// row gives the error.
//
//===----------------------------------------------------------------------===//
#include "report/HtmlPage.h"
#include "report/HtmlWriter.h"
#include "report/Svg.h"
#include "support/Format.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::report::detail {

namespace {

std::string variantText(const SweepResult &s, const SweepRow &row) {
  std::string t;
  for (size_t i = 0; i < s.names.size(); ++i)
    t += (i ? ", " : "") + s.names[i] + "=" + row.values[i];
  return t;
}

/// One mark per variant that was costed, at (x(row), latency).
svg::ScatterChart scatter(const SweepResult &s, llvm::StringRef id, llvm::StringRef what,
                          int64_t (*x)(const cost::Totals &)) {
  svg::ScatterChart c;
  c.id = id.str();
  c.title = "Latency against " + what.str() + " of " + s.network + " on " + s.hardware.name;
  c.xLabel = what.str();
  c.yLabel = "latency (" + std::string(kLatencyNote) + ")";
  c.yUnit = "s";
  std::vector<std::pair<int64_t, size_t>> front; // (MACs, mark) of the front's variants
  for (size_t k = 0; k < s.rows.size(); ++k) {
    const SweepRow &row = s.rows[k];
    if (!row.ok)
      continue;
    svg::Mark m;
    m.x = static_cast<double>(x(row.totals));
    m.y = row.totals.latency;
    m.size = 0;
    m.cls = row.pareto ? "front-mark" : "sa";
    m.title = fmt::format("{}\nparams {} · MACs {} · {}{}", variantText(s, row),
                          withThousands(row.totals.params), withThousands(row.totals.macs),
                          humanTime(row.totals.latency), row.pareto ? "\non the Pareto front" : "");
    m.data = {{"variant", std::to_string(k + 1)}, {"pareto", row.pareto ? "true" : "false"}};
    if (row.pareto)
      front.emplace_back(x(row.totals), c.marks.size());
    c.marks.push_back(std::move(m));
  }
  std::stable_sort(front.begin(), front.end());
  for (const auto &f : front)
    c.front.push_back(f.second);
  c.frontLabel = "Pareto front: no other variant has both fewer MACs and a lower latency";
  return c;
}

} // namespace

void writeSweepHtml(llvm::raw_ostream &os, const SweepResult &s) {
  cost::Report r = headerReport(s);
  html::beginPage(os, markers::kSweep, s.network, "Sweep of " + s.network);
  std::vector<std::pair<std::string, std::string>> f = {{"network", s.network}};
  if (!s.overrides.empty())
    f.emplace_back("overrides", overridesText(s));
  f.emplace_back("sweep", sweepText(s));
  f.emplace_back("hardware", html::hardwareText(r));
  f.emplace_back("conventions", conventionsText(s));
  html::facts(os, f);
  os << "</header>\n<main>\n";

  html::beginSection(os, "front-section", "Latency against MACs");
  svg::ScatterChart macs = scatter(s, "sweep-macs", "MACs",
                                   [](const cost::Totals &t) { return t.macs; });
  svg::writeScatter(os, macs);
  html::legend(os, {{"sa", "a variant"}, {"front-mark", "on the Pareto front (joined by the line)"}});
  html::paragraph(os,
                  fmt::format("{} variants drawn, {} on the front: for each of them no other "
                              "variant has both fewer MACs and a lower latency.",
                              macs.marks.size(), macs.front.size()),
                  "note");
  html::endSection(os);

  html::beginSection(os, "params-section", "Latency against params");
  svg::ScatterChart params = scatter(s, "sweep-params", "params",
                                     [](const cost::Totals &t) { return t.params; });
  params.front.clear(); // the front is the MACs front; its marks keep their colour
  svg::writeScatter(os, params);
  html::endSection(os);

  html::Table t;
  t.id = "variants";
  t.cls = "sortable";
  t.columns.push_back({"variant", "#", true});
  for (const std::string &n : s.names)
    t.columns.push_back({"value." + n, n, false});
  t.columns.insert(t.columns.end(), {{"params", "params", true},
                                     {"macs", "MACs", true},
                                     {"memory_bytes", "bytes moved", true},
                                     {"peak_activation_bytes", "peak activations", true},
                                     {"latency", "latency", true},
                                     {"pareto", "pareto", false},
                                     {"error", "error", false}});
  for (size_t k = 0; k < s.rows.size(); ++k) {
    const SweepRow &row = s.rows[k];
    std::vector<html::Cell> c = {html::countCell(static_cast<int64_t>(k + 1))};
    for (const std::string &v : row.values)
      c.push_back({v, "", ""});
    if (row.ok) {
      const cost::Totals &tt = row.totals;
      c.push_back(html::countCell(tt.params));
      c.push_back(html::countCell(tt.macs));
      c.push_back({siBytes(static_cast<double>(tt.memoryBytes)), std::to_string(tt.memoryBytes), ""});
      c.push_back({siBytes(static_cast<double>(tt.peakActivationBytes)),
                   std::to_string(tt.peakActivationBytes), ""});
      c.push_back(html::timeCell(tt.latency));
      c.push_back({row.pareto ? "yes" : "", "", ""});
      c.push_back({"", "", ""});
    } else {
      c.insert(c.end(), 6, html::Cell{"-", "", ""});
      c.push_back({row.error, "", ""});
    }
    t.rows.push_back(std::move(c));
  }
  html::beginSection(os, "variants-section", "Variants");
  html::paragraph(os, "Click a column's header to sort by it (again to reverse).", "note");
  html::writeTable(os, t);
  html::endSection(os);
  os << "</main>\n";
  html::endPage(os);
}

} // namespace netc::report::detail
