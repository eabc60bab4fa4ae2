//===- Attention.cpp - rotary, attention ---------------------------------------===//
//
// Rotary position embedding and scaled dot-product attention on [B, S,
// heads * D] (Transformer.cpp's layout), with the KV cache they read.
//
//===----------------------------------------------------------------------===//
#include "ir/OpTable.h"
#include "ir/ops/OnnxForms.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace netc::ir {

namespace {


// ---- shared by rotary and attention: [B, S, heads * D] ----------------------

/// The head size D of `t` = [B, S, heads * D]; an error unless heads > 0
/// divides its last dim.
std::string headSize(const char *what, const TensorType &t, int64_t heads, int64_t &d) {
  if (t.rank() != 3)
    return fmt::format("expects {} of 3 dimensions [batch, seq, heads*head_dim], got {}", what,
                       shapeText(t));
  if (heads <= 0)
    return fmt::format("heads must be positive, got {}", heads);
  if (t.shape[2] % heads != 0)
    return fmt::format("the last dimension {} of {} {} is not divisible by heads {}", t.shape[2],
                       what, shapeText(t), heads);
  d = t.shape[2] / heads;
  return "";
}

// ---- rotary ----------------------------------------------------------------

// rotary: Su et al.'s rotary position embedding in Hugging Face Llama's
// rotate-half form, applied to q or k [B, S, heads * D]: for the token at
// position p = past + s and i < D/2, with f_i = base^(-2i/D),
//   y[i]       = x[i] cos(p f_i) - x[i + D/2] sin(p f_i)
//   y[i + D/2] = x[i + D/2] cos(p f_i) + x[i] sin(p f_i).
std::string rotaryShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  int64_t d = 0;
  if (std::string e = headSize("an input", x, c.attrs.getInt("heads"), d); !e.empty())
    return e;
  if (d % 2 != 0)
    return fmt::format("the head size {} of {} must be even to rotate its halves", d,
                       shapeText(x));
  const double base = c.attrs.getFloat("base");
  if (!std::isfinite(base) || base <= 0)
    return fmt::format("base must be a positive number, got {}", formatAttrValue(base));
  if (c.attrs.getInt("past") < 0)
    return fmt::format("past must not be negative, got {}", c.attrs.getInt("past"));
  outs.push_back(x);
  return "";
}

void rotaryEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
                std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t b = static_cast<size_t>(x.shape[0]), s = static_cast<size_t>(x.shape[1]);
  const size_t heads = static_cast<size_t>(c.attrs.getInt("heads"));
  const size_t d = static_cast<size_t>(x.shape[2]) / heads, half = d / 2;
  const double base = c.attrs.getFloat("base");
  const double past = static_cast<double>(c.attrs.getInt("past"));
  for (size_t bi = 0; bi < b; ++bi)
    for (size_t si = 0; si < s; ++si)
      for (size_t h = 0; h < heads; ++h) {
        const size_t at = ((bi * s + si) * heads + h) * d;
        for (size_t i = 0; i < half; ++i) {
          const double angle =
              (past + static_cast<double>(si)) *
              std::pow(base, -2.0 * static_cast<double>(i) / static_cast<double>(d));
          const double co = std::cos(angle), si_ = std::sin(angle);
          const double lo = x.data[at + i], hi = x.data[at + i + half];
          outs[0].data[at + i] = lo * co - hi * si_;
          outs[0].data[at + i + half] = hi * co + lo * si_;
        }
      }
}

std::string rotaryKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape;
  const int64_t heads = c.attrs.getInt("heads"), d = x[2] / heads, half = d / 2;
  c.name = fmt::format("rotary_d{}", d);
  w.forLoop("t", x[0] * x[1]);
  w.line("const double pos = double({} + t % {});", c.attrs.getInt("past"), x[1]);
  w.forLoop("h", heads);
  w.line("const i64 at = (t * {} + h) * {};", heads, d);
  w.forLoop("i", half);
  w.line("const double angle = pos * std::pow({}, -2.0 * double(i) / {});",
         fmt::format("{:.17g}", c.attrs.getFloat("base")), fmt::format("{}.0", d));
  w.line("const T co = T(std::cos(angle)), sn = T(std::sin(angle));");
  w.line("const T lo = {0}[at + i], hi = {0}[at + i + {1}];", c.in[0], half);
  c.store(w, 0, "at + i", "lo * co - hi * sn");
  c.store(w, 0, fmt::format("at + i + {}", half), "hi * co + lo * sn");
  w.close();
  w.close();
  w.close();
  return "";
}

// ---- attention -------------------------------------------------------------

