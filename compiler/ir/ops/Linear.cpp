//===- Linear.cpp - linear, matmul ------------------------------------------===//
#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::ir {

namespace {

// linear: y = x W^T + b over the last dim, any leading dims kept
// (torch.nn.Linear): [..., in] -> [..., out].
std::string linearShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &x = c.inputs[0];
  if (x.rank() == 0)
    return fmt::format("expects an input of at least 1 dimension [..., in], got {}", shapeText(x));
  int64_t out = c.attrs.getInt("out");
  if (out <= 0)
    return fmt::format("output features must be positive, got {}", out);
  TensorType y = x;
  y.shape.back() = out;
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

// With `tied` (the name of a node, set by sema from a tensor it produced),
// the weight is that node's "weight" (GPT-2's lm_head and its token
// embedding); sema checks that it is [out, in].
void linearWeights(const OpCall &c, std::vector<WeightSpec> &ws) {
  int64_t out = c.attrs.getInt("out");
  WeightSpec w{"weight", {out, c.inputs[0].shape.back()}, true};
  if (const auto *owner = std::get_if<std::string>(c.attrs.find("tied")))
    w.tiedTo = *owner;
  ws.push_back(std::move(w));
  if (c.attrs.getBool("bias"))
    ws.push_back({"bias", {out}, true});
}

/// Broadcasts two batch shapes (numpy's rule, aligned at the right); returns
/// an error naming the last mismatching dimension of the result (as PyTorch), or "".
std::string broadcastBatch(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b, Shape &out) {
  size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t i = rank; i-- > 0;) {
    size_t fromRight = rank - 1 - i;
    int64_t da = fromRight < a.size() ? a[a.size() - 1 - fromRight] : 1;
    int64_t db = fromRight < b.size() ? b[b.size() - 1 - fromRight] : 1;
    if (da != db && da != 1 && db != 1)
      return fmt::format("dimension {} is {} vs {}", i, da, db);
    out[i] = da == 1 ? db : da;
  }
  return "";
}

// matmul: torch.matmul. A 1-D a is [k] -> [1, k] and a 1-D b is [k] -> [k, 1];
// the added dims are dropped from the result (1-D x 1-D is a 0-d dot product).
// The batch dims (all but the last two) broadcast.
std::string matmulShape(OpCall &c, std::vector<TensorType> &outs) {
  const TensorType &a = c.inputs[0];
  const TensorType &b = c.inputs[1];
  if (a.rank() == 0 || b.rank() == 0)
    return fmt::format("expects tensors of at least 1 dimension, got {} and {}", shapeText(a),
                       shapeText(b));
  if (a.dtype != b.dtype)
    return fmt::format("expects tensors of one dtype, got {} and {}", formatType(a), formatType(b));
  const size_t ra = a.rank(), rb = b.rank();
  int64_t ka = a.shape[ra - 1];
  int64_t kb = rb == 1 ? b.shape[0] : b.shape[rb - 2];
  if (ka != kb)
    return fmt::format("cannot multiply {} by {}: inner dimensions {} and {} differ", shapeText(a),
                       shapeText(b), ka, kb);
  llvm::ArrayRef<int64_t> batchA(a.shape.data(), ra >= 2 ? ra - 2 : 0);
  llvm::ArrayRef<int64_t> batchB(b.shape.data(), rb >= 2 ? rb - 2 : 0);
  TensorType y{{}, a.dtype};
  if (std::string e = broadcastBatch(batchA, batchB, y.shape); !e.empty())
    return fmt::format("cannot broadcast the batch dimensions of {} and {}: {}", shapeText(a),
                       shapeText(b), e);
  if (ra >= 2)
    y.shape.push_back(a.shape[ra - 2]);
  if (rb >= 2)
    y.shape.push_back(b.shape[rb - 1]);
  if (std::string e = checkElementCount(y); !e.empty())
    return e;
  outs.push_back(std::move(y));
  return "";
}

// linear and matmul: every output element is one dot product over the last
// dim of the first input (linear's `in` features, matmul's shared dim K; the
// only dim of a 1-D `a`), plus a bias add when linear has a bias.
std::string dotProductCost(const OpCall &c, llvm::ArrayRef<TensorType> outs, OpWork &w) {
  auto outputs = outs[0].numElements();
  auto macs = outputs ? checkedMul(*outputs, c.inputs[0].shape.back()) : std::nullopt;
  if (!macs)
    return "MAC count overflows 64-bit integers";
  w.macs = *macs;
  w.dotProducts = *outputs;
  w.biasAdds = c.attrs.has("bias") && c.attrs.getBool("bias") ? *outputs : 0;
  return "";
}

