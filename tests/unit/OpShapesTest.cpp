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
        "error: conv2d expects a 4-D input [N, C, H, W], got [1,3,8]");
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
