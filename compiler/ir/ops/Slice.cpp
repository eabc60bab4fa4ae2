//===- Slice.cpp - slice and select: a range or one index of a dim --------===//
//
// `x[:, 0]` and `x[1:5]` in .net elaborate to these ops, one per indexed dim
// (sema/ElaboratorExpr.cpp). They copy their part of the input, as chunk and
// split do: 0 FLOPs, their bytes counted.
//
//===----------------------------------------------------------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::ir {

namespace {

/// The elements of dim `dim` of `x` that a slice or select takes: `count`
/// of them, from `start`, `step` apart.
struct Range {
  size_t dim;
  int64_t start, step, count;
};

/// The call's `dim` wrapped into [0, rank) (wrapDim) and that dim's size.
std::string dimAndSize(const OpCall &c, int64_t &dim, int64_t &n) {
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim); !e.empty())
    return e;
  n = c.inputs[0].shape[static_cast<size_t>(dim)];
  return "";
}

// slice: torch's x[..., start:end:step, ...] along `dim`, Python's rules: a
// negative start or end counts from the end, both are clamped to [0, n];
// step >= 1. The attributes are normalized to the clamped bounds. The IR has
// no empty tensors, so an empty range is an error.
std::string sliceShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t dim, n;
  if (std::string e = dimAndSize(c, dim, n); !e.empty())
    return e;
  const int64_t step = c.attrs.getInt("step");
  if (step < 1)
    return fmt::format("slice step must be at least 1, got {}", step);
  auto bound = [&](const char *name, int64_t dflt) {
    const AttrValue &v = *c.attrs.find(name);
    if (!std::holds_alternative<int64_t>(v))
      return dflt;
    const int64_t i = std::get<int64_t>(v);
    return std::clamp<int64_t>(i < 0 ? (i < -n ? 0 : i + n) : i, 0, n);
  };
  const int64_t start = bound("start", 0), end = bound("end", n);
  if (start >= end) {
    auto text = [&](const char *name) {
      const AttrValue &v = *c.attrs.find(name);
      return std::holds_alternative<int64_t>(v) ? std::to_string(std::get<int64_t>(v)) : "";
    };
    return fmt::format("the range {}:{} of dim {} (size {}) of {} is empty", text("start"),
                       text("end"), dim, n, shapeText(x));
  }
  c.attrs.set("start", start);
  c.attrs.set("end", end);
  TensorType y = x;
  y.shape[static_cast<size_t>(dim)] = ceilDiv(end - start, step);
  outs.push_back(std::move(y));
  return "";
}

// select: torch.select(x, dim, index): one index of `dim`, which is removed;
// a negative index counts from the end. The index is normalized.
std::string selectShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t dim, n;
  if (std::string e = dimAndSize(c, dim, n); !e.empty())
    return e;
  const int64_t index = c.attrs.getInt("index");
  if (index < -n || index >= n)
    return fmt::format("index {} is out of range for dim {} of size {} of {}", index, dim, n,
                       shapeText(x));
  c.attrs.set("index", index < 0 ? index + n : index);
  TensorType y = x;
  y.shape.erase(y.shape.begin() + dim);
  outs.push_back(std::move(y));
  return "";
}

/// The range a normalized slice or select call takes.
Range rangeOf(const Attrs &attrs, const TensorType &x) {
  int64_t dim;
  wrapDim("dim", attrs.getInt("dim"), x, dim);
  if (attrs.has("index"))
    return {static_cast<size_t>(dim), attrs.getInt("index"), 1, 1};
  const int64_t start = attrs.getInt("start"), step = attrs.getInt("step");
  return {static_cast<size_t>(dim), start, step, ceilDiv(attrs.getInt("end") - start, step)};
}

// ONNX: slice is Slice(x, [start], [end], [dim], [step]) of the normalized
// bounds; select is Gather of a 0-d index, which removes the dim.
std::string sliceOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const Range r = rangeOf(c.attrs, c.inputs[0]);
  OnnxBuilder &b = c.b;
  const int64_t dim = static_cast<int64_t>(r.dim);
  if (c.attrs.has("index")) {
    out = {b.node("Gather", {c.in[0], b.ints({r.start}, true)}, {{"axis", dim}})};
    return "";
  }
  out = {b.node("Slice", {c.in[0], b.ints({r.start}), b.ints({c.attrs.getInt("end")}),
                          b.ints({dim}), b.ints({r.step})})};
  return "";
}

// slice, select: for each slice `o` of the dims before `dim` and each taken
// index j, the block of the dims after `dim`.
void sliceEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
               std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const Range r = rangeOf(c.attrs, c.inputs[0]);
  const size_t outer = static_cast<size_t>(dimsProduct(x.shape, 0, r.dim));
  const size_t inner = static_cast<size_t>(dimsProduct(x.shape, r.dim + 1, x.shape.size()));
  const size_t n = static_cast<size_t>(x.shape[r.dim]), count = static_cast<size_t>(r.count);
  size_t at = 0;
  for (size_t o = 0; o < outer; ++o)
    for (size_t j = 0; j < count; ++j) {
      const size_t index = static_cast<size_t>(r.start + static_cast<int64_t>(j) * r.step);
      const size_t from = (o * n + index) * inner;
      std::copy_n(x.data.begin() + static_cast<ptrdiff_t>(from), inner,
                  outs[0].data.begin() + static_cast<ptrdiff_t>(at));
      at += inner;
    }
}

// slice, select: the same loops as the eval rule, the taken index of `dim`
// being start + j * step.
std::string sliceKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  const Range r = rangeOf(c.attrs, c.inputs[0]);
  const int64_t outer = dimsProduct(x, 0, r.dim), inner = dimsProduct(x, r.dim + 1, x.size());
  c.name = fmt::format("{}_dim{}", c.op.name, r.dim);
  if (r.step != 1)
    c.name += fmt::format("_s{}", r.step);
  w.forLoop("o", outer);
  w.forLoop("j", r.count);
  w.forLoop("i", inner);
  c.store(w, 0, fmt::format("(o * {} + j) * {} + i", r.count, inner),
          fmt::format("{}[(o * {} + {} + j * {}) * {} + i]", c.in[0], x[r.dim], r.start, r.step,
                      inner));
  w.close();
  w.close();
  w.close();
  return "";
}

constexpr const char *kNoDnnl =
    "oneDNN has no slice primitive (frameworks take a view of the input)";

} // namespace

void registerSliceOps(OpTable &t) {
  OpDef &slice = t.add({"slice",
         {{"x", ParamKind::Tensor},
          {"dim", ParamKind::Int},
          {"start", ParamKind::OptInt, false, NoneAttr{}},
          {"end", ParamKind::OptInt, false, NoneAttr{}},
          {"step", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         sliceShape,
         nullptr,
         "the range start:end:step of `dim` (x[:, a:b:s]; torch.narrow for step 1); "
         "negative bounds count from the end",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  slice.eval = sliceEval;
  slice.kernel = sliceKernel;
  slice.onnx = sliceOnnx;
  slice.dnnl.why = kNoDnnl;
  OpDef &select = t.add({"select",
         {{"x", ParamKind::Tensor}, {"dim", ParamKind::Int}, {"index", ParamKind::Int}},
         PatternKind::Injective,
         selectShape,
         nullptr,
         "index `index` of `dim`, which is removed (x[:, 0]; torch.select)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  select.eval = sliceEval;
  select.kernel = sliceKernel;
  select.onnx = sliceOnnx;
  select.dnnl.why = kNoDnnl;
}

} // namespace netc::ir
