//===- Shape.cpp - concat, split, reshape, pad, upsample, dropout, ... ------===//
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
  for (int64_t start = 0; start < n; start += size) {
    TensorType y = x;
    y.shape[dim] = std::min(size, n - start);
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

// pad: torch.nn.functional.pad. `pads` holds (before, after) pairs from the
// last dim backwards: (left, right, top, bottom, ...). Constant padding may be
// negative (it crops). "reflect", "replicate" and "circular" pad the last 1,
// 2 or 3 dims of an input with 1 or 2 more dims, as PyTorch.
std::string padShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  const Ints &pads = c.attrs.getInts("pads");
  const std::string &mode = c.attrs.getStr("mode");
  if (pads.size() % 2 != 0)
    return fmt::format("pads {} must come in (before, after) pairs, from the last dim backwards",
                       formatAttrValue(pads));
  const size_t pairs = pads.size() / 2;
  if (pairs > x.rank())
    return fmt::format("pads {} pad {} dims, but {} has {}", formatAttrValue(pads), pairs,
                       shapeText(x), x.rank());
  if (mode != "constant" && mode != "reflect" && mode != "replicate" && mode != "circular")
    return fmt::format("mode \"{}\" is not \"constant\", \"reflect\", \"replicate\" or "
                       "\"circular\"",
                       mode);
  if (mode != "constant") {
    if (c.attrs.getFloat("value") != 0)
      return fmt::format("mode \"{}\" takes no value, got {}", mode,
                         formatAttrValue(*c.attrs.find("value")));
    if (pairs < 1 || pairs > 3 || (x.rank() != pairs + 1 && x.rank() != pairs + 2))
      return fmt::format("mode \"{}\" pads the last 1, 2 or 3 dims of an input with 1 or 2 more "
                         "dims, not {} of {}",
                         mode, pairs, shapeText(x));
  }
  TensorType y = x;
  for (size_t i = 0; i < pairs; ++i) {
    const size_t d = x.rank() - 1 - i;
    const int64_t before = pads[2 * i], after = pads[2 * i + 1], in = x.shape[d];
    if (mode == "reflect" && (before >= in || after >= in))
      return fmt::format("reflect padding ({}, {}) of dim {} must be smaller than its size {} "
                         "in {}",
                         before, after, d, in, shapeText(x));
    if (mode == "circular" && (before > in || after > in))
      return fmt::format("circular padding ({}, {}) of dim {} must be at most its size {} in {}",
                         before, after, d, in, shapeText(x));
    auto grown = checkedAdd(in, before);
    auto o = grown ? checkedAdd(*grown, after) : std::nullopt;
    if (!o)
      return fmt::format("padding {} overflows 64-bit integers", shapeText(x));
    if (*o <= 0)
      return fmt::format("padding ({}, {}) leaves dim {} of {} with size {}", before, after, d,
                         shapeText(x), *o);
    y.shape[d] = *o;
  }
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

// upsample: torch.nn.functional.interpolate on [N, C, H, W] with either a
// scale (out = floor(H * scale), in double precision as PyTorch) or a size
// (an int or (h, w); normalized to [h, w]).
std::string upsampleShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() != 4)
    return fmt::format("expects a 4-D input [N, C, H, W], got {}", shapeText(x));
  const std::string &mode = c.attrs.getStr("mode");
  if (mode != "nearest" && mode != "bilinear")
    return fmt::format("mode \"{}\" is not \"nearest\" or \"bilinear\"", mode);
  const bool hasScale = !c.attrs.isNone("scale"), hasSize = !c.attrs.isNone("size");
  if (hasScale == hasSize)
    return hasScale ? "takes either scale or size, not both" : "needs either scale or size";
  const int64_t in[2] = {x.shape[2], x.shape[3]};
  int64_t hw[2];
  if (hasScale) {
    const double scale = c.attrs.getFloat("scale");
    if (!std::isfinite(scale) || scale <= 0)
      return fmt::format("scale must be positive, got {}", formatAttrValue(scale));
    for (int i = 0; i < 2; ++i) {
      const double o = std::floor(static_cast<double>(in[i]) * scale);
      // 2^63 is exact in a double; anything from there on does not fit.
      if (o >= 9223372036854775808.0)
        return fmt::format("upsampling {} by {} overflows 64-bit integers", shapeText(x),
                           formatAttrValue(scale));
      if (o < 1)
        return fmt::format("output {} would be 0 (input {} {}, scale {})", i ? "width" : "height",
                           i ? "width" : "height", in[i], formatAttrValue(scale));
      hw[i] = static_cast<int64_t>(o);
    }
  } else {
    const AttrValue &v = *c.attrs.find("size");
    Ints size;
    if (const auto *n = std::get_if<int64_t>(&v))
      size = {*n, *n};
    else
      size = std::get<Ints>(v);
    if (size.size() != 2)
      return fmt::format("size {} must be an int or a pair (h, w)", formatAttrValue(v));
    for (int64_t s : size)
      if (s <= 0)
        return fmt::format("size must be positive, got {}", formatAttrValue(v));
    hw[0] = size[0];
    hw[1] = size[1];
    c.attrs.set("size", size);
  }
  TensorType y{{x.shape[0], x.shape[1], hw[0], hw[1]}, x.dtype};
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
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

