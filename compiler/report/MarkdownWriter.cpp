//===- MarkdownWriter.cpp - the report as GitHub Markdown -------------------===//
//
// A heading, the header facts as a bullet list, the layers (or groups, or
// the tree of --depth: a depth column and each block's path) as a table with
// the op and the share of time, the totals as a table and the top layers by
// time. Names are escaped, never shortened.
//
//===----------------------------------------------------------------------===//
#include "support/Format.h"
#include "report/WriterCommon.h"

#include <fmt/format.h>

namespace netc::report::detail {

using cost::LayerCost;
using cost::GroupBy;
using cost::groupByName;
using cost::Report;

namespace {

void tableRow(llvm::raw_ostream &os, const std::vector<std::string> &cells) {
  os << '|';
  for (const std::string &c : cells)
    os << ' ' << c << " |";
  os << '\n';
}

/// The header row and the alignment row ('r': right, else left).
void tableHead(llvm::raw_ostream &os, const std::vector<std::string> &headers,
               llvm::StringRef align) {
  tableRow(os, headers);
  os << '|';
  for (size_t i = 0; i < headers.size(); ++i)
    os << (i < align.size() && align[i] == 'r' ? " ---: |" : " :--- |");
  os << '\n';
}

std::string join(const std::vector<std::string> &items, llvm::StringRef sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i)
    s += (i ? sep.str() : "") + items[i];
  return s;
}

std::string hardwareLine(const Report &r) {
  std::string s = markdownEscape(r.hardware.name);
  if (!r.hardware.description.empty())
    s += " (" + markdownEscape(r.hardware.description) + ")";
  return s + ": " + markdownEscape(join(hardwareFacts(r), ", "));
}

std::string conventionsLine(const Report &r) {
  return fmt::format("FLOPs `{}`, memory model `{}`, dtype `{}`, batch {}; latency is a {}",
                     cost::flopConventionName(r.options.flops).str(),
                     cost::memoryModelName(r.options.memory).str(),
                     ir::dtypeName(r.options.dtype).str(), withThousands(r.options.batch),
                     kLatencyNote) +
         (r.hardware.hasCalibration ? "; latency estimate is calibrated" : "");
}

void writeFacts(llvm::raw_ostream &os, const Report &r) {
  os << "- **network:** " << markdownEscape(networkTitle(r)) << '\n';
  os << "- **hardware:** " << hardwareLine(r) << '\n';
  os << "- **conventions:** " << conventionsLine(r) << '\n';
  os << "  - `" << cost::flopConventionName(r.options.flops) << "`: "
     << cost::flopConventionDoc(r.options.flops) << '\n';
  os << "  - `" << cost::memoryModelName(r.options.memory) << "`: "
     << cost::memoryModelDoc(r.options.memory) << '\n';
}

std::vector<std::string> rowCells(const LayerCost &l, const Report &r, bool withOp) {
  std::vector<std::string> c = {markdownEscape(l.name)};
  if (l.depth > 0) // a tree: the level, then the path
    c.insert(c.begin(), std::to_string(l.depth));
  if (withOp)
    c.push_back(markdownEscape(l.op));
  c.push_back(l.outputShape.empty() ? "" : ir::formatShape(l.outputShape));
  c.push_back(withThousands(l.params));
  c.push_back(siCount(static_cast<double>(l.macs)));
  c.push_back(siCount(static_cast<double>(l.flops)));
  c.push_back(siBytes(static_cast<double>(l.memoryBytes)));
  c.push_back(l.memoryBytes > 0 ? sig3(l.intensity) : "-");
  c.push_back(l.flops == 0 && l.memoryBytes == 0 ? "-" : detail::boundName(l));
  c.push_back(humanTime(l.latency));
  c.push_back(shareText(l.latency, r));
  return c;
}

/// The rows' table: a tree (--depth) has a depth column before the path.
void writeRowTable(llvm::raw_ostream &os, const Report &r) {
  GroupBy by = r.groupBy;
  bool tree = by == GroupBy::Tree, withOp = by != GroupBy::Op;
  std::vector<std::string> headers;
  std::string align;
  if (tree) {
    headers = {"depth", "path"};
    align = "rl";
  } else {
    headers = {groupByName(by).str()};
    align = "l";
  }
  if (withOp) {
    headers.push_back("op");
    align += "l";
  }
  for (const char *h : {"output shape", "params", "MACs", "FLOPs", "bytes", "FLOP/B", "bound",
                        "time", "%time"})
    headers.push_back(h);
  align += "lrrrrrlrr";
  tableHead(os, headers, align);
  for (const LayerCost &l : r.rows())
    tableRow(os, rowCells(l, r, withOp));
}

void writeQuantityTable(llvm::raw_ostream &os, const std::vector<Quantity> &qs) {
  tableHead(os, {"quantity", "value", "note"}, "lrl");
  for (const Quantity &q : qs)
    tableRow(os, {markdownEscape(q.label), quantityText(q), markdownEscape(q.note)});
}

} // namespace

