//===- Svg.h - the charts of the HTML report, as inline SVG -----*- C++ -*-===//
//
// Internal to report/: charts that know nothing of networks. A roofline
// (log-log: roofs, the ridge, marks), a scatter (log-log, with a front
// drawn through chosen points) and a column chart of stacked parts (linear
// time against position). Colours are CSS classes that the page's style
// sheet defines for light and dark schemes; every coordinate is printed
// with one decimal, so the output is deterministic byte for byte. Each mark
// carries a <title> (the browser's tooltip) and data- attributes that the
// tests read back from the rendered DOM.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_SVG_H
#define NETC_REPORT_SVG_H

#include <llvm/Support/raw_ostream.h>

#include <string>
#include <utility>
#include <vector>

namespace netc::report::svg {

/// Text for HTML and SVG: & < > " ' escaped.
std::string escape(llvm::StringRef s);

/// A point of a roofline or scatter chart.
struct Mark {
  double x = 0, y = 0; ///< data coordinates; <= 0 is drawn at the axis's low end
  double size = 0;     ///< in [0, 1]: the mark's area grows with it
  std::string cls;     ///< CSS class of its colour ("k3", "sa")
  std::string title;   ///< the tooltip, lines separated by '\n'
  /// data- attributes: {"layer", "conv1"} -> data-layer="conv1".
  std::vector<std::pair<std::string, std::string>> data;
};

/// A roof: attainable = min(peak, bandwidth x intensity), scaled by `scale`.
struct Roof {
  double peak = 0, bandwidth = 0;
  double scale = 1;
  std::string label; ///< "dense x0.62"; empty for the main roof
};

struct RooflineChart {
  std::string id, title; ///< the element id and its accessible title
  std::string peakLabel, bandwidthLabel, ridgeLabel; ///< "peak 960 GFLOP/s", ...
  std::string xUnit = "FLOP/B", yUnit = "FLOP/s";
  Roof roof;                 ///< the profile's roof
  std::vector<Roof> derated; ///< dashed: the calibrated efficiencies
  std::vector<Mark> marks;   ///< drawn largest first
};
void writeRoofline(llvm::raw_ostream &os, const RooflineChart &c);

struct ScatterChart {
  std::string id, title;
  std::string xLabel, yLabel; ///< axis titles with units
  std::string xUnit, yUnit;   ///< for tick labels: "" (counts) or "s"
  std::vector<Mark> marks;
  /// Indices of marks joined by a line in the given order (a Pareto front).
  std::vector<size_t> front;
  std::string frontLabel;
};
void writeScatter(llvm::raw_ostream &os, const ScatterChart &c);

/// One column: parts stacked from the bottom (memory-bound time, then
/// compute-bound time), each with its class.
struct Column {
  std::vector<std::pair<double, std::string>> parts; ///< (value, CSS class)
  std::string title;
  std::string label; ///< drawn above the column ("1" for the slowest), or ""
  std::vector<std::pair<std::string, std::string>> data;
};
struct ColumnChart {
  std::string id, title, yLabel;
  std::vector<Column> columns; ///< left to right
};
/// Columns of time (seconds) against position; the y axis in ns..s.
void writeColumns(llvm::raw_ostream &os, const ColumnChart &c);

} // namespace netc::report::svg

#endif
