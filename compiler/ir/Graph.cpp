#include "ir/Graph.h"

namespace netc::ir {

NodeId Graph::addNode(const OpDef *op, Attrs attrs, llvm::ArrayRef<ValueId> inputs,
                      llvm::ArrayRef<TensorType> outputTypes, std::string nodeName,
                      SourceLoc loc) {
  NodeId id = static_cast<NodeId>(nodes.size());
  Node n;
  n.op = op;
  n.attrs = std::move(attrs);
  n.inputs.assign(inputs.begin(), inputs.end());
  n.name = std::move(nodeName);
  n.loc = loc;
  for (size_t i = 0; i < outputTypes.size(); ++i) {
    n.outputs.push_back(static_cast<ValueId>(values.size()));
    values.push_back({outputTypes[i], id, static_cast<uint32_t>(i)});
  }
  nodes.push_back(std::move(n));
  return id;
}

std::vector<TensorType> Graph::inputTypes(const Node &n) const {
  std::vector<TensorType> out;
  size_t count = n.primaryInputs();
  out.reserve(count);
  for (size_t i = 0; i < count; ++i)
    out.push_back(values[n.inputs[i]].type);
  return out;
}

std::vector<WeightSpec> Graph::weights(const Node &n) const {
  std::vector<WeightSpec> ws;
  if (!n.op->weights)
    return ws;
  std::vector<TensorType> ins = inputTypes(n);
  Attrs attrs = n.attrs;
  OpCall call{*n.op, ins, attrs};
  n.op->weights(call, ws);
  return ws;
}

std::vector<ValueId> Graph::inputs() const {
  std::vector<ValueId> out;
  for (const Node &n : nodes)
    if (n.op->isInput)
      out.push_back(n.outputs[0]);
  return out;
}

std::string Graph::valueName(ValueId v) const {
  const TensorValue &tv = values[v];
  const Node &n = nodes[tv.producer];
  if (n.outputs.size() == 1)
    return "%" + n.name;
  return "%" + n.name + "#" + std::to_string(tv.index);
}

} // namespace netc::ir
