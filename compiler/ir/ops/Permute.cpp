//===- Permute.cpp - transpose, permute -------------------------------------===//
#include "ir/OpTable.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::ir {

namespace {

// transpose: torch.transpose swaps two dims.
std::string transposeShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t d0, d1;
  if (std::string e = wrapDim("dim0", c.attrs.getInt("dim0"), x, d0); !e.empty())
    return e;
  if (std::string e = wrapDim("dim1", c.attrs.getInt("dim1"), x, d1); !e.empty())
    return e;
  TensorType y = x;
  std::swap(y.shape[d0], y.shape[d1]);
  outs.push_back(std::move(y));
  return "";
}

// permute: torch.permute; output dim i is input dim dims[i].
std::string permuteShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  const Ints &dims = c.attrs.getInts("dims");
  if (dims.size() != x.rank())
    return fmt::format("needs {} dims for {}, got {}", x.rank(), shapeText(x),
                       formatAttrValue(dims));
  TensorType y{{}, x.dtype};
  std::vector<bool> seen(x.rank(), false);
  for (int64_t d : dims) {
    int64_t n;
    if (std::string e = wrapDim("dim", d, x, n); !e.empty())
      return e;
    if (seen[n])
      return fmt::format("permute dims {} are not a permutation: dim {} repeats",
                         formatAttrValue(dims), n);
    seen[n] = true;
    y.shape.push_back(x.shape[n]);
  }
  outs.push_back(std::move(y));
  return "";
}

/// Output dim i of `y` is input dim perm[i] of `x`.
void permuteInto(const Buffer &x, llvm::ArrayRef<size_t> perm, Buffer &y) {
  const size_t rank = x.shape.size();
  std::vector<size_t> inStride(rank, 1);
  for (size_t d = rank; d-- > 1;)
    inStride[d - 1] = inStride[d] * static_cast<size_t>(x.shape[d]);
  for (size_t i = 0; i < y.size(); ++i) {
    size_t rest = i, offset = 0;
    for (size_t d = rank; d-- > 0;) {
      offset += rest % static_cast<size_t>(y.shape[d]) * inStride[perm[d]];
      rest /= static_cast<size_t>(y.shape[d]);
    }
    y.data[i] = x.data[offset];
  }
}

void transposeEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  std::vector<size_t> perm(ins[0]->shape.size());
  for (size_t d = 0; d < perm.size(); ++d)
    perm[d] = d;
  std::swap(perm[wrappedDim(c, "dim0", c.inputs[0])], perm[wrappedDim(c, "dim1", c.inputs[0])]);
  permuteInto(*ins[0], perm, outs[0]);
}

void permuteEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                 llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  std::vector<size_t> perm;
  for (int64_t d : c.attrs.getInts("dims"))
    perm.push_back(static_cast<size_t>(d < 0 ? d + static_cast<int64_t>(ins[0]->shape.size()) : d));
  permuteInto(*ins[0], perm, outs[0]);
}

/// The permutations `netc measure` reorders by (OpDef::dnnl): output dim i
/// is input dim perm[i]; dims are already checked by the shape rules.
Ints transposePermutation(const Attrs &attrs, size_t rank) {
  auto wrap = [&](int64_t d) { return d < 0 ? d + static_cast<int64_t>(rank) : d; };
  Ints perm(rank);
  for (size_t d = 0; d < rank; ++d)
    perm[d] = static_cast<int64_t>(d);
  std::swap(perm[static_cast<size_t>(wrap(attrs.getInt("dim0")))],
            perm[static_cast<size_t>(wrap(attrs.getInt("dim1")))]);
  return perm;
}

Ints permutePermutation(const Attrs &attrs, size_t rank) {
  Ints perm;
  for (int64_t d : attrs.getInts("dims"))
    perm.push_back(d < 0 ? d + static_cast<int64_t>(rank) : d);
  return perm;
}