/// The sizes of one attention call, read from its (checked) inputs.
struct Attn {
  int64_t b = 0, sq = 0, skv = 0, heads = 0, kvHeads = 0, d = 0, past = 0;
  int64_t lk() const { return past + skv; }
};

Attn attnSizes(const OpCall &c) {
  Attn a;
  const TensorType &q = c.inputs[0], &k = c.inputs[1];
  a.b = q.shape[0];
  a.sq = q.shape[1];
  a.skv = k.shape[1];
  a.heads = c.attrs.getInt("heads");
  a.kvHeads = c.attrs.isNone("kv_heads") ? a.heads : c.attrs.getInt("kv_heads");
  a.d = q.shape[2] / a.heads;
  a.past = c.attrs.getInt("past");
  return a;
}

// attention: softmax(q k^T * scale (+ causal mask)) v per head, with
// grouped-query heads (head h reads kv head h / (heads / kv_heads)) and
// `past` cached tokens before k and v.
std::string attentionShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &q = c.inputs[0], &k = c.inputs[1], &v = c.inputs[2];
  const int64_t heads = c.attrs.getInt("heads");
  int64_t d = 0;
  if (std::string e = headSize("q", q, heads, d); !e.empty())
    return e;
  if (k.rank() != 3 || v.rank() != 3)
    return fmt::format("expects k and v of 3 dimensions [batch, seq, kv_heads*head_dim], got {} "
                       "and {}",
                       shapeText(k), shapeText(v));
  if (k.shape != v.shape)
    return fmt::format("k {} and v {} must have one shape", shapeText(k), shapeText(v));
  if (k.shape[0] != q.shape[0])
    return fmt::format("the batch {} of k differs from the batch {} of q", k.shape[0],
                       q.shape[0]);
  if (!c.attrs.isNone("kv_heads")) {
    const int64_t kvh = c.attrs.getInt("kv_heads");
    if (kvh <= 0)
      return fmt::format("kv_heads must be positive, got {}", kvh);
    if (heads % kvh != 0)
      return fmt::format("heads {} is not divisible by kv_heads {}", heads, kvh);
  }
  const Attn a = attnSizes(c);
  if (k.shape[2] != a.kvHeads * d)
    return fmt::format("the last dimension of k {} is not kv_heads x head_dim = {} x {} = {}",
                       shapeText(k), a.kvHeads, d, a.kvHeads * d);
  if (a.past < 0)
    return fmt::format("past must not be negative, got {}", a.past);
  if (!c.attrs.isNone("scale") && !std::isfinite(c.attrs.getFloat("scale")))
    return fmt::format("scale must be a finite number, got {}",
                       formatAttrValue(c.attrs.getFloat("scale")));
  if (q.dtype != k.dtype || q.dtype != v.dtype)
    return fmt::format("expects q, k and v of one dtype, got {}, {} and {}", formatType(q),
                       formatType(k), formatType(v));
  if (!checkedAdd(a.past, a.skv) ||
      !checkedProduct({a.b, a.heads, a.sq, a.lk(), std::max<int64_t>(a.d, 6), 4}))
    return "the attention's score count overflows 64-bit integers";
  outs.push_back(q);
  return "";
}

double attnScale(const OpCall &c, int64_t d) {
  return c.attrs.isNone("scale") ? 1.0 / std::sqrt(static_cast<double>(d))
                                 : c.attrs.getFloat("scale");
}

/// The deterministic contents of the KV cache that eval and the emitted
/// kernels assume (they cannot know a real cache): element i (row-major in
/// [B, past, kv_heads * D]) of the cached keys is sin(0.5 (i + 1)), of the
/// cached values cos(0.5 (i + 1)).
double cachedKey(size_t i) { return std::sin(0.5 * static_cast<double>(i + 1)); }
double cachedValue(size_t i) { return std::cos(0.5 * static_cast<double>(i + 1)); }

// Scores count QK^T and AV over the whole rectangle Sq x Lk, as dense
// kernels compute them; a causal mask is not subtracted.
std::string attentionCost(const OpCall &c, llvm::ArrayRef<TensorType>, OpWork &w) {
  const Attn a = attnSizes(c);
  auto scores = checkedProduct({a.b, a.heads, a.sq, a.lk()});
  auto macs = scores ? checkedProduct({*scores, a.d, 2}) : std::nullopt;
  auto outputs = checkedProduct({a.b, a.heads, a.sq, a.d});
  auto flops = scores ? checkedMul(*scores, 6) : std::nullopt;
  auto dots = scores && outputs ? checkedAdd(*scores, *outputs) : std::nullopt;
  if (!macs || !flops || !dots)
    return "MAC count overflows 64-bit integers";
  w.macs = *macs;
  w.dotProducts = *dots; // each score a dot product over D, each output one over Lk
  w.elementwiseFlops = *flops;
  return "";
}

