//===- Buffer.h - tensors with values, for the reference evaluator -*- C++ -*-===//
//
// Numbers only exist in tests and kernel checks: the compiler proper works on
// shapes. A Buffer is a dense row-major (NCHW) tensor of doubles; a
// WeightStore holds the weights of a graph by node and weight name (the
// names of the op's weights rule, as in a PyTorch state dict).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_BUFFER_H
#define NETC_IR_BUFFER_H

#include "ir/Types.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace netc::ir {

struct Buffer {
  Shape shape;
  std::vector<double> data; ///< row-major, size = product of shape

  Buffer() = default;
  explicit Buffer(Shape s) : shape(std::move(s)), data(count(shape), 0.0) {}
  static size_t count(const Shape &s) {
    size_t n = 1;
    for (int64_t d : s)
      n *= static_cast<size_t>(d);
    return n;
  }
  size_t size() const { return data.size(); }
};

/// Weights by (node name, weight name).
using WeightStore = std::map<std::pair<std::string, std::string>, Buffer>;

} // namespace netc::ir

#endif
