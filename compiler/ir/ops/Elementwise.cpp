//===- Elementwise.cpp - add, sub, mul, div with broadcasting ---------------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::ir {

namespace {

// add, sub, mul, div: numpy's broadcasting. The shapes are aligned at their
// last dims; each pair is equal or one of them is 1 (a missing dim is 1).
// The message names the last mismatching dim of the result, as PyTorch does.
std::string broadcastShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &a = c.inputs[0];
  const TensorType &b = c.inputs[1];
  const size_t rank = std::max(a.rank(), b.rank());
  TensorType y{Shape(rank, 1), promoteDTypes(a.dtype, b.dtype)};
  for (size_t i = rank; i-- > 0;) {
    const size_t fromRight = rank - 1 - i;
    const int64_t da = fromRight < a.rank() ? a.shape[a.rank() - 1 - fromRight] : 1;
    const int64_t db = fromRight < b.rank() ? b.shape[b.rank() - 1 - fromRight] : 1;
    if (da != db && da != 1 && db != 1)
      return fmt::format("cannot broadcast {} with {}: dimension {} is {} vs {}", shapeText(a),
                         shapeText(b), i, da, db);
    y.shape[i] = da == 1 ? db : da;
  }
  if (!y.numElements())
    return fmt::format("the output {} has more elements than 64-bit integers can count",
                       shapeText(y));
  outs.push_back(std::move(y));
  return "";
}

OpDef binary(const char *name, const char *doc) {
  return {name,
          {{"a", ParamKind::Tensor}, {"b", ParamKind::Tensor}},
          PatternKind::Broadcast,
          broadcastShape,
          nullptr,
          doc,
          costPerOutput<1>,
          "1 FLOP per output element"};
}

double addF(double a, double b) { return a + b; }
double subF(double a, double b) { return a - b; }
double mulF(double a, double b) { return a * b; }
double divF(double a, double b) { return a / b; }

template <double (*F)(double, double)>
void binaryEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
                std::vector<Buffer> &outs) {
  const Buffer &a = *ins[0], &b = *ins[1];
  Buffer &y = outs[0];
  for (size_t i = 0; i < y.size(); ++i)
    y.data[i] = F(a.data[broadcastOffset(a.shape, y.shape, i)],
                  b.data[broadcastOffset(b.shape, y.shape, i)]);
}

// The emitted expression of one element (ir/Kernel.h).
template <char Op>
std::string binaryScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("{} {} {}", x[0], Op, x[1]);
}

} // namespace

void registerElementwiseOps(OpTable &t) {
  OpDef &add = t.add(binary("add", "a + b with broadcasting (torch.add)"));
  add.eval = binaryEval<addF>;
  add.scalar = binaryScalar<'+'>;
  add.dnnl = {DnnlKind::Binary, DnnlAlg::Add};
  OpDef &sub = t.add(binary("sub", "a - b with broadcasting (torch.sub)"));
  sub.eval = binaryEval<subF>;
  sub.scalar = binaryScalar<'-'>;
  sub.dnnl = {DnnlKind::Binary, DnnlAlg::Sub};
  OpDef &mul = t.add(binary("mul", "a * b with broadcasting (torch.mul)"));
  mul.eval = binaryEval<mulF>;
  mul.scalar = binaryScalar<'*'>;
  mul.dnnl = {DnnlKind::Binary, DnnlAlg::Mul};
  OpDef &div = t.add(binary("div", "a / b with broadcasting (torch.div)"));
  div.eval = binaryEval<divF>;
  div.scalar = binaryScalar<'/'>;
  div.dnnl = {DnnlKind::Binary, DnnlAlg::Div};
}

} // namespace netc::ir
