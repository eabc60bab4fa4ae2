//===- View.cpp - flatten, reshape, dropout, identity -----------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::ir {

namespace {

// flatten: torch.flatten(x, start, end) merges dims start..end (inclusive).
std::string flattenShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t start, end;
  if (std::string e = wrapDim("start", c.attrs.getInt("start"), x, start); !e.empty())
    return e;
  if (std::string e = wrapDim("end", c.attrs.getInt("end"), x, end); !e.empty())
    return e;
  if (start > end)
    return fmt::format("start dim {} comes after end dim {} in {}", start, end, shapeText(x));
  int64_t merged = 1;
  for (int64_t d = start; d <= end; ++d) {
    auto m = checkedMul(merged, x.shape[d]);
    if (!m)
      return fmt::format("flattening {} overflows 64-bit integers", shapeText(x));
    merged = *m;
  }
  TensorType y{{}, x.dtype};
  y.shape.append(x.shape.begin(), x.shape.begin() + start);
  y.shape.push_back(merged);
  y.shape.append(x.shape.begin() + end + 1, x.shape.end());
  outs.push_back(std::move(y));
  return "";
}

// reshape: torch.reshape; one dim may be -1 (inferred). The element count is
// kept. An empty shape makes a 0-d tensor of one element, as in PyTorch.
std::string reshapeShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  const Ints &shape = c.attrs.getInts("shape");
  auto count = x.numElements();
  if (!count)
    return fmt::format("{} has more elements than 64-bit integers can count", shapeText(x));
  int inferred = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (inferred >= 0)
        return fmt::format("can infer only one dimension (-1), got {}", formatAttrValue(shape));
      inferred = static_cast<int>(i);
      continue;
    }
    if (shape[i] <= 0)
      return fmt::format("shape dimensions must be positive or -1, got {}", formatAttrValue(shape));
    auto k = checkedMul(known, shape[i]);
    if (!k)
      return fmt::format("shape {} overflows 64-bit integers", formatAttrValue(shape));
    known = *k;
  }
  auto mismatch = [&] {
    return fmt::format("cannot reshape {} ({} elements) to {}", shapeText(x), *count,
                       formatAttrValue(shape));
  };
  TensorType y{Shape(shape.begin(), shape.end()), x.dtype};
  if (inferred >= 0) {
    if (*count % known != 0)
      return mismatch();
    y.shape[inferred] = *count / known;
  } else if (known != *count) {
    return mismatch();
  }
  outs.push_back(std::move(y));
  return "";
}

// dropout: identity at inference; p is checked as torch.nn.Dropout does.
std::string dropoutShape(OpCall &c, std::vector<TensorType> &outs) {
  double p = c.attrs.getFloat("p");
  if (!(p >= 0 && p <= 1))
    return fmt::format("dropout probability must be between 0 and 1, got {}", formatAttrValue(p));
  outs.push_back(c.inputs[0]);
  return "";
}

std::string identityShape(OpCall &c, std::vector<TensorType> &outs) {
  outs.push_back(c.inputs[0]);
  return "";
}

// flatten, reshape, dropout (at inference), identity: the same elements.
void copyEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
              std::vector<Buffer> &outs) {
  outs[0].data = ins[0]->data;
}

// ONNX: a view is a Reshape to its static output shape (flatten too: ONNX's
// Flatten makes 2-D only); dropout and identity are an Identity at inference.
std::string reshapeOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {onnxReshape(c.b, c.in[0], c.outputs[0].shape)};
  return "";
}

std::string identityOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("Identity", {c.in[0]})};
  return "";
}

void setView(OpDef &d, OnnxRule onnx) {
  d.eval = copyEval;
  d.onnx = onnx;
}

} // namespace

void registerViewOps(OpTable &t) {
  setView(t.add({"flatten",
         {{"x", ParamKind::Tensor},
          {"start", ParamKind::Int, false, int64_t{1}},
          {"end", ParamKind::Int, false, int64_t{-1}}},
         PatternKind::Injective,
         flattenShape,
         nullptr,
         "merges dims start..end into one (torch.flatten)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true}),
          reshapeOnnx);
  setView(t.add({"reshape",
         {{"x", ParamKind::Tensor}, {"shape", ParamKind::Ints}},
         PatternKind::Injective,
         reshapeShape,
         nullptr,
         "the same elements in another shape; one dim may be -1 (torch.reshape)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true}),
          reshapeOnnx);
  setView(t.add({"dropout",
         {{"x", ParamKind::Tensor}, {"p", ParamKind::Float, false, 0.5}},
         PatternKind::Elementwise,
         dropoutShape,
         nullptr,
         "zeroes elements with probability p in training; the identity at inference "
         "(torch.nn.Dropout)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true}),
          identityOnnx);
  setView(t.add({"identity",
         {{"x", ParamKind::Tensor}},
         PatternKind::Elementwise,
         identityShape,
         nullptr,
         "returns its input (torch.nn.Identity)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true}),
          identityOnnx);
}

} // namespace netc::ir
