//===- Shape.cpp - concat, split, chunk, shuffle, reshape, permute, dropout -===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace netc::ir {

namespace {

// concat: torch.cat. All inputs have one rank and agree outside `dim`.
std::string concatShape(OpCall &c, std::vector<TensorType> &outs) {
  if (c.inputs.empty())
    return "needs at least one tensor";
  const TensorType &first = c.inputs[0];
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), first, dim); !e.empty())
    return e;
  TensorType y = first;
  for (size_t i = 1; i < c.inputs.size(); ++i) {
    const TensorType &x = c.inputs[i];
    if (x.rank() != first.rank())
      return fmt::format("cannot concat {} with {}: ranks {} and {} differ", shapeText(first),
                         shapeText(x), first.rank(), x.rank());
    for (size_t d = 0; d < x.rank(); ++d)
      if (static_cast<int64_t>(d) != dim && x.shape[d] != first.shape[d])
        return fmt::format("cannot concat {} with {} along dim {}: dimension {} is {} vs {}",
                           shapeText(first), shapeText(x), dim, d, first.shape[d], x.shape[d]);
    auto sum = checkedAdd(y.shape[dim], x.shape[dim]);
    if (!sum)
      return fmt::format("concat along dim {} overflows 64-bit integers", dim);
    y.shape[dim] = *sum;
    y.dtype = promoteDTypes(y.dtype, x.dtype);
  }
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

// split: torch.split with a list of sizes (split_with_sizes); one output per
// size. Sizes are positive (the IR has no empty tensors).
std::string splitShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), x, dim); !e.empty())
    return e;
  const Ints &sizes = c.attrs.getInts("sizes");
  if (sizes.empty())
    return "needs at least one size";
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s <= 0)
      return fmt::format("split sizes must be positive, got {}", formatAttrValue(sizes));
    auto t = checkedAdd(total, s);
    if (!t)
      return fmt::format("split sizes {} overflow 64-bit integers", formatAttrValue(sizes));
    total = *t;
  }
  if (total != x.shape[dim])
    return fmt::format("split sizes {} sum to {}, not to dimension {} of {} ({})",
                       formatAttrValue(sizes), total, dim, shapeText(x), x.shape[dim]);
  for (int64_t s : sizes) {
    TensorType y = x;
    y.shape[dim] = s;
    outs.push_back(std::move(y));
  }
  return "";
}

// chunk: torch.chunk. Every chunk has ceil(n / chunks) elements along `dim`
// but the last, which has the rest; so there may be fewer chunks than asked
// (n = 5, chunks = 4 gives 2, 2, 1).
std::string chunkShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), x, dim); !e.empty())
    return e;
  int64_t chunks = c.attrs.getInt("chunks");
  if (chunks <= 0)
    return fmt::format("chunks must be positive, got {}", chunks);
  const int64_t n = x.shape[dim];
  const int64_t size = ceilDiv(n, chunks);
  // Counted, not stepped: start + size could overflow for a huge dim (a
  // fuzzer found it), and the count is bounded like every other size.
  const int64_t count = size > 0 ? ceilDiv(n, size) : 0;
  constexpr int64_t kMaxOutputs = 1'000'000;
  if (count > kMaxOutputs)
    return fmt::format("chunk would give {} outputs; at most {} are allowed", count,
                       kMaxOutputs);
  for (int64_t i = 0; i < count; ++i) {
    TensorType y = x;
    y.shape[dim] = std::min(size, n - i * size);
    outs.push_back(std::move(y));
  }
  return "";
}

// channel_shuffle: torch.nn.ChannelShuffle; the shape is kept.
std::string channelShuffleShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() < 3)
    return fmt::format("expects an input of at least 3 dimensions [N, C, H, ...], got {}",
                       shapeText(x));
  if (std::string e = checkChannelGroups(x, c.attrs.getInt("groups")); !e.empty())
    return e;
  outs.push_back(x);
  return "";
}

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


/// Product of the dims of `s` in [from, to).
size_t dimsSize(llvm::ArrayRef<int64_t> s, size_t from, size_t to) {
  size_t n = 1;
  for (size_t i = from; i < to; ++i)
    n *= static_cast<size_t>(s[i]);
  return n;
}

/// `dim` of `x` wrapped into [0, rank) (the shape rule has checked it).
size_t wrappedDim(const OpCall &c, const char *name, const TensorType &x) {
  int64_t d = 0;
  (void)wrapDim(name, c.attrs.getInt(name), x, d);
  return static_cast<size_t>(d);
}