// upsample: nearest copies; bilinear interpolates 4 neighbours.
std::string upsampleCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  return flopsPerOutputElement(c.attrs.getStr("mode") == "bilinear" ? 7 : 0, outs, w);
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

// pad: each padded dim maps an output coordinate o to an input coordinate
// (or to the constant) on its own, as torch.nn.functional.pad does:
// constant, reflect and replicate take u = o - before in the input's frame
// (negative pads crop); circular wraps around the input cropped first, as
// PyTorch's circular pad copies from the cropped output.
void padEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
             llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const Ints &pads = c.attrs.getInts("pads");
  const std::string &mode = c.attrs.getStr("mode");
  const double value = c.attrs.getFloat("value");
  const size_t rank = x.shape.size();
  // maps[d][o]: the input coordinate of output coordinate o of dim d, or -1.
  std::vector<std::vector<int64_t>> maps(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = x.shape[d], out = y.shape[d];
    const size_t pair = rank - 1 - d;
    const int64_t before = 2 * pair < pads.size() ? pads[2 * pair] : 0;
    const int64_t after = 2 * pair < pads.size() ? pads[2 * pair + 1] : 0;
    for (int64_t o = 0; o < out; ++o) {
      int64_t u = o - before;
      if (mode == "reflect") {
        if (u < 0)
          u = -u;
        if (u >= in)
          u = 2 * (in - 1) - u;
      } else if (mode == "replicate") {
        u = std::clamp<int64_t>(u, 0, in - 1);
      } else if (mode == "circular") {
        const int64_t start = std::max<int64_t>(-before, 0);
        const int64_t kept = in - start - std::max<int64_t>(-after, 0);
        u = start + floorMod(o - std::max<int64_t>(before, 0), kept);
      } else if (u < 0 || u >= in) {
        u = -1;
      }
      maps[d].push_back(u);
    }
  }
  for (size_t i = 0; i < y.size(); ++i) {
    size_t rest = i, offset = 0, stride = 1;
    bool inside = true;
    for (size_t d = rank; d-- > 0;) {
      const int64_t u = maps[d][rest % static_cast<size_t>(y.shape[d])];
      rest /= static_cast<size_t>(y.shape[d]);
      inside &= u >= 0;
      offset += static_cast<size_t>(std::max<int64_t>(u, 0)) * stride;
      stride *= static_cast<size_t>(x.shape[d]);
    }
    y.data[i] = inside ? x.data[offset] : value;
  }
}

/// PyTorch's compute_scales_value: 1/scale when a scale was given, else
/// in/out (in `T`: float for nearest, the tensor's type for bilinear).
template <typename T> T sourceScale(const OpCall &c, int64_t in, int64_t out) {
  if (!c.attrs.isNone("scale") && c.attrs.getFloat("scale") > 0)
    return static_cast<T>(1.0 / c.attrs.getFloat("scale"));
  return static_cast<T>(in) / static_cast<T>(out);
}

