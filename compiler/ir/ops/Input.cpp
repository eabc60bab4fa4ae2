//===- Input.cpp - input: a graph input of a given shape and dtype ----------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

namespace netc::ir {

namespace {

std::string inputShape(OpCall &c, std::vector<TensorType> &outs) {
  const Ints &shape = c.attrs.getInts("shape");
  if (shape.empty())
    return "an input needs at least one dimension";
  for (int64_t d : shape)
    if (d <= 0)
      return fmt::format("input dimensions must be positive, got {}", formatShape(shape));
  auto dt = parseDType(c.attrs.getStr("dtype"));
  if (!dt)
    return fmt::format("unknown dtype \"{}\" (expected f32, f16, bf16, i8 or i64)",
                       c.attrs.getStr("dtype"));
  TensorType t{Shape(shape.begin(), shape.end()), *dt};
  if (!t.numElements())
    return fmt::format("input {} has more elements than 64-bit integers can count",
                       formatShape(shape));
  outs.push_back(std::move(t));
  return "";
}

// input: nothing to compute; the evaluator supplies the input's buffer.
void inputEval(const OpCall &, llvm::ArrayRef<const Buffer *>, llvm::ArrayRef<const Buffer *>,
               std::vector<Buffer> &) {}

} // namespace

void registerInputOps(OpTable &t) {
  OpDef &in = t.add({"input",
         {{"shape", ParamKind::Ints}, {"dtype", ParamKind::Str, false, std::string("f32")}},
         PatternKind::Opaque,
         inputShape,
         nullptr,
         "a graph input: input([N, C, H, W], dtype=\"f32\"); dtype=\"i64\" for token ids",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: the input is already in memory; the ops reading it count its bytes",
         /*view=*/true});
  in.eval = inputEval;
  in.isInput = true;
}

} // namespace netc::ir
