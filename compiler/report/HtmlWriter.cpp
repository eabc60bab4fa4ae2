//===- HtmlWriter.cpp - the report as one self-contained HTML page ---------===//
//
// The header facts and totals (as the table has them), a roofline chart with
// one mark per costed layer (a layer that moves bytes or does arithmetic),
// the time per row split into memory- and compute-bound time with the top
// rows labelled, serving and max-batch rows, the optimization summary, what
// `netc measure` timed, and the rows as a sortable table. A comparison
// puts both networks on one roofline in two colours; an LLM request puts
// its prefill and first decode step on one roofline.
//
//===----------------------------------------------------------------------===//
#include "report/HtmlWriter.h"

#include "report/HtmlPage.h"
#include "report/Svg.h"
#include "support/Format.h"

#include <llvm/ADT/StringMap.h>

#include <fmt/format.h>

#include <algorithm>

namespace netc::report::detail {

using cost::LayerCost;
using cost::Report;
using html::Cell;

namespace {

constexpr unsigned kKinds = 12; // the page's colours k0..k11

/// A layer is drawn when it takes time: it moves bytes or computes.
bool costed(const LayerCost &l) { return l.latency > 0; }

/// The time the roofline chart and the breakdown show for a layer: the
/// calibrated estimate when the profile has one, else the roofline bound.
double shownTime(const LayerCost &l, const Report &r) {
  return r.hardware.hasCalibration && l.calibratedLatency > 0 ? l.calibratedLatency : l.latency;
}

/// The colour class of each op, in order of first appearance (cycling after
/// twelve: the tooltip and the table still name the op).
class OpColours {
public:
  std::string of(llvm::StringRef op) {
    auto [it, inserted] = index.try_emplace(op, order.size());
    if (inserted)
      order.push_back(op.str());
    return "k" + std::to_string(it->second % kKinds);
  }
  std::vector<std::pair<std::string, std::string>> legend() const {
    std::vector<std::pair<std::string, std::string>> items;
    for (size_t i = 0; i < order.size(); ++i)
      items.emplace_back("k" + std::to_string(i % kKinds), order[i]);
    return items;
  }

private:
  llvm::StringMap<size_t> index;
  std::vector<std::string> order;
};

std::string markTitle(const LayerCost &l, const Report &r, llvm::StringRef prefix) {
  std::string t = prefix.str() + l.name + " · " + l.op;
  if (!l.outputShape.empty())
    t += " " + ir::formatShape(l.outputShape);
  t += fmt::format("\nMACs {} · FLOPs {} · bytes {} · {}",
                   withThousands(l.macs), withThousands(l.flops), siBytes(l.memoryBytes),
                   l.memoryBytes > 0 ? sig3(l.intensity) + " FLOP/B" : "no bytes");
  t += fmt::format("\n{} ({}) · {}-bound", humanTime(shownTime(l, r)),
                   shareText(l.latency, r), boundName(l));
  if (l.flops == 0)
    t += "\nno arithmetic: drawn at the left edge";
  return t;
}

/// One mark per costed layer of `layers`, sized by its share of `maxTime`.
void addMarks(std::vector<svg::Mark> &marks, const std::vector<LayerCost> &layers,
              const Report &r, double maxTime, llvm::StringRef series,
              llvm::function_ref<std::string(const LayerCost &)> colour,
              llvm::StringRef prefix = "") {
  for (const LayerCost &l : layers) {
    if (!costed(l))
      continue;
    svg::Mark m;
    const double t = shownTime(l, r);
    m.x = l.memoryBytes > 0 ? l.intensity : 0;
    m.y = t > 0 ? static_cast<double>(l.flops) / t : 0;
    m.size = maxTime > 0 ? t / maxTime : 0;
    m.cls = colour(l);
    m.title = markTitle(l, r, prefix);
    m.data = {{"layer", l.name}, {"series", series.str()}, {"time", jsonNumber(t)}};
    marks.push_back(std::move(m));
  }
}

double maxTime(const std::vector<LayerCost> &layers, const Report &r) {
  double m = 0;
  for (const LayerCost &l : layers)
    m = std::max(m, shownTime(l, r));
  return m;
}

svg::RooflineChart rooflineOf(const Report &r, llvm::StringRef title) {
  svg::RooflineChart c;
  c.id = "roofline";
  c.title = title.str();
  const ir::DType t = r.options.dtype;
  c.roof.peak = r.hardware.peakFor(t);
  c.roof.bandwidth = r.hardware.bandwidth;
  c.yUnit = peakUnit(t).str();
  c.xUnit = c.yUnit == "OP/s" ? "OP/B" : "FLOP/B";
  c.peakLabel = "peak " + siRate(c.roof.peak, c.yUnit);
  c.bandwidthLabel = "bandwidth " + siRate(c.roof.bandwidth, "B/s");
  c.ridgeLabel = c.roof.bandwidth > 0 ? "ridge " + sig3(r.hardware.ridge(t)) + " " + c.xUnit : "";
  if (r.hardware.hasCalibration)
    for (int k = 0; k < target::kNumOpClasses; ++k) {
      auto cls = static_cast<target::OpClass>(k);
      double e = r.hardware.efficiencyFor(cls);
      if (e < 1) {
        svg::Roof roof;
        roof.peak = c.roof.peak;
        roof.bandwidth = c.roof.bandwidth;
        roof.scale = e;
        roof.label = fmt::format("{} x{:.2f}", target::opClassName(cls), e);
        c.derated.push_back(std::move(roof));
      }
    }
  return c;
}

void rooflineNote(llvm::raw_ostream &os, const Report &r, size_t marks) {
  html::paragraph(
      os,
      fmt::format("One mark per costed layer ({}), at its arithmetic intensity and the "
                  "performance {}; its area grows with its time. Hover a mark for the layer. "
                  "Layers without arithmetic (data movement) sit at the left edge.",
                  marks,
                  r.hardware.hasCalibration
                      ? "of its calibrated estimate (below the roof by its efficiency)"
                      : "the roofline allows (so it sits on the roof)"),
      "note");
}

void writeRooflineSection(llvm::raw_ostream &os, const Report &r) {
  html::beginSection(os, "roofline-section", "Roofline");
  svg::RooflineChart c = rooflineOf(r, "Roofline of " + r.network + " on " + r.hardware.name);
  const cost::Serving *s = r.serving ? &*r.serving : nullptr;
  if (s && !s->decodeLayers.empty()) { // a request: prefill and a decode step
    double m = std::max(maxTime(r.layers, r), maxTime(s->decodeLayers, r));
    addMarks(c.marks, r.layers, r, m, "prefill", [](const LayerCost &) { return "sa"; },
             "prefill: ");
    addMarks(c.marks, s->decodeLayers, r, m, "decode", [](const LayerCost &) { return "sb"; },
             "decode: ");
    svg::writeRoofline(os, c);
    html::legend(os, {{"sa", fmt::format("prefill ({} tokens)", withThousands(s->phase.prompt))},
                      {"sb", fmt::format("first decode step (past = {})",
                                         withThousands(s->decodePast))}});
  } else {
    OpColours colours;
    addMarks(c.marks, r.layers, r, maxTime(r.layers, r), "a",
             [&](const LayerCost &l) { return colours.of(l.op); });
    svg::writeRoofline(os, c);
    html::legend(os, colours.legend());
  }
  rooflineNote(os, r, c.marks.size());
  html::endSection(os);
}

/// The time per row (rankedRows: layers, or groups), split into memory- and
/// compute-bound time, the top rows numbered.
void writeBreakdown(llvm::raw_ostream &os, const Report &r, const ReportStyle &style) {
  const std::vector<LayerCost> &rows = rankedRows(r);
  std::vector<size_t> top = topByLatency(rows, style.top);
  html::beginSection(os, "breakdown-section", "Where the time goes");
  svg::ColumnChart c;
  c.id = "breakdown";
  c.title = "Time per " + rankedWhat(r).drop_back().str() + " of " + r.network;
  c.yLabel = "time (" + std::string(kLatencyNote) + ")";
  std::vector<std::string> labels(rows.size());
  for (size_t k = 0; k < top.size(); ++k)
    labels[top[k]] = std::to_string(k + 1);
  double memory = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const LayerCost &l = rows[i];
    svg::Column col;
    col.parts = {{l.memoryBoundLatency, "mem"}, {l.latency - l.memoryBoundLatency, "cmp"}};
    col.title = fmt::format("{} · {}\n{} ({}), memory-bound {}", l.name, l.op,
                            humanTime(l.latency), shareText(l.latency, r),
                            humanTime(l.memoryBoundLatency));
    col.label = labels[i];
    col.data = {{"row", l.name}};
    c.columns.push_back(std::move(col));
    memory += l.memoryBoundLatency;
  }
  svg::writeColumns(os, c);
  const double total = r.totals.latency;
  html::legend(os, {{"mem", "memory-bound: " + humanTime(memory) + " (" +
                                shareText(memory, r) + ")"},
                    {"cmp", "compute-bound: " + humanTime(total - memory) + " (" +
                                shareText(total - memory, r) + ")"}});
  if (!top.empty()) {
    os << "<ol class=\"top\">";
    for (size_t i : top)
      os << "<li>" << svg::escape(rows[i].name) << " · " << svg::escape(rows[i].op) << ": "
         << svg::escape(humanTime(rows[i].latency)) << " ("
         << svg::escape(shareText(rows[i].latency, r)) << ")</li>";
    os << "</ol>\n";
  }
  html::endSection(os);
}

void writeRowTable(llvm::raw_ostream &os, const Report &r) {
  const cost::GroupBy by = r.groupBy;
  const bool tree = by == cost::GroupBy::Tree, withOp = by != cost::GroupBy::Op;
  const bool estimate = r.hardware.hasCalibration;
  const bool measured = r.measured && by == cost::GroupBy::Layer;
  html::Table t;
  t.id = "layers";
  t.cls = "sortable";
  if (tree)
    t.columns.push_back({"depth", "depth", true});
  t.columns.push_back({"name", tree ? "path" : cost::groupByName(by).str(), false});
  if (withOp)
    t.columns.push_back({"op", "op", false});
  t.columns.insert(t.columns.end(), {{"shape", "output shape", false},
                                     {"params", "params", true},
                                     {"macs", "MACs", true},
                                     {"flops", "FLOPs", true},
                                     {"bytes", "bytes", true},
                                     {"intensity", "FLOP/B", true},
                                     {"bound", "bound", false},
                                     {"time", "time", true}});
  if (estimate)
    t.columns.push_back({"estimate", "estimate", true});
  t.columns.push_back({"share", "%time", true});
  if (measured)
    t.columns.push_back({"measured", "measured", true});
  const std::vector<LayerCost> &rows = r.rows();
  for (size_t i = 0; i < rows.size(); ++i) {
    const LayerCost &l = rows[i];
    std::vector<Cell> c;
    if (tree)
      c.push_back(html::countCell(l.depth));
    c.push_back({l.name, "", "name"});
    if (withOp)
      c.push_back({l.op, "", ""});
    c.push_back({l.outputShape.empty() ? "" : ir::formatShape(l.outputShape), "", ""});
    c.push_back(html::countCell(l.params));
    c.push_back(html::countCell(l.macs));
    c.push_back(html::countCell(l.flops));
    c.push_back({siBytes(static_cast<double>(l.memoryBytes)), std::to_string(l.memoryBytes), ""});
    c.push_back(l.memoryBytes > 0 ? Cell{sig3(l.intensity), jsonNumber(l.intensity), ""}
                                  : Cell{"-", "", ""});
    c.push_back({l.flops == 0 && l.memoryBytes == 0 ? "-" : boundName(l), "", ""});
    c.push_back(html::timeCell(l.latency));
    if (estimate)
      c.push_back(html::timeCell(l.calibratedLatency));
    c.push_back({shareText(l.latency, r), jsonNumber(latencyShare(l.latency, r)), ""});
    if (measured) {
      const cost::LayerMeasurement &m = r.measured->layers[i];
      if (m.status == cost::LayerMeasurement::Status::Measured)
        c.push_back(html::timeCell(m.median));
      else
        c.push_back({m.status == cost::LayerMeasurement::Status::View ? "view" : "unmeasured",
                     "", ""});
    }
    t.rows.push_back(std::move(c));
  }
  html::beginSection(os, "layers-section",
                     tree ? "Blocks to depth " + std::to_string(r.depth)
                     : by == cost::GroupBy::Block ? "Blocks"
                     : by == cost::GroupBy::Op    ? "Ops"
                                                  : "Layers");
  html::paragraph(os, "Click a column's header to sort by it (again to reverse).", "note");
  html::writeTable(os, t);
  html::endSection(os);
}

void writeOptimization(llvm::raw_ostream &os, const Report &r) {
  if (!r.unoptimized)
    return;
  html::beginSection(os, "optimization-section", "Optimization");
  html::sideBySideTable(os, "optimization", unoptimizedQuantities(r), optimizedQuantities(r),
                        {"quantity", "as written", "optimized", "optimized / as written"});
  std::string passes;
  for (size_t i = 0; i < r.passes.size(); ++i)
    passes += (i ? ", " : "") + r.passes[i];
  html::paragraph(os, "Passes run, in order: " + (passes.empty() ? "none" : passes) + ".",
                  "note");
  html::endSection(os);
}

void writeMeasured(llvm::raw_ostream &os, const Report &r) {
  if (!r.measured)
    return;
  const cost::Measurement &m = *r.measured;
  html::beginSection(os, "measured-section", "Measured on this machine");
  html::facts(os, {{"runtime", m.runtime},
                   {"layout", m.layout},
                   {"threads", std::to_string(m.threads)},
                   {"runs", fmt::format("median of {} after {} warm-up", m.repeats, m.warmup)},
                   {"layers", fmt::format("{} measured, {} unmeasured, {} configurations",
                                          m.measured, m.unmeasured, m.configurations)},
                   {"measured total", humanTime(m.total) + " (min " + humanTime(m.totalMin) +
                                          ", max " + humanTime(m.totalMax) + ")"},
                   {"roofline of the measured layers",
                    humanTime(m.rooflineOfMeasured) + "; measured / roofline " +
                        ratioText(m.rooflineOfMeasured, m.total)}});
  html::endSection(os);
}

} // namespace

