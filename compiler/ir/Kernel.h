//===- Kernel.h - what an op's kernel rule sees and writes ------*- C++ -*-===//
//
// The C++ emitter (codegen/CppEmitter) asks each op how to compute it, as C++
// source, through two optional rules of its OpDef:
//
//  - a ScalarRule, for elementwise and broadcast ops (relu, add, ...): the
//    expression of one output element from its operands. The emitter builds
//    the loop over the output around it, and uses the same expression when
//    the op is fused into another node's epilogue.
//  - a KernelRule, for every other op: a loop nest computing the whole op.
//    It writes each output element through KernelCall::store, which applies
//    the node's fused epilogue (bias is the op's own; folded BatchNorm is in
//    the weights; residual add and activations come through store).
//
// Emitted code is naive on purpose and has these conventions:
//  - tensors are dense row-major (NCHW) arrays of `T` (float in the fused
//    kernels, double in the reference path), shapes are compile-time
//    constants, indices are `i64` (std::int64_t);
//  - kernel parameters are named in[i] for the op's inputs, w[i] for its
//    weights (in the order of its weights rule) and are all used;
//  - an op whose inputs are one list of tensors (takesTensorList: concat)
//    gets them as a table instead (KernelCall::list): one function serves
//    every list of its configuration, however long, so the program does not
//    grow with the graph's edges (a DenseNet block's concats take every
//    tensor before them: the square of its layers);
//  - literals go through lit() so they are exact in T;
//  - no dependency beyond the C++ standard library (<cmath>, <algorithm>,
//    <limits>, <cstdint>);
//  - names ending in '_' are the emitter's (store() declares at_, val_ and
//    r0_, ...): a rule's own variables must not end in '_'.
//
// An op with neither rule cannot be emitted: the emitter reports it by name.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_KERNEL_H
#define NETC_IR_KERNEL_H

#include "ir/Attr.h"
#include "ir/Types.h"

#include <llvm/ADT/ArrayRef.h>

#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

namespace netc::ir {

struct OpDef;
struct WeightSpec;

/// C++ source under construction, two spaces per indentation level.
class CodeWriter {
public:
  explicit CodeWriter(int indent = 0) : depth(indent) {}

  /// One line at the current indentation.
  template <typename... Args> void line(fmt::format_string<Args...> f, Args &&...args) {
    put(fmt::format(f, std::forward<Args>(args)...));
  }
  /// `header {` (just `{` for an empty header) and one level deeper.
  template <typename... Args> void open(fmt::format_string<Args...> f, Args &&...args) {
    std::string header = fmt::format(f, std::forward<Args>(args)...);
    put(header.empty() ? "{" : header + " {");
    ++depth;
  }
  /// `}` one level up.
  void close(llvm::StringRef tail = "");
  /// `for (i64 var = 0; var < n; ++var) {`
  void forLoop(llvm::StringRef var, int64_t n);
  /// `for (i64 var = 0; var < bound; ++var) {`, `bound` an i64 expression.
  void forLoop(llvm::StringRef var, llvm::StringRef bound);

  const std::string &str() const { return text; }
  int indent() const { return depth; }

private:
  void put(const std::string &s);
  std::string text;
  int depth;
};

/// A literal of the emitted scalar type: `T(0.5)`, exact for every double.
std::string lit(double v);

/// The flat row-major index into a tensor of shape `in` that broadcasts
/// (numpy rules, aligned at the right) to the element at flat index `flat`
/// (a C++ expression) of shape `out`. `flat` itself when the shapes match.
std::string broadcastIndex(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> out,
                           const std::string &flat);

/// Row-major index expression of coordinates `coords` (C++ expressions) in
/// `shape`: ((c0 * s1 + c1) * s2 + c2)... with no factor for leading dims.
std::string flatIndex(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<std::string> coords);

/// The parameters of a kernel whose inputs are one list of tensors: `data`
/// (`const T *const *`) points to each tensor, `size` (`const i64 *`) gives
/// each one's element count and `count` (`i64`) their number.
struct TensorListParams {
  std::string data = "xs", size = "xn", count = "nx";
};

/// What a kernel rule sees of the node it emits.
struct KernelCall {
  const OpDef &op;
  const Attrs &attrs;                   ///< normalized by the shape rule
  llvm::ArrayRef<TensorType> inputs;    ///< the op's own inputs
  llvm::ArrayRef<TensorType> outputs;   ///< the op's outputs (before its epilogue, same shapes)
  llvm::ArrayRef<WeightSpec> weights;   ///< in the order of the weights rule
  llvm::ArrayRef<std::string> in;       ///< parameter names of the inputs (none with `list`)
  llvm::ArrayRef<std::string> w;        ///< parameter names of the weights
  /// Set for an op that takes a list of tensors (takesTensorList): its
  /// inputs come through this table, not `in`. `inputs` still gives each
  /// listed tensor's type, but the rule must not spell out anything per
  /// listed tensor: its text may depend on the output's shape and the
  /// attributes only, and it reads each tensor's extent from `size`.
  const TensorListParams *list = nullptr;
  /// Emits the statements storing `value` (an expression of type T) as the
  /// element at flat index `index` (an i64 expression) of output `out`, with
  /// the node's epilogue applied. Each output element must be stored once.
  std::function<void(CodeWriter &, size_t out, const std::string &index, const std::string &value)>
      store;
  /// The rule may set a short name of what the kernel does, used in the
  /// function's name: "conv3x3_dw_s1", "max_pool3x3_s2". Default: the op's name.
  std::string name;
};

/// Emits the loop nest of a whole op into `w` (the function body); returns
/// "" or an error saying what the kernel cannot do (never an empty body).
using KernelRule = std::string (*)(KernelCall &call, CodeWriter &w);

/// The expression (of type T) of one element of an elementwise or broadcast
/// op from its operands (names of already-evaluated variables of type T).
using ScalarRule = std::string (*)(const Attrs &attrs, llvm::ArrayRef<std::string> operands);

} // namespace netc::ir

#endif
