// Shape rules of the op table, one test case per op, against shapes derived
// from PyTorch or by hand.
#include "ir/OpTable.h"

#include <doctest/doctest.h>

using namespace netc::ir;

namespace {

/// Runs `op` on inputs with the given attributes; returns the output shapes
/// as text ("[1,32,112,112]" joined by ' '), or "error: <message>".
std::string shapesOf(const char *op, std::vector<Shape> inputs, Attrs attrs = {}) {
  const OpDef *def = OpTable::get().lookup(op);
  REQUIRE_MESSAGE(def, op);
  std::vector<TensorType> ins;
  for (Shape &s : inputs)
    ins.push_back({std::move(s), DType::F32});
  Attrs bound;
  std::vector<TensorType> outs;
  std::string e = inferShapes(*def, ins, attrs, bound, outs);
  if (!e.empty())
    return "error: " + e;
  // The verifier re-infers from the stored (normalized) attributes: a rule
  // must accept them and infer the same again.
  Attrs rebound;
  std::vector<TensorType> again;
  CHECK_MESSAGE(inferShapes(*def, ins, bound, rebound, again) == "", op);
  CHECK_MESSAGE(again == outs, op);
  CHECK_MESSAGE(rebound == bound, op);
  std::string s;
  for (const TensorType &t : outs)
    s += (s.empty() ? "" : " ") + formatShape(t.shape);
  return s;
}

Attrs attrs(std::initializer_list<std::pair<const char *, AttrValue>> kv) {
  Attrs a;
  for (const auto &[k, v] : kv)
    a.set(k, v);
  return a;
}

/// Like shapesOf, with typed inputs: "f32[2,3]" joined by ' ', or "error: ...".
std::string typesOf(const char *op, std::vector<TensorType> ins, Attrs attrs = {}) {
  const OpDef *def = OpTable::get().lookup(op);
  REQUIRE_MESSAGE(def, op);
  Attrs bound;
  std::vector<TensorType> outs;
  std::string e = inferShapes(*def, ins, attrs, bound, outs);
  if (!e.empty())
    return "error: " + e;
  std::string s;
  for (const TensorType &t : outs)
    s += (s.empty() ? "" : " ") + formatType(t);
  return s;
}

/// Binds and runs the shape rule; returns the attribute `name` as the rule
/// left it (rules normalize some), or "error: <message>".
std::string boundAttr(const char *op, std::vector<Shape> inputs, Attrs attrs, const char *name) {
  const OpDef *def = OpTable::get().lookup(op);
  REQUIRE_MESSAGE(def, op);
  std::vector<TensorType> ins;
  for (Shape &s : inputs)
    ins.push_back({std::move(s), DType::F32});
  Attrs bound;
  std::vector<TensorType> outs;
  if (std::string e = inferShapes(*def, ins, attrs, bound, outs); !e.empty())
    return "error: " + e;
  const AttrValue *v = bound.find(name);
  REQUIRE_MESSAGE(v, name);
  return formatAttrValue(*v);
}

/// Runs the shape rule, then the weights rule on the bound attributes (as
/// Graph::weights does); returns "weight[4,8] bias[4]", buffers marked
/// ":buffer" ("running_mean[8]:buffer"), "" for none, or "error: <message>".
std::string weightsOf(const char *op, std::vector<Shape> inputs, Attrs attrs = {}) {
  const OpDef *def = OpTable::get().lookup(op);
  REQUIRE_MESSAGE(def, op);
  std::vector<TensorType> ins;
  for (Shape &s : inputs)
    ins.push_back({std::move(s), DType::F32});
  Attrs bound;
  std::vector<TensorType> outs;
  if (std::string e = inferShapes(*def, ins, attrs, bound, outs); !e.empty())
    return "error: " + e;
  std::vector<WeightSpec> ws;
  if (def->weights) {
    OpCall call{*def, ins, bound};
    def->weights(call, ws);
  }
  std::string s;
  for (const WeightSpec &w : ws)
    s += (s.empty() ? "" : " ") + w.name + formatShape(w.shape) + (w.learnable ? "" : ":buffer");
  return s;
}

} // namespace

TEST_CASE("conv2d: the seeds' 3x3 conv 64->128 on 112x112, padding same") {
  CHECK(shapesOf("conv2d", {{1, 64, 112, 112}},
                 attrs({{"out", int64_t{128}}, {"k", int64_t{3}}, {"padding", std::string("same")}})) ==
        "[1,128,112,112]");
}

TEST_CASE("conv2d: stride, padding, dilation and groups follow PyTorch") {
  // torch.nn.Conv2d(3, 32, 3, stride=2, padding=1)(torch.zeros(1,3,224,224)).shape
  CHECK(shapesOf("conv2d", {{1, 3, 224, 224}},
                 attrs({{"out", int64_t{32}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                        {"padding", int64_t{1}}})) == "[1,32,112,112]");
  // Conv2d(8, 8, 3, dilation=2, padding=0) on 15x15 -> 11x11
  CHECK(shapesOf("conv2d", {{2, 8, 15, 15}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{3}}, {"dilation", int64_t{2}}})) ==
        "[2,8,11,11]");
  // Conv2d(64, 64, (1, 7), padding=(0, 3)) keeps 17x17
  CHECK(shapesOf("conv2d", {{1, 64, 17, 17}},
                 attrs({{"out", int64_t{64}}, {"k", Ints{1, 7}}, {"padding", Ints{0, 3}}})) ==
        "[1,64,17,17]");
  // depthwise, stride 2, even input: floor((112 + 2 - 3)/2 + 1) = 56
  CHECK(shapesOf("conv2d", {{1, 96, 112, 112}},
                 attrs({{"out", int64_t{96}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                        {"padding", int64_t{1}}, {"groups", int64_t{96}}})) == "[1,96,56,56]");
  // "same" with stride 2 keeps ceil(in / 2) (TensorFlow's rule)
  CHECK(shapesOf("conv2d", {{1, 3, 225, 225}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                        {"padding", std::string("same")}})) == "[1,8,113,113]");
  CHECK(shapesOf("conv2d", {{1, 3, 10, 10}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{3}}, {"padding", std::string("valid")}})) ==
        "[1,8,8,8]");
}

TEST_CASE("conv2d: errors") {
  CHECK(shapesOf("conv2d", {{1, 30, 8, 8}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{3}}, {"groups", int64_t{4}}})) ==
        "error: input channels 30 are not divisible by groups 4");
  CHECK(shapesOf("conv2d", {{1, 3, 2, 2}}, attrs({{"out", int64_t{8}}, {"k", int64_t{5}}})) ==
        "error: output height would be -2 (input height 2, kernel 5, stride 1, padding 0, "
        "dilation 1)");
  CHECK(shapesOf("conv2d", {{1, 3, 8}}, attrs({{"out", int64_t{8}}, {"k", int64_t{3}}})) ==
        "error: expects a 4-D input [N, C, H, W], got [1,3,8]");
  CHECK(shapesOf("conv2d", {{1, 3, 8, 8}}, attrs({{"out", int64_t{8}}})) ==
        "error: conv2d needs the argument 'k'");
  CHECK(shapesOf("conv2d", {{1, 3, 8, 8}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{3}}, {"stride", 1.5}})) ==
        "error: argument 'stride' of conv2d: expected an int or a pair of ints, got 1.5");
}

TEST_CASE("conv_transpose2d: PyTorch's output size") {
  // ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1) on 7x7 -> 14x14
  CHECK(shapesOf("conv_transpose2d", {{1, 16, 7, 7}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{3}}, {"stride", int64_t{2}},
                        {"padding", int64_t{1}}, {"output_padding", int64_t{1}}})) ==
        "[1,8,14,14]");
  CHECK(shapesOf("conv_transpose2d", {{1, 16, 7, 7}},
                 attrs({{"out", int64_t{8}}, {"k", int64_t{4}}, {"stride", int64_t{2}},
                        {"padding", int64_t{1}}})) == "[1,8,14,14]");
}

