//===- FuseResidual.cpp - conv (+ folded BN) + add as one group -------------===//
//
// add(conv(x), r) where r is ready before the conv runs: the conv adds r to
// each output element as it writes it, so the conv's output never makes a
// round trip through memory. Legality comes from the op table's pattern
// kinds: a producer of kind out-elementwise-fusable (conv, linear, matmul)
// absorbs a binary op of kind <= broadcast that keeps its output's shape.
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

#include <fmt/format.h>

namespace netc::passes {

void fuseResidual(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    const ir::Node &op = g.nodes[n];
    if (op.op->pattern > ir::PatternKind::Broadcast || op.inputs.size() != 2 ||
        op.outputs.size() != 1 || !op.epilogue.empty() || op.op->weights)
      continue;
    bool fused = false;
    for (int side = 0; side < 2 && !fused; ++side) {
      ir::ValueId mine = op.inputs[static_cast<size_t>(side)];
      ir::ValueId other = op.inputs[static_cast<size_t>(1 - side)];
      ir::NodeId p = g.values[mine].producer;
      ir::Node &layer = g.nodes[p];
      if (layer.op->pattern != ir::PatternKind::OutElementwiseFusable || layer.outputs.size() != 1 ||
          !ed.hasSingleUse(mine) || g.type(op.outputs[0]) != g.type(mine))
        continue;
      if (g.values[other].producer >= p) // the other operand must be ready before the layer
        continue;
      if (!ctx.mayRewrite())
        break;
      int32_t idx = ed.addInput(p, other);
      layer.epilogue.push_back({op.op, op.attrs, idx, side == 1, op.name, op.loc});
      ed.replaceUses(op.outputs[0], mine);
      ed.erase(n);
      ctx.applied(op.name, fmt::format("fused into '{}'", layer.name));
      fused = true;
    }
  }
  ed.commit();
}

} // namespace netc::passes
