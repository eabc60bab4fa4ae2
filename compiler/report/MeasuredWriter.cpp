//===- MeasuredWriter.cpp - what `netc measure` timed, in every format -----===//
//
// A report with Report::measured gains, in every format, each layer's
// measured time (median, min, max over the repeats) beside its roofline bound
// and calibrated estimate, the ratios measured / roofline and measured /
// estimate, and the measured total. Views show as "view"; a layer oneDNN
// cannot run shows as "unmeasured" with the reason, never as a zero. The
// other writers call these functions and are otherwise unchanged.
//
//===----------------------------------------------------------------------===//
#include "report/WriterCommon.h"
#include "support/Format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace netc::report::detail {

using cost::LayerMeasurement;
using cost::Measurement;
using cost::Report;
using Status = LayerMeasurement::Status;

namespace {

/// measured / predicted, or "-" when there is no prediction.
std::string ratioText(double measured, double predicted) {
  return predicted > 0 && measured > 0 ? fmt::format("{:.2f}x", measured / predicted) : "-";
}

std::string ratioJson(double measured, double predicted) {
  return predicted > 0 && measured > 0 ? jsonNumber(measured / predicted) : "null";
}

const char *statusName(Status s) {
  return s == Status::Measured ? "measured" : s == Status::View ? "view" : "unmeasured";
}

/// "oneDNN 2.6.3 (cpu runtime OpenMP), blocked layouts, 1 thread, median of
/// 11 runs after 2 warm-up runs, caches flushed before each".
std::string howText(const Measurement &m) {
  const char *layout = m.layout == "plain"
                           ? "plain layouts (per-call reorders timed, as eager frameworks)"
                           : "blocked layouts";
  return fmt::format("{}, {}, {} thread{}, median of {} runs after {} warm-up runs, caches "
                     "flushed before each",
                     m.runtime, layout, m.threads, m.threads == 1 ? "" : "s", m.repeats,
                     m.warmup);
}

std::string pad(const std::string &s, size_t width, bool right) {
  if (s.size() >= width)
    return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

/// The table's cells of layer i: roofline, estimate, median, min, max,
/// ratios.
std::vector<std::string> tableCells(const Report &r, size_t i) {
  const cost::LayerCost &l = r.layers[i];
  const LayerMeasurement &m = r.measured->layers[i];
  const bool est = r.hardware.hasCalibration;
  std::vector<std::string> c = {humanTime(l.latency), est ? humanTime(l.calibratedLatency) : "-"};
  if (m.status != Status::Measured) {
    c.insert(c.end(), {statusName(m.status), "", "", "", ""});
    return c;
  }
  c.insert(c.end(), {humanTime(m.median), humanTime(m.min), humanTime(m.max),
                     ratioText(m.median, l.latency),
                     ratioText(m.median, est ? l.calibratedLatency : 0)});
  return c;
}

void writeTableTotals(llvm::raw_ostream &os, const Report &r) {
  const Measurement &m = *r.measured;
  os << fmt::format("  measured total    {} (min {}, max {}): the medians of {} layers, {} "
                    "distinct primitives\n",
                    humanTime(m.total), humanTime(m.totalMin), humanTime(m.totalMax), m.measured,
                    m.configurations);
  os << fmt::format("  roofline bound    {} for the same layers; measured / roofline {}\n",
                    humanTime(m.rooflineOfMeasured), ratioText(m.total, m.rooflineOfMeasured));
  if (r.hardware.hasCalibration)
    os << fmt::format("  estimate          {} for the same layers; measured / estimate {}\n",
                      humanTime(m.estimateOfMeasured), ratioText(m.total, m.estimateOfMeasured));
  os << fmt::format("  unmeasured        {} layer{}\n", m.unmeasured, m.unmeasured == 1 ? "" : "s");
  for (size_t i = 0; i < m.layers.size(); ++i)
    if (m.layers[i].status == Status::Unmeasured)
      os << "    " << r.layers[i].name << ": " << m.layers[i].why << '\n';
}

} // namespace

void writeTableMeasured(llvm::raw_ostream &os, const Report &r, size_t limit) {
  if (!r.measured)
    return;
  os << "\nmeasured on this machine: " << howText(*r.measured) << "\n";
  const char *heads[] = {"roofline", "estimate", "measured", "min", "max", "x roof", "x est"};
  std::vector<std::vector<std::string>> rows;
  size_t cellWidth[7] = {};
  for (size_t c = 0; c < 7; ++c)
    cellWidth[c] = std::strlen(heads[c]);
  for (size_t i = 0; i < r.layers.size(); ++i) {
    rows.push_back(tableCells(r, i));
    for (size_t c = 0; c < 7; ++c)
      cellWidth[c] = std::max(cellWidth[c], rows.back()[c].size());
  }
  size_t rest = 0;
  for (size_t w : cellWidth)
    rest += w + 2;
  // As the layer table: names whole off a terminal (limit 0), else
  // shortened to what the numbers leave, each row's staying unique.
  std::vector<std::string> names;
  size_t nameWidth = std::strlen("layer");
  for (const auto &l : r.layers) {
    names.push_back(l.name);
    nameWidth = std::max(nameWidth, l.name.size());
  }
  if (limit && nameWidth + rest > limit) {
    ShortNames shown = shortenNames(names, limit > rest + 20 ? limit - rest : 20);
    names = std::move(shown.texts);
    nameWidth = std::max(shown.width, std::strlen("layer"));
  }
  auto line = [&](const std::string &name, const std::vector<std::string> &cells) {
    std::string s = pad(name, nameWidth, false);
    for (size_t c = 0; c < 7; ++c)
      s += "  " + pad(cells[c], cellWidth[c], true);
    s.erase(s.find_last_not_of(' ') + 1);
    os << s << '\n';
  };
  line("layer", std::vector<std::string>(std::begin(heads), std::end(heads)));
  os << std::string(nameWidth + rest - 2, '-') << '\n';
  for (size_t i = 0; i < rows.size(); ++i)
    line(names[i], rows[i]);
  os << '\n';
  writeTableTotals(os, r);
}

std::string measuredJson(const Report &r) {
  const Measurement &m = *r.measured;
  std::string layers = "[\n";
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const LayerMeasurement &l = m.layers[i];
    const bool timed = l.status == Status::Measured;
    auto secs = [&](double v) { return timed ? jsonNumber(v) : "null"; };
    layers += fmt::format(
        "      {{\"name\": {}, \"status\": \"{}\", \"primitive\": {}, \"impl\": {}, "
        "\"median_s\": {}, \"min_s\": {}, \"max_s\": {}, \"reused\": {}, "
        "\"measured_over_roofline\": {}, \"measured_over_estimate\": {}, \"why\": {}}}{}\n",
        jsonString(r.layers[i].name), statusName(l.status), jsonString(l.primitive),
        jsonString(l.impl), secs(l.median), secs(l.min), secs(l.max),
        l.reused ? "true" : "false", ratioJson(l.median, r.layers[i].latency),
        ratioJson(l.median, r.layers[i].calibratedLatency),
        l.why.empty() ? "null" : jsonString(l.why), i + 1 < m.layers.size() ? "," : "");
  }
  layers += "    ]";
  return fmt::format(
      "{{\n    \"runtime\": {}, \"layout\": {}, \"threads\": {}, \"warmup\": {}, "
      "\"repeats\": {},\n"
      "    \"total_s\": {}, \"total_min_s\": {}, \"total_max_s\": {},\n"
      "    \"roofline_of_measured_s\": {}, \"estimate_of_measured_s\": {},\n"
      "    \"measured_over_roofline\": {}, \"measured_over_estimate\": {},\n"
      "    \"measured_layers\": {}, \"unmeasured_layers\": {}, \"configurations\": {},\n"
      "    \"layers\": {}\n  }}",
      jsonString(m.runtime), jsonString(m.layout), m.threads, m.warmup, m.repeats, jsonNumber(m.total),
      jsonNumber(m.totalMin), jsonNumber(m.totalMax), jsonNumber(m.rooflineOfMeasured),
      r.hardware.hasCalibration ? jsonNumber(m.estimateOfMeasured) : "null",
      ratioJson(m.total, m.rooflineOfMeasured), ratioJson(m.total, m.estimateOfMeasured),
      m.measured, m.unmeasured, m.configurations, layers);
}