TEST_CASE("input: shape and dtype") {
  CHECK(shapesOf("input", {}, attrs({{"shape", Ints{1, 3, 224, 224}}})) == "[1,3,224,224]");
  CHECK(shapesOf("input", {}, attrs({{"shape", Ints{1, 0}}})) ==
        "error: input dimensions must be positive, got [1,0]");
}

// ---- linear, matmul ---------------------------------------------------------

TEST_CASE("linear: applies to the last dim of any rank") {
  // torch.nn.Linear(8, 4)(torch.zeros(2,3,8)).shape
  CHECK(shapesOf("linear", {{2, 3, 8}}, attrs({{"out", int64_t{4}}})) == "[2,3,4]");
  // torch.nn.Linear(8, 4)(torch.zeros(8)).shape
  CHECK(shapesOf("linear", {{8}}, attrs({{"out", int64_t{4}}})) == "[4]");
  CHECK(shapesOf("linear", {{1, 1280}}, attrs({{"out", int64_t{1000}}, {"bias", false}})) ==
        "[1,1000]");
}

TEST_CASE("linear: errors") {
  CHECK(shapesOf("linear", {{}}, attrs({{"out", int64_t{4}}})) ==
        "error: expects an input of at least 1 dimension [..., in], got []");
  CHECK(shapesOf("linear", {{2, 8}}, attrs({{"out", int64_t{0}}})) ==
        "error: output features must be positive, got 0");
  CHECK(shapesOf("linear", {{2, 8}}) == "error: linear needs the argument 'out'");
}

TEST_CASE("linear: weights as in torch.nn.Linear's state dict") {
  // torch.nn.Linear(8, 4).state_dict(): weight (4, 8), bias (4,)
  CHECK(weightsOf("linear", {{2, 3, 8}}, attrs({{"out", int64_t{4}}})) == "weight[4,8] bias[4]");
  CHECK(weightsOf("linear", {{2, 8}}, attrs({{"out", int64_t{4}}, {"bias", false}})) ==
        "weight[4,8]");
}

TEST_CASE("matmul: torch.matmul's 1-D, 2-D and batched rules") {
  // torch.matmul(torch.zeros(3), torch.zeros(3)).shape == () (a 0-d dot product)
  CHECK(shapesOf("matmul", {{3}, {3}}) == "[]");
  CHECK(shapesOf("matmul", {{2, 3}, {3, 4}}) == "[2,4]");
  CHECK(shapesOf("matmul", {{3}, {3, 4}}) == "[4]");
  CHECK(shapesOf("matmul", {{2, 3}, {3}}) == "[2]");
  CHECK(shapesOf("matmul", {{10, 2, 3}, {3}}) == "[10,2]");
  CHECK(shapesOf("matmul", {{3}, {10, 3, 4}}) == "[10,4]");
  // batch dims broadcast: (10,1,2,3) @ (5,3,4) -> (10,5,2,4)
  CHECK(shapesOf("matmul", {{10, 1, 2, 3}, {5, 3, 4}}) == "[10,5,2,4]");
  CHECK(shapesOf("matmul", {{7, 2, 3}, {3, 4}}) == "[7,2,4]");
  // attention scores: (1,8,16,64) @ (1,8,64,16) -> (1,8,16,16)
  CHECK(shapesOf("matmul", {{1, 8, 16, 64}, {1, 8, 64, 16}}) == "[1,8,16,16]");
  CHECK((OpTable::get().lookup("matmul")->weights == nullptr));
}

TEST_CASE("matmul: errors") {
  // torch: "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
  CHECK(shapesOf("matmul", {{2, 3}, {4, 5}}) ==
        "error: cannot multiply [2,3] by [4,5]: inner dimensions 3 and 4 differ");
  CHECK(shapesOf("matmul", {{3}, {4}}) ==
        "error: cannot multiply [3] by [4]: inner dimensions 3 and 4 differ");
  // torch: "The size of tensor a (2) must match the size of tensor b (5) at
  // non-singleton dimension 1"
  CHECK(shapesOf("matmul", {{10, 2, 2, 3}, {5, 3, 4}}) ==
        "error: cannot broadcast the batch dimensions of [10,2,2,3] and [5,3,4]: dimension 1 is "
        "2 vs 5");
  CHECK(shapesOf("matmul", {{}, {3}}) ==
        "error: expects tensors of at least 1 dimension, got [] and [3]");
  CHECK(typesOf("matmul", {{{2, 3}, DType::F32}, {{3, 4}, DType::F16}}) ==
        "error: expects tensors of one dtype, got f32[2,3] and f16[3,4]");
}

// ---- normalization ----------------------------------------------------------

TEST_CASE("batchnorm: keeps the shape, channels are dim 1") {
  CHECK(shapesOf("batchnorm", {{2, 8, 16, 16}}) == "[2,8,16,16]");
  // torch.nn.BatchNorm1d(8)(torch.zeros(2, 8)).shape
  CHECK(shapesOf("batchnorm", {{2, 8}}) == "[2,8]");
  CHECK(shapesOf("batchnorm", {{8}}) ==
        "error: expects an input of at least 2 dimensions [N, C, ...], got [8]");
  CHECK(shapesOf("batchnorm", {{2, 8}}, attrs({{"eps", -1.0}})) ==
        "error: eps must be a non-negative number, got -1.0");
  CHECK(shapesOf("batchnorm", {{2, 8}}, attrs({{"momentum", 1.5}})) ==
        "error: momentum must be between 0 and 1, got 1.5");
  CHECK(shapesOf("batchnorm", {{2, 8}}, attrs({{"eps", int64_t{0}}})) == "[2,8]");
}

TEST_CASE("batchnorm: weights and buffers as in torch.nn.BatchNorm2d's state dict") {
  // torch.nn.BatchNorm2d(8).state_dict(): weight, bias, running_mean, running_var
  // (8,) and num_batches_tracked () which netc does not list
  CHECK(weightsOf("batchnorm", {{1, 8, 4, 4}}) ==
        "weight[8] bias[8] running_mean[8]:buffer running_var[8]:buffer");
  // torch.nn.BatchNorm2d(8, affine=False): only the running statistics
  CHECK(weightsOf("batchnorm", {{1, 8, 4, 4}}, attrs({{"affine", false}})) ==
        "running_mean[8]:buffer running_var[8]:buffer");
}

TEST_CASE("layernorm: the normalized shape and its weights") {
  // torch.nn.LayerNorm([16, 16])(torch.zeros(2,8,16,16)).shape
  CHECK(shapesOf("layernorm", {{2, 8, 16, 16}}, attrs({{"shape", Ints{16, 16}}})) == "[2,8,16,16]");
  // the default is the last dim; an int means one dim; both become a list
  CHECK(boundAttr("layernorm", {{2, 197, 768}}, {}, "shape") == "[768]");
  CHECK(boundAttr("layernorm", {{2, 197, 768}}, attrs({{"shape", int64_t{768}}}), "shape") ==
        "[768]");
  // torch.nn.LayerNorm([3, 4]).state_dict(): weight (3, 4), bias (3, 4)
  CHECK(weightsOf("layernorm", {{2, 3, 4}}, attrs({{"shape", Ints{3, 4}}})) ==
        "weight[3,4] bias[3,4]");
  CHECK(weightsOf("layernorm", {{2, 197, 768}}) == "weight[768] bias[768]");
  CHECK(weightsOf("layernorm", {{2, 197, 768}}, attrs({{"affine", false}})) == "");
}

TEST_CASE("layernorm: errors") {
  // torch: "Given normalized_shape=[15], expected input with shape [*, 15], but
  // got input of size[2, 8, 16, 16]"
  CHECK(shapesOf("layernorm", {{2, 8, 16, 16}}, attrs({{"shape", Ints{15}}})) ==
        "error: normalized shape [15] does not match the trailing dimensions of [2,8,16,16] "
        "(expected [*,15])");
  CHECK(shapesOf("layernorm", {{16, 16}}, attrs({{"shape", Ints{2, 16, 16}}})) ==
        "error: normalized shape [2,16,16] does not match the trailing dimensions of [16,16] "
        "(expected [*,2,16,16])");
  CHECK(shapesOf("layernorm", {{2, 8}}, attrs({{"shape", Ints{}}})) ==
        "error: normalized shape must have at least one dimension, got []");
  CHECK(shapesOf("layernorm", {{2, 8}}, attrs({{"shape", Ints{0}}})) ==
        "error: normalized shape must be positive, got [0]");
  CHECK(shapesOf("layernorm", {{}}) == "error: expects an input of at least 1 dimension, got []");
}

