//===- Transformer.cpp - embedding, rmsnorm, rotary, attention, moe ---------===//
//
// The ops of transformers and LLMs (issue 19). Layouts follow Hugging Face's
// Llama and Mixtral and torch.nn: activations are [B, S, d] (any leading dims
// for embedding, rmsnorm and moe), the heads of q, k and v side by side in the
// last dim ([B, S, heads * D], head h at [h * D, (h + 1) * D)), so that the
// projections stay plain linear layers.
//
//===----------------------------------------------------------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace netc::ir {

namespace {


int64_t elements(const TensorType &t) { return t.numElements().value_or(0); }

// ---- embedding -------------------------------------------------------------

// embedding: torch.nn.Embedding(num, dim): ids of any shape (i64) ->
// ids.shape + [dim], the rows of weight [num, dim] the ids name.
std::string embeddingShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &ids = c.inputs[0];
  if (ids.dtype != DType::I64)
    return fmt::format("expects token ids of dtype i64, got {} (input(..., dtype=\"i64\"))",
                       formatType(ids));
  const int64_t num = c.attrs.getInt("num"), dim = c.attrs.getInt("dim");
  if (num <= 0 || dim <= 0)
    return fmt::format("num and dim must be positive, got {} and {}", num, dim);
  TensorType y{ids.shape, DType::F32};
  y.shape.push_back(dim);
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

void embeddingWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  ws.push_back({"weight", {c.attrs.getInt("num"), c.attrs.getInt("dim")}, true});
}

// Under the ideal memory model each element moves once: the rows the ids
// name, at most the whole table.
std::optional<int64_t> embeddingReads(const OpCall &c, int64_t batch) {
  auto tokens = checkedMul(elements(c.inputs[0]), batch);
  if (!tokens)
    return std::nullopt;
  return checkedMul(std::min(*tokens, c.attrs.getInt("num")), c.attrs.getInt("dim"));
}

/// The row an id names. PyTorch raises an error for an id outside [0, num);
/// eval takes it modulo num, so that random ids (eval::randomInputs) are
/// valid for every table.
size_t rowOf(double id, int64_t num) {
  const int64_t i = static_cast<int64_t>(std::floor(id));
  return static_cast<size_t>(((i % num) + num) % num);
}

void embeddingEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                   llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &ids = *ins[0];
  const size_t dim = static_cast<size_t>(c.attrs.getInt("dim"));
  for (size_t t = 0; t < ids.size(); ++t) {
    const size_t row = rowOf(ids.data[t], c.attrs.getInt("num"));
    std::copy_n(ws[0]->data.begin() + static_cast<std::ptrdiff_t>(row * dim), dim,
                outs[0].data.begin() + static_cast<std::ptrdiff_t>(t * dim));
  }
}

// The ids arrive as numbers of T (exact up to 2^24); the row is the id
// modulo num, as embeddingEval. (The emitter supports f32 tensors only, so
// no network with i64 ids is emitted yet.)
std::string embeddingKernel(KernelCall &c, CodeWriter &w) {
  const int64_t num = c.attrs.getInt("num"), dim = c.attrs.getInt("dim");
  int64_t tokens = 1;
  for (int64_t d : c.inputs[0].shape)
    tokens *= d;
  c.name = fmt::format("embedding_d{}", dim);
  w.forLoop("t", tokens);
  w.line("const i64 id = static_cast<i64>(std::floor({}[t]));", c.in[0]);
  w.line("const i64 row = (id % {0} + {0}) % {0};", num);
  w.forLoop("e", dim);
  c.store(w, 0, fmt::format("t * {} + e", dim), fmt::format("{}[row * {} + e]", c.w[0], dim));
  w.close();
  w.close();
  return "";
}

// ---- rmsnorm ---------------------------------------------------------------

// rmsnorm: x / sqrt(mean(x^2) + eps) * weight over the trailing dims
// `shape` (torch.nn.RMSNorm, Llama's LlamaRMSNorm): layernorm's shape rule.
void rmsnormWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  if (!c.attrs.getBool("affine"))
    return;
  Ints norm = normalizedShape(c);
  ws.push_back({"weight", Shape(norm.begin(), norm.end()), true, /*positive=*/true});
}

