//===- Input.cpp - input and param: tensors already in memory -------------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

namespace netc::ir {

namespace {

// input, param: a tensor of exactly `shape` and `dtype`.
std::string sourceShape(OpCall &c, std::vector<TensorType> &outs) {
  const std::string &what = c.op.name;
  const Ints &shape = c.attrs.getInts("shape");
  if (shape.empty())
    return fmt::format("{} needs at least one dimension", c.op.isInput ? "an input" : "a param");
  for (int64_t d : shape)
    if (d <= 0)
      return fmt::format("{} must be positive, got {}",
                         c.op.isInput ? "input dimensions" : "dimensions", formatShape(shape));
  auto dt = parseDType(c.attrs.getStr("dtype"));
  if (!dt)
    return fmt::format("unknown dtype \"{}\" (expected f32, f16, bf16, i8 or i64)",
                       c.attrs.getStr("dtype"));
  TensorType t{Shape(shape.begin(), shape.end()), *dt};
  if (!t.numElements())
    return fmt::format("{} {} has more elements than 64-bit integers can count", what,
                       formatShape(shape));
  outs.push_back(std::move(t));
  return "";
}

// input: nothing to compute; the evaluator supplies the input's buffer.
void inputEval(const OpCall &, llvm::ArrayRef<const Buffer *>, llvm::ArrayRef<const Buffer *>,
               std::vector<Buffer> &) {}

// param: one learnable tensor of the output's shape, without a name of its
// own: its state-dict key is the node's path (stateDictKey), as PyTorch
// names an nn.Parameter attribute ("class_token", "encoder.pos_embedding").
void paramWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  const Ints &shape = c.attrs.getInts("shape");
  ws.push_back({"", Shape(shape.begin(), shape.end()), /*learnable=*/true});
}

// param: the output is the weight.
void paramEval(const OpCall &, llvm::ArrayRef<const Buffer *>, llvm::ArrayRef<const Buffer *> ws,
               std::vector<Buffer> &outs) {
  outs[0].data = ws[0]->data;
}

// ONNX: an input is a graph input; a param is its weight (a graph input or
// an initializer, by --weights), read where it is used: no node.
std::string inputOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.graphInput(c.outputs[0])};
  return "";
}

std::string paramOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.w[0]};
  return "";
}

} // namespace

void registerInputOps(OpTable &t) {
  OpDef &in = t.add({"input",
         {{"shape", ParamKind::Ints}, {"dtype", ParamKind::Str, false, std::string("f32")}},
         PatternKind::Opaque,
         sourceShape,
         nullptr,
         "a graph input: input([N, C, H, W], dtype=\"f32\"); dtype=\"i64\" for token ids",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: the input is already in memory; the ops reading it count its bytes",
         /*view=*/true});
  in.eval = inputEval;
  in.onnx = inputOnnx;
  in.isInput = true;
  in.namedAfterVariable = true;
  OpDef &param = t.add({"param",
         {{"shape", ParamKind::Ints}, {"dtype", ParamKind::Str, false, std::string("f32")}},
         PatternKind::Opaque,
         sourceShape,
         paramWeights,
         "a learned tensor of exactly `shape` (nn.Parameter: a class token, a position "
         "embedding, a layer scale): param([1, 1, 768]); named after its variable",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a weight already in memory; the ops reading it count its bytes",
         /*view=*/true});
  param.eval = paramEval;
  param.onnx = paramOnnx;
  param.namedAfterVariable = true;
  param.outputIsWeight = true;
}

} // namespace netc::ir
