#include "ir/GraphPrinter.h"

namespace netc::ir {

void printGraph(llvm::raw_ostream &os, const Graph &g, const llvm::SourceMgr *sm) {
  os << "network " << g.name << '(';
  for (size_t i = 0; i < g.params.size(); ++i)
    os << (i ? ", " : "") << g.params[i].first << '=' << g.params[i].second;
  os << ")\n";
  std::string line;
  for (const Node &n : g.nodes) {
    line.clear();
    line += "  ";
    for (size_t i = 0; i < n.outputs.size(); ++i)
      line += (i ? ", " : "") + g.valueName(n.outputs[i]);
    line += " = " + n.op->name + "(";
    for (size_t i = 0; i < n.primaryInputs(); ++i)
      line += (i ? ", " : "") + g.valueName(n.inputs[i]);
    line += ")";
    if (!n.attrs.all().empty()) {
      line += " {";
      bool first = true;
      for (const Attr &a : n.attrs.all()) {
        line += (first ? "" : ", ") + a.name + "=" + formatAttrValue(a.value);
        first = false;
      }
      line += "}";
    }
    // Fused ops, in the order they apply: " + relu6", " + add(%x)".
    for (const Epilogue &e : n.epilogue) {
      line += " + " + e.op->name;
      if (e.extraInput >= 0)
        line += "(" + g.valueName(n.inputs[e.extraInput]) + ")";
    }
    line += " : ";
    for (size_t i = 0; i < n.outputs.size(); ++i)
      line += (i ? ", " : "") + formatType(g.type(n.outputs[i]));
    if (sm && n.loc.valid())
      line += "  # " + sm->getMemoryBuffer(n.loc.file)->getBufferIdentifier().str() + ":" +
              std::to_string(n.loc.line) + ":" + std::to_string(n.loc.col);
    os << line << '\n';
  }
  os << "  return ";
  for (size_t i = 0; i < g.outputs.size(); ++i)
    os << (i ? ", " : "") << g.valueName(g.outputs[i]);
  os << '\n';
}

} // namespace netc::ir