void writeHtml(llvm::raw_ostream &os, const Report &r, const ReportStyle &style,
               llvm::function_ref<void(llvm::raw_ostream &)> extra) {
  html::beginPage(os, markers::kReport, r.network, networkTitle(r));
  html::facts(os, html::reportFacts(r));
  os << "</header>\n<main>\n";
  html::beginSection(os, "totals-section", "Totals");
  std::vector<Quantity> qs = totalQuantities(r);
  std::vector<Quantity> mb = maxBatchQuantities(r);
  qs.insert(qs.end(), mb.begin(), mb.end());
  html::quantityTable(os, "totals", qs);
  html::endSection(os);
  writeRooflineSection(os, r);
  writeBreakdown(os, r, style);
  if (r.serving) {
    html::beginSection(os, "serving-section", "Serving");
    html::paragraph(os, phaseText(r));
    html::quantityTable(os, "serving", servingQuantities(r));
    html::endSection(os);
  }
  writeOptimization(os, r);
  if (extra)
    extra(os);
  writeMeasured(os, r);
  writeRowTable(os, r);
  os << "</main>\n";
  html::endPage(os);
}

void writeHtmlComparison(llvm::raw_ostream &os, const Report &a, const Report &b) {
  html::beginPage(os, markers::kComparison, a.network + " vs " + b.network,
                  a.network + " vs " + b.network);
  std::vector<std::pair<std::string, std::string>> f = {{"a", networkTitle(a)},
                                                        {"b", networkTitle(b)}};
  std::string ha = html::hardwareText(a), hb = html::hardwareText(b);
  std::string ca = html::conventionsText(a), cb = html::conventionsText(b);
  if (ha == hb)
    f.emplace_back("hardware", ha);
  else
    f.insert(f.end(), {{"hardware a", ha}, {"hardware b", hb}});
  if (ca == cb)
    f.emplace_back("conventions", ca);
  else
    f.insert(f.end(), {{"conventions a", ca}, {"conventions b", cb}});
  html::facts(os, f);
  os << "</header>\n<main>\n";

  html::beginSection(os, "totals-section", "Totals");
  std::vector<Quantity> qa = totalQuantities(a, &b), qb = totalQuantities(b, &a);
  if (a.maxBatch && b.maxBatch) {
    std::vector<Quantity> ma = maxBatchQuantities(a), mb = maxBatchQuantities(b);
    qa.insert(qa.end(), ma.begin(), ma.end());
    qb.insert(qb.end(), mb.begin(), mb.end());
  }
  html::sideBySideTable(os, "totals", qa, qb, {"quantity", "a", "b", "b/a"});
  html::endSection(os);

  html::beginSection(os, "roofline-section", "Roofline");
  svg::RooflineChart c = rooflineOf(a, a.network + " and " + b.network + " on one roofline");
  double m = std::max(maxTime(a.layers, a), maxTime(b.layers, b));
  addMarks(c.marks, a.layers, a, m, "a", [](const LayerCost &) { return "sa"; }, "a: ");
  addMarks(c.marks, b.layers, b, m, "b", [](const LayerCost &) { return "sb"; }, "b: ");
  svg::writeRoofline(os, c);
  html::legend(os, {{"sa", "a: " + a.network}, {"sb", "b: " + b.network}});
  rooflineNote(os, a, c.marks.size());
  html::endSection(os);

  html::beginSection(os, "top-section", "Slowest layers");
  for (const Report *r : {&a, &b}) {
    std::vector<size_t> top = topByLatency(r->layers, 10);
    os << "<h3>" << (r == &a ? "a: " : "b: ") << svg::escape(r->network) << "</h3>\n<ol class=\"top\">";
    for (size_t i : top)
      os << "<li>" << svg::escape(r->layers[i].name) << " · " << svg::escape(r->layers[i].op)
         << ": " << svg::escape(humanTime(r->layers[i].latency)) << " ("
         << svg::escape(shareText(r->layers[i].latency, *r)) << ")</li>";
    os << "</ol>\n";
  }
  html::endSection(os);
  os << "</main>\n";
  html::endPage(os);
}

} // namespace netc::report::detail