// upsample, as PyTorch's CPU kernels (upsample_nearest2d, and
// upsample_bilinear2d with align_corners=False) compute their source indices:
// nearest: o if out == in, o/2 if out == 2 in, else min(floor(o * scale),
//   in - 1) in float, scale = 1/scale_factor or in/out;
// bilinear: o if out == in, else src = max(scale * (o + 0.5) - 0.5, 0),
//   between floor(src) and the next index (clamped), weighted linearly.
void upsampleEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                  llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  Buffer &y = outs[0];
  const bool bilinear = c.attrs.getStr("mode") == "bilinear";
  struct Tap {
    int64_t i0, i1;
    double l0, l1;
  };
  std::vector<Tap> taps[2];
  for (int d = 0; d < 2; ++d) {
    const int64_t in = x.shape[2 + d], out = y.shape[2 + d];
    for (int64_t o = 0; o < out; ++o) {
      if (out == in) {
        taps[d].push_back({o, o, 1.0, 0.0});
      } else if (!bilinear) {
        int64_t i = o >> 1;
        if (out != 2 * in)
          i = std::min(static_cast<int64_t>(std::floor(static_cast<float>(o) *
                                                       sourceScale<float>(c, in, out))),
                       in - 1);
        taps[d].push_back({i, i, 1.0, 0.0});
      } else {
        double src = sourceScale<double>(c, in, out) * (static_cast<double>(o) + 0.5) - 0.5;
        src = std::max(src, 0.0);
        const int64_t i0 = static_cast<int64_t>(src);
        const int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
        const double l1 = std::min(std::max(src - static_cast<double>(i0), 0.0), 1.0);
        taps[d].push_back({i0, i1, 1.0 - l1, l1});
      }
    }
  }
  const int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  size_t at = 0;
  for (int64_t pl = 0; pl < planes; ++pl) {
    const double *p = x.data.data() + pl * h * w;
    for (const Tap &th : taps[0])
      for (const Tap &tw : taps[1])
        y.data[at++] = th.l0 * (tw.l0 * p[th.i0 * w + tw.i0] + tw.l1 * p[th.i0 * w + tw.i1]) +
                       th.l1 * (tw.l0 * p[th.i1 * w + tw.i0] + tw.l1 * p[th.i1 * w + tw.i1]);
  }
}

} // namespace

void registerShapeOps(OpTable &t) {
  t.add({"concat",
         {{"xs", ParamKind::Tensors}, {"dim", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         concatShape,
         nullptr,
         "joins tensors along `dim` (torch.cat); `a ++ b` is concat([a, b])",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = concatEval;
  t.add({"split",
         {{"x", ParamKind::Tensor},
          {"sizes", ParamKind::Ints},
          {"dim", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         splitShape,
         nullptr,
         "splits `dim` into parts of the given sizes (torch.split with a list); one output each",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = splitEval;
  t.add({"chunk",
         {{"x", ParamKind::Tensor},
          {"chunks", ParamKind::Int},
          {"dim", ParamKind::Int, false, int64_t{1}}},
         PatternKind::Injective,
         chunkShape,
         nullptr,
         "splits `dim` into parts of ceil(n / chunks) (torch.chunk; may give fewer chunks)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = splitEval;
  t.add({"channel_shuffle",
         {{"x", ParamKind::Tensor}, {"groups", ParamKind::Int}},
         PatternKind::Injective,
         channelShuffleShape,
         nullptr,
         "interleaves the channels of `groups` groups (torch.nn.ChannelShuffle)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = channelShuffleEval;
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
  t.add({"transpose",
         {{"x", ParamKind::Tensor}, {"dim0", ParamKind::Int}, {"dim1", ParamKind::Int}},
         PatternKind::Injective,
         transposeShape,
         nullptr,
         "swaps two dims (torch.transpose)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = transposeEval;
  t.add({"permute",
         {{"x", ParamKind::Tensor}, {"dims", ParamKind::Ints}},
         PatternKind::Injective,
         permuteShape,
         nullptr,
         "reorders the dims: output dim i is input dim dims[i] (torch.permute)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = permuteEval;
  t.add({"pad",
         {{"x", ParamKind::Tensor},
          {"pads", ParamKind::Ints},
          {"mode", ParamKind::Str, false, std::string("constant")},
          {"value", ParamKind::Float, false, 0.0}},
         PatternKind::Injective,
         padShape,
         nullptr,
         "pads (before, after) pairs from the last dim backwards (torch.nn.functional.pad)",
         costPerOutput<0>,
         "0 FLOPs: data movement only (its bytes are counted)"})
      .eval = padEval;
  t.add({"upsample",
         {{"x", ParamKind::Tensor},
          {"scale", ParamKind::OptFloat, false, NoneAttr{}},
          {"size", ParamKind::OptInts, false, NoneAttr{}},
          {"mode", ParamKind::Str, false, std::string("nearest")}},
         PatternKind::Injective,
         upsampleShape,
         nullptr,
         "resizes H and W by a scale or to a size, \"nearest\" or \"bilinear\" "
         "(torch.nn.functional.interpolate)",
         upsampleCost,
         "nearest: 0 FLOPs; bilinear: 7 FLOPs per output element (4 weights, 3 adds)"})
      .eval = upsampleEval;
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
