//===- Hover.cpp - what is under the cursor ---------------------------------===//
//
// A hover on a layer call shows what the call made: its output type, and
// the params, MACs, FLOPs, bytes, bound and time of its layers in the
// optimized report (summed when the call ran several times, in a loop or a
// block called twice; an op fused into another layer says into which). A
// block call shows the subtotals of every layer under it; a name, the
// values it had; an op, block or network name elsewhere, its signature and
// documentation. Numbers are the report's: at its batch, on the profile the
// settings choose, the roofline's lower bound.
//
//===----------------------------------------------------------------------===//
#include "lsp/Features.h"

#include "ir/OpTable.h"
#include "support/Format.h"

#include <fmt/format.h>

namespace netc::lsp {

namespace {

struct Sum {
  size_t layers = 0;
  int64_t params = 0, macs = 0, flops = 0, bytes = 0;
  double latency = 0, memoryBound = 0, calibrated = 0;
  void add(const cost::LayerCost &r) {
    ++layers;
    params += r.params;
    macs += r.macs;
    flops += r.flops;
    bytes += r.memoryBytes;
    latency += r.latency;
    memoryBound += r.memoryBoundLatency;
    calibrated += r.calibratedLatency;
  }
};

/// "f32[1, 32, 112, 112]" from formatValue's "tensor f32[1, 32, 112, 112]".
std::string valueText(llvm::StringRef v) {
  v.consume_front("tensor ");
  return v.str();
}

std::string valuesLine(const Seen &s) {
  std::string out;
  for (size_t i = 0; i < s.values.size(); ++i)
    out += (i ? ", `" : "`") + valueText(s.values[i]) + "`";
  if (s.values.size() == Seen::kMaxValues)
    out += ", …";
  return out;
}

std::string timesText(size_t n, llvm::StringRef what) {
  return n == 1 ? fmt::format("1 {}", what.str()) : fmt::format("{} {}s", n, what.str());
}

std::string costTable(const Analysis &a, const Sum &s) {
  const cost::Report &r = *a.report;
  double intensity = s.bytes ? static_cast<double>(s.flops) / static_cast<double>(s.bytes) : 0;
  bool memory = s.memoryBound * 2 > s.latency;
  std::string out = "| | |\n|:--|--:|\n";
  out += fmt::format("| params | {} |\n", withThousands(s.params));
  out += fmt::format("| MACs | {} |\n", siCount(static_cast<double>(s.macs)));
  out += fmt::format("| FLOPs | {} |\n", siCount(static_cast<double>(s.flops)));
  out += fmt::format("| bytes | {} |\n", siBytes(static_cast<double>(s.bytes)));
  if (s.flops == 0 && s.bytes == 0)
    out += "| bound | no work |\n";
  else
    out += fmt::format("| bound | {} (AI {} FLOP/B) |\n", memory ? "memory" : "compute",
                       sig3(intensity));
  out += fmt::format("| time | {} |\n", humanTime(s.latency));
  if (r.hardware.hasCalibration)
    out += fmt::format("| calibrated | {} |\n", humanTime(s.calibrated));
  double share = r.totals.latency > 0 ? s.latency / r.totals.latency : 0;
  out += fmt::format("\n{}% of the network's time · on `{}`, batch {}; time is the roofline's "
                     "lower bound",
                     sig3(100 * share), r.hardware.name, r.options.batch);
  return out;
}

bool under(llvm::StringRef name, llvm::StringRef prefix) { return name.startswith(prefix); }

std::string opCallHover(const Analysis &a, const OpCall &call) {
  std::string out = fmt::format("**{}** → {}\n\n", call.op, valuesLine(call.outputs));
  if (call.nodes.size() > 1)
    out += fmt::format("{} (the call ran {} times)\n\n", timesText(call.nodes.size(), "layer"),
                       call.nodes.size());
  if (!a.report)
    return out + "_no costs: the network did not compile_";
  Sum s;
  std::vector<std::string> fused;
  for (const std::string &n : call.nodes) {
    if (auto it = a.rowByName.find(n); it != a.rowByName.end())
      s.add(a.report->layers[it->second]);
    else if (auto f = a.fusedInto.find(n); f != a.fusedInto.end())
      fused.push_back(f->second);
  }
  if (!fused.empty())
    out += fmt::format("fused into `{}`{} by the optimizer: its cost is that layer's\n\n",
                       fused[0], fused.size() > 1 ? fmt::format(" (and {} more)", fused.size() - 1)
                                                  : "");
  if (s.layers == 0)
    return fused.empty() ? out + "_removed by the optimizer_" : out;
  if (call.nodes.size() == 1)
    out += fmt::format("layer `{}`\n\n", call.nodes[0]);
  return out + costTable(a, s);
}

std::string blockCallHover(const Analysis &a, const BlockCall &call, llvm::StringRef name) {
  std::string out = fmt::format("**{}** (block) → {}\n\n", name.str(), valuesLine(call.results));
  if (!a.report)
    return out + "_no costs: the network did not compile_";
  Sum s;
  for (const cost::LayerCost &r : a.report->layers)
    for (const std::string &p : call.prefixes)
      if (under(r.name, p)) {
        s.add(r);
        break;
      }
  out += fmt::format("{} in {}", timesText(s.layers, "layer"), timesText(call.prefixes.size(), "call"));
  if (call.prefixes.size() == 1)
    out += fmt::format(" (`{}`)", llvm::StringRef(call.prefixes[0]).drop_back().str());
  return out + "\n\n" + costTable(a, s);
}

std::string signature(const DeclInfo &d) {
  std::string params;
  for (size_t i = 0; i < d.params.size(); ++i)
    params += (i ? ", " : "") + d.params[i];
  const char *kw = d.kind == DeclInfo::Block     ? "block"
                   : d.kind == DeclInfo::Network ? "network"
                                                 : "hardware";
  if (d.kind == DeclInfo::Hardware)
    return fmt::format("{} {}", kw, d.name);
  return fmt::format("{} {}({})", kw, d.name, params);
}

std::string declHover(const Analysis &a, const DeclInfo &d) {
  std::string out = "```netc\n" + signature(d) + "\n```\n";
  if (!d.doc.empty())
    out += "\n" + d.doc;
  if (!d.inDocument)
    out += fmt::format("\n_{}_\n", d.nameLoc.path);
  if (d.kind == DeclInfo::Network && d.inDocument && a.report && a.report->network == d.name) {
    Sum s;
    for (const cost::LayerCost &r : a.report->layers)
      s.add(r);
    out += fmt::format("\n{} after optimization\n\n", timesText(s.layers, "layer"));
    out += costTable(a, s);
  }
  return out;
}

} // namespace

std::string opSignature(const ir::OpDef &op) {
  std::string params;
  for (size_t i = 0; i < op.params.size(); ++i) {
    const ir::ParamSpec &p = op.params[i];
    params += i ? ", " : "";
    params += p.name;
    if (!p.required)
      params += "=" + ir::formatAttrValue(p.defaultValue);
  }
  return fmt::format("{}({})", op.name, params);
}

std::string opDoc(const ir::OpDef &op) {
  return fmt::format("```netc\n{}\n```\n\n{}\n\ncost: {}", opSignature(op), op.doc,
                     ir::costText(op));
}

llvm::json::Value hover(const Analysis &a, size_t offset) {
  auto [b, e] = wordAt(a.text, offset);
  if (b == e)
    return nullptr;
  llvm::StringRef word = llvm::StringRef(a.text).slice(b, e);
  std::string md;
  if (auto it = a.opCalls.find(b); it != a.opCalls.end())
    md = opCallHover(a, it->second);
  else if (auto bc = a.blockCalls.find(b); bc != a.blockCalls.end())
    md = blockCallHover(a, bc->second, word);
  else if (auto n = a.names.find(b); n != a.names.end())
    md = fmt::format("**{}**: {}{}", word.str(), valuesLine(n->second),
                     n->second.count > 1 ? fmt::format(" (bound {} times)", n->second.count) : "");
  else if (const DeclInfo *d = a.findDecl(word))
    md = declHover(a, *d);
  else if (const ir::OpDef *op = ir::OpTable::get().lookup(word))
    md = opDoc(*op);
  if (md.empty())
    return nullptr;
  return llvm::json::Object{
      {"contents", llvm::json::Object{{"kind", "markdown"}, {"value", md}}},
      {"range", toJSON(Range{positionAt(a.text, b), positionAt(a.text, e)})}};
}

} // namespace netc::lsp
