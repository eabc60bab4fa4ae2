//===- SweepWriter.cpp - the rows of a parameter sweep ----------------------===//
//
// The numbers are the optimized graph's totals, under the conventions every
// format states (FLOP convention, memory model, dtype, batch, hardware).
//
//===----------------------------------------------------------------------===//
#include "report/SweepWriter.h"

#include "support/Format.h"
#include "report/HtmlWriter.h"
#include "report/WriterCommon.h"

#include <fmt/format.h>
#include <llvm/ADT/SmallVector.h>

#include <algorithm>

namespace netc::report {

namespace {

using detail::conventionFacts;
using detail::hardwareFacts;
using detail::kLatencyNote;

constexpr size_t kLabelWidth = 13;
constexpr size_t kWidth = 100;

std::string join(const std::vector<std::string> &v, const char *sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? sep : "") + v[i];
  return s;
}

} // namespace

namespace detail {

/// A report carrying only what the shared header helpers read.
cost::Report headerReport(const SweepResult &s) {
  cost::Report r;
  r.network = s.network;
  r.hardware = s.hardware;
  r.options = s.options;
  return r;
}

std::string conventionsText(const SweepResult &s) {
  return join(conventionFacts(headerReport(s)), ", ") + "; latency is a " + kLatencyNote +
         (s.optimized ? "; the optimized graph" : "; the graph as written (-O0)");
}

std::string sweepText(const SweepResult &s) {
  return join(s.specs, " x ") + fmt::format(" ({} variant{})", withThousands(
                                    static_cast<int64_t>(s.rows.size())),
                                    s.rows.size() == 1 ? "" : "s");
}

std::string overridesText(const SweepResult &s) {
  std::vector<std::string> v;
  for (const auto &[name, value] : s.overrides)
    v.push_back("-D " + name + "=" + value);
  return join(v, " ");
}

} // namespace detail

namespace {

using detail::conventionsText;
using detail::headerReport;
using detail::overridesText;
using detail::sweepText;

/// `text` after a left-aligned label, wrapped at spaces to the table width.
void wrapText(llvm::raw_ostream &os, llvm::StringRef label, llvm::StringRef text) {
  std::string line = fmt::format("{:<{}}", label.str(), kLabelWidth);
  size_t used = 0;
  llvm::SmallVector<llvm::StringRef, 16> words;
  text.split(words, ' ', -1, false);
  for (llvm::StringRef w : words) {
    if (used > 0 && used + 1 + w.size() > kWidth - kLabelWidth) {
      os << line << '\n';
      line = std::string(kLabelWidth, ' ');
      used = 0;
    }
    if (used > 0) {
      line += ' ';
      ++used;
    }
    line += w.str();
    used += w.size();
  }
  os << line << '\n';
}

/// A swept value for JSON: a number or boolean as itself, anything else a string.
std::string jsonValue(const std::string &v) {
  llvm::StringRef s(v);
  if (s == "true" || s == "false")
    return v;
  // JSON numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    return i - start;
  };
  if (i < s.size() && s[i] == '-')
    ++i;
  size_t intStart = i;
  size_t n = digits();
  bool ok = n > 0 && !(n > 1 && s[intStart] == '0');
  if (ok && i < s.size() && s[i] == '.') {
    ++i;
    ok = digits() > 0;
  }
  if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      ++i;
    ok = digits() > 0;
  }
  return ok && i == s.size() ? v : jsonString(s);
}

std::string integer(int64_t v) { return fmt::format("{}", v); }