// concat: per slice of the dims before `dim`, each input's block in turn.
void concatEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const size_t dim = wrappedDim(c, "dim", c.inputs[0]);
  Buffer &y = outs[0];
  const size_t outer = dimsSize(y.shape, 0, dim);
  size_t at = 0;
  for (size_t o = 0; o < outer; ++o)
    for (const Buffer *x : ins) {
      const size_t block = dimsSize(x->shape, dim, x->shape.size());
      std::copy_n(x->data.begin() + static_cast<ptrdiff_t>(o * block), block,
                  y.data.begin() + static_cast<ptrdiff_t>(at));
      at += block;
    }
}

// split, chunk: the outputs (shaped by the shape rule) take consecutive
// ranges of `dim`.
void splitEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
               llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t dim = wrappedDim(c, "dim", c.inputs[0]);
  const size_t outer = dimsSize(x.shape, 0, dim);
  size_t at = 0;
  for (size_t o = 0; o < outer; ++o)
    for (Buffer &y : outs) {
      const size_t block = dimsSize(y.shape, dim, y.shape.size());
      std::copy_n(x.data.begin() + static_cast<ptrdiff_t>(at), block,
                  y.data.begin() + static_cast<ptrdiff_t>(o * block));
      at += block;
    }
}

// channel_shuffle: [N, g, C/g, ...] -> transpose(1, 2) -> [N, C, ...]:
// output channel i*g + j is input channel j*(C/g) + i.
void channelShuffleEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                        llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t n = static_cast<size_t>(x.shape[0]), ch = static_cast<size_t>(x.shape[1]);
  const size_t g = static_cast<size_t>(c.attrs.getInt("groups")), per = ch / g;
  const size_t inner = dimsSize(x.shape, 2, x.shape.size());
  for (size_t b = 0; b < n; ++b)
    for (size_t oc = 0; oc < ch; ++oc) {
      const size_t ic = oc % g * per + oc / g;
      std::copy_n(x.data.begin() + static_cast<ptrdiff_t>((b * ch + ic) * inner), inner,
                  outs[0].data.begin() + static_cast<ptrdiff_t>((b * ch + oc) * inner));
    }
}

// flatten, reshape, dropout (at inference), identity: the same elements.
void copyEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
              std::vector<Buffer> &outs) {
  outs[0].data = ins[0]->data;
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

/// Product of the dims of `s` in [from, to), as an int64.
int64_t dimsCount(llvm::ArrayRef<int64_t> s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t i = from; i < to; ++i)
    n *= s[i];
  return n;
}

// concat: per slice `o` of the dims before `dim`, input i's block lands at
// its offset along `dim`; each input in its own loop nest.
std::string concatKernel(KernelCall &c, CodeWriter &w) {
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim); !e.empty())
    return e;
  const Shape &y = c.outputs[0].shape;
  const size_t d = static_cast<size_t>(dim);
  const int64_t outer = dimsCount(y, 0, d), yBlock = dimsCount(y, d, y.size());
  const int64_t inner = dimsCount(y, d + 1, y.size());
  c.name = fmt::format("concat{}", c.inputs.size());
  int64_t offset = 0; // along dim
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const int64_t block = dimsCount(c.inputs[i].shape, d, y.size());
    w.line("// input {}: [{}, {}) along dim {}", i, offset, offset + c.inputs[i].shape[d], dim);
    w.forLoop("s", outer);
    w.forLoop("j", block);
    const std::string at = offset == 0 ? fmt::format("s * {} + j", yBlock)
                                       : fmt::format("s * {} + {} + j", yBlock, offset * inner);
    c.store(w, 0, at, fmt::format("{}[s * {} + j]", c.in[i], block));
    w.close();
    w.close();
    offset += c.inputs[i].shape[d];
  }
  return "";
}