std::string rmsnormCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  return flopsPerOutputElement(c.attrs.getBool("affine") ? 4 : 3, outs, w);
}

size_t runLength(const OpCall &c) {
  size_t m = 1;
  for (int64_t d : normalizedShape(c))
    m *= static_cast<size_t>(d);
  return m;
}

void rmsnormEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
                 llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t m = runLength(c);
  const double eps = c.attrs.getFloat("eps");
  const bool affine = c.attrs.getBool("affine");
  for (size_t at = 0; at < x.size(); at += m) {
    double ss = 0;
    for (size_t i = 0; i < m; ++i)
      ss += x.data[at + i] * x.data[at + i];
    const double inv = 1.0 / std::sqrt(ss / static_cast<double>(m) + eps);
    for (size_t i = 0; i < m; ++i)
      outs[0].data[at + i] = x.data[at + i] * inv * (affine ? ws[0]->data[i] : 1.0);
  }
}

std::string rmsnormKernel(KernelCall &c, CodeWriter &w) {
  int64_t m = 1;
  for (int64_t d : c.attrs.getInts("shape"))
    m *= d;
  int64_t n = 1;
  for (int64_t d : c.inputs[0].shape)
    n *= d;
  const bool affine = c.attrs.getBool("affine");
  c.name = "rmsnorm";
  w.forLoop("r", n / m);
  w.line("const i64 at = r * {};", m);
  w.line("T ss = T(0);");
  w.forLoop("i", m);
  w.line("ss += {0}[at + i] * {0}[at + i];", c.in[0]);
  w.close();
  w.line("const T inv = T(1) / std::sqrt(ss / {} + {});", lit(static_cast<double>(m)),
         lit(c.attrs.getFloat("eps")));
  w.forLoop("i", m);
  c.store(w, 0, "at + i",
          fmt::format("{}[at + i] * inv{}", c.in[0], affine ? " * " + c.w[0] + "[i]" : ""));
  w.close();
  w.close();
  return "";
}

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

// ---- moe -------------------------------------------------------------------

/// moe's expert activation `act`, an op of the table: one that takes one
/// tensor and nothing else required, elementwise, with a scalar rule (silu,
/// gelu, relu, relu6, tanh, ...); null otherwise. Its attributes are its
/// defaults (`attrs`). Its FLOPs, eval and emitted expression are its own.
const OpDef *gateActivation(const std::string &act, Attrs &attrs) {
  const OpDef *op = OpTable::get().lookup(act);
  if (!op || op->pattern != PatternKind::Elementwise || !op->scalar || op->params.empty() ||
      op->params[0].kind != ParamKind::Tensor)
    return nullptr;
  for (size_t i = 1; i < op->params.size(); ++i)
    if (op->params[i].kind == ParamKind::Tensor || op->params[i].required)
      return nullptr;
  return bindAttrs(*op, {}, attrs).empty() ? op : nullptr;
}

/// FLOPs per element of the activation (its op's cost rule on one element).
int64_t actFlops(const std::string &act) {
  Attrs attrs;
  const OpDef *op = gateActivation(act, attrs);
  if (!op)
    return 0;
  const TensorType one{Shape{1}, DType::F32};
  OpCall call{*op, one, attrs};
  OpWork w;
  return op->cost(call, one, w).empty() ? w.elementwiseFlops : 0;
}

// moe: Mixtral's sparse mixture-of-experts block on [..., d]: a router
// (linear d -> experts, no bias) picks each token's top_k experts; each
// expert is a gated MLP w2(act(w1 x) * w3 x) (no biases).
std::string moeShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() == 0)
    return fmt::format("expects an input of at least 1 dimension [..., d], got {}", shapeText(x));
  const int64_t e = c.attrs.getInt("experts"), k = c.attrs.getInt("top_k");
  if (e <= 0)
    return fmt::format("experts must be positive, got {}", e);
  if (k <= 0 || k > e)
    return fmt::format("top_k must be between 1 and experts {}, got {}", e, k);
  if (c.attrs.getInt("hidden") <= 0)
    return fmt::format("hidden must be positive, got {}", c.attrs.getInt("hidden"));
  Attrs actAttrs;
  if (!gateActivation(c.attrs.getStr("act"), actAttrs))
    return fmt::format("act \"{}\" is not an elementwise activation op (silu, gelu, relu, ...)",
                       c.attrs.getStr("act"));
  if (!checkedProduct({x.shape.back(), c.attrs.getInt("hidden"), 3, e}) ||
      !checkedProduct({elements(x), x.shape.back(), e + 3 * k * c.attrs.getInt("hidden")}))
    return "the experts' sizes overflow 64-bit integers";
  outs.push_back(x);
  return "";
}