// A KV cache is what generation keeps: causal self-attention's keys and
// values, or any attention that reads `past` cached tokens. A non-causal
// attention without past (an encoder's, ViT's, BERT's) keeps none.
std::optional<KvCache> attentionKv(const OpCall &c) {
  const Attn a = attnSizes(c);
  if (!c.attrs.getBool("causal") && a.past == 0)
    return KvCache{0, 0, 0};
  auto perToken = checkedProduct({2, a.b, a.kvHeads, a.d});
  if (!perToken)
    return std::nullopt;
  auto held = checkedMul(*perToken, a.lk());
  auto read = checkedMul(*perToken, a.past);
  auto written = checkedMul(*perToken, a.skv);
  if (!held || !read || !written)
    return std::nullopt;
  return KvCache{*held, *read, *written};
}

// The KV cache read, and unless fused (FlashAttention) the score matrix:
// written by QK^T, read and written by softmax, read by AV.
std::optional<int64_t> attentionTraffic(const OpCall &c) {
  const Attn a = attnSizes(c);
  std::optional<KvCache> kv = attentionKv(c);
  auto scores = checkedProduct({a.b, a.heads, a.sq, a.lk(), 4});
  if (!kv || !scores)
    return std::nullopt;
  return c.attrs.getBool("fused") ? kv->read : checkedAdd(kv->read, *scores);
}

void attentionEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *>, std::vector<Buffer> &outs) {
  const Attn a = attnSizes(c);
  const Buffer &q = *ins[0], &k = *ins[1], &v = *ins[2];
  const size_t D = static_cast<size_t>(a.d), kvw = static_cast<size_t>(a.kvHeads * a.d);
  const size_t qw = static_cast<size_t>(a.heads * a.d), lk = static_cast<size_t>(a.lk());
  const size_t past = static_cast<size_t>(a.past), group = static_cast<size_t>(a.heads / a.kvHeads);
  const double scale = attnScale(c, a.d);
  const bool causal = c.attrs.getBool("causal");
  std::vector<double> p(lk);
  for (size_t b = 0; b < static_cast<size_t>(a.b); ++b)
    for (size_t h = 0; h < static_cast<size_t>(a.heads); ++h)
      for (size_t i = 0; i < static_cast<size_t>(a.sq); ++i) {
        const size_t g = h / group;
        const double *qi = q.data.data() + (b * static_cast<size_t>(a.sq) + i) * qw + h * D;
        // Key j: cached (j < past) or new (k row j - past); its elements' flat index.
        auto kvAt = [&](size_t j, size_t e) {
          return j < past ? (b * past + j) * kvw + g * D + e
                          : (b * static_cast<size_t>(a.skv) + j - past) * kvw + g * D + e;
        };
        double mx = -std::numeric_limits<double>::infinity();
        for (size_t j = 0; j < lk; ++j) {
          if (causal && j > past + i) {
            p[j] = -std::numeric_limits<double>::infinity();
            continue;
          }
          double s = 0;
          for (size_t e = 0; e < D; ++e)
            s += qi[e] * (j < past ? cachedKey(kvAt(j, e)) : k.data[kvAt(j, e)]);
          p[j] = s * scale;
          mx = std::max(mx, p[j]);
        }
        double sum = 0;
        for (size_t j = 0; j < lk; ++j)
          sum += p[j] = std::exp(p[j] - mx);
        double *out = outs[0].data.data() + (b * static_cast<size_t>(a.sq) + i) * qw + h * D;
        for (size_t e = 0; e < D; ++e) {
          double acc = 0;
          for (size_t j = 0; j < lk; ++j)
            acc += p[j] * (j < past ? cachedValue(kvAt(j, e)) : v.data[kvAt(j, e)]);
          out[e] = acc / sum;
        }
      }
}