// linear: y[r, o] = bias[o] + sum_i x[r, i] * weight[o, i] over the rows r
// of all leading dims.
void linearEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins,
                llvm::ArrayRef<const Buffer *> ws, std::vector<Buffer> &outs) {
  const Buffer &x = *ins[0];
  const Buffer &w = *ws[0];
  const Buffer *b = ws.size() > 1 ? ws[1] : nullptr;
  Buffer &y = outs[0];
  const size_t in = static_cast<size_t>(x.shape.back());
  const size_t out = static_cast<size_t>(y.shape.back());
  const size_t rows = x.size() / in;
  for (size_t r = 0; r < rows; ++r)
    for (size_t o = 0; o < out; ++o) {
      double acc = b ? b->data[o] : 0.0;
      for (size_t i = 0; i < in; ++i)
        acc += x.data[r * in + i] * w.data[o * in + i];
      y.data[r * out + o] = acc;
    }
}

// matmul: torch.matmul. A 1-D a is one row [1, k], a 1-D b one column
// [k, 1]; the batch dims broadcast; the result's layout is [batch, m, n]
// with the added dims of size 1 dropped.
void matmulEval(const OpCall &, llvm::ArrayRef<const Buffer *> ins, llvm::ArrayRef<const Buffer *>,
                std::vector<Buffer> &outs) {
  const Buffer &a = *ins[0];
  const Buffer &b = *ins[1];
  Buffer &y = outs[0];
  const size_t ra = a.shape.size(), rb = b.shape.size();
  const int64_t m = ra >= 2 ? a.shape[ra - 2] : 1;
  const int64_t k = a.shape[ra - 1];
  const int64_t n = rb >= 2 ? b.shape[rb - 1] : 1;
  llvm::ArrayRef<int64_t> batchA(a.shape.data(), ra >= 2 ? ra - 2 : 0);
  llvm::ArrayRef<int64_t> batchB(b.shape.data(), rb >= 2 ? rb - 2 : 0);
  Shape batch;
  (void)broadcastBatch(batchA, batchB, batch);
  size_t batches = 1;
  for (int64_t d : batch)
    batches *= static_cast<size_t>(d);
  const size_t matA = static_cast<size_t>(m * k), matB = static_cast<size_t>(k * n);
  for (size_t bi = 0; bi < batches; ++bi) {
    const double *pa = a.data.data() + broadcastOffset(batchA, batch, bi) * matA;
    const double *pb = b.data.data() + broadcastOffset(batchB, batch, bi) * matB;
    double *py = y.data.data() + bi * static_cast<size_t>(m * n);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t l = 0; l < k; ++l)
          acc += pa[i * k + l] * pb[l * n + j];
        py[i * n + j] = acc;
      }
  }
}

// linear: one dot product per (row, output feature), rows = every leading
// index of x.
std::string linearKernel(KernelCall &c, CodeWriter &w) {
  const Shape &x = c.inputs[0].shape, &y = c.outputs[0].shape;
  const int64_t in = x.back(), out = y.back();
  int64_t rows = 1;
  for (size_t i = 0; i + 1 < x.size(); ++i)
    rows *= x[i];
  const bool bias = c.attrs.getBool("bias");
  c.name = fmt::format("linear_o{}", out);
  w.forLoop("r", rows);
  w.forLoop("f", out);
  w.line("T acc = {};", bias ? c.w[1] + "[f]" : "T(0)");
  w.forLoop("i", in);
  w.line("acc += {}[r * {} + i] * {}[f * {} + i];", c.in[0], in, c.w[0], in);
  w.close();
  c.store(w, 0, fmt::format("r * {} + f", out), "acc");
  w.close();
  w.close();
  return "";
}