// Hugging Face's Mixtral names: block_sparse_moe.gate.weight and
// block_sparse_moe.experts.{i}.w1/w2/w3.weight.
void moeWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  const int64_t d = c.inputs[0].shape.back(), hidden = c.attrs.getInt("hidden");
  ws.push_back({"gate.weight", {c.attrs.getInt("experts"), d}, true});
  for (int64_t i = 0; i < c.attrs.getInt("experts"); ++i) {
    ws.push_back({fmt::format("experts.{}.w1.weight", i), {hidden, d}, true});
    ws.push_back({fmt::format("experts.{}.w2.weight", i), {d, hidden}, true});
    ws.push_back({fmt::format("experts.{}.w3.weight", i), {hidden, d}, true});
  }
}

// Per token: the router (d x experts MACs) and top_k experts (3 d hidden
// MACs each); elementwise: the softmax of the top_k logits (5 each), per
// active expert the activation and the gate product over hidden, and the
// routing weight's scale and the sum over d.
std::string moeCost(const OpCall &c, llvm::ArrayRef<TensorType>, OpWork &w) {
  const int64_t d = c.inputs[0].shape.back(), tokens = elements(c.inputs[0]) / d;
  const int64_t e = c.attrs.getInt("experts"), k = c.attrs.getInt("top_k");
  const int64_t hidden = c.attrs.getInt("hidden");
  auto macs = checkedProduct({tokens, d * e + k * 3 * d * hidden});
  auto flops = checkedProduct({tokens, 5 * k + k * (hidden * (actFlops(c.attrs.getStr("act")) + 1) + 2 * d)});
  auto dots = checkedProduct({tokens, e + k * (2 * hidden + d)});
  if (!macs || !flops || !dots)
    return "MAC count overflows 64-bit integers";
  w.macs = *macs;
  w.elementwiseFlops = *flops;
  w.dotProducts = *dots;
  return "";
}

std::optional<int64_t> moeActive(const OpCall &c) {
  const int64_t d = c.inputs[0].shape.back(), hidden = c.attrs.getInt("hidden");
  return checkedProduct({d, c.attrs.getInt("experts") + 3 * c.attrs.getInt("top_k") * hidden});
}

// The router, and the experts the tokens are routed to: top_k per token,
// at most all of them (decode of one token reads top_k experts; a prompt of
// many tokens touches all of them).
std::optional<int64_t> moeReads(const OpCall &c, int64_t batch) {
  const int64_t d = c.inputs[0].shape.back(), e = c.attrs.getInt("experts");
  auto tokens = checkedProduct({elements(c.inputs[0]) / d, batch, c.attrs.getInt("top_k")});
  if (!tokens)
    return std::nullopt;
  auto experts = checkedProduct({std::min(*tokens, e), 3, d, c.attrs.getInt("hidden")});
  return experts ? checkedAdd(*experts, d * e) : std::nullopt;
}

