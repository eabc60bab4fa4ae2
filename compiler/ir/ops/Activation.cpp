//===- Activation.cpp - relu, sigmoid, gelu, softmax, ... -------------------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

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


// The elementwise functions, in double precision, as PyTorch defines them.
// NaN stays NaN through relu, relu6 and the hard functions, as in PyTorch.
double reluF(double x) { return std::isnan(x) ? x : std::max(x, 0.0); }
double relu6F(double x) { return std::isnan(x) ? x : std::min(std::max(x, 0.0), 6.0); }
double sigmoidF(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double hardsigmoidF(double x) { return relu6F(x + 3.0) / 6.0; }
double tanhF(double x) { return std::tanh(x); }
double erfF(double x) { return std::erf(x); }
double siluF(double x) { return x * sigmoidF(x); }
double hardswishF(double x) { return x * relu6F(x + 3.0) / 6.0; }

template <double (*F)(double)>
void mapEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
             std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  for (size_t i = 0; i < x.size(); ++i)
    outs[0].data[i] = F(x.data[i]);
}

// leaky_relu: x if x > 0 else slope * x (torch.nn.functional.leaky_relu).
void leakyReluEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const double slope = c.attrs.getFloat("slope");
  const Buffer &x = *ins[0];
  for (size_t i = 0; i < x.size(); ++i)
    outs[0].data[i] = x.data[i] > 0 ? x.data[i] : x.data[i] * slope;
}

// gelu: x/2 * (1 + erf(x/sqrt(2))); "tanh": x/2 * (1 + tanh(sqrt(2/pi) *
// (x + 0.044715 x^3))).
void geluEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
              std::vector<Buffer> &outs) {
  const bool approxTanh = c.attrs.getStr("approximate") == "tanh";
  const double sqrt2 = std::sqrt(2.0), sqrt2OverPi = std::sqrt(2.0 / 3.14159265358979323846);
  const Buffer &x = *ins[0];
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = x.data[i];
    outs[0].data[i] = approxTanh
                          ? 0.5 * v * (1.0 + std::tanh(sqrt2OverPi * (v + 0.044715 * v * v * v)))
                          : 0.5 * v * (1.0 + std::erf(v / sqrt2));
  }
}

// softmax over `dim`: exp(x - max) / sum(exp(x - max)).
void softmaxEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                 llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  int64_t dim = 0;
  (void)wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim);
  size_t inner = 1;
  for (size_t i = static_cast<size_t>(dim) + 1; i < x.shape.size(); ++i)
    inner *= static_cast<size_t>(x.shape[i]);
  const size_t n = static_cast<size_t>(x.shape[dim]);
  const size_t outer = x.size() / (n * inner);
  for (size_t o = 0; o < outer; ++o)
    for (size_t in = 0; in < inner; ++in) {
      const size_t base = o * n * inner + in;
      double mx = -std::numeric_limits<double>::infinity();
      for (size_t k = 0; k < n; ++k)
        mx = std::max(mx, x.data[base + k * inner]);
      double sum = 0;
      for (size_t k = 0; k < n; ++k)
        sum += y.data[base + k * inner] = std::exp(x.data[base + k * inner] - mx);
      for (size_t k = 0; k < n; ++k)
        y.data[base + k * inner] /= sum;
    }
}

// The emitted expressions of one element (ir/Kernel.h), as the eval rules
// above compute them. std::max(x, 0) keeps a NaN x, as PyTorch does.
std::string reluScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("std::max({}, T(0))", x[0]);
}
std::string relu6Scalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("std::min(std::max({}, T(0)), T(6))", x[0]);
}
std::string sigmoidScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("T(1) / (T(1) + std::exp(-{}))", x[0]);
}
std::string hardsigmoidScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("std::min(std::max({} + T(3), T(0)), T(6)) / T(6)", x[0]);
}
std::string tanhScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("std::tanh({})", x[0]);
}
std::string erfScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("std::erf({})", x[0]);
}
std::string siluScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("{0} / (T(1) + std::exp(-{0}))", x[0]);
}
std::string hardswishScalar(const Attrs &, llvm::ArrayRef<std::string> x) {
  return fmt::format("{0} * std::min(std::max({0} + T(3), T(0)), T(6)) / T(6)", x[0]);
}
std::string leakyReluScalar(const Attrs &a, llvm::ArrayRef<std::string> x) {
  return fmt::format("({0} > T(0) ? {0} : {0} * {1})", x[0], lit(a.getFloat("slope")));
}
std::string geluScalar(const Attrs &a, llvm::ArrayRef<std::string> x) {
  if (a.getStr("approximate") == "tanh")
    return fmt::format("T(0.5) * {0} * (T(1) + std::tanh({1} * ({0} + {2} * {0} * {0} * {0})))",
                       x[0], lit(std::sqrt(2.0 / 3.14159265358979323846)), lit(0.044715));
  return fmt::format("T(0.5) * {0} * (T(1) + std::erf({0} * {1}))", x[0], lit(1.0 / std::sqrt(2.0)));
}