/// One loop per output dim (o0, o1, ...); output dim i reads input dim
/// perm[i].
void emitPermute(KernelCall &c, CodeWriter &w, llvm::ArrayRef<size_t> perm) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const size_t rank = y.size();
  std::vector<std::string> outCoords(rank), inCoords(rank);
  for (size_t i = 0; i < rank; ++i) {
    outCoords[i] = fmt::format("o{}", i);
    inCoords[perm[i]] = outCoords[i];
  }
  for (size_t i = 0; i < rank; ++i)
    w.forLoop(outCoords[i], y[i]);
  c.store(w, 0, flatIndex(y, outCoords),
          fmt::format("{}[{}]", c.in[0], flatIndex(x, inCoords)));
  for (size_t i = 0; i < rank; ++i)
    w.close();
}

std::string transposeKernel(KernelCall &c, CodeWriter &w) {
  int64_t d0, d1;
  if (std::string e = wrapDim("dim0", c.attrs.getInt("dim0"), c.inputs[0], d0); !e.empty())
    return e;
  if (std::string e = wrapDim("dim1", c.attrs.getInt("dim1"), c.inputs[0], d1); !e.empty())
    return e;
  std::vector<size_t> perm(c.inputs[0].rank());
  for (size_t d = 0; d < perm.size(); ++d)
    perm[d] = d;
  std::swap(perm[static_cast<size_t>(d0)], perm[static_cast<size_t>(d1)]);
  c.name = fmt::format("transpose{}{}", std::min(d0, d1), std::max(d0, d1));
  emitPermute(c, w, perm);
  return "";
}

std::string permuteKernel(KernelCall &c, CodeWriter &w) {
  std::vector<size_t> perm;
  c.name = "permute";
  for (int64_t d : c.attrs.getInts("dims")) {
    int64_t n;
    if (std::string e = wrapDim("dim", d, c.inputs[0], n); !e.empty())
      return e;
    perm.push_back(static_cast<size_t>(n));
    c.name += fmt::format("{}", n);
  }
  emitPermute(c, w, perm);
  return "";
}

// ONNX: both are a Transpose, output dim i being input dim perm[i].
std::string permuteOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const TensorType &x = c.inputs[0];
  Ints perm;
  if (c.attrs.has("dims")) {
    for (int64_t d : c.attrs.getInts("dims"))
      perm.push_back(d < 0 ? d + int64_t(x.rank()) : d);
  } else {
    for (size_t i = 0; i < x.rank(); ++i)
      perm.push_back(int64_t(i));
    int64_t d0 = 0, d1 = 0;
    wrapDim("dim0", c.attrs.getInt("dim0"), x, d0);
    wrapDim("dim1", c.attrs.getInt("dim1"), x, d1);
    std::swap(perm[size_t(d0)], perm[size_t(d1)]);
  }
  out = {c.b.node("Transpose", {c.in[0]}, {{"perm", perm}})};
  return "";
}

} // namespace

void registerPermuteOps(OpTable &t) {
  OpDef &transpose = t.add({"transpose",
         {{"x", ParamKind::Tensor}, {"dim0", ParamKind::Int}, {"dim1", ParamKind::Int}},
         PatternKind::Injective,
         transposeShape,
         nullptr,
         "swaps two dims (torch.transpose)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  transpose.eval = transposeEval;
  transpose.kernel = transposeKernel;
  transpose.onnx = permuteOnnx;
  transpose.dnnl.kind = DnnlKind::Reorder;
  transpose.dnnl.permutation = transposePermutation;
  OpDef &permute = t.add({"permute",
         {{"x", ParamKind::Tensor}, {"dims", ParamKind::Ints}},
         PatternKind::Injective,
         permuteShape,
         nullptr,
         "reorders the dims: output dim i is input dim dims[i] (torch.permute)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  permute.eval = permuteEval;
  permute.kernel = permuteKernel;
  permute.onnx = permuteOnnx;
  permute.dnnl.kind = DnnlKind::Reorder;
  permute.dnnl.permutation = permutePermutation;
}

} // namespace netc::ir
