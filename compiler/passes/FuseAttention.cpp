//===- FuseAttention.cpp - attention without its score matrix in memory -----===//
//
// attention(q, k, v) as written computes S = scale * Q K^T, P = softmax(S)
// and O = P V as three kernels: S ([B, heads, Sq, Lk]) is written, read and
// written by the softmax, and read again, 4 passes over memory. FlashAttention
// (Dao et al., 2022) tiles the three into one kernel with an online softmax:
// the same arithmetic, with S and P never leaving the chip. The pass sets the
// op's on-chip attribute (OpDef::onChipAttr, attention's `fused`); what it
// saves is the op's extraTraffic rule with and without it (the opt report
// shows the bytes). The outputs are
// unchanged: the evaluator computes both forms alike.
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

namespace netc::passes {

void fuseAttention(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  for (ir::Node &node : g.nodes) {
    const ir::OpDef &op = *node.op;
    if (!op.onChipAttr || node.attrs.getBool(op.onChipAttr))
      continue;
    if (!ctx.mayRewrite())
      break;
    node.attrs.set(op.onChipAttr, true);
    ctx.applied(node.name, "fused: its score matrix stays on chip (FlashAttention)");
  }
}

} // namespace netc::passes
