//===- TableWriter.cpp - the default, human-readable report -----------------===//
//
// Every line fits in kWidth (100) columns: header facts are word-wrapped,
// the layer column takes what the numeric columns leave and long names lose
// their beginning ("...1.conv.0"), keeping the most specific end.
//
//===----------------------------------------------------------------------===//
#include "support/Format.h"
#include "report/WriterCommon.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace netc::report::detail {

using cost::LayerCost;
using cost::GroupBy;
using cost::groupByName;
using cost::Report;

namespace {

constexpr size_t kWidth = 100;
constexpr size_t kLabelWidth = 13; ///< "conventions  "
constexpr size_t kMinNameWidth = 16;
constexpr const char *kGap = " ";

std::string pad(llvm::StringRef s, size_t width, bool right) {
  if (s.size() >= width)
    return s.str();
  std::string fill(width - s.size(), ' ');
  return right ? fill + s.str() : s.str() + fill;
}

void rstrip(std::string &s) {
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
}

/// Writes `text` after `label` (padded to kLabelWidth), breaking at spaces so
/// that no line exceeds kWidth; continuation lines are indented.
void wrapText(llvm::raw_ostream &os, llvm::StringRef label, llvm::StringRef text) {
  size_t avail = kWidth - kLabelWidth;
  std::string line = pad(label, kLabelWidth, false);
  size_t used = 0;
  llvm::SmallVector<llvm::StringRef, 16> words;
  text.split(words, ' ', -1, false);
  for (llvm::StringRef w : words) {
    std::string word = shortenRight(w, avail);
    if (used > 0 && used + 1 + word.size() > avail) {
      os << line << '\n';
      line = std::string(kLabelWidth, ' ');
      used = 0;
    }
    if (used > 0) {
      line += ' ';
      ++used;
    }
    line += word;
    used += word.size();
  }
  rstrip(line);
  os << line << '\n';
}

std::string join(const std::vector<std::string> &items, llvm::StringRef sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i)
    s += (i ? sep.str() : "") + items[i];
  return s;
}

std::string hardwareTitle(const target::HardwareProfile &hw) {
  return hw.description.empty() ? hw.name : hw.name + ": " + hw.description;
}

std::string conventionsText(const Report &r) {
  return join(conventionFacts(r), ", ") + "; latency is a " + kLatencyNote +
         (r.hardware.hasCalibration ? "; latency estimate is calibrated" : "");
}

void writeConventionDocs(llvm::raw_ostream &os, const Report &r) {
  wrapText(os, "", cost::flopConventionName(r.options.flops).str() + ": " +
                       cost::flopConventionDoc(r.options.flops).str());
  wrapText(os, "", cost::memoryModelName(r.options.memory).str() + ": " +
                       cost::memoryModelDoc(r.options.memory).str());
}

void writeHardware(llvm::raw_ostream &os, llvm::StringRef label, const Report &r) {
  wrapText(os, label, hardwareTitle(r.hardware));
  wrapText(os, "", join(hardwareFacts(r), ", "));
}

std::string intensityText(const LayerCost &l) {
  if (l.memoryBytes <= 0)
    return "-";
  return l.intensity < 1000 ? sig3(l.intensity) : siCount(l.intensity);
}

std::string boundText(const LayerCost &l) {
  if (l.flops == 0 && l.memoryBytes == 0)
    return "-";
  return l.memoryBound ? "mem" : "cmp";
}