// Mixtral's routing: softmax over the experts, the top_k kept and their
// weights renormalized, which equals a softmax over the top_k logits. Ties
// pick the lower expert index.
void moeEval(const OpCall &c, llvm::ArrayRef<const Buffer *> ins,
             llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const size_t d = static_cast<size_t>(x.shape.back());
  const size_t e = static_cast<size_t>(c.attrs.getInt("experts"));
  const size_t k = static_cast<size_t>(c.attrs.getInt("top_k"));
  const size_t hidden = static_cast<size_t>(c.attrs.getInt("hidden"));
  Attrs actAttrs;
  const OpDef &act = *gateActivation(c.attrs.getStr("act"), actAttrs); // checked by the shape rule
  const TensorType hiddenType{Shape{static_cast<int64_t>(hidden)}, DType::F32};
  const OpCall actCall{act, hiddenType, actAttrs};
  const Buffer &gate = *ws[0];
  std::vector<double> logits(e), b(hidden);
  Buffer pre(Shape{static_cast<int64_t>(hidden)});
  std::vector<Buffer> post{Buffer(pre.shape)};
  std::vector<size_t> order(e);
  for (size_t t = 0; t < x.size() / d; ++t) {
    const double *xt = x.data.data() + t * d;
    double *yt = outs[0].data.data() + t * d;
    for (size_t j = 0; j < e; ++j) {
      logits[j] = 0;
      for (size_t i = 0; i < d; ++i)
        logits[j] += xt[i] * gate.data[j * d + i];
    }
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return logits[a] > logits[b]; });
    double sum = 0;
    for (size_t r = 0; r < k; ++r)
      sum += std::exp(logits[order[r]] - logits[order[0]]);
    std::fill(yt, yt + d, 0.0);
    for (size_t r = 0; r < k; ++r) {
      const size_t j = order[r];
      const double weight = std::exp(logits[j] - logits[order[0]]) / sum;
      const Buffer &w1 = *ws[1 + 3 * j], &w2 = *ws[2 + 3 * j], &w3 = *ws[3 + 3 * j];
      for (size_t o = 0; o < hidden; ++o) {
        pre.data[o] = b[o] = 0;
        for (size_t i = 0; i < d; ++i) {
          pre.data[o] += xt[i] * w1.data[o * d + i];
          b[o] += xt[i] * w3.data[o * d + i];
        }
      }
      act.eval(actCall, {&pre}, {}, post); // the activation's own eval rule
      for (size_t i = 0; i < d; ++i) {
        double acc = 0;
        for (size_t o = 0; o < hidden; ++o)
          acc += w2.data[i * hidden + o] * post[0].data[o] * b[o];
        yt[i] += weight * acc;
      }
    }
  }
}

// Per token: the router's logits, the top_k picked by repeated arg-max (the
// lower index on ties, as moeEval), their softmax, and each picked expert's
// gated MLP accumulated into the d outputs.
std::string moeKernel(KernelCall &c, CodeWriter &w) {
  const int64_t d = c.inputs[0].shape.back(), e = c.attrs.getInt("experts");
  const int64_t k = c.attrs.getInt("top_k"), hidden = c.attrs.getInt("hidden");
  int64_t tokens = 1;
  for (int64_t x : c.inputs[0].shape)
    tokens *= x;
  tokens /= d;
  // The weights of expert j: w[1 + 3j] (w1), w[2 + 3j] (w2), w[3 + 3j] (w3).
  auto table = [&](int offset) {
    std::string t = "{";
    for (int64_t j = 0; j < e; ++j)
      t += (j ? ", " : "") + c.w[static_cast<size_t>(offset + 3 * j)];
    return t + "}";
  };
  c.name = fmt::format("moe_e{}_k{}_h{}", e, k, hidden);
  w.line("const T *const w1s[{}] = {};", e, table(1));
  w.line("const T *const w2s[{}] = {};", e, table(2));
  w.line("const T *const w3s[{}] = {};", e, table(3));
  w.forLoop("t", tokens);
  w.line("const T *xt = {} + t * {};", c.in[0], d);
  w.line("T logit[{}];", e);
  w.forLoop("j", e);
  w.line("T s = T(0);");
  w.forLoop("i", d);
  w.line("s += xt[i] * {}[j * {} + i];", c.w[0], d);
  w.close();
  w.line("logit[j] = s;");
  w.close();
  w.line("bool used[{}] = {{}};", e);
  w.line("i64 pick[{}];", k);
  w.forLoop("r", k);
  w.line("i64 best = -1;");
  w.forLoop("j", e);
  w.line("if (!used[j] && (best < 0 || logit[j] > logit[best])) best = j;");
  w.close();
  w.line("used[best] = true;");
  w.line("pick[r] = best;");
  w.close();
  w.line("T sum = T(0);");
  w.forLoop("r", k);
  w.line("sum += std::exp(logit[pick[r]] - logit[pick[0]]);");
  w.close();
  w.line("T acc[{}] = {{}};", d);
  w.line("T h[{}];", hidden);
  w.forLoop("r", k);
  w.line("const i64 j = pick[r];");
  w.line("const T weight = std::exp(logit[j] - logit[pick[0]]) / sum;");
  w.forLoop("o", hidden);
  w.line("T a = T(0), b = T(0);");
  w.forLoop("i", d);
  w.line("a += xt[i] * w1s[j][o * {0} + i];", d);
  w.line("b += xt[i] * w3s[j][o * {0} + i];", d);
  w.close();
  Attrs actAttrs;
  const OpDef &act = *gateActivation(c.attrs.getStr("act"), actAttrs); // checked by the shape rule
  w.line("h[o] = ({}) * b;", act.scalar(actAttrs, {std::string("a")}));
  w.close();
  w.forLoop("i", d);
  w.line("T s = T(0);");
  w.forLoop("o", hidden);
  w.line("s += w2s[j][i * {} + o] * h[o];", hidden);
  w.close();
  w.line("acc[i] += weight * s;");
  w.close();
  w.close();
  w.forLoop("i", d);
  c.store(w, 0, fmt::format("t * {} + i", d), "acc[i]");
  w.close();
  w.close();
  return "";
}

} // namespace

