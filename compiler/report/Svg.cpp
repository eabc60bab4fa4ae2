//===- Svg.cpp - the charts of the HTML report, as inline SVG ---------------===//
#include "report/Svg.h"

#include "support/Format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netc::report::svg {

std::string escape(llvm::StringRef s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

namespace {

constexpr double kWidth = 960, kHeight = 540;
constexpr double kLeft = 72, kRight = 24, kTop = 24, kBottom = 56;

std::string num(double v) { return fmt::format("{:.1f}", v); }

/// A log10 axis over whole decades.
struct LogAxis {
  int lo = 0, hi = 1; ///< decades: 10^lo .. 10^hi
  double start = 0, length = 1; ///< pixels
  bool flip = false;            ///< y grows upward

  double at(double v) const {
    double d = v > 0 ? std::log10(v) : lo;
    d = std::clamp(d, static_cast<double>(lo), static_cast<double>(hi));
    double f = (d - lo) / (hi - lo);
    return flip ? start + length * (1 - f) : start + length * f;
  }
};

/// The decades that hold every positive value of `vs` (or `fallback`), at
/// least `minSpan` wide; a value on a decade gets the next one too, so that
/// no mark sits on the frame.
LogAxis decades(const std::vector<double> &vs, int minSpan) {
  double lo = HUGE_VAL, hi = 0;
  for (double v : vs)
    if (v > 0 && std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  LogAxis a;
  if (hi == 0) {
    a.lo = 0;
    a.hi = minSpan;
    return a;
  }
  a.lo = static_cast<int>(std::floor(std::log10(lo) - 1e-9));
  a.hi = static_cast<int>(std::floor(std::log10(hi) + 1e-9)) + 1;
  while (a.hi - a.lo < minSpan) {
    ++a.hi;
    if (a.hi - a.lo < minSpan)
      --a.lo;
  }
  return a;
}

/// A decade's tick text: "1", "10", "100k", "1G", "0.01"; in seconds "10 ms".
std::string decadeText(int k, llvm::StringRef unit) {
  static const char *const kPrefix[] = {"", "k", "M", "G", "T", "P", "E"};
  if (unit == "s" && k >= -9 && k <= 2) {
    static const char *const kTime[] = {"ns", "us", "ms", "s"};
    int u = std::min(3, (k + 9) / 3);
    return fmt::format("{} {}", static_cast<int>(std::pow(10, k + 9 - 3 * u)), kTime[u]);
  }
  if (k >= 0 && k < 21)
    return fmt::format("{}{}", static_cast<int>(std::pow(10, k % 3)), kPrefix[k / 3]);
  if (k < 0 && k >= -4)
    return fmt::format("{:.{}f}", std::pow(10, k), -k);
  return fmt::format("1e{}", k);
}

/// A chart is wrapped in a div that scrolls sideways on a narrow screen
/// (the page's style gives the chart a minimum width there, so that its
/// text stays readable on a phone).
void open(llvm::raw_ostream &os, const std::string &id, const std::string &title) {
  os << "<div class=\"chart-wrap\"><svg id=\"" << escape(id) << "\" class=\"chart\" viewBox=\"0 0 " << num(kWidth) << ' '
     << num(kHeight) << "\" role=\"img\" aria-labelledby=\"" << escape(id)
     << "-title\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"" << escape(id)
     << "-title\">" << escape(title) << "</title>\n";
}

void close(llvm::raw_ostream &os) { os << "</svg></div>\n"; }

/// Grid lines and tick labels at every decade (every other when crowded),
/// the frame and the axis titles.
void logGrid(llvm::raw_ostream &os, const LogAxis &x, const LogAxis &y, llvm::StringRef xUnit,
             llvm::StringRef yUnit, llvm::StringRef xTitle, llvm::StringRef yTitle) {
  const double x0 = kLeft, x1 = kWidth - kRight, y0 = kTop, y1 = kHeight - kBottom;
  os << "<g class=\"grid\">\n";
  int xStep = x.hi - x.lo > 10 ? 2 : 1, yStep = y.hi - y.lo > 10 ? 2 : 1;
  for (int k = x.lo; k <= x.hi; ++k) {
    double px = x.at(std::pow(10.0, k));
    os << "<line x1=\"" << num(px) << "\" y1=\"" << num(y0) << "\" x2=\"" << num(px)
       << "\" y2=\"" << num(y1) << "\"/>\n";
    if ((k - x.lo) % xStep == 0)
      os << "<text class=\"tick\" x=\"" << num(px) << "\" y=\"" << num(y1 + 16)
         << "\" text-anchor=\"middle\">" << escape(decadeText(k, xUnit)) << "</text>\n";
  }
  for (int k = y.lo; k <= y.hi; ++k) {
    double py = y.at(std::pow(10.0, k));
    os << "<line x1=\"" << num(x0) << "\" y1=\"" << num(py) << "\" x2=\"" << num(x1)
       << "\" y2=\"" << num(py) << "\"/>\n";
    if ((k - y.lo) % yStep == 0)
      os << "<text class=\"tick\" x=\"" << num(x0 - 6) << "\" y=\"" << num(py + 4)
         << "\" text-anchor=\"end\">" << escape(decadeText(k, yUnit)) << "</text>\n";
  }
  os << "</g>\n<rect class=\"frame\" x=\"" << num(x0) << "\" y=\"" << num(y0) << "\" width=\""
     << num(x1 - x0) << "\" height=\"" << num(y1 - y0) << "\"/>\n";
  os << "<text class=\"axis\" x=\"" << num((x0 + x1) / 2) << "\" y=\"" << num(kHeight - 14)
     << "\" text-anchor=\"middle\">" << escape(xTitle) << "</text>\n";
  os << "<text class=\"axis\" transform=\"translate(16 " << num((y0 + y1) / 2)
     << ") rotate(-90)\" text-anchor=\"middle\">" << escape(yTitle) << "</text>\n";
}

void dataAttrs(llvm::raw_ostream &os, const std::vector<std::pair<std::string, std::string>> &d) {
  for (const auto &[k, v] : d)
    os << " data-" << k << "=\"" << escape(v) << '"';
}

/// The marks, largest first (ties in the given order) so that small ones
/// stay visible on top.
void writeMarks(llvm::raw_ostream &os, const std::vector<Mark> &marks, const LogAxis &x,
                const LogAxis &y) {
  std::vector<size_t> order(marks.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return marks[a].size > marks[b].size; });
  os << "<g class=\"marks\">\n";
  for (size_t i : order) {
    const Mark &m = marks[i];
    double r = 3 + 15 * std::sqrt(std::clamp(m.size, 0.0, 1.0));
    os << "<circle class=\"mark " << escape(m.cls) << "\" cx=\"" << num(x.at(m.x)) << "\" cy=\""
       << num(y.at(m.y)) << "\" r=\"" << num(r) << '"';
    dataAttrs(os, m.data);
    os << "><title>" << escape(m.title) << "</title></circle>\n";
  }
  os << "</g>\n";
}

/// The roof's corner points between the axis ends: the bandwidth slope,
/// the ridge, the flat peak.
std::string roofPoints(const Roof &r, const LogAxis &x, const LogAxis &y) {
  const double xlo = std::pow(10.0, x.lo), xhi = std::pow(10.0, x.hi);
  const double ridge = r.peak / r.bandwidth;
  std::string pts;
  auto point = [&](double i) {
    double perf = r.scale * std::min(r.peak, r.bandwidth * i);
    pts += (pts.empty() ? "" : " ") + num(x.at(i)) + "," + num(y.at(perf));
  };
  point(xlo);
  if (ridge > xlo && ridge < xhi)
    point(ridge);
  point(xhi);
  return pts;
}

} // namespace

void writeRoofline(llvm::raw_ostream &os, const RooflineChart &c) {
  const Roof &roof = c.roof;
  const double ridge = roof.bandwidth > 0 ? roof.peak / roof.bandwidth : 0;
  std::vector<double> xs = {ridge / 10, ridge * 10}, ys = {roof.peak * 1.5};
  for (const Mark &m : c.marks) {
    xs.push_back(m.x);
    ys.push_back(m.y);
  }
  LogAxis x = decades(xs, 3);
  x.start = kLeft;
  x.length = kWidth - kLeft - kRight;
  ys.push_back(roof.bandwidth * std::pow(10.0, x.lo));
  for (const Roof &d : c.derated)
    ys.push_back(d.scale * roof.bandwidth * std::pow(10.0, x.lo));
  LogAxis y = decades(ys, 2);
  y.start = kTop;
  y.length = kHeight - kTop - kBottom;
  y.flip = true;

  open(os, c.id, c.title);
  logGrid(os, x, y, "", "", "arithmetic intensity (" + c.xUnit + ")",
          "performance (" + c.yUnit + ")");
  if (roof.peak > 0 && roof.bandwidth > 0) {
    // Labels above their roofs, highest first, each at least a line below
    // the one before (close efficiencies would print over each other).
    std::vector<const Roof *> order;
    for (const Roof &d : c.derated)
      order.push_back(&d);
    std::stable_sort(order.begin(), order.end(),
                     [](const Roof *a, const Roof *b) { return a->scale > b->scale; });
    double lastY = y.at(roof.peak) - 4;
    for (const Roof *d : order) {
      os << "<polyline class=\"roof derated\" points=\"" << roofPoints(*d, x, y) << "\"/>\n";
      lastY = std::max(y.at(d->scale * d->peak) - 4, lastY + 15);
      os << "<text class=\"roof-label\" x=\"" << num(kWidth - kRight - 4) << "\" y=\""
         << num(lastY) << "\" text-anchor=\"end\">" << escape(d->label) << "</text>\n";
    }
    os << "<polyline class=\"roof\" points=\"" << roofPoints(roof, x, y) << "\"/>\n";
    const double py = y.at(roof.peak), px = x.at(ridge);
    os << "<line class=\"ridge\" x1=\"" << num(px) << "\" y1=\"" << num(py) << "\" x2=\""
       << num(px) << "\" y2=\"" << num(kHeight - kBottom) << "\"/>\n";
    os << "<text class=\"roof-label\" x=\"" << num(kWidth - kRight - 4) << "\" y=\""
       << num(py - 6) << "\" text-anchor=\"end\">" << escape(c.peakLabel) << "</text>\n";
    os << "<text class=\"roof-label\" x=\"" << num(px + 4) << "\" y=\""
       << num(kHeight - kBottom - 6) << "\">" << escape(c.ridgeLabel) << "</text>\n";
    // The bandwidth label under the slope, two decades left of the ridge
    // (memory-bound layers sit on the slope nearer the ridge).
    const double at = std::max(ridge / 100, std::pow(10.0, x.lo) * 2);
    const double bx = x.at(at), by = y.at(roof.bandwidth * at);
    const double slope = std::atan2(by - py, px - bx) * 180 / M_PI;
    os << "<text class=\"roof-label\" transform=\"translate(" << num(bx + 6) << ' ' << num(by + 14)
       << ") rotate(" << num(-slope) << ")\">" << escape(c.bandwidthLabel) << "</text>\n";
  }
  writeMarks(os, c.marks, x, y);
  close(os);
}

void writeScatter(llvm::raw_ostream &os, const ScatterChart &c) {
  std::vector<double> xs, ys;
  for (const Mark &m : c.marks) {
    xs.push_back(m.x);
    ys.push_back(m.y);
  }
  LogAxis x = decades(xs, 1), y = decades(ys, 1);
  x.start = kLeft;
  x.length = kWidth - kLeft - kRight;
  y.start = kTop;
  y.length = kHeight - kTop - kBottom;
  y.flip = true;
  open(os, c.id, c.title);
  logGrid(os, x, y, c.xUnit, c.yUnit, c.xLabel, c.yLabel);
  if (!c.front.empty()) {
    os << "<polyline class=\"front\" points=\"";
    for (size_t i = 0; i < c.front.size(); ++i)
      os << (i ? " " : "") << num(x.at(c.marks[c.front[i]].x)) << ','
         << num(y.at(c.marks[c.front[i]].y));
    os << "\"><title>" << escape(c.frontLabel) << "</title></polyline>\n";
  }
  writeMarks(os, c.marks, x, y);
  close(os);
}

void writeColumns(llvm::raw_ostream &os, const ColumnChart &c) {
  double top = 0;
  for (const Column &col : c.columns) {
    double sum = 0;
    for (const auto &p : col.parts)
      sum += p.first;
    top = std::max(top, sum);
  }
  // Ticks at 1, 2 or 5 times a power of ten, four or more of them.
  double step = 1;
  if (top > 0) {
    double p = std::pow(10.0, std::floor(std::log10(top / 4)));
    step = top / 4 / p >= 5 ? 5 * p : top / 4 / p >= 2 ? 2 * p : p;
  }
  const double ymax = top > 0 ? std::ceil(top / step - 1e-9) * step : 1;
  const double x0 = kLeft, x1 = kWidth - kRight, y0 = kTop + 12, y1 = kHeight - kBottom;
  auto py = [&](double v) { return y1 - (y1 - y0) * v / ymax; };

  open(os, c.id, c.title);
  os << "<g class=\"grid\">\n";
  for (double v = 0; v <= ymax * (1 + 1e-9); v += step) {
    os << "<line x1=\"" << num(x0) << "\" y1=\"" << num(py(v)) << "\" x2=\"" << num(x1)
       << "\" y2=\"" << num(py(v)) << "\"/>\n";
    os << "<text class=\"tick\" x=\"" << num(x0 - 6) << "\" y=\"" << num(py(v) + 4)
       << "\" text-anchor=\"end\">" << escape(humanTime(v)) << "</text>\n";
  }
  os << "</g>\n";
  os << "<text class=\"axis\" transform=\"translate(16 " << num((y0 + y1) / 2)
     << ") rotate(-90)\" text-anchor=\"middle\">" << escape(c.yLabel) << "</text>\n";
  os << "<text class=\"axis\" x=\"" << num((x0 + x1) / 2) << "\" y=\"" << num(kHeight - 14)
     << "\" text-anchor=\"middle\">execution order</text>\n";
  const double w = c.columns.empty() ? 0 : (x1 - x0) / static_cast<double>(c.columns.size());
  os << "<g class=\"columns\">\n";
  for (size_t i = 0; i < c.columns.size(); ++i) {
    const Column &col = c.columns[i];
    double left = x0 + w * static_cast<double>(i), base = 0;
    os << "<g class=\"column\"";
    dataAttrs(os, col.data);
    os << "><title>" << escape(col.title) << "</title>";
    for (const auto &[value, cls] : col.parts) {
      if (value <= 0)
        continue;
      os << "<rect class=\"" << escape(cls) << "\" x=\"" << num(left) << "\" y=\""
         << num(py(base + value)) << "\" width=\"" << num(std::max(w * 0.85, 0.4))
         << "\" height=\"" << num(py(base) - py(base + value)) << "\"/>";
      base += value;
    }
    if (!col.label.empty())
      os << "<text class=\"col-label\" x=\"" << num(left + w / 2) << "\" y=\""
         << num(py(base) - 4) << "\" text-anchor=\"middle\">" << escape(col.label) << "</text>";
    os << "</g>\n";
  }
  os << "</g>\n<line class=\"baseline\" x1=\"" << num(x0) << "\" y1=\"" << num(y1) << "\" x2=\""
     << num(x1) << "\" y2=\"" << num(y1) << "\"/>\n";
  close(os);
}

} // namespace netc::report::svg
