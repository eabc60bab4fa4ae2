//===- HtmlPage.h - the page around the HTML report's content ---*- C++ -*-===//
//
// Internal to report/: one self-contained page (inline style sheet with light
// and dark schemes and a print style, no external resource), its tables
// (sortable by a click with a few lines of inline script; the page reads the
// same without script) and the lists of facts. The HTML writers of the
// report, the comparison, the optimization report and the sweep build their
// pages from these.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_HTMLPAGE_H
#define NETC_REPORT_HTMLPAGE_H

#include "report/WriterCommon.h"

#include <string>
#include <utility>
#include <vector>

namespace netc::report::html {

/// The doctype, `marker` + `name` as the first comment (netc recognises its
/// own outputs by it), the head with `title`, and the body's <h1>.
void beginPage(llvm::raw_ostream &os, llvm::StringRef marker, llvm::StringRef name,
               llvm::StringRef title);
/// The sorting script and the end of the page.
void endPage(llvm::raw_ostream &os);

/// <section id=ID><h2>HEADING</h2> ... </section>
void beginSection(llvm::raw_ostream &os, llvm::StringRef id, llvm::StringRef heading);
void endSection(llvm::raw_ostream &os);
/// A paragraph of plain text (escaped).
void paragraph(llvm::raw_ostream &os, llvm::StringRef text, llvm::StringRef cls = "");

/// A definition list: (term, description), both plain text.
void facts(llvm::raw_ostream &os, const std::vector<std::pair<std::string, std::string>> &f);
/// The header facts of a report: network, hardware, conventions (and the
/// phase of an LLM report), as the table format states them.
std::vector<std::pair<std::string, std::string>> reportFacts(const cost::Report &r);
/// The hardware line: "name (description): peak ..., bandwidth ...".
std::string hardwareText(const cost::Report &r);
/// The conventions line: "FLOPs 2mac (...), memory ideal (...), dtype f32, batch 1; ...".
std::string conventionsText(const cost::Report &r);

struct Cell {
  std::string text;  ///< shown (plain text, escaped when written)
  std::string value; ///< data-v: the exact value the column sorts by; "" = text
  std::string cls;   ///< CSS class of the cell, or ""
};
struct Column {
  std::string key;   ///< data-key of the header: "time" (#sort=time sorts by it)
  std::string title; ///< shown
  bool numeric = false;
};
struct Table {
  std::string id, cls; ///< cls "sortable": a click on a header sorts the rows
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::vector<std::string> rowKeys; ///< data-key of each row (may be empty)
};
void writeTable(llvm::raw_ostream &os, const Table &t);

/// A cell of an exact count: "11,689,512", sorting by the integer.
Cell countCell(int64_t v);
/// A cell of seconds shown as "1.23 ms", sorting by the seconds.
Cell timeCell(double seconds);

/// The totals as a table (quantity, value, note): each row's data-key is
/// the quantity's JSON key and its value cell's data-v the JSON number.
void quantityTable(llvm::raw_ostream &os, llvm::StringRef id,
                   const std::vector<detail::Quantity> &qs);
/// Two lists of quantities side by side with the ratio b/a.
void sideBySideTable(llvm::raw_ostream &os, llvm::StringRef id,
                     const std::vector<detail::Quantity> &qa,
                     const std::vector<detail::Quantity> &qb,
                     const std::vector<std::string> &header);

/// A legend: (CSS class of the swatch, text).
void legend(llvm::raw_ostream &os, const std::vector<std::pair<std::string, std::string>> &items);

} // namespace netc::report::html

#endif