void registerTransformerOps(OpTable &t) {
  OpDef &emb = t.add(
      {"embedding",
       {{"ids", ParamKind::Tensor}, {"num", ParamKind::Int}, {"dim", ParamKind::Int}},
       PatternKind::Injective,
       embeddingShape,
       embeddingWeights,
       "rows of a table for i64 ids of any shape (torch.nn.Embedding(num, dim)): "
       "ids.shape + [dim]; weight [num, dim]",
       costPerOutput<0>,
       "0 FLOPs: a gather; its weight bytes are the rows it reads, min(tokens, num) x dim"});
  emb.eval = embeddingEval;
  emb.kernel = embeddingKernel;
  emb.takesIndices = true;
  emb.weightReads = embeddingReads;
  emb.dnnl.why = "oneDNN 2.6 has no gather (embedding) primitive";

  OpDef &rms = t.add({"rmsnorm",
                      {{"x", ParamKind::Tensor},
                       {"shape", ParamKind::OptInts, false, NoneAttr{}},
                       {"eps", ParamKind::Float, false, 1e-6},
                       {"affine", ParamKind::Bool, false, true}},
                      PatternKind::Reduce,
                      trailingNormShape,
                      rmsnormWeights,
                      "root-mean-square normalization over the trailing dims `shape`, default "
                      "the last one (torch.nn.RMSNorm, Llama's RMSNorm): weight [shape]",
                      rmsnormCost,
                      "3 FLOPs per element (square, sum, multiply by 1/sqrt(mean + eps)), "
                      "+1 with affine (the weight)"});
  rms.eval = rmsnormEval;
  rms.kernel = rmsnormKernel;
  rms.dnnl.why = "oneDNN 2.6's layer normalization has no RMS mode";

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
  att.extraTraffic = attentionTraffic;
  att.onChipAttr = "fused";
  att.kvCache = attentionKv;
  att.dnnl.why = "oneDNN 2.6 has no fused scaled dot-product attention primitive";

  OpDef &moe = t.add({"moe",
                      {{"x", ParamKind::Tensor},
                       {"experts", ParamKind::Int},
                       {"top_k", ParamKind::Int},
                       {"hidden", ParamKind::Int},
                       {"act", ParamKind::Str, false, std::string("silu")}},
                      PatternKind::OutElementwiseFusable,
                      moeShape,
                      moeWeights,
                      "sparse mixture of experts (Mixtral): router d -> experts, top_k gated "
                      "MLPs w2(act(w1 x) * w3 x) per token",
                      moeCost,
                      "MACs = tokens x (d x experts + top_k x 3 x d x hidden) (active experts "
                      "only); + per token 5 top_k + top_k x (hidden x (act + 1) + 2 d)"});
  moe.eval = moeEval;
  moe.kernel = moeKernel;
  moe.weightReads = moeReads;
  moe.activeParams = moeActive;
  moe.dnnl.why = "oneDNN 2.6 has no mixture-of-experts primitive";
}

} // namespace netc::ir