/// The per-layer (or per-group) table, with a total row under a rule.
void writeRows(llvm::raw_ostream &os, const Report &r, const std::vector<LayerCost> &rows,
               GroupBy by) {
  struct Column {
    const char *header;
    bool right;
  };
  const Column cols[] = {{"", false},      {"output shape", false}, {"params", true},
                         {"MACs", true},   {"FLOPs", true},         {"bytes", true},
                         {"FLOP/B", true}, {"bound", false},        {"time", true}};
  constexpr size_t n = std::size(cols);
  auto cells = [&](const LayerCost &l, bool total) {
    std::vector<std::string> c(n);
    c[0] = l.name;
    c[1] = total ? "" : l.outputShape.empty() ? "-" : ir::formatShape(l.outputShape);
    c[2] = withThousands(l.params);
    c[3] = siCount(static_cast<double>(l.macs));
    c[4] = siCount(static_cast<double>(l.flops));
    c[5] = siBytes(static_cast<double>(l.memoryBytes));
    c[6] = intensityText(l);
    c[7] = total ? "" : boundText(l);
    c[8] = humanTime(l.latency);
    return c;
  };
  std::vector<std::vector<std::string>> body;
  for (const LayerCost &l : rows)
    body.push_back(cells(l, false));
  std::vector<std::string> total = cells(totalRow(r, "total"), true);

  std::string nameHeader = groupByName(by).str();
  size_t width[n];
  for (size_t c = 0; c < n; ++c) {
    width[c] = c == 0 ? nameHeader.size() : std::strlen(cols[c].header);
    for (const auto &row : body)
      width[c] = std::max(width[c], row[c].size());
    width[c] = std::max(width[c], total[c].size());
  }
  // The name column takes what is left; when even its minimum does not fit,
  // the shape column gives way.
  size_t rest = std::strlen(kGap) * (n - 1);
  for (size_t c = 1; c < n; ++c)
    rest += width[c];
  size_t nameWidth = width[0];
  if (rest + nameWidth > kWidth) {
    nameWidth = std::max(kWidth > rest ? kWidth - rest : 0, std::min(width[0], kMinNameWidth));
    nameWidth = std::max(nameWidth, nameHeader.size());
    if (rest + nameWidth > kWidth) {
      size_t others = rest - width[1];
      size_t shape = kWidth > others + nameWidth ? kWidth - others - nameWidth : 0;
      width[1] = std::max(shape, std::strlen(cols[1].header));
    }
  }
  width[0] = nameWidth;

  auto line = [&](const std::vector<std::string> &row) {
    std::string s;
    for (size_t c = 0; c < n; ++c) {
      std::string cell = c == 0 ? shortenName(row[c], width[c])
                         : c == 1 ? shortenRight(row[c], width[c])
                                  : row[c];
      s += (c ? kGap : "") + pad(cell, width[c], cols[c].right);
    }
    rstrip(s);
    os << s << '\n';
  };
  std::vector<std::string> header(n);
  header[0] = nameHeader;
  for (size_t c = 1; c < n; ++c)
    header[c] = cols[c].header;
  line(header);
  size_t ruleWidth = std::strlen(kGap) * (n - 1);
  for (size_t c = 0; c < n; ++c)
    ruleWidth += width[c];
  std::string rule(std::min(ruleWidth, kWidth), '-');
  os << rule << '\n';
  for (const auto &row : body)
    line(row);
  os << rule << '\n';
  line(total);
}

/// "  label   value  note" lines with the numbers right-aligned on their
/// last digit (units and notes follow).
void writeQuantities(llvm::raw_ostream &os, const std::vector<Quantity> &qs) {
  auto split = [](const Quantity &q) -> std::pair<std::string, std::string> {
    std::string text = quantityText(q);
    size_t end = text.find_first_not_of("0123456789,.-");
    if (end == std::string::npos)
      return {text, ""};
    return {text.substr(0, end), text.substr(end)};
  };
  size_t labelWidth = 0, numberWidth = 0, unitWidth = 0;
  for (const Quantity &q : qs) {
    auto [num, unit] = split(q);
    labelWidth = std::max(labelWidth, q.label.size());
    numberWidth = std::max(numberWidth, num.size());
    unitWidth = std::max(unitWidth, unit.size());
  }
  for (const Quantity &q : qs) {
    auto [num, unit] = split(q);
    std::string s = "  " + pad(q.label, labelWidth, false) + "  " + pad(num, numberWidth, true) +
                    pad(unit, unitWidth, false);
    if (!q.note.empty())
      s += "  " + q.note;
    rstrip(s);
    os << shortenRight(s, kWidth) << '\n';
  }
}

void writeTop(llvm::raw_ostream &os, const Report &r, const std::vector<LayerCost> &rows,
              GroupBy by, unsigned top) {
  std::vector<size_t> order = topByLatency(rows, top);
  if (order.empty())
    return;
  llvm::StringRef what = by == GroupBy::Layer ? "layers" : by == GroupBy::Block ? "blocks" : "ops";
  os << "\ntop " << order.size() << ' ' << what << " by time\n";
  size_t rankWidth = std::to_string(order.size()).size();
  size_t nameWidth = 0, timeWidth = 0;
  for (size_t i : order) {
    nameWidth = std::max(nameWidth, rows[i].name.size());
    timeWidth = std::max(timeWidth, humanTime(rows[i].latency).size());
  }
  constexpr size_t kShareWidth = 6; // "100.0%"
  size_t fixed = 2 + rankWidth + 2 + 2 + timeWidth + 2 + kShareWidth;
  nameWidth = std::min(nameWidth, kWidth > fixed ? kWidth - fixed : 0);
  size_t rank = 0;
  for (size_t i : order) {
    std::string s = "  " + pad(std::to_string(++rank), rankWidth, true) + "  " +
                    pad(shortenName(rows[i].name, nameWidth), nameWidth, false) + "  " +
                    pad(humanTime(rows[i].latency), timeWidth, true) + "  " +
                    pad(fmt::format("{:.1f}%", 100 * latencyShare(rows[i].latency, r)),
                        kShareWidth, true);
    os << s << '\n';
  }
}

