#include "ir/DotPrinter.h"

namespace netc::ir {

namespace {

/// Fill colours of the bounds (ColorBrewer's light blue and orange: told
/// apart in grey too), and of a node without time.
const char *fillColor(DotBound b) {
  switch (b) {
  case DotBound::Memory: return "#9ecae1";
  case DotBound::Compute: return "#fdae6b";
  case DotBound::None: break;
  }
  return "white";
}

/// The op with its epilogues, as the report names it: "conv2d+add+relu".
std::string opLabel(const Node &n) {
  std::string s = n.op->name;
  for (const Epilogue &e : n.epilogue)
    s += "+" + e.op->name;
  return s;
}

/// What the passes put into the node, in the order it applies:
/// "conv2d + batchnorm (folded) + add + relu"; empty when nothing.
std::string fusedLabel(const Node &n) {
  if (n.epilogue.empty() && n.folds.empty())
    return {};
  std::string s = "fused: " + n.op->name;
  for (size_t i = 0; i < n.folds.size(); ++i)
    s += " + batchnorm (folded)";
  for (const Epilogue &e : n.epilogue)
    s += " + " + e.op->name;
  return s;
}

} // namespace

std::string escapeDot(llvm::StringRef s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void printDot(llvm::raw_ostream &os, const Graph &g, const DotStyle &style) {
  const bool colored = !style.bounds.empty() && style.bounds.size() == g.nodes.size();
  std::string title = g.name + " (" + style.stage + ")";
  std::string params;
  for (size_t i = 0; i < g.params.size(); ++i)
    params += (i ? ", " : "") + g.params[i].first + "=" + g.params[i].second;
  os << "// netc graph: " << title << "\n";
  os << "digraph \"" << escapeDot(g.name) << "\" {\n";
  // Graphviz's dot lays out long edges as chains of virtual nodes and spends
  // minutes placing them on a large graph (DenseNet-121 as written: 966
  // edges, over ten minutes); past kLargeGraphEdges edges its network
  // simplex is bounded and the edges drawn straight (about 25 s there).
  constexpr size_t kLargeGraphEdges = 500;
  size_t edges = 0;
  for (const Node &n : g.nodes)
    edges += n.inputs.size();
  os << "  graph [label=\"" << escapeDot(title + (params.empty() ? "" : "\n" + params))
     << "\", labelloc=t, fontname=\"Helvetica\", fontsize=12"
     << (edges > kLargeGraphEdges ? ", nslimit=1, nslimit1=1, splines=line" : "") << "];\n";
  os << "  node [shape=box, style=\"" << (colored ? "rounded,filled" : "rounded")
     << "\", fontname=\"Helvetica\", fontsize=10];\n";
  os << "  edge [fontname=\"Helvetica\", fontsize=8];\n";

  // Which nodes hold a network output: a double border.
  std::vector<bool> isOutput(g.nodes.size(), false);
  for (ValueId v : g.outputs)
    isOutput[g.values[v].producer] = true;

  std::string line;
  for (size_t id = 0; id < g.nodes.size(); ++id) {
    const Node &n = g.nodes[id];
    std::string label = opLabel(n) + "\n" + n.name;
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      label += "\n";
      if (n.outputs.size() > 1)
        label += "#" + std::to_string(i) + " ";
      label += formatType(g.type(n.outputs[i]));
    }
    line = "n" + std::to_string(id) + " [label=\"" + escapeDot(label) + "\"";
    if (n.op->isInput)
      line += ", shape=ellipse";
    else if (n.op->outputIsWeight)
      line += ", shape=cylinder";
    if (isOutput[id])
      line += ", peripheries=2";
    if (colored)
      line += std::string(", fillcolor=\"") + fillColor(style.bounds[id]) + "\"";
    line += "];\n";
    std::string fused = fusedLabel(n);
    if (fused.empty()) {
      os << "  " << line;
      continue;
    }
    os << "  subgraph cluster_n" << id << " {\n"
       << "    label=\"" << escapeDot(fused) << "\"; style=dashed; color=\"gray40\"; "
       << "fontsize=9;\n"
       << "    " << line << "  }\n";
  }

  // One edge per tensor use, in node order then input order.
  for (size_t id = 0; id < g.nodes.size(); ++id) {
    const Node &n = g.nodes[id];
    const size_t primary = n.primaryInputs();
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const TensorValue &v = g.values[n.inputs[i]];
      std::string label;
      if (g.nodes[v.producer].outputs.size() > 1)
        label = "#" + std::to_string(v.index) + " ";
      label += formatShape(v.type.shape);
      if (i >= primary)
        for (const Epilogue &e : n.epilogue)
          if (e.extraInput == static_cast<int32_t>(i))
            label += " (" + e.op->name + ")";
      os << "  n" << v.producer << " -> n" << id << " [label=\"" << escapeDot(label) << "\"];\n";
    }
  }

  if (colored) {
    os << "  subgraph cluster_legend {\n"
       << "    label=\"" << escapeDot(style.legend) << "\"; style=solid; color=\"gray60\"; "
       << "fontsize=9;\n"
       << "    legend_memory [label=\"memory-bound\", fillcolor=\"" << fillColor(DotBound::Memory)
       << "\"];\n"
       << "    legend_compute [label=\"compute-bound\", fillcolor=\""
       << fillColor(DotBound::Compute) << "\"];\n"
       << "    legend_none [label=\"no time (input, view)\", fillcolor=\""
       << fillColor(DotBound::None) << "\"];\n"
       << "    legend_memory -> legend_compute -> legend_none [style=invis];\n"
       << "  }\n";
  }
  os << "}\n";
}

} // namespace netc::ir