TEST_CASE("groupnorm: groups divide the channels") {
  // torch.nn.GroupNorm(4, 8)(torch.zeros(2,8,16,16)).shape
  CHECK(shapesOf("groupnorm", {{2, 8, 16, 16}}, attrs({{"groups", int64_t{4}}})) == "[2,8,16,16]");
  // torch: "num_channels must be divisible by num_groups"
  CHECK(shapesOf("groupnorm", {{2, 8, 16, 16}}, attrs({{"groups", int64_t{3}}})) ==
        "error: channels 8 of [2,8,16,16] are not divisible by groups 3");
  CHECK(shapesOf("groupnorm", {{2, 8, 16, 16}}, attrs({{"groups", int64_t{0}}})) ==
        "error: groups must be positive, got 0");
  CHECK(shapesOf("groupnorm", {{8}}, attrs({{"groups", int64_t{2}}})) ==
        "error: expects an input of at least 2 dimensions [N, C, ...], got [8]");
  // torch.nn.GroupNorm(2, 8).state_dict(): weight (8,), bias (8,)
  CHECK(weightsOf("groupnorm", {{2, 8, 4, 4}}, attrs({{"groups", int64_t{2}}})) ==
        "weight[8] bias[8]");
  CHECK(weightsOf("groupnorm", {{2, 8, 4, 4}},
                  attrs({{"groups", int64_t{2}}, {"affine", false}})) == "");
}

// ---- activations ------------------------------------------------------------

TEST_CASE("relu: keeps the shape of any rank") {
  CHECK(shapesOf("relu", {{1, 64, 112, 112}}) == "[1,64,112,112]");
  CHECK(shapesOf("relu", {{10}}) == "[10]");
  CHECK(typesOf("relu", {{{2, 3}, DType::F16}}) == "f16[2,3]");
  CHECK((OpTable::get().lookup("relu")->weights == nullptr));
}

TEST_CASE("relu6: keeps the shape") {
  CHECK(shapesOf("relu6", {{1, 32, 112, 112}}) == "[1,32,112,112]");
}

TEST_CASE("leaky_relu: slope") {
  CHECK(shapesOf("leaky_relu", {{2, 8}}, attrs({{"slope", 0.2}})) == "[2,8]");
  CHECK(boundAttr("leaky_relu", {{2, 8}}, {}, "slope") == "0.01");
  // an int slope is a number
  CHECK(boundAttr("leaky_relu", {{2, 8}}, attrs({{"slope", int64_t{1}}}), "slope") == "1.0");
}

TEST_CASE("sigmoid: keeps the shape") { CHECK(shapesOf("sigmoid", {{2, 8, 1, 1}}) == "[2,8,1,1]"); }

TEST_CASE("hardsigmoid: keeps the shape") {
  CHECK(shapesOf("hardsigmoid", {{1, 72, 1, 1}}) == "[1,72,1,1]");
}

TEST_CASE("tanh: keeps the shape") { CHECK(shapesOf("tanh", {{3, 4, 5}}) == "[3,4,5]"); }

TEST_CASE("silu: keeps the shape, swish is the same op") {
  CHECK(shapesOf("silu", {{1, 32, 56, 56}}) == "[1,32,56,56]");
  CHECK(shapesOf("swish", {{1, 32, 56, 56}}) == "[1,32,56,56]");
  CHECK(OpTable::get().lookup("swish") == OpTable::get().lookup("silu"));
}

TEST_CASE("hardswish: keeps the shape") {
  CHECK(shapesOf("hardswish", {{1, 16, 112, 112}}) == "[1,16,112,112]");
}

TEST_CASE("gelu: approximate is none or tanh") {
  CHECK(shapesOf("gelu", {{2, 197, 768}}) == "[2,197,768]");
  CHECK(shapesOf("gelu", {{2, 197, 768}}, attrs({{"approximate", std::string("tanh")}})) ==
        "[2,197,768]");
  CHECK(shapesOf("gelu", {{2, 8}}, attrs({{"approximate", std::string("erf")}})) ==
        "error: approximate \"erf\" is not \"none\" or \"tanh\"");
}

TEST_CASE("softmax: dim, negative dims and their range") {
  // torch.softmax(torch.zeros(2, 3), -1 / -2 / 1).shape == (2, 3)
  CHECK(shapesOf("softmax", {{2, 3}}) == "[2,3]");
  CHECK(shapesOf("softmax", {{2, 3}}, attrs({{"dim", int64_t{-2}}})) == "[2,3]");
  CHECK(shapesOf("softmax", {{2, 3}}, attrs({{"dim", int64_t{1}}})) == "[2,3]");
  // torch: "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
  CHECK(shapesOf("softmax", {{2, 3}}, attrs({{"dim", int64_t{2}}})) ==
        "error: dim 2 is out of range for [2,3] (expected -2 to 1)");
  CHECK(shapesOf("softmax", {{2, 3}}, attrs({{"dim", int64_t{-3}}})) ==
        "error: dim -3 is out of range for [2,3] (expected -2 to 1)");
  CHECK(shapesOf("softmax", {{}}) == "error: expects an input of at least 1 dimension, got []");
}

TEST_CASE("activations: fusion pattern kinds") {
  for (const char *op : {"relu", "relu6", "leaky_relu", "sigmoid", "hardsigmoid", "tanh", "silu",
                         "swish", "hardswish", "gelu"})
    CHECK_MESSAGE(OpTable::get().lookup(op)->pattern == PatternKind::Elementwise, op);
  CHECK(OpTable::get().lookup("softmax")->pattern == PatternKind::Reduce);
}

// ---- pooling ----------------------------------------------------------------

TEST_CASE("max_pool2d: stride, padding, dilation and ceil_mode follow PyTorch") {
  // torch.nn.MaxPool2d(3, 2, ceil_mode=True) on 112x112 -> 56x56 (GoogLeNet)
  CHECK(shapesOf("max_pool2d", {{1, 64, 112, 112}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"ceil_mode", true}})) ==
        "[1,64,56,56]");
  // MaxPool2d(3, 2, ceil_mode=True) on 56x56 -> 28x28, without ceil_mode 27x27
  CHECK(shapesOf("max_pool2d", {{1, 64, 56, 56}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"ceil_mode", true}})) ==
        "[1,64,28,28]");
  CHECK(shapesOf("max_pool2d", {{1, 64, 56, 56}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}})) == "[1,64,27,27]");
  // MaxPool2d(3, 2, ceil_mode=True) on 55x55 -> 27x27 (the windows fit exactly)
  CHECK(shapesOf("max_pool2d", {{1, 64, 55, 55}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"ceil_mode", true}})) ==
        "[1,64,27,27]");
  // MaxPool2d(3, 2, ceil_mode=True) on 14x14 -> 7x7
  CHECK(shapesOf("max_pool2d", {{1, 480, 14, 14}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"ceil_mode", true}})) ==
        "[1,480,7,7]");
  // MaxPool2d(3, 2, padding=1) on 112x112 -> 56x56 (ResNet's stem)
  CHECK(shapesOf("max_pool2d", {{1, 64, 112, 112}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"padding", int64_t{1}}})) ==
        "[1,64,56,56]");
  // MaxPool2d(2) on 7x7 -> 3x3; with ceil_mode=True -> 4x4
  CHECK(shapesOf("max_pool2d", {{1, 1, 7, 7}}, attrs({{"k", int64_t{2}}})) == "[1,1,3,3]");
  CHECK(shapesOf("max_pool2d", {{1, 1, 7, 7}}, attrs({{"k", int64_t{2}}, {"ceil_mode", true}})) ==
        "[1,1,4,4]");
  // MaxPool2d((3, 2), (2, 1), dilation=(2, 1)) on 20x11 -> 8x10
  CHECK(shapesOf("max_pool2d", {{1, 1, 20, 11}},
                 attrs({{"k", Ints{3, 2}}, {"stride", Ints{2, 1}}, {"dilation", Ints{2, 1}}})) ==
        "[1,1,8,10]");
  // MaxPool2d(3, stride=(1, 2)) on 10x10 -> 8x4
  CHECK(shapesOf("max_pool2d", {{1, 1, 10, 10}},
                 attrs({{"k", int64_t{3}}, {"stride", Ints{1, 2}}})) == "[1,1,8,4]");
}