// One query row at a time with an online softmax (running max m, sum l and
// the output accumulator of D values): no score buffer of Lk values.
std::string attentionKernel(KernelCall &c, CodeWriter &w) {
  Attn a;
  {
    Attrs attrs = c.attrs;
    OpCall call{c.op, c.inputs, attrs};
    a = attnSizes(call);
    a.d = c.inputs[0].shape[2] / a.heads;
  }
  const int64_t kvw = a.kvHeads * a.d, qw = a.heads * a.d, group = a.heads / a.kvHeads;
  const double scale = c.attrs.isNone("scale") ? 1.0 / std::sqrt(static_cast<double>(a.d))
                                               : c.attrs.getFloat("scale");
  c.name = fmt::format("attention_h{}_kv{}_d{}{}", a.heads, a.kvHeads, a.d,
                       c.attrs.getBool("causal") ? "_causal" : "");
  w.forLoop("b", a.b);
  w.forLoop("h", a.heads);
  w.line("const i64 g = h / {};", group);
  w.forLoop("i", a.sq);
  w.line("const i64 qo = (b * {} + i) * {} + h * {};", a.sq, qw, a.d);
  w.line("T m = -std::numeric_limits<T>::infinity(), l = T(0);");
  w.line("T acc[{}] = {{}};", a.d);
  w.line("const i64 keys = {};", c.attrs.getBool("causal")
                                     ? fmt::format("std::min<i64>({}, {} + i + 1)", a.lk(), a.past)
                                     : std::to_string(a.lk()));
  w.forLoop("j", "keys");
  w.line("const bool cached = j < {};", a.past);
  w.line("const i64 ko = cached ? (b * {0} + j) * {1} + g * {2} : (b * {3} + j - {0}) * {1} + g * "
         "{2};",
         a.past, kvw, a.d, a.skv);
  w.line("T s = T(0);");
  w.forLoop("e", a.d);
  w.line("s += {}[qo + e] * (cached ? T(std::sin(0.5 * double(ko + e + 1))) : {}[ko + e]);",
         c.in[0], c.in[1]);
  w.close();
  w.line("s *= {};", lit(scale));
  w.line("const T mn = std::max(m, s), cf = std::exp(m - mn), pj = std::exp(s - mn);");
  w.line("l = l * cf + pj;");
  w.forLoop("e", a.d);
  w.line("acc[e] = acc[e] * cf + pj * (cached ? T(std::cos(0.5 * double(ko + e + 1))) : "
         "{}[ko + e]);",
         c.in[2]);
  w.close();
  w.line("m = mn;");
  w.close();
  w.forLoop("e", a.d);
  c.store(w, 0, "qo + e", "acc[e] / l");
  w.close();
  w.close();
  w.close();
  w.close();
  return "";
}

} // namespace

void registerAttentionOps(OpTable &t) {
  OpDef &rot = t.add({"rotary",
                      {{"x", ParamKind::Tensor},
                       {"heads", ParamKind::Int},
                       {"base", ParamKind::Float, false, 10000.0},
                       {"past", ParamKind::Int, false, int64_t{0}}},
                      PatternKind::Injective,
                      rotaryShape,
                      nullptr,
                      "rotary position embedding of q or k [B, S, heads*D] at positions past.. "
                      "past+S-1, rotate-half form (Hugging Face Llama); no params",
                      costPerOutput<3>,
                      "3 FLOPs per element (x*cos + rotate_half(x)*sin); the cos/sin tables "
                      "(S x D/2, shared by batch and heads) are not counted"});
  rot.eval = rotaryEval;
  rot.kernel = rotaryKernel;
  rot.onnx = rotaryOnnx;
  rot.onnxFunction = true;
  rot.dnnl.why = "oneDNN 2.6 has no rotary embedding primitive";

  OpDef &att = t.add({"attention",
                      {{"q", ParamKind::Tensor},
                       {"k", ParamKind::Tensor},
                       {"v", ParamKind::Tensor},
                       {"heads", ParamKind::Int},
                       {"kv_heads", ParamKind::OptInt, false, NoneAttr{}},
                       {"causal", ParamKind::Bool, false, false},
                       {"past", ParamKind::Int, false, int64_t{0}},
                       {"scale", ParamKind::OptFloat, false, NoneAttr{}},
                       {"fused", ParamKind::Bool, false, false}},
                      PatternKind::OutElementwiseFusable,
                      attentionShape,
                      nullptr,
                      "scaled dot-product attention, q [B, Sq, heads*D], k, v [B, Skv, "
                      "kv_heads*D] after `past` cached tokens; causal mask; no weights",
                      attentionCost,
                      "MACs = 2 x B x heads x Sq x Lk x D (QK^T and AV, Lk = past + Skv, mask "
                      "not subtracted); 6 FLOPs per score (scale, softmax 5)"});
  att.eval = attentionEval;
  att.kernel = attentionKernel;
  att.onnx = attentionOnnx;
  att.onnxFunction = true;
  att.extraTraffic = attentionTraffic;
  att.onChipAttr = "fused";
  att.kvCache = attentionKv;
  att.dnnl.why = "oneDNN 2.6 has no fused scaled dot-product attention primitive";
}

} // namespace netc::ir