// softmax over `dim`: per line along it, the max, the sum of exp(x - max),
// then each exp(x - max) / sum (recomputed, as each output is stored once).
std::string softmaxKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  int64_t dim = 0;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim); !e.empty())
    return e;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < dim; ++i)
    outer *= x[i];
  for (size_t i = static_cast<size_t>(dim) + 1; i < x.size(); ++i)
    inner *= x[i];
  const int64_t n = x[dim];
  c.name = "softmax";
  w.forLoop("s", outer);
  w.forLoop("i", inner);
  w.line("const i64 base = s * {} + i;", n * inner);
  w.line("T mx = -std::numeric_limits<T>::infinity();");
  w.forLoop("k", n);
  w.line("mx = std::max(mx, {}[base + k * {}]);", c.in[0], inner);
  w.close();
  w.line("T sum = T(0);");
  w.forLoop("k", n);
  w.line("sum += std::exp({}[base + k * {}] - mx);", c.in[0], inner);
  w.close();
  w.forLoop("k", n);
  c.store(w, 0, fmt::format("base + k * {}", inner),
          fmt::format("std::exp({}[base + k * {}] - mx) / sum", c.in[0], inner));
  w.close();
  w.close();
  w.close();
  return "";
}

// ---- ONNX (opset 17) ------------------------------------------------------
constexpr char kRelu[] = "Relu", kSigmoid[] = "Sigmoid", kTanh[] = "Tanh", kErf[] = "Erf",
               kHardSwish[] = "HardSwish";

std::string relu6Onnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("Clip", {c.in[0], c.b.scalar(0), c.b.scalar(6)})};
  return "";
}

std::string leakyReluOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("LeakyRelu", {c.in[0]}, {{"alpha", c.attrs.getFloat("slope")}})};
  return "";
}

std::string hardsigmoidOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("HardSigmoid", {c.in[0]}, {{"alpha", 1.0 / 6.0}, {"beta", 0.5}})};
  return "";
}

// silu: x * Sigmoid(x).
std::string siluOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("Mul", {c.in[0], c.b.node("Sigmoid", {c.in[0]})})};
  return "";
}

// gelu (no Gelu before opset 20): x * (1 + f) * 0.5 with f = Erf(x / sqrt 2),
// or for "tanh" f = Tanh(sqrt(2/pi) * (x + 0.044715 x^3)).
std::string geluOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  OnnxBuilder &b = c.b;
  const std::string &x = c.in[0];
  std::string f;
  if (c.attrs.getStr("approximate") == "tanh") {
    std::string cube = b.node("Mul", {b.node("Mul", {x, x}), x});
    std::string inner = b.node("Add", {x, b.node("Mul", {cube, b.scalar(0.044715)})});
    f = b.node("Tanh", {b.node("Mul", {inner, b.scalar(std::sqrt(2.0 / 3.14159265358979323846))})});
  } else {
    f = b.node("Erf", {b.node("Div", {x, b.scalar(std::sqrt(2.0))})});
  }
  std::string y = b.node("Mul", {x, b.node("Add", {f, b.scalar(1)})});
  out = {b.node("Mul", {y, b.scalar(0.5)})};
  return "";
}

std::string softmaxOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("Softmax", {c.in[0]}, {{"axis", c.attrs.getInt("dim")}})};
  return "";
}

/// An elementwise activation without attributes; `cost` and `costDoc` give
/// its FLOPs per element.
OpDef unary(const char *name, const char *doc, CostRule cost, const char *costDoc, EvalRule eval,
            ScalarRule scalar, OnnxRule onnx) {
  OpDef d{name, {{"x", ParamKind::Tensor}}, PatternKind::Elementwise, sameShape, nullptr, doc,
          cost, costDoc};
  d.eval = eval;
  d.scalar = scalar;
  d.onnx = onnx;
  return d;
}

/// An eltwise oneDNN primitive runs the activation (OpDef::dnnl).
void setDnnl(OpDef &d, DnnlAlg alg, float alpha = 0, float beta = 0) {
  d.dnnl.kind = DnnlKind::Eltwise;
  d.dnnl.alg = alg;
  d.dnnl.alpha = alpha;
  d.dnnl.beta = beta;
}

} // namespace