TEST_CASE("max_pool2d: ceil_mode's last window must start inside the input or left padding") {
  // MaxPool2d(2, 4, padding=1, ceil_mode=True) on 6x6 -> 2x2 (a plain ceil gives 3)
  CHECK(shapesOf("max_pool2d", {{1, 1, 6, 6}},
                 attrs({{"k", int64_t{2}},
                        {"stride", int64_t{4}},
                        {"padding", int64_t{1}},
                        {"ceil_mode", true}})) == "[1,1,2,2]");
  // MaxPool2d(2, 3, padding=1, ceil_mode=True) on 2x2 -> 1x1 (a plain ceil gives 2)
  CHECK(shapesOf("max_pool2d", {{1, 1, 2, 2}},
                 attrs({{"k", int64_t{2}},
                        {"stride", int64_t{3}},
                        {"padding", int64_t{1}},
                        {"ceil_mode", true}})) == "[1,1,1,1]");
}

TEST_CASE("max_pool2d: ceil_mode with a stride near 2^63 neither overflows nor errs") {
  // A fuzzer found PyTorch's numerator span - 1 + stride - 1 overflowing. In
  // exact arithmetic: (13 - 3 + 2^63 - 2) // (2^63 - 1) + 1 = 2, and the second
  // window would start at 2^63 - 1, past the input: 1.
  const int64_t huge = 9223372036854775807;
  CHECK(shapesOf("max_pool2d", {{1, 1, 13, 13}},
                 attrs({{"k", int64_t{3}}, {"stride", huge}, {"ceil_mode", true}})) ==
        "[1,1,1,1]");
  CHECK(windowOutputSize(13, 3, huge, 0, 0, 1, true) == 1);
  CHECK(windowOutputSize(huge - 1, 1, huge - 2, 0, 0, 1, true) == 2);
  CHECK(windowOutputSize(huge, 1, huge / 2 + 1, 0, 0, 1, true) == 2);
  CHECK(windowOutputSize(huge, 1, huge / 2 + 1, 0, 0, 1, false) == 2);
}

TEST_CASE("max_pool2d: stride is normalized to [sh, sw]") {
  CHECK(boundAttr("max_pool2d", {{1, 1, 8, 8}}, attrs({{"k", int64_t{2}}}), "stride") == "[2,2]");
  CHECK(boundAttr("max_pool2d", {{1, 1, 8, 8}}, attrs({{"k", Ints{3, 2}}}), "stride") == "[3,2]");
  CHECK(boundAttr("max_pool2d", {{1, 1, 8, 8}}, attrs({{"k", int64_t{3}}, {"stride", int64_t{1}}}),
                  "stride") == "[1,1]");
  // F.max_pool2d accepts a one-element stride list
  CHECK(boundAttr("max_pool2d", {{1, 1, 8, 8}}, attrs({{"k", int64_t{3}}, {"stride", Ints{2}}}),
                  "stride") == "[2,2]");
  CHECK((OpTable::get().lookup("max_pool2d")->weights == nullptr));
}

TEST_CASE("max_pool2d: errors") {
  // torch: "pad should be at most half of kernel size, but got pad=2 and kernel_size=3"
  CHECK(shapesOf("max_pool2d", {{1, 1, 20, 20}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"padding", int64_t{2}}})) ==
        "error: pad should be at most half of kernel size, but got padding [2,2] and kernel "
        "[3,3]");
  // the limit is half the kernel, not of the dilated kernel: MaxPool2d(2, padding=2,
  // dilation=3) fails in torch too
  CHECK(shapesOf("max_pool2d", {{1, 1, 20, 20}},
                 attrs({{"k", int64_t{2}}, {"padding", int64_t{2}}, {"dilation", int64_t{3}}})) ==
        "error: pad should be at most half of kernel size, but got padding [2,2] and kernel "
        "[2,2]");
  CHECK(shapesOf("max_pool2d", {{1, 1, 20, 20}},
                 attrs({{"k", int64_t{2}}, {"padding", int64_t{-1}}})) ==
        "error: padding must not be negative, got [-1,-1]");
  // torch: "Given input size: (1x4x4). Calculated output size: (1x0x0). Output size is too small"
  CHECK(shapesOf("max_pool2d", {{1, 1, 4, 4}}, attrs({{"k", int64_t{5}}})) ==
        "error: output height would be 0 (input height 4, kernel 5, stride 5, padding 0, "
        "dilation 1)");
  CHECK(
      shapesOf("max_pool2d", {{1, 1, 8, 3}}, attrs({{"k", Ints{2, 4}}, {"stride", int64_t{1}}})) ==
      "error: output width would be 0 (input width 3, kernel 4, stride 1, padding 0, "
      "dilation 1)");
  CHECK(
      shapesOf("max_pool2d", {{1, 1, 8, 8}}, attrs({{"k", int64_t{2}}, {"stride", int64_t{0}}})) ==
      "error: stride must be positive, got [0,0]");
  CHECK(shapesOf("max_pool2d", {{1, 1, 8, 8}}, attrs({{"k", int64_t{0}}})) ==
        "error: k must be positive, got [0,0]");
  CHECK(shapesOf("max_pool2d", {{1, 1, 8, 8}},
                 attrs({{"k", int64_t{2}}, {"dilation", int64_t{0}}})) ==
        "error: dilation must be positive, got [0,0]");
  CHECK(shapesOf("max_pool2d", {{1, 1, 8, 8}},
                 attrs({{"k", int64_t{2}}, {"stride", Ints{1, 2, 3}}})) ==
        "error: stride [1,2,3] must be none, an int or a pair of ints");
  CHECK(shapesOf("max_pool2d", {{1, 8, 8}}, attrs({{"k", int64_t{2}}})) ==
        "error: expects a 4-D input [N, C, H, W], got [1,8,8]");
}

TEST_CASE("avg_pool2d: PyTorch's output size") {
  // torch.nn.AvgPool2d(2)(torch.zeros(2,8,16,16)).shape
  CHECK(shapesOf("avg_pool2d", {{2, 8, 16, 16}}, attrs({{"k", int64_t{2}}})) == "[2,8,8,8]");
  // AvgPool2d(3, 2, padding=1) on 6x6 -> 3x3; with ceil_mode=True -> 4x4
  CHECK(shapesOf("avg_pool2d", {{1, 1, 6, 6}},
                 attrs({{"k", int64_t{3}}, {"stride", int64_t{2}}, {"padding", int64_t{1}}})) ==
        "[1,1,3,3]");
  CHECK(shapesOf("avg_pool2d", {{1, 1, 6, 6}},
                 attrs({{"k", int64_t{3}},
                        {"stride", int64_t{2}},
                        {"padding", int64_t{1}},
                        {"ceil_mode", true}})) == "[1,1,4,4]");
  // AvgPool2d(3, 1, padding=1, count_include_pad=False) keeps 17x17
  CHECK(shapesOf("avg_pool2d", {{1, 8, 17, 17}},
                 attrs({{"k", int64_t{3}},
                        {"stride", int64_t{1}},
                        {"padding", int64_t{1}},
                        {"count_include_pad", false}})) == "[1,8,17,17]");
  // AvgPool2d((2, 4)) on 8x9 -> 4x2
  CHECK(shapesOf("avg_pool2d", {{1, 1, 8, 9}}, attrs({{"k", Ints{2, 4}}})) == "[1,1,4,2]");
  CHECK(boundAttr("avg_pool2d", {{1, 1, 8, 9}}, attrs({{"k", Ints{2, 4}}}), "stride") == "[2,4]");
}

