//===- TableWriter.cpp - the default, human-readable report -----------------===//
//
// Header facts are word-wrapped at kWidth (100) columns (a word longer than
// a line keeps a line of its own). The layer table is cut to nothing: on a
// terminal (ReportStyle::width) the name column takes what the other
// columns leave and long names are shortened so that every row's stays
// unique (shortenNames: middle segments go first, "layer3...conv2d"), then
// columns hide and narrow (fitColumns; a note under the table names the
// hidden ones); elsewhere (--wide, pipes, files)
// nothing is shortened. Under --depth the names are a tree, indented two
// spaces a level and never shortened.
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
constexpr size_t kMinOpWidth = 10; ///< "conv2d+..."
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
/// that no line exceeds kWidth but for a longer word; continuation lines are
/// indented.
void wrapText(llvm::raw_ostream &os, llvm::StringRef label, llvm::StringRef text) {
  size_t avail = kWidth - kLabelWidth;
  std::string line = pad(label, kLabelWidth, false);
  size_t used = 0;
  llvm::SmallVector<llvm::StringRef, 16> words;
  text.split(words, ' ', -1, false);
  for (llvm::StringRef w : words) {
    llvm::StringRef word = w;
    if (used > 0 && used + 1 + word.size() > avail) {
      os << line << '\n';
      line = std::string(kLabelWidth, ' ');
      used = 0;
    }
    if (used > 0) {
      line += ' ';
      ++used;
    }
    line += word.str();
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

/// A column of the layer table.
struct Column {
  std::string header;
  bool right;
};

/// The layer table: its columns, the cells of each row and of the total.
struct RowTable {
  std::vector<Column> cols;
  size_t opCol = 0; ///< 0: no op column (the rows are ops)
  size_t shapeCol = 1;
  std::vector<std::vector<std::string>> body;
  std::vector<std::string> total;
};

/// A row's name: in a tree, its last segment indented two spaces a level.
std::string rowLabel(const LayerCost &l) {
  if (l.depth == 0)
    return l.name;
  llvm::StringRef name = l.name;
  return std::string(2 * (l.depth - 1), ' ') + name.drop_front(name.rfind('.') + 1).str();
}

std::vector<std::string> rowCells(const RowTable &t, const LayerCost &l, const Report &r,
                                  bool total) {
  std::vector<std::string> c;
  c.push_back(total ? l.name : rowLabel(l));
  if (t.opCol)
    c.push_back(total ? "" : l.op);
  c.push_back(total ? "" : l.outputShape.empty() ? "-" : ir::formatShape(l.outputShape));
  c.push_back(withThousands(l.params));
  c.push_back(siCount(static_cast<double>(l.macs)));
  c.push_back(siCount(static_cast<double>(l.flops)));
  c.push_back(siBytes(static_cast<double>(l.memoryBytes)));
  c.push_back(intensityText(l));
  c.push_back(total ? "" : boundText(l));
  c.push_back(humanTime(l.latency));
  c.push_back(shareText(l.latency, r));
  return c;
}

RowTable rowTable(const Report &r) {
  RowTable t;
  const bool withOp = r.groupBy != GroupBy::Op;
  t.cols.push_back({r.groupBy == GroupBy::Tree ? "layer" : groupByName(r.groupBy).str(), false});
  if (withOp)
    t.cols.push_back({"op", false});
  t.opCol = withOp ? 1 : 0;
  t.shapeCol = t.cols.size();
  const Column numbers[] = {{"output shape", false}, {"params", true}, {"MACs", true},
                            {"FLOPs", true},         {"bytes", true},  {"FLOP/B", true},
                            {"bound", false},        {"time", true},   {"%time", true}};
  t.cols.insert(t.cols.end(), std::begin(numbers), std::end(numbers));
  for (const LayerCost &l : r.rows())
    t.body.push_back(rowCells(t, l, r, false));
  t.total = rowCells(t, totalRow(r, "total"), r, true);
  return t;
}

/// The width of a line: the shown columns (a hidden one has width 0) and
/// the gaps between them.
size_t lineWidth(const std::vector<size_t> &width) {
  size_t total = 0, shown = 0;
  for (size_t w : width) {
    total += w;
    shown += w > 0;
  }
  return total + (shown ? std::strlen(kGap) * (shown - 1) : 0);
}

/// Narrows the columns of `order` in turn, each down to its minimum, until
/// the columns and the gaps between them fit `limit`.
void narrow(std::vector<size_t> &width, size_t limit,
            std::initializer_list<std::pair<size_t, size_t>> order) {
  size_t total = lineWidth(width);
  for (auto [c, min] : order) {
    if (total <= limit)
      return;
    size_t cut = std::min(total - limit, width[c] > min ? width[c] - min : 0);
    width[c] -= cut;
    total -= cut;
  }
}

/// Hides the columns named in `order` in turn (width 0, so the line and the
/// note under the table leave them out) until the line fits `limit`.
void hide(const RowTable &t, std::vector<size_t> &width, size_t limit,
          std::initializer_list<llvm::StringRef> order) {
  for (llvm::StringRef name : order) {
    if (lineWidth(width) <= limit)
      return;
    for (size_t c = 0; c < t.cols.size(); ++c)
      if (t.cols[c].header == name)
        width[c] = 0;
  }
}

/// The columns' widths within `limit` (0: no limit) and the names the body
/// shows: the name column gives way first (down to kMinNameWidth, every
/// row's name staying unique: shortenNames); then the columns that can be
/// derived from others are hidden (FLOPs from MACs, FLOP/B from FLOPs and
/// bytes); then op and shape narrow; last, params, bound, bytes and MACs
/// hide. A tree's indented names are kept whole.
std::vector<size_t> fitColumns(const RowTable &t, size_t limit, bool tree,
                               std::vector<std::string> &names) {
  std::vector<size_t> width(t.cols.size());
  for (size_t c = 0; c < width.size(); ++c) {
    width[c] = std::max(t.cols[c].header.size(), t.total[c].size());
    for (const auto &row : t.body)
      width[c] = std::max(width[c], row[c].size());
  }
  names.clear();
  for (const auto &row : t.body)
    names.push_back(row[0]);
  if (limit == 0)
    return width;
  if (!tree) {
    size_t minName = std::max({std::min(width[0], kMinNameWidth), t.cols[0].header.size(),
                               t.total[0].size()});
    narrow(width, limit, {{0, minName}});
    ShortNames shown = shortenNames(names, width[0]);
    width[0] = std::max(width[0], shown.width);
    names = std::move(shown.texts);
  }
  hide(t, width, limit, {"FLOPs", "FLOP/B"});
  if (t.opCol)
    narrow(width, limit, {{t.opCol, std::min(width[t.opCol], kMinOpWidth)}});
  narrow(width, limit, {{t.shapeCol, t.cols[t.shapeCol].header.size()}});
  hide(t, width, limit, {"params", "bound", "bytes", "MACs"});
  return width;
}

/// The per-layer (or per-group, or tree) table, with a total row under a
/// rule; `limit` as for fitColumns.
void writeRows(llvm::raw_ostream &os, const Report &r, size_t limit) {
  RowTable t = rowTable(r);
  std::vector<std::string> names;
  std::vector<size_t> width = fitColumns(t, limit, r.groupBy == GroupBy::Tree, names);
  auto line = [&](const std::vector<std::string> &row, const std::string &name) {
    std::string s;
    for (size_t c = 0; c < row.size(); ++c) {
      if (width[c] == 0)
        continue; // hidden to fit the terminal
      std::string cell = c == 0 ? name : shortenRight(row[c], width[c]);
      s += (s.empty() ? "" : kGap) + pad(cell, width[c], t.cols[c].right);
    }
    rstrip(s);
    os << s << '\n';
  };
  std::vector<std::string> header;
  for (const Column &c : t.cols)
    header.push_back(c.header);
  line(header, header[0]);
  size_t ruleWidth = lineWidth(width);
  std::string rule(limit ? std::min(ruleWidth, limit) : ruleWidth, '-');
  os << rule << '\n';
  for (size_t i = 0; i < t.body.size(); ++i)
    line(t.body[i], names[i]);
  if (!t.body.empty())
    os << rule << '\n';
  line(t.total, t.total[0]);
  std::vector<std::string> hidden;
  for (size_t c = 0; c < t.cols.size(); ++c)
    if (width[c] == 0)
      hidden.push_back(t.cols[c].header);
  if (!hidden.empty())
    os << fmt::format("(hidden: {}; --wide shows all)\n", join(hidden, ", "));
}

/// "  label   value  note" lines with the numbers right-aligned on their
/// last digit (units and notes follow), cut at `limit` (0: never).
void writeQuantities(llvm::raw_ostream &os, const std::vector<Quantity> &qs, size_t limit) {
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
    os << (limit ? shortenRight(s, limit) : s) << '\n';
  }
}

/// The slowest rows (layers under --depth), ranked, with their time and
/// share; names fit `limit` (0: no limit) and stay unique.
void writeTop(llvm::raw_ostream &os, const Report &r, unsigned top, size_t limit) {
  const std::vector<LayerCost> &rows = rankedRows(r);
  std::vector<size_t> order = topByLatency(rows, top);
  if (order.empty())
    return;
  os << "\ntop " << order.size() << ' ' << rankedWhat(r) << " by time\n";
  size_t rankWidth = std::to_string(order.size()).size();
  size_t nameWidth = 0, timeWidth = 0;
  std::vector<std::string> names;
  for (size_t i : order) {
    names.push_back(rows[i].name);
    nameWidth = std::max(nameWidth, rows[i].name.size());
    timeWidth = std::max(timeWidth, humanTime(rows[i].latency).size());
  }
  constexpr size_t kShareWidth = 6; // "100.0%"
  size_t fixed = 2 + rankWidth + 2 + 2 + timeWidth + 2 + kShareWidth;
  if (limit) {
    ShortNames shown = shortenNames(names, limit > fixed ? limit - fixed : 0);
    nameWidth = std::min(nameWidth, shown.width);
    names = std::move(shown.texts);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    const LayerCost &l = rows[order[k]];
    os << "  " << pad(std::to_string(k + 1), rankWidth, true) << "  "
       << pad(names[k], nameWidth, false) << "  " << pad(humanTime(l.latency), timeWidth, true)
       << "  " << pad(shareText(l.latency, r), kShareWidth, true) << '\n';
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
  if (r.serving)
    wrapText(os, "phase", phaseText(r));
  os << '\n';

  writeRows(os, r, style.width);

  os << "\ntotals\n";
  std::vector<Quantity> qs = totalQuantities(r);
  std::vector<Quantity> mb = maxBatchQuantities(r);
  qs.insert(qs.end(), mb.begin(), mb.end());
  writeQuantities(os, qs, style.width);
  if (r.serving) {
    os << "\nserving\n";
    writeQuantities(os, servingQuantities(r), style.width);
  }

  if (r.unoptimized) {
    os << '\n';
    wrapText(os, "optimized by", join(r.passes, ", ") + " (-O0 reports the graph as written)");
    writeSideBySide(os, unoptimizedQuantities(r), optimizedQuantities(r),
                    {"totals", "as written", "optimized", "ratio"});
  }
  writeTop(os, r, style.top, style.width);
  writeTableMeasured(os, r, style.width);
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

  std::vector<Quantity> qa = totalQuantities(a, &b), qb = totalQuantities(b, &a);
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