void writeTable(llvm::raw_ostream &os, const SweepResult &s) {
  cost::Report r = headerReport(s);
  os << markers::kSweep << s.network << "\n";
  wrapText(os, "network", s.network);
  if (!s.overrides.empty())
    wrapText(os, "overrides", overridesText(s));
  wrapText(os, "sweep", sweepText(s));
  wrapText(os, "hardware", s.hardware.description.empty()
                               ? s.hardware.name
                               : s.hardware.name + ": " + s.hardware.description);
  wrapText(os, "", join(hardwareFacts(r), ", "));
  wrapText(os, "conventions", conventionsText(s));
  os << '\n';

  std::vector<std::string> header = s.names;
  const size_t nv = s.names.size();
  for (const char *h : {"params", "MACs", "bytes moved", "peak activations", "latency"})
    header.push_back(h);
  if (s.pareto)
    header.push_back("pareto");
  std::vector<std::vector<std::string>> cells;
  for (const SweepRow &row : s.rows) {
    std::vector<std::string> c = row.values;
    if (row.ok) {
      c.push_back(withThousands(row.totals.params));
      c.push_back(withThousands(row.totals.macs));
      c.push_back(siBytes(static_cast<double>(row.totals.memoryBytes)));
      c.push_back(siBytes(static_cast<double>(row.totals.peakActivationBytes)));
      c.push_back(humanTime(row.totals.latency));
      if (s.pareto)
        c.push_back(row.pareto ? "*" : "");
    } else {
      c.push_back("error: " + row.error);
    }
    cells.push_back(std::move(c));
  }
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i)
    width[i] = header[i].size();
  for (const auto &c : cells)
    if (c.size() == header.size())
      for (size_t i = 0; i < c.size(); ++i)
        width[i] = std::max(width[i], c[i].size());
    else
      for (size_t i = 0; i < nv; ++i)
        width[i] = std::max(width[i], c[i].size());
  // Swept values align left (they may be words), numbers right.
  auto line = [&](const std::vector<std::string> &c) {
    std::string l;
    for (size_t i = 0; i < c.size(); ++i) {
      if (i)
        l += "  ";
      if (c.size() != header.size() && i == nv)
        l += c[i]; // an error message runs to the end of the line
      else if (i < nv)
        l += fmt::format("{:<{}}", c[i], width[i]);
      else
        l += fmt::format("{:>{}}", c[i], width[i]);
    }
    while (!l.empty() && l.back() == ' ')
      l.pop_back();
    os << l << '\n';
  };
  line(header);
  size_t total = 0;
  for (size_t w : width)
    total += w;
  os << std::string(total + 2 * (width.size() - 1), '-') << '\n';
  for (const auto &c : cells)
    line(c);
}