TEST_CASE("avg_pool2d: errors") {
  // torch.nn.AvgPool2d(1, padding=1): "pad should be at most half of kernel size"
  CHECK(
      shapesOf("avg_pool2d", {{1, 1, 8, 8}}, attrs({{"k", int64_t{1}}, {"padding", int64_t{1}}})) ==
      "error: pad should be at most half of kernel size, but got padding [1,1] and kernel "
      "[1,1]");
  CHECK(shapesOf("avg_pool2d", {{1, 1, 2, 8}}, attrs({{"k", int64_t{3}}})) ==
        "error: output height would be 0 (input height 2, kernel 3, stride 3, padding 0)");
  CHECK(shapesOf("avg_pool2d", {{1, 1, 8, 8}},
                 attrs({{"k", int64_t{2}}, {"dilation", int64_t{2}}})) ==
        "error: avg_pool2d has no attribute 'dilation'");
  CHECK(shapesOf("avg_pool2d", {{8, 8}}, attrs({{"k", int64_t{2}}})) ==
        "error: expects a 4-D input [N, C, H, W], got [8,8]");
}

TEST_CASE("adaptive_avg_pool2d: any output size") {
  // torch.nn.AdaptiveAvgPool2d((3, 5))(torch.zeros(2,8,16,16)).shape
  CHECK(shapesOf("adaptive_avg_pool2d", {{2, 8, 16, 16}}, attrs({{"size", Ints{3, 5}}})) ==
        "[2,8,3,5]");
  // AdaptiveAvgPool2d(7) on 14x14 -> 7x7 (VGG)
  CHECK(shapesOf("adaptive_avg_pool2d", {{1, 512, 14, 14}}, attrs({{"size", int64_t{7}}})) ==
        "[1,512,7,7]");
  // AdaptiveAvgPool2d(32) on 16x16 -> 32x32: windows overlap
  CHECK(shapesOf("adaptive_avg_pool2d", {{1, 2, 16, 16}}, attrs({{"size", int64_t{32}}})) ==
        "[1,2,32,32]");
  CHECK(shapesOf("adaptive_avg_pool2d", {{1, 2, 16, 16}}, attrs({{"size", Ints{0, 5}}})) ==
        "error: output size must be positive, got [0,5]");
  CHECK(shapesOf("adaptive_avg_pool2d", {{2, 16, 16}}, attrs({{"size", int64_t{2}}})) ==
        "error: expects a 4-D input [N, C, H, W], got [2,16,16]");
}

TEST_CASE("global_avg_pool: keeps H and W as 1") {
  // torch.nn.AdaptiveAvgPool2d(1)(torch.zeros(2,8,16,16)).shape
  CHECK(shapesOf("global_avg_pool", {{2, 8, 16, 16}}) == "[2,8,1,1]");
  CHECK(shapesOf("global_avg_pool", {{1, 1280, 7, 7}}) == "[1,1280,1,1]");
  CHECK(shapesOf("global_avg_pool", {{2, 8}}) ==
        "error: expects a 4-D input [N, C, H, W], got [2,8]");
}

