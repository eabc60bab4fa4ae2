//===- FoldPad.cpp - an explicit zero pad becomes the conv's own padding ----===//
//
// conv2d(pad(x, [l, r, t, b])) with a constant 0 pad reads the same zeros as
// conv2d(x) with its padding [top, bottom, left, right] grown by [t, b, l, r].
// Which readers take a pad, and how, is the reader's OpDef::absorbPad rule
// (conv2d always; avg_pool2d counting padded zeros takes a symmetric one).
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::passes {

void foldPad(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  // Padding ops (OpDef::zeroPad) and their readers (OpDef::absorbPad) are
  // asked through their traits.
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    const ir::Node &pad = g.nodes[n];
    if (!pad.op->zeroPad || !pad.epilogue.empty())
      continue;
    ir::Ints tblr;
    std::string notZero;
    if (!pad.op->zeroPad(pad.attrs, g.type(pad.inputs[0]), tblr, notZero)) {
      ctx.left(pad.name, "left: " + notZero);
      continue;
    }
    {
      if (!ed.hasSingleUse(pad.outputs[0])) {
        ctx.left(pad.name, "left: its output has other users");
        continue;
      }
      if (!ctx.mayRewrite())
        break;
      ir::Node &user = g.nodes[ed.users(pad.outputs[0])[0]];
      std::string why;
      if (!user.op->absorbPad || !user.op->absorbPad(user.attrs, tblr, why)) {
        ctx.left(pad.name, why.empty()
                               ? fmt::format("left: '{}' cannot take the padding", user.name)
                               : "left: " + why);
        continue;
      }
      ed.replaceUses(pad.outputs[0], pad.inputs[0]);
      ed.erase(n);
      ctx.applied(pad.name, fmt::format("folded into '{}'", user.name));
    }
  }
  ed.commit();
}

} // namespace netc::passes
