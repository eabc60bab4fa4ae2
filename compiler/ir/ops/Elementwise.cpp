//===- Elementwise.cpp - add, sub, mul, div with broadcasting; affine -------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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

// affine: x * scale + shift with two numbers, what `x * 0.125`, `x / 8.0`,
// `x + 1.0` and `1.0 - x` elaborate to. The FLOPs are the operations it
// does: a multiply unless scale is 1, an add unless shift is 0 (at least one).
std::string affineCost(const OpCall &c, llvm::ArrayRef<TensorType> outputs, OpWork &work) {
  const bool scales = c.attrs.getFloat("scale") != 1.0, shifts = c.attrs.getFloat("shift") != 0.0;
  return flopsPerOutputElement(scales && shifts ? 2 : 1, outputs, work);
}

std::string affineShape(OpCall &c, std::vector<TensorType> &outs) {
  for (const char *a : {"scale", "shift"})
    if (!std::isfinite(c.attrs.getFloat(a)))
      return fmt::format("{} must be a finite number", a);
  outs.push_back(c.inputs[0]);
  return "";
}

void affineEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
                std::vector<Buffer> &outs) {
  const double scale = c.attrs.getFloat("scale"), shift = c.attrs.getFloat("shift");
  const Buffer &x = *ins[0];
  for (size_t i = 0; i < x.size(); ++i)
    outs[0].data[i] = x.data[i] * scale + shift;
}

std::string affineScalar(const Attrs &a, llvm::ArrayRef<std::string> x) {
  return fmt::format("{} * {} + {}", x[0], lit(a.getFloat("scale")), lit(a.getFloat("shift")));
}

// ONNX: Mul by scale unless it is 1, then Add shift unless it is 0
// (Identity when neither).
std::string affineOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const double scale = c.attrs.getFloat("scale"), shift = c.attrs.getFloat("shift");
  std::string y = c.in[0];
  if (scale != 1.0)
    y = c.b.node("Mul", {y, c.b.scalar(scale)});
  if (shift != 0.0)
    y = c.b.node("Add", {y, c.b.scalar(shift)});
  out = {y == c.in[0] ? c.b.node("Identity", {y}) : y};
  return "";
}

constexpr char kAdd[] = "Add", kSub[] = "Sub", kMul[] = "Mul", kDiv[] = "Div";

} // namespace

void registerElementwiseOps(OpTable &t) {
  OpDef &affine = t.add({"affine",
                         {{"x", ParamKind::Tensor},
                          {"scale", ParamKind::Float, false, 1.0},
                          {"shift", ParamKind::Float, false, 0.0}},
                         PatternKind::Elementwise,
                         affineShape,
                         nullptr,
                         "x * scale + shift with numbers scale and shift (torch: x * 0.125, "
                         "x + 1.0); the operators write it: x * s, s * x, x / s, x + s, s + x, "
                         "x - s, s - x",
                         affineCost,
                         "1 FLOP per element, 2 when both scale != 1 and shift != 0"});
  affine.eval = affineEval;
  affine.scalar = affineScalar;
  affine.onnx = affineOnnx;
  affine.dnnl.kind = DnnlKind::Eltwise;
  affine.dnnl.alg = DnnlAlg::Affine;
  affine.dnnl.refine = [](const Attrs &a, DnnlOp &d) {
    d.alpha = static_cast<float>(a.getFloat("scale"));
    d.beta = static_cast<float>(a.getFloat("shift"));
  };

  OpDef &add = t.add(binary("add", "a + b with broadcasting (torch.add)"));
  add.eval = binaryEval<addF>;
  add.scalar = binaryScalar<'+'>;
  add.onnx = onnxSame<kAdd>; // numpy broadcasting, as torch
  add.dnnl = {DnnlKind::Binary, DnnlAlg::Add};
  OpDef &sub = t.add(binary("sub", "a - b with broadcasting (torch.sub)"));
  sub.eval = binaryEval<subF>;
  sub.scalar = binaryScalar<'-'>;
  sub.onnx = onnxSame<kSub>; // numpy broadcasting, as torch
  sub.dnnl = {DnnlKind::Binary, DnnlAlg::Sub};
  OpDef &mul = t.add(binary("mul", "a * b with broadcasting (torch.mul)"));
  mul.eval = binaryEval<mulF>;
  mul.scalar = binaryScalar<'*'>;
  mul.onnx = onnxSame<kMul>; // numpy broadcasting, as torch
  mul.dnnl = {DnnlKind::Binary, DnnlAlg::Mul};
  OpDef &div = t.add(binary("div", "a / b with broadcasting (torch.div)"));
  div.eval = binaryEval<divF>;
  div.scalar = binaryScalar<'/'>;
  div.onnx = onnxSame<kDiv>; // numpy broadcasting, as torch
  div.dnnl = {DnnlKind::Binary, DnnlAlg::Div};
}

} // namespace netc::ir