TEST_CASE("pools: fusion pattern kinds") {
  for (const char *op : {"max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "global_avg_pool"})
    CHECK_MESSAGE(OpTable::get().lookup(op)->pattern == PatternKind::Reduce, op);
}

// ---- elementwise with broadcasting ------------------------------------------

TEST_CASE("mul: squeeze-and-excitation scaling broadcasts [N,C,1,1]") {
  // (torch.zeros(1,64,56,56) * torch.zeros(1,64,1,1)).shape
  CHECK(shapesOf("mul", {{1, 64, 56, 56}, {1, 64, 1, 1}}) == "[1,64,56,56]");
  CHECK(shapesOf("mul", {{1, 64, 1, 1}, {1, 64, 56, 56}}) == "[1,64,56,56]");
}

TEST_CASE("add: numpy broadcasting aligns the last dims") {
  CHECK(shapesOf("add", {{1, 64, 56, 56}, {1, 64, 56, 56}}) == "[1,64,56,56]");
  // (torch.zeros(4,1) + torch.zeros(3,1,5)).shape == (3, 4, 5)
  CHECK(shapesOf("add", {{4, 1}, {3, 1, 5}}) == "[3,4,5]");
  // (torch.zeros(5) + torch.zeros(2,1,1)).shape == (2, 1, 5)
  CHECK(shapesOf("add", {{5}, {2, 1, 1}}) == "[2,1,5]");
  // torch: "The size of tensor a (32) must match the size of tensor b (64) at
  // non-singleton dimension 1"
  CHECK(shapesOf("add", {{1, 32, 56, 56}, {1, 64, 56, 56}}) ==
        "error: cannot broadcast [1,32,56,56] with [1,64,56,56]: dimension 1 is 32 vs 64");
  // dims are counted in the result, as torch: "... at non-singleton dimension 2"
  CHECK(shapesOf("add", {{2, 5}, {3, 5, 6}}) ==
        "error: cannot broadcast [2,5] with [3,5,6]: dimension 2 is 5 vs 6");
}

TEST_CASE("sub: broadcasting and errors") {
  // (torch.zeros(8,1,1) - torch.zeros(2,8,16,16)).shape
  CHECK(shapesOf("sub", {{8, 1, 1}, {2, 8, 16, 16}}) == "[2,8,16,16]");
  // torch names the last mismatch: "The size of tensor a (3) must match the size
  // of tensor b (2) at non-singleton dimension 1"
  CHECK(shapesOf("sub", {{2, 3}, {3, 2}}) ==
        "error: cannot broadcast [2,3] with [3,2]: dimension 1 is 3 vs 2");
}

TEST_CASE("div: broadcasting, dtype promotion and overflow") {
  // (torch.zeros(2,8,16,16) / torch.zeros(16)).shape
  CHECK(shapesOf("div", {{2, 8, 16, 16}, {16}}) == "[2,8,16,16]");
  // torch: float16 + float32 -> float32, float16 + bfloat16 -> float32,
  // int8 + float16 -> float16
  CHECK(typesOf("div", {{{2}, DType::F16}, {{2}, DType::F32}}) == "f32[2]");
  CHECK(typesOf("div", {{{2}, DType::F16}, {{2}, DType::BF16}}) == "f32[2]");
  CHECK(typesOf("div", {{{2}, DType::I8}, {{2}, DType::F16}}) == "f16[2]");
  CHECK(typesOf("div", {{{2}, DType::BF16}, {{2}, DType::BF16}}) == "bf16[2]");
  // each input fits, their broadcast does not
  CHECK(shapesOf("div", {{int64_t{1} << 40, 1}, {1, int64_t{1} << 40}}) ==
        "error: the output [1099511627776,1099511627776] has more elements than 64-bit integers "
        "can count");
}

TEST_CASE("elementwise: fusion pattern kinds and no weights") {
  for (const char *op : {"add", "sub", "mul", "div"}) {
    CHECK_MESSAGE(OpTable::get().lookup(op)->pattern == PatternKind::Broadcast, op);
    CHECK_MESSAGE((OpTable::get().lookup(op)->weights == nullptr), op);
  }
}

// ---- shape ops --------------------------------------------------------------

TEST_CASE("concat: joins along dim") {
  // torch.cat([zeros(2,8,16,16), zeros(2,8,16,16), zeros(2,4,16,16)], 1).shape
  CHECK(shapesOf("concat", {{2, 8, 16, 16}, {2, 8, 16, 16}, {2, 4, 16, 16}}) == "[2,20,16,16]");
  // torch.cat([zeros(2,8,4), zeros(2,8,6)], -1).shape == (2, 8, 10)
  CHECK(shapesOf("concat", {{2, 8, 4}, {2, 8, 6}}, attrs({{"dim", int64_t{-1}}})) == "[2,8,10]");
  CHECK(shapesOf("concat", {{2, 8, 4}}) == "[2,8,4]");
  // torch.cat promotes: float16 with int8 -> float16, float32 with bfloat16 -> float32
  CHECK(typesOf("concat", {{{2}, DType::F16}, {{2}, DType::I8}}, attrs({{"dim", int64_t{0}}})) ==
        "f16[4]");
  CHECK(typesOf("concat", {{{2}, DType::F32}, {{3}, DType::BF16}}, attrs({{"dim", int64_t{0}}})) ==
        "f32[5]");
}

TEST_CASE("concat: errors") {
  // torch: "Sizes of tensors must match except in dimension 1. Expected size 4
  // but got size 5 for tensor number 1 in the list."
  CHECK(shapesOf("concat", {{2, 8, 4}, {2, 3, 5}}) ==
        "error: cannot concat [2,8,4] with [2,3,5] along dim 1: dimension 2 is 4 vs 5");
  // torch: "Tensors must have same number of dimensions: got 3 and 2"
  CHECK(shapesOf("concat", {{2, 8, 4}, {2, 3}}) ==
        "error: cannot concat [2,8,4] with [2,3]: ranks 3 and 2 differ");
  CHECK(shapesOf("concat", {{2, 8}, {2, 8}}, attrs({{"dim", int64_t{2}}})) ==
        "error: dim 2 is out of range for [2,8] (expected -2 to 1)");
  CHECK(shapesOf("concat", {}) == "error: needs at least one tensor");
  CHECK(shapesOf("concat", {{2, INT64_MAX}, {2, 1}}) ==
        "error: concat along dim 1 overflows 64-bit integers");
}

TEST_CASE("split: sizes along dim, one output each") {
  // torch.zeros(2,28,16,16).split([12, 16], 1)
  CHECK(shapesOf("split", {{2, 28, 16, 16}}, attrs({{"sizes", Ints{12, 16}}})) ==
        "[2,12,16,16] [2,16,16,16]");
  // torch.zeros(2,28,4).split([1, 2, 1], -1)
  CHECK(shapesOf("split", {{2, 28, 4}}, attrs({{"sizes", Ints{1, 2, 1}}, {"dim", int64_t{-1}}})) ==
        "[2,28,1] [2,28,2] [2,28,1]");
  // torch: "split_with_sizes expects split_sizes to sum exactly to 28 (input
  // tensor's size at dimension 1), but got split_sizes=[12, 15]"
  CHECK(shapesOf("split", {{2, 28, 4}}, attrs({{"sizes", Ints{12, 15}}})) ==
        "error: split sizes [12,15] sum to 27, not to dimension 1 of [2,28,4] (28)");
  CHECK(shapesOf("split", {{2, 28, 4}}, attrs({{"sizes", Ints{28, 0}}})) ==
        "error: split sizes must be positive, got [28,0]");
  CHECK(shapesOf("split", {{2, 28, 4}}, attrs({{"sizes", Ints{}}})) ==
        "error: needs at least one size");
  CHECK(shapesOf("split", {{2, 28, 4}}, attrs({{"sizes", Ints{28}}, {"dim", int64_t{3}}})) ==
        "error: dim 3 is out of range for [2,28,4] (expected -3 to 2)");
}

TEST_CASE("chunk: torch.chunk's sizes, sometimes fewer chunks than asked") {
  // torch.chunk(torch.zeros(1,5,2), 4, 1): sizes 2, 2, 1 (three chunks)
  CHECK(shapesOf("chunk", {{1, 5, 2}}, attrs({{"chunks", int64_t{4}}})) ==
        "[1,2,2] [1,2,2] [1,1,2]");
  // torch.chunk(torch.zeros(1,6,2), 4, 1): 2, 2, 2
  CHECK(shapesOf("chunk", {{1, 6, 2}}, attrs({{"chunks", int64_t{4}}})) ==
        "[1,2,2] [1,2,2] [1,2,2]");
  // torch.chunk(torch.zeros(1,2,2), 4, 1): 1, 1
  CHECK(shapesOf("chunk", {{1, 2, 2}}, attrs({{"chunks", int64_t{4}}})) == "[1,1,2] [1,1,2]");
  // torch.chunk(torch.zeros(1,16,2), 3, 1): 6, 6, 4
  CHECK(shapesOf("chunk", {{1, 16, 2}}, attrs({{"chunks", int64_t{3}}})) ==
        "[1,6,2] [1,6,2] [1,4,2]");
  // torch.chunk(torch.zeros(1,13,2), 5, 1): 3, 3, 3, 3, 1
  CHECK(shapesOf("chunk", {{1, 13, 2}}, attrs({{"chunks", int64_t{5}}})) ==
        "[1,3,2] [1,3,2] [1,3,2] [1,3,2] [1,1,2]");
  // torch.chunk(torch.zeros(2,3,10), 4, -1): 3, 3, 3, 1
  CHECK(shapesOf("chunk", {{2, 3, 10}}, attrs({{"chunks", int64_t{4}}, {"dim", int64_t{-1}}})) ==
        "[2,3,3] [2,3,3] [2,3,3] [2,3,1]");
  CHECK(shapesOf("chunk", {{1, 24, 16, 16}}, attrs({{"chunks", int64_t{2}}})) ==
        "[1,12,16,16] [1,12,16,16]");
  // torch: "chunk expects `chunks` to be greater than 0, got: 0"
  CHECK(shapesOf("chunk", {{1, 4}}, attrs({{"chunks", int64_t{0}}})) ==
        "error: chunks must be positive, got 0");
}

TEST_CASE("channel_shuffle: groups divide the channels") {
  // torch.nn.ChannelShuffle(2)(torch.zeros(1,24,16,16)).shape
  CHECK(shapesOf("channel_shuffle", {{1, 24, 16, 16}}, attrs({{"groups", int64_t{2}}})) ==
        "[1,24,16,16]");
  // torch: "Number of channels must be divisible by groups. Got 12 channels and 5 groups."
  CHECK(shapesOf("channel_shuffle", {{2, 12, 4, 4}}, attrs({{"groups", int64_t{5}}})) ==
        "error: channels 12 of [2,12,4,4] are not divisible by groups 5");
  CHECK(shapesOf("channel_shuffle", {{2, 12, 4, 4}}, attrs({{"groups", int64_t{0}}})) ==
        "error: groups must be positive, got 0");
  // torch: "channel_shuffle expects input with > 2 dims, but got input with sizes [2, 12]"
  CHECK(shapesOf("channel_shuffle", {{2, 12}}, attrs({{"groups", int64_t{3}}})) ==
        "error: expects an input of at least 3 dimensions [N, C, H, ...], got [2,12]");
}

TEST_CASE("flatten: start and end dims, inclusive") {
  // torch.flatten(torch.zeros(2,3,4,5), 1).shape == (2, 60)
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}}) == "[2,60]");
  // torch.flatten(x, 1, 2) and torch.flatten(x, -3, -2): (2, 12, 5)
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}}, attrs({{"start", int64_t{1}}, {"end", int64_t{2}}})) ==
        "[2,12,5]");
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}},
                 attrs({{"start", int64_t{-3}}, {"end", int64_t{-2}}})) == "[2,12,5]");
  // torch.flatten(x, 0, -1) == (120,); torch.flatten(x, 2, 2) keeps the shape
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}}, attrs({{"start", int64_t{0}}})) == "[120]");
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}}, attrs({{"start", int64_t{2}}, {"end", int64_t{2}}})) ==
        "[2,3,4,5]");
  CHECK(shapesOf("flatten", {{1, 1280, 1, 1}}) == "[1,1280]");
}