// split, chunk: output i takes the range of `dim` after the outputs before
// it, per slice `o` of the dims before `dim`.
std::string splitKernel(KernelCall &c, CodeWriter &w) {
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim); !e.empty())
    return e;
  const Shape &x = c.inputs[0].shape;
  const size_t d = static_cast<size_t>(dim);
  const int64_t outer = dimsCount(x, 0, d), xBlock = dimsCount(x, d, x.size());
  const int64_t inner = dimsCount(x, d + 1, x.size());
  c.name = fmt::format("{}{}", c.op.name, c.outputs.size());
  int64_t offset = 0;
  for (size_t i = 0; i < c.outputs.size(); ++i) {
    const Shape &y = c.outputs[i].shape;
    const int64_t block = dimsCount(y, d, y.size());
    w.line("// output {}: [{}, {}) along dim {}", i, offset, offset + y[d], dim);
    w.forLoop("s", outer);
    w.forLoop("j", block);
    const std::string from = offset == 0
                                 ? fmt::format("s * {} + j", xBlock)
                                 : fmt::format("s * {} + {} + j", xBlock, offset * inner);
    c.store(w, i, fmt::format("s * {} + j", block), fmt::format("{}[{}]", c.in[0], from));
    w.close();
    w.close();
    offset += y[d];
  }
  return "";
}

// channel_shuffle: output channel oc is input channel (oc % g) * (C/g) +
// oc / g ([N, g, C/g, ...] transposed to [N, C/g, g, ...]).
std::string channelShuffleKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  const int64_t groups = c.attrs.getInt("groups"), per = x[1] / groups;
  const int64_t inner = dimsCount(x, 2, x.size());
  c.name = fmt::format("channel_shuffle_g{}", groups);
  w.forLoop("n", x[0]);
  w.forLoop("oc", x[1]);
  w.line("const i64 ic = oc % {} * {} + oc / {};", groups, per, groups);
  w.forLoop("i", inner);
  c.store(w, 0, fmt::format("(n * {} + oc) * {} + i", x[1], inner),
          fmt::format("{}[(n * {} + ic) * {} + i]", c.in[0], x[1], inner));
  w.close();
  w.close();
  w.close();
  return "";
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

} // namespace

void registerShapeOps(OpTable &t) {
  OpDef &concat = t.add({"concat",
         {{"xs", ParamKind::Tensors}, {"dim", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         concatShape,
         nullptr,
         "joins tensors along `dim` (torch.cat); `a ++ b` is concat([a, b])",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  concat.eval = concatEval;
  concat.kernel = concatKernel;
  OpDef &split = t.add({"split",
         {{"x", ParamKind::Tensor},
          {"sizes", ParamKind::Ints},
          {"dim", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         splitShape,
         nullptr,
         "splits `dim` into parts of the given sizes (torch.split with a list); one output each",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  split.eval = splitEval;
  split.kernel = splitKernel;
  OpDef &chunk = t.add({"chunk",
         {{"x", ParamKind::Tensor},
          {"chunks", ParamKind::Int},
          {"dim", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         chunkShape,
         nullptr,
         "splits `dim` into parts of ceil(n / chunks) (torch.chunk; may give fewer chunks)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  chunk.eval = splitEval;
  chunk.kernel = splitKernel;
  OpDef &shuffle = t.add({"channel_shuffle",
         {{"x", ParamKind::Tensor}, {"groups", ParamKind::Int}},
         PatternKind::Injective,
         channelShuffleShape,
         nullptr,
         "interleaves the channels of `groups` groups (torch.nn.ChannelShuffle)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"});
  shuffle.eval = channelShuffleEval;
  shuffle.kernel = channelShuffleKernel;
  t.add({"flatten",
         {{"x", ParamKind::Tensor},
          {"start", ParamKind::Int, false, int64_t{1}},
          {"end", ParamKind::Int, false, int64_t{-1}}},
         PatternKind::Injective,
         flattenShape,
         nullptr,
         "merges dims start..end into one (torch.flatten)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true})
      .eval = copyEval;
  t.add({"reshape",
         {{"x", ParamKind::Tensor}, {"shape", ParamKind::Ints}},
         PatternKind::Injective,
         reshapeShape,
         nullptr,
         "the same elements in another shape; one dim may be -1 (torch.reshape)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true})
      .eval = copyEval;
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
  t.add({"dropout",
         {{"x", ParamKind::Tensor}, {"p", ParamKind::Float, false, 0.5}},
         PatternKind::Elementwise,
         dropoutShape,
         nullptr,
         "zeroes elements with probability p in training; the identity at inference "
         "(torch.nn.Dropout)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true})
      .eval = copyEval;
  t.add({"identity",
         {{"x", ParamKind::Tensor}},
         PatternKind::Elementwise,
         identityShape,
         nullptr,
         "returns its input (torch.nn.Identity)",
         costPerOutput<0>,
         "0 FLOPs, 0 bytes: a view of its input at inference",
         true})
      .eval = copyEval;
}

} // namespace netc::ir