bool sameHardware(const Report &a, const Report &b) {
  const target::HardwareProfile &x = a.hardware, &y = b.hardware;
  return x.name == y.name && x.description == y.description &&
         x.peakFor(a.options.dtype) == y.peakFor(b.options.dtype) &&
         x.bandwidth == y.bandwidth && x.memory == y.memory &&
         a.options.dtype == b.options.dtype;
}

} // namespace

void writeTable(llvm::raw_ostream &os, const Report &r, const ReportStyle &style) {
  os << markers::kReport << r.network << "\n";
  wrapText(os, "network", networkTitle(r));
  writeHardware(os, "hardware", r);
  wrapText(os, "conventions", conventionsText(r));
  writeConventionDocs(os, r);
  os << '\n';

  const std::vector<LayerCost> &rows = r.rows();
  writeRows(os, r, rows, r.groupBy);

  os << "\ntotals\n";
  std::vector<Quantity> qs = totalQuantities(r);
  std::vector<Quantity> mb = maxBatchQuantities(r);
  qs.insert(qs.end(), mb.begin(), mb.end());
  writeQuantities(os, qs);

  if (r.unoptimized) {
    os << '\n';
    wrapText(os, "optimized by", join(r.passes, ", ") + " (-O0 reports the graph as written)");
    writeSideBySide(os, unoptimizedQuantities(r), optimizedQuantities(r),
                    {"totals", "as written", "optimized", "ratio"});
  }
  writeTop(os, r, rows, r.groupBy, style.top);
  writeTableMeasured(os, r);
}

void writeTableComparison(llvm::raw_ostream &os, const Report &a, const Report &b) {
  os << markers::kComparison << a.network << " vs " << b.network << "\n";
  wrapText(os, "a", networkTitle(a));
  wrapText(os, "b", networkTitle(b));
  if (sameHardware(a, b)) {
    writeHardware(os, "hardware", a);
  } else {
    writeHardware(os, "hardware a", a);
    writeHardware(os, "hardware b", b);
  }
  if (conventionsText(a) == conventionsText(b)) {
    wrapText(os, "conventions", conventionsText(a));
  } else {
    wrapText(os, "conventions", "a: " + conventionsText(a));
    wrapText(os, "", "b: " + conventionsText(b));
  }
  wrapText(os, "graphs", a.unoptimized ? "optimized by " + join(a.passes, ", ") +
                                             " (-O0 compares the graphs as written)"
                                       : "as written (-O0)");
  os << '\n';

  std::vector<Quantity> qa = totalQuantities(a), qb = totalQuantities(b);
  if (a.maxBatch && b.maxBatch) {
    std::vector<Quantity> ma = maxBatchQuantities(a), mb = maxBatchQuantities(b);
    qa.insert(qa.end(), ma.begin(), ma.end());
    qb.insert(qb.end(), mb.begin(), mb.end());
  }
  writeSideBySide(os, qa, qb, {"quantity", "a", "b", "b/a"});
}

void writeSideBySide(llvm::raw_ostream &os, const std::vector<Quantity> &qa,
                     const std::vector<Quantity> &qb, const std::array<std::string, 4> &header) {
  std::vector<std::array<std::string, 4>> rows;
  rows.push_back(header);
  for (size_t i = 0; i < qa.size(); ++i)
    rows.push_back({qa[i].label, quantityText(qa[i]), quantityText(qb[i]),
                    ratioText(qa[i].value, qb[i].value)});
  size_t w[4] = {0, 0, 0, 0};
  for (const auto &row : rows)
    for (size_t c = 0; c < 4; ++c)
      w[c] = std::max(w[c], row[c].size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto &row = rows[i];
    std::string s = pad(row[0], w[0], false);
    for (size_t c = 1; c < 4; ++c)
      s += kGap + pad(row[c], w[c], true);
    os << s << '\n';
    if (i == 0)
      os << std::string(std::min(s.size(), kWidth), '-') << '\n';
  }
}

} // namespace netc::report::detail
