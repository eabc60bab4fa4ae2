#include "eval/Evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netc::eval {

using namespace ir;

namespace {

uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// FNV-1a, 64 bits.
uint64_t hashName(const std::string &s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// One tensor's stream of numbers: its state depends on the seed and the
/// names only, so it is the same on every platform and for every graph
/// holding the tensor.
struct Stream {
  uint64_t state;

  Stream(uint64_t seed, const std::string &node, const std::string &tensor)
      : state(streamState(seed, node, tensor)) {}
  /// Uniform in [lo, hi): 53 random bits, exact in a double.
  double uniform(double lo, double hi) {
    const double u = static_cast<double>(splitmix64(state) >> 11) * 0x1p-53;
    return lo + (hi - lo) * u;
  }
};

Buffer randomBuffer(const Shape &shape, Stream stream, double lo, double hi, double scale = 1.0) {
  Buffer b(shape);
  for (double &v : b.data)
    v = stream.uniform(lo, hi) * scale;
  return b;
}

/// Runs `op`'s shape rule on `types` (so attributes are normalized as the
/// eval rule expects, and the outputs are shaped), then its eval rule.
std::string runOp(const OpDef &op, const Attrs &attrs, llvm::ArrayRef<TensorType> types,
                  llvm::ArrayRef<const Buffer *> args, llvm::ArrayRef<const Buffer *> weights,
                  std::vector<TensorType> &outTypes, std::vector<Buffer> &out) {
  if (!op.eval)
    return fmt::format("op '{}' has no eval rule", op.name);
  Attrs a = attrs;
  OpCall call{op, types, a};
  outTypes.clear();
  if (std::string e = op.shape(call, outTypes); !e.empty())
    return fmt::format("{}: {}", op.name, e);
  out.clear();
  for (const TensorType &t : outTypes)
    out.emplace_back(t.shape);
  op.eval(call, args, weights, out);
  return "";
}

/// Looks up the weights `specs` of `owner` in `w`, checking their shapes.
std::string findWeights(const WeightStore &w, const std::string &owner,
                        const std::vector<WeightSpec> &specs, std::vector<const Buffer *> &out) {
  for (const WeightSpec &spec : specs) {
    // A tied weight is its owner's (WeightSpec::tiedTo): the same values.
    auto it = w.find({spec.tiedTo.empty() ? owner : spec.tiedTo, spec.name});
    if (it == w.end())
      return fmt::format("missing weight '{}' of node '{}'", spec.name, owner);
    const Buffer &b = it->second;
    if (b.shape != spec.shape || b.data.size() != Buffer::count(spec.shape))
      return fmt::format("weight '{}' of node '{}' has shape {} ({} values), expected {}",
                         spec.name, owner, formatShape(b.shape), b.data.size(),
                         formatShape(spec.shape));
    out.push_back(&b);
  }
  return "";
}

} // namespace

uint64_t streamState(uint64_t seed, const std::string &node, const std::string &tensor) {
  uint64_t s = seed;
  return splitmix64(s) ^ hashName(node + '\0' + tensor);
}

WeightDistribution weightDistribution(const Graph &g, const Node &node, const WeightSpec &spec) {
  if (spec.positive)
    return {0.5, 1.5, 1.0};
  if (node.op->weightLayout != WeightLayout::None) {
    // PyTorch's fan-in: the weight's dims after the first (conv and linear
    // biases use the weight's).
    const WeightSpec weight = g.weights(node).front();
    const size_t fanIn = Buffer::count(weight.shape) / static_cast<size_t>(weight.shape[0]);
    return {-1.0, 1.0, 1.0 / std::sqrt(static_cast<double>(fanIn))};
  }
  return {-1.0, 1.0, 1.0};
}

WeightStore randomWeights(const Graph &g, uint64_t seed) {
  WeightStore store;
  for (const Node &node : g.nodes)
    for (const WeightSpec &spec : g.weights(node)) {
      if (!spec.tiedTo.empty())
        continue; // its owner's values
      const WeightDistribution d = weightDistribution(g, node, spec);
      store[{node.name, spec.name}] =
          randomBuffer(spec.shape, Stream(seed, node.name, spec.name), d.lo, d.hi, d.scale);
    }
  return store;
}

void roundToFloat(ir::WeightStore &weights, std::vector<Buffer> &inputs) {
  for (auto &[key, b] : weights)
    for (double &v : b.data)
      v = static_cast<float>(v);
  for (Buffer &b : inputs)
    for (double &v : b.data)
      v = static_cast<float>(v);
}

std::vector<Buffer> randomInputs(const Graph &g, uint64_t seed) {
  std::vector<Buffer> out;
  for (const Node &node : g.nodes)
    if (node.op->isInput) {
      const TensorType &t = g.type(node.outputs[0]);
      out.push_back(randomBuffer(t.shape, Stream(seed, node.name, "<input>"), -1, 1));
      if (isIndexDType(t.dtype)) // token ids: integers in [0, 1000)
        for (double &v : out.back().data)
          v = std::floor((v + 1) * 500);
    }
  return out;
}

std::string evaluate(const Graph &g, const WeightStore &w, const std::vector<Buffer> &inputs,
                     std::vector<Buffer> &outputs) {
  outputs.clear();
  const size_t inputNodes = g.inputs().size();
  if (inputs.size() != inputNodes)
    return fmt::format("the graph has {} inputs, got {} buffers", inputNodes, inputs.size());
  std::vector<Buffer> values(g.values.size());
  std::vector<bool> ready(g.values.size(), false);
  auto read = [&](const Node &node, ValueId v, std::string &e) -> const Buffer * {
    if (v >= values.size() || !ready[v]) {
      e = fmt::format("node '{}' reads a value not computed before it", node.name);
      return nullptr;
    }
    return &values[v];
  };
  size_t nextInput = 0;
  for (const Node &node : g.nodes) {
    std::string e;
    if (node.op->isInput) {
      const Buffer &b = inputs[nextInput++];
      const Shape &shape = g.type(node.outputs[0]).shape;
      if (b.shape != shape || b.data.size() != Buffer::count(shape))
        return fmt::format("input '{}' has shape {} ({} values), expected {}", node.name,
                           formatShape(b.shape), b.data.size(), formatShape(shape));
      values[node.outputs[0]] = b;
      ready[node.outputs[0]] = true;
      continue;
    }
    std::vector<const Buffer *> weights;
    if (e = findWeights(w, node.name, g.weights(node), weights); !e.empty())
      return e;
    // The op on its own inputs.
    const size_t primary = node.primaryInputs();
    std::vector<TensorType> types;
    std::vector<const Buffer *> args;
    for (size_t i = 0; i < primary; ++i) {
      args.push_back(read(node, node.inputs[i], e));
      if (!args.back())
        return e;
      types.push_back(g.type(node.inputs[i]));
    }
    std::vector<TensorType> resultTypes;
    std::vector<Buffer> result;
    if (e = runOp(*node.op, node.attrs, types, args, weights, resultTypes, result); !e.empty())
      return fmt::format("node '{}': {}", node.name, e);
    // Then each epilogue op on the result (and its other operand).
    for (const Epilogue &ep : node.epilogue) {
      if (result.size() != 1)
        return fmt::format("node '{}' has an epilogue but {} outputs", node.name, result.size());
      types = {resultTypes[0]};
      args = {&result[0]};
      if (ep.extraInput >= 0) {
        if (static_cast<size_t>(ep.extraInput) >= node.inputs.size())
          return fmt::format("epilogue '{}' of node '{}' reads input {} of {}", ep.name, node.name,
                             ep.extraInput, node.inputs.size());
        const ValueId v = node.inputs[static_cast<size_t>(ep.extraInput)];
        const Buffer *other = read(node, v, e);
        if (!other)
          return e;
        types.insert(ep.extraFirst ? types.begin() : types.end(), g.type(v));
        args.insert(ep.extraFirst ? args.begin() : args.end(), other);
      }
      std::vector<const Buffer *> epWeights;
      if (ep.op->weights) {
        std::vector<WeightSpec> specs;
        Attrs a = ep.attrs;
        OpCall call{*ep.op, types, a};
        ep.op->weights(call, specs);
        if (e = findWeights(w, ep.name, specs, epWeights); !e.empty())
          return e;
      }
      std::vector<TensorType> nextTypes;
      std::vector<Buffer> next;
      if (e = runOp(*ep.op, ep.attrs, types, args, epWeights, nextTypes, next); !e.empty())
        return fmt::format("epilogue '{}' of node '{}': {}", ep.name, node.name, e);
      resultTypes = std::move(nextTypes);
      result = std::move(next);
    }
    if (result.size() != node.outputs.size())
      return fmt::format("node '{}' computed {} outputs, the graph has {}", node.name,
                         result.size(), node.outputs.size());
    for (size_t i = 0; i < result.size(); ++i) {
      const ValueId v = node.outputs[i];
      if (result[i].shape != g.type(v).shape)
        return fmt::format("node '{}' computed {} for {}, the graph says {}", node.name,
                           formatShape(result[i].shape), g.valueName(v),
                           formatShape(g.type(v).shape));
      values[v] = std::move(result[i]);
      ready[v] = true;
    }
  }
  for (ValueId v : g.outputs) {
    if (v >= values.size() || !ready[v]) {
      outputs.clear();
      return fmt::format("graph output {} is not computed", v);
    }
    outputs.push_back(values[v]);
  }
  return "";
}

double maxRelativeError(const std::vector<Buffer> &a, const std::vector<Buffer> &b) {
  const double inf = std::numeric_limits<double>::infinity();
  if (a.size() != b.size())
    return inf;
  double worst = 0;
  for (size_t t = 0; t < a.size(); ++t) {
    if (a[t].shape != b[t].shape || a[t].data.size() != b[t].data.size())
      return inf;
    for (size_t i = 0; i < a[t].data.size(); ++i) {
      const double x = a[t].data[i], y = b[t].data[i];
      if (x == y || (std::isnan(x) && std::isnan(y)))
        continue;
      if (std::isnan(x) || std::isnan(y) || std::isinf(x) || std::isinf(y))
        return inf;
      worst = std::max(worst, std::fabs(x - y) / std::max({std::fabs(x), std::fabs(y), 1e-3}));
    }
  }
  return worst;
}

} // namespace netc::eval