TEST_CASE("flatten: errors") {
  // torch: "flatten() has invalid args: start_dim cannot come after end_dim"
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}}, attrs({{"start", int64_t{2}}, {"end", int64_t{1}}})) ==
        "error: start dim 2 comes after end dim 1 in [2,3,4,5]");
  // torch.flatten(torch.zeros(5), 1): "Dimension out of range (expected to be in
  // range of [-1, 0], but got 1)"
  CHECK(shapesOf("flatten", {{5}}) == "error: start 1 is out of range for [5] (expected -1 to 0)");
  CHECK(shapesOf("flatten", {{2, 3, 4, 5}}, attrs({{"end", int64_t{4}}})) ==
        "error: end 4 is out of range for [2,3,4,5] (expected -4 to 3)");
  CHECK(shapesOf("flatten", {{2, int64_t{1} << 32, int64_t{1} << 32}}) ==
        "error: flattening [2,4294967296,4294967296] overflows 64-bit integers");
}

TEST_CASE("reshape: one dim may be inferred") {
  // torch.zeros(2,512).reshape(2,-1,4).shape == (2, 128, 4)
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{2, -1, 4}}})) == "[2,128,4]");
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{-1}}})) == "[1024]");
  CHECK(shapesOf("reshape", {{2, 3, 4}}, attrs({{"shape", Ints{4, 3, 2}}})) == "[4,3,2]");
  // torch.zeros(1,1,1).reshape([]).shape == () (a 0-d tensor)
  CHECK(shapesOf("reshape", {{1, 1, 1}}, attrs({{"shape", Ints{}}})) == "[]");
  // the attribute keeps the -1 as written
  CHECK(boundAttr("reshape", {{2, 512}}, attrs({{"shape", Ints{2, -1, 4}}}), "shape") ==
        "[2,-1,4]");
}

TEST_CASE("reshape: errors") {
  // torch: "shape '[2, -1, 5]' is invalid for input of size 1024"
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{2, -1, 5}}})) ==
        "error: cannot reshape [2,512] (1024 elements) to [2,-1,5]");
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{3, 5}}})) ==
        "error: cannot reshape [2,512] (1024 elements) to [3,5]");
  // torch: "only one dimension can be inferred"
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{-1, -1}}})) ==
        "error: can infer only one dimension (-1), got [-1,-1]");
  // torch: "invalid shape dimension -2"
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{2, -2}}})) ==
        "error: shape dimensions must be positive or -1, got [2,-2]");
  CHECK(shapesOf("reshape", {{2, 512}}, attrs({{"shape", Ints{0, -1}}})) ==
        "error: shape dimensions must be positive or -1, got [0,-1]");
  CHECK(shapesOf("reshape", {{2, 512}},
                 attrs({{"shape", Ints{int64_t{1} << 32, int64_t{1} << 32}}})) ==
        "error: shape [4294967296,4294967296] overflows 64-bit integers");
}

TEST_CASE("transpose: swaps two dims") {
  // torch.zeros(2,3,4).transpose(1, 2) / (-1, 0) / (1, 1)
  CHECK(shapesOf("transpose", {{2, 3, 4}}, attrs({{"dim0", int64_t{1}}, {"dim1", int64_t{2}}})) ==
        "[2,4,3]");
  CHECK(shapesOf("transpose", {{2, 3, 4}}, attrs({{"dim0", int64_t{-1}}, {"dim1", int64_t{0}}})) ==
        "[4,3,2]");
  CHECK(shapesOf("transpose", {{2, 3, 4}}, attrs({{"dim0", int64_t{1}}, {"dim1", int64_t{1}}})) ==
        "[2,3,4]");
  CHECK(shapesOf("transpose", {{2, 3, 4}}, attrs({{"dim0", int64_t{3}}, {"dim1", int64_t{0}}})) ==
        "error: dim0 3 is out of range for [2,3,4] (expected -3 to 2)");
  CHECK(shapesOf("transpose", {{2, 3, 4}}, attrs({{"dim0", int64_t{0}}, {"dim1", int64_t{-4}}})) ==
        "error: dim1 -4 is out of range for [2,3,4] (expected -3 to 2)");
}

TEST_CASE("permute: a permutation of the dims") {
  // torch.zeros(2,3,4).permute(2, 0, 1) and permute(-1, 0, 1): (4, 2, 3)
  CHECK(shapesOf("permute", {{2, 3, 4}}, attrs({{"dims", Ints{2, 0, 1}}})) == "[4,2,3]");
  CHECK(shapesOf("permute", {{2, 3, 4}}, attrs({{"dims", Ints{-1, 0, 1}}})) == "[4,2,3]");
  // NCHW -> NHWC
  CHECK(shapesOf("permute", {{2, 8, 16, 16}}, attrs({{"dims", Ints{0, 2, 3, 1}}})) ==
        "[2,16,16,8]");
  // torch: "permute(): duplicate dims are not allowed."
  CHECK(shapesOf("permute", {{2, 3, 4}}, attrs({{"dims", Ints{2, -1, 1}}})) ==
        "error: permute dims [2,-1,1] are not a permutation: dim 2 repeats");
  CHECK(shapesOf("permute", {{2, 3, 4}}, attrs({{"dims", Ints{2, 1}}})) ==
        "error: needs 3 dims for [2,3,4], got [2,1]");
  CHECK(shapesOf("permute", {{2, 3, 4}}, attrs({{"dims", Ints{2, 1, 3}}})) ==
        "error: dim 3 is out of range for [2,3,4] (expected -3 to 2)");
}

TEST_CASE("pad: F.pad's pairs from the last dim backwards") {
  // F.pad(torch.zeros(2,8,16,16), [1, 1, 2, 2]).shape == (2, 8, 20, 18)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}}, attrs({{"pads", Ints{1, 1, 2, 2}}})) == "[2,8,20,18]");
  // F.pad(x, [1,2,3,4,5,6,7,8]).shape == (17, 19, 23, 19)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}}, attrs({{"pads", Ints{1, 2, 3, 4, 5, 6, 7, 8}}})) ==
        "[17,19,23,19]");
  // F.pad(x, []) keeps the shape; negative constant padding crops: [-1, -2] -> (2, 8, 16, 13)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}}, attrs({{"pads", Ints{}}})) == "[2,8,16,16]");
  CHECK(shapesOf("pad", {{2, 8, 16, 16}}, attrs({{"pads", Ints{-1, -2}}})) == "[2,8,16,13]");
  // F.pad(x, [15, 2, 3, 3], mode="reflect").shape == (2, 8, 22, 33)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{15, 2, 3, 3}}, {"mode", std::string("reflect")}})) ==
        "[2,8,22,33]");
  // F.pad(torch.zeros(8,16,16), [1, 2, 3, 4], mode="reflect") (unbatched) -> (8, 23, 19)
  CHECK(shapesOf("pad", {{8, 16, 16}},
                 attrs({{"pads", Ints{1, 2, 3, 4}}, {"mode", std::string("reflect")}})) ==
        "[8,23,19]");
  // F.pad(x, [-2, 1, 0, 0], mode="reflect") -> (2, 8, 16, 15)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{-2, 1, 0, 0}}, {"mode", std::string("reflect")}})) ==
        "[2,8,16,15]");
  // F.pad(x, [20, 2, 0, 0], mode="replicate") -> (2, 8, 16, 38)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{20, 2, 0, 0}}, {"mode", std::string("replicate")}})) ==
        "[2,8,16,38]");
  // F.pad(x, [16, 2, 0, 0], mode="circular") -> (2, 8, 16, 34)
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{16, 2, 0, 0}}, {"mode", std::string("circular")}})) ==
        "[2,8,16,34]");
}