void appendMeasuredCsvHeader(const Report &r, std::vector<std::string> &header) {
  if (!r.measured)
    return;
  for (const char *h : {"measured_status", "measured_primitive", "measured_median_s",
                        "measured_min_s", "measured_max_s", "measured_over_roofline",
                        "measured_over_estimate", "unmeasured_why"})
    header.push_back(h);
}

void appendMeasuredCsvFields(const Report &r, size_t row, std::vector<std::string> &f) {
  if (!r.measured)
    return;
  auto real = [](double v) { return jsonNumber(v); };
  const Measurement &m = *r.measured;
  if (row >= m.layers.size()) { // the total row: the measured layers' sums
    f.insert(f.end(), {"total", "", real(m.total), real(m.totalMin), real(m.totalMax),
                       ratioJson(m.total, m.rooflineOfMeasured),
                       ratioJson(m.total, m.estimateOfMeasured), ""});
  } else {
    const LayerMeasurement &l = m.layers[row];
    const bool timed = l.status == Status::Measured;
    f.insert(f.end(), {statusName(l.status), l.primitive, timed ? real(l.median) : "",
                       timed ? real(l.min) : "", timed ? real(l.max) : "",
                       ratioJson(l.median, r.layers[row].latency),
                       ratioJson(l.median, r.layers[row].calibratedLatency), l.why});
  }
  for (std::string &s : f)
    if (s == "null")
      s.clear();
}

void writeMarkdownMeasured(llvm::raw_ostream &os, const Report &r) {
  if (!r.measured)
    return;
  const Measurement &m = *r.measured;
  os << "\n## Measured\n\n" << markdownEscape(howText(m)) << ".\n\n";
  os << "| layer | primitive | roofline | estimate | measured | min | max | x roofline | "
        "x estimate |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n";
  for (size_t i = 0; i < m.layers.size(); ++i) {
    std::vector<std::string> c = tableCells(r, i);
    os << "| " << markdownEscape(r.layers[i].name) << " | " << markdownEscape(m.layers[i].primitive);
    for (const std::string &cell : c)
      os << " | " << cell;
    os << " |\n";
  }
  os << fmt::format("\n- **measured total:** {} (min {}, max {}), {} layers, {} distinct "
                    "primitives\n- **roofline bound of the same layers:** {} (measured / "
                    "roofline {})\n- **unmeasured layers:** {}\n",
                    humanTime(m.total), humanTime(m.totalMin), humanTime(m.totalMax), m.measured,
                    m.configurations, humanTime(m.rooflineOfMeasured),
                    ratioText(m.total, m.rooflineOfMeasured), m.unmeasured);
  for (size_t i = 0; i < m.layers.size(); ++i)
    if (m.layers[i].status == Status::Unmeasured)
      os << "  - " << markdownEscape(r.layers[i].name) << ": " << markdownEscape(m.layers[i].why)
         << '\n';
}

} // namespace netc::report::detail
