//===- FoldBatchNorm.cpp - batchnorm into the conv or linear before it ------===//
//
// At inference batchnorm is a per-channel affine map, and so is the bias of
// the conv or linear producing its input; their composition is one layer:
//
//   s   = gamma / sqrt(var + eps)              (gamma = 1, beta = 0 without affine)
//   W'  = W * s        (each output channel's weights scaled by its s)
//   b'  = (b - mean) * s + beta                (b = 0 if the layer had no bias)
//
// The layer gains a bias if it had none. It folds only when the batchnorm is
// the layer's only reader; otherwise it is left, and the opt report says why.
// The traits say which ops take part: a norm with OpDef::foldsIntoLayer folds
// into a layer with an OpDef::weightLayout (where its output channels lie).
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

#include <fmt/format.h>
#include <llvm/ADT/StringMap.h>

#include <cmath>

namespace netc::passes {

namespace {

bool foldsInto(const ir::Node &n) { return n.op->weightLayout != ir::WeightLayout::None; }

/// Output channel of flat weight index `i` of layer `n` with weight shape `w`.
int64_t outChannel(const ir::Node &n, const ir::Shape &w, size_t i) {
  if (n.op->weightLayout == ir::WeightLayout::Transposed) {
    // [Cin, out/groups, kh, kw]: group = ci / (Cin/groups)
    int64_t per = w[2] * w[3];
    int64_t j = (static_cast<int64_t>(i) / per) % w[1];
    int64_t ci = static_cast<int64_t>(i) / (per * w[1]);
    int64_t groups = n.attrs.getInt("groups");
    return (ci / (w[0] / groups)) * w[1] + j;
  }
  // OutFirst: conv2d [out, C/groups, kh, kw] and linear [out, in]: the leading dim
  size_t per = 1;
  for (size_t d = 1; d < w.size(); ++d)
    per *= static_cast<size_t>(w[d]);
  return static_cast<int64_t>(i / per);
}

/// W' = W * s and b' = (b - mean) * s + beta, in the weight store.
void foldWeights(ir::WeightStore &ws, const ir::Node &layer, const ir::Node &bn, bool hadBias) {
  const ir::Buffer &mean = ws.at({bn.name, "running_mean"});
  const ir::Buffer &var = ws.at({bn.name, "running_var"});
  const bool affine = bn.attrs.getBool("affine");
  const double eps = bn.attrs.getFloat("eps");
  const size_t channels = mean.size();
  std::vector<double> s(channels), shift(channels);
  for (size_t c = 0; c < channels; ++c) {
    double gamma = affine ? ws.at({bn.name, "weight"}).data[c] : 1.0;
    double beta = affine ? ws.at({bn.name, "bias"}).data[c] : 0.0;
    s[c] = gamma / std::sqrt(var.data[c] + eps);
    shift[c] = beta - mean.data[c] * s[c];
  }
  ir::Buffer &w = ws.at({layer.name, "weight"});
  for (size_t i = 0; i < w.size(); ++i)
    w.data[i] *= s[static_cast<size_t>(outChannel(layer, w.shape, i))];
  ir::Buffer bias(ir::Shape{static_cast<int64_t>(channels)});
  if (hadBias)
    bias = ws.at({layer.name, "bias"});
  for (size_t c = 0; c < channels; ++c)
    bias.data[c] = bias.data[c] * s[c] + shift[c];
  ws[{layer.name, "bias"}] = bias;
  for (const char *name : {"weight", "bias", "running_mean", "running_var"})
    ws.erase({bn.name, name});
}

/// For each layer whose weight another layer shares (tied to it,
/// WeightSpec::tiedTo), the first such layer: computed once per run, so that
/// asking about every batchnorm stays linear in the graph.
llvm::StringMap<std::string> tiedUsers(const ir::Graph &g) {
  llvm::StringMap<std::string> users;
  for (const ir::Node &n : g.nodes)
    if (n.op->weights)
      for (const ir::WeightSpec &w : g.weights(n))
        if (!w.tiedTo.empty())
          users.try_emplace(w.tiedTo, n.name);
  return users;
}

/// The other node of a weight `layer` shares (tied to it, or its owner),
/// or "".
std::string sharedWeightUser(const ir::Graph &g, const ir::Node &layer,
                             const llvm::StringMap<std::string> &users) {
  for (const ir::WeightSpec &w : g.weights(layer))
    if (!w.tiedTo.empty())
      return w.tiedTo;
  auto it = users.find(layer.name);
  return it == users.end() ? "" : it->second;
}

} // namespace

void foldBatchNorm(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  const llvm::StringMap<std::string> users = tiedUsers(g);
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    const ir::Node &bn = g.nodes[n];
    if (!bn.op->foldsIntoLayer || !bn.epilogue.empty())
      continue;
    ir::NodeId p = g.values[bn.inputs[0]].producer;
    ir::Node &layer = g.nodes[p];
    if (!foldsInto(layer) || !layer.epilogue.empty()) {
      ctx.left(bn.name, fmt::format("left: its input comes from {} '{}', not a conv or linear",
                                    layer.op->name, layer.name));
      continue;
    }
    // A shared weight (tied, WeightSpec::tiedTo) must stay what its other
    // user reads: neither a tied layer nor the owner of one folds.
    if (std::string other = sharedWeightUser(g, layer, users); !other.empty()) {
      ctx.left(bn.name, fmt::format("left: the weight of '{}' is shared with '{}'", layer.name,
                                    other));
      continue;
    }
    if (!ed.hasSingleUse(layer.outputs[0])) {
      ctx.left(bn.name, fmt::format("left: the output of '{}' has other readers", layer.name));
      continue;
    }
    // The batchnorm scales dim 1; the layer's output channels must be there
    // (a linear's features are its last dim: only [N, C] folds).
    const int64_t rank = static_cast<int64_t>(g.type(layer.outputs[0]).rank());
    const int64_t channelDim = layer.op->outputChannelDim;
    if ((channelDim < 0 ? channelDim + rank : channelDim) != 1) {
      ctx.left(bn.name, fmt::format("left: a {} folds only with a batchnorm over its features "
                                    "[N, C]",
                                    layer.op->name));
      continue;
    }
    if (!ctx.mayRewrite())
      break;
    bool hadBias = layer.attrs.getBool("bias");
    if (ctx.weights)
      foldWeights(*ctx.weights, layer, bn, hadBias);
    layer.attrs.set("bias", true);
    layer.folds.push_back({bn.name, bn.attrs.getFloat("eps"), bn.attrs.getBool("affine"), hadBias});
    ed.replaceUses(bn.outputs[0], layer.outputs[0]);
    ed.erase(n);
    ctx.applied(bn.name, fmt::format("folded into '{}'{}", layer.name,
                                     hadBias ? "" : ", which gains a bias"));
  }
  ed.commit();
}

} // namespace netc::passes