void registerActivationOps(OpTable &t) {
  setDnnl(t.add(unary("relu", "max(x, 0) (torch.nn.ReLU)", costPerOutput<1>, "1 FLOP per element (max)", mapEval<reluF>, reluScalar, onnxSame<kRelu>)), DnnlAlg::Relu);
  setDnnl(t.add(unary("relu6", "min(max(x, 0), 6) (torch.nn.ReLU6)", costPerOutput<2>, "2 FLOPs per element (max, min)", mapEval<relu6F>, relu6Scalar, relu6Onnx)), DnnlAlg::Clip, 0, 6);
  OpDef &leaky = t.add({"leaky_relu",
         {{"x", ParamKind::Tensor}, {"slope", ParamKind::Float, false, 0.01}},
         PatternKind::Elementwise,
         sameShape,
         nullptr,
         "x if x >= 0 else slope * x (torch.nn.LeakyReLU(negative_slope))",
         costPerOutput<2>,
         "2 FLOPs per element (multiply, select)"});
  leaky.eval = leakyReluEval;
  leaky.scalar = leakyReluScalar;
  leaky.onnx = leakyReluOnnx;
  setDnnl(leaky, DnnlAlg::Relu);
  leaky.dnnl.refine = [](const Attrs &a, DnnlOp &d) { d.alpha = float(a.getFloat("slope")); };
  setDnnl(t.add(unary("sigmoid", "1 / (1 + exp(-x)) (torch.nn.Sigmoid)", costPerOutput<4>, "4 FLOPs per element (negate, exp, add, divide)", mapEval<sigmoidF>, sigmoidScalar, onnxSame<kSigmoid>)), DnnlAlg::Logistic);
  setDnnl(t.add(unary("hardsigmoid", "relu6(x + 3) / 6 (torch.nn.Hardsigmoid)", costPerOutput<4>, "4 FLOPs per element (add, max, min, multiply)", mapEval<hardsigmoidF>, hardsigmoidScalar, hardsigmoidOnnx)), DnnlAlg::HardSigmoid);
  setDnnl(t.add(unary("tanh", "hyperbolic tangent (torch.nn.Tanh)", costPerOutput<5>, "5 FLOPs per element (2 exp, add, subtract, divide)", mapEval<tanhF>, tanhScalar, onnxSame<kTanh>)), DnnlAlg::Tanh);
  t.add(unary("erf", "the error function (torch.erf): the Gauss integral in GELU", costPerOutput<1>, "1 FLOP per element (a transcendental counted once, as exp is)", mapEval<erfF>, erfScalar, onnxSame<kErf>)).dnnl.why = "oneDNN 2.6 has no erf eltwise algorithm";
  setDnnl(t.add(unary("silu", "x * sigmoid(x) (torch.nn.SiLU); also called swish", costPerOutput<5>, "5 FLOPs per element (sigmoid 4, multiply)", mapEval<siluF>, siluScalar, siluOnnx)), DnnlAlg::Swish, 1);
  t.alias("swish", "silu");
  setDnnl(t.add(unary("hardswish", "x * relu6(x + 3) / 6 (torch.nn.Hardswish)", costPerOutput<5>, "5 FLOPs per element (hardsigmoid 4, multiply)", mapEval<hardswishF>, hardswishScalar, onnxSame<kHardSwish>)), DnnlAlg::HardSwish);
  OpDef &gelu = t.add({"gelu",
         {{"x", ParamKind::Tensor}, {"approximate", ParamKind::Str, false, std::string("none")}},
         PatternKind::Elementwise,
         geluShape,
         nullptr,
         "Gaussian error linear unit (torch.nn.GELU); approximate \"none\" or \"tanh\"",
         costPerOutput<8>,
         "8 FLOPs per element (an estimate of erf or the tanh form: x*(1+f(x))/2)"});
  gelu.eval = geluEval;
  gelu.scalar = geluScalar;
  gelu.onnx = geluOnnx;
  setDnnl(gelu, DnnlAlg::GeluErf);
  gelu.dnnl.refine = [](const Attrs &a, DnnlOp &d) {
    d.alg = a.getStr("approximate") == "tanh" ? DnnlAlg::GeluTanh : DnnlAlg::GeluErf;
  };
  OpDef &softmax = t.add({"softmax",
         {{"x", ParamKind::Tensor}, {"dim", ParamKind::Int, false, int64_t{-1}}},
         PatternKind::Reduce,
         softmaxShape,
         nullptr,
         "exp(x) / sum(exp(x)) over `dim` (torch.nn.Softmax(dim))",
         costPerOutput<5>,
         "5 FLOPs per element (max, subtract, exp, sum, divide)"});
  softmax.eval = softmaxEval;
  softmax.kernel = softmaxKernel;
  softmax.onnx = softmaxOnnx;
  softmax.dnnl.kind = DnnlKind::Softmax;
}

} // namespace netc::ir
