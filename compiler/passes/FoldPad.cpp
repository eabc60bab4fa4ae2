//===- FoldPad.cpp - an explicit zero pad becomes the conv's own padding ----===//
//
// conv2d(pad(x, [l, r, t, b])) with a constant 0 pad reads the same zeros as
// conv2d(x) with its padding [top, bottom, left, right] grown by [t, b, l, r].
// avg_pool2d counting padded zeros (count_include_pad) takes a symmetric one.
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
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    const ir::Node &pad = g.nodes[n];
    if (pad.op->name != "pad" || !pad.epilogue.empty())
      continue;
    const ir::Ints &pads = pad.attrs.getInts("pads");
    if (pad.attrs.getStr("mode") != "constant" || pad.attrs.getFloat("value") != 0.0 ||
        (pads.size() != 2 && pads.size() != 4) || g.type(pad.inputs[0]).rank() != 4) {
      ctx.left(pad.name, "left: only a zero pad of the last two dims folds");
      continue;
    }
    if (std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p < 0; })) {
      ctx.left(pad.name, "left: a negative pad crops");
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
      int64_t l = pads[0], r = pads[1], t = pads.size() == 4 ? pads[2] : 0,
              b = pads.size() == 4 ? pads[3] : 0;
      if (user.op->name == "conv2d") {
        ir::Ints p = user.attrs.getInts("padding");
        user.attrs.set("padding", ir::Ints{p[0] + t, p[1] + b, p[2] + l, p[3] + r});
      } else if (user.op->name == "avg_pool2d" && user.attrs.getBool("count_include_pad") &&
                 t == b && l == r) {
        ir::Ints p = user.attrs.getInts("padding");
        const ir::Ints &k = user.attrs.getInts("k");
        if (2 * (p[0] + t) > k[0] || 2 * (p[1] + l) > k[1]) {
          ctx.left(pad.name, "left: the pool's padding would exceed half its kernel");
          continue;
        }
        user.attrs.set("padding", ir::Ints{p[0] + t, p[1] + l});
      } else {
        ctx.left(pad.name, fmt::format("left: '{}' cannot take the padding", user.name));
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
