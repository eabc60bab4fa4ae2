//===- FuseActivation.cpp - activations into the op that produces them ------===//
//
// relu(conv(x)): the conv applies the relu to each output element before it
// writes it, so the unactivated tensor never reaches memory (seed 000's
// "fusion"). Legality comes from the op table's pattern kinds: an
// elementwise op (not a view) joins its producer when the producer is of
// kind <= out-elementwise-fusable (conv, linear, add, ...), computes
// something (not a view or an input), and has no other reader.
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

#include <fmt/format.h>

namespace netc::passes {

void fuseActivation(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    const ir::Node &act = g.nodes[n];
    if (act.op->pattern != ir::PatternKind::Elementwise || act.op->view || act.op->weights ||
        act.inputs.size() != 1 || !act.epilogue.empty())
      continue;
    ir::NodeId p = g.values[act.inputs[0]].producer;
    ir::Node &producer = g.nodes[p];
    if (producer.op->view || producer.outputs.size() != 1 ||
        producer.op->pattern > ir::PatternKind::OutElementwiseFusable ||
        producer.op->pattern == ir::PatternKind::Injective ||
        producer.op->pattern == ir::PatternKind::Reduce) {
      ctx.left(act.name, fmt::format("left: {} '{}' cannot take an epilogue", producer.op->name,
                                     producer.name));
      continue;
    }
    if (!ed.hasSingleUse(act.inputs[0])) {
      ctx.left(act.name, fmt::format("left: the output of '{}' has other readers", producer.name));
      continue;
    }
    if (!ctx.mayRewrite())
      break;
    producer.epilogue.push_back({act.op, act.attrs, -1, false, act.name, act.loc});
    ed.replaceUses(act.outputs[0], act.inputs[0]);
    ed.erase(n);
    ctx.applied(act.name, fmt::format("fused into '{}'", producer.name));
  }
  ed.commit();
}

} // namespace netc::passes