void writeMarkdown(llvm::raw_ostream &os, const Report &r, const ReportStyle &style) {
  os << "# " << markers::kReport << markdownEscape(r.network) << "\n\n";
  writeFacts(os, r);

  GroupBy by = r.groupBy;
  std::string what = by == GroupBy::Tree    ? "Blocks to depth " + std::to_string(r.depth)
                     : by == GroupBy::Block ? "Blocks"
                     : by == GroupBy::Op    ? "Ops"
                                            : "Layers";
  os << "\n## " << what << "\n\n";
  writeRowTable(os, r);

  os << "\n## Totals\n\n";
  std::vector<Quantity> qs = totalQuantities(r);
  std::vector<Quantity> mb = maxBatchQuantities(r);
  qs.insert(qs.end(), mb.begin(), mb.end());
  writeQuantityTable(os, qs);
  if (r.serving) {
    os << "\n## Serving\n\n" << markdownEscape(phaseText(r)) << "\n\n";
    writeQuantityTable(os, servingQuantities(r));
  }
  writeMarkdownMeasured(os, r);

  const std::vector<LayerCost> &rows = rankedRows(r);
  std::vector<size_t> top = topByLatency(rows, style.top);
  if (top.empty())
    return;
  os << "\n## Top " << top.size() << ' ' << rankedWhat(r) << " by time\n\n";
  tableHead(os, {"#", by == GroupBy::Tree ? "layer" : groupByName(by).str(), "time", "share"},
            "rlrr");
  size_t rank = 0;
  for (size_t i : top)
    tableRow(os, {std::to_string(++rank), markdownEscape(rows[i].name),
                  humanTime(rows[i].latency), shareText(rows[i].latency, r)});
}

void writeMarkdownComparison(llvm::raw_ostream &os, const Report &a, const Report &b) {
  os << "# " << markers::kComparison << markdownEscape(a.network) << " vs "
     << markdownEscape(b.network) << "\n\n";
  os << "- **a:** " << markdownEscape(networkTitle(a)) << '\n';
  os << "- **b:** " << markdownEscape(networkTitle(b)) << '\n';
  std::string ha = hardwareLine(a), hb = hardwareLine(b);
  if (ha == hb) {
    os << "- **hardware:** " << ha << '\n';
  } else {
    os << "- **hardware a:** " << ha << '\n';
    os << "- **hardware b:** " << hb << '\n';
  }
  std::string ca = conventionsLine(a), cb = conventionsLine(b);
  if (ca == cb) {
    os << "- **conventions:** " << ca << '\n';
  } else {
    os << "- **conventions a:** " << ca << '\n';
    os << "- **conventions b:** " << cb << '\n';
  }
  os << '\n';
  std::vector<Quantity> qa = totalQuantities(a, &b), qb = totalQuantities(b, &a);
  if (a.maxBatch && b.maxBatch) {
    std::vector<Quantity> ma = maxBatchQuantities(a), mb = maxBatchQuantities(b);
    qa.insert(qa.end(), ma.begin(), ma.end());
    qb.insert(qb.end(), mb.begin(), mb.end());
  }
  tableHead(os, {"quantity", "a", "b", "b/a"}, "lrrr");
  for (size_t i = 0; i < qa.size(); ++i)
    tableRow(os, {markdownEscape(qa[i].label), quantityText(qa[i]), quantityText(qb[i]),
                  ratioText(qa[i].value, qb[i].value)});
}

} // namespace netc::report::detail