TEST_CASE("pad: errors") {
  // torch: "Padding length must be divisible by 2"
  CHECK(shapesOf("pad", {{2, 8, 16, 16}}, attrs({{"pads", Ints{1}}})) ==
        "error: pads [1] must come in (before, after) pairs, from the last dim backwards");
  // torch: "Padding length too large"
  CHECK(shapesOf("pad", {{2, 8}}, attrs({{"pads", Ints{1, 1, 1, 1, 1, 1}}})) ==
        "error: pads [1,1,1,1,1,1] pad 3 dims, but [2,8] has 2");
  // F.pad(x, [0, 0, -8, -8]) gives an empty dim, which netc does not allow
  CHECK(shapesOf("pad", {{2, 8, 16, 16}}, attrs({{"pads", Ints{0, 0, -8, -8}}})) ==
        "error: padding (-8, -8) leaves dim 2 of [2,8,16,16] with size 0");
  // torch: "Argument #4: Padding size should be less than the corresponding input dimension"
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{16, 2, 1, 1}}, {"mode", std::string("reflect")}})) ==
        "error: reflect padding (16, 2) of dim 3 must be smaller than its size 16 in [2,8,16,16]");
  // torch: "Padding value causes wrapping around more than once."
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{17, 2, 0, 0}}, {"mode", std::string("circular")}})) ==
        "error: circular padding (17, 2) of dim 3 must be at most its size 16 in [2,8,16,16]");
  // torch: "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now"
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{1, 1}}, {"mode", std::string("reflect")}})) ==
        "error: mode \"reflect\" pads the last 1, 2 or 3 dims of an input with 1 or 2 more dims, "
        "not 1 of [2,8,16,16]");
  // torch: "Padding mode \"reflect\" doesn't take in value argument"
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{1, 1, 1, 1}},
                        {"mode", std::string("reflect")},
                        {"value", 1.0}})) == "error: mode \"reflect\" takes no value, got 1.0");
  CHECK(shapesOf("pad", {{2, 8, 16, 16}},
                 attrs({{"pads", Ints{1, 1}}, {"mode", std::string("edge")}})) ==
        "error: mode \"edge\" is not \"constant\", \"reflect\", \"replicate\" or \"circular\"");
  CHECK(shapesOf("pad", {{2, 8, 16, INT64_MAX}}, attrs({{"pads", Ints{1, 1}}})) ==
        "error: padding [2,8,16,9223372036854775807] overflows 64-bit integers");
}

TEST_CASE("upsample: scale or size, as F.interpolate") {
  // F.interpolate(torch.zeros(2,8,16,16), scale_factor=2.0).shape == (2, 8, 32, 32)
  CHECK(shapesOf("upsample", {{2, 8, 16, 16}}, attrs({{"scale", 2.0}})) == "[2,8,32,32]");
  // scale_factor=1.5 on 7x7 -> 10x10; 0.3 on 7x5 -> 2x1; 2.5 on 9x11 -> 22x27 (floor)
  CHECK(shapesOf("upsample", {{1, 1, 7, 7}}, attrs({{"scale", 1.5}})) == "[1,1,10,10]");
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"scale", 0.3}})) == "[1,1,2,1]");
  CHECK(shapesOf("upsample", {{1, 3, 9, 11}},
                 attrs({{"scale", 2.5}, {"mode", std::string("bilinear")}})) == "[1,3,22,27]");
  // an int scale is a number
  CHECK(shapesOf("upsample", {{1, 3, 9, 11}}, attrs({{"scale", int64_t{2}}})) == "[1,3,18,22]");
  // F.interpolate(x, size=(20, 24), mode="bilinear") / size=20
  CHECK(shapesOf("upsample", {{2, 8, 16, 16}},
                 attrs({{"size", Ints{20, 24}}, {"mode", std::string("bilinear")}})) ==
        "[2,8,20,24]");
  CHECK(shapesOf("upsample", {{2, 8, 16, 16}}, attrs({{"size", int64_t{20}}})) == "[2,8,20,20]");
  CHECK(boundAttr("upsample", {{2, 8, 16, 16}}, attrs({{"size", int64_t{20}}}), "size") ==
        "[20,20]");
}

TEST_CASE("upsample: errors") {
  // torch: "Input and output sizes should be greater than 0, but got input (H: 7, W: 5)
  // output (H: 0, W: 0)"
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"scale", 0.1}})) ==
        "error: output height would be 0 (input height 7, scale 0.1)");
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"scale", -1.0}})) ==
        "error: scale must be positive, got -1.0");
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"size", Ints{0, 3}}})) ==
        "error: size must be positive, got [0,3]");
  // torch: "Input and output must have the same number of spatial dimensions"
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"size", Ints{20}}})) ==
        "error: size [20] must be an int or a pair (h, w)");
  // torch: "only one of size or scale_factor should be defined"
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"size", int64_t{2}}, {"scale", 2.0}})) ==
        "error: takes either scale or size, not both");
  // torch: "either size or scale_factor should be defined"
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}) == "error: needs either scale or size");
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}},
                 attrs({{"scale", 2.0}, {"mode", std::string("bicubic")}})) ==
        "error: mode \"bicubic\" is not \"nearest\" or \"bilinear\"");
  CHECK(shapesOf("upsample", {{1, 7, 5}}, attrs({{"scale", 2.0}})) ==
        "error: expects a 4-D input [N, C, H, W], got [1,7,5]");
  CHECK(shapesOf("upsample", {{1, 1, 7, 5}}, attrs({{"scale", 1e300}})) ==
        "error: upsampling [1,1,7,5] by 1e+300 overflows 64-bit integers");
  CHECK(shapesOf("upsample", {{1024, 1024, 1024, 1024}}, attrs({{"scale", 4096.0}})) ==
        "error: the output [1024,1024,4194304,4194304] has more elements than 64-bit integers "
        "can count");
}

TEST_CASE("dropout: p is a probability") {
  CHECK(shapesOf("dropout", {{1, 1280}}, attrs({{"p", 0.2}})) == "[1,1280]");
  CHECK(shapesOf("dropout", {{1, 1280}}, attrs({{"p", int64_t{0}}})) == "[1,1280]");
  CHECK(shapesOf("dropout", {{1, 1280}}, attrs({{"p", 1.0}})) == "[1,1280]");
  // torch: "dropout probability has to be between 0 and 1, but got 1.5"
  CHECK(shapesOf("dropout", {{1, 1280}}, attrs({{"p", 1.5}})) ==
        "error: dropout probability must be between 0 and 1, got 1.5");
  CHECK(shapesOf("dropout", {{1, 1280}}, attrs({{"p", -0.1}})) ==
        "error: dropout probability must be between 0 and 1, got -0.1");
}

TEST_CASE("identity: returns its input") {
  CHECK(shapesOf("identity", {{2, 10}}) == "[2,10]");
  CHECK(typesOf("identity", {{{2, 10}, DType::BF16}}) == "bf16[2,10]");
}

TEST_CASE("shape ops: fusion pattern kinds and no weights") {
  for (const char *op : {"concat", "split", "chunk", "channel_shuffle", "flatten", "reshape",
                         "transpose", "permute", "pad", "upsample"}) {
    CHECK_MESSAGE(OpTable::get().lookup(op)->pattern == PatternKind::Injective, op);
    CHECK_MESSAGE((OpTable::get().lookup(op)->weights == nullptr), op);
  }
  for (const char *op : {"dropout", "identity"})
    CHECK_MESSAGE(OpTable::get().lookup(op)->pattern == PatternKind::Elementwise, op);
}

TEST_CASE("chunk: a huge dim neither overflows nor makes millions of outputs") {
  // A fuzzer found `start += size` overflowing for a dim near 2^63.
  const int64_t huge = 9223372036854775000;
  std::vector<netc::ir::TensorType> outs;
  netc::ir::Attrs bound;
  netc::ir::Attrs given;
  given.set("chunks", int64_t{3});
  const netc::ir::OpDef &chunk = *netc::ir::OpTable::get().lookup("chunk");
  REQUIRE(netc::ir::inferShapes(chunk, {netc::ir::TensorType{{1, huge}}}, given, bound, outs) == "");
  REQUIRE(outs.size() == 3);
  CHECK(outs[0].shape[1] + outs[1].shape[1] + outs[2].shape[1] == huge);
  outs.clear();
  given.set("chunks", int64_t{2'000'000});
  CHECK(netc::ir::inferShapes(chunk, {netc::ir::TensorType{{1, huge}}}, given, bound, outs) ==
        "chunk would give 2000000 outputs; at most 1000000 are allowed");
}
