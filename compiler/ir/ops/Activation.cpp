//===- Activation.cpp - relu, sigmoid, gelu, softmax, ... -------------------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

namespace netc::ir {

namespace {

// Activations keep the input's shape and dtype, any rank.
std::string sameShape(OpCall &c, std::vector<TensorType> &outs) {
  outs.push_back(c.inputs[0]);
  return "";
}

std::string geluShape(OpCall &c, std::vector<TensorType> &outs) {
  const std::string &approx = c.attrs.getStr("approximate");
  if (approx != "none" && approx != "tanh")
    return fmt::format("approximate \"{}\" is not \"none\" or \"tanh\"", approx);
  outs.push_back(c.inputs[0]);
  return "";
}

// softmax: over one dim; negative dims count from the end (PyTorch's rule).
std::string softmaxShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), x, dim); !e.empty())
    return e;
  outs.push_back(x);
  return "";
}

/// An elementwise activation without attributes; `cost` and `costDoc` give
/// its FLOPs per element.
OpDef unary(const char *name, const char *doc, CostRule cost, const char *costDoc) {
  return {name, {{"x", ParamKind::Tensor}}, PatternKind::Elementwise, sameShape, nullptr, doc,
          cost, costDoc};
}

} // namespace

void registerActivationOps(OpTable &t) {
  t.add(unary("relu", "max(x, 0) (torch.nn.ReLU)", costPerOutput<1>, "1 FLOP per element (max)"));
  t.add(unary("relu6", "min(max(x, 0), 6) (torch.nn.ReLU6)", costPerOutput<2>, "2 FLOPs per element (max, min)"));
  t.add({"leaky_relu",
         {{"x", ParamKind::Tensor}, {"slope", ParamKind::Float, false, 0.01}},
         PatternKind::Elementwise,
         sameShape,
         nullptr,
         "x if x >= 0 else slope * x (torch.nn.LeakyReLU(negative_slope))",
         costPerOutput<2>,
         "2 FLOPs per element (multiply, select)"});
  t.add(unary("sigmoid", "1 / (1 + exp(-x)) (torch.nn.Sigmoid)", costPerOutput<4>, "4 FLOPs per element (negate, exp, add, divide)"));
  t.add(unary("hardsigmoid", "relu6(x + 3) / 6 (torch.nn.Hardsigmoid)", costPerOutput<4>, "4 FLOPs per element (add, max, min, multiply)"));
  t.add(unary("tanh", "hyperbolic tangent (torch.nn.Tanh)", costPerOutput<5>, "5 FLOPs per element (2 exp, add, subtract, divide)"));
  t.add(unary("silu", "x * sigmoid(x) (torch.nn.SiLU); also called swish", costPerOutput<5>, "5 FLOPs per element (sigmoid 4, multiply)"));
  t.alias("swish", "silu");
  t.add(unary("hardswish", "x * relu6(x + 3) / 6 (torch.nn.Hardswish)", costPerOutput<5>, "5 FLOPs per element (hardsigmoid 4, multiply)"));
  t.add({"gelu",
         {{"x", ParamKind::Tensor}, {"approximate", ParamKind::Str, false, std::string("none")}},
         PatternKind::Elementwise,
         geluShape,
         nullptr,
         "Gaussian error linear unit (torch.nn.GELU); approximate \"none\" or \"tanh\"",
         costPerOutput<8>,
         "8 FLOPs per element (an estimate of erf or the tanh form: x*(1+f(x))/2)"});
  t.add({"softmax",
         {{"x", ParamKind::Tensor}, {"dim", ParamKind::Int, false, int64_t{-1}}},
         PatternKind::Reduce,
         softmaxShape,
         nullptr,
         "exp(x) / sum(exp(x)) over `dim` (torch.nn.Softmax(dim))",
         costPerOutput<5>,
         "5 FLOPs per element (max, subtract, exp, sum, divide)"});
}

} // namespace netc::ir