// matmul: for each broadcast batch index, an [m, k] x [k, n] product; a 1-D
// a is one row (m = 1), a 1-D b one column (n = 1), as matmulEval.
std::string matmulKernel(KernelCall &c, CodeWriter &w) {
  const Shape &a = c.inputs[0].shape, &b = c.inputs[1].shape;
  const size_t ra = a.size(), rb = b.size();
  const int64_t m = ra >= 2 ? a[ra - 2] : 1;
  const int64_t k = a[ra - 1];
  const int64_t n = rb >= 2 ? b[rb - 1] : 1;
  llvm::ArrayRef<int64_t> batchA(a.data(), ra >= 2 ? ra - 2 : 0);
  llvm::ArrayRef<int64_t> batchB(b.data(), rb >= 2 ? rb - 2 : 0);
  Shape batch;
  if (std::string e = broadcastBatch(batchA, batchB, batch); !e.empty())
    return e;
  int64_t batches = 1;
  for (int64_t d : batch)
    batches *= d;
  c.name = fmt::format("matmul_{}x{}x{}", m, k, n);
  if (batches > 1)
    c.name += fmt::format("_b{}", batches);
  if (batches > 1) {
    w.forLoop("bt", batches);
    // Where each operand's matrix of batch element bt starts (broadcast: a
    // size-1 batch dim repeats).
    w.line("const i64 ao = {} * {};", broadcastIndex(batchA, batch, "bt"), m * k);
    w.line("const i64 bo = {} * {};", broadcastIndex(batchB, batch, "bt"), k * n);
  }
  w.forLoop("i", m);
  w.forLoop("j", n);
  w.line("T acc = T(0);");
  w.forLoop("l", k);
  const std::string ia = fmt::format("{}i * {} + l", batches > 1 ? "ao + " : "", k);
  const std::string ib = fmt::format("{}l * {} + j", batches > 1 ? "bo + " : "", n);
  w.line("acc += {}[{}] * {}[{}];", c.in[0], ia, c.in[1], ib);
  w.close();
  c.store(w, 0,
          batches > 1 ? fmt::format("(bt * {} + i) * {} + j", m, n) : fmt::format("i * {} + j", n),
          "acc");
  w.close();
  w.close();
  if (batches > 1)
    w.close();
  return "";
}

// ONNX: linear on a 2-D input is Gemm(x, W, b, transB=1); on any other rank
// MatMul(x, Transpose(W)) then Add(b). matmul is MatMul (torch.matmul's rules).
std::string linearOnnx(const OnnxCall &c, std::vector<std::string> &out) {
  if (c.inputs[0].rank() == 2) {
    std::vector<std::string> ins = {c.in[0]};
    ins.insert(ins.end(), c.w.begin(), c.w.end());
    out = {c.b.node("Gemm", ins, {{"transB", int64_t{1}}})};
    return "";
  }
  std::string wt = c.b.node("Transpose", {c.w[0]}, {{"perm", Ints{1, 0}}});
  std::string y = c.b.node("MatMul", {c.in[0], wt});
  out = {c.w.size() > 1 ? c.b.node("Add", {y, c.w[1]}) : y};
  return "";
}

constexpr char kMatMul[] = "MatMul";

} // namespace

void registerLinearOps(OpTable &t) {
  OpDef &linear = t.add(
      {"linear",
       {{"x", ParamKind::Tensor}, {"out", ParamKind::Int}, {"bias", ParamKind::Bool, false, true},
        {"tied", ParamKind::Tied, false, NoneAttr{}}},
       PatternKind::OutElementwiseFusable,
       linearShape,
       linearWeights,
       "fully connected layer over the last dim (torch.nn.Linear): weight [out, in], bias [out]; "
       "tied=t shares the weight of the layer that made t",
       dotProductCost,
       "MACs = outputs x in; exact: (2 in - 1) per output, +1 with bias"});
  linear.eval = linearEval;
  linear.kernel = linearKernel;
  linear.onnx = linearOnnx;
  linear.weightLayout = WeightLayout::OutFirst;
  linear.outputChannelDim = -1; // features: the last dim
  linear.dnnl.kind = DnnlKind::InnerProduct;
  linear.trailingDim = [](const Attrs &) {
    return TrailingDimUse{"acts on", "for channels, permute to NHWC first (permute(x, [0, 2, 3, 1]))"};
  };
  OpDef &matmul = t.add({"matmul",
         {{"a", ParamKind::Tensor}, {"b", ParamKind::Tensor}},
         PatternKind::OutElementwiseFusable,
         matmulShape,
         nullptr,
         "matrix product with torch.matmul's rules (1-D, 2-D, batched with broadcasting)",
         dotProductCost,
         "MACs = outputs x K; exact: 2K - 1 per output"});
  matmul.eval = matmulEval;
  matmul.kernel = matmulKernel;
  matmul.onnx = onnxSame<kMatMul>;
  matmul.dnnl.kind = DnnlKind::MatMul;
}

} // namespace netc::ir
