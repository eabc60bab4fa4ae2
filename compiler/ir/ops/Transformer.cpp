//===- Transformer.cpp - embedding, rmsnorm -----------------------------------===//
//
// The ops of transformers and LLMs (issue 19), with Attention.cpp (rotary,
// attention) and Moe.cpp. Layouts follow Hugging Face's Llama and Mixtral and
// torch.nn: activations are [B, S, d] (any leading dims for embedding, rmsnorm
// and moe), the heads of q, k and v side by side in the last dim ([B, S,
// heads * D], head h at [h * D, (h + 1) * D)), so that the projections stay
// plain linear layers.
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

// ONNX: Gather(weight, ids) along the rows.
std::string embeddingOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node("Gather", {c.w[0], c.in[0]}, {{"axis", int64_t{0}}})};
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
  emb.onnx = embeddingOnnx;
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
  rms.onnx = rmsnormOnnx;
  rms.dnnl.why = "oneDNN 2.6's layer normalization has no RMS mode";
}

} // namespace netc::ir
