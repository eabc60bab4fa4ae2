//===- Graph.h - netc's graph IR --------------------------------*- C++ -*-===//
//
// A network after elaboration: nodes (op, attributes, inputs, outputs, name,
// source location) over tensor values with inferred types. Nodes are stored
// in execution order, which is a topological order: a node only reads values
// produced by nodes before it. Weights are not values: each op's weights rule
// derives them from its attributes and input types.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_GRAPH_H
#define NETC_IR_GRAPH_H

#include "ir/Attr.h"
#include "ir/OpTable.h"
#include "ir/Types.h"
#include "support/SourceLoc.h"

#include <llvm/ADT/SmallVector.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace netc::ir {

using NodeId = uint32_t;
using ValueId = uint32_t;

struct TensorValue {
  TensorType type;
  NodeId producer = 0;
  uint32_t index = 0; ///< which output of the producer

  TensorValue() = default;
  TensorValue(TensorType type, NodeId producer, uint32_t index)
      : type(std::move(type)), producer(producer), index(index) {}
  // llvm::SmallVector's move is not noexcept, so the defaulted ones would not
  // be either, and std::vector would copy on growth. It does not throw: the
  // inline buffers have the same size.
  TensorValue(const TensorValue &) = default;
  TensorValue &operator=(const TensorValue &) = default;
  TensorValue(TensorValue &&o) noexcept
      : type(std::move(o.type)), producer(o.producer), index(o.index) {}
  TensorValue &operator=(TensorValue &&o) noexcept {
    type = std::move(o.type);
    producer = o.producer;
    index = o.index;
    return *this;
  }
};

/// An op fused into the node that produces its input (by the fusion passes):
/// applied to the node's result, in order. A binary epilogue (a residual add,
/// an SE multiply) takes one of the node's inputs as its other operand.
/// Epilogue ops are elementwise or broadcast and own no weights.
struct Epilogue {
  const OpDef *op = nullptr;
  Attrs attrs;
  int32_t extraInput = -1;  ///< index into Node::inputs of the other operand, or -1
  bool extraFirst = false;  ///< the other operand is the op's first argument (sub, div)
  std::string name;         ///< the node it was before fusion (reports, kernels)
  SourceLoc loc;
};

/// A batchnorm folded into a conv or linear (passes/FoldBatchNorm): its
/// weights now hold W * s and (b - mean) * s + beta. The C++ emitter repeats
/// the fold at load time on weights laid out as a PyTorch state dict.
struct FoldedNorm {
  std::string name; ///< the batchnorm node it was (its weights' names)
  double eps = 0;
  bool affine = true;
  bool hadBias = false; ///< the layer had a bias before this fold
};

struct Node {
  const OpDef *op = nullptr;
  Attrs attrs;
  llvm::SmallVector<ValueId, 2> inputs; ///< the op's inputs, then epilogue operands
  llvm::SmallVector<ValueId, 1> outputs;
  std::string name; ///< hierarchical, unique: "inverted_residual_3.conv_bn_act.conv2d"
  SourceLoc loc;    ///< the call in the .net source that created it
  std::vector<Epilogue> epilogue; ///< fused ops, applied to the output in order
  std::vector<FoldedNorm> folds;  ///< batchnorms folded into the weights, in order

  Node() = default;
  Node(const Node &) = default;
  Node &operator=(const Node &) = default;
  // noexcept, unlike the defaulted ones (llvm::SmallVector's move is not
  // declared noexcept), so that std::vector<Node> moves on growth.
  Node(Node &&o) noexcept
      : op(o.op), attrs(std::move(o.attrs)), inputs(std::move(o.inputs)),
        outputs(std::move(o.outputs)), name(std::move(o.name)), loc(o.loc),
        epilogue(std::move(o.epilogue)), folds(std::move(o.folds)) {}
  Node &operator=(Node &&o) noexcept {
    op = o.op;
    attrs = std::move(o.attrs);
    inputs = std::move(o.inputs);
    outputs = std::move(o.outputs);
    name = std::move(o.name);
    loc = o.loc;
    epilogue = std::move(o.epilogue);
    folds = std::move(o.folds);
    return *this;
  }

  /// How many of `inputs` belong to the op itself (the rest feed epilogues).
  size_t primaryInputs() const {
    size_t extra = 0;
    for (const Epilogue &e : epilogue)
      extra += e.extraInput >= 0;
    return inputs.size() - extra;
  }
};

static_assert(std::is_nothrow_move_constructible_v<Node> &&
              std::is_nothrow_move_constructible_v<TensorValue>,
              "std::vector growth must move nodes and values, not copy them");

class Graph {
public:
  std::string name;
  /// The network's parameters as bound (after -D overrides), for printing.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Node> nodes;
  std::vector<TensorValue> values;
  std::vector<ValueId> outputs;

  /// Appends a node and its output values; returns the node's id.
  NodeId addNode(const OpDef *op, Attrs attrs, llvm::ArrayRef<ValueId> inputs,
                 llvm::ArrayRef<TensorType> outputTypes, std::string name, SourceLoc loc);

  const TensorType &type(ValueId v) const { return values[v].type; }
  /// The input types of a node's own op (without epilogue operands).
  std::vector<TensorType> inputTypes(const Node &n) const;
  /// The weights (parameters and buffers) a node owns, from its op's rule.
  std::vector<WeightSpec> weights(const Node &n) const;
  /// Values produced by `input` nodes, in order.
  std::vector<ValueId> inputs() const;
  /// "%name" or "%name#i" for a node with several outputs.
  std::string valueName(ValueId v) const;
};

} // namespace netc::ir

#endif
