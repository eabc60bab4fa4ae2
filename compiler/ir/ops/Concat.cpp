//===- Concat.cpp - concat, split, chunk, channel_shuffle -------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>

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

/// Product of the dims of `s` in [from, to).
size_t dimsSize(llvm::ArrayRef<int64_t> s, size_t from, size_t to) {
  size_t n = 1;
  for (size_t i = from; i < to; ++i)
    n *= static_cast<size_t>(s[i]);
  return n;
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

// concat: input i (xs[i], xn[i] elements) is `outer` slices (the dims before
// `dim`) of xn[i] / outer elements; its slice s lands in the output's slice s
// after those of the inputs before it. The inputs come as a table
// (KernelCall::list), so one loop serves any number of them.
std::string concatKernel(KernelCall &c, CodeWriter &w) {
  if (!c.list)
    return "concat takes its inputs as a table";
  int64_t dim;
  if (std::string e = wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim); !e.empty())
    return e;
  const Shape &y = c.outputs[0].shape;
  const size_t d = static_cast<size_t>(dim);
  const int64_t outer = dimsProduct(y, 0, d), yBlock = dimsProduct(y, d, y.size());
  const TensorListParams &l = *c.list;
  c.name = fmt::format("concat_dim{}", dim);
  w.line("i64 at = 0; // where input i starts in a slice of the output");
  w.forLoop("i", l.count);
  if (outer == 1)
    w.line("const i64 block = {}[i];", l.size);
  else
    w.line("const i64 block = {}[i] / {};", l.size, outer);
  w.forLoop("s", outer);
  w.forLoop("j", "block");
  c.store(w, 0, fmt::format("s * {} + at + j", yBlock), fmt::format("{}[i][s * block + j]", l.data));
  w.close();
  w.close();
  w.line("at += block;");
  w.close();
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
  const int64_t outer = dimsProduct(x, 0, d), xBlock = dimsProduct(x, d, x.size());
  const int64_t inner = dimsProduct(x, d + 1, x.size());
  c.name = fmt::format("{}{}", c.op.name, c.outputs.size());
  int64_t offset = 0;
  for (size_t i = 0; i < c.outputs.size(); ++i) {
    const Shape &y = c.outputs[i].shape;
    const int64_t block = dimsProduct(y, d, y.size());
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
  const int64_t inner = dimsProduct(x, 2, x.size());
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

// ---- ONNX: Concat, Split; channel_shuffle is Reshape [N, g, C/g, ...],
// Transpose of the two group dims, Reshape back.
std::string concatOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("Concat", c.in, {{"axis", c.attrs.getInt("dim")}})};
  return "";
}

std::string splitOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  int64_t dim = 0;
  wrapDim("dim", c.attrs.getInt("dim"), c.inputs[0], dim);
  Ints sizes;
  for (const TensorType &y : c.outputs)
    sizes.push_back(y.shape[size_t(dim)]);
  out = c.b.nodes("Split", {c.in[0], c.b.ints(sizes)}, {{"axis", dim}}, c.outputs.size());
  return "";
}

std::string channelShuffleOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  const Shape &x = c.inputs[0].shape;
  const int64_t g = c.attrs.getInt("groups");
  Ints grouped = {x[0], g, x[1] / g}, perm = {0, 2, 1};
  for (size_t i = 2; i < x.size(); ++i) {
    grouped.push_back(x[i]);
    perm.push_back(int64_t(i) + 1);
  }
  std::string t = c.b.node("Transpose", {onnxReshape(c.b, c.in[0], grouped)}, {{"perm", perm}});
  out = {onnxReshape(c.b, t, x)};
  return "";
}

} // namespace

void registerConcatOps(OpTable &t) {
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
  concat.onnx = concatOnnx;
  concat.dnnl.kind = DnnlKind::Concat;
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
  split.onnx = splitOnnx;
  split.dnnl.why = "oneDNN has no split primitive (frameworks take views of the input)";
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
  chunk.onnx = splitOnnx;
  chunk.dnnl.why = "oneDNN has no split primitive (frameworks take views of the input)";
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
  shuffle.onnx = channelShuffleOnnx;
  shuffle.dnnl.kind = DnnlKind::Shuffle;
}

} // namespace netc::ir