void writeJson(llvm::raw_ostream &os, const SweepResult &s) {
  cost::Report r = headerReport(s);
  const target::HardwareProfile &hw = s.hardware;
  const double peak = hw.peakFor(s.options.dtype);
  auto known = [](double v) { return v > 0 ? jsonNumber(v) : std::string("null"); };
  os << "{\n  \"netc_sweep\": 1,\n  \"network\": " << jsonString(s.network) << ",\n";
  os << "  \"overrides\": {";
  for (size_t i = 0; i < s.overrides.size(); ++i)
    os << (i ? ", " : "") << jsonString(s.overrides[i].first) << ": "
       << jsonString(s.overrides[i].second);
  os << "},\n  \"sweep\": [";
  for (size_t i = 0; i < s.names.size(); ++i)
    os << (i ? ", " : "") << "{\"name\": " << jsonString(s.names[i])
       << ", \"spec\": " << jsonString(s.specs[i]) << "}";
  os << "],\n";
  os << "  \"hardware\": {\"name\": " << jsonString(hw.name)
     << ", \"description\": " << jsonString(hw.description)
     << ", \"peak_flops\": " << known(peak) << ", \"bandwidth\": " << known(hw.bandwidth)
     << ", \"memory\": " << known(hw.memory) << ", \"ridge\": "
     << (peak > 0 && hw.bandwidth > 0 ? jsonNumber(hw.ridge(s.options.dtype)) : "null")
     << "},\n";
  os << "  \"conventions\": {\"flops\": " << jsonString(cost::flopConventionName(s.options.flops))
     << ", \"memory\": " << jsonString(cost::memoryModelName(s.options.memory))
     << ", \"dtype\": " << jsonString(ir::dtypeName(s.options.dtype))
     << ", \"batch\": " << s.options.batch << ", \"latency\": " << jsonString(kLatencyNote)
     << ", \"optimized\": " << (s.optimized ? "true" : "false") << "},\n";
  os << "  \"variants\": [";
  for (size_t k = 0; k < s.rows.size(); ++k) {
    const SweepRow &row = s.rows[k];
    os << (k ? ",\n    " : "\n    ") << "{\"values\": {";
    for (size_t i = 0; i < s.names.size(); ++i)
      os << (i ? ", " : "") << jsonString(s.names[i]) << ": " << jsonValue(row.values[i]);
    os << "}, ";
    if (row.ok)
      os << "\"params\": " << row.totals.params << ", \"macs\": " << row.totals.macs
         << ", \"memory_bytes\": " << row.totals.memoryBytes
         << ", \"peak_activation_bytes\": " << row.totals.peakActivationBytes
         << ", \"latency_s\": " << jsonNumber(row.totals.latency);
    else
      os << "\"params\": null, \"macs\": null, \"memory_bytes\": null, "
            "\"peak_activation_bytes\": null, \"latency_s\": null";
    if (s.pareto)
      os << ", \"pareto\": " << (row.pareto ? "true" : "false");
    os << ", \"error\": " << (row.ok ? "null" : jsonString(row.error)) << "}";
  }
  os << (s.rows.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

void writeCsvRow(llvm::raw_ostream &os, const std::vector<std::string> &fields) {
  for (size_t i = 0; i < fields.size(); ++i)
    os << (i ? "," : "") << csvField(fields[i]);
  os << '\n';
}

void writeCsv(llvm::raw_ostream &os, const SweepResult &s) {
  // "variant" first: a fixed first column (the swept names vary) tells a
  // sweep CSV apart from files netc did not write (-o without --force).
  std::vector<std::string> header = {"variant"};
  header.insert(header.end(), s.names.begin(), s.names.end());
  for (const char *h : {"params", "macs", "memory_bytes", "peak_activation_bytes", "latency_s"})
    header.push_back(h);
  if (s.pareto)
    header.push_back("pareto");
  for (const char *h : {"error", "hardware", "flops_convention", "memory_model", "dtype", "batch",
                        "latency_model"})
    header.push_back(h);
  writeCsvRow(os, header);
  const std::vector<std::string> conv = {
      s.hardware.name, cost::flopConventionName(s.options.flops).str(),
      cost::memoryModelName(s.options.memory).str(), ir::dtypeName(s.options.dtype).str(),
      integer(s.options.batch), kLatencyNote};
  int64_t index = 0;
  for (const SweepRow &row : s.rows) {
    std::vector<std::string> f = {integer(++index)};
    f.insert(f.end(), row.values.begin(), row.values.end());
    if (row.ok) {
      f.push_back(integer(row.totals.params));
      f.push_back(integer(row.totals.macs));
      f.push_back(integer(row.totals.memoryBytes));
      f.push_back(integer(row.totals.peakActivationBytes));
      std::string lat = jsonNumber(row.totals.latency);
      f.push_back(lat == "null" ? "" : lat);
    } else {
      f.insert(f.end(), 5, "");
    }
    if (s.pareto)
      f.push_back(row.pareto ? "true" : "false");
    f.push_back(row.ok ? "" : row.error);
    f.insert(f.end(), conv.begin(), conv.end());
    writeCsvRow(os, f);
  }
}

void writeMarkdown(llvm::raw_ostream &os, const SweepResult &s) {
  cost::Report r = headerReport(s);
  os << "# " << markers::kSweep << markdownEscape(s.network) << "\n\n";
  os << "- **network:** " << markdownEscape(s.network) << '\n';
  if (!s.overrides.empty())
    os << "- **overrides:** " << markdownEscape(overridesText(s)) << '\n';
  os << "- **sweep:** " << markdownEscape(sweepText(s)) << '\n';
  os << "- **hardware:** " << markdownEscape(s.hardware.name);
  if (!s.hardware.description.empty())
    os << " (" << markdownEscape(s.hardware.description) << ")";
  os << ": " << markdownEscape(join(hardwareFacts(r), ", ")) << '\n';
  os << "- **conventions:** " << markdownEscape(conventionsText(s)) << "\n\n";
  std::vector<std::string> header;
  for (const std::string &n : s.names)
    header.push_back(markdownEscape(n));
  for (const char *h : {"params", "MACs", "bytes moved", "peak activations", "latency"})
    header.push_back(h);
  if (s.pareto)
    header.push_back("pareto");
  header.push_back("error");
  os << '|';
  for (const std::string &h : header)
    os << ' ' << h << " |";
  os << "\n|";
  for (size_t i = 0; i < header.size(); ++i)
    os << (i < s.names.size() || i + 1 == header.size() ? " :--- |" : " ---: |");
  os << '\n';
  for (const SweepRow &row : s.rows) {
    std::vector<std::string> c;
    for (const std::string &v : row.values)
      c.push_back(markdownEscape(v));
    if (row.ok) {
      c.push_back(withThousands(row.totals.params));
      c.push_back(withThousands(row.totals.macs));
      c.push_back(siBytes(static_cast<double>(row.totals.memoryBytes)));
      c.push_back(siBytes(static_cast<double>(row.totals.peakActivationBytes)));
      c.push_back(humanTime(row.totals.latency));
    } else {
      c.insert(c.end(), 5, "-");
    }
    if (s.pareto)
      c.push_back(row.pareto ? "*" : "");
    c.push_back(row.ok ? "" : markdownEscape(row.error));
    os << '|';
    for (const std::string &x : c)
      os << ' ' << x << " |";
    os << '\n';
  }
}

} // namespace

void writeSweep(llvm::raw_ostream &os, const SweepResult &s, ReportFormat f) {
  switch (f) {
  case ReportFormat::Table: return writeTable(os, s);
  case ReportFormat::Json: return writeJson(os, s);
  case ReportFormat::Csv: return writeCsv(os, s);
  case ReportFormat::Markdown: return writeMarkdown(os, s);
  case ReportFormat::Html: return detail::writeSweepHtml(os, s);
  }
}

} // namespace netc::report
